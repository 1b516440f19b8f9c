"""J(Θ) for a model and loss on whole batches at numpy speed, through the batch compiler.

The loss of one example is traced once as an ordinary scalar graph, with placeholder leaves for that
example's inputs and targets, and compiled (`microgrboard.compiler`); each call then runs forward and
backward for all m examples at once. J = (1/m) Σᵢ ℓᵢ plus the weight penalty, and the gradients are
those of the eager engine (to rounding), summed over the batch into each parameter's `.grad`.

The penalty is traced into the same graph, ℓᵢ + s·Σw² with its scale s a placeholder too (λ/2m
depends on the batch's size m), so that J = (1/m) Σᵢ (ℓᵢ + s·Σw²): Σw² depends on no example, so the
program computes it once per batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..compiler import Program, compile_graph
from ..engine.value import Value
from .losses import Loss, get_loss, penalty_divides_by_m, regularization
from .module import MLP


def target_matrix(model: MLP, Y, loss) -> np.ndarray:
    """Targets as an (m × K) array: one-hot rows for class indices given to a K-output model."""
    Y = np.asarray(Y, dtype=float)
    k = model.nouts[-1]
    if Y.ndim == 1 and k == 1:
        return Y[:, None]
    if Y.ndim == 1 and loss == "softmax_cross_entropy":
        return np.eye(k)[Y.astype(int)]
    if Y.ndim != 2 or Y.shape[1] != k:
        raise ValueError(f"targets have shape {Y.shape}; this model has {k} outputs: give (m, {k}) rows")
    return Y


class BatchLoss:
    """Call it with (X, Y): returns J(Θ) on that batch and adds ∂J/∂Θ into the parameters' `.grad`."""

    def __init__(self, model: MLP, loss: str | Loss = "cross_entropy", lam: float = 0.0) -> None:
        self.model, self.loss, self.lam = model, loss, lam
        self.loss_fn = get_loss(loss)
        self.per_example_penalty = penalty_divides_by_m(loss)
        self.program: Program | None = None
        self.traced_outputs: list[Value] = []
        self.example_loss: Value | None = None

    def trace(self, x: Sequence[float], y: Sequence[float]) -> Value:
        """The scalar graph of one example's loss (and penalty), with its inputs, targets and the
        penalty's scale as placeholders."""
        xs = [Value(float(v), label=f"x{j}") for j, v in enumerate(x, start=1)]
        ys = [Value(float(v), label=f"y{k}") for k, v in enumerate(y, start=1)]
        out = self.model(xs)
        self.traced_outputs = [out] if isinstance(out, Value) else list(out)
        self.example_loss = self.loss_fn([self.traced_outputs], [ys])
        placeholders = xs + ys
        if self.lam:  # + s·Σw², with (2/2)·Σw² as `regularization` writes it
            scale = Value(0.0, label="s")
            self.example_loss = self.example_loss + scale * regularization(self.model, 2.0)
            placeholders.append(scale)
        self.program = compile_graph(self.example_loss, placeholders, outputs=self.traced_outputs)
        return self.example_loss

    def __call__(self, X, Y) -> float:
        X = np.asarray(X, dtype=float)
        Y = target_matrix(self.model, Y, self.loss)
        if X.ndim != 2 or X.shape[1] != self.model.nin or len(Y) != len(X):
            raise ValueError(f"expected X of shape (m, {self.model.nin}) and m targets, got {X.shape} and {Y.shape}")
        if self.program is None:
            self.trace(X[0], Y[0])
        m = len(X)
        columns = [X, Y]
        if self.lam:  # (λ/2m)·Σw² (or (λ/2)·Σw²), the same for every example
            columns.append(np.full((m, 1), self.lam / (2.0 * m) if self.per_example_penalty else self.lam / 2.0))
        losses = self.program.forward(np.hstack(columns))
        self.program.backward(seed=1.0 / m)  # J = (1/m) Σ (ℓᵢ + s·Σw²)
        return float(losses.sum() / m)

    def outputs(self) -> np.ndarray:
        """The model's outputs in the last call, (m × K)."""
        return np.stack([self.program.value_of(o) for o in self.traced_outputs], axis=1)


def predict(model: MLP, X) -> np.ndarray:
    """The model's outputs for every row of X, (m × K), through one compiled forward pass."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != model.nin or not len(X):
        raise ValueError(f"predict: expected X of shape (m, {model.nin}), got {X.shape}")
    xs = [Value(float(v), label=f"x{j}") for j, v in enumerate(X[0], start=1)]
    out = model(xs)
    outputs = [out] if isinstance(out, Value) else list(out)
    program = compile_graph(outputs[0], xs, outputs=outputs)
    program.forward(X)
    return np.stack([program.value_of(o) for o in outputs], axis=1)
