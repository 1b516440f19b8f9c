"""How an operation is written: in formulas (terms with a binding strength) and on diagram gates.

The table of primitives (`primitives.py`) gives each operation a *writer* and a *gate*, made with
the helpers here:

- A writer takes the terms of a gate's arguments, in argument order (a parent Value's expression
  or a folded number alike), and returns the gate's own term. Each term knows how tightly it binds,
  so the writer adds exactly the parentheses that precedence needs. A term that is a negation (−x)
  or a reciprocal (1/x) also keeps the term it undoes, so a sum can write x + (−y) as x − y and a
  product x·(1/y) as x/y, as a person would.
- A gate takes the numbers folded into the gate, one per argument (None where the argument is a
  Value), and returns the gate's text on a diagram: "+", "+1", "×−1", "÷2", "σ".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Optional

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
    """A number as a person writes it: 1 rather than 1.0, 0.1 rather than 0.1000000000000000055."""
    return format(number, f".{digits}g")


def number_term(number: float, digits: int = 6) -> Term:
    """A plain number as a term; a negative one is the negation of its absolute value."""
    text = number_text(number, digits)
    if number < 0:
        return Term(text, NEGATION, number, negates=Term(number_text(-number, digits), ATOM, -number))
    return Term(text, ATOM, number)


Writer = Callable[[Sequence[Term]], Term]
Gate = Callable[[Sequence[Optional[float]]], str]


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
    return lambda numbers: text


def with_number(plain: str, folded: str) -> Gate:
    """A gate that shows `plain` between Values and `folded` ('÷{c}', '{c}**x') with a number in it."""
    def gate(numbers: Sequence[float | None]) -> str:
        folded_in = [n for n in numbers if n is not None]
        return folded.format(c=gate_number(folded_in[0])) if folded_in else plain

    return gate
