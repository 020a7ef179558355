"""The part-whole coefficient among the top cities by composite, and what a coefficient implies.

Re-exported by :mod:`cityeval.analysis.correlation`. The part-whole formulas
(:mod:`cityeval.analysis._correlation_part_whole`) describe unselected cities. The report's Fig. 18 plots a top
100, by which ranking is not stated, of the cities evaluated (293 in CCID's 2020 edition; the 2022 report does not
state the number, so 293 is assumed). Among cities *selected by the composite* a city high on one dimension needs
less on the others, so every correlation falls. No closed form gives the sample coefficient after keeping the top ``n_top`` of
``n_total``, so :func:`simulate_selection` simulates it (seeded, with its 5–95% spread over the simulations),
:func:`implied_rho_selected` reads a coefficient backwards through it, and :func:`implied_rho_unselected`
does so through the closed form, with Fisher's interval, which fits only unselected cities.
:class:`ImpliedRho` is the result of both.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_choice, check_integer, check_number, check_numbers, check_seed, \
    check_weights

from cityeval.analysis._correlation_coefficient import CORRELATION_METHODS, MIN_PAIRS, fisher_ci
from cityeval.analysis._correlation_part_whole import PART_WHOLE_ASSUMPTIONS, _check_parts, implied_rho

__all__ = ["SelectionSimulation", "simulate_selection", "ImpliedRho", "implied_rho_selected", "implied_rho_unselected",
           "implied_rho_table", "selection_assumptions", "DEFAULT_RHOS", "SELECTION_BY", "UNSELECTED_ASSUMPTIONS",
           "NORMALITY_ASSUMPTION", "implied_rho_selected_at_weights", "weight_key"]

#: The exchangeable correlations :func:`simulate_selection` simulates by default: 0, 0.05, ..., 0.95.
DEFAULT_RHOS = tuple(round(0.05 * i, 2) for i in range(20))


#: What :func:`simulate_selection` can select the top cities by: the composite, or the part itself.
SELECTION_BY = ("composite", "part")


def _weight_text(weight: float | None, k: int | None = None) -> str:
    """How the simulated dimensions enter the composite, in words."""
    if weight is None or (k is not None and math.isclose(weight, 1 / k, rel_tol=0, abs_tol=1e-9)):
        return "with equal effective weights (weight times standard deviation)"
    return (f"with the dimension (part 0) at effective weight {weight:.2f} (weight times standard deviation share) "
            "and the other dimensions sharing the rest equally")


#: The normality of :func:`simulate_selection`, stated as an assumption (for the results files).
NORMALITY_ASSUMPTION = ("Normality is an assumption, not a finding: CCID's dimension scores are unpublished, and "
                        "heavier-tailed or skewed dimensions (e.g. notebook 01's t copula) would move the simulated "
                        "band and the rho read from it; no other distribution is simulated here.")


def selection_assumptions(n_total: int, n_top: int, by: str = "composite", weight: float | None = None,
                          k: int | None = None) -> tuple:
    """The sentences :func:`simulate_selection` and :func:`implied_rho_selected` rest on (for the results files).

    ``weight`` is the dimension's effective weight in the simulation (None or 1/``k``: equal weights).

    >>> selection_assumptions(293, 100)[2]
    'The coefficient is computed on the top 100 of 293 cities selected by the composite.'
    >>> selection_assumptions(293, 100, weight=0.25, k=6)[1][:76]
    'The dimensions enter the composite (their weighted arithmetic mean) with the'
    """
    what = "the composite" if check_choice("by", by, SELECTION_BY) == "composite" else "the dimension itself"
    return ("The dimensions are multivariate normal, every pair with the same correlation rho (exchangeable).",
            f"The dimensions enter the composite (their weighted arithmetic mean) {_weight_text(weight, k)}.",
            f"The coefficient is computed on the top {n_top} of {n_total} cities selected by {what}.",
            "The spread is over seeded simulations of such panels (5% and 95% quantiles); the implied rho's "
            "interval is the set of rho whose simulated 5-95% band contains the coefficient.",
            NORMALITY_ASSUMPTION)


@dataclass(frozen=True)
class SelectionSimulation:
    """Result of :func:`simulate_selection`.

    Attributes
    ----------
    k, n_total, n_top, n_sim, seed, method, by
        The simulation's choices (``method`` is the coefficient, ``"pearson"`` or ``"spearman"``; ``by`` what the
        top cities are selected by, ``"composite"`` or ``"part"``).
    weights : tuple of float
        The parts' effective weights (standardized parts, so weights and effective weights coincide).
    grid : pandas.DataFrame
        One row per simulated rho (ascending): ``rho``; ``mean_r``, ``q05``, ``q95`` of part 0's
        coefficient with the composite among the top ``n_top``; ``mean_inter_r``, the mean over the
        simulations of the mean Pearson correlation between the parts among the top ``n_top``.
    """

    k: int
    n_total: int
    n_top: int
    n_sim: int
    seed: int
    method: str
    weights: tuple
    grid: pd.DataFrame
    by: str = "composite"

    def at(self, rho: float) -> dict:
        """The grid's row at ``rho`` (a simulated value) as a dict.

        >>> sim = simulate_selection(6, n_total=60, n_top=20, rhos=[0.0, 0.5], n_sim=20, seed=1)
        >>> sorted(sim.at(0.0))
        ['mean_inter_r', 'mean_r', 'q05', 'q95', 'rho']
        """
        rho = check_number("rho", rho)
        hit = np.flatnonzero(np.isclose(self.grid["rho"].to_numpy(), rho, rtol=0, atol=1e-12))
        if not hit.size:
            raise ParameterError("rho", f"one of the simulated values ({', '.join(f'{v:g}' for v in self.grid['rho'])})",
                                 rho)
        return {name: float(v) for name, v in self.grid.iloc[int(hit[0])].items()}


def _factor(k: int, rho: float) -> np.ndarray:
    """L with L L' = the exchangeable correlation matrix (eigen-decomposition: also valid at rho = 1)."""
    corr = np.full((k, k), rho)
    np.fill_diagonal(corr, 1.0)
    val, vec = np.linalg.eigh(corr)
    return vec * np.sqrt(np.clip(val, 0.0, None))


