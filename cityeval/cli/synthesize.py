"""``python -m cityeval synthesize``: regenerate the synthetic panel (``make data``; :mod:`cityeval.ccid2022.synthetic`)."""
from __future__ import annotations

from cityeval.ccid2022.synthetic import BANNER, DEFAULT_SEED, PANEL_DIR, RAW_INDICATORS, generate, write_panel

__all__ = ["register"]


def _cmd_synthesize(args) -> int:
    panel = generate(args.seed)
    out = write_panel(panel, args.out)
    print(BANNER)
    print(f"wrote {out} ({len(panel.values)} cities x {len(RAW_INDICATORS)} raw indicators, seed {args.seed}, "
          f"{panel.iterations} calibration rounds)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("synthesize", help="regenerate the synthetic panel (make data)",
                              description="Generate the synthetic panel calibrated to the published rankings "
                                          "and write it as a dataset folder.")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--out", default=str(PANEL_DIR), help="output folder (default data/synthetic/ccid2022)")
    p.set_defaults(func=_cmd_synthesize)
