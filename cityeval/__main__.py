"""``python -m cityeval``: the command line (:mod:`cityeval.cli`)."""
import sys

from cityeval.cli import main

if __name__ == "__main__":
    sys.exit(main())
