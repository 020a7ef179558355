"""Progress bars (cityeval.progress, issue 14 section 6): on the terminal when asked, never in a result.

Inside a Jupyter kernel the bar must reach the kernel process's original standard error (the terminal of
``python -m cityeval run``), not the notebook's output cells: ipykernel turns fd 2 into a pipe into the
notebook and keeps a copy of the original (its ``OutStream.fileno()``). The kernel test runs papermill in a
child process whose standard error is captured, with and without ipykernel's fd capture (ipykernel skips
it under pytest, i.e. when ``PYTEST_CURRENT_TEST`` is set).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

from cityeval import progress


def test_enabled_by_the_environment_or_a_terminal(monkeypatch):
    monkeypatch.setenv("CITYEVAL_PROGRESS", "1")
    assert progress.progress_enabled()
    monkeypatch.setenv("CITYEVAL_PROGRESS", "0")
    assert not progress.progress_enabled()
    monkeypatch.delenv("CITYEVAL_PROGRESS")

    class Tty:
        def isatty(self):
            return True
    monkeypatch.setattr(sys, "stderr", Tty())
    assert progress.progress_enabled()                # unset: on a terminal only
    monkeypatch.setattr(sys, "stderr", sys.__stderr__)


def test_disabled_bar_is_the_iterable_itself(monkeypatch):
    monkeypatch.setenv("CITYEVAL_PROGRESS", "0")
    items = [3, 1, 2]
    assert progress.progress(items, total=3) is items


def test_bar_goes_to_stderr_and_yields_the_same_items(monkeypatch, capfd):
    monkeypatch.setenv("CITYEVAL_PROGRESS", "1")
    monkeypatch.setattr(progress, "DELAY", 0)
    assert list(progress.progress(range(5), total=5, desc="demo-bar")) == [0, 1, 2, 3, 4]
    out, err = capfd.readouterr()
    assert out == "" and "demo-bar" in err


def test_memory_check_message():
    # the issue: refuse sizes whose memory estimate exceeds what the machine has, saying the estimate
    with pytest.raises(progress.ParameterError, match=r"^n_boot should be a number of resamples whose memory "
                                                      r"estimate fits in the memory available \(1\.0 GiB\), but its "
                                                      r"value is 5 \(an estimated 2\.0 GiB\)\.$"):
        progress.check_memory("n_boot", 5, 2 * 2**30, what="a number of resamples", available=2**30)
    assert progress.available_memory() is None or progress.available_memory() > 2**20


CELL = """import time
from cityeval import progress
progress.DELAY = 0
for _ in progress.progress(range(20), total=20, desc="kernel-bar"):
    time.sleep(0.01)
print("done")
"""


@pytest.mark.parametrize("fd_capture", [True, False], ids=["ipykernel-captures-fd2", "no-fd-capture"])
@pytest.mark.parametrize("flag", ["1", None])
def test_bar_in_a_kernel_reaches_the_terminal_not_the_notebook(tmp_path, fd_capture, flag):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src, dst = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, src)
    env = {k: v for k, v in os.environ.items() if k != "CITYEVAL_PROGRESS"}
    if flag:
        env["CITYEVAL_PROGRESS"] = flag
    if fd_capture:
        env.pop("PYTEST_CURRENT_TEST", None)
    proc = subprocess.run([sys.executable, "-m", "papermill", str(src), str(dst), "--no-progress-bar",
                           "-k", "python3"], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr
    outputs = json.dumps(json.loads(dst.read_text(encoding="utf-8"))["cells"][0]["outputs"])
    assert "kernel-bar" not in outputs and "done" in outputs          # the notebook holds only its own output
    assert ("kernel-bar" in proc.stderr) == bool(flag)               # the terminal has the bar, when asked


def test_the_sobol_bar_is_closed_when_the_analysis_fails(monkeypatch):
    # issue 14b: design.sensitivity left its bar open (on the terminal) when a run failed half-way
    from cityeval import paths
    from cityeval.audit import _sensitivity as design_module      # the Sobol' run (issue 16: out of design.py)
    from cityeval.audit import prepare
    from cityeval.composite import load_dataset

    closed = []

    class Bar:
        def update(self, n=1):
            return None

        def close(self):
            closed.append(True)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()
            return False

    monkeypatch.setattr(design_module, "progress", lambda *a, **k: Bar())
    d = prepare(load_dataset(paths.DATA / "examples" / "toy"), {"choices": {"weights": {"perturbation": {"1": 0.25}}}})
    monkeypatch.setattr(type(d), "evaluate", lambda self, sc: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        d.sensitivity(8, seed=1, n_boot=10)
    assert closed == [True]
