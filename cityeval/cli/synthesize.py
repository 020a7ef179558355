"""``python -m cityeval synthesize``: regenerate the synthetic panel (``make data``; :mod:`cityeval.ccid2022.synthetic`).

An existing ``--out`` folder is replaced only if it is empty or a synthetic panel synthesize wrote (``method.json``
says ``"synthetic": true`` and not ``"invented": true``, with ``covariates.csv``; no other files); never a folder
inside cityeval's own data (but the embedded panel ``data/synthetic/ccid2022`` of a source checkout, the default),
notebooks or source, inside a dataset folder or inside a run's output folder (:func:`cityeval.outputs.protected_place`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from cityeval import paths
from cityeval.ccid2022.synthetic import BANNER, DEFAULT_SEED, PANEL_DIR, RAW_INDICATORS, generate, write_panel
from cityeval.errors import OutputError, ParameterError
from cityeval.outputs import check_outputs, writing
from cityeval.validation import check_seed

__all__ = ["register"]

#: What :func:`~cityeval.ccid2022.synthetic.write_panel` writes: an existing folder holding anything else is
#: refused (it would be lost).
PANEL_FILES = ("README.md", "covariates.csv", "values.csv", "indicators.csv", "method.json")


def _check_synthetic(folder, target) -> None:
    """Refuse to replace a dataset folder synthesize did not write (a user's data, invented teaching data):
    its ``method.json`` must say ``"synthetic": true`` and not ``"invented": true``, and the folder must hold the
    ``covariates.csv`` :func:`~cityeval.ccid2022.synthetic.write_panel` writes beside the tables."""
    if not (os.path.isdir(target) and os.listdir(target)):
        return
    try:
        record = json.loads((Path(target) / "method.json").read_text(encoding="utf-8"))
        record = record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        record = {}
    if record.get("synthetic") is not True:
        raise OutputError(folder, "it is a dataset folder that is not a synthetic panel (its method.json does not "
                          "say \"synthetic\": true), and it would be replaced; give an empty or a new folder",
                          option="--out")
    if record.get("invented") is True:
        raise OutputError(folder, "it is a dataset folder of invented data (its method.json says \"invented\": "
                          "true), not a synthetic panel synthesize wrote, and it would be replaced; give an empty "
                          "or a new folder", option="--out")
    if not os.path.isfile(Path(target) / "covariates.csv"):
        raise OutputError(folder, "it is a dataset folder synthesize did not write (no covariates.csv beside its "
                          "tables), and it would be replaced; give an empty or a new folder", option="--out")


def _cmd_synthesize(args) -> int:
    if args.out is None and not paths.SOURCE_CHECKOUT:
        # an installed package's embedded panel is part of the installation: never overwrite it
        raise ParameterError("--out", "a folder to write the panel to (an installed cityeval does not rewrite "
                             "its own embedded panel)", None)
    folder = args.out if args.out is not None else PANEL_DIR
    # checked before the (slow) generation: not the published tables it is calibrated to, not a file, not a
    # folder whose other files would be lost, writable
    check_seed(args.seed, name="--seed")
    # nor inside cityeval's own data (but the embedded panel itself, in a source checkout), notebooks or source,
    # inside a dataset folder or a run's output folder
    allow = (PANEL_DIR,) if paths.SOURCE_CHECKOUT else ()
    target = check_outputs({"--out": folder}, folders={"the published tables": paths.PUBLISHED},
                           kind="dataset folder", keeps=PANEL_FILES, protect=True, allow=allow)["--out"]
    _check_synthetic(folder, target)
    panel = generate(args.seed)
    with writing(folder, option="--out"):
        write_panel(panel, target)
    out = folder
    print(BANNER)
    print(f"wrote {out} ({len(panel.values)} cities x {len(RAW_INDICATORS)} raw indicators, seed {args.seed}, "
          f"{panel.iterations} calibration rounds)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("synthesize", help="regenerate the synthetic panel (make data)",
                              description="Generate the synthetic panel calibrated to the published rankings "
                                          "and write it as a dataset folder.")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"random seed, a whole number between 0 and 2**32 - 1 (default {DEFAULT_SEED})")
    p.add_argument("--out", default=None, help="output folder (default in a source checkout: data/synthetic/ccid2022; "
                                                 "an installed package needs --out)")
    p.set_defaults(func=_cmd_synthesize)
