"""``python -m cityeval validate PATH``: check a data file or folder without running anything.

PATH may be a dataset folder (``values.csv``, ``indicators.csv``, optional ``method.json``), a
folder of published tables (as ``data/published/ccid2022``), or one table named like the embedded
ones (``overall_top100.csv``, ``framework.csv``, ``one_thing_cities.csv``, ``claims.csv``,
``cities.csv``, ``provinces.csv``, ...); ``--as NAME`` says which table a file of another name is.
The first broken rule is reported with the file, line, column and what was expected.

A dataset folder gets exactly the checks ``score`` makes: it is loaded and scored with its
``method.json`` through every stage of the pipeline up to the ranks (a missing value under
imputation ``"none"``, a constant indicator, an option of the wrong type are refused here as
there, with the same message); the optional files the notebooks read (``ahp.json``,
``covariates.csv``) are read as they read them; nothing is written. ``--as`` is for a table
file only (given with a folder, it is an error).
"""
from __future__ import annotations

from pathlib import Path

from cityeval.ccid2022 import published
from cityeval.ccid2022 import reference
from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown

TABLES = {**{name: (lambda p, n=name: published.load_ranking(n, path=p)) for name in published.RANKINGS},
          "framework": lambda p: published.load_framework(path=p),
          "one_thing_cities": lambda p: published.load_one_thing_cities(path=p),
          "claims": lambda p: published.load_claims(path=p),
          "cities": lambda p: reference.load_cities(p),
          "provinces": lambda p: reference.load_provinces(p)}


def validate(path, *, as_name: str | None = None) -> str:
    """Validate ``path``; return a one-line description of what was checked, or raise the data error."""
    path = Path(path)
    if not path.exists() and path.suffix:
        raise DataError(path, "not found; expected a dataset folder, a folder of published tables or a table file")
    if as_name is not None and path.is_dir():    # --as names a table, never a folder
        raise ParameterError("--as", "given only for a table file (it says which table a file is; a folder is read "
                             "as a dataset or a folder of published tables)", Shown(f"{as_name!r}, for the folder {path}"))
    if not path.exists() or path.is_dir() and ((path / "values.csv").exists() or (path / "indicators.csv").exists()):
        return _validate_dataset(path)   # a missing folder: the dataset loader's message, as `score` gives
    if path.is_dir():
        from cityeval.ccid2022.claims import load_published_data

        data = load_published_data(path)
        return f"published tables: {', '.join(f'{k} ({len(v)})' for k, v in data.rankings.items())}"
    name = as_name or path.stem
    if name not in TABLES:
        raise ParameterError("--as", f"one of {', '.join(TABLES)} (the file's name did not say which table it is)",
                             name)
    frame = TABLES[name](path)
    return f"{name}: {len(frame)} rows"


def _validate_dataset(path: Path) -> str:
    """Load and score a dataset folder exactly as ``score`` does (the same two calls), writing nothing."""
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run
    from cityeval.notebook.needs import check_folder_files

    ds = load_dataset(path)
    result = run(ds)
    files = check_folder_files(path)    # the optional files the notebooks read (ahp.json, covariates.csv)
    kept = int(result.screening["included"].sum())
    return (f"dataset folder: {len(ds.values)} units, {len(ds.indicator_codes)} indicators; scored with "
            f"{'its method.json' if ds.method is not None else 'the default method'} "
            f"({kept} of {len(ds.values)} units kept, {len(result.aggregate_codes)} aggregate codes)"
            + (f"; read {', '.join(files)}" if files else ""))


def _cmd(args) -> int:
    print(f"ok: {args.path}: {validate(args.path, as_name=args.as_name)}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help="check a dataset folder or a published table without running anything",
                              description=__doc__.split("\n\n")[1])
    p.add_argument("path", help="dataset folder, folder of published tables, or one table (CSV)")
    from cityeval.cli.run import _Once

    p.add_argument("--as", dest="as_name", action=_Once, metavar="NAME", help=f"which table a file is: {', '.join(TABLES)}")
    p.set_defaults(func=_cmd)
