"""Backprop done the naive way, next to the topological order: why the order matters.

The naive way: each node passes its gradient on as soon as it receives some, before all of its uses
have reported — as if micrograd's `_backward` were called recursively, right after a gate adds to its
input's gradient, instead of once per node in reverse topological order:

    def naive(node):                        # starts at the root, with root.grad = 1
        for parent, local in node.edges:
            parent.grad += local * node.grad
            naive(parent)                   # the parent passes on at once what it has so far

With fan-out (b = a + a; c = b + b) a node then passes on a gradient that is still incomplete, and
passes it on again, whole, each time another use reports, so what it passed before is counted twice:
a.grad ends at 6 where ∂c/∂a = 4. In topological order every node passes its gradient on once, after
all of its uses have reported, so each edge carries the finished gradient exactly once.

`naive_walk(root)` replays the naive way on the side (no `.grad` changes) and marks each step against
the topological walk (`backprop.walk`). The naive walk can take exponentially many steps (each extra
use re-walks everything behind a node), so it stops after `max_steps`.
"""

from __future__ import annotations

from typing import NamedTuple

from .._util.expect import expect_value
from ..engine.backprop import Step, node_names, walk
from ..engine.notation import number_text
from ..engine.value import Value

MAX_STEPS = 1000


class NaiveStep(NamedTuple):
    """One step of the naive walk, and what makes it wrong, if anything."""

    step: Step  # the edge, its local, the upstream passed on (the node's gradient so far), the result
    right: float  # the right upstream, ∂root/∂node, from the topological walk
    heard: int  # how many of the node's uses had reported when it passed this on
    uses: int  # how many uses the node has (edges from it into gates of the graph)
    repeat: int  # how many times this edge had been walked before (0 the first time)
    carried: float  # what had flowed along this edge before this step
    root_name: str  # the output's name, for the notes

    @property
    def early(self) -> bool:
        """The node passes on before all of its uses have reported (its gradient is still incomplete)."""
        return self.heard < self.uses

    @property
    def wrong(self) -> bool:
        """This step adds a wrong amount: an incomplete upstream, or an edge walked a second time."""
        return self.repeat > 0 or not _same(self.step.upstream, self.right)

    @property
    def note(self) -> str:
        """Why the step is wrong, in words ('' when it is right)."""
        s = self.step
        node, root = s.node_name, self.root_name
        notes = []
        if not _same(s.upstream, self.right):
            notes.append(f"{node} passes on {number_text(s.upstream, 4)} but has heard from only {self.heard} of its "
                         f"{self.uses} uses: the right ∂{root}/∂{node} is {number_text(self.right, 4)}")
        if self.repeat:
            notes.append(f"this edge already carried {number_text(self.carried, 4)}, and {node} passes on its "
                         f"whole gradient "
                         "again, so that part is counted twice")
        return "; ".join(notes)


class NaiveWalk(NamedTuple):
    """The naive walk's steps, its final gradients, and the right ones (topological order)."""

    root: Value
    steps: list[NaiveStep]
    grads: dict[Value, float]  # what the naive walk leaves in each node (from zero gradients)
    right: dict[Value, float]  # ∂root/∂node from the topological walk
    names: dict[Value, str]
    truncated: bool  # True when it stopped after max_steps

    @property
    def first_wrong(self) -> NaiveStep | None:
        return next((s for s in self.steps if s.wrong), None)

    @property
    def wrong_nodes(self) -> list[Value]:
        """Nodes whose gradient the naive walk gets wrong (at its end), in topological order."""
        return [node for node in self.right if not _same(self.grads[node], self.right[node])]

    def summary(self) -> str:
        """A few lines: where the naive walk first goes wrong, and what it ends with next to the right numbers."""
        first = self.first_wrong
        if first is None and not self.truncated:
            return ("the naive walk gets every gradient right on this graph: no node has more than one use, so "
                    "none passes its gradient on before it is complete")
        lines = []
        if first is not None:
            s = first.step
            lines.append(f"first wrong step: step {s.index}, {s.parent_name} → {s.node_name}: {first.note}")
        if self.truncated:
            lines.append(f"the naive walk was stopped after {len(self.steps)} steps (each extra use re-walks "
                         "everything behind a node, so it grows exponentially)")
        else:
            wrong = ", ".join(f"{self.names[n]}.grad = {number_text(self.grads[n], 4)} (right: "
                              f"{number_text(self.right[n], 4)})"
                              for n in self.wrong_nodes[:8])
            lines.append(f"the naive walk ends with {wrong}" + (" …" if len(self.wrong_nodes) > 8 else ""))
        return "\n".join(lines)


def naive_walk(root: Value, max_steps: int = MAX_STEPS) -> NaiveWalk:
    """Replay backprop the naive way (each node passes its gradient on as soon as it receives some),
    on the side, and mark every step against the topological walk. No `.grad` changes."""
    expect_value(root, "naive_walk", "naive_walk(c)")
    right = walk(root)
    names = node_names(right.order)
    uses = dict.fromkeys(right.order, 0)
    for gate in right.order:
        for edge in gate.edges:
            uses[edge.parent] += 1
    grads = dict.fromkeys(right.order, 0.0)
    grads[root] = 1.0
    heard = dict.fromkeys(right.order, 0)
    carried: dict[tuple[Value, int], float] = {}
    walked: dict[tuple[Value, int], int] = {}
    steps: list[NaiveStep] = []
    stack = [(root, iter(root.edges))]  # the recursion above, as an explicit stack (no depth limit)
    while stack and len(steps) < max_steps:
        node, edges = stack[-1]
        edge = next(edges, None)
        if edge is None:
            stack.pop()
            continue
        parent, key = edge.parent, (node, edge.argument)
        upstream = grads[node]
        contribution = edge.local * upstream
        grads[parent] += contribution
        step = Step(len(steps) + 1, node, parent, edge.argument, edge.local, upstream, contribution, grads[parent],
                    names)
        steps.append(NaiveStep(step, right.grads[node], heard[node], uses[node], walked.get(key, 0),
                               carried.get(key, 0.0), names[root]))
        heard[parent] += 1
        walked[key] = walked.get(key, 0) + 1
        carried[key] = carried.get(key, 0.0) + contribution
        stack.append((parent, iter(parent.edges)))  # the parent passes on at once
    truncated = any(next(edges, None) is not None for _, edges in stack)  # an edge still to walk
    return NaiveWalk(root, steps, grads, right.grads, names, truncated)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))

