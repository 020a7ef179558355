r"""Data envelopment analysis: CCR and BCC, input or output oriented, and the 1-D frontier.

Re-exported by :mod:`cityeval.analysis.efficiency`; import from there.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_choice, check_frame

__all__ = ["dea", "scale_efficiency", "frontier_1d", "EFFICIENT_TOL", "RETURNS", "ORIENTATIONS"]

#: A unit is (radially) efficient when its efficiency is at least ``1 - EFFICIENT_TOL``.
EFFICIENT_TOL = 1e-9
#: Returns to scale: "crs" (CCR, Charnes, Cooper & Rhodes 1978), "vrs" (BCC, Banker, Charnes & Cooper 1984).
RETURNS = ("crs", "vrs")
ORIENTATIONS = ("input", "output")
# Slacks (on data scaled to column mean 1) and intensities below these are zero: HiGHS solves to
# feasibility/optimality tolerances of about 1e-7, so a smaller value would report solver noise.
_SLACK_TOL = 1e-6
_LAMBDA_TOL = 1e-9


# --------------------------------------------------------------------------- checks


def _as_frame(data, name: str) -> pd.DataFrame:
    if isinstance(data, pd.Series):
        return data.to_frame(name=data.name if data.name is not None else name)
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(name, "a pandas DataFrame (rows = units, columns = variables) or Series",
                             Shown(type(data).__name__))
    return data


_WHY_COMPLETE = "DEA compares every unit with all the others; impute first"


def _values(frame: pd.DataFrame, name: str, what: str) -> np.ndarray:
    return check_frame(frame, name=name, rows="unit", columns=what, complete=True, unique_index=True,
                       why=_WHY_COMPLETE)


def _check_data(inputs, outputs, orientation):
    """(inputs frame, outputs frame aligned to it, X, Y) after every documented check."""
    inputs = _as_frame(inputs, "inputs")
    outputs = _as_frame(outputs, "outputs")
    x = _values(inputs, "inputs", "input")
    _values(outputs, "outputs", "output")
    if not inputs.index.equals(outputs.index):
        only_in = inputs.index.difference(outputs.index)
        only_out = outputs.index.difference(inputs.index)
        if len(only_in) or len(only_out):
            raise DataError(None, "inputs and outputs must describe the same units",
                            detail=f"only in inputs: {list(map(str, only_in[:5]))}"
                                   f"{' ...' if len(only_in) > 5 else ''}; "
                                   f"only in outputs: {list(map(str, only_out[:5]))}"
                                   f"{' ...' if len(only_out) > 5 else ''}")
        outputs = outputs.loc[inputs.index]  # same units, other order: align to the inputs' order
    y = outputs.to_numpy(dtype=float)
    nonpos = x <= 0
    if nonpos.any():
        i, j = np.argwhere(nonpos)[0]
        raise DataError(None, "DEA needs every input > 0 (a zero input makes the radial contraction "
                        "meaningless and is, for a normalized score, an artefact of where the scale starts); "
                        "rescale the input onto a positive range, e.g. min-max onto [1, 100]",
                        column=str(inputs.columns[j]),
                        detail=f"unit {inputs.index[i]!r} has {x[i, j]:g}; {int(nonpos.sum())} such value(s)")
    neg = y < 0
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise DataError(None, "DEA needs every output >= 0", column=str(outputs.columns[j]),
                        detail=f"unit {outputs.index[i]!r} has {y[i, j]:g}; {int(neg.sum())} such value(s)")
    if not (y > 0).any():
        raise DataError(None, "DEA needs some positive output: every output of every unit is 0",
                        detail=f"columns {', '.join(map(str, outputs.columns))}")
    if orientation == "output":
        none = ~(y > 0).any(axis=1)
        if none.any():
            i = int(np.argmax(none))
            raise DataError(None, "output-oriented DEA needs every unit to have some output > 0 (the output "
                            "expansion factor of a unit that produces nothing is unbounded); use "
                            "orientation='input'", detail=f"unit {outputs.index[i]!r} has only zero outputs")
    return inputs, outputs, x, y


def _fingerprint(units, x: np.ndarray, y: np.ndarray) -> str:
    """A digest of the (unique) units and the values DEA solved on, whatever the order of the rows:
    :func:`frontier_1d` compares it to tell a ``result`` of other data (other values, another scale)
    from one of its own ``x`` and ``y``."""
    keys = [repr(u) for u in units]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    digest = hashlib.sha256(repr([keys[i] for i in order]).encode("utf-8"))
    for a in (x, y):
        a = np.ascontiguousarray(np.asarray(a, dtype=float).reshape(len(keys), -1)[order])
        digest.update(repr(a.shape).encode("ascii"))
        digest.update(a.tobytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------- DEA


def _solve(c, a_ub, b_ub, a_eq, b_eq, bounds, unit, stage):
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:  # cannot happen for checked data: the unit itself (lambda = e_o) is feasible
        raise RuntimeError(f"DEA {stage} LP for unit {unit!r} failed: {res.message}")
    return res


# Above this many units the stacked LPs (n^2 intensity variables each) are left for the per-unit loop,
# whose memory grows with n only: 2,000 units make about 4 million variables per stacked LP.
_STACK_MAX_UNITS = 2000


def _dea_stacked(xs, ys, orientation, vrs, a_eq2, c2):
    """Every unit's phase I, then every unit's phase II, each as one block-diagonal LP.

    The LPs of the units share no variable, so the stacked LP is optimal exactly when each block
    is (the optimality conditions are per column): one HiGHS call per phase instead of one per
    unit, with the same solver and tolerances. Returns ``(factor, x2)`` (the radial factors, and
    the phase-II solutions, one row per unit) or None when either stacked LP does not solve
    cleanly (e.g. a phase-II factor on the tolerance edge), and the caller then solves unit by
    unit with its per-unit remedies.
    """
    n, m = xs.shape
    s = ys.shape[1]
    eye = sparse.identity(n, format="csr")
    rows = np.arange(n * (m + s)).reshape(n, m + s)
    if orientation == "input":
        # block o: X' lambda_o - theta_o x_o <= 0,  -Y' lambda_o <= -y_o
        col = sparse.csr_matrix((-xs.ravel(), (rows[:, :m].ravel(), np.repeat(np.arange(n), m))),
                                shape=(n * (m + s), n))
        b_ub = np.hstack([np.zeros((n, m)), -ys]).ravel()
        c, bounds = np.concatenate([np.ones(n), np.zeros(n * n)]), [(0, None)] * (n + n * n)
    else:
        # block o: X' lambda_o <= x_o,  phi_o y_o - Y' lambda_o <= 0
        col = sparse.csr_matrix((ys.ravel(), (rows[:, m:].ravel(), np.repeat(np.arange(n), s))),
                                shape=(n * (m + s), n))
        b_ub = np.hstack([xs, np.zeros((n, s))]).ravel()
        c, bounds = np.concatenate([-np.ones(n), np.zeros(n * n)]), [(1, None)] * n + [(0, None)] * (n * n)
    a_ub = sparse.hstack([col, sparse.kron(eye, sparse.csr_matrix(np.vstack([xs.T, -ys.T])))], format="csr")
    a_eq = b_eq = None
    if vrs:
        a_eq = sparse.hstack([sparse.csr_matrix((n, n)), sparse.kron(eye, sparse.csr_matrix(np.ones((1, n))))],
                             format="csr")
        b_eq = np.ones(n)
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        return None
    if orientation == "input":
        factor = np.minimum(res.x[:n], 1.0)          # theta <= 1: lambda = e_o is feasible
        rhs = np.hstack([factor[:, None] * xs, ys])
    else:
        factor = np.maximum(res.x[:n], 1.0)
        rhs = np.hstack([xs, factor[:, None] * ys])
    if vrs:
        rhs = np.hstack([rhs, np.ones((n, 1))])
    k = a_eq2.shape[1]
    res2 = linprog(np.tile(c2, n), A_eq=sparse.kron(eye, sparse.csr_matrix(a_eq2), format="csr"),
                   b_eq=rhs.ravel(), bounds=[(0, None)] * (n * k), method="highs")
    if res2.status != 0:
        return None
    return factor, res2.x.reshape(n, k)


def _dea_arrays(x, y, units, orientation, returns):
    """Phase I (radial factor) and phase II (max slacks) for every unit, on column-scaled data."""
    n, m = x.shape
    s = y.shape[1]
    # DEA is units invariant: scaling a column by a constant leaves every theta unchanged. Scaling each
    # column to mean 1 only improves the LPs' conditioning; it also makes the phase-II slack sum
    # units invariant (slacks are reported back in the data's own units).
    sx, sy = x.mean(axis=0), y.mean(axis=0)
    sy = np.where(sy > 0, sy, 1.0)
    xs, ys = x / sx, y / sy
    vrs = returns == "vrs"
    theta = np.empty(n)
    lam = np.zeros((n, n))
    slack_in, slack_out = np.zeros((n, m)), np.zeros((n, s))
    # phase II variables: lambda (n), input slacks (m), output slacks (s); maximize their slack sum
    c2 = np.concatenate([np.zeros(n), -np.ones(m + s)])
    a_eq2 = np.block([[xs.T, np.eye(m), np.zeros((m, s))],
                      [ys.T, np.zeros((s, m)), -np.eye(s)]])
    if vrs:
        a_eq2 = np.vstack([a_eq2, np.concatenate([np.ones(n), np.zeros(m + s)])])
    a_eq1 = np.concatenate([[0.0], np.ones(n)])[None, :] if vrs else None
    b_eq1 = [1.0] if vrs else None
    solved = _dea_stacked(xs, ys, orientation, vrs, a_eq2, c2) if n <= _STACK_MAX_UNITS else None
    for o in (range(0) if solved is not None else range(n)):
        # phase I, variables (factor, lambda_1..n)
        if orientation == "input":
            # min theta  s.t.  X' lambda - theta x_o <= 0,  -Y' lambda <= -y_o
            a_ub = np.vstack([np.column_stack([-xs[o], xs.T]), np.column_stack([np.zeros(s), -ys.T])])
            b_ub = np.concatenate([np.zeros(m), -ys[o]])
            res = _solve(np.concatenate([[1.0], np.zeros(n)]), a_ub, b_ub, a_eq1, b_eq1,
                         [(0, None)] + [(0, None)] * n, units[o], "phase I")
            factor = min(res.x[0], 1.0)  # theta <= 1: lambda = e_o is feasible
            rhs = np.concatenate([factor * xs[o], ys[o]])
        else:
            # max phi  s.t.  X' lambda <= x_o,  phi y_o - Y' lambda <= 0
            a_ub = np.vstack([np.column_stack([np.zeros(m), xs.T]), np.column_stack([ys[o], -ys.T])])
            b_ub = np.concatenate([xs[o], np.zeros(s)])
            res = _solve(np.concatenate([[-1.0], np.zeros(n)]), a_ub, b_ub, a_eq1, b_eq1,
                         [(1, None)] + [(0, None)] * n, units[o], "phase I")
            factor = max(res.x[0], 1.0)
            rhs = np.concatenate([xs[o], factor * ys[o]])
        b_eq2 = np.concatenate([rhs, [1.0]]) if vrs else rhs
        res2 = linprog(c2, A_eq=a_eq2, b_eq=b_eq2, bounds=[(0, None)] * (n + m + s), method="highs")
        if res2.status == 2:  # phase I's factor sits on the solver's tolerance edge: give it 1e-9 of room
            relax = (1 + 1e-9) if orientation == "input" else (1 - 1e-9)
            rhs = np.concatenate([factor * relax * xs[o], ys[o]]) if orientation == "input" \
                else np.concatenate([xs[o], factor * relax * ys[o]])
            b_eq2 = np.concatenate([rhs, [1.0]]) if vrs else rhs
            res2 = _solve(c2, None, None, a_eq2, b_eq2, [(0, None)] * (n + m + s), units[o], "phase II")
        elif res2.status != 0:
            raise RuntimeError(f"DEA phase II LP for unit {units[o]!r} failed: {res2.message}")
        theta[o] = factor if orientation == "input" else 1.0 / factor
        lam[o] = res2.x[:n]
        slack_in[o] = res2.x[n:n + m]
        slack_out[o] = res2.x[n + m:]
    if solved is not None:
        factor, x2 = solved
        theta = factor if orientation == "input" else 1.0 / factor
        lam, slack_in, slack_out = x2[:, :n], x2[:, n:n + m], x2[:, n + m:]
    slack_in = np.where(slack_in > _SLACK_TOL, slack_in, 0.0)
    slack_out = np.where(slack_out > _SLACK_TOL, slack_out, 0.0)
    return theta, lam, slack_in * sx, slack_out * sy, (slack_in > 0).any(axis=1) | (slack_out > 0).any(axis=1)


def dea(inputs, outputs, *, orientation: str = "input", returns: str = "crs") -> pd.DataFrame:
    r"""Data envelopment analysis (CCR or BCC), envelopment form, one LP per unit (solved stacked).

    Parameters
    ----------
    inputs : pandas.DataFrame, shape (n_units, n_inputs), or pandas.Series
        Inputs, every value > 0 (see Notes), no missing values. Rows are units.
    outputs : pandas.DataFrame, shape (n_units, n_outputs), or pandas.Series
        Outputs, every value >= 0 and at least one > 0, no missing values; the same
        units as ``inputs`` (in any order: the result follows ``inputs``' order).
    orientation : {"input", "output"}, default "input"
        ``"input"``: the proportion θ to which a unit's inputs could shrink while
        its outputs are still produced. ``"output"``: the factor φ by which its
        outputs could grow with its inputs; reported as the efficiency 1/φ.
    returns : {"crs", "vrs"}, default "crs"
        Constant returns to scale (CCR) or variable returns to scale (BCC).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``inputs.index``, in its order, with columns

        * ``efficiency`` — θ* (input) or 1/φ* (output), in (0, 1]; exactly 1 for an
          efficient unit (values within ``EFFICIENT_TOL`` of 1 are set to 1); 0 only
          for a unit whose outputs are all 0, under CRS;
        * ``efficient`` — ``efficiency >= 1 - EFFICIENT_TOL`` (radial, or "weak", efficiency);
        * ``pareto_efficient`` — efficient and every slack 0 (CCR/BCC efficiency in
          Cooper, Seiford & Tone's Definition 3.2: no input can be cut and no output
          raised any further);
        * ``peers`` — tuple of the units with λ_j > 0 in the phase-II solution (the
          reference set). A Pareto-efficient unit is its own and only peer (λ_o = 1
          is an optimal solution; another unit with identical data would be too);
        * ``lambda_sum`` — Σ_j λ_j of that solution (1 under VRS);
        * ``input_slack:<column>``, ``output_slack:<column>`` — the phase-II slacks in
          the data's units: input excess and output shortfall left after the radial move.

        ``attrs`` holds ``orientation``, ``returns`` and ``fingerprint`` (a digest of the units and
        the values solved on, which :func:`frontier_1d` checks).

    Raises
    ------
    ParameterError
        A bad ``orientation``/``returns`` or a table that is not a DataFrame/Series.
    DataError
        Naming the unit and column: a missing, non-numeric or infinite value; an
        input <= 0; a negative output; inputs and outputs with different units;
        all outputs zero; for ``orientation="output"``, a unit with no positive output.

    Notes
    -----
    For each unit o, input orientation (phase I):

    .. math::
        \theta^*_o = \min_{\theta, \lambda \ge 0} \theta \quad \text{s.t.} \quad
        \sum_j \lambda_j x_{ij} \le \theta x_{io} \;\; \forall i, \qquad
        \sum_j \lambda_j y_{rj} \ge y_{ro} \;\; \forall r,

    plus :math:`\sum_j \lambda_j = 1` for VRS (BCC). Output orientation:
    :math:`\max \varphi` s.t. :math:`\sum_j \lambda_j x_{ij} \le x_{io}`,
    :math:`\sum_j \lambda_j y_{rj} \ge \varphi y_{ro}` (plus the convexity
    constraint for VRS); under CRS :math:`1/\varphi^* = \theta^*`. Phase II fixes
    the factor at its optimum and maximizes the sum of the slacks
    :math:`s^-_i = \theta^* x_{io} - \sum_j \lambda_j x_{ij}` and
    :math:`s^+_r = \sum_j \lambda_j y_{rj} - y_{ro}` (Cooper, Seiford & Tone 2007,
    §3.3), computed on data scaled to column mean 1 so that it does not depend on
    the units of measurement. Slacks below 1e-6 (scaled) and λ below 1e-9 are
    treated as 0: HiGHS solves to tolerances of about 1e-7.

    All units' LPs of a phase are solved as one block-diagonal LP (the blocks share no variable,
    so each unit's optimum is the one it has alone), one unit at a time above
    ``_STACK_MAX_UNITS`` units or if a stacked LP fails. Where a unit's phase II has several
    optimal solutions, λ (and ``peers``) is the one HiGHS reaches, which can differ between the
    two ways of solving; θ, the slack totals and the flags do not.

    Properties: efficiencies are invariant to the units of measurement of any
    input or output (multiplying a column by a constant); VRS efficiency >= CRS
    efficiency; every model has at least one efficient unit. Scores are relative
    to the set of units: adding or removing a unit can change everyone's score.
    Translation (adding a constant to a column): CRS efficiencies change; VRS
    input-oriented efficiencies are invariant to translating outputs (VRS
    output-oriented, to translating inputs), and the set of VRS-efficient units
    to translating either, while the inputs stay positive (Ali & Seiford 1990;
    Pastor 1996; :func:`translation_dependence`).

    Data decisions: DEA needs positive data (Cooper, Seiford & Tone 2007, §2.2).
    A zero **input** is refused rather than shifted: the radial contraction
    θ·x has nothing to contract, and for a normalized score a zero only says where
    the scale starts (min-max puts the worst unit at 0), so any shift would be an
    arbitrary choice that changes CRS scores (CRS is not translation invariant).
    Rescale such an input onto a positive range explicitly. A zero **output** is
    allowed (a unit that produced none of it).

    References
    ----------
    Charnes, A., Cooper, W. W., & Rhodes, E. (1978). Measuring the efficiency of
    decision making units. *European Journal of Operational Research*, 2(6), 429–444.
    Banker, R. D., Charnes, A., & Cooper, W. W. (1984). Some models for estimating
    technical and scale inefficiencies in data envelopment analysis. *Management
    Science*, 30(9), 1078–1092.
    Ali, A. I., & Seiford, L. M. (1990). Translation invariance in data envelopment
    analysis. *Operations Research Letters*, 9(6), 403–405.
    Pastor, J. T. (1996). Translation invariance in data envelopment analysis: a
    generalization. *Annals of Operations Research*, 66, 91–102.
    Cooper, W. W., Seiford, L. M., & Tone, K. (2007). *Data Envelopment Analysis: A
    Comprehensive Text with Models, Applications, References and DEA-Solver
    Software* (2nd ed.). Springer. Chapters 3 (CCR) and 4 (BCC).

    Examples
    --------
    One input, one output: under CRS the efficiency is (y/x) / max(y/x).

    >>> import pandas as pd
    >>> x = pd.Series([2.0, 3.0, 6.0], index=["a", "b", "c"], name="input")
    >>> y = pd.Series([1.0, 3.0, 4.0], index=["a", "b", "c"], name="output")
    >>> dea(x, y)["efficiency"].round(4).to_dict()
    {'a': 0.5, 'b': 1.0, 'c': 0.6667}
    >>> dea(x, y, returns="vrs")["efficient"].to_dict()
    {'a': True, 'b': True, 'c': True}
    """
    check_choice("orientation", orientation, ORIENTATIONS)
    check_choice("returns", returns, RETURNS)
    inputs, outputs, x, y = _check_data(inputs, outputs, orientation)
    units = inputs.index
    theta, lam, s_in, s_out, has_slack = _dea_arrays(x, y, units, orientation, returns)
    efficient = theta >= 1 - EFFICIENT_TOL
    pareto = efficient & ~has_slack
    theta = np.where(efficient, 1.0, theta)
    peers = []
    for o in range(len(units)):
        if pareto[o]:
            peers.append((units[o],))
            lam[o] = 0.0
            lam[o, o] = 1.0
        else:
            peers.append(tuple(units[np.flatnonzero(lam[o] > _LAMBDA_TOL)]))
    out = pd.DataFrame({"efficiency": theta, "efficient": efficient, "pareto_efficient": pareto,
                        "peers": pd.Series(peers, index=units, dtype=object).to_numpy(),
                        "lambda_sum": lam.sum(axis=1)}, index=units)
    for j, col in enumerate(inputs.columns):
        out[f"input_slack:{col}"] = s_in[:, j]
    for j, col in enumerate(outputs.columns):
        out[f"output_slack:{col}"] = s_out[:, j]
    # frontier_1d(result=...) checks them
    out.attrs.update(orientation=orientation, returns=returns, fingerprint=_fingerprint(units, x, y))
    return out


def scale_efficiency(inputs, outputs, *, orientation: str = "input") -> pd.DataFrame:
    r"""CRS and VRS efficiency side by side, and scale efficiency = CRS / VRS.

    Parameters
    ----------
    inputs, outputs, orientation
        As for :func:`dea`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``inputs.index``: ``crs``, ``vrs`` (efficiencies), ``scale``
        (``crs / vrs``, in [0, 1]; 1 when the unit operates at the most productive
        scale size), ``crs_efficient``, ``vrs_efficient`` (radial), ``crs_peers``,
        ``vrs_peers``.

    Notes
    -----
    :math:`SE_o = \theta^{CCR}_o / \theta^{BCC}_o` (Banker, Charnes & Cooper 1984;
    Cooper, Seiford & Tone 2007, §4.5): the share of a unit's CRS inefficiency not
    explained by its pure technical (VRS) inefficiency, i.e. due to its size.
    Whether a scale-inefficient unit is too small or too large (the returns to
    scale at its projection) is not reported: it needs the extra LPs that resolve
    multiple optimal λ (Cooper, Seiford & Tone 2007, §4.6).

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series([2.0, 3.0, 6.0], index=["a", "b", "c"])
    >>> y = pd.Series([1.0, 3.0, 4.0], index=["a", "b", "c"])
    >>> scale_efficiency(x, y)["scale"].round(4).to_dict()
    {'a': 0.5, 'b': 1.0, 'c': 0.6667}
    """
    crs = dea(inputs, outputs, orientation=orientation, returns="crs")
    vrs = dea(inputs, outputs, orientation=orientation, returns="vrs")
    return pd.DataFrame({"crs": crs["efficiency"], "vrs": vrs["efficiency"],
                         "scale": np.clip(crs["efficiency"] / vrs["efficiency"], 0.0, 1.0),
                         "crs_efficient": crs["efficient"], "vrs_efficient": vrs["efficient"],
                         "crs_peers": crs["peers"], "vrs_peers": vrs["peers"]}, index=crs.index)


def frontier_1d(x, y, *, returns: str = "vrs", result: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""The DEA frontier of one input and one output, as a polyline to draw on a scatter.

    Parameters
    ----------
    x, y : pandas.Series
        The input (> 0) and the output (>= 0) of each unit, the same units (each once), complete.
    returns : {"crs", "vrs"}, default "vrs"
    result : pandas.DataFrame, optional
        What ``dea(x, y, returns=returns)`` (input orientation) returned, when it has been computed
        already from the same ``x`` and ``y``; its units and its ``attrs`` (``returns``,
        ``orientation``, and ``fingerprint``: the values it was solved on must be these ``x`` and
        ``y``) are checked. Default: computed here.

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``y``, ``unit`` (the efficient unit at a vertex; empty at the
        ends), in drawing order. CRS: the ray from the origin through the units
        with the largest y/x, to the largest x. VRS: from (x_min, 0) straight up to
        the unit with the smallest input, through the Pareto-efficient units in
        order of input, then level to the largest x (free disposal).

    Raises
    ------
    ParameterError
        ``x`` or ``y`` not a Series, ``y`` for other units than ``x``, a bad ``returns``, or a
        ``result`` that is not what :func:`dea` returned for these ``x``, ``y`` and ``returns``.
    DataError
        As for :func:`dea` (a missing or infinite value, an input <= 0, a negative output, a repeated
        unit), whether or not ``result`` is given.

    Notes
    -----
    The vertices are the Pareto-efficient units of :func:`dea` (input
    orientation), so the line and the efficiencies come from the same LPs: a
    unit's input-oriented efficiency is the frontier's x at its output divided by
    its x.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.Series([2.0, 3.0, 6.0, 5.0], index=list("abcd"))
    >>> y = pd.Series([1.0, 3.0, 4.0, 2.0], index=list("abcd"))
    >>> frontier_1d(x, y)[["x", "y"]].values.tolist()
    [[2.0, 0.0], [2.0, 1.0], [3.0, 3.0], [6.0, 4.0], [6.0, 4.0]]
    """
    for name, v in (("x", x), ("y", y)):
        if not isinstance(v, pd.Series):
            raise ParameterError(name, "a pandas Series (one value per unit)", Shown(type(v).__name__))
    check_choice("returns", returns, RETURNS)
    if len(y) != len(x) or set(y.index) != set(x.index):
        raise ParameterError("y", "a Series with the same units as x (one output per unit)",
                             Shown(f"a Series of {len(y)} units, {len(set(y.index) ^ set(x.index))} not shared "
                                   f"with x's {len(x)}"))
    # the checks of dea (finite values, inputs > 0, outputs >= 0, each unit once), with or without a result
    _check_data(x.rename("input"), y.rename("output"), "input")
    if result is None:
        res = dea(x.rename("input"), y.rename("output"), returns=returns)
    elif not isinstance(result, pd.DataFrame) or "pareto_efficient" not in result.columns \
            or len(result) != len(x) or set(result.index) != set(x.index) \
            or result.attrs.get("returns") != returns or result.attrs.get("orientation") != "input":
        got = (f"a result with returns={result.attrs.get('returns')!r}, orientation={result.attrs.get('orientation')!r} "
               f"for {len(result)} units" if isinstance(result, pd.DataFrame) else Shown(type(result).__name__))
        raise ParameterError("result", f"what dea(x, y, returns={returns!r}) (input orientation) returned for the "
                             "same units", got)
    elif result.attrs.get("fingerprint") != _fingerprint(result.index, x.loc[result.index].to_numpy(dtype=float),
                                                         y.loc[result.index].to_numpy(dtype=float)):
        raise ParameterError("result", f"what dea(x, y, returns={returns!r}) returned for these x and y",
                             Shown("a result solved on other values of x or y"))
    else:
        res = result.loc[x.index]
    xs, ys = x.astype(float), y.loc[x.index].astype(float)
    eff = res.index[res["pareto_efficient"].to_numpy()]
    if returns == "crs":
        ratio = (ys / xs).max()
        top = eff[0]
        return pd.DataFrame({"x": [0.0, float(xs.loc[top]), float(xs.max())],
                             "y": [0.0, float(ys.loc[top]), float(ratio * xs.max())], "unit": ["", top, ""]})
    verts = pd.DataFrame({"x": xs.loc[eff], "y": ys.loc[eff], "unit": eff}).sort_values(["x", "y"], kind="stable")
    first, last = verts.iloc[0], verts.iloc[-1]
    ends = pd.DataFrame({"x": [first["x"], max(float(xs.max()), last["x"])], "y": [0.0, last["y"]], "unit": ["", ""]})
    return pd.concat([ends.iloc[:1], verts, ends.iloc[1:]], ignore_index=True)
