"""Backpropagation: a topological order, then `parent.grad += local × node.grad` for every edge.

The local derivatives are the ones each primitive recorded at forward time, so `backward`,
`backward_steps`, the explainer, the diagrams and the boards all read the very same numbers.

`backward` and `backward_steps` write the gradients into the nodes. `walk` works the same backprop out
on the side, from zero gradients, into a dict: what everything that only *looks* at a graph uses, so
looking never changes a `.grad`. `Step.caption` is the one wording of a step that every view prints.
Only `_walk`, `_backward_order` and `backward` (the hot loop) read the nodes' private slots.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from .notation import number_text

if TYPE_CHECKING:  # the engine's modules import this one; type names only
    from .value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each listed after all of its inputs; `root` comes last.

    Iterative depth-first search (no recursion limit, so a chain of 10^6 nodes is fine) that visits
    inputs in argument order, so the same graph always gives the same order.
    """
    return _walk(root, reset_interior_grads=False)


_INPUTS_DONE = object()  # on the stack above a node: everything above it is that node's inputs


def _walk(root: Value, reset_interior_grads: bool) -> list[Value]:
    """The topological order; `backward_steps` also zeroes interior gradients on the way (one pass)."""
    order: list[Value] = []
    expanded = set()
    stack = [root]
    push, pop, append = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        if node is _INPUTS_DONE:  # the node below the marker has all its inputs in `order`
            node = pop()
            append(node)
            if reset_interior_grads and node._prim is not None:
                node._grad = 0.0
            continue
        if node in expanded:
            continue
        expanded.add(node)
        push(node)
        push(_INPUTS_DONE)
        # Push b before a so that a is visited first (argument order).
        if node._db is not None and node._b not in expanded:
            push(node._b)
        if node._da is not None and node._a not in expanded:
            push(node._a)
    return order


def _start(root: Value) -> list[Value]:
    """Topological order, with interior gradients reset and the root seeded with 1.0.

    Resetting the interior nodes makes a second backward pass give the same gradients again instead
    of counting the first pass twice; leaves keep what they had and accumulate (as in PyTorch).
    """
    order = _walk(root, reset_interior_grads=True)
    root._grad += 1.0  # d(root)/d(root)
    return order


class _Mark(float):
    """The seen-mark of one backward search: a 0.0 of its own. An instance of a float subclass keeps its
    identity on every Python implementation (PyPy compares plain floats by value under `is`, but not
    instances of a subclass), so `node._grad is mark` means "seen by this search" everywhere."""

    __slots__ = ()


# On CPython every float object keeps its identity, so a fresh 0.0 is the mark, and backward's first
# `+=` on each node stays on the interpreter's fast path for exact floats (a subclass would leave it:
# about 4% more instructions per backward pass, measured with callgrind). Elsewhere — PyPy compares plain
# floats by value under `is` — the mark is a `_Mark`.
_new_mark = (lambda: float(0)) if sys.implementation.name == "cpython" else _Mark


def _backward_order(root: Value) -> tuple[list[Value], dict[Value, float]]:
    """For backward: the interior nodes in topological order, their gradients reset to 0; and the
    leaves, each with the gradient it had (they accumulate, and are put back if the pass overflows).

    The same search as `_walk`, but a node is marked as seen by its own gradient: every interior node
    reached gets `mark`, a 0.0 object made for this search alone (`_new_mark`), so "seen?" is one identity
    test on the node rather than a lookup in a set as large as the graph, and the mark is already the reset gradient
    (the first `+=` of the pass turns it into a plain float). Leaves, which have no inputs to order, go
    straight into their (small) dict instead of onto the stack.
    """
    mark = _new_mark()
    leaves: dict[Value, float] = {}
    if root._prim is None:
        leaves[root] = root._grad
        return [], leaves
    order: list[Value] = []
    stack = [root]
    push, pop, append = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        if node is _INPUTS_DONE:  # the node below the marker has all its inputs in `order`
            append(pop())
            continue
        if node._grad is mark:
            continue
        node._grad = mark
        push(node)
        push(_INPUTS_DONE)
        if node._db is not None:  # b before a, so that a is searched first (argument order)
            b = node._b
            if b._prim is not None:
                push(b)
            elif b not in leaves:
                leaves[b] = b._grad
        if node._da is not None:
            a = node._a
            if a._prim is not None:
                push(a)
            elif a not in leaves:
                leaves[a] = a._grad
    return order, leaves


