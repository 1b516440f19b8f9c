"""The table of primitives: everything about each operation, in one entry.

Every node of a graph is made by exactly one primitive. Each has one block below — its scalar rule,
its numpy twin and its `Primitive` entry side by side, the entry built with keywords:

- `rule`: on plain floats, the output together with the local derivative of the output with respect
  to each input, so the forward value and the derivative backprop will use are computed in one place;
  it raises a clear error where the math is undefined (`Value` checks every result is finite);
- `batch_rule`: the same rule on numpy arrays, one entry per example, for the batch compiler;
- `js`: the same rule in JavaScript, for the pages' engine (viz/static/engine.js);
- `local_text`: each local derivative as a template, "{x}" and "{y}" standing for the arguments and
  "{n}" or "{c}" for the number parameter; views fill in the graph's own names (`local_formula`);
- `local_depends_on_input`: for each argument, whether its local derivative is a function of that same
  argument (σ′, relu′, 1/x) rather than of the other one (mul's y) or of a number (div's 1/c): where such a
  derivative is small the gate is *flat* there, which is what `why` says; `flat` is the word it uses ("off"
  for relu, "saturated" for σ and tanh, "flat" for any other);
- `write`: how a formula writes the operation (a template and its binding strength, `notation`);
- `gate`: its text on a diagram's gate, as data (`notation.Gate`), any number folded in ("+1", "÷2");
- `method`: the name of the `Value` method that applies a one-input primitive (`x.exp()`), and
  `parameter`: the name of a one-input primitive's number parameter (pow's n, div's c), if any.

Adding an operation is one entry: write its rule and batch rule, make the `Primitive`, and pass it to
`microgrboard.extend.register_primitive`. Backward, `backward_steps`, `explain`, `why`, `formula`, the
diagrams, the boards and the batch compiler then all work with it, because each of them reads the entry
and nothing else about the operation.

Derived operations are not primitives: `Value` builds neg, sub and division by a Value from these
gates, exactly as the circuit diagrams of backprop draw them (×−1, +, 1/x, ×). Division by a plain
number is its own gate (÷c), as the diagrams draw it.
"""

from __future__ import annotations

import math
import string
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
    number_text,
    symbol,
    template,
    with_number,
)


@dataclass(frozen=True, kw_only=True)
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
    local_text: tuple[str, ...]  # templates: "{y}", "{n}·{x}**({n}−1)"
    write: Writer
    gate: Gate
    local_depends_on_input: tuple[bool, ...] | None = None  # None: where its template names that argument
    method: str | None = None
    parameter: str | None = None
    flat: str = "flat"  # what `why` calls the gate where its local derivative vanishes: "off", "saturated"
    js: str | None = None  # the rule's JavaScript twin, "function (x[, y or n]) { return [out, local...]; }"

    def __post_init__(self) -> None:
        where = f"primitive {self.name!r}"
        if self.arity not in (1, 2) or len(self.local_text) != self.arity:
            raise ValueError(f"{where}: arity must be 1 or 2, with one local_text per input")
        if self.parameter is not None and self.arity != 1:
            raise ValueError(f"{where}: only a one-input primitive takes a number parameter")
        if self.local_depends_on_input is None:  # by default: does its template name the argument itself?
            own = tuple("{" + name + "}" in text for name, text in zip("xy", self.local_text))
            object.__setattr__(self, "local_depends_on_input", own)
        if len(self.local_depends_on_input) != self.arity:
            raise ValueError(f"{where}: local_depends_on_input needs one True/False per input")
        if not isinstance(self.gate, Gate):
            raise TypeError(f"{where}: gate must be a notation.Gate (make one with symbol() or with_number())")
        allowed = set(self.placeholders)
        for text in self.local_text:
            used = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
            if not used <= allowed:
                raise ValueError(f"{where}: local_text {text!r} uses {sorted(used - allowed)}; it may use "
                                 + ", ".join("{" + a + "}" for a in self.placeholders))

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The names a local_text template may use: x (and y), and the parameter's name."""
        names = ("x", "y")[: self.arity]
        return names + ((self.parameter,) if self.parameter else ())

    def local_formula(self, argument: int, names: dict[str, str] | None = None) -> str:
        """The local derivative d(out)/d(argument) as a formula, written with `names` for x, y and the
        parameter (by default the placeholders' own names: 'σ(x)·(1−σ(x))')."""
        filled = {name: name for name in self.placeholders}
        filled.update(names or {})
        return self.local_text[argument].format(**filled)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


FLOAT_MAX = sys.float_info.max  # 1.7976931348623157e+308, the largest finite float


