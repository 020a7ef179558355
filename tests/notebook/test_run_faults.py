"""`python -m cityeval run` under faults (issue 14, section 2): interrupts, two runs into one folder, a notebook run
by hand, a run started outside the repository. Each runs the real command on notebook 00 (the fast one)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cityeval import paths

pytestmark = pytest.mark.notebook

NB00 = "00_method_walkthrough"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """A notebook cache (and ensemble cache) of this test's own: a test that runs a notebook executes it, whatever
    an earlier test or session stored (``CITYEVAL_CACHE`` is shared otherwise)."""
    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("CITYEVAL_RUN_RESULTS", "CITYEVAL_PROGRESS")}
    env.setdefault("CITYEVAL_CACHE", str(tmp_path / "cache"))
    return {**env, **extra}


def _run(out, tmp_path, *more, cwd=None):
    return subprocess.Popen([sys.executable, "-m", "cityeval", "run", "--only", "00", "--out", str(out), *more],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd or tmp_path,
                            env=_env(tmp_path))


def _children(pid) -> list[int]:
    """Process ids whose parent is ``pid`` (the kernel jupyter_client starts is a child of the runner)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _wait_for_kernel(proc, timeout=90) -> list[int]:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        kernels = [k for k in _children(proc.pid) if b"ipykernel" in Path(f"/proc/{k}/cmdline").read_bytes()]
        if kernels:
            return kernels
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("no kernel started")


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_stops_its_kernel_and_leaves_the_folder_as_it_was(tmp_path, sig, status):
    # the issue: "Ctrl-C or SIGTERM during run: a one-line message, kernels stopped, hidden partial
    # .<stem>.XXXX.ipynb files removed, exit status 130/143" (128 + the signal number, as a shell reports it)
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    (out / "results" / f"{NB00}.json").write_text('{"an": "earlier run"}\n')   # an earlier run's results, recorded
    (out / "runs.json").write_text(json.dumps({"format": "cityeval run record, version 1", "notebooks": {
        NB00: {"status": "ok", "results": f"results/{NB00}.json", "page": None}}}))
    before = _tree(out)
    proc = _run(out, tmp_path)
    kernels = _wait_for_kernel(proc)
    time.sleep(1.0)                                   # the kernel is executing cells
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: run interrupted by {sig.name} while {NB00} ran: kernel stopped"), lines
    assert stdout.rstrip().endswith("interrupted")   # the progress line is ended, not left open
    time.sleep(0.2)
    assert [k for k in kernels if Path(f"/proc/{k}").exists()] == []          # no kernel left running
    assert _tree(out) == before                       # no partial file, no lock, no staging folder, nothing new


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_second_run_into_a_folder_in_use_is_refused(tmp_path):
    # the issue: "Two runs into one output folder at once: the second says the folder is in use and exits"
    out = tmp_path / "out"
    first = _run(out, tmp_path)
    _wait_for_kernel(first)
    second = _run(out, tmp_path)
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 2, (stdout, stderr)
    assert stderr == (f"error: output folder {out} is in use by another run (pid {first.pid}); wait for it to finish "
                      "or give another --out\n")
    stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, (stdout, stderr)
    assert not (out / ".lock").exists()               # released and removed
    assert sorted(p.name for p in out.iterdir()) == ["glossary.html", "index.html", "notebooks", "results", "runs.json"]


def test_a_run_started_outside_the_repository_with_a_relative_out(tmp_path):
    # the issue: "A plain run started outside the repository root fails at once (notebook 00's default data is
    # resolved against the current folder)"; and "run --out relout ... loses or misplaces HTML pages"
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = _run("relout", tmp_path, cwd=work)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, (stdout, stderr)
    out = work / "relout"
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [f"{NB00}.html", f"{NB00}.ipynb"]
    runs = json.loads((out / "runs.json").read_text(encoding="utf-8"))["notebooks"]
    # the default data is notebook 00's own lesson folder, resolved against the package, not the current folder
    assert runs[NB00]["status"] == "ok" and runs[NB00]["data"] == {"data": str(paths.DATA / "examples" / "lesson")}
    assert sorted(p.name for p in work.iterdir()) == ["relout"]


