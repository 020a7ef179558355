"""How one changed choice moves a ranking: a method record run with one stage replaced at a time.

A composite index rests on a chain of choices (outlier treatment, normalization, weights,
aggregation). :func:`compare_methods` runs a dataset with its method record and then with
*variants* of it, each replacing one or more stage entries, and collects the rank of every unit
on one code under each. :class:`MethodComparison` then says which variants move which units, by
how much, and who comes first under each: the OECD/JRC Handbook's advice to show how
sensitive a ranking is to the choices made (step 7), one choice at a time.

A variant the chosen data cannot support (a geometric mean of z-scores, which can be negative,
CRITIC weights of perfectly correlated indicators, distances to targets a dataset does not
give) is not an error of the comparison: its ranks are missing and
:attr:`MethodComparison.reasons` holds the message of the
:class:`~cityeval.errors.CityevalError` (a DataError, or a ParameterError of an option the data
lack) that says why. A variant whose record is malformed (an unknown stage, method or option) is
the caller's error and is raised.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*,
step 7 (robustness and sensitivity). https://doi.org/10.1787/9789264043466-en
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.composite import framework
from cityeval.composite._contract import check_finite_result
from cityeval.composite.dataset import Dataset
from cityeval.composite.method import resolve_method
from cityeval.composite.pipeline import RunResult, run
from cityeval.errors import CityevalError, ParameterError
from cityeval.validation import check_choice

__all__ = ["MethodComparison", "compare_methods", "children_means"]


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


@dataclass(frozen=True)
class MethodComparison:
    """The ranks of one code under a method record and under each of its variants.

    Attributes
    ----------
    dataset : Dataset
        The data compared on.
    code : str
        The aggregate code ranked (by default the top of the tree).
    result : RunResult
        The run of the method record itself.
    ranks : pandas.DataFrame
        One row per unit of ``result``, sorted by its rank under the method (best first); one
        column per variant, a ``(group, label)`` pair; nullable integer ranks (``Int64``), missing
        for a variant that could not be computed.
    runs : dict
        ``(group, label) -> RunResult`` of each variant, ``None`` where it could not be computed.
    reasons : dict
        ``"group: label" -> message`` of the error of each variant that could not be computed.
    nominal : frozenset
        The ``(group, label)`` of each variant whose record is the method's own (its resolved record equals the
        method's, such as ``{}``): shown beside the others as the reference, never counted as a change.
    """

    dataset: Dataset
    code: str
    result: RunResult
    ranks: pd.DataFrame
    runs: dict
    reasons: dict
    nominal: frozenset = frozenset()

    @property
    def baseline(self) -> pd.Series:
        """The ranks under the method itself, in the row order of :attr:`ranks`."""
        return self.result.ranks[self.code].loc[self.ranks.index]

    def movement(self) -> pd.DataFrame:
        """What each variant does to the ranking.

        Returns
        -------
        pandas.DataFrame
            Indexed by the ``(group, label)`` of each variant, columns ``cities that move`` (units
            whose rank differs from :attr:`baseline`), ``largest move (ranks)`` (the largest
            absolute change; NaN when the variant could not be computed) and ``first place`` (the
            units ranked 1, comma-separated in the row order of :attr:`ranks`, or ``"not
            computable"``).
        """
        ranks = self.ranks.astype(float)
        shifts = ranks.sub(self.result.ranks[self.code].astype(float), axis=0).abs()
        out = pd.DataFrame({"cities that move": (shifts > 0).sum(), "largest move (ranks)": shifts.max()})
        first = ranks.eq(1)
        out["first place"] = [", ".join(first.index[first[col]]) or "not computable" for col in ranks.columns]
        return out

    def table(self) -> pd.DataFrame:
        """The ranking under the method: ``<code> score``, ``rank`` and ``rank on <child>`` for each child of
        the code, one row per unit, best first (the row order of :attr:`ranks`)."""
        result = self.result
        out = pd.DataFrame({f"{self.code} score": result.scores[self.code], "rank": result.ranks[self.code]})
        for child in framework.children(result.indicators, self.code):
            out[f"rank on {child}"] = result.ranks[child]
        return out.loc[self.ranks.index]

    def _group(self, group):
        """``group`` if it is a group of variants, else a ParameterError listing the groups."""
        return check_choice("group", group, dict.fromkeys(self.ranks.columns.get_level_values(0)))

    def weights(self, group: str) -> pd.DataFrame:
        """The weight of every code (within its parent) under each variant of ``group``: codes × labels
        (NaN for a variant that could not be computed)."""
        self._group(group)
        labels = list(self.ranks[group].columns)
        index = self.result.weights.index
        out = pd.DataFrame({label: (self.runs[(group, label)].weights if self.runs[(group, label)] is not None
                                    else pd.Series(np.nan, index=index)) for label in labels})
        out.index.name = "code"
        return out

    def weight_sums(self, group: str) -> pd.DataFrame:
        """The sum of the weights under every parent (rows) for each variant of ``group`` that could be
        computed (columns): 1 for every method."""
        self._group(group)
        weights = self.weights(group)[[label for label in self.ranks[group].columns
                                       if self.runs[(group, label)] is not None]]
        meta = self.result.indicators
        parents = [c for c in framework.topological_order(meta) if framework.children(meta, c)]
        return pd.DataFrame({p: weights.loc[framework.children(meta, p)].sum() for p in parents}).T

    def not_computable(self, group: str) -> dict:
        """``label -> message`` of the variants of ``group`` that could not be computed (see :attr:`reasons`)."""
        self._group(group)
        prefix = f"{group}: "
        return {key[len(prefix):]: msg for key, msg in self.reasons.items() if key.startswith(prefix)}

    def tally(self, group: str | None = None) -> dict:
        """How many variants (of ``group``, or of all groups) change the method, how many of those could be
        computed and how many of those move at least one unit; the first places under the computable ones.

        Returns
        -------
        dict
            ``changes`` (variants not in :attr:`nominal`), ``computable`` (of those, the ones that ran),
            ``moving`` (of those, the ones under which some unit's rank differs from :attr:`baseline`) and
            ``firsts`` (the units ranked 1 under the method or a computable variant, in the row order of
            :attr:`ranks`).

        Examples
        --------
        >>> from cityeval import paths
        >>> from cityeval.composite.dataset import load_dataset
        >>> toy = load_dataset(paths.DATA / "examples" / "toy")
        >>> cmp = compare_methods(toy, None, {"aggregation": {"arithmetic": {}, "geometric": {"aggregate":
        ...                       {"method": "geometric"}}, "TOPSIS": {"aggregate": {"method": "topsis"}}}})
        >>> cmp.tally("aggregation")     # toy's min-max starts at 0: no geometric mean
        {'changes': 2, 'computable': 1, 'moving': 1, 'firsts': ['Amberfield']}
        """
        columns = [c for c in self.ranks.columns if group is None or c[0] == self._group(group)]
        changes = [c for c in columns if c not in self.nominal]
        computable = [c for c in changes if self.runs.get(c) is not None]
        movement = self.movement()
        moving = [c for c in computable if movement.at[c, "cities that move"] > 0]
        first = self.ranks[[c for c in columns if self.runs.get(c) is not None]].astype(float).eq(1).any(axis=1)
        first |= self.baseline.eq(1)
        return {"changes": len(changes), "computable": len(computable), "moving": len(moving),
                "firsts": list(first.index[first])}

    def summary(self) -> str:
        """One sentence: who ranks first under the method, how many of the computable variants that change one
        choice (the :attr:`nominal` ones are not counted) move a unit, and who ranks first under the method or a
        computable variant ("first place across variants", never "not computable").

        The sentence starts "Illustrative numbers on invented data: " when the dataset is invented
        (:attr:`Dataset.invented`), "Illustrative numbers on synthetic data: " when it is otherwise synthetic
        (:attr:`Dataset.synthetic`), and names the data by its folder ("the toy data").
        """
        t = self.tally()
        prefix = ("Illustrative numbers on invented data: " if self.dataset.invented else
                  "Illustrative numbers on synthetic data: " if self.dataset.synthetic else "")
        name = self.dataset.path.name if self.dataset.path is not None else "given"
        missing = t["changes"] - t["computable"]
        left = f" ({missing} more cannot be computed)" if missing else ""
        return (f"{prefix}{self.ranks.index[0]} ranks first on the {name} data with the parameters' method; "
                f"{t['moving']} of {t['computable']} computable one-choice {_plural(t['computable'], 'variant')} "
                f"{'moves' if t['moving'] == 1 else 'move'} at least one city{left}; first place "
                f"across variants: {', '.join(sorted(t['firsts']))}.")

    def results(self) -> dict:
        """The key figures, for a results file: ``summary``, ``method`` (the resolved record), ``index_scores``
        (scores of the code), ``ranks`` (of every aggregate code), ``treatment`` (per indicator: ``failed``,
        ``action``, ``units_changed``), ``weights``, ``rank_variants`` (``"group: label"`` -> rank per unit,
        as floats), ``rank_movement`` (``"group: label"`` -> ``cities_that_move``, ``largest_move`` (None
        when not computable), ``first_place``) and ``not_computable`` (:attr:`reasons`)."""
        result, movement = self.result, self.movement()
        return {
            "summary": self.summary(),
            "method": result.method,
            "index_scores": result.scores[self.code],
            "ranks": {code: result.ranks[code] for code in result.ranks.columns},
            "treatment": {code: {"failed": bool(r["failed"]), "action": r["action"],
                                 "units_changed": r["units_changed"]} for code, r in result.treatment.iterrows()},
            "weights": result.weights,
            "rank_variants": {f"{a}: {b}": self.ranks[(a, b)].astype(float) for a, b in self.ranks.columns},
            "rank_movement": {f"{a}: {b}": {"cities_that_move": int(r["cities that move"]),
                                            "largest_move": (float(r["largest move (ranks)"])
                                                             if pd.notna(r["largest move (ranks)"]) else None),
                                            "first_place": r["first place"]}
                              for (a, b), r in movement.iterrows()},
            "not_computable": dict(self.reasons),
        }


def compare_methods(dataset: Dataset, method: dict | None, variants: Mapping[str, Mapping[str, dict]], *,
                    code: str | None = None) -> MethodComparison:
    """Run ``method`` and each variant of it, and collect the ranks of ``code`` under each.

    Parameters
    ----------
    dataset : Dataset
    method : dict or None
        The method record (partial records are completed by
        :func:`~cityeval.composite.method.resolve_method`); ``None``: the dataset's own.
    variants : mapping of str to mapping of str to dict
        ``{group: {label: changes}}``, where ``changes`` maps stages to the entries that replace
        the method's (``{"normalize": {"method": "rank"}}``); ``{}`` is the method itself. Groups
        and labels name the columns of :attr:`MethodComparison.ranks`, in this order.
    code : str, optional
        The aggregate code to rank on; default the single code at the top of the tree.

    Returns
    -------
    MethodComparison

    Raises
    ------
    ParameterError
        Not a Dataset, a bad method record or variant (an unknown stage, method or option), a
        code that is not an aggregate code, a tree with several top codes and no ``code``.
    CityevalError
        The method itself cannot be run on the data (a DataError, or a ParameterError of an option
        the data lack). A variant that cannot be run is recorded in
        :attr:`MethodComparison.reasons` instead.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> cmp = compare_methods(toy, {"treat": {"method": "jrc"}},
    ...                       {"treatment": {"JRC rule": {}, "none": {"treat": {"method": "none"}}}})
    >>> cmp.movement()["first place"].tolist()
    ['Amberfield', 'Harbourton']
    >>> sorted(cmp.nominal)
    [('treatment', 'JRC rule')]
    >>> cmp.summary()
    "Illustrative numbers on invented data: Amberfield ranks first on the toy data with the parameters' \
method; 1 of 1 computable one-choice variant moves at least one city; first place across variants: Amberfield, \
Harbourton."
    """
    if not isinstance(dataset, Dataset):
        raise ParameterError("dataset", "a cityeval.composite.dataset.Dataset (see load_dataset)", type(dataset).__name__)
    record = resolve_method(dataset.method if method is None else method)
    if not isinstance(variants, Mapping) or not all(isinstance(v, Mapping) for v in variants.values()):
        raise ParameterError("variants", "a mapping {group: {label: {stage: entry}}}", variants)
    result = run(dataset, record)
    meta = dataset.indicators
    if code is None:
        top = framework.codes_at_level(meta, dataset.top_level)
        if len(top) != 1:
            raise ParameterError("code", f"one of the top codes {top} (the tree has several)", None)
        code = top[0]
    if not isinstance(code, str) or code not in result.ranks.columns:
        raise ParameterError("code", f"an aggregate code, one of {list(result.ranks.columns)}", code)
    runs, reasons, columns, nominal = {}, {}, {}, set()
    for group, entries in variants.items():
        for label, changes in entries.items():
            if not isinstance(changes, Mapping):
                raise ParameterError(f"variants[{group!r}][{label!r}]", "a mapping {stage: entry}", changes)
            changed = {**record, **changes}
            # a bad variant is the caller's error: raise it, do not record it
            if resolve_method(changed) == record:
                nominal.add((group, label))
            try:
                # a weighting variant replaces the weight column on purpose (the lesson is what weights do)
                runs[(group, label)] = run(dataset, changed,
                                           column_weights="ignore" if "weight" in changes else "check")
                columns[(group, label)] = runs[(group, label)].ranks[code]
            except CityevalError as exc:  # not only DataError: an option the data lack (no targets) too
                runs[(group, label)] = None
                reasons[f"{group}: {label}"] = str(exc)
                columns[(group, label)] = pd.Series(pd.NA, index=dataset.units, dtype="Int64")
    order = pd.DataFrame({"rank": result.ranks[code]}).sort_values("rank").index
    groups = {group: pd.DataFrame({label: columns[(group, label)] for label in entries})
              for group, entries in variants.items()}
    ranks = pd.concat(groups, axis=1).loc[order]
    return MethodComparison(dataset=dataset, code=code, result=result, ranks=ranks, runs=runs, reasons=reasons,
                            nominal=frozenset(nominal))


def children_means(result: RunResult, codes) -> pd.DataFrame:
    """The plain (unweighted) mean of the children's scores of each of ``codes``, units × codes.

    With equal weights and the arithmetic mean this is each code's own score, a check a
    reader can do by hand.

    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> r = run(load_dataset(paths.DATA / "examples" / "toy"))
    >>> bool(np.allclose(children_means(r, ["infra", "index"]), r.scores[["infra", "index"]]))
    True
    """
    meta = result.indicators
    out = pd.DataFrame({c: result.scores[framework.children(meta, c)].mean(axis=1) for c in codes})
    present = np.column_stack([result.scores[framework.children(meta, c)].notna().any(axis=1) for c in codes]) \
        if len(codes) else None
    check_finite_result("children_means", out.to_numpy(dtype=float), units=out.index, codes=out.columns,
                        present=present)
    return out
