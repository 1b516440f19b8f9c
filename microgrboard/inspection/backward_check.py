"""`check_backward(root, rules)`: write your own backward rules, and see edge by edge where they go wrong.

`rules` maps an operation's name to your local-derivative function. It is called with the gate's
arguments in order (its inputs' values, and any number folded in: the 1 of x + 1, pow's n) and then
the gate's output, and returns the local derivative (one input) or one per argument (two):

    check_backward(f, {"tanh": lambda x, out: 1 - out**2, "mul": lambda a, b, out: (b, a)})

Operations not in `rules` use the table's. Backprop then runs with your local derivatives, on the
side, and each edge is reported with the recorded local derivative, yours and a central difference of
the gate (`edgecheck.check_edges`); `.first_wrong` is the first edge in backprop's order where yours
disagrees (None when every edge agrees), and `.wrong_gradients` the gradients that came out wrong,
each with the path along which the first wrong edge reaches it. Nothing in the graph changes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .._util.expect import expect_value
from ..engine.backprop import walk
from ..engine.primitives import PRIMITIVES
from .edgecheck import check_edges
from .gradcheck import relative_error
from .why import which_use

if TYPE_CHECKING:
    from ..engine.value import Value

__all__ = ["BackwardCheck", "EdgeRule", "WrongGradient", "check_backward"]

AGREE = 1e-6  # relative: your rule is code, so it agrees with the table up to rounding


class EdgeRule(NamedTuple):
    """One edge: the recorded local derivative, yours, and a central difference of its gate."""

    gate: Value
    parent: Value
    argument: int
    edge: str  # "w0 → mul2"
    op: str
    recorded: float
    yours: float
    numeric: float | None
    yours_given: bool  # False when the table's rule was used (the op is not in `rules`)

    @property
    def agrees(self) -> bool:
        return relative_error(self.yours, self.recorded) <= AGREE


class WrongGradient(NamedTuple):
    """A gradient your backprop got wrong, and the path from the node to the output through the first
    wrong edge (empty when that edge is not on any of its paths)."""

    node: Value
    name: str
    yours: float
    right: float
    path: str


@dataclass(frozen=True)
class BackwardCheck:
    entries: list[EdgeRule]
    grads: dict[Value, float]  # ∂root/∂node with your rules
    right: dict[Value, float]  # with the table's
    wrong_gradients: list[WrongGradient]

    @property
    def first_wrong(self) -> EdgeRule | None:
        return next((e for e in self.entries if not e.agrees), None)

    @property
    def passed(self) -> bool:
        return self.first_wrong is None

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        rows = [("edge", "op", "recorded", "yours", "central diff.", "")]
        for e in self.entries:
            rows.append((e.edge, e.op + ("" if e.yours_given else " (table)"), format(e.recorded, ".6g"),
                         format(e.yours, ".6g"), "—" if e.numeric is None else format(e.numeric, ".6g"),
                         "✓" if e.agrees else "✗"))
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        lines = ["  ".join([c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r[:5], widths))]
                           + [r[5]]).rstrip() for r in rows]
        first = self.first_wrong
        if first is None:
            lines.append("every edge agrees: your rules give the recorded local derivatives, and backprop with "
                         "them the right gradients")
            return "\n".join(lines)
        central = "" if first.numeric is None else f", central difference {first.numeric:.6g}"
        lines.append(f"first wrong edge: {first.edge} ({first.op}): yours {first.yours:.6g}, recorded "
                     f"{first.recorded:.6g}{central}")
        for w in self.wrong_gradients:
            along = f", along {w.path}" if w.path else ""
            lines.append(f"  ∂/∂{w.name} went wrong: yours {w.yours:.6g}, right {w.right:.6g}{along}")
        return "\n".join(lines)

    __repr__ = __str__


def _your_locals(gate: Value, rule: Callable, op: str) -> tuple[float, ...]:
    """Your rule at this gate: one local derivative per argument, checked to be real numbers."""
    args = [a.value.data if a.kind == "parent" else a.value for a in gate.arguments]
    try:
        result = rule(*args, gate.data)
    except Exception as err:  # the learner's code: say where it failed, and keep its error as the cause
        raise ValueError(f"check_backward: your rule for {op!r} raised {type(err).__name__}: {err}, called as "
                         f"rule({', '.join(format(a, '.6g') for a in args)}, out={gate.data:.6g})") from err
    result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    if len(result) != len(args):
        raise ValueError(f"check_backward: your rule for {op!r} returned {len(result)} number(s) for a gate of "
                         f"{len(args)} argument(s); return one local derivative per argument, e.g. "
                         + ("lambda x, out: 1 - out**2" if len(args) == 1 else "lambda a, b, out: (b, a)"))
    for r in result:
        if isinstance(r, bool) or not isinstance(r, numbers.Real) or not math.isfinite(float(r)):
            raise ValueError(f"check_backward: your rule for {op!r} returned {r!r}; a local derivative is a "
                             "finite real number")
    return tuple(float(r) for r in result)


def _path(start: Value, goal: Value, uses: dict) -> list[Value] | None:
    """Nodes from `start` to `goal` along uses (towards the output), or None."""
    came: dict[Value, Value | None] = {start: None}
    queue = [start]
    for node in queue:
        if node is goal:
            path = [node]
            while came[path[-1]] is not None:
                path.append(came[path[-1]])
            return path[::-1]
        for gate in uses[node]:
            if gate not in came:
                came[gate] = node
                queue.append(gate)
    return None


def check_backward(root: Value, rules: Mapping[str, Callable]) -> BackwardCheck:
    """Backprop from `root` with your local-derivative `rules` (see the module's docstring), edge by
    edge against the recorded ones and a central difference. Nothing in the graph changes."""
    expect_value(root, "check_backward", 'check_backward(f, {"tanh": lambda x, out: 1 - out**2})')
    if not isinstance(rules, Mapping):
        raise TypeError(f"check_backward: rules maps an operation's name to its rule, e.g. "
                        f'{{"tanh": lambda x, out: 1 - out**2}}; got {type(rules).__name__}')
    unknown = [op for op in rules if op not in PRIMITIVES]
    if unknown:
        raise ValueError(f"check_backward: no operation is called {', '.join(map(repr, unknown))}; the operations "
                         f"are {', '.join(PRIMITIVES)}")
    backprop = walk(root)
    numeric = {(e.gate, e.argument): e.numeric for e in check_edges(root).entries}
    locals_of: dict[Value, tuple[float, ...]] = {}
    grads = dict.fromkeys(backprop.order, 0.0)
    grads[root] = 1.0
    uses: dict[Value, list[Value]] = {node: [] for node in backprop.order}
    entries = []
    for step in backprop.steps:
        gate, op = step.node, step.node.op
        uses[step.parent].append(gate)
        if op in rules and gate not in locals_of:
            locals_of[gate] = _your_locals(gate, rules[op], op)
        yours = locals_of[gate][step.argument] if op in rules else step.local
        grads[step.parent] += yours * grads[gate]
        edge = f"{step.parent_name} → {step.node_name}" + which_use(step.parent, gate, step.argument)
        entries.append(EdgeRule(gate, step.parent, step.argument, edge, op, step.local, yours,
                                numeric.get((gate, step.argument)), op in rules))
    report = BackwardCheck(entries, grads, backprop.grads, [])
    first = report.first_wrong
    names = backprop.steps[0].names if backprop.steps else {}
    wrong = []
    for node in reversed(backprop.order):
        if relative_error(grads[node], backprop.grads[node]) <= AGREE:
            continue
        path = ""
        if first is not None:
            to_edge, on = _path(node, first.parent, uses), _path(first.gate, root, uses)
            if to_edge is not None and on is not None:
                path = " → ".join(names[n] for n in to_edge + on)
        wrong.append(WrongGradient(node, names[node], grads[node], backprop.grads[node], path))
    return BackwardCheck(entries, grads, backprop.grads, wrong)
