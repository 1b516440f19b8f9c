"""Unrolling: all of a model's parameters as one vector θ, as the course's "advanced optimization" needs.

`cost_and_grad` is the course's `[jVal, gradient] = costFunction(theta)`: pass it to
`scipy.optimize.minimize(f, theta0, jac=True, method="L-BFGS-B")`, the equivalent of fminunc.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..engine.notation import number_text
from ..inspection.gradcheck import central_differences
from .batch import BatchLoss
from .losses import Loss, cost
from .module import MLP, Module, expect_model


def parameters_to_vector(model: Module) -> np.ndarray:
    """θ: every parameter's data, in `parameters()` order (layer by layer, neuron by neuron, weights then bias)."""
    return np.array([p.data for p in model.parameters()], dtype=float)


def gradients_to_vector(model: Module) -> np.ndarray:
    """The unrolled gradient ∂J/∂θ, in the same order as `parameters_to_vector`."""
    return np.array([p.grad for p in model.parameters()], dtype=float)


def vector_to_parameters(vector, model: Module) -> None:
    """Write θ back into the model's parameters (the course's reshape of thetaVec)."""
    params = model.parameters()
    vector = np.asarray(vector, dtype=float)
    if vector.shape != (len(params),):
        raise ValueError(
            f"vector_to_parameters: the model has {len(params)} parameters, got a vector of shape {vector.shape}"
        )
    if not np.all(np.isfinite(vector)):
        raise ValueError("vector_to_parameters: the vector contains NaN or infinity")
    for p, x in zip(params, vector.tolist()):
        p.data = x


def cost_and_grad(model: MLP, X, Y, loss: str | Loss = "cross_entropy", lam: float = 0.0,
                  compiled: bool = False) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """θ ↦ (J(θ), ∂J/∂θ) by forward and back propagation; it sets the model's parameters to θ.

    compiled=True evaluates J through the batch compiler (`nn.batch`): the same numbers, much faster.
    """
    expect_model(model, "cost_and_grad", MLP if compiled else Module)
    batch_loss = BatchLoss(model, loss, lam) if compiled else None

    def cost_function(theta: np.ndarray) -> tuple[float, np.ndarray]:
        vector_to_parameters(theta, model)
        model.zero_grad()
        if batch_loss is not None:
            return batch_loss(X, Y), gradients_to_vector(model)
        J = cost(model, X, Y, loss, lam)
        J.backward()
        return J.data, gradients_to_vector(model)

    return cost_function


@dataclass(frozen=True)
class NetworkGradcheck:
    """Backprop's unrolled gradient (DVec) against the numerical one (gradApprox)."""

    names: list[str]
    backprop: np.ndarray
    numerical: np.ndarray
    eps: float

    @property
    def relative_difference(self) -> float:
        """‖gradApprox − DVec‖ / ‖gradApprox + DVec‖: about 1e-9 or less when backprop is right."""
        denominator = np.linalg.norm(self.numerical + self.backprop)
        return float(np.linalg.norm(self.numerical - self.backprop) / denominator) if denominator else 0.0

    def __str__(self) -> str:
        worst = int(np.argmax(np.abs(self.numerical - self.backprop)))
        return (
            f"gradient check over {len(self.names)} parameters (eps = {self.eps:g}): relative difference "
            f"{number_text(self.relative_difference, 3)}; largest gap at {self.names[worst]}: backprop "
            f"{number_text(self.backprop[worst], 6)}, numerical {number_text(self.numerical[worst], 6)}"
        )


def check_gradients(model: Module, X, Y, loss: str | Loss = "cross_entropy", lam: float = 0.0,
                    eps: float = 1e-4) -> NetworkGradcheck:
    """The course's gradient checking for a whole network: compare DVec with gradApprox.

    Slow by design (2n forward passes for n parameters): run it once to trust backprop, then turn it
    off for training. The model's parameters are left as they were.
    """
    expect_model(model, "check_gradients", Module)
    theta = parameters_to_vector(model)
    f = cost_and_grad(model, X, Y, loss, lam)
    try:
        _, grad = f(theta)
        numeric = central_differences(lambda t: _cost_only(model, X, Y, loss, lam, t), theta.tolist(), eps)
    finally:
        vector_to_parameters(theta, model)
    return NetworkGradcheck([n for n, _ in model.named_parameters()], grad, np.array(numeric), eps)


def _cost_only(model: Module, X, Y, loss, lam: float, theta) -> float:
    vector_to_parameters(theta, model)
    return cost(model, X, Y, loss, lam).data
