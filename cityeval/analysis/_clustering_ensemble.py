"""Notebook 03's statistics of one panel, for the ensemble spread; re-exported by :mod:`cityeval.analysis.clustering`.

Every panel that reproduces the published ranks is as good as the nominal one, so notebook 03
computes the same statistics on the nominal panel and on every member of the ensemble
(:mod:`cityeval.notebook.spread` summarizes them). :func:`ensemble_statistics` is that one function,
on a plain frame of dimension scores: the k each criterion of :func:`choose_k` picks, the mean
silhouette and the bootstrap ARI at k = 3 (the report's three stages) and the verdict of
:func:`support_for_k`. It uses fewer resamples than the notebook's own sections (20 reference data
sets for the gap statistic instead of 50, 20 bootstrap resamples instead of ``n_boot``), so that a
panel takes well under a second; the same reduced sizes are used on the nominal panel, so its dot
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
from cityeval.analysis._clustering_stages import ALGORITHMS

__all__ = ["ENSEMBLE_STATISTICS", "ENSEMBLE_N_REFS", "ENSEMBLE_N_BOOT", "VERDICT_CODES", "ensemble_statistics",
           "ensemble_labels", "ensemble_conclusions", "EnsembleStatistics"]

#: The names :func:`ensemble_statistics` returns, in order.
ENSEMBLE_STATISTICS = ("k_silhouette", "k_gap", "k_gap_uniform", "k_bic", "silhouette_3", "ari_3", "verdict_3")
#: Reference data sets of the gap statistic per panel (the notebook's own evidence uses 50).
ENSEMBLE_N_REFS = 20
#: Bootstrap resamples of the stability at k = 3 per panel (the notebook's own uses ``n_boot``).
ENSEMBLE_N_BOOT = 20
#: :func:`support_for_k`'s verdict as a number: supported 1, inconclusive 0, not supported -1.
VERDICT_CODES = {True: 1.0, None: 0.0, False: -1.0}

_THREE = 3


def _k(value) -> float:
    """A criterion's pick as a float; NaN where it picks no k in the table (see :func:`ensemble_statistics`)."""
    return float(value) if value is not None else np.nan


