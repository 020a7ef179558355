"""Which reading of 绝大部分城市都属于起步型和成长型 (the vast majority are starting or growing) data could decide.

Starting + growing are the cities low on development, so every rule made of the report's relative words fixes or
forces the answer: :func:`majority_readings` checks three readings with :func:`rule_check` under notebook 07's own
selection (the top ``top_n`` by the low-carbon score's effective weights) and states what can be said instead
(:func:`majority_rho_bound`: the correlation the claim would need).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from cityeval.errors import ParameterError
from cityeval.validation import Shown

from cityeval.analysis._typology_rule import RuleCheck, majority_rho_bound, rule_check, rule_text

__all__ = ["READINGS", "MajorityReadings", "majority_readings"]

#: The readings checked: name -> (what is classified, where the thresholds come from).
READINGS = {"median_classified": ("top", "classified"), "all_city_selected": ("top", "all"),
            "all_city_all_cities": ("all", "all")}


@dataclass(frozen=True)
class MajorityReadings:
    """The readings of the first statement and what each lets the data decide (:func:`majority_readings`).

    Attributes
    ----------
    checks : dict
        Reading (:data:`READINGS`) -> its :class:`RuleCheck`.
    weights : tuple
        The selection's effective weights on the standardized (ecology, development) scores.
    rho_bound : float
        :func:`majority_rho_bound` of ``weights``.
    """

    checks: dict
    weights: tuple
    rho_bound: float

    def testable(self, name: str) -> bool:
        """Whether more than half can fail or hold on the data sets of reading ``name``."""
        return self.checks[name].decided("majority_share") is None

    def _verdict(self, c: RuleCheck) -> str:
        m = "majority_share"
        if c.fixed(m):
            return f"starting + growing = {c.value(m):.1%} on every data set (fixed by the rule): untestable"
        answer = c.decided(m)
        span = f"starting + growing {c.low[m]:.0%}–{c.high[m]:.0%}"
        if answer is None:
            return (span + ": more than half can fail or hold, so the scores decide it (testable in principle; "
                    + c._where() + ")")
        return span + f", more than half {'holds' if answer else 'fails'} on every data set: untestable in practice"

    def sentences(self) -> list[str]:
        """One sentence per reading, the implication, and which reading (if any) the data could decide."""
        first = next(iter(self.checks.values()))
        lo, hi = first.rho_range
        out = [f"Readings of 绝大部分城市都属于起步型和成长型 (more than half starting or growing), each checked on "
               f"{first.n_draws} data sets of {first.n_units} cities (correlations of the two scores from {lo:g} to "
               f"{hi:g}, normal or skewed margins; the top {first.top_n} selected by {self.weights[0]:.2f} × ecology + "
               f"{self.weights[1]:.2f} × development, standardized, as the low-carbon score selects them):"]
        for name, c in self.checks.items():
            what = (f"the top {c.top_n}" if c.top_n < c.n_units else f"all {c.n_units} evaluated cities")
            out.append(f"  {rule_text(c.quantile, c.reference, c.n_units)}, classifying {what}: {self._verdict(c)}.")
        out.append("Under an elliptical dependence (e.g. bivariate normal), more than half of the selected cities are "
                   "below development's all-city median in expectation only if the selection score is negatively "
                   f"correlated with development, i.e. for ρ(ecology, development) < −w_dev/w_eco = "
                   f"{self.rho_bound:.2f} with these weights (majority_rho_bound"
                   + ("; with equal weights no correlation does" if self.rho_bound <= -1 else "")
                   + "); in finite samples and with skewed scores it occurs a little above that, as the ranges above "
                   "show. The report publishes neither the low-carbon score's weights nor the two scores, so this "
                   "cannot be checked.")
        if any(self.testable(n) for n in self.checks):
            names = [n for n in self.checks if self.testable(n)]
            out.append("The data could decide it under " + ", ".join(
                rule_text(self.checks[n].quantile, self.checks[n].reference, self.checks[n].n_units) for n in names)
                + " only (the others are decided by their rule and selection), and there more than half needs the two "
                "scores strongly opposed (the correlations above): the claim then says green ecology and green "
                "development are strongly negatively related among the evaluated cities, which no published table "
                "shows; testing it needs CCID's two scores, which the report does not publish.")
        else:
            out.append("None of these readings is testable: each makes the answer a consequence of the rule and the "
                       "selection. A testable reading needs an absolute cut (a level of the development score below "
                       "which a city is weak), which the report does not state, on CCID's scores, which it does not "
                       "publish.")
        return out

    def block(self) -> dict:
        """The results file's form: per reading its rule check, whether it is testable; the weights, the bound,
        the sentences."""
        return {"readings": {n: {**c.block(), "testable": self.testable(n)} for n, c in self.checks.items()},
                "selection_weights": list(self.weights),
                "rho_bound": None if math.isinf(self.rho_bound) else self.rho_bound, "text": self.sentences()}


def majority_readings(typology, *, n_draws: int = 200, seed: int = 0) -> MajorityReadings:
    """Check each reading of :data:`READINGS` with :func:`rule_check` under ``typology``'s selection.

    Parameters
    ----------
    typology : LowCarbonTypology
        With ``n_units`` known (:func:`cityeval.analysis.typology.lowcarbon_typology`); its ``top_n``,
        ``quantile`` and ``selection_weights`` are used.
    n_draws, seed : int
        As for :func:`rule_check`.

    Returns
    -------
    MajorityReadings

    Examples
    --------
    >>> import pandas as pd
    >>> from cityeval.analysis.typology import LowCarbonTypology
    >>> t = LowCarbonTypology(pd.DataFrame(), pd.Series(dtype=int), [], 100, 10, 0.5, n_units=293)
    >>> r = majority_readings(t, n_draws=30)
    >>> [r.testable(n) for n in r.checks], r.rho_bound
    ([False, False, False], -1.0)
    """
    n_units = getattr(typology, "n_units", None)
    if not n_units or not hasattr(typology, "selection_weights"):
        raise ParameterError("typology", "a LowCarbonTypology with n_units (from lowcarbon_typology)",
                             Shown(type(typology).__name__))
    checks = {name: rule_check(top_n=typology.top_n if what == "top" else n_units, quantile=typology.quantile,
                               reference=reference, n_units=n_units, n_draws=n_draws, seed=seed,
                               weights=typology.selection_weights)
              for name, (what, reference) in READINGS.items()}
    weights = next(iter(checks.values())).weights
    return MajorityReadings(checks=checks, weights=weights, rho_bound=majority_rho_bound(weights))
