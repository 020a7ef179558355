"""How much memory an audit will need, estimated before anything is computed; too much is refused.

An audit's memory grows with its sizes: the Monte Carlo keeps, per scenario, its mean rank shift
(8 bytes), the options drawn (one byte per uncertain discrete choice) and, only when the raw rank
matrix is asked for, a row of ranks (4 bytes per unit, 8 with the "average" tie rule); the scores
themselves are ranked chunk by chunk (:data:`~cityeval.audit.design.CHUNK_BYTES` per buffer), and the
rank matrix is written as CSV in chunks of :data:`~cityeval.outputs.CSV_ROWS` rows (:data:`CSV_CELL_BYTES`
per cell formatted; the text is never held whole). A Sobol' analysis of ``N`` rows and ``d`` inputs keeps its
``N (d + 2)`` rank rows (8 bytes per unit) and its design, and bootstraps in chunks of bounded memory
(:data:`BOOT_BYTES`); the command line runs it while the Monte Carlo's result (its shifts, options and rank
matrix) is still held, so the two add up (:attr:`AuditMemory.peak`).

:func:`audit_memory` adds these up for a prepared design and the sizes of a run;
:func:`check_audit_size` refuses the run (a :class:`~cityeval.errors.ParameterError` naming the
size, giving the estimate and the memory available, :func:`cityeval.progress.available_memory`)
when the estimate exceeds what the machine has. The estimate is an upper bound of the arrays
numpy allocates (measured against ``tracemalloc`` in the tests) and of the process's growth while an
``audit --ranks`` runs and writes (measured as peak resident memory in the tests); the interpreter and the
libraries already loaded are not counted (the memory available already excludes them).
"""
from __future__ import annotations

from typing import NamedTuple

from cityeval.audit._montecarlo import check_workers
from cityeval.outputs import CSV_ROWS
from cityeval.progress import check_memory
from cityeval.validation import check_integer

__all__ = ["AuditMemory", "audit_memory", "check_audit_size", "uncertainty_bytes", "sensitivity_bytes",
           "BOOT_BYTES", "WORKING_BUFFERS", "CSV_CELL_BYTES"]

#: Largest bootstrap working set of a Sobol' analysis, in bytes (the resamples are drawn in chunks of it).
BOOT_BYTES = 64 * 2**20

#: Chunk-sized buffers alive at once while a chunk of scenarios is scored and ranked (scores, sort keys,
#: order, ranks, histogram keys, the rank shift's temporaries), with margin.
WORKING_BUFFERS = 10

#: Bytes per cell of a chunk of rows being formatted as CSV (pandas' array of Python strings: an object
#: pointer, the string and the number it came from), with margin.
CSV_CELL_BYTES = 160


class AuditMemory(NamedTuple):
    """Estimated peak bytes of the parts of an audit (``sensitivity`` 0 when no Sobol' analysis is run;
    ``kept`` the bytes of the Monte Carlo's result, held while the Sobol' analysis runs after it)."""

    uncertainty: int
    sensitivity: int
    kept: int = 0

    @property
    def peak(self) -> int:
        """The Monte Carlo's peak, or the Sobol' analysis's with the Monte Carlo's result still held."""
        return max(self.uncertainty, self.kept + self.sensitivity if self.sensitivity else 0)


def _chunk_bytes(chunk: int, n_units: int, dimension: int, n_weights: int) -> int:
    """The working set of one chunk of scenarios: its uniform numbers, weights and effective weights, and
    :data:`WORKING_BUFFERS` buffers of its scores."""
    return 8 * chunk * (WORKING_BUFFERS * n_units + 2 * dimension + 6 * n_weights)


