"""How an operation is written: in formulas (terms with a binding strength) and on diagram gates.

The table of primitives (`primitives.py`) gives each operation a *writer* and a *gate*, made with
the helpers here:

- A writer takes the terms of a gate's arguments, in argument order (a parent Value's expression
  or a folded number alike), and returns the gate's own term. Each term knows how tightly it binds,
  so the writer adds exactly the parentheses that precedence needs. A term that is a negation (−x)
  or a reciprocal (1/x) also keeps the term it undoes, so a sum can write x + (−y) as x − y and a
  product x·(1/y) as x/y, as a person would.
- A gate is data (`Gate`): its text between Values and, with a number folded into it, a template where
  "{c}" marks the number's place, so a diagram writes "+", "+1", "×−1", "÷2", "σ", and the page's engine
  reads the same templates.
- `number_text` is the one number format of every text and page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

# Binding strength: a sub-expression weaker than its context gets parentheses.
SUM, PRODUCT, NEGATION, POWER, ATOM = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Term:
    """A written expression: its text, how tightly it binds, and what it undoes, if anything."""

    text: str
    strength: int = ATOM
    number: float | None = None  # the number, when the term is a plain number
    negates: Term | None = None  # this term is −(negates)
    inverts: Term | None = None  # this term is 1/(inverts)

    def at(self, strength: int) -> str:
        """The text, in parentheses if it binds more weakly than `strength` requires."""
        return f"({self.text})" if self.strength < strength else self.text


def number_text(number: float, digits: int = 6) -> str:
    """A number as a person writes it, to `digits` significant digits: 1 rather than 1.0, 0.1 rather than
    0.1000000000000000055, 0 rather than −0, and an integer too long to read as 1.00e+400.

    The one number format of every text and page (viz/static/engine.js's formatG is its twin): captions,
    explanations, messages, formulas and diagram labels.
    """
    if isinstance(number, int) and not isinstance(number, bool) and abs(number) >= 10**16:
        # possibly beyond a float's range: rounded from its exact digits, as format(float(n)) would
        mantissa, exponent = format(Decimal(number), f".{max(digits, 1) - 1}e").split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e+{int(exponent):02d}"
    try:
        return format(number + 0.0, f".{digits}g")  # + 0.0 turns −0.0 into 0.0
    except TypeError:  # not a number: say what it is
        return repr(number)


def number_term(number: float, digits: int = 6) -> Term:
    """A plain number as a term; a negative one is the negation of its absolute value."""
    text = number_text(number, digits)
    if number < 0:
        return Term(text, NEGATION, number, negates=Term(number_text(-number, digits), ATOM, -number))
    return Term(text, ATOM, number)


Writer = Callable[[Sequence[Term]], Term]


@dataclass(frozen=True)
class Gate:
    """A gate's text on a diagram, as data: `plain` between Values; with a number folded in,
    `positive` (for a number ≥ 0) or `negative`, where "{c}" marks the number's place ("÷{c}", "+{c}").

    Data rather than a function, so the page's engine reads the same templates the diagrams use.
    """

    plain: str
    positive: str | None = None  # None: the gate shows `plain` whatever number is folded in
    negative: str | None = None  # None: the same as `positive`

    def __post_init__(self) -> None:
        if self.positive is None:
            object.__setattr__(self, "positive", self.plain)
        if self.negative is None:
            object.__setattr__(self, "negative", self.positive)

    def __call__(self, numbers: Sequence[float | None]) -> str:
        """The gate's text, given the number folded into each argument (None where it is a Value)."""
        folded = [n for n in numbers if n is not None]
        if not folded:
            return self.plain
        form = self.positive if folded[0] >= 0 else self.negative
        return form.replace("{c}", gate_number(folded[0]))


def function(name: str) -> Writer:
    """f(x): the writer of a named function such as exp, log or σ."""
    return lambda terms: Term(f"{name}({terms[0].text})", ATOM)


def template(text: str, strength: int, *needs: int) -> Writer:
    """A writer from a template: '{0}**{1}' with the strength of the result and of each argument."""
    return lambda terms: Term(text.format(*(t.at(need) for t, need in zip(terms, needs))), strength)


def gate_number(number: float) -> str:
    """A number on a gate, with a real minus sign: ×−1 rather than ×-1."""
    return number_text(number).replace("-", "−")


def symbol(text: str) -> Gate:
    """A gate that always shows the same symbol (σ, exp, 1/x)."""
    return Gate(text)


def with_number(plain: str, folded: str, negative: str | None = None) -> Gate:
    """A gate that shows `plain` between Values and `folded` ('÷{c}', '{c}**x') with a number in it
    (`negative`, if given, for a number < 0: the add gate writes +1 but −3)."""
    return Gate(plain, folded, negative)
