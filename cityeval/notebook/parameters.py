"""Notebook parameters: what each notebook declares, and the checks run before any kernel starts.

A notebook declares its parameters in its first code cell, tagged ``parameters``, as typed,
commented literals (papermill reads them: ``papermill --help-notebook``). The runner checks a
run's parameters twice before a kernel starts:

1. :func:`check_parameters`: every name is declared, every value has the declared type;
2. :func:`check_values`: every value a notebook will use (given, else its default) passes the
   rule :data:`PARAMETER_RULES` has for that name. The names are one vocabulary shared by the
   notebooks (``seed``, ``alpha``, ``top_n``, ``data`` ...); the allowed choices come from the
   modules that own them (``clustering.ALGORITHMS``, ``weighting.WEIGHT_METHODS`` ...), so a new
   method is allowed as soon as it exists; then the folder each notebook reads, what it must hold, the method its
   parameters build and the memory its sizes need (:mod:`cityeval.notebook.needs`, re-exported here).
"""
from __future__ import annotations

import ast
import difflib
import json
import math
import re
from pathlib import Path

from cityeval.errors import CityevalError, ParameterError
from cityeval.notebook.needs import (NOTEBOOK_METHODS, Needs, check_folder_files, check_method, check_needs, check_sizes, data_folder,
                                     headline_method, notebook_needs, walkthrough_method)
from cityeval.validation import Shown, check_bool, check_choice, check_integer, check_number, check_power_of_two, check_seed

__all__ = ["parameter_names", "notebook_parameters", "coerce_value", "check_parameters", "check_values", "check_data",
           "resolve_paths", "PATH_PARAMETERS", "PARAMETER_RULES", "NOTEBOOK_RULES", "Needs", "notebook_needs",
           "check_needs", "NOTEBOOK_METHODS", "check_method", "walkthrough_method", "headline_method", "rules_for",
           "data_folder", "check_sizes", "check_names", "check_dependent", "ENSEMBLE_ONLY", "UnknownParameter", "CHOICES", "parameter_choices",
           "listed_values"]

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

class UnknownParameter(ParameterError):
    """A parameter name that no notebook chosen declares: names the notebook(s), their parameters, and the
    notebooks that do have the name (one line, as every :class:`ParameterError`).

    Parameters
    ----------
    name : str
        The name given (``-p NAME VALUE``).
    chosen : dict
        ``{stem: [its parameter names]}`` of the notebooks chosen.
    takers : list of str
        The stems of the notebooks (all of the folder) that declare ``name``.

    Examples
    --------
    >>> print(UnknownParameter("alpha", {"02_x": ["top_n", "seed"]}, ["04_y", "05_z"]))
    notebook 02_x has no parameter 'alpha' (its parameters: top_n, seed); 'alpha' is a parameter of 04_y, 05_z (choose one with --only).
    >>> print(UnknownParameter("topn", {"02_x": ["top_n"], "03_y": ["top_n", "k"]}, []))
    none of the notebooks chosen (02_x, 03_y) has a parameter 'topn' (their parameters: top_n, k; did you mean 'top_n'?); no notebook has one.
    """

    def __init__(self, name, chosen: dict, takers):
        names = list(dict.fromkeys(n for declared in chosen.values() for n in declared))
        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listed = ", ".join(names) or "none"
        if len(chosen) == 1:
            where = f"notebook {next(iter(chosen))} has no parameter {name!r} (its parameters: {listed}{hint})"
        else:
            where = (f"none of the notebooks chosen ({', '.join(chosen)}) has a parameter {name!r} "
                     f"(their parameters: {listed}{hint})")
        others = (f"{name!r} is a parameter of {', '.join(takers)} (choose one with --only)" if takers
                  else "no notebook has one")
        self.name, self.allowed, self.received = name, f"a parameter of {', '.join(chosen)}", name
        CityevalError.__init__(self, f"{where}; {others}.")


def _siblings(path) -> list[Path]:
    """The notebooks of ``path``'s folder (as :func:`cityeval.notebook.runner.list_notebooks` lists them)."""
    return sorted(Path(path).parent.glob("[0-9]*.ipynb"))


def _takers(name, notebooks) -> list[str]:
    return [p.stem for p in notebooks if name in parameter_names(p)]


