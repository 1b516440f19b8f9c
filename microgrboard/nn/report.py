"""Gradient flow, layer by layer: do the gradients reach every layer, or do they vanish?

For a model on a data set, `gradient_report` gives per layer the mean |∂J/∂W| (the weights' gradient),
the mean |δ| (the course's error terms δ⁽ˡ⁾ = ∂ℓ/∂z⁽ˡ⁾, one per unit and example), the share of
saturated units, and how many distinct units the layer has:

- a σ or tanh unit is *saturated* when its local derivative g'(z) — σ(1−σ) or 1 − tanh² — is below
  0.01 on most examples: it sits on a flat end, so δ = (Θᵀδ) .* g'(z) is nearly 0 and it learns slowly;
- a relu unit is *dead* when g'(z) = 0 on every example: it never learns again;
- units with identical incoming weights compute the same function (the symmetry that all-zero
  initialization never breaks), so a layer has fewer *distinct* units than units.

It works on whole batches with numpy, through the model's Θ matrices: each activation's numpy twin
comes from the table of primitives (which gives g'(z) too); the loss's gradient with respect to the
last layer's z comes from the engine (so every loss works, your own included); and the hidden
layers follow the course's recursion δ⁽ˡ⁾ = (Θ⁽ˡ⁾ᵀ δ⁽ˡ⁺¹⁾)[without the bias row] .* g'(z⁽ˡ⁾).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..engine.notation import number_text
from ..engine.primitives import PRIMITIVES
from ..engine.value import Value
from .classes import fraction_right, is_classification
from .losses import Loss, get_loss, penalty_divides_by_m
from .module import MLP, activate

FLAT = 0.01  # g'(z) below this is a flat end of σ or tanh (σ' ≤ 0.25 everywhere; tanh' ≤ 1)


def _flat_on_most(slopes: np.ndarray) -> np.ndarray:
    return np.mean(slopes < FLAT, axis=0) > 0.5


def _dead_on_all(slopes: np.ndarray) -> np.ndarray:
    return np.all(slopes == 0.0, axis=0)


# How each activation stops learning: σ and tanh saturate; relu dies; a linear unit never stops.
STUCK = {"sigmoid": _flat_on_most, "tanh": _flat_on_most, "relu": _dead_on_all,
         "linear": lambda slopes: np.zeros(slopes.shape[1], dtype=bool)}


@dataclass(frozen=True)
class LayerReport:
    """One layer's gradient flow; `saturated` counts dead relu units too."""

    name: str
    activation: str
    units: int
    weight_grad: float  # mean |∂J/∂W| over the layer's weights (biases left out)
    delta: float  # mean |δ| over units and examples
    saturated: float  # share of units saturated (σ, tanh) or dead (relu)
    distinct: int  # units that differ in their incoming weights

    def as_dict(self) -> dict:
        return {"name": self.name, "activation": self.activation, "units": self.units,
                "weight_grad": self.weight_grad, "delta": self.delta, "saturated": self.saturated,
                "distinct": self.distinct}


@dataclass(frozen=True)
class GradientReport:
    """J, accuracy (classification losses only) and each layer's gradient flow, on m examples."""

    loss: float
    accuracy: float | None
    m: int
    layers: tuple[LayerReport, ...]

    def __str__(self) -> str:
        head = f"J = {number_text(self.loss, 5)}"
        if self.accuracy is not None:
            head += f", accuracy {self.accuracy:.1%}"
        rows = [f"{head} on {self.m} examples",
                f"{'layer':<8} {'g(z)':<8} {'units':>5} {'mean |dJ/dW|':>13} {'mean |δ|':>10} "
                f"{'saturated':>10} {'distinct':>9}"]
        for r in self.layers:
            rows.append(f"{r.name:<8} {r.activation:<8} {r.units:>5} {r.weight_grad:>13.3e} {r.delta:>10.3e} "
                        f"{r.saturated:>10.0%} {r.distinct:>9}")
        return "\n".join(rows)

    def __repr__(self) -> str:
        return (f"<GradientReport J={number_text(self.loss, 4)} on {self.m} examples: "
                + ", ".join(f"{r.name} |dJ/dW| {number_text(r.weight_grad, 2)} saturated "
                            f"{r.saturated:.0%}" for r in self.layers)
                + ">")

    def as_dict(self) -> dict:
        return {"loss": self.loss, "accuracy": self.accuracy, "layers": [r.as_dict() for r in self.layers]}


def activation_of(model: MLP, layer: int) -> str:
    """The activation of layer `layer` (0-based): the hidden one, or the output one for the last."""
    return model.output_activation if layer == len(model.layers) - 1 else model.activation


