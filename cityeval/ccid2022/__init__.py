"""The CCID 2022 report's own data: what it published, and the panel calibrated to it.

=====================  ===================================================================
``published``          the report's tables as transcribed (framework, four rankings, claims)
``reference``          the cities and provinces those tables name (region, adcode, GDP)
``claims``             the report's countable claims, recomputed from the tables
``synthetic``          the synthetic indicator panel calibrated to the published ranks
=====================  ===================================================================
"""
import importlib

__all__ = ["claims", "published", "reference", "synthetic"]


def __getattr__(name):
    # the modules load when first used (``from cityeval.ccid2022 import published`` loads only published and what
    # it imports; the synthetic generator's scikit-learn is not loaded by a notebook that only reads tables)
    if name in __all__:
        return importlib.import_module(f"cityeval.ccid2022.{name}")
    raise AttributeError(f"module 'cityeval.ccid2022' has no attribute {name!r}")
