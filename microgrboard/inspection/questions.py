"""The questions of a practice session: what the learner computes, step by step, and how to check it.

`practice_questions(root)` turns backprop's walk into questions, in the walk's order (topological):

- an **edge** question per backprop step: the edge's local derivative ∂gate/∂input, and its gradient,
  local × upstream (the upstream being ∂root/∂gate);
- a **total** question after the last use of a node used more than once has reported: the node's
  gradient is the sum over its uses (the multivariable chain rule), ∂root/∂x = Σ ∂root/∂g·∂g/∂x;
- with `forward=True`, first a **forward** question per gate: its output, from its inputs.

Each field of a question carries everything needed to check an answer, worked out here once, so the
REPL (`practice.Practice`) and the practice page (viz) only compare numbers: the expected number, three
hints in order (the rule, the rule with this edge's numbers, the answer) and the classic mistakes, each
with the number it would give and what it means. A mistake whose number is within the tolerance of
the right answer (e.g. "no-upstream" where the upstream is 1) cannot be told apart, and is left out.

The tolerance fits what a learner computes from the 4 significant digits shown:
|answer − expected| ≤ 5e-3·max(1, |expected|).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._util.expect import expect_value
from ..engine.backprop import Step, walk
from ..engine.formula import gate_expression
from .why import which_use

if TYPE_CHECKING:
    from ..engine.value import Value

__all__ = ["MISTAKES", "TOLERANCE", "Field", "Mistake", "Question", "close", "gate_kind", "practice_questions",
           "wrong_locals"]

TOLERANCE = 5e-3
MISTAKES = ("no-upstream", "overwrite", "sign", "sigmoid-output", "input-for-output", "naive-order")
_KINDS = {"add": "+", "mul": "×", "reciprocal": "1/x", "sigmoid": "σ", "pow": "**", "pow_var": "**", "div": "÷"}


def close(answer: float, expected: float) -> bool:
    """The practice's tolerance: |answer − expected| ≤ 5e-3·max(1, |expected|)."""
    return abs(answer - expected) <= TOLERANCE * max(1.0, abs(expected))


def gate_kind(node: Value) -> str:
    """The kind of gate a summary groups by: '×', '+', 'exp', '1/x', 'σ', 'tanh' (numbers folded in
    do not count: ×−1 is a ×)."""
    return _KINDS.get(node.op, node.op)


def _n(x: float) -> str:
    """A number as the page shows it: 4 significant digits."""
    return format(x, ".4g")


@dataclass(frozen=True)
class Mistake:
    """A classic mistake: its name (one of `MISTAKES`), the number it gives here, and what it means."""

    name: str
    value: float
    text: str


@dataclass(frozen=True)
class Field:
    """One number the learner types: its name ("value", "local", "grad" or "total"), the input's label,
    the expected number, the hints in order, and the mistakes it can be told apart from."""

    name: str
    label: str
    expected: float
    hints: tuple[str, str, str]  # the rule, the rule with this edge's numbers, the answer
    mistakes: tuple[Mistake, ...]
    upstream: float | None = None  # for a gradient: local × this, to see a gradient built on a wrong local

    def mistake(self, answer: float) -> Mistake | None:
        """The classic mistake `answer` matches, if any (never for a right answer)."""
        if close(answer, self.expected):
            return None
        return next((m for m in self.mistakes if close(answer, m.value)), None)

    def data(self) -> dict:
        return {"name": self.name, "label": self.label, "expected": self.expected, "tolerance": TOLERANCE,
                "hints": list(self.hints),
                "mistakes": [{"name": m.name, "value": m.value, "text": m.text} for m in self.mistakes],
                "upstream": self.upstream}


