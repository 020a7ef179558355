"""Notebook 04's statistics on one panel, for the ensemble of panels that fit the published ranks.

Re-exported by :mod:`cityeval.analysis.polarization`; import from there. The same function gives
the nominal panel's values and every ensemble member's, so the two cannot drift apart; it takes
plain frames (no notebook objects).
"""
from __future__ import annotations

import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_number

from cityeval.analysis._polarization_covariates import covariate_correlation, load_covariate
from cityeval.analysis._polarization_statistics import BC_UNIFORM, bimodality_coefficient, dip_test

__all__ = ["ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "HealthcareStatistics",
           "UNIMODAL_BY_CONSTRUCTION"]

_HEALTH, _LIFE = "LIV_HEALTH", "LIV_LIFE"

#: The sentence notebook 04 adds to the ensemble's: what a dip-test verdict that holds in every panel is worth.
UNIMODAL_BY_CONSTRUCTION = (
    "Unimodality is built into the generator: it draws every city from one group (one right-skewed hump per "
    "indicator), so every panel is unimodal by construction, and the dip test not rejecting unimodality in every "
    "panel follows from that construction. It says nothing about CCID's data, for or against the report's "
    "\"polarization\".")


def ensemble_statistics(scores: pd.DataFrame, *, gdp: pd.Series | None = None) -> dict:
    """Dip-test p-value and bimodality coefficient of digital healthcare and digital life, and digital life's
    correlation with GDP per capita, on one panel.

    Parameters
    ----------
    scores : pandas.DataFrame
        Cities x codes (the cities analysed, e.g. the top 100), with the columns ``LIV_HEALTH`` and
        ``LIV_LIFE``; finite.
    gdp : pandas.Series, optional
        GDP per capita by city (:func:`load_covariate`); ``None`` leaves ``life_gdp_r`` out. Cities
        without a value are left out of the correlation (as in :func:`covariate_correlation`).

    Returns
    -------
    dict
        ``health_dip_p``, ``health_bc``, ``life_dip_p``, ``life_bc`` and, with ``gdp``, ``life_gdp_r``
        (floats, in that order).

    Raises
    ------
    ParameterError
        ``scores`` is not a DataFrame or lacks one of the two columns.
    DataError
        A NaN or infinite score (named by its city), as in :func:`dip_test`.

    Notes
    -----
    The dip-test p-value interpolates the ``diptest`` package's table of the dip's distribution under
    the uniform null (no simulation, no bootstrap), so it costs a few milliseconds per panel and the
    nominal value here is the one of the notebook's criteria table. The Gaussian-mixture comparison is
    left out: its fits cost about 0.3 s per panel, more than the rest together.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0]       # g1 = 0, g2 = -1.2: BC = 1 / (-1.2 + 13.5) (bimodality_coefficient)
    >>> s = ensemble_statistics(pd.DataFrame({"LIV_HEALTH": x, "LIV_LIFE": x}))
    >>> list(s), round(s["health_bc"], 6)
    (['health_dip_p', 'health_bc', 'life_dip_p', 'life_bc'], 0.081301)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = codes)",
                             Shown(type(scores).__name__))
    absent = [c for c in (_HEALTH, _LIFE) if c not in scores.columns]
    if absent:
        raise ParameterError("scores", f"a DataFrame with the columns {_HEALTH} and {_LIFE}",
                             Shown(f"a DataFrame without {', '.join(absent)}"))
    out = {}
    for key, code in (("health", _HEALTH), ("life", _LIFE)):
        out[f"{key}_dip_p"] = dip_test(scores[code]).p_value
        out[f"{key}_bc"] = bimodality_coefficient(scores[code])
    if gdp is not None:
        out["life_gdp_r"] = covariate_correlation(scores[_LIFE], gdp).pearson
    return out


def ensemble_labels(*, gdp: bool) -> dict:
    """The labels of :func:`ensemble_statistics`' values, for tables and figures (``gdp``: with ``life_gdp_r``).

    Examples
    --------
    >>> list(ensemble_labels(gdp=False))
    ['health_dip_p', 'health_bc', 'life_dip_p', 'life_bc']
    """
    gdp = check_bool("gdp", gdp)
    out = {"health_dip_p": "digital healthcare: dip-test p-value (tabulated null, no simulation)",
           "health_bc": "digital healthcare: bimodality coefficient (5/9 = 0.556)",
           "life_dip_p": "digital life: dip-test p-value (tabulated null, no simulation)",
           "life_bc": "digital life: bimodality coefficient (5/9 = 0.556)"}
    if gdp:
        out["life_gdp_r"] = "digital life vs GDP per capita: Pearson r"
    return out


def ensemble_conclusions(*, alpha: float, gdp: bool) -> dict:
    """The yes/no statements notebook 04 makes about its statistics, as tests of one panel's
    :func:`ensemble_statistics`: ``{text: test(stats) -> bool}``.

    Parameters
    ----------
    alpha : float
        Level of the dip test, in (0, 1).
    gdp : bool
        Whether the statistics include ``life_gdp_r`` (a statement about it is added then).

    Notes
    -----
    "Below 5/9" is strict (BC < 5/9), as the words say; a BC of exactly 5/9 (a uniform sample's) is not below.
    Every conclusion has the default basis ``"model"``: the generator decides them. In particular it
    draws every city from one group (one right-skewed hump per indicator), so unimodality is built into
    every panel: "the dip test does not reject" holding in all of them follows from that construction
    and says nothing about CCID's data.

    Examples
    --------
    >>> tests = ensemble_conclusions(alpha=0.05, gdp=False)
    >>> [t({"health_dip_p": 0.5, "health_bc": 0.4, "life_dip_p": 0.01, "life_bc": 0.6}) for t in tests.values()]
    [True, True, False, False]
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    gdp = check_bool("gdp", gdp)
    out = {
        f"the dip test does not reject unimodality of digital healthcare at α = {alpha:g}":
            lambda s: s["health_dip_p"] >= alpha,
        "digital healthcare's bimodality coefficient is below 5/9":
            lambda s: s["health_bc"] < BC_UNIFORM,
        f"the dip test does not reject unimodality of digital life at α = {alpha:g}":
            lambda s: s["life_dip_p"] >= alpha,
        "digital life's bimodality coefficient is below 5/9":
            lambda s: s["life_bc"] < BC_UNIFORM,
    }
    if gdp:
        out["digital life correlates positively with GDP per capita (r > 0)"] = lambda s: s["life_gdp_r"] > 0
    return out


class HealthcareStatistics:
    """:func:`ensemble_statistics` of one panel, as the callable ``statistics(panel)`` an ensemble summary takes.

    A panel is anything with ``scores`` (cities x codes) and ``dataset.path`` (its folder, for
    ``covariates.csv``), e.g. a scored panel of :mod:`cityeval.notebook.panel`; only those two are read.

    Parameters
    ----------
    gdp : bool
        Whether to read GDP per capita from each panel's folder and add ``life_gdp_r`` (a panel then
        without it raises a DataError, recorded as a failed member).
    alpha : float
        Level of the dip test in :meth:`conclusions`, in (0, 1).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> x = [1.0, 2.0, 3.0, 4.0]
    >>> stats = HealthcareStatistics(gdp=False, alpha=0.05)
    >>> round(stats(SimpleNamespace(scores=pd.DataFrame({"LIV_HEALTH": x, "LIV_LIFE": x})))["life_bc"], 6)
    0.081301
    >>> list(stats.labels()) == list(ensemble_labels(gdp=False)), len(stats.conclusions())
    (True, 4)
    """

    def __init__(self, *, gdp: bool, alpha: float):
        self.gdp = check_bool("gdp", gdp)
        self.alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)

    def __call__(self, panel) -> dict:
        covariate = None
        if self.gdp:
            covariate = load_covariate(panel.dataset.path, "gdp_per_capita")
            if covariate is None:
                raise DataError(panel.dataset.path, "this panel has no covariates.csv with gdp_per_capita, "
                                "which the other panels have")
        return ensemble_statistics(panel.scores, gdp=covariate)

    def labels(self) -> dict:
        """:func:`ensemble_labels` of these statistics."""
        return ensemble_labels(gdp=self.gdp)

    def conclusions(self) -> dict:
        """:func:`ensemble_conclusions` of these statistics."""
        return ensemble_conclusions(alpha=self.alpha, gdp=self.gdp)
