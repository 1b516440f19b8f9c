"""`Value`: a scalar that remembers the operation that made it and the local derivative of each edge.

A node stores at most two arguments in argument order (`_a`, `_b`) and, next to each, the local
derivative d(node)/d(argument) that its primitive computed at forward time (`_da`, `_db`). An argument
that came from a plain Python number is kept as that number, with no local derivative (None): a
constant folded into its gate, like the "+1" and "×−1" gates of the circuit diagrams, or the number
parameter of a one-input gate (pow's exponent, div's divisor).

Those slots are private to this module and to backprop's hot loop; everything else reads the public,
read-only view: `primitive`, `arguments` (each argument with its kind and local derivative),
`operands`, `parents`, `local_grads` and `edges`.

Nodes hold references to their inputs only, never to their outputs, and there are no closures, so a
graph has no reference cycles and is freed by reference counting alone.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, Union

from . import backprop
from .formula import formula
from .notation import number_text
from .primitives import (
    ADD,
    BUILT_IN,
    DIV,
    EXP,
    FLOAT_MAX,
    LOG,
    MUL,
    POW,
    POW_VAR,
    PRIMITIVES,
    RECIPROCAL,
    RELU,
    SIGMOID,
    SOFTPLUS,
    TANH,
    Primitive,
    overflow_error,
)

Number = Union[int, float]
Operand = Union["Value", Number]

_isfinite = math.isfinite


def as_number(obj: object, op: str, *operands: object) -> float:
    """Return `obj` as a finite Python float, or raise a TypeError/ValueError that says what was wrong.

    `op` and `operands` name where it happened, e.g. ("mul", w0, "3") → "mul(Value(...), '3')"; the
    message is only built for an error, so the hot path pays nothing for it. Numpy scalars become
    Python floats exactly (a float32 keeps its value, and the graph then computes in float64); a number
    that a float cannot hold exactly (np.longdouble) is refused rather than silently rounded.

    Policy for NaN and infinity: refused everywhere (ValueError), so that no NaN can enter a graph
    and spread silently; every operation likewise refuses to produce one.
    """
    if type(obj) is float:
        number = obj
    elif isinstance(obj, numbers.Real):  # int, bool, Fraction, numpy floats and ints
        try:
            number = float(obj)
        except OverflowError:
            raise OverflowError(f"{_where(op, operands)}: {_shown(obj)} is too large for a float (beyond "
                                f"±{number_text(FLOAT_MAX, 4)}); scale it down") from None
    else:
        raise TypeError(
            f"{_where(op, operands)}: expected a real number or a Value, got {_shown(obj)} ({type(obj).__name__}); "
            "convert it first, e.g. float(x) for a numeric string"
        )
    if not _isfinite(number):
        raise ValueError(
            f"{_where(op, operands)}: got {number!r}; microgrboard refuses NaN and infinity so that they "
            "cannot spread silently through a graph; check where this number came from"
        )
    if type(obj) is not float and not isinstance(obj, numbers.Rational) and number != obj:
        raise ValueError(f"{_where(op, operands)}: {obj!r} ({type(obj).__name__}) has more precision than a "
                         "float holds; round it yourself first, e.g. float(x)")
    return number


def _where(op, operands: tuple) -> str:
    op = op() if callable(op) else op  # a door's description, made only for its error
    return f"{op}({', '.join(_shown(o) for o in operands)})" if operands else op


def _shown(obj: object) -> str:
    """An operand as a message shows it: a number short (never 401 digits), anything else by its repr,
    itself cut to 80 characters."""
    if isinstance(obj, numbers.Real) and not isinstance(obj, Value):
        try:
            return number_text(obj) if isinstance(obj, int) else number_text(float(obj))
        except (OverflowError, TypeError, ValueError):
            pass
    text = repr(obj)
    return text if len(text) <= 80 else text[:77] + "..."


def _checked_rule(prim: Primitive) -> Callable[..., tuple]:
    """A registered primitive's rule, its results made Python floats and its local derivatives checked
    finite (the built-in rules guarantee both themselves, so their gates skip this)."""
    rule = prim.rule

    def checked(*args: float) -> tuple:
        out, *local = (float(r) for r in rule(*args))
        for which, d in zip("xy", local):
            if d != d:
                raise ValueError(f"{prim.name}{args}: the local derivative d/d{which} is NaN; check the rule")
            if not _isfinite(d):
                raise overflow_error(prim.name, args, f"the local derivative d/d{which}")
        return (out, *local)

    return checked


_new = object.__new__


def _binary_gate(prim: Primitive) -> Callable[[Operand, Operand], Value]:
    """The function that applies a two-input primitive: its rule on the inputs' data, the result
    checked, and a new node recording the inputs and the local derivatives. Either input (not both)
    may be a plain number, which becomes a constant of the gate, with no edge."""
    rule, name = (prim.rule if prim in BUILT_IN else _checked_rule(prim)), prim.name

    def gate(a: Operand, b: Operand) -> Value:
        a_is_value = type(a) is Value or type(a) is Leaf or isinstance(a, Value)  # exact types: the fast tests
        b_is_value = type(b) is Value or type(b) is Leaf or isinstance(b, Value)
        # a finite Python float passes as it is; anything else is checked (and converted) by as_number
        x = a._data if a_is_value else a if type(a) is float and a - a == 0.0 else as_number(a, name, a, b)
        y = b._data if b_is_value else b if type(b) is float and b - b == 0.0 else as_number(b, name, a, b)
        try:
            out, da, db = rule(x, y)
        except (ArithmeticError, ValueError) as err:
            raise _in_context(err, prim, (a, b)) from None
        if out - out != 0.0:  # inf − inf and NaN − NaN are NaN: the result is not finite
            raise _in_context(_not_finite(out, prim, x, y), prim, (a, b))
        node = _new(Value)  # an interior node: nothing to validate again
        node._data = out
        node._grad = 0.0
        node._prim = prim  # no label: an unset `_label` reads as "" (one store less per node)
        if a_is_value:
            node._a = a
            node._da = da
        else:
            node._a = x
            node._da = None
        if b_is_value:
            node._b = b
            node._db = db
        else:
            node._b = y
            node._db = None
        return node

    gate.__name__ = gate.__qualname__ = name
    return gate


def _unary_gate(prim: Primitive) -> Callable[..., Value]:
    """Like `_binary_gate`, for a one-input primitive; pow and div take their number as `param`."""
    rule = prim.rule if prim in BUILT_IN else _checked_rule(prim)

    def gate(x: Value, param: float | None = None) -> Value:
        try:
            out, dx = rule(x._data) if param is None else rule(x._data, param)
        except (ArithmeticError, ValueError) as err:
            raise _in_context(err, prim, (x, param)) from None
        if out - out != 0.0:
            raise _in_context(_not_finite(out, prim, x._data, param), prim, (x, param))
        node = _new(Value)  # filled in place, as in _binary_gate: a shared helper would cost a call per op
        node._data = out
        node._grad = 0.0
        node._prim = prim
        node._a = x
        node._da = dx
        node._b = param
        node._db = None
        return node

    gate.__name__ = gate.__qualname__ = prim.name
    return gate


_ADD, _MUL, _POW_VAR = _binary_gate(ADD), _binary_gate(MUL), _binary_gate(POW_VAR)
_POW, _DIV = _unary_gate(POW), _unary_gate(DIV)
_EXP, _LOG, _RECIPROCAL = _unary_gate(EXP), _unary_gate(LOG), _unary_gate(RECIPROCAL)
_SIGMOID, _TANH, _RELU, _SOFTPLUS = _unary_gate(SIGMOID), _unary_gate(TANH), _unary_gate(RELU), _unary_gate(SOFTPLUS)


class Argument(NamedTuple):
    """One argument of a gate, in argument order, as the public view of a node shows it."""

    index: int  # its position among the gate's arguments (0 or 1)
    kind: str  # "parent" (a Value: an edge), "constant" (a number folded in), or "parameter" (pow's n, div's c)
    value: Value | float
    local: float | None  # d(node)/d(argument) for a parent, recorded at forward time; None for numbers


class Edge(NamedTuple):
    """An edge of the graph: from `parent` into argument `argument` of `gate`, with its local derivative
    ∂gate/∂parent as recorded at forward time. The one edge type every view uses (`why`'s paths are
    tuples of them; a diagram's wire is the picture of one)."""

    parent: Value
    gate: Value
    argument: int
    local: float


class Value:
    """A scalar node of a computation graph: its data, its gradient, and how it was made.

    >>> a = Value(2.0, label="a"); b = a * a + 1
    >>> b.backward(); a.grad
    4.0
    """

    # The nodes that operations make are fixed records: these slots and no instance dictionary (a
    # `__dict__` would cost every node 32 bytes on CPython 3.11, and 8 more for each attribute name
    # any code ever set on a Value). `Value(...)` makes a `Leaf`, which does take attributes of your own.
    __slots__ = ("_data", "_grad", "_label", "_prim", "_a", "_b", "_da", "_db")

    def __new__(cls, *args: object, **kwargs: object) -> Value:
        # `Value(x)` makes a Leaf; a copy (copy.deepcopy calls Value.__new__(Value)) keeps its class
        return object.__new__(Leaf if cls is Value and (args or kwargs) else cls)

    def __init__(self, data: Number, label: str = "") -> None:
        self._data = as_number(data, "Value", data)
        self._grad = 0.0
        self.label = label
        self._prim = self._a = self._b = self._da = self._db = None

    @property
    def data(self) -> float:
        """The node's number. Set by hand (as an optimizer does), it takes a finite real number and
        stores it as a Python float; anything else is refused there and then (TypeError, ValueError)."""
        return self._data

    @data.setter
    def data(self, number: Number) -> None:
        self._data = number if type(number) is float and number - number == 0.0 else \
            as_number(number, lambda: f"setting .data of {self!r}")

    @property
    def grad(self) -> float:
        """d(root)/d(this node) after `root.backward()` (leaves accumulate over passes). Set by hand, it
        takes what `.data` takes: a finite real number, stored as a Python float."""
        return self._grad

    @grad.setter
    def grad(self, number: Number) -> None:
        self._grad = number if type(number) is float and number - number == 0.0 else \
            as_number(number, lambda: f"setting .grad of {self!r}")

    @property
    def label(self) -> str:
        """The node's name in formulas, diagrams and explanations ("" for none)."""
        try:
            return self._label
        except AttributeError:  # the gates leave it unset
            return ""

    @label.setter
    def label(self, text: str) -> None:
        if type(text) is not str and not isinstance(text, str):
            raise TypeError(f"a Value's label must be a str, got {text!r} ({type(text).__name__}); "
                            "labels name nodes in formulas and diagrams, e.g. label='w1'")
        self._label = text

    # --- the public, read-only view that backprop's explainer, formula, viz and the compiler read ---

    @property
    def op(self) -> str | None:
        """Name of the primitive that made this node ('mul', 'sigmoid', ...), None for a leaf."""
        return None if self._prim is None else self._prim.name

    @property
    def primitive(self) -> Primitive | None:
        """The primitive that made this node: its rules, notation and gate (None for a leaf)."""
        return self._prim

    @property
    def is_leaf(self) -> bool:
        """True for an input or parameter (not made by an operation)."""
        return self._prim is None

    @property
    def arguments(self) -> tuple[Argument, ...]:
        """Every argument in order, each with its kind: a parent Value (with its local derivative),
        a constant folded into the gate, or the gate's number parameter."""
        if self._prim is None:
            return ()
        first = Argument(0, "parent", self._a, self._da) if self._da is not None else \
            Argument(0, "constant", self._a, None)
        if self._b is None:
            return (first,)
        if self._db is not None:
            second = Argument(1, "parent", self._b, self._db)
        else:
            second = Argument(1, "parameter" if self._prim.parameter else "constant", self._b, None)
        return first, second

    @property
    def operands(self) -> tuple[Operand, ...]:
        """All arguments' values in order: parent Values and the numbers folded in."""
        return tuple(argument.value for argument in self.arguments)

    @property
    def edges(self) -> tuple[Edge, ...]:
        """Each input edge (parent, this node, argument index, local derivative), in argument order."""
        return tuple(Edge(a.value, self, a.index, a.local) for a in self.arguments if a.kind == "parent")

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this node was computed from, in argument order (`a*a` lists `a` twice)."""
        return tuple(edge.parent for edge in self.edges)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(parent) for each entry of `parents`, as recorded at forward time."""
        return tuple(edge.local for edge in self.edges)

    # --- what a Value is not: a number to convert, compare or take abs of ------------------------

    __array_ufunc__ = None  # numpy defers to Value: array + v refuses as v + array does, never broadcasts

    def _not_a_number(self, what: str, instead: str) -> TypeError:
        return TypeError(f"{what} of a Value ({self!r}): a Value is a node of a graph, not a plain number; "
                         f"{instead}")

    def __float__(self) -> float:
        raise self._not_a_number("float()", "use v.data for its number (math.exp(v) and friends would drop "
                                             "the graph: use v.exp(), v.log(), v.tanh() to keep it)")

    def __int__(self) -> int:
        raise self._not_a_number("int()", "use int(v.data) for its number")

    def __abs__(self) -> Value:
        raise self._not_a_number("abs()", "|x| is not in the table of primitives (its derivative jumps at 0); "
                                           "for the number use abs(v.data), with gradients v.relu() + (-v).relu()")

    def _compare(self, other: object) -> bool:
        raise self._not_a_number("a comparison (<, <=, >, >=)", "compare their numbers, e.g. a.data < b.data "
                                 "(Values are compared by identity, so that they can be keys of a dict)")

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    # --- arithmetic: the card's primitives and the operations derived from them -----------------

    __add__ = _ADD  # `a + b` and `a * b` are the gates themselves: the hot path pays for no extra call
    __mul__ = _MUL

    def __radd__(self, other: Number) -> Value:
        return _ADD(other, self)

    def __rmul__(self, other: Number) -> Value:
        return _MUL(other, self)

    def __neg__(self) -> Value:
        return _MUL(self, -1.0)  # −x is the gate ×(−1)

    def __sub__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _ADD(self, -other)  # x − y = x + (−y)
        return _ADD(self, -as_number(other, "sub", self, other))  # x − c is the gate +(−c)

    def __rsub__(self, other: Number) -> Value:
        return _ADD(other, -self)

    def __truediv__(self, other: Operand) -> Value:
        if isinstance(other, Value):
            return _MUL(self, other.reciprocal())  # x / y = x · (1/y)
        return _DIV(self, as_number(other, "div", self, other))  # the gate ÷c

    def __rtruediv__(self, other: Number) -> Value:
        other = as_number(other, "div", other, self)
        inverse = self.reciprocal()
        return inverse if other == 1.0 else _MUL(other, inverse)  # 1/x is the gate 1/x alone

    def __pow__(self, exponent: Operand) -> Value:
        if isinstance(exponent, Value):
            return _POW_VAR(self, exponent)
        return _POW(self, as_number(exponent, "pow", self, exponent))

    def __rpow__(self, base: Number) -> Value:
        return _POW_VAR(base, self)

    # The one-input primitives, each the gate its table entry makes (a registered primitive with a
    # `method` is added the same way by `register_primitive`).
    def exp(self) -> Value:
        """eˣ; local derivative exp(x), the output itself. Overflows (with a message) above x ≈ 709.78."""
        return _EXP(self)

    def log(self) -> Value:
        """The natural logarithm ln x (x > 0); local derivative 1/x."""
        return _LOG(self)

    def reciprocal(self) -> Value:
        """1/x (x ≠ 0), the gate the circuit diagrams draw for a division; local derivative −1/x²."""
        return _RECIPROCAL(self)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e⁻ˣ), computed without overflow; local derivative σ(x)·(1 − σ(x))."""
        return _SIGMOID(self)

    def tanh(self) -> Value:
        """tanh x; local derivative 1 − tanh²x."""
        return _TANH(self)

    def relu(self) -> Value:
        """max(0, x); local derivative 1 for x > 0, else 0 (0 at the kink x = 0, as in PyTorch)."""
        return _RELU(self)

    def softplus(self) -> Value:
        """log(1 + eˣ), computed without overflow; local derivative σ(x)."""
        return _SOFTPLUS(self)

    # --- micrograd's names for the graph, so code written for micrograd walks this one ------------

    @property
    def _prev(self) -> set[Value]:
        """micrograd's `_prev`: the set of the Values this node was computed from."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's `_op`: the gate as the diagrams write it ('+', '×', '**2', 'relu'); '' for a leaf."""
        if self._prim is None:
            return ""
        return self._prim.gate([None if a.kind == "parent" else a.value for a in self.arguments])

    @property
    def _backward(self) -> Callable[[], None]:
        """micrograd's `_backward()`: this node's chain-rule step, parent.grad += local × node.grad."""
        def step() -> None:
            for parent, _, _, local in self.edges:
                parent.grad += local * self._grad

        return step

    # --- backprop ---------------------------------------------------------------------------------

    def backward(self) -> None:
        """Backpropagate from this node: d(self)/d(node) for every node of its graph.

        Like PyTorch: the root is seeded with 1.0 and leaves *accumulate* into `.grad`, so a second
        call adds the same gradient again (call `zero_grad()` between passes). Interior nodes hold
        the gradient of the latest pass (they are reset at its start, so nothing is counted twice).
        """
        backprop.backward(self)

    def backward_steps(self) -> Iterator[backprop.Step]:
        """Backpropagate one edge at a time: yields a `Step` per edge, in the order backward uses."""
        return backprop.backward_steps(self)

    def zero_grad(self) -> None:
        """Set `.grad` to 0 on every node of this node's graph."""
        backprop.zero_grad(self)

    def formula(self) -> str:
        """This node's expression, e.g. 'σ(w0*x0 + w1*x1 + w2)'."""
        return formula(self)

    def __repr__(self) -> str:
        head = f"label={self.label!r}, " if self.label else ""
        if self._prim is not None:
            head += f"op={self._prim.name!r}, "
        return f"Value({head}data={number_text(self._data)}, grad={number_text(self._grad)})"


