"""An install that works anywhere (issue 11, item 6): the wheel, installed without the repository, runs
the notebooks from any folder, finding its data and notebooks inside the package.

The test builds the wheel of this checkout, installs it (without dependencies) into a new virtual
environment, and makes the test environment's site-packages visible to it through a ``.pth`` line, so
the dependencies need not be downloaded again. A ``.pth`` *line* adds that folder to ``sys.path`` without
processing the ``.pth`` files inside it, so the editable install of this checkout is *not* visible: the
new environment can only import cityeval from the wheel (asserted below). The dependencies' data files
(nbconvert's templates) are found through ``JUPYTER_PATH``. A complete install from the registry into an
empty environment is what ``make run`` does on a fresh clone (README, "What to expect").
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from cityeval import paths

pytestmark = pytest.mark.notebook


def _run(cmd, **kw):
    # PYTHONPATH of the test process (a checkout under test elsewhere) would put that source before the wheel
    kw.setdefault("env", {k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    if not paths.SOURCE_CHECKOUT:
        pytest.skip("needs the source checkout to build the wheel from")
    tmp = tmp_path_factory.mktemp("install")
    wheels = tmp / "wheels"
    # hatchling is a test dependency, so the wheel builds without a network (no build isolation)
    _run([sys.executable, "-m", "pip", "wheel", str(paths.ROOT), "--no-deps", "--no-build-isolation",
          "--disable-pip-version-check", "-q", "-w", str(wheels)])
    wheel = next(wheels.glob("cityeval-*.whl"))
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--disable-pip-version-check", "-q", str(wheel)])
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "_cityeval_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, tmp


def _environment(tmp) -> dict:
    """The user's environment, with the borrowed dependencies' data files: nbconvert's page templates sit in
    the test environment's share/jupyter, where installing the dependencies would have put them into the new
    environment. Only the templates are linked, not that folder's kernels (a kernel named ``cityeval`` there
    starts the test environment's Python, which imports this checkout, not the wheel)."""
    jupyter = tmp / "jupyter"
    if not jupyter.exists():
        jupyter.mkdir()
        (jupyter / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    env = {k: v for k, v in os.environ.items() if k not in ("CITYEVAL_OUTPUT", "JUPYTER_PATH", "PYTHONPATH")}
    env["JUPYTER_PATH"] = str(jupyter)
    return env


def test_the_wheel_is_what_is_imported(installed):
    python, tmp = installed
    where = tmp / "elsewhere"
    where.mkdir(exist_ok=True)
    out = _run([str(python), "-c", "import cityeval.paths as p; print(p.PACKAGE); print(p.ROOT); "
                "print(p.SOURCE_CHECKOUT)"], cwd=where).stdout.split()
    package, root, checkout = Path(out[0]), Path(out[1]), out[2]
    assert paths.PACKAGE not in (package, *package.parents)      # not this checkout's source
    assert root == package / "_bundle" and checkout == "False"
    # the bundle holds what the notebooks read: the published tables, the synthetic panel, the notebooks
    for rel in ("data/published/ccid2022/overall_top100.csv", "data/synthetic/ccid2022/values.csv",
                "notebooks/01_published_claims.ipynb", "notebooks/02_innovation_correlation.ipynb"):
        assert (root / rel).is_file(), rel


def test_run_from_any_folder(installed):
    python, tmp = installed
    where = tmp / "a folder of the user's"
    where.mkdir(exist_ok=True)
    env = _environment(tmp)
    # the kernel the runner starts is the new environment's own Python, so the notebooks import the wheel
    kernel = _run([str(python), "-c", "from cityeval.notebook.runner import kernel_command; "
                   "print(kernel_command()[0])"], env=env).stdout.strip()
    assert os.path.abspath(kernel) == os.path.abspath(python)
    done = _run([str(python), "-m", "cityeval", "run", "--only", "00", "01", "02", "-p", "n_sim", "50",
                 "-p", "n_boot", "50", "-p", "ensemble_size", "3"], cwd=where, env=env)   # small: the code path
    assert "3 of 3 notebooks ran" in done.stdout
    # outputs go to ./output of the folder it ran in, not into the installation
    for stem in ("00_method_walkthrough", "01_published_claims", "02_innovation_correlation"):
        doc = json.loads((where / "output" / "results" / f"{stem}.json").read_text(encoding="utf-8"))
        assert doc["notebook"] == stem
        # inputs are recorded relative to the bundle root, as relative to the repository in a checkout
        assert all(key.startswith("data/") for key in doc["inputs_sha256"]), doc["inputs_sha256"]
    assert (where / "output" / "index.html").is_file()
