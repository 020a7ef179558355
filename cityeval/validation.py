"""Shared by the method registries of the stages: which options a method takes, and checking them."""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd

from cityeval.errors import ParameterError

__all__ = ["keyword_options", "check_options", "check_weights"]


def keyword_options(fn) -> set[str]:
    """The keyword-only option names of a registered method function."""
    return {p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY}


def check_options(fn, options: dict, *, where: str) -> None:
    """Raise a ParameterError naming the first option ``fn`` does not take (``where``: e.g.
    ``"aggregate(method='topsis')"``), listing the ones it does."""
    allowed = keyword_options(fn)
    for k in options:
        if k not in allowed:
            raise ParameterError(f"option {k!r} of {where}",
                                 f"one of {sorted(allowed)}" if allowed else "absent (the method has no options)",
                                 options[k])


def check_weights(weights, codes) -> np.ndarray:
    """Weights (Series/dict keyed by code, or a sequence in ``codes`` order) as a float array in the order of
    ``codes``, not renormalised; every weight finite and >= 0 with a positive sum. Entries for other codes
    are ignored."""
    codes = pd.Index(codes)
    if isinstance(weights, dict):
        weights = pd.Series(weights, dtype=object)
    if isinstance(weights, pd.Series):
        missing = [str(c) for c in codes if c not in weights.index]
        if missing:
            raise ParameterError("weights", f"a weight for every indicator ({', '.join(map(str, codes))})",
                                 f"missing for {', '.join(missing)}")
        if weights.index.has_duplicates:
            raise ParameterError("weights", "one weight per indicator code (unique index)",
                                 f"repeated codes {sorted(map(str, weights.index[weights.index.duplicated()]))}")
        w = weights.reindex(codes)  # entries for other codes are ignored
    else:
        w = np.asarray(weights, dtype=object).ravel()
        if len(w) != len(codes):
            raise ParameterError("weights", f"{len(codes)} weights, one per indicator", f"{len(w)} weights")
        w = pd.Series(w, index=codes)
    try:
        w = w.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("weights", "numbers", list(w)) from None
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        j = int(np.argmax(bad))
        raise ParameterError(f"weights[{codes[j]!r}]", "a finite number >= 0", float(w[j]))
    if not w.sum() > 0:
        raise ParameterError("weights", "non-negative numbers with a positive sum", w.tolist())
    return w