def ensemble_statistics(frame: pd.DataFrame, *, ks=None, algorithm: str = "kmeans", seed: int = 0,
                        standardize: bool = True, n_refs: int = ENSEMBLE_N_REFS,
                        n_boot: int = ENSEMBLE_N_BOOT) -> dict:
    """The evidence for k and the verdict on three stages, on one panel.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        Dimension scores of the clustered cities (as in :func:`cluster`).
    ks : iterable of int, optional
        The ks compared (default :func:`candidate_ks`, 1 ... 6); must include 3 and 4.
    algorithm, seed, standardize
        As for :func:`choose_k`.
    n_refs : int, default :data:`ENSEMBLE_N_REFS` (20)
        Reference data sets of the gap statistic.
    n_boot : int, default :data:`ENSEMBLE_N_BOOT` (20)
        Bootstrap resamples of the stability at k = 3.

    Returns
    -------
    dict
        ``k_silhouette``, ``k_gap`` (PCA-box reference), ``k_gap_uniform`` (uniform reference),
        ``k_bic``: the k each criterion picks (:func:`best_k`; NaN where the gap rule holds at no k of
        the table, which the summary's panel count shows); ``silhouette_3``: the mean silhouette at
        k = 3; ``ari_3``: the mean bootstrap ARI at k = 3 (:func:`bootstrap_stability`);
        ``verdict_3``: :func:`support_for_k` at k = 3 coded by :data:`VERDICT_CODES` (1 supported,
        0 inconclusive, -1 not supported). All floats.

    Raises
    ------
    ParameterError
        ``ks`` without 3 or 4 (the verdict needs both), or a bad argument of :func:`choose_k`.
    DataError
        A missing or infinite score.

    Notes
    -----
    The Gaussian mixtures behind ``k_bic`` keep :func:`choose_k`'s 10 starts: with fewer starts the
    BIC's minimum moves on these data (a local optimum of the EM fit), so the cost per panel (about
    0.4 s, mostly the mixtures) is not cut there.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> s = ensemble_statistics(frame, ks=[1, 2, 3, 4], n_refs=5, n_boot=5)
    >>> s["k_silhouette"], s["k_gap_uniform"], round(s["silhouette_3"], 2), s["ari_3"]
    (3.0, 3.0, 0.98, 1.0)
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
    evidence = choose_k(frame, ks, n_refs=n_refs, reference="pca", **common)
    uniform = choose_k(frame, ks, n_refs=n_refs, reference="uniform", **common)
    stability = bootstrap_stability(frame, k=_THREE, n_boot=n_boot, **common)
    verdict = support_for_k(evidence, stability, k=_THREE)
    best, best_uniform = best_k(evidence), best_k(uniform)
    return {"k_silhouette": _k(best.silhouette), "k_gap": _k(best.gap), "k_gap_uniform": _k(best_uniform.gap),
            "k_bic": _k(best.bic), "silhouette_3": float(evidence.at[_THREE, "silhouette"]),
            "ari_3": float(stability.summary.mean), "verdict_3": VERDICT_CODES[verdict.supported]}


def ensemble_labels(*, algorithm: str = "kmeans", n_refs: int = ENSEMBLE_N_REFS, n_boot: int = ENSEMBLE_N_BOOT,
                    top_k: int = 6) -> dict:
    """Labels of :func:`ensemble_statistics`' names for tables and figures (the reduced resample sizes said).

    >>> ensemble_labels()["k_gap"]
    'k the gap statistic picks (PCA-box reference, 20 reference sets; undefined (no dot) if no k up to 5)'
    """
    none = f"undefined (no dot) if no k up to {top_k - 1}"
    return {"k_silhouette": f"k the mean silhouette picks ({algorithm}, k = 2..{top_k})",
            "k_gap": f"k the gap statistic picks (PCA-box reference, {n_refs} reference sets; {none})",
            "k_gap_uniform": f"k the gap statistic picks (uniform reference, {n_refs} reference sets; {none})",
            "k_bic": f"k the Gaussian-mixture BIC picks (k = 1..{top_k})",
            "silhouette_3": f"mean silhouette at k = 3 ({algorithm})",
            "ari_3": f"mean bootstrap ARI at k = 3 ({n_boot} resamples)",
            "verdict_3": "verdict on three stages (1 supported, 0 inconclusive, -1 not supported)"}


def ensemble_conclusions() -> dict:
    """The yes/no tests notebook 03's text makes of :func:`ensemble_statistics`, by their sentence.

    Returns
    -------
    dict
        sentence -> ``test(stats) -> bool``: each criterion picks k = 3 (four tests); the mean
        silhouette at k = 3 is at most 0.25 (no substantial structure, Kaufman & Rousseeuw); the
        mean bootstrap ARI at k = 3 is below 0.75; :func:`support_for_k` does not support three
        stages (its verdict is "not supported", not merely inconclusive); it supports them.

    Examples
    --------
    >>> tests = ensemble_conclusions()
    >>> s = {"k_silhouette": 2.0, "k_gap": float("nan"), "k_gap_uniform": 3.0, "k_bic": 3.0, "silhouette_3": 0.2,
    ...      "ari_3": 0.4, "verdict_3": -1.0}
    >>> [t(s) for t in tests.values()]
    [False, False, True, True, True, True, True, False]
    """
    return {
        "the mean silhouette picks k = 3": lambda s: s["k_silhouette"] == _THREE,
        "the gap statistic (PCA-box reference) picks k = 3": lambda s: s["k_gap"] == _THREE,
        "the gap statistic (uniform reference) picks k = 3": lambda s: s["k_gap_uniform"] == _THREE,
        "the Gaussian-mixture BIC picks k = 3": lambda s: s["k_bic"] == _THREE,
        f"the mean silhouette at k = 3 is at most {SILHOUETTE_WEAK} (no substantial cluster structure)":
            lambda s: s["silhouette_3"] <= SILHOUETTE_WEAK,
        f"the mean bootstrap ARI at k = 3 is below {ARI_MIN} (the clusters are not reproducible)":
            lambda s: s["ari_3"] < ARI_MIN,
        "the verdict rule (support_for_k) finds three stages not supported":
            lambda s: s["verdict_3"] == VERDICT_CODES[False],
        "the verdict rule (support_for_k) finds three stages supported":
            lambda s: s["verdict_3"] == VERDICT_CODES[True],
    }


@dataclass(frozen=True)
class EnsembleStatistics:
    """Notebook 03's choices, as the ``statistics`` callable of :func:`cityeval.notebook.spread.summarize`.

    ``stats(panel)`` is :func:`ensemble_statistics` of a scored panel's dimension scores (any object
    with ``scores`` and ``dimensions``, such as :class:`cityeval.notebook.panel.ScoredPanel`);
    :meth:`labels` and :meth:`conclusions` give :func:`ensemble_labels` and :func:`ensemble_conclusions`.

    Parameters
    ----------
    ks : tuple of int
        The ks compared (with 3 and 4).
    algorithm, seed, standardize, n_refs, n_boot
        As for :func:`ensemble_statistics`.

    Examples
    --------
    >>> stats = EnsembleStatistics(ks=(1, 2, 3, 4), n_boot=5)
    >>> list(stats.labels()) == list(ENSEMBLE_STATISTICS), stats.labels()["k_bic"]
    (True, 'k the Gaussian-mixture BIC picks (k = 1..4)')
    """

    ks: tuple
    algorithm: str = "kmeans"
    seed: int = 0
    standardize: bool = True
    n_refs: int = ENSEMBLE_N_REFS
    n_boot: int = ENSEMBLE_N_BOOT

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

    def __call__(self, panel) -> dict:
        return ensemble_statistics(panel.scores[panel.dimensions], ks=self.ks, algorithm=self.algorithm,
                                   seed=self.seed, standardize=self.standardize, n_refs=self.n_refs,
                                   n_boot=self.n_boot)

    def labels(self) -> dict:
        return ensemble_labels(algorithm=self.algorithm, n_refs=self.n_refs, n_boot=self.n_boot, top_k=max(self.ks))

    def conclusions(self) -> dict:
        return ensemble_conclusions()
