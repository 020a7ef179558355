"""Notebook 08's study: the innovation top ``top_n``, concentration of the raw (ratio-scale) stand-ins of the
report's two indices with bootstrap intervals, what a shift of the zero does to the min-max scores, the report's
statements checked, the summary sentence and the assumptions each headline number rests on.

Re-exported by :mod:`cityeval.analysis.concentration`; import from there.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cityeval.analysis._concentration_floor import FLOOR_MULTIPLES, equivalent_shift, floor_dependence
from cityeval.analysis._concentration_frame import INNOVATION_NAME_ZH, _stand_in_codes, innovation_frame
from cityeval.analysis._concentration_measures import (BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, HeadConcentration,
                                                       _measures, _names, concentration_interval, head_concentration,
                                                       ratio_scale, shift_dependence)
from cityeval.errors import ParameterError
from cityeval.validation import Shown, check_bool, check_number

__all__ = ["INNOVATION_NAME_ZH", "REPORT_LEADERS", "SYNTHETIC_CAVEAT", "LEAD_CONCLUSION", "STAND_INS",
           "innovation_frame", "innovation_statements", "InnovationStatements", "innovation_study", "InnovationStudy",
           "innovation_summary", "innovation_assumptions", "SCORE_SHIFTS", "RANGE_NAMES", "RANGE_FORMATS"]

#: The two cities the report says lead both indices (Ch. 3 §5: 北京和上海……遥遥领先).
REPORT_LEADERS = ("北京市", "上海市")
#: What the synthetic panel's innovation data are (no published ranking covers them).
SYNTHETIC_CAVEAT = ("The synthetic panel's technology-innovation values were calibrated to nothing: who leads and how "
                    "concentrated they are is illustrative.")
#: The conclusion of :meth:`InnovationStatistics.conclusions` on who leads (its verdict goes into the summary).
LEAD_CONCLUSION = "Beijing or Shanghai leads the innovation score"
#: The two stand-ins of the report's indices: column of :func:`innovation_frame` -> what it stands for.
STAND_INS = {"subject": "innovation-subject index (技术创新主体)", "transfer": "technology-transfer index (科技成果转化)"}
#: Shifts of the zero (points on the 0-100 scale) :func:`innovation_study` applies to the min-max scores.
SCORE_SHIFTS = (10, 50)


@dataclass(frozen=True)
class InnovationStatements:
    """The report's innovation statements on the data at hand (:func:`innovation_statements`).

    Attributes
    ----------
    checks : dict
        Statement -> whether it holds on these data.
    weak_share : dict
        ``{"subject": share, "transfer": share}``: the share of the cities whose raw stand-in value is below
        ``weak_fraction`` of the leader's.
    weak_fraction : float
    """

    checks: dict
    weak_share: dict
    weak_fraction: float

    def table(self) -> pd.DataFrame:
        """``checks`` as a one-column frame ("holds on these data")."""
        return pd.Series(self.checks, name="holds on these data").to_frame()


def innovation_statements(frame: pd.DataFrame, measures: dict, *, weak_fraction: float) -> InnovationStatements:
    """Check the report's statements (Ch. 3 §5) on :func:`innovation_frame`'s cities, on the raw stand-ins.

    The statements: Beijing and Shanghai lead the innovation-subject index and the
    technology-transfer index (the two leaders of each stand-in, as a set, are
    :data:`REPORT_LEADERS`); most cities are weak, read as: more than half have a raw stand-in value
    below ``weak_fraction`` of the leader's (a ratio of values, so it needs the ratio scale the raw
    indicators have and a min-max score lacks).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`innovation_frame`.
    measures : dict
        ``{"subject": HeadConcentration, "transfer": HeadConcentration, ...}`` of the raw stand-ins.
    weak_fraction : float
        In (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"subject": [10.0, 4.0, 3.0], "transfer": [1.0, 2.0, 1.5]}, index=["北京市", "x", "y"])
    >>> m = {c: HeadConcentration(("北京市", "上海市"), 0, 0, 0, 0, 0, 0, 0) for c in ("subject", "transfer")}
    >>> s = innovation_statements(f, m, weak_fraction=0.5)
    >>> list(s.checks.values()), {k: round(v, 3) for k, v in s.weak_share.items()}
    ([True, True, True, False], {'subject': 0.667, 'transfer': 0.0})
    """
    weak_fraction = check_number("weak_fraction", weak_fraction, low=0, high=1, low_open=True, high_open=True)
    if not isinstance(frame, pd.DataFrame) or not {"subject", "transfer"} <= set(frame.columns) or frame.empty:
        raise ParameterError("frame", "what innovation_frame returned (columns subject and transfer, at least one "
                             "city)", Shown(type(frame).__name__ if not isinstance(frame, pd.DataFrame)
                                            else f"a DataFrame with columns {list(frame.columns)}, {len(frame)} rows"))
    measures = _measures(measures, ("subject", "transfer"))
    lead = {col: set(measures[col].leaders) == set(REPORT_LEADERS) for col in STAND_INS}
    weak = {col: float((frame[col] < weak_fraction * frame[col].max()).mean()) for col in STAND_INS}
    below = f"over half below {weak_fraction:.0%} of the leader's raw value"
    checks = {
        "Beijing and Shanghai lead the subject index (its raw stand-in)": lead["subject"],
        "Beijing and Shanghai lead the transfer index (its raw stand-in)": lead["transfer"],
        f"most cities weak on the subject stand-in ({below})": weak["subject"] > 0.5,
        f"most cities weak on the transfer stand-in ({below})": weak["transfer"] > 0.5,
    }
    return InnovationStatements(checks=checks, weak_share=weak, weak_fraction=weak_fraction)


def _descendants(indicators: pd.DataFrame, code: str) -> list:
    """The level-1 indicators under ``code`` (any depth), in the table's order."""
    if "parent" not in indicators.columns:
        return []
    found, frontier = set(), {code}
    while frontier:
        kids = set(indicators.index[indicators["parent"].isin(frontier)])
        frontier = kids - found
        found |= kids
    return [c for c in indicators.index if c in found and indicators.at[c, "level"] == 1]


