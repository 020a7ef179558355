"""The report's low-carbon typology: 起步型, 成长型, 成效型 (Ch. 3 §4, Fig. 16).

The report sorts the low-carbon top 100 into three types by two scores, green
ecology (绿色生态) and green development (绿色发展), and describes them in words
only:

- 成效型 (effective): "绿色生态和绿色发展双管齐下" — strong on both;
- 成长型 (growing): "优先绿色生态……在绿色生态方面的产出相对较多" — ecology ahead;
- 起步型 (starting): "绿色生态和绿色发展2个方面均相对较弱" — weak on both.

It publishes no thresholds. :func:`classify` makes the words a documented rule:
a score is *high* when it is at or above the ``quantile`` of that score among
the cities classified (default the median). Then

============  ==========  =============  ==================================
ecology       development  type           note
============  ==========  =============  ==================================
high          high         成效型
high          low          成长型
low           low          起步型
low           high         发展先行型     not one of the report's types
============  ==========  =============  ==================================

The report's three types leave the fourth quadrant (development ahead of
ecology) undescribed; the rule names it instead of forcing it into a type.
"""
from __future__ import annotations

import pandas as pd

from cityeval.errors import ParameterError

__all__ = ["classify", "TYPES"]

#: Type names (zh) with English labels, in the report's order of maturity, plus the fourth quadrant.
TYPES = {"起步型": "starting", "成长型": "growing", "成效型": "effective", "发展先行型": "development-first (not in the report)"}


def classify(ecology: pd.Series, development: pd.Series, *, quantile: float = 0.5) -> pd.DataFrame:
    """Classify cities into the low-carbon types by the rule in the module docstring.

    Parameters
    ----------
    ecology, development : Series
        Green-ecology and green-development scores, same index (cities), no NaN.
    quantile : float, default 0.5
        A score is high when it is >= this quantile of the same score among these cities (0 < q < 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by city: ``ecology``, ``development``, ``type`` (zh), ``type_en``.
    """
    if not 0 < quantile < 1:
        raise ParameterError("quantile", "strictly between 0 and 1", quantile)
    eco = pd.Series(ecology, dtype=float)
    dev = pd.Series(development, dtype=float)
    if not eco.index.equals(dev.index):
        raise ParameterError("development", "a series with the same cities (index) as ecology",
                             f"{len(dev)} cities, {len(set(dev.index) ^ set(eco.index))} not shared")
    if eco.isna().any() or dev.isna().any():
        raise ParameterError("ecology, development", "scores without NaN", "a series containing NaN")
    if len(eco) < 2:
        raise ParameterError("ecology", "at least two cities", len(eco))
    high_eco = eco >= eco.quantile(quantile)
    high_dev = dev >= dev.quantile(quantile)
    kind = pd.Series("起步型", index=eco.index)
    kind[high_eco & high_dev] = "成效型"
    kind[high_eco & ~high_dev] = "成长型"
    kind[~high_eco & high_dev] = "发展先行型"
    return pd.DataFrame({"ecology": eco, "development": dev, "type": kind, "type_en": kind.map(TYPES)})