class Forward(NamedTuple):
    """A forward pass on m examples: a⁽¹⁾ = X, …, a⁽ᴸ⁾; each layer's z; each layer's g'(z)."""

    activations: list[np.ndarray]
    z: list[np.ndarray]
    slopes: list[np.ndarray]


def forward(model: MLP, X: np.ndarray) -> Forward:
    """Forward propagation through the model's Θ matrices, each layer's activation and its local
    derivative g'(z) from the activation's numpy twin in the table of primitives."""
    result = Forward([X], [], [])
    for l, theta in enumerate(model.weight_matrices()):
        z = theta[:, 0] + result.activations[-1] @ theta[:, 1:].T  # z = Θ [1; a]
        name = activation_of(model, l)
        a, slope = (z, np.ones_like(z)) if name == "linear" else PRIMITIVES[name].batch_rule(z)
        result.activations.append(a)
        result.z.append(z)
        result.slopes.append(np.broadcast_to(slope, z.shape))
    return result


def data_term(model: MLP, z_out: np.ndarray, Y, loss: str | Loss) -> tuple[float, np.ndarray]:
    """The loss's data term J and ∂J/∂z for the last layer's z (m × K), by the engine: each z is a
    leaf, then the output activation and the loss (so a saturated σ output is handled as in training)."""
    leaves = [[Value(v) for v in row] for row in z_out.tolist()]
    outputs = [[activate(z, model.output_activation) for z in row] for row in leaves]
    J = get_loss(loss)(outputs, Y.tolist() if isinstance(Y, np.ndarray) else Y)
    J.backward()  # a graph of its own: no model parameter is in it
    return J.data, np.array([[z.grad for z in row] for row in leaves])


def distinct_rows(theta: np.ndarray, tolerance: float = 1e-9) -> int:
    """How many different rows Θ has (units with the same incoming weights are the same function)."""
    scale = tolerance * (1.0 + float(np.abs(theta).max(initial=0.0)))
    kept: list[np.ndarray] = []
    for row in theta:
        if not any(np.all(np.abs(row - other) <= scale) for other in kept):
            kept.append(row)
    return len(kept)


def gradient_report(model: MLP, X, Y, loss: str | Loss = "cross_entropy", lam: float = 0.0) -> GradientReport:
    """Per layer: mean |∂J/∂W|, mean |δ|, the share of saturated (or dead) units, and the distinct
    units, for J(Θ) on X, Y as `train` minimizes it. The model is left exactly as it was: no `.data`
    or `.grad` changes."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != model.nin or not len(X):
        raise ValueError(f"gradient_report: expected X of shape (m, {model.nin}), got {X.shape}")
    if len(Y) != len(X):
        raise ValueError(f"gradient_report: {len(X)} examples but {len(Y)} targets")
    m = len(X)
    thetas = model.weight_matrices()
    activations, zs, slopes = forward(model, X)
    J, dz = data_term(model, zs[-1], np.asarray(Y), loss)
    r = (lam / m if penalty_divides_by_m(loss) else lam) if lam else 0.0
    J += r / 2.0 * sum(float(np.sum(t[:, 1:] ** 2)) for t in thetas)  # the weight penalty, no biases
    layers = []
    for l in range(len(thetas) - 1, -1, -1):
        grad_w = dz.T @ activations[l] + r * thetas[l][:, 1:]  # ∂J/∂W⁽ˡ⁾ = Σᵢ ∂J/∂zᵢ aᵢᵀ (+ penalty)
        name = activation_of(model, l)
        layers.append(LayerReport(
            name=f"layer{l + 1}", activation=name, units=thetas[l].shape[0],
            weight_grad=float(np.mean(np.abs(grad_w))), delta=float(np.mean(np.abs(dz))) * m,  # δ = m·∂J/∂z
            saturated=float(np.mean(STUCK[name](slopes[l]))), distinct=distinct_rows(thetas[l])))
        if l:
            dz = (dz @ thetas[l][:, 1:]) * slopes[l - 1]  # δ⁽ˡ⁾ = (Θᵀδ⁽ˡ⁺¹⁾)[no bias] .* g'(z⁽ˡ⁾)
    accuracy = fraction_right(model, activations[-1], Y) if is_classification(loss) else None
    return GradientReport(float(J), accuracy, m, tuple(reversed(layers)))


def evaluate(model: MLP, X, Y, loss: str | Loss = "cross_entropy") -> tuple[float, float | None]:
    """The loss's data term and the accuracy (None for regression) on X, Y: how a held-out set does."""
    X = np.asarray(X, dtype=float)
    result = forward(model, X)
    J, _ = data_term(model, result.z[-1], np.asarray(Y), loss)
    return J, (fraction_right(model, result.activations[-1], Y) if is_classification(loss) else None)