def overflow_error(op: str, args: tuple, what: str = "the result", small: str | None = None) -> OverflowError:
    """An OverflowError that says which operation on which numbers overflowed, and why.

    `what` names the number that overflowed ("the result", "the local derivative d/dx"); `small` names
    the input whose closeness to 0 caused it (1/x, log's 1/x, x**-n), when that is the cause.
    """
    shown = ", ".join(number_text(a, 6) for a in args)
    if small is not None:
        cause = f"{small} is too small (too close to 0); keep it away from 0, e.g. add a small epsilon"
    else:
        cause = "scale your inputs down"
    return OverflowError(f"{op}({shown}): {what} is too large for a float (beyond "
                         f"±{number_text(FLOAT_MAX, 4)}); {cause}")


def _finite(number: float, op: str, args: tuple, what: str = "the result", small: str | None = None) -> float:
    """Return `number` if it is finite; an infinite value means the op overflowed."""
    if number - number == 0.0:  # inf − inf and NaN are NaN
        return number
    raise overflow_error(op, args, what, small)


def _near_zero(x: float, name: str = "x") -> str | None:
    """For a power or quotient that overflowed: `name` when |x| < 1 (so x was too small), else None."""
    return name if abs(x) < 1.0 else None


# --- add: x + y ----------------------------------------------------------------------------------


def _add(x: float, y: float) -> tuple[float, float, float]:
    # d(x+y)/dx = 1, d(x+y)/dy = 1: addition routes the upstream gradient unchanged.
    return x + y, 1.0, 1.0


def _write_add(terms: list[Term]) -> Term:
    x, y = terms  # x + (−y) is written x − y
    if y.negates is not None:
        return Term(f"{x.at(SUM)} - {y.negates.at(PRODUCT)}", SUM)
    return Term(f"{x.at(SUM)} + {y.at(SUM)}", SUM)


ADD = Primitive(
    name="add", arity=2, rule=_add, batch_rule=lambda x, y: (x + y, 1.0, 1.0),
    js="function (x, y) { return [x + y, 1, 1]; }",
    local_text=("1", "1"), local_depends_on_input=(False, False),
    write=_write_add, gate=with_number("+", "+{c}", negative="{c}"),  # +1, but −3 rather than +−3
)


# --- mul: x · y ----------------------------------------------------------------------------------


def _mul(x: float, y: float) -> tuple[float, float, float]:
    # d(xy)/dx = y, d(xy)/dy = x: multiplication swaps its inputs.
    return x * y, y, x


def _write_mul(terms: list[Term]) -> Term:
    x, y = terms  # −1·x is written −x, and x·(1/y) is written x/y
    if y.number == -1.0:
        return Term(f"-{x.at(POWER)}", NEGATION, negates=x)
    if y.inverts is not None:
        return Term(f"{x.at(PRODUCT)}/{y.inverts.at(POWER)}", PRODUCT)
    return Term(f"{x.at(PRODUCT)}*{y.at(POWER)}", PRODUCT)


MUL = Primitive(
    name="mul", arity=2, rule=_mul, batch_rule=lambda x, y: (x * y, y, x),
    js="function (x, y) { return [x * y, y, x]; }",
    local_text=("{y}", "{x}"), local_depends_on_input=(False, False),
    write=_write_mul, gate=with_number("×", "×{c}"),
)


# --- pow_var: x ** y, the exponent a Value -------------------------------------------------------

_POWER_TEMPLATE = template("{0}**{1}", POWER, ATOM, POWER)  # right-associative: the base binds tighter