@dataclass(frozen=True)
class InnovationStudy:
    """Notebook 08's study on one panel (:func:`innovation_study`).

    Attributes
    ----------
    frame : pandas.DataFrame
        :func:`innovation_frame`.
    codes : dict
        ``{"subject": code, "transfer": code}``.
    units : dict
        The stand-ins' units (the indicator table's).
    lowest : dict
        The stand-ins' lowest raw value over every city (how far the data's bottom is from zero).
    measures : dict
        :class:`HeadConcentration` of the raw ``subject`` and ``transfer`` values, and of the ``innovation``
        score (an interval scale: only its gaps are free of the zero).
    intervals : dict
        ``{"subject": {"gini": ConcentrationInterval, "theil": ...}, "transfer": {...}}``.
    statements : InnovationStatements
    indicators : pandas.DataFrame
        Every raw indicator under the innovation dimension: its unit, whether it is on a ratio scale and why,
        and (ratio-scale ones) Gini and Theil with their intervals, the head's share and the weak share over
        the top ``top_n``.
    shifts : pandas.DataFrame
        :func:`shift_dependence` of the innovation score and the stand-ins' min-max scores (shifts of
        :data:`SCORE_SHIFTS`), beside the raw stand-ins (shift 0 only).
    top_n, head, weak_fraction, confidence, n_resamples, seed
        The study's settings.
    highest : dict
        The stand-ins' highest raw value over every city.
    equivalent_shift : dict
        Stand-in -> the shift (points) of its min-max score that its raw values amount to
        (:func:`equivalent_shift` over the kept cities; NaN when the raw values are not an affine map of the
        score): every ratio measure of the raw values is that of the score shifted by it.
    floors : pandas.DataFrame
        :func:`floor_dependence` of the raw stand-ins: the measures with another lowest raw value.
    """

    frame: pd.DataFrame
    codes: dict
    units: dict
    lowest: dict
    measures: dict
    intervals: dict
    statements: InnovationStatements
    indicators: pd.DataFrame
    shifts: pd.DataFrame
    top_n: int
    head: int
    weak_fraction: float
    confidence: float
    n_resamples: int
    seed: int
    highest: dict = None
    equivalent_shift: dict = None
    floors: pd.DataFrame = None

    def _shift_text(self) -> str:
        """``"+1.56 (subject) and +0.56 (transfer)"``, the computed :attr:`equivalent_shift`."""
        return " and ".join(f"{self.equivalent_shift[c]:+.2f} ({c})" for c in STAND_INS)

    def _affine(self) -> bool:
        return all(pd.notna(self.equivalent_shift.get(c)) for c in STAND_INS)

    def table_caption(self, table: str, *, synthetic: bool) -> str:
        """The caption printed above one of the notebook's tables: ``"frame"``, ``"indicators"``,
        ``"concentration"``, ``"statements"`` or ``"floors"`` (marked illustrative on synthetic data)."""
        synthetic = check_bool("synthetic", synthetic)
        captions = {
            "frame": f"The innovation top {self.top_n}: innovation score, raw stand-ins and their min-max scores",
            "indicators": "Raw indicators under technology innovation: scale, Gini and Theil with their intervals, "
                          f"the top {self.head}'s share and the weak share",
            "concentration": "Head measures of the raw stand-ins and of the innovation score (an interval scale)",
            "statements": "The report's statements, checked on the raw stand-ins",
            "floors": ("The raw stand-ins' measures if the lowest raw value over every city were 0, half, the same "
                       "or twice what it is (the highest kept); the equivalent shift is that of the min-max score "
                       "the raw values amount to"),
        }
        if table not in captions:
            raise ParameterError("table", f"one of {', '.join(captions)}", table)
        text = captions[table]
        if synthetic:
            text = text[0].lower() + text[1:]
        if table == "floors":
            text += (": on the synthetic panel the lowest value is the lower end of the generator's documented "
                     "range, so this is how much the headline levels are the generator's choice" if synthetic else
                     ": on these data the lowest value is the data's, so the other rows are hypothetical")
        return ("Illustrative (synthetic panel): " if synthetic else "") + text

    def concentration_table(self, names=None) -> pd.DataFrame:
        """The raw stand-ins' and the innovation score's head measures, one row each, with the scale of each."""
        names = _names(names)
        rows = {}
        for col, m in self.measures.items():
            row = {"scale": (f"raw {self.codes[col]} ({self.units[col]}): ratio scale" if col in self.codes
                             else "min-max score 0-100: interval scale (only the gaps are free of the zero)")}
            row.update({f: getattr(m, f) for f in HeadConcentration.__dataclass_fields__})
            row["leaders"] = list(names(list(m.leaders)) if names is not None else m.leaders)
            rows[col] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    def interval_table(self) -> pd.DataFrame:
        """Gini and Theil of the raw stand-ins with their bootstrap intervals."""
        rows = {(col, m): {"statistic": ci.statistic, "ci_low": ci.ci_low, "ci_high": ci.ci_high, "n": ci.n}
                for col, per in self.intervals.items() for m, ci in per.items()}
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.names = ["stand-in", "measure"]
        return table

    def interval_caption(self, *, synthetic: bool) -> str:
        """The caption of :meth:`interval_table` (marked illustrative on synthetic data)."""
        ci = next(iter(self.intervals["subject"].values()))
        return (("Illustrative (synthetic panel): " if check_bool("synthetic", synthetic) else "")
                + f"{ci.confidence:.0%} intervals: {ci.method}; the {self.top_n} cities resampled as independent "
                "draws, their selection (the innovation top) held fixed")

    def shift_caption(self, *, synthetic: bool) -> str:
        """What :attr:`shifts` shows, and what the raw stand-ins' zero is on these data (the equivalent shift
        computed, :attr:`equivalent_shift`)."""
        synthetic = check_bool("synthetic", synthetic)
        g = self.shifts["gini"]
        base, far = g.loc[("innovation", 0.0)], g.loc[("innovation", float(max(SCORE_SHIFTS)))]
        text = (f"Moving the zero of a min-max score (0 = the lowest city evaluated) moves every ratio of its values: "
                f"the innovation score's Gini is {base:.3f} as scored and {far:.3f} after +{max(SCORE_SHIFTS)} points, "
                "though no city changed.")
        if synthetic:
            return text + (" On the synthetic panel the raw stand-ins are themselves affine maps of their min-max "
                           "scores onto the generator's documented ranges"
                           + (f": their measures are those of the scores shifted by {self._shift_text()} points, a "
                              "shift set by the lower end of each range (the generator's choice), so their levels "
                              "depend on a chosen zero too (the floor table)." if self._affine() else
                              ", so their levels depend on where those ranges start (the floor table)."))
        return text + (" The raw stand-ins' zero means none (a ratio scale), so their numbers do not depend on such a "
                       "choice" + (f" (they equal the scores' after {self._shift_text()} points: where the data's "
                                   "true zero lies)." if self._affine() else "."))

    def results(self, *, summary: str, ensemble: dict, conclusions: list, synthetic: bool) -> dict:
        """The results file's dict, with ``assumptions`` naming what each headline number rests on
        (:func:`innovation_assumptions`)."""
        results = {
            "summary": summary,
            "concentration": dict(self.measures),
            "intervals": {col: dict(per) for col, per in self.intervals.items()},
            "indicators": self.indicators.reset_index(names="code"),
            "translation": self.shifts.reset_index(),
            "statement_checks": self.statements.checks,
            "weak_share": dict(self.statements.weak_share),
            "mapping": {**self.codes, "units": dict(self.units), "lowest_raw_value": dict(self.lowest),
                        "highest_raw_value": dict(self.highest), "equivalent_shift": dict(self.equivalent_shift)},
            "floor_dependence": self.floors.reset_index(),
            "ensemble": ensemble,
            "conclusions": list(conclusions),
        }
        results["assumptions"] = innovation_assumptions(self, synthetic=synthetic)
        return results


