"""The library's run of a weights what-if and the page's arithmetic in Python (re-exported by
:mod:`cityeval.notebook.whatif`, whose docstring gives the formulas)."""
from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd

from cityeval.composite import framework
from cityeval.composite.dataset import Dataset
from cityeval.composite.method import resolve_method
from cityeval.composite.pipeline import RunResult, run
from cityeval.errors import ParameterError
from cityeval.validation import Shown

__all__ = ["NORMALIZATIONS", "NORMALIZATION_ENTRIES", "AGGREGATIONS", "NAMES", "whatif_method", "with_weights", "score", "reweigh"]

#: The normalizations offered (with their default options; the dataset's own normalization keeps its options).
NORMALIZATIONS = ("minmax", "minmax_1", "zscore", "rank", "percentile", "distance_to_max")
#: Menu keys that are not a method's name: their normalization entry (min-max onto [1, 100] keeps every score
#: above 0, so the geometric and harmonic means can be tried with min-max).
NORMALIZATION_ENTRIES = {"minmax_1": {"method": "minmax", "low": 1, "high": 100}}
#: The aggregations the page's script computes exactly as :mod:`cityeval.composite.aggregation` does.
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
#: Names of the choices in the menus, per language.
NAMES = {
    "minmax": ("min-max (0–100)", "最小-最大值标准化（0–100）"),
    "minmax_1": ("min-max (1–100)", "最小-最大值标准化（1–100）"),
    "zscore": ("z-score", "Z 分数标准化"),
    "rank": ("rank", "排序名次"),
    "percentile": ("percentile (0–100)", "百分位（0–100）"),
    "distance_to_max": ("distance to the best (0–100)", "与最优值的距离（0–100）"),
    "arithmetic": ("arithmetic mean", "算术平均"),
    "geometric": ("geometric mean", "几何平均"),
    "harmonic": ("harmonic mean", "调和平均"),
}
def _top(meta: pd.DataFrame) -> tuple[str, int]:
    top_level = int(meta["level"].max())
    return str(meta.index[meta["level"] == top_level][0]), top_level


def whatif_method(dataset: Dataset, normalization: str, aggregation: str) -> dict:
    """The method record of a what-if run: the dataset's own record, with ``normalization`` and ``aggregation`` at
    every level and weight method ``"given"`` for the composite's children (their weights then come from the
    ``weight`` column, which :func:`with_weights` sets).

    The dataset's own normalization or aggregation keeps its options when chosen; another starts from the
    method's defaults. Overrides of the aggregation (``by_level``/``by_parent``) are dropped: the menu's choice
    applies at every level. The weight entries of the levels below the top are the dataset's.

    Parameters
    ----------
    dataset : Dataset
    normalization : str
        A key of :data:`cityeval.composite.normalization.NORMALIZE_METHODS`, or of :data:`NORMALIZATION_ENTRIES`
        (``"minmax_1"``: min-max onto [1, 100]).
    aggregation : str
        A key of :data:`cityeval.composite.aggregation.AGGREGATION_METHODS`.

    Returns
    -------
    dict
        A resolved method record.

    Examples
    --------
    >>> from cityeval.composite.dataset import load_dataset
    >>> from cityeval.notebook.panel import DEFAULT_DATA
    >>> record = whatif_method(load_dataset(DEFAULT_DATA), "rank", "geometric")
    >>> record["normalize"], record["aggregate"], record["weight"]["by_parent"]
    ({'method': 'rank'}, {'method': 'geometric'}, {'INDEX': {'method': 'given'}})
    """
    base = resolve_method(dataset.method)
    top, top_level = _top(dataset.indicators)
    record = copy.deepcopy(base)
    wanted = NORMALIZATION_ENTRIES.get(normalization, {"method": normalization})
    own = base["normalize"]
    same = own["method"] == wanted["method"] and all(own.get(k, v) == v for k, v in wanted.items())
    if wanted["method"] == "minmax" and "low" not in wanted:      # the menu's "minmax": onto [0, 100]
        same = same and float(own.get("low", 0)) != 1
    record["normalize"] = own if same else dict(wanted)
    own = {k: v for k, v in base["aggregate"].items() if k not in ("by_level", "by_parent")}
    record["aggregate"] = own if own["method"] == aggregation else {"method": aggregation}
    weight = record["weight"]
    weight.get("by_level", {}).pop(str(top_level), None)
    weight.get("by_parent", {}).pop(top, None)
    for key in ("by_level", "by_parent"):
        if key in weight and not weight[key]:
            del weight[key]
    if weight["method"] != "given":
        weight.setdefault("by_parent", {})[top] = {"method": "given"}
    return resolve_method(record)


