r"""Uncertainty and sensitivity of a ranking over methodological choices (a JRC-style audit).

A composite indicator's ranking rests on choices that could reasonably have been made
otherwise: how outliers are treated, how indicators are normalized, how much each one weighs,
how they are aggregated. The JRC's audit (Saisana, Saltelli & Tarantola 2005; COINr's
``get_sensitivity()``) draws those choices at random many times, re-computes the ranking for
each draw (a *scenario*) and reports, for each unit, the distribution of its rank
(*uncertainty analysis*), then apportions the variance of a summary of the rank changes to the
choices with Sobol' indices (*sensitivity analysis*).

The engine is vectorised. The data that a discrete choice changes (treatment, normalization)
are computed once per option with :func:`cityeval.composite.pipeline.run`; everything else is array
algebra over many scenarios at a time, in chunks of bounded memory:

- With complete data and one aggregation rule at every level, the weighted arithmetic mean up
  a tree collapses to one weighted sum of the normalized indicators, with the *effective
  weight* of indicator :math:`i` the product of the normalized weights on its path to the
  audited code :math:`T`:

  .. math:: s_u = \sum_i x_{ui}\, \tilde w_i, \qquad
            \tilde w_i = \prod_{c \in \mathrm{path}(i \to T)} \frac{w_c}{\sum_{c' \in C(p(c))} w_{c'}}

  and the weighted geometric mean to :math:`s_u = \exp\big(\sum_i \tilde w_i \log x_{ui}\big)`.
  One scenario is then a row of effective weights, and a chunk of scenarios sharing a
  treatment/normalization/aggregation option is one matrix product
  (:math:`(m \times k)(k \times n_{units})`).
- Ranks are computed row-wise by one ``argsort`` with the run's tie rule; the rank
  distribution of each unit is accumulated as a histogram, so the exact mean, median and
  quantiles need memory independent of the number of scenarios.

Every scenario is equivalent to a pipeline run: :meth:`AuditDesign.pipeline_inputs` gives the
dataset (with the scenario's weights in ``indicators.csv``'s ``weight`` column) and the method
record (weight method ``"given"``) whose :func:`~cityeval.composite.pipeline.run` gives the same scores and
ranks; the tests check this scenario by scenario.

Spec schema
-----------
A spec is a JSON object (a dict), e.g. ``data/examples/coinr_asem_uncertainty.json``::

    {
      "description": "free text (optional)",
      "target": "Index",                     # optional: the aggregate code whose rank is audited
                                             #   (default: the top code of the tree)
      "n": 100,                              # optional: Monte Carlo scenarios (default 1000)
      "seed": 1,                             # optional: seed (default: fresh entropy, recorded)
      "choices": {                           # required; each entry is one uncertain input
        "treat":     {"options": [{"winmax": 1}, {"winmax": 2}, {"winmax": 3}]},
        "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100},
                                  {"method": "zscore", "mean": 10, "sd": 2}]},
        "weights":   {"perturbation": {"2": 0.25, "3": 0.25}},
        "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}
      }
    }

``treat``, ``normalize``, ``aggregate`` (*discrete* inputs)
    ``options`` is a non-empty list of stage entries of a method record
    (:mod:`cityeval.composite.pipeline`); each scenario draws one with equal probability. An option is
    merged over the nominal record's entry for that stage by the pipeline's rule: without
    ``"method"`` (or with the nominal method) it overrides only the options it names
    (``{"winmax": 2}`` keeps the nominal ``"jrc"`` treatment and its thresholds); naming another
    method starts from that method alone. Aggregation options are ``"arithmetic"`` or
    ``"geometric"`` with no other key; the drawn rule applies at every level (as in COINr's
    example) and replaces any ``by_level``/``by_parent`` override of the nominal record.
``weights`` (a *continuous* input, one Sobol' factor)
    ``perturbation`` maps a level (the level of the codes whose weight within their parent is
    perturbed, as a string: ``"2"`` for pillars in COINr's ASEM tree) to a fraction
    :math:`0 \le \delta < 1`. Each code :math:`c` at that level gets
    :math:`w_c (1 + \delta (2U_c - 1))`, :math:`U_c \sim \mathcal U(0, 1)` independent (COINr's
    ``get_noisy_weights()``); weights are then renormalised within each parent. The nominal
    weights are those the nominal run used (:attr:`~cityeval.composite.pipeline.RunResult.weights`).
    ``distribution`` may be given and must be ``"uniform"``.

A choice left out keeps the nominal record's entry. The nominal record is the dataset's
``method.json`` (or the ``method=`` argument).

Decided edge cases
------------------
- A data-driven weight method (entropy, CRITIC, ...) of the nominal record is evaluated once,
  in the nominal run; its weights are then held fixed (and perturbed) across the other choices.
  Equal and given weights do not depend on the data, so nothing is lost for them.
- Geometric aggregation needs every normalized value > 0 (a geometric mean of positive values
  is positive, so checking level 1 is enough). Min-max onto [1, 100] is positive; a z-score
  with mean 10 and sd 2 is positive unless a value lies more than 5 standard deviations below
  the mean. A non-positive value is a :class:`~cityeval.errors.DataError` naming the option,
  the indicator and the unit, raised before any scenario runs: never a silently wrong mean.
- The normalized data must be complete (impute first); the pipeline refuses missing values
  under imputation ``"none"`` anyway.
- The rank of each scenario follows the nominal record's tie rule (``rank.ties``).
- An output that never varies (e.g. no uncertain choice) has Sobol' indices 0 (scipy's
  convention), not NaN.

References
----------
Saisana, M., Saltelli, A. and Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *J. R. Stat. Soc. A*
168(2), 307-323. https://doi.org/10.1111/j.1467-985X.2005.00350.x
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Comput. Phys. Commun.* 181(2), 259-270. https://doi.org/10.1016/j.cpc.2009.09.018
Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Comput. Phys. Commun.*
117, 35-43. https://doi.org/10.1016/S0010-4655(98)00154-4
Becker, W. et al. (2022). COINr: ``get_sensitivity()``, ``get_noisy_weights()``.
https://doi.org/10.21105/joss.04567
"""
from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from cityeval.composite import framework
from cityeval.composite.dataset import Dataset
from cityeval.errors import DataError, ParameterError
from cityeval.composite.pipeline import resolve_method, run

__all__ = [
    "check_spec", "load_spec", "prepare", "AuditDesign", "Scenarios", "UncertaintyResult", "SensitivityResult",
    "rank_uncertainty", "sensitivity", "rank_rows", "summarize_ranks", "robust_ranks", "neighbour_order",
    "sobol_estimates", "sobol_matrices", "ishigami", "ishigami_indices", "CHOICES", "VECTOR_AGGREGATIONS", "DEFAULT_N",
]