def innovation_study(all_scores: pd.DataFrame, values: pd.DataFrame, normalized: pd.DataFrame,
                     indicators: pd.DataFrame, *, top_n: int, subject_code: str, transfer_code: str, head: int = 2,
                     weak_fraction: float = 0.5, confidence: float = 0.95, n_resamples: int = BOOTSTRAP_RESAMPLES,
                     seed: int = BOOTSTRAP_SEED) -> InnovationStudy:
    """Notebook 08's study: concentration of the raw stand-ins, with intervals, beside what the scores would say.

    Parameters
    ----------
    all_scores, values, normalized, indicators, top_n, subject_code, transfer_code
        As for :func:`innovation_frame`.
    head : int, default 2
        Size of the head (:func:`head_concentration`).
    weak_fraction : float, default 0.5
        As for :func:`innovation_statements`.
    confidence, n_resamples, seed
        Of the bootstrap intervals (:func:`concentration_interval`, BCa).

    Returns
    -------
    InnovationStudy

    Raises
    ------
    ParameterError, DataError
        As :func:`innovation_frame`, :func:`head_concentration`, :func:`innovation_statements` and
        :func:`concentration_interval`.

    Notes
    -----
    Every ratio measure (shares, Gini, Theil, "below half of the leader") is computed on the raw
    indicators, in their own units, which have a true zero (:func:`ratio_scale`): the numbers are the same
    in any unit (per 10,000 or per million residents). They are unweighted over cities: a rate per resident
    summed over cities is not a total of anything, so a "share of the total" is a share of that sum. On the
    min-max scores the same measures depend on where 0 is put (:attr:`InnovationStudy.shifts`). About
    0.03 s per bootstrap interval (100 cities, 9999 resamples).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> norm = 100 * (raw - raw.min()) / (raw.max() - raw.min())
    >>> st = innovation_study(scores, raw, norm, meta, top_n=4, subject_code="s", transfer_code="t", n_resamples=999)
    >>> round(st.measures["subject"].gini, 4), st.statements.weak_share["subject"]
    (0.4583, 0.75)
    """
    frame = innovation_frame(all_scores, values, normalized, indicators, top_n=top_n, subject_code=subject_code,
                             transfer_code=transfer_code)
    codes = _stand_in_codes(indicators, subject_code, transfer_code)
    measures = {col: head_concentration(frame[col], head=head) for col in ("subject", "transfer", "innovation")}
    statements = innovation_statements(frame, measures, weak_fraction=weak_fraction)
    boot = {"confidence": confidence, "n_resamples": n_resamples, "seed": seed}
    intervals = {col: {m: concentration_interval(frame[col], measure=m, **boot) for m in ("gini", "theil")}
                 for col in STAND_INS}
    tec = indicators.index[indicators["name_zh"] == INNOVATION_NAME_ZH][0]
    under = _descendants(indicators, tec)
    scale = ratio_scale(indicators, under)
    rows = {}
    for code in under:
        row = scale.loc[code].to_dict()
        if row["ratio_scale"] and row["direction"] == 1 and code in values.columns:
            x = values.loc[frame.index, code]
            if code in codes.values():
                per = intervals["subject" if codes["subject"] == code else "transfer"]
            else:
                per = {m: concentration_interval(x, measure=m, **boot) for m in ("gini", "theil")}
            m = head_concentration(x, head=head)
            for name, ci in per.items():
                row.update({name: ci.statistic, f"{name}_low": ci.ci_low, f"{name}_high": ci.ci_high})
            row.update({"head_share": m.head_share, "weak_share": float((x < weak_fraction * x.max()).mean())})
        rows[code] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    shifted = shift_dependence(frame[["innovation", "subject_score", "transfer_score"]], shifts=SCORE_SHIFTS,
                               head=head, weak_fraction=weak_fraction)
    shifts = pd.concat([shifted, _unshifted(frame[["subject", "transfer"]], head, weak_fraction)])
    units = {col: str(indicators.at[code, "unit"]) for col, code in codes.items()}
    lowest = {col: float(values[code].min()) for col, code in codes.items()}
    highest = {col: float(values[code].max()) for col, code in codes.items()}
    shift = {col: equivalent_shift(frame[col], frame[f"{col}_score"]) for col in STAND_INS}
    # the multiples k with k x lowest < highest for both stand-ins (k = 0 and 1 always are)
    feasible = [k for k in FLOOR_MULTIPLES if all(k * lowest[c] < highest[c] for c in STAND_INS)]
    floors = floor_dependence(frame[list(STAND_INS)], lowest=lowest, highest=highest, head=head,
                              weak_fraction=statements.weak_fraction, multiples=feasible)
    return InnovationStudy(frame=frame, codes=codes, units=units, lowest=lowest, measures=measures,
                           intervals=intervals, statements=statements, indicators=table, shifts=shifts,
                           top_n=len(frame), head=head, weak_fraction=statements.weak_fraction,
                           confidence=confidence, n_resamples=n_resamples, seed=seed, highest=highest,
                           equivalent_shift=shift, floors=floors)


