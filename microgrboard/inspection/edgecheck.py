"""`check_edges(root)`: every edge's recorded local derivative against a central difference of its gate.

`gradcheck` gives one verdict for a whole function; this one judges each gate alone. For the edge from
argument i into a gate, the gate's own rule (its entry in the table of primitives) is evaluated at the
arguments the graph recorded, with argument i moved by ±ε:

    ∂gate/∂argᵢ ≈ (rule(…, xᵢ + ε, …) − rule(…, xᵢ − ε, …)) / 2ε,    ε = 1e-4 (the machine-learning course's),

and compared with the local derivative the gate recorded at forward time. Only the rule's output is
used, never its derivative, so a wrong derivative in one primitive shows up on exactly its edges.

A central difference cannot judge every point: at a kink (relu at 0), where the gate bends sharply
within ε (1/x near 0), or where x ± ε leaves the gate's domain (log near 0), an edge is "unsure", not
"fail". Checking reads the graph only: no value or gradient changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .._util.expect import expect_value
from ..engine.backprop import local_rule, node_names, topological_order
from ..engine.value import Value
from .gradcheck import relative_error
from .why import which_use

EPSILON = 1e-4  # the machine-learning course's ε for gradient checking
TOLERANCE = 1e-6  # the central difference's own error is about ε²·|f'''|/6 ≈ 1e-9 for a gently curved gate
KINK = 1e-2  # one-sided slopes (ε each side) differing by more than this (relative): a kink or a sharp bend
LISTED = 40  # more edges than this: the text lists only those that fail or are unsure


class EdgeCheck(NamedTuple):
    """One edge, parent → argument `argument` of `gate`: its recorded local derivative and the check."""

    gate: Value
    parent: Value
    argument: int
    local: float  # ∂gate/∂parent as recorded at forward time
    numeric: float | None  # the central difference of the gate's rule (None when it cannot be taken)
    error: float | None  # relative_error(local, numeric): |a − n| / max(1, |a|, |n|)
    status: str  # "pass", "fail" or "unsure"
    reason: str  # why "unsure" (or, for "fail", what it means)


@dataclass(frozen=True)
class EdgeCheckReport:
    """Every edge of a graph checked; true when none fails ("unsure" edges are listed, not failed)."""

    entries: list[EdgeCheck]
    names: dict[Value, str]
    eps: float
    tolerance: float

    @property
    def failures(self) -> list[EdgeCheck]:
        return [e for e in self.entries if e.status == "fail"]

    @property
    def unsure(self) -> list[EdgeCheck]:
        return [e for e in self.entries if e.status == "unsure"]

    @property
    def passed(self) -> bool:
        return not self.failures

    def __bool__(self) -> bool:
        return self.passed

    @property
    def worst(self) -> EdgeCheck | None:
        """The judged edge (pass or fail) with the largest relative error; None when none was judged."""
        checked = [e for e in self.entries if e.status != "unsure"]
        return max(checked, key=lambda e: e.error) if checked else None

    def status(self, gate: Value, argument: int) -> EdgeCheck:
        """The check of the wire into argument `argument` of `gate`."""
        for entry in self.entries:
            if entry.gate is gate and entry.argument == argument:
                return entry
        raise KeyError(f"no edge into argument {argument} of {gate!r} in this graph")

    def edge_name(self, entry: EdgeCheck) -> str:
        """'w0 → mul2', or 'a → mul1 (input 2)' when the gate takes the same parent twice."""
        return f"{self.names[entry.parent]} → {self.names[entry.gate]}" + \
            which_use(entry.parent, entry.gate, entry.argument)

    def __str__(self) -> str:
        rows = self.entries if len(self.entries) <= LISTED else [e for e in self.entries if e.status != "pass"]
        table = [("edge", "local rule", "recorded", "central diff.", "rel. error", "check")]
        table += [(self.edge_name(e), local_rule(e.gate, e.argument, self.names), format(e.local, ".6g"),
                   "—" if e.numeric is None else format(e.numeric, ".6g"),
                   "—" if e.error is None else format(e.error, ".1e"),
                   e.status + (f": {e.reason}" if e.status == "unsure" else "")) for e in rows]
        widths = [max(len(row[i]) for row in table) for i in range(5)]
        lines = ["  ".join([cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in
                            enumerate(zip(row[:5], widths))] + [row[5]]) for row in table]
        if len(rows) < len(self.entries):
            lines.append(f"({len(self.entries) - len(rows)} more edges pass)")
        lines.append(self.verdict)
        return "\n".join(lines)

    @property
    def verdict(self) -> str:
        """One line: PASS or FAIL, how many edges, the worst error, the tolerance and ε."""
        n = len(self.entries)
        unsure = f"; {len(self.unsure)} unsure (see above)" if self.unsure else ""
        settings = f"tolerance {self.tolerance:.0e}, eps {self.eps:g}"
        if self.failures:
            names = ", ".join(self.edge_name(e) for e in self.failures[:6]) + (" …" if len(self.failures) > 6 else "")
            return (f"FAIL: {len(self.failures)} of {n} edges disagree with a central difference of their gate: "
                    f"{names}{unsure} ({settings}); the local derivative their gate records is wrong")
        if len(self.unsure) == n and n:
            return f"UNSURE: none of the {n} edges could be judged by a central difference (see above)"
        worst = self.worst
        at = f", worst error {worst.error:.1e} at {self.edge_name(worst)}" if worst else ""
        return f"PASS: {n - len(self.unsure)} of {n} edges agree with a central difference of their gate{at}" \
               f"{unsure} ({settings})"


def check_edges(root: Value, eps: float = EPSILON, tolerance: float = TOLERANCE) -> EdgeCheckReport:
    """Check every edge of `root`'s graph: its recorded local derivative against a central difference
    of its gate alone (the gate's rule from the table, at the recorded arguments, ε = `eps`).

    Each entry says pass, fail or unsure (a kink, a sharp bend or a domain edge within 2ε, or inputs
    changed since the forward pass) with the relative error; `print` it for a table.
    """
    expect_value(root, "check_edges", "check_edges(f)")
    if not eps > 0:
        raise ValueError(f"check_edges: eps must be > 0, got {eps!r}")
    order = topological_order(root)
    entries = [_check(gate, edge.parent, edge.argument, edge.local, eps, tolerance)
               for gate in order for edge in gate.edges]
    return EdgeCheckReport(entries, node_names(order), eps, tolerance)


def _check(gate: Value, parent: Value, argument: int, local: float, eps: float, tolerance: float) -> EdgeCheck:
    rule = gate.primitive.rule
    args = [a.value.data if a.kind == "parent" else a.value for a in gate.arguments]

    def out(shift: float) -> float:
        moved = list(args)
        moved[argument] += shift
        return rule(*moved)[0]

    def unsure(reason: str, numeric: float | None = None) -> EdgeCheck:
        error = None if numeric is None else relative_error(local, numeric)
        return EdgeCheck(gate, parent, argument, local, numeric, error, "unsure", reason)

    x = args[argument]
    try:
        here = out(0.0)
    except (ArithmeticError, ValueError):
        here = None
    if here != gate.data:
        return unsure("its inputs changed after the forward pass (e.g. an optimizer step): "
                      "the recorded derivative belongs to the old values")
    try:
        plus, minus, plus2, minus2 = out(eps), out(-eps), out(2 * eps), out(-2 * eps)
    except (ArithmeticError, ValueError):
        return unsure(f"the gate is undefined within 2ε of its input {x:.6g}")
    numeric = (plus - minus) / (2 * eps)
    error = relative_error(local, numeric)
    if error <= tolerance:
        return EdgeCheck(gate, parent, argument, local, numeric, error, "pass", "")
    # Before blaming the derivative, make sure the difference itself can be trusted here: one-sided
    # slopes that disagree mean a kink or a sharp bend, and the central differences at ε and 2ε differ
    # by about 3 × the error of the one at ε (it shrinks as ε², Richardson), which must be small.
    left, right = (here - minus) / eps, (plus - here) / eps
    coarse = (plus2 - minus2) / (4 * eps)
    if relative_error(left, right) > KINK or relative_error(numeric, coarse) / 3 > tolerance:
        return unsure(f"the gate has a kink or bends sharply within 2ε of its input {x:.6g}, "
                      "where a central difference cannot judge it", numeric)
    return EdgeCheck(gate, parent, argument, local, numeric, error, "fail",
                     "the recorded local derivative disagrees with the gate's own output")
