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
from cityeval.validation import Shown, check_bool, check_choice, check_number, check_numbers

__all__ = ["translation_dependence", "TranslationDependence", "SIDES", "TRANSLATION_SHIFTS", "DOWN_TO", "downward_shift",
           "fig8_assumptions"]

#: What :func:`translation_dependence` shifts: both scores, the outcome only, the input only.
SIDES = ("both", "outcome", "input")
#: The upward shifts notebook 06 applies (points on the 0-100 scale); :func:`translation_dependence` adds one
#: downward shift (:func:`downward_shift`) by default.
TRANSLATION_SHIFTS = (10, 50)
#: The downward shift takes the lowest input or outcome score to this fraction of itself (inputs stay > 0).
DOWN_TO = 0.1
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

    def lowest_spearman(self, model: str) -> pd.Series:
        """The row of ``model`` with the lowest Spearman's rho over every side and shift tried (the first such row),
        with its ``shifted`` side and ``shift`` added: how far the order of θ moves at worst."""
        rows = self.table[(self.table.index.get_level_values("model") == model)
                          & (self.table.index.get_level_values("shifted") != "none")]
        key = rows["spearman"].idxmin()
        return pd.concat([rows.loc[key], pd.Series({"shifted": key[1], "shift": key[2]})])

    def _order(self, model: str) -> str:
        """How the order of θ moves, worded from the lowest Spearman over every side and shift (computed)."""
        low = self.lowest_spearman(model)
        tried = (f"{len(SIDES) * len(self.shifts)} shifts tried (both scores, the outcome only, the input only, "
                 f"by {_shift_text(self.shifts)} points)")
        if low["spearman"] >= 1 - 1e-9:
            return f"its order does not move either (Spearman 1 with the unshifted θ under all {tried})"
        side = {"both": "both scores", "outcome": "the outcome", "input": "the input"}[low["shifted"]]
        return (f"its order moves too: Spearman's rho with the unshifted θ is as low as {low['spearman']:.3f} "
                f"({side} {low['shift']:+.3g} points) over the {tried}")

    def same_frontier(self, model: str) -> bool:
        """Whether every shift left the same units ``model``-efficient."""
        return bool(self._rows(model)["same_efficient"].all())

    def describe(self) -> list[str]:
        """The sentences notebook 06 says about the scales' zero, one per model (CRS first when it ran); how much the
        order of θ moves is worded from :meth:`lowest_spearman`, never assumed."""
        out = []
        far = self.shifts
        plus = _shift_text(far)
        for m in self.models:
            base = self.row(m, "none", 0)["median"]
            moved = ", ".join(f"{self.row(m, 'both', s)['median']:.3f}" for s in far)
            if m == "crs":
                out.append(
                    f"CRS efficiency levels depend on where the 0-100 scales start: shifting both scores by {plus} "
                    f"points moves the median θ from {base:.3f} to {moved} although no city changed, and "
                    f"{self._order('crs')}; neither CRS levels nor their order are therefore read as a finding"
                    + ("" if self.same_frontier("crs") else ", and even which city is CRS-efficient changes")
                    + ".")
            else:
                outcome = self._rows("vrs", "outcome")["max_change"].max()
                inp = [self.row("vrs", "input", s) for s in far]
                same = self.same_frontier("vrs")
                out.append(
                    "VRS (input-oriented) efficiency does not depend on the outcome score's zero (shifting the outcome "
                    f"by {plus}: largest change of θ {outcome:.1g}), and the VRS-efficient cities "
                    + ("are the same under every shift tried" if same else
                       "change under some shift (solver tolerance: see the table)")
                    + f"; its levels do move with the input score's zero (median θ {base:.3f} → "
                    + ", ".join(f"{r['median']:.3f}" for r in inp)
                    + f" after shifting the input by {plus}), and {self._order('vrs')}. So the headline is the "
                    + ("VRS-efficient set alone, free of both zeros; neither the levels of θ nor their order are."
                       if same else "count of VRS-efficient cities, read with the table; neither the levels of θ "
                       "nor their order are."))
        return out


def _shift_text(shifts) -> str:
    """``(-4.37, 10, 50)`` -> ``"-4.37, +10, +50"``."""
    return ", ".join(f"{float(c):+.3g}" for c in shifts)


def downward_shift(io: pd.DataFrame, *, to: float = DOWN_TO) -> float:
    """The downward shift :func:`translation_dependence` adds by default: minus ``1 - to`` times the lowest
    input or outcome score, so that every shifted score stays positive (DEA needs inputs > 0).

    >>> import pandas as pd
    >>> downward_shift(pd.DataFrame({"input": [5.0, 9.0], "outcome": [8.0, 2.0]}))   # -(1 - 0.1) x 2
    -1.8
    """
    if not isinstance(io, pd.DataFrame) or not {"input", "outcome"} <= set(io.columns):
        raise ParameterError("io", "what input_outcome_scores returned: a DataFrame with columns input and outcome",
                             Shown(type(io).__name__))
    to = check_number("to", to, low=0, high=1, low_open=True, high_open=True)
    low = float(np.nanmin(io[["input", "outcome"]].to_numpy(float)))
    if not low > 0:
        raise ParameterError("io", "input and outcome scores all > 0 (a downward shift must keep them positive)",
                             Shown(f"lowest {low:g}"))
    return round(-(1 - to) * low, 12)


def translation_dependence(io: pd.DataFrame, *, models=RETURNS, shifts=None) -> TranslationDependence:
    """Input-oriented DEA of ``io["input"]`` against ``io["outcome"]`` before and after shifting either score or both.

    Parameters
    ----------
    io : pandas.DataFrame
        :func:`input_outcome_scores` (columns ``input`` and ``outcome``, every input > 0).
    models : sequence of str, default ("crs", "vrs")
    shifts : sequence of float, optional
        Amounts added to the shifted score(s), each non-zero and keeping every shifted input > 0 and outcome
        >= 0; default: :func:`downward_shift` of ``io``, then :data:`TRANSLATION_SHIFTS`.

    Returns
    -------
    TranslationDependence

    Raises
    ------
    ParameterError
        ``io`` without the two columns, a model not among ``'crs'``, ``'vrs'``, a shift of 0 or one that
        makes an input <= 0 or an outcome < 0.
    DataError
        As :func:`dea`.

    Notes
    -----
    One :func:`dea` per model, side and shift (2 x 3 x 3 + 2 = 20 for the defaults; about 1.5 s for 100 cities).
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
    shifts = (downward_shift(io), *TRANSLATION_SHIFTS) if shifts is None else shifts
    shifts = tuple(check_numbers("shifts", shifts).ravel().tolist())
    low_x, low_y = float(io["input"].min()), float(io["outcome"].min())
    for c in shifts:
        if c == 0 or low_x + c <= 0 or low_y + c < 0:
            raise ParameterError("shifts", f"non-zero shifts keeping every input > 0 and outcome >= 0 (lowest input "
                                 f"{low_x:g}, outcome {low_y:g})", c)
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
            "the shifts tried are one downward (the lowest score to a tenth of itself, inputs kept positive) and "
            f"+{', +'.join(map(str, TRANSLATION_SHIFTS))} points, on each score and on both: the lowest Spearman over "
            "them bounds how far the order moved under these shifts only, not under every convention",
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
