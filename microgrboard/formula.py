"""Print a graph as the expression it computes, e.g. 'σ(w0*x0 + w1*x1 + w2)'.

The gates are shown the way a person writes them: ×(−1) as a minus sign, x + (−y) as x − y and
x·(1/y) as x/y, with only the parentheses that precedence needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .backprop import topological_order

if TYPE_CHECKING:
    from .value import Value

# Binding strength: a sub-expression weaker than its context gets parentheses.
_SUM, _PRODUCT, _UNARY_MINUS, _POWER, _ATOM = 1, 2, 3, 4, 5
_FUNCTIONS = {"exp": "exp", "log": "log", "tanh": "tanh", "relu": "relu", "sigmoid": "σ", "softplus": "softplus"}

MAX_FORMULA_NODES = 2000


def number_text(number: float) -> str:
    """A constant as a person writes it: 1 rather than 1.0, and 0.1 rather than 0.1000000000000000055."""
    return format(number, ".6g")


def formula(root: Value, max_nodes: int = MAX_FORMULA_NODES) -> str:
    """The expression that computes `root`, written with its leaves' labels (or values)."""
    order = topological_order(root)
    if len(order) > max_nodes:
        return f"<a graph of {len(order)} nodes: too large to print as a formula (max {max_nodes})>"
    texts: dict[Value, tuple[str, int]] = {}
    for node in order:
        texts[node] = _write(node, texts)
    return texts[root][0]


def _write(node: Value, texts) -> tuple[str, int]:
    """(text, binding strength) of one node, given the texts of its inputs."""
    op = node.op
    if op is None:
        return (node.label or number_text(node.data)), _ATOM

    def arg(operand, strength: int) -> str:
        if isinstance(operand, float):  # a constant folded into the gate
            text = number_text(operand)
            return f"({text})" if operand < 0 else text
        text, own = texts[operand]
        return f"({text})" if own < strength else text

    a, b = (node.operands + (None,))[:2]
    if op in _FUNCTIONS:
        return f"{_FUNCTIONS[op]}({texts[a][0]})", _ATOM
    if op == "reciprocal":
        return f"1/{arg(a, _ATOM)}", _PRODUCT
    if op == "add":
        if _is_negation(b):
            return f"{arg(a, _SUM)} - {arg(b._a, _PRODUCT)}", _SUM
        if isinstance(b, float) and b < 0:
            return f"{arg(a, _SUM)} - {number_text(-b)}", _SUM
        return f"{arg(a, _SUM)} + {arg(b, _SUM)}", _SUM
    if op == "mul":
        if isinstance(b, float) and b == -1.0:
            return f"-{arg(a, _POWER)}", _UNARY_MINUS
        if getattr(b, "op", None) == "reciprocal":
            return f"{arg(a, _PRODUCT)}/{arg(b._a, _POWER)}", _PRODUCT
        return f"{arg(a, _PRODUCT)}*{arg(b, _POWER)}", _PRODUCT
    if op == "div":
        return f"{arg(a, _PRODUCT)}/{arg(b, _POWER)}", _PRODUCT
    # pow, pow_var: right-associative, so the base needs parentheses at equal strength
    return f"{arg(a, _ATOM)}**{arg(b, _POWER)}", _POWER


def _is_negation(operand) -> bool:
    """Whether `operand` is the gate ×(−1) applied to a Value (what `-x` builds)."""
    return getattr(operand, "op", None) == "mul" and operand._db is None and operand._b == -1.0
