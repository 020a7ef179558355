"""Notebook 04's statistics on one panel, for the ensemble of panels that fit the published ranks.

Re-exported by :mod:`cityeval.analysis.polarization`; import from there. The same function gives
the nominal panel's values and every ensemble member's, so the two cannot drift apart; it takes
plain frames (no notebook objects).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_integer, check_number, check_seed

from cityeval.analysis._polarization_covariates import covariate_correlation, load_covariate
from cityeval.analysis._polarization_mixture import N_BOOT, mixture_lrt
from cityeval.analysis._polarization_statistics import BC_UNIFORM, bimodality_coefficient, dip_test

__all__ = ["ensemble_statistics", "ensemble_labels", "ensemble_conclusions", "spread_texts", "HealthcareStatistics",
           "UNIMODAL_BY_CONSTRUCTION"]

#: How each statistic of :func:`ensemble_statistics` is written (by the end of its name).
_FORMATS = {"_dip_p": ".2f", "_bc": ".2f", "_delta_bic": ".1f", "_lrt_p": ".4f", "_gdp_r": ".2f"}

_HEALTH, _LIFE = "LIV_HEALTH", "LIV_LIFE"

#: The sentence notebook 04 adds to the ensemble's: what a dip-test verdict that holds in every panel is worth.
UNIMODAL_BY_CONSTRUCTION = (
    "Unimodality is built into the generator: it draws every city from one group (one right-skewed hump per "
    "indicator), so every panel is unimodal by construction, and the dip test not rejecting unimodality in every "
    "panel follows from that construction. It says nothing about CCID's data, for or against the report's "
    "\"polarization\".")


def ensemble_statistics(scores: pd.DataFrame, *, gdp: pd.Series | None = None, seed: int,
                        n_boot: int = N_BOOT) -> dict:
    """Dip-test p-value, bimodality coefficient, mixture ΔBIC and bootstrap likelihood-ratio p-value of digital
    healthcare and digital life, and digital life's correlation with GDP per capita, on one panel.

    Parameters
    ----------
    scores : pandas.DataFrame
        Cities x codes (the cities analysed, e.g. the top 100), with the columns ``LIV_HEALTH`` and
        ``LIV_LIFE``; finite.
    gdp : pandas.Series, optional
        GDP per capita by city (:func:`load_covariate`); ``None`` leaves ``life_gdp_r`` out. Cities
        without a value are left out of the correlation (as in :func:`covariate_correlation`).
    seed : int
        Seed of :func:`mixture_lrt`'s bootstrap.
    n_boot : int, default 4999
        Its bootstrap samples.

    Returns
    -------
    dict
        ``health_dip_p``, ``health_bc``, ``health_delta_bic``, ``health_lrt_p``, the same four for ``life``
        and, with ``gdp``, ``life_gdp_r`` (floats, in that order).

    Raises
    ------
    ParameterError
        ``scores`` is not a DataFrame or lacks one of the two columns.
    DataError
        A NaN or infinite score (named by its city), as in :func:`dip_test`.

    Notes
    -----
    The dip-test p-value interpolates the ``diptest`` package's table of the dip's distribution under
    the uniform null (no simulation), so the nominal value is the one of the notebook's criteria table. The
    mixture statistics come from :func:`mixture_lrt` (its EM to a tolerance of 1e-8, the one tested against
    scikit-learn): ΔBIC = LR − 2 ln n equals :func:`gmm_compare`'s to about 1e-6, and the bootstrap null
    distribution of LR, which depends only on n, is simulated once for all panels.

    Examples
    --------
    >>> x = [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]   # g1 = 0.463, g2 = -0.3: BC = 1.214 / 5.95 (bimodality_coefficient)
    >>> s = ensemble_statistics(pd.DataFrame({"LIV_HEALTH": x, "LIV_LIFE": x}), seed=0, n_boot=19)
    >>> list(s)[:4], round(s["health_bc"], 4)
    (['health_dip_p', 'health_bc', 'health_delta_bic', 'health_lrt_p'], 0.2041)
    """
    if not isinstance(scores, pd.DataFrame):
        raise ParameterError("scores", "a pandas DataFrame (rows = cities, columns = codes)",
                             Shown(type(scores).__name__))
    absent = [c for c in (_HEALTH, _LIFE) if c not in scores.columns]
    if absent:
        raise ParameterError("scores", f"a DataFrame with the columns {_HEALTH} and {_LIFE}",
                             Shown(f"a DataFrame without {', '.join(absent)}"))
    seed = check_seed(seed)
    n_boot = check_integer("n_boot", n_boot, low=19)
    out = {}
    for key, code in (("health", _HEALTH), ("life", _LIFE)):
        out[f"{key}_dip_p"] = dip_test(scores[code]).p_value
        out[f"{key}_bc"] = bimodality_coefficient(scores[code])
        lrt = mixture_lrt(scores[code], seed=seed, n_boot=n_boot)
        out[f"{key}_delta_bic"] = lrt.statistic - 2 * float(np.log(lrt.n))
        out[f"{key}_lrt_p"] = lrt.p_value
    if gdp is not None:
        out["life_gdp_r"] = covariate_correlation(scores[_LIFE], gdp).pearson
    return out


def ensemble_labels(*, gdp: bool) -> dict:
    """The labels of :func:`ensemble_statistics`' values, for tables and figures (``gdp``: with ``life_gdp_r``).

    Examples
    --------
    >>> list(ensemble_labels(gdp=False))[:4]
    ['health_dip_p', 'health_bc', 'health_delta_bic', 'health_lrt_p']
    """
    gdp = check_bool("gdp", gdp)
    out = {}
    for key, name in (("health", "digital healthcare"), ("life", "digital life")):
        out.update({f"{key}_dip_p": f"{name}: dip-test p-value (tabulated null, no simulation)",
                    f"{key}_bc": f"{name}: bimodality coefficient (5/9 = 0.556)",
                    f"{key}_delta_bic": f"{name}: mixture ΔBIC = BIC1 − BIC2 (common variance, converged)",
                    f"{key}_lrt_p": f"{name}: bootstrap likelihood-ratio p-value (one normal vs two)"})
    if gdp:
        out["life_gdp_r"] = "digital life vs GDP per capita: Pearson r"
    return out


def ensemble_conclusions(*, alpha: float, gdp: bool) -> dict:
    """The yes/no statements notebook 04 makes about its statistics, as tests of one panel's
    :func:`ensemble_statistics`: ``{text: (test(stats) -> bool, basis[, kind])}``, as
    :func:`cityeval.notebook.spread.summarize` takes them.

    Parameters
    ----------
    alpha : float
        Level of the dip test, in (0, 1).
    gdp : bool
        Whether the statistics include ``life_gdp_r`` (a statement about it is added then).

    Notes
    -----
    "Below 5/9" is strict (BC < 5/9), as the words say; a BC of exactly 5/9 (a uniform sample's) is not below.
    Every conclusion has the basis ``"generator"`` (:mod:`cityeval.notebook.spread`): no published table constrains a
    shape, a dip or a likelihood ratio (ranks fix no gap between scores; digital life has no published ranks), so a
    verdict the same in every panel reflects the generator's structure, not the published ranks. In particular it
    draws every city from one group (one right-skewed hump per indicator), so unimodality is built into
    every panel: "the dip test does not reject" holding in all of them follows from that construction
    and says nothing about CCID's data. The likelihood-ratio test rejects one *normal* distribution, which a
    right-skewed single hump is not: its rejections say the panels are skewed, not that they hold two groups.

    Examples
    --------
    >>> tests = ensemble_conclusions(alpha=0.05, gdp=False)
    >>> stats = {"health_dip_p": 0.5, "health_bc": 0.4, "health_lrt_p": 0.002, "life_dip_p": 0.01, "life_bc": 0.6,
    ...          "life_lrt_p": 0.3}
    >>> [spec[0](stats) for spec in tests.values()], {spec[1] for spec in tests.values()}
    ([True, True, True, False, False, False], {'generator'})
    >>> [len(spec) == 3 and spec[2] == "rejection" for spec in tests.values()]
    [False, False, True, False, False, True]
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    gdp = check_bool("gdp", gdp)
    # no published table constrains a shape, a dip or a likelihood ratio (ranks are invariant under monotone maps,
    # and digital life has no published ranks at all): every verdict here is the generator's ("generator"); the
    # likelihood-ratio conclusions are rejection events ("rejection")
    out = {
        f"the dip test does not reject unimodality of digital healthcare at α = {alpha:g}":
            (lambda s: s["health_dip_p"] >= alpha, "generator"),
        "digital healthcare's bimodality coefficient is below 5/9":
            (lambda s: s["health_bc"] < BC_UNIFORM, "generator"),
        f"the bootstrap likelihood-ratio test rejects one normal distribution for digital healthcare at α = {alpha:g}":
            (lambda s: s["health_lrt_p"] <= alpha, "generator", "rejection"),
        f"the dip test does not reject unimodality of digital life at α = {alpha:g}":
            (lambda s: s["life_dip_p"] >= alpha, "generator"),
        "digital life's bimodality coefficient is below 5/9":
            (lambda s: s["life_bc"] < BC_UNIFORM, "generator"),
        f"the bootstrap likelihood-ratio test rejects one normal distribution for digital life at α = {alpha:g}":
            (lambda s: s["life_lrt_p"] <= alpha, "generator", "rejection"),
    }
    if gdp:
        # GDP per capita is generated from a general factor shared by all indicators: the generator decides it too
        out["digital life correlates positively with GDP per capita (r > 0)"] = (lambda s: s["life_gdp_r"] > 0,
                                                                                 "generator")
    return out


def spread_texts(summary, lang: str = "en") -> dict:
    """Each statistic of an ensemble summary of :func:`ensemble_statistics` with its range over the panels
    (``summary.range_text``), in its format: ``{name: text}``, for :func:`healthcare_findings` ``(spread=...)``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> fake = SimpleNamespace(names=["health_lrt_p", "health_delta_bic"], range_text=lambda name, fmt: fmt)
    >>> spread_texts(fake)
    {'health_lrt_p': '.4f', 'health_delta_bic': '.1f'}
    """
    out = {}
    for name in summary.names:
        fmt = next((f for end, f in _FORMATS.items() if name.endswith(end)), None)
        if fmt is None:
            raise ParameterError("summary", "an ensemble summary of ensemble_statistics",
                                 Shown(f"a statistic {name!r}"))
        out[name] = summary.range_text(name, fmt, lang=lang) if lang != "en" else summary.range_text(name, fmt)
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
        Level of the dip test and of the likelihood-ratio test in :meth:`conclusions`, in (0, 1).
    seed : int
        Seed of the likelihood-ratio test's bootstrap (:func:`ensemble_statistics`).
    n_boot : int, default 4999
        Its bootstrap samples.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> x = [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]
    >>> stats = HealthcareStatistics(gdp=False, alpha=0.05, seed=0, n_boot=19)
    >>> round(stats(SimpleNamespace(scores=pd.DataFrame({"LIV_HEALTH": x, "LIV_LIFE": x})))["life_bc"], 4)
    0.2041
    >>> list(stats.labels()) == list(ensemble_labels(gdp=False)), len(stats.conclusions())
    (True, 6)
    """

    def __init__(self, *, gdp: bool, alpha: float, seed: int, n_boot: int = N_BOOT):
        self.gdp = check_bool("gdp", gdp)
        self.alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
        self.seed = check_seed(seed)
        self.n_boot = check_integer("n_boot", n_boot, low=19)

    def __call__(self, panel) -> dict:
        covariate = None
        if self.gdp:
            covariate = load_covariate(panel.dataset.path, "gdp_per_capita")
            if covariate is None:
                raise DataError(panel.dataset.path, "this panel has no covariates.csv with gdp_per_capita, "
                                "which the other panels have")
        return ensemble_statistics(panel.scores, gdp=covariate, seed=self.seed, n_boot=self.n_boot)

    def labels(self) -> dict:
        """:func:`ensemble_labels` of these statistics."""
        return ensemble_labels(gdp=self.gdp)

    def conclusions(self) -> dict:
        """:func:`ensemble_conclusions` of these statistics."""
        return ensemble_conclusions(alpha=self.alpha, gdp=self.gdp)
