r"""What moving the zero of the scores does to DEA efficiency: CRS levels move, VRS input-oriented levels do not move
with the outcome's zero, and the VRS-efficient set moves with neither; the sentences notebook 06 says about it, and
the assumptions its headline numbers rest on.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there.

Notes
-----
A min-max score puts its 0 at the lowest unit evaluated: an interval scale, whose zero is a convention. DEA's
radial measures are ratios (θ x_o), so whether they depend on that convention is a property of the model
(Ali & Seiford 1990; Pastor 1996; Cooper, Seiford & Tone 2007, ch. 4):

* CRS (CCR): neither input- nor output-oriented θ is translation invariant; with one input and one output
  θ = (y/x) / max(y/x), and (y + c)/(x + c) is another ratio altogether.
* VRS (BCC), input-oriented: θ is invariant to translating the *outputs* (the convexity constraint
  Σλ = 1 carries the shift through Σλ(y_j + c) ≥ y_o + c), not the inputs.
* VRS, either orientation: the set of radially efficient units is invariant to translating inputs and
  outputs (while the inputs stay positive): a unit is inefficient exactly when a convex combination of
  units produces at least its outputs with strictly less of every input, which a common shift preserves.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.analysis._efficiency_dea import RETURNS, dea
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_choice, check_numbers

__all__ = ["translation_dependence", "TranslationDependence", "SIDES", "TRANSLATION_SHIFTS", "fig8_assumptions"]

#: What :func:`translation_dependence` shifts: both scores, the outcome only, the input only.
SIDES = ("both", "outcome", "input")
#: The shifts notebook 06 applies (points on the 0-100 scale).
TRANSLATION_SHIFTS = (10, 50)
#: Above this, a largest change of θ is solver noise, not a change (HiGHS solves to about 1e-7; the
#: unshifted and the shifted LP are solved separately).
INVARIANCE_TOL = 1e-6


@dataclass(frozen=True)
class TranslationDependence:
    """:func:`translation_dependence`: the efficiencies of each model before and after each shift.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (model, side, shift), indexed by them; shift 0 is the data as scored (side
        ``"none"``). Columns: ``median`` (θ), ``efficient`` (number of efficient units), ``same_efficient``
        (the same units efficient as unshifted), ``spearman`` (Spearman's rho of θ with the unshifted θ,
        ``scipy.stats.spearmanr``, ties averaged), ``max_change`` (largest |Δθ|).
    models : tuple
    shifts : tuple
    n : int
        Number of units.
    """

    table: pd.DataFrame
    models: tuple
    shifts: tuple
    n: int

    def _rows(self, model: str, side: str | None = None) -> pd.DataFrame:
        level = self.table.index.get_level_values
        keep = level("model") == model
        if side is not None:
            keep &= level("shifted") == side
        return self.table[keep]

    def row(self, model: str, side: str, shift: float) -> pd.Series:
        """The row of ``model`` after shifting ``side`` by ``shift`` (``side="none", shift=0``: as scored)."""
        rows = self._rows(model, side)
        return rows[rows.index.get_level_values("shift") == float(shift)].iloc[0]

    def invariant(self, model: str, side: str, *, tol: float = INVARIANCE_TOL) -> bool:
        """Whether no shift of ``side`` moved any θ of ``model`` by more than ``tol``."""
        return bool((self._rows(model, side)["max_change"] <= tol).all())

    def same_frontier(self, model: str) -> bool:
        """Whether every shift left the same units ``model``-efficient."""
        return bool(self._rows(model)["same_efficient"].all())

    def describe(self) -> list[str]:
        """The sentences notebook 06 says about the scales' zero, one per model (CRS first when it ran)."""
        out = []
        far = self.shifts
        for m in self.models:
            base = self.row(m, "none", 0)["median"]
            both = [self.row(m, "both", s) for s in far]
            moved = ", ".join(f"{r['median']:.3f}" for r in both)
            rho = ", ".join(f"{r['spearman']:.3f}" for r in both)
            plus = ", ".join(f"+{s:g}" for s in far)
            if m == "crs":
                out.append(
                    f"CRS efficiency levels depend on where the 0-100 scales start: shifting both scores by {plus} "
                    f"points moves the median θ from {base:.3f} to {moved} although no city changed, while the order "
                    f"barely moves (Spearman {rho} with the unshifted θ); CRS levels are therefore not read as a "
                    "finding"
                    + ("" if self.same_frontier("crs") else ", and even which city is CRS-efficient changes")
                    + ".")
            else:
                outcome = self._rows("vrs", "outcome")["max_change"].max()
                inp = [self.row("vrs", "input", s) for s in far]
                out.append(
                    "VRS (input-oriented) efficiency does not depend on the outcome score's zero (shifting the outcome "
                    f"by {plus}: largest change of θ {outcome:.1g}), and the VRS-efficient cities "
                    + ("are the same under every shift tried" if self.same_frontier("vrs") else
                       "change under some shift (solver tolerance: see the table)")
                    + f"; its levels do move with the input score's zero (median θ {base:.3f} → "
                    + ", ".join(f"{r['median']:.3f}" for r in inp)
                    + f" after shifting the input by {plus}; Spearman "
                    + ", ".join(f"{r['spearman']:.3f}" for r in inp)
                    + "). So the headline is the VRS-efficient set, free of both zeros; the levels of θ, and less so "
                    "their order, depend on where the input scale starts.")
        return out