def simulate_selection(k: int, *, n_total: int = 293, n_top: int = 100, rhos=None, weights=None, n_sim: int = 1000,
                       seed: int = 0, method: str = "pearson", by: str = "composite") -> SelectionSimulation:
    """Part 0's coefficient with the composite among the top ``n_top`` of ``n_total`` by composite, simulated.

    Parameters
    ----------
    k : int
        Number of parts (dimensions), at least 2.
    n_total : int, default 293
        Cities simulated per panel.
    n_top : int, default 100
        Cities kept, the highest by composite; 4 ... ``n_total`` (``n_total``: no selection).
    rhos : array-like, optional
        Exchangeable correlations to simulate, each in (-1/(k-1), 1]; default :data:`DEFAULT_RHOS`.
    weights : array-like of shape (k,), optional
        Effective weights of the standardized parts (default equal).
    n_sim : int, default 1000
        Simulated panels per rho (>= 2). The same standard normal draws serve every rho (common random
        numbers), so the curves are smooth in rho.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.
    method : {"pearson", "spearman"}, default "pearson"
        The coefficient of part 0 with the composite.
    by : {"composite", "part"}, default "composite"
        What the top cities are the top by: the composite, or part 0 itself (e.g. the top 100 by technology
        innovation).

    Returns
    -------
    SelectionSimulation

    Notes
    -----
    Each panel draws ``n_total`` cities with k standard normal parts of common correlation rho, forms the
    composite C = sum_k w_k X_k, keeps the ``n_top`` with the highest C and computes the coefficient of X_0
    with C on them. With ``n_top = n_total`` the mean is close to :func:`part_whole_r` (1/sqrt(6) = 0.408 at
    rho = 0, k = 6). Keeping the top 100 of 293 it is about 0.23 at rho = 0: the range restriction of C
    (Pearson 1903; Thorndike's case II, which the tests use as the large-sample reference) lowers it.
    Case II is symmetric in which of the two variables is selected on, so selecting on part 0 instead of the
    composite gives nearly the same mean coefficient (the between-part correlations differ).
    The assumptions are :func:`selection_assumptions`.

    References
    ----------
    Pearson, K. (1903). Mathematical contributions to the theory of evolution. XI. On the influence of natural
    selection on the variability and correlation of organs. Phil. Trans. R. Soc. A 200: 1–66.
    Thorndike, R. L. (1949). Personnel Selection: Test and Measurement Techniques. New York: Wiley.

    Examples
    --------
    >>> sim = simulate_selection(6, n_total=293, n_top=100, rhos=[0.0], n_sim=200, seed=1)
    >>> bool(0.18 < sim.at(0.0)["mean_r"] < 0.28)   # about 0.23: well below 1/sqrt(6) = 0.408
    True
    """
    k = _check_parts(k)
    n_total = check_integer("n_total", n_total, low=MIN_PAIRS)
    n_top = check_integer("n_top", n_top, low=MIN_PAIRS, high=n_total,
                          allowed=f"a whole number of cities kept, {MIN_PAIRS} ... n_total ({n_total})")
    rhos = DEFAULT_RHOS if rhos is None else rhos
    rhos = np.unique(check_numbers("rhos", rhos, low=-1 / (k - 1), high=1, low_open=True).ravel())
    w = np.full(k, 1.0 / k) if weights is None else check_weights(weights, range(k))
    w = w / w.sum()
    n_sim = check_integer("n_sim", n_sim, low=2)
    seed = check_seed(seed)
    check_choice("method", method, CORRELATION_METHODS)
    check_choice("by", by, SELECTION_BY)
    z = np.random.default_rng(seed).standard_normal((n_sim, n_total, k))
    iu = np.triu_indices(k, 1)
    rows = []
    for rho in rhos:
        x = z @ _factor(k, float(rho)).T
        c = x @ w
        key = c if by == "composite" else x[:, :, 0]
        top = np.argpartition(-key, n_top - 1, axis=1)[:, :n_top] if n_top < n_total else np.argsort(-key, axis=1)
        xs = np.take_along_axis(x, top[:, :, None], axis=1)
        cs = np.take_along_axis(c, top, axis=1)
        part = xs[:, :, 0]
        if method == "spearman":
            part, cs = stats.rankdata(part, axis=1), stats.rankdata(cs, axis=1)
        r = stats.pearsonr(part, cs, axis=1).statistic
        d = xs - xs.mean(axis=1, keepdims=True)
        d /= np.sqrt((d ** 2).sum(axis=1, keepdims=True))
        inter = np.einsum("sni,snj->sij", d, d)[:, iu[0], iu[1]].mean(axis=1)
        q05, q95 = np.quantile(r, [0.05, 0.95])
        rows.append({"rho": float(rho), "mean_r": float(r.mean()), "q05": float(q05), "q95": float(q95),
                     "mean_inter_r": float(inter.mean())})
    return SelectionSimulation(k=k, n_total=n_total, n_top=n_top, n_sim=n_sim, seed=seed, method=method,
                               weights=tuple(float(v) for v in w), grid=pd.DataFrame(rows), by=by)


