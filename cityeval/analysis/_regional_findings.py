"""Notebook 05's study: the report's regional statements on the data at hand, and the conclusions.

Re-exported by :mod:`cityeval.analysis.regional`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_number

__all__ = ["N_DETAILED_STATEMENTS", "SHORT_NAMES", "require_groups", "display_names", "regions_in", "report_statements", "conclusions",
           "RegionalConclusions"]

#: Short English names of the report's six dimensions, for tables and legends.
SHORT_NAMES = {"INF": "Infrastructure", "GOV": "Governance", "LIV": "Livelihood", "IND": "Industry",
               "TEC": "Innovation", "LOW": "Low-carbon"}
_GROUPS_FROM = "columns of values.csv, or cities named in data/reference/cities.csv"
#: The regions and the dimension codes the report's detailed statements name (:func:`report_statements`).
_STATEMENT_REGIONS = ("华东", "西南", "西北", "东北", "中南", "华北")
_STATEMENT_CODES = ("INF", "GOV", "LIV", "IND", "TEC", "LOW")
#: How many of :func:`report_statements`' rows are the report's detailed statements (the first rows; one
#: "east high, west low" row per dimension follows them).
N_DETAILED_STATEMENTS = 8


def _alpha(alpha) -> float:
    return check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)


def _labels(name: str, value) -> list:
    if value is None or isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ParameterError(name, "a sequence of labels", value)
    return list(value)


def _dims(dims, names, *results) -> list:
    """``dims`` as a list after checking every code has a display name in ``names`` and a result, under
    that name, in each of ``results`` (dicts); else a ParameterError naming ``dims``."""
    dims = _labels("dims", dims)
    if not isinstance(names, dict):
        raise ParameterError("names", "a dict {code: display name} (display_names)", Shown(type(names).__name__))
    for res in results:
        if not isinstance(res, dict):
            raise ParameterError("dims", "codes with a result in each dict of results", Shown(type(res).__name__))
    bad = [d for d in dims if not isinstance(d, str) or d not in names or any(names[d] not in res for res in results)]
    if bad:
        raise ParameterError("dims", f"dimension codes with a display name in names ({', '.join(map(str, names))}) "
                             "and a result under that name", bad)
    return dims


def regions_in(means: pd.DataFrame, regions) -> list:
    """The regions of ``regions`` (in that order, e.g. ``cityeval.ccid2022.reference.REGIONS``, the report
    appendix's order) that are rows of ``means``; ``national`` is never one.

    Examples
    --------
    >>> import pandas as pd
    >>> means = pd.DataFrame({"s": [1.0, 2.0, 1.5]}, index=["华北", "华东", "national"])
    >>> regions_in(means, ["华东", "中南", "华北"])
    ['华东', '华北']
    """
    if not isinstance(means, pd.DataFrame):
        raise ParameterError("means", "what group_means returned (a pandas DataFrame)", Shown(type(means).__name__))
    present = set(means.index) - {"national"}
    return [r for r in _labels("regions", regions) if r in present]


def require_groups(units, **groups) -> pd.DataFrame:
    """The group labels of ``units``, one column per keyword (``region=..., zone=...``).

    Parameters
    ----------
    units : index-like
        The units analysed.
    **groups : pandas.Series or None
        A label per unit (aligned by index); ``None`` when the data have no such column
        (``ScoredPanel.groups`` returns ``None`` then).

    Raises
    ------
    DataError
        A group that is ``None`` or lacks a label for one of ``units``.

    Examples
    --------
    >>> import pandas as pd
    >>> require_groups(["a", "b"], region=pd.Series({"b": "X", "a": "Y"}))
      region
    a      Y
    b      X
    """
    out = {}
    for name, labels in groups.items():
        aligned = None if labels is None else pd.Series(labels).reindex(units)
        if aligned is None or aligned.isna().any():
            missing = "" if aligned is None else f"no {name} for {list(aligned.index[aligned.isna()][:3])}"
            raise DataError(None, f"the regional tests need a {name} for every city ({_GROUPS_FROM})",
                            column=name, detail=missing or None)
        out[name] = aligned
    return pd.DataFrame(out, index=pd.Index(units))


def display_names(columns, *, composite: str) -> dict:
    """``{code: name}`` for tables: :data:`SHORT_NAMES`, ``"Composite"`` for ``composite``, else the code.

    Examples
    --------
    >>> display_names(["INF", "X", "INDEX"], composite="INDEX")
    {'INF': 'Infrastructure', 'X': 'X', 'INDEX': 'Composite'}
    """
    names = {**SHORT_NAMES, composite: "Composite"}
    return {c: names.get(c, c) for c in columns}


def report_statements(means: pd.DataFrame, jonckheere: dict, *, dims, names: dict, alpha: float,
                      regions=None) -> pd.DataFrame:
    """The report's detailed regional statements (Ch. 2 §3), each checked on regional means.

    Parameters
    ----------
    means : pandas.DataFrame
        :func:`~cityeval.analysis.regional.group_means` by region (the appendix's 常规地区), with the
        row ``national`` and a column per dimension code (``INF`` ... ``LOW``).
    jonckheere : dict
        ``{names[d]: JonckheereTerpstraResult}`` for each of ``dims`` (west < central < east).
    dims : sequence of str
        The dimension codes; one "east high, west low" statement each.
    names : dict
        Display name of each code (:func:`display_names`).
    alpha : float
        Significance level of the trend statements, in (0, 1).
    regions : sequence of str, optional
        The regions compared, in this order (the order decides a tie for the highest mean);
        default every row of ``means`` but ``national``.

    Returns
    -------
    pandas.DataFrame
        Columns ``statement`` and ``holds on these data`` (bool), the report's statements first.

    Raises
    ------
    ParameterError
        ``alpha`` outside (0, 1); ``means`` without the row ``national``; a code of ``dims`` without
        a name in ``names`` or a result in ``jonckheere``; a region of ``regions`` that is not a row
        of ``means``, or ``regions`` leaving out one the statements name.
    DataError
        ``means`` lacks a region the statements name (华东, 西南, 西北, 东北, 中南, 华北: none of these
        cities are from it) or a dimension column (INF ... LOW).

    Notes
    -----
    The statements, as the report words them: information infrastructure — 华东 and 西南
    lead (the two highest means), 西北 and 东北 are below the national mean; governance —
    华东 highest, 西北 lowest; livelihood — 中南, 华北 and 东北 above the national mean;
    industry and innovation — 华北 highest; low-carbon — 西南 highest; every dimension —
    "东高西低", read as a Jonckheere–Terpstra p-value below ``alpha``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.regional import JonckheereTerpstraResult
    >>> regions = ["华东", "西南", "西北", "东北", "中南", "华北", "national"]
    >>> means = pd.DataFrame({"INF": [9, 8, 1, 2, 3, 4, 5], "GOV": [9, 1, 0, 2, 3, 4, 5], "LIV": [1, 2, 3, 9, 8, 7, 5],
    ...                       "IND": [1, 2, 3, 4, 5, 9, 5], "TEC": [1, 2, 3, 4, 5, 9, 5],
    ...                       "LOW": [1, 9, 3, 4, 5, 6, 5]}, index=regions, dtype=float)
    >>> jt = {"INF": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.01, {})}
    >>> table = report_statements(means, jt, dims=["INF"], names={"INF": "INF"}, alpha=0.05)
    >>> bool(table["holds on these data"].all()), len(table)
    (True, 9)
    """
    alpha = _alpha(alpha)
    if not isinstance(means, pd.DataFrame) or "national" not in means.index:
        raise ParameterError("means", "what group_means returned: a DataFrame with the row 'national'",
                             Shown(type(means).__name__ if not isinstance(means, pd.DataFrame)
                                   else f"a DataFrame with rows {list(means.index)}"))
    dims = _dims(dims, names, jonckheere)
    absent = [r for r in _STATEMENT_REGIONS if r not in means.index]
    if absent:
        raise DataError(None, "the report's regional statements name regions with no city among these",
                        detail=f"no mean for {', '.join(absent)}")
    missing = [c for c in _STATEMENT_CODES if c not in means.columns]
    if missing:
        raise DataError(None, "the report's regional statements need a mean of each dimension", column=missing[0],
                        detail=f"missing: {', '.join(missing)}")
    if regions is not None:
        regions = _labels("regions", regions)
        rows = [r for r in means.index if r != "national"]
        unknown = [r for r in regions if r not in rows]
        if unknown:
            raise ParameterError("regions", f"rows of means ({', '.join(map(str, rows))})", unknown)
        left_out = [r for r in _STATEMENT_REGIONS if r not in regions]
        if left_out:
            raise ParameterError("regions", f"regions including every one the statements name "
                                 f"({', '.join(_STATEMENT_REGIONS)})", Shown(f"{regions} (without {', '.join(left_out)})"))
    nat = means.loc["national"]
    reg = means.loc[list(regions) if regions is not None else means.index.drop("national")]
    checks = [
        ("INF: East China and Southwest lead", set(reg["INF"].nlargest(2).index) == {"华东", "西南"}),
        ("INF: Northwest and Northeast below the national mean",
         bool(reg.at["西北", "INF"] < nat["INF"] and reg.at["东北", "INF"] < nat["INF"])),
        ("GOV: East China highest", reg["GOV"].idxmax() == "华东"),
        ("GOV: Northwest lowest", reg["GOV"].idxmin() == "西北"),
        ("LIV: Central-South, North China and Northeast above the national mean",
         bool(all(reg.at[r, "LIV"] > nat["LIV"] for r in ("中南", "华北", "东北")))),
        ("IND: North China highest", reg["IND"].idxmax() == "华北"),
        ("TEC: North China highest", reg["TEC"].idxmax() == "华北"),
        ("LOW: Southwest highest", reg["LOW"].idxmax() == "西南"),
    ]
    checks += [(f"{names[d]}: east high, west low (JT p < {alpha})", bool(jonckheere[names[d]].p_value < alpha))
               for d in dims]
    return pd.DataFrame(checks, columns=["statement", "holds on these data"])


@dataclass(frozen=True)
class RegionalConclusions:
    """What notebook 05 concludes (:func:`conclusions`).

    Attributes
    ----------
    lines : list of str
        The conclusions, one sentence each.
    summary : str
        One sentence for the results file (marked illustrative on synthetic data).
    """

    lines: list
    summary: str


def conclusions(kruskal: dict, jonckheere: dict, statements: pd.DataFrame, *, dims, names: dict, alpha: float,
                synthetic: bool, spread: dict | None = None, composite: str | None = None,
                composite_published: bool = False) -> RegionalConclusions:
    """The conclusions of the regional tests, counted over the dimensions ``dims``.

    Parameters
    ----------
    kruskal, jonckheere : dict
        ``{name: KruskalWallisResult}`` and ``{name: JonckheereTerpstraResult}`` keyed by display
        name, covering ``names[d]`` for each of ``dims`` (``kruskal`` may hold more rows, e.g. the
        composite: the largest effect is looked for among all of them).
    statements : pandas.DataFrame
        :func:`report_statements`.
    dims : sequence of str
    names : dict
    alpha : float
        In (0, 1).
    synthetic : bool
        Whether the data are the synthetic panel (the conclusions then say they are illustrative).
    spread : dict, optional
        ``{"kw_dims": text, "jt_dims": text, "statements": text}``: those counts of
        :func:`~cityeval.analysis.regional.ensemble_statistics` with their range over the ensemble of
        panels fitting the published ranks (``EnsembleSummary.range_text``). The summary then quotes
        them instead of the nominal counts alone (``statements`` counts the
        :data:`N_DETAILED_STATEMENTS` detailed statements, without the trend rows).
    composite : str, optional
        The composite's display name (a key of ``kruskal`` and ``jonckheere``).
    composite_published : bool, default False
        The composite's order among these cities is the published one
        (:func:`~cityeval.analysis.regional.order_is_published`). With ``composite``, a line and the
        summary then give its two rank tests as what they are: a finding about the published ranking
        (both tests use only that order and the cities' regions), not an illustration.

    Raises
    ------
    ParameterError
        ``alpha`` outside (0, 1), ``synthetic`` not a bool, ``kruskal`` empty, a code of ``dims``
        without a name in ``names`` or a result in ``kruskal`` and ``jonckheere``, ``statements``
        not :func:`report_statements`' table.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.regional import KruskalWallisResult, JonckheereTerpstraResult
    >>> kw = {"A": KruskalWallisResult(5.0, 0.01, 3, 30, 0.17, 0.1, [])}
    >>> jt = {"A": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.2, {})}
    >>> checks = pd.DataFrame({"statement": ["s"], "holds on these data": [True]})
    >>> c = conclusions(kw, jt, checks, dims=["a"], names={"a": "A"}, alpha=0.05, synthetic=False)
    >>> c.lines[0]
    'On the data at hand, 1 of 1 dimensions differ between regions at alpha = 0.05 (Kruskal-Wallis; largest effect 0.170 for A).'
    """
    alpha = _alpha(alpha)
    synthetic = check_bool("synthetic", synthetic)
    dims = _dims(dims, names, kruskal, jonckheere)
    if not kruskal:
        raise ParameterError("kruskal", "a dict of at least one KruskalWallisResult (kruskal_wallis_by)", kruskal)
    if not isinstance(statements, pd.DataFrame) or "holds on these data" not in statements.columns:
        raise ParameterError("statements", "what report_statements returned (a column 'holds on these data')",
                             Shown(type(statements).__name__))
    if spread is not None and (not isinstance(spread, dict) or not {"kw_dims", "jt_dims", "statements"} <= set(spread)
                               or not all(isinstance(v, str) for v in spread.values())):
        raise ParameterError("spread", "None or a dict with the texts 'kw_dims', 'jt_dims' and 'statements'",
                             Shown(type(spread).__name__ if not isinstance(spread, dict) else f"keys {sorted(spread)}"))
    composite_published = check_bool("composite_published", composite_published)
    if composite_published and (composite is None or composite not in kruskal or composite not in jonckheere):
        raise ParameterError("composite", "the composite's display name, a key of kruskal and jonckheere, when "
                             "composite_published is true", composite)
    kind = "synthetic panel (illustrative)" if synthetic else "data at hand"
    n_hold = int(statements["holds on these data"].sum())
    n_jt = sum(jonckheere[names[d]].p_value < alpha for d in dims)
    n_kw = sum(kruskal[names[d]].p_value < alpha for d in dims)
    effects = pd.Series({key: res.epsilon2 for key, res in kruskal.items()})
    if spread is None:
        counts = [f"On the {kind}, {n_kw} of {len(dims)} dimensions differ between regions at alpha = {alpha} "
                  f"(Kruskal-Wallis; largest effect {effects.max():.3f} for {effects.idxmax()}).",
                  f"{n_jt} of {len(dims)} dimensions rise from west to east at alpha = {alpha} (Jonckheere-Terpstra).",
                  f"{n_hold} of {len(statements)} of the report's regional statements hold on these data."]
    else:   # the nominal counts with their range over the ensemble; no dimension named from one panel's draw
        counts = [f"On the {kind}, {spread['kw_dims']} of {len(dims)} dimensions differ between regions at "
                  f"alpha = {alpha} (Kruskal-Wallis).",
                  f"{spread['jt_dims']} of {len(dims)} dimensions rise from west to east at alpha = {alpha} "
                  "(Jonckheere-Terpstra).",
                  f"{spread['statements']} of the report's {N_DETAILED_STATEMENTS} detailed regional statements hold "
                  f"({n_hold} of all {len(statements)} statements, trends included, on the nominal panel)."]
    published = ""
    if composite_published:
        kw_c, jt_c = kruskal[composite], jonckheere[composite]
        differs = "differs" if kw_c.p_value < alpha else "does not differ detectably"
        rises = "rises" if jt_c.p_value < alpha else "does not rise detectably"
        counts.append(f"Among these {kw_c.n} cities the composite's order is CCID's published ranking, and both rank "
                      "tests use only that order and the cities' regions, so this is a finding about the published "
                      f"ranks, not an illustration (the same on every panel that fits them): the composite {differs} "
                      f"between regions (Kruskal-Wallis p = {kw_c.p_value:.3g}, effect ε² = {kw_c.epsilon2:.3f}) "
                      f"and {rises} from west to east (Jonckheere-Terpstra p = {jt_c.p_value:.3g}) at alpha = "
                      f"{alpha}.")
        published = (f" From the published ranking itself (not illustrative): the composite {differs} between "
                     f"regions (Kruskal-Wallis p = {kw_c.p_value:.3g}) and {rises} west to east "
                     f"(Jonckheere-Terpstra p = {jt_c.p_value:.3g}).")
    lines = counts + [
        "CCID's regional means (Fig. 7) are computed from unpublished scores: they cannot be checked; the published "
        "lists only fix how many top-100 cities each region has (notebook 01).",
    ]
    if synthetic:
        lines.append("The synthetic panel's regional structure comes only from the published lists and random draws, "
                     "so agreement or disagreement here says nothing about CCID's data"
                     + (" (except the composite's rank tests above, which the published ranking decides)."
                        if composite_published else "."))
    if spread is None:
        summary = (f"{'Illustrative (synthetic panel): ' if synthetic else ''}{n_kw}/{len(dims)} dimensions differ "
                   f"between regions, {n_jt}/{len(dims)} rise west to east (alpha {alpha}); {n_hold}/{len(statements)} "
                   f"of the report's regional statements hold on these data.")
    else:
        summary = (f"{'Illustrative (synthetic panels): ' if synthetic else ''}of {len(dims)} dimensions, "
                   f"{spread['kw_dims']} differ between regions and {spread['jt_dims']} rise west to east "
                   f"(alpha {alpha}); of the report's {N_DETAILED_STATEMENTS} detailed regional statements, "
                   f"{spread['statements']} hold.")
    return RegionalConclusions(lines=lines, summary=summary + published)
