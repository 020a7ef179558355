"""Tests of cityeval.audit.sobol: the Saltelli design, the Sobol' estimators, the Ishigami function.

Reference values:
- Ishigami function (a = 7, b = 0.1), analytic indices: tests/results/ishigami.py (Sobol' & Levitan 1999;
  Saltelli et al. 2010), recomputed here from the variance formulas of :func:`ishigami_indices`.
- scipy.stats.sobol_indices(func={"f_A": ..., "f_B": ..., "f_AB": ...}, n=n) (scipy >= 1.11): the
  same estimators on the same evaluations, to rounding.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose, assert_array_equal

from cityeval.audit import SobolIndices, ishigami, ishigami_indices, sobol_estimates, sobol_matrices
from cityeval.errors import DataError, ParameterError
from results import ishigami as ISHIGAMI

BAD_SEEDS = [-1, 1.5, True, 2**32, "1", np.float64(1.0), [1]]


def test_ishigami_analytic_indices():
    first, total = ishigami_indices(ISHIGAMI.A, ISHIGAMI.B)
    # the published values (4 decimals), recomputed from the variance formulas
    assert_allclose(first, ISHIGAMI.FIRST, atol=ISHIGAMI.DECIMALS_ATOL)
    assert_allclose(total, ISHIGAMI.TOTAL, atol=ISHIGAMI.DECIMALS_ATOL)
    # definition check: V = V1 + V2 + V13 (the only non-zero terms), so S1 + S2 + S13 = 1
    assert_allclose(first.sum() + (total[2] - first[2]), 1.0, rtol=1e-14)


def _ishigami_runs(n, seed):
    A, B = sobol_matrices(n, 3, seed=seed)
    f = lambda u: ishigami(-np.pi + 2 * np.pi * u)  # noqa: E731 - inputs uniform on [-pi, pi]
    f_AB = np.stack([f(np.where(np.arange(3) == i, B, A)) for i in range(3)])
    return f(A), f(B), f_AB


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_sobol_estimates_recover_ishigami(seed):
    n = 2**14
    f_A, f_B, f_AB = _ishigami_runs(n, seed)
    first, total = sobol_estimates(f_A, f_B, f_AB)
    exact_first, exact_total = ishigami_indices()
    # Tolerance from n: 4 standard errors of each estimator as a plain Monte Carlo mean (CLT), computed
    # from the evaluations themselves. Scrambled Sobol' points converge faster than plain MC, so this
    # bounds the error from above; it is about 0.02-0.04 at n = 2**14, and shrinks as 1/sqrt(n).
    mean = (f_A.mean() + f_B.mean()) / 2
    a, b, ab = f_A - mean, f_B - mean, f_AB - mean
    var = (np.mean(a * a) + np.mean(b * b)) / 2
    se_first = (b * (ab - a)).std(axis=1) / np.sqrt(n) / var
    se_total = (0.5 * (a - ab) ** 2).std(axis=1) / np.sqrt(n) / var
    assert np.all(np.abs(first - exact_first) <= 4 * se_first)
    assert np.all(np.abs(total - exact_total) <= 4 * se_total)
    assert se_first.max() < 0.02 and se_total.max() < 0.02     # the bound is tight enough to mean something


def test_sobol_estimates_equal_scipy():
    n = 2**10
    f_A, f_B, f_AB = _ishigami_runs(n, 3)
    # two outputs: the function and its square, to check the output axis
    fa, fb, fab = np.stack([f_A, f_A**2]), np.stack([f_B, f_B**2]), np.stack([f_AB, f_AB**2], axis=1)
    ref = scipy.stats.sobol_indices(func={"f_A": fa, "f_B": fb, "f_AB": fab}, n=n)
    first, total = sobol_estimates(fa, fb, fab)                # (d, s); scipy gives (s, d)
    assert_allclose(first, ref.first_order.T, rtol=1e-12, atol=1e-14)
    assert_allclose(total, ref.total_order.T, rtol=1e-12, atol=1e-14)


def test_sobol_estimates_constant_output_is_zero():
    first, total = sobol_estimates(np.ones(8), np.ones(8), np.ones((2, 8)))
    assert_array_equal(first, 0.0)
    assert_array_equal(total, 0.0)
    with pytest.raises(ParameterError, match="shapes"):
        sobol_estimates(np.ones(8), np.ones(7), np.ones((2, 8)))


def test_sobol_matrices_of_any_size_warn_when_unbalanced():
    # issue 16: n = 100 (COINr's examples) runs, with one warning of ours in place of scipy's
    import warnings

    from cityeval.audit.sobol import UnbalancedSobolWarning, balance_note

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        A100, B100 = sobol_matrices(100, 3, seed=1)
    assert [type(w.message) for w in caught] == [UnbalancedSobolWarning]
    assert str(caught[0].message) == balance_note(100) and "64 or 128" in balance_note(100)
    assert A100.shape == B100.shape == (100, 3) and 0 <= A100.min() and A100.max() < 1
    # the first 64 points are those of the balanced design of 64 (one scrambled sequence)
    assert_array_equal(A100[:64], sobol_matrices(64, 3, seed=1)[0])
    with pytest.raises(ParameterError, match="n should be a whole number >= 1"):
        sobol_matrices(0, 3, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # a power of 2 warns nothing
        sobol_matrices(64, 3, seed=1)
    A, B = sobol_matrices(64, 3, seed=1)
    assert A.shape == B.shape == (64, 3) and 0 <= A.min() and A.max() < 1
    assert_array_equal(sobol_matrices(64, 3, seed=1)[0], A)


# ------------------------------------------------------------------------------- named results, checks


def test_indices_are_a_named_result():
    res = ishigami_indices()
    assert isinstance(res, SobolIndices) and res._fields == ("first", "total")
    est = sobol_estimates(np.arange(8.0), np.arange(8.0)[::-1], np.stack([np.arange(8.0)]))
    assert isinstance(est, SobolIndices) and est.first.shape == (1,)


@pytest.mark.parametrize("where", ["f_A", "f_B", "f_AB"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_sobol_estimates_refuse_non_finite_evaluations(where, bad):
    # a NaN evaluation made every index NaN, which the old code reported as 0 (silently wrong)
    runs = {"f_A": np.arange(8.0), "f_B": np.arange(8.0)[::-1].copy(), "f_AB": np.stack([np.arange(8.0) ** 2])}
    runs[where].flat[3] = bad
    with pytest.raises(DataError, match=f"{where}: model evaluations must be finite"):
        sobol_estimates(runs["f_A"], runs["f_B"], runs["f_AB"])


def test_sobol_matrices_arguments_are_checked():
    for seed in BAD_SEEDS:
        with pytest.raises(ParameterError, match=r"^seed should be a whole number between 0 and 2\*\*32 - 1 or None"):
            sobol_matrices(8, 2, seed=seed)
    for seed in (0, 2**32 - 1, np.int64(5)):
        assert sobol_matrices(8, 2, seed=seed)[0].shape == (8, 2)
    assert not np.array_equal(sobol_matrices(8, 2)[0], sobol_matrices(8, 2)[0])   # None: fresh entropy
    for n in (0, -8, 8.0, True, "8"):
        with pytest.raises(ParameterError, match=r"^n should be"):
            sobol_matrices(n, 2, seed=1)
    for d in (0, 2.0, True, None):
        with pytest.raises(ParameterError, match=r"^d should be a whole number >= 1"):
            sobol_matrices(8, d, seed=1)


def test_ishigami_arguments_are_checked():
    # the old code raised IndexError / TypeError or returned numbers for these
    for x in ([1.0, 2.0, 3.0], np.ones((4, 2)), np.ones((2, 3, 1)), [["a", "b", "c"]]):
        with pytest.raises(ParameterError, match=r"^x should be"):
            ishigami(x)
    for kw in ({"a": "7"}, {"b": True}, {"a": np.nan}, {"b": None}):
        with pytest.raises(ParameterError, match=rf"^{next(iter(kw))} should be a finite number"):
            ishigami(np.zeros((1, 3)), **kw)
        with pytest.raises(ParameterError, match=rf"^{next(iter(kw))} should be a finite number"):
            ishigami_indices(**kw)
    # hand value: sin(pi/2) + 7 sin^2(pi/2) + 0.1 * 1^4 * sin(pi/2) = 8.1
    assert_allclose(ishigami([[np.pi / 2, np.pi / 2, 1.0]]), [8.1], rtol=1e-15)