@dataclass(frozen=True)
class ImpliedRho:
    """What a coefficient of one part with the composite implies for the parts' common correlation rho.

    Attributes
    ----------
    reported_r : float
        The coefficient read backwards.
    statistic : float
        The implied rho (NaN where no rho in the model gives ``reported_r``).
    ci_low, ci_high : float
        The interval of rho at ``level`` (NaN where there is none).
    level : float
        Its confidence level (0.90 for the simulation's 5–95% band).
    n : int
        Cities the coefficient is computed on.
    n_total : int
        Cities it is selected from (``n`` when unselected).
    method : str
        How the implied rho and its interval are obtained.
    population : str
        The population the interval refers to, in one sentence.
    r_ci_low, r_ci_high : float
        Fisher's interval of the coefficient itself where its sampling model fits (unselected cities), else NaN.
    at_grid_edge : bool
        The interval reaches the end of the simulated rho grid (it may extend beyond).
    selected_by : {"none", "composite", "part"}
        What the cities were selected by ("none": unselected).
    effective_weight : float
        The dimension's effective weight (weight x standard deviation share) the reading assumes (1/k: equal).
    equal_weights : bool
        Every dimension has the same effective weight in the reading.
    """

    reported_r: float
    statistic: float
    ci_low: float
    ci_high: float
    level: float
    n: int
    n_total: int
    method: str
    population: str
    r_ci_low: float = math.nan
    r_ci_high: float = math.nan
    at_grid_edge: bool = False
    selected_by: str = "none"
    effective_weight: float = math.nan
    equal_weights: bool = True


