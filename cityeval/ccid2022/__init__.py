"""The CCID 2022 report's own data: what it published, and the panel calibrated to it.

=====================  ===================================================================
``published``          the report's tables as transcribed (framework, four rankings, claims)
``reference``          the cities and provinces those tables name (region, adcode, GDP)
``claims``             the report's countable claims, recomputed from the tables
``synthetic``          the synthetic indicator panel calibrated to the published ranks
=====================  ===================================================================
"""
from cityeval.ccid2022 import claims, published, reference, synthetic

__all__ = ["claims", "published", "reference", "synthetic"]
