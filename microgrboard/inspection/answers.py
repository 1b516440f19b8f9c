"""`parse_answer(text)`: a learner's answer read as a number, by a small safe parser (never `eval`).

An answer may be a number or an arithmetic expression over numbers, as a learner works it out from
the numbers shown: `0.3679*-0.5344`, `1-0.73`, `e^-1`, `exp(-1)`, `-1/2.368^2`, `σ(1)*(1-σ(1))`.

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "×" | "·" | "/" | "÷") unary)*
    unary      := ("+" | "-") unary | power
    power      := atom (("^" | "**") unary)?          right-associative: 2^-1, e^-x; -2^2 = -(2^2)
    atom       := number | "e" | "π" | "pi" | function "(" expression ")" | "(" expression ")"
    function   := exp | log | ln | σ | sigmoid | tanh

Anything else is refused with an `AnswerError` that says what could not be read. No input can make it
slow: an answer is at most `MAX_LENGTH` characters and `MAX_DEPTH` parentheses deep, the work is one
pass over it, and every result must be a finite float (so 10^10^10 is refused, not computed).

viz/static/answers.js is this parser's twin, rule for rule, so the practice page reads answers the
same way (tests/test_answers.py holds them to the same results).
"""

from __future__ import annotations

import math
import re

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "AnswerError", "parse_answer"]

MAX_LENGTH = 200  # characters: far more than any answer worked out by hand
MAX_DEPTH = 20  # nested parentheses, functions and signs
WHAT_WORKS = "write a number or an expression: numbers, + − × ÷ ^, ( ), e, π, and exp, log, σ, tanh"

SPACES = " \t\r\n"  # the only blanks between tokens (the same in the page's twin)
_TOKEN = re.compile(r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)|(?P<name>[A-Za-z_σπ]+)"
                    r"|(?P<op>\*\*|[-+*/^()×·÷−])")
_OPERATORS = {"−": "-", "×": "*", "·": "*", "÷": "/", "**": "^"}  # the other ways of writing them
_CONSTANTS = {"e": math.e, "pi": math.pi, "π": math.pi}
_FUNCTIONS = {"exp": "exp", "log": "log", "ln": "log", "σ": "sigmoid", "sigmoid": "sigmoid", "tanh": "tanh"}


class AnswerError(ValueError):
    """An answer that is not a number or an expression the parser reads; the message says why."""


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: "number", "name" or "op" (operators in their one spelling), then ("end", "")."""
    tokens, at = [], 0
    while True:
        while at < len(text) and text[at] in SPACES:
            at += 1
        if at == len(text):
            return tokens + [("end", "")]
        match = _TOKEN.match(text, at)
        if match is None:
            raise AnswerError(f"cannot read {text!r}: {text[at]!r} is not part of a number or an expression; "
                              f"{WHAT_WORKS}")
        kind = match.lastgroup
        word = match.group(kind)
        tokens.append((kind, _OPERATORS.get(word, word) if kind == "op" else word))
        at = match.end()


def _finite(x: float, what: str) -> float:
    if math.isfinite(x):
        return x
    raise AnswerError(f"{what} is too large to be an answer (beyond ±1.8e308)")


def _apply(function: str, x: float) -> float:
    """One of the functions, on a number; its own error where it is undefined."""
    if function == "exp":
        if x > 709.78:
            raise AnswerError(f"exp({x:g}) is too large to be an answer")
        return math.exp(x)
    if function == "log":
        if x <= 0.0:
            raise AnswerError(f"log({x:g}) is undefined: log needs a number > 0")
        return math.log(x)
    if function == "tanh":
        return math.tanh(x)
    # σ(x) = 1/(1 + e^−x), written so that exp never sees a large positive number
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _power(base: float, exponent: float) -> float:
    if base == 0.0 and exponent < 0.0:
        raise AnswerError(f"0^{exponent:g} divides by zero")
    if base < 0.0 and not exponent.is_integer():
        raise AnswerError(f"({base:g})^{exponent:g}: a negative number to a fractional power has no real value")
    try:
        return _finite(math.pow(base, exponent), f"{base:g}^{exponent:g}")
    except OverflowError:
        raise AnswerError(f"{base:g}^{exponent:g} is too large to be an answer") from None


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at]

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, why: str) -> AnswerError:
        return AnswerError(f"cannot read {self.text!r}: {why}; {WHAT_WORKS}")

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AnswerError(f"cannot read {self.text[:40]!r}…: more than {MAX_DEPTH} levels of parentheses, "
                              "functions or signs")

    def expression(self) -> float:
        value = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            right = self.term()
            value = _finite(value + right if op == "+" else value - right, "the sum")
        return value

    def term(self) -> float:
        value = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            right = self.unary()
            if op == "/" and right == 0.0:
                raise AnswerError(f"cannot read {self.text!r}: it divides by zero")
            value = _finite(value * right if op == "*" else value / right, "the product")
        return value

    def unary(self) -> float:
        if self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            self.deeper()
            value = self.unary()
            self.depth -= 1
            return -value if op == "-" else value
        return self.power()

    def power(self) -> float:
        base = self.atom()
        if self.peek() == ("op", "^"):
            self.take()
            self.deeper()
            exponent = self.unary()
            self.depth -= 1
            return _power(base, exponent)
        return base

    def atom(self) -> float:
        kind, word = self.take()
        if kind == "number":
            return _finite(float(word), word)
        if kind == "name" and word in _CONSTANTS:
            return _CONSTANTS[word]
        if kind == "name" and word in _FUNCTIONS:
            if self.peek() != ("op", "("):
                raise self.fail(f"{word} needs its argument in parentheses, e.g. {word}(-1)")
            self.take()
            return _apply(_FUNCTIONS[word], self.inner())
        if (kind, word) == ("op", "("):
            return self.inner()
        if kind == "name":
            raise self.fail(f"{word!r} is not a number, a constant or a function I know")
        if kind == "end":
            raise self.fail("it ends where a number should come")
        raise self.fail(f"{word!r} comes where a number should")

    def inner(self) -> float:
        """What is inside parentheses (the opening one is taken), and the closing one."""
        self.deeper()
        value = self.expression()
        self.depth -= 1
        if self.take() != ("op", ")"):
            raise self.fail("a parenthesis is not closed")
        return value


def parse_answer(text: str | float | int) -> float:
    """The number an answer stands for: a plain number as it is, a text read by the safe parser.

    >>> parse_answer("0.3679*-0.5344")
    -0.19660576
    >>> parse_answer("e^-1") == parse_answer("exp(-1)")
    True
    """
    if isinstance(text, bool):
        raise AnswerError(f"{text!r} is not a number: {WHAT_WORKS}")
    if isinstance(text, (int, float)):
        number = float(text)
        if not math.isfinite(number):
            raise AnswerError(f"{text!r} is not a finite number")
        return number
    if not isinstance(text, str):
        raise AnswerError(f"an answer is a number or a text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"an answer of {len(text)} characters is too long (at most {MAX_LENGTH})")
    if not text.strip():
        raise AnswerError(f"the answer is empty: {WHAT_WORKS}")
    parser = _Parser(text)
    value = parser.expression()
    kind, word = parser.peek()
    if kind != "end":
        raise parser.fail(f"{word!r} comes after a complete answer (a missing operator?)")
    return 0.0 if value == 0.0 else value  # −0 reads as 0
