"""karpathy's micrograd, on microgrboard's engine: change the import and nothing else.

    from micrograd.engine import Value            from microgrboard.micrograd import Value
    from micrograd.nn import Neuron, Layer, MLP → from microgrboard.micrograd import Neuron, Layer, MLP

Values print as micrograd's do (`Value(data=-4.0, grad=1)`, an int wherever micrograd's number would be
one). `Value`, `Module`, `Neuron`, `Layer` and `MLP` take micrograd's arguments, with its defaults, and do
what it does: `Neuron(nin, nonlin=True)` draws its weights uniform in [-1, 1] from Python's `random`
(so `random.seed(k)` gives micrograd's very weights) and starts its bias at 0; `MLP(nin, nouts)` has
ReLU hidden layers and a linear output; `parameters()` lists them in micrograd's order and
`zero_grad()` zeroes them. The numbers are microgrboard's, so everything made here can be drawn
(`viz.draw`), stepped (`backward_steps`, `explain`) and boarded (`viz.board`), and the parameters
carry names (`layer1.neuron3.w2`) that the diagrams group by neuron.

Where it differs, it says so: a number in an expression is folded into its gate ("+1") instead of
becoming a node; `backward()` seeds the output with 1 and resets interior gradients first, so a second
call adds the same gradient again to the leaves (micrograd's would count interior gradients twice); and
an operation is added through the table of primitives (`register_primitive`), not by giving a node a
`_backward` closure, which is refused with a message saying so.

Code that walks micrograd's graph reads `v._prev` (the set of the Values `v` was computed from),
`v._op` (its gate as the diagrams write it: '+', '×', '**2', 'relu'; '' for a leaf) and calls
`v._backward()` (this node's chain-rule step: every parent's grad += local × v.grad). The engine's
`Value` defines these three read-only properties itself, so every node has them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .engine import value as engine

__all__ = ["MLP", "Layer", "Module", "Neuron", "Value"]


class _EveryNode(type):
    """`isinstance(x, Value)` holds for every node, as in micrograd (operations make engine nodes)."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, engine.Value)


# --- micrograd's repr: its numbers keep Python's types --------------------------------------------
# micrograd prints `Value(data=-4.0, grad=1)`: a root's gradient is the int 1, a constant such as the -2 of
# `a * -2` becomes `Value(-2)` with int data, so a.grad = -2 * 1 is the int -2, and a mul by float data
# makes a float. microgrboard computes in floats; to print what micrograd prints, the drop-in's nodes
# remember whether micrograd would hold their data, and a number folded into their gate, as ints. Interior
# nodes have no room of their own (fixed slots), so those flags are their class: one slotted subclass of
# the engine's Value per combination. Which gradients would be ints is worked out from the last backward
# pass, on the first repr that asks (that pass's root is kept until the next backward: one graph).

_INT_PRESERVING = {"__add__", "__radd__", "__mul__", "__rmul__", "__neg__", "__sub__", "__rsub__", "relu"}


class _Flags:
    """What micrograd would hold as ints; class attributes of a drop-in node's class."""

    __slots__ = ()
    _mg_data_int = False
    _mg_constant_int = False  # a number folded into the gate was an int (the -2 of a * -2)


_NODE_CLASSES: dict[tuple[bool, bool], type] = {}
_LAST_PASS: dict = {"root": None, "generation": 0, "grad_int": None}  # the last backward on drop-in Values


def _node_class(data_int: bool, constant_int: bool) -> type:
    """The slotted subclass of the engine's Value that carries these flags."""
    key = (data_int, constant_int)
    if key not in _NODE_CLASSES:
        _NODE_CLASSES[key] = type("Value", (_Node,), {"__slots__": (), "__module__": __name__,
                                                      "_mg_data_int": data_int, "_mg_constant_int": constant_int})
    return _NODE_CLASSES[key]


def _is_int(x: object) -> bool:
    return getattr(x, "_mg_data_int", False) if isinstance(x, engine.Value) else \
        isinstance(x, int) and not isinstance(x, bool)


def _wrapped(name: str):
    """The engine's operation `name`, its result given the class of what micrograd would hold as ints."""
    operation = getattr(engine.Value, name)
    preserving = name in _INT_PRESERVING
    constant = (-1,) if name == "__neg__" else ()  # micrograd's −x is x * -1, an int constant

    def method(self, *others):
        out = operation(self, *others)
        if type(out) is engine.Value:
            operands = (self, *others, *constant)
            whole_power = name == "__pow__" and not isinstance(others[0], engine.Value) and others[0] >= 0
            data_int = (preserving or whole_power) and all(map(_is_int, operands))
            constant_int = any(_is_int(x) for x in operands if not isinstance(x, engine.Value))
            out.__class__ = _node_class(data_int, constant_int)
        return out

    method.__name__ = name
    method.__doc__ = operation.__doc__
    return method


def _local_is_int(node: engine.Value, argument: int) -> bool:
    """Is micrograd's local derivative on this edge an int? add and relu pass the upstream on (relu
    multiplies it by a bool); mul multiplies by the other factor's data; pow by k·x**(k−1)."""
    op = node.op
    if op in ("add", "relu"):
        return True
    if op == "mul":
        other = node.arguments[1 - argument]
        if other.kind == "parent":
            return getattr(other.value, "_mg_data_int", False)
        return getattr(node, "_mg_constant_int", False) or other.value == -1.0 and type(node) is engine.Value
    if op == "pow":
        base, k = node.arguments[0].value, node.arguments[1].value
        return getattr(node, "_mg_constant_int", False) and getattr(base, "_mg_data_int", False) and k >= 1
    return False


