"""Hypothesis profiles: on CI (the CI environment variable is set) examples are derandomized, so a
submission is judged on the same examples every time; locally they are random, so repeated runs keep
exploring. Either way a property must hold for every example, not a lucky one."""
import os

# One BLAS/OpenMP thread per process, unless the caller chose: pytest-xdist runs a worker per core and the notebook
# kernels the tests start beside them, and on two cores each library's second thread only competes (measured: the
# clustering tests on 2 workers 31.7 s with the libraries' own threads, 20.7 s with one; issue 16, goal 4). Set
# before numpy loads, so kernels and subprocesses inherit it; threadpoolctl below for a library already loaded.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
_CALLER_CHOSE = any(_var in os.environ for _var in _THREAD_VARIABLES)
for _var in _THREAD_VARIABLES:
    os.environ.setdefault(_var, "1")

from hypothesis import settings  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

if not _CALLER_CHOSE:
    threadpool_limits(limits=1)

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# The ensemble cache (cityeval.ccid2022.ensemble): a fresh folder per test session unless CITYEVAL_CACHE is set,
# so the suite never writes into the user's ~/.cache and always exercises generation. Notebook kernels the
# tests start inherit it.
if not os.environ.get("CITYEVAL_CACHE"):
    import atexit
    import shutil
    import tempfile

    _cache = tempfile.mkdtemp(prefix="cityeval-test-cache-")
    os.environ["CITYEVAL_CACHE"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)


# Issue 14: no test may change an input. Every file of the repository's data/ and notebooks/ (and of the shared
# oracles beside the clone, when present) is hashed when the session starts and again when it ends; a file
# changed, added or removed fails the session, naming it.
import hashlib  # noqa: E402
from pathlib import Path  # noqa: E402

_ROOT = Path(__file__).resolve().parent.parent
_WATCHED = [_ROOT / "data", _ROOT / "notebooks", _ROOT.parent / "shared" / "oracles"]


