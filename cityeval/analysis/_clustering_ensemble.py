"""Notebook 03's statistics of one panel, for the ensemble spread; re-exported by :mod:`cityeval.analysis.clustering`.

Every panel that reproduces the published ranks is as good as the nominal one, so notebook 03
computes the same statistics on the nominal panel and on every member of the ensemble
(:mod:`cityeval.notebook.spread` summarizes them). :func:`ensemble_statistics` is that one function,
on a plain frame of dimension scores: the clusterability check made before any k is chosen (the dip
test on PC1 and the dip of the pairwise distances against one Gaussian cloud), the k each criterion of
:func:`choose_k` picks (the BIC among valid mixture fits of four covariance models), the best mean
silhouette, the mean silhouette and the bootstrap ARI at k = 3 (the report's three stages), how much
of the k = 3 clustering is bands of the composite, and the verdict of :func:`support_for_k`. It uses
fewer resamples than the notebook's own sections (20 reference data sets for the gap statistic
instead of 50, 20 bootstrap resamples instead of ``n_boot``, 1 EM start per mixture (the Ward partition) instead of 10,
99 simulated Gaussian clouds for the dip of the distances instead of 199),
so that a panel takes about a second; the same reduced sizes are used on the nominal panel, so its dot
is comparable with the members'. :func:`ensemble_labels` names the statistics and
:func:`ensemble_conclusions` gives the yes/no tests the notebook's text makes of them;
:class:`EnsembleStatistics` holds the notebook's choices and hands all three to
:func:`cityeval.notebook.spread.summarize`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_integer, check_seed

from cityeval.analysis._clustering_choice import (ARI_MIN, SILHOUETTE_WEAK, best_k, candidate_ks, choose_k,
                                                  support_for_k)
from cityeval.analysis._clustering_stability import bootstrap_stability
from cityeval.analysis._clustering_stages import ALGORITHMS, cluster
from cityeval.analysis._clustering_structure import BAND_SHARE, composite_bands, dip_of_distances, dip_on_pc1

__all__ = ["ENSEMBLE_STATISTICS", "ENSEMBLE_N_REFS", "ENSEMBLE_N_BOOT", "ENSEMBLE_MIXTURE_N_INIT", "ENSEMBLE_N_SIM",
           "VERDICT_CODES",
           "ensemble_statistics",
           "ensemble_labels", "ensemble_conclusions", "EnsembleStatistics"]

#: The names :func:`ensemble_statistics` returns, in order (the four picks of k first: the figure's k rows).
ENSEMBLE_STATISTICS = ("k_silhouette", "k_gap", "k_gap_uniform", "k_bic", "dip_p", "dip_distances_p", "silhouette_best",
                       "silhouette_3", "ari_3", "band_agreement_3", "pc1_share_3", "verdict_3")
#: Reference data sets of the gap statistic per panel (the notebook's own evidence uses 50).
ENSEMBLE_N_REFS = 20
#: Bootstrap resamples of the stability at k = 3 per panel (the notebook's own uses ``n_boot``).
ENSEMBLE_N_BOOT = 20
#: EM starts of each Gaussian mixture per panel (the notebook's own evidence uses 10): on the panel the Ward
#: partition only, as mclust starts from a hierarchical partition; with ``algorithm="gmm"`` also each gap reference
#: set's mixture (one k-means start). Every fit runs to a tolerance of 1e-8, and 10 starts of four covariance models
#: at six ks cost about 5-8 s a panel against under 1 s for one (measured); the gap's 2 x 20 reference sets at 10
#: starts cost about 30 s more a panel with ``algorithm="gmm"`` (issue 16: they ignored this number before).
ENSEMBLE_MIXTURE_N_INIT = 1
#: Gaussian clouds of the p-value of the dip of the pairwise distances per panel (the notebook's own uses 199).
ENSEMBLE_N_SIM = 99
#: :func:`support_for_k`'s verdict as a number: supported 1, inconclusive 0, not supported -1.
VERDICT_CODES = {True: 1.0, None: 0.0, False: -1.0}

_THREE = 3


def _k(value) -> float:
    """A criterion's pick as a float; NaN where it picks no k in the table (see :func:`ensemble_statistics`)."""
    return float(value) if value is not None else np.nan