def check_names(chosen, parameters, every=()) -> None:
    """Refuse a parameter name that none of the ``chosen`` notebooks declares, before anything else is checked.

    Parameters
    ----------
    chosen : list of Path
        The notebooks of the run.
    parameters : iterable of str
        The names given.
    every : list of Path, optional
        All the notebooks (to say which ones have the name); default: those of the chosen ones' folder.

    Raises
    ------
    UnknownParameter
        Naming the notebook(s) chosen, their parameters, and the notebooks that have the name.

    Examples
    --------
    >>> from cityeval import paths
    >>> check_names([paths.NOTEBOOKS / "09_robustness.ipynb"], ["n_sobol"])
    >>> check_names([paths.NOTEBOOKS / "09_robustness.ipynb"], ["k"])
    Traceback (most recent call last):
    cityeval.notebook.parameters.UnknownParameter: notebook 09_robustness has no parameter 'k' (its parameters: ...); 'k' is a parameter of 03_capability_stages (choose one with --only).
    """
    chosen = [Path(p) for p in chosen]
    declared = {p.stem: parameter_names(p) for p in chosen}
    for name in parameters:
        if not any(name in names for names in declared.values()):
            raise UnknownParameter(name, declared, _takers(name, list(every) or _siblings(chosen[0])))


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
    """The declared parameters of a notebook: ``{name: {"default": ..., "type": ..., "help": ...}}``, read by
    papermill's rules without importing papermill (:func:`cityeval.notebook._cells.declared_parameters`)."""
    from cityeval.notebook._cells import declared_parameters

    declared = declared_parameters(path)
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
            raise UnknownParameter(name, {stem: list(declared)}, _takers(name, _siblings(path)))
        kind = declared[name]["type"]
        allowed = _TYPES.get(kind)
        if allowed and (not isinstance(value, allowed) or (kind != "bool" and isinstance(value, bool))):
            raise ParameterError(f"parameter {name!r} of notebook {stem}", f"of type {kind} "
                                 f"(default {declared[name]['default']})", value)
        if isinstance(value, float) and not math.isfinite(value):   # nan, inf, -inf: floats, never a setting
            raise ParameterError(f"parameter {name!r} of notebook {stem}", f"a finite number (type float, "
                                 f"default {declared[name]['default']})", value)
    return dict(parameters)


def _dataset(data):
    """The dataset a rule reads: ``data`` as :func:`check_values` resolved it (:func:`data_folder`), else the
    embedded synthetic panel (a notebook without a ``data`` parameter, or a rule called on its own)."""
    from cityeval.composite.dataset import load_dataset
    from cityeval.notebook.panel import DEFAULT_DATA

    return load_dataset(Path(data) if data else DEFAULT_DATA)


def _unit_count(data) -> int:
    return len(_dataset(data).values)


def _in_range(name, lo, hi, *, lo_open=False, hi_open=False):
    return lambda value, ctx: check_number(name, value, low=lo, high=hi, low_open=lo_open, high_open=hi_open)


def _one_of(name, choices_fn):
    return lambda value, ctx: check_choice(name, value, sorted(choices_fn()))


def _choice(name):
    """The rule of a parameter with fixed choices (:data:`CHOICES`)."""
    return _one_of(name, CHOICES[name])


def _at_least_one(name):
    return lambda value, ctx: check_integer(name, value, low=1, allowed="a positive whole number")


def _rule_data(value, ctx):
    check_data(value)     # check_values resolved it first: the folder the notebook reads (data_folder)


def check_data(folder) -> None:
    """Load a dataset folder and score it with its own ``method.json``, and read every optional file a notebook
    reads from it (``ahp.json``, ``covariates.csv``: :func:`cityeval.notebook.needs.check_folder_files`), so that a
    bad folder, method or file fails here, naming the file, before any kernel starts."""
    from cityeval.composite.dataset import load_dataset
    from cityeval.composite.pipeline import run

    run(load_dataset(folder))
    check_folder_files(folder)


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
        codes = _dataset(ctx.get("data")).indicator_codes
        check_choice(name, value, codes)
    return rule


def _ratio_indicator_code(name):
    """Notebook 08's stand-ins: a raw (level-1) indicator with a true zero where higher is better, since a share of a
    total, a Gini or "half of the leader" is read on it (:func:`cityeval.analysis.concentration.ratio_scale`)."""
    def rule(value, ctx):
        from cityeval.analysis.concentration import ratio_scale

        indicators = _dataset(ctx.get("data")).indicators
        raw = list(indicators.index[indicators["level"] == 1])
        check_choice(name, value, raw)
        scale = ratio_scale(indicators, raw)
        ok = list(scale.index[scale["ratio_scale"] & (scale["direction"] == 1)])
        if value not in ok:
            raise ParameterError(name, "a ratio-scale level-1 indicator where higher is better (its share of a total "
                                 f"and its Gini need a true zero): {', '.join(ok)}",
                                 Shown(f"{value!r} ({scale.at[value, 'why']}; direction {scale.at[value, 'direction']})"))
    return rule


