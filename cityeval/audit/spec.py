r"""The audit's spec: which method choices are uncertain, and how (a JSON object, usually a file).

Spec schema
-----------
A spec is a JSON object (a dict), e.g. ``data/examples/coinr_asem_uncertainty.json``::

    {
      "description": "free text (optional)",
      "target": "Index",                     # optional: the aggregate code whose rank is audited
                                             #   (default: the top code of the tree)
      "n": 100,                              # optional: Monte Carlo scenarios (default 1000)
      "seed": 1,                             # optional: seed, 0 ... 2**32 - 1 (default: fresh entropy, recorded)
      "choices": {                           # required; each entry is one uncertain input
        "treat":     {"options": [{"winmax": 1}, {"winmax": 2}, {"winmax": 3}]},
        "normalize": {"options": [{"method": "minmax", "low": 1, "high": 100},
                                  {"method": "zscore", "mean": 10, "sd": 2}]},
        "weights":   {"perturbation": {"2": 0.25, "3": 0.25}},
        "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}
      }
    }

``treat``, ``normalize``, ``aggregate`` (*discrete* inputs)
    ``options`` is a non-empty list of stage entries of a method record
    (:mod:`cityeval.composite.method`); each scenario draws one with equal probability. An option is
    merged over the nominal record's entry for that stage by the pipeline's rule: without
    ``"method"`` (or with the nominal method) it overrides only the options it names
    (``{"winmax": 2}`` keeps the nominal ``"jrc"`` treatment and its thresholds); naming another
    method starts from that method alone. Aggregation options are ``"arithmetic"`` or
    ``"geometric"`` with no other key; the drawn rule applies at every level (as in COINr's
    example) and replaces any ``by_level``/``by_parent`` override of the nominal record.
``weights`` (a *continuous* input, one Sobol' factor)
    ``perturbation`` maps a level (the level of the codes whose weight within their parent is
    perturbed, as a string: ``"2"`` for pillars in COINr's ASEM tree) to a fraction
    :math:`0 < \delta < 1` (0 would perturb nothing: an error). Each code :math:`c` at that level gets
    :math:`w_c (1 + \delta (2U_c - 1))`, :math:`U_c \sim \mathcal U(0, 1)` independent (COINr's
    ``get_noisy_weights()``); weights are then renormalized within each parent. The nominal
    weights are those the nominal run used (:attr:`~cityeval.composite.pipeline.RunResult.weights`).
    ``distribution`` may be given and must be ``"uniform"``.

    ``pool`` (optional, a whole number :math:`K \ge 1`) switches to COINr's sampling design
    (``get_noisy_weights(Nrep = K)`` then ``get_sensitivity()``): :math:`K` noisy weight sets are
    drawn once per run (from the run's seed) and each scenario picks one of them with equal
    probability; the weights are then one discrete input of :math:`K` options. Without ``pool``
    (the default) each scenario draws its own weights. The two designs estimate different things:
    fresh weights estimate the rank distribution under the weight distribution itself; a pool
    estimates it conditionally on the :math:`K` sets drawn (the pool's own sampling error is part
    of the result and does not shrink as ``n`` grows). With ``n`` :math:`\le K` the two coincide
    in distribution up to the repeats of a pool draw.

A choice left out keeps the nominal record's entry; ``choices`` must name at least one (an audit in
which nothing varies is an error), and its options must differ (two options that are one entry, such as
``{"method": "arithmetic"}`` twice, are an error). An option with an option its method does not use
(``{"method": "log", "winmax": 5}``) is an error, as in a method record. The nominal record is the dataset's
``method.json`` (or the ``method=`` argument of :func:`~cityeval.audit.design.prepare`).
"""
from __future__ import annotations

import copy
from pathlib import Path

from cityeval.composite.method import REGISTRIES, read_json_object, resolve_method
from cityeval.errors import DataError, ParameterError
from cityeval.validation import check_choice, check_integer, check_number, check_seed

__all__ = ["CHOICES", "DISCRETE_CHOICES", "VECTOR_AGGREGATIONS", "DEFAULT_N", "NORMALIZE_ALTERNATIVES",
           "AGGREGATE_ALTERNATIVES", "check_spec", "load_spec", "alternatives_spec", "option_label"]

