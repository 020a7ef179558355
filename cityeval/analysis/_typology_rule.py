"""The rule of :mod:`cityeval.analysis.typology`, and what the rule alone decides.

:func:`classify` puts each city in a quadrant of (ecology, development): a score is *high* when it is at or
above a threshold. The threshold is the ``quantile`` of that score among a reference group of cities:

- ``reference="classified"`` (the default, the report's words read literally): among the cities classified;
- ``reference="all"``: among all evaluated cities, a cut fixed before the top ``top_n`` is looked at.

:func:`rule_check` reclassifies arbitrary data (random correlations, margins and selections) with one rule and
reports each type share's range: a share with one value on all of them is fixed by the rule, and a claim
about it cannot fail, or hold, because of the cities (e.g. starting + growing under the median of the
classified cities: exactly one half of an even number of distinct scores).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_sample, check_seed

__all__ = ["TYPES", "REFERENCES", "SHARE_NAMES", "classify", "high_count", "rule_text", "RuleCheck", "rule_check"]

#: Type names (zh) with English labels, in the report's order of maturity, plus the fourth quadrant.
TYPES = {"起步型": "starting", "成长型": "growing", "成效型": "effective", "发展先行型": "development-first (not in the report)"}
#: Where the thresholds come from: name -> description.
REFERENCES = {"classified": "among the cities classified", "all": "among all evaluated cities"}
#: The shares :func:`rule_check` follows: each type of :data:`TYPES`, then starting + growing.
SHARE_NAMES = ("starting", "growing", "effective", "development_first", "majority_share")


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
    """The range of each type share over arbitrary data classified with one rule (:func:`rule_check`).

    Attributes
    ----------
    reference : str
        Where the thresholds come from (:data:`REFERENCES`).
    quantile : float
    top_n, n_units : int
        Cities classified (the top ``top_n`` by a selection score) of ``n_units``.
    n_draws, seed : int
        Arbitrary data sets drawn, and the seed.
    low, high : dict
        Share name (:data:`SHARE_NAMES`) -> its smallest and largest value over the draws.
    """

    reference: str
    quantile: float
    top_n: int
    n_units: int
    n_draws: int
    seed: int
    low: dict
    high: dict

    def fixed(self, name: str) -> bool:
        """Whether the share ``name`` took one value on every draw (up to 1e-12): the rule fixes it."""
        check_choice("name", name, SHARE_NAMES)
        return self.high[name] - self.low[name] <= 1e-12

    def value(self, name: str) -> float:
        """The value the rule fixes ``name`` at (NaN when it is not fixed)."""
        return self.low[name] if self.fixed(name) else math.nan

    @property
    def rule(self) -> str:
        return rule_text(self.quantile, self.reference, self.n_units)

    def table(self) -> pd.DataFrame:
        """One row per share: ``min``, ``max`` over the draws, ``fixed by the rule``."""
        return pd.DataFrame({"min": self.low, "max": self.high,
                             "fixed by the rule": {n: self.fixed(n) for n in SHARE_NAMES}}).loc[list(SHARE_NAMES)]

    def describe(self) -> str:
        """One sentence: which shares the rule fixes, at what value, on how many arbitrary data sets."""
        fixed = [n for n in SHARE_NAMES if self.fixed(n)]
        head = (f"Under {self.rule}, {self.n_draws} arbitrary data sets of {self.n_units} cities (random correlations "
                f"of the two scores, skewed or symmetric margins, random selections of the top {self.top_n}) give ")
        if not fixed:
            return head + ("every type share more than one value (from "
                           + ", ".join(f"{n} {self.low[n]:.0%}–{self.high[n]:.0%}" for n in SHARE_NAMES)
                           + "): no share is fixed by the rule, so the data decide claims about them.")
        return head + ("; ".join(f"{n.replace('_', ' ')} = {self.low[n]:.0%} every time" for n in fixed)
                       + ": these shares are fixed by the rule, so a claim about them cannot be tested under it.")

    def block(self) -> dict:
        """The results file's form: the rule, the draws, and per share min, max and whether it is fixed."""
        return {"rule": self.rule, "reference": self.reference, "quantile": self.quantile, "top_n": self.top_n,
                "n_units": self.n_units, "n_draws": self.n_draws, "seed": self.seed,
                "shares": {n: {"min": self.low[n], "max": self.high[n], "fixed": self.fixed(n)} for n in SHARE_NAMES}}


