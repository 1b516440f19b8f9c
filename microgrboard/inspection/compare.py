"""`compare_with(root, their_root)`: your own micrograd-style engine's gradients against microgrboard's.

Build the same expression twice, in microgrboard and in your engine (nodes with `data`, `grad`,
`_prev` and `_op`, as karpathy's micrograd has them), backpropagate yours, and compare:

    report = compare_with(f, their_f)
    report.first_difference        # None when every gradient agrees

The two graphs are matched node for node from the outputs back, by their forward values: a gate of
microgrboard's with an input's value finds the child of yours with that value (a number you wrapped
in a Value matches the number folded into microgrboard's gate, and a node that only passes a value
through, like the ×1 in micrograd's 1/x, is stepped over). Then, from the output back, the first node
whose gradient differs is named, with why: its gradient is compared with what the classic bugs would
give there — `=` instead of `+=` ("overwrite"), a missing upstream factor ("no-upstream"), a flipped
sign, σ(x) for σ′(x), tanh′ or exp′ from the wrong end of the gate ("input-for-output"), and backward
by recursion instead of in topological order ("naive-order"). Nothing in either graph changes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .._util.expect import expect_value
from ..engine.backprop import node_names, walk
from .naive import naive_walk
from .questions import wrong_locals

if TYPE_CHECKING:
    from ..engine.value import Value

__all__ = ["Comparison", "Difference", "compare_with"]

AGREE = 1e-6  # relative: two engines may add the same numbers in another order
MAX_NAIVE = 100_000  # steps of the simulated recursion before it gives up (it can grow exponentially)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= AGREE * max(1.0, abs(a), abs(b))


def _n(x: float) -> str:
    return format(x, ".4g")


def _children(node: Any) -> list:
    prev = getattr(node, "_prev", ())
    return list(prev) if prev else []


class Difference(NamedTuple):
    """The first node, from the output back, whose gradient differs; and why, as far as can be told."""

    node: Value  # microgrboard's node
    theirs: Any  # your node
    name: str
    right: float
    yours: float
    mistake: str | None  # a classic mistake's name, or None
    why: str


@dataclass(frozen=True)
class Comparison:
    rows: list[tuple[str, float, float]]  # (name, microgrboard's gradient, yours), from the output back
    first_difference: Difference | None

    @property
    def agrees(self) -> bool:
        return self.first_difference is None

    def __str__(self) -> str:
        width = max([len(n) for n, _, _ in self.rows] + [4])
        lines = [f"{'node'.ljust(width)}  {'microgrboard':>12}  {'yours':>12}"]
        lines += [f"{n.ljust(width)}  {r:>12.6g}  {y:>12.6g}  {'' if _same(r, y) else '✗'}".rstrip()
                  for n, r, y in self.rows]
        d = self.first_difference
        if d is None:
            lines.append("every gradient agrees")
        else:
            lines.append(f"first difference: {d.name}: yours {d.yours:.6g}, right {d.right:.6g}"
                         + (f" — {d.mistake}" if d.mistake else "") + f": {d.why}")
        return "\n".join(lines)

    __repr__ = __str__


def _match(root: Value, theirs: Any) -> dict[Value, Any]:
    """Pair every node of microgrboard's graph with one of yours, from the outputs back, by value."""
    pairs: dict[Value, Any] = {}
    stack = [(root, theirs)]
    while stack:
        ours, their = stack.pop()
        if ours in pairs:
            continue
        if not _same(float(their.data), ours.data):
            raise ValueError(f"compare_with: the graphs differ: microgrboard's node has the value {ours.data:.6g}, "
                             f"yours {their.data!r} (_op {getattr(their, '_op', '')!r}); build the same expression "
                             "with the same numbers in both")
        children = _children(their)
        parents = [e.parent for e in ours.edges]
        picked = _pick(parents, children)
        while picked is None:  # a node of yours that passes a value through (1/x as x**-1 * 1)
            through = [c for c in children if _children(c) and _same(float(c.data), ours.data)]
            if not through:
                raise ValueError(f"compare_with: the graphs differ at {ours!r}: its inputs have the values "
                                 f"{', '.join(_n(p.data) for p in parents)}, your node (_op "
                                 f"{getattr(their, '_op', '')!r}) has children of values "
                                 f"{', '.join(_n(float(c.data)) for c in children) or 'none'}")
            their = through[0]
            children = _children(their)
            picked = _pick(parents, children)
        pairs[ours] = their
        stack.extend(zip(parents, picked))
    return pairs


def _pick(parents: list[Value], children: list) -> list | None:
    """A child of yours for each input, with the same value (one child may serve twice: a*a's {a})."""
    free, picked = list(children), []
    for parent in parents:
        same = [c for c in free if _same(float(c.data), parent.data)] or \
               [c for c in children if _same(float(c.data), parent.data)]
        if not same:
            return None
        # among children of the same value (0 = relu(−2) = 8 + −8), prefer one made the same way
        same.sort(key=lambda c: _unlike(parent, c))
        choice = same[0]
        if choice in free:
            free.remove(choice)
        picked.append(choice)
    return picked


_SPELLINGS = {"add": ("+",), "mul": ("*", "×"), "reciprocal": ("**-1", "1/x"), "sigmoid": ("σ",)}