def implied_rho_unselected(r: float, k: int, *, n: int, level: float = 0.95) -> ImpliedRho:
    """:func:`implied_rho` of ``r`` at equal effective weights, with Fisher's interval carried through.

    Parameters
    ----------
    r : float
        The coefficient, in [0, 1).
    k : int
        Number of parts.
    n : int
        Cities the coefficient is computed on, all of them unselected (for the report: all its cities, 293 assumed).
    level : float, default 0.95

    Returns
    -------
    ImpliedRho
        ``statistic`` = (k r^2 - 1)/(k - 1); ``r_ci_low``/``r_ci_high`` Fisher's interval of r; ``ci_low``/
        ``ci_high`` the implied rho of those ends (the implied rho rises with r, so this is an interval of
        rho at the same level; an end of r below 0 is taken as 0).

    Notes
    -----
    Fisher's interval assumes the n cities are a random sample from a population in which the part and the
    composite are bivariate normal. For the cities the report evaluates (293 in CCID's 2020 edition, assumed:
    the 2022 report does not state the number), which are not a sample of anything, that population is hypothetical (cities generated by the same process); for cities selected
    by the composite it does not hold at all (use :func:`implied_rho_selected`).

    Examples
    --------
    >>> res = implied_rho_unselected(0.7561, 6, n=293)
    >>> round(res.statistic, 3), round(res.r_ci_low, 3), round(res.r_ci_high, 3)
    (0.486, 0.702, 0.801)
    """
    k = _check_parts(k)
    r = check_number("r", r, low=0, high=1, high_open=True)
    n = check_integer("n", n, low=MIN_PAIRS)
    lo, hi = fisher_ci(r, n, level=level)
    return ImpliedRho(
        reported_r=r, statistic=implied_rho(r, k), ci_low=implied_rho(max(lo, 0.0), k), ci_high=implied_rho(hi, k),
        level=float(level), n=n, n_total=n,
        method=f"closed form rho = (k r^2 - 1)/(k - 1), k = {k}, at the ends of Fisher's z interval of r",
        population=(f"A hypothetical population of cities of which the {n} are a random sample, unselected, with each "
                    "dimension and the composite bivariate normal; not the cities themselves, and not a top group "
                    "selected by the composite."),
        r_ci_low=lo, r_ci_high=hi, effective_weight=1 / k)


def _crossing(rho: np.ndarray, f: np.ndarray) -> float:
    """The first rho where the piecewise-linear ``f`` crosses 0 (NaN if it does not)."""
    for i in range(len(rho) - 1):
        if f[i] == 0:
            return float(rho[i])
        if f[i] * f[i + 1] < 0:
            return float(rho[i] - f[i] * (rho[i + 1] - rho[i]) / (f[i + 1] - f[i]))
    return float(rho[-1]) if len(f) and f[-1] == 0 else math.nan


def implied_rho_selected(r: float, simulation: SelectionSimulation) -> ImpliedRho:
    """The exchangeable rho at which the simulated top-``n_top`` coefficient averages ``r``, with its spread.

    Parameters
    ----------
    r : float
        The coefficient, in [-1, 1] (e.g. the report's 0.7561, if computed on Fig. 18's top 100).
    simulation : SelectionSimulation
        From :func:`simulate_selection`.

    Returns
    -------
    ImpliedRho
        ``statistic``: where the simulated mean (linear between grid points) equals ``r`` (NaN outside the
        grid); ``ci_low``/``ci_high`` (level 0.90): the smallest and largest rho whose simulated 5–95% band
        contains ``r``, i.e. the rho the simulation does not reject at 10% (two-sided); ``at_grid_edge`` when
        that set reaches an end of the grid. Fisher's interval of ``r`` is NaN: it does not apply to cities
        selected by the composite.

    Examples
    --------
    >>> sim = simulate_selection(6, rhos=[0.6, 0.7, 0.8, 0.9], n_sim=200, seed=2)
    >>> res = implied_rho_selected(0.7561, sim)
    >>> bool(0.75 < res.statistic < 0.83), res.ci_low < res.statistic < res.ci_high
    (True, True)
    """
    if not isinstance(simulation, SelectionSimulation):
        raise ParameterError("simulation", "a SelectionSimulation (simulate_selection)", Shown(type(simulation).__name__))
    r = check_number("r", r, low=-1, high=1)
    g = simulation.grid
    rho = g["rho"].to_numpy()
    point = _crossing(rho, g["mean_r"].to_numpy() - r) if len(rho) > 1 else math.nan
    fine = np.linspace(rho[0], rho[-1], 2001) if len(rho) > 1 else rho
    inside = (np.interp(fine, rho, g["q05"].to_numpy()) <= r) & (r <= np.interp(fine, rho, g["q95"].to_numpy()))
    lo, hi = (float(fine[inside].min()), float(fine[inside].max())) if inside.any() else (math.nan, math.nan)
    edge = bool(inside.any() and (inside[0] or inside[-1]))
    by = "composite" if simulation.by == "composite" else "dimension (part 0)"
    return ImpliedRho(
        reported_r=r, statistic=point, ci_low=lo, ci_high=hi, level=0.90, n=simulation.n_top,
        n_total=simulation.n_total, at_grid_edge=edge, selected_by=simulation.by,
        effective_weight=float(simulation.weights[0]), equal_weights=bool(np.ptp(simulation.weights) < 1e-12),
        method=(f"simulation: {simulation.n_sim} panels of {simulation.n_total} multivariate-normal cities per rho "
                f"(seed {simulation.seed}), {simulation.method} r of part 0 with the composite among the top "
                f"{simulation.n_top} by {by}; rho where its mean equals r, interval = rho whose 5-95% band contains r"),
        population=(f"Panels of {simulation.n_total} cities whose {simulation.k} dimensions are exchangeably "
                    f"correlated normals {_weight_text(simulation.weights[0], simulation.k)}, of which the top {simulation.n_top} by "
                    f"{by} are kept; rho is the correlation among all the cities, before the selection."))