def backward(root: Value) -> None:
    """Fill `.grad` of every node of root's graph with d(root)/d(node) (leaves accumulate).

    Raises OverflowError, naming the edge, if a gradient would not be finite; the gradients are then
    left as they were before the call.
    """
    order, leaves = _backward_order(root)
    root._grad += 1.0  # d(root)/d(root)
    for node in reversed(order):
        upstream = node._grad
        local = node._da
        if local is not None:
            node._a._grad += local * upstream  # chain rule: local × upstream
        local = node._db
        if local is not None:
            node._b._grad += local * upstream
    # An inf or NaN anywhere reaches a leaf (inf × 0 is NaN, and every gate has an input edge), so
    # summing the leaves' gradients finds it; a sum that merely overflows is looked at closer.
    total = 0.0
    for leaf in leaves:
        total += leaf._grad
    if total - total != 0.0:
        _refuse_non_finite(root, order, leaves)


def _refuse_non_finite(root: Value, interior: list[Value], leaves: dict[Value, float]) -> None:
    """After a pass that made a gradient inf or NaN: put the gradients back as they were before it, and
    raise the error of the first edge that overflowed (replayed on the side)."""
    if all(math.isfinite(leaf.grad) for leaf in leaves):
        return  # only the check's own sum overflowed
    for node in interior:
        node.grad = 0.0
    for leaf, before in leaves.items():
        leaf.grad = before
    bad = [leaf for leaf, before in leaves.items() if not math.isfinite(before)]
    if bad:
        raise ValueError(f"backward: {bad[0]!r} already had a gradient of {bad[0].grad} before this pass; "
                         "set it to 0 (zero_grad()) first")
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads.update(leaves)
    grads[root] += 1.0
    for _ in _steps(order, grads):  # raises at the first edge that overflows
        pass


class Step(NamedTuple):
    """One backprop step: the edge parent → node, and what it adds to the parent's gradient."""

    index: int  # 1-based position in the walk
    node: Value  # the gate's output, whose gradient is complete when its edges are walked
    parent: Value  # the input this edge leads back to
    argument: int  # which argument of the gate the parent is (0 or 1)
    local: float  # d(node)/d(parent), recorded at forward time
    upstream: float  # d(root)/d(node)
    contribution: float  # local × upstream, added to parent.grad
    parent_grad: float  # parent.grad after this step
    names: dict[Value, str]  # a readable name for every node of the graph

    @property
    def node_name(self) -> str:
        return self.names[self.node]

    @property
    def parent_name(self) -> str:
        return self.names[self.parent]

    @property
    def formula(self) -> str:
        """The local derivative's rule in the graph's own names, e.g. 'σ(z)·(1−σ(z))' or 'x0'."""
        return local_rule(self.node, self.argument, self.names)

    @property
    def caption(self) -> str:
        """The step in one line: the local rule and its value, local × upstream, the new gradient.

        The one wording every view uses: `str(step)`, `explain`, the frames and the board.
        """
        g = _short
        return (
            f"step {self.index}: ∂{self.node_name}/∂{self.parent_name} = {self.formula} = {g(self.local)};  "
            f"local × upstream = {g(self.local)} × {g(self.upstream)} = {g(self.contribution)};  "
            f"{self.parent_name}.grad = {g(self.parent_grad)}"
        )

    def __str__(self) -> str:
        return self.caption

    def __repr__(self) -> str:
        return f"<Step {self.caption}>"


def _short(x: float) -> str:
    return number_text(x, 4)