class Leaf(Value):
    """A Value made by `Value(...)`: an input or a parameter. Unlike the nodes that operations make,
    it can carry attributes of your own, such as an optimizer's moments (`p.m`, `p.v`)."""

    __slots__ = ("__dict__",)


# The learner made a Value: every message Python or numpy writes with the type's name ("operand 'Leaf' does
# not support ufuncs") says so. (`__qualname__` stays "Leaf": pickle finds the class by it.)
Leaf.__name__ = "Value"


def _not_finite(out: float, prim: Primitive, x: float, y) -> Exception:
    """Why an output is not finite: it overflowed, or (a registered rule) produced NaN."""
    args = (x,) if y is None else (x, y)
    if out != out:  # NaN
        return ValueError(f"{prim.name}{args} produced NaN; microgrboard refuses NaN so it cannot spread silently")
    return overflow_error(prim.name, args)


def _in_context(err: Exception, prim: Primitive, operands: tuple) -> Exception:
    """The same kind of error, its message naming the Values involved so the learner can find them."""
    names = ", ".join(repr(o) for o in operands if o is not None)
    return type(err)(f"{err}\n  in {prim.name}({names})")


def data_of(values: Sequence[Value]) -> list[float]:
    """The `.data` of many Values at once (what the batch compiler reads every forward), without
    going through the property one by one."""
    return [v._data for v in values]


