"""What a notebook needs before its kernel starts: the folder it reads, what that folder must hold, a method
its parameters build that scores it, and memory for its sizes.

:mod:`cityeval.notebook.parameters` checks each value against its rule, then calls these (and re-exports them):

- :func:`data_folder`: the dataset folder a notebook reads for its ``data`` value, resolved exactly as the
  notebook resolves it (an empty value is the embedded synthetic panel for every notebook that reads
  :func:`cityeval.notebook.panel.scored_panel`; notebook 00 reads ``paths.ROOT / data`` and has no embedded
  panel, so an empty value is refused there);
- :func:`notebook_needs` and :func:`check_needs`: the codes, names and group labels a notebook reads;
- :data:`NOTEBOOK_METHODS` and :func:`check_method`: the method record a notebook builds from its parameters;
- :data:`SIZES`, :func:`memory_estimates` and :func:`check_sizes`: each size parameter's memory estimate,
  refused (:func:`cityeval.progress.check_memory`) when it exceeds the memory available.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cityeval.errors import CityevalError, DataError, ParameterError
from cityeval.validation import Shown

__all__ = ["data_folder", "ROOT_RELATIVE", "check_folder_files", "Needs", "notebook_needs", "check_needs", "walkthrough_method",
           "headline_method", "NOTEBOOK_METHODS", "check_method", "SIZES", "NOT_SIZES", "memory_estimates",
           "check_sizes"]

#: Notebooks that read ``paths.ROOT / data`` (notebook 00: ``load_dataset(paths.ROOT / data)``): a relative
#: value is relative to the repository root, and an empty one would be the root itself (refused: they have no
#: embedded panel). Every other notebook reads ``scored_panel(data)``: empty is the embedded synthetic panel.
ROOT_RELATIVE = ("00_method_walkthrough",)


def _default_data(source: Path) -> str:
    """The default of the ``data`` parameter in the parameters cell of notebook ``source`` ("none" if it has none)."""
    import ast
    import json

    try:
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        for node in ast.parse("".join(cell["source"])).body:
            if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "data":
                return str(ast.literal_eval(node.value))
    except (OSError, ValueError, StopIteration, KeyError, SyntaxError):
        pass
    return "none"


def data_folder(notebook, value) -> Path:
    """The dataset folder ``notebook`` reads for its ``data`` parameter ``value``, as the notebook resolves it.

    The runner makes a value given on the command line absolute first
    (:func:`cityeval.notebook.parameters.resolve_paths`); a relative value left (a default) is resolved the way
    the notebook does: against :data:`cityeval.paths.ROOT` for :data:`ROOT_RELATIVE`, else against the kernel's
    folder, the notebooks' folder. Empty means the embedded synthetic panel
    (:data:`cityeval.notebook.panel.DEFAULT_DATA`), except for :data:`ROOT_RELATIVE`.

    Raises
    ------
    ParameterError
        An empty value for a notebook of :data:`ROOT_RELATIVE` (it would read the repository root).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.notebook.panel import DEFAULT_DATA
    >>> data_folder("03_capability_stages", "") == DEFAULT_DATA
    True
    >>> data_folder("00_method_walkthrough", "data/examples/toy") == paths.ROOT / "data" / "examples" / "toy"
    True
    >>> data_folder("00_method_walkthrough", "")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: data (notebook 00_method_walkthrough) should be a dataset folder (this notebook has no embedded panel: empty would read the repository root; its default is data/examples/lesson), but its value is ''.
    """
    from cityeval import paths
    from cityeval.notebook.panel import DEFAULT_DATA

    stem = Path(notebook).stem
    if stem in ROOT_RELATIVE:
        if not str(value):
            default = _default_data(paths.NOTEBOOKS / f"{stem}.ipynb")
            raise ParameterError(f"data (notebook {stem})", "a dataset folder (this notebook has no embedded panel: "
                                 f"empty would read the repository root; its default is {default})", value)
        return paths.ROOT / value
    return (paths.NOTEBOOKS / value) if str(value) else DEFAULT_DATA


def check_folder_files(folder) -> list[str]:
    """Read every optional file of a dataset folder that a notebook reads, as it reads it, so that a broken one
    fails here (the run's pre-check, ``validate``) naming the file, not inside a kernel. ``method.json`` is read
    (and scored) by the loader and the pipeline; this reads the others:

    - ``ahp.json`` (:data:`cityeval.composite.dataset.INDICATOR_FILES`): notebook 00 reads it whenever the folder
      has one (its AHP table, :func:`cityeval.notebook.walkthrough.ahp_table`: the matrices, their consistency
      ratios and weights), whatever its ``weighting``;
    - ``covariates.csv`` (:data:`cityeval.composite.dataset.UNIT_TABLES`): notebooks 04 and 06 read it
      (:func:`cityeval.analysis.polarization.load_covariates`).

    Returns
    -------
    list of str
        The names of the optional files found and read.

    Raises
    ------
    DataError
        Naming the file and what it should hold.

    Examples
    --------
    >>> from cityeval import paths
    >>> check_folder_files(paths.DATA / "examples" / "lesson"), check_folder_files(paths.DATA / "synthetic" / "ccid2022")
    (['ahp.json'], ['covariates.csv'])
    """
    from cityeval.analysis.polarization import load_covariates
    from cityeval.composite.dataset import load_dataset
    from cityeval.notebook.walkthrough import AHP_FILE, ahp_table

    ds = load_dataset(folder)
    found = []
    ahp = ds.path / AHP_FILE
    if ahp.exists():
        from cityeval.composite.method import read_json_object

        read_json_object(ahp, what="ahp.json")      # an object, strict JSON, named as itself
        try:
            ahp_table(ds.path, ds.indicators)
        except DataError:
            raise
        except ParameterError as exc:       # a matrix the library refuses (not positive, not reciprocal ...)
            raise DataError(ahp, "pairwise comparison matrices AHP can weigh with", detail=str(exc).rstrip(".")) \
                from None
        except (ValueError, TypeError, AttributeError) as exc:   # a matrix that is not a square list of numbers
            raise DataError(ahp, "for each parent a 'matrix' of numbers, one row and one column per code of "
                            "its 'codes'", detail=str(exc).rstrip(".")) from None
        found.append(AHP_FILE)
    covariates = ds.path / "covariates.csv"
    if covariates.exists():
        load_covariates(ds.path)
        found.append("covariates.csv")
    return found


@dataclass(frozen=True)
class Needs:
    """What a notebook reads from its dataset folder beyond a scored tree (checked by :func:`check_needs`).

    Attributes
    ----------
    dimensions : tuple of str
        Codes that must be children of the composite (the notebook reads their scores beside the others').
    scores : tuple of str
        Aggregate codes (level >= 2) the notebook reads by code.
    names_zh : tuple of str
        Aggregate indicators the notebook finds by their Chinese name (column ``name_zh``).
    groups : tuple of str
        A label every city needs: a column of ``values.csv``, else of ``data/reference/cities.csv``.
    measures : tuple of str
        Codes whose children must be tagged ``input`` and ``outcome`` (column ``measure``).
    """
    dimensions: tuple = ()
    scores: tuple = ()
    names_zh: tuple = ()
    groups: tuple = ()
    measures: tuple = ()


@functools.lru_cache(maxsize=None)
def notebook_needs() -> dict:
    """The one table of what each notebook needs in a ``data`` folder: ``{stem: Needs}``; a notebook not
    listed needs only a folder that scores. Taken from the library constants the notebooks use, else (a code
    written in the notebook) from the notebook itself; ``tests/notebook/test_parameters.py`` checks the table
    against the codes each notebook's cells name. (A function, so that the analyses are imported only by
    the runner, never by a kernel's ``record_results``.)

    >>> notebook_needs()["06_input_outcome_efficiency"].measures
    ('INF',)
    """
    from cityeval.analysis import concentration, efficiency, regional, typology

    return {
        # cell [2]: correlation_test(scores["TEC"], ...), composite_without(scores, dims, "TEC")
        "02_innovation_correlation": Needs(dimensions=("TEC",)),
        # cell [2]: polarization.require_indicators(scores, {"LIV_HEALTH": ..., "LIV_LIFE": ...})
        "04_healthcare_polarization": Needs(scores=("LIV_HEALTH", "LIV_LIFE")),
        # the dimensions regional.report_statements names (one SHORT_NAME each) and the two groups it tests
        "05_regional_patterns": Needs(dimensions=tuple(regional.SHORT_NAMES), groups=("region", "zone")),
        "06_input_outcome_efficiency": Needs(measures=(efficiency.FIG8_DIMENSION,)),
        "07_lowcarbon_typology": Needs(names_zh=tuple(typology.LOWCARBON_NAMES_ZH.values())),
        "08_innovation_concentration": Needs(names_zh=(concentration.INNOVATION_NAME_ZH,)),
    }


def _list(items, n=5) -> str:
    items = [str(i) for i in items]
    return ", ".join(items[:n]) + (f", ... ({len(items)} in all)" if len(items) > n else "")


def check_needs(notebook, data="") -> None:
    """Check that a dataset folder has what a notebook reads from it (:func:`notebook_needs`).

    Parameters
    ----------
    notebook : str or path-like
        The notebook (its path or stem).
    data : path-like, optional
        The dataset folder; default (or empty) the embedded synthetic panel.

    Raises
    ------
    DataError
        Naming the file, the notebook and the missing codes, names or group labels.

    Examples
    --------
    >>> from cityeval import paths
    >>> check_needs("02_innovation_correlation")                     # the embedded panel has TEC
    >>> check_needs("02_innovation_correlation", paths.ROOT / "data" / "examples" / "toy")
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: .../indicators.csv, column 'code': notebook 02_innovation_correlation needs the dimension TEC (a child of the composite index) (missing: TEC)
    """
    from cityeval.composite.dataset import load_dataset

    stem = Path(notebook).stem
    needs = notebook_needs().get(stem)
    if needs is None:
        return
    ds = load_dataset(data_folder(stem, data if data is not None else ""))
    meta = ds.indicators
    table = ds.path / "indicators.csv"
    aggregates = meta.index[meta["level"] >= 2]
    top = meta.index[meta["level"] == meta["level"].max()][0]
    dims = meta.index[meta["parent"] == top]
    for wanted, have, one, many in ((needs.dimensions, dims, f"dimension {{}} (a child of the composite {top})",
                                     f"dimensions {{}} (children of the composite {top})"),
                                    (needs.scores, aggregates, "indicator {} (an aggregate, level >= 2)",
                                     "indicators {} (aggregates, level >= 2)")):
        missing = [c for c in wanted if c not in have]
        if missing:
            what = (many if len(wanted) > 1 else one).format(", ".join(wanted))
            raise DataError(table, f"notebook {stem} needs the {what}", column="code",
                            detail=f"missing: {', '.join(missing)}")
    names = set(meta.loc[aggregates, "name_zh"])
    missing = [n for n in needs.names_zh if n not in names]
    if missing:
        raise DataError(table, f"notebook {stem} finds the aggregate indicator(s) {', '.join(needs.names_zh)} by "
                        "their Chinese name", column="name_zh", detail=f"missing: {', '.join(missing)}")
    for code in needs.measures:
        from cityeval.analysis.efficiency import measure_codes

        try:
            measure_codes(meta, code)
        except CityevalError as exc:
            why = f"{exc.rule}{f' ({exc.detail})' if exc.detail else ''}" if isinstance(exc, DataError) else \
                f"no indicator has the parent {code}"
            raise DataError(table, f"notebook {stem} needs the children of {code} tagged input and outcome",
                            column="measure", detail=why) from None
    for group in needs.groups:
        labels = _group_labels(ds, group)
        if labels.isna().any():
            raise DataError(ds.path / "values.csv", f"notebook {stem} needs a {group} for every city (a column "
                            f"of values.csv, or cities named in data/reference/cities.csv)", column=group,
                            detail=f"no {group} for {_list(labels.index[labels.isna()])}")


def _group_labels(ds, column):
    """A label per unit of ``ds`` for ``column``, as :meth:`cityeval.notebook.panel.ScoredPanel.groups` finds it."""
    import pandas as pd

    if column in ds.values.columns:
        return ds.values[column]
    from cityeval.ccid2022.reference import default_cities

    ref = default_cities()
    return ref[column].reindex(ds.values.index) if column in ref.columns else pd.Series(None, index=ds.values.index,
                                                                                          dtype=object)


def walkthrough_method(*, data, normalization, weighting, aggregation, scale_low, winmax) -> dict:
    """Notebook 00's method record: the ``method.json`` of its ``data`` folder, with only the stages its
    parameters name replaced (``""`` or ``None``: the folder's own;
    :func:`cityeval.notebook.walkthrough.walkthrough_record`). The pre-check scores the folder with it
    (:data:`NOTEBOOK_METHODS`), as the kernel does.

    Raises
    ------
    DataError
        Weighting ``"ahp"`` for a folder without ``ahp.json`` (or with judgements that do not fit its tree).

    Examples
    --------
    >>> m = walkthrough_method(data="data/examples/lesson", normalization="rank", weighting="", aggregation="geometric",
    ...                        scale_low=None, winmax=None)
    >>> m["treat"], m["normalize"], m["weight"], m["aggregate"]
    ({'method': 'jrc', 'winmax': 5, 'skew_thresh': 2.0, 'kurt_thresh': 3.5}, {'method': 'rank'}, {'method': 'equal'}, {'method': 'geometric'})
    >>> walkthrough_method(data="data/synthetic/ccid2022", normalization="minmax", weighting="",
    ...                    aggregation="", scale_low=1.0, winmax=None)["normalize"]
    {'method': 'minmax', 'high': 100, 'low': 1.0}
    """
    from cityeval.composite.dataset import load_dataset
    from cityeval.notebook.walkthrough import walkthrough_record

    ds = load_dataset(data_folder("00_method_walkthrough", data))
    return walkthrough_record(ds, normalization=normalization, weighting=weighting, aggregation=aggregation,
                              scale_low=scale_low, winmax=winmax)


def headline_method(*, weighting, normalization) -> dict:
    """Notebook 02's record for its headline scoring (the rest of the default method unchanged).

    >>> headline_method(weighting="entropy", normalization="minmax")
    {'weight': {'method': 'entropy'}, 'normalize': {'method': 'minmax'}}
    """
    return {"weight": {"method": weighting}, "normalize": {"method": normalization}}


#: Notebooks that score their data with a record built from their parameters: the builder, whose keyword
#: names are those parameters. A method a stage's registry has may still need options the notebook never
#: gives (``goalposts``, ``ahp``, ``generalized``), or not combine with the others (a z-score before a
#: geometric mean): the pre-check scores the data with the record, as the kernel would.
NOTEBOOK_METHODS = {"00_method_walkthrough": walkthrough_method, "02_innovation_correlation": headline_method}


def _reason(exc) -> str:
    # Whole, never cut to a length: the reason names paths, so a cut would fall elsewhere on each machine.
    return str(exc).rstrip(".")


def check_method(notebook, values: dict, defaults: dict | None = None) -> None:
    """Score the notebook's data with the record its parameters build (:data:`NOTEBOOK_METHODS`).

    The parameter blamed is the first that fails alone (the others at their defaults); else the ones given,
    together.

    Raises
    ------
    ParameterError
        Naming the parameter(s), the notebook and the library's reason.
    """
    import inspect

    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run

    stem = Path(notebook).stem
    build = NOTEBOOK_METHODS.get(stem)
    if build is None:
        return
    names = list(inspect.signature(build).parameters)
    defaults = {**values, **(defaults or {})}
    # the data folder is what the choices are tried on, never a choice blamed: it is checked as a folder elsewhere
    defaults.update({n: values[n] for n in ("data",) if n in values})
    ds = load_dataset(data_folder(stem, values.get("data", "")))

    def failure(choice):
        try:
            run(ds, build(**{n: choice[n] for n in names}))
        except CityevalError as exc:
            return exc
        return None

    exc = failure(values)
    if exc is None:
        return
    changed = [n for n in names if values[n] != defaults[n] or type(values[n]) is not type(defaults[n])]
    for name in changed:
        alone = failure({**defaults, name: values[name]})
        if alone is not None:
            raise ParameterError(f"{name} (notebook {stem})", f"a choice the notebook can score {ds.path} with "
                                 f"({_reason(alone)})", values[name])
    if not changed:
        raise exc
    raise ParameterError(f"{' and '.join(changed)} (notebook {stem})", f"choices the notebook can score {ds.path} "
                         f"with together ({_reason(exc)})", Shown(", ".join(f"{n}={values[n]!r}" for n in changed)))


# ----------------------------------------------------------------------------- memory of the sizes
#: Integer parameters that set no allocation of their own, and why (every other integer parameter of a
#: notebook is a size: it needs an estimate in :data:`SIZES`; ``tests/notebook/test_parameters.py`` checks).
NOT_SIZES = {
    "seed": "a seed", "ensemble_seed": "a seed",
    "top_n": "cities kept, at most the cities of the data (whose memory the data's loading already took)",
    "k": "clusters, at most top_n", "head": "cities, below top_n", "top_k_overall": "cities, at most the data's",
    "tolerance": "a number of rank places, compared, never allocated",
    "winmax": "points winsorised per indicator, at most the data's cities",
}

#: Simulated separations of notebook 04's power analysis (``np.arange(0.0, 7.01, 0.25)`` in its cell [2]).
POWER_SEPARATIONS = 29


@dataclass(frozen=True)
class _Data:
    """What the estimates read of the data a notebook runs on."""
    units: int          # cities in the data
    kept: int           # cities the analyses use: min(top_n, units)
    dimensions: int     # children of the composite
    codes: int          # every indicator and aggregate
    embedded: bool      # the embedded synthetic panel (the only data with an ensemble)
    design: object      # notebook 09's audit design, else None


def _ensemble_bytes(v, d):
    """The scored members kept by :func:`cityeval.notebook.spread.ensemble_panels`: per member its values and
    about seven frames of its scoring (treated, normalized, scores, weights ...), 8 bytes per city and code."""
    return v["ensemble_size"] * 8 * 8 * d.units * d.codes if d.embedded else 0


def _truncation_bytes(v, d):
    """Notebook 01's truncation study (:func:`cityeval.analysis.rank_agreement.truncated_agreement_pairs`): at
    most 16 arrays of ``n_sim`` x ``n_units`` 8-byte numbers alive at once (the deviates, the t mixing variable,
    the scores, the sorted cut, the lists' overlaps and their re-ranks)."""
    return 16 * 8 * v["n_sim"] * v["n_units"]


def _correlation_bytes(v, d):
    """Notebook 02's bootstrap and permutation test (``scipy.stats.bootstrap`` and ``permutation_test``,
    vectorized, all resamples at once): 16 arrays of ``n_boot`` x cities 8-byte numbers (indices, resampled x
    and y, their deviations and products)."""
    return 16 * 8 * v["n_boot"] * d.kept


def _clustering_bytes(v, d):
    """Notebook 03's bootstrap of the clustering (``_clustering_stability._bootstrap_ari``): per resample the
    indices and labels (n), the resampled data (n, d), the one-hot labels and distances (n, k) and their
    differences (n, k, d), k up to max(k, 6) (the candidates of ``stability_by_k``); doubled for the batched
    k-means' own temporaries."""
    ks = max(v.get("k", 3), 6)
    return 2 * 8 * v["n_boot"] * d.kept * (3 + d.dimensions + 3 * ks * (d.dimensions + 1))


def _reference_bytes(v, d):
    """Notebook 03's gap statistic (:func:`cityeval.analysis.clustering.choose_k`): the stack of ``n_refs`` reference
    data sets (n_refs, n, d) and, for k-means, the batched fits' labels and distances (n_refs, n, k) per start,
    k up to 6; doubled for the reference kinds (PCA box and uniform) held at once."""
    return 2 * 8 * v["n_refs"] * d.kept * (d.dimensions + 2 * 6)


def _power_bytes(v, d):
    """Notebook 04's power simulation (:func:`cityeval.analysis.polarization.mixture_power`): the samples of every
    separation, (29, n_sim, n), and the batched mixture fits' 16 arrays of that shape; plus the likelihood-ratio
    test's null bootstrap (``N_BOOT`` samples of n, 16 arrays)."""
    from cityeval.analysis.polarization import N_BOOT

    return 16 * 8 * d.kept * (POWER_SEPARATIONS * v["n_sim"] + N_BOOT) + 2 * 8 * v["n_sim"] * d.kept


def _permutation_bytes(v, d):
    """Notebook 05's permutation tests: ``scipy.stats.permutation_test`` (vectorized: 16 arrays of n_perm x
    cities) and the Jonckheere-Terpstra statistics (one 8-byte number per permutation and column)."""
    return 16 * 8 * v["n_perm"] * d.kept + 8 * v["n_perm"] * (d.dimensions + 1)


def _audit(kind):
    """Notebook 09's audits (:func:`cityeval.audit.audit_memory`, the estimate ``audit`` itself refuses with):
    the Monte Carlo of ``n`` scenarios with its rank matrix kept, the Sobol' analysis of ``n_sobol`` rows with
    its bootstrap, and each ensemble panel's smaller audit (``ensemble_scenarios``, ``ensemble_sobol``, no
    bootstrap) beside the ensemble's panels."""
    from cityeval.audit.sizes import audit_memory

    def estimate(v, d):
        if kind == "n":
            return audit_memory(d.design, v["n"], return_ranks=True).uncertainty
        if kind == "n_sobol":
            return audit_memory(d.design, 0, sobol=v["n_sobol"]).sensitivity
        if kind == "ensemble_scenarios":
            return audit_memory(d.design, v["ensemble_scenarios"], return_ranks=True).uncertainty + _ensemble_bytes(v, d)
        return audit_memory(d.design, 0, sobol=v["ensemble_sobol"], n_boot=0).sensitivity + _ensemble_bytes(v, d)
    estimate.__doc__ = _audit.__doc__
    return estimate


_ENSEMBLE = (_ensemble_bytes, "a number of ensemble panels")

#: The size parameters of each notebook: ``{stem: {name: (estimate(values, data) -> bytes, what it counts)}}``.
#: Each estimate is an upper bound of the arrays the notebook's library calls allocate for that size (read from
#: their code: the docstrings of the estimators say which), not of Python's own overhead.
SIZES = {
    "01_published_claims": {"n_sim": (_truncation_bytes, "a number of simulations"),
                            "n_units": (_truncation_bytes, "a number of cities simulated")},
    "02_innovation_correlation": {"n_boot": (_correlation_bytes, "a number of resamples"), "ensemble_size": _ENSEMBLE},
    "03_capability_stages": {"n_boot": (_clustering_bytes, "a number of resamples"),
                             "n_refs": (_reference_bytes, "a number of reference data sets"), "ensemble_size": _ENSEMBLE},
    "04_healthcare_polarization": {"n_sim": (_power_bytes, "a number of simulations"), "ensemble_size": _ENSEMBLE},
    "05_regional_patterns": {"n_perm": (_permutation_bytes, "a number of permutations"), "ensemble_size": _ENSEMBLE},
    "06_input_outcome_efficiency": {"ensemble_size": _ENSEMBLE},
    "07_lowcarbon_typology": {"ensemble_size": _ENSEMBLE},
    "08_innovation_concentration": {"ensemble_size": _ENSEMBLE},
    "09_robustness": {"n": (_audit("n"), "a number of scenarios with the rank matrix kept"),
                      "n_sobol": (_audit("n_sobol"), "a number of Sobol' rows"),
                      "ensemble_scenarios": (_audit("ensemble_scenarios"), "a number of scenarios per ensemble panel"),
                      "ensemble_sobol": (_audit("ensemble_sobol"), "a number of Sobol' rows per ensemble panel"),
                      "ensemble_size": _ENSEMBLE},
}


def _data(stem, values) -> _Data:
    from cityeval.composite.dataset import load_dataset
    from cityeval.notebook.panel import DEFAULT_DATA

    if "data" not in values:
        return _Data(0, 0, 0, 0, False, None)
    folder = data_folder(stem, values["data"])
    ds = load_dataset(folder)
    meta = ds.indicators
    top = meta.index[meta["level"] == meta["level"].max()][0]
    units = len(ds.values)
    top_n = values.get("top_n", units)
    design = None
    if stem == "09_robustness":     # the design cell [2] of the notebook prepares
        from cityeval import audit

        spec = audit.alternatives_spec(range(1, ds.top_level), values["weight_perturbation"], target=top)
        design = audit.prepare(ds, spec)
    return _Data(units=units, kept=min(top_n, units), dimensions=int((meta["parent"] == top).sum()), codes=len(meta),
                 embedded=Path(folder).resolve() == DEFAULT_DATA.resolve(), design=design)


def memory_estimates(notebook, values: dict) -> dict:
    """``{name: (bytes, what)}``: the memory estimate of each size parameter of ``notebook`` (:data:`SIZES`)
    for the parameter values ``values`` (every value the notebook uses, checked by its rule).

    >>> est = memory_estimates("04_healthcare_polarization", {"data": "", "top_n": 100, "n_sim": 500,
    ...                                                      "ensemble_size": 0})
    >>> est["n_sim"][0], est["ensemble_size"][0]      # 16 x 8 x 100 x (29 x 500 + 4999) + 2 x 8 x 500 x 100
    (250387200, 0)
    """
    stem = Path(notebook).stem
    sizes = {n: s for n, s in SIZES.get(stem, {}).items() if n in values}
    if not sizes:
        return {}
    data = _data(stem, values)
    return {name: (int(estimate(values, data)), what) for name, (estimate, what) in sizes.items()}


def check_sizes(notebook, values: dict, given=(), *, available: int | None = None) -> None:
    """Refuse a size whose memory estimate (:func:`memory_estimates`) exceeds the memory available, before any
    kernel starts; the sizes in ``given`` (those the run set) are checked first, so that the message names the
    one changed.

    Parameters
    ----------
    notebook : str or path-like
        The notebook (its path or stem).
    values : dict
        Every parameter value the notebook uses (given, else its default), each checked by its rule.
    given : iterable of str, optional
        The names the run set.
    available : int, optional
        Bytes available; default :func:`cityeval.progress.available_memory` (no check when it is unknown).

    Raises
    ------
    ParameterError
        Naming the parameter and the notebook, with the estimate and the memory available.

    Examples
    --------
    >>> check_sizes("01_published_claims", {"n_sim": 2000, "n_units": 293}, available=2**30)
    >>> check_sizes("01_published_claims", {"n_sim": 10**8, "n_units": 293}, ["n_sim"], available=2**30)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: n_sim (notebook 01_published_claims) should be a number of simulations whose memory estimate fits in the memory available (1.0 GiB), but its value is 100000000 (an estimated 3.4 TiB).
    """
    from cityeval.progress import available_memory, check_memory

    stem = Path(notebook).stem
    if not SIZES.get(stem):
        return
    if available is None:
        available = available_memory()
    if available is None:
        return
    estimates = memory_estimates(stem, values)
    for name in sorted(estimates, key=lambda n: n not in given):
        nbytes, what = estimates[name]
        check_memory(f"{name} (notebook {stem})", values[name], nbytes, what=what, available=available)
