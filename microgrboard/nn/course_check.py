"""The course's gradient check, as its exercise runs it (checkNNGradients): gradApprox beside DVec.

`debug_network()` builds the exercise's small debugging network — 3 inputs, 5 hidden units, 3 classes
and 5 examples, its weights and inputs made deterministically from sin (debugInitializeWeights) — and
`check_nn_gradients(lam)` prints, for every entry of thetaVec, the numerical gradient
(J(θ + ε) − J(θ − ε)) / 2ε with ε = 1e-4 beside the analytic one, DVec from `course_backprop`, and
their relative difference ‖gradApprox − DVec‖ / ‖gradApprox + DVec‖, which the course expects below
1e-9. Give it a model, X and y and it checks that network instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .course import course_backprop
from .course_notation import course_name
from .course_result import unrolled_ranges
from .losses import cost
from .module import MLP, expect_model

PASS_BELOW = 1e-9  # the course: "the relative difference will be small (less than 1e-9)"
PASS_TEXT = "1e-9"


def debug_initialize_weights(fan_out: int, fan_in: int) -> np.ndarray:
    """The exercise's debugInitializeWeights: a fan_out × (1 + fan_in) matrix filled column by column with
    sin(1), sin(2), … divided by 10, so that it is always the same: W = reshape(sin(1:numel(W)), size(W)) / 10."""
    shape = (fan_out, 1 + fan_in)
    return np.sin(np.arange(1, shape[0] * shape[1] + 1)).reshape(shape, order="F") / 10


def debug_network() -> tuple[MLP, np.ndarray, np.ndarray]:
    """checkNNGradients' network and data: a 3-5-3 sigmoid network with Θ⁽¹⁾ = debugInitializeWeights(5, 3)
    and Θ⁽²⁾ = debugInitializeWeights(3, 5); X = debugInitializeWeights(5, 2) (5 examples of 3 inputs);
    y = 1 + mod(1:5, 3) = 2, 3, 1, 2, 3, returned as one-hot rows Y (5 × 3)."""
    model = MLP(3, [5, 3], activation="sigmoid")
    model.set_weight_matrices([debug_initialize_weights(5, 3), debug_initialize_weights(3, 5)])
    X = debug_initialize_weights(5, 2)
    labels = 1 + np.arange(1, 6) % 3
    return model, X, np.eye(3)[labels - 1]


@dataclass(frozen=True)
class NNGradientCheck:
    """gradApprox (`numerical`) and DVec (`analytic`), entry by entry of thetaVec (`entries` names them)."""

    entries: list[str]
    numerical: np.ndarray
    analytic: np.ndarray
    eps: float
    lam: float
    network: str

    @property
    def relative_difference(self) -> float:
        """‖gradApprox − DVec‖ / ‖gradApprox + DVec‖, as the exercise computes it."""
        denominator = np.linalg.norm(self.numerical + self.analytic)
        return float(np.linalg.norm(self.numerical - self.analytic) / denominator) if denominator else 0.0

    @property
    def passed(self) -> bool:
        return self.relative_difference < PASS_BELOW

    @property
    def verdict(self) -> str:
        d = self.relative_difference
        if self.passed:
            return f"Relative difference {d:.3g}: below {PASS_TEXT}, so backpropagation is right."
        return (f"Relative difference {d:.3g}: NOT below {PASS_TEXT}. Backpropagation (or the cost) is wrong "
                "somewhere: look for the rows where the two columns differ.")

    def __str__(self) -> str:
        lines = [f"The course's gradient check (checkNNGradients): {self.network}, λ = {self.lam:g}, ε = {self.eps:g}",
                 f"{'thetaVec':>8}  {'entry':<10} {'numerical':>13} {'analytic':>13}"]
        for n, (name, a, b) in enumerate(zip(self.entries, self.numerical, self.analytic), start=1):
            lines.append(f"{n:>8}  {name:<10} {a:>13.6g} {b:>13.6g}")
        lines += ["The two columns should be very similar: left (J(θ + ε) − J(θ − ε)) / 2ε, right DVec from "
                  "backpropagation.", self.verdict]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<NNGradientCheck {self.network}: {len(self.entries)} entries, {self.verdict}>"


def check_nn_gradients(lam: float = 0.0, model: MLP | None = None, X=None, y=None, loss: str = "cross_entropy",
                       eps: float = 1e-4) -> NNGradientCheck:
    """The course's checkNNGradients(lambda): gradApprox against DVec on its debugging network, or on
    `model` with X and y. Slow by design (2 forward passes per parameter): the course turns it off
    before training. The model's parameters are left as they were."""
    if model is None:
        if X is not None or y is not None:
            raise ValueError("check_nn_gradients: give model, X and y together (or none, for the course's "
                             "debugging network)")
        model, X, y = debug_network()
    else:
        expect_model(model, "check_nn_gradients")
        if X is None or y is None:
            raise ValueError("check_nn_gradients: with a model, give its examples X and targets y too")
    if not eps > 0:
        raise ValueError(f"check_nn_gradients: ε must be > 0, got eps={eps!r}")
    r = course_backprop(model, X, y, loss, lam)
    X = np.array([ex.x for ex in r.examples.values()])
    Y = np.array([ex.y for ex in r.examples.values()])
    ranges = unrolled_ranges(list(r.sizes.values()))
    saved = model.weight_matrices()
    theta = r.thetaVec.copy()

    def J(vector: np.ndarray) -> float:  # costFunction(thetaVec): reshape, forward propagation, cost
        model.set_weight_matrices([vector[w.start:w.stop].reshape(w.shape, order="F") for w in ranges.values()])
        return cost(model, X, Y, loss, lam).data

    numerical = np.zeros_like(theta)
    try:
        for n in range(len(theta)):
            plus, minus = theta.copy(), theta.copy()
            plus[n] += eps
            minus[n] -= eps
            numerical[n] = (J(plus) - J(minus)) / (2 * eps)  # gradApprox(i)
    finally:
        model.set_weight_matrices(saved)
    entries = [course_name("Θ", *r.which(n)) for n in range(1, len(theta) + 1)]
    network = f"{'-'.join(map(str, r.sizes.values()))} network on {r.m} examples"
    return NNGradientCheck(entries, numerical, r.DVec.copy(), float(eps), float(lam), network)