@dataclass(frozen=True)
class Question:
    """One question: its kind ("forward", "edge" or "total"), what it asks, and its fields.

    `node` is the gate (forward, edge) or the node whose total is asked; `parent` and `argument` name an
    edge's input; `position` and `parent_position` are their places in the topological order (a view's
    ids); `gate` is the kind of gate the summary groups by ("sum" for a total, "forward" for a value);
    `answer` says the answer in one line, once it is known; `known` is (node, ∂root/∂node) when the
    question completes a node's gradient.
    """

    index: int
    kind: str
    prompt: str
    fields: tuple[Field, ...]
    gate: str
    node: Value
    position: int
    answer: str
    parent: Value | None = None
    parent_position: int | None = None
    argument: int | None = None
    step: Step | None = None
    known: tuple[str, float] | None = None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"question {self.index} ({self.kind}) has no field {name!r}: it asks for "
                       f"{', '.join(f.name for f in self.fields)}")

    def data(self) -> dict:
        """The question as plain data, for a page."""
        return {"index": self.index, "kind": self.kind, "prompt": self.prompt, "gate": self.gate,
                "fields": [f.data() for f in self.fields], "answer": self.answer, "position": self.position,
                "parent_position": self.parent_position, "argument": self.argument,
                "known": None if self.known is None else {"name": self.known[0], "grad": self.known[1]}}


def _mistakes(expected: float, candidates: list[tuple[str, float, str]]) -> tuple[Mistake, ...]:
    """The candidates that can be told apart: finite, not within tolerance of the right answer or of an
    earlier candidate (the list is in order of priority)."""
    kept: list[Mistake] = []
    for name, value, text in candidates:
        if not math.isfinite(value) or close(value, expected) or any(close(value, m.value) for m in kept):
            continue
        kept.append(Mistake(name, value, text))
    return tuple(kept)


def _with_numbers(step: Step) -> str:
    """The step's local rule with each of the gate's inputs written as its number ("exp(-1)")."""
    numbers = dict(step.names)
    for edge in step.node.edges:
        numbers[edge.parent] = f"({_n(edge.parent.data)})" if edge.parent.data < 0 else _n(edge.parent.data)
    text = re.sub(r"\(\((-[^()]+)\)\)", r"(\1)", step._replace(names=numbers).formula)  # exp((-1)) reads exp(-1)
    return text[1:-1] if re.fullmatch(r"\(-[^()]+\)", text) else text


def _grouped(expression: str) -> str:
    """A gate's expression in parentheses after ∂/∂x, unless it is one call or one name: "(x*y)", "exp(x)"."""
    return expression if re.fullmatch(r"\w+(\([^()]*\))?", expression) else f"({expression})"


def wrong_locals(gate: Value, name: str = "the gate") -> list[tuple[str, float, str]]:
    """The classic wrong local derivatives of a one-input gate, as (mistake, its number, what it means):
    σ(x) for σ′(x), and the rules of exp, tanh, σ, log and 1/x computed from the wrong end of the gate."""
    if len(gate.edges) != 1 or len(gate.arguments) != 1:
        return []
    op, out, x = gate.op, gate.data, gate.edges[0].parent.data
    found: list[tuple[str, float, str]] = []
    if op == "sigmoid":
        found.append(("sigmoid-output", out, f"that is σ(x) itself, the gate's output {name} = {_n(out)}; "
                      "the derivative is σ′(x) = σ(x)·(1 − σ(x))"))
        found.append(("input-for-output", x * (1.0 - x), "σ′ = σ(x)·(1 − σ(x)) is computed from the gate's "
                      f"output σ(x) = {_n(out)}, not from its input x = {_n(x)}"))
    elif op == "tanh":
        found.append(("input-for-output", 1.0 - x * x, "tanh′ = 1 − tanh²(x) is computed from the gate's "
                      f"output tanh(x) = {_n(out)}, not from its input x = {_n(x)}"))
        found.append(("input-for-output", 1.0 - math.tanh(out) ** 2, "1 − tanh²(x) takes tanh of the input: "
                      f"tanh(x) is already the output {_n(out)}; square that, do not take tanh of it again"))
    elif op == "exp":
        found.append(("input-for-output", x, f"exp′(x) = exp(x): the gate's output {name} = {_n(out)}, not "
                      f"its input x = {_n(x)}"))
        if out < 709.0:
            found.append(("input-for-output", math.exp(out), "exp′(x) = exp(x) of the input; exp(x) is "
                          f"already the output {_n(out)}, so do not take exp of it again"))
    elif op == "log" and out != 0.0:
        found.append(("input-for-output", 1.0 / out, f"log′(x) = 1/x is computed from the gate's input "
                      f"x = {_n(x)}, not from its output {_n(out)}"))
    elif op == "reciprocal":
        found.append(("input-for-output", -1.0 / (out * out),
                      f"(1/x)′ = −1/x² is computed from the gate's input x = {_n(x)}, not from its output "
                      f"{_n(out)}"))
    return found


