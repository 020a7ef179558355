"""A JRC-style robustness audit of a ranking: Monte Carlo over method choices, Sobol indices."""
from cityeval.audit.uncertainty import *  # noqa: F401,F403
from cityeval.audit.uncertainty import __all__  # noqa: F401
