"""Command line: ``audit`` the ranking of a dataset folder over uncertain method choices.

``python -m cityeval audit FOLDER --spec FILE [--out FILE] [--n N] [--seed S] [--ranks FILE] [--sobol N]``
    Runs the Monte Carlo uncertainty analysis of :mod:`cityeval.audit` on the dataset
    folder (nominal method: its ``method.json``) with the uncertain choices of the spec file,
    and writes one row per unit: ``unit, nominal, mean, median, q05, q95`` (ranks; 1 = best) as
    CSV to ``FILE`` (written atomically; ``-`` or ``/dev/stdout``: the CSV to standard output, written through)
    or to standard output. No output may lie inside cityeval's own data, notebooks or package source, inside a
    dataset folder or inside a run's output folder (:func:`cityeval.outputs.protected_place`). ``--n`` and
    ``--seed`` override the spec's ``n`` and ``seed``; without either a fresh seed is drawn and printed, so the run
    can be repeated. ``--ranks FILE`` also writes the raw rank matrix (one row per scenario);
    ``--sobol N`` also prints first-order and total Sobol' indices of the mean rank shift
    from ``N (d + 2)`` runs (``N`` at least 2; without ``--sobol`` none is run; an ``N`` that is not a power of 2,
    such as COINr's 100, runs with a one-line ``warning: ...`` on standard error saying what its estimates lose,
    :func:`cityeval.audit.balance_note`). Everything is computed before anything is written, and
    ``--out`` and ``--ranks`` are written all or none (a failure leaves neither). When the data are synthetic a banner
    "illustrative numbers: synthetic data" is printed to standard error once the work is done, before anything
    is written (a failure is one line ``error: ...``). Sizes whose memory estimate exceeds the memory available
    are refused before any work (:func:`cityeval.audit.check_audit_size`).

Example (COINr's documented uncertainty analysis of its ASEM data)::

    python -m cityeval convert-coinr ASEM_iData.csv ASEM_iMeta.csv asem
    python -m cityeval audit asem --spec data/examples/coinr_asem_uncertainty.json --out asem_ranks.csv
"""
from __future__ import annotations

import sys
import warnings

from cityeval.cli._show import show, write_table
from cityeval.cli.score import SYNTHETIC_BANNER
from cityeval.composite.dataset import load_dataset
from cityeval.errors import DataError, ParameterError
from cityeval.outputs import check_outputs, csv_content, to_stdout, write_all_atomic
from cityeval.validation import check_integer, check_seed

__all__ = ["register"]


