"""Formulas typeset at build time (private to :mod:`cityeval.notebook.pages`).

TeX in markdown (``$...$``, ``$$...$$``, ``\\(...\\)``, ``\\[...\\]``, ``\\begin{env}...\\end{env}``) and in
``text/latex`` outputs is converted to MathML Core with ``latex2mathml`` when the page is built; browsers render
MathML natively (Chromium since version 109, Firefox, Safari), so a page needs no MathJax and no network. A formula
``latex2mathml`` cannot convert is shown as its TeX source in ``<code class="math-error">`` (never silently
dropped).
"""
from __future__ import annotations

import html
import re

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

# the MathML namespace is implied in HTML; leaving it out keeps every URL out of the page
_XMLNS = re.compile(r'\s+xmlns="[^"]*"')


def tex_to_mathml(tex: str, *, display: bool = False) -> str:
    """The MathML of the TeX formula ``tex`` (without its ``$`` delimiters).

    Parameters
    ----------
    tex : str
        A formula in TeX notation.
    display : bool, default False
        A display formula (``$$...$$``: its own centred line) rather than one inside the text.

    Returns
    -------
    str
        ``<math display="inline|block">...</math>``, or, when the formula cannot be converted, its TeX escaped in
        ``<code class="math-error">``.

    Examples
    --------
    >>> tex_to_mathml(r"w_k")
    '<math display="inline"><mrow><msub><mi>w</mi><mi>k</mi></msub></mrow></math>'
    """
    from latex2mathml.converter import convert

    try:
        out = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - any parser failure: show the source, marked
        delim = "$$" if display else "$"
        return f'<code class="math-error" title="formula not converted">{html.escape(delim + tex + delim)}</code>'
    return _XMLNS.sub("", out, count=1)


def latex_output_to_mathml(text: str) -> str:
    """A ``text/latex`` output (``$$x$$``, ``$x$`` or a bare formula, as IPython's ``Math`` and ``Latex`` give it)
    as MathML.

    >>> latex_output_to_mathml("$$x^2$$")
    '<math display="block"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>'
    """
    body = text.strip()
    for start, end, display in (("$$", "$$", True), (r"\[", r"\]", True), ("$", "$", False), (r"\(", r"\)", False)):
        if body.startswith(start) and body.endswith(end) and len(body) > len(start) + len(end):
            return tex_to_mathml(body[len(start):-len(end)], display=display)
    return tex_to_mathml(body, display=True)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with each formula converted to MathML instead of left for MathJax."""

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, display=True)

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body)

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    def multiline_math(self, text: str) -> str:       # mistune 2 only
        return tex_to_mathml(text.strip().strip("$"), display=True)


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_STRONG = re.compile(r"(?<!\*)\*\*(?=\S)([^*\n]*?[" + _CJK + r"][^*\n]*?)(?<=\S)\*\*(?!\*)")
_EM = re.compile(r"(?<![*A-Za-z0-9_])\*(?=\S)([^*\n]*?[" + _CJK + r"][^*\n]*?)(?<=\S)\*(?![*A-Za-z0-9_])")
_CODE = re.compile(r"`[^`\n]*`|\$[^$\n]*\$")


def cjk_emphasis(source: str) -> str:
    """``**...**`` and ``*...*`` spans holding Chinese as ``<strong>``/``<em>``.

    CommonMark closes an emphasis only at a "right-flanking" marker: after full-width punctuation it must be
    followed by a space or punctuation, which Chinese never has (``**能：**可以``), so JupyterLab and mistune show
    the asterisks. Code spans and formulas are left alone.

    >>> cjk_emphasis("**能：**可以；*预测：*会变；`a**b**`")
    '<strong>能：</strong>可以；<em>预测：</em>会变；`a**b**`'
    """
    out, last = [], 0
    for m in _CODE.finditer(source):
        out.append(_EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", source[last:m.start()])))
        out.append(m.group(0))
        last = m.end()
    out.append(_EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", source[last:])))
    return "".join(out)


def markdown_to_html(source: str, *, attachments=None, path: str = "") -> str:
    """Markdown to HTML as nbconvert renders it (headings with ids), formulas as MathML, emphasis around Chinese
    punctuation kept (:func:`cjk_emphasis`).

    >>> markdown_to_html("The weight $w_k$.")
    '<p>The weight <math display="inline"><mrow><msub><mi>w</mi><mi>k</mi></msub></mrow></math>.</p>\\n'
    >>> markdown_to_html("**能：**可以")
    '<p><strong>能：</strong>可以</p>\\n'
    """
    renderer = MathMLRenderer(escape=False, attachments=attachments or {}, path=path)
    return MarkdownWithMath(renderer=renderer).render(cjk_emphasis(source))
