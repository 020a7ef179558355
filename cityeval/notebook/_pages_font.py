"""The Chinese font inside a page (private to :mod:`cityeval.notebook.pages`).

A reader's machine may have no Chinese font (this project's headless Chromium has none: Chinese shows as
boxes). Each page therefore carries the packaged Noto Sans SC (:func:`cityeval.notebook.labels.font_path`),
subset with fontTools to the Chinese characters the page uses, as a base64 WOFF ``@font-face``: the page stays
one file, and a few hundred characters cost some 130 bytes each.
"""
from __future__ import annotations

import base64
import functools
import io
import re
import threading

#: The family name pages use for the embedded font (first in the stylesheet's list; its ``unicode-range`` is the
#: Chinese characters only, so Latin text uses the fonts after it).
FAMILY = "Noto Sans SC"

# CJK punctuation and symbols, kana, CJK ideographs (with extension A), compatibility ideographs, full-width forms
_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
           (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
#: One character of :data:`_RANGES` (a regular expression: 20x faster than testing each range in Python on a page).
_CHINESE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _RANGES) + "]")
_UNICODE_RANGE = ",".join(f"U+{lo:X}-{hi:X}" for lo, hi in _RANGES)
_LOCK = threading.Lock()        # pages are rendered in a thread pool; fontTools objects are not shared


def chinese_characters(text: str) -> str:
    """The distinct characters of ``text`` that need a Chinese font, sorted.

    >>> chinese_characters("Digital 数字城市 (数字), ok")
    '城字市数'
    """
    return "".join(sorted(set(_CHINESE.findall(text))))


@functools.lru_cache(maxsize=64)
def _subset(characters: str) -> bytes:
    """The WOFF subset of the packaged font for ``characters``; kept on disk too (under the cache root, keyed by the
    characters, the font file and fontTools' version), so a new process writing the same index does not subset again
    (about 1 s). A cache that cannot be read or written is ignored: the subset is made here."""
    import hashlib
    from importlib import metadata

    from cityeval.notebook.labels import font_path

    font = font_path()
    try:
        stamp = f"{characters}|{font.stat().st_size}|{font.stat().st_mtime_ns}|{metadata.version('fonttools')}"
        from cityeval.ccid2022.ensemble import cache_root

        stored = cache_root() / "fonts" / f"{hashlib.sha256(stamp.encode()).hexdigest()[:32]}.woff"
        if stored.is_file():
            return stored.read_bytes()
    except (OSError, metadata.PackageNotFoundError):
        stored = None
    data = _make_subset(characters)
    if stored is not None:
        try:
            from cityeval.outputs import write_bytes_atomic

            stored.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(stored, data)
        except Exception:   # noqa: BLE001 - a cache that cannot be written is never fatal
            pass
    return data


def _make_subset(characters: str) -> bytes:
    """The WOFF subset itself. Byte-for-byte the same whenever it is made: the font's ``head.modified`` stamp is
    kept as packaged (fontTools would set it to the time of saving, so two runs a second apart wrote different
    pages)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from cityeval.notebook.labels import font_path

    options = subset.Options()
    options.flavor = "woff"             # zlib-compressed; WOFF2 would need brotli, which is not installed
    options.layout_features = ["*"]     # vertical punctuation forms and the like
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]   # keep the copyright and the SIL OFL licence
    font = TTFont(str(font_path()), lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


def font_face(text: str) -> str:
    """A CSS ``@font-face`` rule embedding Noto Sans SC for the Chinese characters of ``text``; ``""`` when
    ``text`` has none.

    Parameters
    ----------
    text : str
        Everything the page shows (its HTML will do: markup is ASCII).

    Returns
    -------
    str
        ``@font-face{font-family:"Noto Sans SC";src:url(data:font/woff;base64,...) format("woff");...}``

    Examples
    --------
    >>> font_face("no Chinese here")
    ''
    >>> rule = font_face("信息基础"); rule.startswith('@font-face{font-family:"Noto Sans SC";'), len(rule) < 20000
    (True, True)
    """
    characters = chinese_characters(text)
    if not characters:
        return ""
    with _LOCK:
        data = _subset(characters)
    encoded = base64.b64encode(data).decode("ascii")
    return (f'@font-face{{font-family:"{FAMILY}";src:url(data:font/woff;base64,{encoded}) format("woff");'
            f"font-weight:400;font-style:normal;font-display:block;unicode-range:{_UNICODE_RANGE};}}")