def _edge_question(index: int, step: Step, root_name: str, uses_of: dict, contributions: dict,
                   positions: dict) -> Question:
    node, parent, names = step.node, step.parent, step.names
    use = which_use(parent, node, step.argument)
    edge = f"{names[parent]} → {names[node]}{use}"
    # The rule in x and y (the gate's inputs in argument order), unless the gate takes one input twice.
    generic = dict(names)
    parents = [a.value for a in node.arguments if a.kind == "parent"]
    if len(set(parents)) == len(parents):
        for letter, p in zip("xy", parents):
            generic[p] = letter
        wrt = generic[parent]
        rule = f"∂/∂{wrt} {_grouped(gate_expression(node, generic))} = {step._replace(names=generic).formula}; here "
    else:
        rule = ""
    rule += f"∂{names[node]}/∂{names[parent]}{use} = {step.formula}"
    local_hints = (f"the gate's local rule: {rule}",
                   f"with this edge's numbers: {step.formula} = {_with_numbers(step)}",
                   f"the answer: ∂{names[node]}/∂{names[parent]}{use} = {_n(step.local)}")
    local_mistakes = wrong_locals(node, names[node]) + [
        ("sign", -step.local, "the sign is wrong: look again at the rule's minus signs")]
    local = Field("local", f"local derivative of {edge}", step.local, local_hints,
                  _mistakes(step.local, local_mistakes))

    up = f"∂{root_name}/∂{names[node]}"
    grad_hints = (f"the chain rule: gradient = local derivative × upstream, where the upstream is {up}, "
                  f"the gradient of the gate's output {names[node]}",
                  f"with this edge's numbers: gradient = (local derivative) × {_n(step.upstream)}, as {up} = "
                  f"{_n(step.upstream)}",
                  f"the answer: {_n(step.local)} × {_n(step.upstream)} = {_n(step.contribution)}")
    candidates = [("no-upstream", step.local, f"that is the local derivative alone: multiply it by the upstream "
                   f"{up} = {_n(step.upstream)} (the chain rule)")]
    if len(uses_of[node]) > 1:  # passing on part of node's gradient, before all its uses reported
        so_far = 0.0
        for gate, contribution in contributions[node]:
            so_far += contribution
            for partial, what in ((contribution, f"only the part from {names[gate]}"),
                                  (so_far, f"the sum so far, up to {names[gate]}")):
                candidates.append(("naive-order", step.local * partial,
                                   f"that passes on {what} ({_n(partial)}) of {names[node]}'s gradient: "
                                   f"{names[node]} is used {len(uses_of[node])} times and passes its gradient "
                                   f"on only once all its uses have reported, {up} = {_n(step.upstream)}"))
    candidates.append(("sign", -step.contribution, "the sign is wrong: local × upstream, with both signs"))
    candidates += [(m.name, m.value * step.upstream, f"from a wrong local derivative: {m.text}")
                   for m in local.mistakes]
    grad = Field("grad", f"gradient of {edge}", step.contribution, grad_hints,
                 _mistakes(step.contribution, candidates), upstream=step.upstream)
    prompt = f"step {step.index}: ∂{names[node]}/∂{names[parent]}{use} = ?  local × upstream = ?"
    known = None if len(uses_of[parent]) > 1 else (names[parent], step.parent_grad)
    return Question(index, "edge", prompt, (local, grad), gate_kind(node), node, positions[node],
                    step.caption, parent, positions[parent], step.argument, step, known)


