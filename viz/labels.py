"""Text for the diagram: HTML-like labels that Graphviz shows exactly as written, and gate symbols.

Every label is an HTML-like label, so `| { } < > "`, newlines and any unicode need only HTML escaping
(and <br/> for a newline): Graphviz's record syntax never applies. Its escString syntax still does, to
the text of an HTML label too (after character references are decoded): `\\N`, `\\G`, `\\E`, `\\T`,
`\\H`, `\\L` become the node's id, the graph's name, … and `\\\\` becomes `\\`; so every backslash is
written doubled, which Graphviz turns back into the one backslash the label holds.
What no label can hold is shown visibly instead: control characters as their Unicode pictures (␀, ␉,
␡), text that is not valid Unicode as �, and an over-long label shortened with an ellipsis (Graphviz
refuses an HTML label of more than 16,384 characters, and a diagram could not show it anyway).
"""

from __future__ import annotations

import html
import re

from microgrboard import Value
from microgrboard.extend import number_text

VALUE_COLOR = "#1a7f37"  # forward values: green
GRAD_COLOR = "#c21f30"  # gradients: red
HIGHLIGHT_COLOR = "#d9730d"  # the active node or edge: orange
MUTED_COLOR = "#57606a"  # captions and constants: grey


MAX_LABEL = 500  # characters of one text a diagram shows (escaped, at most 6× as long: far below 16,384)
_UNSHOWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟: the Control Pictures block
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F:
        return f"\\x{code:02x}"  # C1 controls have no picture: written as Python would
    return "\ufffd"  # a lone surrogate or a noncharacter: not text


def shown(text: object, limit: int = MAX_LABEL) -> str:
    """`text` as a diagram can show it: control characters made visible, at most `limit` characters."""
    text = _UNSHOWABLE.sub(_visible, str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: object, limit: int = MAX_LABEL) -> str:
    """`text` as the content of an HTML-like label: made showable, HTML-escaped, newlines as line breaks.

    "]" is written as a character reference too: Graphviz's HTML lexer fails on a label that is just "]".
    A backslash is written doubled: Graphviz reads "\\\\" as one backslash and expands "\\N", "\\G", …
    (its escString sequences) in an HTML label's text as in any other.
    """
    return "<br/>".join(html.escape(line, quote=True).replace("]", "&#93;").replace("\\", "\\\\")
                        for line in shown(text, limit).split("\n"))


def html_label(content: str) -> str:
    """Wrap already-escaped HTML content as a Graphviz HTML-like label."""
    return f"<{content}>"


def colored(text: str, color: str, bold: bool = False) -> str:
    inner = f"<b>{escape(text)}</b>" if bold else escape(text)
    return f'<font color="{color}">{inner}</font>'


def number(x: float, precision: int) -> str:
    """A number on a diagram: `precision` digits after the point, as the classic circuit diagrams write
    them (2.00, -0.20), except where that would show a nonzero number as zero: then `precision`
    significant digits (a gradient of 0.0054 reads 0.0054, never 0.00 or -0.00). −0 reads 0."""
    text = f"{x + 0.0:.{precision}f}"
    if x != 0.0 and float(text) == 0.0:
        return number_text(x, max(precision, 1))
    return text


def gate_symbol(node: Value) -> str:
    """The gate's text from its primitive's entry, any folded number written in: "+1", "×−1", "÷2"."""
    return node.primitive.gate([None if a.kind == "parent" else a.value for a in node.arguments])