def _select_and_classify(selection: np.ndarray, eco: np.ndarray, dev: np.ndarray, *, top_n: int, quantile: float,
                         reference: str) -> np.ndarray:
    """The types of the top ``top_n`` by ``selection`` (ties: the earlier city first), as lowcarbon_typology
    classifies them."""
    top = np.argsort(-selection, kind="stable")[:top_n]
    pool_e, pool_d = (eco, dev) if reference == "all" else (eco[top], dev[top])
    return _quadrants(eco[top], dev[top], np.quantile(pool_e, quantile), np.quantile(pool_d, quantile))


@functools.lru_cache(maxsize=32)
def _rule_check(reference: str, quantile: float, top_n: int, n_units: int, n_draws: int, seed: int) -> RuleCheck:
    rng = np.random.default_rng(seed)
    low = dict.fromkeys(SHARE_NAMES, math.inf)
    high = dict.fromkeys(SHARE_NAMES, -math.inf)
    for i in range(n_draws):
        z = rng.standard_normal((2, n_units))
        # the first two draws are the extremes (the same order, opposite orders); then random correlations
        rho = 1.0 if i == 0 else -1.0 if i == 1 else rng.uniform(-0.95, 0.95)
        eco, dev = z[0], rho * z[0] + math.sqrt(max(0.0, 1 - rho * rho)) * z[1]
        if rng.random() < 0.5:                                  # skewed margins (log-normal), or symmetric
            eco, dev = np.exp(eco), np.exp(dev)
        w, noise = rng.uniform(0, 1), rng.uniform(0, 2)
        selection = (w * (eco - eco.mean()) / eco.std() + (1 - w) * (dev - dev.mean()) / dev.std()
                     + noise * rng.standard_normal(n_units))
        shares = _shares(_select_and_classify(selection, eco, dev, top_n=top_n, quantile=quantile,
                                              reference=reference))
        for name, v in shares.items():
            low[name], high[name] = min(low[name], v), max(high[name], v)
    return RuleCheck(reference=reference, quantile=quantile, top_n=top_n, n_units=n_units, n_draws=n_draws,
                     seed=seed, low=low, high=high)


def rule_check(*, top_n: int = 100, quantile: float = 0.5, reference: str = "classified", n_units: int = 293,
               n_draws: int = 200, seed: int = 0) -> RuleCheck:
    """Classify ``n_draws`` arbitrary data sets with one rule and report each type share's range.

    Each draw: ``n_units`` cities with two scores of a random correlation in (-0.95, 0.95) (the first two
    draws: correlation 1 and -1), log-normal margins half of the time, and a random selection score (a
    weighted sum of the two standardized scores plus noise) whose top ``top_n`` are classified, as
    :func:`cityeval.analysis.typology.lowcarbon_typology` does. A share with the same value on every draw is
    fixed by the rule: no data could move it, so a claim about it is untestable under that rule.

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

    Returns
    -------
    RuleCheck

    Notes
    -----
    The scores are continuous (no ties). The check is empirical; :func:`high_count` gives the arithmetic
    behind the fixed shares of ``reference="classified"`` (starting + growing = ``1 - high_count / n``).
    The result is cached per argument set.

    Examples
    --------
    >>> check = rule_check(top_n=100, quantile=0.5, n_draws=50)
    >>> check.fixed("majority_share"), check.value("majority_share"), check.fixed("effective")
    (True, 0.5, False)
    >>> rule_check(top_n=100, reference="all", n_draws=50).fixed("majority_share")
    False
    """
    n_units = check_integer("n_units", n_units, low=3)
    top_n = check_integer("top_n", top_n, low=3, high=n_units)
    q = _quantile(quantile)
    check_choice("reference", reference, REFERENCES)
    n_draws = check_integer("n_draws", n_draws, low=2)
    seed = check_seed(seed)
    return _rule_check(reference, q, top_n, n_units, n_draws, seed)