def _input_checksums() -> dict:
    sums = {}
    for top in _WATCHED:
        if top.is_dir():
            for path in sorted(top.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and ".ipynb_checkpoints" not in path.parts:
                    sums[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def pytest_sessionstart(session):
    session.config._cityeval_inputs = _input_checksums()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_cityeval_inputs", None)
    if before is None:
        return
    after = _input_checksums()
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"input files changed by the tests (issue 14: no input's checksum may change): {changed[:10]}"
        if reporter is not None:
            reporter.write_line(message, red=True)
        else:
            print(message)
        session.exitstatus = 1


# Notebooks executed once per test session (across pytest-xdist workers too) and shared by every test that reads
# their results, executed notebook, page or figure texts (issue 16: each notebook executed once per session).
import ast  # noqa: E402
import fcntl  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402

import pytest  # noqa: E402

from cityeval import paths  # noqa: E402
from cityeval.notebook import parameters, runner, style  # noqa: E402

assert _THREAD_VARIABLES == runner.THREAD_VARIABLES     # the variables the runner sets for its kernels


def test_parameters(stem: str) -> dict:
    """The small parameters a notebook's ``metadata.cityeval.test_parameters`` declares."""
    path = paths.NOTEBOOKS / f"{stem}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["metadata"].get("cityeval", {}).get("test_parameters", {})


def _default(declared: dict, name: str):
    """The default value of a notebook parameter (papermill's literal), or a marker when it has none."""
    try:
        return ast.literal_eval(declared[name]["default"])
    except (KeyError, ValueError, SyntaxError):
        return _NO_DEFAULT


_NO_DEFAULT = object()


def _shared_root(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this session sees (the workers' base folders share a parent);
    without xdist, this session's own base folder."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "executed-notebooks"


@pytest.fixture(scope="session")
def executed_run(tmp_path_factory):
    """``executed_run(stem, render_html=False, **overrides)`` -> the output folder of the notebook run with its test
    parameters (and ``overrides``): ``results/<stem>.json``, ``notebooks/<stem>.ipynb`` (and its page with
    ``render_html=True``, rendered from the same execution) and ``figure-texts.jsonl``, every figure text as drawn (cityeval.notebook.style's
    recorder). Each distinct run happens once per test session, across pytest-xdist workers too: the first worker to
    ask executes it under a file lock, the others wait and read the same folder. The folder is shared: a test must
    not write into it."""
    root = _shared_root(tmp_path_factory)
    root.mkdir(parents=True, exist_ok=True)
    done = {}

    def execute(stem: str, render_html: bool = False, **overrides) -> Path:
        declared = parameters.notebook_parameters(paths.NOTEBOOKS / f"{stem}.ipynb")
        small = test_parameters(stem)
        if overrides.get("data"):       # another data folder has no ensemble: its options are refused (issue 14)
            small = {k: v for k, v in small.items() if k not in ("ensemble_size", *parameters.ENSEMBLE_ONLY)}
        # an override equal to the notebook's own default is the same run (lang="en" and no lang share one)
        overrides = {k: v for k, v in overrides.items() if k in small or _default(declared, k) != v}
        params = {**small, **overrides}
        # one execution per distinct run, page or not: a test asking for the page renders it from that execution
        # (what the runner itself does after executing), instead of executing the notebook a second time
        key = json.dumps([stem, params], sort_keys=True, default=str)
        if (key, render_html) not in done:
            folder = root / hashlib.sha256(key.encode()).hexdigest()[:16]
            with open(folder.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                marker = folder / "done.json"
                if not marker.exists():
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir(parents=True)
                    before = os.environ.get(style.FIGURE_TEXTS_VARIABLE)
                    os.environ[style.FIGURE_TEXTS_VARIABLE] = str(folder / "figure-texts.jsonl")
                    try:
                        outcome = runner.execute_notebook(paths.NOTEBOOKS / f"{stem}.ipynb", parameters=params,
                                                          out_dir=folder, render_html=render_html)
                    finally:
                        if before is None:
                            os.environ.pop(style.FIGURE_TEXTS_VARIABLE, None)
                        else:
                            os.environ[style.FIGURE_TEXTS_VARIABLE] = before
                    marker.write_text(json.dumps({"ok": outcome.ok, "error": outcome.error}), encoding="utf-8")
                state = json.loads(marker.read_text(encoding="utf-8"))
                executed = folder / "notebooks" / f"{stem}.ipynb"
                if state["ok"] and render_html and not executed.with_suffix(".html").exists():
                    runner._render_html(executed)
            assert state["ok"], state["error"]
            done[key, render_html] = folder
        return done[key, render_html]

    return execute


@pytest.fixture(scope="session")
def executed_notebook(executed_run):
    """``executed_notebook(stem, **overrides)`` -> the results document of the notebook run with its test
    parameters (and ``overrides``); each distinct run happens once per session (:func:`executed_run`)."""

    def results(stem: str, **overrides) -> dict:
        folder = executed_run(stem, **overrides)
        return json.loads((folder / "results" / f"{stem}.json").read_text(encoding="utf-8"))

    return results


@pytest.fixture(scope="session")
def asem_folder(tmp_path_factory):
    """COINr's ASEM example converted once per session (``cityeval convert-coinr``, across pytest-xdist workers too)
    into a folder the tests share, so the notebook runs on it are shared by ``executed_run``; skipped when
    ../shared/oracles/coinr-asem is not beside the clone. A test must not write into it."""
    import subprocess
    import sys

    from markers import _shared_missing

    source = paths.COINR_ASEM
    if _shared_missing(source):
        pytest.skip(_shared_missing(source))          # the reason requires_coinr gives
    root = _shared_root(tmp_path_factory)
    root.mkdir(parents=True, exist_ok=True)
    folder = root / "coinr-asem" / "asem"
    with open(root / "coinr-asem.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = root / "coinr-asem.done"
        if not marker.exists():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.parent.mkdir(parents=True)
            subprocess.run([sys.executable, "-m", "cityeval", "convert-coinr", str(source / "ASEM_iData.csv"),
                            str(source / "ASEM_iMeta.csv"), str(folder)], check=True, capture_output=True)
            marker.write_text("done\n", encoding="utf-8")
    return folder