def node_names(order: list[Value]) -> dict[Value, str]:
    """A readable name per node: its label, or its op and position in the topological order."""
    return {node: node.label or f"{node.op or 'leaf'}{i}" for i, node in enumerate(order)}


class _OnNodes:
    """The nodes' own `.grad`, seen as a mapping, so one walk serves both kinds of gradient store."""

    def __getitem__(self, node: Value) -> float:
        return node.grad

    def __setitem__(self, node: Value, grad: float) -> None:
        node.grad = grad


def _steps(order: list[Value], grads) -> Iterator[Step]:
    """Walk the edges from the root back, adding local × upstream into `grads`, one Step per edge."""
    names = node_names(order)
    index = 0
    for node in reversed(order):
        upstream = grads[node]
        for parent, _, argument, local in node.edges:
            contribution = local * upstream
            total = grads[parent] + contribution
            if total - total != 0.0:
                raise edge_overflow(names[node], names[parent], node.op, local, upstream, grads[parent])
            grads[parent] = total
            index += 1
            yield Step(index, node, parent, argument, local, upstream, contribution, total, names)


def edge_overflow(node: str, parent: str, op: str, local: float, upstream: float, before: float) -> OverflowError:
    """The error for an edge whose gradient overflowed: which edge, and the numbers on it."""
    what = f"local × upstream = {local:.6g} × {upstream:.6g}"
    if math.isfinite(local * upstream):  # the product is fine; adding it to the gradient so far is not
        what = f"{parent}.grad + {what}, that is {before:.6g} + {local * upstream:.6g},"
    return OverflowError(
        f"backward: on the edge {parent} → {node} ({op}), {what} is too large for a float "
        f"(beyond ±{sys.float_info.max:.4g}); scale the inputs or the loss down"
    )


def backward_steps(root: Value) -> Iterator[Step]:
    """Run backward one edge at a time, yielding a `Step` after each gradient update.

    Same order, same numbers and same result as `backward`: after the last step every `.grad`
    equals what `backward()` gives. Edges to constants have no gradient and no step.
    """
    return _steps(_start(root), _OnNodes())


class Walk(NamedTuple):
    """Backprop from the root, worked out on the side: the steps, and every d(root)/d(node)."""

    order: list[Value]  # the topological order (root last)
    steps: list[Step]
    grads: dict[Value, float]  # d(root)/d(node) for every node, from zero gradients


def walk(root: Value) -> Walk:
    """Backprop from `root` from zero gradients without touching any `.grad`: looking changes nothing.

    `explain`, the frames and the boards show this walk, so a model's accumulated gradients stay.
    """
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    return Walk(order, list(_steps(order, grads)), grads)


def local_rule(node: Value, argument: int, names: dict[Value, str]) -> str:
    """The primitive's local-derivative formula for one argument, written with the arguments' names.

    The table's template names the gate's arguments {x} and {y} and its number parameter {n} or {c};
    a parent is written by its name, a number folded into the gate as the number.
    """
    texts = {}
    for arg in node.arguments:
        text = names[arg.value] if arg.kind == "parent" else number_text(arg.value)
        texts["xy"[arg.index]] = text
        if arg.kind == "parameter":
            texts[node.primitive.parameter] = text
    return node.primitive.local_formula(argument, texts)


def zero_grad(root: Value) -> None:
    """Set `.grad` to 0.0 on every node of root's graph."""
    for node in topological_order(root):
        node.grad = 0.0


# --- for the batch compiler: backprop on the side from any seed --------------------------------------


def seeded_gradients(root: Value, seed: float = 1.0) -> dict[Value, float]:
    """seed · d(root)/d(node) for every node of root's graph, worked out on the side from zero gradients
    (no `.grad` changes), with the same steps as `walk`; raises the OverflowError that `backward`
    raises at the first edge that overflows.

    The batch compiler replays one example of a batch through this to explain an error: `seed` is
    d(loss)/d(root) for that example, so the compiler has no backprop of its own to keep in step.
    """
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = seed
    for _ in _steps(order, grads):  # raises at the first edge that overflows
        pass
    return grads
