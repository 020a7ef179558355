"""Concentration at the head of a distribution (report Ch. 3 §5, Fig. 19).

The report finds technology innovation "两极分化": Beijing and Shanghai far ahead
of every other city on the innovation-subject and technology-transfer indices.
These measures say how far ahead the head is:

* :func:`gini` and :func:`lorenz_curve` — inequality of non-negative values;
* :func:`head_concentration` — the head's share, its gap to the next unit
  (a :class:`HeadConcentration`);
* :func:`innovation_frame`, :func:`innovation_statements` and
  :func:`innovation_summary` — notebook 08's study: the innovation top ``top_n``
  with the two raw indicators standing for the report's two indices, the
  report's statements checked on them, and the sentence that sums it up;
* :func:`innovation_statistics` and :class:`InnovationStatistics` — the same study
  reduced to a few numbers per panel, computed alike on the nominal panel and on
  every panel of the ensemble that fits the published ranks
  (:mod:`cityeval.notebook.spread`), with the yes/no conclusions tested on them.

Notes
-----
A Gini coefficient or a share of the total assumes a ratio scale (a meaningful
zero). A min-max normalized score (0 for the lowest city evaluated) has no such
zero: the numbers then describe the scores as published on that scale, not the
cities' underlying capacities.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cityeval.errors import DataError, ParameterError
from cityeval.validation import Shown, check_bool, check_frame, check_integer, check_number, check_sample

__all__ = ["gini", "lorenz_curve", "head_concentration", "HeadConcentration", "head_concentration_table",
           "innovation_frame", "innovation_statements", "innovation_summary", "InnovationStatements",
           "innovation_statistics", "InnovationStatistics", "INNOVATION_NAME_ZH", "REPORT_LEADERS",
           "LEAD_CONCLUSION", "SYNTHETIC_CAVEAT"]

#: The dimension notebook 08 studies, by its name in the indicator table (``name_zh``).
INNOVATION_NAME_ZH = "技术创新"
#: The two cities the report says lead both indices (Ch. 3 §5: 北京和上海……遥遥领先).
REPORT_LEADERS = ("北京市", "上海市")
#: What the synthetic panel's innovation scores are (no published ranking covers them).
SYNTHETIC_CAVEAT = "The synthetic panel's innovation scores were calibrated to nothing: who leads here is illustrative."
#: The conclusion of :meth:`InnovationStatistics.conclusions` on who leads (its verdict goes into the summary).
LEAD_CONCLUSION = "Beijing or Shanghai leads the innovation score"


def _nonnegative(x, name: str) -> np.ndarray:
    return check_sample(x, name=name, nonnegative=True, positive_sum=True,
                        what="non-negative values, e.g. shares of a total")


def _measures(measures, required=()) -> dict:
    """``measures`` if it is a dict of :class:`HeadConcentration` holding the keys ``required``."""
    allowed = "a dict of HeadConcentration (from head_concentration)" + (
        f" with the keys {', '.join(map(repr, required))}" if required else "")
    if not isinstance(measures, dict):
        raise ParameterError("measures", allowed, Shown(type(measures).__name__))
    bad = [k for k, m in measures.items() if not isinstance(m, HeadConcentration)]
    if bad:
        raise ParameterError("measures", allowed, Shown(f"a dict whose {bad[0]!r} is a {type(measures[bad[0]]).__name__}"))
    missing = [k for k in required if k not in measures]
    if missing:
        raise ParameterError("measures", allowed, Shown(f"a dict without {', '.join(map(repr, missing))}"))
    return measures


def _names(names):
    if names is not None and not callable(names):
        raise ParameterError("names", "a callable mapping a list of units to their display names, or None",
                             Shown(type(names).__name__))
    return names


def gini(x) -> float:
    """Gini coefficient of non-negative values.

    Parameters
    ----------
    x : array-like or pandas.Series, shape (n,)
        At least two finite values >= 0 with a positive total.

    Returns
    -------
    float
        In [0, (n - 1)/n].

    Raises
    ------
    ParameterError
        ``x`` is not a one-dimensional sequence of numbers, or has fewer than 2 values.
    DataError
        A NaN, an infinity or a negative value in ``x``, or all values 0.

    Notes
    -----
    With values sorted ascending, x_(1) <= ... <= x_(n):
    G = (2 sum_i i x_(i)) / (n sum x) - (n + 1)/n. 0 when all are equal; (n-1)/n when one
    unit holds everything.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4])
    0.75
    """
    v = np.sort(_nonnegative(x, "x"))
    n = len(v)
    i = np.arange(1, n + 1)
    return float(2 * (i * v).sum() / (n * v.sum()) - (n + 1) / n)


def lorenz_curve(x) -> tuple[np.ndarray, np.ndarray]:
    """Points of the Lorenz curve: cumulative share of units (lowest first) and of the total.

    Both arrays start at 0 and end at 1 (n + 1 points). ``x`` as for :func:`gini`.

    Examples
    --------
    >>> p, l = lorenz_curve([1, 3])
    >>> p.tolist(), l.tolist()
    ([0.0, 0.5, 1.0], [0.0, 0.25, 1.0])
    """
    v = np.sort(_nonnegative(x, "x"))
    return np.linspace(0, 1, len(v) + 1), np.r_[0.0, np.cumsum(v) / v.sum()]


@dataclass(frozen=True)
class HeadConcentration:
    """How far the head of a distribution stands from the rest (:func:`head_concentration`).

    Attributes
    ----------
    leaders : tuple
        The head's units, highest first.
    head_share : float
        Their share of the total.
    even_share : float
        head / n: the share the head would hold with no concentration.
    gini : float
        :func:`gini` of all the values.
    gap_head : float
        Score of the last leader minus the next unit's.
    gap_head_sd : float
        That gap in standard deviations (ddof 1) of the scores.
    gap_ratio : float
        That gap over the median gap between consecutive units (``inf`` when that median is 0).
    """

    leaders: tuple
    head_share: float
    even_share: float
    gini: float
    gap_head: float
    gap_head_sd: float
    gap_ratio: float


def head_concentration(scores, *, head: int = 2) -> HeadConcentration:
    """How far the ``head`` leading units stand from the rest.

    Parameters
    ----------
    scores : pandas.Series or array-like, shape (n,)
        One non-negative score per unit (the index names the units), positive total.
    head : int, default 2
        Size of the head, 1 ... n - 1.

    Returns
    -------
    HeadConcentration

    Raises
    ------
    ParameterError
        ``head`` is not a whole number in 1 ... n - 1, or ``scores`` is not a sequence of numbers.
    DataError
        A NaN, infinite or negative score; a unit (label of ``scores``) repeated.

    Examples
    --------
    >>> import pandas as pd
    >>> res = head_concentration(pd.Series([10.0, 9.0, 3.0, 2.0, 1.0], index=list("abcde")))
    >>> res.leaders, res.head_share, res.gap_head, res.gap_ratio
    (('a', 'b'), 0.76, 6.0, 6.0)
    """
    _nonnegative(scores, "scores")
    s = pd.Series(scores, dtype=float)
    if s.index.has_duplicates:
        raise DataError(None, "units (the scores' index) must be unique: the leaders are named by it",
                        detail=f"repeated: {', '.join(map(str, s.index[s.index.duplicated()].unique()[:5]))}")
    s = s.sort_values(ascending=False, kind="stable")
    head = check_integer("head", head, low=1, high=len(s) - 1)
    gaps = -np.diff(s.to_numpy())
    gap = float(s.iloc[head - 1] - s.iloc[head])
    med = float(np.median(gaps))
    return HeadConcentration(leaders=tuple(s.index[:head]), head_share=float(s.iloc[:head].sum() / s.sum()),
                             even_share=head / len(s), gini=gini(s.to_numpy()), gap_head=gap,
                             gap_head_sd=gap / float(s.std(ddof=1)),
                             gap_ratio=gap / med if med > 0 else float("inf"))


def head_concentration_table(measures: dict, *, names=None) -> pd.DataFrame:
    """The :class:`HeadConcentration` of each column side by side, one row per column.

    Parameters
    ----------
    measures : dict
        ``{column: HeadConcentration}``, e.g. from ``{c: head_concentration(frame[c]) ...}``.
    names : callable, optional
        Maps a list of units to their display names (e.g. ``ScoredPanel.english``), for ``leaders``.

    Raises
    ------
    ParameterError
        ``measures`` is not a dict of HeadConcentration, ``names`` not a callable.

    Examples
    --------
    >>> import pandas as pd
    >>> m = {"s": head_concentration(pd.Series([3.0, 1.0, 1.0], index=list("abc")), head=1)}
    >>> head_concentration_table(m)[["leaders", "head_share"]]
      leaders  head_share
    s     [a]         0.6
    """
    measures, names = _measures(measures), _names(names)
    rows = {col: {f: getattr(m, f) for f in HeadConcentration.__dataclass_fields__} for col, m in measures.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["leaders"] = [list(names(list(m.leaders)) if names is not None else m.leaders) for m in measures.values()]
    return table


def innovation_frame(all_scores: pd.DataFrame, normalized: pd.DataFrame, indicators: pd.DataFrame, *,
                     top_n: int, subject_code: str, transfer_code: str) -> pd.DataFrame:
    """The innovation top ``top_n``: their innovation score and the two raw indicators standing for the
    report's innovation-subject and technology-transfer indices.

    Parameters
    ----------
    all_scores : pandas.DataFrame
        Aggregate scores of every city (``ScoredPanel.all_scores``), with the column of the
        dimension named :data:`INNOVATION_NAME_ZH` in ``indicators``.
    normalized : pandas.DataFrame
        Normalized indicators (0-100) of every city (``ScoredPanel.result.scores``).
    indicators : pandas.DataFrame
        The indicator table (``level``, ``name_zh``).
    top_n : int
        Cities kept, by innovation score (3 ... number of cities).
    subject_code, transfer_code : str
        Level-1 indicator codes standing for the two indices (a mapping of ours, not CCID's).

    Returns
    -------
    pandas.DataFrame
        Indexed by city, innovation score descending (ties in the data's order): ``innovation``,
        ``subject``, ``transfer``.

    Raises
    ------
    DataError
        The indicator table has no dimension named 技术创新; a kept city with a missing or infinite
        innovation score or normalized indicator (the head measures need every value); a repeated city.
    ParameterError
        A table that is not a DataFrame; ``top_n`` out of range, or a code that is not a level-1 indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1, 2], "name_zh": ["a", "b", "技术创新"]}, index=["s", "t", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [1.0, 3.0, 2.0]}, index=list("xyz"))
    >>> norm = pd.DataFrame({"s": [10.0, 30.0, 20.0], "t": [0.0, 5.0, 9.0]}, index=list("xyz"))
    >>> innovation_frame(scores, norm, meta, top_n=3, subject_code="s", transfer_code="t")
       innovation  subject  transfer
    y         3.0     30.0       5.0
    z         2.0     20.0       9.0
    x         1.0     10.0       0.0
    """
    for name, table, columns in (("all_scores", all_scores, ()), ("normalized", normalized, ()),
                                 ("indicators", indicators, ("level", "name_zh"))):
        if not isinstance(table, pd.DataFrame) or not set(columns) <= set(table.columns):
            raise ParameterError(name, "a pandas DataFrame" + (f" with columns {', '.join(columns)}" if columns else ""),
                                 Shown(type(table).__name__ if not isinstance(table, pd.DataFrame)
                                       else f"a DataFrame with columns {list(table.columns)}"))
    tec = indicators.index[indicators["name_zh"] == INNOVATION_NAME_ZH]
    if not len(tec):
        raise DataError(None, f"the indicator table needs the dimension {INNOVATION_NAME_ZH} (name_zh)",
                        column="name_zh")
    raw_codes = list(indicators.index[indicators["level"] == 1])
    for name, value in (("subject_code", subject_code), ("transfer_code", transfer_code)):
        if value not in raw_codes:
            raise ParameterError(name, f"a level-1 indicator code ({', '.join(raw_codes)})", value)
    all_tec = all_scores[tec[0]].sort_values(ascending=False, kind="stable")
    top_n = check_integer("top_n", top_n, low=3, high=len(all_tec))
    top = all_tec.index[:top_n]
    frame = pd.DataFrame({"innovation": all_tec.loc[top], "subject": normalized.loc[top, subject_code],
                          "transfer": normalized.loc[top, transfer_code]})
    check_frame(frame, name="innovation_frame", rows="city", columns="score", complete=True, unique_index=True,
                why="the head measures and the statements need every kept city's three scores")
    return frame


@dataclass(frozen=True)
class InnovationStatements:
    """The report's innovation statements on the data at hand (:func:`innovation_statements`).

    Attributes
    ----------
    checks : dict
        Statement -> whether it holds on these data.
    weak_share : float
        Share of the cities whose innovation score is below ``weak_fraction`` of the leader's.
    weak_fraction : float
    """

    checks: dict
    weak_share: float
    weak_fraction: float

    def table(self) -> pd.DataFrame:
        """``checks`` as a one-column frame ("holds on these data")."""
        return pd.Series(self.checks, name="holds on these data").to_frame()


def innovation_statements(frame: pd.DataFrame, measures: dict, *, weak_fraction: float) -> InnovationStatements:
    """Check the report's statements (Ch. 3 §5) on :func:`innovation_frame`'s cities.

    The statements: Beijing and Shanghai lead the innovation-subject index and the
    technology-transfer index (the two leaders of each, as a set, are
    :data:`REPORT_LEADERS`); most cities are weak, read as: more than half score below
    ``weak_fraction`` of the leader's innovation score.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`innovation_frame` (innovation score descending).
    measures : dict
        ``{"subject": HeadConcentration, "transfer": HeadConcentration, ...}``.
    weak_fraction : float
        In (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"innovation": [10.0, 4.0, 3.0]}, index=["北京市", "x", "y"])
    >>> m = {c: HeadConcentration(("北京市", "上海市"), 0, 0, 0, 0, 0, 0) for c in ("subject", "transfer")}
    >>> s = innovation_statements(f, m, weak_fraction=0.5)
    >>> list(s.checks.values()), round(s.weak_share, 3)
    ([True, True, True], 0.667)
    """
    weak_fraction = check_number("weak_fraction", weak_fraction, low=0, high=1, low_open=True, high_open=True)
    if not isinstance(frame, pd.DataFrame) or "innovation" not in frame.columns or frame.empty:
        raise ParameterError("frame", "what innovation_frame returned (a column innovation, at least one city)",
                             Shown(type(frame).__name__ if not isinstance(frame, pd.DataFrame)
                                   else f"a DataFrame with columns {list(frame.columns)}, {len(frame)} rows"))
    measures = _measures(measures, ("subject", "transfer"))
    lead = {col: set(measures[col].leaders) == set(REPORT_LEADERS) for col in ("subject", "transfer")}
    innovation = frame["innovation"]
    weak_share = float((innovation < weak_fraction * innovation.iloc[0]).mean())
    checks = {
        "Beijing and Shanghai lead the subject index": lead["subject"],
        "Beijing and Shanghai lead the transfer index": lead["transfer"],
        f"most cities weak (below {weak_fraction:.0%} of the leader)": weak_share > 0.5,
    }
    return InnovationStatements(checks=checks, weak_share=weak_share, weak_fraction=weak_fraction)


def innovation_summary(measure: HeadConcentration, statements: InnovationStatements, *, top_n: int,
                       synthetic: bool, names=None, ranges: dict | None = None,
                       lead_verdict: str | None = None) -> str:
    """The one-sentence summary of notebook 08 (marked illustrative on synthetic data).

    ``measure`` is the innovation score's :class:`HeadConcentration`; ``names`` maps a list of
    units to display names (default: the units as they are); ``synthetic`` (a bool) marks the
    sentence illustrative.

    ``ranges`` (optional) maps ``"head_share"``, ``"gini"`` and/or ``"weak_share"`` to a text that
    replaces the formatted number, e.g. the nominal value with its range over an ensemble of panels
    (:meth:`cityeval.notebook.spread.EnsembleSummary.range_text`). ``lead_verdict`` (optional)
    replaces the names of the leaders by how often Beijing or Shanghai leads across that
    ensemble, e.g. ``"holds in 3 of 50 panels"``: on synthetic data who leads is a draw of the
    generator, not a finding.

    Examples
    --------
    >>> m = HeadConcentration(("a", "b"), 0.25, 0.2, 0.3, 1.0, 0.5, 2.0)
    >>> s = InnovationStatements({}, 0.6, 0.5)
    >>> innovation_summary(m, s, top_n=10, synthetic=True)
    'Illustrative (synthetic panel): the top 2 hold 25.0% of the innovation total of the top 10 (even share 20.0%), Gini 0.30; leaders a, b; 60% below 50% of the leader.'
    >>> text = innovation_summary(m, s, top_n=10, synthetic=True, ranges={"gini": "0.30 (0.2-0.4 over 5 panels)"},
    ...                           lead_verdict="holds in 1 of 5 panels")
    >>> text.split("; ")[:2]
    ['Illustrative (synthetic panel): the top 2 hold 25.0% of the innovation total of the top 10 (even share 20.0%), Gini 0.30 (0.2-0.4 over 5 panels)', 'Beijing or Shanghai leads the innovation score: holds in 1 of 5 panels']
    """
    if not isinstance(measure, HeadConcentration):
        raise ParameterError("measure", "a HeadConcentration (from head_concentration)", Shown(type(measure).__name__))
    if not isinstance(statements, InnovationStatements):
        raise ParameterError("statements", "an InnovationStatements (from innovation_statements)",
                             Shown(type(statements).__name__))
    names = _names(names)
    ranges = {} if ranges is None else ranges
    if not isinstance(ranges, dict) or not set(ranges) <= {"head_share", "gini", "weak_share"} \
            or not all(isinstance(v, str) for v in ranges.values()):
        raise ParameterError("ranges", "a dict mapping 'head_share', 'gini' and/or 'weak_share' to a text, or None",
                             Shown(type(ranges).__name__ if not isinstance(ranges, dict) else f"keys {sorted(ranges)}"))
    if lead_verdict is not None and not isinstance(lead_verdict, str):
        raise ParameterError("lead_verdict", "a text such as 'holds in 3 of 50 panels', or None",
                             Shown(type(lead_verdict).__name__))
    mark = "Illustrative (synthetic panel): " if check_bool("synthetic", synthetic) else ""
    share = ranges.get("head_share", f"{measure.head_share:.1%}")
    gini_text = ranges.get("gini", f"{measure.gini:.2f}")
    weak = ranges.get("weak_share", f"{statements.weak_share:.0%}")
    if lead_verdict is None:
        leaders = names(list(measure.leaders)) if names is not None else list(measure.leaders)
        lead = f"leaders {', '.join(leaders)}"
    else:
        lead = f"Beijing or Shanghai leads the innovation score: {lead_verdict}"
    return (f"{mark}the top {len(measure.leaders)} hold "
            f"{share} of the innovation total of the top {top_n} (even share "
            f"{measure.even_share:.1%}), Gini {gini_text}; {lead}; "
            f"{weak} below {statements.weak_fraction:.0%} of the leader.")


#: Labels of :func:`innovation_statistics`' numbers (``{head}`` and ``{top_n}`` filled in by
#: :meth:`InnovationStatistics.labels`).
_STATISTIC_LABELS = {
    "head_share": "share of the top {head} in the innovation total of the top {top_n}",
    "gini": "Gini of the innovation scores of the top {top_n}",
    "gap_head_sd": "gap between innovation ranks {head} and {head_next}, in SDs of the top {top_n}",
    "weak_share": "share of the top {top_n} below {weak:.0%} of the leader's innovation score",
    "report_city_leads": "Beijing or Shanghai leads the innovation score (1 yes, 0 no)",
    "report_pair_subject": "Beijing and Shanghai are the top 2 of the subject stand-in (1 yes, 0 no)",
    "report_pair_transfer": "Beijing and Shanghai are the top 2 of the transfer stand-in (1 yes, 0 no)",
    "head_gap_largest": "the largest gap of the top {top_n} follows innovation rank {head} (1 yes, 0 no)",
    "nominal_leaders_lead": "the nominal panel's innovation top {head} lead this panel too (1 yes, 0 no)",
}


def innovation_statistics(all_scores: pd.DataFrame, normalized: pd.DataFrame, indicators: pd.DataFrame, *,
                          top_n: int, subject_code: str, transfer_code: str, head: int = 2,
                          weak_fraction: float = 0.5, nominal_leaders=None) -> dict:
    """Notebook 08's study on one panel, in a few numbers (the same on the nominal panel and on every
    panel of an ensemble).

    Parameters
    ----------
    all_scores, normalized, indicators, top_n, subject_code, transfer_code
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
        ``head_share``, ``gini``, ``gap_head_sd`` (of the innovation score, :class:`HeadConcentration`),
        ``weak_share`` (:class:`InnovationStatements`), and as 1.0 / 0.0: ``report_city_leads``
        (the innovation leader is one of :data:`REPORT_LEADERS`), ``report_pair_subject`` and
        ``report_pair_transfer`` (:data:`REPORT_LEADERS` are the two leaders of the stand-in, as a
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
    Shares and the Gini are of min-max normalized scores (an interval scale, module Notes): they
    describe the scores as published on that scale. Each number costs a sort and a few sums, so an
    ensemble of 50 panels adds milliseconds.

    Examples
    --------
    >>> meta = pd.DataFrame({"level": [1, 1, 2], "name_zh": ["s", "t", "技术创新"]}, index=["s", "t", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [1.0, 6.0, 5.0, 2.0]}, index=["x", "北京市", "y", "z"])
    >>> norm = pd.DataFrame({"s": [1.0, 9.0, 8.0, 2.0], "t": [1.0, 9.0, 8.0, 2.0]}, index=scores.index)
    >>> st = innovation_statistics(scores, norm, meta, top_n=4, subject_code="s", transfer_code="t")
    >>> st["head_share"], st["report_city_leads"], st["report_pair_subject"], st["head_gap_largest"]
    (0.7857142857142857, 1.0, 0.0, 1.0)
    """
    frame = innovation_frame(all_scores, normalized, indicators, top_n=top_n, subject_code=subject_code,
                             transfer_code=transfer_code)
    measures = {col: head_concentration(frame[col], head=head) for col in frame.columns}
    statements = innovation_statements(frame, measures, weak_fraction=weak_fraction)
    inn = measures["innovation"]
    gaps = -np.diff(frame["innovation"].to_numpy(dtype=float))
    out = {"head_share": inn.head_share, "gini": inn.gini, "gap_head_sd": inn.gap_head_sd,
           "weak_share": statements.weak_share,
           "report_city_leads": float(frame.index[0] in REPORT_LEADERS),
           "report_pair_subject": float(set(measures["subject"].leaders) == set(REPORT_LEADERS)),
           "report_pair_transfer": float(set(measures["transfer"].leaders) == set(REPORT_LEADERS)),
           "head_gap_largest": float(gaps[head - 1] >= gaps.max())}
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
    ``result.scores`` (normalized indicators) and ``dataset.indicators``, as a
    :class:`cityeval.notebook.panel.ScoredPanel` has; only those frames are read.

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
        return innovation_statistics(panel.all_scores, panel.result.scores, panel.dataset.indicators,
                                     top_n=self.top_n, subject_code=self.subject_code,
                                     transfer_code=self.transfer_code, head=self.head,
                                     weak_fraction=self.weak_fraction,
                                     nominal_leaders=None if self.nominal_leaders is None
                                     else tuple(self.nominal_leaders))

    def labels(self) -> dict:
        """name -> label of every number :meth:`__call__` returns."""
        fill = {"head": self.head, "head_next": self.head + 1, "top_n": self.top_n, "weak": self.weak_fraction}
        names = [n for n in _STATISTIC_LABELS if n != "nominal_leaders_lead" or self.nominal_leaders is not None]
        return {n: _STATISTIC_LABELS[n].format(**fill) for n in names}

    def conclusions(self) -> dict:
        """The yes/no statements notebook 08 reads: text -> test on one panel's statistics."""
        out = {
            LEAD_CONCLUSION: _holds("report_city_leads"),
            "Beijing and Shanghai lead the subject stand-in (the report's statement)": _holds("report_pair_subject"),
            "Beijing and Shanghai lead the transfer stand-in (the report's statement)": _holds("report_pair_transfer"),
            f"the top {self.head} stand apart (the largest gap of the top {self.top_n} follows them)":
                _holds("head_gap_largest"),
            f"most of the top {self.top_n} weak (over half below {self.weak_fraction:.0%} of the leader)":
                _Above("weak_share", 0.5),
        }
        if self.nominal_leaders is not None:
            # true on the nominal panel by construction: what the ensemble says is whether these names are a
            # property of the published ranks (they lead every panel) or of the nominal panel's draw
            who = ", ".join(self.leader_names or map(str, self.nominal_leaders))
            out[f"the nominal panel's innovation top {self.head} ({who}) are the top {self.head} again "
                "(true on the nominal panel by construction)"] = _holds("nominal_leaders_lead")
        return out


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