def with_weights(dataset: Dataset, weights) -> Dataset:
    """``dataset`` with ``weights`` as the ``weight`` column of the composite's children (the dimensions).

    Parameters
    ----------
    dataset : Dataset
    weights : mapping or pandas.Series
        A number >= 0 for every dimension (the sliders' values; only their ratios matter), not all 0.

    Returns
    -------
    Dataset
        A new dataset (same values, method and folder); ``dataset`` is not modified.

    Raises
    ------
    ParameterError
        A dimension without a weight, a code that is not a dimension, a weight that is not a finite number >= 0,
        or every weight 0.

    Examples
    --------
    >>> from cityeval.composite.dataset import load_dataset
    >>> from cityeval.notebook.panel import DEFAULT_DATA
    >>> ds = with_weights(load_dataset(DEFAULT_DATA), {"INF": 2, "GOV": 1, "LIV": 1, "IND": 1, "TEC": 0, "LOW": 1})
    >>> ds.indicators.loc[["INF", "TEC", "INF_NET"], "weight"].tolist()
    [2.0, 0.0, 1.0]
    """
    meta = dataset.indicators
    top, _ = _top(meta)
    dims = list(framework.children(meta, top))
    given = dict(weights.items()) if hasattr(weights, "items") else None
    if given is None:
        raise ParameterError("weights", f"a mapping from each dimension ({', '.join(dims)}) to a weight",
                             Shown(type(weights).__name__))
    odd = [str(c) for c in given if c not in dims]
    missing = [c for c in dims if c not in given]
    if odd or missing:
        raise ParameterError("weights", f"a weight for each dimension, {', '.join(dims)}, and no other code",
                             Shown(f"missing {', '.join(missing) or 'none'}; not a dimension: {', '.join(odd) or 'none'}"))
    values = {}
    for code in dims:
        v = given[code]
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(float(v)) or float(v) < 0:
            raise ParameterError(f"weights[{code!r}]", "a finite number >= 0", v)
        values[code] = float(v)
    if not sum(values.values()) > 0:
        raise ParameterError("weights", "numbers >= 0, at least one of them above 0", Shown("every weight 0"))
    new = meta.copy()
    for code, v in values.items():
        new.at[code, "weight"] = v
    return Dataset(dataset.values, new, method=dataset.method, path=dataset.path)


def score(dataset: Dataset, weights, *, normalization: str, aggregation: str) -> RunResult:
    """The library's run for a what-if: :func:`~cityeval.composite.pipeline.run` of :func:`with_weights` under
    :func:`whatif_method`.

    Raises
    ------
    ParameterError, DataError
        As :func:`with_weights` and :func:`~cityeval.composite.pipeline.run` (a pair the data cannot support).

    Examples
    --------
    >>> from cityeval.composite.dataset import load_dataset
    >>> from cityeval.notebook.panel import DEFAULT_DATA
    >>> from cityeval.composite.pipeline import run
    >>> ds = load_dataset(DEFAULT_DATA)
    >>> weights = {"INF": 1, "GOV": 1, "LIV": 1, "IND": 1, "TEC": 1, "LOW": 1}
    >>> result = score(ds, weights, normalization="minmax", aggregation="arithmetic")
    >>> bool((result.ranks["INDEX"] == run(ds).ranks["INDEX"]).all())     # equal weights: the nominal ranking
    True
    """
    return run(with_weights(dataset, weights), whatif_method(dataset, normalization, aggregation))


def reweigh(what, weights, *, normalization: str, aggregation: str) -> pd.Series:
    """The composite score of every city from the stored dimension scores, with the page's arithmetic.

    Parameters
    ----------
    what : cityeval.notebook.whatif.WhatIf
    weights : mapping
        A number >= 0 for every dimension, not all 0 (the sliders' values).
    normalization, aggregation : str
        A pair :func:`build` scored (not one in ``what.refused``).

    Returns
    -------
    pandas.Series
        Indexed by city, named ``"score"``: what :func:`score` gives for the composite (to rounding, 1e-12).

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.notebook.whatif import build
    >>> what = build(paths.DATA / "examples" / "toy", top_n=3)
    >>> s = reweigh(what, {"infra": 1, "economy": 0}, normalization="minmax", aggregation="arithmetic")
    >>> bool((s == what.dimension_scores[("minmax", "arithmetic")]["infra"]).all())
    True
    """
    key = (normalization, aggregation)
    if key in what.refused:
        raise ParameterError("normalization and aggregation", "a pair the data support", Shown(what.refused[key]))
    if key not in what.dimension_scores:
        raise ParameterError("normalization and aggregation", f"one of {sorted(what.dimension_scores)}", key)
    raw = np.array([float(weights[d]) for d in what.dimensions])
    w = raw / raw.sum()
    x = what.dimension_scores[key][what.dimensions].to_numpy(dtype=float)
    out = np.array([_combine(row, w, aggregation) for row in x])
    return pd.Series(out, index=what.dimension_scores[key].index, name="score")


def _combine(row, w, aggregation) -> float:
    """One city's composite, with the operations in the order of the page's script (and of numpy's row sums)."""
    num, ws = 0.0, 0.0
    for x, wi in zip(row, w):
        if math.isnan(x):
            continue
        ws += wi
        if aggregation == "arithmetic":
            num += x * wi
        elif aggregation == "geometric":
            num += math.log(x) * wi
        else:
            num += wi / x
    if not ws > 0:
        return math.nan
    if aggregation == "arithmetic":
        return num / ws
    if aggregation == "geometric":
        return math.exp(num / ws)
    return ws / num