def _rule_top_n(value, ctx, *, low=3, why=""):
    n = _unit_count(ctx.get("data"))
    check_integer("top_n", value, low=low, high=n,
                  allowed=f"a whole number between {low} and {n} (the cities in the data){why}")


def _top_n_at_least(low, why):
    """The rule of ``top_n`` for a notebook whose library calls need ``low`` cities or more (``why`` says which)."""
    return lambda value, ctx: _rule_top_n(value, ctx, low=low, why=f"; at least {low}: {why}")


def _correlation_top_n(value, ctx):
    from cityeval.analysis.correlation import MIN_PAIRS

    _rule_top_n(value, ctx, low=MIN_PAIRS, why=f"; at least {MIN_PAIRS}: a correlation test needs {MIN_PAIRS} pairs "
                                               "(cityeval.analysis.correlation.MIN_PAIRS)")


#: Notebook 04's bimodality summary fits two-component mixtures (cityeval.analysis.polarization.bimodality_summary:
#: a sample of at least 6 values, ``_polarization_mixture._sample``).
POLARIZATION_MIN_CITIES = 6
#: Notebook 03's ensemble statistics compare k = 3 with k = 4 (``EnsembleStatistics`` needs both among
#: ``candidate_ks``: 1 ... min(6, n - 1)), so n - 1 >= 4.
CLUSTERING_MIN_CITIES = 5


def _clustering_top_n(value, ctx):
    """Notebook 03: at least :data:`CLUSTERING_MIN_CITIES` cities, and the top_n cities of the data must take the
    clustering its ``k`` and ``algorithm`` ask for (a Gaussian mixture of 3 components needs more cities than 3
    means do: each component the most probable one of enough cities), with every algorithm (the comparison across
    algorithms clusters the same cities with each), tried with the library calls of its cells (``stages.cluster``,
    ``stages.EnsembleStatistics``: a fraction of a second)."""
    from cityeval.analysis import clustering as stages
    from cityeval.notebook.panel import scored_panel

    _rule_top_n(value, ctx, low=CLUSTERING_MIN_CITIES,
                why=f"; at least {CLUSTERING_MIN_CITIES}: the notebook compares k = 3 with k = 4 clusters, which needs "
                    "k up to n - 1 >= 4")
    k, algorithm = ctx.get("k", 3), ctx.get("algorithm", "kmeans")
    seed, standardize = ctx.get("seed", 0), ctx.get("standardize", True)
    if not (isinstance(k, int) and not isinstance(k, bool) and 2 <= k <= value and algorithm in stages.ALGORITHMS
            and isinstance(standardize, bool) and isinstance(seed, int)):
        return      # their own rules name them
    panel = scored_panel(ctx.get("data") or None, top_n=value)
    X = panel.scores[panel.dimensions]
    try:
        for alg in (algorithm, *[a for a in stages.ALGORITHMS if a != algorithm]):   # cell [13] clusters with each
            try:
                stages.cluster(X, k=k, algorithm=alg, seed=seed, standardize=standardize)
            except CityevalError as exc:
                if alg == algorithm:
                    raise
                raise CityevalError(f"the comparison across algorithms clusters them with {alg!r} too: "
                                    f"{_plain(exc)}") from None
        # the ensemble block's statistics on these cities, at the smallest sizes: the fits on the cities themselves
        # are those of the notebook, and the check costs 0.1-1 s instead of 3 s (k-means) or 35 s (gmm)
        stages.EnsembleStatistics(ks=stages.candidate_ks(X), algorithm=algorithm, seed=seed, standardize=standardize,
                                  n_refs=2, n_boot=1, n_sim=1)(panel)
    except CityevalError as exc:
        raise ParameterError("top_n", f"a number of cities the notebook can cluster into k = {k} clusters with "
                             f"algorithm {algorithm!r} ({_plain(exc)}; keep more cities, or choose fewer clusters or "
                             "another algorithm)", value) from None


def _plain(exc) -> str:
    return str(exc).replace("<data>: ", "").rstrip(".")


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

        from cityeval import paths

        load_published_data(paths.NOTEBOOKS / value)   # as the kernel reads it, from the notebooks' folder


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


