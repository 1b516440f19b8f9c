"""Text for the diagram: HTML-like labels that Graphviz shows exactly as written, and gate symbols.

Every label is an HTML-like label, so `| { } < > " \\`, newlines and any unicode need only HTML
escaping (and <br/> for a newline): Graphviz's record and escString syntax never applies.
"""

from __future__ import annotations

import html

from microgrboard import Value

VALUE_COLOR = "#1a7f37"  # forward values: green
GRAD_COLOR = "#c21f30"  # gradients: red
HIGHLIGHT_COLOR = "#d9730d"  # the active node or edge: orange
MUTED_COLOR = "#57606a"  # captions and constants: grey


def escape(text: str) -> str:
    """`text` as the content of an HTML-like label: HTML-escaped, newlines as line breaks."""
    return "<br/>".join(html.escape(line, quote=True) for line in str(text).split("\n"))


def html_label(content: str) -> str:
    """Wrap already-escaped HTML content as a Graphviz HTML-like label."""
    return f"<{content}>"


def colored(text: str, color: str, bold: bool = False) -> str:
    inner = f"<b>{escape(text)}</b>" if bold else escape(text)
    return f'<font color="{color}">{inner}</font>'


def number(x: float, precision: int) -> str:
    return f"{x:.{precision}f}"


def gate_symbol(node: Value) -> str:
    """The gate's text from its primitive's entry, any folded number written in: "+1", "×−1", "÷2"."""
    return node.primitive.gate([None if a.kind == "parent" else a.value for a in node.arguments])