def _total_question(index: int, step: Step, root_name: str, uses_of: dict, contributions: dict,
                    positions: dict) -> Question:
    parent, names = step.parent, step.names
    name, parts = names[parent], contributions[parent]
    gates = ", ".join(names[g] + which_use(parent, g, argument) for g, argument in uses_of[parent])
    total = step.parent_grad
    hints = (f"{name} is used {len(parts)} times (by {gates}), and a change in {name} changes {root_name} "
             f"along every one of them: its gradient is the sum over its uses, ∂{root_name}/∂{name} = "
             f"Σ ∂{root_name}/∂gate · ∂gate/∂{name} (the multivariable chain rule)",
             f"with the contributions you found: ∂{root_name}/∂{name} = "
             + " + ".join(f"({_n(c)})" if c < 0 else _n(c) for _, c in parts),
             f"the answer: ∂{root_name}/∂{name} = {_n(total)}")
    last_gate, last = parts[-1]
    candidates = [("overwrite", last, f"that is only the last contribution (from {names[last_gate]}): {name} is "
                   f"used {len(parts)} times, and its gradient is the sum of all of them (+=, not =)")]
    candidates += [("overwrite", c, f"that is only the contribution from {names[g]}: {name}'s gradient is the "
                    f"sum over all {len(parts)} of its uses (+=, not =)") for g, c in parts[:-1]]
    candidates.append(("sign", -total, "the sign is wrong: add the contributions with their signs"))
    field = Field("total", f"total gradient of {name}", total, hints, _mistakes(total, candidates))
    prompt = f"step {step.index}, total: {name} is used by {len(parts)} gates ({gates}); ∂{root_name}/∂{name} = ?"
    answer = (f"∂{root_name}/∂{name} = " + " + ".join(_n(c) for _, c in parts) + f" = {_n(total)}: "
              f"the sum over its {len(parts)} uses")
    return Question(index, "total", prompt, (field,), "sum", parent, positions[parent], answer,
                    known=(name, total))


def _forward_question(index: int, node: Value, names: dict, positions: dict, number: int) -> Question:
    name, by_name = names[node], gate_expression(node, names)
    by_number = gate_expression(node)
    hints = (f"the gate: {name} = {by_name}", f"with its inputs' numbers: {name} = {by_number}",
             f"the answer: {name} = {_n(node.data)}")
    field = Field("value", f"value of {name}", node.data, hints,
                  _mistakes(node.data, [("sign", -node.data, "the sign is wrong")]))
    return Question(index, "forward", f"forward {number}: {name} = {by_name} = ?", (field,), "forward", node,
                    positions[node], f"forward: {name} = {by_name} = {by_number} = {_n(node.data)}")


def practice_questions(root: Value, forward: bool = False) -> list[Question]:
    """The questions of practising backprop on `root`'s graph, in order (see the module's docstring).

    Worked out on the side (`backprop.walk`): every value and `.grad` stays as it was.
    """
    expect_value(root, "practice_questions", "practice_questions(f) for the output f")
    backprop = walk(root)
    order = backprop.order
    positions = {node: i for i, node in enumerate(order)}
    names = backprop.steps[0].names if backprop.steps else {root: root.label or "output"}
    root_name = names[root]
    uses_of: dict[Value, list[tuple[Value, int]]] = {node: [] for node in order}  # (gate, argument) per use
    for gate in order:
        for edge in gate.edges:
            uses_of[edge.parent].append((gate, edge.argument))
    contributions: dict[Value, list[tuple[Value, float]]] = {node: [] for node in order}
    for step in backprop.steps:
        contributions[step.parent].append((step.node, step.contribution))
    questions: list[Question] = []
    if forward:
        for node in order:
            if not node.is_leaf:
                questions.append(_forward_question(len(questions) + 1, node, names, positions,
                                                   sum(q.kind == "forward" for q in questions) + 1))
    heard: dict[Value, int] = dict.fromkeys(order, 0)
    for step in backprop.steps:
        questions.append(_edge_question(len(questions) + 1, step, root_name, uses_of, contributions, positions))
        heard[step.parent] += 1
        if len(uses_of[step.parent]) > 1 and heard[step.parent] == len(uses_of[step.parent]):
            questions.append(_total_question(len(questions) + 1, step, root_name, uses_of, contributions,
                                             positions))
    return questions