def uncertainty_bytes(n: int, n_units: int, *, chunk: int, dimension: int, n_weights: int, n_discrete: int,
                      return_ranks: bool = False, average_ties: bool = False, workers: int = 1, pool: int = 0) -> int:
    """Estimated peak bytes of a Monte Carlo rank uncertainty of ``n`` scenarios (module docstring).

    With ``workers`` threads, each scores one chunk at a time and keeps its own rank histogram (and up to
    ``2 workers`` chunks of uniform numbers wait in line); a weight ``pool`` of K sets keeps K rows of weights.

    >>> b = uncertainty_bytes(10**6, 293, chunk=3578, dimension=4, n_weights=20, n_discrete=2, return_ranks=True)
    >>> b, b // 10**6   # per scenario: shift 8, options drawn 12 + 2 x 2, 293 int32 ranks 1172: 1196 bytes
    (1285599600, 1285)
    """
    bins = (2 * n_units + 1) if average_ties else (n_units + 1)
    n_chunks = -(-n // max(chunk, 1)) if n else 1
    busy = max(1, min(workers, n_chunks))                  # chunks scored at once
    waiting = min(2 * workers, n_chunks) - busy if workers > 1 else 0     # their uniform numbers drawn, in line
    working = (busy * _chunk_bytes(min(chunk, n), n_units, dimension, n_weights)
               + 8 * max(0, waiting) * min(chunk, n) * dimension)
    if return_ranks:                                       # then the rank matrix is written, chunk by chunk
        working = max(working, CSV_CELL_BYTES * min(CSV_ROWS, n) * (n_units + 1))
    hist = 8 * n_units * bins * (busy + 2)                 # one histogram per worker, their sum, its transpose
    return int(hist + working + 8 * pool * n_weights
               + n * _per_scenario(n_units, n_discrete, return_ranks, average_ties))


def _per_scenario(n_units: int, n_discrete: int, return_ranks: bool, average_ties: bool) -> int:
    """Bytes a Monte Carlo result keeps per scenario: its shift, the options drawn, its row of ranks."""
    return 8 + 12 + 2 * n_discrete + (n_units * (8 if average_ties else 4) if return_ranks else 0)


def sensitivity_bytes(n: int, n_units: int, *, factors: int, chunk: int, dimension: int, n_weights: int,
                      n_boot: int = 1000) -> int:
    """Estimated peak bytes of a Sobol' analysis with ``n`` rows of A and B and ``factors`` inputs.

    >>> sensitivity_bytes(512, 293, factors=4, chunk=3578, dimension=8, n_weights=20)   # 512 x 6 rank rows and more
    83099648
    """
    rows = n * (factors + 2)
    design = 8 * dimension * (2 * rows + 4 * n)            # A, B, the A_B pages and their concatenation
    ranks = 8 * rows * n_units                             # every rank row, then y
    pooled = 8 * 5 * n * n_units                           # the centred A and B ranks and one input's terms
    boot = min(BOOT_BYTES, 8 * (5 * factors + 6) * n * max(n_boot, 0)) + 8 * (2 * factors * max(n_boot, 0))
    return int(design + ranks + max(_chunk_bytes(min(chunk, rows), n_units, dimension, n_weights), pooled, boot)
               + 8 * rows)


def audit_memory(design, n: int, *, return_ranks: bool = False, sobol: int = 0, n_boot: int = 1000,
                 chunk: int | None = None, workers: int | None = None) -> AuditMemory:
    """Estimated peak memory of an audit of a prepared design (:class:`~cityeval.audit.design.AuditDesign`).

    Parameters
    ----------
    design : AuditDesign
        From :func:`~cityeval.audit.design.prepare`.
    n : int
        Monte Carlo scenarios.
    return_ranks : bool, default False
        Whether the raw rank matrix (``n`` x units) is kept.
    sobol : int, default 0
        Rows of the Sobol' A and B matrices (0: no sensitivity analysis).
    n_boot : int, default 1000
        Bootstrap resamples of the Sobol' analysis.
    chunk : int, optional
        Scenarios per chunk (default: the design's).
    workers : int, optional
        Threads of the Monte Carlo (:meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty`); default the
        cores this process may use, as there.

    Returns
    -------
    AuditMemory

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import prepare
    >>> from cityeval.composite import load_dataset
    >>> design = prepare(load_dataset(paths.DATA / "examples" / "toy"),
    ...                  {"choices": {"weights": {"perturbation": {"1": 0.25}}}})
    >>> est = audit_memory(design, 10**9, return_ranks=True)
    >>> round(est.uncertainty / 2**30)   # 10**9 x (8 ranks x 4 bytes + shift 8 + options 12) = 48.4 GiB
    49
    """
    workers = check_workers(workers)
    sobol_chunk = design._chunk(chunk)                     # the Sobol' analysis runs on one thread
    chunk = design._chunk(chunk, workers)
    n_units = len(design.units)
    common = dict(chunk=chunk, dimension=design.dimension, n_weights=len(design.weight_codes))
    n_discrete = sum(1 for f in design.factors if f != "weights")
    pool = design.pool_size or 0
    mc = uncertainty_bytes(n, n_units, n_discrete=n_discrete, return_ranks=return_ranks,
                           average_ties=design.ties == "average", workers=workers, pool=pool, **common)
    sens = (sensitivity_bytes(sobol, n_units, factors=len(design.factors), n_boot=n_boot,
                              **{**common, "chunk": sobol_chunk}) if sobol else 0)
    sens += 8 * pool * len(design.weight_codes) if sobol else 0
    kept = n * _per_scenario(n_units, n_discrete, return_ranks, design.ties == "average") + 3 * 8 * n_units
    return AuditMemory(mc, sens, kept if n else 0)


def check_audit_size(design, n: int | None = 0, *, return_ranks: bool = False, sobol: int = 0, n_boot: int = 1000,
                     chunk: int | None = None, names: tuple = ("n", "n"), available: int | None = None,
                     workers: int | None = None, pool_name: str = "spec.choices.weights.pool") -> AuditMemory:
    """Refuse an audit whose memory estimate (:func:`audit_memory`) exceeds the memory available.

    Call it before anything is computed or written (the command line does, with ``names=("--n",
    "--sobol")``). ``n`` ``None`` means the spec's ``n``; 0 checks the Sobol' analysis alone. ``workers``
    (default: the cores this process may use) as for :meth:`~cityeval.audit.design.AuditDesign.rank_uncertainty`.

    Raises
    ------
    ParameterError
        Naming ``names[0]`` (the scenarios) or ``names[1]`` (the Sobol' rows), with the estimate and
        the memory available: "n should be a number of scenarios whose memory estimate fits in the
        memory available (22.1 GiB), but its value is 1000000000 (an estimated 48.6 GiB)."

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.audit import prepare
    >>> from cityeval.composite import load_dataset
    >>> design = prepare(load_dataset(paths.DATA / "examples" / "toy"),
    ...                  {"choices": {"weights": {"perturbation": {"1": 0.25}}}})
    >>> check_audit_size(design, 10**9, return_ranks=True, names=("--n", "--sobol"), available=2**30)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: --n should be a number of scenarios with the rank matrix kept whose memory estimate fits in the memory available (1.0 GiB), but its value is 1000000000 (an estimated 48.6 GiB).
    """
    from cityeval.audit.spec import DEFAULT_N

    if n is None:
        n = design.spec.get("n", DEFAULT_N)
    n = check_integer(names[0], n, low=0)
    sobol = check_integer(names[1], sobol, low=0)
    est = audit_memory(design, n, return_ranks=return_ranks, sobol=sobol, n_boot=n_boot, chunk=chunk,
                       workers=workers)
    what = "a number of scenarios" + (" with the rank matrix kept" if return_ranks else "")
    pool = design.pool_size or 0
    if pool and (n or sobol):        # the pool's own rows first: a pool too large is the pool's fault, whatever n is
        check_memory(pool_name, pool, 8 * pool * len(design.weight_codes), what="a number of weight sets drawn once",
                     available=available)
    if n:
        check_memory(names[0], n, est.uncertainty, what=what, available=available)
    if sobol:                        # run while the Monte Carlo's result (if any) is still held
        check_memory(names[1], sobol, est.kept + est.sensitivity, what="a number of Sobol' rows",
                     available=available)
    return est
