"""cityeval.analysis.clustering, one panel's statistics for notebook 03's ensemble spread (``_clustering_ensemble``)
and the findings that quote the spread. Expected values come from planted data (tests/planted.py), from
scikit-learn called here, or by hand.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cityeval.analysis import clustering as stages
from cityeval.errors import ParameterError
from planted import planted


def test_ensemble_statistics_on_planted_stages():
    frame, _ = planted(0)
    s = stages.ensemble_statistics(frame, ks=range(1, 6), seed=0, n_refs=10, n_boot=10)
    assert list(s) == list(stages.ENSEMBLE_STATISTICS)
    assert all(isinstance(v, float) for v in s.values())
    # three blobs 10 sd apart, not on a line: every criterion picks 3, the clustering is reproduced on every
    # resample (ARI 1) and the verdict rule says supported (test_three_stage_verdict_and_findings, same data)
    assert (s["k_silhouette"], s["k_gap"], s["k_gap_uniform"], s["k_bic"]) == (3.0, 3.0, 3.0, 3.0)
    assert s["ari_3"] == 1.0 and s["verdict_3"] == stages.VERDICT_CODES[True] == 1.0
    assert s["silhouette_3"] > 0.7


def test_ensemble_statistics_equal_the_library_pieces_and_sklearn():
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.standard_normal((40, 4)), columns=list("ABCD"), index=[f"c{i}" for i in range(40)])
    s = stages.ensemble_statistics(frame, ks=range(1, 6), seed=7, n_refs=10, n_boot=8)
    x = ((frame - frame.mean()) / frame.std(ddof=0)).to_numpy()
    sil3 = silhouette_score(x, KMeans(n_clusters=3, n_init=10, random_state=7).fit_predict(x))
    assert_allclose(s["silhouette_3"], sil3, rtol=1e-12)
    ev = stages.choose_k(frame, range(1, 6), seed=7, n_refs=10)
    best = stages.best_k(ev)
    assert (s["k_silhouette"], s["k_bic"]) == (best.silhouette, best.bic)
    assert np.isnan(s["k_gap"]) if best.gap is None else s["k_gap"] == best.gap   # NaN: no k (see below)
    uniform = stages.best_k(stages.choose_k(frame, range(1, 6), seed=7, n_refs=10, reference="uniform"))
    assert np.isnan(s["k_gap_uniform"]) if uniform.gap is None else s["k_gap_uniform"] == uniform.gap
    stab = stages.bootstrap_stability(frame, k=3, n_boot=8, seed=7)
    assert s["ari_3"] == stab.summary.mean
    verdict = stages.support_for_k(ev, stab, k=3)
    assert s["verdict_3"] == stages.VERDICT_CODES[verdict.supported]


def test_a_gap_rule_that_holds_nowhere_is_nan():
    # a gap that grows by more than s_k at every k: the rule holds at no k of the table -> best_k gives None
    ev = pd.DataFrame({"silhouette": [np.nan, 0.3, 0.2, 0.1], "gap": [0.1, 0.5, 0.9, 1.3], "gap_se": [0.01] * 4,
                       "gap_rule": [False, False, False, None], "bic": [4.0, 3.0, 2.0, 1.0]},
                      index=pd.Index([1, 2, 3, 4], name="k"))
    assert stages.best_k(ev).gap is None
    from cityeval.analysis._clustering_ensemble import _k
    assert np.isnan(_k(None)) and _k(3) == 3.0


@pytest.mark.parametrize("kwargs, name", [({"ks": [1, 2]}, "ks"), ({"ks": [1, 2, 3]}, "ks"), ({"ks": 4}, "ks"),
                                          ({"algorithm": "dbscan"}, "algorithm"), ({"seed": -1}, "seed"),
                                          ({"standardize": "yes"}, "standardize"), ({"n_boot": 0}, "n_boot"),
                                          ({"n_refs": 1}, "n_refs")], ids=repr)
def test_ensemble_statistics_bad_arguments_name_the_parameter(kwargs, name):
    frame, _ = planted(0, n=8)
    with pytest.raises(ParameterError, match=f"^{name} should be"):
        stages.ensemble_statistics(frame, **kwargs)


def test_ensemble_labels_say_the_reduced_sizes():
    labels = stages.ensemble_labels(algorithm="ward", n_refs=20, n_boot=20, top_k=6)
    assert list(labels) == list(stages.ENSEMBLE_STATISTICS)
    assert "20 reference sets" in labels["k_gap"] and "20 resamples" in labels["ari_3"]
    assert labels["silhouette_3"] == "mean silhouette at k = 3 (ward)"


def test_ensemble_conclusions_by_hand():
    tests = stages.ensemble_conclusions()
    three = {"k_silhouette": 3.0, "k_gap": 3.0, "k_gap_uniform": 3.0, "k_bic": 3.0, "dip_p": 0.001,
             "dip_distances_p": 0.001, "silhouette_best": 0.8, "silhouette_3": 0.8, "ari_3": 1.0,
             "band_agreement_3": 1.0, "pc1_share_3": 0.5, "verdict_3": 1.0}
    assert [spec[0](three) for spec in tests.values()] == [True, True, True, True, True, True, False, False, False, False,
                                                  False, True]
    # the thresholds are support_for_k's: silhouette 0.25 counts as "at most 0.25", ARI 0.75 as stable; each dip
    # test at 0.05 / 2 (Bonferroni over the two); both band shares at least 0.75 for "(mostly) bands"
    edge = {**three, "k_gap": np.nan, "dip_p": 0.025, "dip_distances_p": 0.0249, "silhouette_best": 0.25,
            "silhouette_3": 0.25, "ari_3": 0.75, "band_agreement_3": 0.75, "pc1_share_3": 0.75, "verdict_3": -1.0}
    assert [spec[0](edge) for spec in tests.values()] == [True, False, True, True, False, True, True, True, False, True,
                                                 True, False]
    assert (stages.SILHOUETTE_WEAK, stages.ARI_MIN, stages.BAND_SHARE) == (0.25, 0.75, 0.75)


def _findings(**spread):
    frame, _ = planted(0)
    labels = stages.cluster(frame, k=3)
    evidence = stages.choose_k(frame, range(1, 5), n_refs=5)
    verdict = stages.three_stage_verdict(frame, evidence, algorithm="kmeans", n_boot=5, seed=0, standardize=True)
    return stages.stage_findings(
        verdict=verdict, evidence=evidence, evidence_uniform=evidence,
        stability=stages.bootstrap_stability(frame, k=3, n_boot=5),
        ari_algorithms=stages.agreement({a: stages.cluster(frame, k=3, algorithm=a) for a in stages.ALGORITHMS}),
        weightings=stages.WeightingAgreement({}, pd.DataFrame(), {}, {}), labels=labels,
        composite=frame.mean(axis=1), leaders=stages.LeadersCheck([], None, "skipped"), algorithm="kmeans",
        dimension_names=pd.Series({"INF": "infra", "GOV": "gov", "TEC": "tech"}), synthetic=True, data_path="x",
        clusterability=stages.clusterability(frame, n_sim=9), bands=stages.composite_bands(frame, labels,
                                                                                           frame.mean(axis=1)),
        mixtures=stages.mixture_fits(frame, range(1, 5), n_init=2), **spread)


def test_stage_findings_quote_the_ensemble():
    f = _findings(ranges={"silhouette_3": "<sil range>"}, verdicts={"BIC picks k = 3": "holds in 2 of 3 panels"})
    assert f.summary.startswith("Illustrative (synthetic panel): kmeans k=3 on the top 60 (nominal panel): ")
    assert f.summary.endswith(" Over the panels that fit the published ranks: mean silhouette at k = 3 <sil range>; "
                              "“BIC picks k = 3” holds in 2 of 3 panels.")
    parts = f.conclusion.split("\n\n")
    assert parts[0].startswith("**On the nominal synthetic panel (illustrative numbers), three stages are supported.**")
    assert parts[1] == ("**Over the illustrative panels that fit the published ranks:** mean silhouette at k = 3 "
                        "<sil range>; “BIC picks k = 3” holds in 2 of 3 panels.")
    plain = _findings()
    assert "nominal" not in plain.summary and "Over the panels" not in plain.conclusion
    with pytest.raises(ParameterError, match="^verdicts should be a mapping of str -> str"):
        _findings(verdicts={"x": 3})


def test_ensemble_statistics_callable_reads_a_panel():
    from types import SimpleNamespace

    frame, _ = planted(1, n=10)
    # the composite (INDEX) orders the stages: here it reverses the row mean, so the bands are read from it
    panel = SimpleNamespace(scores=frame.assign(INDEX=-frame.mean(axis=1)), dimensions=list(frame.columns),
                            top_code="INDEX")
    stats_ = stages.EnsembleStatistics(ks=range(1, 5), seed=4, n_refs=5, n_boot=5)
    assert stats_.ks == (1, 2, 3, 4)
    assert stats_(panel) == stages.ensemble_statistics(frame, composite=-frame.mean(axis=1), ks=[1, 2, 3, 4], seed=4,
                                                       n_refs=5, n_boot=5, mixture_n_init=1)
    assert stats_.labels()["k_bic"] == ("k the Gaussian-mixture BIC picks (valid fits of 4 covariance models, "
                                        "k = 1..4, 1 EM start)")
    assert list(stats_.conclusions()) == list(stages.ensemble_conclusions())
    for kwargs, name in (({"ks": (1, 2, 3)}, "ks"), ({"ks": (1, 2, 3, 4), "n_boot": 0}, "n_boot"),
                         ({"ks": (1, 2, 3, 4), "algorithm": "dbscan"}, "algorithm")):
        with pytest.raises(ParameterError, match=f"^{name} should be"):
            stages.EnsembleStatistics(**kwargs)


def test_a_panel_whose_gap_rule_picks_no_k_is_undefined_in_the_spread_not_dropped(monkeypatch):
    # Three panels through the ensemble summary, as notebook 03 passes them: on the 2nd member the gap rule (both
    # references) is made to pick no k (best_k gives gap None, test_a_gap_rule_that_holds_nowhere_is_nan shows when).
    # Its k_gap must be NaN, counted as undefined on 1 of 2 members and said so, left out of the range (1 panel),
    # and the conclusion "picks k = 3" must count as not holding there: never a silent drop of the panel.
    from dataclasses import replace
    from types import SimpleNamespace

    import cityeval.analysis._clustering_ensemble as module
    from cityeval.notebook import spread

    frame, _ = planted(0)                 # three planted blobs: every criterion picks 3 (first test above)
    odd = frame.iloc[:-1]                 # the member marked by one city fewer
    real = module.best_k
    monkeypatch.setattr(module, "best_k", lambda ev: replace(real(ev), gap=None) if ev.attrs.get("odd") else real(ev))
    real_choose = module.choose_k

    def choose(f, ks, **kw):
        ev = real_choose(f, ks, **kw)
        ev.attrs["odd"] = len(f) == len(odd)
        return ev

    monkeypatch.setattr(module, "choose_k", choose)
    panels = [SimpleNamespace(scores=f.assign(INDEX=f.mean(axis=1)), dimensions=list(frame.columns), top_code="INDEX")
              for f in (frame, odd)]
    stats_ = stages.EnsembleStatistics(ks=range(1, 5), seed=0, n_refs=5, n_boot=5)
    summary = spread.summarize(spread.Ensemble(panels, 2, 1), stats_, nominal=panels[0], labels=stats_.labels(),
                               conclusions=stats_.conclusions())
    block = summary.block()
    assert block["statistics"]["k_gap"]["values"][0] == 3.0 and np.isnan(block["statistics"]["k_gap"]["values"][1])
    assert block["undefined"] == {"k_gap": 1, "k_gap_uniform": 1} and block["members_used"] == 2
    assert block["statistics"]["k_gap"]["panels"] == 1
    assert block["conclusions"]["the gap statistic (PCA-box reference) picks k = 3"]["holds_in"] == 1
    label = stats_.labels()["k_gap"]
    assert f"{label} is undefined on 1 of 2 panels; they are left out of its range, and a conclusion about it " \
           "counts as not holding there." in summary.sentences()
