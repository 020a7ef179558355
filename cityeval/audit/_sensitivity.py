"""The Sobol' analysis of an audit design: the Saltelli design run chunk by chunk, the indices and their bootstrap.

:meth:`cityeval.audit.design.AuditDesign.sensitivity` checks its arguments and the memory estimate, then calls
:func:`saltelli_run`. The design's rows A, B and the :math:`A_B^{(i)}` pages (A with the columns of input
:math:`i` from B) are ranked in chunks; with a weight pool, the pool of the seed
(:meth:`~cityeval.audit.design.AuditDesign.weight_pool`) is drawn once and its pick is one input.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cityeval.audit.results import SensitivityResult
from cityeval.audit.sizes import BOOT_BYTES
from cityeval.audit.sobol import bootstrap_estimates, pooled_rank_indices, sobol_estimates, sobol_matrices
from cityeval.progress import progress

__all__ = ["saltelli_run"]


def saltelli_run(design, n: int, seed: int, *, n_boot: int, confidence: float, chunk: int) -> SensitivityResult:
    """First-order and total Sobol' indices of ``design`` from ``n`` rows of A and B (arguments already checked).

    ``n`` need not be a power of 2: :func:`~cityeval.audit.sobol.sobol_matrices` then warns with the
    estimator's caveat (:func:`~cityeval.audit.sobol.balance_note`), also the result's ``note``.
    """
    A, B = sobol_matrices(n, design.dimension, seed=seed)   # warns when n is not a power of 2
    pool = design.weight_pool(seed)
    d = len(design.factors)
    pages = [A, B]
    for name in design.factors:
        ab = A.copy()
        ab[:, design._columns[name]] = B[:, design._columns[name]]
        pages.append(ab)
    u = np.concatenate(pages)
    del pages, A, B
    n_units = len(design.units)
    ranks = np.empty((len(u), n_units), dtype=np.float64)
    with progress(total=len(u) + n_boot, desc="audit: Sobol' runs and bootstrap", unit="run") as bar:
        for lo in range(0, len(u), chunk):
            ranks[lo:lo + chunk] = design.evaluate(design.decode(u[lo:lo + chunk], pool=pool))
            bar.update(len(ranks[lo:lo + chunk]))
        evaluations = len(u)
        del u
        ranks = ranks.reshape(d + 2, n, n_units)
        y = np.abs(ranks - design.nominal_rank).mean(axis=2)
        first, total = sobol_estimates(y[0], y[1], y[2:])
        rank_first, rank_total = pooled_rank_indices(ranks)      # units' ranks, pooled
        del ranks
        lo_hi = np.full((4, d), np.nan)
        if n_boot:
            bf, bt = bootstrap_estimates(y, n_boot, np.random.default_rng([seed, 1]), max_bytes=BOOT_BYTES, bar=bar)
            alpha = (1 - confidence) / 2
            lo_hi = np.vstack([np.quantile(b, [alpha, 1 - alpha], axis=1) for b in (bf, bt)])
        table = pd.DataFrame({"first": first, "total": total, "first_lo": lo_hi[0], "first_hi": lo_hi[1],
                              "total_lo": lo_hi[2], "total_hi": lo_hi[3], "rank_first": rank_first,
                              "rank_total": rank_total}, index=pd.Index(design.factors, name="input"))
    return SensitivityResult(indices=table, n=n, evaluations=evaluations, confidence=confidence, seed=seed)