#: The uncertain inputs a spec may name (``spec["choices"]`` keys).
CHOICES = ("treat", "normalize", "weights", "aggregate")
#: Aggregation rules the vectorised engine evaluates (both collapse over the tree).
VECTOR_AGGREGATIONS = ("arithmetic", "geometric")
#: Monte Carlo scenarios when neither the call nor the spec gives ``n``.
DEFAULT_N = 1000
_SPEC_KEYS = ("description", "target", "n", "seed", "choices")
_DISCRETE = ("treat", "normalize", "aggregate")
#: Largest score buffer of one chunk, in bytes (sets the default chunk size).
CHUNK_BYTES = 8 * 2**20


# --------------------------------------------------------------------------------------- spec


def _whole(name, value, *, lo):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
        raise ParameterError(name, f"a whole number >= {lo}", value)
    return int(value)


def check_spec(spec) -> dict:
    """Check an uncertainty spec (see the module docstring) and return a normalised copy.

    Parameters
    ----------
    spec : dict
        The spec, e.g. the content of a spec JSON file.

    Returns
    -------
    dict
        A deep copy with ``choices`` in the order given; weight levels as strings, fractions as floats.

    Raises
    ------
    ParameterError
        Naming the key at fault (``spec.choices.normalize.options[1].method``), what is allowed
        and what was received: an unknown key or choice, an empty option list, an option that is
        not a valid stage entry, an aggregation other than arithmetic/geometric, a perturbation
        outside [0, 1), a level that is not a whole number.
    """
    if not isinstance(spec, dict):
        raise ParameterError("spec", "a dict (the content of a spec JSON file)", type(spec).__name__)
    spec = copy.deepcopy(spec)
    for key in spec:
        if key not in _SPEC_KEYS:
            raise ParameterError(f"spec key {key!r}", f"one of {list(_SPEC_KEYS)}", spec[key])
    if "description" in spec and not isinstance(spec["description"], str):
        raise ParameterError("spec.description", "a string", spec["description"])
    if "target" in spec and not isinstance(spec["target"], str):
        raise ParameterError("spec.target", "an aggregate code (a string)", spec["target"])
    if "n" in spec:
        spec["n"] = _whole("spec.n", spec["n"], lo=1)
    if "seed" in spec and spec["seed"] is not None:
        spec["seed"] = _whole("spec.seed", spec["seed"], lo=0)
    if "choices" not in spec:
        raise ParameterError("spec.choices", f"present: an object naming uncertain inputs among {list(CHOICES)}",
                             None)
    choices = spec["choices"]
    if not isinstance(choices, dict):
        raise ParameterError("spec.choices", f"an object with keys among {list(CHOICES)}", choices)
    for name, entry in choices.items():
        where = f"spec.choices.{name}"
        if name not in CHOICES:
            raise ParameterError(f"spec.choices key {name!r}", f"one of {list(CHOICES)}", entry)
        if not isinstance(entry, dict):
            raise ParameterError(where, "an object ({\"options\": [...]} or {\"perturbation\": {...}})", entry)
        if name == "weights":
            _check_weights_choice(entry, where)
        else:
            _check_options(name, entry, where)
    return spec


def _check_weights_choice(entry, where):
    for key in entry:
        if key not in ("perturbation", "distribution"):
            raise ParameterError(f"{where} key {key!r}", "one of ['distribution', 'perturbation']", entry[key])
    if entry.get("distribution", "uniform") != "uniform":
        raise ParameterError(f"{where}.distribution", "'uniform'", entry["distribution"])
    pert = entry.get("perturbation")
    if not isinstance(pert, dict) or not pert:
        raise ParameterError(f"{where}.perturbation", "a non-empty object mapping a level (\"2\") to a fraction "
                             "in [0, 1)", pert)
    out = {}
    for level, frac in pert.items():
        if not str(level).isdigit() or int(level) < 1:
            raise ParameterError(f"{where}.perturbation key", "a level number >= 1 such as \"2\"", level)
        if isinstance(frac, bool) or not isinstance(frac, (int, float)) or not (0 <= frac < 1):
            raise ParameterError(f"{where}.perturbation[{str(level)!r}]", "a fraction in [0, 1) (0.25 for ±25%)",
                                 frac)
        out[str(int(level))] = float(frac)
    entry["perturbation"] = out


def _check_options(stage, entry, where):
    for key in entry:
        if key != "options":
            raise ParameterError(f"{where} key {key!r}", "'options'", entry[key])
    options = entry.get("options")
    if not isinstance(options, list) or not options:
        raise ParameterError(f"{where}.options", "a non-empty list of stage entries", options)
    for j, opt in enumerate(options):
        w = f"{where}.options[{j}]"
        if not isinstance(opt, dict):
            raise ParameterError(w, f"an object such as {{\"method\": ...}} (a {stage} entry of a method record)", opt)
        if stage == "aggregate":
            extra = sorted(set(opt) - {"method"})
            if extra:
                raise ParameterError(f"{w} key {extra[0]!r}", "only 'method' (arithmetic or geometric)",
                                     opt[extra[0]])
            if "method" in opt and opt["method"] not in VECTOR_AGGREGATIONS:
                raise ParameterError(f"{w}.method", f"one of {list(VECTOR_AGGREGATIONS)}", opt["method"])
            continue
        for key in ("by_level", "by_parent"):
            if key in opt:
                raise ParameterError(f"{w} key {key!r}", "absent (an option applies to the whole stage)", opt[key])
        try:  # the pipeline's own checks: method names, option names
            resolve_method({stage: opt})
        except ParameterError as exc:
            raise ParameterError(w, f"a valid {stage} entry ({exc})", opt) from None