def _unshifted(frame: pd.DataFrame, head: int, weak_fraction: float) -> pd.DataFrame:
    """:func:`shift_dependence`'s rows at shift 0 only (the raw values, whose zero is not a choice)."""
    rows, index = [], []
    for col in frame.columns:
        m = head_concentration(frame[col], head=head)
        v = frame[col].to_numpy(float)
        rows.append({"gini": m.gini, "theil": m.theil, "head_share": m.head_share,
                     "weak_share": float((v < weak_fraction * v.max()).mean())})
        index.append((col, 0.0))
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["column", "shift"]))


#: The ensemble statistics :func:`innovation_summary` quotes ranges for, with the format of each
#: (for :meth:`cityeval.notebook.spread.EnsembleSummary.range_text`).
RANGE_FORMATS = {f"{m}_{col}": fmt for col in STAND_INS
                 for m, fmt in (("gini", ".2f"), ("head_share", ".1%"), ("weak_share", ".0%"))}
#: Their names.
RANGE_NAMES = tuple(RANGE_FORMATS)


def innovation_summary(study: InnovationStudy, *, synthetic: bool, ranges: dict | None = None,
                       lead_verdict: str | None = None, names=None) -> str:
    """The summary of notebook 08 (marked illustrative on synthetic data).

    ``ranges`` (optional) maps ensemble statistic names (:data:`RANGE_NAMES`, e.g. ``"gini_subject"``) to a
    text that replaces the formatted number, e.g. the nominal value with its range over an ensemble of
    panels (:meth:`cityeval.notebook.spread.EnsembleSummary.range_text`). ``lead_verdict`` (optional)
    replaces the names of the innovation leaders by how often Beijing or Shanghai leads across that
    ensemble, e.g. ``"holds in 3 of 50 panels"``: on synthetic data who leads is a draw of the
    generator, not a finding. ``names`` maps a list of units to display names.

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> innovation_summary(st, synthetic=False).split(". ")[:2]
    ['Raw stand-ins (ratio scale, 0 = none) over the innovation top 4', 'Subject s (firms): Gini 0.46, 95% bootstrap CI 0.36–0.48, Theil 0.40; the top 2 hold 83.3% of the sum (even share 50.0%); 75% below 50% of the leader']
    """
    if not isinstance(study, InnovationStudy):
        raise ParameterError("study", "an InnovationStudy (from innovation_study)", Shown(type(study).__name__))
    names = _names(names)
    ranges = {} if ranges is None else ranges
    if not isinstance(ranges, dict) or not set(ranges) <= set(RANGE_NAMES) \
            or not all(isinstance(v, str) for v in ranges.values()):
        raise ParameterError("ranges", f"a dict mapping names among {', '.join(RANGE_NAMES)} to a text, or None",
                             Shown(type(ranges).__name__ if not isinstance(ranges, dict) else f"keys {sorted(ranges)}"))
    if lead_verdict is not None and not isinstance(lead_verdict, str):
        raise ParameterError("lead_verdict", "a text such as 'holds in 3 of 50 panels', or None",
                             Shown(type(lead_verdict).__name__))
    mark = "Illustrative (synthetic panel): " if check_bool("synthetic", synthetic) else ""
    parts = []
    for col in STAND_INS:
        m, g = study.measures[col], study.intervals[col]["gini"]
        gini_text = ranges.get(f"gini_{col}", f"{m.gini:.2f}")
        share = ranges.get(f"head_share_{col}", f"{m.head_share:.1%}")
        weak = ranges.get(f"weak_share_{col}", f"{study.statements.weak_share[col]:.0%}")
        parts.append(f"{col} {study.codes[col]} ({study.units[col]}): Gini {gini_text}, {g.confidence:.0%} bootstrap "
                     f"CI {g.ci_low:.2f}–{g.ci_high:.2f}, Theil {m.theil:.2f}; the top {study.head} hold {share} of "
                     f"the sum (even share {m.even_share:.1%}); {weak} below {study.weak_fraction:.0%} of the leader")
    if lead_verdict is None:
        leaders = list(study.measures["innovation"].leaders)
        lead = f"innovation score leaders {', '.join(names(leaders) if names is not None else leaders)}"
    else:
        lead = f"{LEAD_CONCLUSION}: {lead_verdict}"
    inn = study.measures["innovation"]
    far = float(max(SCORE_SHIFTS))
    moved = study.shifts.at[("innovation", far), "gini"]
    if mark:
        opening = (f"raw stand-ins over the innovation top {study.top_n} (on the synthetic panel affine maps of their "
                   "min-max scores onto the generator's documented ranges"
                   + (f", equivalent to shifting the scores by {study._shift_text()} points" if study._affine() else "")
                   + ": how far their bottom lies from zero, and so their levels, is the generator's choice)")
    else:
        opening = f"raw stand-ins (ratio scale, 0 = none) over the innovation top {study.top_n}"
    sentences = [mark + opening if mark else opening[0].upper() + opening[1:]]
    sentences += [p[0].upper() + p[1:] for p in (*parts, lead)]
    sentences.append(f"The innovation score is a min-max score (interval scale): its Gini {inn.gini:.2f} becomes "
                     f"{moved:.2f} if its zero moves by {far:g} points, so it is not read as a concentration")
    return ". ".join(sentences) + "."


