"""`why(node, root)`: a gradient taken apart into the paths it flows along, and why it is zero or tiny.

The chain rule on a graph: ∂root/∂node is the sum, over every path from `node` to `root`, of the
product of the local derivatives on the path's edges,

    ∂root/∂node = Σ over paths  Π over the edges u → g on the path  ∂g/∂u.

A node used twice (`a*a`, `a + a`) has one edge per use, so one path per use. The number of paths
grows exponentially with a graph's depth, so nothing here enumerates them: dynamic programming over the
topological order counts them and finds, for every node, the largest product on any way on to the
root; with that exact bound a best-first search (A*) lists the largest few contributions, largest first.

Looking changes nothing: the gradient comes from `backprop.walk`, worked out on the side; `.grad` is
only read, to say when it disagrees with it (backward not run, or gradient left over from a pass before).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import NamedTuple

from .._util.expect import expect_value
from ..engine.backprop import local_rule, node_names, walk
from ..engine.notation import number_text
from ..engine.value import Edge, Value

SMALL_LOCAL = 1e-2  # a local derivative below this (in size) shrinks every path through it 100-fold or more
TINY = 1e-4  # a gradient below this (in size) is tiny: `why` names what makes it so
SHOWN_PATHS = 6  # paths `why` lists by default; more are counted and summed, not listed
SHOWN_CAUSES = 5  # causes of one kind of trouble that the text lists; the structured form keeps them all


class Path(NamedTuple):
    """A path from the node to the root, and its contribution: the product of its hops' locals."""

    hops: tuple[Edge, ...]
    contribution: float

    @property
    def locals(self) -> tuple[float, ...]:
        return tuple(hop.local for hop in self.hops)


class Cause(NamedTuple):
    """Something that makes a gradient zero or tiny, or makes `.grad` disagree with it.

    kind: "not connected", "off" (a relu whose input is ≤ 0), "saturated" (σ or tanh far from 0),
    "flat" (any other gate whose local derivative is 0 or small at its input, e.g. exp(−20)) — the
    word is each primitive's `flat` in the table,
    "times zero" / "times small" (the gate multiplies the input by a number that is 0 / small),
    "cancel" (paths of both signs add up to about 0), "long paths" (many factors below 1),
    "not run" (backward has not reached the node), "accumulated" (.grad holds more than one pass).
    """

    kind: str
    text: str
    hop: Edge | None = None  # the edge that stops or shrinks the paths, for the kinds about an edge
    paths: int = 0  # how many of the node's paths run along that edge


