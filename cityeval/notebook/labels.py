"""Figure language: English labels by default, Chinese labels with a packaged CJK font.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a Chinese label
renders as empty boxes and matplotlib warns ``Glyph ... missing from font(s)``.
:func:`use_language` with ``"zh"`` registers Noto Sans SC (Simplified Chinese,
SIL Open Font License 1.1) with matplotlib's font manager *by path* and makes it
the first sans-serif family. The font file comes with the PyPI package
``pylopdf-fonts-zh-cn`` (a data-only wheel holding the unmodified
``Sans/SubsetOTF/SC/NotoSansSC-Regular.otf`` of notofonts/noto-cjk, with the
licence text); nothing is downloaded, nothing outside this Python process
changes (no matplotlibrc, no file copied into matplotlib's folder, no system
font installed).

:func:`label` gives the Chinese or English name of a framework code (``INF`` →
信息基础 / Information infrastructure) or of a region or zone of the report's
appendix (``华东`` → East China). The names are read from the data, not
retyped: ``data/published/ccid2022/framework.csv`` (``name_zh``, ``name_en``)
and :data:`cityeval.ccid2022.reference.REGIONS` / :data:`~cityeval.ccid2022.reference.ZONES`; a
dataset's own indicator table can be passed to name its codes.

Call :func:`use_language` *after* ``seaborn.set_theme`` (which resets the font
list) and before drawing.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from cityeval.validation import check_choice
from cityeval.errors import CityevalError, ParameterError

__all__ = ["LANGUAGES", "check_language", "FONT_FAMILY", "FONT_DISTRIBUTION", "FONT_PACKAGE", "use_language", "font_path",
           "label", "labels", "label_table"]

#: Figure languages :func:`use_language` and :func:`label` accept.
LANGUAGES = ("en", "zh")
#: The PyPI distribution and the import package that ship the Chinese font.
FONT_DISTRIBUTION = "pylopdf-fonts-zh-cn"
FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
#: The family name inside that file (its OpenType ``name`` table, id 1).
FONT_FAMILY = "Noto Sans SC"
#: The rcParams :func:`use_language` sets, and restores for ``"en"``.
_RC_KEYS = ("font.family", "font.sans-serif")


def check_language(lang) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else a ParameterError listing them."""
    return check_choice("lang", lang, LANGUAGES)


def font_path() -> Path:
    """The packaged Chinese font file (Noto Sans SC Regular).

    Raises
    ------
    CityevalError
        When ``pylopdf-fonts-zh-cn`` is not installed (it is a dependency of cityeval).
    """
    try:
        folder = resources.files(FONT_PACKAGE)
    except ModuleNotFoundError:
        raise CityevalError(f"Chinese figure labels need the package {FONT_DISTRIBUTION!r} (it ships the Noto Sans "
                            f"SC font); install it with: pip install {FONT_DISTRIBUTION}") from None
    path = Path(str(folder.joinpath(FONT_FILE)))
    if not path.is_file():
        raise CityevalError(f"{path}: the font file {FONT_FILE} is missing from the installed package "
                            f"{FONT_DISTRIBUTION!r}; reinstall it")
    return path


def _register(path: Path) -> None:
    from matplotlib import font_manager

    if not any(Path(f.fname) == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))


def use_language(lang: str = "en") -> Path | None:
    """Set matplotlib up for figure labels in ``lang``.

    Parameters
    ----------
    lang : {"en", "zh"}, default "en"
        ``"zh"`` registers the packaged Noto Sans SC with matplotlib's font manager and puts it first
        in ``font.sans-serif`` (matplotlib's own list follows, as fallback for any glyph it lacks);
        ``"en"`` restores ``font.family`` and ``font.sans-serif`` to the values matplotlib started
        with (``matplotlib.rcParamsOrig``: its defaults or the user's matplotlibrc).

    Returns
    -------
    pathlib.Path or None
        The font file in use for ``"zh"``; ``None`` for ``"en"``.

    Raises
    ------
    ParameterError
        ``lang`` is not one of :data:`LANGUAGES`.

    Notes
    -----
    Only this process's ``matplotlib.rcParams`` change. Noto Sans SC has the Latin letters, digits and
    the minus sign (U+2212) too, so mixed labels render in one font.

    Examples
    --------
    >>> path = use_language("zh")
    >>> path.name
    'NotoSansSC-Regular.otf'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'Noto Sans SC'
    >>> use_language("en") is None
    True
    """
    import matplotlib

    check_language(lang)
    if lang == "en":
        for key in _RC_KEYS:
            matplotlib.rcParams[key] = matplotlib.rcParamsOrig[key]
        return None
    path = font_path()
    _register(path)
    fallback = [f for f in matplotlib.rcParamsOrig["font.sans-serif"] if f != FONT_FAMILY]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = [FONT_FAMILY, *fallback]
    return path


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    from cityeval.ccid2022.published import load_framework
    from cityeval.ccid2022.reference import REGIONS, ZONES

    framework = load_framework()
    kinds = framework["level"].map({1: "dimension", 2: "sub-dimension"})
    rows = [pd.DataFrame({"zh": framework["name_zh"], "en": framework["name_en"], "kind": kinds})]
    for kind, names in (("region", REGIONS), ("zone", ZONES)):
        rows.append(pd.DataFrame({"zh": list(names), "en": list(names.values()), "kind": kind}, index=list(names)))
    table = pd.concat(rows)
    # 东北 is both a region and a zone, with the same English name: keep it once.
    table = table[~table.index.duplicated(keep="first")]
    table.index.name = "key"
    return table


def label_table() -> pd.DataFrame:
    """Every label :func:`label` knows without a dataset.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``key`` (a framework code such as ``INF`` or ``INF_NET``, or a region or zone's
        Chinese name such as ``华东``), columns ``zh``, ``en`` and ``kind`` (``dimension``,
        ``sub-dimension``, ``region``, ``zone``), framework rows first in the report's order.
    """
    return _table().copy()


def label(key: str, lang: str = "en", *, indicators: pd.DataFrame | None = None) -> str:
    """The name of ``key`` in ``lang``, for a figure.

    Parameters
    ----------
    key : str
        A framework code (``INF``, ``GOV``, ..., ``INF_NET``), a code of ``indicators``, or a region or
        zone's Chinese name (``华北``, ``东部``).
    lang : {"en", "zh"}, default "en"
    indicators : pandas.DataFrame, optional
        A dataset's indicator table (``Dataset.indicators``: indexed by code, with ``name_zh`` and
        ``name_en``), looked up first.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        ``lang`` is not a language of :data:`LANGUAGES`, or ``key`` is unknown (the message lists the
        known keys).

    Examples
    --------
    >>> label("INF", "zh"), label("INF")
    ('信息基础', 'Information infrastructure')
    >>> label("华东")
    'East China'
    """
    check_language(lang)
    if indicators is not None and key in indicators.index:
        return str(indicators.at[key, f"name_{lang}"])
    table = _table()
    if key not in table.index:
        known = list(table.index) + ([str(c) for c in indicators.index] if indicators is not None else [])
        raise ParameterError("key", f"a framework code, region or zone among {', '.join(known)}", key)
    return str(table.at[key, lang])


def labels(keys, lang: str = "en", *, indicators: pd.DataFrame | None = None) -> list[str]:
    """:func:`label` of each of ``keys``, in order (for tick labels and legends)."""
    return [label(k, lang, indicators=indicators) for k in keys]
