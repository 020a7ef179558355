"""``run -j N`` (issue 16, goal 2): notebooks execute at once, the files written are those of a sequential run,
progress lines stay whole, and an interrupt stops every kernel."""
from __future__ import annotations

import io
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from cityeval.errors import ParameterError
from cityeval.notebook import runner


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))


def _notebook(path, code, params="n = 3  # int: a count\nmeet = ''  # str: a folder where the notebooks meet\n"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"),
                nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in code]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


# Each notebook announces itself in `meet`, then waits for every other one: they can only all finish if they run
# at the same time (with -j 1 the first would wait out its 120 s and fail).
MEET = """import os, time
from pathlib import Path
me = Path(PAPERMILL_INPUT_PATH).stem
(Path(meet) / me).write_text(str(os.getpid()))
deadline = time.monotonic() + 120
while len(list(Path(meet).iterdir())) < 2:
    assert time.monotonic() < deadline, 'the other notebook never ran beside this one'
    time.sleep(0.05)"""
RECORD = ("from cityeval.notebook.results import record_results\n"
          "out = record_results({'summary': f'{me}: n is {n}', 'square': n * n}, kind='example')\nprint(f'results: {out}')")


THREADS = """(Path(meet).parent / f"{me}.threads").write_text(
    ",".join(os.environ.get(v, "-") for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")))"""


def test_notebooks_run_at_once_and_progress_lines_stay_whole(tmp_path, monkeypatch):
    folder, meet = tmp_path / "nb", tmp_path / "meet"
    folder.mkdir()
    meet.mkdir()
    for stem in ("01_a", "02_b"):
        _notebook(folder / f"{stem}.ipynb", [MEET, THREADS, RECORD])
    # each kernel gets its share of the cores for the numerical libraries' threads, unless the user set them
    # (runner.kernel_threads; tests/conftest.py sets all four for the suite, so two are taken back here)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    log = io.StringIO()
    outcomes = runner.run_notebooks(folder=folder, out_dir=tmp_path / "out", stream=log, jobs=2,
                                    parameters={"meet": str(meet)})
    assert [o.ok for o in outcomes] == [True, True], [o.error for o in outcomes]
    assert [o.stem for o in outcomes] == ["01_a", "02_b"]                 # notebook order, whatever finished first
    lines = log.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert {re.fullmatch(r"\[([12])/2\] (01_a|02_b) \.\.\. ok \(\d+\.\d s\)", line).group(1) for line in lines[:2]} \
        == {"1", "2"}, lines
    assert lines[2].startswith("2 of 2 notebooks ran; index: ")
    share = str(max(1, (os.cpu_count() or 1) // 2))
    assert [(tmp_path / f"{s}.threads").read_text() for s in ("01_a", "02_b")] == [f"{share},3"] * 2


def test_a_parallel_run_writes_the_same_files_as_a_sequential_one(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    for stem in ("01_a", "02_b", "03_c"):
        _notebook(folder / f"{stem}.ipynb", ["me = PAPERMILL_INPUT_PATH.split('/')[-1]", RECORD,
                                              "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
                                              "plt.plot([1, 2, 3], [n, 1, 2]); plt.title(me); plt.show()"])
    out = tmp_path / "out"
    kept = {}
    for jobs in (1, 2, 3):
        outcomes = runner.run_notebooks(folder=folder, out_dir=out, stream=io.StringIO(), jobs=jobs, force=True)
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        kept[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                      if p.suffix in (".json", ".html") and p.parent.name in ("results", "notebooks")}
    assert len(kept[1]) == 6                                                 # 3 results files, 3 pages
    assert kept[2] == kept[1] and kept[3] == kept[1]
    # the page shows where the results file lies, the same on every run (not the run's staging folder)
    page = kept[1]["notebooks/01_a.html"].decode()
    assert f"results: {out / 'results' / '01_a.json'}" in page and ".run-" not in page


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_interrupt_stops_every_kernel_of_a_parallel_run(tmp_path):
    folder, meet = tmp_path / "nb", tmp_path / "meet"
    folder.mkdir()
    meet.mkdir()
    for stem in ("01_a", "02_b"):
        _notebook(folder / f"{stem}.ipynb", [MEET, "time.sleep(600)", RECORD])
    out = tmp_path / "out"

    def stop_when_both_run():
        deadline = time.monotonic() + 120
        while len(list(meet.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_when_both_run, daemon=True).start()
    log = io.StringIO()
    with pytest.raises(runner.RunInterrupted) as caught:
        runner.run_notebooks(folder=folder, out_dir=out, stream=log, jobs=2, parameters={"meet": str(meet)})
    assert caught.value.exit_status == 143
    assert re.match(r"run interrupted by SIGTERM while (01_a, 02_b|02_b, 01_a) ran: kernel stopped", str(caught.value))
    assert log.getvalue().rstrip().endswith("interrupted")
    time.sleep(0.3)
    kernels = [int(p.read_text()) for p in meet.iterdir()]
    assert [k for k in kernels if Path(f"/proc/{k}").exists()] == []       # both kernels stopped
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []  # no staging folder, lock or results


def test_jobs_on_the_command_line_is_a_whole_number_at_least_one(capsys):
    from cityeval import cli

    for bad in ("0", "two", "-1"):
        assert cli.main(["run", "-j", bad]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"error: run -j/--jobs: expected a whole number of notebooks run at once, at least 1 "
                       f"(found {bad!r}; see python -m cityeval run --help)"], err
    with pytest.raises(ParameterError, match=r"^-j/--jobs should be a whole number"):
        runner.run_notebooks(jobs=0)
    assert cli.build_parser().parse_args(["run"]).jobs == (os.cpu_count() or 1)
    assert cli.build_parser().parse_args(["run", "-j", "3", "--force"]).force is True