@dataclass(frozen=True)
class Why:
    """∂root/∂node as a sum over paths: the largest contributions, their count, and the causes."""

    node: Value
    root: Value
    gradient: float  # ∂root/∂node, worked out on the side from zero gradients
    grad: float  # node.grad as it was found
    path_count: int  # how many paths lead from node to root
    paths: tuple[Path, ...]  # the largest |contribution| first; all of them when `complete`
    causes: tuple[Cause, ...]
    names: dict[Value, str]  # the graph's names for its nodes, as `explain` writes them
    stopped: int = 0  # how many of the paths pass an edge whose local derivative is 0

    @property
    def complete(self) -> bool:
        """True when every path is listed."""
        return len(self.paths) == self.path_count

    @property
    def rest(self) -> float:
        """What the paths not listed add up to: the gradient minus the listed contributions."""
        return self.gradient - math.fsum(p.contribution for p in self.paths)

    def name(self, node: Value) -> str:
        return self.names.get(node) or node.label or f"Value({node.data:.4g})"

    def path_text(self, path: Path) -> str:
        """'w0 → mul2 → add6 → f'; a gate that takes the same input twice says which use: '(input 2)'."""
        if not path.hops:
            return self.name(self.node)
        nodes = [path.hops[0].parent] + [hop.gate for hop in path.hops]
        parts = [self.name(path.hops[0].parent)]
        parts += [self.name(hop.gate) + which_use(hop.parent, hop.gate, hop.argument) for hop in path.hops]
        return " → ".join(_shorten(parts, nodes))

    def __str__(self) -> str:
        return self.text()

    def text(self, about_grad: bool = True) -> str:
        """The answer in words; without `about_grad`, nothing about `node.grad` (for views of the walk alone)."""
        n, r = self.name(self.node), self.name(self.root)
        head = f"∂{r}/∂{n} = {_num(self.gradient)}"
        lines = []
        if self.node is self.root:
            lines.append(f"{head}: {n} is the output itself (a path of no edges)")
        elif self.path_count:
            paths = _count(self.path_count)
            many = self.path_count != 1
            lines.append(f"{head}, the sum over {paths} path{'s' if many else ''} from {n} to {r} of the product "
                         f"of the local derivatives along {'each' if many else 'it'}"
                         + (":" if self.complete else f"; the {len(self.paths)} largest:"))
            rows = [(_num(p.contribution), _factors(p.locals), self.path_text(p))
                    for p in self.paths]
            if not self.complete:
                rows.append((_num(self.rest), "", f"the other {_count(self.path_count - len(self.paths))} paths"))
            width = [max(len(row[i]) for row in rows) for i in (0, 1)]
            for contribution, factors, path in rows:
                product = f"= {factors.ljust(width[1])}" if width[1] else ""
                lines.append(f"  {contribution.rjust(width[0])} {product}   {path}".rstrip())
        else:
            lines.append(f"{head}: no path leads from {n} to {r}")
        graph_causes = [c for c in self.causes if c.kind not in ("not run", "accumulated")]
        if graph_causes:
            stopped = ""
            if self.stopped:
                if self.path_count == 1:
                    stopped = " (its one path passes a local derivative of 0)"
                else:
                    share = "every one" if self.stopped == self.path_count else _count(self.stopped)
                    stopped = f" ({share} of the {_count(self.path_count)} paths passes a local derivative of 0)"
            lines.append(f"why it is {'0' if self.gradient == 0 else 'so small'}{stopped}:")
            lines += _listed(graph_causes)
        grad_causes = [c for c in self.causes if c.kind in ("not run", "accumulated")]
        if about_grad and grad_causes:
            lines.append(f"about {n}.grad:")
            lines += _listed(grad_causes)
        elif about_grad and self.node in self.names:
            lines.append(f"{n}.grad = {_num(self.grad)} agrees.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Why ∂{self.name(self.root)}/∂{self.name(self.node)} = {self.gradient:.6g}: {self.path_count} paths>"


def why(node: Value, root: Value, top: int = SHOWN_PATHS, tiny: float = TINY) -> Why:
    """Why ∂root/∂node is what it is: the sum over every path from `node` to `root` of the product of
    the local derivatives along it, the `top` largest contributions first, and — when the gradient is
    0 or smaller than `tiny` — what makes it so; also whether `node.grad` agrees with it.

    `print(why(w, loss))` reads as text; the result's fields hold the paths and causes. Nothing in the
    graph changes.
    """
    expect_value(node, "why", "why(w0, f): a node, then the output it flows into")
    expect_value(root, "why", "why(w0, f): a node, then the output it flows into")
    return Backflow(root).why(node, top, tiny)


class Backflow:
    """Everything `why` needs about one output's graph, worked out once and shared by every node:
    its gradients (`backprop.walk`), names, each node's uses, and, for each node, on its ways on to
    the root: how many paths, how many without a zero factor, the largest |product| (as a log, so no
    product overflows), and the sums of the positive and of the negative products."""

    def __init__(self, root: Value) -> None:
        self.root = expect_value(root, "Backflow", "Backflow(f)")
        result = walk(root)
        self.order, self.gradients = result.order, result.grads
        self.names = node_names(self.order)
        self.position = {node: i for i, node in enumerate(self.order)}
        self.uses: dict[Value, list[Edge]] = {node: [] for node in self.order}
        self.inputs: dict[Value, list[Edge]] = {}
        for gate in self.order:
            hops = list(gate.edges)
            self.inputs[gate] = hops
            for hop in hops:
                self.uses[hop.parent].append(hop)
        self.count, self.live, self.best = {root: 1}, {root: 1}, {root: 0.0}
        self.positive, self.negative = {root: 1.0}, {root: 0.0}
        for node in reversed(self.order[:-1]):  # the root is last; every other node has a use
            uses = self.uses[node]
            self.count[node] = sum(self.count[h.gate] for h in uses)
            self.live[node] = sum(self.live[h.gate] for h in uses if h.local != 0.0)
            self.best[node] = max(_log(h.local) + self.best[h.gate] for h in uses)
            # Σ of positive and of |negative| products: a negative local swaps the two.
            pos = neg = 0.0
            for h in uses:
                size = abs(h.local)
                more, less = (self.positive[h.gate], self.negative[h.gate]) if h.local >= 0 else \
                    (self.negative[h.gate], self.positive[h.gate])
                pos += size * more
                neg += size * less
            self.positive[node], self.negative[node] = pos, neg

    def why(self, node: Value, top: int = SHOWN_PATHS, tiny: float = TINY) -> Why:
        """`why(node, root)` for this graph's root."""
        expect_value(node, "why", "why(w0, f): a node, then the output it flows into")
        if not isinstance(top, int) or top < 0:
            raise ValueError(f"why: top is how many paths to list, a whole number ≥ 0; got {top!r}")
        if node not in self.position:
            return Why(node, self.root, 0.0, node.grad, 0, (), self._not_connected(node), self.names)
        gradient = self.gradients[node]
        paths = tuple(self._largest_paths(node, top))
        causes = self._graph_causes(node, gradient, paths, tiny) if abs(gradient) < tiny else []
        causes += self._grad_causes(node, gradient)
        return Why(node, self.root, gradient, node.grad, self.count[node], paths, tuple(causes), self.names,
                   self.count[node] - self.live[node])

    def _largest_paths(self, node: Value, k: int) -> list[Path]:
        """The k paths from `node` to the root with the largest |product|, largest first (ties: by route).

        A*: a partial path's priority is its log-product plus the best log-product on from where it
        ends (exact, from the dynamic programming), so complete paths come off the heap in order.
        Ties go to the longer partial path, so a search among equal products goes straight down.
        A partial path is a linked list (hop, rest) so extending it costs O(1).
        """
        heap = [(-self.best[node], 0, 0, node, 0.0, None)]
        found: list[Path] = []
        pushed = 1
        while heap and len(found) < k:
            _, depth, _, at, logsofar, trail = heapq.heappop(heap)
            if at is self.root:
                found.append(_as_path(trail))
                continue
            for hop in self.uses[at]:
                log = logsofar + _log(hop.local)
                heapq.heappush(heap, (-(log + self.best[hop.gate]), depth - 1, pushed, hop.gate, log, (hop, trail)))
                pushed += 1
        # Logs can tie or swap two products that differ in the last bit: the list itself is ordered by the
        # products it shows, exactly, and equal products by where their paths run (a total order).
        return sorted(found, key=lambda path: (-abs(path.contribution), self._route(path)))

    def _route(self, path: Path) -> tuple[tuple[int, int], ...]:
        """A path as the positions of its gates and the arguments it enters: equal paths, equal routes."""
        return tuple((self.position[hop.gate], hop.argument) for hop in path.hops)

    def _paths_from(self, node: Value) -> dict[Value, int]:
        """How many paths lead from `node` to each node after it (only those that can be reached)."""
        reach = {node: 1}
        for gate in self.order[self.position[node] + 1:]:
            total = sum(reach.get(hop.parent, 0) for hop in self.inputs[gate])
            if total:
                reach[gate] = total
        return reach

    def _graph_causes(self, node: Value, gradient: float, paths: tuple[Path, ...], tiny: float) -> list[Cause]:
        """What makes the gradient 0 or tiny: edges that stop or shrink the paths, cancelling, long paths."""
        reach = self._paths_from(node)
        found: dict[str, Cause] = {}
        for gate in self.order[self.position[node] + 1:]:
            for hop in self.inputs[gate]:
                if hop.parent in reach and abs(hop.local) < SMALL_LOCAL and (hop.local == 0.0 or gradient != 0.0):
                    cause = self._edge_cause(hop, reach[hop.parent] * self.count[gate], self.count[node])
                    same = found.get(cause.text)  # a*a with a = 0: two edges, one sentence
                    found[cause.text] = cause if same is None else same._replace(paths=same.paths + cause.paths)
        causes = sorted(found.values(), key=lambda c: (-c.paths, self.position[c.hop.gate]))
        pos, neg = self.positive[node], self.negative[node]
        if pos > 0.0 and neg > 0.0 and abs(gradient) < 0.01 * (pos + neg):
            causes.append(Cause("cancel", f"its paths cancel: the positive products add up to {_num(pos)} and "
                                          f"the negative ones to -{_num(neg)}"))
        if not causes and gradient != 0.0 and paths:
            longest = max(len(p.hops) for p in paths)
            causes.append(Cause("long paths", f"no single local derivative is small, but each path multiplies "
                                              f"up to {longest} of them and the largest product is only "
                                              f"{_num(paths[0].contribution)}"))
        return causes

    def _edge_cause(self, hop: Edge, through: int, total: int) -> Cause:
        """The sentence for an edge whose local derivative is 0 or small, and on how many paths it lies."""
        names, gate, parent = self.names, hop.gate, hop.parent
        g = names[gate] + (f" ({gate.op})" if gate.label else "")
        p = names[parent]
        rule = local_rule(gate, hop.argument, names)
        value = _num(hop.local)
        where = " (on every path)" if through == total else f" (on {_count(through)} of the {_count(total)} paths)"
        if _depends_on_own_input(gate, hop.argument):
            kind = gate.primitive.flat  # the table's word: a relu is "off", a σ or tanh "saturated"
            word = "nearly flat" if kind == "flat" and hop.local != 0.0 else kind
            text = f"{g} is {word} at its input {p} = {_num(parent.data)}: ∂{names[gate]}/∂{p} = {rule} = {value}"
        else:
            kind = "times zero" if hop.local == 0.0 else "times small"
            text = f"{g} multiplies {p} by {rule}" + ("" if rule == value else f" = {value}")
        return Cause(kind, text + where, hop, through)

    def _grad_causes(self, node: Value, gradient: float) -> list[Cause]:
        """Where `node.grad` disagrees with ∂root/∂node: backward not run, or left over from an earlier pass."""
        n, r, grad = self.names[node], self.names[self.root], node.grad
        if _close(grad, gradient):
            return []
        if grad == 0.0:
            never = self.root.grad == 0.0
            return [Cause("not run", f"{n}.grad is 0, but ∂{r}/∂{n} = {_num(gradient)}: "
                          + (f"backward has not run (call {r}.backward())" if never else
                             "backward has not reached it since the gradients were last zeroed (or a stepped "
                             "backward stopped part way)"))]
        times = grad / gradient if gradient != 0.0 else 0.0
        if 2 <= times <= 10_000 and _close(times, round(times)):  # a count a learner could have run
            text = (f"{n}.grad = {_num(grad)} is {round(times)} × ∂{r}/∂{n}: backward ran {round(times)} times "
                    f"with no zero_grad() in between (gradients add up, as in PyTorch); call {r}.zero_grad() "
                    f"before {r}.backward()")
        else:
            text = (f"{n}.grad = {_num(grad)}, not ∂{r}/∂{n} = {_num(gradient)}: it holds gradient left over from "
                    f"an earlier pass or from another output (gradients add up until zero_grad()); call "
                    f"{r}.zero_grad() before {r}.backward()")
        return [Cause("accumulated", text)]

    def _not_connected(self, node: Value) -> tuple[Cause, ...]:
        n = node.label or f"this Value ({node.data:.4g})"
        r = self.names[self.root]
        text = f"{n} is not connected to {r}: {r} was not computed from it, so no path leads from it to {r}"
        if node.grad != 0.0:
            text += f" ({n}.grad = {_num(node.grad)} comes from another output)"
        return (Cause("not connected", text),)


def which_use(parent: Value, gate: Value, argument: int) -> str:
    """' (input 2)' when `gate` takes `parent` more than once (a*a), so each use can be told apart; else ''."""
    twice = sum(p is parent for p in gate.parents) > 1
    return f" (input {argument + 1})" if twice else ""


def _as_path(trail) -> Path:
    hops = []
    while trail is not None:
        hop, trail = trail
        hops.append(hop)
    hops.reverse()
    product = 1.0
    for hop in hops:
        product *= hop.local
    return Path(tuple(hops), product)


def _depends_on_own_input(gate: Value, argument: int) -> bool:
    """Is the local derivative a function of this argument itself (the table says)? Then a small value
    means the gate is flat there (relu off, σ saturated); if not, the gate multiplies this input by
    something else (mul by the other input, div by its number)."""
    return gate.primitive.local_depends_on_input[argument]


def _log(local: float) -> float:
    return math.log(abs(local)) if local != 0.0 else -math.inf


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300)


