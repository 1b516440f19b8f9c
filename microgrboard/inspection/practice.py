"""`practice(root)`: practise backprop in a REPL or a graded notebook cell, one step at a time.

    >>> from microgrboard import practice
    >>> from microgrboard.circuits import sigmoid_neuron
    >>> f, _ = sigmoid_neuron(fused=False)
    >>> p = practice(f)
    >>> p
    step 1: ∂f/∂add11 = ?  local × upstream = ?
    >>> p.answer(local="-1/1.368^2", grad="-0.5344*1").correct
    True

Printing the session shows the current question; `.answer(local=..., grad=...)` checks the numbers
(or expressions, read by `answers.parse_answer`) against the recorded ones, within the tolerance of
`questions.close`, and returns a `Feedback`: `.correct`, `.mistake` (a classic mistake's name, or
None), `.hint` (after a wrong answer, the next hint: the rule, then the rule with this edge's numbers,
then the answer) and `.expected` (once the question is over). `.hint()` asks for the next hint,
`.reveal()` shows the answer; `.score` counts right first time / after hints / revealed and `.summary`
says, per kind of gate, how many steps were right first time.

viz/static/practice.js plays the same rules on the practice page, from the same questions.
Practising only looks: every value and `.grad` in the graph stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .._util.expect import expect_value
from .answers import parse_answer
from .questions import Field, Question, close, practice_questions

if TYPE_CHECKING:
    from ..engine.value import Value

__all__ = ["Feedback", "Practice", "Score", "practice", "summary_text"]

HINTS = 3  # the rule, the rule with the numbers, the answer
WORDS = {"value": "value", "local": "local derivative", "grad": "gradient", "total": "total gradient"}


def _n(x: float) -> str:
    return format(x, ".4g")


class Score(NamedTuple):
    """Questions answered right first time, right after a wrong answer or a hint, and revealed."""

    first_time: int
    after_hints: int
    revealed: int
    questions: int  # how many questions the session has

    def __str__(self) -> str:
        done = self.first_time + self.after_hints + self.revealed
        return (f"{self.first_time} right first time, {self.after_hints} after hints, {self.revealed} revealed "
                f"({done} of {self.questions} questions)")


@dataclass
class _FieldState:
    done: bool = False
    revealed: bool = False
    misses: int = 0
    hints: int = 0  # how many of the field's hints have been shown
    given: float | None = None  # the last number given


@dataclass(frozen=True)
class Feedback:
    """What a check says: whether every number given was right, the classic mistake a wrong one
    matches, the hint that comes with it, and the right numbers once the question is over."""

    question: Question
    correct: bool
    mistake: str | None
    hint: str | None
    expected: dict[str, float] | None
    message: str
    done: bool  # the question is over: every field right or revealed
    next: str | None = None  # the next question's prompt, when this one is over
    mistakes: dict[str, str] = field(default_factory=dict)  # field name → mistake name, for each named one

    def __str__(self) -> str:
        return self.message

    __repr__ = __str__


def summary_text(results: list[tuple[str, str]]) -> str:
    """Per kind of gate, how many of its questions were right first time; and what to look at again.

    `results` holds (kind, outcome) per question over: outcome "first", "hints" or "revealed"; kind a
    gate's ("×", "exp", …), "sum" for a total over uses, "forward" for a value. The page writes the same.
    """
    kinds: dict[str, list[int]] = {}
    for kind, outcome in results:
        counts = kinds.setdefault(kind, [0, 0])
        counts[0] += outcome == "first"
        counts[1] += 1
    names = {"sum": "sums over uses", "forward": "forward values"}
    parts = [f"{names.get(kind, kind)}: {right} of {total}" for kind, (right, total) in kinds.items()]
    again = [kind for kind, (right, total) in kinds.items() if right < total]
    if not parts:
        return "nothing answered yet"
    rules = {"sum": "how a gradient sums over a node's uses", "forward": "the forward pass"}
    if not again:
        return ", ".join(parts) + " — every one right first time"
    return ", ".join(parts) + " — look again at " + " and ".join(rules.get(k, f"{k}'s rule") for k in again)


class Practice:
    """A practice session on one graph: the questions in order, and how each was answered."""

    def __init__(self, root: Value, forward: bool = False) -> None:
        self.root = expect_value(root, "practice", "practice(f) for the output f")
        self.questions: list[Question] = practice_questions(root, forward=forward)
        self.position = 0
        self.outcomes: list[str] = []  # per question over: "first", "hints" or "revealed"
        self._state = self._fresh()

    def _fresh(self) -> dict[str, _FieldState]:
        return {f.name: _FieldState() for f in self.current.fields} if self.current is not None else {}

    @property
    def current(self) -> Question | None:
        """The question being asked (None once every question is over)."""
        return self.questions[self.position] if self.position < len(self.questions) else None

    @property
    def done(self) -> bool:
        return self.position >= len(self.questions)

    @property
    def score(self) -> Score:
        return Score(self.outcomes.count("first"), self.outcomes.count("hints"), self.outcomes.count("revealed"),
                     len(self.questions))

    @property
    def summary(self) -> str:
        return summary_text([(q.gate, o) for q, o in zip(self.questions, self.outcomes)])

    def __str__(self) -> str:
        if self.current is None:
            return f"done: {self.score}\n{self.summary}"
        return self.current.prompt

    __repr__ = __str__

    @property
    def pending(self) -> list[Field]:
        """The current question's numbers still to find (right or revealed ones are done)."""
        return [f for f in self.current.fields if not self._state[f.name].done] if self.current else []

    def _expect_question(self, what: str) -> Question:
        if self.current is None:
            raise ValueError(f"{what}: the practice is over ({self.score}); start again with practice(f)")
        return self.current

    def answer(self, local: object = None, grad: object = None, value: object = None,
               total: object = None) -> Feedback:
        """Check the numbers for the current question: `local` and `grad` for a backprop step, `total`
        (or `grad`) for a node's total over its uses, `value` for a forward value. Each is a number or
        an expression ("0.3679*-0.5344", "e^-1"); an expression that cannot be read raises AnswerError
        before anything is checked."""
        question = self._expect_question("answer")
        if question.kind == "total" and total is None:
            total, grad = grad, None
        given = {name: answer for name, answer in (("local", local), ("grad", grad), ("value", value),
                                                   ("total", total)) if answer is not None}
        asked = [f.name for f in question.fields]
        extra = [name for name in given if name not in asked]
        if extra or not given:
            wanted = ", ".join(f"{name}=..." for name in asked)
            raise ValueError(f"{question.prompt}: this question asks for {wanted}"
                             + (f", not {', '.join(extra)}" if extra else ""))
        numbers = {name: parse_answer(answer) for name, answer in given.items()}  # all read before any check
        lines, mistakes, hint, correct = [], {}, None, True
        for f in question.fields:
            state = self._state[f.name]
            if f.name not in numbers or state.done:
                continue
            number = state.given = numbers[f.name]
            if close(number, f.expected):
                state.done = True
                lines.append(f"✓ {WORDS[f.name]}: right ({_n(f.expected)})")
                continue
            correct = False
            state.misses += 1
            text = self._why_wrong(question, f, number)
            named = f.mistake(number)
            if named is not None:
                mistakes[f.name] = named.name
            state.hints += 1
            shown = f.hints[min(state.hints, HINTS) - 1]
            if state.hints >= HINTS:
                state.done = state.revealed = True
            hint = hint or shown
            lines.append(f"✗ {WORDS[f.name]}: {_n(number)} is not right — {text}\n  hint: {shown}")
        return self._feedback(question, correct and bool(lines), lines, mistakes, hint)

    def _why_wrong(self, question: Question, f: Field, number: float) -> str:
        named = f.mistake(number)
        if named is not None:
            return f"{named.name}: {named.text}"
        local = self._state.get("local")
        if f.name != "grad" or local is None or local.given is None or f.upstream is None:
            return "look at the hint"
        if not close(local.given, question.field("local").expected) and close(number, local.given * f.upstream):
            return ("it is your local derivative × the upstream: the chain rule is right, the local derivative "
                    "is what is wrong")
        return "look at the hint"

    def hint(self) -> str:
        """The next hint for the first number still to find: the rule, then the rule with this edge's
        numbers, then the answer (which reveals that number)."""
        question = self._expect_question("hint")
        f = self.pending[0]
        state = self._state[f.name]
        state.hints += 1
        text = f.hints[min(state.hints, HINTS) - 1]
        if state.hints >= HINTS:
            state.done = state.revealed = True
            self._finish_if_over(question)
        return f"{WORDS[f.name]}: {text}"

    def reveal(self) -> Feedback:
        """Show the answer to the current question (it counts as revealed) and move on."""
        question = self._expect_question("reveal")
        for f in self.pending:
            self._state[f.name].done = self._state[f.name].revealed = True
        return self._feedback(question, False, ["revealed:"], {}, None)

    def _finish_if_over(self, question: Question) -> bool:
        states = self._state.values()
        if not all(s.done for s in states):
            return False
        if any(s.revealed for s in states):
            outcome = "revealed"
        elif any(s.misses or s.hints for s in states):
            outcome = "hints"
        else:
            outcome = "first"
        self.outcomes.append(outcome)
        self.position += 1
        self._state = self._fresh()
        return True

    def _feedback(self, question: Question, correct: bool, lines: list[str], mistakes: dict[str, str],
                  hint: str | None) -> Feedback:
        over = self._finish_if_over(question)
        expected = {f.name: f.expected for f in question.fields} if over else None
        following = self.current.prompt if over and self.current is not None else None
        message = "\n".join(lines)
        if over:
            message += f"\n{question.answer}" + (f"\nnext: {following}" if following else
                                                  f"\ndone: {self.score}\n{self.summary}")
        mistake = next(iter(mistakes.values()), None)
        return Feedback(question, correct, mistake, hint, expected, message, over, following, mistakes)


def practice(root: Value, forward: bool = False) -> Practice:
    """A practice session on `root`'s graph: each backprop step's local derivative and gradient (and
    with `forward=True`, first each gate's output), checked as you answer. Nothing in the graph changes."""
    return Practice(root, forward=forward)
