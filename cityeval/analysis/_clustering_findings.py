"""Notebook 03's tables and findings in words; re-exported by :mod:`cityeval.analysis.clustering`.

The stage table, the membership list, the "infrastructure and governance first" check by the
report's dimension names, the agreement across weightings (re-scoring the panel), the verdict on
three stages and the conclusion are built here from the results of the clustering functions, so a
rerun on other data changes them with the numbers. The notebook calls these and plots.
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_choices, check_integer, check_sample, check_seed

from cityeval.analysis._clustering_assumptions import stage_assumptions
from cityeval.analysis._clustering_choice import KSupport, best_k, silhouette_band, support_for_k
from cityeval.analysis._clustering_engine import GMM_TOL
from cityeval.analysis._clustering_mixture import MixtureChoice, best_mixture
from cityeval.analysis._clustering_stability import Stability, agreement, bootstrap_stability
from cityeval.analysis._clustering_structure import BandCheck, Clusterability
from cityeval.analysis._clustering_stages import (ALGORITHMS, _check_k, _prepare, _values, cluster, leaders_first,
                                                  stage_names)
from cityeval.analysis._clustering_wording import (algorithm_name, check_lang, covariance_name, leaders_zh,
                                                  weighting_note_zh)
from cityeval.analysis._clustering_wording import conclusion_zh as conclusion_zh_

__all__ = ["REPORT_LEADERS", "stage_labels", "stage_table", "membership", "LeadersCheck", "leaders_by_name",
           "WeightingAgreement", "weighting_agreement", "three_stage_verdict", "StageFindings", "stage_findings"]

#: The report's two "obligatory" dimensions (新型信息基础设施建设, 城市数字治理), by their names in indicators.csv.
REPORT_LEADERS = ("信息基础", "城市治理")


def _labels(labels) -> pd.Series:
    if not isinstance(labels, pd.Series):
        raise ParameterError("labels", "a pandas Series of stage numbers indexed by city (from cluster)",
                             Shown(type(labels).__name__))
    return labels


def _composite(composite, labels: pd.Series) -> pd.Series:
    """The composite of the labelled cities: a Series with the index of ``labels``, every value finite
    (a NaN or an infinity is a DataError naming the city)."""
    if not isinstance(composite, pd.Series) or not composite.index.equals(labels.index):
        raise ParameterError("composite", "a pandas Series of scores with the index of labels",
                             Shown(type(composite).__name__))
    check_sample(composite, name="composite", min_n=1, what="one composite score per labelled city")
    return composite


def _check_stages(name: str, stages, k) -> list:
    """``stages`` (stage numbers) as a list, each a whole number in 1..k; else a ParameterError naming ``name``."""
    k = check_integer("k", k, low=1)
    values = list(stages)
    bad = [s for s in values
           if not (isinstance(s, numbers.Integral) and not isinstance(s, (bool, np.bool_)) and 1 <= s <= k)]
    if bad:
        raise ParameterError(name, f"stage numbers, whole numbers in 1..k = 1..{k}",
                             Shown(f"{len(bad)} value(s) outside, e.g. {', '.join(map(repr, bad[:3]))}"))
    return values


def stage_labels(stages, *, k: int, counts: pd.Series | None = None, lang: str = "en") -> list[str]:
    """Numbered stage names for figures: ``"1. capability building"`` (and ``" (n=33)"`` with ``counts``);
    ``lang="zh"``: the report's names (``"1. 能力搭建阶段"``) when ``k == 3``, else ``"第 1 组"``.

    Examples
    --------
    >>> stage_labels([1, 3], k=3)
    ['1. capability building', '3. innovative development']
    >>> stage_labels([2], k=2, counts=pd.Series({2: 7}))
    ['2. cluster 2 (highest) (n=7)']
    >>> stage_labels([1, 3], k=3, lang="zh"), stage_labels([2], k=2, counts=pd.Series({2: 7}), lang="zh")
    (['1. 能力搭建阶段', '3. 创新发展阶段'], ['2. 第 2 组（最高）（n=7）'])
    >>> stage_labels([1, 2, 5], k=3)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: stages should be stage numbers, whole numbers in 1..k = 1..3, but its value is 1 value(s) outside, e.g. 5.
    """
    stages = _check_stages("stages", stages, k)
    if lang not in ("en", "zh"):
        raise ParameterError("lang", "'en' or 'zh'", lang)
    if lang == "zh":
        names = [n + "阶段" for n in stage_names(3, lang="zh")] if k == 3 else [
            f"第 {s} 组" + ("（最低）" if s == 1 and k > 1 else "（最高）" if s == k and k > 1 else "") for s in range(1, k + 1)]
        return [f"{s}. {names[s - 1]}" + (f"（n={counts[s]}）" if counts is not None else "") for s in stages]
    names = stage_names(k)
    return [f"{s}. {names[s - 1]}" + (f" (n={counts[s]})" if counts is not None else "") for s in stages]


def stage_table(labels: pd.Series, composite: pd.Series, *, k: int) -> pd.DataFrame:
    """One row per stage: its numbered name (with the Chinese name when ``k == 3``), number of cities, mean
    composite (1 decimal) and composite range. ``labels`` are stage numbers in 1..k (else a ParameterError);
    ``composite`` is finite (else a DataError naming the city).

    Examples
    --------
    >>> labels = pd.Series([1, 1, 2], index=list("abc"))
    >>> stage_table(labels, pd.Series([10.0, 20.0, 50.0], index=list("abc")), k=2)["composite range"].tolist()
    ['10.0-20.0', '50.0-50.0']
    """
    labels = _labels(labels)
    _check_stages("labels", labels, k)
    composite = _composite(composite, labels)
    names_en, names_zh = stage_names(k), stage_names(k, lang="zh")
    counts = labels.value_counts().sort_index()
    return pd.DataFrame({
        "stage": [f"{s}. {names_en[s - 1]}" + (f" ({names_zh[s - 1]})" if k == 3 else "") for s in counts.index],
        "cities": counts.to_numpy(),
        "mean composite": composite.groupby(labels).mean().reindex(counts.index).round(1).to_numpy(),
        "composite range": [f"{composite[labels == s].min():.1f}-{composite[labels == s].max():.1f}"
                            for s in counts.index],
    })


def membership(labels: pd.Series, composite: pd.Series, *, k: int) -> pd.DataFrame:
    """Each city's stage: columns ``city``, ``stage``, ``stage_name``, ``stage_name_zh`` (the report's name when
    ``k == 3``, else ``None``) and ``composite``, in the order of ``labels``. ``labels`` and ``composite`` are
    checked as in :func:`stage_table`.

    Examples
    --------
    >>> membership(pd.Series([1, 2], index=["a", "b"]), pd.Series([3.0, 9.0], index=["a", "b"]), k=2)["stage_name"].tolist()
    ['cluster 1 (lowest)', 'cluster 2 (highest)']
    """
    labels = _labels(labels)
    _check_stages("labels", labels, k)
    composite = _composite(composite, labels)
    names_en, names_zh = stage_names(k), stage_names(k, lang="zh")
    return pd.DataFrame({"city": labels.index, "stage": labels.to_numpy(),
                         "stage_name": [names_en[s - 1] for s in labels],
                         "stage_name_zh": [names_zh[s - 1] for s in labels] if k == 3 else None,
                         "composite": composite.to_numpy()})


class LeadersCheck(NamedTuple):
    """Result of :func:`leaders_by_name`: ``leaders`` (codes found), ``table`` (:func:`leaders_first`, or ``None``
    when not every name was found) and ``note`` (what was skipped, else ``""``)."""

    leaders: list
    table: pd.DataFrame | None
    note: str

    def message(self, lang: str = "en", names_zh: dict | None = None) -> str:
        """What notebook 03 prints: the note, else the leading dimensions (Chinese with ``lang="zh"``, the
        dimensions named by ``names_zh``, code -> Chinese name)."""
        if check_lang(lang) == "zh":
            return leaders_zh(self, names_zh or {})
        return self.note or f"Leading dimensions: {', '.join(self.leaders)}"

    @property
    def record(self) -> dict | None:
        """Per stage: ``closest`` and ``leaders_closest`` (for a results file); ``None`` without a table."""
        if self.table is None:
            return None
        return {str(s): {"closest": row["closest"], "leaders_closest": bool(row["leaders_closest"])}
                for s, row in self.table.iterrows()}


def leaders_by_name(gaps: pd.DataFrame, indicators: pd.DataFrame, *, names=REPORT_LEADERS) -> LeadersCheck:
    """:func:`leaders_first` for the dimensions whose Chinese name (``indicators["name_zh"]``) is in ``names``.

    Parameters
    ----------
    gaps : pandas.DataFrame
        From :func:`stage_gaps` (its columns are the dimensions, in order).
    indicators : pandas.DataFrame
        The dataset's indicator table (index = code, with a ``name_zh`` column).
    names : sequence of str, default :data:`REPORT_LEADERS`

    Returns
    -------
    LeadersCheck
        The comparison is skipped (``table`` None, a ``note`` saying so) unless every name is found.

    Examples
    --------
    >>> gaps = pd.DataFrame({"INF": [-0.2, 0.0], "GOV": [-0.3, 0.0], "TEC": [-2.0, 0.0]}, index=[1, 2])
    >>> meta = pd.DataFrame({"name_zh": ["信息基础", "城市治理", "技术创新"]}, index=["INF", "GOV", "TEC"])
    >>> leaders_by_name(gaps, meta).record
    {'1': {'closest': ['INF', 'GOV'], 'leaders_closest': True}}
    """
    if not isinstance(indicators, pd.DataFrame) or "name_zh" not in indicators.columns:
        raise ParameterError("indicators", "the indicator table (index = code, a name_zh column)",
                             Shown(type(indicators).__name__))
    names = list(names)
    leaders = [c for c in gaps.columns if c in indicators.index and indicators.at[c, "name_zh"] in set(names)]
    if len(leaders) != len(names):
        return LeadersCheck(leaders, None, f"The dataset has no dimensions named {' and '.join(names)}: the "
                                           "'infrastructure first' comparison is skipped.")
    return LeadersCheck(leaders, leaders_first(gaps, leaders), "")


@dataclass(frozen=True)
class WeightingAgreement:
    """Result of :func:`weighting_agreement`.

    Attributes
    ----------
    labelings : dict
        Name -> the stages of the same cities under that weighting (``"dataset method"`` first when the
        dataset's own weighting is none of those compared).
    ari : pandas.DataFrame
        :func:`agreement` of the labelings (empty with fewer than two).
    overlap : dict
        Weighting -> how many of the cities are still in its own top ``top_n``.
    failed : dict
        Weighting -> why it could not be used.
    """

    labelings: dict
    ari: pd.DataFrame
    overlap: dict
    failed: dict

    @property
    def note(self) -> str:
        """What to print: the weightings left out, and the overlap of the top cities."""
        lines = [f"weighting {m!r} could not be used and is left out: {why}" for m, why in self.failed.items()]
        n = len(next(iter(self.labelings.values()))) if self.labelings else 0
        return "\n".join(lines + [f"Cities of this panel's top {n} still in the top {n} under each weighting: "
                                  f"{self.overlap}"])

    def note_in(self, lang: str = "en") -> str:
        """:attr:`note` in ``lang``."""
        return weighting_note_zh(self) if check_lang(lang) == "zh" else self.note


def weighting_agreement(score_panel, data, frame: pd.DataFrame, labels: pd.Series, *, method: dict, top_n: int,
                        k: int, algorithm: str, seed: int, standardize: bool,
                        weight_methods=("equal", "entropy", "critic")) -> WeightingAgreement:
    """Cluster the same cities after re-scoring the panel with other indicator weights.

    Parameters
    ----------
    score_panel : callable
        ``score_panel(data, top_n=..., method=record)`` returns a scored panel with ``all_scores``,
        ``scores`` and ``top_code``: :func:`cityeval.notebook.panel.scored_panel`.
    data : str or path-like
        The dataset folder, passed on.
    frame : pandas.DataFrame
        The clustered cities x dimensions (its index and columns are used again).
    labels : pandas.Series
        Their stages under the dataset's own method (:func:`cluster`).
    method : dict
        The dataset's method record (``panel.result.method``); every choice but the weights is kept.
    top_n, k, algorithm, seed, standardize
        As the notebook ran :func:`cluster`.
    weight_methods : sequence of distinct str
        The weightings compared, each of :data:`cityeval.composite.weighting.WEIGHT_METHODS` (a single
        string is refused, not read letter by letter).

    Returns
    -------
    WeightingAgreement
        A weighting the library refuses for these data (a :class:`~cityeval.errors.DataError`) is left
        out, with its message in ``failed``.

    Raises
    ------
    ParameterError
        A bad argument (an unknown or repeated weighting among them): raised, never recorded in ``failed``.
    DataError
        The data folder cannot be scored with its own method (a missing folder, a bad file): it is scored
        once, unprotected, before the weightings are tried.

    Examples
    --------
    >>> from cityeval.notebook.panel import scored_panel
    >>> panel = scored_panel("", top_n=40)
    >>> x = panel.scores[panel.dimensions]
    >>> labels = cluster(x, k=3, order_by=panel.scores[panel.top_code])
    >>> res = weighting_agreement(scored_panel, "", x, labels, method=panel.result.method, top_n=40, k=3,
    ...                           algorithm="kmeans", seed=0, standardize=True, weight_methods=("equal", "critic"))
    >>> list(res.labelings), res.ari.shape
    (['equal', 'critic'], (2, 2))
    """
    if not callable(score_panel):
        raise ParameterError("score_panel", "a function such as cityeval.notebook.panel.scored_panel",
                             Shown(type(score_panel).__name__))
    if not isinstance(method, dict) or "weight" not in method:
        raise ParameterError("method", "a method record with a 'weight' entry (panel.result.method)",
                             Shown(type(method).__name__))
    from cityeval.composite.weighting import WEIGHT_METHODS

    # the arguments are checked here: inside the loop only a DataError (a weighting refused for these data)
    # is recorded; anything else is raised
    _check_k(k, _prepare(frame, standardize))
    check_choice("algorithm", algorithm, ALGORITHMS)
    check_seed(seed)
    check_integer("top_n", top_n, low=len(frame), allowed=f"a whole number >= {len(frame)} (the cities clustered)")
    _labels(labels)
    weight_methods = check_choices("weight_methods", weight_methods, WEIGHT_METHODS)
    score_panel(data, top_n=top_n)   # the folder and top_n, unprotected: a bad folder is not a "failed" weighting
    dims = list(frame.columns)
    labelings, failed, overlap = {}, {}, {}
    base_weight = method["weight"]
    if base_weight.get("method") not in weight_methods or set(base_weight) - {"method"}:
        labelings["dataset method"] = labels
    for wm in weight_methods:
        record = {key: value for key, value in method.items() if key != "description"}
        record["weight"] = {"method": wm}
        try:
            other = score_panel(data, top_n=top_n, method=record)
            scores = other.all_scores.loc[frame.index]
            labelings[wm] = cluster(scores[dims], k=k, algorithm=algorithm, seed=seed, standardize=standardize,
                                    order_by=scores[other.top_code])
            overlap[wm] = len(other.scores.index.intersection(frame.index))
        except DataError as exc:
            failed[wm] = f"{type(exc).__name__}: {exc}"
    ari = agreement(labelings) if len(labelings) >= 2 else pd.DataFrame()
    return WeightingAgreement(labelings=labelings, ari=ari, overlap=overlap, failed=failed)


def three_stage_verdict(frame: pd.DataFrame, evidence: pd.DataFrame, *, algorithm: str, n_boot: int, seed: int,
                        standardize: bool) -> KSupport:
    """:func:`support_for_k` at k = 3 (the report's claim) whatever k the notebook clustered with.

    The bootstrap at k = 3 is :func:`bootstrap_stability` with the other arguments given (reused when
    already computed). With too few cities to compare k = 1..4, or no row 3 in ``evidence``, the
    verdict is ``None`` and the reason says so.

    Examples
    --------
    >>> from cityeval.analysis.clustering import choose_k
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> verdict = three_stage_verdict(frame, choose_k(frame, [1, 2, 3, 4], n_refs=5), algorithm="kmeans", n_boot=5,
    ...                               seed=0, standardize=True)
    >>> verdict.supported, verdict.votes   # on a line the PCA-box gap stops at 1; silhouette and valid-fit BIC pick 3
    (True, {'silhouette': True, 'gap': False, 'bic': True})
    """
    x = _values(frame)
    if 3 in evidence.index and len(x) > 3:
        stab3 = bootstrap_stability(frame, k=3, algorithm=algorithm, n_boot=n_boot, seed=seed, standardize=standardize)
        return support_for_k(evidence, stab3, k=3)
    return KSupport(k=3, supported=None, reason=f"not assessed: {len(x)} cities are too few to compare k = 1..4",
                    votes=None, picked=None, silhouette_at_k=None, mean_ari=None)


class StageFindings(NamedTuple):
    """Result of :func:`stage_findings`: ``summary`` (one sentence), ``conclusion`` (Markdown), ``word``
    (what the verdict calls three stages: supported, not supported, neither ...) and ``assumptions``
    (results path -> the sentences its number rests on: :func:`stage_assumptions`); ``summary_zh``: the summary's
    numbers in one Chinese sentence."""

    summary: str
    conclusion: str
    word: str
    assumptions: dict
    summary_zh: str = ""
    conclusion_zh: str = ""

    def text(self, lang: str = "en") -> str:
        """The conclusion in ``lang`` (``"zh"``: :attr:`conclusion_zh`)."""
        return self.conclusion_zh if check_lang(lang) == "zh" else self.conclusion


_WORDS = {True: "supported", False: "not supported", None: "neither supported nor ruled out (inconclusive)"}


def _off_diagonal(matrix: pd.DataFrame) -> pd.Series:
    if matrix.empty:
        return pd.Series(dtype=float)
    return matrix.where(~np.eye(len(matrix), dtype=bool)).stack()


def _silhouette_words(value: float) -> str:
    """``'0.22: “no substantial structure” (<= 0.25) in Kaufman & Rousseeuw's bands'``."""
    return f"{value:.2f}: “{silhouette_band(value)}” ({silhouette_band(value, with_range=True).rsplit('(', 1)[1]}"


def _mixture_words(choice: MixtureChoice) -> str:
    """What the joint BIC choice is and what it rejected, in words."""
    if choice.k is None:
        return f"no valid fit among {choice.n_fits} (all rejected: see the mixture table)"
    rejected = choice.n_fits - choice.n_valid
    return (f"k = {choice.k} ({choice.covariance_type} covariance, the lowest BIC among the {choice.n_valid} valid of "
            f"{choice.n_fits} fits of {len(choice.models)} covariance models"
            + (f"; {rejected} rejected for a component of fewer cities than its covariance needs, a singular "
               "covariance or no convergence" if rejected else "")
            + f"; each fit the best valid of its EM starts, run to a tolerance of {GMM_TOL:g} on the cities in a "
              "canonical order, so the pick does not depend on their order, though an untried start might still "
              "find a better optimum)")


def stage_findings(*, verdict: KSupport, evidence: pd.DataFrame, evidence_uniform: pd.DataFrame, stability: Stability,
                   ari_algorithms: pd.DataFrame, weightings: WeightingAgreement, labels: pd.Series,
                   composite: pd.Series, leaders: LeadersCheck, dimension_names: pd.Series, algorithm: str,
                   synthetic: bool, data_path, clusterability: Clusterability, bands: BandCheck,
                   mixtures: pd.DataFrame, standardize: bool = True, ranges: Mapping | None = None,
                   verdicts: Mapping | None = None, ranges_zh: Mapping | None = None,
                   verdicts_zh: Mapping | None = None, dimension_names_zh: Mapping | None = None) -> StageFindings:
    """Notebook 03's conclusion: is there structure at all, are there three stages, how reproducible is the
    clustering, are the clusters more than bands of the composite, and does "infrastructure and governance
    first" show?

    Parameters
    ----------
    verdict : KSupport
        :func:`three_stage_verdict`.
    evidence, evidence_uniform : pandas.DataFrame
        :func:`choose_k` with the PCA-box and the uniform reference.
    stability : Stability
        :func:`bootstrap_stability` at the notebook's k (gives k).
    ari_algorithms : pandas.DataFrame
        :func:`agreement` of k-means, Ward and the Gaussian mixture.
    weightings : WeightingAgreement
        :func:`weighting_agreement`.
    labels, composite : pandas.Series
        The stages and the composite of the clustered cities.
    leaders : LeadersCheck
        :func:`leaders_by_name`.
    dimension_names : pandas.Series
        English name of each dimension (index = code), in the order clustered.
    algorithm : str
    synthetic : bool
        The data are the synthetic panel (the texts say "illustrative").
    data_path : path-like
        The dataset folder (its name is written when the data are not synthetic).
    clusterability : Clusterability
        :func:`clusterability` of the clustered data (the check made before any k is chosen).
    bands : BandCheck
        :func:`composite_bands` of ``labels``.
    mixtures : pandas.DataFrame
        :func:`mixture_fits` over the ks of ``evidence`` (the BIC's joint choice of k and model, and the
        model behind the Gaussian mixture's stages at k).
    standardize : bool, default True
        The dimensions were z-scored before clustering (said in the assumptions).
    ranges : mapping of str -> str, optional
        The spread over the ensemble of panels fitting the published ranks of some of
        :func:`ensemble_statistics`' names, as ``EnsembleSummary.range_text`` writes it (e.g.
        ``{"silhouette_3": "0.16 (5–95% over 50 illustrative panels: 0.15–0.28)"}``), keyed by name.
    verdicts : mapping of str -> str, optional
        Conclusion sentence -> in how many panels it holds (``EnsembleSummary.verdict``). With
        ``ranges`` or ``verdicts`` the summary and the conclusion say what holds across the panels,
        and the nominal panel's numbers are called the nominal panel's: on synthetic data one panel's
        number is not a finding.
    ranges_zh, verdicts_zh : mapping of str -> str, optional
        The same in Chinese (``range_text(..., lang="zh")``; Chinese conclusion -> ``verdict(..., lang="zh")``),
        quoted by ``conclusion_zh``; default ``ranges`` and ``verdicts``.
    dimension_names_zh : mapping of str -> str, optional
        Chinese name of each dimension (code -> name) for ``conclusion_zh``; default the codes.

    Returns
    -------
    StageFindings
        Every mean silhouette quoted is named by its band of Kaufman & Rousseeuw (:func:`silhouette_band`):
        a silhouette that "picks" a k can still say there is no substantial structure.

    Examples
    --------
    >>> from cityeval.analysis.clustering import choose_k, clusterability, composite_bands, mixture_fits
    >>> rng = np.random.default_rng(0)
    >>> x = np.vstack([rng.normal(m, 0.1, size=(5, 2)) for m in (0, 5, 10)])
    >>> frame = pd.DataFrame(x, index=[f"c{i}" for i in range(15)], columns=["A", "B"])
    >>> labels = cluster(frame, k=3)
    >>> evidence = choose_k(frame, [1, 2, 3, 4], n_refs=5)
    >>> f = stage_findings(verdict=three_stage_verdict(frame, evidence, algorithm="kmeans", n_boot=5, seed=0,
    ...                                                standardize=True),
    ...                    evidence=evidence, evidence_uniform=evidence, stability=bootstrap_stability(frame, n_boot=5),
    ...                    ari_algorithms=agreement({"kmeans": labels, "ward": cluster(frame, algorithm="ward")}),
    ...                    weightings=WeightingAgreement({}, pd.DataFrame(), {}, {}), labels=labels,
    ...                    composite=frame.mean(axis=1), leaders=LeadersCheck([], None, ""),
    ...                    dimension_names=pd.Series({"A": "a", "B": "b"}), algorithm="kmeans", synthetic=False,
    ...                    data_path="my_data", clusterability=clusterability(frame, n_sim=19),
    ...                    bands=composite_bands(frame, labels, frame.mean(axis=1)),
    ...                    mixtures=mixture_fits(frame, [1, 2, 3, 4], n_init=2))
    >>> f.summary
    'kmeans k=3 on the top 15: silhouette picks k=3 (0.98: “strong structure”), gap k=1, BIC k=3 (tied, valid converged fits only); clusterability: evidence of structure beyond one cloud; the clusters are bands of the composite; bootstrap ARI 1.00; cross-algorithm ARI 1.00-1.00; three stages supported.'
    """
    synthetic = check_bool("synthetic", synthetic)
    ranges, verdicts = _texts("ranges", ranges), _texts("verdicts", verdicts)
    labels = _labels(labels)
    composite = _composite(composite, labels)
    for name, value, kind_ in (("clusterability", clusterability, Clusterability), ("bands", bands, BandCheck)):
        if not isinstance(value, kind_):
            raise ParameterError(name, f"the result of {'clusterability' if kind_ is Clusterability else 'composite_bands'}",
                                 Shown(type(value).__name__))
    k = check_integer("k", stability.summary.k, low=1)
    best, best_uniform = best_k(evidence), best_k(evidence_uniform)
    joint = best_mixture(mixtures)
    at_k = best_mixture(mixtures, k=k) if k in set(mixtures["k"]) else None
    top_k = max(evidence.index)
    names_en = stage_names(k)
    off_diag, w_off = _off_diagonal(ari_algorithms), _off_diagonal(weightings.ari)
    spread = bool(ranges or verdicts)
    kind = (f"On {'the nominal' if spread else 'this'} synthetic panel (illustrative numbers)" if synthetic
            else f"On {Path(data_path).name}")
    word = _WORDS[verdict.supported]

    def pick(name, v):
        what = f"k = {v}" if v is not None else f"no k below {top_k}"
        return f"{name} {what}" if name else what

    sil = evidence["silhouette"].astype(float)
    sil_best = float(sil.max()) if sil.notna().any() else np.nan
    sil_text = (f"silhouette {pick('', best.silhouette)} (mean silhouette {_silhouette_words(sil_best)} in Kaufman & "
                "Rousseeuw's bands)" if best.silhouette is not None else "silhouette: no k")
    s = stability.summary
    gmm_model = (f" ({at_k.covariance_type} covariance, the valid model with the lowest BIC at k = {k})"
                 if at_k is not None and at_k.k is not None else "")
    lines = [
        f"**{kind}, three stages are {word}.** Reason: {verdict.reason}.",
        clusterability.sentence,
        f"Evidence for k (k = 1..{top_k}): {sil_text}, {pick('gap', best.gap)} (with the uniform reference: "
        f"{pick('', best_uniform.gap)}), Gaussian-mixture BIC {_mixture_words(joint)}"
        + (f"; at k = 3 the mean silhouette is {_silhouette_words(float(evidence.at[3, 'silhouette']))}."
           if 3 in evidence.index and np.isfinite(evidence.at[3, "silhouette"]) else "."),
        f"Stability ({algorithm}, k = {k}): mean bootstrap ARI {s.mean:.2f} (5-95%: {s.q05:.2f}-{s.q95:.2f}); "
        f"agreement between k-means, Ward and the Gaussian mixture{gmm_model}: ARI "
        f"{off_diag.min():.2f}-{off_diag.max():.2f}"
        + (f"; between weightings ({', '.join(weightings.labelings)}): ARI {w_off.min():.2f}-{w_off.max():.2f}."
           if len(w_off) else "."),
        bands.sentence,
    ]
    if leaders.table is not None:
        consistent = bool(leaders.table["leaders_closest"].all())
        closest = "; ".join(f"stage {st} ({names_en[st - 1]}): {', '.join(dimension_names[c] for c in row['closest'])}"
                            + " (ranks of " + ", ".join(f"{dimension_names[c]} {row['rank_' + c]}"
                                                        for c in leaders.leaders)
                            + f" of {len(dimension_names)})" for st, row in leaders.table.iterrows())
        lines.append(
            f"Infrastructure and governance first? The lower stages are closest to the top stage in — {closest}. "
            + ("This is the pattern the report's reading predicts." if consistent else
               "This is not the pattern the report's reading predicts (infrastructure and governance closest).")
            + " A descriptive pattern of these clusters in one year, not a sequence in time.")
    if weightings.failed:
        lines.append("Weightings left out: " + "; ".join(f"{m} ({n})" for m, n in weightings.failed.items()) + ".")
    sil_short = (f" ({sil_best:.2f}: “{silhouette_band(sil_best)}”)" if best.silhouette is not None else "")
    bic_short = (f"BIC k={joint.k} ({joint.covariance_type}, valid converged fits only)" if joint.k is not None
                 else "BIC: no valid mixture")
    summary = (f"{'Illustrative (synthetic panel): ' if synthetic else ''}{algorithm} k={k} on the top {len(labels)}"
               f"{' (nominal panel)' if spread else ''}: silhouette picks k={best.silhouette}{sil_short}, "
               f"gap k={best.gap}, {bic_short}; clusterability: "
               + ("evidence of structure beyond one cloud" if clusterability.clusterable
                  else "no evidence of structure beyond one cloud")
               + f"; the clusters are {bands.bands.replace('not bands', 'not just bands')} of the composite; "
               f"bootstrap ARI {s.mean:.2f}; cross-algorithm ARI {off_diag.min():.2f}-{off_diag.max():.2f}; "
               f"three stages {word}.")
    if spread:
        across = "; ".join([f"{_RANGE_WORDS.get(n, n)} {t}" for n, t in ranges.items()]
                           + [f"“{c}” {v}" for c, v in verdicts.items()])
        summary += f" Over the panels that fit the published ranks: {across}."
        lines.insert(1, f"**Over the illustrative panels that fit the published ranks:** {across}.")
    ranges_zh, verdicts_zh = _texts("ranges_zh", ranges_zh) or ranges, _texts("verdicts_zh", verdicts_zh) or verdicts
    across_zh = "；".join([f"{_RANGE_WORDS_ZH.get(n, n)} {t}" for n, t in ranges_zh.items()]
                         + [f"“{c}”{v}" for c, v in verdicts_zh.items()]) if spread else ""
    conclusion_zh = conclusion_zh_(dict(
        verdict=verdict, best=best, best_uniform=best_uniform, joint=joint, at_k=at_k, k=k, top_k=top_k, s=s,
        evidence=evidence, off_diag=off_diag, w_off=w_off, weightings=weightings, leaders=leaders, spread=spread,
        synthetic=synthetic, data_name=Path(data_path).name, sil_best=sil_best, algorithm=algorithm,
        clusterability=clusterability.text("zh"), bands=bands.text("zh"), across_zh=across_zh,
        names_zh={c: (dict(dimension_names_zh or {})).get(c, c) for c in dimension_names.index},
        stage_zh=stage_names(3, lang="zh") if k == 3 else [f"第 {i} 组" for i in range(1, k + 1)]))
    assumptions = stage_assumptions(algorithm=algorithm, k=k, n=len(labels), standardize=check_bool("standardize", standardize),
                                    leaders=leaders, synthetic=synthetic, alpha=clusterability.alpha)
    word_zh = {True: "得到支持", False: "得不到支持"}.get(verdict.supported, "既不能支持也不能排除（无定论）")
    bic_zh = (f"BIC 选 k={joint.k}（{covariance_name(joint.covariance_type, 'zh')}，只计有效且收敛的拟合）" if joint.k is not None
              else "BIC：没有有效的混合模型")
    summary_zh = (f"{'示意（合成面板）：' if synthetic else ''}前 {len(labels)} 座城市上 {algorithm_name(algorithm, 'zh')} k={k}"
                  f"{'（基准面板）' if spread else ''}：轮廓系数选 k={best.silhouette}"
                  + (f"（{sil_best:.2f}）" if best.silhouette is not None else "")
                  + f"，间隙统计量选 k={best.gap}，{bic_zh}；可聚类性："
                  + ("有超出单一点云的结构证据" if clusterability.clusterable else "没有超出单一点云的结构证据")
                  + f"；自助法 ARI {s.mean:.2f}；算法之间的 ARI {off_diag.min():.2f}–{off_diag.max():.2f}；"
                  f"三阶段{word_zh}。")
    return StageFindings(summary=summary, conclusion="\n\n".join(lines), word=word, assumptions=assumptions,
                         summary_zh=summary_zh, conclusion_zh=conclusion_zh)


#: How the summary names :func:`ensemble_statistics`' numbers.
_RANGE_WORDS_ZH = {"silhouette_3": "k = 3 时的平均轮廓系数", "silhouette_best": "最佳平均轮廓系数（任意 k）",
                   "ari_3": "k = 3 时的自助法 ARI", "k_silhouette": "轮廓系数选出的 k", "k_gap": "间隙统计量选出的 k",
                   "k_gap_uniform": "间隙统计量（均匀盒参照）选出的 k", "k_bic": "BIC 选出的 k"}

_RANGE_WORDS = {"silhouette_3": "mean silhouette at k = 3", "silhouette_best": "best mean silhouette (any k)",
                "ari_3": "bootstrap ARI at k = 3",
                "k_silhouette": "k the silhouette picks", "k_gap": "k the gap statistic picks",
                "k_gap_uniform": "k the gap statistic (uniform reference) picks", "k_bic": "k the BIC picks"}


def _texts(name: str, texts) -> dict:
    """``texts`` as a dict of str -> str ({} for None); else a ParameterError naming ``name``."""
    if texts is None:
        return {}
    if not isinstance(texts, Mapping) or not all(isinstance(a, str) and isinstance(b, str) for a, b in texts.items()):
        raise ParameterError(name, "a mapping of str -> str", Shown(type(texts).__name__))
    return dict(texts)
