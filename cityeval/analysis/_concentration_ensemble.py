"""Notebook 08's study reduced to a few numbers per panel, computed alike on the nominal panel and on every panel of
an ensemble that fits the published ranks, with the yes/no conclusions tested on them.

Re-exported by :mod:`cityeval.analysis.concentration`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.analysis._concentration_innovation import (LEAD_CONCLUSION, REPORT_LEADERS, STAND_INS,
                                                         innovation_frame, innovation_statements)
from cityeval.analysis._concentration_measures import head_concentration
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_integer, check_number

__all__ = ["innovation_statistics", "InnovationStatistics"]

#: Labels of :func:`innovation_statistics`' numbers (``{head}``, ``{top_n}``, ``{weak}`` and the stand-ins' codes
#: filled in by :meth:`InnovationStatistics.labels`).
_STATISTIC_LABELS = {
    **{f"{m}_{col}": text.format(col=col, code="{" + col + "}") for col in STAND_INS for m, text in (
        ("gini", "Gini of the raw {col} stand-in ({code}) over the top {{top_n}}"),
        ("theil", "Theil index of the raw {col} stand-in ({code}) over the top {{top_n}}"),
        ("head_share", "share of the top {{head}} in the raw {col} stand-in's sum over the top {{top_n}}"),
        ("weak_share", "share of the top {{top_n}} below {{weak:.0%}} of the leader on the raw {col} stand-in"))},
    "gap_head_sd": "gap between innovation ranks {head} and {head_next}, in SDs of the top {top_n} (free of the zero)",
    "report_city_leads": "Beijing or Shanghai leads the innovation score (1 yes, 0 no)",
    "report_pair_subject": "Beijing and Shanghai are the top 2 of the subject stand-in (1 yes, 0 no)",
    "report_pair_transfer": "Beijing and Shanghai are the top 2 of the transfer stand-in (1 yes, 0 no)",
    "head_gap_largest": "the largest gap of the top {top_n} follows innovation rank {head} (1 yes, 0 no)",
    "nominal_leaders_lead": "the nominal panel's innovation top {head} lead this panel too (1 yes, 0 no)",
}


def innovation_statistics(all_scores: pd.DataFrame, values: pd.DataFrame, normalized: pd.DataFrame,
                          indicators: pd.DataFrame, *, top_n: int, subject_code: str, transfer_code: str,
                          head: int = 2, weak_fraction: float = 0.5, nominal_leaders=None) -> dict:
    """Notebook 08's study on one panel, in a few numbers (the same on the nominal panel and on every
    panel of an ensemble).

    Parameters
    ----------
    all_scores, values, normalized, indicators, top_n, subject_code, transfer_code
        As for :func:`innovation_frame`.
    head : int, default 2
        Size of the head (:func:`head_concentration`).
    weak_fraction : float, default 0.5
        As for :func:`innovation_statements`.
    nominal_leaders : sequence of unit ids, optional
        The nominal panel's innovation head (``head`` ids): adds ``nominal_leaders_lead``.

    Returns
    -------
    dict
        Of each raw stand-in (``subject``, ``transfer``): ``gini_<col>``, ``theil_<col>``, ``head_share_<col>``
        (:class:`HeadConcentration`) and ``weak_share_<col>`` (:class:`InnovationStatements`); of the innovation
        score, ``gap_head_sd`` (a ratio of differences: the same wherever the score's zero is); and as 1.0 / 0.0:
        ``report_city_leads`` (the innovation leader is one of :data:`REPORT_LEADERS`), ``report_pair_subject``
        and ``report_pair_transfer`` (:data:`REPORT_LEADERS` are the two leaders of the stand-in, as a
        set; always 0 when ``head`` is not 2, as in :func:`innovation_statements`),
        ``head_gap_largest`` (the gap after rank ``head`` is the largest between consecutive
        cities of the top ``top_n``: the head stands apart, the report's 两极分化), and with
        ``nominal_leaders``, ``nominal_leaders_lead`` (this panel's innovation head is the same set).

    Raises
    ------
    ParameterError, DataError
        As :func:`innovation_frame`, :func:`head_concentration` and :func:`innovation_statements`;
        ``nominal_leaders`` that is not ``head`` distinct ids.

    Notes
    -----
    Shares, Gini and Theil are of the raw indicators (a ratio scale), never of the min-max scores, whose
    zero is a convention (:func:`shift_dependence`). No bootstrap here: across panels the spread is the
    ensemble's, and each number costs a sort and a few sums, so an ensemble of 50 panels adds milliseconds.

    Examples
    --------
    >>> meta = pd.DataFrame({"level": [1, 1, 2], "name_zh": ["s", "t", "技术创新"], "direction": [1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100"]}, index=["s", "t", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [1.0, 6.0, 5.0, 2.0]}, index=["x", "北京市", "y", "z"])
    >>> raw = pd.DataFrame({"s": [1.0, 9.0, 8.0, 2.0], "t": [1.0, 9.0, 8.0, 2.0]}, index=scores.index)
    >>> st = innovation_statistics(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t")
    >>> st["head_share_subject"], st["report_city_leads"], st["report_pair_subject"], st["head_gap_largest"]
    (0.85, 1.0, 0.0, 1.0)
    """
    frame = innovation_frame(all_scores, values, normalized, indicators, top_n=top_n, subject_code=subject_code,
                             transfer_code=transfer_code)
    measures = {col: head_concentration(frame[col], head=head) for col in ("subject", "transfer", "innovation")}
    statements = innovation_statements(frame, measures, weak_fraction=weak_fraction)
    out = {}
    for col in STAND_INS:
        m = measures[col]
        out.update({f"gini_{col}": m.gini, f"theil_{col}": m.theil, f"head_share_{col}": m.head_share,
                    f"weak_share_{col}": statements.weak_share[col]})
    inn = measures["innovation"]
    gaps = -np.diff(frame["innovation"].to_numpy(dtype=float))
    out.update({"gap_head_sd": inn.gap_head_sd,
                "report_city_leads": float(frame.index[0] in REPORT_LEADERS),
                "report_pair_subject": float(set(measures["subject"].leaders) == set(REPORT_LEADERS)),
                "report_pair_transfer": float(set(measures["transfer"].leaders) == set(REPORT_LEADERS)),
                "head_gap_largest": float(gaps[head - 1] >= gaps.max())})
    if nominal_leaders is not None:
        if isinstance(nominal_leaders, (str, bytes)) or np.ndim(nominal_leaders) != 1 \
                or len(set(nominal_leaders)) != head or len(nominal_leaders) != head:
            raise ParameterError("nominal_leaders", f"{head} distinct unit ids (the nominal panel's innovation head)",
                                 Shown(repr(nominal_leaders)))
        out["nominal_leaders_lead"] = float(set(inn.leaders) == set(nominal_leaders))
    return out


@dataclass(frozen=True)
class InnovationStatistics:
    """:func:`innovation_statistics` as ``statistics(panel)`` for an ensemble summary, with its labels and
    conclusions.

    A notebook defines no function (its cells call the library), so this object is the one
    function :func:`cityeval.notebook.spread.summarize` applies to the nominal panel and to every
    member. ``panel`` is anything with ``all_scores`` (aggregate scores of every city),
    ``dataset.data`` (raw indicator values), ``result.scores`` (normalized indicators) and
    ``dataset.indicators``, as a :class:`cityeval.notebook.panel.ScoredPanel` has; only those frames are read.

    Attributes
    ----------
    top_n, subject_code, transfer_code, head, weak_fraction, nominal_leaders
        As for :func:`innovation_statistics`.
    leader_names : tuple of str
        Display names of ``nominal_leaders``, for the text of the conclusion on them.

    Examples
    --------
    >>> stats = InnovationStatistics(top_n=100, subject_code="s", transfer_code="t")
    >>> list(stats.conclusions())[0]
    'Beijing or Shanghai leads the innovation score'
    """

    top_n: int
    subject_code: str
    transfer_code: str
    head: int = 2
    weak_fraction: float = 0.5
    nominal_leaders: tuple | None = None
    leader_names: tuple = ()

    def __post_init__(self):
        # checked when made, so a bad argument fails once with its name, not on every panel of an ensemble
        check_integer("top_n", self.top_n, low=3)
        for name in ("subject_code", "transfer_code"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ParameterError(name, "a level-1 indicator code (a non-empty text)", Shown(repr(value)))
        head = check_integer("head", self.head, low=1, high=self.top_n - 1)
        check_number("weak_fraction", self.weak_fraction, low=0, high=1, low_open=True, high_open=True)
        leaders = self.nominal_leaders
        if leaders is not None:
            if isinstance(leaders, (str, bytes)) or np.ndim(leaders) != 1 or len(leaders) != head \
                    or len(set(leaders)) != head:
                raise ParameterError("nominal_leaders", f"{head} distinct unit ids (the nominal panel's innovation "
                                     "head), or None", Shown(repr(leaders)))
            object.__setattr__(self, "nominal_leaders", tuple(leaders))
        names = self.leader_names
        if isinstance(names, (str, bytes)) or not isinstance(names, (tuple, list)) \
                or not all(isinstance(n, str) for n in names) \
                or (names and len(names) != (0 if leaders is None else head)):
            raise ParameterError("leader_names", "display names of nominal_leaders (as many texts), or ()",
                                 Shown(repr(names)))
        object.__setattr__(self, "leader_names", tuple(names))

    def __call__(self, panel) -> dict:
        return innovation_statistics(panel.all_scores, panel.dataset.data, panel.result.scores,
                                     panel.dataset.indicators, top_n=self.top_n, subject_code=self.subject_code,
                                     transfer_code=self.transfer_code, head=self.head,
                                     weak_fraction=self.weak_fraction,
                                     nominal_leaders=None if self.nominal_leaders is None
                                     else tuple(self.nominal_leaders))

    def labels(self, indicators=None) -> dict:
        """name -> label of every number :meth:`__call__` returns; with ``indicators`` (the dataset's indicator
        table) each stand-in is named by its ``name_en`` instead of its code (for a reader's table or figure; the
        results keep the codes)."""
        codes = {"subject": self.subject_code, "transfer": self.transfer_code}
        if indicators is not None:
            codes = {col: str(indicators.at[code, "name_en"]) if code in indicators.index else code
                     for col, code in codes.items()}
        fill = {"head": self.head, "head_next": self.head + 1, "top_n": self.top_n, "weak": self.weak_fraction,
                **codes}
        names = [n for n in _STATISTIC_LABELS if n != "nominal_leaders_lead" or self.nominal_leaders is not None]
        return {n: _STATISTIC_LABELS[n].format(**fill) for n in names}

    def conclusions(self) -> dict:
        """The yes/no statements notebook 08 reads: text -> ``(test on one panel's statistics, basis)``.

        Every basis is ``"generator"`` (:data:`cityeval.notebook.spread.BASES`): no published table ranks
        technology innovation or its indicators, so who leads it, how far the head stands apart and how many
        cities are weak are set by the generator's assumptions; the same verdict in every panel reflects the
        generator's structure, never the published ranks.
        """
        below = f"over half below {self.weak_fraction:.0%} of the leader's raw value"
        tests = {
            LEAD_CONCLUSION: _holds("report_city_leads"),
            "Beijing and Shanghai lead the subject stand-in (the report's statement)": _holds("report_pair_subject"),
            "Beijing and Shanghai lead the transfer stand-in (the report's statement)": _holds("report_pair_transfer"),
            f"the top {self.head} stand apart (the largest gap of the top {self.top_n} follows them)":
                _holds("head_gap_largest"),
            f"most of the top {self.top_n} weak on the subject stand-in ({below})": _Above("weak_share_subject", 0.5),
            f"most of the top {self.top_n} weak on the transfer stand-in ({below})": _Above("weak_share_transfer", 0.5),
        }
        if self.nominal_leaders is not None:
            # true on the nominal panel by construction: what the ensemble says is whether these names come with the
            # generator's structure (they lead every panel) or with the nominal panel's draw
            who = ", ".join(self.leader_names or map(str, self.nominal_leaders))
            tests[f"the nominal panel's innovation top {self.head} ({who}) are the top {self.head} again "
                  "(true on the nominal panel by construction)"] = _holds("nominal_leaders_lead")
        return {text: (test, "generator") for text, test in tests.items()}


@dataclass(frozen=True)
class _Above:
    """``stats[name] > threshold``: a conclusion as a named, comparable callable (no lambda)."""

    name: str
    threshold: float

    def __call__(self, stats: dict) -> bool:
        return bool(stats[self.name] > self.threshold)


def _holds(name: str) -> _Above:
    """A 1.0 / 0.0 statistic read as yes / no."""
    return _Above(name, 0.5)
