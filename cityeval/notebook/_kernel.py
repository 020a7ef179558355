"""The kernel a notebook runs in, and the signals that stop it (private to :mod:`cityeval.notebook.runner`).

Which kernel runs the notebooks (:func:`kernel_choice`, :func:`kernel_command`: ``cityeval``, installed by ``make``
inside .venv, when it starts this interpreter, else this interpreter's own ``python3``); the kernel manager that starts it with the run's environment in the
notebooks' folder; and, while a run is in progress, SIGINT/SIGTERM handling that stops the running kernel and
raises :class:`RunInterrupted`. :mod:`cityeval.notebook.runner` re-exports the public names.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading

from cityeval.notebook.results import NOTEBOOK_PATH_NAME

__all__ = ["kernel_command", "kernel_choice", "RunInterrupted", "PREFERRED_KERNEL", "FALLBACK_KERNEL", "QUIET_KERNEL"]


class _QuietInjection(logging.Filter):
    """Drops papermill's "Passed unknown parameter: PAPERMILL_INPUT_PATH": the runner injects that name on
    purpose (papermill's own ``--inject-input-path`` does the same), so the warning would only be noise; and,
    once a run is interrupted, "Kernel died ..." (the runner stopped it: the interrupt's one line says so)."""

    interrupted = False

    def filter(self, record):
        return not self.interrupted and NOTEBOOK_PATH_NAME not in record.getMessage()


_PAPERMILL_LOG = _QuietInjection()
logging.getLogger("papermill").addFilter(_PAPERMILL_LOG)

#: The kernel ``make`` installs inside .venv, and the one the notebooks declare; ``python3`` (this interpreter's
#: own, :data:`FALLBACK_KERNEL`) when it is absent.
PREFERRED_KERNEL = "cityeval"
#: The kernel the runner starts when :data:`PREFERRED_KERNEL` is absent: this interpreter's own ipykernel.
FALLBACK_KERNEL = "python3"
#: Arguments of every kernel the runner starts: its own log (a TCP-transport notice at start, and
#: "KeyboardInterrupt caught in kernel", logged as an ERROR, when the SIGINT jupyter_client sends before every
#: shutdown lands while the kernel is busy) would break the progress lines. A cell's error reaches the runner
#: through papermill, not this log.
QUIET_KERNEL = ("--IPKernelApp.log_level=CRITICAL",)
#: Set to "1" in the environment of every kernel the runner starts (no front end is attached):
#: :func:`cityeval.notebook.whatif.widget` then shows its note and builds no ipywidgets. Building them under
#: nbclient can leave a cell waiting forever for its execute reply (jupyter/nbclient#312; seen here twice, the
#: what-if notebook's widget cell idle for over 20 minutes on a loaded machine), and a static page cannot show them.
HEADLESS_VARIABLE = "CITYEVAL_HEADLESS"
_SIGNAL_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by SIGINT or SIGTERM; its kernel was stopped and its partial files removed.

    ``exit_status`` is 128 + the signal number (130 for SIGINT, 143 for SIGTERM), as a shell reports it.
    ``out_dir`` is ``None`` when the run was stopped before it took its output folder.

    >>> from pathlib import Path
    >>> exc = RunInterrupted(signal.SIGTERM, "00_x", Path("/tmp/out"))
    >>> exc.exit_status, str(exc).split(":")[0]
    (143, 'run interrupted by SIGTERM while 00_x ran')
    >>> str(RunInterrupted(signal.SIGINT, "", None))
    'run interrupted by SIGINT before any notebook ran: nothing written'
    """

    def __init__(self, signum, stem, out_dir):
        self.signum, self.stem, self.out_dir = signum, stem, out_dir
        self.exit_status = 128 + int(signum)
        name = signal.Signals(signum).name
        if out_dir is None:               # still checking the parameters: no folder taken, no kernel started
            super().__init__(f"run interrupted by {name} before any notebook ran: nothing written")
            return
        where = f" while {stem} ran" if stem else ""
        super().__init__(f"run interrupted by {name}{where}: kernel stopped, partial files "
                         f"removed; in {out_dir} only the notebooks finished before it have new results")

    def __str__(self):
        return self.args[0]


def _runs_this_interpreter(argv) -> bool:
    """Whether a kernel command starts this Python (a generic ``python`` is replaced by jupyter_client with
    ``sys.executable``); paths are compared unresolved, since venvs symlink one shared binary."""
    first = argv[0] if argv else ""
    return first in ("python", "python3") or os.path.abspath(first) == os.path.abspath(sys.executable)


def kernel_choice() -> tuple[str, str]:
    """The kernel the runner starts, and why: ``(name, sentence)``.

    ``cityeval`` (installed by ``make`` inside .venv) when it starts this interpreter; else :data:`FALLBACK_KERNEL`,
    this interpreter's own ipykernel (whatever a ``python3`` kernel on disk starts: the runner's kernel always runs
    the Python that runs the runner, the one cityeval is installed in). A ``cityeval`` kernel of another environment
    (a user's other venv, or ``~/.local/share/jupyter``) is passed over: it would import another copy of cityeval.
    The notebooks declare the ``cityeval`` kernel (for JupyterLab); the runner does not need it installed.

    >>> name, why = kernel_choice()
    >>> name in (PREFERRED_KERNEL, FALLBACK_KERNEL), why.startswith(name)
    (True, True)
    """
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            spec = KernelSpecManager().get_kernel_spec(PREFERRED_KERNEL)
        except NoSuchKernel:
            reason = f"no {PREFERRED_KERNEL!r} kernel is installed"
        else:
            if _runs_this_interpreter(spec.argv):
                return PREFERRED_KERNEL, f"{PREFERRED_KERNEL} ({sys.executable})"
            reason = f"the {PREFERRED_KERNEL!r} kernel installed starts another Python ({spec.argv[0] if spec.argv else '?'})"
    except ImportError:  # pragma: no cover - jupyter_client missing is an install error shown elsewhere
        reason = "jupyter_client cannot list the kernels"
    return FALLBACK_KERNEL, f"{FALLBACK_KERNEL} (this Python's own kernel, {sys.executable}): {reason}"


def _kernel_name() -> str:
    """The name of :func:`kernel_choice`."""
    return kernel_choice()[0]


def _own_kernel_spec():
    """This interpreter's own kernel spec (ipykernel's, ``sys.executable -m ipykernel_launcher``), whatever
    kernel of the fallback's name is installed (a user's ``python3`` kernel may start another Python)."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec

    return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())


