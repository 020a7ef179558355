"""The rule of :mod:`cityeval.analysis.typology`, and what the rule alone decides.

:func:`classify` puts each city in a quadrant of (ecology, development): a score is *high* when it is at or
above a threshold. The threshold is the ``quantile`` of that score among a reference group of cities:

- ``reference="classified"`` (the default, the report's words read literally): among the cities classified;
- ``reference="all"``: among all evaluated cities, a cut fixed before the top ``top_n`` is looked at.

:func:`rule_check` reclassifies data sets of a plausible range of dependence (correlations of the two scores from
-0.9 to 0.95, normal or skewed margins) with one rule and the notebook's own selection (the top ``top_n`` by a
weighted mean of the two standardized scores) and reports each type share's feasible range: a share with one value
on all of them is fixed by the rule, and a share whose "more than half" has one answer on all of them is decided by
the rule and the selection together; a claim about either cannot fail, or hold, because of the cities (e.g.
starting + growing under the median of the classified cities: exactly one half of an even number of distinct
scores). :func:`majority_rho_bound` gives the arithmetic behind the second case.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_sample, check_seed

__all__ = ["TYPES", "REFERENCES", "SHARE_NAMES", "RHO_RANGE", "classify", "high_count", "rule_text", "RuleCheck",
           "rule_check", "majority_rho_bound"]

#: Type names (zh) with English labels, in the report's order of maturity, plus the fourth quadrant.
TYPES = {"起步型": "starting", "成长型": "growing", "成效型": "effective", "发展先行型": "development-first (not in the report)"}
#: Where the thresholds come from: name -> description.
REFERENCES = {"classified": "among the cities classified", "all": "among all evaluated cities"}
#: The shares :func:`rule_check` follows: each type of :data:`TYPES`, then starting + growing.
SHARE_NAMES = ("starting", "growing", "effective", "development_first", "majority_share")
#: The correlations of the two scores :func:`rule_check` draws from: a plausible range of dependence (its ends are
#: the first two draws). Near -1 an equal-weight selection score has no spread left, which no ranking has.
RHO_RANGE = (-0.9, 0.95)


def _quantile(quantile) -> float:
    return check_number("quantile", quantile, low=0, high=1, low_open=True, high_open=True)


def _table(name: str, value, columns=()) -> pd.DataFrame:
    """``value`` if it is a DataFrame holding ``columns``, else a ParameterError naming ``name``."""
    if not isinstance(value, pd.DataFrame) or not set(columns) <= set(value.columns):
        allowed = "a pandas DataFrame" + (f" with columns {', '.join(columns)}" if columns else "")
        raise ParameterError(name, allowed, Shown(f"a DataFrame with columns {list(value.columns)}"
                                                  if isinstance(value, pd.DataFrame) else type(value).__name__))
    return value


def _unique_cities(series: pd.Series, name: str) -> None:
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()].unique()
        raise DataError(None, f"cities (the {name}'s index) must be unique: a city is classified once",
                        detail=f"repeated: {', '.join(map(str, dup[:5]))}")


def _quadrants(eco: np.ndarray, dev: np.ndarray, eco_cut: float, dev_cut: float) -> np.ndarray:
    """The type (zh) of each city: high means at or above the cut."""
    high_eco, high_dev = eco >= eco_cut, dev >= dev_cut
    return np.where(high_eco, np.where(high_dev, "成效型", "成长型"), np.where(high_dev, "发展先行型", "起步型"))


def _shares(kinds: np.ndarray) -> dict:
    out = {name: float(np.mean(kinds == zh)) for zh, name in zip(TYPES, SHARE_NAMES)}
    out["majority_share"] = float(np.mean(np.isin(kinds, ["起步型", "成长型"])))
    return out


def _check_thresholds(thresholds):
    if thresholds is None:
        return None
    try:
        eco_cut, dev_cut = thresholds
    except (TypeError, ValueError):
        raise ParameterError("thresholds", "None or a pair (ecology cut, development cut) of finite numbers",
                             thresholds) from None
    return (check_number("thresholds[0]", eco_cut), check_number("thresholds[1]", dev_cut))


def classify(ecology: pd.Series, development: pd.Series, *, quantile: float = 0.5, thresholds=None) -> pd.DataFrame:
    """Classify cities into the low-carbon types: a score is high when at or above its threshold.

    Parameters
    ----------
    ecology, development : Series
        Green-ecology and green-development scores, same index (cities), finite, at least two cities.
    quantile : float, default 0.5
        Without ``thresholds``, a score is high when >= this quantile of the same score among these
        cities (0 < q < 1; numpy's linear interpolation, as pandas' ``Series.quantile``).
    thresholds : (float, float), optional
        The cuts of ecology and development, fixed beforehand (e.g. the quantiles over all evaluated
        cities, :func:`cityeval.analysis.typology.lowcarbon_typology` with ``reference="all"``); given, they
        replace the quantiles of these cities.

    Returns
    -------
    pandas.DataFrame
        Indexed by city: ``ecology``, ``development``, ``type`` (zh), ``type_en``.

    Raises
    ------
    ParameterError
        ``quantile`` outside (0, 1), ``thresholds`` not a pair of finite numbers, scores for different
        cities, fewer than two cities.
    DataError
        A NaN or infinite score (naming the city), a repeated city.

    Examples
    --------
    >>> import pandas as pd
    >>> eco = pd.Series([4.0, 3.0, 1.0, 2.0], index=list("abcd"))
    >>> dev = pd.Series([4.0, 1.0, 2.0, 3.0], index=list("abcd"))
    >>> classify(eco, dev)["type_en"].tolist()
    ['effective', 'growing', 'starting', 'development-first (not in the report)']
    >>> classify(eco, dev, thresholds=(0.0, 0.0))["type_en"].tolist()
    ['effective', 'effective', 'effective', 'effective']
    """
    quantile = _quantile(quantile)
    thresholds = _check_thresholds(thresholds)
    check_sample(ecology, name="ecology", what="one score per city")
    check_sample(development, name="development", what="one score per city")
    eco = pd.Series(ecology, dtype=float)
    dev = pd.Series(development, dtype=float)
    _unique_cities(eco, "ecology")
    _unique_cities(dev, "development")
    if not eco.index.equals(dev.index):
        raise ParameterError("development", "a series with the same cities (index) as ecology",
                             f"{len(dev)} cities, {len(set(dev.index) ^ set(eco.index))} not shared")
    e, d = eco.to_numpy(), dev.to_numpy()
    cuts = thresholds if thresholds is not None else (np.quantile(e, quantile), np.quantile(d, quantile))
    kind = pd.Series(_quadrants(e, d, *cuts), index=eco.index)
    return pd.DataFrame({"ecology": eco, "development": dev, "type": kind, "type_en": kind.map(TYPES)})


def high_count(n: int, quantile: float = 0.5) -> int:
    """How many of ``n`` distinct scores are high under :func:`classify`'s rule: at or above the ``quantile``
    (linear interpolation, pandas' and numpy's default), ``n - ceil(quantile * (n - 1))``.

    Without ties both scores have exactly this many high cities, whatever their values, so the rule fixes
    the share of starting + growing (low development) at ``1 - high_count / n`` and bounds the effective
    type (high on both) between ``max(0, 2 high_count - n)`` and ``high_count`` cities.

    >>> high_count(100), high_count(100, 0.3), high_count(101), high_count(4, 0.9)
    (50, 70, 51, 1)
    """
    n = check_integer("n", n, low=2)
    q = _quantile(quantile)
    ranks = np.arange(n, dtype=float)
    return int((ranks >= np.quantile(ranks, q)).sum())


def rule_text(quantile: float = 0.5, reference: str = "classified", n_units: int | None = None) -> str:
    """The rule in words: ``"the median rule (thresholds among the cities classified)"``.

    >>> rule_text(0.5, "all", 293)
    'the all-city median rule (thresholds: the median of each score over all 293 evaluated cities)'
    >>> rule_text(0.3)
    'the 0.3-quantile rule (thresholds: the 0.3-quantile of each score among the cities classified)'
    """
    q = _quantile(quantile)
    check_choice("reference", reference, REFERENCES)
    what = "median" if q == 0.5 else f"{q:g}-quantile"
    if reference == "all":
        over = f"over all {n_units} evaluated cities" if n_units else "over all evaluated cities"
        return f"the all-city {what} rule (thresholds: the {what} of each score {over})"
    return f"the {what} rule (thresholds: the {what} of each score among the cities classified)"


@dataclass(frozen=True)
class RuleCheck:
    """The range of each type share over data sets classified with one rule (:func:`rule_check`).

    Attributes
    ----------
    reference : str
        Where the thresholds come from (:data:`REFERENCES`).
    quantile : float
    top_n, n_units : int
        Cities classified (the top ``top_n`` by the selection score) of ``n_units``.
    n_draws, seed : int
        Data sets drawn, and the seed.
    low, high : dict
        Share name (:data:`SHARE_NAMES`) -> its smallest and largest value over the draws.
    weights : tuple
        The selection score's weights on the standardized (ecology, development) scores.
    rho_range : tuple
        The correlations of the two scores drawn (:data:`RHO_RANGE`).
    draws : tuple
        One ``(rho, skewed, majority_share)`` per data set: its correlation, whether its margins are
        log-normal, and its share of starting + growing.
    """

    reference: str
    quantile: float
    top_n: int
    n_units: int
    n_draws: int
    seed: int
    low: dict
    high: dict
    weights: tuple = (0.5, 0.5)
    rho_range: tuple = RHO_RANGE
    draws: tuple = ()

    def majority_where(self, cut: float = 0.5) -> dict:
        """Where starting + growing exceeded ``cut``: ``{"n": data sets, "rho_max": {"normal": r, "skewed": r}}``,
        ``r`` the largest correlation of such a data set with those margins (None: none had it)."""
        cut = check_number("cut", cut, low=0, high=1)
        above = [(r, k) for r, k, v in self.draws if v > cut]
        rho_max = {kind: max((r for r, k in above if k == skewed), default=None)
                   for kind, skewed in (("normal", False), ("skewed", True))}
        return {"n": len(above), "rho_max": rho_max}

    def fixed(self, name: str) -> bool:
        """Whether the share ``name`` took one value on every draw (up to 1e-12): the rule fixes it."""
        check_choice("name", name, SHARE_NAMES)
        return self.high[name] - self.low[name] <= 1e-12

    def value(self, name: str) -> float:
        """The value the rule fixes ``name`` at (NaN when it is not fixed)."""
        return self.low[name] if self.fixed(name) else math.nan

    def decided(self, name: str, cut: float = 0.5):
        """``share > cut`` when it has that one answer on every draw (True or False), else None: with a fixed
        share or a feasible range on one side of ``cut``, the rule and the selection decide "more than ``cut``"."""
        check_choice("name", name, SHARE_NAMES)
        cut = check_number("cut", cut, low=0, high=1)
        if self.low[name] > cut:
            return True
        if self.high[name] <= cut:
            return False
        return None

    @property
    def rule(self) -> str:
        return rule_text(self.quantile, self.reference, self.n_units)

    def _selection(self) -> str:
        w_e, w_d = self.weights
        return (f"the top {self.top_n} by {w_e:.2f} × ecology + {w_d:.2f} × development (standardized), the "
                "notebook's selection")

    def table(self) -> pd.DataFrame:
        """One row per share: ``min``, ``max`` over the draws, ``fixed by the rule``, and whether more than
        half is ``decided by rule and selection`` (True/False, or None when the data decide it)."""
        return pd.DataFrame({"min": self.low, "max": self.high,
                             "fixed by the rule": {n: self.fixed(n) for n in SHARE_NAMES},
                             "more than half decided by rule and selection": {n: self.decided(n) for n in SHARE_NAMES}}
                            ).loc[list(SHARE_NAMES)]

    def describe(self) -> str:
        """One sentence: which shares the rule fixes, at what value, and whether more than half starting or
        growing is decided by the rule and the selection, on how many data sets."""
        lo, hi = self.rho_range
        head = (f"Under {self.rule}, {self.n_draws} data sets of {self.n_units} cities (correlations of the two scores "
                f"from {lo:g} to {hi:g}, skewed or normal margins, {self._selection()}) give ")
        fixed = [n for n in SHARE_NAMES if self.fixed(n)]
        m = "majority_share"
        text = head
        if fixed:
            text += ("; ".join(f"{n.replace('_', ' ')} = {self.low[n]:.0%} every time" for n in fixed)
                     + ": these shares are fixed by the rule (with this selection), so a claim about them cannot be "
                       "tested under it")
            if m in fixed:
                return text + "."
            text += "; and "
        rng = f"starting + growing from {self.low[m]:.0%} to {self.high[m]:.0%}"
        answer = self.decided(m)
        if answer is None:
            return text + (rng + ": more than half can fail or hold on such data, so the scores decide it under "
                           "this rule" + (f" ({self._where()})" if self.draws else "") + ".")
        return text + (rng + f": more than half {'holds' if answer else 'fails'} on every one of them, so under "
                       "this rule and selection the claim is untestable in practice: the rule and the selection "
                       "decide it, not the cities.")

    def _where(self) -> str:
        if not self.draws:
            return ""
        w = self.majority_where()
        parts = [f"{kind} margins only with ρ ≤ {r:.2f}" if r is not None else f"never with {kind} margins"
                 for kind, r in w["rho_max"].items()]
        return f"more than half on {w['n']} of {self.n_draws} data sets: " + "; ".join(parts)

    def block(self) -> dict:
        """The results file's form: the rule, the selection, the draws, and per share min, max, whether it is
        fixed and whether more than half is decided (True/False, None: the data decide it)."""
        return {"rule": self.rule, "reference": self.reference, "quantile": self.quantile, "top_n": self.top_n,
                "n_units": self.n_units, "n_draws": self.n_draws, "seed": self.seed,
                "selection_weights": list(self.weights), "rho_range": list(self.rho_range),
                "majority_above_half": self.majority_where() if self.draws else None,
                "shares": {n: {"min": self.low[n], "max": self.high[n], "fixed": self.fixed(n),
                               "more_than_half_decided": self.decided(n)} for n in SHARE_NAMES}}


def majority_rho_bound(weights=(0.5, 0.5)) -> float:
    r"""The correlation of the two scores below which more than half of the selected cities can be low on
    development in expectation, under an elliptical dependence (e.g. bivariate normal).

    The selection score :math:`s = w_e z_e + w_d z_d` (standardized scores) has
    :math:`\operatorname{corr}(s, z_d) = (w_e\rho + w_d)/\sqrt{w_e^2 + w_d^2 + 2w_ew_d\rho}`: when it is positive
    the top by ``s`` lean to high development, and the share below development's all-city median is below one half
    in expectation. It is negative only for :math:`\rho < -w_d/w_e`, the value returned (``-inf`` when
    :math:`w_e = 0`): -1 for equal weights, so no correlation makes "more than half" expected.

    >>> majority_rho_bound((0.5, 0.5)), round(majority_rho_bound((0.9, 0.1)), 4)
    (-1.0, -0.1111)
    """
    w_e, w_d = _weights(weights)
    return -math.inf if w_e == 0 else -w_d / w_e


def _weights(weights) -> tuple:
    try:
        w_e, w_d = weights
    except (TypeError, ValueError):
        raise ParameterError("weights", "a pair (ecology weight, development weight) of numbers >= 0, not both 0",
                             weights) from None
    w_e, w_d = check_number("weights[0]", w_e, low=0), check_number("weights[1]", w_d, low=0)
    if w_e + w_d == 0:
        raise ParameterError("weights", "a pair of numbers >= 0, not both 0", weights)
    return (w_e / (w_e + w_d), w_d / (w_e + w_d))


def _select_and_classify(selection: np.ndarray, eco: np.ndarray, dev: np.ndarray, *, top_n: int, quantile: float,
                         reference: str) -> np.ndarray:
    """The types of the top ``top_n`` by ``selection`` (ties: the earlier city first), as lowcarbon_typology
    classifies them."""
    top = np.argsort(-selection, kind="stable")[:top_n]
    pool_e, pool_d = (eco, dev) if reference == "all" else (eco[top], dev[top])
    return _quadrants(eco[top], dev[top], np.quantile(pool_e, quantile), np.quantile(pool_d, quantile))


@functools.lru_cache(maxsize=32)
def _rule_check(reference: str, quantile: float, top_n: int, n_units: int, n_draws: int, seed: int,
                weights: tuple) -> RuleCheck:
    rng = np.random.default_rng(seed)
    low = dict.fromkeys(SHARE_NAMES, math.inf)
    high = dict.fromkeys(SHARE_NAMES, -math.inf)
    draws = []
    w_e, w_d = weights
    r_lo, r_hi = RHO_RANGE
    for i in range(n_draws):
        z = rng.standard_normal((2, n_units))
        # the first two draws are the ends of the range; then correlations uniform in it
        rho = r_lo if i == 0 else r_hi if i == 1 else rng.uniform(r_lo, r_hi)
        eco, dev = z[0], rho * z[0] + math.sqrt(1 - rho * rho) * z[1]
        skewed = bool(rng.random() < 0.5)                       # skewed margins (log-normal), or normal
        if skewed:
            eco, dev = np.exp(eco), np.exp(dev)
        # the notebook's selection: the top top_n by a weighted mean of the two standardized scores, no noise
        selection = w_e * (eco - eco.mean()) / eco.std() + w_d * (dev - dev.mean()) / dev.std()
        shares = _shares(_select_and_classify(selection, eco, dev, top_n=top_n, quantile=quantile,
                                              reference=reference))
        for name, v in shares.items():
            low[name], high[name] = min(low[name], v), max(high[name], v)
        draws.append((float(rho), skewed, shares["majority_share"]))
    return RuleCheck(reference=reference, quantile=quantile, top_n=top_n, n_units=n_units, n_draws=n_draws,
                     seed=seed, low=low, high=high, weights=weights, rho_range=RHO_RANGE, draws=tuple(draws))


def rule_check(*, top_n: int = 100, quantile: float = 0.5, reference: str = "classified", n_units: int = 293,
               n_draws: int = 200, seed: int = 0, weights=(0.5, 0.5)) -> RuleCheck:
    """Classify ``n_draws`` data sets with one rule and the notebook's selection; report each share's range.

    Each draw: ``n_units`` cities with two scores of a correlation in :data:`RHO_RANGE` (the first two draws:
    its ends; then uniform), log-normal margins half of the time; the top ``top_n`` by the selection score
    ``weights[0] × ecology + weights[1] × development`` (both standardized; notebook 07 selects on the low-carbon
    score, whose effective weights :attr:`LowCarbonTypology.selection_weights` records) are classified as
    :func:`cityeval.analysis.typology.lowcarbon_typology` does. A share with one value on every draw is fixed by
    the rule; a share whose "more than half" has one answer on every draw (:meth:`RuleCheck.decided`) is decided
    by the rule and the selection: in either case a claim about it is untestable (in practice) under that rule.

    Parameters
    ----------
    top_n : int, default 100
        Cities classified (3 ... ``n_units``).
    quantile : float, default 0.5
    reference : {"classified", "all"}, default "classified"
        Where the thresholds come from (:data:`REFERENCES`).
    n_units : int, default 293
        Cities per data set (the evaluated cities).
    n_draws : int, default 200
        Data sets (>= 2).
    seed : int, default 0
    weights : (float, float), default (0.5, 0.5)
        The selection score's weights on the standardized (ecology, development) scores (>= 0, not both 0;
        rescaled to sum to 1).

    Returns
    -------
    RuleCheck

    Notes
    -----
    The scores are continuous (no ties) and their dependence Gaussian (on log-normal margins too: the same
    copula). :func:`high_count` gives the arithmetic behind the fixed shares of ``reference="classified"``
    (starting + growing = ``1 - high_count / n``); :func:`majority_rho_bound` the one behind the all-city rule
    (more than half is expected only below that correlation). The result is cached per argument set.

    Examples
    --------
    >>> check = rule_check(top_n=100, quantile=0.5, n_draws=50)
    >>> check.fixed("majority_share"), check.value("majority_share"), check.fixed("effective")
    (True, 0.5, False)
    >>> everyone = rule_check(top_n=100, reference="all")
    >>> everyone.fixed("majority_share"), everyone.decided("majority_share"), everyone.majority_where()["rho_max"]
    (False, None, {'normal': None, 'skewed': -0.8258210522951589})
    """
    n_units = check_integer("n_units", n_units, low=3)
    top_n = check_integer("top_n", top_n, low=3, high=n_units)
    q = _quantile(quantile)
    check_choice("reference", reference, REFERENCES)
    n_draws = check_integer("n_draws", n_draws, low=2)
    seed = check_seed(seed)
    w = tuple(round(x, 12) for x in _weights(weights))
    return _rule_check(reference, q, top_n, n_units, n_draws, seed, w)