def _cmd_audit(args) -> int:
    # the engine and the figure style are imported here, not at the top: every command builds the parser, which
    # imports this module (scipy.stats and matplotlib's settings would add ~0.5 s to `run` served from the cache)
    from cityeval.audit import UnbalancedSobolWarning, check_audit_size, describe_choices, load_spec, prepare
    from cityeval.notebook.style import number

    # every option is checked, and no output may overwrite an input or another output or be unwritable,
    # before anything is computed or written
    check_outputs({"--out": args.out, "--ranks": args.ranks}, inputs={"the --spec file": args.spec},
                  folders={"the dataset folder": args.folder}, protect=True)
    if to_stdout(args.ranks) and not args.out:
        raise ParameterError("--ranks", "a file when --out is not given (the table goes to standard output)",
                             args.ranks)
    if args.seed is not None:                  # none: a fresh seed
        check_seed(args.seed, name="--seed")
    if args.n is not None:
        check_integer("--n", args.n, low=1)
    if args.sobol is not None:
        check_integer("--sobol", args.sobol, low=2, allowed="a whole number >= 2 (rows of the Sobol' design; a power "
                      "of 2 such as 512 keeps its points balanced)")
    ds = load_dataset(args.folder)
    spec = load_spec(args.spec)
    try:
        design = prepare(ds, spec)
    except ParameterError as exc:  # a spec that does not fit the dataset (a level it lacks): name the spec file
        raise DataError(args.spec, "not a valid uncertainty spec for this dataset", detail=str(exc)) from None
    # sizes whose memory estimate exceeds the machine's are refused before anything is computed or written
    check_audit_size(design, args.n, return_ranks=bool(args.ranks), sobol=args.sobol or 0,
                     names=("--n" if args.n is not None else f"spec.n ({args.spec})", "--sobol"),
                     pool_name=f"spec.choices.weights.pool ({args.spec})")
    # everything is computed before anything is written, and the outputs are written all or none
    res = design.rank_uncertainty(args.n, seed=args.seed, return_ranks=bool(args.ranks))
    sens = None
    if args.sobol:
        with warnings.catch_warnings():   # said once, in one line, below
            warnings.simplefilter("ignore", UnbalancedSobolWarning)
            sens = design.sensitivity(args.sobol, seed=res.seed)
        if sens.note:
            print(f"warning: {sens.note}", file=sys.stderr)
    if ds.synthetic:                 # after the work, so that a failure is still one line "error: ..."
        print(ds.banner, file=sys.stderr)   # synthetic or invented data
    table = res.table
    # what the audit says goes to standard output only when no table goes there
    info = sys.stdout if args.out and not (to_stdout(args.out) or to_stdout(args.ranks)) else sys.stderr
    files = {}                       # streamed in chunks of rows: the CSV text is never held whole
    if args.out:
        files["--out"] = (args.out, csv_content(table, na_rep=""))
    if args.ranks:
        files["--ranks"] = (args.ranks, csv_content(res.ranks, index_label="scenario"))
    written = dict(zip(files, write_all_atomic(files)))
    if not args.out and not write_table(table, csv_hint="--out FILE"):   # a closed pipe: nothing more
        return 0
    width = table["q95"] - table["q05"]
    widest = width.idxmax()
    print(f"audited the rank of {res.target}: {len(table)} units, {res.n} scenarios, seed {res.seed}; "
          f"uncertain: {describe_choices(design)}", file=info)
    print(f"widest 5-95% rank interval: {widest} [{show(table.at[widest, 'q05'])}, {show(table.at[widest, 'q95'])}] "
          f"(nominal {show(table.at[widest, 'nominal'])}); median interval width {show(width.median())}", file=info)
    for path in written.values():
        print(f"wrote {'standard output' if to_stdout(path) else path}", file=info)
    if sens is not None:
        print(f"Sobol' indices of the mean absolute rank shift ({sens.evaluations} runs, "
              f"{100 * sens.confidence:g}% bootstrap intervals):", file=info)
        print(sens.indices.map(lambda x: number(x, 3)).to_string(), file=info)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "audit", help="Monte Carlo rank uncertainty over method choices (JRC-style audit) as CSV",
        description="Re-rank a dataset folder under randomly drawn method choices (outlier treatment, "
                    "normalization, weights, aggregation; described in a spec file, see cityeval.audit.spec) "
                    "and write each unit's nominal, mean, median, 5% and 95% rank as CSV.")
    p.add_argument("folder", metavar="FOLDER", help="the dataset folder (its method.json is the nominal method)")
    p.add_argument("--spec", metavar="FILE", required=True, help="the uncertainty spec (JSON)")
    p.add_argument("--out", metavar="FILE", help="CSV file to write (atomically; relative to the current folder); "
                   "- or /dev/stdout: the CSV to standard output; default: standard output (on a terminal, aligned "
                   "for reading). Refused inside cityeval's own data, notebooks or source, a dataset folder or a "
                   "run's output folder")
    p.add_argument("--n", type=int, default=None, metavar="N", help="scenarios (default: the spec's n, else 1000)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="seed (default: the spec's seed, else fresh)")
    p.add_argument("--ranks", metavar="FILE", help="also write the raw rank matrix (scenarios x units) as CSV (- : to "
                   "standard output; the places --out may not be, neither)")
    p.add_argument("--sobol", type=int, default=None, metavar="N",
                   help="also print Sobol' indices from N (d + 2) runs (N >= 2; a power of 2 keeps the Sobol' points "
                        "balanced, another N runs with a warning; default: none)")
    p.set_defaults(func=_cmd_audit)
