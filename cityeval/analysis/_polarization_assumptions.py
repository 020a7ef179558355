"""What notebook 04's headline numbers rest on, as ``results["assumptions"]`` (re-exported by
:mod:`cityeval.analysis.polarization`).

Each key is a dotted path into the notebook's results file, each value the plain sentences the number or
conclusion at that path assumes. The sentences sit here, beside the statistics, so that a change of method
changes them in the same place.
"""
from __future__ import annotations

from cityeval.validation import check_bool, check_integer

from cityeval.analysis._polarization_mixture import GMM_TOL, START_QUANTILES
from cityeval.analysis._polarization_power import SKEWED_NULLS

__all__ = ["healthcare_assumptions"]


def healthcare_assumptions(*, n: int, n_sim: int, n_boot: int, synthetic: bool, gdp: bool, ensemble: bool) -> dict:
    """The assumptions of notebook 04's results: ``{dotted path: [sentence, ...]}``.

    Parameters
    ----------
    n : int
        Cities analysed (the top n by composite).
    n_sim, n_boot : int
        Simulated samples per separation, and bootstrap samples of the likelihood-ratio test.
    synthetic : bool
        The data are the synthetic panel.
    gdp : bool
        The results hold the correlations with GDP per capita (``life_gdp_correlation``,
        ``health_gdp_correlation``).
    ensemble : bool
        The results hold an ensemble block with statistics (``ensemble.statistics``).

    Returns
    -------
    dict
        Paths ``health.dip_p_value``, ``health.bc``, ``health.gmm_delta_bic``, ``health.lrt_p_value``, the same for
        ``life``, ``power``, ``separation_for_80pct_power``, ``null_rejection`` and, as given,
        ``life_gdp_correlation.pearson``, ``ensemble.statistics`` and ``conclusions`` (the ensemble's verdicts).

    Examples
    --------
    >>> a = healthcare_assumptions(n=100, n_sim=500, n_boot=499, synthetic=True, gdp=False, ensemble=False)
    >>> sorted(a)[:3], a["power"][0]
    (['health.bc', 'health.dip_p_value', 'health.gmm_delta_bic'], 'two groups of equal size (a 50/50 mixture)')
    """
    n = check_integer("n", n, low=1)
    n_sim = check_integer("n_sim", n_sim, low=1)
    n_boot = check_integer("n_boot", n_boot, low=1)
    synthetic, gdp, ensemble = (check_bool(k, v) for k, v in (("synthetic", synthetic), ("gdp", gdp),
                                                             ("ensemble", ensemble)))
    sample = [f"the {n} cities are the top {n} by composite, a selected group: the selection truncates the lower "
              "tail of every component score",
              "each city's score is one independent draw from the distribution tested"]
    if synthetic:
        sample.append("on the synthetic panel the generator draws every city from one group (one right-skewed hump "
                      "per indicator): the numbers are illustrative and unimodal by construction")
    starts = " and ".join(f"{q:g}" for q in START_QUANTILES)
    mixture = [f"the two-component model has one common variance (two normal groups with the same within-group SD); "
               f"EM converged to a tolerance of {GMM_TOL:g} from the two-means split and the {starts} quantile splits",
               "a single skewed group also favours two components: the criterion detects departure from one normal, "
               "not bimodality"]
    shared = (f"one set of {n_boot} bootstrap statistics (seeded) serves every sample of size {n}: the power, the "
              "single-hump rates and every ensemble panel are conditional on that set's critical value, whose "
              f"conditional size has a Monte Carlo SD of about {(0.05 * 0.95 / n_boot) ** 0.5:.3f} at alpha = 0.05")
    out = {}
    for key in ("health", "life"):
        out[f"{key}.dip_p_value"] = sample + [
            "the dip test's p-value is calibrated on the uniform distribution, so the test is conservative for "
            "other unimodal shapes; a p-value above alpha does not show unimodality"]
        out[f"{key}.bc"] = sample + ["5/9 is the bimodality coefficient of a uniform distribution: a rule of thumb, "
                                     "not a test; skewness alone raises the coefficient"]
        out[f"{key}.gmm_delta_bic"] = sample + mixture + [
            "BIC approximates twice the log Bayes factor for large samples (Schwarz 1978); the verbal grade is Kass "
            "and Raftery's (1995)"]
        out[f"{key}.lrt_p_value"] = sample + mixture + [
            f"the null distribution of the likelihood ratio is simulated from the fitted one-normal null with "
            f"{n_boot} bootstrap samples (McLachlan 1987); p = (1 + exceedances) / ({n_boot} + 1)",
            shared,
            "the null hypothesis is one normal distribution: a skewed single hump is rejected too, so a rejection is "
            "not evidence of two groups"]
    design = ["two groups of equal size (a 50/50 mixture)",
              "normal scores within each group, with the same within-group SD in both groups",
              "a separation d in within-group SDs, which is d / sqrt(1 + d^2/4) SDs of the whole distribution",
              f"{n} independent cities per sample and {n_sim} simulated samples per separation (common random "
              "numbers across separations); rates carry a Monte Carlo standard error",
              f"the bootstrap LRT's rates are conditional on one shared set of {n_boot} bootstrap statistics (its "
              "critical value), not averaged over bootstrap sets"]
    out["power"] = design
    out["separation_for_80pct_power"] = design + ["the separation is interpolated linearly between the simulated "
                                                  "separations"]
    out["null_rejection"] = [
        "single-hump shapes fixed in advance, not fitted to any data: " + ", ".join(SKEWED_NULLS),
        f"{n} independent values per sample and {n_sim} simulated samples per shape",
        "every shape is unimodal, so each 'two groups' verdict counts as a false positive for bimodality",
        f"the bootstrap LRT's rates are conditional on one shared set of {n_boot} bootstrap statistics (its "
        "critical value), not averaged over bootstrap sets"]
    if gdp:
        out["life_gdp_correlation.pearson"] = sample[:2] + [
            "Pearson's r measures linear association; the selection of the top cities restricts the range and "
            "tends to weaken it"] + (["on the synthetic panel GDP per capita is generated from a general factor "
                                      "shared by all indicators, with no link specific to digital life"]
                                     if synthetic else [])
    if ensemble:
        out["ensemble.statistics"] = [
            "every panel of the ensemble reproduces the published ranks as exactly as the nominal one",
            "no published table constrains a shape, a dip or a likelihood ratio (ranks fix no gap between scores, "
            "and digital life has no published ranks): what differs between panels is decided by the generator's "
            "free parameters, and what holds in all of them by the generator's one-group, right-skewed structure",
            f"every panel's bootstrap p-value uses the same set of {n_boot} bootstrap statistics"]
        out["conclusions"] = ["each conclusion is tested on every panel of the ensemble; every one has the basis "
                              "'generator': the same verdict in all panels reflects the generator's structure, not "
                              "the published ranks and not CCID's scores",
                              "a likelihood-ratio rejection is a rejection event: rejecting in no panel would not be "
                              "evidence against the claim"]
    return out
