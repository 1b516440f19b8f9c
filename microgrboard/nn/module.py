"""Neural networks built from scalar Values: Module, Neuron, Layer and MLP.

A neuron computes g(b + w1·x1 + … + wn·xn): the course's z = Θ_j0·1 + Θ_j1·a1 + …, with the bias
unit first, and then its activation g. Every weight and bias is a leaf Value labelled with its name
(`layer1.neuron3.w2` is Θ⁽¹⁾₃₂, `layer1.neuron3.b` is Θ⁽¹⁾₃₀), so diagrams and explanations show it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Union

import numpy as np

from ..engine.value import Value, as_number, zero_grads
from .init import INIT_EPSILON, check_init, initial_weights

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
Inputs = Sequence[Union[Value, float]]


def expect_model(obj: object, function: str, kind: type | None = None) -> Module:
    """Return `obj` if it is a model (an MLP, or `kind`); otherwise a TypeError that says what `function` takes."""
    kind = kind or MLP
    if isinstance(obj, kind):
        return obj
    shown = repr(obj)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    hint = " (a Value is one output of a model, not the model)" if isinstance(obj, Value) else ""
    raise TypeError(f"{function} takes a model from microgrboard.nn, e.g. {function}(MLP(2, [8, 1]), ...); "
                    f"got {shown} ({type(obj).__name__}){hint}")


def as_examples(X, Y, nin: int, function: str) -> tuple[np.ndarray, np.ndarray]:
    """X as an (m × nin) float array and Y with one target per row, or a clear error naming `function`."""
    try:
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{function}: X and Y must be arrays of numbers (lists or numpy arrays), "
                        f"got {type(X).__name__} and {type(Y).__name__}") from None
    if X.ndim != 2 or X.shape[1] != nin:
        raise ValueError(f"{function}: X must be m × {nin} (one row per example), got shape {X.shape}")
    if len(Y) != len(X):
        raise ValueError(f"{function}: {len(X)} examples but {len(Y)} targets")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ValueError(f"{function}: X or Y holds NaN or infinity; a network can only learn from finite numbers")
    return X, Y


def check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return name


def activate(z: Value, activation: str) -> Value:
    """Apply an activation by name ('linear' is the identity)."""
    return z if activation == "linear" else getattr(z, activation)()


class Module:
    """Anything with parameters: lists them, names them, and zeroes their gradients."""

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """All parameters: layer by layer, neuron by neuron, weights then bias."""
        return [p for _, p in self.named_parameters()]

    def weights(self) -> list[Value]:
        """The parameters that regularization penalizes: every weight, no bias."""
        return [p for name, p in self.named_parameters() if not name.endswith(".b") and name != "b"]

    def zero_grad(self) -> None:
        zero_grads(self.parameters())

    def trace(self, x: Inputs) -> Value | list[Value]:
        """One forward pass whose inputs are leaves named x1, x2, …, so that a drawing shows them:
        `draw(model.trace([0.5, -1.0]))`. (Numbers given to `model(x)` are folded into their
        gates as constants, "×0.5", and no x appears.) Values in `x` are used as they are."""
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
            raise TypeError(f"trace takes a list of numbers (one example's inputs), got {x!r}")
        return self([xi if isinstance(xi, Value) else Value(as_number(xi, "model input", xi), label=f"x{j}")
                     for j, xi in enumerate(x, start=1)])


class Neuron(Module):
    """g(b + Σ wᵢ·xᵢ) for one unit; `w` and `b` are its leaf Values."""

    def __init__(self, weights: Sequence[float], activation: str = "sigmoid", name: str = "") -> None:
        self.name = name
        prefix = f"{name}." if name else ""
        self.w = [Value(w, label=f"{prefix}w{i}") for i, w in enumerate(weights, start=1)]
        self.b = Value(0.0, label=f"{prefix}b")
        self.activation = check_activation(activation)

    def __call__(self, x: Inputs) -> Value:
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        out = activate(z, self.activation)
        if self.name:
            out.label = self.name  # diagrams group the neuron's nodes by this name
        return out

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for p in self.w + [self.b]:
            yield p.label, p

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)} inputs, {self.activation})"


class Layer(Module):
    """`n_out` neurons that all read the same inputs."""

    def __init__(self, weights: np.ndarray, activation: str = "sigmoid", name: str = "") -> None:
        self.name = name
        self.neurons = [
            Neuron(row, activation, name=f"{name}.neuron{j}" if name else f"neuron{j}")
            for j, row in enumerate(np.asarray(weights, dtype=float).tolist(), start=1)
        ]

    def __call__(self, x: Inputs) -> list[Value]:
        return [neuron(x) for neuron in self.neurons]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for neuron in self.neurons:
            yield from neuron.named_parameters()

    def __repr__(self) -> str:
        return f"Layer({len(self.neurons)} × {self.neurons[0]!r})"


class MLP(Module):
    """A multilayer perceptron: `MLP(2, [4, 4, 1])` has 2 inputs, two hidden layers of 4, one output.

    `activation` applies to the hidden layers and `output_activation` to the last one (None: the same
    as `activation`). `init` and `seed` choose the starting weights (see `nn.init`); biases start at 0.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        init: str = "uniform",
        seed: int | None = None,
        init_epsilon: float = INIT_EPSILON,
    ) -> None:
        if isinstance(nouts, (int, np.integer)):
            raise TypeError(f"MLP takes a list of layer widths, e.g. MLP({nin!r}, [{nouts!r}]), got nouts={nouts!r}")
        if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in [nin, *nouts]):
            raise TypeError(f"MLP takes whole numbers for its sizes, got nin={nin!r}, nouts={nouts!r}")
        if nin < 1 or not nouts or any(n < 1 for n in nouts):
            raise ValueError(f"MLP needs nin ≥ 1 and a non-empty list of layer widths ≥ 1, got {nin!r}, {nouts!r}")
        check_init(init)
        self.nin, self.nouts = int(nin), [int(n) for n in nouts]
        self.activation = check_activation(activation)
        self.output_activation = check_activation(output_activation or activation)
        self.init, self.seed = init, seed
        rng = np.random.default_rng(seed)
        sizes = [self.nin] + self.nouts
        self.layers = [
            Layer(
                initial_weights(init, n_out, n_in, rng, init_epsilon),
                self.output_activation if l == len(self.nouts) else self.activation,
                name=f"layer{l}",
            )
            for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1)
        ]

    def __call__(self, x: Inputs) -> Value | list[Value]:
        """Forward propagation for one example; a single Value when the last layer has one output."""
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
            raise TypeError(f"the model takes a list of {self.nin} numbers or Values, got {x!r}")
        if len(x) != self.nin:
            raise ValueError(f"{self!r} takes {self.nin} inputs per example, got {len(x)}: {list(x)!r}")
        a = [xi if isinstance(xi, Value) else as_number(xi, "model input", xi) for xi in x]
        for layer in self.layers:
            a = layer(a)
        return a[0] if len(a) == 1 else a

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for layer in self.layers:
            yield from layer.named_parameters()

    def weight_matrices(self) -> list[np.ndarray]:
        """The course's Θ⁽ˡ⁾ matrices, (s_{l+1}, s_l + 1), bias column first, as numpy arrays."""
        return [
            np.array([[n.b.data] + [w.data for w in n.w] for n in layer.neurons]) for layer in self.layers
        ]

    def set_weight_matrices(self, thetas: Sequence[np.ndarray]) -> None:
        """Set every parameter from Θ⁽ˡ⁾ matrices shaped as `weight_matrices` returns them (bias column
        first): the inverse of `weight_matrices`, e.g. to put a recorded snapshot back into a model."""
        shapes = [t.shape for t in self.weight_matrices()]
        arrays = [np.asarray(t, dtype=float) for t in thetas]
        if [a.shape for a in arrays] != shapes:
            raise ValueError(f"set_weight_matrices: this model's Θ have shapes {shapes}, got "
                             f"{[a.shape for a in arrays]}")
        if not all(np.all(np.isfinite(a)) for a in arrays):
            raise ValueError("set_weight_matrices: the matrices hold NaN or infinity")
        for layer, theta in zip(self.layers, arrays):
            for neuron, row in zip(layer.neurons, theta.tolist()):
                neuron.b.data = row[0]
                for w, value in zip(neuron.w, row[1:]):
                    w.data = value

    def __repr__(self) -> str:
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )
