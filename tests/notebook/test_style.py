"""The shared figure style and the figure-text recorder the Chinese-page test relies on."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cityeval.notebook import style  # noqa: E402


@pytest.fixture
def recorder(tmp_path, monkeypatch):
    path = tmp_path / "texts.jsonl"
    monkeypatch.setenv(style.FIGURE_TEXTS_VARIABLE, str(path))
    yield path
    style.use_style("en")
    plt.close("all")


def test_recorder_names_english_left_in_a_chinese_figure(recorder, tmp_path):
    style.use_style("zh")
    fig, ax = plt.subplots()
    ax.set_title("名次")
    ax.set_xlabel("overall rank")       # English left behind: the recorder must name it
    ax.set_ylabel("GDP（亿元）")          # an acronym is allowed (LATIN_ALLOWED's rule)
    fig.savefig(tmp_path / "f.png")
    problems = style.text_problems(recorder)
    assert problems == ["figure 1: English in a Chinese figure: 'overall rank' (overall, rank)"]


def test_recorder_names_missing_glyphs(recorder, tmp_path):
    style.use_style("en")               # DejaVu Sans has no Chinese glyphs: matplotlib warns per glyph
    fig, ax = plt.subplots()
    ax.set_title("名次")
    with pytest.warns(UserWarning, match="missing from font"):
        fig.savefig(tmp_path / "f.png")
    problems = style.text_problems(recorder)
    assert problems and all("missing from font" in p for p in problems)


def test_table_caption_carries_the_illustrative_warning_and_numbers_lose_their_noise():
    frame = pd.DataFrame({"value": [59.851612, 3.827725e-18], "share": [0.25, 0.5]}, index=["a", "b"])
    html = style.table(frame, "Two rows", synthetic=True, percent=["share"]).to_html()
    assert "Illustrative (synthetic data calibrated to the published ranks): Two rows" in html
    # 59.851612 to 3 significant digits is 59.9 (hand); 3.8e-18 is rounding noise below 1e-12, shown as 0
    assert ">59.9<" in html and ">0<" in html and ">25.0%<" in html
    zh = style.table(frame, "两行", lang="zh", synthetic=True).to_html()
    assert "示意（按公布排名校准的合成数据）：两行" in zh


def test_table_refuses_a_percent_column_it_does_not_have():
    with pytest.raises(Exception, match="percent should be columns of the table"):
        style.table(pd.DataFrame({"a": [1.0]}), "x", percent=["b"])


def test_table_formats_the_index_and_column_labels_as_numbers_too():
    # review of issue 15: "index columns printed with six decimals (0.000000, -4.368914, 10.000000)"
    frame = pd.DataFrame({0.3: [1.0, 2.0]}, index=pd.Index([-4.368914, 10.0], name="shift"))
    html = style.table(frame, "shifts").to_html()
    # number(): 3 significant digits (-4.37), a whole number without decimals (10), 0.3 as 0.3 (hand)
    assert ">-4.37<" in html and ">10<" in html and ">0.3<" in html
    assert "0.000000" not in html and "10.000000" not in html and "0.300000" not in html


def test_a_column_of_words_is_left_aligned_and_numbers_stay_right():
    # the 00 page's AHP table: "固定宽带平均下载速率 0.54, 每万人5G基站数 0.16, ..." was right-aligned like the numbers
    import re

    import pandas as pd

    from cityeval.notebook.style import table

    frame = pd.DataFrame({"n": [3, 2], "weights": ["speed 0.54, towers 0.16", "share 0.67"], "ok": [True, False],
                          "rank": ["1", "2–3"]})
    html = table(frame, "AHP").to_html()
    left = {int(c) for c in re.findall(r"row\d_col(\d)(?=[^{]*\{\s*text-align: left)", html)}
    assert left == {1}, html[:600]                                   # only the words; "2–3" is a number range
