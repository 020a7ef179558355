"""Chinese figure labels (issue 7): the packaged CJK font is found and has every glyph.

The check is matplotlib's own: a glyph it cannot find in the font chain raises
``UserWarning: Glyph N (...) missing from font(s) ...`` while drawing. The same
figure under ``lang="en"`` must warn, so the check can fail.
"""
from __future__ import annotations

import doctest
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cityeval.notebook import labels as fonts  # noqa: E402
from cityeval.errors import ParameterError  # noqa: E402
from cityeval.ccid2022.published import load_framework  # noqa: E402
from cityeval.ccid2022.reference import REGIONS  # noqa: E402

DIMENSIONS = ["INF", "GOV", "LIV", "IND", "TEC", "LOW"]
TITLE = "中国数字城市竞争力：六个维度（合成数据，仅作示意）"


@pytest.fixture(autouse=True)
def _restore_rc():
    """Every test leaves matplotlib's settings as it found them."""
    with matplotlib.rc_context():
        yield


def _missing_glyph_warnings(path: Path, lang: str) -> list[str]:
    """Draw a figure with a Chinese title, tick labels and legend in ``lang`` to ``path``; return the
    missing-glyph warnings matplotlib raised."""
    fonts.use_language(lang)
    fig = Figure(figsize=(6, 3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar(range(6), [0.9, 0.7, 0.8, 0.6, 0.75, 0.5], label=fonts.label("INF", "zh"))
    ax.set_xticks(range(6), fonts.labels(DIMENSIONS, "zh"), rotation=30)
    ax.set_yticks([-0.5, 0, 0.5, 1.0])  # a negative tick: the minus sign U+2212 must be in the font too
    ax.set_ylabel("得分 (score)")
    ax.set_title(TITLE)
    ax.legend(title="、".join(REGIONS))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(path, dpi=50)
    return [str(w.message) for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def test_chinese_labels_render_with_the_packaged_font(tmp_path):
    missing = _missing_glyph_warnings(tmp_path / "zh.png", "zh")
    assert (tmp_path / "zh.png").stat().st_size > 1000
    assert missing == [], f"glyphs missing under lang='zh': {missing[:3]}"
    found = Path(font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False))
    assert found == fonts.font_path()
    assert found.name == "NotoSansSC-Regular.otf"
    assert fonts.FONT_PACKAGE in found.parts[-2]  # inside the installed package, not a system font


def test_the_same_figure_in_english_mode_misses_the_glyphs(tmp_path):
    fonts.use_language("zh")  # registered first, so "en" must really take it out of the chain
    missing = _missing_glyph_warnings(tmp_path / "en.png", "en")
    assert any("missing from font" in m for m in missing), "DejaVu Sans has no CJK glyphs: lang='en' must warn"
    assert matplotlib.rcParams["font.sans-serif"] == matplotlib.rcParamsOrig["font.sans-serif"]


def test_use_language_is_idempotent_and_registers_the_font_once():
    path = fonts.use_language("zh")
    fonts.use_language("zh")
    assert sum(Path(f.fname) == path for f in font_manager.fontManager.ttflist) >= 1
    n = len(font_manager.fontManager.ttflist)
    fonts.use_language("zh")
    assert len(font_manager.fontManager.ttflist) == n
    assert matplotlib.rcParams["font.sans-serif"].count(fonts.FONT_FAMILY) == 1


def test_packaged_font_is_the_open_licensed_noto_sans_sc():
    from fontTools.ttLib import TTFont

    names = TTFont(fonts.font_path(), lazy=True)["name"]
    assert names.getDebugName(1) == fonts.FONT_FAMILY
    assert "SIL Open Font License" in names.getDebugName(13)


def test_a_missing_font_package_says_what_to_install(monkeypatch):
    from cityeval.errors import CityevalError

    monkeypatch.setattr(fonts, "FONT_PACKAGE", "no_such_font_package_here")
    with pytest.raises(CityevalError, match="pip install pylopdf-fonts-zh-cn"):
        fonts.use_language("zh")


def test_unknown_language_lists_the_valid_ones():
    with pytest.raises(ParameterError, match=r"lang should be one of 'en', 'zh', but its value is 'fr'"):
        fonts.use_language("fr")
    with pytest.raises(ParameterError, match="lang"):
        fonts.label("INF", "zh-TW")


def test_labels_come_from_the_framework_and_the_region_table():
    framework = load_framework()
    for code in DIMENSIONS:
        assert fonts.label(code, "zh") == framework.at[code, "name_zh"]
        assert fonts.label(code, "en") == framework.at[code, "name_en"]
    assert fonts.labels(DIMENSIONS, "zh") == ["信息基础", "城市治理", "民生服务", "产业经济", "技术创新", "低碳发展"]
    assert fonts.label("LOW") == "Low-carbon development"
    for zh, en in REGIONS.items():
        assert (fonts.label(zh, "zh"), fonts.label(zh, "en")) == (zh, en)
    assert fonts.label("东部") == "East"
    table = fonts.label_table()
    assert table.index.is_unique and set(table["kind"]) == {"dimension", "sub-dimension", "region", "zone"}


def test_label_of_a_dataset_code_and_of_an_unknown_key():
    import pandas as pd

    own = pd.DataFrame({"name_zh": ["每万人5G基站数"], "name_en": ["5G base stations"]}, index=["inf_5g_bs"])
    assert fonts.label("inf_5g_bs", "zh", indicators=own) == "每万人5G基站数"
    assert fonts.label("INF", "zh", indicators=own) == "信息基础"
    with pytest.raises(ParameterError, match=r"key should be a framework code, region or zone among INF, .*"
                                             r"but its value is 'XYZ'"):
        fonts.label("XYZ")


def test_doctests():
    result = doctest.testmod(fonts, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