def _pow_var(x: float, y: float) -> tuple[float, float, float]:
    # x^y = e^(y ln x):  d/dx = y·x^(y−1),  d/dy = x^y·ln x  (needs x > 0 for ln x)
    if x <= 0.0:
        raise ValueError(
            f"pow_var({number_text(x)}, {number_text(y)}): a Value exponent needs a base > 0, because "
            f"d(x**y)/dy = x**y * log(x) and log(x) is undefined for x = {number_text(x)}; "
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


def _batch_pow_var(x, y):
    out = x**y
    return out, y * x ** (y - 1.0), out * np.log(x)


POW_VAR = Primitive(
    name="pow_var", arity=2, rule=_pow_var, batch_rule=_batch_pow_var,
    js="function (x, y) { var out = Math.pow(x, y); return [out, y * Math.pow(x, y - 1), out * Math.log(x)]; }",
    local_text=("{y}·{x}**({y}−1)", "{x}**{y}·ln {x}"),
    write=_POWER_TEMPLATE, gate=with_number("**", "{c}**x"),
)


# --- pow: x ** n, n a plain number ---------------------------------------------------------------


def _pow(x: float, n: float) -> tuple[float, float]:
    # d(x^n)/dx = n·x^(n−1)  (power rule)
    if x < 0.0 and not float(n).is_integer():
        raise ValueError(
            f"pow({number_text(x)}, {number_text(n)}): a negative base with a fractional exponent has no real value"
        )
    if x == 0.0 and n < 1.0 and n != 0.0:
        kind = "is undefined" if n < 0.0 else "has an infinite derivative"
        raise ZeroDivisionError(f"pow(0, {number_text(n)}): x**{number_text(n)} {kind} at x = 0")
    args, small = (x, n), _near_zero(x, "the base x, for this exponent,")
    try:
        out = x**n
        dx = n * x ** (n - 1.0) if n != 0.0 else 0.0
    except OverflowError:
        raise overflow_error("pow", args, small=small) from None
    return _finite(out, "pow", args, small=small), _finite(dx, "pow", args, "the local derivative d/dx", small)


def _batch_pow(x, n):
    return x**n, (n * x ** (n - 1.0) if n != 0.0 else np.zeros_like(x))


POW = Primitive(
    name="pow", arity=1, rule=_pow, batch_rule=_batch_pow, parameter="n",
    js="function (x, n) { return [Math.pow(x, n), n !== 0 ? n * Math.pow(x, n - 1) : 0]; }",
    local_text=("{n}·{x}**({n}−1)",),
    write=_POWER_TEMPLATE, gate=with_number("**", "**{c}"),
)


# --- div: x / c, c a plain number (a Value divisor goes through reciprocal) ----------------------


def _div(x: float, c: float) -> tuple[float, float]:
    # d(x/c)/dx = 1/c
    if c == 0.0:
        raise ZeroDivisionError(f"div({number_text(x)}, 0): division by zero")
    args, small = (x, c), _near_zero(c, "the divisor c")
    return _finite(x / c, "div", args, small=small), _finite(1.0 / c, "div", args, "the local derivative 1/c", small)


DIV = Primitive(
    name="div", arity=1, rule=_div, batch_rule=lambda x, c: (x / c, 1.0 / c), parameter="c",
    js="function (x, c) { return [x / c, 1 / c]; }",
    local_text=("1/{c}",), local_depends_on_input=(False,),
    write=template("{0}/{1}", PRODUCT, PRODUCT, POWER), gate=with_number("÷", "÷{c}"),
)


# --- exp -----------------------------------------------------------------------------------------


def _exp(x: float) -> tuple[float, float]:
    # d(e^x)/dx = e^x: the local derivative is the output itself.
    try:
        out = math.exp(x)
    except OverflowError:
        raise OverflowError(
            f"exp({number_text(x)}) is too large for a float (exp overflows above x ≈ 709.78); "
            "scale your inputs down, or use sigmoid/tanh, which never overflow"
        ) from None
    return out, out


def _batch_exp(x):
    out = np.exp(x)
    return out, out


EXP = Primitive(
    name="exp", arity=1, rule=_exp, batch_rule=_batch_exp, method="exp",
    js="function (x) { var out = Math.exp(x); return [out, out]; }",
    local_text=("exp({x})",),
    write=function("exp"), gate=symbol("exp"),
)


# --- log (natural) -------------------------------------------------------------------------------


def _log(x: float) -> tuple[float, float]:
    # d(ln x)/dx = 1/x
    if x <= 0.0:
        raise ValueError(
            f"log({number_text(x)}) is undefined: log needs x > 0; "
            "if x is a probability, keep it away from 0 (e.g. clip it to [1e-12, 1])"
        )
    return math.log(x), _finite(1.0 / x, "log", (x,), "the local derivative 1/x", "x")


LOG = Primitive(
    name="log", arity=1, rule=_log, batch_rule=lambda x: (np.log(x), 1.0 / x), method="log",
    js="function (x) { return [Math.log(x), 1 / x]; }",
    local_text=("1/{x}",),
    write=function("log"), gate=symbol("log"),
)


# --- reciprocal: 1/x -----------------------------------------------------------------------------


def _reciprocal(x: float) -> tuple[float, float]:
    # d(1/x)/dx = −1/x²
    if x == 0.0:
        raise ZeroDivisionError("reciprocal(0): 1/x is undefined at x = 0 (division by zero)")
    out = _finite(1.0 / x, "reciprocal", (x,), small="x")
    return out, _finite(-out * out, "reciprocal", (x,), "the local derivative −1/x²", "x")


def _batch_reciprocal(x):
    out = 1.0 / x
    return out, -out * out


def _write_reciprocal(terms: list[Term]) -> Term:
    return Term(f"1/{terms[0].at(ATOM)}", PRODUCT, inverts=terms[0])


RECIPROCAL = Primitive(
    name="reciprocal", arity=1, rule=_reciprocal, batch_rule=_batch_reciprocal, method="reciprocal",
    js="function (x) { var out = 1 / x; return [out, -out * out]; }",
    local_text=("−1/{x}²",),
    write=_write_reciprocal, gate=symbol("1/x"),
)


# --- sigmoid: σ(x) = 1/(1 + e^−x) ----------------------------------------------------------------


def _sigmoid(x: float) -> tuple[float, float]:
    # dσ/dx = σ(1−σ). Written so exp never sees a large positive argument: for x < 0 use
    # σ(x) = e^x/(1+e^x), which is stable all the way to x = −1e308.
    if x >= 0.0:
        out = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        out = e / (1.0 + e)
    return out, out * (1.0 - out)


def _batch_sigmoid(x):
    e = np.exp(-np.abs(x))  # e^−|x| ≤ 1: the two stable branches of _sigmoid at once
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e)), e


