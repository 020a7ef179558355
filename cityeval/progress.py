"""Progress bars for long work, and the memory a computation may use: both decided before it starts.

Two things a long computation owes the person waiting for it:

- **progress** (:func:`progress`): a `tqdm <https://tqdm.github.io/>`_ bar on the terminal, never in a
  result. It is shown when the environment variable ``CITYEVAL_PROGRESS`` is ``1``, or when it is
  unset and standard error is a terminal; ``CITYEVAL_PROGRESS=0`` turns it off. Inside a Jupyter
  kernel (a notebook run by ``python -m cityeval run``, which sets ``CITYEVAL_PROGRESS=1`` when its
  own standard error is a terminal) the bar goes to the kernel process's *original* standard error,
  i.e. the terminal of the run, not into the notebook's output cells. Tests and pipes stay clean;
  the bar only reads the loop it wraps, so results are the same bytes with and without it.
- **a bounded size** (:func:`check_memory`): a computation whose memory estimate exceeds what the
  machine has available (:func:`available_memory`, from ``/proc/meminfo``'s ``MemAvailable``) is
  refused before it starts, with a :class:`~cityeval.errors.ParameterError` naming the size
  parameter and giving the estimate and the memory available.

>>> list(progress(range(3), total=3, desc="demo", enabled=False))
[0, 1, 2]
>>> format_bytes(3 * 2**30)
'3.0 GiB'
"""
from __future__ import annotations

import io
import os
import sys

from cityeval.errors import ParameterError
from cityeval.validation import Shown

__all__ = ["progress", "progress_enabled", "available_memory", "check_memory", "format_bytes", "ENV"]

#: The environment variable that turns progress bars on ("1") or off ("0"); unset: on a terminal only.
ENV = "CITYEVAL_PROGRESS"

#: Bars appear only for loops still running after this many seconds (short work shows nothing).
DELAY = 1.0


def _in_kernel() -> bool:
    """True inside a Jupyter kernel: its ``sys.stderr`` is the kernel's stream to the notebook, not fd 2."""
    return sys.stderr is not None and sys.stderr is not sys.__stderr__ and type(sys.stderr).__name__ == "OutStream"


def progress_enabled() -> bool:
    """Whether :func:`progress` shows a bar: ``CITYEVAL_PROGRESS`` is "1", or it is unset and standard
    error is a terminal (never inside a kernel unless the variable says so).

    >>> import os
    >>> os.environ["CITYEVAL_PROGRESS"] = "0"; progress_enabled()
    False
    >>> del os.environ["CITYEVAL_PROGRESS"]
    """
    value = os.environ.get(ENV, "").strip()
    if value:
        return value == "1"
    if _in_kernel():
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _terminal():
    """The stream of the process's original standard error.

    Inside an ipykernel, fd 2 is a pipe into the notebook's output; ``sys.stderr.fileno()`` is then
    the copy of the original fd 2 that ipykernel keeps (its ``OutStream.fileno``). When ipykernel
    does not capture fd 2 (under pytest, or ``capture_fd_output`` off), ``sys.__stderr__`` is it."""
    if _in_kernel():
        try:
            fd = sys.stderr.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            fd = None
        if fd is not None:
            return open(fd, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)
    return sys.__stderr__ if sys.__stderr__ is not None else sys.stderr


def progress(iterable=None, *, total=None, desc: str | None = None, unit: str = "it", enabled=None):
    """``iterable`` wrapped in a tqdm bar on the terminal when :func:`progress_enabled` (else unchanged).

    Parameters
    ----------
    iterable : iterable, optional
        What the loop runs over; omitted, a bar to ``update()`` by hand (a no-op object when disabled).
    total : int, optional
        Number of items (or of units given to ``update``).
    desc : str, optional
        The bar's label ("audit: scenarios").
    unit : str, default "it"
        What one item is.
    enabled : bool, optional
        Force the bar on or off; default :func:`progress_enabled`.

    Returns
    -------
    iterable or tqdm
        The same items in the same order; the bar shows only once the loop has run for a second.

    Examples
    --------
    >>> sum(progress(range(5), total=5, enabled=False))
    10
    >>> bar = progress(total=10, enabled=False)
    >>> bar.update(4); bar.close()
    """
    if enabled is None:
        enabled = progress_enabled()
    if not enabled:
        return _Quiet() if iterable is None else iterable
    from tqdm import tqdm   # the plain text bar, on the terminal (never tqdm.auto's widget, a notebook output)

    return tqdm(iterable, total=total, desc=desc, unit=unit, file=_terminal(), delay=DELAY, leave=False,
                dynamic_ncols=True, mininterval=0.5)


class _Quiet:
    """The no-op stand-in for a disabled bar driven by ``update``."""

    def update(self, n=1):
        return None

    def close(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def available_memory() -> int | None:
    """Bytes of memory available to a new computation: ``MemAvailable`` of ``/proc/meminfo`` (Linux), else
    the free physical pages (``os.sysconf``); ``None`` when the system says neither.

    >>> m = available_memory()
    >>> m is None or m > 0
    True
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        pages, size = os.sysconf("SC_AVPHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        if pages > 0 and size > 0:
            return int(pages) * int(size)
    except (ValueError, OSError, AttributeError):
        pass
    return None


def format_bytes(n: float) -> str:
    """A byte count in MiB, GiB or TiB, one decimal (``1.5 GiB``).

    >>> format_bytes(5 * 2**20), format_bytes(2.5 * 2**40)
    ('5.0 MiB', '2.5 TiB')
    """
    n = float(n)
    for unit, size in (("TiB", 2**40), ("GiB", 2**30)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n / 2**20:.1f} MiB"


def check_memory(name: str, value, estimate: float, *, what: str = "a size", available: int | None = None) -> None:
    """Refuse ``value`` of parameter ``name`` when ``estimate`` bytes exceed the available memory.

    Parameters
    ----------
    name : str
        The size parameter as the user gave it (``"n"``, ``"--sobol"``, ``"n_boot"``).
    value
        Its value (shown in the message).
    estimate : float
        The computation's estimated peak memory, in bytes.
    what : str, default "a size"
        What the parameter counts, for the message ("a number of scenarios").
    available : int, optional
        Bytes available; default :func:`available_memory` (no check when it is unknown).

    Raises
    ------
    ParameterError
        One line: "n should be a number of scenarios whose memory estimate fits in the memory available
        (2.1 GiB), but ... needs about 37.3 GiB".

    Examples
    --------
    >>> check_memory("n", 1000, 8e6, available=2**30)
    >>> check_memory("n", 10**12, 8e12, what="a number of scenarios", available=2**30)
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: n should be a number of scenarios whose memory estimate fits in the memory available (1.0 GiB), but its value is 1000000000000 (an estimated 7.3 TiB).
    """
    if available is None:
        available = available_memory()
    if available is None or estimate <= available:
        return
    raise ParameterError(name, f"{what} whose memory estimate fits in the memory available ({format_bytes(available)})",
                         Shown(f"{value!r} (an estimated {format_bytes(estimate)})"))
