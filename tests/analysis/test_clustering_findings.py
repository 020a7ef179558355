"""cityeval.analysis.clustering, notebook 03's tables and findings (``_clustering_findings``): the stage table,
membership, the leaders check, the agreement across weightings, the verdict and the conclusion texts, and the
checks of their arguments. Split from test_clustering.py (size); expected values are by hand or from planted data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from cityeval.analysis import clustering as stages
from planted import planted
from cityeval.errors import DataError, ParameterError


SMALL, _ = planted(0, n=8)


# ---- notebook 03's tables and findings -----------------------------------------------------------------------------


LAB = pd.Series([1, 1, 2, 3, 3], index=list("abcde"))
COMP = pd.Series([10.0, 30.0, 25.0, 60.0, 70.0], index=list("abcde"))


def test_stage_table_and_membership_by_hand():
    table = stages.stage_table(LAB, COMP, k=3)
    assert table["stage"].tolist() == ["1. capability building (能力搭建)", "2. efficiency driven (效能驱动)",
                                       "3. innovative development (创新发展)"]
    # stage 1 = {a, b}: mean (10 + 30) / 2 = 20, range 10-30; stage 3: 65, 60-70
    assert table["cities"].tolist() == [2, 1, 2] and table["mean composite"].tolist() == [20.0, 25.0, 65.0]
    assert table["composite range"].tolist() == ["10.0-30.0", "25.0-25.0", "60.0-70.0"]
    m = stages.membership(LAB, COMP, k=3)
    assert m["city"].tolist() == list("abcde") and m["stage_name_zh"].tolist()[2] == "效能驱动"
    assert stages.membership(LAB, COMP, k=4)["stage_name_zh"].isna().all()   # only k = 3 has the report's names
    with pytest.raises(ParameterError, match="^composite should be"):
        stages.stage_table(LAB, COMP.iloc[:3], k=3)
    assert stages.stage_labels([1, 2], k=3, counts=LAB.value_counts()) == ["1. capability building (n=2)",
                                                                           "2. efficiency driven (n=1)"]


def test_leaders_by_name():
    gaps = pd.DataFrame({"INF": [-0.2, 0.0], "GOV": [-0.3, 0.0], "TEC": [-2.0, 0.0]}, index=pd.Index([1, 2], name="stage"))
    meta = pd.DataFrame({"name_zh": ["信息基础", "城市治理", "技术创新"]}, index=["INF", "GOV", "TEC"])
    found = stages.leaders_by_name(gaps, meta)
    assert found.leaders == ["INF", "GOV"] and found.note == ""
    assert found.record == {"1": {"closest": ["INF", "GOV"], "leaders_closest": True}}
    missing = stages.leaders_by_name(gaps, meta.drop(index="GOV"))
    assert missing.table is None and missing.record is None and "信息基础 and 城市治理" in missing.note


class _Panel:
    def __init__(self, scores):
        self.all_scores = self.scores = scores
        self.top_code = "INDEX"


def _fake_scoring(data, *, top_n, method=None):
    """A stand-in for scored_panel: critic weights are refused with a DataError as the library refuses a method
    for some data; entropy weights reverse the composite (so the stages are renumbered, the partition is the
    same); std weights raise a ParameterError (a bad argument, never a refusal). ``method=None``: equal."""
    if data not in ("", None):
        raise DataError(data, "dataset folder not found")
    w = (method or {"weight": {"method": "equal"}})["weight"]["method"]
    if w == "critic":
        raise DataError(None, "weights do not converge")
    if w == "std":
        raise ParameterError("weights", "a bad argument inside the pipeline", "x")
    sign = -1.0 if w == "entropy" else 1.0
    return _Panel(SMALL.assign(INDEX=sign * SMALL.mean(axis=1)))


def test_weighting_agreement_with_a_stand_in_scoring():
    labels = stages.cluster(SMALL, k=3)
    res = stages.weighting_agreement(_fake_scoring, "", SMALL, labels, method={"weight": {"method": "equal"}},
                                     top_n=24, k=3, algorithm="kmeans", seed=0, standardize=True)
    assert list(res.labelings) == ["equal", "entropy"] and res.failed == {"critic": "DataError: <data>: weights do not converge"}
    assert res.overlap == {"equal": 24, "entropy": 24}
    # entropy reverses the order: stages 1 and 3 swap, the partition is the same (ARI 1, Hubert & Arabie 1985)
    assert_array_equal(res.labelings["entropy"].to_numpy(), 4 - res.labelings["equal"].to_numpy())
    assert_allclose(res.ari.to_numpy(), 1.0)
    assert res.note.startswith("weighting 'critic' could not be used and is left out: DataError")
    # a dataset weighting none of those compared is kept as "dataset method"
    other = stages.weighting_agreement(_fake_scoring, "", SMALL, labels, method={"weight": {"method": "pca"}},
                                       top_n=24, k=3, algorithm="kmeans", seed=0, standardize=True)
    assert list(other.labelings)[0] == "dataset method"
    with pytest.raises(ParameterError, match="^method should be"):
        stages.weighting_agreement(_fake_scoring, "", SMALL, labels, method={}, top_n=24, k=3, algorithm="kmeans",
                                   seed=0, standardize=True)


def test_three_stage_verdict_and_findings():
    frame, _ = planted(0)
    labels = stages.cluster(frame, k=3)
    evidence = stages.choose_k(frame, range(1, 5), n_refs=5)
    verdict = stages.three_stage_verdict(frame, evidence, algorithm="kmeans", n_boot=10, seed=0, standardize=True)
    # planted: three blobs 10 sd apart, so all three criteria pick 3, silhouette ~0.8, every ARI 1: supported
    assert verdict.supported is True and verdict.votes == {"silhouette": True, "gap": True, "bic": True}
    stability = stages.bootstrap_stability(frame, k=3, n_boot=10)
    by_alg = stages.agreement({a: stages.cluster(frame, k=3, algorithm=a) for a in stages.ALGORITHMS})
    weightings = stages.WeightingAgreement({}, pd.DataFrame(), {}, {"pca": "ValueError: refused"})
    mixtures = stages.mixture_fits(frame, range(1, 5))
    f = stages.stage_findings(verdict=verdict, evidence=evidence, evidence_uniform=evidence, stability=stability,
                              ari_algorithms=by_alg, weightings=weightings, labels=labels, composite=frame.mean(axis=1),
                              leaders=stages.LeadersCheck([], None, "skipped"), algorithm="kmeans",
                              dimension_names=pd.Series({"INF": "infra", "GOV": "gov", "TEC": "tech"}),
                              synthetic=True, data_path="data/x", clusterability=stages.clusterability(frame, n_sim=19),
                              bands=stages.composite_bands(frame, labels, frame.mean(axis=1)), mixtures=mixtures)
    assert f.word == "supported"
    joint = stages.best_mixture(mixtures)
    assert joint.k == 3 == stages.best_k(evidence).bic     # the table's BIC column and the mixture table agree
    assert f.summary == ("Illustrative (synthetic panel): kmeans k=3 on the top 60: silhouette picks k=3 "
                         f"({evidence['silhouette'].max():.2f}: “strong structure”), gap k=3, "
                         f"BIC k=3 ({joint.covariance_type}, valid converged fits only); clusterability: evidence of structure "
                         "beyond one cloud; the clusters are bands of the composite; bootstrap ARI 1.00; "
                         "cross-algorithm ARI 1.00-1.00; three stages supported.")
    parts = f.conclusion.split("\n\n")
    assert parts[0].startswith("**On this synthetic panel (illustrative numbers), three stages are supported.** Reason: 3 of 3")
    assert parts[1].startswith("Clusterability, before any k is chosen: the dip test on the first principal component")
    assert parts[3].endswith("ARI 1.00-1.00.")                 # no weighting to compare: no "between weightings"
    # blobs: row means 0, 10/3, 20/3, so each stage's composite range lies above the previous one's
    assert parts[4].startswith("The clusters are bands of the composite (each stage's composite range lies above")
    assert parts[-1] == "Weightings left out: pca (ValueError: refused)."
    few = stages.three_stage_verdict(frame.iloc[:3], evidence, algorithm="kmeans", n_boot=2, seed=0, standardize=True)
    assert few.supported is None and few.reason == "not assessed: 3 cities are too few to compare k = 1..4"


@pytest.mark.parametrize("kwargs", [{"seed": -1}, {"seed": 1.5}, {"k": 99}, {"algorithm": "dbscan"},
                                    {"standardize": "yes"}, {"top_n": 5}, {"top_n": 24.0}], ids=repr)
def test_weighting_agreement_raises_a_bad_argument_instead_of_recording_it(kwargs):
    # a bad argument is the caller's error, not a weighting "that could not be used"
    args = dict(method={"weight": {"method": "equal"}}, top_n=24, k=3, algorithm="kmeans", seed=0, standardize=True)
    args.update(kwargs)
    with pytest.raises(ParameterError, match=f"^{next(iter(kwargs))} should be"):
        stages.weighting_agreement(_fake_scoring, "", SMALL, stages.cluster(SMALL, k=3), **args)


# ---- review 2, finding 2: weighting_agreement raises bad arguments, records only a DataError ---------------------

@pytest.mark.parametrize("weight_methods, message", [
    (("equal", "entropi"), r"^weight_methods\[1\] should be one of 'given', 'equal'"),   # before: recorded as failed
    ("equal", r"^weight_methods should be a sequence of distinct names"),   # before: iterated letter by letter
    (("equal", "equal"), r"repeated: 'equal'"),
    ((), r"^weight_methods should be a sequence"),
    (("equal", None), r"^weight_methods\[1\] should be one of"),
])
def test_weighting_agreement_checks_the_weight_methods(weight_methods, message):
    labels = stages.cluster(SMALL, k=3)
    with pytest.raises(ParameterError, match=message):
        stages.weighting_agreement(_fake_scoring, "", SMALL, labels, method={"weight": {"method": "equal"}}, top_n=24,
                                   k=3, algorithm="kmeans", seed=0, standardize=True, weight_methods=weight_methods)


def test_weighting_agreement_raises_what_is_not_a_refusal():
    labels = stages.cluster(SMALL, k=3)
    args = dict(method={"weight": {"method": "equal"}}, top_n=24, k=3, algorithm="kmeans", seed=0, standardize=True)
    # a missing folder is raised (before: every weighting "failed" with the folder's message)
    with pytest.raises(DataError, match="^nowhere: dataset folder not found"):
        stages.weighting_agreement(_fake_scoring, "nowhere", SMALL, labels, **args)
    # a ParameterError from inside the scoring is raised (before: any ValueError was recorded)
    with pytest.raises(ParameterError, match="^weights should be a bad argument inside the pipeline"):
        stages.weighting_agreement(_fake_scoring, "", SMALL, labels, weight_methods=("equal", "std"), **args)


def test_weighting_agreement_on_a_missing_folder_with_the_real_scoring(tmp_path):
    from cityeval.notebook.panel import scored_panel

    labels = stages.cluster(SMALL, k=3)
    with pytest.raises(DataError, match="dataset folder not found"):
        stages.weighting_agreement(scored_panel, tmp_path / "absent", SMALL, labels,
                                   method={"weight": {"method": "equal"}}, top_n=24, k=3, algorithm="kmeans", seed=0,
                                   standardize=True)


# ---- review 2, findings 6 and 7: labels in 1..k, a finite composite ----------------------------------------------

BAD_STAGES = [[1, 2, 5], [0, 1], [1, 2.0], [1, True], [1, np.nan], [-1]]


@pytest.mark.parametrize("bad", BAD_STAGES, ids=repr)
def test_stage_labels_are_whole_numbers_in_1_to_k(bad):
    # before: [1, 2, 5] with k=3 raised a bare IndexError, 0 and -1 silently named the last stage
    with pytest.raises(ParameterError, match=r"^stages should be stage numbers, whole numbers in 1..k = 1..3"):
        stages.stage_labels(bad, k=3)


@pytest.mark.parametrize("fn", ["stage_table", "membership"])
@pytest.mark.parametrize("bad", [[1, 1, 2, 3, 3], [0, 1, 2, 2, 1], [1, 1, 2, -1, 2]], ids=repr)
def test_labels_must_be_stages_1_to_k(fn, bad):
    # LAB has stages 1..3; given k = 2 (or a 0 / -1 label) the table indexed names[s - 1] out of range or wrapped
    labels = pd.Series(bad, index=list("abcde"))
    with pytest.raises(ParameterError, match=r"^labels should be stage numbers, whole numbers in 1..k = 1..2"):
        getattr(stages, fn)(labels, COMP, k=2)


@pytest.mark.parametrize("fn", ["stage_table", "membership"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=repr)
def test_a_non_finite_composite_is_a_data_error_naming_the_city(fn, bad):
    comp = COMP.copy()
    comp["c"] = bad
    with pytest.raises(DataError, match=r"composite: values must be finite .*at c"):   # before: accepted
        getattr(stages, fn)(LAB, comp, k=3)


# ---- review 2, finding 14: notebook 03's ks and skewness come from the library -----------------------------------

def test_candidate_ks():
    # hand: 1 .. min(max_k, n - 1)
    assert stages.candidate_ks(SMALL) == [1, 2, 3, 4, 5, 6]           # 24 cities
    assert stages.candidate_ks(SMALL.iloc[:4]) == [1, 2, 3]
    assert stages.candidate_ks(SMALL, max_k=3) == [1, 2, 3]
    for bad in (0, 2.0, True, "3"):
        with pytest.raises(ParameterError, match="^max_k should be a whole number >= 1"):
            stages.candidate_ks(SMALL, max_k=bad)
    with pytest.raises(DataError, match="column 'INF'"):
        stages.candidate_ks(SMALL.assign(INF=np.nan))


def test_dimension_skewness():
    # peer: scipy.stats.skew per column (biased g1); hand: (0, 0, 0, 1) has m2 = 3/16, m3 = 3/32, g1 = 2/sqrt(3)
    frame = pd.DataFrame({"A": [0.0, 0.0, 0.0, 1.0], "B": [1.0, 2.0, 3.0, 4.0]}, index=list("abcd"))
    out = stages.dimension_skewness(frame, names=["a", "b"])
    assert list(out.index) == ["a", "b"]
    assert_allclose(out.to_numpy(), [2 / np.sqrt(3), 0.0], atol=1e-15)
    assert_array_equal(stages.dimension_skewness(SMALL).to_numpy(), stats.skew(SMALL.to_numpy(), axis=0))
    assert list(stages.dimension_skewness(SMALL).index) == ["INF", "GOV", "TEC"]
    with pytest.raises(ParameterError, match="^names should be 3 names"):
        stages.dimension_skewness(SMALL, names=["a"])
    with pytest.raises(DataError, match="column 'GOV'"):
        stages.dimension_skewness(SMALL.assign(GOV=np.inf))
