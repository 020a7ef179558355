"""Notebook 05's study: the report's regional statements on the data at hand, and the conclusions.

Re-exported by :mod:`cityeval.analysis.regional`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.analysis._regional_wording import conclusion_lines_zh
from cityeval.validation import Shown, check_bool, check_choice, check_number

__all__ = ["N_DETAILED_STATEMENTS", "SHORT_NAMES", "require_groups", "display_names", "regions_in", "report_statements",
           "conclusions", "RegionalConclusions", "assumptions"]

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
#: The national-mean tests the information-infrastructure statement needs ("significantly below": both must reject).
_BELOW = ("INF:西北", "INF:东北")
#: What decides each kind of row of :func:`report_statements` (its column ``basis``).
_ORDER = "order of the regional means (descriptive, untested)"
_TESTED = ("one-sided permutation test of each region's mean against the rest, each at alpha (both must reject: an "
           "intersection-union test)")
_TREND = "Jonckheere-Terpstra, one-sided, Holm-adjusted over the family of columns tested together"


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


def report_statements(means: pd.DataFrame, jonckheere: dict, *, dims, names: dict, alpha: float, national: dict,
                      regions=None) -> pd.DataFrame:
    """The report's detailed regional statements (Ch. 2 §3), each checked on the data at hand.

    Parameters
    ----------
    means : pandas.DataFrame
        :func:`~cityeval.analysis.regional.group_means` by region (the appendix's 常规地区), with the
        row ``national`` and a column per dimension code (``INF`` ... ``LOW``).
    jonckheere : dict
        ``{names[d]: JonckheereTerpstraResult}`` for each of ``dims`` (west < central < east), with
        ``p_holm`` (:func:`~cityeval.analysis.regional.jonckheere_terpstra_by`).
    dims : sequence of str
        The dimension codes; one "east high, west low" statement each.
    names : dict
        Display name of each code (:func:`display_names`).
    alpha : float
        Significance level of the tested statements, in (0, 1).
    national : dict
        :func:`~cityeval.analysis.regional.national_mean_tests` with at least ``"INF:西北"`` and
        ``"INF:东北"`` (one-sided, ``"less"``): "significantly below the national mean" is tested.
    regions : sequence of str, optional
        The regions compared, in this order (the order decides a tie for the highest mean);
        default every row of ``means`` but ``national``.

    Returns
    -------
    pandas.DataFrame
        Columns ``statement``, ``holds on these data`` (bool) and ``basis`` (what decides the row: the
        order of the means, a test), the report's statements first.

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
    lead (the two highest means), 西北 and 东北 are *significantly* below the national mean (read as
    both one-sided permutation tests rejecting at ``alpha``: a claim about both regions is an
    intersection–union test, Berger 1982, which needs no multiplicity correction); governance —
    华东 highest, 西北 lowest; livelihood — 中南, 华北 and 东北 stand out (read as above the national
    mean, descriptive); industry and innovation — 华北 highest; low-carbon — 西南 highest; every
    dimension — "东高西低", read as a Holm-adjusted Jonckheere–Terpstra p-value below ``alpha``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.regional import JonckheereTerpstraResult
    >>> regions = ["华东", "西南", "西北", "东北", "中南", "华北", "national"]
    >>> means = pd.DataFrame({"INF": [9, 8, 1, 2, 3, 4, 5], "GOV": [9, 1, 0, 2, 3, 4, 5], "LIV": [1, 2, 3, 9, 8, 7, 5],
    ...                       "IND": [1, 2, 3, 4, 5, 9, 5], "TEC": [1, 2, 3, 4, 5, 9, 5],
    ...                       "LOW": [1, 9, 3, 4, 5, 6, 5]}, index=regions, dtype=float)
    >>> from cityeval.analysis.regional import NationalMeanResult
    >>> jt = {"INF": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.01, {}, p_holm=0.03)}
    >>> below = {k: NationalMeanResult(-4.0, 0.01, 0.02, 5, 95, "less") for k in ("INF:西北", "INF:东北")}
    >>> table = report_statements(means, jt, dims=["INF"], names={"INF": "INF"}, alpha=0.05, national=below)
    >>> bool(table["holds on these data"].all()), len(table)
    (True, 9)
    """
    alpha = _alpha(alpha)
    if not isinstance(means, pd.DataFrame) or "national" not in means.index:
        raise ParameterError("means", "what group_means returned: a DataFrame with the row 'national'",
                             Shown(type(means).__name__ if not isinstance(means, pd.DataFrame)
                                   else f"a DataFrame with rows {list(means.index)}"))
    dims = _dims(dims, names, jonckheere)
    unadjusted = [names[d] for d in dims if jonckheere[names[d]].p_holm is None]
    if unadjusted:
        raise ParameterError("jonckheere", "results of jonckheere_terpstra_by (Holm-adjusted, p_holm set)",
                             Shown(f"results without p_holm for {', '.join(unadjusted)}"))
    if not isinstance(national, dict) or any(k not in national or not hasattr(national[k], "alternative")
                                             or national[k].alternative != "less" for k in _BELOW):
        raise ParameterError("national", f"national_mean_tests with the one-sided 'less' tests {', '.join(_BELOW)}",
                             Shown(type(national).__name__ if not isinstance(national, dict)
                                   else f"a dict with keys {sorted(national)}"))
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
    below = bool(all(reg.at[r, "INF"] < nat["INF"] and national[k].p_value < alpha
                     for r, k in zip(("西北", "东北"), _BELOW)))
    checks = [
        ("INF: East China and Southwest lead", set(reg["INF"].nlargest(2).index) == {"华东", "西南"}, _ORDER),
        (f"INF: Northwest and Northeast significantly below the national mean (one-sided permutation p < {alpha} "
         "each)", below, _TESTED),
        ("GOV: East China highest", reg["GOV"].idxmax() == "华东", _ORDER),
        ("GOV: Northwest lowest", reg["GOV"].idxmin() == "西北", _ORDER),
        ("LIV: Central-South, North China and Northeast above the national mean",
         bool(all(reg.at[r, "LIV"] > nat["LIV"] for r in ("中南", "华北", "东北"))), _ORDER),
        ("IND: North China highest", reg["IND"].idxmax() == "华北", _ORDER),
        ("TEC: North China highest", reg["TEC"].idxmax() == "华北", _ORDER),
        ("LOW: Southwest highest", reg["LOW"].idxmax() == "西南", _ORDER),
    ]
    checks += [(f"{names[d]}: east high, west low (JT, Holm-adjusted p < {alpha})",
                bool(jonckheere[names[d]].p_holm < alpha), _TREND) for d in dims]
    table = pd.DataFrame(checks, columns=["statement", "holds on these data", "basis"])
    table["holds on these data"] = table["holds on these data"].astype(bool)
    return table


@dataclass(frozen=True)
class RegionalConclusions:
    """What notebook 05 concludes (:func:`conclusions`).

    Attributes
    ----------
    lines : list of str
        The conclusions, one sentence each.
    summary : str
        One sentence for the results file (marked illustrative on synthetic data).
    lines_zh : list of str
        ``lines`` in Chinese (示意 on synthetic data).
    summary_zh : str
        ``summary`` in Chinese.
    """

    lines: list
    summary: str
    lines_zh: tuple = ()
    summary_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """The conclusions in ``lang`` as a Markdown list, one line each.

        Examples
        --------
        >>> RegionalConclusions(["a", "b"], "s", ("甲",), "总").text("zh")
        '* 甲'
        """
        lines = self.lines_zh if check_choice("lang", lang, ("en", "zh")) == "zh" else self.lines
        return "\n".join(f"* {line}" for line in lines)


def conclusions(kruskal: dict, jonckheere: dict, statements: pd.DataFrame, *, dims, names: dict, alpha: float,
                synthetic: bool, spread: dict | None = None, composite: str | None = None,
                composite_published: bool = False, national: dict | None = None,
                dunn: pd.DataFrame | None = None, spread_zh: dict | None = None) -> RegionalConclusions:
    """The conclusions of the regional tests, counted over the dimensions ``dims`` after Holm's correction.

    Parameters
    ----------
    kruskal, jonckheere : dict
        ``{name: KruskalWallisResult}`` and ``{name: JonckheereTerpstraResult}`` keyed by display
        name, covering ``names[d]`` for each of ``dims``, with ``p_holm`` set (the ``_by`` functions:
        Holm over every column tested, the composite's included). ``kruskal`` may hold more rows (e.g.
        the composite): the largest effect is looked for among all of them.
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
        summary then give its two rank tests as what they are: raw p-values decided by the published
        ranking (both tests use only that order and the cities' regions), not an illustration; whether
        they survive Holm's correction is decided by the published ranks too only when p >= alpha or
        m p < alpha (m tests in the family), and the line says which.
    national : dict, optional
        :func:`~cityeval.analysis.regional.national_mean_tests`: a line on the tested comparisons with
        the national mean.
    dunn : pandas.DataFrame, optional
        :func:`~cityeval.analysis.regional.dunn_pairs`: a line on the pairs of regions that differ.
    spread_zh : dict, optional
        ``spread`` in Chinese (``EnsembleSummary.range_text(..., lang="zh")``), for ``lines_zh`` and
        ``summary_zh``; default ``spread``.

    Raises
    ------
    ParameterError
        ``alpha`` outside (0, 1), ``synthetic`` not a bool, ``kruskal`` empty, a code of ``dims``
        without a name in ``names`` or a result in ``kruskal`` and ``jonckheere``, a result without
        ``p_holm``, ``statements`` not :func:`report_statements`' table.

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.regional import KruskalWallisResult, JonckheereTerpstraResult
    >>> kw = {"A": KruskalWallisResult(5.0, 0.01, 3, 30, 0.17, 0.1, [], p_holm=0.02)}
    >>> jt = {"A": JonckheereTerpstraResult(1.0, 0.0, 0.0, 0.2, {}, p_holm=0.2)}
    >>> checks = pd.DataFrame({"statement": ["s"], "holds on these data": [True]})
    >>> c = conclusions(kw, jt, checks, dims=["a"], names={"a": "A"}, alpha=0.05, synthetic=False)
    >>> c.lines[0]
    'On the data at hand, 1 of 1 dimensions differ between regions at alpha = 0.05 (Kruskal-Wallis, Holm-adjusted over 1 tests; largest effect ε² = 0.170 for A).'
    """
    alpha = _alpha(alpha)
    synthetic = check_bool("synthetic", synthetic)
    dims = _dims(dims, names, kruskal, jonckheere)
    if not kruskal:
        raise ParameterError("kruskal", "a dict of at least one KruskalWallisResult (kruskal_wallis_by)", kruskal)
    for arg, results in (("kruskal", kruskal), ("jonckheere", jonckheere)):
        if any(getattr(r, "p_holm", None) is None for r in results.values()):
            raise ParameterError(arg, "results of the _by functions (Holm-adjusted, p_holm set)",
                                 Shown("results without p_holm"))
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
    m_kw, m_jt = len(kruskal), len(jonckheere)
    n_hold = int(statements["holds on these data"].sum())
    n_jt = sum(jonckheere[names[d]].p_holm < alpha for d in dims)
    n_kw = sum(kruskal[names[d]].p_holm < alpha for d in dims)
    effects = pd.Series({key: res.epsilon2 for key, res in kruskal.items()})
    holm_kw = f"Kruskal-Wallis, Holm-adjusted over {m_kw} tests"
    holm_jt = f"Jonckheere-Terpstra, Holm-adjusted over {m_jt} tests"
    if spread is None:
        counts = [f"On the {kind}, {n_kw} of {len(dims)} dimensions differ between regions at alpha = {alpha} "
                  f"({holm_kw}; largest effect ε² = {effects.max():.3f} for {effects.idxmax()}).",
                  f"{n_jt} of {len(dims)} dimensions rise from west to east at alpha = {alpha} ({holm_jt}).",
                  f"{n_hold} of {len(statements)} of the report's regional statements hold on these data."]
    else:   # the nominal counts with their range over the ensemble; no dimension named from one panel's draw
        counts = [f"On the {kind}, {spread['kw_dims']} of {len(dims)} dimensions differ between regions at "
                  f"alpha = {alpha} ({holm_kw}).",
                  f"{spread['jt_dims']} of {len(dims)} dimensions rise from west to east at alpha = {alpha} "
                  f"({holm_jt}).",
                  f"{spread['statements']} of the report's {N_DETAILED_STATEMENTS} detailed regional statements hold "
                  f"({n_hold} of all {len(statements)} statements, trends included, on the nominal panel)."]
    if national is not None:
        counts.append(_national_line(national, alpha))
    if dunn is not None:
        counts.append(_dunn_line(dunn, kruskal, dims=dims, names=names, alpha=alpha, m=m_kw))
    published = ""
    decided = []
    if composite_published:
        kw_c, jt_c = kruskal[composite], jonckheere[composite]
        differs = "differs" if kw_c.p_holm < alpha else "does not differ detectably"
        rises = "rises" if jt_c.p_holm < alpha else "does not rise detectably"
        decided = [name for name, res, m in (("Kruskal-Wallis", kw_c, m_kw), ("Jonckheere-Terpstra", jt_c, m_jt))
                   if not (res.p_value >= alpha or m * res.p_value < alpha)]
        holm_note = ("the verdicts after Holm's correction are decided by the published ranks too (each raw p is "
                     f"either >= {alpha} or below {alpha} / m, and Holm's adjusted p lies between p and m p)"
                     if not decided else
                     f"after Holm's correction the {' and '.join(decided)} verdict also depends on the dimensions' "
                     "tests, which the published ranks do not decide")
        counts.append(f"Among these {kw_c.n} cities the composite's order is CCID's published ranking, and both rank "
                      "tests use only that order and the cities' regions, so their raw p-values are a finding about "
                      "the published ranks, not an illustration (the same on every panel that fits them); "
                      f"{holm_note}: the composite {differs} between regions (Kruskal-Wallis p = {kw_c.p_value:.3g}, "
                      f"Holm-adjusted {kw_c.p_holm:.3g}, effect ε² = {kw_c.epsilon2:.3f}) and {rises} from west to "
                      f"east (Jonckheere-Terpstra p = {jt_c.p_value:.3g}, Holm-adjusted {jt_c.p_holm:.3g}) at alpha = "
                      f"{alpha}.")
        published = (f" From the published ranking itself (not illustrative): the composite {differs} between "
                     f"regions (Kruskal-Wallis p = {kw_c.p_value:.3g}, Holm-adjusted {kw_c.p_holm:.3g}) and {rises} "
                     f"west to east (Jonckheere-Terpstra p = {jt_c.p_value:.3g}, Holm-adjusted {jt_c.p_holm:.3g}).")
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
                   f"between regions, {n_jt}/{len(dims)} rise west to east (alpha {alpha}, Holm-adjusted); "
                   f"{n_hold}/{len(statements)} of the report's regional statements hold on these data.")
    else:
        summary = (f"{'Illustrative (synthetic panels): ' if synthetic else ''}of {len(dims)} dimensions, "
                   f"{spread['kw_dims']} differ between regions and {spread['jt_dims']} rise west to east "
                   f"(alpha {alpha}, Holm-adjusted); of the report's {N_DETAILED_STATEMENTS} detailed regional "
                   f"statements, {spread['statements']} hold.")
    lines_zh, summary_zh = conclusion_lines_zh(
        synthetic=synthetic, alpha=alpha, n_dims=len(dims), m_kw=m_kw, m_jt=m_jt, n_kw=n_kw, n_jt=n_jt,
        n_hold=n_hold, n_statements=len(statements), effect=float(effects.max()), effect_name=effects.idxmax(),
        spread=spread_zh if spread_zh is not None else spread, names=names, national=national, below_keys=_BELOW, dunn=dunn,
        followed=[names[d] for d in dims if kruskal[names[d]].p_holm < alpha],
        composite={"kw": kruskal[composite], "jt": jonckheere[composite], "decided": decided}
        if composite_published else None, n_detailed=N_DETAILED_STATEMENTS)
    return RegionalConclusions(lines=lines, summary=summary + published, lines_zh=tuple(lines_zh),
                               summary_zh=summary_zh)


def _national_line(national: dict, alpha: float) -> str:
    """The tested comparisons with the national mean, in one sentence."""
    parts = []
    for key, r in national.items():
        code, _, region = key.partition(":")
        word = "below" if r.alternative == "less" else "above"
        parts.append(f"{region} {word} on {code} (mean minus the national mean {r.statistic:+.2f}, minus the other "
                     f"cities' mean {r.difference_to_rest:+.2f}, the test statistic; p = {r.p_value:.3g}, {r.n} cities)")
    below = [k for k in _BELOW if k in national]
    verdict = ""
    if len(below) == len(_BELOW):
        ok = all(national[k].p_value < alpha and national[k].statistic < 0 for k in below)
        verdict = (f" The report's \"significantly below the national mean\" for 西北 and 东北 on information "
                   f"infrastructure {'holds' if ok else 'does not hold'} at alpha = {alpha} (both tests must reject)"
                   + ("" if ok else "; with so few cities a non-rejection does not show they are not below") + ".")
    return ("Against the national mean (one-sided permutation tests of each region's mean against the other cities'): "
            + "; ".join(parts) + "." + verdict)


def _dunn_line(dunn: pd.DataFrame, kruskal: dict, *, dims, names: dict, alpha: float, m: int) -> str:
    """Which pairs of regions differ (Dunn, Holm over pairs), or why none were compared."""
    if not isinstance(dunn, pd.DataFrame) or not {"column", "group_a", "group_b", "differs"} <= set(dunn.columns):
        raise ParameterError("dunn", "what dunn_pairs returned", Shown(type(dunn).__name__))
    followed = [names[d] for d in dims if kruskal[names[d]].p_holm < alpha]
    if not followed and dunn.empty:
        return (f"No dimension's Kruskal-Wallis test rejects after Holm's correction over {m} tests, so no pairs of "
                "regions are compared (Dunn's test is run only after a rejected global test).")
    parts = []
    for column, rows in dunn.groupby("column", sort=False):
        pairs = rows[rows["differs"]]
        listed = ", ".join(f"{a}-{b}" for a, b in zip(pairs["group_a"], pairs["group_b"])) or "none"
        parts.append(f"{column}: {listed} ({int(rows['differs'].sum())} of {len(rows)} pairs)")
    return ("Pairs of regions that differ (Dunn's test, Holm over each dimension's pairs, where Kruskal-Wallis rejects "
            "after Holm): " + "; ".join(parts) + ".")


def assumptions(*, n_perm: int, alpha: float, synthetic: bool, family: int, top_n: int | None = None,
                ensemble: bool = True, ensemble_permutations: int | None = None) -> dict:
    """``{results key: [sentence, ...]}``: what each recorded number of notebook 05 rests on.

    Parameters
    ----------
    n_perm : int
        Permutations of the Jonckheere-Terpstra and national-mean tests.
    alpha : float
        The level of every verdict.
    synthetic : bool
        Whether the data are the synthetic panel.
    family : int
        Tests per Holm family (the columns tested: six dimensions and the composite).
    top_n : int, optional
        The cities kept by composite rank (a selection, named in the sentences).
    ensemble : bool, default True
        Whether the results carry an ensemble block (then a key ``ensemble``).
    ensemble_permutations : int, optional
        Permutations per test on the ensemble's panels.

    Returns
    -------
    dict
        Keys ``region_means``, ``kruskal``, ``jonckheere``, ``national_mean_tests``, ``dunn``,
        ``statement_checks``, ``conclusions``, ``summary`` (and ``ensemble``), each a non-empty list of
        plain sentences.

    Examples
    --------
    >>> a = assumptions(n_perm=5000, alpha=0.05, synthetic=True, family=7, top_n=100, ensemble=False)
    >>> sorted(a)[:3], all(a.values())
    (['conclusions', 'dunn', 'jonckheere'], True)
    """
    alpha = _alpha(alpha)
    synthetic = check_bool("synthetic", synthetic)
    ensemble = check_bool("ensemble", ensemble)
    kept = f"the top {top_n} cities by composite rank" if top_n else "the cities kept"
    sample = (f"The cities are treated as independent draws from their region's distribution; {kept} are a "
              "selection, not a random sample of each region's cities, so the tests describe the selected cities.")
    caveat = ([] if not synthetic else
              ["The panel is synthetic: its regional structure comes only from the published lists and random draws, "
               "so the number is illustrative and says nothing about CCID's scores."])
    holm = (f"Holm's step-down correction over the family of {family} tests (the six dimensions and the composite) "
            f"controls the family-wise error rate at alpha = {alpha} under any dependence between the tests.")
    perm = (f"One-sided permutation p-values from {n_perm} permutations of the labels (Monte Carlo standard error "
            "about sqrt(p (1 - p) / n_perm)); under H0 the labels are exchangeable between cities.")
    out = {
        "region_means": ["Arithmetic means of min-max scores, an interval scale: differences between means are "
                         "meaningful, ratios are not.", sample, *caveat],
        "kruskal": [sample,
                    "Kruskal-Wallis tests stochastic equality of the regions (whether a city of one region tends to "
                    "score above one of another), not equal medians unless the distributions have the same shape.",
                    "p from the chi-squared approximation with k - 1 degrees of freedom, tie-corrected; regions with "
                    "fewer than 2 cities are left out.", holm,
                    "ε² = H / (n - 1) (Tomczak & Tomczak 2014); the bands 0.01 small, 0.08 medium, 0.26 large are "
                    "Mangiafico's rule of thumb (rcompanion handbook), a convention, not a property of these data.",
                    *caveat],
        "jonckheere": [sample,
                       "The alternative is the order west < central < east of the report appendix's zones (四大地带); "
                       "the northeast zone lies off that line and is left out.", perm, holm, *caveat],
        "national_mean_tests": [
            sample,
            "Each test compares the region's mean with the other cities' mean, which is the same as comparing it "
            "with the national mean (every permutation keeps the national mean); the Mann-Whitney p beside it "
            "compares ranks, not means.", perm,
            "A claim about two regions at once (西北 and 东北 significantly below) holds when both tests reject at "
            "alpha: an intersection-union test (Berger 1982), which needs no multiplicity correction.",
            "With 5 to 10 cities a region's test has little power: a non-rejection does not show the region is not "
            "below the mean.", *caveat],
        "dunn": [sample,
                 "Dunn's z tests on the Kruskal-Wallis mean ranks (tie-corrected; scikit-posthocs posthoc_dunn), Holm "
                 "over the pairs of regions of one dimension, run only where the Kruskal-Wallis test rejects after "
                 "Holm's correction (a protected procedure).", *caveat],
        "statement_checks": [
            "'Leads', 'highest', 'lowest' and 'above the national mean' are read as the order of the regional means "
            "(descriptive, untested); 'significantly below' is tested (national_mean_tests); 'east high, west low' "
            "is the Holm-adjusted Jonckheere-Terpstra test.",
            "CCID's Fig. 7 means are of unpublished scores; these are means of the data at hand.", sample, *caveat],
    }
    if ensemble:
        fewer = (f" with at most {ensemble_permutations} permutations per test" if ensemble_permutations else "")
        out["ensemble"] = [
            "Every panel of the ensemble reproduces the report's 270 published (rank, city) pairs; the generator's "
            "other assumptions decide the spread across panels.",
            f"Every panel is tested with the same seed{fewer}; a conclusion holding in every panel is still a "
            "statement about synthetic data within the generator's ranges.",
            "Only the composite's rank tests can rest on the published ranks alone (its top-100 order is Table 3); "
            "the dimensions (four without any published order) and any difference of means rest on the generator "
            "(basis 'generator'): a verdict shared by every panel reflects the generator's structure.",
            "A test that rejects in no panel is not evidence against the claim: with 5 to 10 cities a region the "
            "tests have little power (those conclusions are marked as rejection events)."]
    out["conclusions"] = ([sample, holm, out["statement_checks"][0], *caveat]
                          + [out["ensemble"][i] for i in (0, 2, 3) if ensemble])
    out["summary"] = list(out["conclusions"])
    return out
