"""The Monte Carlo loop of the audit: chunks of scenarios scored, ranked and counted, on several threads.

:meth:`cityeval.audit.design.AuditDesign.rank_uncertainty` calls :func:`monte_carlo`. The uniform numbers
of every chunk are drawn in order on the calling thread (one stream of the seed, the same numbers for any
chunk size: a generator's ``random((a, d))`` then ``random((b, d))`` is its ``random((a + b, d))``); the
chunks are then scored, ranked and counted by a pool of worker threads (numpy's matrix products, sorts and
element-wise passes release the GIL; BLAS is held to one thread per worker, so that the workers, not
BLAS, share the cores). Each scenario's rank shift, options and ranks go to their own rows; the rank
histograms are integer counts, one per worker, added at the end. The result is therefore the same, to the
bit, for any chunk size and any number of workers (the tests check both).

Memory is bounded by the chunk whatever ``n`` is: at most ``2 * workers`` chunks are in flight, each
holding about :data:`~cityeval.audit.sizes.WORKING_BUFFERS` score buffers, plus one histogram of
``units x (units + 1)`` counts per worker (:func:`cityeval.audit.sizes.audit_memory` counts them).
"""
from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from cityeval.progress import progress
from cityeval.validation import check_integer

__all__ = ["monte_carlo", "default_workers"]


def default_workers() -> int:
    """The cores this process may run on (``os.sched_getaffinity``, else ``os.cpu_count()``), at least 1.

    >>> default_workers() >= 1
    True
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


def check_workers(workers) -> int:
    """``workers`` as a whole number >= 1; None means :func:`default_workers`."""
    if workers is None:
        return default_workers()
    return check_integer("workers", workers, low=1)


def _one_thread_blas():
    """A context in which BLAS (and OpenMP) use one thread: the workers share the cores instead."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def monte_carlo(design, n: int, seed: int, *, chunk: int, return_ranks: bool, workers: int):
    """Score, rank and count ``n`` scenarios of ``design`` drawn with ``seed``, ``chunk`` at a time.

    Returns
    -------
    counts : int64 array (units, bins)
        Per unit, how many scenarios gave each rank bin (bin ``b`` is rank ``b``, or ``b / 2`` with the
        "average" tie rule).
    shift : float array (n,)
        Per scenario, the mean absolute rank shift.
    choices : int32 array (n, 3)
        The options drawn (treat, normalize, aggregate).
    weight_set : int32 array (n,) or None
        With a weight pool, the set each scenario picked.
    kept : array (n, units) or None
        The rank matrix when ``return_ranks``.
    """
    rng = np.random.default_rng(seed)
    pool = design.weight_pool(seed)
    n_units = len(design.units)
    half = design.ties == "average"
    bins = (2 * n_units + 1) if half else (n_units + 1)
    shift = np.empty(n)
    nominal = design.nominal_rank if half else design.nominal_rank.astype(np.int32)
    choices = np.empty((n, 3), dtype=np.int32)
    weight_set = np.empty(n, dtype=np.int32) if design.pool_size else None
    kept = np.empty((n, n_units), dtype=np.float64 if half else np.int32) if return_ranks else None
    histograms = {}                  # one per worker thread: integer counts, added at the end (order-free)
    lock = threading.Lock()

    def work(lo: int, u: np.ndarray) -> int:
        hi = lo + len(u)
        sc = design.decode(u, pool=pool)
        order, ranked = design._sorted(sc)        # ranked[k, j]: rank of unit order[k, j]
        # histogram laid out (rank bin, unit): one add per element; ranked is often one broadcast row
        rk = ranked[:1] if ranked.strides[0] == 0 else ranked   # a broadcast row: convert one row only
        key = order + ((2 * rk).astype(np.int64) if half else rk.astype(np.int64)) * n_units
        me = threading.get_ident()
        counts = histograms.get(me)
        if counts is None:
            counts = np.zeros(n_units * bins, dtype=np.int64)
            with lock:
                histograms[me] = counts
        np.add.at(counts, key.ravel(), 1)
        shift[lo:hi] = np.abs(ranked - np.take(nominal, order)).sum(axis=1) / n_units
        choices[lo:hi] = sc.choice
        if weight_set is not None:
            weight_set[lo:hi] = sc.weight_set
        if kept is not None:
            np.put_along_axis(kept[lo:hi], order, ranked, axis=1)
        return hi - lo

    starts = range(0, n, chunk)
    with _one_thread_blas(), progress(total=n, desc="audit: scenarios", unit="scenario") as bar:
        if workers == 1 or len(starts) == 1:
            for lo in starts:
                bar.update(work(lo, rng.random((min(n, lo + chunk) - lo, design.dimension))))
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cityeval-audit") as ex:
                pending = deque()
                for lo in starts:
                    # drawn in order on this thread: the same numbers whatever the workers' timing
                    u = rng.random((min(n, lo + chunk) - lo, design.dimension))
                    pending.append(ex.submit(work, lo, u))
                    while len(pending) >= 2 * workers:      # bounded memory: a few chunks in flight
                        bar.update(pending.popleft().result())
                while pending:
                    bar.update(pending.popleft().result())
    parts = list(histograms.values())
    counts = parts[0]
    for other in parts[1:]:
        counts += other
    del parts
    counts = np.ascontiguousarray(counts.reshape(bins, n_units).T)
    return counts, shift, choices, weight_set, kept