def test_a_notebook_run_by_hand_never_writes_the_output_folder(tmp_path, monkeypatch, capfd):
    # the issue: "Running a notebook by hand (papermill from the README, or JupyterLab) rewrites
    # output/results/<stem>.json behind the runner's back; only the runner writes into output/". The output folder
    # is pointed at tmp_path (CITYEVAL_OUTPUT), so a regression cannot touch the repository's output/.
    import papermill

    monkeypatch.setenv("CITYEVAL_OUTPUT", str(tmp_path / "output"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "usercache"))
    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CITYEVAL_RUN_RESULTS", raising=False)
    nb = paths.NOTEBOOKS / f"{NB00}.ipynb"
    # what `papermill notebooks/00_....ipynb out.ipynb --inject-input-path` does (README)
    papermill.execute_notebook(str(nb), str(tmp_path / "executed.ipynb"), kernel_name="python3", progress_bar=False,
                               parameters={"PAPERMILL_INPUT_PATH": str(nb)}, cwd=str(nb.parent))
    assert not (tmp_path / "output").exists()
    by_hand = tmp_path / "usercache" / "cityeval" / "by-hand" / f"{NB00}.json"   # private to the user (0700)
    assert json.loads(by_hand.read_text(encoding="utf-8"))["notebook"] == NB00
    printed = "".join("".join(o.get("text", "")) for c in json.loads((tmp_path / "executed.ipynb").read_text())["cells"]
                      if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert f"note: run by hand, so the results went to {by_hand}, not output/results/" in printed
    # papermill's command line shows a kernel's output only with --log-output: the note goes to its terminal too
    assert f"note: run by hand, so the results went to {by_hand}" in capfd.readouterr().err


@pytest.mark.parametrize("delay", [0.3, 1.0, 3.5, 5.0, 7.0])
def test_ctrl_c_before_any_kernel_starts_is_one_line(tmp_path, delay):
    # review of issue 14: Ctrl-C in the first seconds of `run` (imports, the parameter check) printed a traceback
    # and exited -2; whenever it comes it is one line `error: ...` and status 130 (128 + SIGINT, as a shell says).
    # 0.3 s and 1.0 s fall while the libraries load (`import cityeval` is light, pandas loads under __main__'s
    # handler), the later ones in the parameter check.
    out = tmp_path / "out"
    proc = _run(out, tmp_path)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    assert lines[0] in ("error: interrupted", "error: run interrupted by SIGINT before any notebook ran: nothing "
                        "written") or lines[0].startswith("error: run interrupted by SIGINT while"), lines


def test_a_signal_during_the_parameter_check_stops_the_run_before_it_takes_its_folder(tmp_path, monkeypatch):
    # SIGTERM (or SIGINT) while the parameters are checked: the runner's handler is already installed
    from cityeval.notebook import runner

    def check_values(path, values):
        os.kill(os.getpid(), signal.SIGTERM)

    def unhandled(signum, frame):                 # what the test process does when the runner has no handler
        raise AssertionError("SIGTERM reached the caller's handler")

    monkeypatch.setattr(runner, "check_values", check_values)
    previous = signal.signal(signal.SIGTERM, unhandled)
    try:
        with pytest.raises(runner.RunInterrupted) as caught:
            runner.run_notebooks(only=["00"], out_dir=tmp_path / "out")
        assert signal.getsignal(signal.SIGTERM) is unhandled    # the caller's handler is put back afterwards
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert caught.value.exit_status == 143
    assert str(caught.value) == "run interrupted by SIGTERM before any notebook ran: nothing written"
    assert not (tmp_path / "out").exists()


def test_ctrl_c_in_any_command_is_one_line(monkeypatch, capsys):
    # cli.main: a KeyboardInterrupt anywhere (importing the commands, parsing, computing) is `error: interrupted`
    from cityeval import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.importlib, "import_module", interrupted)
    try:
        status = cli.main(["score", "--help"])
    except KeyboardInterrupt:
        pytest.fail("the interrupt reached main's caller (a traceback on the command line)")
    assert status == 130
    assert capsys.readouterr().err == "error: interrupted\n"