#: Parameters whose pre-check accepts a fixed set of choices, each read from the module that owns them (so a new
#: method is a choice as soon as it exists): ``{name: function returning the choices}``.
CHOICES = {"weighting": _weightings, "normalization": _normalizations, "aggregation": _aggregations,
           "method": _correlations, "algorithm": _algorithms, "returns": _returns, "lang": _languages}


def parameter_choices(name) -> list[str] | None:
    """The choices the pre-check of parameter ``name`` accepts (sorted), or ``None`` when its values are not a
    fixed set (a number, a folder, a city). A notebook may still refuse a choice its data cannot support
    (:func:`check_method`: ``ahp`` needs a comparison matrix), with the library's reason.

    >>> parameter_choices("returns"), parameter_choices("top_n")
    (['both', 'crs', 'vrs'], None)
    """
    return sorted(CHOICES[name]()) if name in CHOICES else None


_PARENTHESES = re.compile(r"\([^()]*\)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def listed_values(comment: str) -> list[str] | None:
    """The values a parameter's comment lists, or ``None`` when it lists none.

    A list is the part after the comment's last colon (or the whole comment), parentheses removed, split at
    commas and "or": every item one word (``minmax, zscore or rank``). A comment whose items are not all single
    words (a sentence) lists nothing.

    >>> listed_values("page language: en (English) or zh (Chinese, with the packaged Noto Sans SC font)")
    ['en', 'zh']
    >>> listed_values("kmeans, ward or gmm"), listed_values("seed of the bootstrap")
    (['kmeans', 'ward', 'gmm'], None)
    """
    text = comment or ""
    while _PARENTHESES.search(text):
        text = _PARENTHESES.sub("", text)
    text = text.rsplit(":", 1)[-1]
    items = [item.strip() for part in text.split(",") for item in re.split(r"\bor\b", part)]
    items = [item for item in items if item]
    if len(items) < 2 or not all(_IDENTIFIER.fullmatch(item) for item in items):
        return None
    return items


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
    # notebook 03's gap statistic: reference data sets, at least 2 (its standard error; clustering.choose_k)
    "n_refs": lambda value, ctx: check_integer("n_refs", value, low=2),
    "ensemble_scenarios": _at_least_one("ensemble_scenarios"), "ensemble_sobol": _power_of_two("ensemble_sobol"),
    "head": _rule_head,
    "top_k_overall": _rule_top_k,
    "tolerance": lambda value, ctx: check_integer("tolerance", value, low=0),
    "subject_code": _ratio_indicator_code("subject_code"),
    "transfer_code": _ratio_indicator_code("transfer_code"),
    "n_units": lambda value, ctx: check_integer("n_units", value, low=100, high=10_000),
    **{name: _choice(name) for name in ("weighting", "normalization", "aggregation", "method", "algorithm",
                                         "returns", "lang")},
    "focus_city": _rule_city,
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
def _whatif_top_n(value, ctx):
    # notebook 10 shows every city when top_n exceeds them (cityeval.notebook.whatif.build), so its default of 25
    # runs on a folder of 8 cities too
    return check_integer("top_n", value, low=3,
                         allowed="a whole number of cities, at least 3 (more than the cities in the data shows every city)")


def _regional_top_n(value, ctx):
    # notebook 05 tests the regions the report compares with the national mean: each needs two cities among the
    # top_n (cityeval.analysis.regional.require_compared_regions, which the kernel calls too); checked here first
    from cityeval.analysis import regional
    from cityeval.errors import DataError
    from cityeval.notebook.panel import scored_panel

    _rule_top_n(value, ctx)
    panel = scored_panel(ctx.get("data") or None, top_n=value)
    try:
        groups = regional.require_groups(panel.scores.index, region=panel.groups("region"), zone=panel.groups("zone"))
    except DataError:
        return          # no regions: the needs check names what is missing
    regional.require_compared_regions(groups["region"], top_n=value)


def _folders_or(rule, empty, what):
    """A rule that accepts ``empty`` (the folder's own method) and else runs ``rule``, naming both in its message."""
    def check(value, ctx):
        if value == empty and type(value) is type(empty):
            return
        try:
            rule(value, ctx)
        except ParameterError as exc:
            raise ParameterError(exc.name, f"{what} or {exc.allowed}", exc.received) from None
    return check


_WALKTHROUGH_RULES = {
    **{name: _folders_or(_choice(name), "", "'' (the folder's method.json)")
       for name in ("normalization", "weighting", "aggregation")},
    "scale_low": _folders_or(PARAMETER_RULES["scale_low"], None, "None (the folder's min-max scale)"),
    "winmax": _folders_or(PARAMETER_RULES["winmax"], None, "None (the folder's outlier treatment)"),
}

NOTEBOOK_RULES = {"00_method_walkthrough": _WALKTHROUGH_RULES,
                  "02_innovation_correlation": {"n_boot": _correlation_resamples, "top_n": _correlation_top_n},
                  "03_capability_stages": {"top_n": _clustering_top_n},
                  "04_healthcare_polarization": {"top_n": _top_n_at_least(
                      POLARIZATION_MIN_CITIES, "the bimodality summary fits two-component mixtures to the top_n "
                      "scores (cityeval.analysis.polarization.bimodality_summary)")},
                  "05_regional_patterns": {"top_n": _regional_top_n},
                  "10_weights_what_if": {"top_n": _whatif_top_n}}


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
    ``data`` folder, resolved as the notebook resolves it (:func:`data_folder`), has what the notebook reads
    (:func:`check_needs`); a notebook that scores its data with a record built from its parameters can
    (:func:`check_method`); every size's memory estimate fits in the memory available (:func:`check_sizes`).

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
    if "data" in values:          # every rule below checks the very folder the notebook will read
        values["data"] = str(data_folder(stem, values["data"]))
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
    check_dependent(stem, values, given=list(parameters))
    check_method(stem, values, defaults)
    check_sizes(stem, values, given=list(parameters))


#: Parameters that act only through the ensemble: with no ensemble (``ensemble_size`` 0, or data that are not the
#: embedded synthetic panel, the only data with one: :func:`cityeval.notebook.spread.ensemble_panels`), a value
#: given for them would do nothing.
ENSEMBLE_ONLY = ("ensemble_seed", "ensemble_scenarios", "ensemble_sobol")


def check_dependent(notebook, values: dict, given=()) -> None:
    """Refuse a parameter given on the run whose effect depends on another that switches it off (issue 14:
    an option that does nothing is an error), and two parameters that must differ.

    - ``ensemble_size`` > 0 with data that have no ensemble (only the embedded synthetic panel has one);
    - :data:`ENSEMBLE_ONLY` given with no ensemble (``ensemble_size`` 0, or such data);
    - notebook 08's ``subject_code`` equal to its ``transfer_code`` (it compares two indicators).

    Parameters
    ----------
    notebook : str or path-like
        The notebook (path or stem).
    values : dict
        Every parameter value the notebook uses (given, else its default), ``data`` resolved (:func:`data_folder`).
    given : iterable of str
        The names the run set (a default that does nothing is the notebook's own choice, never an error).

    Raises
    ------
    ParameterError
        Naming the parameter, the notebook and why it would do nothing.

    Examples
    --------
    >>> check_dependent("03_capability_stages", {"data": "", "ensemble_size": 0, "ensemble_seed": 7}, ["ensemble_seed"])
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: ensemble_seed (notebook 03_capability_stages) should be given only with an ensemble (it seeds the ensemble, and ensemble_size is 0: there is none), but its value is 7.
    """
    from cityeval.notebook.spread import _is_default

    stem = Path(notebook).stem
    given = set(given)
    if "ensemble_size" in values:
        data = values.get("data", "")
        embedded = _is_default(data)
        size = values["ensemble_size"]
        if "ensemble_size" in given and isinstance(size, int) and size > 0 and not embedded:
            raise ParameterError(f"ensemble_size (notebook {stem})", f"0 for the data {data} (only the embedded "
                                 "synthetic panel has an ensemble; for other data the notebook shows none)", size)
        none = ("ensemble_size is 0: there is none" if size == 0 else
                f"the data {data} have none: only the embedded synthetic panel has an ensemble")
        if size == 0 or not embedded:
            for name in ENSEMBLE_ONLY:
                if name in given and name in values:
                    what = "seeds the ensemble" if name == "ensemble_seed" else "sizes each ensemble panel's audit"
                    raise ParameterError(f"{name} (notebook {stem})", f"given only with an ensemble (it {what}, and "
                                         f"{none})", values[name])
    if {"subject_code", "transfer_code"} <= set(values) and values["subject_code"] == values["transfer_code"] \
            and ({"subject_code", "transfer_code"} & given):
        name = "transfer_code" if "transfer_code" in given else "subject_code"
        other = "subject_code" if name == "transfer_code" else "transfer_code"
        raise ParameterError(f"{name} (notebook {stem})", f"an indicator other than {other} (the notebook compares "
                             "the innovation-subject and the technology-transfer stand-ins: two different indicators)",
                             values[name])
