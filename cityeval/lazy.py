"""Names a module exports but imports on first use (PEP 562), so importing the module stays cheap.

Used where a light entry point must not pay for heavy imports it may not need: the package root (``python -m
cityeval`` reaches its Ctrl-C handling before pandas loads), :mod:`cityeval.audit` (a rerun served from the
cache imports no scipy) and :mod:`cityeval.notebook.pages` (writing the index imports no nbconvert).
"""
from __future__ import annotations

import importlib

__all__ = ["lazy_exports"]


def lazy_exports(module_name: str, exports: dict, namespace: dict):
    """The module-level ``__getattr__`` and ``__dir__`` of a module whose names in ``exports`` (name -> the module
    that defines it) are imported when first read, then kept in ``namespace`` (the module's ``globals()``).

    >>> ns = {"__all__": ["sqrt"]}
    >>> get, names = lazy_exports("demo", {"sqrt": "math"}, ns)
    >>> get("sqrt")(9.0), "sqrt" in ns, names()
    (3.0, True, ['__all__', 'sqrt'])
    >>> get("cube")
    Traceback (most recent call last):
    AttributeError: module 'demo' has no attribute 'cube'
    """
    def __getattr__(name):
        source = exports.get(name)
        if source is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        namespace[name] = value
        return value

    def __dir__():
        return sorted(set(namespace) | set(namespace.get("__all__", ())) | set(exports))

    return __getattr__, __dir__
