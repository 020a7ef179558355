"""The data the finding notebooks run on: a dataset folder, scored, with its provenance.

Every finding notebook takes a ``data`` parameter: a dataset folder (default: the
synthetic panel ``data/synthetic/ccid2022``). :func:`scored_panel` loads it,
scores it with its ``method.json`` (or another method), keeps the ``top_n``
cities by composite and says whether the numbers are synthetic, so that every
notebook can print the banner and label its results.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cityeval import paths
from cityeval.ccid2022.synthetic import BANNER
from cityeval.composite.dataset import Dataset, load_dataset
from cityeval.validation import check_integer
from cityeval.composite.pipeline import RunResult, run

__all__ = ["ScoredPanel", "scored_panel", "DEFAULT_DATA"]

DEFAULT_DATA = paths.DATA / "synthetic" / "ccid2022"


@dataclass
class ScoredPanel:
    dataset: Dataset
    result: RunResult
    scores: pd.DataFrame      # top_n cities x every aggregate code (dimensions, second level, INDEX)
    all_scores: pd.DataFrame  # every scored city
    top_code: str             # the composite's code
    dimensions: list          # codes one level below the composite
    synthetic: bool
    files: list               # input files, for the results record

    def title(self, text: str) -> str:
        """A figure title: ``text``, marked illustrative when the data are synthetic."""
        return f"{text}\n(synthetic panel: illustrative)" if self.synthetic else text

    def english(self, cities) -> list:
        """English labels for figures: ``city_en`` from the reference table, else the unit id as is
        (figures use English by default; Chinese needs a CJK font)."""
        from cityeval.ccid2022.reference import default_cities

        names = default_cities()["city_en"]
        return [names.get(c, c) for c in cities]

    def labels(self, cities, lang: str = "en") -> list[str]:
        """Names of ``cities`` to draw on a figure in ``lang`` (see :mod:`cityeval.notebook.labels`).

        ``"zh"``: the ids as the data write them (the report's Chinese names; draw them after
        ``fonts.use_language("zh")``). ``"en"``: ``city_en`` from the reference table; for an id the
        table lacks, the id itself when it is ASCII, else ``#<composite rank>`` in this panel (the
        default font has no CJK glyphs, so a Chinese id would be drawn as empty boxes).
        """
        from cityeval.notebook.labels import check_language

        if check_language(lang) == "zh":
            return [str(c) for c in cities]
        from cityeval.ccid2022.reference import default_cities

        names = default_cities()["city_en"]
        out, rank = [], None
        for c in cities:
            if c in names.index:
                out.append(names[c])
            elif str(c).isascii():
                out.append(str(c))
            else:
                if rank is None:
                    order = self.all_scores[self.top_code].sort_values(ascending=False, kind="stable").index
                    rank = pd.Series(range(1, len(order) + 1), index=order)
                out.append(f"#{rank[c]}")
        return out

    def groups(self, column: str) -> pd.Series | None:
        """A group column (e.g. ``region``) for every scored city: from the dataset's values when it has
        that column, else from ``data/reference/cities.csv`` for the cities it names; ``None`` if neither
        covers every city."""
        values = self.dataset.values
        if column in values.columns:
            out = values[column].reindex(self.all_scores.index)
        else:
            from cityeval.ccid2022.reference import default_cities

            ref = default_cities()
            out = ref[column].reindex(self.all_scores.index) if column in ref.columns else None
        if out is None or out.isna().any():
            return None
        return out

    @property
    def banner(self) -> str:
        return BANNER if self.synthetic else f"Data: {self.dataset.path} (not synthetic)."


def scored_panel(data=None, *, top_n: int = 100, method: dict | None = None) -> ScoredPanel:
    """Load and score a dataset folder and keep the ``top_n`` cities by composite.

    Parameters
    ----------
    data : path-like, optional
        A dataset folder (``values.csv``, ``indicators.csv``, optional ``method.json``); default the
        synthetic panel. An empty string means the default too (papermill parameters are literals).
    top_n : int, default 100
        Cities kept, by composite rank; must be between 3 and the number of scored cities.
    method : dict, optional
        A method record overriding the folder's ``method.json``.

    Raises
    ------
    ParameterError
        ``top_n`` out of range.
    DataError
        From :func:`cityeval.composite.dataset.load_dataset`, naming the file and rule.
    """
    folder = Path(data) if data else DEFAULT_DATA
    ds = load_dataset(folder)
    result = run(ds, method if method is not None else ds.method)
    meta = ds.indicators
    top_code = meta.index[meta["level"] == meta["level"].max()][0]
    dims = list(meta.index[meta["parent"] == top_code])
    agg = [c for c in result.scores.columns if c in meta.index and meta.at[c, "level"] >= 2]
    all_scores = result.scores[agg]
    check_integer("top_n", top_n, low=3, high=len(all_scores),
                  allowed=f"a whole number between 3 and {len(all_scores)} (the cities in {folder})")
    order = all_scores[top_code].sort_values(ascending=False, kind="stable").index
    files = [p for p in (folder / "values.csv", folder / "indicators.csv", folder / "method.json") if p.exists()]
    return ScoredPanel(dataset=ds, result=result, scores=all_scores.loc[order[:top_n]], all_scores=all_scores,
                       top_code=top_code, dimensions=dims, synthetic=ds.synthetic, files=files)
