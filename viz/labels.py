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


def constant(c: float) -> str:
    """A folded constant as the circuit diagrams write it: 1 rather than 1.0."""
    return format(c, ".6g")


def gate_symbol(node: Value) -> str:
    """The gate's text, with a folded constant written into it: "+1", "×−1", "÷2", "**2"."""
    op = node.op
    operands = node.operands
    consts = [o for o in operands if not isinstance(o, Value)]
    c = constant(consts[0]) if consts else None
    if op == "add":
        return "+" if c is None else (f"+{c}" if not c.startswith("-") else f"−{c[1:]}")
    if op == "mul":
        return "×" if c is None else f"×{c.replace('-', '−')}"
    if op == "div":
        return f"÷{c.replace('-', '−')}"
    if op == "pow":
        return f"**{c}"
    if op == "pow_var":
        return "**" if c is None else f"{c}**x"
    return node.primitive.symbol