def load_spec(path) -> dict:
    """Read and check a spec JSON file (see the module docstring).

    Raises
    ------
    DataError
        The file is missing, is not valid JSON, or breaks the schema (the message names the key).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "spec file not found")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(path, "not valid JSON", row=exc.lineno, detail=exc.msg) from None
    try:
        return check_spec(doc)
    except ParameterError as exc:
        raise DataError(path, "not a valid uncertainty spec", detail=str(exc)) from None


def _merge_entry(nominal: dict, option: dict) -> dict:
    """The pipeline's merging rule, over the nominal record's entry instead of the default."""
    base = {k: v for k, v in nominal.items() if k not in ("by_level", "by_parent")}
    if "method" not in option or option["method"] == base.get("method"):
        return {**copy.deepcopy(base), **copy.deepcopy(option)}
    return copy.deepcopy(option)


def _label(option: dict) -> str:
    args = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in option.items() if k != "method")
    if "method" in option:
        return f"{option['method']}({args})" if args else str(option["method"])
    return args or "nominal"


# --------------------------------------------------------------------------------------- ranks


def rank_rows(scores, *, ties: str = "min") -> np.ndarray:
    """Rank each row of ``scores``, 1 for the highest, with a tie rule (vectorised).

    Parameters
    ----------
    scores : array-like, shape (m, n)
        One row per scenario, one column per unit; finite numbers.
    ties : {"min", "dense", "average", "first"}, default "min"
        As :func:`cityeval.composite.ranking.rank`: "1224", "1223", "1 2.5 2.5 4", order of the columns.

    Returns
    -------
    numpy.ndarray, shape (m, n)
        ``int32`` ranks, ``float64`` for ``ties="average"``.

    Examples
    --------
    >>> rank_rows([[90.0, 80.0, 80.0, 70.0]]).tolist()
    [[1, 2, 2, 4]]
    >>> rank_rows([[90.0, 80.0, 80.0, 70.0]], ties="average").tolist()
    [[1.0, 2.5, 2.5, 4.0]]
    """
    if ties not in ("min", "dense", "average", "first"):
        raise ParameterError("ties", "one of ['average', 'dense', 'first', 'min']", ties)
    s = np.asarray(scores, dtype=float)
    if s.ndim != 2:
        raise ParameterError("scores", "a 2-D array (scenarios x units)", f"shape {s.shape}")
    if not np.isfinite(s).all():
        raise ParameterError("scores", "finite numbers (a missing score has no rank here)",
                             f"{int((~np.isfinite(s)).sum())} non-finite value(s)")
    order, ranked = _sorted_ranks(s, ties)
    out = np.empty(s.shape, dtype=np.float64 if ties == "average" else np.int32)
    np.put_along_axis(out, order, ranked, axis=1)
    return out


def _sorted_ranks(s: np.ndarray, ties: str):
    """``(order, ranked)``: ``ranked[k, j]`` is the rank of unit ``order[k, j]`` in row ``k`` (no checks).

    For the rules where the order inside a tie group does not matter ("min", "dense", "average"),
    rows are sorted by :func:`_packed_order` (one integer sort instead of an argsort plus a gather);
    the rows it cannot vouch for (a tie, or two scores within ``2**bits`` units in the last place
    of each other: a relative 1e-13 for 293 units, 1.5e-11 for 65,536) are sorted again exactly.
    The result is the same as the exact path's, row by row.
    """
    s = np.asarray(s, dtype=np.float64)
    m, n = s.shape
    bits = max(1, (n - 1).bit_length())
    if ties == "first" or bits > _PACK_MAX_BITS or m == 0:
        return _sorted_ranks_exact(s, ties)
    order, unsure = _packed_order(s, bits)
    pos = np.arange(n, 0, -1, dtype=np.int32)              # descending rank of ascending position
    if not unsure.any():
        return order, np.broadcast_to(pos, (m, n))
    rows = np.flatnonzero(unsure)
    order_r, ranked_r = _sorted_ranks_exact(s[rows], ties)
    order[rows] = order_r
    ranked = np.empty((m, n), dtype=np.float64 if ties == "average" else np.int32)
    ranked[:] = pos
    ranked[rows] = ranked_r
    return order, ranked


# low bits of a 64-bit key that may hold the column index (4096 units lose 12 of the 52 mantissa bits)
_PACK_MAX_BITS = 16


def _packed_order(s: np.ndarray, bits: int):
    """Ascending column order of each row of ``s`` from one sort of packed integer keys.

    A float64 maps onto an int64 with the same order (IEEE 754: flip the magnitude bits of
    negatives; ``+ 0.0`` first makes -0.0 equal to 0.0). The low ``bits`` bits of that key are
    replaced by the column index, and each row is sorted as integers. Truncating the low bits
    keeps order weakly (``a < b`` implies ``trunc(a) <= trunc(b)``), so wherever neighbouring
    truncated keys differ the order is exact and strict. A row where two neighbours share a
    truncated key (a tie, or scores within ``2**bits`` units in the last place) is flagged
    ``unsure`` for an exact sort.

    Returns
    -------
    order : int64 array (m, n)
    unsure : bool array (m,)
    """
    key = (s + 0.0).view(np.int64)
    if (key < 0).any():                                      # sign bit set (a NaN's too): flip magnitudes
        key ^= (key >> 63) & np.int64(0x7FFFFFFFFFFFFFFF)   # -1 >> 63 is -1: only negatives change
    mask = np.int64((1 << bits) - 1)
    key &= ~mask
    key |= np.arange(s.shape[1], dtype=np.int64)
    key.sort(axis=1)
    order = key & mask
    # sorted, so a neighbour shares the high bits exactly when it is <= this key with all low bits set
    unsure = (key[:, 1:] <= (key[:, :-1] | mask)).any(axis=1)
    return order, unsure


def _sorted_ranks_exact(s: np.ndarray, ties: str):
    """:func:`_sorted_ranks` by ``argsort`` and a tie scan: the reference path, and the fallback."""
    m, n = s.shape
    pos = np.arange(1, n + 1, dtype=np.int32)
    if ties == "first":
        order = np.argsort(-s, axis=1, kind="stable")     # ties in column order
        ranked = np.broadcast_to(pos, (m, n))
    else:
        # ascending order; the order inside a tie group does not matter for these rules, so numpy's
        # fast (SIMD) unstable sort will do. A unit's descending rank follows from its tie group's
        # first and last ascending positions: min = n + 1 - last, average = n + 1 - (first + last) / 2.
        order = np.argsort(s, axis=1)
        ss = np.take_along_axis(s, order, axis=1)
        new = np.ones((m, n), dtype=bool)                  # first of a tie group
        np.not_equal(ss[:, 1:], ss[:, :-1], out=new[:, 1:])
        if new.all():                                       # no ties at all: rank = n + 1 - position
            ranked = np.broadcast_to(pos[::-1], (m, n))
        elif ties == "dense":
            d = np.cumsum(new, axis=1, dtype=np.int32)
            ranked = d[:, -1:] - d + 1
        else:
            last = np.ones((m, n), dtype=bool)
            last[:, :-1] = new[:, 1:]
            end = np.minimum.accumulate(np.where(last, pos, n + 1)[:, ::-1], axis=1)[:, ::-1]
            if ties == "min":
                ranked = (n + 1 - end).astype(np.int32)
            else:
                start = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
                ranked = n + 1 - (start + end) / 2.0
    return order, ranked


# --------------------------------------------------------------------------------------- Sobol'


def sobol_estimates(f_A, f_B, f_AB):
    r"""First-order and total Sobol' indices from evaluations on the A, B and AB matrices.

    Parameters
    ----------
    f_A, f_B : array-like, shape (..., n)
        The output at the rows of A and of B (any leading output dimensions).
    f_AB : array-like, shape (d, ..., n)
        The output at :math:`A_B^{(i)}` (A with the columns of input :math:`i` from B), one page per input.

    Returns
    -------
    first, total : numpy.ndarray, shape (d, ...)
        :math:`S_i` and :math:`S_{Ti}`; 0 where the output does not vary.

    Notes
    -----
    After centring every evaluation on the mean of :math:`f(A)` and :math:`f(B)` (Sobol' and
    Levitan 1999), with :math:`V` the variance of :math:`f(A)` and :math:`f(B)` pooled:

    .. math::
        S_i = \frac{\frac1n \sum_j f(B)_j \big(f(A_B^{(i)})_j - f(A)_j\big)}{V}
        \quad\text{(Saltelli et al. 2010, Table 2 (b))}

        S_{Ti} = \frac{\frac1{2n} \sum_j \big(f(A)_j - f(A_B^{(i)})_j\big)^2}{V}
        \quad\text{(Jansen 1999; Saltelli et al. 2010, Table 2 (f))}

    These are the estimators of :func:`scipy.stats.sobol_indices` (``method="saltelli_2010"``),
    which the tests check to rounding. scipy is not called directly because it requires ``n``
    to be a power of 2 even for given evaluations and its bootstrap cannot be seeded.

    Examples
    --------
    >>> A, B = sobol_matrices(2**12, 3, seed=1)
    >>> X = lambda M: -np.pi + 2 * np.pi * M
    >>> f = lambda M: ishigami(X(M))
    >>> AB = np.stack([np.where(np.arange(3) == i, B, A) for i in range(3)])
    >>> first, total = sobol_estimates(f(A), f(B), np.stack([f(m) for m in AB]))
    >>> exact_first, exact_total = ishigami_indices()
    >>> float(np.abs(first - exact_first).max()) < 0.02, float(np.abs(total - exact_total).max()) < 0.02
    (True, True)
    """
    f_A = np.asarray(f_A, dtype=float)
    f_B = np.asarray(f_B, dtype=float)
    f_AB = np.asarray(f_AB, dtype=float)
    if f_A.shape != f_B.shape or f_AB.shape[1:] != f_A.shape:
        raise ParameterError("f_A, f_B, f_AB", "shapes (..., n), (..., n) and (d, ..., n)",
                             f"{f_A.shape}, {f_B.shape}, {f_AB.shape}")
    mean = (f_A.mean(axis=-1) + f_B.mean(axis=-1)) / 2.0
    a = f_A - mean[..., None]
    b = f_B - mean[..., None]
    ab = f_AB - mean[..., None]
    var = (np.mean(a * a, axis=-1) + np.mean(b * b, axis=-1)) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(b * (ab - a), axis=-1) / var
        total = 0.5 * np.mean((a - ab) ** 2, axis=-1) / var
    first[~np.isfinite(first)] = 0.0
    total[~np.isfinite(total)] = 0.0
    return first, total


def sobol_matrices(n: int, d: int, *, seed=None):
    """The A and B matrices of a Saltelli design: ``n`` rows of a scrambled Sobol' sequence in ``2 d``
    dimensions, split into two ``(n, d)`` matrices in [0, 1) (as :func:`scipy.stats.sobol_indices`).

    ``n`` must be a power of 2 (the balance of Sobol' points; scipy's rule).
    """
    n = _whole("n", n, lo=1)
    if n & (n - 1):
        raise ParameterError("n", "a power of 2 (Sobol' points are balanced only then), e.g. 256, 512, 1024", n)
    d = _whole("d", d, lo=1)
    u = qmc.Sobol(d=2 * d, scramble=True, rng=np.random.default_rng(seed)).random(n)
    return u[:, :d], u[:, d:]


def ishigami(x, *, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    r"""The Ishigami function :math:`\sin x_1 + a \sin^2 x_2 + b x_3^4 \sin x_1`, rows of ``x`` (shape (n, 3)).

    The test function of Ishigami & Homma (1990) for sensitivity analysis, with inputs
    uniform on :math:`[-\pi, \pi]`; :func:`ishigami_indices` gives its Sobol' indices.
    """
    x = np.asarray(x, dtype=float)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1):
    r"""Analytic first-order and total Sobol' indices of :func:`ishigami`.

    Notes
    -----
    .. math::
        V = \tfrac{a^2}{8} + \tfrac{b\pi^4}{5} + \tfrac{b^2\pi^8}{18} + \tfrac12,\quad
        V_1 = \tfrac12\big(1 + \tfrac{b\pi^4}{5}\big)^2,\quad V_2 = \tfrac{a^2}{8},\quad V_3 = 0,\quad
        V_{13} = \tfrac{8 b^2 \pi^8}{225}

    :math:`S_i = V_i/V`, :math:`S_{T1} = (V_1 + V_{13})/V`, :math:`S_{T2} = S_2`,
    :math:`S_{T3} = V_{13}/V` (Sobol' & Levitan 1999; Saltelli et al. 2010, eq. 37).

    Examples
    --------
    >>> first, total = ishigami_indices()
    >>> np.round(first, 4).tolist(), np.round(total, 4).tolist()
    ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437])
    """
    pi = math.pi
    v = a * a / 8 + b * pi**4 / 5 + b * b * pi**8 / 18 + 0.5
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a * a / 8
    v13 = 8 * b * b * pi**8 / 225
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


# --------------------------------------------------------------------------------------- design


@dataclass
class Scenarios:
    """A batch of scenarios.

    Attributes
    ----------
    choice : numpy.ndarray of int, shape (m, 3)
        Option index of treat, normalize and aggregate (0 for a choice that is not uncertain).
    weights : numpy.ndarray, shape (m, n_codes)
        Raw weight of every code of the audited subtree (order :attr:`AuditDesign.weight_codes`),
        before renormalisation within each parent.
    """

    choice: np.ndarray
    weights: np.ndarray

    def __len__(self) -> int:
        return len(self.choice)


@dataclass
class UncertaintyResult:
    """The rank distribution of every unit over the Monte Carlo scenarios.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by unit (the kept units, dataset order), columns ``nominal`` (the nominal run's
        rank), ``mean``, ``median``, ``q05``, ``q95`` (quantiles of numpy's default "linear" rule,
        R's type 7 as in COINr).
    mean_rank_shift : numpy.ndarray, shape (n,)
        Per scenario, the mean over units of ``|rank - nominal rank|`` (COINr's summary of a scenario).
    scenarios : pandas.DataFrame
        Per scenario, the label of the option drawn for each discrete choice.
    ranks : pandas.DataFrame or None
        The raw rank matrix (scenarios x units) when requested.
    n, seed, target, synthetic, spec
        What was run: ``seed`` is the one used (drawn and recorded when none was given).
    """

    table: pd.DataFrame
    mean_rank_shift: np.ndarray
    scenarios: pd.DataFrame
    ranks: pd.DataFrame | None
    n: int
    seed: int
    target: str
    synthetic: bool
    spec: dict = field(repr=False)


@dataclass
class SensitivityResult:
    """Sobol' indices per uncertain input.

    Attributes
    ----------
    indices : pandas.DataFrame
        Indexed by input (the spec's choices), columns ``first``, ``total`` (of the mean absolute
        rank shift), ``first_lo``, ``first_hi``, ``total_lo``, ``total_hi`` (percentile bootstrap
        interval at ``confidence``), and ``rank_first``, ``rank_total``: the indices of the units'
        ranks pooled over units, :math:`\\sum_u V_u S_{u,i} / \\sum_u V_u` (the variance-weighted
        mean of each unit's index, Gamboa et al. 2014).
    n : int
        Rows of A and B; the model ran ``n (d + 2)`` times.
    evaluations : int
    confidence : float
    """

    indices: pd.DataFrame
    n: int
    evaluations: int
    confidence: float
    seed: int


class AuditDesign:
    """A dataset prepared for the vectorised audit: the data of every discrete option precomputed.

    Build with :func:`prepare`. Methods :meth:`rank_uncertainty` (Monte Carlo) and
    :meth:`sensitivity` (Sobol') run the audit; :meth:`sample`, :meth:`evaluate` and
    :meth:`pipeline_inputs` expose single scenarios.
    """

    def __init__(self, dataset: Dataset, spec: dict, method: dict | None = None):
        if not isinstance(dataset, Dataset):
            raise ParameterError("dataset", "a cityeval.composite.dataset.Dataset (see load_dataset)", type(dataset).__name__)
        self.spec = check_spec(spec)
        self.dataset = dataset
        record = resolve_method(dataset.method if method is None else method)
        self.record = record
        nominal = run(dataset, record)
        self.nominal_result = nominal
        meta = dataset.indicators
        agg_codes = nominal.aggregate_codes
        top = [c for c in agg_codes if meta.at[c, "parent"] is None]
        target = self.spec.get("target")
        if target is None:
            if len(top) != 1:
                raise ParameterError("spec.target", f"one of the top codes {top} (the tree has several)", None)
            target = top[0]
        if target not in agg_codes:
            raise ParameterError("spec.target", f"an aggregate code (level >= 2), one of {agg_codes}", target)
        self.target = target
        self.units = nominal.ranks.index
        self.nominal_rank = nominal.ranks[target].to_numpy(dtype=float)
        self.ties = record["rank"]["ties"]
        self.synthetic = bool(dataset.synthetic)
        choices = self.spec["choices"]

        # the subtree: codes below the target, top-down by level, and the leaves
        sub = framework.descendants(meta, target)
        t_level = int(meta.at[target, "level"])
        by_level = {lev: [c for c in sub if int(meta.at[c, "level"]) == lev] for lev in range(t_level - 1, 0, -1)}
        self.weight_codes = [c for lev in range(t_level - 1, 0, -1) for c in by_level[lev]]
        self.leaves = by_level[1]
        pos = {c: j for j, c in enumerate(self.weight_codes)}
        parents = [meta.at[c, "parent"] for c in self.weight_codes]
        self._parent_pos = np.array([pos.get(p, -1) for p in parents])
        parent_codes = list(dict.fromkeys(parents))
        self._member = np.zeros((len(self.weight_codes), len(parent_codes)))
        self._member[np.arange(len(self.weight_codes)), [parent_codes.index(p) for p in parents]] = 1.0
        self._parent_col = np.array([parent_codes.index(p) for p in parents])
        self._level_slices = []
        start = 0
        for lev in range(t_level - 1, 0, -1):
            self._level_slices.append(slice(start, start + len(by_level[lev])))
            start += len(by_level[lev])
        self._leaf_slice = self._level_slices[-1]
        self.nominal_weights = nominal.weights.reindex(self.weight_codes).to_numpy(dtype=float)
        if not np.isfinite(self.nominal_weights).all():
            missing = [c for c, w in zip(self.weight_codes, self.nominal_weights) if not np.isfinite(w)]
            raise DataError(dataset.path, "the nominal run gave no weight for some codes", detail=", ".join(missing))

        # weights: perturbed codes and their fractions
        pert = choices.get("weights", {}).get("perturbation", {})
        levels_ok = list(range(1, t_level))
        delta = np.zeros(len(self.weight_codes))
        for lev, frac in pert.items():
            if int(lev) not in levels_ok:
                raise ParameterError(f"spec.choices.weights.perturbation key {lev!r}",
                                     f"a level of the codes below {target!r}: one of {[str(v) for v in levels_ok]}",
                                     lev)
            delta[[pos[c] for c in by_level[int(lev)]]] = frac
        self._perturbed = np.flatnonzero([str(int(meta.at[c, "level"])) in pert for c in self.weight_codes])
        self._delta = delta[self._perturbed]

        # discrete options, merged over the nominal record
        self.options = {}
        self.labels = {}
        for stage in _DISCRETE:
            if stage in choices:
                opts = choices[stage]["options"]
                self.options[stage] = [_merge_entry(record[stage], o) for o in opts]
                self.labels[stage] = [_label(o) for o in opts]
            else:
                nominal_entry = {k: v for k, v in record[stage].items() if k not in ("by_level", "by_parent")}
                self.options[stage] = [nominal_entry]
                self.labels[stage] = ["nominal"]
        for j, entry in enumerate(self.options["aggregate"]):
            where = "spec.choices.aggregate.options" if "aggregate" in choices else "the nominal record's aggregate"
            if entry.get("method") not in VECTOR_AGGREGATIONS or set(entry) - {"method"}:
                raise ParameterError(f"{where}[{j}]" if "aggregate" in choices else where,
                                     f"one of {list(VECTOR_AGGREGATIONS)} without options (the vectorised engine "
                                     "collapses these over the tree)", entry)
            if "aggregate" not in choices and (record["aggregate"].get("by_level") or record["aggregate"].get("by_parent")):
                raise ParameterError("the nominal record's aggregate", "one rule at every level (no by_level/by_parent "
                                     "overrides) unless the spec makes aggregation a choice", record["aggregate"])
        self._geometric = np.array([e["method"] == "geometric" for e in self.options["aggregate"]])
        for stage in ("treat", "normalize"):
            for j, entry in enumerate(self.options[stage]):
                rec = {**record, stage: entry}
                try:
                    resolve_method(rec)
                except ParameterError as exc:
                    raise ParameterError(f"spec.choices.{stage}.options[{j}]",
                                         f"an entry valid over the nominal record ({exc})", entry) from None

        # the factors (Sobol' inputs) and their columns in a uniform sample
        self.factors = []
        self._columns = {}
        col = 0
        for name in choices:
            width = len(self._perturbed) if name == "weights" else 1
            self.factors.append(name)
            self._columns[name] = np.arange(col, col + width)
            col += width
        self.dimension = col

        # precompute the normalized leaves of every treat x normalize option
        n_t, n_n = len(self.options["treat"]), len(self.options["normalize"])
        self._base = np.empty((n_t, n_n, len(self.units), len(self.leaves)))
        for i, t_entry in enumerate(self.options["treat"]):
            for j, n_entry in enumerate(self.options["normalize"]):
                rec = {**copy.deepcopy(record), "treat": t_entry, "normalize": n_entry,
                       "weight": {"method": "equal"}, "aggregate": {"method": "arithmetic"}}
                res = run(dataset, rec)
                x = res.stages["normalized"]
                if not x.index.equals(self.units):
                    raise DataError(dataset.path, "the kept units differ between options",
                                    detail=f"treat option {i}, normalize option {j}")
                x = x[self.leaves].to_numpy(dtype=float)
                if not np.isfinite(x).all():
                    r, c = np.argwhere(~np.isfinite(x))[0]
                    raise DataError(dataset.path, "the audit needs complete normalized data (impute first)",
                                    column=self.leaves[c], detail=f"unit {self.units[r]!r}, treat option {i}, "
                                                                  f"normalize option {j}")
                self._base[i, j] = x
        self._log = None
        if self._geometric.any():
            bad = self._base <= 0
            if bad.any():
                i, j, r, c = np.argwhere(bad)[0]
                raise DataError(dataset.path, "geometric aggregation needs every normalized value > 0; choose a "
                                "normalization with a positive range (min-max with low > 0) or drop the geometric option",
                                column=self.leaves[c],
                                detail=f"normalize option {j} {self.labels['normalize'][j]!r} with treat option {i} "
                                       f"{self.labels['treat'][i]!r} gives {self._base[i, j, r, c]:g} for unit "
                                       f"{self.units[r]!r}; {int(bad.sum())} such value(s)")
            self._log = np.log(self._base)

    # ---- scenarios ---------------------------------------------------------------------
    def decode(self, u) -> Scenarios:
        """Scenarios from uniform numbers ``u`` of shape (m, :attr:`dimension`) in [0, 1)."""
        u = np.asarray(u, dtype=float)
        if u.ndim != 2 or u.shape[1] != self.dimension:
            raise ParameterError("u", f"an array of shape (m, {self.dimension})", f"shape {u.shape}")
        m = len(u)
        choice = np.zeros((m, 3), dtype=np.int64)
        for k, stage in enumerate(_DISCRETE):
            if stage in self._columns:
                n_opt = len(self.options[stage])
                choice[:, k] = np.minimum((u[:, self._columns[stage][0]] * n_opt).astype(np.int64), n_opt - 1)
        weights = np.repeat(self.nominal_weights[None, :], m, axis=0)
        if "weights" in self._columns:
            uw = u[:, self._columns["weights"]]
            factor = 1.0 + self._delta * (2.0 * uw - 1.0)
            p = self._perturbed
            if len(p) and p[-1] - p[0] + 1 == len(p):           # one block of columns: a slice, not a gather
                weights[:, p[0]:p[-1] + 1] *= factor
            else:
                weights[:, p] *= factor
        return Scenarios(choice=choice, weights=weights)

    def sample(self, n: int, *, seed=None) -> Scenarios:
        """``n`` Monte Carlo scenarios: the same ones :meth:`rank_uncertainty` draws with this seed."""
        return self.decode(np.random.default_rng(seed).random((_whole("n", n, lo=1), self.dimension)))

    def effective_weights(self, weights) -> np.ndarray:
        """Effective weight of every leaf in the audited code, shape (m, n_leaves) (module docstring)."""
        w = np.asarray(weights, dtype=float)
        sums = w @ self._member
        wn = w / sums[:, self._parent_col]
        eff = np.empty_like(wn)
        for sl in self._level_slices:
            pp = self._parent_pos[sl]
            if (pp < 0).all():
                eff[:, sl] = wn[:, sl]
            else:
                eff[:, sl] = wn[:, sl] * eff[:, pp]
        return eff[:, self._leaf_slice]

    def evaluate(self, scenarios: Scenarios, *, scores: bool = False) -> np.ndarray:
        """Ranks (or scores of the audited code) of every unit in each scenario, shape (m, n_units).

        All scenarios are evaluated at once; :meth:`rank_uncertainty` calls this chunk by chunk.
        """
        eff = self.effective_weights(scenarios.weights)
        m, n_units = len(scenarios), len(self.units)
        out = np.empty((m, n_units))
        n_n, n_a = len(self.options["normalize"]), len(self.options["aggregate"])
        combo = (scenarios.choice[:, 0] * n_n + scenarios.choice[:, 1]) * n_a + scenarios.choice[:, 2]
        for c in np.unique(combo):
            idx = np.flatnonzero(combo == c)
            t, rest = divmod(int(c), n_n * n_a)
            j, a = divmod(rest, n_a)
            if self._geometric[a]:
                block = eff[idx] @ self._log[t, j].T
                np.exp(block, out=block)
            else:
                block = eff[idx] @ self._base[t, j].T
            out[idx] = block
        return out if scores else rank_rows(out, ties=self.ties)

    def _sorted(self, scenarios: Scenarios):
        """:func:`_sorted_ranks` of the scenarios' scores (the fast path of :meth:`rank_uncertainty`)."""
        return _sorted_ranks(self.evaluate(scenarios, scores=True), self.ties)

    def pipeline_inputs(self, scenarios: Scenarios, i: int) -> tuple[Dataset, dict]:
        """The dataset and method record whose :func:`cityeval.composite.pipeline.run` is scenario ``i``.

        The dataset is a copy whose ``weight`` column holds the scenario's raw weights (codes outside
        the audited subtree keep the nominal run's weights); the record is the nominal one with the
        scenario's treat, normalize and aggregate entries and weight method ``"given"``.
        """
        meta = self.dataset.indicators.copy()
        meta["weight"] = self.nominal_result.weights.reindex(meta.index).fillna(1.0).to_numpy()
        meta.loc[self.weight_codes, "weight"] = scenarios.weights[i]
        t, j, a = (int(v) for v in scenarios.choice[i])
        rec = copy.deepcopy(self.record)
        rec.update(treat=copy.deepcopy(self.options["treat"][t]), normalize=copy.deepcopy(self.options["normalize"][j]),
                   weight={"method": "given"}, aggregate=copy.deepcopy(self.options["aggregate"][a]))
        if self.synthetic:
            rec["synthetic"] = True
        return Dataset(self.dataset.values.copy(), meta, method=rec, path=None), rec

    def _chunk(self, chunk_size):
        if chunk_size is None:
            return max(1, CHUNK_BYTES // (8 * max(1, len(self.units))))
        return _whole("chunk_size", chunk_size, lo=1)

    # ---- uncertainty analysis --------------------------------------------------------------
    def rank_uncertainty(self, n: int | None = None, *, seed=None, return_ranks: bool = False,
                         chunk_size: int | None = None) -> UncertaintyResult:
        """Monte Carlo over the uncertain choices: each unit's rank distribution.

        Parameters
        ----------
        n : int, optional
            Scenarios; default the spec's ``n``, else :data:`DEFAULT_N`.
        seed : int, optional
            Default the spec's ``seed``; if neither, fresh entropy (the seed used is recorded).
        return_ranks : bool, default False
            Keep the raw rank matrix (n x units, ``int32``).
        chunk_size : int, optional
            Scenarios per chunk; default so that one chunk's scores take about 8 MiB. The result
            does not depend on it.

        Returns
        -------
        UncertaintyResult
        """
        n = _whole("n", n if n is not None else self.spec.get("n", DEFAULT_N), lo=1)
        seed = self._seed(seed)
        chunk = self._chunk(chunk_size)
        rng = np.random.default_rng(seed)
        n_units = len(self.units)
        half = self.ties == "average"
        bins = (2 * n_units + 1) if half else (n_units + 1)
        counts = np.zeros(n_units * bins, dtype=np.int64)
        shift = np.empty(n)
        nominal = self.nominal_rank if half else self.nominal_rank.astype(np.int32)
        choices = np.empty((n, 3), dtype=np.int64)
        kept = np.empty((n, n_units), dtype=np.float64 if half else np.int32) if return_ranks else None
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            sc = self.decode(rng.random((hi - lo, self.dimension)))
            order, ranked = self._sorted(sc)        # ranked[k, j]: rank of unit order[k, j]
            # histogram laid out (rank bin, unit): one add per element; ranked is often one broadcast row
            rk = ranked[:1] if ranked.strides[0] == 0 else ranked   # a broadcast row: convert one row only
            key = order + ((2 * rk).astype(np.int64) if half else rk.astype(np.int64)) * n_units
            counts += np.bincount(key.ravel(), minlength=counts.size)
            shift[lo:hi] = np.abs(ranked - np.take(nominal, order)).sum(axis=1) / n_units
            choices[lo:hi] = sc.choice
            if kept is not None:
                np.put_along_axis(kept[lo:hi], order, ranked, axis=1)
        counts = np.ascontiguousarray(counts.reshape(bins, n_units).T)
        values = np.arange(bins) / (2.0 if half else 1.0)
        table = pd.DataFrame({
            "nominal": pd.array(self.nominal_rank, dtype="Float64" if half else "Int64"),
            "mean": (counts * values).sum(axis=1) / n,
            "median": _quantile_from_counts(counts, values, 0.5),
            "q05": _quantile_from_counts(counts, values, 0.05),
            "q95": _quantile_from_counts(counts, values, 0.95),
        }, index=self.units)
        scen = pd.DataFrame({stage: pd.Categorical.from_codes(choices[:, k], categories=pd.Index(
            list(dict.fromkeys(self.labels[stage])) if len(set(self.labels[stage])) == len(self.labels[stage])
            else [f"{j}: {lab}" for j, lab in enumerate(self.labels[stage])]))
            for k, stage in enumerate(_DISCRETE) if stage in self._columns})
        ranks = pd.DataFrame(kept, columns=self.units) if kept is not None else None
        return UncertaintyResult(table=table, mean_rank_shift=shift, scenarios=scen, ranks=ranks, n=n, seed=seed,
                                 target=self.target, synthetic=self.synthetic, spec=self.spec)

    def _seed(self, seed):
        if seed is None:
            seed = self.spec.get("seed")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**63)
        return _whole("seed", seed, lo=0)

    # ---- sensitivity analysis --------------------------------------------------------------
    def sensitivity(self, n: int = 512, *, seed=None, n_boot: int = 1000, confidence: float = 0.95,
                    chunk_size: int | None = None) -> SensitivityResult:
        """First-order and total Sobol' indices of the rank shift, per uncertain input.

        Parameters
        ----------
        n : int, default 512
            Rows of the A and B matrices (a power of 2); the model runs ``n (d + 2)`` times for
            ``d`` inputs (the spec's choices; all perturbed weights form one input).
        seed : int, optional
            As for :meth:`rank_uncertainty`; it seeds the Sobol' scrambling and the bootstrap.
        n_boot : int, default 1000
            Bootstrap resamples of the rows for the intervals (0: none, intervals NaN).
        confidence : float, default 0.95
            Level of the percentile bootstrap intervals.

        Returns
        -------
        SensitivityResult

        Notes
        -----
        The output of a scenario is its mean absolute rank shift
        :math:`\\bar\\Delta = \\frac1{n_u}\\sum_u |r_u - r_u^{nom}|`; the indices come from
        :func:`sobol_estimates` on A, B and the :math:`A_B^{(i)}` matrices in which the
        columns of input :math:`i` (for the weights, all of them) come from B (Saltelli et al.
        2010). Sobol' indices of a *group* of columns are the usual ones of the group taken as
        one input.
        """
        if not self.factors:
            raise ParameterError("spec.choices", "at least one uncertain input for a sensitivity analysis", {})
        seed = self._seed(seed)
        n_boot = _whole("n_boot", n_boot, lo=0)
        if not (isinstance(confidence, float) and 0 < confidence < 1):
            raise ParameterError("confidence", "a number in (0, 1)", confidence)
        A, B = sobol_matrices(n, self.dimension, seed=seed)
        d = len(self.factors)
        pages = [A, B]
        for name in self.factors:
            ab = A.copy()
            ab[:, self._columns[name]] = B[:, self._columns[name]]
            pages.append(ab)
        u = np.concatenate(pages)
        chunk = self._chunk(chunk_size)
        n_units = len(self.units)
        ranks = np.empty((len(u), n_units), dtype=np.float64)
        for lo in range(0, len(u), chunk):
            ranks[lo:lo + chunk] = self.evaluate(self.decode(u[lo:lo + chunk]))
        ranks = ranks.reshape(d + 2, n, n_units)
        y = np.abs(ranks - self.nominal_rank).mean(axis=2)
        first, total = sobol_estimates(y[0], y[1], y[2:])
        # units' ranks, pooled with variance weights: sum_u V_u S_u / sum_u V_u
        r = np.moveaxis(ranks, 2, 1)                # (d + 2, units, n)
        mean_u = (r[0].mean(axis=1) + r[1].mean(axis=1)) / 2
        a, b, ab = r[0] - mean_u[:, None], r[1] - mean_u[:, None], r[2:] - mean_u[:, None]
        v = ((a * a).mean(axis=1) + (b * b).mean(axis=1)) / 2
        vs = v.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            rank_first = (b * (ab - a)).mean(axis=2).sum(axis=1) / vs if vs > 0 else np.zeros(d)
            rank_total = 0.5 * ((a - ab) ** 2).mean(axis=2).sum(axis=1) / vs if vs > 0 else np.zeros(d)
        lo_hi = np.full((4, d), np.nan)
        if n_boot:
            rng = np.random.default_rng([seed, 1])
            idx = rng.integers(0, n, size=(n_boot, n))
            bf, bt = sobol_estimates(y[0][idx], y[1][idx], y[2:][:, idx])     # (d, n_boot)
            alpha = (1 - confidence) / 2
            lo_hi = np.vstack([np.quantile(bf, [alpha, 1 - alpha], axis=1), np.quantile(bt, [alpha, 1 - alpha], axis=1)])
        table = pd.DataFrame({"first": first, "total": total, "first_lo": lo_hi[0], "first_hi": lo_hi[1],
                              "total_lo": lo_hi[2], "total_hi": lo_hi[3], "rank_first": rank_first,
                              "rank_total": rank_total}, index=pd.Index(self.factors, name="input"))
        return SensitivityResult(indices=table, n=n, evaluations=len(u), confidence=confidence, seed=seed)


def _quantile_from_counts(counts: np.ndarray, values: np.ndarray, p: float) -> np.ndarray:
    """Per row, the quantile ``p`` (numpy's "linear" rule, R type 7) of a sample given as a histogram."""
    total = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    h = (total - 1) * p
    lo = np.floor(h).astype(np.int64)
    frac = h - lo

    def order_stat(k):  # the k-th smallest (0-based) value of each row
        return values[(cum <= k[:, None]).sum(axis=1)]

    x_lo = order_stat(lo)
    x_hi = order_stat(np.minimum(lo + 1, total - 1))
    return x_lo + frac * (x_hi - x_lo)


# --------------------------------------------------------------------------------------- reading results


def summarize_ranks(ranks: pd.DataFrame, nominal) -> pd.DataFrame:
    """The table of :attr:`UncertaintyResult.table` from a rank matrix, e.g. a subset of the scenarios.

    Parameters
    ----------
    ranks : pandas.DataFrame, shape (n_scenarios, n_units)
        Ranks, one column per unit (:attr:`UncertaintyResult.ranks`, possibly a subset of its rows).
    nominal : pandas.Series or array-like
        The nominal rank of each unit (a Series is aligned on the columns of ``ranks``).

    Returns
    -------
    pandas.DataFrame
        Indexed by unit: ``nominal``, ``mean``, ``median``, ``q05``, ``q95`` (numpy's "linear" quantiles).
    """
    r = ranks.to_numpy(dtype=float)
    if len(r) == 0:
        raise ParameterError("ranks", "at least one scenario (row)", "0 rows")
    if isinstance(nominal, pd.Series):
        nominal = nominal.reindex(ranks.columns)
    return pd.DataFrame({"nominal": np.asarray(nominal), "mean": r.mean(axis=0), "median": np.median(r, axis=0),
                         "q05": np.quantile(r, 0.05, axis=0), "q95": np.quantile(r, 0.95, axis=0)},
                        index=ranks.columns)


def robust_ranks(table: pd.DataFrame, *, tolerance: float = 5) -> pd.Series:
    r"""Whether each unit's 5-95% rank interval lies within its nominal rank ± ``tolerance``.

    A unit is *robust* when, in at least 90% of the scenarios, it stays within ``tolerance`` places
    of its nominal rank: :math:`q_{05} \ge r - t` and :math:`q_{95} \le r + t`.

    Examples
    --------
    >>> t = pd.DataFrame({"nominal": [1, 2, 3], "q05": [1, 1, 2], "q95": [1, 9, 4]}, index=list("abc"))
    >>> robust_ranks(t, tolerance=5).tolist()
    [True, False, True]
    """
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not tolerance >= 0:
        raise ParameterError("tolerance", "a number of places >= 0", tolerance)
    nominal = table["nominal"].astype(float)
    return ((table["q05"] >= nominal - tolerance) & (table["q95"] <= nominal + tolerance)).rename("robust")


def neighbour_order(ranks: pd.DataFrame, units) -> np.ndarray:
    """For consecutive units of ``units`` (e.g. in nominal order), the share of scenarios in which the
    first ranks above (better than) the second.

    Parameters
    ----------
    ranks : pandas.DataFrame, shape (n_scenarios, n_units)
        :attr:`UncertaintyResult.ranks`.
    units : sequence of unit ids
        The order to test, best first.

    Returns
    -------
    numpy.ndarray, shape (len(units) - 1,)
        Ties count as not above.

    Examples
    --------
    >>> r = pd.DataFrame({"a": [1, 2, 1, 1], "b": [2, 1, 2, 2], "c": [3, 3, 3, 3]})
    >>> neighbour_order(r, ["a", "b", "c"]).tolist()
    [0.75, 1.0]
    """
    r = ranks[list(units)].to_numpy(dtype=float)
    return (r[:, :-1] < r[:, 1:]).mean(axis=0)


# --------------------------------------------------------------------------------------- wrappers


def prepare(dataset: Dataset, spec, *, method: dict | None = None) -> AuditDesign:
    """Validate ``spec`` against ``dataset`` and precompute the data of every discrete option.

    Parameters
    ----------
    dataset : Dataset
        The values and the indicator tree.
    spec : dict or path-like
        The uncertainty spec (module docstring) or the path of its JSON file.
    method : dict, optional
        The nominal method record; default ``dataset.method``.

    Returns
    -------
    AuditDesign

    Raises
    ------
    ParameterError
        A bad spec (naming the key), a target that is not an aggregate code, a perturbed level
        outside the audited subtree, an aggregation the vectorised engine cannot collapse.
    DataError
        Incomplete normalized data; a non-positive normalized value under a geometric option.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> spec = {"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}},
    ...                     "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}}}
    >>> design = prepare(toy, spec, method={"normalize": {"method": "minmax", "low": 1, "high": 100}})
    >>> res = design.rank_uncertainty(200, seed=1)
    >>> list(res.table.columns)
    ['nominal', 'mean', 'median', 'q05', 'q95']
    >>> bool((res.table["q05"] <= res.table["q95"]).all())
    True
    """
    if isinstance(spec, (str, Path)):
        spec = load_spec(spec)
    return AuditDesign(dataset, spec, method)


def rank_uncertainty(dataset: Dataset, spec, *, n: int | None = None, seed=None, method: dict | None = None,
                     return_ranks: bool = False, chunk_size: int | None = None) -> UncertaintyResult:
    """Monte Carlo rank uncertainty: :func:`prepare` then :meth:`AuditDesign.rank_uncertainty`."""
    return prepare(dataset, spec, method=method).rank_uncertainty(n, seed=seed, return_ranks=return_ranks,
                                                                  chunk_size=chunk_size)


def sensitivity(dataset: Dataset, spec, *, n: int = 512, seed=None, method: dict | None = None,
                n_boot: int = 1000, confidence: float = 0.95) -> SensitivityResult:
    """Sobol' indices of the rank shift: :func:`prepare` then :meth:`AuditDesign.sensitivity`."""
    return prepare(dataset, spec, method=method).sensitivity(n, seed=seed, n_boot=n_boot, confidence=confidence)
