"""Formulas typeset at build time (private to :mod:`cityeval.notebook.pages`).

TeX in markdown (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``, ``\\begin{env}...\\end{env}``) and in
``text/latex`` outputs is converted to MathML Core with ``latex2mathml`` when the page is built; browsers render
MathML natively (Chromium since version 109, Firefox, Safari), so a page needs no MathJax and no network.

Before conversion, what MathML Core cannot show as ``latex2mathml`` writes it is rewritten (:func:`prepare_tex`):
``aligned``/``split``/``alignedat`` become a right-left ``array`` (``&`` aligns, ``\\\\`` starts a row),
``gathered`` a centred one, and a formula with ``\\\\`` (and ``&``) outside any environment is laid out the same
way (MathML Core has no line breaks inside a formula). ``cases`` and the ``matrix`` family convert as they are.

A formula that still cannot be typeset - a TeX command ``latex2mathml`` does not know (it would show ``\\foo`` as
text), or one it cannot parse - is never shown as raw TeX: the unknown command becomes a marked ``<merror>`` holding
its bare name, an unparsable formula a marked placeholder, and a :class:`FormulaWarning` naming the notebook and the
cell is issued when the page is built.
"""
from __future__ import annotations

import html
import re
import warnings

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

# the MathML namespace is implied in HTML; leaving it out keeps every URL out of the page
_XMLNS = re.compile(r'\s+xmlns="[^"]*"')
# a TeX command left as text in latex2mathml's output (it writes an unknown \foo as <mi>\foo</mi>)
_LEFT_AS_TEXT = re.compile(r"<(m[a-z]+)(\s[^>]*)?>([^<]*?\\[A-Za-z]+[^<]*)</\1>")
_COMMAND = re.compile(r"\\[A-Za-z]+")


class FormulaWarning(UserWarning):
    """A formula on a page could not be typeset as written (an unknown TeX command, or TeX that does not parse)."""


# environments rewritten to an array: name -> column pattern (repeated as needed)
_ARRAYS = {"aligned": "rl", "split": "rl", "alignedat": "rl", "gathered": "c"}
_BEGIN = re.compile(r"\\begin\{(aligned|split|alignedat|gathered)\}(\{\d+\})?")
_ENV = re.compile(r"\\(begin|end)\{([A-Za-z]+\*?)\}")


def _top_level(body: str, token: str) -> list[int]:
    """The offsets of ``token`` (``&`` or ``\\\\``) in ``body`` outside braces and nested environments."""
    found, depth, env, i = [], 0, 0, 0
    while i < len(body):
        if body.startswith("\\begin{", i):
            env += 1
        elif body.startswith("\\end{", i):
            env -= 1
        if body.startswith(token, i) and depth == 0 and env == 0:
            found.append(i)
            i += len(token)
            continue
        ch = body[i]
        if ch == "\\":
            i += 2                                  # \\, \&, \{ and a command's backslash
            continue
        depth += ch == "{"
        depth -= ch == "}"
        i += 1
    return found


def _split(body: str, token: str) -> list[str]:
    cuts, parts, last = _top_level(body, token), [], 0
    for at in cuts:
        parts.append(body[last:at])
        last = at + len(token)
    return [*parts, body[last:]]


def _as_array(body: str, pattern: str) -> str:
    rows = [_split(row, "&") for row in _split(body, "\\\\")]
    if len(rows) > 1 and not "".join(rows[-1]).strip():
        rows = rows[:-1]                                    # a trailing \\ adds no row
    columns = max(len(r) for r in rows)
    spec = (pattern * columns)[:columns]
    # an aligned row's second column starts with the relation: "{}" keeps it binary (a{}=b, as TeX does)
    lines = [" & ".join(("{}" + c if k % 2 and pattern == "rl" else c) for k, c in enumerate(r)) for r in rows]
    return f"\\begin{{array}}{{{spec}}}" + " \\\\ ".join(lines) + "\\end{array}"


def _end_of(tex: str, start: int) -> tuple[int, int]:
    """The span of the ``\\end{...}`` closing the environment opened just before ``start``."""
    depth = 1
    for m in _ENV.finditer(tex, start):
        depth += 1 if m.group(1) == "begin" else -1
        if depth == 0:
            return m.start(), m.end()
    raise ValueError("an environment without its \\end")