def innovation_assumptions(study: InnovationStudy, *, synthetic: bool) -> dict:
    """The assumptions each headline number of notebook 08's results rests on: dotted path -> sentences.

    The paths are those of :meth:`InnovationStudy.results` (``concentration.subject.gini``,
    ``intervals.subject``, ``weak_share``, ``concentration.innovation``, ``translation``,
    ``statement_checks``, ``ensemble``, ``conclusions``).

    Examples
    --------
    >>> import pandas as pd
    >>> meta = pd.DataFrame({"level": [1, 1, 2, 3], "name_zh": ["a", "b", "c", "技术创新"], "direction": [1, 1, 1, 1],
    ...                      "unit": ["firms", "% of GDP", "score 0-100", "score 0-100"],
    ...                      "parent": ["C", "C", "TEC", ""]}, index=["s", "t", "C", "TEC"])
    >>> scores = pd.DataFrame({"TEC": [4.0, 3.0, 2.0, 1.0]}, index=list("wxyz"))
    >>> raw = pd.DataFrame({"s": [8.0, 1.0, 2.0, 1.0], "t": [1.0, 2.0, 3.0, 4.0]}, index=scores.index)
    >>> st = innovation_study(scores, raw, raw * 10, meta, top_n=4, subject_code="s", transfer_code="t",
    ...                       n_resamples=999)
    >>> list(innovation_assumptions(st, synthetic=False))[:2]
    ['concentration.subject.gini', 'concentration.transfer.gini']
    """
    if not isinstance(study, InnovationStudy):
        raise ParameterError("study", "an InnovationStudy (from innovation_study)", Shown(type(study).__name__))
    synthetic = check_bool("synthetic", synthetic)
    out = {}
    for col in STAND_INS:
        code, unit = study.codes[col], study.units[col]
        if synthetic:
            shift = study.equivalent_shift[col]
            first = (f"{code} ({unit}) would be on a ratio scale in real data (0 means none); on the synthetic panel "
                     "it is an affine map of its min-max score onto the generator's documented range (lowest city "
                     f"{study.lowest[col]:g} {unit}), so its shares, Gini and Theil index are those of the score "
                     + (f"shifted by {shift:+.2f} points, " if pd.notna(shift) else "shifted by a constant, ")
                     + "a shift set by the range's lower end: how far the bottom lies from zero is the generator's "
                     "choice, so the level is illustrative (the floor table shows how it moves with that end)")
        else:
            first = (f"{code} ({unit}) is on a ratio scale: 0 means none, so shares, the Gini and the Theil index are "
                     "the same in any unit and do not depend on a chosen zero")
        sentences = [
            first,
            f"{code} stands for the report's {STAND_INS[col]}, which is unpublished: the mapping is ours, not CCID's",
            f"the {study.top_n} cities are the top by the innovation score (a selection on a score that contains "
            f"{code}), each counted once, not weighted by population",
            "a rate per resident summed over cities is not a total of anything: the head's share is a share of that "
            "sum",
        ]
        out[f"concentration.{col}.gini"] = sentences
    out["intervals.subject"] = out["intervals.transfer"] = [
        f"nonparametric BCa bootstrap ({study.n_resamples} resamples, seed {study.seed}): the {study.top_n} cities "
        "are treated as independent draws from a population of such cities",
        "the selection of the top by the innovation score is held fixed, not resampled: the interval is the "
        "sampling uncertainty of the measure given that selection",
        "no interval is given for the head's share or for the share below half of the leader: both turn on the "
        "largest values, for which the nonparametric bootstrap is not consistent",
    ]
    out["weak_share"] = [
        f"a city is weak when its raw value is below {study.weak_fraction:.0%} of the leader's: our reading of "
        "the report's 薄弱 (weak), a ratio of values that needs the raw indicators' true zero",
        "the leader is one city, so the share moves with that one city's value",
    ] + (["on the synthetic panel the raw values' lowest end is the generator's range floor, and the share moves "
          "with it (the floor table)"] if synthetic else [])
    out["floor_dependence"] = [
        "each row moves the lowest raw value over every city and keeps the highest: the same affine map of the "
        "min-max score with another equivalent shift, no city reordered",
        ("on the synthetic panel the lowest value is the lower end of the generator's documented range, a choice; "
         "the rows show how much of the headline level it decides") if synthetic else
        "on these data the lowest value is the data's: the other rows are hypothetical, shown for comparison",
    ]
    out["concentration.innovation"] = [
        "the innovation score is a min-max score (0 = the lowest city evaluated, an interval scale): its head "
        "share, Gini and Theil index depend on that convention (translation) and are not read as concentration",
        "its gaps in standard deviations (gap_head_sd, gap_ratio) and its order are the same under any shift "
        "and change of units",
    ]
    out["translation"] = [
        f"the shifts (+{', +'.join(map(str, SCORE_SHIFTS))} points) move the zero of the min-max scores and change "
        "no city: whatever the measures do under them is the scale's, not the cities'",
    ]
    out["statement_checks"] = [
        "the report's two indices are unpublished: the statements are checked on our raw stand-ins",
        "who leads is decided by the stand-ins' order, which the scale's zero does not change",
    ]
    out["ensemble"] = [
        "every panel of the ensemble reproduces the report's 270 published (rank, city) pairs; they differ in "
        "the generator's free parameters, drawn from documented ranges",
        "no published ranking covers technology innovation, so its spread across panels is set by the "
        "generator's assumptions, not by anything CCID published",
    ]
    out["conclusions"] = [
        "a verdict counts the panels in which a yes/no reading holds: one that holds in every panel is a "
        "statement about synthetic data within the generator's ranges, not about CCID's scores",
    ]
    return out

