"""Notebook parameters: what each notebook declares, and the checks run before any kernel starts.

A notebook declares its parameters in its first code cell, tagged ``parameters``, as typed,
commented literals (papermill reads them: ``papermill --help-notebook``). The runner checks a
run's parameters twice before a kernel starts:

1. :func:`check_parameters`: every name is declared, every value has the declared type;
2. :func:`check_values`: every value a notebook will use (given, else its default) passes the
   rule :data:`PARAMETER_RULES` has for that name. The names are one vocabulary shared by the
   notebooks (``seed``, ``alpha``, ``top_n``, ``data`` ...); the allowed choices come from the
   modules that own them (``clustering.ALGORITHMS``, ``weighting.WEIGHT_METHODS`` ...), so a new
   method is allowed as soon as it exists.
"""
from __future__ import annotations

import ast
import difflib
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from cityeval.errors import CityevalError, DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_integer, check_number, check_power_of_two, check_seed

__all__ = ["parameter_names", "notebook_parameters", "coerce_value", "check_parameters", "check_values", "check_data",
           "resolve_paths", "PATH_PARAMETERS", "PARAMETER_RULES", "NOTEBOOK_RULES", "Needs", "notebook_needs",
           "check_needs", "NOTEBOOK_METHODS", "check_method", "walkthrough_method", "headline_method", "rules_for"]

#: Parameters that name a folder. A relative folder means relative to where the command runs; the kernel
#: runs in the notebooks' folder, so :func:`resolve_paths` makes them absolute first.
PATH_PARAMETERS = ("data", "published_dir")


def resolve_paths(parameters: dict) -> dict:
    """A copy of ``parameters`` with every non-empty folder (:data:`PATH_PARAMETERS`) made absolute
    against the current folder (an empty value keeps meaning "the embedded data")."""
    out = dict(parameters)
    for name in PATH_PARAMETERS:
        value = out.get(name)
        if isinstance(value, (str, Path)) and str(value):
            out[name] = str(Path(value).resolve())
    return out