def prepare_tex(tex: str) -> str:
    r"""``tex`` rewritten into what ``latex2mathml`` converts to MathML Core a browser shows: ``aligned``-like
    environments, and rows (``\\``) outside any environment, as arrays.

    >>> prepare_tex(r"\begin{aligned} a &= b \\ c &= d \end{aligned}")
    '\\begin{array}{rl} a  & {}= b  \\\\  c  & {}= d \\end{array}'
    >>> prepare_tex(r"x = 1 \\ y = 2")
    '\\begin{array}{c}x = 1  \\\\  y = 2\\end{array}'
    """
    while (m := _BEGIN.search(tex)) is not None:
        end, after = _end_of(tex, m.end())
        tex = tex[:m.start()] + _as_array(tex[m.end():end], _ARRAYS[m.group(1)]) + tex[after:]
    if _top_level(tex, "\\\\"):
        tex = _as_array(tex, "rl" if _top_level(tex, "&") else "c")
    return tex


def _warn(message: str, where: str) -> None:
    warnings.warn(f"{where + ': ' if where else ''}{message}", FormulaWarning, stacklevel=3)


def tex_to_mathml(tex: str, *, display: bool = False, where: str = "") -> str:
    r"""The MathML of the TeX formula ``tex`` (without its ``$`` delimiters).

    Parameters
    ----------
    tex : str
        A formula in TeX notation.
    display : bool, default False
        A display formula (``$$...$$``: its own centred line) rather than one inside the text.
    where : str, optional
        Where the formula is (``"notebook 00_x, cell 12"``), named by the :class:`FormulaWarning` of a formula that
        cannot be typeset.

    Returns
    -------
    str
        ``<math display="inline|block">...</math>``. An unknown TeX command is shown as ``<merror>`` holding its
        name without the backslash; a formula that cannot be parsed as a marked ``<span class="math-error">``
        placeholder (its TeX in the ``title``). Either issues a :class:`FormulaWarning`.

    Examples
    --------
    >>> tex_to_mathml(r"w_k")
    '<math display="inline"><mrow><msub><mi>w</mi><mi>k</mi></msub></mrow></math>'
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     out = tex_to_mathml(r"\foo x", where="notebook 00_x, cell 3")
    >>> out.split("<mrow>")[1]
    '<merror class="math-unknown" title="unknown TeX command"><mtext>foo</mtext></merror><mi>x</mi></mrow></math>'
    >>> str(seen[0].message)
    'notebook 00_x, cell 3: unknown TeX command \\foo in the formula $\\foo x$ (shown as "foo")'
    """
    from latex2mathml.converter import convert

    delim = "$$" if display else "$"
    try:
        out = convert(prepare_tex(tex.strip()), display="block" if display else "inline")
    except Exception as error:  # noqa: BLE001 - any parser failure: a marked placeholder, and a warning
        _warn(f"the formula {delim}{tex}{delim} could not be typeset ({type(error).__name__}: {error})", where)
        return f'<span class="math-error" title="{html.escape(tex)}">[?]</span>'
    out = _XMLNS.sub("", out, count=1)
    unknown = []

    def mark(m):
        names = _COMMAND.findall(m.group(3))
        unknown.extend(names)
        text = html.escape(_COMMAND.sub(lambda c: c.group(0)[1:], html.unescape(m.group(3))))
        return f'<merror class="math-unknown" title="unknown TeX command"><mtext>{text}</mtext></merror>'

    out = _LEFT_AS_TEXT.sub(mark, out)
    for name in dict.fromkeys(unknown):
        _warn(f"unknown TeX command {name} in the formula {delim}{tex.strip()}{delim} (shown as \"{name[1:]}\")",
              where)
    return out


