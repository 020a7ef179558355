r"""The audit's engine: a dataset prepared once, then many scenarios ranked at a time.

:func:`prepare` checks a spec (:mod:`cityeval.audit.spec`) against a dataset and returns an
:class:`AuditDesign`, whose :meth:`~AuditDesign.rank_uncertainty` (Monte Carlo) and
:meth:`~AuditDesign.sensitivity` (Sobol') run the audit.

The engine is vectorized. The data that a discrete choice changes (treatment, normalization)
are computed once per option with :func:`cityeval.composite.pipeline.run`; everything else is array
algebra over many scenarios at a time, in chunks of bounded memory:

- With complete data and one aggregation rule at every level, the weighted arithmetic mean up
  a tree collapses to one weighted sum of the normalized indicators, with the *effective
  weight* of indicator :math:`i` the product of the normalized weights on its path to the
  audited code :math:`T`:

  .. math:: s_u = \sum_i x_{ui}\, \tilde w_i, \qquad
            \tilde w_i = \prod_{c \in \mathrm{path}(i \to T)} \frac{w_c}{\sum_{c' \in C(p(c))} w_{c'}}

  and the weighted geometric mean to :math:`s_u = \exp\big(\sum_i \tilde w_i \log x_{ui}\big)`.
  One scenario is then a row of effective weights, and a chunk of scenarios sharing a
  treatment/normalization/aggregation option is one matrix product
  (:math:`(m \times k)(k \times n_{units})`).
- Ranks are computed row-wise by one sort with the run's tie rule (:mod:`cityeval.audit.ranks`);
  the rank distribution of each unit is accumulated as a histogram, so the exact mean, median
  and quantiles need memory independent of the number of scenarios.

Every scenario is equivalent to a pipeline run: :meth:`AuditDesign.pipeline_inputs` gives the
dataset (with the scenario's weights in ``indicators.csv``'s ``weight`` column) and the method
record (weight method ``"given"``) whose :func:`~cityeval.composite.pipeline.run` gives the same
scores and ranks; the tests check this scenario by scenario.

Decided edge cases
------------------
- A data-driven weight method (entropy, CRITIC, ...) of the nominal record is evaluated once,
  in the nominal run; its weights are then held fixed (and perturbed) across the other choices.
  Equal and given weights do not depend on the data, so nothing is lost for them.
- Geometric aggregation needs every normalized value > 0 (a geometric mean of positive values
  is positive, so checking level 1 is enough). Min-max onto [1, 100] is positive; a z-score
  with mean 10 and sd 2 is positive unless a value lies more than 5 standard deviations below
  the mean. A non-positive value is a :class:`~cityeval.errors.DataError` naming the option,
  the indicator and the unit, raised before any scenario runs: never a silently wrong mean.
- The normalized data must be complete (impute first); the pipeline refuses missing values
  under imputation ``"none"`` anyway.
- The rank of each scenario follows the nominal record's tie rule (``rank.ties``).
- An output that never varies (e.g. no uncertain choice) has Sobol' indices 0 (scipy's
  convention), not NaN.
- A seed is a whole number 0 ... 2**32 - 1. Without one (in the call or the spec) a fresh seed
  in that range is drawn and recorded in the result, so the run can be repeated.
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd

from cityeval.audit._montecarlo import check_workers, monte_carlo
from cityeval.audit._sensitivity import saltelli_run
from cityeval.audit.ranks import quantile_from_counts, rank_rows, sorted_ranks
from cityeval.audit.results import Scenarios, SensitivityResult, UncertaintyResult
from cityeval.audit.sizes import check_audit_size
from cityeval.audit.spec import (DEFAULT_N, DISCRETE_CHOICES, VECTOR_AGGREGATIONS, check_spec, load_spec,
                                 merge_entry, option_label)
from cityeval.composite import framework
from cityeval.composite.dataset import Dataset
from cityeval.composite.method import resolve_method
from cityeval.composite.pipeline import run
from cityeval.errors import DataError, ParameterError
from cityeval.validation import (SEED_MAX, Shown, check_bool, check_integer, check_number,
                                 check_seed)

__all__ = ["prepare", "rank_uncertainty", "sensitivity", "AuditDesign", "CHUNK_BYTES"]

#: Largest score buffer of one chunk, in bytes (sets the default chunk size).
CHUNK_BYTES = 8 * 2**20


def _fresh_seed() -> int:
    """A seed from fresh entropy, 0 ... 2**32 - 1 (recorded in the result, so the run can be repeated)."""
    return int(np.random.SeedSequence().entropy % (SEED_MAX + 1))


class AuditDesign:
    """A dataset prepared for the vectorized audit: the data of every discrete option precomputed.

    Build with :func:`prepare`. Methods :meth:`rank_uncertainty` (Monte Carlo) and
    :meth:`sensitivity` (Sobol') run the audit; :meth:`sample`, :meth:`evaluate` and
    :meth:`pipeline_inputs` expose single scenarios.

    Attributes
    ----------
    spec : dict
        The checked spec.
    record : dict
        The nominal method record (resolved).
    target : str
        The audited aggregate code.
    units : pandas.Index
        The ranked units (the nominal run's).
    nominal_rank : numpy.ndarray
        Each unit's rank in the nominal run.
    weight_codes : list of str
        Every code below the target, top-down by level; :attr:`leaves` are those of level 1.
    options, labels : dict
        Per discrete choice, the entries (merged over the nominal record) and their labels.
    factors : list of str
        The Sobol' inputs (the spec's choices, in its order); :attr:`dimension` uniform numbers
        make one scenario.
    """

    def __init__(self, dataset: Dataset, spec: dict, method: dict | None = None):
        if not isinstance(dataset, Dataset):
            raise ParameterError("dataset", "a cityeval.composite.dataset.Dataset (see load_dataset)",
                                 Shown(type(dataset).__name__))
        self.spec = check_spec(spec)
        self.dataset = dataset
        self.record = resolve_method(dataset.method if method is None else method)
        self.nominal_result = run(dataset, self.record)
        self.ties = self.record["rank"]["ties"]
        self.synthetic = bool(dataset.synthetic)
        choices = self.spec["choices"]
        self._set_target()
        by_level = self._set_tree()
        self._set_perturbation(choices.get("weights", {}).get("perturbation", {}), by_level)
        #: Size of the pool of weight sets (``spec.choices.weights.pool``), or None: fresh weights per scenario.
        self.pool_size = choices.get("weights", {}).get("pool")
        self._set_options(choices)
        self._set_factors(choices)
        self._precompute()

    # ---- construction steps (in this order) -----------------------------------------------
    def _set_target(self) -> None:
        """The audited code (the spec's ``target``, else the tree's one top code) and its nominal ranks."""
        nominal = self.nominal_result
        meta = self.dataset.indicators
        agg_codes = nominal.aggregate_codes
        top = [c for c in agg_codes if meta.at[c, "parent"] is None]
        target = self.spec.get("target")
        if target is None:
            if len(top) != 1:
                raise ParameterError("spec.target", f"one of the top codes {top} (the tree has several)", None)
            target = top[0]
        if target not in agg_codes:
            raise ParameterError("spec.target", f"an aggregate code (level >= 2), one of {agg_codes}", target)
        self.target = target
        self.units = nominal.ranks.index
        self.nominal_rank = nominal.ranks[target].to_numpy(dtype=float)

    def _set_tree(self) -> dict:
        """The subtree below the target: codes top-down by level, the leaves, and the arrays that
        renormalize weights within parents and multiply them down the tree. Returns the codes by level."""
        meta = self.dataset.indicators
        sub = framework.descendants(meta, self.target)
        t_level = int(meta.at[self.target, "level"])
        self._t_level = t_level
        by_level = {lev: [c for c in sub if int(meta.at[c, "level"]) == lev] for lev in range(t_level - 1, 0, -1)}
        self.weight_codes = [c for lev in range(t_level - 1, 0, -1) for c in by_level[lev]]
        self.leaves = by_level[1]
        pos = {c: j for j, c in enumerate(self.weight_codes)}
        self._pos = pos
        parents = [meta.at[c, "parent"] for c in self.weight_codes]
        self._parent_pos = np.array([pos.get(p, -1) for p in parents])
        parent_codes = list(dict.fromkeys(parents))
        self._member = np.zeros((len(self.weight_codes), len(parent_codes)))
        self._member[np.arange(len(self.weight_codes)), [parent_codes.index(p) for p in parents]] = 1.0
        self._parent_col = np.array([parent_codes.index(p) for p in parents])
        self._level_slices = []
        start = 0
        for lev in range(t_level - 1, 0, -1):
            self._level_slices.append(slice(start, start + len(by_level[lev])))
            start += len(by_level[lev])
        self._leaf_slice = self._level_slices[-1]
        self.nominal_weights = self.nominal_result.weights.reindex(self.weight_codes).to_numpy(dtype=float)
        if not np.isfinite(self.nominal_weights).all():
            missing = [c for c, w in zip(self.weight_codes, self.nominal_weights) if not np.isfinite(w)]
            raise DataError(self.dataset.path, "the nominal run gave no weight for some codes",
                            detail=", ".join(missing))
        return by_level

    def _set_perturbation(self, pert: dict, by_level: dict) -> None:
        """The perturbed weight codes and their fractions (``spec.choices.weights.perturbation``)."""
        meta = self.dataset.indicators
        levels_ok = list(range(1, self._t_level))
        delta = np.zeros(len(self.weight_codes))
        for lev, frac in pert.items():
            if int(lev) not in levels_ok:
                raise ParameterError(f"spec.choices.weights.perturbation key {lev!r}",
                                     f"a level of the codes below {self.target!r}: one of "
                                     f"{[str(v) for v in levels_ok]}", lev)
            delta[[self._pos[c] for c in by_level[int(lev)]]] = frac
        self._perturbed = np.flatnonzero([str(int(meta.at[c, "level"])) in pert for c in self.weight_codes])
        self._delta = delta[self._perturbed]

    def _set_options(self, choices: dict) -> None:
        """The entries of every discrete choice, merged over the nominal record, and checked."""
        record = self.record
        self.options = {}
        self.labels = {}
        for stage in DISCRETE_CHOICES:
            if stage in choices:
                opts = choices[stage]["options"]
                self.options[stage] = [merge_entry(record[stage], o) for o in opts]
                self.labels[stage] = [option_label(o) for o in opts]
            else:
                nominal_entry = {k: v for k, v in record[stage].items() if k not in ("by_level", "by_parent")}
                self.options[stage] = [nominal_entry]
                self.labels[stage] = ["nominal"]
        for j, entry in enumerate(self.options["aggregate"]):
            where = "spec.choices.aggregate.options" if "aggregate" in choices else "the nominal record's aggregate"
            if entry.get("method") not in VECTOR_AGGREGATIONS or set(entry) - {"method"}:
                raise ParameterError(f"{where}[{j}]" if "aggregate" in choices else where,
                                     f"one of {list(VECTOR_AGGREGATIONS)} without options (the vectorized engine "
                                     "collapses these over the tree)", entry)
            if "aggregate" not in choices and (record["aggregate"].get("by_level")
                                               or record["aggregate"].get("by_parent")):
                raise ParameterError("the nominal record's aggregate", "one rule at every level (no by_level/by_parent "
                                     "overrides) unless the spec makes aggregation a choice", record["aggregate"])
        self._geometric = np.array([e["method"] == "geometric" for e in self.options["aggregate"]])
        for stage in ("treat", "normalize"):
            for j, entry in enumerate(self.options[stage]):
                try:
                    resolve_method({**record, stage: entry})
                except ParameterError as exc:
                    raise ParameterError(f"spec.choices.{stage}.options[{j}]",
                                         f"an entry valid over the nominal record ({exc})", entry) from None

    def _set_factors(self, choices: dict) -> None:
        """The factors (Sobol' inputs, the spec's choices in order) and their columns in a uniform sample."""
        self.factors = []
        self._columns = {}
        col = 0
        for name in choices:
            width = len(self._perturbed) if name == "weights" and not self.pool_size else 1
            self.factors.append(name)
            self._columns[name] = np.arange(col, col + width)
            col += width
        self.dimension = col

    def _precompute(self) -> None:
        """The normalized leaves of every treat x normalize option (and their logs under a geometric option)."""
        dataset, record = self.dataset, self.record
        n_t, n_n = len(self.options["treat"]), len(self.options["normalize"])
        self._base = np.empty((n_t, n_n, len(self.units), len(self.leaves)))
        for i, t_entry in enumerate(self.options["treat"]):
            for j, n_entry in enumerate(self.options["normalize"]):
                rec = {**copy.deepcopy(record), "treat": t_entry, "normalize": n_entry,
                       "weight": {"method": "equal"}, "aggregate": {"method": "arithmetic"}}
                # only the normalized stage is used: the scenarios draw their own weights
                res = run(dataset, rec, column_weights="ignore")
                x = res.stages["normalized"]
                if not x.index.equals(self.units):
                    raise DataError(dataset.path, "the kept units differ between options",
                                    detail=f"treat option {i}, normalize option {j}")
                x = x[self.leaves].to_numpy(dtype=float)
                if not np.isfinite(x).all():
                    r, c = np.argwhere(~np.isfinite(x))[0]
                    raise DataError(dataset.path, "the audit needs complete normalized data (impute first)",
                                    column=self.leaves[c], detail=f"unit {self.units[r]!r}, treat option {i}, "
                                                                  f"normalize option {j}")
                self._base[i, j] = x
        self._log = None
        if self._geometric.any():
            bad = self._base <= 0
            if bad.any():
                i, j, r, c = np.argwhere(bad)[0]
                raise DataError(dataset.path, "geometric aggregation needs every normalized value > 0; choose a "
                                "normalization with a positive range (min-max with low > 0) or drop the geometric option",
                                column=self.leaves[c],
                                detail=f"normalize option {j} {self.labels['normalize'][j]!r} with treat option {i} "
                                       f"{self.labels['treat'][i]!r} gives {self._base[i, j, r, c]:g} for unit "
                                       f"{self.units[r]!r}; {int(bad.sum())} such value(s)")
            self._log = np.log(self._base)

    # ---- scenarios -------------------------------------------------------------------------
    def decode(self, u, *, pool=None) -> Scenarios:
        """Scenarios from uniform numbers ``u`` of shape (m, :attr:`dimension`) in [0, 1).

        With a weight pool in the spec, ``pool`` is the run's pool (:meth:`weight_pool`) and the weights
        column of ``u`` picks one of its sets (set ``floor(K u)``); without one, ``pool`` must be None.
        """
        u = np.asarray(u, dtype=float)
        if u.ndim != 2 or u.shape[1] != self.dimension:
            raise ParameterError("u", f"an array of shape (m, {self.dimension})", f"shape {u.shape}")
        if not ((u >= 0) & (u < 1)).all():
            raise ParameterError("u", "uniform numbers in [0, 1)", Shown(f"values from {u.min()} to {u.max()}"))
        m = len(u)
        choice = np.zeros((m, 3), dtype=np.int64)
        for k, stage in enumerate(DISCRETE_CHOICES):
            if stage in self._columns:
                n_opt = len(self.options[stage])
                choice[:, k] = np.minimum((u[:, self._columns[stage][0]] * n_opt).astype(np.int64), n_opt - 1)
        if self.pool_size:
            if pool is None:
                raise ParameterError("pool", f"the run's pool of {self.pool_size} weight sets (weight_pool(seed)): "
                                     "the spec draws the weights from a pool", None)
            pool = np.asarray(pool, dtype=float)
            if pool.shape != (self.pool_size, len(self.weight_codes)):
                raise ParameterError("pool", f"an array of shape ({self.pool_size}, {len(self.weight_codes)}) "
                                     "(weight_pool(seed))", Shown(f"shape {pool.shape}"))
            k = self.pool_size
            pick = np.minimum((u[:, self._columns["weights"][0]] * k).astype(np.int64), k - 1)
            return Scenarios(choice=choice, weights=pool[pick], weight_set=pick)
        if pool is not None:
            raise ParameterError("pool", "None (the spec draws fresh weights per scenario, no pool)",
                                 Shown("an array"))
        if "weights" in self._columns:
            return Scenarios(choice=choice, weights=self._noisy(u[:, self._columns["weights"]]))
        return Scenarios(choice=choice, weights=np.repeat(self.nominal_weights[None, :], m, axis=0))

    def _noisy(self, uw: np.ndarray) -> np.ndarray:
        """Raw weights from uniform numbers of the perturbed codes, one row each (COINr's get_noisy_weights)."""
        weights = np.repeat(self.nominal_weights[None, :], len(uw), axis=0)
        factor = 1.0 + self._delta * (2.0 * uw - 1.0)
        p = self._perturbed
        if len(p) and p[-1] - p[0] + 1 == len(p):           # one block of columns: a slice, not a gather
            weights[:, p[0]:p[-1] + 1] *= factor
        else:
            weights[:, p] *= factor
        return weights

    def weight_pool(self, seed) -> np.ndarray | None:
        """The pool of noisy weight sets of a run with this seed (``spec.choices.weights.pool``), or None.

        The pool is drawn once per run, from its own stream of the seed (``default_rng([seed, 2])``), so that
        it is the same for the Monte Carlo and the Sobol' analysis of one seed and does not depend on ``n``.
        Each row holds the raw weights of :attr:`weight_codes`, perturbed as in the default design.

        Examples
        --------
        >>> from cityeval import paths
        >>> from cityeval.composite import load_dataset
        >>> design = prepare(load_dataset(paths.DATA / "examples" / "toy"),
        ...                  {"choices": {"weights": {"perturbation": {"1": 0.25}, "pool": 4}}})
        >>> design.weight_pool(1).shape, len(np.unique(design.sample(500, seed=1).weight_set))
        ((4, 8), 4)
        """
        if not self.pool_size:
            return None
        seed = check_seed(seed)
        return self._noisy(np.random.default_rng([seed, 2]).random((self.pool_size, len(self._perturbed))))

    def sample(self, n: int, *, seed=None) -> Scenarios:
        """``n`` Monte Carlo scenarios: the same ones :meth:`rank_uncertainty` draws with this seed.

        ``seed`` is 0 ... 2**32 - 1, or ``None`` for fresh entropy (different scenarios each call).
        """
        n = check_integer("n", n, low=1)
        seed = check_seed(seed, allow_none=True)
        seed = _fresh_seed() if seed is None else seed
        return self.decode(np.random.default_rng(seed).random((n, self.dimension)), pool=self.weight_pool(seed))

    def effective_weights(self, weights) -> np.ndarray:
        """Effective weight of every leaf in the audited code, shape (m, n_leaves) (module docstring)."""
        w = np.asarray(weights, dtype=float)
        sums = w @ self._member
        wn = w / sums[:, self._parent_col]
        eff = np.empty_like(wn)
        for sl in self._level_slices:
            pp = self._parent_pos[sl]
            if (pp < 0).all():
                eff[:, sl] = wn[:, sl]
            else:
                eff[:, sl] = wn[:, sl] * eff[:, pp]
        return eff[:, self._leaf_slice]

    def evaluate(self, scenarios: Scenarios, *, scores: bool = False) -> np.ndarray:
        """Ranks (or scores of the audited code) of every unit in each scenario, shape (m, n_units).

        All scenarios are evaluated at once; :meth:`rank_uncertainty` calls this chunk by chunk.
        """
        if not isinstance(scenarios, Scenarios):
            raise ParameterError("scenarios", "a Scenarios batch (from sample or decode)",
                                 Shown(type(scenarios).__name__))
        scores = check_bool("scores", scores)
        eff = self.effective_weights(scenarios.weights)
        m, n_units = len(scenarios), len(self.units)
        out = np.empty((m, n_units))
        n_n, n_a = len(self.options["normalize"]), len(self.options["aggregate"])
        combo = (scenarios.choice[:, 0] * n_n + scenarios.choice[:, 1]) * n_a + scenarios.choice[:, 2]
        for c in np.unique(combo):
            idx = np.flatnonzero(combo == c)
            t, rest = divmod(int(c), n_n * n_a)
            j, a = divmod(rest, n_a)
            if self._geometric[a]:
                block = eff[idx] @ self._log[t, j].T
                np.exp(block, out=block)
            else:
                block = eff[idx] @ self._base[t, j].T
            out[idx] = block
        return out if scores else rank_rows(out, ties=self.ties)

    def _sorted(self, scenarios: Scenarios):
        """:func:`~cityeval.audit.ranks.sorted_ranks` of the scenarios' scores (the fast path of
        :meth:`rank_uncertainty`)."""
        return sorted_ranks(self.evaluate(scenarios, scores=True), self.ties)

    def pipeline_inputs(self, scenarios: Scenarios, i: int) -> tuple[Dataset, dict]:
        """The dataset and method record whose :func:`cityeval.composite.pipeline.run` is scenario ``i``.

        The dataset is a copy whose ``weight`` column holds the scenario's raw weights (codes outside
        the audited subtree keep the nominal run's weights); the record is the nominal one with the
        scenario's treat, normalize and aggregate entries and weight method ``"given"``.
        """
        i = check_integer("i", i, low=0, high=len(scenarios) - 1)
        meta = self.dataset.indicators.copy()
        meta["weight"] = self.nominal_result.weights.reindex(meta.index).fillna(1.0).to_numpy()
        meta.loc[self.weight_codes, "weight"] = scenarios.weights[i]
        t, j, a = (int(v) for v in scenarios.choice[i])
        rec = copy.deepcopy(self.record)
        rec.update(treat=copy.deepcopy(self.options["treat"][t]), normalize=copy.deepcopy(self.options["normalize"][j]),
                   weight={"method": "given"}, aggregate=copy.deepcopy(self.options["aggregate"][a]))
        if self.synthetic:
            rec["synthetic"] = True
        return Dataset(self.dataset.values.copy(), meta, method=rec, path=None), rec

    def _chunk(self, chunk_size, workers: int = 1):
        """Scenarios per chunk: ``chunk_size``, else so that the ``workers`` chunks scored at once hold about
        :data:`CHUNK_BYTES` of scores together."""
        if chunk_size is None:
            return max(1, CHUNK_BYTES // (8 * max(1, len(self.units)) * workers))
        return check_integer("chunk_size", chunk_size, low=1)

    def _seed(self, seed) -> int:
        """The seed of a run: the argument, else the spec's, else fresh entropy (0 ... 2**32 - 1)."""
        seed = check_seed(seed, allow_none=True)
        if seed is None:
            seed = self.spec.get("seed")
        return _fresh_seed() if seed is None else seed

    # ---- uncertainty analysis --------------------------------------------------------------
    def rank_uncertainty(self, n: int | None = None, *, seed=None, return_ranks: bool = False,
                         chunk_size: int | None = None, workers: int | None = None) -> UncertaintyResult:
        """Monte Carlo over the uncertain choices: each unit's rank distribution.

        Parameters
        ----------
        n : int, optional
            Scenarios; default the spec's ``n``, else :data:`~cityeval.audit.spec.DEFAULT_N`.
        seed : int, optional
            0 ... 2**32 - 1; default the spec's ``seed``; if neither, fresh entropy (the seed used
            is recorded).
        return_ranks : bool, default False
            Keep the raw rank matrix (n x units, ``int32``).
        chunk_size : int, optional
            Scenarios per chunk; default so that one chunk's scores take about
            :data:`CHUNK_BYTES`. The result does not depend on it; memory is bounded by it whatever ``n`` is.
        workers : int, optional
            Threads scoring and ranking chunks at once; default the cores this process may use. The
            result does not depend on it (:mod:`cityeval.audit._montecarlo`).

        Returns
        -------
        UncertaintyResult
        """
        n = check_integer("n", n if n is not None else self.spec.get("n", DEFAULT_N), low=1)
        seed = self._seed(seed)
        return_ranks = check_bool("return_ranks", return_ranks)
        workers = check_workers(workers)
        chunk = self._chunk(chunk_size, workers)
        check_audit_size(self, n, return_ranks=return_ranks, chunk=chunk, workers=workers)   # before any allocation
        counts, shift, choices, weight_set, kept = monte_carlo(self, n, seed, chunk=chunk, return_ranks=return_ranks,
                                                               workers=workers)
        half = self.ties == "average"
        bins = counts.shape[1]
        values = np.arange(bins) / (2.0 if half else 1.0)
        table = pd.DataFrame({
            "nominal": pd.array(self.nominal_rank, dtype="Float64" if half else "Int64"),
            "mean": (counts * values).sum(axis=1) / n,
            "median": quantile_from_counts(counts, values, 0.5),
            "q05": quantile_from_counts(counts, values, 0.05),
            "q95": quantile_from_counts(counts, values, 0.95),
        }, index=self.units)
        ranks = pd.DataFrame(kept, columns=self.units, copy=False) if kept is not None else None
        return UncertaintyResult(table=table, mean_rank_shift=shift,
                                 scenarios=self._scenario_labels(choices, weight_set),
                                 ranks=ranks, n=n, seed=seed, target=self.target, synthetic=self.synthetic,
                                 spec=self.spec)

    def _scenario_labels(self, choices: np.ndarray, weight_set=None) -> pd.DataFrame:
        """Per scenario, the label of the option drawn for each uncertain discrete choice (categoricals);
        labels are prefixed by the option's index when two options share one. With a weight pool, the
        column ``weights`` holds the index of the set picked."""
        columns = {}
        for k, stage in enumerate(DISCRETE_CHOICES):
            if stage not in self._columns:
                continue
            labels = self.labels[stage]
            categories = (list(dict.fromkeys(labels)) if len(set(labels)) == len(labels)
                          else [f"{j}: {lab}" for j, lab in enumerate(labels)])
            columns[stage] = pd.Categorical.from_codes(choices[:, k], categories=pd.Index(categories))
        if weight_set is not None:
            columns["weights"] = weight_set
        return pd.DataFrame(columns)

    # ---- sensitivity analysis --------------------------------------------------------------
    def sensitivity(self, n: int = 512, *, seed=None, n_boot: int = 1000, confidence: float = 0.95,
                    chunk_size: int | None = None) -> SensitivityResult:
        """First-order and total Sobol' indices of the rank shift, per uncertain input.

        Parameters
        ----------
        n : int, default 512
            Rows of the A and B matrices, >= 2; the model runs ``n (d + 2)`` times for ``d`` inputs
            (the spec's choices; all perturbed weights form one input, or the pick of a pool's set). A
            power of 2 keeps the Sobol' points balanced; another size (COINr's examples use 100) runs
            with an :class:`~cityeval.audit.sobol.UnbalancedSobolWarning` and the caveat in the
            result's ``note``.
        seed : int, optional
            As for :meth:`rank_uncertainty`; it seeds the Sobol' scrambling and the bootstrap.
        n_boot : int, default 1000
            Bootstrap resamples of the rows for the intervals (0: none, intervals NaN).
        confidence : float, default 0.95
            Level of the percentile bootstrap intervals, in (0, 1).
        chunk_size : int, optional
            As for :meth:`rank_uncertainty`.

        Returns
        -------
        SensitivityResult

        Notes
        -----
        The output of a scenario is its mean absolute rank shift
        :math:`\\bar\\Delta = \\frac1{n_u}\\sum_u |r_u - r_u^{nom}|`; the indices come from
        :func:`~cityeval.audit.sobol.sobol_estimates` on A, B and the :math:`A_B^{(i)}` matrices in
        which the columns of input :math:`i` (for the weights, all of them) come from B (Saltelli
        et al. 2010). Sobol' indices of a *group* of columns are the usual ones of the group taken
        as one input.
        """
        if not self.factors:
            raise ParameterError("spec.choices", "at least one uncertain input for a sensitivity analysis", {})
        seed = self._seed(seed)
        n_boot = check_integer("n_boot", n_boot, low=0)
        confidence = check_number("confidence", confidence, low=0, high=1, low_open=True, high_open=True)
        n = check_integer("n", n, low=2)
        chunk = self._chunk(chunk_size)
        check_audit_size(self, 0, sobol=n, n_boot=n_boot, chunk=chunk)   # before anything is allocated
        return saltelli_run(self, n, seed, n_boot=n_boot, confidence=confidence, chunk=chunk)


# --------------------------------------------------------------------------------------- wrappers


def prepare(dataset: Dataset, spec, *, method: dict | None = None) -> AuditDesign:
    """Validate ``spec`` against ``dataset`` and precompute the data of every discrete option.

    Parameters
    ----------
    dataset : Dataset
        The values and the indicator tree.
    spec : dict or path-like
        The uncertainty spec (:mod:`cityeval.audit.spec`) or the path of its JSON file.
    method : dict, optional
        The nominal method record; default ``dataset.method``.

    Returns
    -------
    AuditDesign

    Raises
    ------
    ParameterError
        A bad spec (naming the key), a target that is not an aggregate code, a perturbed level
        outside the audited subtree, an aggregation the vectorized engine cannot collapse.
    DataError
        Incomplete normalized data; a non-positive normalized value under a geometric option.

    Examples
    --------
    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> spec = {"choices": {"weights": {"perturbation": {"1": 0.25, "2": 0.25}},
    ...                     "aggregate": {"options": [{"method": "arithmetic"}, {"method": "geometric"}]}}}
    >>> design = prepare(toy, spec, method={"normalize": {"method": "minmax", "low": 1, "high": 100}})
    >>> res = design.rank_uncertainty(200, seed=1)
    >>> list(res.table.columns)
    ['nominal', 'mean', 'median', 'q05', 'q95']
    >>> bool((res.table["q05"] <= res.table["q95"]).all())
    True
    """
    if isinstance(spec, (str, Path)):
        spec = load_spec(spec)
    return AuditDesign(dataset, spec, method)


def rank_uncertainty(dataset: Dataset, spec, *, n: int | None = None, seed=None, method: dict | None = None,
                     return_ranks: bool = False, chunk_size: int | None = None) -> UncertaintyResult:
    """Monte Carlo rank uncertainty: :func:`prepare` then :meth:`AuditDesign.rank_uncertainty`.

    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> res = rank_uncertainty(toy, {"choices": {"weights": {"perturbation": {"1": 0.25}}}}, n=50, seed=3)
    >>> res.n, res.seed, len(res.table) == len(toy.values)
    (50, 3, True)
    """
    return prepare(dataset, spec, method=method).rank_uncertainty(n, seed=seed, return_ranks=return_ranks,
                                                                  chunk_size=chunk_size)


def sensitivity(dataset: Dataset, spec, *, n: int = 512, seed=None, method: dict | None = None,
                n_boot: int = 1000, confidence: float = 0.95) -> SensitivityResult:
    """Sobol' indices of the rank shift: :func:`prepare` then :meth:`AuditDesign.sensitivity`.

    >>> from cityeval import paths
    >>> from cityeval.composite.dataset import load_dataset
    >>> toy = load_dataset(paths.DATA / "examples" / "toy")
    >>> sens = sensitivity(toy, {"choices": {"weights": {"perturbation": {"1": 0.25}}}}, n=16, seed=3, n_boot=0)
    >>> list(sens.indices.index), sens.evaluations
    (['weights'], 48)
    """
    return prepare(dataset, spec, method=method).sensitivity(n, seed=seed, n_boot=n_boot, confidence=confidence)
