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
from cityeval.validation import Shown, check_bool, check_number

from cityeval.analysis._polarization_covariates import CovariateCorrelation
from cityeval.analysis._polarization_power import POWER_TESTS, separation_to_gap
from cityeval.analysis._polarization_statistics import BimodalitySummary

__all__ = ["require_indicators", "describe_covariate", "criteria_table", "power_table", "format_separation",
           "covariate_notes", "power_statement", "bimodality_verdict", "HealthcareFindings", "healthcare_findings"]


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
    "dip statistic": "dip", "dip test p-value": "dip_p_value",
    "bimodality coefficient (5/9 = 0.556)": "bc",
    "GMM ΔBIC = BIC1 − BIC2": "gmm_delta_bic", "GMM: BIC prefers k": "gmm_preferred_k",
    "GMM: Kass-Raftery grade": "gmm_evidence",
    "2-component fit: separation (SDs)": "gmm_separation",
    "2-component fit: modes": "gmm_modes",
    "Foster-Wolfson P": "polarization", "P of a normal with the same CV": "polarization_normal",
}


def criteria_table(summaries: dict) -> pd.DataFrame:
    """The criteria of one or more :class:`BimodalitySummary` side by side: one row per criterion, one column
    per name (the keys of ``summaries``).

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0)
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
        Index ``separation`` (those of ``at`` in the frame), one column per criterion.

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0], "n": 100})
    >>> power_table(power, at=(0.0, 4.0))["dip_test"].tolist()
    [0.0, 0.9]
    """
    if not isinstance(power, pd.DataFrame) or not {"separation", *POWER_TESTS} <= set(power.columns):
        raise ParameterError("power", "a frame from mixture_power", Shown(type(power).__name__))
    simulated = set(power["separation"])
    return power.set_index("separation")[list(POWER_TESTS)].loc[[d for d in at if d in simulated]]


def format_separation(d: float, *, max_separation: float) -> str:
    """``"d ≈ 4.1"``, or ``"more than d = 7"`` when the power was not reached (``d`` NaN) up to ``max_separation``.

    Examples
    --------
    >>> format_separation(4.0507, max_separation=7.0), format_separation(float("nan"), max_separation=7.0)
    ('d ≈ 4.1', 'more than d = 7')
    """
    return f"d ≈ {d:.1f}" if np.isfinite(d) else f"more than d = {max_separation:g}"


def covariate_notes(correlations: dict, *, name: str = "GDP per capita") -> str:
    """What :func:`covariate_correlations` left out: the cities without the covariate, per code, or that it was
    skipped (no covariate at all).

    Examples
    --------
    >>> covariate_notes({"A": None})
    'Skipped: no GDP per capita for this data folder.'
    """
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
    ...                       "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0], "n": 100})
    >>> from cityeval.analysis.polarization import bimodality_summary, separations_for_power
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0)
    >>> labels = {"dip_test": "dip", "bimodality_coefficient": "BC", "gmm_bic": "GMM"}
    >>> print(power_statement(power, separations_for_power(power), labels=labels, summary=s).split("\\n")[0])
    80% power with n = 100 cities is reached at: dip: d ≈ 3.5; BC: more than d = 4; GMM: d ≈ 1.8.
    """
    top = _max_separation(power)
    n = int(power["n"].iloc[0])
    lines = [f"80% power with n = {n} cities is reached at: "
             + "; ".join(f"{labels[t]}: {format_separation(d, max_separation=top)}" for t, d in needed.items()) + "."]
    d = needed["dip_test"]
    if np.isfinite(d):
        gap = separation_to_gap(d, total_sd=summary.sd)
        lines.append(f"With the spread of the {code} scores here (SD {summary.sd:.1f} points), two equal groups "
                     f"{d:.1f} within-group SDs apart would have means about {gap:.0f} points apart on the 0-100 scale.")
    return "\n".join(lines)


def bimodality_verdict(summary: BimodalitySummary, *, alpha: float) -> str:
    """One sentence (without its full stop) on what the four criteria say about one distribution.

    Examples
    --------
    >>> from cityeval.analysis.polarization import bimodality_summary
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0)
    >>> bimodality_verdict(s, alpha=0.05).split(";")[0]
    'the dip test rejects unimodality at α = 0.05 (dip = 0.188, p = 0.002)'
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    if not isinstance(summary, BimodalitySummary):
        raise ParameterError("summary", "a BimodalitySummary (from bimodality_summary)", Shown(type(summary).__name__))
    s = summary
    dip = (f"the dip test rejects unimodality at α = {alpha:g} (dip = {s.dip:.3f}, p = {s.dip_p_value:.3f})"
           if s.dip_p_value < alpha else
           f"the dip test does not reject unimodality (dip = {s.dip:.3f}, p = {s.dip_p_value:.2f})")
    bc = f"BC = {s.bc:.3f}, {'above' if s.bc_above_5_9 else 'below'} 5/9"
    k = s.gmm_preferred_k
    grade = f"evidence {s.gmm_evidence}" if s.gmm_evidence.startswith("not") else f"{s.gmm_evidence} evidence"
    gmm = (f"BIC prefers {k} Gaussian component{'s' if k == 2 else ''} (ΔBIC = {s.gmm_delta_bic:.1f}: "
           f"{grade} on Kass and Raftery's scale); the two-component fit has {s.gmm_modes} "
           f"mode{'s' if s.gmm_modes != 1 else ''}")
    polar = ("" if s.polarization is None else
             f"; Foster–Wolfson P = {s.polarization:.3f}, against {s.polarization_normal:.3f} for a "
             "normal distribution with the same coefficient of variation")
    return f"{dip}; {bc}; {gmm}{polar}"


