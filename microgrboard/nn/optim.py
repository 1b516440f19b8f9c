"""Gradient descent: Θ := Θ − α·∂J/∂Θ, optionally with momentum."""

from __future__ import annotations

from collections.abc import Sequence

from ..value import Value


class SGD:
    """Plain gradient descent with learning rate α (`lr`), or heavy-ball momentum when momentum > 0:
    v := μ·v + ∂J/∂Θ,  Θ := Θ − α·v."""

    def __init__(self, parameters: Sequence[Value], lr: float = 0.1, momentum: float = 0.0) -> None:
        if lr <= 0:
            raise ValueError(f"SGD: the learning rate must be > 0, got {lr!r}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        self.parameters: list[Value] = list(parameters)
        self.lr, self.momentum = lr, momentum
        self.velocity = [0.0] * len(self.parameters)

    def step(self) -> None:
        lr, mu = self.lr, self.momentum
        for i, p in enumerate(self.parameters):
            v = mu * self.velocity[i] + p.grad
            self.velocity[i] = v
            p.data -= lr * v

    def zero_grad(self) -> None:
        for p in self.parameters:
            p.grad = 0.0
