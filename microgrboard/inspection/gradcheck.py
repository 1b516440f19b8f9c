"""Gradient checking as the course teaches it: compare backprop with (J(θ+ε) − J(θ−ε)) / 2ε."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Union

from ..engine.value import Value, as_number

Function = Callable[..., Union[Value, float]]


def _inputs_as_numbers(inputs: Sequence[Value | float]) -> list[float]:
    if isinstance(inputs, (str, bytes, Value)) or not hasattr(inputs, "__iter__"):
        raise TypeError(f"gradcheck: the inputs must be a list of numbers or Values, e.g. [2.0, 3.0]; got {inputs!r}")
    return [x.data if isinstance(x, Value) else as_number(x, "gradcheck", x) for x in inputs]


def _evaluate(fn: Function, numbers: Sequence[float]) -> float:
    result = fn(*[Value(x) for x in numbers])
    return result.data if isinstance(result, Value) else as_number(result, "gradcheck: fn returned", result)


def central_differences(J: Callable[[list[float]], float], theta: Sequence[float], eps: float = 1e-4) -> list[float]:
    """∂J/∂θᵢ ≈ (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε for each i, the course's gradApprox; error O(ε²).

    `J` takes the whole parameter list θ and returns a number; it is called 2n times.
    """
    if eps <= 0:
        raise ValueError(f"numerical gradient: eps must be > 0, got {eps!r}")
    theta = list(theta)
    grads = []
    for i, x in enumerate(theta):
        plus, minus = list(theta), list(theta)
        plus[i], minus[i] = x + eps, x - eps
        grads.append((J(plus) - J(minus)) / (2.0 * eps))
    return grads


def numerical_grad(fn: Function, inputs: Sequence[Value | float], eps: float = 1e-4) -> list[float]:
    """Central differences of `fn(*inputs)`, one input at a time.

    `fn` is called as `fn(*values)` with fresh Values and returns a Value (or a number). Only forward
    passes are used, never backprop, so this is an independent check of it.
    """
    if not callable(fn):
        raise TypeError(f"numerical_grad takes a function of Values, e.g. numerical_grad(lambda a: a * a, [3.0]); "
                        f"got {fn!r}")
    return central_differences(lambda theta: _evaluate(fn, theta), _inputs_as_numbers(inputs), eps)


def relative_error(analytic: float, numeric: float) -> float:
    """|a − n| / max(1, |a|, |n|): relative for large gradients, absolute near zero."""
    return abs(analytic - numeric) / max(1.0, abs(analytic), abs(numeric))


@dataclass(frozen=True)
class GradcheckEntry:
    name: str
    analytic: float  # from backprop
    numeric: float  # from central differences
    error: float  # relative_error(analytic, numeric)


@dataclass(frozen=True)
class GradcheckReport:
    """Backprop against central differences, for every input. True when every error ≤ tolerance."""

    entries: list[GradcheckEntry]
    eps: float
    tolerance: float

    @property
    def worst(self) -> GradcheckEntry:
        return max(self.entries, key=lambda e: e.error)

    @property
    def passed(self) -> bool:
        return all(e.error <= self.tolerance for e in self.entries)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        width = max([5] + [len(e.name) for e in self.entries])
        lines = [f"{'input':<{width}}  {'backprop':>13}  {'numerical':>13}  {'rel. error':>10}"]
        lines += [
            f"{e.name:<{width}}  {e.analytic:>13.6g}  {e.numeric:>13.6g}  {e.error:>10.2e}"
            for e in self.entries
        ]
        verdict = "PASS" if self.passed else "FAIL"
        lines.append(
            f"{verdict}: worst error {self.worst.error:.2e} at {self.worst.name} "
            f"(tolerance {self.tolerance:.0e}, eps {self.eps:g})"
        )
        return "\n".join(lines)


def gradcheck(
    fn: Function,
    inputs: Sequence[Value | float],
    eps: float = 1e-4,
    tolerance: float = 1e-6,
) -> GradcheckReport:
    """Compare backprop's gradient of `fn(*inputs)` with `numerical_grad`, input by input.

    The central difference is accurate to about ε²·|J'''|/6 ≈ 1e-9 for ε = 1e-4, so agreement within
    1e-6 means backprop is right; much larger errors point at a wrong local derivative.
    """
    if not callable(fn):
        raise TypeError(f"gradcheck takes a function of Values and the inputs to check it at, e.g. "
                        f"gradcheck(lambda a, b: a * b, [2.0, 3.0]); got {fn!r} as the function")
    if not inputs:
        raise ValueError("gradcheck needs at least one input")
    theta = _inputs_as_numbers(inputs)
    names = [x.label if isinstance(x, Value) and x.label else f"x{i}" for i, x in enumerate(inputs)]
    leaves = [Value(x, label=name) for x, name in zip(theta, names)]
    out = fn(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value so it can be backpropagated, got {out!r}")
    out.backward()
    numeric = numerical_grad(fn, theta, eps)
    entries = [
        GradcheckEntry(name, leaf.grad, n, relative_error(leaf.grad, n))
        for name, leaf, n in zip(names, leaves, numeric)
    ]
    return GradcheckReport(entries, eps, tolerance)
