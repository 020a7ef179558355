"""``python -m cityeval``: the command line (:mod:`cityeval.cli`).

Ctrl-C while the libraries load (before :func:`cityeval.cli.main` handles it) is one line too, status 130.
"""
import os
import sys


def _main() -> int:
    try:
        from cityeval.cli import main
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return main()


def entry() -> None:
    """The ``python -m cityeval`` and ``cityeval`` commands: :func:`cityeval.cli.main`, then exit with its status."""
    code = _main()
    if code == 130:
        # Interrupted, and the one line printed. A KeyboardInterrupt that went through code run by a C extension's
        # PyRun_String (some modules' import does this) leaves CPython's "unhandled interrupt" flag set, and a normal
        # exit would then kill the process with SIGINT (status -2): end here, with the status the line promises.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)


if __name__ == "__main__":
    entry()