#: The uncertain inputs a spec may name (``spec["choices"]`` keys).
CHOICES = ("treat", "normalize", "weights", "aggregate")
#: The discrete inputs, in the column order of :attr:`cityeval.audit.design.Scenarios.choice`.
DISCRETE_CHOICES = ("treat", "normalize", "aggregate")
#: Aggregation rules the vectorized engine evaluates (both collapse over the tree).
VECTOR_AGGREGATIONS = ("arithmetic", "geometric")
#: Monte Carlo scenarios when neither the call nor the spec gives ``n``.
DEFAULT_N = 1000
#: The normalizations of COINr's documented uncertainty example (both positive, so a geometric mean is defined).
NORMALIZE_ALTERNATIVES = ({"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2})
#: The aggregations of COINr's documented uncertainty example.
AGGREGATE_ALTERNATIVES = ({"method": "arithmetic"}, {"method": "geometric"})
_SPEC_KEYS = ("description", "target", "n", "seed", "choices")


def check_spec(spec) -> dict:
    """Check an uncertainty spec (see the module docstring) and return a normalized copy.

    Parameters
    ----------
    spec : dict
        The spec, e.g. the content of a spec JSON file.

    Returns
    -------
    dict
        A deep copy with ``choices`` in the order given; weight levels as strings, fractions as floats.

    Raises
    ------
    ParameterError
        Naming the key at fault (``spec.choices.normalize.options[1].method``), what is allowed
        and what was received: an unknown key or choice, an empty option list, an option that is
        not a valid stage entry, two options of a choice that are one entry, an aggregation other than
        arithmetic/geometric, a perturbation
        outside (0, 1), a level that is not a whole number, a weight ``pool`` that is not a whole
        number >= 1 or whose weight sets cannot fit in the memory available, ``n`` < 1, a seed outside
        0 ... 2**32 - 1,
        no choice at all.

    Examples
    --------
    >>> check_spec({"seed": 1, "choices": {"weights": {"perturbation": {2: 0.25}}}})
    {'seed': 1, 'choices': {'weights': {'perturbation': {'2': 0.25}}}}
    >>> check_spec({"choices": {"aggregate": {"options": [{"method": "harmonic"}]}}})
    Traceback (most recent call last):
    ...
    cityeval.errors.ParameterError: spec.choices.aggregate.options[0].method should be one of 'arithmetic', \
'geometric', but its value is 'harmonic'.
    """
    if not isinstance(spec, dict):
        raise ParameterError("spec", "a dict (the content of a spec JSON file)", type(spec).__name__)
    spec = copy.deepcopy(spec)
    for key in spec:
        if key not in _SPEC_KEYS:
            raise ParameterError(f"spec key {key!r}", f"one of {list(_SPEC_KEYS)}", spec[key])
    if "description" in spec and not isinstance(spec["description"], str):
        raise ParameterError("spec.description", "a string", spec["description"])
    if "target" in spec and not isinstance(spec["target"], str):
        raise ParameterError("spec.target", "an aggregate code (a string)", spec["target"])
    if "n" in spec:
        spec["n"] = check_integer("spec.n", spec["n"], low=1)
    if "seed" in spec:
        spec["seed"] = check_seed(spec["seed"], name="spec.seed", allow_none=True)
    if "choices" not in spec:
        raise ParameterError("spec.choices", f"present: an object naming uncertain inputs among {list(CHOICES)}",
                             None)
    choices = spec["choices"]
    if not isinstance(choices, dict):
        raise ParameterError("spec.choices", f"an object with keys among {list(CHOICES)}", choices)
    if not choices:
        raise ParameterError("spec.choices", f"an object naming at least one uncertain input among {list(CHOICES)} "
                             "(with none, nothing varies and every scenario is the nominal run)", choices)
    for name, entry in choices.items():
        where = f"spec.choices.{name}"
        if name not in CHOICES:
            raise ParameterError(f"spec.choices key {name!r}", f"one of {list(CHOICES)}", entry)
        if not isinstance(entry, dict):
            raise ParameterError(where, "an object ({\"options\": [...]} or {\"perturbation\": {...}})", entry)
        if name == "weights":
            _check_weights_choice(entry, where)
        else:
            _check_options(name, entry, where)
    return spec


def _check_weights_choice(entry: dict, where: str) -> None:
    """Check ``spec.choices.weights`` in place: levels become strings, fractions floats."""
    for key in entry:
        if key not in ("perturbation", "distribution", "pool"):
            raise ParameterError(f"{where} key {key!r}", "one of ['distribution', 'perturbation', 'pool']", entry[key])
    if "pool" in entry:
        entry["pool"] = check_integer(f"{where}.pool", entry["pool"], low=1,
                                      allowed="a whole number >= 1 (the size of the pool of weight sets, e.g. 100)")
        from cityeval.progress import check_memory

        # the pool keeps its K weight sets, each at least one 8-byte weight (the tree, unknown here, makes it more):
        # a pool that cannot fit is refused naming the pool, not the n that would be blamed later
        check_memory(f"{where}.pool", entry["pool"], 8 * entry["pool"],
                     what="a number of weight sets (each at least one 8-byte weight)")
    if "distribution" in entry:
        check_choice(f"{where}.distribution", entry["distribution"], ["uniform"])
    pert = entry.get("perturbation")
    if not isinstance(pert, dict) or not pert:
        raise ParameterError(f"{where}.perturbation", "a non-empty object mapping a level (\"2\") to a fraction "
                             "in [0, 1)", pert)
    out = {}
    for level, frac in pert.items():
        # a JSON object's keys are strings; a dict built in Python may use ints
        text = str(level) if isinstance(level, (str, int)) and not isinstance(level, bool) else ""
        if not (text.isascii() and text.isdecimal()) or int(text) < 1:
            raise ParameterError(f"{where}.perturbation key", "a level number >= 1 such as \"2\"", level)
        if str(int(text)) in out:   # "2" and 2 (or "02") are one level: the last would silently win
            raise ParameterError(f"{where}.perturbation key", "a level given once (\"2\", 2 and \"02\" are one "
                                 "level)", level)
        out[str(int(text))] = check_number(f"{where}.perturbation[{text!r}]", frac, low=0, high=1, low_open=True,
                                           high_open=True, allowed="a fraction in (0, 1) (0.25 for ±25%; 0 perturbs "
                                                                   "nothing: leave the level out)")
    entry["perturbation"] = out


def _check_options(stage: str, entry: dict, where: str) -> None:
    """Check ``spec.choices.<stage>`` (a discrete input): a non-empty list of valid stage entries."""
    for key in entry:
        if key != "options":
            raise ParameterError(f"{where} key {key!r}", "'options'", entry[key])
    options = entry.get("options")
    if not isinstance(options, list) or not options:
        raise ParameterError(f"{where}.options", "a non-empty list of stage entries", options)
    for j, opt in enumerate(options):
        w = f"{where}.options[{j}]"
        if not isinstance(opt, dict):
            raise ParameterError(w, f"an object such as {{\"method\": ...}} (a {stage} entry of a method record)", opt)
        if stage == "aggregate":
            extra = sorted(set(opt) - {"method"})
            if extra:
                raise ParameterError(f"{w} key {extra[0]!r}", "only 'method' (arithmetic or geometric)",
                                     opt[extra[0]])
            if "method" in opt:
                check_choice(f"{w}.method", opt["method"], VECTOR_AGGREGATIONS)
            continue
        for key in ("by_level", "by_parent"):
            if key in opt:
                raise ParameterError(f"{w} key {key!r}", "absent (an option applies to the whole stage)", opt[key])
        try:  # the method record's own checks: method names, option names, options the method does not use
            resolve_method({stage: opt})
        except ParameterError as exc:
            # without "method" the option merges over the nominal entry, unknown here: its options must be
            # those of some method of the stage (the run checks them against the nominal method)
            if "method" in opt or not any(_valid({stage: {"method": m, **opt}}) for m in REGISTRIES[stage]):
                raise ParameterError(w, f"a valid {stage} entry ({exc})", opt) from None
    _check_distinct(stage, options, where)


def _canonical(stage: str, option: dict):
    """An option as the run reads it: with a method, the method record's entry (aliases named, defaults filled);
    without one (it merges over the nominal entry), the option itself."""
    if "method" in option:
        try:
            return resolve_method({stage: option})[stage]
        except ParameterError:
            pass
    return option


def _check_distinct(stage: str, options: list, where: str) -> None:
    """Refuse two options of a choice that are one (``{"method": "arithmetic"}`` twice, or ``{"method": "minmax"}``
    and the same with its default scale): a scenario drawing either runs the same, so the choice would count an
    option that varies nothing (and weigh that entry twice)."""
    seen = []
    for j, opt in enumerate(options):
        key = _canonical(stage, opt)
        for i, other in seen:
            if key == other:
                raise ParameterError(f"{where}.options[{j}]", f"an option different from {where}.options[{i}] "
                                     "(the two are one entry: a scenario drawing either runs the same, so nothing "
                                     "varies between them)", options[j])
        seen.append((j, key))


def _valid(record) -> bool:
    try:
        resolve_method(record)
    except ParameterError:
        return False
    return True


def load_spec(path) -> dict:
    """Read and check a spec JSON file (see the module docstring).

    Parameters
    ----------
    path : path-like
        The spec file.

    Returns
    -------
    dict
        :func:`check_spec` of the file's content.

    Raises
    ------
    DataError
        The file is missing, is not valid JSON or not UTF-8, gives a key twice in one object, holds a
        number too large for a float or ``NaN`` (these three name the key and the line), or breaks the
        schema (the message names the file and, in its detail, the key).

    Examples
    --------
    >>> from cityeval import paths
    >>> spec = load_spec(paths.DATA / "examples" / "coinr_asem_uncertainty.json")
    >>> list(spec["choices"]), spec["n"], spec["seed"]
    (['treat', 'normalize', 'weights', 'aggregate'], 100, 1)
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "spec file not found")
    doc = read_json_object(path, what="the spec")   # strict: a repeated key, a number too large, NaN
    try:
        return check_spec(doc)
    except ParameterError as exc:  # the file is the data: name it, keep the key in the detail
        raise DataError(path, "not a valid uncertainty spec", detail=str(exc)) from None


def alternatives_spec(levels, weight_perturbation: float, *, target: str | None = None,
                      description: str | None = None) -> dict:
    """A spec with COINr's documented alternatives: weights perturbed at ``levels``, two normalizations,
    two aggregations.

    Parameters
    ----------
    levels : iterable of int or str
        The levels whose weights (within their parent) are perturbed, e.g. ``range(1, top_level)``
        for every level below the index.
    weight_perturbation : float
        The fraction :math:`\\delta` in [0, 1) of every perturbed level.
    target : str, optional
        The audited aggregate code (default: the tree's top code).
    description : str, optional
        Free text recorded in the spec.

    Returns
    -------
    dict
        A checked spec (:func:`check_spec`) with choices ``weights``, ``normalize``
        (:data:`NORMALIZE_ALTERNATIVES`) and ``aggregate`` (:data:`AGGREGATE_ALTERNATIVES`), in that order.

    Examples
    --------
    >>> spec = alternatives_spec(range(1, 3), 0.25, target="index")
    >>> spec["choices"]["weights"], [o["method"] for o in spec["choices"]["normalize"]["options"]]
    ({'perturbation': {'1': 0.25, '2': 0.25}}, ['minmax', 'zscore'])
    """
    spec = {}
    if description is not None:
        spec["description"] = description
    if target is not None:
        spec["target"] = target
    spec["choices"] = {
        "weights": {"perturbation": {str(level): weight_perturbation for level in levels}},
        "normalize": {"options": [dict(o) for o in NORMALIZE_ALTERNATIVES]},
        "aggregate": {"options": [dict(o) for o in AGGREGATE_ALTERNATIVES]},
    }
    return check_spec(spec)


def merge_entry(nominal: dict, option: dict) -> dict:
    """The pipeline's merging rule, over the nominal record's entry instead of the default.

    >>> merge_entry({"method": "jrc", "winmax": 5, "skew_thresh": 2.0}, {"winmax": 1})
    {'method': 'jrc', 'winmax': 1, 'skew_thresh': 2.0}
    >>> merge_entry({"method": "jrc", "winmax": 5}, {"method": "log"})
    {'method': 'log'}
    """
    base = {k: v for k, v in nominal.items() if k not in ("by_level", "by_parent")}
    if "method" not in option or option["method"] == base.get("method"):
        return {**copy.deepcopy(base), **copy.deepcopy(option)}
    return copy.deepcopy(option)


def option_label(option: dict) -> str:
    """A short label of a spec option, as in the scenarios table (``"minmax(low=1, high=100)"``).

    >>> option_label({"method": "zscore", "mean": 10, "sd": 2.5}), option_label({"winmax": 2}), option_label({})
    ('zscore(mean=10, sd=2.5)', 'winmax=2', 'nominal')
    """
    args = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in option.items() if k != "method")
    if "method" in option:
        return f"{option['method']}({args})" if args else str(option["method"])
    return args or "nominal"
