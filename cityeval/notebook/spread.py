"""What holds across the panels that fit the published ranks: the ensemble spread of a notebook's statistics.

Every panel of the ensemble (:mod:`cityeval.ccid2022.ensemble`) reproduces the report's 270
published (rank, city) pairs, so each is as good as the nominal one. A notebook computes its
headline statistics on the nominal panel and on every member with one function, and
:func:`summarize` says what they do across the ensemble:

- per statistic: the nominal value, the 5-95% range and the median over the members (and the
  report's value beside it where the report states one; nothing is tuned to it);
- per conclusion (a yes/no test of the statistics): in how many members it holds. One that
  holds in every member is decided by the published ranks plus the model's generic structure;
  one that holds in some is decided by the generator's assumptions, not by anything published.

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
    for folder in ens.member_folders(size, seed):
        own = _scored(folder, top_n, None)
        check_member(own)
        panels.append(own if method is None else _scored(folder, top_n, method))
    return Ensemble(panels, size, seed)


def _code_key() -> str:
    """SHA-256 of the code a scored member depends on (the composite pipeline and the scored panel)."""
    import hashlib

    import cityeval.composite as composite
    import cityeval.notebook.panel as panel_module

    h = hashlib.sha256()
    for path in sorted(Path(composite.__file__).parent.glob("*.py")) + [Path(panel_module.__file__)]:
        h.update(path.read_bytes())
    return h.hexdigest()


def _scored(folder: Path, top_n: int, method):
    """A member scored like :func:`cityeval.notebook.panel.scored_panel`, kept beside it in the cache.

    Scoring a member from its CSV files takes about 0.1 s; 50 members in each of eight notebooks add up,
    so the scored panel is stored (pickle) under a key of the member's checksums, ``top_n``, ``method``
    and the code that scores it: a change of any of them scores again. An unreadable file is scored again.
    """
    import hashlib
    import json
    import pickle

    from cityeval.ccid2022 import ensemble as ens
    from cityeval.files import write_bytes_atomic
    from cityeval.notebook.panel import scored_panel

    manifest = ens.read_manifest(folder)
    key = hashlib.sha256(json.dumps({"files": manifest["sha256"], "top_n": top_n, "method": method,
                                     "code": _code_key()}, sort_keys=True, default=str).encode()).hexdigest()[:16]
    path = folder / f"scored-{key}.pickle"
    if path.is_file():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:   # an older pandas, a truncated file: score again
            pass
    panel = scored_panel(folder, top_n=top_n, method=method)
    try:
        write_bytes_atomic(path, pickle.dumps(panel, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass   # a read-only cache still works, only slower
    return panel


def _finite(x) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ParameterError("statistic", "a number per statistic", Shown(f"{type(x).__name__} {x!r}")) from None
    return v


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

    # ------------------------------------------------------------------ numbers
    def quantiles(self, name: str) -> tuple[float, float, float]:
        """(5%, median, 95%) of ``name`` over the members where it is finite (NaNs when none)."""
        v = self.values[name].to_numpy(float) if len(self.values) else np.array([])
        v = v[np.isfinite(v)]
        if v.size == 0:
            return (math.nan, math.nan, math.nan)
        q = np.quantile(v, [QUANTILES[0], 0.5, QUANTILES[1]])
        return float(q[0]), float(q[1]), float(q[2])

    def range_text(self, name: str, fmt: str = ".2f") -> str:
        """``"0.36 (5-95% over 50 illustrative panels: 0.21-0.48)"``, or the nominal value alone without ensemble."""
        nom = format(self.nominal[name], fmt)
        if not len(self.values):
            return f"{nom} (one panel; no ensemble: {self.reason})"
        lo, _, hi = self.quantiles(name)
        return f"{nom} (5–95% over {self.n_ok(name)} illustrative panels: {format(lo, fmt)}–{format(hi, fmt)})"

    def n_ok(self, name: str) -> int:
        return int(np.isfinite(self.values[name].to_numpy(float)).sum()) if len(self.values) else 0

    def verdict(self, text: str) -> str:
        """``"holds in every panel"``, ``"fails in every panel"`` or ``"holds in 31 of 50 panels"``."""
        c = self.conclusions[text]
        n, k = sum(c["holds"]), len(c["holds"])
        if k == 0:
            return "untested (no ensemble)"
        if n == k:
            return f"holds in all {k} panels"
        if n == 0:
            return f"fails in all {k} panels"
        return f"holds in {n} of {k} panels"

    def sentences(self) -> list[str]:
        """One plain sentence per conclusion: whether the published ranks decide it or the assumptions do."""
        if not len(self.values):
            return [f"No ensemble: {self.reason}. The numbers above come from one panel only."]
        out = []
        for text, c in self.conclusions.items():
            n, k = sum(c["holds"]), len(c["holds"])
            nominal = "holds" if c["nominal"] else "does not hold"
            if n == k:
                why = ("so the published ranks plus the model's generic structure decide it "
                       "(it is still a statement about synthetic data, not about CCID's scores)")
            elif n == 0:
                why = "so the published ranks plus the model's generic structure rule it out on such data"
            else:
                why = "so the generator's assumptions decide it, not the published data"
            out.append(f"“{text}” {nominal} on the nominal panel and {self.verdict(text)} of the illustrative "
                       f"ensemble, {why}.")
        if self.failures:
            out.append(f"The statistics could not be computed on {len(self.failures)} of {self.size} panels "
                       f"(members {', '.join(map(str, sorted(self.failures)))}); the ranges leave them out.")
        return out

    def table(self) -> pd.DataFrame:
        """Nominal value, median and 5-95% range per statistic (and the report's value), captioned illustrative."""
        rows = []
        for name in self.names:
            lo, med, hi = self.quantiles(name)
            rows.append({"statistic": self.labels.get(name, name), "nominal panel": self.nominal[name],
                         "median": med, "5%": lo, "95%": hi, "panels": self.n_ok(name),
                         "report states": self.reported.get(name, math.nan)})
        frame = pd.DataFrame(rows).set_index("statistic")
        frame.attrs["caption"] = (f"Illustrative: synthetic panels calibrated to the published ranks "
                                  f"(ensemble of {self.size}, seed {self.seed}); not CCID's scores.")
        return frame

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
                        "verdict": self.verdict(text)} for text, c in self.conclusions.items()}
        return {"illustrative": True, "size": self.size, "seed": self.seed, "quantiles": list(QUANTILES),
                "members_used": len(self.values) - len(self.failures), "reason": self.reason or None,
                "failures": {str(k): v for k, v in sorted(self.failures.items())},
                "statistics": stats, "conclusions": concl}

    # ------------------------------------------------------------------ figure
    def figure(self, title: str, *, names=None, lang: str = "en"):
        """One row per statistic: a dot per panel, the nominal panel marked, the report's value beside it.

        Each statistic has its own x axis (their scales differ). The title is marked illustrative.
        """
        import matplotlib.pyplot as plt

        names = list(names) if names is not None else list(self.names)
        fig, axes = plt.subplots(len(names), 1, figsize=(7.5, 0.95 * len(names) + 1.5), squeeze=False)
        rng = np.random.default_rng(self.seed)
        for ax, name in zip(axes[:, 0], names):
            v = self.values[name].to_numpy(float) if len(self.values) else np.array([])
            v = v[np.isfinite(v)]
            jitter = rng.uniform(-0.25, 0.25, size=v.size)
            ax.scatter(v, jitter, s=16, color="tab:blue", alpha=0.6, label=f"ensemble panel ({v.size})", zorder=2)
            if v.size:
                lo, _, hi = self.quantiles(name)
                ax.axvspan(lo, hi, color="tab:blue", alpha=0.08, zorder=1, label="5–95% of panels")
            ax.scatter([self.nominal[name]], [0], marker="D", s=60, color="black", label="nominal panel", zorder=3)
            if name in self.reported and self.reported[name] is not None:
                ax.axvline(self.reported[name], color="tab:red", lw=1.5, label="the report states", zorder=1)
            ax.set_yticks([])
            ax.set_ylim(-0.6, 0.6)
            ax.ticklabel_format(axis="x", useOffset=False, style="plain")
            shown = np.concatenate([v, [self.nominal[name]], [self.reported[name]] if name in self.reported else []])
            shown = shown[np.isfinite(shown)]
            if shown.size and np.ptp(shown) <= 1e-9 * max(1.0, float(np.abs(shown).max())):
                # the same value in every panel: a readable axis around it, not an offset of 1e-15
                centre = float(shown[0])
                half = max(abs(centre) * 0.1, 0.01)
                ax.set_xlim(centre - half, centre + half)
                ax.text(0.99, 0.9, "the same in every panel", transform=ax.transAxes, ha="right", va="top",
                        fontsize=8, color="0.3")
            ax.set_title(self.labels.get(name, name), fontsize=9, loc="left")
            ax.tick_params(axis="x", labelsize=8)
        handles, labels = [], []
        for ax in axes[:, 0]:
            for h, lab in zip(*ax.get_legend_handles_labels()):
                key = lab.split(" (")[0]
                if key not in [x.split(" (")[0] for x in labels]:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), fontsize=8, frameon=False)
        fig.suptitle(f"{title}\n(illustrative: {self.size} synthetic panels fitting the published ranks)",
                     fontsize=10)
        fig.tight_layout(rect=(0, 0.07, 1, 1))
        return fig


