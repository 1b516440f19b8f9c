"""The course's backpropagation algorithm, vectorized with numpy: an independent reference.

It shares no code with the scalar engine: tests check that the engine's gradients equal these.
With Θ⁽ˡ⁾ of shape (s_{l+1}, s_l + 1), bias column first, and g the activation:

    forward:  a⁽¹⁾ = x;  z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾ [1; a⁽ˡ⁾];  a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾)
    output:   δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y                  (cross-entropy with sigmoid outputs)
              δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g'(z⁽ᴸ⁾)      (squared error ½‖h − y‖²)
    hidden:   δ⁽ˡ⁾ = (Θ⁽ˡ⁾ᵀ δ⁽ˡ⁺¹⁾)[without the bias row] .* g'(z⁽ˡ⁾)
    gradient: Δ⁽ˡ⁾ = Σᵢ δ⁽ˡ⁺¹⁾ [1; a⁽ˡ⁾]ᵀ;  D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + r·Θ⁽ˡ⁾ for j ≠ 0, (1/m)Δ⁽ˡ⁾ for j = 0

where r = λ/m for cross-entropy (penalty (λ/2m)ΣΘ²) and r = λ for squared error (penalty (λ/2)ΣW²).
"""

from __future__ import annotations

import numpy as np

_G = {
    "sigmoid": (lambda z: 1.0 / (1.0 + np.exp(-z)), lambda a: a * (1.0 - a)),  # g'(z) = a(1 − a)
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float)),
    "linear": (lambda z: z, lambda a: np.ones_like(a)),
}


def reference_cost_and_gradients(
    thetas: list[np.ndarray], X, Y, lam: float = 0.0, loss: str = "cross_entropy",
    activation: str = "sigmoid", output_activation: str | None = None,
) -> tuple[float, list[np.ndarray]]:
    """J(Θ) and the list of D⁽ˡ⁾ = ∂J/∂Θ⁽ˡ⁾ for a batch X (m × s₁) with targets Y (m × K)."""
    output_activation = output_activation or activation
    if loss == "cross_entropy" and output_activation != "sigmoid":
        raise ValueError("the course's cross-entropy backprop (δ = a − y) assumes sigmoid outputs")
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
    m = X.shape[0]
    with_bias = lambda a: np.hstack([np.ones((a.shape[0], 1)), a])  # noqa: E731

    activations = [X]
    for l, theta in enumerate(thetas):
        g = _G[output_activation if l == len(thetas) - 1 else activation][0]
        activations.append(g(with_bias(activations[-1]) @ theta.T))
    h = activations[-1]

    penalty = sum(float(np.sum(theta[:, 1:] ** 2)) for theta in thetas)
    if loss == "cross_entropy":
        J = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m + lam / (2 * m) * penalty
        delta = h - Y
        r = lam / m
    elif loss == "squared_error":
        J = np.sum(0.5 * (h - Y) ** 2) / m + lam / 2 * penalty
        delta = (h - Y) * _G[output_activation][1](h)
        r = lam
    else:
        raise ValueError(f"the reference implements 'cross_entropy' and 'squared_error', not {loss!r}")

    grads = [np.zeros_like(theta) for theta in thetas]
    for l in range(len(thetas) - 1, -1, -1):
        grads[l] = delta.T @ with_bias(activations[l]) / m  # (1/m) Δ⁽ˡ⁾
        grads[l][:, 1:] += r * thetas[l][:, 1:]
        if l:
            delta = (delta @ thetas[l][:, 1:]) * _G[activation][1](activations[l])
    return float(J), grads