def _unlike(ours: Value, theirs: Any) -> tuple[bool, bool, bool]:
    """How unlike your node is to microgrboard's, for sorting: (another kind of node, another operation,
    other children's values); all False for a node made the same way from the same numbers."""
    children = _children(theirs)
    if ours.is_leaf or not children:
        return (ours.is_leaf != (not children), False, False)
    op = str(getattr(theirs, "_op", "")).lower()
    same_op = op == ours.op or op in _SPELLINGS.get(ours.op, ()) or (ours.op == "pow" and op.startswith("**"))
    numbers = sorted(round(float(a.value.data if a.kind == "parent" else a.value), 9) for a in ours.arguments)
    theirs_numbers = sorted(round(float(c.data), 9) for c in children)
    return (False, not same_op, numbers != theirs_numbers)


def _naive_grads(root: Value, pairs: dict[Value, Any], once: bool) -> dict[Value, float] | None:
    """Your graph backpropagated by recursion with the right local derivatives: each node adds to its
    inputs, then recurses into your `_prev` (every time it is reached, or with `once`, the first time)."""
    ours_of = {id(t): o for o, t in pairs.items()}
    grads = dict.fromkeys(pairs, 0.0)
    grads[root] = 1.0
    seen, stack, count = set(), [root], 0
    while stack:
        node = stack.pop()
        if once and node in seen:
            continue
        seen.add(node)
        count += 1
        if count > MAX_NAIVE:
            return None
        for edge in node.edges:
            grads[edge.parent] += edge.local * grads[node]
        order = [ours_of[id(c)] for c in _children(pairs[node]) if id(c) in ours_of]
        order = [p for p in dict.fromkeys(order) if p in node.parents] or list(dict.fromkeys(node.parents))
        stack.extend(reversed(order))
    return grads


def _diagnose(node: Value, yours: float, right: dict, uses: list, pairs: dict, root: Value,
              names: dict) -> tuple[str | None, str]:
    """Name the classic mistake that gives `yours` at `node`, whose uses' gradients all agree."""
    name = names[node]
    parts = [(gate, local, local * right[gate]) for gate, local in uses]
    total = right[node]
    if len(parts) > 1 and len(parts) <= 8:
        for k in range(1, len(parts)):
            for subset in itertools.combinations(parts, k):
                if _same(yours, sum(c for _, _, c in subset)):
                    return "overwrite", (f"{name}.grad keeps {k} of its {len(parts)} contributions, not their sum: "
                                         "a `=` where `+=` belongs, in a _backward")
    for op in dict.fromkeys(g.op for g, _, _ in parts):
        bare = sum(local if g.op == op else c for g, local, c in parts)
        if _same(yours, bare):
            return "no-upstream", (f"{name}.grad is {op}'s local derivative without × out.grad: the upstream "
                                   f"factor is missing in {op}'s _backward")
    if _same(yours, -total) or any(_same(yours, total - 2 * c) for _, _, c in parts):
        return "sign", f"{name}.grad has the wrong sign"
    for gate, _, c in parts:
        for mistake, wrong, text in wrong_locals(gate, names[gate]):
            if _same(yours, total - c + wrong * right[gate]):
                return mistake, f"in {gate.op}'s _backward: {text}"
    for once in (False, True):
        naive = _naive_grads(root, pairs, once)
        if naive is not None and _same(yours, naive[node]):
            return "naive-order", ("the gradients were passed on before they were complete: backward recursed "
                                   "into the graph instead of calling each _backward once, in reverse topological "
                                   "order (build_topo)")
    replay = naive_walk(root)
    if not replay.truncated and _same(yours, replay.grads[node]):
        return "naive-order", "backward passed each gradient on as soon as it got some, before all uses reported"
    terms = " + ".join(f"{_n(local)} × {_n(right[g])}" for g, local, _ in parts)
    gates = ", ".join(names[g] for g, _ in uses)
    return None, (f"∂/∂{name} is the sum over its {len(parts)} use(s) of local × upstream: {terms} = {_n(total)}, "
                  f"and every use's gradient agrees, so look at the _backward of {gates}")


def compare_with(root: Value, their_root: Any) -> Comparison:
    """Compare your engine's gradients (`their_root`, backpropagated) with microgrboard's (`root`, the
    same expression), node for node; `.first_difference` names the first node that differs, and why."""
    expect_value(root, "compare_with", "compare_with(f, their_f)")
    for attribute in ("data", "grad"):
        if not hasattr(their_root, attribute):
            raise TypeError(f"compare_with: your node needs .data, .grad and ._prev (as micrograd's Value has); "
                            f"{type(their_root).__name__} has no .{attribute}")
    backprop = walk(root)
    right, names = backprop.grads, node_names(backprop.order)
    pairs = _match(root, their_root)
    uses: dict[Value, list] = {node: [] for node in backprop.order}
    for gate in backprop.order:
        for edge in gate.edges:
            uses[edge.parent].append((gate, edge.local))
    rows, first = [], None
    for node in reversed(backprop.order):
        yours = float(pairs[node].grad)
        rows.append((names[node], right[node], yours))
        if first is None and not _same(yours, right[node]):
            if node is root:
                mistake, why = None, f"the output's gradient must start at 1 (∂{names[root]}/∂{names[root]})"
            else:
                mistake, why = _diagnose(node, yours, right, uses[node], pairs, root, names)
            first = Difference(node, pairs[node], names[node], right[node], yours, mistake, why)
    return Comparison(rows, first)
