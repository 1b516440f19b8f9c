"""The course's backpropagation algorithm, vectorized with numpy: an independent reference.

`reference_cost_and_gradients` gives J and D; `reference_algorithm1` runs the slides' Algorithm 1 one
example at a time and keeps every a, z, δ and Δ; `reference_algorithm2` is the vectorized Algorithm 2.

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

from typing import NamedTuple

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


class Algorithm1(NamedTuple):
    """The course's Algorithm 1 (for i = 1 to m), every intermediate kept; lists are 0-based here.

    For example i: a[i][0] = [1; x], a[i][l] = [1; g(z)] for hidden layers and g(z⁽ᴸ⁾) last;
    z[i][l] and delta[i][l] for layers 2 … L; Delta[i][l] the accumulators Δ⁽ˡ⁺¹⁾ after example i.
    """

    a: list[list[np.ndarray]]
    z: list[list[np.ndarray]]
    delta: list[list[np.ndarray]]
    Delta: list[list[np.ndarray]]
    D: list[np.ndarray]
    J: float
    losses: list[float]  # ℓᵢ, example i's cost without 1/m and without the penalty


class Algorithm2(NamedTuple):
    """The course's vectorized Algorithm 2, all m examples at once (rows are examples): A⁽ˡ⁾ with the
    column of ones for l < L, Z⁽ˡ⁾ and δ⁽ˡ⁾ (m × s_l) for layers 2 … L, Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀ A⁽ˡ⁾ and D⁽ˡ⁾."""

    A: list[np.ndarray]
    Z: list[np.ndarray]
    delta: list[np.ndarray]
    Delta: list[np.ndarray]
    D: list[np.ndarray]


def penalty_rate(loss: str, lam: float, m: int) -> float:
    """r in D = (1/m)Δ + r·Θ (j ≠ 0): the derivative of the cost's penalty, λ/m for (λ/2m)ΣΘ², λ for (λ/2)ΣW²."""
    return lam / m if loss == "cross_entropy" else lam


def _example_loss(h: np.ndarray, z: np.ndarray, y: np.ndarray, loss: str) -> float:
    if loss == "cross_entropy":  # −[y log σ(z) + (1 − y) log(1 − σ(z))], with −log σ(z) = log(1 + e^−z)
        return float(np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))
    return float(0.5 * np.sum((h - y) ** 2))  # ½‖h − y‖²


def reference_algorithm1(thetas: list[np.ndarray], X, Y, lam: float = 0.0, loss: str = "cross_entropy",
                         activation: str = "sigmoid", output_activation: str | None = None) -> Algorithm1:
    """Algorithm 1 of the slides, one example at a time, with numpy:

        Δ⁽ˡ⁾ = 0;  for i = 1 … m:  a⁽¹⁾ = [1; x⁽ⁱ⁾], forward propagation, δ⁽ᴸ⁾, δ⁽ᴸ⁻¹⁾ … δ⁽²⁾,
                                  Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾ (a⁽ˡ⁾)ᵀ
        D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + r·Θ⁽ˡ⁾ for j ≠ 0, (1/m)Δ⁽ˡ⁾ for j = 0

    J is (1/m)Σᵢℓᵢ plus the penalty (λ/2m)ΣΘ² (cross-entropy) or (λ/2)ΣW² (squared error).
    """
    output_activation = output_activation or activation
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
    m, last = X.shape[0], len(thetas) - 1
    accumulators = [np.zeros_like(theta) for theta in thetas]
    result = Algorithm1([], [], [], [], [], 0.0, [])
    for x, y in zip(X, Y):
        a, zs = [np.r_[1.0, x]], []
        for l, theta in enumerate(thetas):
            g = _G[output_activation if l == last else activation][0]
            zs.append(theta @ a[-1])  # z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾ a⁽ˡ⁾
            a.append(g(zs[-1]) if l == last else np.r_[1.0, g(zs[-1])])  # add a₀ = 1 but on the output
        h = a[-1]
        delta = h - y if loss == "cross_entropy" else (h - y) * _G[output_activation][1](h)
        deltas = [delta]
        for l in range(last, 0, -1):  # δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀ δ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾), the bias row dropped
            deltas.insert(0, (thetas[l].T @ deltas[0])[1:] * _G[activation][1](a[l][1:]))
        accumulators = [acc + np.outer(d, a_l) for acc, d, a_l in zip(accumulators, deltas, a)]
        result.a.append(a)
        result.z.append(zs)
        result.delta.append(deltas)
        result.Delta.append(accumulators)
        result.losses.append(_example_loss(h, zs[-1], y, loss))
    r = penalty_rate(loss, lam, m)
    for theta, acc in zip(thetas, accumulators):
        D = acc / m
        D[:, 1:] += r * theta[:, 1:]
        result.D.append(D)
    penalty = r / 2 * sum(float(np.sum(theta[:, 1:] ** 2)) for theta in thetas)
    return result._replace(J=sum(result.losses) / m + penalty)


def reference_algorithm2(thetas: list[np.ndarray], X, Y, lam: float = 0.0, loss: str = "cross_entropy",
                         activation: str = "sigmoid", output_activation: str | None = None) -> Algorithm2:
    """Algorithm 2, vectorized over the examples: A⁽¹⁾ = [1 X]; Z⁽ˡ⁺¹⁾ = A⁽ˡ⁾ (Θ⁽ˡ⁾)ᵀ; δ⁽ᴸ⁾ = A⁽ᴸ⁾ − Y
    (or (A⁽ᴸ⁾ − Y) .* g′(Z⁽ᴸ⁾)); δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ Θ⁽ˡ⁾)[:, 1:] .* g′(Z⁽ˡ⁾); Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀ A⁽ˡ⁾."""
    output_activation = output_activation or activation
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(X.shape[0], -1)
    m, last = X.shape[0], len(thetas) - 1
    ones = np.ones((m, 1))
    A, Z = [np.hstack([ones, X])], []
    for l, theta in enumerate(thetas):
        g = _G[output_activation if l == last else activation][0]
        Z.append(A[-1] @ theta.T)
        A.append(g(Z[-1]) if l == last else np.hstack([ones, g(Z[-1])]))
    H = A[-1]
    deltas = [H - Y if loss == "cross_entropy" else (H - Y) * _G[output_activation][1](H)]
    for l in range(last, 0, -1):
        deltas.insert(0, (deltas[0] @ thetas[l])[:, 1:] * _G[activation][1](A[l][:, 1:]))
    accumulators = [d.T @ a for d, a in zip(deltas, A)]
    r = penalty_rate(loss, lam, m)
    Ds = []
    for theta, acc in zip(thetas, accumulators):
        D = acc / m
        D[:, 1:] += r * theta[:, 1:]
        Ds.append(D)
    return Algorithm2(A, Z, deltas, accumulators, Ds)