def parameter_names(path) -> list[str]:
    """The names the notebook's ``parameters`` cell assigns, in order, read with :mod:`ast` (no papermill
    import: the kernel calls this through :func:`cityeval.notebook.results.record_results`, and importing
    papermill there cost 1.5 s per notebook). The same names :func:`notebook_parameters` returns."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            names = []
            for node in ast.parse("".join(cell["source"])).body:
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, ast.AnnAssign) else []
                names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
            return names
    return []


def notebook_parameters(path) -> dict:
    """The declared parameters of a notebook: ``{name: {"default": ..., "type": ..., "help": ...}}``."""
    import papermill

    declared = papermill.inspect_notebook(str(path))
    out = {}
    for name, info in declared.items():
        kind = info.get("inferred_type_name")
        if kind in (None, "None"):  # no annotation: infer from the default literal
            try:
                kind = type(ast.literal_eval(info.get("default"))).__name__
            except (ValueError, SyntaxError):
                kind = None
        out[name] = {"default": info.get("default"), "type": kind, "help": info.get("help", "")}
    return out


_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,)}


def coerce_value(text: str):
    """Turn a command-line value into a Python literal the way ``papermill -p`` does (YAML-like).

    >>> [coerce_value(v) for v in ("3", "-1e5", " -inf", "true", "minmax")]
    [3, -100000.0, -inf, True, 'minmax']
    """
    text = text.strip()
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def check_parameters(path, parameters: dict) -> dict:
    """Check ``parameters`` against the notebook's ``parameters`` cell before any kernel starts.

    Raises
    ------
    ParameterError
        An unknown name (listing the valid ones) or a value whose type differs from the default's.
    """
    declared = notebook_parameters(path)
    stem = Path(path).stem
    for name, value in parameters.items():
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(f"parameter {name!r} of notebook {stem}",
                                 f"one of {', '.join(declared) or '(none declared)'}{hint}", name)
        kind = declared[name]["type"]
        allowed = _TYPES.get(kind)
        if allowed and (not isinstance(value, allowed) or (kind != "bool" and isinstance(value, bool))):
            raise ParameterError(f"parameter {name!r} of notebook {stem}", f"of type {kind} "
                                 f"(default {declared[name]['default']})", value)
        if isinstance(value, float) and not math.isfinite(value):   # nan, inf, -inf: floats, never a setting
            raise ParameterError(f"parameter {name!r} of notebook {stem}", f"a finite number (type float, "
                                 f"default {declared[name]['default']})", value)
    return dict(parameters)


def _unit_count(data) -> int:
    from cityeval.composite.dataset import load_dataset
    from cityeval.notebook.panel import DEFAULT_DATA

    return len(load_dataset(_embedded(data) if data else DEFAULT_DATA).values)


def _in_range(name, lo, hi, *, lo_open=False, hi_open=False):
    return lambda value, ctx: check_number(name, value, low=lo, high=hi, low_open=lo_open, high_open=hi_open)


def _one_of(name, choices_fn):
    return lambda value, ctx: check_choice(name, value, sorted(choices_fn()))


def _at_least_one(name):
    return lambda value, ctx: check_integer(name, value, low=1, allowed="a positive whole number")


def _embedded(value) -> Path:
    """A folder parameter as the notebook will read it: a default that is relative (notebook 00's
    ``data/examples/toy``) is relative to :data:`cityeval.paths.ROOT`; given values were made absolute
    by :func:`resolve_paths`."""
    from cityeval import paths

    return paths.ROOT / value


def _rule_data(value, ctx):
    if value:
        check_data(_embedded(value))


def check_data(folder) -> None:
    """Load a dataset folder and score it with its own ``method.json``, so that a bad folder or
    method fails here, naming the file, before any kernel starts."""
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run

    run(load_dataset(folder))


def _power_of_two(name):
    def rule(value, ctx):
        check_power_of_two(name, value, low=2, example=512)
    return rule


def _rule_head(value, ctx):
    top_n = ctx.get("top_n")
    check_integer("head", value, low=1, high=top_n - 1 if isinstance(top_n, int) else None,
                  allowed=f"a whole number of cities between 1 and top_n - 1 ({top_n})")


def _rule_top_k(value, ctx):
    n = _unit_count(ctx.get("data"))
    check_integer("top_k_overall", value, low=1, high=n, allowed=f"a whole number between 1 and {n} (the cities in the data)")


def _indicator_code(name):
    def rule(value, ctx):
        from cityeval.composite.dataset import load_dataset
        from cityeval.notebook.panel import DEFAULT_DATA

        data = ctx.get("data")
        codes = load_dataset(_embedded(data) if data else DEFAULT_DATA).indicator_codes
        check_choice(name, value, codes)
    return rule


def _ratio_indicator_code(name):
    """Notebook 08's stand-ins: a raw (level-1) indicator with a true zero where higher is better, since a share of a
    total, a Gini or "half of the leader" is read on it (:func:`cityeval.analysis.concentration.ratio_scale`)."""
    def rule(value, ctx):
        from cityeval.analysis.concentration import ratio_scale
        from cityeval.composite.dataset import load_dataset
        from cityeval.notebook.panel import DEFAULT_DATA

        data = ctx.get("data")
        indicators = load_dataset(_embedded(data) if data else DEFAULT_DATA).indicators
        raw = list(indicators.index[indicators["level"] == 1])
        check_choice(name, value, raw)
        scale = ratio_scale(indicators, raw)
        ok = list(scale.index[scale["ratio_scale"] & (scale["direction"] == 1)])
        if value not in ok:
            raise ParameterError(name, "a ratio-scale level-1 indicator where higher is better (its share of a total "
                                 f"and its Gini need a true zero): {', '.join(ok)}",
                                 Shown(f"{value!r} ({scale.at[value, 'why']}; direction {scale.at[value, 'direction']})"))
    return rule


def _rule_top_n(value, ctx):
    n = _unit_count(ctx.get("data"))
    check_integer("top_n", value, low=3, high=n, allowed=f"a whole number between 3 and {n} (the cities in the data)")


def _rule_k(value, ctx):
    limit = ctx.get("top_n")
    check_integer("k", value, low=2, high=limit, allowed=f"a number of clusters between 2 and top_n ({limit})")


def _rule_city(value, ctx):
    from cityeval.ccid2022.reference import default_cities, suggest_city

    if value not in default_cities().index:
        hint = suggest_city(value)
        raise ParameterError("focus_city", "a city as printed in the report, e.g. 苏州市" +
                             (f" (did you mean {hint!r}?)" if hint else ""), value)


def _rule_published(value, ctx):
    if value:
        from cityeval.ccid2022.claims import load_published_data

        load_published_data(_embedded(value))


def _weightings():
    from cityeval.composite.weighting import WEIGHT_METHODS
    return WEIGHT_METHODS


def _normalizations():
    from cityeval.composite.normalization import NORMALIZE_METHODS
    return NORMALIZE_METHODS


def _aggregations():
    from cityeval.composite.aggregation import AGGREGATION_METHODS
    return AGGREGATION_METHODS


def _correlations():
    from cityeval.analysis.correlation import CORRELATION_METHODS
    return CORRELATION_METHODS


def _algorithms():
    from cityeval.analysis.clustering import ALGORITHMS
    return ALGORITHMS


def _returns():
    from cityeval.analysis.efficiency import RETURNS
    return (*RETURNS, "both")   # "both": the notebook shows each of the library's models


def _languages():
    from cityeval.notebook.labels import LANGUAGES
    return LANGUAGES


#: Checks of parameter values by name, run on every notebook that declares the name, before any kernel
#: starts (papermill itself does not check values). ``data`` is checked first: other rules may read it.
#: Each rule is ``rule(value, values)``, ``values`` being every parameter value of that notebook's run.
PARAMETER_RULES = {
    "data": _rule_data,
    "published_dir": _rule_published,
    "top_n": _rule_top_n,
    "k": _rule_k,
    "alpha": _in_range("alpha", 0, 1, lo_open=True, hi_open=True),
    "quantile": _in_range("quantile", 0, 1, lo_open=True, hi_open=True),
    "weak_fraction": _in_range("weak_fraction", 0, 1, lo_open=True, hi_open=True),
    "weight_perturbation": _in_range("weight_perturbation", 0, 1, hi_open=True),
    "seed": lambda value, ctx: check_seed(value),
    "ensemble_seed": lambda value, ctx: check_seed(value, name="ensemble_seed"),
    "ensemble_size": lambda value, ctx: check_integer("ensemble_size", value, low=0, high=1000,
                                                      allowed="a whole number between 0 (no ensemble) and 1000"),
    "n_sim": _at_least_one("n_sim"), "n_boot": _at_least_one("n_boot"), "n_perm": _at_least_one("n_perm"),
    "n": _at_least_one("n"), "n_sobol": _power_of_two("n_sobol"),
    "ensemble_scenarios": _at_least_one("ensemble_scenarios"), "ensemble_sobol": _power_of_two("ensemble_sobol"),
    "head": _rule_head,
    "top_k_overall": _rule_top_k,
    "tolerance": lambda value, ctx: check_integer("tolerance", value, low=0),
    "subject_code": _ratio_indicator_code("subject_code"),
    "transfer_code": _ratio_indicator_code("transfer_code"),
    "n_units": lambda value, ctx: check_integer("n_units", value, low=100, high=10_000),
    "weighting": _one_of("weighting", _weightings),
    "normalization": _one_of("normalization", _normalizations),
    "aggregation": _one_of("aggregation", _aggregations),
    "method": _one_of("method", _correlations),
    "algorithm": _one_of("algorithm", _algorithms),
    "returns": _one_of("returns", _returns),
    "focus_city": _rule_city,
    "lang": _one_of("lang", _languages),
    # notebook 00's min-max scale runs from scale_low to 100 (normalization._minmax needs low < high)
    "scale_low": _in_range("scale_low", None, 100, hi_open=True),
    "winmax": lambda value, ctx: check_integer("winmax", value, low=0),     # treatment's jrc: a count >= 0
    "standardize": lambda value, ctx: check_bool("standardize", value),
}


def _correlation_resamples(value, ctx):
    from cityeval.analysis.correlation import min_resamples

    low = min_resamples(0.95)   # notebook 02's intervals are 95% percentile-bootstrap intervals
    check_integer("n_boot", value, low=low,
                  allowed=f"a whole number >= {low} (each 2.5% tail of a 95% bootstrap interval needs a resample)")


#: Where one name means different things in two notebooks, the rule of the library call that notebook makes
#: (``n_boot`` of notebook 02 feeds the correlation's 95% bootstrap interval; of notebook 03, the stability of
#: the clustering, where any positive count works).
NOTEBOOK_RULES = {"02_innovation_correlation": {"n_boot": _correlation_resamples}}


def _folder(value) -> Path:
    """The dataset folder a ``data`` value means: the embedded synthetic panel when empty."""
    from cityeval.notebook.panel import DEFAULT_DATA

    return _embedded(value) if value else DEFAULT_DATA


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


def check_needs(notebook, data=None) -> None:
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
    ds = load_dataset(_folder(data))
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


def walkthrough_method(*, normalization, weighting, aggregation, scale_low, winmax) -> dict:
    """Notebook 00's method record, from its parameters (the JRC outlier rule, then the chosen stages).

    >>> walkthrough_method(normalization="rank", weighting="equal", aggregation="geometric", scale_low=1.0, winmax=5)
    {'treat': {'method': 'jrc', 'winmax': 5}, 'normalize': {'method': 'rank'}, 'weight': {'method': 'equal'}, 'aggregate': {'method': 'geometric'}}
    """
    normalize_options = {"low": scale_low, "high": 100} if normalization == "minmax" else {}
    return {"treat": {"method": "jrc", "winmax": winmax}, "normalize": {"method": normalization, **normalize_options},
            "weight": {"method": weighting}, "aggregate": {"method": aggregation}}


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


def _reason(exc, limit=300) -> str:
    text = str(exc).rstrip(".")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


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
    ds = load_dataset(_folder(values.get("data")))

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


def rules_for(notebook) -> dict:
    """``{name: rule}`` for every parameter the notebook declares (None where no rule exists: a test fails then).

    >>> from cityeval import paths
    >>> rules = rules_for(paths.NOTEBOOKS / "09_robustness.ipynb")
    >>> rules["n_sobol"] is PARAMETER_RULES["n_sobol"], None in rules.values()
    (True, False)
    """
    stem = Path(notebook).stem
    return {name: NOTEBOOK_RULES.get(stem, {}).get(name, PARAMETER_RULES.get(name)) for name in parameter_names(notebook)}


#: Rules run first, in this order: the data (later rules read it), then top_n (head and k are bounded by it).
_FIRST = ("data", "published_dir", "top_n")


def check_values(path, parameters: dict) -> None:
    """Check the values of a notebook's parameters (given, else the defaults) before its kernel starts.

    Every value passes the rule :data:`NOTEBOOK_RULES` or :data:`PARAMETER_RULES` has for its name; a
    ``data`` folder has what the notebook reads (:func:`check_needs`); a notebook that scores its data with
    a record built from its parameters can (:func:`check_method`).

    Raises
    ------
    ParameterError or DataError
        Naming the notebook, the parameter and what was expected.
    """
    declared = notebook_parameters(path)
    stem = Path(path).stem
    values, defaults = {}, {}
    for name, info in declared.items():
        try:
            defaults[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            if name not in parameters:
                continue
        values[name] = parameters[name] if name in parameters else defaults[name]
    order = sorted(values, key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n))
    rules = {n: NOTEBOOK_RULES.get(stem, {}).get(n, PARAMETER_RULES.get(n)) for n in values}
    for name in order:
        rule = rules[name]
        if rule is not None:
            try:
                rule(values[name], values)
            except ParameterError as exc:
                raise ParameterError(f"{exc.name} (notebook {stem})", exc.allowed, exc.received) from None
        if name == "data":
            check_needs(stem, values["data"])
    check_method(stem, values, defaults)