def _num(x: float) -> str:
    return number_text(x, 4)


def _count(n: int) -> str:
    """1,234,567; a count too long to read (past 10²¹) as 'about 1.07e+301' (from its digits: no float)."""
    if n < 10**21:
        return f"{n:,}"
    digits = str(n)
    return f"about {digits[0]}.{digits[1:3]}e+{len(digits) - 1}"


def _shorten(parts: list[str], nodes: list[Value], longest: int = 12) -> list[str]:
    """A path longer than `longest` keeps its two ends and its labelled nodes (a model's neurons); '…'
    stands for each run of the others."""
    if len(parts) <= longest:
        return parts
    short: list[str] = []
    for i, (part, node) in enumerate(zip(parts, nodes)):
        if i in (0, len(parts) - 1) or node.label:
            short.append(part)
        elif short[-1] != "…":
            short.append("…")
    return short


def _factors(factors: tuple[float, ...], keep: int = 8) -> str:
    """'-1 × 1 × 0.1966': at most `keep` factors, the first and last few with '…(n more)…' between."""
    texts = [_num(x) for x in factors]
    if len(texts) > keep:
        texts = [*texts[:keep // 2], f"…({len(texts) - keep} more)…", *texts[-(keep // 2):]]
    return " × ".join(texts)


def _listed(causes: list[Cause]) -> list[str]:
    lines = [f"  - {c.text}" for c in causes[:SHOWN_CAUSES]]
    if len(causes) > SHOWN_CAUSES:
        lines.append(f"  - and {len(causes) - SHOWN_CAUSES} more")
    return lines
