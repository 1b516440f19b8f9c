"""A program's errors in the eager engine's words: one example of the batch replayed as ordinary Values.

A program finds that a number is not finite for the whole batch at once; to say which operation, on
which numbers, it rebuilds the graph for the one example at fault as fresh Values: the placeholders
hold that example's numbers, the parameters their own, and every gate is applied again through
`Value`'s operators and methods. So a forward error is the very error the eager engine raises, and
backward is the engine's own backprop (`seeded_gradients`, from that example's seed). There is no
scalar rule or chain rule here to keep in step with the engine. The copies are labelled with the
names the program's nodes go by, so the errors name the same nodes; the traced graph is not touched.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from ..engine.backprop import node_names, seeded_gradients
from ..engine.primitives import ADD, DIV, MUL, POW, POW_VAR, Primitive
from ..engine.value import Value

# The built-in primitives that Values apply through an operator rather than a method:
# x + y, x * y (either may be a number folded in), x ** y and c ** x (pow_var), x ** n (pow), x / c (div).
_OPERATORS = ((ADD, operator.add), (MUL, operator.mul), (POW_VAR, operator.pow), (POW, operator.pow),
              (DIV, operator.truediv))


def gate(primitive: Primitive) -> Callable[..., Value]:
    """The function that applies `primitive` to Values (and numbers), as the eager engine does."""
    for known, apply in _OPERATORS:
        if primitive is known:
            return apply
    return getattr(Value, primitive.method)


def _where(example: int) -> str:
    return f"in example {example} of the batch"


def rebuild(order: Sequence[Value], inputs: Sequence[Value], numbers: Sequence[float], example: int,
            names: dict[Value, str]) -> dict[Value, Value]:
    """A fresh copy of every node of `order` for one example: the placeholders `inputs` hold `numbers`,
    the other leaves their `.data`, and each gate runs again in the eager engine. An error it raises
    (ValueError, OverflowError, ...) is raised again with the node's name and the example's index."""
    example_of = dict(zip(inputs, numbers))
    copies: dict[Value, Value] = {}
    for node in order:
        if node.is_leaf:
            copies[node] = Value(example_of.get(node, node.data), label=names[node])
            continue
        operands = [copies[a.value] if a.kind == "parent" else a.value for a in node.arguments]
        try:
            copy = gate(node.primitive)(*operands)
        except (ArithmeticError, ValueError) as err:
            raise type(err)(f"{err}, the node {names[node]} {_where(example)}") from None
        copy.label = names[node]
        copies[node] = copy
    return copies


def replay(order: Sequence[Value], inputs: Sequence[Value], numbers: Sequence[float], example: int,
           root: Value | None = None, seed: float = 1.0) -> None:
    """Run one example through the eager engine, forward, then (given a `root`) backward from
    d(loss)/d(root) = `seed`, and raise the first error the engine raises, naming the example."""
    names = node_names(list(order))
    copies = rebuild(order, inputs, numbers, example, names)
    if root is None:
        return
    try:
        seeded_gradients(copies[root], seed)
    except OverflowError as err:
        raise OverflowError(f"{err}, {_where(example)}") from None
