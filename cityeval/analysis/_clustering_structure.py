"""Is there cluster structure at all, and are the clusters more than bands of the composite? Re-exported by
:mod:`cityeval.analysis.clustering`.

A clustering always returns k groups. Two questions come before and after it:

* :func:`clusterability` — *before any k is chosen*: is the cloud of cities more than one cloud? The dip
  test of unimodality on the first principal component (:func:`dip_on_pc1`: groups along the main
  axis, as stages of one composite would lie) and the dip of the pairwise distances against clouds of
  one Gaussian with the cities' own means and covariances (:func:`dip_of_distances`: groups in any
  direction). The Hopkins statistic is not used: in six dimensions its sums of d-th powers of
  distances are dominated by the empty corners of the sampling box. In our trials (three groups
  9 units apart along the main axis of a 6-dimensional normal cloud with correlations 0.5, 100
  points, 30 seeds) the Hopkins statistic against a Gaussian cloud of the same covariance rejected
  in 0 of 30, the dip on PC1 in 25 and the dip of the pairwise distances in 30 (each at 0.025);
* :func:`composite_bands` — *after*: how much of the clustering is the order of the composite (stages
  contiguous in composite rank, the share of the composite's variance between the stages, the share of
  the between-cluster spread along the first principal component)?
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_integer, check_number, check_seed

from cityeval.analysis._clustering_stages import _check_labels, _prepare, _values, principal_scores
from cityeval.analysis._clustering_wording import bands_zh, check_lang, clusterability_zh

__all__ = ["DipResult", "dip_on_pc1", "dip_of_distances", "Clusterability", "clusterability", "BandCheck",
           "composite_bands", "BAND_SHARE", "N_SIM"]

#: Simulated Gaussian clouds of :func:`dip_of_distances`' Monte Carlo p-value.
N_SIM = 199
#: :func:`composite_bands` calls clusters "mostly bands of the composite" when at least this share of the cities
#: is in the stage the composite's order gives and of the between-cluster spread lies along PC1 (a convention).
BAND_SHARE = 0.75


@dataclass(frozen=True)
class DipResult:
    """Result of :func:`dip_on_pc1` and :func:`dip_of_distances`: the dip ``statistic``, its ``p_value`` (null:
    unimodal, resp. one Gaussian cloud), ``n`` (cities), ``method`` and ``alternative``."""

    statistic: float
    p_value: float
    n: int
    method: str
    alternative: str


def _pc1_share(frame, standardize) -> float:
    return float(principal_scores(frame, standardize=standardize, n_components=1).attrs["explained_variance_ratio"][0])


def _four(x: np.ndarray) -> None:
    if len(x) < 4:
        raise ParameterError("frame", "at least 4 cities (the dip test's table starts at n = 4)",
                             Shown(f"{len(x)} cities"))


def dip_on_pc1(frame: pd.DataFrame, *, standardize: bool = True) -> DipResult:
    """Hartigan's dip test of unimodality on the cities' first principal component.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        As in :func:`cluster` (at least 4 cities).
    standardize : bool, default True
        z-score the columns first (as the clustering does).

    Returns
    -------
    DipResult
        ``method`` says the share of the variance PC1 carries.

    Notes
    -----
    The dip :math:`D = \\inf_{G\\ \\mathrm{unimodal}} \\sup_x |F_n(x) - G(x)|` of the PC1 scores
    (:func:`principal_scores`), computed by the ``diptest`` package (``allow_zero=False``, so the
    statistic is at least 1/(2n), as R's ``dip``); its p-value interpolates the package's table of
    the dip under the uniform distribution, the least favourable unimodal one, so the test is
    conservative for other unimodal shapes. Groups ordered along the main axis (as stages of one
    composite would be) show on PC1; groups separated only along a minor axis do not (see
    :func:`dip_of_distances`). A p-value above alpha does not show unimodality: it fails to reject it.

    References
    ----------
    Hartigan, J. A. & Hartigan, P. M. (1985). The dip test of unimodality. *Ann. Statist.* 13(1), 70–84.
    https://doi.org/10.1214/aos/1176346577
    Adolfsson, A., Ackerman, M. & Brownstein, N. C. (2019). To cluster, or not to cluster: an analysis of
    clusterability methods. *Pattern Recognit.* 88, 13–26. https://doi.org/10.1016/j.patcog.2018.10.026

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 1.0, size=(50, 2)) for m in (0, 6)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(100)], columns=["A", "B"])
    >>> dip_on_pc1(frame).p_value < 0.01   # two groups along the main axis
    True
    """
    import diptest

    x = _prepare(frame, standardize)
    _four(x)
    pcs = principal_scores(frame, standardize=standardize, n_components=1)
    dip, p = diptest.diptest(pcs["PC1"].to_numpy(float), allow_zero=False)
    share = 100 * _pc1_share(frame, standardize)
    return DipResult(statistic=float(dip), p_value=float(p), n=len(x),
                     method=f"Hartigan's dip test on the first principal component ({share:.0f}% of the variance; "
                            "diptest, tabulated p-value)", alternative="multimodal")


def _distance_dips(xs: np.ndarray) -> np.ndarray:
    """The dip of the pairwise Euclidean distances of each data set of ``xs`` (S, n, d)."""
    import diptest
    from scipy.spatial.distance import pdist

    return np.array([diptest.dipstat(pdist(x), allow_zero=False) for x in xs])


def dip_of_distances(frame: pd.DataFrame, *, n_sim: int = N_SIM, seed: int = 0,
                     standardize: bool = True) -> DipResult:
    """The dip of the cities' pairwise distances, against clouds of one Gaussian with the data's mean and covariance.

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        As in :func:`cluster` (at least 4 cities).
    n_sim : int, default :data:`N_SIM` (199)
        Gaussian clouds simulated for the p-value (>= 1).
    seed : int, default 0
        Seeds the simulated clouds.
    standardize : bool, default True
        z-score the columns first.

    Returns
    -------
    DipResult

    Notes
    -----
    Distances within groups and between groups make the distribution of all :math:`n(n-1)/2`
    pairwise distances multimodal, whatever the direction in which the groups are separated
    (Kalogeratos & Likas 2012; Adolfsson et al. 2019). The distances are not independent, so the
    dip's table does not apply: the p-value is a Monte Carlo one, :math:`p = (1 + \\#\\{D^*_s \\ge D\\})
    / (S + 1)`, :math:`D^*_1..D^*_S` the dips of ``n_sim`` clouds of n cities drawn from the normal
    distribution with the data's mean and covariance (``numpy``'s ``multivariate_normal``), each z-scored
    column by column as the data are when ``standardize`` (the null undergoes the data's own transform). That null
    has the data's correlations but not their skewness or tails: a skewed or heavy-tailed single
    cloud can exceed it without being clustered.

    References
    ----------
    Kalogeratos, A. & Likas, A. (2012). Dip-means: an incremental clustering method for estimating the
    number of clusters. *Adv. Neural Inf. Process. Syst.* 25, 2393–2401.
    Adolfsson, A., Ackerman, M. & Brownstein, N. C. (2019). To cluster, or not to cluster: an analysis of
    clusterability methods. *Pattern Recognit.* 88, 13–26. https://doi.org/10.1016/j.patcog.2018.10.026

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.3, size=(30, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(90)], columns=["A", "B"])
    >>> dip_of_distances(frame, n_sim=19).p_value   # 1/20: no Gaussian cloud's distances have so large a dip
    0.05
    """
    x = _prepare(frame, standardize)
    _four(x)
    n_sim = check_integer("n_sim", n_sim, low=1)
    rng = np.random.default_rng(check_seed(seed))
    n, d = x.shape
    dip = float(_distance_dips(x[None])[0])
    sims = rng.multivariate_normal(x.mean(axis=0), np.cov(x, rowvar=False).reshape(d, d), size=(n_sim, n),
                                   method="eigh")
    if standardize:  # the null gets the data's transform: each simulated cloud z-scored as the data were (ddof 0)
        sims = (sims - sims.mean(axis=1, keepdims=True)) / sims.std(axis=1, keepdims=True)
    p = float((1 + np.count_nonzero(_distance_dips(sims) >= dip)) / (n_sim + 1))
    return DipResult(statistic=dip, p_value=p, n=n,
                     method=f"dip of the pairwise distances against {n_sim} Gaussian clouds with the data's mean and "
                            "covariance (Monte Carlo p-value)", alternative="multimodal")


@dataclass(frozen=True)
class Clusterability:
    """Result of :func:`clusterability`: the dip tests on PC1 (``pc1``) and on the pairwise distances
    (``distances``), both :class:`DipResult`; the level ``alpha``; ``clusterable`` (either test rejects at
    alpha / 2, Bonferroni over the two) and ``sentence`` (what to print)."""

    pc1: DipResult
    distances: DipResult
    alpha: float
    clusterable: bool
    sentence: str
    sentence_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """:attr:`sentence` in ``lang`` (``"zh"``: :attr:`sentence_zh`)."""
        return self.sentence_zh if check_lang(lang) == "zh" else self.sentence


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def clusterability(frame: pd.DataFrame, *, alpha: float = 0.05, n_sim: int = N_SIM, seed: int = 0,
                   standardize: bool = True) -> Clusterability:
    """Before any k is chosen: is there evidence that the cities form more than one cloud?

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        As in :func:`cluster` (at least 4 cities).
    alpha : float, default 0.05
        Family-wise level of the two tests (each is tested at alpha / 2, Bonferroni).
    n_sim, seed, standardize
        As for :func:`dip_of_distances`.

    Returns
    -------
    Clusterability
        ``clusterable`` is True when the dip test on PC1 (:func:`dip_on_pc1`: groups along the main
        axis) or the dip of the pairwise distances (:func:`dip_of_distances`: groups in any direction,
        against one Gaussian cloud) rejects at alpha / 2.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> frame = pd.DataFrame(rng.normal(size=(100, 3)), index=[f"c{i}" for i in range(100)], columns=list("ABC"))
    >>> clusterability(frame, n_sim=39).clusterable   # one Gaussian cloud
    False
    """
    alpha = check_number("alpha", alpha, low=0, high=1, low_open=True, high_open=True)
    pc1 = dip_on_pc1(frame, standardize=standardize)
    dist = dip_of_distances(frame, n_sim=n_sim, seed=seed, standardize=standardize)
    level = alpha / 2
    tests = {"pc1": pc1, "distances": dist}
    rejects = {name: t.p_value < level for name, t in tests.items()}
    clusterable = bool(any(rejects.values()))

    def says(name, null, extra=""):
        t = tests[name]
        return (f"{'rejects' if rejects[name] else 'does not reject'} {null} (dip {t.statistic:.3f}, "
                f"{_p(t.p_value)}{extra})")

    verdict = ("There is evidence of structure beyond a single cloud" if clusterable else
               "There is no evidence of cluster structure beyond a single cloud (a non-rejection does not show that "
               "there is none): any k chosen below may cut one cloud")
    sentence = (f"Clusterability, before any k is chosen: the dip test on the first principal component "
                f"({100 * _pc1_share(frame, standardize):.0f}% of the variance) {says('pc1', 'unimodality')}; the dip "
                f"of the pairwise distances "
                f"{says('distances', 'one Gaussian cloud with the cities’ means and covariances', f', {n_sim} clouds')}"
                f". {verdict} (each test at {level:g}, Bonferroni over the two for {alpha:g}).")
    sentence_zh = clusterability_zh(pc1=pc1, distances=dist, pc1_share=_pc1_share(frame, standardize), rejects=rejects,
                                    clusterable=clusterable, n_sim=n_sim, level=level, alpha=alpha)
    return Clusterability(pc1=pc1, distances=dist, alpha=alpha, clusterable=clusterable, sentence=sentence,
                          sentence_zh=sentence_zh)


@dataclass(frozen=True)
class BandCheck:
    """Result of :func:`composite_bands`.

    Attributes
    ----------
    k, n : int
        Stages and cities.
    contiguous : bool
        Every stage's composite range lies above the previous stage's: the stages are bands of the composite.
    band_agreement : float
        Share of cities in the stage that cutting the composite's order at the same stage sizes gives.
    band_ari : float
        Adjusted Rand index between the stages and those bands.
    eta2 : float
        Share of the composite's variance between the stages (the correlation ratio squared).
    pc1_share : float
        Share of the between-cluster sum of squares (in the clustered coordinates) along the first
        principal component.
    pc1_composite_r : float
        Pearson correlation of the PC1 scores with the composite.
    bands : str
        ``"bands"`` (contiguous), ``"mostly bands"`` (``band_agreement`` and ``pc1_share`` both at least
        :data:`BAND_SHARE`) or ``"not bands"``.
    sentence : str
    """

    k: int
    n: int
    contiguous: bool
    band_agreement: float
    band_ari: float
    eta2: float
    pc1_share: float
    pc1_composite_r: float
    bands: str
    sentence: str
    sentence_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """:attr:`sentence` in ``lang`` (``"zh"``: :attr:`sentence_zh`)."""
        return self.sentence_zh if check_lang(lang) == "zh" else self.sentence


def composite_bands(frame: pd.DataFrame, labels: pd.Series, composite: pd.Series, *,
                    standardize: bool = True) -> BandCheck:
    """How much of a clustering is the composite's order: are the clusters just bands of the composite?

    Parameters
    ----------
    frame : pandas.DataFrame, shape (n_cities, n_dimensions)
        The clustered data, as given to :func:`cluster`.
    labels : pandas.Series
        A cluster number per city (:func:`cluster`); the clusters are taken in order of their mean
        composite, whatever their numbers.
    composite : pandas.Series
        The composite of the same cities (finite).
    standardize : bool, default True
        As the clustering was run (the coordinates of the between-cluster spread).

    Returns
    -------
    BandCheck

    Notes
    -----
    *Bands*: sort the cities by composite (ties in the order of ``frame``) and give the lowest
    :math:`n_1` stage 1, the next :math:`n_2` stage 2, and so on, :math:`n_s` the stage sizes;
    ``band_agreement`` is the share of cities whose stage is their band's. :math:`\\eta^2 =
    \\sum_s n_s(\\bar c_s - \\bar c)^2 / \\sum_i (c_i - \\bar c)^2` for the composite :math:`c`. With
    :math:`\\mu_s` the stage centroids, :math:`\\mu` the mean and :math:`v_1` the first principal axis of
    the clustered coordinates, ``pc1_share`` :math:`= \\sum_s n_s((\\mu_s - \\mu)\\cdot v_1)^2 /
    \\sum_s n_s\\lVert\\mu_s - \\mu\\rVert^2`. Clusters that are bands of one continuous cloud score near 1
    on all three; clusters that differ in their *profile* across dimensions put their spread off PC1.

    Examples
    --------
    >>> t = np.arange(6.0)
    >>> frame = pd.DataFrame({"A": t, "B": t + np.array([0, 1, 0, 1, 0, 1]) * 0.1}, index=list("abcdef"))
    >>> labels = pd.Series([1, 1, 2, 2, 3, 3], index=frame.index)
    >>> b = composite_bands(frame, labels, frame.mean(axis=1))
    >>> b.contiguous, b.band_agreement, b.bands
    (True, 1.0, 'bands')
    """
    from sklearn.metrics import adjusted_rand_score

    x = _prepare(frame, standardize)
    lab = _check_labels(labels, frame).to_numpy()
    if not isinstance(composite, pd.Series):
        raise ParameterError("composite", "a pandas Series of scores indexed by city", Shown(type(composite).__name__))
    c = _values(composite.reindex(frame.index).to_frame("composite"), name="composite")[:, 0]
    stages = np.unique(lab)
    # the stages in order of their mean composite (cluster's own numbering when ordered by this composite)
    stages = stages[np.argsort([c[lab == s].mean() for s in stages], kind="stable")]
    k, n = len(stages), len(lab)
    sizes = np.array([np.count_nonzero(lab == s) for s in stages])
    order = np.argsort(c, kind="stable")
    band = np.empty(n, dtype=lab.dtype)
    band[order] = np.repeat(stages, sizes)
    agreement = float(np.mean(band == lab))
    ari = float(adjusted_rand_score(lab, band))
    means = np.array([c[lab == s].mean() for s in stages])
    total = float(((c - c.mean()) ** 2).sum())
    eta2 = float((sizes * (means - c.mean()) ** 2).sum() / total) if total > 0 else np.nan
    lows = np.array([c[lab == s].min() for s in stages])
    highs = np.array([c[lab == s].max() for s in stages])
    contiguous = bool(np.all(highs[:-1] < lows[1:]))
    z = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(z, full_matrices=False)
    centroids = np.array([z[lab == s].mean(axis=0) for s in stages])
    between = float((sizes * (centroids ** 2).sum(1)).sum())
    pc1_share = float((sizes * (centroids @ vt[0]) ** 2).sum() / between) if between > 0 else np.nan
    pc1 = principal_scores(frame, standardize=standardize, n_components=1)["PC1"].to_numpy(float)
    r = float(np.corrcoef(pc1, c)[0, 1]) if pc1.std() > 0 and c.std() > 0 else np.nan
    bands = ("bands" if contiguous else
             "mostly bands" if agreement >= BAND_SHARE and pc1_share >= BAND_SHARE else "not bands")
    lead = {"bands": "The clusters are bands of the composite (each stage's composite range lies above the "
                     "previous one's)",
            "mostly bands": f"The clusters are mostly bands of the composite (both shares below at least "
                            f"{BAND_SHARE}, a convention), cut along one axis",
            "not bands": "The clusters are not just bands of the composite"}[bands]
    sentence = (f"{lead}: {100 * agreement:.0f}% of the cities are in the stage that cutting the composite's order "
                f"at the same stage sizes gives (ARI {ari:.2f}); the stages hold {100 * eta2:.0f}% of the composite's "
                f"variance (η²); {100 * pc1_share:.0f}% of the between-cluster spread lies along the first principal "
                f"component (r = {r:.2f} with the composite). One elongated Gaussian cloud cut into k pieces scores high on "
                "both shares too: bands say the clusters are cuts of the composite's order, not that the cities form "
                "groups.")
    return BandCheck(k=k, n=n, contiguous=contiguous, band_agreement=agreement, band_ari=ari, eta2=eta2,
                     pc1_share=pc1_share, pc1_composite_r=r, bands=bands, sentence=sentence,
                     sentence_zh=bands_zh(bands=bands, agreement=agreement, ari=ari, eta2=eta2, pc1_share=pc1_share,
                                          r=r, band_share=BAND_SHARE))