def summarize(ensemble: Ensemble, statistics: Callable, *, nominal, labels: dict | None = None,
              reported: dict | None = None, conclusions: dict | None = None) -> EnsembleSummary:
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
        text -> ``test(stats) -> bool`` on one panel's statistics dict.
    """
    if not callable(statistics):
        raise ParameterError("statistics", "a function panel -> dict of numbers", Shown(type(statistics).__name__))
    conclusions = dict(conclusions or {})
    for text, test in conclusions.items():
        if not callable(test):
            raise ParameterError(f"conclusions[{text!r}]", "a function stats -> bool", Shown(type(test).__name__))
    nom = {k: _finite(v) for k, v in statistics(nominal).items()}
    names = list(nom)
    reported = dict(reported or {})
    unknown = sorted(set(reported) - set(names)) + sorted(set(labels or {}) - set(names))
    if unknown:
        raise ParameterError("reported/labels", f"names among the statistics ({', '.join(names)})",
                             Shown(", ".join(unknown)))
    rows, failures = [], {}
    holds = {text: [] for text in conclusions}
    for k, panel in enumerate(ensemble.panels):
        try:
            s = {name: _finite(v) for name, v in statistics(panel).items()}
        except CityevalError as exc:
            failures[k] = str(exc).splitlines()[0]
            rows.append({name: math.nan for name in names})
            continue
        if list(s) != names:
            raise CityevalError(f"statistics returned {sorted(s)} on ensemble member {k}, {sorted(names)} on the "
                                "nominal panel")
        rows.append(s)
        for text, test in conclusions.items():
            holds[text].append(bool(test(s)))
    values = pd.DataFrame(rows, columns=names)
    concl = {text: {"nominal": bool(test(nom)), "holds": holds[text]} for text, test in conclusions.items()}
    return EnsembleSummary(size=ensemble.size, seed=ensemble.seed, names=names, labels=dict(labels or {}),
                           nominal=nom, values=values, reported=reported, conclusions=concl, failures=failures,
                           reason=ensemble.reason)
