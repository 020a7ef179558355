"""Notebook 01's truncation study: every observed rank agreement read against its simulated curves.

One :class:`TruncationStudy` holds, per copula (Gaussian, and a heavier-tailed t copula) and per pair of
published lists, the simulated curve (:func:`truncated_agreement_pairs`), the latent correlations compatible
with the observed Spearman rho alone, and those compatible with the observed overlap and Spearman rho jointly;
it writes the sentences and the results block notebook 01 prints and records, assumptions included.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choices

from cityeval.analysis._rank_agreement_panels import MEASURES, PanelLatent
from cityeval.analysis._rank_agreement_wording import (check_lang, copula_label_zh, study_sentences_zh,
                                                       study_table_en, study_table_zh)
from cityeval.analysis._rank_agreement_truncation import (COPULAS, LatentRange, compatible_values, copula_label,
                                                          grid_runs, truncated_agreement_pairs)

__all__ = ["TruncationStudy", "truncation_study", "LATENT_RHO_GRID", "TRUNCATION_ASSUMPTIONS",
           "AGREEMENT_ASSUMPTIONS"]

#: The latent correlations notebook 01 simulates: 0, 0.05, ..., 0.75, then 0.80, 0.81, ..., 1.00 (fine where the
#: compatible sets lie, under the t copula as well as the Gaussian one).
LATENT_RHO_GRID = tuple(np.round(np.r_[np.arange(0.0, 0.8, 0.05), np.arange(0.8, 1.0001, 0.01)], 2).tolist())

#: What every compatible set rests on, whatever the copula (the copula's own sentence is added per copula).
TRUNCATION_ASSUMPTIONS = (
    "both published lists are the top k of two scores over the same evaluated cities",
    "the two scores have one latent correlation over all evaluated cities (one copula, no mixture of groups)",
    "the number of evaluated cities is {n_units} (CCID's 2020 edition; the 2022 report does not state it)",
    "scores are continuous (no ties); the margins do not matter, since ranks are invariant under monotone transforms",
    "the latent correlation is read on a grid (steps of 0.05 below 0.8, of 0.01 above) from {n_sim} simulations per "
    "value, seed {seed}",
)
#: What the observed coefficients (``rank_agreement``) rest on.
AGREEMENT_ASSUMPTIONS = (
    "the coefficients are computed on the cities present on both lists only, a group selected by both rankings "
    "(restriction of range pulls them towards zero)",
    "the p-values treat the common cities as a random sample, which they are not",
    "the ranks are those printed in the report's tables, transcribed once (data/published/ccid2022)",
)


def _copula_sentence(copula: str, df: float) -> str:
    if copula == "gaussian":
        return ("the two scores follow a Gaussian copula (their normal scores are bivariate normal), which has no "
                "tail dependence")
    return (f"the two scores follow a t copula with {df:g} degrees of freedom (a bivariate t: cities extreme on both "
            "scores together are more frequent than under the Gaussian copula, and ρ = 0 is not independence)")


def _fmt_runs(runs) -> str:
    if not runs:
        return "no value of the grid"
    return " and ".join(f"{lo:.2f}" if lo == hi else f"{lo:.2f}–{hi:.2f}" for lo, hi in runs)


@dataclass(frozen=True)
class TruncationStudy:
    """Observed rank agreements read against the truncation simulation, under each copula (:func:`truncation_study`).

    Attributes
    ----------
    curves : dict
        ``{copula: {"a~b": frame}}``: :func:`truncated_agreement` for the two lists' lengths under that copula.
    compatible : dict
        ``{copula: {"a~b": values}}``: the grid values of the latent correlation whose 5–95% band of the
        Spearman rho contains the observed one (a 90% set under that copula; :func:`compatible_values`).
    joint : dict
        ``{copula: {"a~b": values}}``: those whose 5–95% bands of the overlap and of the Spearman rho
        both contain the observed values (a subset of ``compatible``).
    observed : dict
        ``{"a~b": {"overlap": int, "spearman": float}}``.
    copulas : tuple
        The copulas, in order (keys of :data:`COPULAS`); the first is the reference one.
    df : float
        Degrees of freedom of the t copula.
    n_units, n_sim, seed : int
        The simulation's settings.
    panels : PanelLatent, optional
        The latent correlation of panels that reproduce the lists (:meth:`with_panels`), set against the sets.
    """

    curves: dict
    compatible: dict
    joint: dict
    observed: dict
    copulas: tuple
    df: float
    n_units: int
    n_sim: int
    seed: int
    panels: PanelLatent | None = None

    def with_panels(self, panels: PanelLatent) -> "TruncationStudy":
        """This study with ``panels`` (:func:`cityeval.analysis.rank_agreement.panel_latent`) to set against its sets."""
        if not isinstance(panels, PanelLatent):
            raise ParameterError("panels", "a PanelLatent (from panel_latent)", Shown(type(panels).__name__))
        missing = [p for p in self.observed if p not in panels.members]
        if missing:
            raise ParameterError("panels", "a PanelLatent holding every pair of the study", Shown(f"no {missing[0]!r}"))
        return dataclasses.replace(self, panels=panels)

    def _measure(self, copula: str) -> str:
        """The panel measure that estimates ``copula``'s ρ (normal scores for the Gaussian, Kendall's τ for the t)."""
        return next(m for m, c in MEASURES.items() if c == copula) if copula in MEASURES.values() else "kendall_rho"

    def inside(self, copula: str, pair: str, value: float, *, joint: bool = False) -> bool:
        """Whether ``value`` falls in the set: its nearest grid value is one of the set's values."""
        grid = np.asarray(self.curves[copula][pair].index, dtype=float)
        nearest = float(grid[np.argmin(np.abs(grid - value))])
        return any(math.isclose(nearest, v) for v in (self.joint if joint else self.compatible)[copula][pair])

    def panel_counts(self) -> dict:
        """``{copula: {pair: {"spearman_set": k, "joint_set": k, "nominal_in": [bool, bool]}}}``: how many
        ensemble members (and whether the nominal panel) fall in each set, on the measure of that copula's ρ."""
        if self.panels is None:
            return {}
        out = {}
        for c in self.copulas:
            m = self._measure(c)
            out[c] = {}
            for p in self.observed:
                vals = self.panels.members[p][m]
                nom = self.panels.nominal.get(p, {}).get(m)
                out[c][p] = {"measure": m,
                             "spearman_set": sum(self.inside(c, p, v) for v in vals),
                             "joint_set": sum(self.inside(c, p, v, joint=True) for v in vals),
                             "nominal_in": (None if nom is None else
                                            [self.inside(c, p, nom), self.inside(c, p, nom, joint=True)])}
        return out

    def _panel_sentences(self) -> list[str]:
        if self.panels is None:
            return []
        k, counts = self.panels.n_members, self.panel_counts()
        out = [f"The project's own synthetic panels reproduce these lists exactly (the embedded panel, and "
               f"{k} ensemble panels each checked against the published ranks); their latent correlation over all "
               f"{self.panels.n_cities} cities, read as the normal-score correlation (a Gaussian copula's ρ) and as "
               "sin(πτ/2) from Kendall's τ (the ρ of any elliptical copula, the t copula's included):"]
        for p in self.observed:
            parts = []
            for m, what in (("normal_score", "normal-score correlation"), ("kendall_rho", "sin(πτ/2)")):
                v = self.panels.members[p][m]
                nom = self.panels.nominal.get(p, {}).get(m)
                head = f"{what} {nom:.3f} on the embedded panel" if nom is not None else what
                parts.append(head + (f", {min(v):.3f}–{max(v):.3f} (median {float(np.median(v)):.3f}) on the {k}"
                                     " ensemble panels" if v else ""))
            sets = []
            for c in self.copulas:
                n = counts[c][p]
                nom_in = n["nominal_in"]
                sets.append(f"the {self.label(c)} sets contain {n['spearman_set']} of {k} (Spearman only) and "
                            f"{n['joint_set']} of {k} (joint)" + ("" if nom_in is None else
                                                                   f", the embedded panel {'in' if nom_in[0] else 'outside'}"
                                                                   f" / {'in' if nom_in[1] else 'outside'}"))
            out.append(f"  {p.replace('~', ' vs ')}: " + "; ".join(parts) + "; " + "; ".join(sets) + ".")
        out.append("So the sets do not bound CCID's latent correlation: a dependence that is not one copula over all "
                   "cities (in these panels the generator rearranges each listed factor so that the listed cities hold "
                   "its largest values in the published order, cityeval.ccid2022.synthetic) fits the published lists "
                   "with lower correlations than the sets admit. The sets say what the lists imply "
                   "under the stated copula only.")
        return out

    def label(self, copula: str, lang: str = "en") -> str:
        """The copula's name in text (``"Gaussian copula"``, ``"t copula (4 degrees of freedom)"``; Chinese with
        ``lang="zh"``)."""
        if check_lang(lang) == "zh":
            return copula_label_zh(copula, self.df)
        return copula_label(copula, self.df)

    def range(self, copula: str, pair: str, *, joint: bool = False) -> LatentRange:
        """The smallest and largest compatible grid value (NaN, NaN when none is)."""
        values = (self.joint if joint else self.compatible)[copula][pair]
        return LatentRange(min(values), max(values)) if values else LatentRange(math.nan, math.nan)

    def runs(self, copula: str, pair: str, *, joint: bool = False) -> list:
        """The compatible set as runs of neighbouring grid values, ``[(lo, hi), ...]`` (:func:`grid_runs`)."""
        return grid_runs((self.joint if joint else self.compatible)[copula][pair], self.curves[copula][pair].index)

    def table(self, lang: str = "en") -> pd.DataFrame:
        """One row per (pair, copula): the observed ``overlap`` and ``spearman``; the Spearman-only set
        (``spearman_set``, as text, and its ends ``latent_rho_lo``, ``latent_rho_hi``); the joint set
        (``joint_set``, ``joint_lo``, ``joint_hi``); the lowest and highest ``joint_coverage`` over the joint set.
        With ``lang="zh"`` the lists, copulas and columns are named in Chinese (the values are the same)."""
        if check_lang(lang) == "zh":
            return study_table_zh(self.table())
        rows = []
        for pair, obs in self.observed.items():
            for copula in self.copulas:
                sp, jo = self.range(copula, pair), self.range(copula, pair, joint=True)
                cov = self._coverage(copula, pair)
                rows.append({"pair": pair, "copula": copula, "overlap": obs["overlap"], "spearman": obs["spearman"],
                             "spearman_set": _fmt_runs(self.runs(copula, pair)), "latent_rho_lo": sp.lo,
                             "latent_rho_hi": sp.hi, "joint_set": _fmt_runs(self.runs(copula, pair, joint=True)),
                             "joint_lo": jo.lo, "joint_hi": jo.hi, "joint_coverage_min": cov[0],
                             "joint_coverage_max": cov[1]})
        return pd.DataFrame(rows).set_index(["pair", "copula"])

    def shown(self, lang: str = "en") -> pd.DataFrame:
        """:meth:`table` for a reader: the lists, copulas and columns named in words, in ``lang`` (English pages
        too: "Overall top 100 vs Infrastructure top 100", not ``overall_top100~infrastructure_top100``)."""
        return study_table_zh(self.table()) if check_lang(lang) == "zh" else study_table_en(self.table())

    def _coverage(self, copula: str, pair: str) -> tuple:
        values = self.joint[copula][pair]
        if not values:
            return (math.nan, math.nan)
        c = self.curves[copula][pair].loc[list(values), "joint_coverage"]
        return (float(c.min()), float(c.max()))

    def sentences(self, lang: str = "en") -> list[str]:
        """What the published lists say about the latent correlation, each set named with its copula and level
        (in ``lang``: ``"zh"`` gives the same sentences in Chinese)."""
        if check_lang(lang) == "zh":
            return study_sentences_zh(self)
        first = self.copulas[0]
        out = [f"Each set below is the latent correlations ρ over all {self.n_units} cities whose simulated 5–95% "
               "band contains what the two published lists show; with the Spearman rho alone it is a 90% set "
               f"under the stated copula, and only under it: the published lists do not identify the copula."]
        for pair, obs in self.observed.items():
            parts = [f"{self.label(c)} {_fmt_runs(self.runs(c, pair))}" for c in self.copulas]
            out.append(f"{pair.replace('~', ' vs ')} (Spearman {obs['spearman']:.4f} on {obs['overlap']} common "
                       f"cities): the 90% set of ρ from the Spearman rho alone is, under a " + "; under a ".join(parts)
                       + ".")
            joint = []
            for c in self.copulas:
                lo, hi = self._coverage(c, pair)
                level = "" if math.isnan(lo) else (f", joint coverage {lo:.0%}" if round(lo, 2) == round(hi, 2)
                                                     else f", joint coverage {lo:.0%}–{hi:.0%}")
                joint.append(f"{self.label(c)} {_fmt_runs(self.runs(c, pair, joint=True))}{level}")
            out.append(f"  With the overlap count as evidence too (both the overlap of {obs['overlap']} and the "
                       "Spearman rho within their 5–95% bands): under a " + "; under a ".join(joint) + ".")
        if len(self.copulas) > 1:
            moved = [p for p in self.observed for c in self.copulas[1:]
                     if self.compatible[c][p] != self.compatible[first][p] or self.joint[c][p] != self.joint[first][p]]
            out.append(("The sets move with the copula (" + ", ".join(sorted(set(moved))).replace("~", " vs ")
                        + "): they are statements about a model of how the lists were cut, not about CCID's scores."
                        ) if moved else "The sets are the same under every copula tried, which does not make them "
                       "free of the copula assumption.")
        out.append("The joint sets are within the Spearman-only ones; their level is the simulated share of draws in "
                   "which both values fall within their bands (the joint coverage): at least 80% by Bonferroni's "
                   "inequality and about 90% at most.")
        return out + self._panel_sentences()

    def assumptions(self, key: str = "truncation") -> dict:
        """``{dotted path: sentences}`` for the block :meth:`block` records under ``results[key]``."""
        common = [s.format(n_units=self.n_units, n_sim=self.n_sim, seed=self.seed) for s in TRUNCATION_ASSUMPTIONS]
        out = {}
        for c in self.copulas:
            base = [_copula_sentence(c, self.df), *common]
            out[f"{key}.compatible_latent_rho.{c}"] = base + [
                "a ρ is compatible when the observed Spearman rho lies within its simulated 5–95% band (a 90% set)"]
            out[f"{key}.joint_latent_rho.{c}"] = base + [
                "a ρ is compatible when the observed overlap and Spearman rho both lie within their simulated 5–95% "
                "bands (the set's level is the joint coverage: at least 80% by Bonferroni's inequality, about 90% "
                "at most; the block's level.joint_latent_rho records the lowest joint coverage over each set)"]
        if self.panels is not None:
            out[f"{key}.panels"] = [
                "the panels are synthetic (illustrative): generated to reproduce the published lists "
                "(cityeval.ccid2022.synthetic and .ensemble), not CCID's scores",
                "they show which latent correlations the lists admit beyond the sets; they do not estimate CCID's",
                f"each correlation is over all {self.panels.n_cities} cities of a panel; the Gaussian sets are read "
                "against the normal-score correlation, the t sets against sin(πτ/2) from Kendall's τ",
                "a panel is in a set when the grid value nearest to its correlation is in the set"]
        return out

    def block(self) -> dict:
        """The results file's block: settings, observed values, both sets per copula, joint coverage, sentences."""
        def sets(joint):
            return {c: {p: {"lo": self.range(c, p, joint=joint).lo, "hi": self.range(c, p, joint=joint).hi,
                            "runs": [list(r) for r in self.runs(c, p, joint=joint)],
                            "values": list((self.joint if joint else self.compatible)[c][p])}
                        for p in self.observed} for c in self.copulas}
        levels = {"compatible_latent_rho": 0.9,
                  "joint_latent_rho": {c: {p: self._coverage(c, p)[0] for p in self.observed} for c in self.copulas}}
        extra = ({} if self.panels is None else
                 {"panels": {**self.panels.block(), "in_sets": self.panel_counts()}})
        return {"copulas": {c: self.label(c) for c in self.copulas}, "level": levels, "n_units": self.n_units,
                "n_sim": self.n_sim, "seed": self.seed, "grid": [float(x) for x in self.curves[self.copulas[0]]
                                                                   [next(iter(self.observed))].index],
                "observed": self.observed, "compatible_latent_rho": sets(False),
                "joint_latent_rho": sets(True),
                "joint_coverage": {c: {p: list(self._coverage(c, p)) for p in self.observed} for c in self.copulas},
                "text": self.sentences(), **extra}


