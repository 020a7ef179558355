"""The audit's named results: a batch of scenarios, the rank distribution, the Sobol' indices.

All three are frozen dataclasses (the results writer serializes them by field name); their
arrays and frames are not copied, so a caller that changes one in place changes it for everyone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Scenarios", "UncertaintyResult", "SensitivityResult"]


@dataclass(frozen=True)
class Scenarios:
    """A batch of scenarios.

    Attributes
    ----------
    choice : numpy.ndarray of int, shape (m, 3)
        Option index of treat, normalize and aggregate (0 for a choice that is not uncertain).
    weights : numpy.ndarray, shape (m, n_codes)
        Raw weight of every code of the audited subtree (order :attr:`AuditDesign.weight_codes`),
        before renormalization within each parent.
    weight_set : numpy.ndarray of int, shape (m,), or None
        With a weight pool (``spec.choices.weights.pool``), the index of the pool's set each scenario
        picked; None when every scenario draws its own weights.
    """

    choice: np.ndarray
    weights: np.ndarray
    weight_set: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.choice)


@dataclass(frozen=True)
class UncertaintyResult:
    """The rank distribution of every unit over the Monte Carlo scenarios.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by unit (the kept units, dataset order), columns ``nominal`` (the nominal run's
        rank), ``mean``, ``median``, ``q05``, ``q95`` (quantiles of numpy's default "linear" rule,
        R's type 7 as in COINr).
    mean_rank_shift : numpy.ndarray, shape (n,)
        Per scenario, the mean over units of ``|rank - nominal rank|`` (COINr's summary of a scenario).
    scenarios : pandas.DataFrame
        Per scenario, the label of the option drawn for each discrete choice; with a weight pool also
        ``weights``, the index (0 ... K - 1) of the pool's weight set it picked.
    ranks : pandas.DataFrame or None
        The raw rank matrix (scenarios x units) when requested.
    n, seed, target, synthetic, spec
        What was run: ``seed`` is the one used (drawn and recorded when none was given).
    """

    table: pd.DataFrame
    mean_rank_shift: np.ndarray
    scenarios: pd.DataFrame
    ranks: pd.DataFrame | None
    n: int
    seed: int
    target: str
    synthetic: bool
    spec: dict = field(repr=False)


@dataclass(frozen=True)
class SensitivityResult:
    """Sobol' indices per uncertain input.

    Attributes
    ----------
    indices : pandas.DataFrame
        Indexed by input (the spec's choices), columns ``first``, ``total`` (of the mean absolute
        rank shift), ``first_lo``, ``first_hi``, ``total_lo``, ``total_hi`` (percentile bootstrap
        interval at ``confidence``), and ``rank_first``, ``rank_total``: the indices of the units'
        ranks pooled over units, :math:`\\sum_u V_u S_{u,i} / \\sum_u V_u` (the variance-weighted
        mean of each unit's index, Gamboa et al. 2014).
    n : int
        Rows of A and B; the model ran ``n (d + 2)`` times.
    evaluations : int
        ``n (d + 2)``.
    confidence : float
        Level of the bootstrap intervals.
    seed : int
        The seed used (drawn and recorded when none was given).
    note : str or None
        The caveat of a design whose ``n`` is not a power of 2
        (:func:`~cityeval.audit.sobol.balance_note`); None for a power of 2.
    """

    indices: pd.DataFrame
    n: int
    evaluations: int
    confidence: float
    seed: int

    @property
    def note(self) -> str | None:
        """The caveat of a design whose ``n`` is not a power of 2, else None (a property: not serialized)."""
        from cityeval.audit.sobol import balance_note

        return balance_note(self.n)
