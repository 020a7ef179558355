"""Sizes beyond the machine's memory (S): refused before anything is computed or written, with the estimate.

Issue 14, section 6: ``audit`` with ``n: 10**9`` grew without bound. Every size that sets an audit's
memory (the scenarios, the rank matrix kept with ``--ranks``, the Sobol' rows) is checked against the
memory available (``/proc/meminfo``) before any work; the message names the size, gives the estimate and
the memory available (so it depends on the machine: ``stable=False``). The sizes here need terabytes:
they exceed any machine the tests run on.
"""
from __future__ import annotations

import json

from bad_inputs import TOY, Case, toy

SPEC = {"choices": {"weights": {"perturbation": {"1": 0.25}}}}
HUGE = 10**12           # scenarios: about 20 TB of rank shifts and drawn options alone
MEMORY = (r"memory estimate fits in the memory available \(\d+(\.\d)? [MGT]iB\)", r"an estimated \d+(\.\d)? [GT]iB")


def _spec(tmp_path, spec=SPEC):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _audit(args, spec=SPEC):
    def make(tmp_path):
        return {"data": toy(tmp_path), "spec": _spec(tmp_path, spec), "args": [str(a) for a in args]}
    return make


def _api(call):
    def make(tmp_path):
        return {"call": lambda: call(tmp_path)}
    return make


def _design():
    from cityeval.audit import prepare
    from cityeval.composite import load_dataset
    return prepare(load_dataset(TOY), SPEC)


def _many_units(tmp_path):
    # 3000 cities: each kept row of ranks is 12 kB, so 10**9 scenarios with --ranks need about 11 TiB
    folder = toy(tmp_path)
    lines = (folder / "values.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    out = [header]
    for k in range(3000):
        fields = rows[k % len(rows)].split(",")
        fields[0] = f"city{k:04d}"
        fields[2:] = [str(float(v) + k % 97 * 0.01) if v else v for v in fields[2:]]
        out.append(",".join(fields))
    (folder / "values.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    return {"data": folder, "spec": _spec(tmp_path), "args": ["--n", str(10**9), "--ranks", str(tmp_path / "r.csv")]}


CASES = [
    Case("S01", "audit --n beyond the memory (10**12 scenarios)", ("audit",), _audit(["--n", HUGE]),
         (r"\bn\b", "number of scenarios", str(HUGE), *MEMORY), stable=False),
    Case("S02", "the spec's n beyond the memory (n: 10**12 in the spec file, no --n)", ("audit",),
         _audit([], {**SPEC, "n": HUGE}), (r"\bn\b", str(HUGE), *MEMORY), stable=False),
    Case("S03", "audit --ranks with a rank matrix beyond the memory (3000 cities x 10**9 scenarios)", ("audit",),
         _many_units, (r"\bn\b", "with the rank matrix kept", str(10**9), *MEMORY), stable=False),
    Case("S04", "audit --sobol beyond the memory (2**40 rows), checked before the CSV is written", ("audit",),
         _audit(["--n", 100, "--seed", 1, "--sobol", 2**40]), ("--sobol", "Sobol' rows", str(2**40), *MEMORY),
         stable=False),
    Case("S05", "rank_uncertainty(n=10**12) through the Python API", ("api",),
         _api(lambda t: _design().rank_uncertainty(HUGE, seed=1)), (r"\bn\b", str(HUGE), *MEMORY), stable=False),
    Case("S06", "rank_uncertainty(n=10**10, return_ranks=True) through the Python API", ("api",),
         _api(lambda t: _design().rank_uncertainty(10**10, seed=1, return_ranks=True)),
         ("with the rank matrix kept", str(10**10), *MEMORY), stable=False),
    Case("S07", "sensitivity(n=2**40) through the Python API", ("api",),
         _api(lambda t: _design().sensitivity(2**40, seed=1)), (r"\bn\b", "Sobol' rows", str(2**40), *MEMORY),
         stable=False),
    Case("S08", "the module-level rank_uncertainty with the spec's n beyond the memory", ("api",),
         _api(lambda t: __import__("cityeval.audit", fromlist=["rank_uncertainty"]).rank_uncertainty(
             __import__("cityeval.composite", fromlist=["load_dataset"]).load_dataset(TOY), {**SPEC, "n": HUGE},
             seed=1)), (r"\bn\b", str(HUGE), *MEMORY), stable=False),
    Case("S09", "audit --n beyond the memory with --ranks to standard output's neighbour file", ("cli",),
         lambda t: {"argv": ["audit", toy(t), "--spec", _spec(t), "--n", HUGE, "--ranks", t / "ranks.csv"]},
         (r"\bn\b", "with the rank matrix kept", *MEMORY), stable=False),
    # ---- round 2: each size named as the user gave it, and checked as its help says
    Case("S10", "audit --n 0 (no scenario)", ("audit",), _audit(["--n", 0, "--seed", 1]),
         (r"^error: --n should be a whole number >= 1, but its value is 0\.$",)),
    Case("S11", "audit --n -5", ("audit",), _audit(["--n", -5, "--seed", 1]), ("--n", ">= 1", "-5")),
    Case("S12", "audit --sobol 0 (it used to run no Sobol' analysis, silently)", ("audit",),
         _audit(["--n", 20, "--seed", 1, "--sobol", 0]), ("--sobol", "a whole number >= 2", "its value is 0")),
    Case("S13", "the spec's n beyond the memory: the message names the spec file", ("audit",),
         _audit(["--seed", 1], {**SPEC, "n": HUGE}), (r"spec\.n \(.*spec\.json\)", str(HUGE), *MEMORY),
         stable=False),
    # issue 16: --sobol 3 (not a power of 2) runs now, with a warning line; a negative size is still refused
    Case("S14", "audit --sobol -1", ("audit",), _audit(["--n", 20, "--seed", 1, "--sobol", -1]),
         (r"^error: --sobol should be a whole number >= 2 \(rows of the Sobol' design; a power of 2 such as 512 keeps "
          r"its points balanced\), but its value is -1\.$",)),
]
