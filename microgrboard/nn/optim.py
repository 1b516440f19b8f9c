"""Gradient descent: Θ := Θ − α·∂J/∂Θ, optionally with momentum.

A step is all or nothing: every new value is worked out first and checked, and only then written,
so an overflow, a NaN gradient or a Ctrl-C in the middle leaves the parameters as they were.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from ..engine.value import Value, grads_of, zero_grads


def learning_rate(lr: object, who: str = "SGD") -> float:
    """`lr` as a Python float that is finite and > 0, or a clear error (numpy scalars convert, so a
    float32 learning rate cannot turn a model's weights into float32)."""
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"{who}: the learning rate must be a number, got {lr!r} ({type(lr).__name__})")
    rate = float(lr)
    if not math.isfinite(rate) or rate <= 0.0:
        raise ValueError(f"{who}: the learning rate must be a finite number > 0, got {lr!r}; "
                         "try 0.1 and adjust by factors of 3")
    return rate


class SGD:
    """Plain gradient descent with learning rate α (`lr`), or heavy-ball momentum when momentum > 0:
    v := μ·v + ∂J/∂Θ,  Θ := Θ − α·v."""

    def __init__(self, parameters: Sequence[Value], lr: float = 0.1, momentum: float = 0.0) -> None:
        self.lr = learning_rate(lr)
        if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) or not 0.0 <= momentum < 1.0:
            raise ValueError(f"SGD: momentum must be a number in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self.parameters: list[Value] = list(parameters)
        self.velocity = [0.0] * len(self.parameters)

    def step(self) -> None:
        """Θ := Θ − α·v for every parameter at once, or for none: a step that would write NaN or
        infinity raises (OverflowError or ValueError) and changes nothing."""
        lr, mu = self.lr, self.momentum
        velocity = [mu * v + g for v, g in zip(self.velocity, grads_of(self.parameters))]
        new = [p.data - lr * v for p, v in zip(self.parameters, velocity)]
        if not all(map(math.isfinite, new)):
            self._refuse(new)
        old = [p.data for p in self.parameters]
        try:
            for p, x in zip(self.parameters, new):
                p.data = x
        except BaseException:  # e.g. Ctrl-C between two writes: put every parameter back
            for p, x in zip(self.parameters, old):
                p.data = x
            raise
        self.velocity = velocity

    def _refuse(self, new: list[float]) -> None:
        """Raise for the first parameter whose new value is not finite, naming it and its numbers."""
        for p, x in zip(self.parameters, new):
            if math.isfinite(x):
                continue
            what = (f"SGD step: {p.label or 'a parameter'} would become {x!r} (data {p.data!r}, gradient "
                    f"{p.grad!r}, learning rate {self.lr!r}); the step was not taken and no parameter changed")
            if math.isnan(x):
                raise ValueError(what + ": the gradient is NaN; find where it came from")
            raise OverflowError(what + ": the step diverged; lower the learning rate")

    def zero_grad(self) -> None:
        zero_grads(self.parameters)
