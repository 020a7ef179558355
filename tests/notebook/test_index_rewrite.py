"""Rewriting the index is cheap when little changed (issue 16, goal 1: a rerun served from the cache <= 3 s).

Expected values: the pages themselves (a glossary page is rewritten exactly when its source or language changes;
a font subset read back from the disk cache is the same bytes as one made by fontTools).
"""
from __future__ import annotations

import os
import sys

from cityeval.notebook import _output, _pages_font, pages


def test_the_glossary_is_rewritten_only_when_its_source_or_language_changes(tmp_path, monkeypatch):
    source = tmp_path / "glossary.md"
    source.write_text("# Glossary 术语表\n\n## Weight 权重\nThe share $w_k$.\n", encoding="utf-8")
    monkeypatch.setattr(pages, "GLOSSARY", source)
    page = _output._write_glossary(tmp_path, "en")
    first = page.stat().st_mtime_ns, page.read_text(encoding="utf-8")
    os.utime(page, ns=(1, 1))                              # a rewrite would give it a new time
    assert _output._write_glossary(tmp_path, "en").stat().st_mtime_ns == 1   # unchanged: not rewritten
    _output._write_glossary(tmp_path, "zh")
    assert page.stat().st_mtime_ns != 1 and 'lang="zh-CN"' in page.read_text(encoding="utf-8")
    os.utime(page, ns=(1, 1))
    source.write_text(source.read_text(encoding="utf-8") + "\n## Rank 排名\nA place.\n", encoding="utf-8")
    _output._write_glossary(tmp_path, "zh")
    assert page.stat().st_mtime_ns != 1 and "排名" in page.read_text(encoding="utf-8")
    assert first[1].rstrip().endswith("-->")               # the marker of what the page was made from


def test_a_font_subset_from_the_disk_cache_is_the_subset_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYEVAL_CACHE", str(tmp_path / "cache"))
    _pages_font._subset.cache_clear()
    made = _pages_font._subset("城市数字")
    stored = list((tmp_path / "cache" / "fonts").glob("*.woff"))
    assert len(stored) == 1 and stored[0].read_bytes() == made == _pages_font._make_subset("城市数字")
    _pages_font._subset.cache_clear()
    assert _pages_font._subset("城市数字") == made


def test_writing_the_index_needs_no_notebook_renderer():
    import subprocess

    code = ("import sys, cityeval.notebook._output, cityeval.notebook.pages; "
            "print('nbconvert' in sys.modules, 'papermill' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"], out
