"""`bug_hunt(root, bug)`: backprop replayed with a classic mistake, to find its first wrong step.

The bugs are the ones learners write (and the practice names):

- "overwrite": `parent.grad = local × upstream` instead of `+=`, so a node used twice keeps only its
  last contribution;
- "no-upstream": `parent.grad += local`, the local derivative without the upstream factor;
- "naive-order": each node passes its gradient on as soon as it gets some, before all its uses have
  reported (`naive.naive_walk`), instead of once, in topological order;
- "sigmoid-output": σ's local derivative taken as σ(x), the gate's output, instead of σ(x)·(1 − σ(x)).

Each step of the buggy walk is compared with the right walk (`backprop.walk`): a step is wrong when
the local derivative, the upstream or the gradient it leaves differs. The first wrong step is where
the bug shows; every later wrong step may only pass its error on. Replayed on the side: nothing in the
graph changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .._util.expect import expect_value
from ..engine.backprop import Step, walk
from .naive import naive_walk
from .why import which_use

if TYPE_CHECKING:
    from ..engine.value import Value

__all__ = ["BUGS", "BugHunt", "BugStep", "bug_hunt"]

BUGS = ("overwrite", "no-upstream", "naive-order", "sigmoid-output")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _n(x: float) -> str:
    return format(x, ".4g")


class BugStep(NamedTuple):
    """One step of the buggy walk: the numbers it used (`step`), the right ones, and what is wrong."""

    step: Step
    right_local: float
    right_upstream: float
    right_contribution: float
    right_grad: float | None  # the parent's gradient after this step in the right walk (None: naive order)
    wrong: bool
    note: str  # why it is wrong ('' when it is right)

    @property
    def edge(self) -> str:
        s = self.step
        return f"{s.parent_name} → {s.node_name}" + which_use(s.parent, s.node, s.argument)


@dataclass(frozen=True)
class BugHunt:
    """The buggy walk, step by step, and the gradients it ends with beside the right ones."""

    bug: str
    root: Value
    steps: list[BugStep]
    grads: dict[Value, float]  # what the buggy walk leaves in each node
    right: dict[Value, float]  # ∂root/∂node, the right walk's

    @property
    def first_wrong_step(self) -> BugStep | None:
        """The first step the bug makes wrong (None when it leaves this graph's backprop right)."""
        return next((s for s in self.steps if s.wrong), None)

    def __str__(self) -> str:
        lines = [f"backprop with the bug {self.bug!r}:"]
        for s in self.steps:
            mark = "✗" if s.wrong else " "
            lines.append(f"{mark} {s.step.caption}")
        first = self.first_wrong_step
        if first is None:
            lines.append(f"the bug {self.bug!r} leaves every step right on this graph")
        else:
            lines.append(f"first wrong step: step {first.step.index}, {first.edge}: {first.note}")
        return "\n".join(lines)

    __repr__ = __str__


def _topological(root: Value, bug: str) -> BugHunt:
    backprop = walk(root)
    grads = dict.fromkeys(backprop.order, 0.0)
    grads[root] = 1.0
    steps = []
    for right in backprop.steps:
        node, parent = right.node, right.parent
        local = node.data if bug == "sigmoid-output" and node.op == "sigmoid" else right.local
        upstream = grads[node]
        contribution = local if bug == "no-upstream" else local * upstream
        before = grads[parent]
        grads[parent] = contribution if bug == "overwrite" else before + contribution
        step = Step(right.index, node, parent, right.argument, local, upstream, contribution, grads[parent],
                    right.names)
        notes = []
        if not _same(upstream, right.upstream):
            notes.append(f"{right.node_name}'s gradient is already wrong ({_n(upstream)}, right: "
                         f"{_n(right.upstream)}), and this step passes it on")
        if not _same(local, right.local):
            notes.append(f"the local derivative of σ is taken as σ(x) = {_n(local)}, the gate's output; "
                         f"σ′(x) = σ(x)·(1 − σ(x)) = {_n(right.local)}")
        if bug == "no-upstream" and not _same(contribution, local * upstream):
            notes.append(f"it adds the local derivative {_n(local)} alone, not × the upstream {_n(upstream)}: "
                         f"the chain rule gives {_n(local * upstream)}")
        if bug == "overwrite" and before != 0.0:
            notes.append(f"it sets {right.parent_name}.grad = {_n(contribution)}, overwriting the {_n(before)} "
                         f"its other use put there: a gradient sums over uses (+=), {_n(before)} + "
                         f"{_n(contribution)} = {_n(before + contribution)}")
        wrong = bool(notes) or not _same(grads[parent], right.parent_grad)
        steps.append(BugStep(step, right.local, right.upstream, right.contribution, right.parent_grad, wrong,
                             "; ".join(notes)))
    return BugHunt(bug, root, steps, grads, backprop.grads)


def _naive(root: Value) -> BugHunt:
    replay = naive_walk(root)
    steps = [BugStep(n.step, n.step.local, n.right, n.step.local * n.right, None, n.wrong, n.note)
             for n in replay.steps]
    return BugHunt("naive-order", root, steps, replay.grads, replay.right)


def bug_hunt(root: Value, bug: str) -> BugHunt:
    """Replay backprop from `root` with `bug` (one of `BUGS`) and mark each step against the right walk.

    `.first_wrong_step` is where the bug first shows (None if this graph hides it: "overwrite" and
    "naive-order" need a node used twice, "sigmoid-output" a σ gate, "no-upstream" an upstream ≠ 1).
    """
    expect_value(root, "bug_hunt", "bug_hunt(f, 'overwrite')")
    if bug not in BUGS:
        raise ValueError(f"bug_hunt: unknown bug {bug!r}; the bugs are {', '.join(BUGS)}")
    return _naive(root) if bug == "naive-order" else _topological(root, bug)