def set_data(values: Sequence[Value], numbers: Sequence[Number]) -> None:
    """Set the `.data` of many Values at once (an optimizer's step, unrolled Θ put back): each number
    is checked as `v.data = x` checks it, and if one is refused, no Value has changed. A numpy array
    of floats is checked in one call."""
    if len(numbers) != len(values):
        raise ValueError(f"set_data: {len(values)} Values but {len(numbers)} numbers")
    if getattr(numbers, "dtype", None) == "float64" and _isfinite(numbers.sum()):  # a finite float array
        numbers = numbers.tolist()
    else:
        numbers = [x if type(x) is float and x - x == 0.0 else as_number(x, lambda v=v: f"setting .data of {v!r}")
                   for v, x in zip(values, numbers)]
    for v, x in zip(values, numbers):
        v._data = x


def grads_of(values: Sequence[Value]) -> list[float]:
    """The `.grad` of many Values at once (what the compiler and the optimizers read every step)."""
    try:
        return [v._grad for v in values]
    except AttributeError:  # something that only looks like a Value (a test's stand-in): its .grad
        return [v.grad for v in values]


def set_grads(values: Sequence[Value], numbers: Sequence[Number]) -> None:
    """Set the `.grad` of many Values at once, each number checked as `v.grad = x` checks it; if one is
    refused, no Value has changed. A numpy array of finite floats is checked in one call."""
    if len(numbers) != len(values):
        raise ValueError(f"set_grads: {len(values)} Values but {len(numbers)} numbers")
    if getattr(numbers, "dtype", None) == "float64" and _isfinite(numbers.sum()):
        numbers = numbers.tolist()
    else:
        numbers = [x if type(x) is float and x - x == 0.0 else as_number(x, lambda v=v: f"setting .grad of {v!r}")
                   for v, x in zip(values, numbers)]
    for v, x in zip(values, numbers):
        if type(v) is Leaf or isinstance(v, Value):
            v._grad = x
        else:  # something that only looks like a Value: through its own .grad
            v.grad = x