def truncation_study(rankings: dict, agreements: dict, pairs, *, rho=LATENT_RHO_GRID, n_units: int = 293,
                     n_sim: int = 1000, seed: int = 0, copulas=("gaussian", "t"), df: float = 4) -> TruncationStudy:
    """For each pair of lists and copula, the simulated curve for their lengths and the latent sets of the observation.

    Parameters
    ----------
    rankings : dict
        ``{name: ranking frame}``; a list's length is its number of rows.
    agreements : dict
        ``{"a~b": RankAgreement}`` (:func:`agreement_between`), holding every pair of ``pairs``.
    pairs : sequence of (str, str)
    rho, n_units, n_sim, seed, df
        As for :func:`truncated_agreement_pairs` (one set of simulated scores serves every pair: each
        curve is the one :func:`truncated_agreement` gives on its own with the same ``seed``).
    copulas : sequence of str, default ("gaussian", "t")
        Copulas to simulate under (:data:`COPULAS`), the reference one first; each uses the same ``seed``.

    Returns
    -------
    TruncationStudy

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.rank_agreement import agreement_between
    >>> r = {"x": pd.DataFrame({"rank": range(1, 6), "city": list("ABCDE")}),
    ...      "y": pd.DataFrame({"rank": range(1, 6), "city": list("ABCED")})}
    >>> agree = agreement_between(r, [("x", "y")])
    >>> study = truncation_study(r, agree, [("x", "y")], rho=[0.0, 1.0], n_units=10, n_sim=50, seed=1)
    >>> list(study.curves["gaussian"]["x~y"].index), study.compatible["gaussian"]["x~y"]
    ([0.0, 1.0], (0.0,))
    """
    copulas = check_choices("copulas", copulas, COPULAS)
    pairs = list(pairs)
    for a, b in pairs:
        key = f"{a}~{b}"
        if key not in agreements:
            raise ParameterError("agreements", "a dict holding every pair of pairs (agreement_between)",
                                 Shown(f"no {key!r}"))
    lengths = [(len(rankings[a]), len(rankings[b])) for a, b in pairs]
    keys = [f"{a}~{b}" for a, b in pairs]
    observed = {k: {"overlap": int(agreements[k].n), "spearman": float(agreements[k].spearman)} for k in keys}
    curves, compatible, joint = {}, {}, {}
    for c in copulas:
        simulated = truncated_agreement_pairs(rho, lengths, n_units=n_units, n_sim=n_sim, seed=seed, copula=c, df=df)
        curves[c] = dict(zip(keys, simulated))
        compatible[c] = {k: compatible_values(observed[k]["spearman"], curves[c][k]) for k in keys}
        joint[c] = {k: compatible_values(observed[k]["spearman"], curves[c][k], overlap=observed[k]["overlap"])
                    for k in keys}
    return TruncationStudy(curves=curves, compatible=compatible, joint=joint, observed=observed, copulas=copulas,
                           df=float(df), n_units=int(n_units), n_sim=int(n_sim), seed=int(seed))