def ensemble_statistics(frame: pd.DataFrame, *, composite: pd.Series | None = None, ks=None, algorithm: str = "kmeans",
                        seed: int = 0, standardize: bool = True, n_refs: int = ENSEMBLE_N_REFS,
                        n_boot: int = ENSEMBLE_N_BOOT, mixture_n_init: int = ENSEMBLE_MIXTURE_N_INIT,
                        n_sim: int = ENSEMBLE_N_SIM) -> dict:
    """Clusterability, the evidence for k, bands of the composite and the verdict on three stages, on one panel.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        Dimension scores of the clustered cities (as in :func:`cluster`).
    composite : pandas.Series, optional
        The composite of the same cities (numbers the stages; default the row mean of ``frame``).
    ks : iterable of int, optional
        The ks compared (default :func:`candidate_ks`, 1 ... 6); must include 3 and 4.
    algorithm, seed, standardize
        As for :func:`choose_k`.
    n_refs : int, default :data:`ENSEMBLE_N_REFS` (20)
        Reference data sets of the gap statistic.
    n_boot : int, default :data:`ENSEMBLE_N_BOOT` (20)
        Bootstrap resamples of the stability at k = 3.
    mixture_n_init : int, default :data:`ENSEMBLE_MIXTURE_N_INIT` (1)
        EM starts of each Gaussian mixture behind ``k_bic``.
    n_sim : int, default :data:`ENSEMBLE_N_SIM` (99)
        Gaussian clouds of the p-value of the dip of the pairwise distances (the smallest p-value possible
        is 1 / (n_sim + 1) = 0.01, below the 0.025 the conclusions test).

    Returns
    -------
    dict
        ``k_silhouette``, ``k_gap`` (PCA-box reference), ``k_gap_uniform`` (uniform reference),
        ``k_bic``: the k each criterion picks (:func:`best_k`; the BIC among the valid fits of the four
        covariance models, :func:`mixture_fits`; NaN where the gap rule holds at no k of the table or no
        mixture is valid, which the summary's panel count shows); ``dip_p``: the dip test's p-value on
        PC1 (:func:`dip_on_pc1`); ``dip_distances_p``: the p-value of the dip of the pairwise distances
        against one Gaussian cloud (:func:`dip_of_distances`); ``silhouette_best``: the largest mean silhouette over the ks;
        ``silhouette_3``: the mean silhouette at k = 3; ``ari_3``: the mean bootstrap ARI at k = 3
        (:func:`bootstrap_stability`); ``band_agreement_3`` and ``pc1_share_3``: of the k = 3
        clustering, :func:`composite_bands`' share of cities in their composite band and share of the
        between-cluster spread along PC1; ``verdict_3``: :func:`support_for_k` at k = 3 coded by
        :data:`VERDICT_CODES` (1 supported, 0 inconclusive, -1 not supported). All floats.

    Raises
    ------
    ParameterError
        ``ks`` without 3 or 4 (the verdict needs both), or a bad argument of :func:`choose_k`.
    DataError
        A missing or infinite score.

    Notes
    -----
    The mixtures behind ``k_bic`` use 1 EM start (the Ward partition, run to a tolerance of 1e-8) instead of the
    notebook's 10: at that tolerance four covariance models at six ks with 10 starts cost 5-8 s a panel, one start
    under 1 s (measured). On the nominal panel and the 50 members of ensemble seed 20221201 (seed 20221101) the
    joint choice of k and model with one start was the one with 10 starts on 28 of 51 panels (its k on 29; with two
    starts 34): the ensemble's BIC count is rough, and a pick that moves with the starts is itself a sign that the
    BIC prefers no k clearly.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> s = ensemble_statistics(frame, ks=[1, 2, 3, 4], n_refs=5, n_boot=5, n_sim=19)
    >>> s["k_silhouette"], s["k_gap_uniform"], round(s["silhouette_3"], 2), s["ari_3"], s["band_agreement_3"]
    (3.0, 3.0, 0.98, 1.0, 1.0)
    """
    ks = candidate_ks(frame) if ks is None else ks
    if isinstance(ks, (str, bytes)) or not np.iterable(ks):
        raise ParameterError("ks", "an iterable of whole numbers such as range(1, 7)", ks)
    ks = list(ks)
    if _THREE not in ks or _THREE + 1 not in ks:
        raise ParameterError("ks", "numbers of clusters including 3 and 4 (the verdict on three stages needs both)",
                             Shown(repr(ks)))
    check_choice("algorithm", algorithm, ALGORITHMS)
    seed = check_seed(seed)
    standardize = check_bool("standardize", standardize)
    n_boot = check_integer("n_boot", n_boot, low=1)
    common = {"algorithm": algorithm, "seed": seed, "standardize": standardize}
    evidence = choose_k(frame, ks, n_refs=n_refs, reference="pca", mixture_n_init=mixture_n_init, **common)
    uniform = choose_k(frame, ks, n_refs=n_refs, reference="uniform", mixture_n_init=mixture_n_init, **common)
    stability = bootstrap_stability(frame, k=_THREE, n_boot=n_boot, **common)
    verdict = support_for_k(evidence, stability, k=_THREE)
    best, best_uniform = best_k(evidence), best_k(uniform)
    composite = frame.mean(axis=1) if composite is None else composite
    labels = cluster(frame, k=_THREE, order_by=composite, **common)
    bands = composite_bands(frame, labels, composite, standardize=standardize)
    sil = evidence["silhouette"].astype(float)
    return {"k_silhouette": _k(best.silhouette), "k_gap": _k(best.gap), "k_gap_uniform": _k(best_uniform.gap),
            "k_bic": _k(best.bic), "dip_p": dip_on_pc1(frame, standardize=standardize).p_value,
            "dip_distances_p": dip_of_distances(frame, n_sim=n_sim, seed=seed, standardize=standardize).p_value,
            "silhouette_best": float(sil.max()) if sil.notna().any() else np.nan,
            "silhouette_3": float(evidence.at[_THREE, "silhouette"]), "ari_3": float(stability.summary.mean),
            "band_agreement_3": bands.band_agreement, "pc1_share_3": bands.pc1_share,
            "verdict_3": VERDICT_CODES[verdict.supported]}