def translation_dependence(io: pd.DataFrame, *, models=RETURNS, shifts=TRANSLATION_SHIFTS) -> TranslationDependence:
    """Input-oriented DEA of ``io["input"]`` against ``io["outcome"]`` before and after shifting either score or both.

    Parameters
    ----------
    io : pandas.DataFrame
        :func:`input_outcome_scores` (columns ``input`` and ``outcome``, every input > 0).
    models : sequence of str, default ("crs", "vrs")
    shifts : sequence of float, default :data:`TRANSLATION_SHIFTS`
        Amounts added to the shifted score(s), each > 0.

    Returns
    -------
    TranslationDependence

    Raises
    ------
    ParameterError
        ``io`` without the two columns, a model not among ``'crs'``, ``'vrs'``, a shift that is not > 0.
    DataError
        As :func:`dea`.

    Notes
    -----
    One :func:`dea` per model, side and shift (2 x 3 x 2 + 2 = 14 for the defaults; about 1 s for 100 cities).
    See the module Notes for which of these are invariant and why.

    References
    ----------
    Ali, A. I., & Seiford, L. M. (1990). Translation invariance in data envelopment analysis.
    *Operations Research Letters* 9(6), 403-405.
    Pastor, J. T. (1996). Translation invariance in data envelopment analysis: a generalization.
    *Annals of Operations Research* 66, 91-102.

    Examples
    --------
    >>> import pandas as pd
    >>> io = pd.DataFrame({"input": [2.0, 3.0, 6.0, 5.0], "outcome": [1.0, 3.0, 4.0, 2.0]}, index=list("abcd"))
    >>> t = translation_dependence(io, shifts=[10])
    >>> # CRS: (y/x) / max(y/x); after +10 the ratios are 11/12, 13/13, 14/16, 12/15: median (0.875 + 0.917) / 2
    >>> [round(float(t.row("crs", side, c)["median"]), 4) for side, c in (("none", 0), ("both", 10))]
    [0.5833, 0.8958]
    >>> t.invariant("vrs", "outcome"), t.same_frontier("vrs"), t.invariant("vrs", "input")
    (True, True, False)
    """
    if not isinstance(io, pd.DataFrame) or not {"input", "outcome"} <= set(io.columns):
        raise ParameterError("io", "what input_outcome_scores returned: a DataFrame with columns input and outcome",
                             Shown(type(io).__name__ if not isinstance(io, pd.DataFrame)
                                   else f"a DataFrame with columns {list(io.columns)}"))
    if isinstance(models, (str, bytes)) or not hasattr(models, "__iter__"):
        raise ParameterError("models", "a sequence of DEA models among 'crs', 'vrs'", Shown(repr(models)))
    models = tuple(check_choice("models", m, RETURNS) for m in models)
    if not models or len(set(models)) != len(models):
        raise ParameterError("models", "one or more distinct DEA models among 'crs', 'vrs'", Shown(repr(models)))
    shifts = tuple(check_numbers("shifts", shifts, low=0, low_open=True).ravel().tolist())
    rows, index = [], []
    for m in models:
        base = dea(io[["input"]], io[["outcome"]], orientation="input", returns=m)
        theta, eff = base["efficiency"].to_numpy(float), set(base.index[base["efficient"]])
        runs = [("none", 0.0, base)]
        for side in SIDES:
            for c in shifts:
                x = io[["input"]] + (c if side in ("both", "input") else 0.0)
                y = io[["outcome"]] + (c if side in ("both", "outcome") else 0.0)
                runs.append((side, float(c), dea(x, y, orientation="input", returns=m)))
        for side, c, res in runs:
            t = res["efficiency"].to_numpy(float)
            rho = 1.0 if np.array_equal(t, theta) else float(stats.spearmanr(theta, t)[0])
            rows.append({"median": float(np.median(t)), "efficient": int(res["efficient"].sum()),
                         "same_efficient": set(res.index[res["efficient"]]) == eff, "spearman": rho,
                         "max_change": float(np.abs(t - theta).max())})
            index.append((m, side, c))
    table = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["model", "shifted", "shift"]))
    return TranslationDependence(table=table, models=models, shifts=shifts, n=len(io))