def _batch_sigmoid_rule(x):
    out, _ = _batch_sigmoid(x)
    return out, out * (1.0 - out)


SIGMOID = Primitive(
    name="sigmoid", arity=1, rule=_sigmoid, batch_rule=_batch_sigmoid_rule, method="sigmoid", flat="saturated",
    js="function (x) { var out, e; if (x >= 0) { out = 1 / (1 + Math.exp(-x)); } "
       "else { e = Math.exp(x); out = e / (1 + e); } return [out, out * (1 - out)]; }",
    local_text=("σ({x})·(1−σ({x}))",),
    write=function("σ"), gate=symbol("σ"),
)


# --- tanh ----------------------------------------------------------------------------------------


def _tanh(x: float) -> tuple[float, float]:
    # d(tanh x)/dx = 1 − tanh²x  (math.tanh saturates to ±1 without overflow)
    out = math.tanh(x)
    return out, 1.0 - out * out


def _batch_tanh(x):
    out = np.tanh(x)
    return out, 1.0 - out * out


TANH = Primitive(
    name="tanh", arity=1, rule=_tanh, batch_rule=_batch_tanh, method="tanh", flat="saturated",
    js="function (x) { var out = Math.tanh(x); return [out, 1 - out * out]; }",
    local_text=("1 − tanh²({x})",),
    write=function("tanh"), gate=symbol("tanh"),
)


# --- relu: max(0, x) -----------------------------------------------------------------------------


def _relu(x: float) -> tuple[float, float]:
    # derivative 1 for x > 0 and 0 otherwise (0 at x = 0, as in PyTorch)
    if x > 0.0:
        return x, 1.0
    return (0.0 if x <= 0.0 else x), 0.0  # a NaN passes through, for Value's finiteness check


RELU = Primitive(
    name="relu", arity=1, rule=_relu, batch_rule=lambda x: (np.maximum(x, 0.0), x > 0.0), method="relu", flat="off",
    js="function (x) { return x > 0 ? [x, 1] : [0, 0]; }",
    local_text=("1 if {x} > 0 else 0",),
    write=function("relu"), gate=symbol("relu"),
)


# --- softplus: log(1 + eˣ) -----------------------------------------------------------------------


def _softplus(x: float) -> tuple[float, float]:
    # softplus(x) = max(x, 0) + log(1 + e^−|x|), so exp never overflows; d/dx = σ(x).
    # log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z): the safe way to a log-likelihood.
    if x >= 0.0:
        e = math.exp(-x)
        return x + math.log1p(e), 1.0 / (1.0 + e)
    e = math.exp(x)
    return math.log1p(e), e / (1.0 + e)


def _batch_softplus(x):
    s, e = _batch_sigmoid(x)
    return np.where(x >= 0.0, x + np.log1p(e), np.log1p(e)), s


SOFTPLUS = Primitive(
    name="softplus", arity=1, rule=_softplus, batch_rule=_batch_softplus, method="softplus",
    js="function (x) { var e; if (x >= 0) { e = Math.exp(-x); return [x + Math.log1p(e), 1 / (1 + e)]; } "
       "e = Math.exp(x); return [Math.log1p(e), e / (1 + e)]; }",
    local_text=("σ({x})",),
    write=function("softplus"), gate=symbol("softplus"),
)


BUILT_IN = (ADD, MUL, POW_VAR, POW, DIV, EXP, LOG, RECIPROCAL, SIGMOID, TANH, RELU, SOFTPLUS)
PRIMITIVES: dict[str, Primitive] = {p.name: p for p in BUILT_IN}  # and any registered since
