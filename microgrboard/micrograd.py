"""karpathy's micrograd, on microgrboard's engine: change the import and nothing else.

    from micrograd.engine import Value            from microgrboard.micrograd import Value
    from micrograd.nn import Neuron, Layer, MLP → from microgrboard.micrograd import Neuron, Layer, MLP

`Value`, `Module`, `Neuron`, `Layer` and `MLP` take micrograd's arguments, with its defaults, and do
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


class Value(engine.Leaf, metaclass=_EveryNode):
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


class Module:
    """micrograd's `Module`: `parameters()` and `zero_grad()`."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

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
