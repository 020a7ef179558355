"""What holds across the panels that fit the published ranks: the ensemble spread of a notebook's statistics.

Every panel of the ensemble (:mod:`cityeval.ccid2022.ensemble`) reproduces the report's 270
published (rank, city) pairs, so each is as good as the nominal one. A notebook computes its
headline statistics on the nominal panel and on every member with one function, and
:func:`summarize` says what they do across the ensemble:

- per statistic: the nominal value, the 5-95% range and the median over the members (and the
  report's value beside it where the report states one; nothing is tuned to it);
- per conclusion (a yes/no test of the statistics): in how many members it holds, and what decides
  that (its basis, :data:`BASES`). A conclusion about a quantity the published ranks constrain that
  holds in every member is decided by them plus the model's generic structure; one about a quantity
  no published table constrains (basis ``"generator"``) only reflects the generator's structure; one
  that holds in some members is decided by the generator's assumptions. A conclusion that a test
  rejects (kind ``"rejection"``, :data:`KINDS`) and rejects in no member is not evidence against the claim.

Typical use in a notebook::

    ens = spread.ensemble_panels(data, size=ensemble_size, seed=ensemble_seed, top_n=top_n)
    summary = spread.summarize(ens, statistics, nominal=panel, labels=LABELS, reported={"r": 0.7561},
                               conclusions={"r(TEC, composite) > 0.5": lambda s: s["r"] > 0.5})
    summary.figure("...")         # one dot per panel, the nominal marked, the report's value beside
    summary.table()               # the numbers, captioned illustrative
    summary.sentences()           # which conclusions hold in every panel, which vary
    results["ensemble"] = summary.block()

Only the embedded synthetic panel has an ensemble: for a user's own data folder, or
``size = 0``, :func:`ensemble_panels` returns an empty ensemble with the reason, and the
summary says there is no spread to show.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from cityeval.errors import CityevalError, DataError, ParameterError
from cityeval.notebook import _spread_zh as _zh
from cityeval.progress import progress
from cityeval.validation import Shown, check_integer, check_seed

__all__ = ["Ensemble", "EnsembleSummary", "ensemble_panels", "summarize", "check_member", "QUANTILES"]

#: The range reported for every statistic: 5% and 95% quantiles over the members.
QUANTILES = (0.05, 0.95)


@dataclass
class Ensemble:
    """The scored members of an ensemble (empty, with a ``reason``, when there is none for these data)."""

    panels: list            # ScoredPanel per member, in member order
    size: int
    seed: int
    reason: str = ""        # why there are no members ("" when there are)

    def __len__(self) -> int:
        return len(self.panels)


def check_member(panel, rankings=None) -> None:
    """Raise DataError unless ``panel`` (scored with its own method) reproduces every published (rank, city) pair.

    Every city a table lists must hold its published rank, and every other city must rank below
    the table's last rank.
    """
    from cityeval.ccid2022 import published

    rankings = rankings if rankings is not None else published.load_rankings()
    ranks = panel.result.ranks
    for name, table in rankings.items():
        code = published.RANKINGS[name]["code"] or panel.top_code
        got = ranks[code]
        listed = got.reindex(table["city"])
        if listed.isna().any() or listed.tolist() != table["rank"].tolist() \
                or (got.drop(index=table["city"]) <= len(table)).any():
            raise DataError(panel.dataset.path, f"ensemble member does not reproduce the published {name} "
                                                "(delete the cache folder to regenerate it)")


def _is_default(data) -> bool:
    from cityeval.notebook.panel import DEFAULT_DATA

    if not data:
        return True
    try:
        return Path(data).resolve() == DEFAULT_DATA.resolve()
    except OSError:
        return False


def ensemble_panels(data="", *, size: int, seed: int, top_n: int = 100, method: dict | None = None) -> Ensemble:
    """Score ``size`` members of ensemble ``seed`` like the nominal panel (``top_n``, ``method``).

    Each member is checked against the published ranks (scored with its own method) before use.

    Parameters
    ----------
    data : path-like
        The notebook's ``data`` parameter. Only the embedded synthetic panel (empty or its path)
        has an ensemble; for any other folder the ensemble is empty, with the reason.
    size : int
        Members, 0 ... :data:`cityeval.ccid2022.ensemble.MAX_SIZE` (0: no ensemble).
    seed : int
        The ensemble's seed.
    top_n, method
        As for :func:`cityeval.notebook.panel.scored_panel`.
    """
    from cityeval.ccid2022 import ensemble as ens

    size = check_integer("ensemble_size", size, low=0, high=ens.MAX_SIZE)
    seed = check_seed(seed, name="ensemble_seed")
    if size == 0:
        return Ensemble([], 0, seed, reason="ensemble_size is 0")
    if not _is_default(data):
        return Ensemble([], size, seed, reason=f"the data ({data}) are not the embedded synthetic panel; "
                                               "an ensemble exists only for that panel")
    panels = []
    for folder in progress(ens.member_folders(size, seed), total=size, desc="ensemble: scoring panels", unit="panel"):
        own = _scored(folder, top_n, None)
        check_member(own)
        panels.append(own if method is None else _scored(folder, top_n, method))
    return Ensemble(panels, size, seed)


def _code_key() -> str:
    """SHA-256 of the code a scored member depends on (the composite pipeline, the scored panel, the base
    modules) and of the numpy and pandas versions (a pickle of frames is tied to them)."""
    import hashlib
    from importlib import metadata

    import cityeval.composite as composite
    import cityeval.notebook.panel as panel_module

    package = Path(panel_module.__file__).parents[1]
    h = hashlib.sha256()
    for name in ("numpy", "pandas"):
        h.update(f"{name}={metadata.version(name)}".encode())
    for path in (sorted(Path(composite.__file__).parent.glob("*.py")) + [Path(panel_module.__file__)]
                 + [package / f for f in ("validation.py", "files.py", "errors.py")]):
        h.update(path.read_bytes())
    return h.hexdigest()


def _scored(folder: Path, top_n: int, method):
    """A member scored like :func:`cityeval.notebook.panel.scored_panel`, kept beside it in the cache.

    Scoring a member from its CSV files takes about 0.1 s; 50 members in each of eight notebooks add up,
    so the scored panel is stored (pickle) under a key of the member's checksums, ``top_n``, ``method``
    and the code that scores it: a change of any of them scores again. The pickle is loaded only if its
    SHA-256 matches the one written beside it; an unreadable or mismatching file is scored again. The
    loaded panel's paths are set to ``folder`` (the cache may have moved since it was written).
    """
    import hashlib
    import json
    import pickle

    from cityeval.ccid2022 import ensemble as ens
    from cityeval.files import file_sha256
    from cityeval.outputs import write_bytes_atomic, write_text_atomic
    from cityeval.notebook.panel import scored_panel

    folder = Path(folder)
    manifest = ens.read_manifest(folder)
    key = hashlib.sha256(json.dumps({"files": manifest["sha256"], "top_n": top_n, "method": method,
                                     "code": _code_key()}, sort_keys=True, default=str).encode()).hexdigest()[:16]
    path = folder / f"scored-{key}.pickle"
    check = folder / f"scored-{key}.sha256"
    if path.is_file() and check.is_file():
        try:
            if check.read_text(encoding="utf-8").strip() == file_sha256(path):
                panel = pickle.loads(path.read_bytes())
                panel.dataset.path = folder
                panel.files = [folder / Path(f).name for f in panel.files]
                return panel
        except Exception:   # a truncated file, another pandas: score again
            pass
    panel = scored_panel(folder, top_n=top_n, method=method)
    try:
        write_bytes_atomic(path, pickle.dumps(panel, protocol=pickle.HIGHEST_PROTOCOL))
        write_text_atomic(check, file_sha256(path) + "\n")
    except OSError:
        pass   # a read-only cache still works, only slower
    return panel


def _finite(x, name: str = "statistic") -> float:
    """``x`` as a float: finite, or NaN for a statistic undefined on a panel; an infinity is refused."""
    if isinstance(x, (str, bytes, bool, np.bool_)):
        raise ParameterError(f"statistic {name!r}", "a number (NaN where it is undefined)", Shown(f"{type(x).__name__} {x!r}"))
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ParameterError(f"statistic {name!r}", "a number (NaN where it is undefined)",
                             Shown(f"{type(x).__name__} {x!r}")) from None
    if math.isinf(v):
        raise ParameterError(f"statistic {name!r}", "finite (NaN where it is undefined, never an infinity)", v)
    return v


#: What a conclusion's verdict rests on: ``"model"`` (default) the published ranks within the generator's ranges;
#: ``"rule"`` the method's own rule, whatever the data; ``"published"`` the published ranks alone (the same in
#: every panel that fits them, which :func:`summarize` checks); ``"generator"`` a quantity no published table
#: constrains (an unpublished dimension's leaders, a selection effect built into the generator): the same verdict in
#: every panel then reflects the generator's structure, never the published ranks.
BASES = ("model", "rule", "published", "generator")

#: What a conclusion is: ``"claim"`` (default) a statement about the statistics; ``"rejection"`` the event that a
#: test rejects its null hypothesis. A rejection that happens in no panel shows nothing by itself (the test may lack
#: the power), so it is never worded as ruling the claim out.
KINDS = ("claim", "rejection")


@dataclass
class EnsembleSummary:
    """Statistics of the nominal panel and of every member, and the conclusions tested on them."""

    size: int
    seed: int
    names: list                          # statistic names, in order
    labels: dict                         # name -> label for tables and figures
    nominal: dict                        # name -> value on the nominal panel
    values: pd.DataFrame                 # one row per member, one column per statistic (NaN: failed, see failures)
    reported: dict = field(default_factory=dict)      # name -> the report's stated value
    conclusions: dict = field(default_factory=dict)   # text -> {"nominal": bool, "holds": [bool per member]}
    failures: dict = field(default_factory=dict)      # member -> error text
    reason: str = ""                                   # why there is no ensemble ("" when there is)
    synthetic: bool = True                             # whether the nominal panel is synthetic
    zh: dict = field(default_factory=dict)             # statistic name or conclusion text -> Chinese

    # ------------------------------------------------------------------ numbers
    def quantiles(self, name: str) -> tuple[float, float, float]:
        """(5%, median, 95%) of ``name`` over the members where it is finite (NaNs when none)."""
        v = self.values[name].to_numpy(float) if len(self.values) else np.array([])
        v = v[np.isfinite(v)]
        if v.size == 0:
            return (math.nan, math.nan, math.nan)
        # a count or a choice (whole numbers) gets quantiles among its own values, not between them
        how = "inverted_cdf" if np.all(v == np.round(v)) else "linear"
        q = np.quantile(v, [QUANTILES[0], 0.5, QUANTILES[1]], method=how)
        return float(q[0]), float(q[1]), float(q[2])

    def range_text(self, name: str, fmt: str = ".2f", *, lang: str = "en") -> str:
        """``"0.36 (5-95% over 50 illustrative panels: 0.21-0.48)"``, or the nominal value alone without ensemble
        (in Chinese for ``lang="zh"``)."""
        if _lang(lang) == "zh":
            return _zh.range_text(self, name, fmt)
        nom = format(self.nominal[name], fmt)
        if not len(self.values):
            return f"{nom} (one panel; no ensemble: {self.reason})"
        if self.n_ok(name) == 0:
            return f"{nom} (undefined on all {len(self.values)} ensemble panels)"
        lo, _, hi = self.quantiles(name)
        return f"{nom} (5–95% over {self.n_ok(name)} illustrative panels: {format(lo, fmt)}–{format(hi, fmt)})"

    def n_ok(self, name: str) -> int:
        return int(np.isfinite(self.values[name].to_numpy(float)).sum()) if len(self.values) else 0

    def verdict(self, text: str, *, lang: str = "en") -> str:
        """``"holds in all 50 panels"``, ``"fails in all 50 panels"`` or ``"holds in 31 of 50 panels"`` (the members;
        in Chinese for ``lang="zh"``)."""
        if _lang(lang) == "zh":
            return _zh.verdict(self, text)
        c = self.conclusions[text]
        n, k = sum(c["holds"]), len(c["holds"])
        if k == 0:
            return "untested (every member failed)" if len(self.values) else "untested (no ensemble)"
        if n == k:
            return f"holds in all {k} panels"
        if n == 0:
            return f"fails in all {k} panels"
        return f"holds in {n} of {k} panels"

    def constant(self) -> list:
        """Statistics with one value on the nominal panel and every member (e.g. a test on the published order
        alone): they have no spread to draw; :meth:`figure` leaves them out and :meth:`sentences` states them."""
        if len(self.values) < 2:
            return []
        out = []
        for name in self.names:
            v = np.append(self.values[name].to_numpy(float), self.nominal[name])
            v = v[np.isfinite(v)]
            if v.size > 1 and np.ptp(v) <= 1e-12 * max(1.0, float(np.abs(v).max())):
                out.append(name)
        return out

    def undefined(self) -> dict:
        """name -> number of computed members on which the statistic is undefined (NaN)."""
        ok = self.values.drop(index=list(self.failures), errors="ignore") if len(self.values) else self.values
        return {name: int(ok[name].isna().sum()) for name in self.names if len(ok) and ok[name].isna().any()}

    def label(self, name: str, *, lang: str = "en") -> str:
        """The label of statistic ``name`` (or the text of a conclusion) in ``lang``."""
        if _lang(lang) == "zh":
            return _zh.conclusion(self, name) if name in self.conclusions else _zh.label(self, name)
        return self.labels.get(name, name)

    def sentences(self, *, lang: str = "en") -> list[str]:
        """One plain sentence per conclusion: what decides it (the published ranks, the rule, the assumptions);
        in Chinese for ``lang="zh"`` (the same sentences, with the ``zh`` labels given to :func:`summarize`)."""
        if _lang(lang) == "zh":
            return _zh.sentences(self)
        if not len(self.values):
            return [f"No ensemble: {self.reason}. The numbers above come from one panel only."]
        out = []
        for text, c in self.conclusions.items():
            n, k = sum(c["holds"]), len(c["holds"])
            nominal = "holds" if c["nominal"] else "does not hold"
            where = f"“{text}” {nominal} on the nominal panel and {self.verdict(text)} of the illustrative ensemble"
            if k == 0:
                out.append(f"{where}.")
                continue
            bound = f"{3 / k:.0%}"   # the rule of three: a 95% upper bound on a share never seen in k draws
            if c.get("kind") == "rejection" and n == 0:
                why = ("the test rejects in no panel"
                       + (" (the published ranks alone decide that: it is the same in every panel that fits them)"
                          if c["basis"] == "published" else "")
                       + ", and a test that does not reject is not evidence against the claim "
                       "(on samples this small it may lack the power to reject)")
            elif c["basis"] == "rule":
                why = "the method's own rule decides it, whatever the data"
            elif c["basis"] == "published":
                why = "the published ranks alone decide it (it is the same in every panel that fits them)"
            elif c["basis"] == "generator":
                why = ("no published table constrains it, so "
                       + ("the same verdict in every panel reflects the generator's structure, not the published "
                          "ranks" if n in (0, k) else "the generator's assumptions decide it, not the published data"))
            elif n in (0, k) and bool(n) != c["nominal"]:
                why = "so it is a property of the nominal panel's draw, not of the published ranks"
            elif n == k:
                why = ("so, within the generator's documented ranges, the published ranks decide it ("
                       + (f"{k} sampled panels put the share of such panels where it fails below about {bound}"
                          if 3 / k < 0.5 else f"though {k} sampled panels are too few to bound how often it fails")
                       + "); it is still a statement about synthetic data, not about CCID's scores")
            elif n == 0:
                why = ("so, within the generator's documented ranges, the published ranks rule it out on such data ("
                       + (f"it would hold in fewer than about {bound} of such panels" if 3 / k < 0.5
                          else f"though {k} sampled panels are too few to bound how often it holds") + ")")
            else:
                why = "so the generator's assumptions decide it, not the published data"
            out.append(f"{where}: {why}.")
        same = self.constant()
        if same:
            out.append("The same on the nominal panel and every member of the illustrative ensemble: "
                       + "; ".join(f"{self.labels.get(n, n)} = {self.nominal[n]:.3g}" for n in same) + ".")
        for name, m in self.undefined().items():
            out.append(f"{self.labels.get(name, name)} is undefined on {m} of {len(self.values) - len(self.failures)} "
                       "panels; they are left out of its range, and a conclusion about it counts as not holding there.")
        if self.failures:
            out.append(f"The statistics could not be computed on {len(self.failures)} of {self.size} panels "
                       f"(members {', '.join(map(str, sorted(self.failures)))}); the ranges leave them out.")
        return out

    def table(self, *, lang: str = "en") -> pd.DataFrame:
        """Nominal value, median and 5-95% range per statistic (and the report's value), captioned illustrative
        (``frame.attrs["caption"]``); Chinese labels and columns for ``lang="zh"``."""
        rows = []
        for name in self.names:
            lo, med, hi = self.quantiles(name)
            rows.append({"statistic": self.label(name, lang=lang), "nominal panel": self.nominal[name],
                         "median": med, "5%": lo, "95%": hi, "panels": self.n_ok(name),
                         "report states": self.reported.get(name, math.nan)})
        frame = pd.DataFrame(rows).set_index("statistic")
        if lang == "zh":
            frame = frame.rename(columns=_zh.TABLE_COLUMNS)
            frame.index.name = _zh.TABLE_COLUMNS["statistic"]
        frame.attrs["caption"] = self.caption_in(lang)
        return frame

    def styled(self, *, lang: str = "en"):
        """:meth:`table` as a styled table with its caption on it (:func:`cityeval.notebook.style.table`)."""
        from cityeval.notebook.style import table

        frame = self.table(lang=lang)
        caption = frame.attrs["caption"]
        return table(frame, caption, lang=lang)

    def caption_in(self, lang: str = "en") -> str:
        """The table's caption in ``lang``."""
        return _zh.caption(self) if _lang(lang) == "zh" else self.caption

    @property
    def caption(self) -> str:
        """The table's caption (pandas does not display ``attrs``: print it beside the table)."""
        if not len(self.values):
            return (f"{'Illustrative (synthetic data); ' if self.synthetic else ''}no ensemble: {self.reason}. "
                    "Nominal values only.")
        return (f"Illustrative: {len(self.values)} synthetic panels calibrated to the published ranks "
                f"(ensemble seed {self.seed}); not CCID's scores.")

    def block(self) -> dict:
        """The results file's ``ensemble`` block: size, seed, quantiles per statistic, verdict per conclusion."""
        stats = {}
        for name in self.names:
            lo, med, hi = self.quantiles(name)
            stats[name] = {"label": self.labels.get(name, name), "nominal": self.nominal[name], "q05": lo,
                           "median": med, "q95": hi, "panels": self.n_ok(name),
                           "values": self.values[name].tolist() if len(self.values) else [],
                           **({"reported": self.reported[name]} if name in self.reported else {})}
        concl = {text: {"nominal": bool(c["nominal"]), "holds_in": int(sum(c["holds"])), "of": len(c["holds"]),
                        "basis": c["basis"], "kind": c.get("kind", "claim"), "verdict": self.verdict(text)}
                 for text, c in self.conclusions.items()}
        return {"illustrative": bool(self.synthetic or len(self.values)), "undefined": self.undefined(), "size": self.size, "seed": self.seed, "quantiles": list(QUANTILES),
                "members_used": len(self.values) - len(self.failures), "reason": self.reason or None,
                "failures": {str(k): v for k, v in sorted(self.failures.items())},
                "statistics": stats, "conclusions": concl}

    # ------------------------------------------------------------------ figure
    def figure(self, title: str, *, names=None, lang: str = "en"):
        """One row per statistic: a dot per panel, the nominal panel marked, the report's value beside it.

        Each statistic has its own x axis (their scales differ). The title is marked illustrative. By default
        the statistics of :meth:`constant` are left out (the sentences state them). ``lang="zh"``: every word in
        Chinese (labels from the ``zh`` mapping).
        """
        import matplotlib.pyplot as plt

        zh = _lang(lang) == "zh"

        def word(en: str) -> str:
            return _zh.FIGURE_WORDS[en] if zh else en

        if names is None:
            same = self.constant()
            names = [n for n in self.names if n not in same] or list(self.names)
        names = list(names)
        fig, axes = plt.subplots(len(names), 1, figsize=(7.5, 0.95 * len(names) + 1.5), squeeze=False)
        rng = np.random.default_rng(self.seed)
        for ax, name in zip(axes[:, 0], names):
            v = self.values[name].to_numpy(float) if len(self.values) else np.array([])
            v = v[np.isfinite(v)]
            jitter = rng.uniform(-0.25, 0.25, size=v.size)
            ax.scatter(v, jitter, s=16, color="tab:blue", alpha=0.6, label=f"{word('ensemble panel')} ({v.size})", zorder=2)
            if v.size:
                lo, _, hi = self.quantiles(name)
                ax.axvspan(lo, hi, color="tab:blue", alpha=0.08, zorder=1, label=word("5–95% of panels"))
            ax.scatter([self.nominal[name]], [0], marker="D", s=60, color="black", label=word("nominal panel"), zorder=3)
            if name in self.reported and self.reported[name] is not None:
                ax.axvline(self.reported[name], color="tab:red", lw=1.5, label=word("the report states"), zorder=1)
            ax.set_yticks([])
            ax.set_ylim(-0.6, 0.6)
            ax.ticklabel_format(axis="x", useOffset=False, style="plain")
            shown = np.concatenate([v, [self.nominal[name]], [self.reported[name]] if name in self.reported else []])
            shown = shown[np.isfinite(shown)]
            if v.size > 1 and np.ptp(shown) <= 1e-9 * max(1.0, float(np.abs(shown).max())):
                # the same value in every panel: a readable axis around it, not an offset of 1e-15
                centre = float(shown[0])
                half = max(abs(centre) * 0.1, 0.01)
                ax.set_xlim(centre - half, centre + half)
                ax.text(0.99, 0.9, word("the same in every panel"), transform=ax.transAxes, ha="right", va="top",
                        fontsize=8, color="0.3")
            ax.set_title(self.label(name, lang=lang), fontsize=9, loc="left")
            ax.tick_params(axis="x", labelsize=8)
        handles, labels = [], []
        for ax in axes[:, 0]:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                key = lab.split(" (")[0]
                if key not in [x.split(" (")[0] for x in labels]:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
        if zh:
            note = (f"示意：{len(self.values)} 组符合公布排名的合成数据" if len(self.values)
                    else f"{'示意；' if self.synthetic else ''}无集合：{_zh.reason(self)}")
            fig.suptitle(f"{title}\n（{note}）", fontsize=10)
        else:
            note = (f"illustrative: {len(self.values)} synthetic panels fitting the published ranks" if len(self.values)
                    else f"{'illustrative; ' if self.synthetic else ''}no ensemble: {self.reason}")
            fig.suptitle(f"{title}\n({note})", fontsize=10)
        fig.tight_layout(rect=(0, 0.07, 1, 1))
        return fig


def summarize(ensemble: Ensemble, statistics: Callable, *, nominal, labels: dict | None = None,
              reported: dict | None = None, conclusions: dict | None = None, zh: dict | None = None) -> EnsembleSummary:
    """Compute ``statistics(panel)`` on the nominal panel and on every member, and test ``conclusions``.

    Parameters
    ----------
    ensemble : Ensemble
        From :func:`ensemble_panels`.
    statistics : callable
        ``statistics(panel) -> dict`` of name -> number, for a ScoredPanel. The same function
        gives the nominal values, so the two cannot drift apart. A member on which it raises a
        :class:`~cityeval.errors.CityevalError` is recorded as failed, with the message.
    nominal : ScoredPanel
        The notebook's own panel.
    labels : dict, optional
        name -> label for tables and figures.
    reported : dict, optional
        name -> the report's stated value, drawn beside the spread (never a target).
    conclusions : dict, optional
        text -> ``test(stats) -> bool`` on one panel's statistics dict, or ``(test, basis)`` with a basis of
        :data:`BASES` (default ``"model"``), or ``(test, basis, kind)`` with a kind of :data:`KINDS` (default
        ``"claim"``; ``"rejection"`` when the conclusion is that a test rejects). A statistic that is NaN on a panel makes a comparison false: the
        conclusion counts as not holding there, and the sentences say on how many panels it was undefined.
    zh : dict, optional
        statistic name or conclusion text -> its Chinese, for ``lang="zh"`` in the figure, table and sentences
        (the results file's :meth:`~EnsembleSummary.block` stays English).
    """
    if not callable(statistics):
        raise ParameterError("statistics", "a function panel -> dict of numbers", Shown(type(statistics).__name__))
    tests = {}
    for text, spec in dict(conclusions or {}).items():
        if isinstance(spec, tuple) and len(spec) in (2, 3):
            test, basis, kind = (*spec, "claim") if len(spec) == 2 else spec
        else:
            test, basis, kind = spec, "model", "claim"
        if not callable(test):
            raise ParameterError(f"conclusions[{text!r}]", "a function stats -> bool, or (function, basis[, kind])",
                                 Shown(type(test).__name__))
        if basis not in BASES:
            raise ParameterError(f"basis of conclusion {text!r}", f"one of {', '.join(BASES)}", basis)
        if kind not in KINDS:
            raise ParameterError(f"kind of conclusion {text!r}", f"one of {', '.join(KINDS)}", kind)
        tests[text] = (test, basis, kind)
    nom = {k: _finite(v, k) for k, v in statistics(nominal).items()}
    names = list(nom)
    reported = dict(reported or {})
    if zh is not None and not isinstance(zh, dict):
        raise ParameterError("zh", "a dict of statistic name or conclusion text -> Chinese", Shown(type(zh).__name__))
    unknown = sorted(set(zh or {}) - set(names) - set(tests))
    if unknown:
        raise ParameterError("zh", f"keys among the statistics ({', '.join(names)}) and the conclusions",
                             Shown(", ".join(map(str, unknown))))
    for arg, given in (("reported", reported), ("labels", labels)):
        if given is not None and not isinstance(given, dict):
            raise ParameterError(arg, "a dict of statistic name -> value", Shown(type(given).__name__))
        unknown = sorted(set(given or {}) - set(names))
        if unknown:
            raise ParameterError(arg, f"names among the statistics ({', '.join(names)})", Shown(", ".join(unknown)))
    rows, failures = [], {}
    holds = {text: [] for text in tests}
    for k, panel in enumerate(progress(ensemble.panels, total=len(ensemble.panels), desc="ensemble: statistics",
                                       unit="panel")):
        try:
            s = {name: _finite(v, name) for name, v in statistics(panel).items()}
        except ParameterError:
            raise
        except CityevalError as exc:
            failures[k] = str(exc).splitlines()[0]
            rows.append({name: math.nan for name in names})
            continue
        if list(s) != names:
            raise CityevalError(f"statistics returned {sorted(s)} on ensemble member {k}, {sorted(names)} on the "
                                "nominal panel")
        rows.append(s)
        for text, (test, _, _) in tests.items():
            holds[text].append(bool(test(s)))
    values = pd.DataFrame(rows, columns=names)
    concl = {text: {"nominal": bool(test(nom)), "holds": holds[text], "basis": basis, "kind": kind}
             for text, (test, basis, kind) in tests.items()}
    for text, c in concl.items():
        if c["basis"] == "published" and len(set(c["holds"] + [c["nominal"]])) > 1:
            raise CityevalError(f"conclusion {text!r} is marked as decided by the published ranks alone, but it "
                                f"holds in {sum(c['holds'])} of {len(c['holds'])} panels")
    return EnsembleSummary(size=ensemble.size, seed=ensemble.seed, names=names, labels=dict(labels or {}),
                           nominal=nom, values=values, reported=reported, conclusions=concl, failures=failures,
                           reason=ensemble.reason, synthetic=bool(getattr(nominal, "synthetic", True)),
                           zh=dict(zh or {}))


def _lang(lang: str) -> str:
    from cityeval.notebook.labels import check_language

    return check_language(lang)