def ensemble_labels(*, algorithm: str = "kmeans", n_refs: int = ENSEMBLE_N_REFS, n_boot: int = ENSEMBLE_N_BOOT,
                    top_k: int = 6, mixture_n_init: int = ENSEMBLE_MIXTURE_N_INIT, n_sim: int = ENSEMBLE_N_SIM) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures (the reduced resample sizes said).

    >>> ensemble_labels()["k_gap"]
    'k the gap statistic picks (PCA-box reference, 20 reference sets; undefined (no dot) if no k up to 5)'
    >>> ensemble_labels(algorithm="gmm")["k_gap_uniform"]
    'k the gap statistic picks (uniform reference, 20 reference sets, 1 EM start each; undefined (no dot) if no k up to 5)'
    """
    none = f"undefined (no dot) if no k up to {top_k - 1}"
    starts = f", {mixture_n_init} EM start{'' if mixture_n_init == 1 else 's'} each" if algorithm == "gmm" else ""
    return {"k_silhouette": f"k the mean silhouette picks ({algorithm}, k = 2..{top_k})",
            "k_gap": f"k the gap statistic picks (PCA-box reference, {n_refs} reference sets{starts}; {none})",
            "k_gap_uniform": f"k the gap statistic picks (uniform reference, {n_refs} reference sets{starts}; {none})",
            "k_bic": f"k the Gaussian-mixture BIC picks (valid fits of 4 covariance models, k = 1..{top_k}, "
                     f"{mixture_n_init} EM start{'' if mixture_n_init == 1 else 's'})",
            "dip_p": "p-value of the dip test of unimodality on PC1",
            "dip_distances_p": f"p-value of the dip of the pairwise distances against one Gaussian cloud "
                               f"({n_sim} clouds)",
            "silhouette_best": f"best mean silhouette ({algorithm}, k = 2..{top_k})",
            "silhouette_3": f"mean silhouette at k = 3 ({algorithm})",
            "ari_3": f"mean bootstrap ARI at k = 3 ({n_boot} resamples)",
            "band_agreement_3": f"share of cities in their composite band ({algorithm}, k = 3)",
            "pc1_share_3": f"share of the between-cluster spread along PC1 ({algorithm}, k = 3)",
            "verdict_3": "verdict on three stages (1 supported, 0 inconclusive, -1 not supported)"}


#: The clusterability check's level per test (alpha 0.05, Bonferroni over its two dip tests).
_LEVEL = 0.025


def ensemble_conclusions() -> dict:
    """The yes/no tests notebook 03's text makes of :func:`ensemble_statistics`, by their sentence.

    Returns
    -------
    dict
        sentence -> ``(test, basis)`` or ``(test, basis, "rejection")`` (:func:`cityeval.notebook.spread.summarize`'s
        form), ``test(stats) -> bool``. Every basis is ``"generator"``: shapes, gaps, silhouettes and dip tests of
        dimension scores that no published table constrains (ranks are invariant under monotone maps, so they fix no
        shape and no gap); the two dip tests are rejections (a test that rejects in no panel is not evidence against
        clusters). The tests: each criterion picks k = 3 (four tests); the dip test on PC1
        rejects unimodality, the dip of the pairwise distances rejects one Gaussian cloud (each at 0.025); the best
        mean silhouette, and the mean silhouette at k = 3, is at most 0.25 (no substantial structure,
        Kaufman & Rousseeuw); the mean bootstrap ARI at k = 3 is below 0.75; the k = 3 clusters are at
        least mostly bands of the composite (both shares at least 0.75); :func:`support_for_k` does not
        support three stages (its verdict is "not supported", not merely inconclusive); it supports them.

    Examples
    --------
    >>> tests = ensemble_conclusions()
    >>> s = {"k_silhouette": 2.0, "k_gap": float("nan"), "k_gap_uniform": 3.0, "k_bic": 3.0, "dip_p": 0.5,
    ...      "dip_distances_p": 0.01, "silhouette_best": 0.3, "silhouette_3": 0.2, "ari_3": 0.4, "band_agreement_3": 0.9,
    ...      "pc1_share_3": 0.7, "verdict_3": -1.0}
    >>> [spec[0](s) for spec in tests.values()]
    [False, False, True, True, False, True, False, True, True, False, True, False]
    >>> sorted({spec[1] for spec in tests.values()}), [t for t, spec in tests.items() if spec[2:] == ("rejection",)][:1]
    (['generator'], ['the dip test on PC1 rejects unimodality (p < 0.025)'])
    """
    gen, rej = "generator", "rejection"
    return {
        "the mean silhouette picks k = 3": (lambda s: s["k_silhouette"] == _THREE, gen),
        "the gap statistic (PCA-box reference) picks k = 3": (lambda s: s["k_gap"] == _THREE, gen),
        "the gap statistic (uniform reference) picks k = 3": (lambda s: s["k_gap_uniform"] == _THREE, gen),
        "the Gaussian-mixture BIC (valid fits) picks k = 3": (lambda s: s["k_bic"] == _THREE, gen),
        f"the dip test on PC1 rejects unimodality (p < {_LEVEL})": (lambda s: s["dip_p"] < _LEVEL, gen, rej),
        f"the dip of the pairwise distances rejects one Gaussian cloud (p < {_LEVEL})":
            (lambda s: s["dip_distances_p"] < _LEVEL, gen, rej),
        f"the best mean silhouette is at most {SILHOUETTE_WEAK} (no substantial structure at any k)":
            (lambda s: s["silhouette_best"] <= SILHOUETTE_WEAK, gen),
        f"the mean silhouette at k = 3 is at most {SILHOUETTE_WEAK} (no substantial cluster structure)":
            (lambda s: s["silhouette_3"] <= SILHOUETTE_WEAK, gen),
        f"the mean bootstrap ARI at k = 3 is below {ARI_MIN} (the clusters are not reproducible)":
            (lambda s: s["ari_3"] < ARI_MIN, gen),
        f"the k = 3 clusters are (mostly) bands of the composite (both shares at least {BAND_SHARE})":
            (lambda s: s["band_agreement_3"] >= BAND_SHARE and s["pc1_share_3"] >= BAND_SHARE, gen),
        "the verdict rule (support_for_k) finds three stages not supported":
            (lambda s: s["verdict_3"] == VERDICT_CODES[False], gen),
        "the verdict rule (support_for_k) finds three stages supported":
            (lambda s: s["verdict_3"] == VERDICT_CODES[True], gen),
    }


@dataclass(frozen=True)
class EnsembleStatistics:
    """Notebook 03's choices, as the ``statistics`` callable of :func:`cityeval.notebook.spread.summarize`.

    ``stats(panel)`` is :func:`ensemble_statistics` of a scored panel's dimension scores and composite (any
    object with ``scores``, ``dimensions`` and ``top_code``, such as :class:`cityeval.notebook.panel.ScoredPanel`);
    :meth:`labels` and :meth:`conclusions` give :func:`ensemble_labels` and :func:`ensemble_conclusions`.

    Parameters
    ----------
    ks : tuple of int
        The ks compared (with 3 and 4).
    algorithm, seed, standardize, n_refs, n_boot, mixture_n_init, n_sim
        As for :func:`ensemble_statistics`.

    Examples
    --------
    >>> stats = EnsembleStatistics(ks=(1, 2, 3, 4), n_boot=5)
    >>> list(stats.labels()) == list(ENSEMBLE_STATISTICS), stats.labels()["k_bic"]
    (True, 'k the Gaussian-mixture BIC picks (valid fits of 4 covariance models, k = 1..4, 1 EM start)')
    """

    ks: tuple
    algorithm: str = "kmeans"
    seed: int = 0
    standardize: bool = True
    n_refs: int = ENSEMBLE_N_REFS
    n_boot: int = ENSEMBLE_N_BOOT
    mixture_n_init: int = ENSEMBLE_MIXTURE_N_INIT
    n_sim: int = ENSEMBLE_N_SIM

    def __post_init__(self):
        ks = self.ks
        if isinstance(ks, (str, bytes)) or not np.iterable(ks) or _THREE not in ks or _THREE + 1 not in ks:
            raise ParameterError("ks", "numbers of clusters including 3 and 4 (the verdict on three stages needs both)",
                                 Shown(repr(ks)))
        object.__setattr__(self, "ks", tuple(ks))
        check_choice("algorithm", self.algorithm, ALGORITHMS)
        check_seed(self.seed)
        check_bool("standardize", self.standardize)
        check_integer("n_refs", self.n_refs, low=2)
        check_integer("n_boot", self.n_boot, low=1)
        check_integer("mixture_n_init", self.mixture_n_init, low=1)
        check_integer("n_sim", self.n_sim, low=1)

    def __call__(self, panel) -> dict:
        return ensemble_statistics(panel.scores[panel.dimensions], composite=panel.scores[panel.top_code],
                                   ks=self.ks, algorithm=self.algorithm, seed=self.seed, standardize=self.standardize,
                                   n_refs=self.n_refs, n_boot=self.n_boot, mixture_n_init=self.mixture_n_init,
                                   n_sim=self.n_sim)

    def labels(self) -> dict:
        return ensemble_labels(algorithm=self.algorithm, n_refs=self.n_refs, n_boot=self.n_boot, top_k=max(self.ks),
                               mixture_n_init=self.mixture_n_init, n_sim=self.n_sim)

    def conclusions(self) -> dict:
        return ensemble_conclusions()

    def zh(self) -> dict:
        """Chinese labels and conclusion texts, for ``summarize(..., zh=stats.zh())``: name or English conclusion
        text -> its Chinese (:mod:`cityeval.analysis._clustering_wording`)."""
        from cityeval.analysis._clustering_wording import ensemble_conclusions_zh, ensemble_labels_zh

        chinese = ensemble_conclusions_zh(level=_LEVEL, silhouette_weak=SILHOUETTE_WEAK, ari_min=ARI_MIN,
                                          band_share=BAND_SHARE)
        return {**ensemble_labels_zh(algorithm=self.algorithm, n_refs=self.n_refs, n_boot=self.n_boot,
                                     top_k=max(self.ks), mixture_n_init=self.mixture_n_init, n_sim=self.n_sim),
                **dict(zip(self.conclusions(), chinese, strict=True))}
