"""Print a graph as the expression it computes, e.g. 'σ(w0*x0 + w1*x1 + w2)'.

Each gate is written by its primitive's writer (the table, `primitives.py`), so ×(−1) reads as a
minus sign, x + (−y) as x − y and x·(1/y) as x/y, with only the parentheses that precedence needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from .backprop import node_names, topological_order
from .notation import ATOM, NEGATION, SUM, Term, number_term, number_text

if TYPE_CHECKING:
    from .value import Value

MAX_FORMULA_NODES = 2000

__all__ = ["MAX_FORMULA_NODES", "formula", "gate_expression", "number_text"]


def formula(root: Value, max_nodes: int = MAX_FORMULA_NODES) -> str:
    """The expression that computes `root`, in the names every view uses: each leaf and each labelled node by
    its label, an unlabelled leaf as explain and why call it (leaf0); the root is written out."""
    order = topological_order(root)
    if len(order) > max_nodes:
        return f"<a graph of {len(order)} nodes: too large to print as a formula (max {max_nodes})>"
    names = node_names(order)  # the names explain, why and the boards use: a label, else e.g. leaf0
    terms: dict[Value, Term] = {}
    for node in order:
        if node.is_leaf or (node.label and node is not root):  # a node the user named is written by its name
            terms[node] = _named(names[node])
        else:
            terms[node] = _write(node, terms.__getitem__)
    return terms[root].text


def _named(name: str) -> Term:
    """A node written by its name: an atom if the name reads as one (w1, layer1.neuron2, x′), else a
    sum, so a label such as 'x1*w1 + x2*w2' gets the parentheses its place needs."""
    atom = name.replace(".", "").replace("_", "").replace("′", "").replace("'", "").isalnum()
    return Term(name, ATOM if atom else SUM)


def gate_expression(node: Value, names: dict[Value, str] | None = None, digits: int = 4) -> str:
    """One gate written over its parents: by name ('w0*x0') with `names`, else by value ('2*(-1)')."""
    if names is not None:
        return _write(node, lambda parent: Term(names[parent])).text
    # A parent's value is not a folded constant: −1 here is not the gate ×(−1), so no sugar applies.
    return _write(node, lambda parent: Term(number_text(parent.data, digits),
                                            NEGATION if parent.data < 0 else ATOM)).text


def _write(node: Value, term_of: Callable[[Value], Term]) -> Term:
    """A gate's term from its arguments' terms: parents through `term_of`, numbers as written."""
    terms = [term_of(a.value) if a.kind == "parent" else number_term(a.value) for a in node.arguments]
    return node.primitive.write(terms)
