"""cityeval: reproduce, test and teach the CCID 2022 digital-city evaluation.

Modules, in the order data flows through them:

- :mod:`cityeval.paths`      where the embedded data live
- :mod:`cityeval.published`  the report's published tables (ranks, framework, claims)
- :mod:`cityeval.reference`  city and province reference tables
- :mod:`cityeval.claims`     recomputation of the report's countable claims
- :mod:`cityeval.results`    results files written by the notebooks
- :mod:`cityeval.runner`     executes the notebooks (``python -m cityeval run``)
"""
from .errors import CityevalError, DataError, ParameterError

__version__ = "0.1.0"

__all__ = ["CityevalError", "DataError", "ParameterError", "__version__"]