def _resolves(results: dict, path: str) -> bool:
    node = results
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return node is not None and not (isinstance(node, (list, dict)) and not node) \
        and not (isinstance(node, pd.DataFrame) and node.empty)


def fig8_assumptions(results: dict, *, synthetic: bool, top_n: int) -> dict:
    """The assumptions each headline number of notebook 06's ``results`` rests on: dotted path -> sentences.

    Only paths that resolve to a value in ``results`` are kept (e.g. ``per_capita`` is ``None`` when the
    variant was skipped; ``efficient_frequency`` is empty without an ensemble).

    Examples
    --------
    >>> fig8_assumptions({"regression": {"r": 0.6}, "per_capita": None}, synthetic=False, top_n=100)["regression"][0]
    'the input and outcome scores are weighted means of min-max 0-100 scores (an interval scale): r, the slope and the concordant share do not depend on where their zeros are'
    """
    if not isinstance(results, dict):
        raise ParameterError("results", "the results dict of notebook 06", Shown(type(results).__name__))
    synthetic = check_bool("synthetic", synthetic)
    scores = ("the input and outcome scores are weighted means of min-max 0-100 scores (an interval scale)")
    selected = (f"the {top_n} cities are the top by the composite, which contains both scores: a selection that "
                "narrows their range and changes their correlation from that of all cities")
    frontier = ("DEA's frontier is deterministic: no measurement error or noise, so one extreme city moves it, and "
                f"every efficiency is relative to these {top_n} cities")
    out = {
        "regression": [
            f"{scores}: r, the slope and the concordant share do not depend on where their zeros are",
            selected,
            "the p-value assumes independent cities and normal errors of constant variance around a straight line",
        ],
        "efficient_cities.vrs": [
            "VRS (BCC), input-oriented: which cities are efficient does not depend on where the 0-100 scales start "
            "(a translation-invariant set, Ali & Seiford 1990; Pastor 1996)",
            frontier,
            "the input score is read as something a city spends and the outcome as what it gets, as Table 2's "
            "input/outcome tags say; CCID's own input and outcome scores are unpublished",
        ],
        "efficiency": [
            "CRS levels move with both scales' zeros and VRS levels with the input's zero (the translation table): "
            "a level is read against those of the same data only, never against a threshold",
            frontier,
        ],
        "translation": [
            "the shifts move the zero of the min-max scores and change no city: whatever the efficiencies do under "
            "them is the model's dependence on a convention, not a property of the cities",
        ],
        "separate_inputs": [
            "each input score enters DEA as its own input: a city is judged on its most favourable mix, so no "
            "city scores lower than with one averaged input",
        ],
        "stages": [
            "the stages are k-means clusters of the six dimension scores with one fixed seed; information "
            "infrastructure is one of them, so higher stages having more of it is partly mechanical",
        ],
        "per_capita": [
            "a 0-100 score divided by population is not a per-capita input: it mostly measures how small a city is",
        ],
        "ensemble": [
            "every panel of the ensemble reproduces the report's 270 published (rank, city) pairs; they differ in "
            "the generator's free parameters, drawn from documented ranges",
        ],
        "conclusions": [
            "a verdict counts the panels in which a yes/no reading holds: one that holds in every panel is a "
            "statement about synthetic data within the generator's ranges, not about CCID's scores",
        ],
        "efficient_frequency": [
            "a city is compared only in the panels where it is among the top by composite; how often it is "
            "efficient says how much its efficiency is the generator's draw",
        ],
    }
    if synthetic:
        out["efficient_cities.vrs"].append("on the synthetic panel which cities are efficient is a draw of the "
                                           "generator: they are counted, not named")
    return {path: sentences for path, sentences in out.items() if _resolves(results, path)}
