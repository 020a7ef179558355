"""The characters a page's embedded font must cover (cityeval.notebook._pages_font.chinese_characters).

Expected values: the definition itself, the ranges of ``_RANGES`` tested code point by code point over all of
Unicode (the slow form the regular expression replaced, issue 16).
"""
from cityeval.notebook import _pages_font


def test_the_characters_found_are_exactly_those_in_the_ranges():
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF)
    expected = "".join(ch for ch in everything if any(lo <= ord(ch) <= hi for lo, hi in _pages_font._RANGES))
    assert _pages_font.chinese_characters(everything) == expected
    assert len(expected) == sum(hi - lo + 1 for lo, hi in _pages_font._RANGES)


def test_each_character_once_in_code_point_order():
    # hand example: 数字城市 twice, Latin and digits ignored
    assert _pages_font.chinese_characters("数字城市 Digital 2022 数字城市，ok") == "城字市数，"


def test_a_subset_is_the_same_bytes_whenever_it_is_made(monkeypatch, tmp_path):
    # fontTools stamps head.modified with the time of saving unless told not to (SOURCE_DATE_EPOCH stands in for
    # the clock): two runs a second apart wrote different pages, and CI caught the disk cache differing from a
    # fresh subset (stop 22).
    from cityeval.notebook import whatif

    made = []
    for epoch in ("1000000000", "1700000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / epoch))   # no subset from the disk cache ...
        _pages_font._subset.cache_clear()                              # ... nor from memory: each one made here
        made.append((_pages_font._make_subset("城市数字"), whatif._font_face("城市数字 — ≥")))
    assert made[0] == made[1]


def test_the_what_if_page_embeds_the_glyphs_its_script_draws():
    # the script draws ▲ and ▼ (rank moves) and – : they are in the page's subset, not left to a system font
    from fontTools.ttLib import TTFont
    import base64
    import io
    import re

    from cityeval import paths
    from cityeval.notebook import whatif

    html = whatif.page_html(whatif.build(paths.DATA / "examples" / "toy", top_n=3))
    data = base64.b64decode(re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", html).group(1))
    cmap = TTFont(io.BytesIO(data))["cmap"].getBestCmap()
    assert all(ord(ch) in cmap for ch in "▲▼–")
