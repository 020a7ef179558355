"""Notebook 04's tables and findings in words; re-exported by :mod:`cityeval.analysis.polarization`.

The verdict on each distribution, the power statement and the conclusion are built here from the
named results of :mod:`cityeval.analysis.polarization`, so a rerun on other data changes them with
the numbers. The notebook calls these and displays.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_number

from cityeval.analysis._polarization_covariates import CovariateCorrelation
from cityeval.analysis._polarization_mixture import GMM_TOL
from cityeval.analysis._polarization_power import POWER_TESTS, separation_to_gap, total_sd_separation
from cityeval.analysis._polarization_statistics import BimodalitySummary
from cityeval.analysis._polarization_wording import healthcare_conclusion_zh, healthcare_summary_zh

__all__ = ["require_indicators", "describe_covariate", "criteria_table", "power_table", "null_table",
           "format_separation", "covariate_notes", "power_statement", "power_reading", "null_statement",
           "convergence_note", "bimodality_verdict", "grade_caveat", "HealthcareFindings", "healthcare_findings"]

#: How the texts name each criterion of the power table.
_NAMES = {"dip_test": "the dip test", "bimodality_coefficient": "BC > 5/9", "gmm_bic": "the GMM BIC",
          "mixture_lrt": "the bootstrap LRT"}


def require_indicators(scores: pd.DataFrame, codes: dict, *, path) -> None:
    """Raise a DataError naming ``path`` unless every code of ``codes`` is a column of ``scores``.

    Parameters
    ----------
    scores : pandas.DataFrame
        The scored panel (cities x codes).
    codes : dict of str -> str
        The codes needed, with their names for the message (e.g. ``{"LIV_HEALTH": "数字医健"}``).
    path : path-like
        The file that defines the codes (the dataset's ``indicators.csv``).

    Examples
    --------
    >>> require_indicators(pd.DataFrame({"A": [1.0]}), {"B": "b"}, path="indicators.csv")
    Traceback (most recent call last):
    ...
    cityeval.errors.DataError: indicators.csv: this notebook needs the second-level indicators B (b) (missing: B)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame of scores (rows = cities)", Shown(type(scores).__name__))
    absent = [c for c in codes if c not in scores.columns]
    if absent:
        raise DataError(path, "this notebook needs the second-level indicators "
                        + " and ".join(f"{c} ({name})" for c, name in codes.items()),
                        detail=f"missing: {', '.join(absent)}")


def describe_covariate(folder, values: pd.Series | None, *, synthetic: bool, name: str = "GDP per capita",
                       column: str = "gdp_per_capita") -> str:
    """One sentence saying where a covariate comes from, or that it is absent and what is skipped.

    Examples
    --------
    >>> describe_covariate("data/x", None, synthetic=False).split(", so")[0]
    'No GDP per capita: data/x has no covariates.csv with a gdp_per_capita column'
    """
    synthetic = check_bool("synthetic", synthetic)
    folder = Path(folder)
    if values is None:
        return (f"No {name}: {folder} has no covariates.csv with a {column} column, "
                f"so the comparisons with {name} (report Figs. 13 and 14) are skipped below.")
    return f"{name} ({'synthetic' if synthetic else 'as supplied'}): {folder / 'covariates.csv'}"


#: The rows of :func:`criteria_table`: label -> attribute of a BimodalitySummary.
_CRITERIA = {
    "skewness g1": "skewness",
    "dip statistic": "dip", "dip test p-value": "dip_p_value",
    "bimodality coefficient (5/9 = 0.556)": "bc",
    "GMM ΔBIC = BIC1 − BIC2 (common variance)": "gmm_delta_bic", "GMM: BIC prefers k": "gmm_preferred_k",
    "GMM: Kass-Raftery grade": "gmm_evidence",
    "2-component fit: separation (within-group SDs)": "gmm_separation",
    "2-component fit: modes": "gmm_modes",
    f"GMM: EM converged (tol {GMM_TOL:g})": "gmm_converged",
    "bootstrap LRT: LR = 2 ln(L2/L1)": "lrt_statistic", "bootstrap LRT: p-value": "lrt_p_value",
    "bootstrap LRT: samples B": "lrt_n_boot",
    "Foster-Wolfson P": "polarization", "P of a normal with the same CV": "polarization_normal",
}


def criteria_table(summaries: dict) -> pd.DataFrame:
    """The criteria of one or more :class:`BimodalitySummary` side by side: one row per criterion, one column
    per name (the keys of ``summaries``).

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> criteria_table({"x": s}).loc["GMM: BIC prefers k", "x"]
    2
    """
    if not isinstance(summaries, dict) or not summaries or \
            not all(isinstance(s, BimodalitySummary) for s in summaries.values()):
        raise ParameterError("summaries", "a non-empty dict of name -> BimodalitySummary (from bimodality_summary)",
                             Shown(type(summaries).__name__))
    return pd.DataFrame({name: pd.Series({label: getattr(s, attr) for label, attr in _CRITERIA.items()}, dtype=object)
                         for name, s in summaries.items()})


def power_table(power: pd.DataFrame, *, at=(0.0, 1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0)) -> pd.DataFrame:
    """The detection rates of a :func:`mixture_power` frame at the separations ``at`` that it simulated.

    Returns
    -------
    pandas.DataFrame
        Index ``separation`` (those of ``at`` in the frame, in within-group SDs), a column ``total SDs`` (the same
        separation in SDs of the whole distribution, :func:`total_sd_separation`), one column per criterion.

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0],
    ...                       "mixture_lrt": [0.05, 0.9, 1.0], "n": 100})
    >>> power_table(power, at=(0.0, 4.0))[["total SDs", "dip_test"]].round(3).values.tolist()
    [[0.0, 0.0], [1.789, 0.9]]
    """
    if not isinstance(power, pd.DataFrame) or not {"separation", *POWER_TESTS} <= set(power.columns):
        raise ParameterError("power", "a frame from mixture_power", Shown(type(power).__name__))
    simulated = set(power["separation"])
    out = power.set_index("separation")[list(POWER_TESTS)].loc[[d for d in at if d in simulated]]
    out.insert(0, "total SDs", total_sd_separation(out.index.to_numpy(float)))
    return out


def null_table(rates: pd.DataFrame) -> pd.DataFrame:
    """The false-positive rates of a :func:`null_rejection_rates` frame: one row per single-hump distribution,
    its skewness and one column per criterion.

    Examples
    --------
    >>> rates = pd.DataFrame({"null": ["normal"], "skewness": [0.0], "dip_test": [0.0], "bimodality_coefficient": [0.0],
    ...                       "gmm_bic": [0.02], "mixture_lrt": [0.05]})
    >>> list(null_table(rates).columns)
    ['skewness', 'dip_test', 'bimodality_coefficient', 'gmm_bic', 'mixture_lrt']
    """
    _check_nulls(rates)
    return rates.set_index("null")[["skewness", *POWER_TESTS]]


def _check_nulls(rates) -> None:
    if not isinstance(rates, pd.DataFrame) or not {"null", "skewness", *POWER_TESTS} <= set(rates.columns) \
            or rates.empty:
        raise ParameterError("rates", "a frame from null_rejection_rates", Shown(type(rates).__name__))


def format_separation(d: float, *, max_separation: float, total: bool = False) -> str:
    """``"d ≈ 4.1"`` (with ``total``: ``"d ≈ 4.1 (1.8 total SDs)"``), or ``"more than d = 7"`` when the power was
    not reached (``d`` NaN) up to ``max_separation``.

    Examples
    --------
    >>> format_separation(4.0507, max_separation=7.0), format_separation(float("nan"), max_separation=7.0)
    ('d ≈ 4.1', 'more than d = 7')
    >>> format_separation(4.0, max_separation=7.0, total=True)
    'd ≈ 4.0 (1.8 total SDs)'
    """
    if not np.isfinite(d):
        return f"more than d = {max_separation:g}"
    return f"d ≈ {d:.1f}" + (f" ({total_sd_separation(d):.1f} total SDs)" if total else "")


def covariate_notes(correlations: dict, *, name: str = "GDP per capita", lang: str = "en") -> str:
    """What :func:`covariate_correlations` left out: the cities without the covariate, per code, or that it was
    skipped (no covariate at all); in Chinese for ``lang="zh"`` (the covariate named 人均 GDP).

    Examples
    --------
    >>> covariate_notes({"A": None})
    'Skipped: no GDP per capita for this data folder.'
    >>> covariate_notes({"A": None}, lang="zh")
    '已跳过：该数据文件夹没有人均 GDP。'
    """
    if check_choice("lang", lang, ("en", "zh")) == "zh":
        if all(res is None for res in correlations.values()):
            return "已跳过：该数据文件夹没有人均 GDP。"
        lines = [f"{code}：{len(res.missing)} 个城市缺少人均 GDP，已排除：{'、'.join(map(str, res.missing))}"
                 for code, res in correlations.items() if res is not None and res.missing]
        return "\n".join(lines) or "没有城市缺少人均 GDP。"
    if all(res is None for res in correlations.values()):
        return f"Skipped: no {name} for this data folder."
    lines = [f"{code}: {len(res.missing)} cities without {name} left out: {', '.join(map(str, res.missing))}"
             for code, res in correlations.items() if res is not None and res.missing]
    return "\n".join(lines) or f"No city lacks {name}."


def _max_separation(power: pd.DataFrame) -> float:
    if not isinstance(power, pd.DataFrame) or "separation" not in power.columns or power.empty:
        raise ParameterError("power", "a frame from mixture_power", Shown(type(power).__name__))
    return float(power["separation"].max())


def power_statement(power: pd.DataFrame, needed: dict, *, labels: dict, summary: BimodalitySummary,
                    code: str = "LIV_HEALTH") -> str:
    """Where each criterion reaches the power sought, and (when the dip test reaches it) what that separation
    means in points on the scale of the scores summarised by ``summary``.

    Parameters
    ----------
    power : pandas.DataFrame
        From :func:`mixture_power` (gives n and the largest separation simulated).
    needed : dict
        From :func:`separations_for_power` (test -> separation, NaN when not reached).
    labels : dict
        test -> the label written for it.
    summary : BimodalitySummary
        Of the observed scores (``code``): its SD converts the separation into a gap in points.

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0],
    ...                       "mixture_lrt": [0.05, 0.9, 1.0], "n": 100})
    >>> from cityeval.analysis.polarization import bimodality_summary, separations_for_power
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> labels = {"dip_test": "dip", "bimodality_coefficient": "BC", "gmm_bic": "GMM", "mixture_lrt": "LRT"}
    >>> print(power_statement(power, separations_for_power(power), labels=labels, summary=s).split("\\n")[0])
    80% power with n = 100 cities is reached at (d in within-group SDs): dip: d ≈ 3.5 (1.7 total SDs); BC: more than d = 4; GMM: d ≈ 1.8 (1.3 total SDs); LRT: d ≈ 1.8 (1.3 total SDs).
    """
    top = _max_separation(power)
    n = int(power["n"].iloc[0])
    lines = [f"80% power with n = {n} cities is reached at (d in within-group SDs): "
             + "; ".join(f"{labels[t]}: {format_separation(d, max_separation=top, total=True)}"
                         for t, d in needed.items()) + "."]
    d = needed["dip_test"]
    if np.isfinite(d):
        gap = separation_to_gap(d, total_sd=summary.sd)
        lines.append(f"With the spread of the {code} scores here (SD {summary.sd:.1f} points), two equal groups "
                     f"{d:.1f} within-group SDs apart would have means about {gap:.0f} points apart on the 0-100 scale.")
    return "\n".join(lines)


def _rate_at(power: pd.DataFrame, test: str, d: float) -> tuple[float, bool]:
    """The detection rate of ``test`` at separation ``d``: simulated, or interpolated linearly (second value True)."""
    curve = power.sort_values("separation")
    x, y = curve["separation"].to_numpy(float), curve[test].to_numpy(float)
    return float(np.interp(d, x, y)), not np.any(x == d)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def power_reading(power: pd.DataFrame, needed: dict, *, nulls: pd.DataFrame, at=(2.0, 3.0),
                  skewed: str | None = None) -> str:
    """What the power simulation says a reader can conclude (Markdown), built from the numbers: the separation the
    dip test needs for 80% power, in within-group and in total SDs; each criterion's detection rate at the milder
    separations ``at``; which criteria miss such groups most of the time (below 50% at the largest of ``at``), and
    how often the others call a single skewed hump two groups (``nulls``, the row ``skewed``: by default the most
    skewed one).

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 3.0, 4.0], "dip_test": [0.0, 0.02, 0.1, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.0, 0.05, 0.2], "gmm_bic": [0.0, 0.1, 0.8, 1.0],
    ...                       "mixture_lrt": [0.05, 0.15, 0.85, 1.0], "n": 100})
    >>> nulls = pd.DataFrame({"null": ["normal", "log-normal"], "skewness": [0.0, 1.75], "dip_test": [0.0, 0.0],
    ...                       "bimodality_coefficient": [0.0, 0.1], "gmm_bic": [0.02, 0.9], "mixture_lrt": [0.05, 0.95]})
    >>> from cityeval.analysis.polarization import separations_for_power
    >>> text = power_reading(power, separations_for_power(power), nulls=nulls)
    >>> text.split(". ")[3]
    'At d = 3 the dip test and BC > 5/9 miss them most of the time (below 50%)'
    """
    _check_nulls(nulls)
    top = _max_separation(power)
    n = int(power["n"].iloc[0])
    d80 = needed["dip_test"]
    sep = format_separation(d80, max_separation=top)
    need = (f"only when their means are {sep} within-group SDs apart, which is {total_sd_separation(d80):.1f} SDs of "
            "the whole distribution — two clearly separated clusters, visible by eye in a histogram"
            if np.isfinite(d80) else f"at no separation simulated ({sep} within-group SDs)")
    rates = {t: [_rate_at(power, t, d) for d in at] for t in POWER_TESTS}
    interpolated = any(flag for v in rates.values() for _, flag in v)
    each = "; ".join(f"{_NAMES[t]} {' and '.join(_pct(r) for r, _ in v)}" for t, v in rates.items())
    totals = " and ".join(f"{total_sd_separation(d):.2f}" for d in at)
    last = at[-1]
    missed = [t for t in POWER_TESTS if rates[t][-1][0] < 0.5]
    seen = [t for t in POWER_TESTS if t not in missed]
    table = nulls.set_index("null")
    row = skewed if skewed is not None else table["skewness"].idxmax()
    parts = [
        "**Can:** say what the claim would have to mean and what it would take to test it. \"Few cities in the "
        f"middle\" is a claim of bimodality; with n = {n} cities, the dip test detects two equal groups 80% of the "
        f"time {need}",
        f"For milder groups, {' and '.join(f'{d:g}' for d in at)} within-group SDs apart ({totals} total SDs), the "
        f"simulated detection rates{' (interpolated between simulated separations)' if interpolated else ''} are: "
        f"{each}",
    ]
    if missed:
        parts.append(f"At d = {last:g} {_join([_NAMES[t] for t in missed])} miss them most of the time (below 50%)")
    if seen:
        who = _join([_NAMES[t] for t in seen])
        parts.append(f"{who[0].upper() + who[1:]} detect them at d = {last:g} more often than "
                     f"not, but they also call a single skewed hump two groups: "
                     + ", ".join(f"{_NAMES[t]} {_pct(table.loc[row, t])}" for t in seen)
                     + f" of {row} samples (skewness {table.loc[row, 'skewness']:.2f})")
    parts.append("So a reader should ask for the scores and a test before accepting the reading of Fig. 13.")
    return ". ".join(parts)


def _join(items: list) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def null_statement(nulls: pd.DataFrame, *, observed: dict | None = None) -> str:
    """How often each criterion calls a single hump "two groups", per distribution of ``nulls``
    (:func:`null_rejection_rates`), and (``observed``: name -> BimodalitySummary) the skewness of the data beside.

    Examples
    --------
    >>> nulls = pd.DataFrame({"null": ["normal"], "skewness": [0.0], "dip_test": [0.0], "bimodality_coefficient": [0.0],
    ...                       "gmm_bic": [0.02], "mixture_lrt": [0.05], "n": 100, "n_sim": 500})
    >>> null_statement(nulls).split(": ", 1)[1].split(". ")[0]
    'normal (skewness 0.00): the dip test 0%, BC > 5/9 0%, the GMM BIC 2%, the bootstrap LRT 5%'
    """
    _check_nulls(nulls)
    n, n_sim = int(nulls["n"].iloc[0]), int(nulls["n_sim"].iloc[0])
    rows = "; ".join(f"{name} (skewness {row['skewness']:.2f}): " + ", ".join(f"{_NAMES[t]} {_pct(row[t])}"
                                                                             for t in POWER_TESTS)
                     for name, row in nulls.set_index("null").iterrows())
    text = (f"Share of {n_sim} simulated single-hump samples of n = {n} that each criterion calls two groups (a false "
            f"positive for bimodality; simulated distributions, not the panel's scores): {rows}. On normal samples the "
            "bootstrap LRT's rate estimates its size given this one set of bootstrap samples; over bootstrap sets the "
            "size is α.")
    if observed:
        text += (" The scores analysed here have skewness "
                 + ", ".join(f"{s.skewness:.2f} ({name})" for name, s in observed.items())
                 + ": against a skewed single hump, a \"two components\" verdict of the GMM BIC or the bootstrap LRT "
                 "is what the rates above say it is.")
    return text


def convergence_note(power: pd.DataFrame, nulls: pd.DataFrame, observed: dict) -> str:
    """Whether every mixture fit converged: the power samples, the null samples and the observed fits
    (``observed``: name -> BimodalitySummary), with the counts of those that did not.

    Examples
    --------
    >>> power = pd.DataFrame({"fits_unconverged": [0, 0], "n_sim": 10, "n_boot": 99})
    >>> convergence_note(power, power.iloc[:1], {})
    'Every mixture fit converged (EM to a tolerance of 1e-08): 0 of the 20 power samples and 0 of the 10 single-hump samples rest on a fit that reached the iteration limit.'
    """
    for name, frame in (("power", power), ("nulls", nulls)):
        if not isinstance(frame, pd.DataFrame) or not {"fits_unconverged", "n_sim"} <= set(frame.columns):
            raise ParameterError(name, "a frame from mixture_power / null_rejection_rates", Shown(type(frame).__name__))
    bad_power, bad_null = int(power["fits_unconverged"].sum()), int(nulls["fits_unconverged"].sum())
    total_power, total_null = int(power["n_sim"].iloc[0]) * len(power), int(nulls["n_sim"].iloc[0]) * len(nulls)
    bad_observed = [name for name, s in observed.items() if not s.gmm_converged]
    ok = bad_power == 0 and bad_null == 0 and not bad_observed
    text = (f"{'Every mixture fit converged' if ok else 'Not every mixture fit converged'} (EM to a tolerance of "
            f"{GMM_TOL:g}): {bad_power} of the {total_power} power samples and {bad_null} of the {total_null} "
            "single-hump samples rest on a fit that reached the iteration limit")
    if bad_observed:
        text += f"; the fit of {', '.join(bad_observed)} did not converge, so its ΔBIC is a lower bound"
    return text + "."


def bimodality_verdict(summary: BimodalitySummary, *, alpha: float) -> str:
    """One sentence (without its full stop) on what the five criteria say about one distribution.

    A dip test that does not reject is reported as that ("does not reject unimodality"), never as a finding of
    unimodality; the likelihood-ratio test is reported as a test of one *normal* distribution.

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> bimodality_verdict(s, alpha=0.05).split(";")[0]
    'the dip test rejects unimodality at α = 0.05 (p = 0.002, dip = 0.188)'
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    if not isinstance(summary, BimodalitySummary):
        raise ParameterError("summary", "a BimodalitySummary (from bimodality_summary)", Shown(type(summary).__name__))
    s = summary
    dip = (f"the dip test rejects unimodality at α = {alpha:g} (p = {s.dip_p_value:.3f}, dip = {s.dip:.3f})"
           if s.dip_p_value < alpha else
           f"the dip test does not reject unimodality (p = {s.dip_p_value:.2f}, dip = {s.dip:.3f})")
    bc = f"BC = {s.bc:.3f}, {'above' if s.bc_above_5_9 else 'below'} 5/9"
    k = s.gmm_preferred_k
    grade = f"evidence {s.gmm_evidence}" if s.gmm_evidence.startswith("not") else f"{s.gmm_evidence} evidence"
    gmm = (f"BIC prefers {k} normal component{'s' if k == 2 else ''} (common variance; ΔBIC = {s.gmm_delta_bic:.1f}: "
           f"{grade} on Kass and Raftery's scale); the two-component fit has {s.gmm_modes} "
           f"mode{'s' if s.gmm_modes != 1 else ''}")
    if not s.gmm_converged:
        gmm += " (its EM fit did not converge, so this ΔBIC is a lower bound)"
    lrt_p = f"LR = {s.lrt_statistic:.1f}, p = {_p_text(s.lrt_p_value)}, B = {s.lrt_n_boot}"
    lrt = (f"the bootstrap likelihood-ratio test rejects one normal distribution at α = {alpha:g} ({lrt_p})"
           if s.lrt_p_value <= alpha else
           f"the bootstrap likelihood-ratio test does not reject one normal distribution ({lrt_p})")
    polar = ("" if s.polarization is None else
             f"; Foster–Wolfson P = {s.polarization:.3f}, against {s.polarization_normal:.3f} for a "
             "normal distribution with the same coefficient of variation")
    return f"{dip}; {bc}; {gmm}; {lrt}{polar}"


def _p_text(p: float) -> str:
    """A bootstrap p-value: three decimals, four below 0.001 (B = 4999 gives p down to 1/5000 = 0.0002)."""
    return f"{p:.3f}" if p >= 0.001 else f"{p:.4f}"


def grade_caveat(summary: BimodalitySummary, nulls: pd.DataFrame) -> str:
    """Why ΔBIC's Kass–Raftery grade is not evidence of groups for a skewed sample, from the single-hump rates: the
    GMM BIC's "two groups" rate on the most skewed single hump of ``nulls`` (from :func:`null_rejection_rates`) whose
    skewness does not exceed the sample's (the least skewed one when all do). Empty when BIC prefers one component.

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 1.1, 1.2, 1.4, 1.7, 2.2, 3.0, 9.0], seed=0, n_boot=19)
    >>> nulls = pd.DataFrame({"null": ["normal", "log-normal"], "skewness": [0.0, 1.75], "gmm_bic": [0.01, 0.98],
    ...                       "n_sim": 500})
    >>> text = grade_caveat(s, nulls)   # skewness: scipy.stats.skew(x, bias=False) = 2.5046
    >>> text[text.index("(skewness"):text.index(" the GMM")]
    '(skewness 2.50): on single humps of the log-normal shape (skewness 1.75, less skewed than this sample)'
    >>> text[text.index("the GMM"):]
    'the GMM BIC prefers two components in 98% of 500 simulated samples of the same size'
    """
    if not isinstance(summary, BimodalitySummary):
        raise ParameterError("summary", "a BimodalitySummary (from bimodality_summary)", Shown(type(summary).__name__))
    if not isinstance(nulls, pd.DataFrame) or not {"null", "skewness", "gmm_bic", "n_sim"} <= set(nulls.columns) \
            or nulls.empty:
        raise ParameterError("nulls", "a frame from null_rejection_rates", Shown(type(nulls).__name__))
    if summary.gmm_preferred_k != 2:
        return ""
    below = nulls[nulls["skewness"] <= summary.skewness]
    row = (below.loc[below["skewness"].idxmax()] if len(below) else nulls.loc[nulls["skewness"].idxmin()])
    return (f"ΔBIC's grade is not evidence of two groups for a sample this skewed (skewness {summary.skewness:.2f}): "
            f"on single humps of the {row['null']} shape (skewness {row['skewness']:.2f}, "
            f"{'less' if row['skewness'] <= summary.skewness else 'more'} skewed than this sample) the GMM BIC "
            f"prefers two components in {100 * row['gmm_bic']:.0f}% of {int(row['n_sim'])} simulated samples of the "
            "same size")


class HealthcareFindings(NamedTuple):
    """Result of :func:`healthcare_findings`: ``summary`` (one sentence for the results file) and
    ``conclusion`` (Markdown), and both in Chinese (``summary_zh``, ``conclusion_zh``)."""

    summary: str
    conclusion: str
    summary_zh: str = ""
    conclusion_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """The conclusion in ``lang`` (Markdown)."""
        return self.conclusion_zh if check_choice("lang", lang, ("en", "zh")) == "zh" else self.conclusion


_SYNTHETIC_CAVEAT = (
    "None of this confirms or refutes the report: the synthetic panel reproduces CCID's published ranks "
    "(including the healthcare top 20), but nothing in it was set to make healthcare polarized or digital life "
    "even, and its generator draws all cities from one group, so a single hump is what it should show. "
    "Its distributions say nothing about CCID's scores.")


#: The texts ``healthcare_findings(spread=...)`` needs (and ``"life_gdp_r"`` when there is GDP per capita).
_SPREAD_KEYS = ("health_dip_p", "health_bc", "health_delta_bic", "health_lrt_p",
                "life_dip_p", "life_bc", "life_delta_bic", "life_lrt_p")


def healthcare_findings(health: BimodalitySummary, life: BimodalitySummary, *, power: pd.DataFrame, needed: dict,
                        alpha: float, synthetic: bool, data_path, health_gdp: CovariateCorrelation | None = None,
                        life_gdp: CovariateCorrelation | None = None, spread: dict | None = None,
                        nulls: pd.DataFrame | None = None, spread_zh: dict | None = None) -> HealthcareFindings:
    """Notebook 04's conclusion on digital healthcare (LIV_HEALTH) and digital life (LIV_LIFE).

    Parameters
    ----------
    health, life : BimodalitySummary
        Of the LIV_HEALTH and LIV_LIFE scores.
    power : pandas.DataFrame
        From :func:`mixture_power`; ``needed`` from :func:`separations_for_power` of it.
    alpha : float
        Level of the dip test and of the likelihood-ratio test.
    synthetic : bool
        The data are the synthetic panel (the texts say "illustrative").
    data_path : path-like
        The dataset folder, named in the conclusion when the data are not synthetic.
    health_gdp, life_gdp : CovariateCorrelation, optional
        The scores against GDP per capita; ``None`` when the data have no GDP per capita.
    spread : dict, optional
        The texts of :data:`_SPREAD_KEYS` (dip-test p-value, BC, ΔBIC and LRT p-value of each indicator) and,
        when ``life_gdp`` is given, ``"life_gdp_r"``: those statistics with their range over the ensemble of
        panels fitting the published ranks (``EnsembleSummary.range_text``). The summary quotes these in place
        of the nominal values. Without ``spread`` on synthetic data the summary says that every number is the
        nominal panel's.
    nulls : pandas.DataFrame, optional
        From :func:`null_rejection_rates`: when given, each indicator whose BIC prefers two components gets
        :func:`grade_caveat` beside its ΔBIC.
    spread_zh : dict, optional
        ``spread`` in Chinese (``spread_texts(summary, "zh")``), for ``summary_zh``; default ``spread``.

    Returns
    -------
    HealthcareFindings

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0],
    ...                       "mixture_lrt": [0.05, 0.9, 1.0], "n": 100})
    >>> from cityeval.analysis.polarization import bimodality_summary, separations_for_power
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0, n_boot=19)
    >>> f = healthcare_findings(s, s, power=power, needed=separations_for_power(power), alpha=0.05, synthetic=True,
    ...                         data_path="data/x")
    >>> f.summary.split("; ")[-1]
    'the dip test needs two equal groups d ≈ 3.5 within-group SDs (1.7 total SDs) apart for 80% power at n = 8.'
    """
    synthetic = check_bool("synthetic", synthetic)
    keys = set(_SPREAD_KEYS) | ({"life_gdp_r"} if life_gdp is not None else set())
    if spread is not None and (not isinstance(spread, dict) or not keys <= set(spread)
                               or not all(isinstance(v, str) for v in spread.values())):
        raise ParameterError("spread", f"None or a dict with the texts {', '.join(map(repr, sorted(keys)))}",
                             Shown(type(spread).__name__ if not isinstance(spread, dict) else f"keys {sorted(spread)}"))
    top = _max_separation(power)
    fmt = {t: format_separation(needed[t], max_separation=top, total=True) for t in POWER_TESTS}
    n = health.n
    where = ("On this synthetic panel (illustrative numbers, not CCID's scores)" if synthetic
             else f"On the data in {data_path}")
    caveat = {key: (f". {grade_caveat(s, nulls)}" if nulls is not None and grade_caveat(s, nulls) else "")
              for key, s in (("health", health), ("life", life))}
    lines = [f"**{where}**, for the top {n} cities:", "",
             f"* **Digital healthcare (LIV_HEALTH):** {bimodality_verdict(health, alpha=alpha)}{caveat['health']}.",
             f"* **Digital life (LIV_LIFE):** {bimodality_verdict(life, alpha=alpha)}{caveat['life']}."]
    if life_gdp is not None and health_gdp is not None:
        lines.append(f"* **With GDP per capita:** digital life r = {life_gdp.pearson:.2f} "
                     f"(p = {life_gdp.pearson_p_value:.3f}), ρ = {life_gdp.spearman:.2f} "
                     f"(p = {life_gdp.spearman_p_value:.3f}); digital healthcare r = {health_gdp.pearson:.2f}, "
                     f"ρ = {health_gdp.spearman:.2f} (n = {life_gdp.n}).")
    else:
        lines.append("* **With GDP per capita:** not computed — this data folder has no `covariates.csv` with "
                     "`gdp_per_capita`.")
    d_dip = needed["dip_test"]
    dip_need = (f"two equal groups whose means are d ≈ {d_dip:.1f} within-group SDs apart "
                f"({total_sd_separation(d_dip):.1f} SDs of the whole distribution)" if np.isfinite(d_dip)
                else f"no separation simulated (up to d = {top:g} within-group SDs)")
    lines.append(f"* **Power:** with n = {n}, the dip test reaches 80% power only for {dip_need}; "
                 f"BC > 5/9 needs {fmt['bimodality_coefficient']}, the GMM BIC {fmt['gmm_bic']}, the bootstrap "
                 f"LRT {fmt['mixture_lrt']}.")
    if synthetic:
        lines += ["", _SYNTHETIC_CAVEAT]
    if spread is None:
        text = {"health_dip_p": f"{health.dip_p_value:.2f}", "health_bc": f"{health.bc:.2f}",
                "health_delta_bic": f"{health.gmm_delta_bic:.1f}", "health_lrt_p": _p_text(health.lrt_p_value),
                "life_dip_p": f"{life.dip_p_value:.2f}", "life_bc": f"{life.bc:.2f}",
                "life_delta_bic": f"{life.gmm_delta_bic:.1f}", "life_lrt_p": _p_text(life.lrt_p_value),
                "life_gdp_r": f"{life_gdp.pearson:.2f}" if life_gdp is not None else ""}
        mark = "Illustrative (one synthetic panel, the nominal one; not CCID's scores): " if synthetic else ""
    else:
        text = spread
        mark = "Illustrative (synthetic panels, not CCID's scores): " if synthetic else ""
    summary = (
        mark
        + "; ".join(f"{code} dip p = {text[f'{key}_dip_p']}, BC = {text[f'{key}_bc']}, "
                    f"ΔBIC = {text[f'{key}_delta_bic']}, bootstrap LRT p = {text[f'{key}_lrt_p']}"
                    for key, code in (("health", "LIV_HEALTH"), ("life", "LIV_LIFE")))
        + (f"; LIV_LIFE~GDP per capita r = {text['life_gdp_r']}" if life_gdp is not None else "; no GDP per capita")
        + f"; the dip test needs two equal groups {format_separation(needed['dip_test'], max_separation=top)} "
          f"within-group SDs"
        + (f" ({total_sd_separation(needed['dip_test']):.1f} total SDs)" if np.isfinite(needed["dip_test"]) else "")
        + f" apart for 80% power at n = {n}."
    )
    conclusion_zh = healthcare_conclusion_zh(health, life, needed=needed, top=top, alpha=alpha, synthetic=synthetic,
                                             data_path=data_path, health_gdp=health_gdp, life_gdp=life_gdp, nulls=nulls)
    summary_zh = healthcare_summary_zh(health, life, needed=needed, top=top, synthetic=synthetic,
                                       gdp=life_gdp is not None, life_gdp=life_gdp,
                                       spread=spread_zh if spread_zh is not None else spread)
    return HealthcareFindings(summary=summary, conclusion="\n".join(lines), summary_zh=summary_zh,
                              conclusion_zh=conclusion_zh)
