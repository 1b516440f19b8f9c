"""The table of primitives: everything about each operation, in one entry.

Every node of a graph is made by exactly one primitive below. An entry holds, side by side:

- `rule`: on plain floats, the output together with the local derivative of the output with respect
  to each input, so the forward value and the derivative backprop will use are computed in one place;
  it raises a clear error where the math is undefined (`Value` checks every result is finite);
- `batch_rule`: the same rule on numpy arrays, one entry per example, for the batch compiler;
- `local_text`: each local derivative as a formula, for the explainer (x, y: the arguments;
  n or c: the number parameter);
- `write`: how a formula writes the operation (a template and its binding strength, `notation`);
- `gate`: its text on a diagram's gate, with any number folded in ("+1", "×−1", "÷2", "σ");
- `flat`: the word `why` uses where the local derivative vanishes at the gate's input ("off" for
  relu, "saturated" for σ and tanh, "flat" for any other);
- `method`: the name of the `Value` method that applies a one-input primitive (`x.exp()`), and
  `parameter`: the name of a one-input primitive's number parameter (pow's n, div's c), if any.

Adding an operation is one entry: write its rule and batch rule, make the `Primitive`, and pass it to
`microgrboard.register_primitive` (or add it to `BUILT_IN` below). Backward, `backward_steps`,
`explain`, `formula`, the diagrams, the boards and the batch compiler then all work with it, because
each of them reads the entry and nothing else about the operation.

Derived operations are not primitives: `Value` builds neg, sub and division by a Value from these
gates, exactly as the circuit diagrams of backprop draw them (×−1, +, 1/x, ×). Division by a plain
number is its own gate (÷c), as the diagrams draw it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .notation import (
    ATOM,
    NEGATION,
    POWER,
    PRODUCT,
    SUM,
    Gate,
    Term,
    Writer,
    function,
    gate_number,
    symbol,
    template,
    with_number,
)


@dataclass(frozen=True)
class Primitive:
    """One operation: its rules, how formulas and diagrams write it, and how a Value applies it.

    `rule(x)` (one input) returns ``(out, d_out/dx)``, or with a parameter `rule(x, n)`;
    `rule(x, y)` (two inputs) returns ``(out, d_out/dx, d_out/dy)``. `batch_rule` is the same rule on
    numpy arrays (one entry per example); it does not check its domain: the compiler checks that every
    result is finite and, where one is not, asks `rule` for that example's error.
    """

    name: str
    arity: int  # how many Value inputs: 1 (plus an optional number parameter) or 2
    rule: Callable[..., tuple[float, ...]]
    batch_rule: Callable[..., tuple]
    local_text: tuple[str, ...]
    write: Writer
    gate: Gate
    method: str | None = None
    parameter: str | None = None
    flat: str = "flat"  # what `why` calls the gate where its local derivative vanishes: "off", "saturated"
    js: str | None = None  # the rule's JavaScript twin, "function (x[, y or n]) { return [out, local...]; }"

    def __post_init__(self) -> None:
        if self.arity not in (1, 2) or len(self.local_text) != self.arity:
            raise ValueError(f"primitive {self.name!r}: arity must be 1 or 2, with one local_text per input")
        if self.parameter is not None and self.arity != 1:
            raise ValueError(f"primitive {self.name!r}: only a one-input primitive takes a number parameter")

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


FLOAT_MAX = sys.float_info.max  # 1.7976931348623157e+308, the largest finite float


def overflow_error(op: str, args: tuple, what: str = "the result", small: str | None = None) -> OverflowError:
    """An OverflowError that says which operation on which numbers overflowed, and why.

    `what` names the number that overflowed ("the result", "the local derivative d/dx"); `small` names
    the input whose closeness to 0 caused it (1/x, log's 1/x, x**-n), when that is the cause.
    """
    shown = ", ".join(repr(a) for a in args)
    if small is not None:
        cause = f"{small} is too small (too close to 0); keep it away from 0, e.g. add a small epsilon"
    else:
        cause = "scale your inputs down"
    return OverflowError(f"{op}({shown}): {what} is too large for a float (beyond ±{FLOAT_MAX:.4g}); {cause}")


def _finite(number: float, op: str, args: tuple, what: str = "the result", small: str | None = None) -> float:
    """Return `number` if it is finite; an infinite value means the op overflowed."""
    if number - number == 0.0:  # inf − inf and NaN are NaN
        return number
    raise overflow_error(op, args, what, small)


def _near_zero(x: float, name: str = "x") -> str | None:
    """For a power or quotient that overflowed: `name` when |x| < 1 (so x was too small), else None."""
    return name if abs(x) < 1.0 else None


# --- binary primitives -----------------------------------------------------------------------


def _add(x: float, y: float) -> tuple[float, float, float]:
    # d(x+y)/dx = 1, d(x+y)/dy = 1: addition routes the upstream gradient unchanged.
    return x + y, 1.0, 1.0


def _mul(x: float, y: float) -> tuple[float, float, float]:
    # d(xy)/dx = y, d(xy)/dy = x: multiplication swaps its inputs.
    return x * y, y, x


def _pow_var(x: float, y: float) -> tuple[float, float, float]:
    # x^y = e^(y ln x):  d/dx = y·x^(y−1),  d/dy = x^y·ln x  (needs x > 0 for ln x)
    if x <= 0.0:
        raise ValueError(
            f"pow_var({x!r}, {y!r}): a Value exponent needs a base > 0, because "
            f"d(x**y)/dy = x**y * log(x) and log(x) is undefined for x = {x!r}; "
            "use a plain number as the exponent if you do not need its gradient"
        )
    args, small = (x, y), _near_zero(x, "the base x, for this exponent,")
    try:
        out = x**y
        dx = y * x ** (y - 1.0)
    except OverflowError:
        raise overflow_error("pow_var", args, small=small) from None
    dy = out * math.log(x)
    return out, _finite(dx, "pow_var", args, "the local derivative d/dx", small), \
        _finite(dy, "pow_var", args, "the local derivative d/dy = x**y·ln x", small)


# --- unary primitives (pow and div carry their number as a parameter) ------------------------


def _pow(x: float, n: float) -> tuple[float, float]:
    # d(x^n)/dx = n·x^(n−1)  (power rule)
    if x < 0.0 and not float(n).is_integer():
        raise ValueError(
            f"pow({x!r}, {n!r}): a negative base with a fractional exponent has no real value"
        )
    if x == 0.0 and n < 1.0 and n != 0.0:
        kind = "is undefined" if n < 0.0 else "has an infinite derivative"
        raise ZeroDivisionError(f"pow(0.0, {n!r}): x**{n!r} {kind} at x = 0")
    args, small = (x, n), _near_zero(x, "the base x, for this exponent,")
    try:
        out = x**n
        dx = n * x ** (n - 1.0) if n != 0.0 else 0.0
    except OverflowError:
        raise overflow_error("pow", args, small=small) from None
    return _finite(out, "pow", args, small=small), _finite(dx, "pow", args, "the local derivative d/dx", small)


def _div(x: float, c: float) -> tuple[float, float]:
    # d(x/c)/dx = 1/c  (division by a plain number; a Value divisor goes through reciprocal)
    if c == 0.0:
        raise ZeroDivisionError(f"div({x!r}, 0.0): division by zero")
    args, small = (x, c), _near_zero(c, "the divisor c")
    return _finite(x / c, "div", args, small=small), _finite(1.0 / c, "div", args, "the local derivative 1/c", small)


def _exp(x: float) -> tuple[float, float]:
    # d(e^x)/dx = e^x: the local derivative is the output itself.
    try:
        out = math.exp(x)
    except OverflowError:
        raise OverflowError(
            f"exp({x!r}) is too large for a float (exp overflows above x ≈ 709.78); "
            "scale your inputs down, or use sigmoid/tanh, which never overflow"
        ) from None
    return out, out


def _log(x: float) -> tuple[float, float]:
    # d(ln x)/dx = 1/x
    if x <= 0.0:
        raise ValueError(
            f"log({x!r}) is undefined: log needs x > 0; "
            "if x is a probability, keep it away from 0 (e.g. clip it to [1e-12, 1])"
        )
    return math.log(x), _finite(1.0 / x, "log", (x,), "the local derivative 1/x", "x")


def _reciprocal(x: float) -> tuple[float, float]:
    # d(1/x)/dx = −1/x²
    if x == 0.0:
        raise ZeroDivisionError("reciprocal(0.0): 1/x is undefined at x = 0 (division by zero)")
    out = _finite(1.0 / x, "reciprocal", (x,), small="x")
    return out, _finite(-out * out, "reciprocal", (x,), "the local derivative −1/x²", "x")


def _sigmoid(x: float) -> tuple[float, float]:
    # σ(x) = 1/(1+e^−x), dσ/dx = σ(1−σ). Written so exp never sees a large positive argument:
    # for x < 0 use σ(x) = e^x/(1+e^x), which is stable all the way to x = −1e308.
    if x >= 0.0:
        out = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        out = e / (1.0 + e)
    return out, out * (1.0 - out)


def _tanh(x: float) -> tuple[float, float]:
    # d(tanh x)/dx = 1 − tanh²x  (math.tanh saturates to ±1 without overflow)
    out = math.tanh(x)
    return out, 1.0 - out * out


def _softplus(x: float) -> tuple[float, float]:
    # softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|), so exp never overflows; d/dx = σ(x).
    # log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z): the safe way to a log-likelihood.
    if x >= 0.0:
        e = math.exp(-x)
        return x + math.log1p(e), 1.0 / (1.0 + e)
    e = math.exp(x)
    return math.log1p(e), e / (1.0 + e)


def _relu(x: float) -> tuple[float, float]:
    # relu(x) = max(0, x); derivative 1 for x > 0 and 0 otherwise (0 at x = 0, as in PyTorch)
    if x > 0.0:
        return x, 1.0
    return (0.0 if x <= 0.0 else x), 0.0  # a NaN passes through, for Value's finiteness check



# --- the same rules on numpy arrays, for the batch compiler (`microgrboard.compiler`) ----------
# Each mirrors the scalar rule above it in the table below, operation for operation, so a batch
# gives the same floats as the eager engine example by example.


def _batch_sigmoid(x):
    e = np.exp(-np.abs(x))  # e^−|x| ≤ 1: the two stable branches of _sigmoid at once
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e)), e


def _batch_sigmoid_rule(x):
    out, _ = _batch_sigmoid(x)
    return out, out * (1.0 - out)


def _batch_softplus(x):
    s, e = _batch_sigmoid(x)
    return np.where(x >= 0.0, x + np.log1p(e), np.log1p(e)), s


def _batch_pow_var(x, y):
    out = x**y
    return out, y * x ** (y - 1.0), out * np.log(x)


def _batch_pow(x, n):
    return x**n, (n * x ** (n - 1.0) if n != 0.0 else np.zeros_like(x))


def _batch_exp(x):
    out = np.exp(x)
    return out, out


def _batch_reciprocal(x):
    out = 1.0 / x
    return out, -out * out


def _batch_tanh(x):
    out = np.tanh(x)
    return out, 1.0 - out * out


# --- how formulas write add and mul: x + (−y) as x − y, −1·x as −x, and x·(1/y) as x/y ---------


def _write_add(terms: list[Term]) -> Term:
    x, y = terms
    if y.negates is not None:
        return Term(f"{x.at(SUM)} - {y.negates.at(PRODUCT)}", SUM)
    return Term(f"{x.at(SUM)} + {y.at(SUM)}", SUM)


def _write_mul(terms: list[Term]) -> Term:
    x, y = terms
    if y.number == -1.0:
        return Term(f"-{x.at(POWER)}", NEGATION, negates=x)
    if y.inverts is not None:
        return Term(f"{x.at(PRODUCT)}/{y.inverts.at(POWER)}", PRODUCT)
    return Term(f"{x.at(PRODUCT)}*{y.at(POWER)}", PRODUCT)


def _write_reciprocal(terms: list[Term]) -> Term:
    return Term(f"1/{terms[0].at(ATOM)}", PRODUCT, inverts=terms[0])


def _add_gate(numbers) -> str:
    folded = [n for n in numbers if n is not None]
    if not folded:
        return "+"
    return f"+{gate_number(folded[0])}" if folded[0] >= 0 else gate_number(folded[0])


_POWER_TEMPLATE = template("{0}**{1}", POWER, ATOM, POWER)  # right-associative: the base binds tighter

# --- the table ------------------------------------------------------------------------------------
# Each entry's `js` is its rule in JavaScript, operation for operation, for the playground's engine
# (viz/static/engine.js): the same floats as `rule`; where `rule` raises, it returns a NaN or an
# infinity, which the page's engine refuses with a message.

ADD = Primitive("add", 2, _add, lambda x, y: (x + y, 1.0, 1.0), ("1", "1"), _write_add, _add_gate,
                js="function (x, y) { return [x + y, 1, 1]; }")
MUL = Primitive("mul", 2, _mul, lambda x, y: (x * y, y, x), ("y", "x"), _write_mul, with_number("×", "×{c}"),
                js="function (x, y) { return [x * y, y, x]; }")
POW_VAR = Primitive("pow_var", 2, _pow_var, _batch_pow_var, ("y·x**(y−1)", "x**y·ln x"), _POWER_TEMPLATE,
                    with_number("**", "{c}**x"),
                    js="function (x, y) { var out = Math.pow(x, y); "
                       "return [out, y * Math.pow(x, y - 1), out * Math.log(x)]; }")
POW = Primitive("pow", 1, _pow, _batch_pow, ("n·x**(n−1)",), _POWER_TEMPLATE, with_number("**", "**{c}"),
                parameter="n", js="function (x, n) { return [Math.pow(x, n), n !== 0 ? n * Math.pow(x, n - 1) : 0]; }")
DIV = Primitive("div", 1, _div, lambda x, c: (x / c, 1.0 / c), ("1/c",), template("{0}/{1}", PRODUCT, PRODUCT, POWER),
                with_number("÷", "÷{c}"), parameter="c", js="function (x, c) { return [x / c, 1 / c]; }")
EXP = Primitive("exp", 1, _exp, _batch_exp, ("exp(x)",), function("exp"), symbol("exp"), method="exp",
                js="function (x) { var out = Math.exp(x); return [out, out]; }")
LOG = Primitive("log", 1, _log, lambda x: (np.log(x), 1.0 / x), ("1/x",), function("log"), symbol("log"),
                method="log", js="function (x) { return [Math.log(x), 1 / x]; }")
RECIPROCAL = Primitive("reciprocal", 1, _reciprocal, _batch_reciprocal, ("−1/x²",), _write_reciprocal,
                       symbol("1/x"), method="reciprocal",
                       js="function (x) { var out = 1 / x; return [out, -out * out]; }")
SIGMOID = Primitive("sigmoid", 1, _sigmoid, _batch_sigmoid_rule, ("σ(x)·(1−σ(x))",), function("σ"), symbol("σ"),
                    method="sigmoid", flat="saturated",
                    js="function (x) { var out, e; if (x >= 0) { out = 1 / (1 + Math.exp(-x)); } "
                       "else { e = Math.exp(x); out = e / (1 + e); } return [out, out * (1 - out)]; }")
TANH = Primitive("tanh", 1, _tanh, _batch_tanh, ("1 − tanh²(x)",), function("tanh"), symbol("tanh"), method="tanh",
                 flat="saturated", js="function (x) { var out = Math.tanh(x); return [out, 1 - out * out]; }")
RELU = Primitive("relu", 1, _relu, lambda x: (np.maximum(x, 0.0), x > 0.0), ("1 if x > 0 else 0",),
                 function("relu"), symbol("relu"), method="relu", flat="off",
                 js="function (x) { return x > 0 ? [x, 1] : [0, 0]; }")
SOFTPLUS = Primitive("softplus", 1, _softplus, _batch_softplus, ("σ(x)",), function("softplus"), symbol("softplus"),
                     method="softplus",
                     js="function (x) { var e; if (x >= 0) { e = Math.exp(-x); return [x + Math.log1p(e), "
                        "1 / (1 + e)]; } e = Math.exp(x); return [Math.log1p(e), e / (1 + e)]; }")

BUILT_IN = (ADD, MUL, POW_VAR, POW, DIV, EXP, LOG, RECIPROCAL, SIGMOID, TANH, RELU, SOFTPLUS)
PRIMITIVES: dict[str, Primitive] = {p.name: p for p in BUILT_IN}  # and any registered since
