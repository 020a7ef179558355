"""What ``make test`` costs (issue 16, goal 4: at most half its time before issue 16), measured on this machine.
Prints the figure next to its goal; asserts nothing.

Runs the suite as ``make test`` does (``python -m pytest -n auto --dist worksteal``, every core, in this checkout's
environment) and prints its wall time, pytest's own count line and the slowest tests. The reference is the CI run of
the last submission before issue 16 (stop 20: ``.ci/run`` on a fresh clone, 1,798 s, which includes creating
``.venv``, about a minute): this script times the tests only, so compare ``.ci/run`` on a fresh clone with the same
reference for the issue's figure (README, "What to expect"). A shared machine's load changes the figure: the load
average is printed first.

Usage::

    python benchmarks/bench_tests.py [--durations N] [pytest arguments ...]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ``.ci/run`` on a fresh clone of the last submission before issue 16 (stop 20's CI), seconds.
BEFORE_S = 1798.0
GOAL_S = BEFORE_S / 2


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--durations", type=int, default=15, help="slowest tests to print (default 15)")
    args, extra = ap.parse_known_args(argv)
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{os.cpu_count()} core(s); load average {load} (a shared machine: the figure depends on what else runs)")
    command = [sys.executable, "-m", "pytest", "-n", "auto", "--dist", "worksteal", "-q", "-p", "no:cacheprovider",
               f"--durations={args.durations}", *extra]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = done.stdout.splitlines()
    counts = next((line.strip("= ") for line in reversed(lines) if re.search(r"\d+ (passed|failed)", line)), "?")
    slow = [line for line in lines if re.match(r"\s*\d+\.\d+s (call|setup|teardown)", line)]
    print(f"pytest: {counts}; exit status {done.returncode}")
    for line in slow:
        print("  " + line.strip())
    verdict = "met" if seconds <= GOAL_S else "NOT met"
    print(f"make test's tests: {seconds:.0f} s (goal 4: .ci/run <= {GOAL_S:.0f} s, half of {BEFORE_S:.0f} s before "
          f"issue 16; the tests alone {verdict}; .ci/run adds creating .venv, about a minute on a fresh clone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
