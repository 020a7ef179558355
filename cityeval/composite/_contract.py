"""The contract every stage's methods follow, checked in one place.

Each stage (denominate, impute, screen, treat, normalize, weight, aggregate, rank) keeps its
interchangeable methods in one registry, ``name -> function``, and every registered function
has the signature::

    method(frame, *, <context>, <options>)

``frame`` is the stage's data (rows = units, columns = indicator codes). Everything else is
keyword-only:

- *options* are the choices a user makes (``low``, ``high``, ``epsilon``, ``winmax`` ...): they
  come from the stage function's ``**options`` or from the stage's entry of a method record;
- *context* is what the stage function itself supplies from its other arguments (the
  directions for normalize, the weights for aggregate, the denominator columns for denominate):
  each stage module lists those names in its ``CONTEXT`` tuple, and they are never options.

So the options of a method are found one way: its keyword-only parameters
(:func:`cityeval.validation.option_names`) less the stage's ``CONTEXT``. An unknown method is
always ``ParameterError("<stage> method", "one of ...", value)``.

>>> def _example(frame, *, directions, low=0.0):
...     return frame
>>> sorted(method_options(_example, context=("directions",)))
['low']
>>> pick_method("normalize", "minmaxx", {"minmax": _example})
Traceback (most recent call last):
...
cityeval.errors.ParameterError: normalize method should be one of 'minmax', but its value is 'minmaxx'.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping

from cityeval.errors import ParameterError
from cityeval.validation import check_choice, option_names

__all__ = ["method_name", "pick_method", "method_options", "check_method_options"]


def method_name(stage: str, where: str | None = None) -> str:
    """The name of a stage's method in messages: ``"<stage> method"``, and where it was given, if not the stage
    entry itself (``"weight method of weight.by_parent['P1']"``). The rank stage's method is its tie rule,
    called ``ties``: ``"rank method (ties)"``.

    >>> method_name("weight", "weight.by_parent['P1']"), method_name("rank")
    ("weight method of weight.by_parent['P1']", 'rank method (ties)')
    """
    name = "rank method (ties)" if stage == "rank" else f"{stage} method"
    return name + (f" of {where}" if where and where != stage else "")


def pick_method(stage: str, method, registry: Mapping[str, Callable], *, where: str | None = None,
                aliases: Mapping[str, str] | None = None) -> Callable:
    """The registered function of ``method``; else ``ParameterError("<stage> method", "one of ...", method)``.

    ``aliases`` maps a former name to the registered one (e.g. ``"winsorise"`` to ``"winsorize"``).
    """
    if aliases and isinstance(method, str) and method in aliases:
        method = aliases[method]
    check_choice(method_name(stage, where), method, registry)
    return registry[method]


def method_options(fn: Callable, context: Iterable[str] = ()) -> set[str]:
    """The option names of a registered method: its keyword-only parameters less the stage's context."""
    return option_names(fn) - set(context)


def check_method_options(fn: Callable, options: Mapping, *, where: str, context: Iterable[str] = (),
                         required: bool = True) -> None:
    """Raise a ParameterError naming the first key of ``options`` that is not an option of ``fn``
    (``where``: e.g. ``"normalize(method='minmax')"`` or ``"weight.by_parent['P1']"``), listing the
    ones it takes. Same wording as :func:`cityeval.validation.check_options`. With ``required``, an option
    without a default (AHP's ``matrix``, the given ``weights``) that ``options`` lacks is a ParameterError too.

    >>> def _given(frame, *, weights, sum_to=None):
    ...     return frame
    >>> check_method_options(_given, {}, where="weight(method='given')")
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: option 'weights' of weight(method='given') should be given (the method requires it), but its value is None.
    """
    allowed = method_options(fn, context)
    for k in options:
        if k not in allowed:
            raise ParameterError(f"option {k!r} of {where}",
                                 f"one of {sorted(allowed)}" if allowed else "absent (the method has no options)",
                                 options[k])
    if required:
        params = inspect.signature(fn).parameters
        for k in sorted(allowed):
            if params[k].default is inspect.Parameter.empty and k not in options:
                raise ParameterError(f"option {k!r} of {where}", "given (the method requires it)", None)