def weight_key(weight: float) -> str:
    """The results key of the selected reading at the dimension's effective weight ``weight``.

    >>> weight_key(0.10), weight_key(0.25)
    ('selected_weight_10pct', 'selected_weight_25pct')
    """
    weight = check_number("weight", weight, low=0, high=1, low_open=True, high_open=True)
    return f"selected_weight_{round(weight * 100):02d}pct"


def implied_rho_selected_at_weights(r: float, k: int, *, effective_weights=(0.10, 0.25), n_total: int = 293,
                                    n_top: int = 100, rhos=None, n_sim: int = 1000, seed: int = 0) -> dict:
    """:func:`implied_rho_selected` with the dimension (part 0) at other effective weights than 1/k.

    Parameters
    ----------
    r : float
        The coefficient read backwards.
    k : int
        Number of dimensions.
    effective_weights : sequence of float, default (0.10, 0.25)
        The dimension's effective weights (weight x standard deviation share), each in (0, 1); the other
        ``k - 1`` dimensions share the rest equally.
    n_total, n_top, rhos, n_sim, seed
        As for :func:`simulate_selection` (selection by the composite; the same seed at every weight).

    Returns
    -------
    dict
        :func:`weight_key` of each weight -> :class:`ImpliedRho` (its ``effective_weight`` is the weight).

    Examples
    --------
    >>> out = implied_rho_selected_at_weights(0.7561, 6, effective_weights=[0.25], rhos=[0.5, 0.7, 0.9], n_sim=50)
    >>> list(out), round(out["selected_weight_25pct"].effective_weight, 2)
    (['selected_weight_25pct'], 0.25)
    """
    k = _check_parts(k)
    weights = check_numbers("effective_weights", effective_weights, low=0, high=1, low_open=True, high_open=True).ravel()
    out = {}
    for e in weights:
        w = np.full(k, (1 - float(e)) / (k - 1))
        w[0] = float(e)
        sim = simulate_selection(k, n_total=n_total, n_top=n_top, rhos=rhos, weights=w, n_sim=n_sim, seed=seed)
        out[weight_key(float(e))] = implied_rho_selected(r, sim)
    return out


def implied_rho_table(*results: ImpliedRho) -> pd.DataFrame:
    """The implied rho of each reading of a coefficient, for display (one row per :class:`ImpliedRho`).

    >>> implied_rho_table(implied_rho_unselected(0.7561, 6, n=293)).round(3)[["n", "implied_rho"]].to_numpy().tolist()
    [[293.0, 0.486]]
    """
    rows = []
    for res in results:
        if not isinstance(res, ImpliedRho):
            raise ParameterError("results", "ImpliedRho results", Shown(type(res).__name__))
        by = "the dimension" if res.selected_by == "part" else "composite"
        reading = (f"all {res.n} cities, unselected" if res.selected_by == "none"
                   else f"top {res.n} of {res.n_total} by {by}")
        if not res.equal_weights:
            reading += f", effective weight {res.effective_weight:.2f}"
        rows.append({"reading": reading, "n": res.n, "effective_weight": res.effective_weight, "implied_rho": res.statistic, "rho_ci_low": res.ci_low,
                     "rho_ci_high": res.ci_high, "level": res.level, "fisher_r_ci_low": res.r_ci_low,
                     "fisher_r_ci_high": res.r_ci_high, "population": res.population})
    return pd.DataFrame(rows).set_index("reading")


#: What :func:`implied_rho_unselected` rests on.
UNSELECTED_ASSUMPTIONS = PART_WHOLE_ASSUMPTIONS + (
    "Fisher's interval treats the cities as a random sample from a population in which the dimension and the "
    "composite are bivariate normal.",)
