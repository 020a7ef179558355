"""Shared by the method registries of the stages: which options a method takes, and checking them."""
from __future__ import annotations

import inspect

from .errors import ParameterError

__all__ = ["keyword_options", "check_options"]


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