def _pass_grad_int() -> dict:
    """For the last backward's graph: which gradients micrograd would hold as ints (worked out once, when
    a repr first asks; the root's gradient is the int 1)."""
    if _LAST_PASS["grad_int"] is None:
        root = _LAST_PASS["root"]
        order = engine.backprop.topological_order(root)
        grad_int = dict.fromkeys(order, True)
        for node in reversed(order):
            for edge in node.edges:
                if not (grad_int[node] and _local_is_int(node, edge.argument)):
                    grad_int[edge.parent] = False
        _LAST_PASS["grad_int"] = grad_int
    return _LAST_PASS["grad_int"]


def _grad_is_int(node: engine.Value) -> bool:
    if _LAST_PASS["root"] is None:
        return getattr(node, "_mg_grad_int", True)
    if node.is_leaf and getattr(node, "_mg_grad_set", 0) > _LAST_PASS["generation"]:
        return node._mg_grad_int  # assigned by hand (p.grad = 0) since the last backward
    return _pass_grad_int().get(node, True) and getattr(node, "_mg_grad_int", True)


def _micrograd_repr(node: engine.Value) -> str:
    """micrograd's `Value(data=..., grad=...)`, each number an int where micrograd's would be one."""
    data = int(node.data) if getattr(node, "_mg_data_int", False) else node.data
    grad = int(node.grad) if _grad_is_int(node) else node.grad
    return f"Value(data={data}, grad={grad})"


def _backward_typed(root: engine.Value) -> None:
    """backward(), remembering this pass for micrograd's repr."""
    engine.Value.backward(root)
    _LAST_PASS.update(root=root, generation=_LAST_PASS["generation"] + 1, grad_int=None)


class _Node(_Flags, engine.Value):
    """A node that an operation on drop-in Values made: micrograd's repr and backward."""

    __slots__ = ()
    __repr__ = _micrograd_repr
    backward = _backward_typed


class Value(_Flags, engine.Leaf, metaclass=_EveryNode):
    """micrograd's `Value(data, _children=(), _op='')`: a leaf of microgrboard's engine.

    A label may be given (`Value(2.0, label='a')`), as in the lecture's version of micrograd.
    """

    __slots__ = ()

    def __init__(self, data: float, _children: Sequence = (), _op: str = "", label: str = "") -> None:
        if _children or _op:
            raise TypeError(
                f"Value({data!r}, {tuple(_children)!r}, {_op!r}): microgrboard records operations itself; "
                "a node cannot be made by hand from its children. Use an operation Value already has "
                "(+ - * / ** exp log tanh relu sigmoid softplus), or add one to the table of primitives "
                "with microgrboard.register_primitive"
            )
        super().__init__(data, label)
        self._mg_data_int = isinstance(data, int) and not isinstance(data, bool)
        self._mg_grad_int = True  # micrograd's grad starts as the int 0

    @property
    def grad(self) -> float:
        return engine.Value.grad.fget(self)

    @grad.setter
    def grad(self, number) -> None:
        engine.Value.grad.fset(self, number)
        self._mg_grad_int = isinstance(number, int) and not isinstance(number, bool)
        self._mg_grad_set = _LAST_PASS["generation"] + 1

    __repr__ = _micrograd_repr
    backward = _backward_typed


for _name in ("__add__", "__radd__", "__mul__", "__rmul__", "__neg__", "__sub__", "__rsub__", "__truediv__",
              "__rtruediv__", "__pow__", "__rpow__", "exp", "log", "tanh", "relu", "sigmoid", "softplus",
              "reciprocal"):
    setattr(_Node, _name, _wrapped(_name))
    setattr(Value, _name, _wrapped(_name))


class Module:
    """micrograd's `Module`: `parameters()` and `zero_grad()`."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0  # micrograd's own: an int 0

    def parameters(self) -> list[engine.Value]:
        return []


class Neuron(Module):
    """relu(b + Σ wᵢ·xᵢ), or without the relu when `nonlin=False`; weights uniform in [-1, 1]."""

    def __init__(self, nin: int, nonlin: bool = True, name: str = "") -> None:
        prefix = f"{name}." if name else ""
        self.w = [Value(random.uniform(-1, 1), label=f"{prefix}w{i}") for i in range(1, nin + 1)]
        self.b = Value(0.0, label=f"{prefix}b")
        self.nonlin = nonlin
        self.name = name

    def __call__(self, x: Sequence) -> engine.Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)  # b + w1·x1 + w2·x2 + …, in this order
        out = act.relu() if self.nonlin else act
        if self.name and out is not self.b:
            out.label = self.name  # the diagrams group a neuron's nodes by its output's name
        return out

    def parameters(self) -> list[engine.Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons reading the same inputs; `kwargs` go to each `Neuron` (e.g. nonlin=False)."""

    def __init__(self, nin: int, nout: int, name: str = "", **kwargs) -> None:
        self.neurons = [Neuron(nin, name=f"{name}.neuron{j}" if name else "", **kwargs)
                        for j in range(1, nout + 1)]

    def __call__(self, x: Sequence) -> engine.Value | list[engine.Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[engine.Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """`MLP(2, [16, 16, 1])`: ReLU hidden layers and a linear output layer, as in micrograd."""

    def __init__(self, nin: int, nouts: Sequence[int]) -> None:
        sizes = [nin] + list(nouts)
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], name=f"layer{i + 1}", nonlin=i != last)
                       for i in range(len(nouts))]

    def __call__(self, x: Sequence) -> engine.Value | list[engine.Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[engine.Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