def zero_grads(values: Sequence[Value]) -> None:
    """Set the `.grad` of many Values to 0 (a model's or an optimizer's zero_grad)."""
    for v in values:
        if type(v) is Leaf or isinstance(v, Value):
            v._grad = 0.0
        else:  # something that only looks like a Value: through its own .grad
            v.grad = 0.0


def register_primitive(primitive: Primitive) -> Primitive:
    """Add an operation to the table; with a `method` name, Values gain that method (`x.softsign()`).

    Backward, `backward_steps`, `explain`, `formula`, the diagrams, the boards and the batch compiler
    all read the entry, so nothing else needs to change. Returns the primitive.
    """
    if not isinstance(primitive, Primitive):
        raise TypeError(f"register_primitive takes a Primitive, got {primitive!r}")
    known = PRIMITIVES.get(primitive.name)
    if known is not None and known is not primitive:
        raise ValueError(f"a primitive named {primitive.name!r} is already registered")
    method = primitive.method
    if primitive in BUILT_IN:
        return primitive  # its gate and method are written in the class
    if method and getattr(Value, method, None) is not None and known is None:
        raise ValueError(f"Value already has an attribute {method!r}; choose another method name")
    gate = _binary_gate(primitive) if primitive.arity == 2 else _unary_gate(primitive)
    gate.__doc__ = (f"The {primitive.name} gate; local derivative "
                    f"{', '.join(primitive.local_formula(i) for i in range(primitive.arity))}.")
    PRIMITIVES[primitive.name] = primitive
    if method:
        setattr(Value, method, gate)
    return primitive


def unregister_primitive(primitive: Primitive) -> None:
    """Remove an operation added by `register_primitive` (graphs already built keep working)."""
    if PRIMITIVES.get(primitive.name) is not primitive:
        raise ValueError(f"{primitive!r} is not registered")
    if primitive in BUILT_IN:
        raise ValueError(f"{primitive!r} is built in; only an operation added by register_primitive can be removed")
    del PRIMITIVES[primitive.name]
    if primitive.method:
        delattr(Value, primitive.method)