def latex_output_to_mathml(text: str, where: str = "") -> str:
    """A ``text/latex`` output (``$$x$$``, ``$x$`` or a bare formula, as IPython's ``Math`` and ``Latex`` give it)
    as MathML.

    >>> latex_output_to_mathml("$$x^2$$")
    '<math display="block"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
    """
    body = text.strip()
    for start, end, display in (("$$", "$$", True), (r"\[", r"\]", True), ("$", "$", False), (r"\(", r"\)", False)):
        if body.startswith(start) and body.endswith(end) and len(body) > len(start) + len(end):
            return tex_to_mathml(body[len(start):-len(end)], display=display, where=where)
    return tex_to_mathml(body, display=True, where=where)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with each formula converted to MathML instead of left for MathJax; ``where``
    names the cell in the warning of a formula that cannot be typeset."""

    def __init__(self, *args, where: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.where = where

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, display=True, where=self.where)

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body, where=self.where)

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True, where=self.where)

    def multiline_math(self, text: str) -> str:       # mistune 2 only
        return tex_to_mathml(text.strip().strip("$"), display=True, where=self.where)


# code the delimiters are not converted in: fenced blocks, and code spans (a run of backticks to the same run)
_CODE_REGION = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z)|(`+)(?!`).+?(?<!`)\3(?!`)",
                          re.S | re.M)
_LATEX_DELIMITERS = re.compile(r"(?<!\\)\\\((?P<inline>.+?)(?<!\\)\\\)|(?<!\\)\\\[(?P<display>.+?)(?<!\\)\\\]", re.S)


def latex_delimiters(source: str) -> str:
    r"""``\(...\)`` and ``\[...\]`` in markdown ``source`` as ``$...$`` and ``$$...$$`` (which the markdown parser
    reads as formulas; it would read ``\(`` as an escaped parenthesis), outside code spans and fenced code blocks.

    >>> latex_delimiters(r"the weight \(w_k\), and `\(kept\)`: \[S = \sum_k w_k\]")
    'the weight $w_k$, and `\\(kept\\)`: $$S = \\sum_k w_k$$'
    """
    def convert(text: str) -> str:
        return _LATEX_DELIMITERS.sub(lambda m: f"${m.group('inline')}$" if m.group("inline") is not None
                                     else f"$${m.group('display')}$$", text)

    out, last = [], 0
    for m in _CODE_REGION.finditer(source):
        out += [convert(source[last:m.start()]), m.group(0)]
        last = m.end()
    return "".join([*out, convert(source[last:])])


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# markers paired left to right, as a reader pairs them ("**熵权法**、**CRITIC**（…）、**标准差**": three spans)
_STRONG = re.compile(r"(?<!\*)\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*(?!\*)")
_EM = re.compile(r"(?<![*A-Za-z0-9_])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![*A-Za-z0-9_])")
_CJK_CHAR = re.compile("[" + _CJK + "]")
_CODE = re.compile(r"`[^`\n]*`|\$[^$\n]*\$")


def cjk_emphasis(source: str) -> str:
    """``**...**`` and ``*...*`` spans holding Chinese as ``<strong>``/``<em>``.

    CommonMark closes an emphasis only at a "right-flanking" marker: after full-width punctuation it must be
    followed by a space or punctuation, which Chinese never has (``**能：**可以``), so JupyterLab and mistune show
    the asterisks. Code spans and formulas are left alone.

    >>> cjk_emphasis("**能：**可以；*预测：*会变；`a**b**`")
    '<strong>能：</strong>可以；<em>预测：</em>会变；`a**b**`'
    >>> cjk_emphasis("**熵权法**、**CRITIC**（对比强度）、**标准差**")
    '<strong>熵权法</strong>、<strong>CRITIC</strong>（对比强度）、<strong>标准差</strong>'
    """
    def spans(text: str) -> str:
        text = _STRONG.sub(lambda m: f"<strong>{m.group(1)}</strong>" if _CJK_CHAR.search(m.group(0)) or
                           _CJK_CHAR.search(text[max(m.start() - 1, 0):m.end() + 1]) else m.group(0), text)
        return _EM.sub(lambda m: f"<em>{m.group(1)}</em>" if _CJK_CHAR.search(m.group(1)) else m.group(0), text)

    out, last = [], 0
    for m in _CODE.finditer(source):
        out += [spans(source[last:m.start()]), m.group(0)]
        last = m.end()
    return "".join([*out, spans(source[last:])])


_CJK_BREAK = re.compile("(?<=[" + _CJK + "])[ \t]*\n[ \t]*(?=[" + _CJK + "])")


def cjk_line_breaks(source: str) -> str:
    r"""Soft line breaks between two Chinese characters removed, outside code spans and fenced code blocks.

    Markdown turns a line break inside a paragraph into a space, which a browser shows between Chinese characters
    ("评分 （见上方）"); Chinese has no spaces between words. A break next to a Latin letter or digit is kept.

    >>> cjk_line_breaks("按维度评分\n（见上方）。\nThe end\n结束")
    '按维度评分（见上方）。\nThe end\n结束'
    """
    out, last = [], 0
    for m in _CODE_REGION.finditer(source):
        out += [_CJK_BREAK.sub("", source[last:m.start()]), m.group(0)]
        last = m.end()
    return "".join([*out, _CJK_BREAK.sub("", source[last:])])


def markdown_to_html(source: str, *, attachments=None, path: str = "", where: str = "") -> str:
    r"""Markdown to HTML as nbconvert renders it (headings with ids), formulas as MathML (``\(...\)`` and
    ``\[...\]`` too: :func:`latex_delimiters`), emphasis around Chinese punctuation kept (:func:`cjk_emphasis`);
    ``where`` names the source in the :class:`FormulaWarning` of a formula that cannot be typeset.

    >>> markdown_to_html("The weight $w_k$.")
    '<p>The weight <math display="inline"><mrow><msub><mi>w</mi><mi>k</mi></msub></mrow></math>.</p>\n'
    >>> markdown_to_html("**能：**可以")
    '<p><strong>能：</strong>可以</p>\n'
    """
    renderer = MathMLRenderer(escape=False, attachments=attachments or {}, path=path, where=where)
    return MarkdownWithMath(renderer=renderer).render(cjk_emphasis(cjk_line_breaks(latex_delimiters(source))))