def kernel_command() -> list[str]:
    """The command line of the kernel :func:`cityeval.notebook.runner.execute_notebook` starts (``python``
    resolved as jupyter_client does)."""
    from jupyter_client.kernelspec import KernelSpecManager

    name = _kernel_name()
    spec = _own_kernel_spec() if name == FALLBACK_KERNEL else KernelSpecManager().get_kernel_spec(name)
    argv = list(spec.argv)
    if argv and argv[0] in ("python", "python3"):
        argv[0] = sys.executable
    return argv


# ----------------------------------------------------------------------------- interrupts and kernels
class _Interrupts:
    """While a run is in progress: SIGINT/SIGTERM stop the running kernel (so papermill unwinds as for a
    dead kernel, cleanly) and are re-raised as :class:`RunInterrupted` once the runner is back in its own
    code; outside a kernel, and outside a commit, they raise at once."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.signum = None
        self.stem = ""                # the notebooks running (comma-separated)
        self.stopped = ""             # those running when the signal came
        self.kernels = set()          # kernel managers of the running notebook
        self.deferred = 0             # > 0: inside a kernel or a commit; the signal is acted on afterwards
        self._old = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in _SIGNAL_STATUS:
                old = signal.getsignal(sig)
                if old is signal.SIG_IGN:     # a run started with the signal ignored (nohup, `&` in a script)
                    continue
                self._old[sig] = old
                signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc):
        for sig, old in self._old.items():
            signal.signal(sig, old)
        _PAPERMILL_LOG.interrupted = False
        return False

    def _handle(self, signum, frame):
        if self.signum is not None:       # a second Ctrl-C while cleaning up: the cleanup goes on
            return
        self.signum = signum
        self.stopped = self.stem          # what ran when the signal came (notebooks finish as their kernels stop)
        _PAPERMILL_LOG.interrupted = True
        self.stop_kernels()
        if not self.deferred:
            raise RunInterrupted(signum, self.stopped, self.out_dir)

    def stop_kernels(self):
        for km in list(self.kernels):
            _kill_kernel(km)

    def check(self):
        if self.signum is not None:
            raise RunInterrupted(self.signum, self.stopped, self.out_dir)

    @contextlib.contextmanager
    def deferring(self):
        self.deferred += 1
        try:
            yield
        finally:
            self.deferred -= 1


def _kill_kernel(km) -> None:
    """Kill a kernel and everything it started (it leads its own process group: jupyter_client starts it in a
    new session)."""
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    if not pid:
        return
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
            return
        except (ProcessLookupError, PermissionError, OSError):
            continue


def _kernel_manager_class(interrupts: _Interrupts | None, env: dict, cwd: str, owned: set | None = None):
    """An ``AsyncKernelManager`` starting the kernel with ``env`` in ``cwd`` (so papermill need not change the
    runner's own folder), quiet (:data:`QUIET_KERNEL`), as this interpreter when it is :data:`FALLBACK_KERNEL`, and
    known to ``interrupts``, which stops it on a signal. Each manager started is added to ``owned`` too (the
    notebook's own, removed from ``interrupts`` when it is done, while other notebooks' kernels run on)."""
    from jupyter_client import AsyncKernelManager

    class _RunnerKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            if self._kernel_spec is None and self.kernel_name == FALLBACK_KERNEL:
                self._kernel_spec = _own_kernel_spec()      # this interpreter, whatever python3 is on disk
            return super().kernel_spec

        async def start_kernel(self, **kw):
            kw["env"] = {**os.environ, **kw.get("env", {}), **env}
            kw["cwd"] = cwd
            extra = list(kw.get("extra_arguments") or [])
            kw["extra_arguments"] = extra + [a for a in QUIET_KERNEL if a not in extra]   # no kernel log noise
            if interrupts is not None:
                interrupts.kernels.add(self)
            if owned is not None:
                owned.add(self)
            await super().start_kernel(**kw)
            if interrupts is not None and interrupts.signum is not None:
                _kill_kernel(self)        # the signal came while the kernel was starting

    return _RunnerKernelManager