class HealthcareFindings(NamedTuple):
    """Result of :func:`healthcare_findings`: ``summary`` (one sentence for the results file) and
    ``conclusion`` (Markdown)."""

    summary: str
    conclusion: str


_SYNTHETIC_CAVEAT = (
    "None of this confirms or refutes the report: the synthetic panel reproduces CCID's published ranks "
    "(including the healthcare top 20), but nothing in it was set to make healthcare polarized or digital life "
    "even, and its generator draws all cities from one group, so a single hump is what it should show. "
    "Its distributions say nothing about CCID's scores.")


#: The texts ``healthcare_findings(spread=...)`` needs (and ``"life_gdp_r"`` when there is GDP per capita).
_SPREAD_KEYS = ("health_dip_p", "health_bc", "life_dip_p", "life_bc")


def healthcare_findings(health: BimodalitySummary, life: BimodalitySummary, *, power: pd.DataFrame, needed: dict,
                        alpha: float, synthetic: bool, data_path, health_gdp: CovariateCorrelation | None = None,
                        life_gdp: CovariateCorrelation | None = None, spread: dict | None = None) -> HealthcareFindings:
    """Notebook 04's conclusion on digital healthcare (LIV_HEALTH) and digital life (LIV_LIFE).

    Parameters
    ----------
    health, life : BimodalitySummary
        Of the LIV_HEALTH and LIV_LIFE scores.
    power : pandas.DataFrame
        From :func:`mixture_power`; ``needed`` from :func:`separations_for_power` of it.
    alpha : float
        Level of the dip test.
    synthetic : bool
        The data are the synthetic panel (the texts say "illustrative").
    data_path : path-like
        The dataset folder, named in the conclusion when the data are not synthetic.
    health_gdp, life_gdp : CovariateCorrelation, optional
        The scores against GDP per capita; ``None`` when the data have no GDP per capita.
    spread : dict, optional
        ``{"health_dip_p": text, "health_bc": text, "life_dip_p": text, "life_bc": text}`` and, when
        ``life_gdp`` is given, ``"life_gdp_r"``: those statistics with their range over the ensemble of
        panels fitting the published ranks (``EnsembleSummary.range_text``). The summary quotes these in
        place of the nominal values; the one number it has no range for (the mixture's ΔBIC, left out of
        the ensemble) is labelled as the nominal panel's. Without ``spread`` on synthetic data the summary
        says that every number is the nominal panel's.

    Returns
    -------
    HealthcareFindings

    Examples
    --------
    >>> power = pd.DataFrame({"separation": [0.0, 2.0, 4.0], "dip_test": [0.0, 0.5, 0.9],
    ...                       "bimodality_coefficient": [0.0, 0.1, 0.2], "gmm_bic": [0.0, 0.9, 1.0], "n": 100})
    >>> from cityeval.analysis.polarization import bimodality_summary, separations_for_power
    >>> s = bimodality_summary([1.0, 2.0, 2.0, 3.0, 9.0, 10.0, 10.0, 11.0], seed=0)
    >>> f = healthcare_findings(s, s, power=power, needed=separations_for_power(power), alpha=0.05, synthetic=True,
    ...                         data_path="data/x")
    >>> f.summary.split(";")[-1]
    ' the dip test needs two groups d ≈ 3.5 SDs apart for 80% power at n = 8.'
    """
    synthetic = check_bool("synthetic", synthetic)
    keys = set(_SPREAD_KEYS) | ({"life_gdp_r"} if life_gdp is not None else set())
    if spread is not None and (not isinstance(spread, dict) or not keys <= set(spread)
                               or not all(isinstance(v, str) for v in spread.values())):
        raise ParameterError("spread", f"None or a dict with the texts {', '.join(map(repr, sorted(keys)))}",
                             Shown(type(spread).__name__ if not isinstance(spread, dict) else f"keys {sorted(spread)}"))
    top = _max_separation(power)
    fmt = {t: format_separation(needed[t], max_separation=top) for t in POWER_TESTS}
    n = health.n
    where = ("On this synthetic panel (illustrative numbers, not CCID's scores)" if synthetic
             else f"On the data in {data_path}")
    lines = [f"**{where}**, for the top {n} cities:", "",
             f"* **Digital healthcare (LIV_HEALTH):** {bimodality_verdict(health, alpha=alpha)}.",
             f"* **Digital life (LIV_LIFE):** {bimodality_verdict(life, alpha=alpha)}."]
    if life_gdp is not None and health_gdp is not None:
        lines.append(f"* **With GDP per capita:** digital life r = {life_gdp.pearson:.2f} "
                     f"(p = {life_gdp.pearson_p_value:.3f}), ρ = {life_gdp.spearman:.2f} "
                     f"(p = {life_gdp.spearman_p_value:.3f}); digital healthcare r = {health_gdp.pearson:.2f}, "
                     f"ρ = {health_gdp.spearman:.2f} (n = {life_gdp.n}).")
    else:
        lines.append("* **With GDP per capita:** not computed — this data folder has no `covariates.csv` with "
                     "`gdp_per_capita`.")
    lines.append(f"* **Power:** with n = {n}, the dip test reaches 80% power only for two equal groups "
                 f"{fmt['dip_test']} within-group SDs apart (BC > 5/9: {fmt['bimodality_coefficient']}; "
                 f"GMM BIC: {fmt['gmm_bic']}).")
    if synthetic:
        lines += ["", _SYNTHETIC_CAVEAT]
    if spread is None:
        text = {"health_dip_p": f"{health.dip_p_value:.2f}", "health_bc": f"{health.bc:.2f}",
                "life_dip_p": f"{life.dip_p_value:.2f}", "life_bc": f"{life.bc:.2f}",
                "life_gdp_r": f"{life_gdp.pearson:.2f}" if life_gdp is not None else ""}
        mark = "Illustrative (one synthetic panel, the nominal one; not CCID's scores): " if synthetic else ""
        bic = f"ΔBIC = {health.gmm_delta_bic:.1f} (LIV_HEALTH), {life.gmm_delta_bic:.1f} (LIV_LIFE)"
    else:
        text = spread
        mark = "Illustrative (synthetic panels, not CCID's scores): " if synthetic else ""
        bic = (f"{'nominal panel only' if synthetic else 'one panel only'}: ΔBIC = {health.gmm_delta_bic:.1f} "
               f"(LIV_HEALTH), {life.gmm_delta_bic:.1f} (LIV_LIFE)")
    summary = (
        mark
        + f"LIV_HEALTH dip p = {text['health_dip_p']}, BC = {text['health_bc']}; "
        + f"LIV_LIFE dip p = {text['life_dip_p']}, BC = {text['life_bc']}"
        + (f"; LIV_LIFE~GDP per capita r = {text['life_gdp_r']}" if life_gdp is not None else "; no GDP per capita")
        + f"; {bic}"
        + f"; the dip test needs two groups {fmt['dip_test']} SDs apart for 80% power at n = {n}."
    )
    return HealthcareFindings(summary=summary, conclusion="\n".join(lines))
