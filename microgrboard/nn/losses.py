"""Cost functions, as the course writes them, plus what PyTorch users expect.

Each loss takes the model's outputs for m examples and their targets and returns the data term of
J(Θ) as one Value; `regularization` adds the weight penalty, and `cost` puts the two together.
Outputs for one example are a Value (one output unit) or a list of K Values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable, Union

import numpy as np

from ..engine.primitives import SIGMOID
from ..engine.value import Value
from .module import Module, expect_model

Output = Union[Value, Sequence[Value]]


def _rows(outputs: Sequence[Output], targets, what: str):
    """Each example's outputs and targets as equal-length lists, or a clear error.

    Targets are numbers, or Values when a loss is traced with placeholders for the batch compiler.
    """
    outputs = [[o] if isinstance(o, Value) else list(o) for o in outputs]
    if not outputs:
        raise ValueError(f"{what}: no examples (m = 0)")
    if _holds_values(targets):
        rows = [[t] if isinstance(t, Value) else list(t) for t in targets]
        shape = (len(rows), len(rows[0]))
    else:
        array = np.asarray(targets, dtype=float)
        if array.ndim == 1:
            array = array[:, None]
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{what}: targets contain NaN or infinity")
        rows, shape = array.tolist(), array.shape
    k = len(outputs[0])
    if shape != (len(outputs), k):
        raise ValueError(
            f"{what}: targets have shape {shape}, but the outputs are {len(outputs)} examples × {k} "
            f"units; give one target per output unit (one-hot rows for K classes)"
        )
    return outputs, rows


def _holds_values(targets) -> bool:
    first = targets[0] if len(targets) else None
    return isinstance(first, Value) or (isinstance(first, (list, tuple)) and any(isinstance(t, Value) for t in first))


def total(values: Sequence[Value]) -> Value:
    """v1 + v2 + … as a chain of add gates (no extra "+0" node); an empty sum is Value(0)."""
    if not values:
        return Value(0.0)
    result = values[0]
    for v in values[1:]:
        result = result + v
    return result


def log_likelihood(h: Value, y) -> Value:
    """y·log h + (1 − y)·log(1 − h) for one output h, safe when h saturates to exactly 0 or 1.

    When h = σ(z) is a sigmoid gate it works from z: log σ(z) = −softplus(−z) and
    log(1 − σ(z)) = −softplus(z) stay finite for any z (as PyTorch's BCEWithLogits does).
    Otherwise h must lie strictly between 0 and 1, or log raises a clear error. A term whose weight
    is a plain 0 is left out.
    """
    if h.primitive is SIGMOID:
        z = h.parents[0]
        log_h, log_1mh = (lambda: -(-z).softplus()), (lambda: -z.softplus())
    else:
        log_h, log_1mh = (lambda: h.log()), (lambda: (1 - h).log())
    if not isinstance(y, Value):
        if y == 1.0:
            return log_h()
        if y == 0.0:
            return log_1mh()
    return log_h() * y + log_1mh() * (1 - y)


def cross_entropy(outputs: Sequence[Output], targets) -> Value:
    """The course's J(Θ) data term for K sigmoid outputs and 0/1 (one-hot) targets:
    −(1/m) Σᵢ Σₖ [yₖ log hₖ + (1 − yₖ) log(1 − hₖ)]. With K = 1 it is the binary case."""
    outputs, targets = _rows(outputs, targets, "cross_entropy")
    terms = [log_likelihood(h, y) for hs, ys in zip(outputs, targets) for h, y in zip(hs, ys)]
    return total(terms) * (-1.0 / len(outputs))


binary_cross_entropy = cross_entropy  # the K = 1 case of the same formula


def softmax_cross_entropy(logits: Sequence[Output], targets) -> Value:
    """−(1/m) Σᵢ log softmax(zᵢ)[yᵢ] over linear outputs z (PyTorch's CrossEntropyLoss).

    `targets` are class indices or one-hot rows. log softmax(z)ₖ = zₖ − log Σⱼ e^(zⱼ − c) − c, with
    c = max z as a constant shift, so exp never overflows.
    """
    logits = [[o] if isinstance(o, Value) else list(o) for o in logits]
    if not _holds_values(targets):
        targets = np.asarray(targets)
        if targets.ndim == 1:
            k = len(logits[0]) if logits else 0
            if targets.size and (targets.min() < 0 or targets.max() >= k or np.any(targets != np.round(targets))):
                raise ValueError(
                    f"softmax_cross_entropy: class indices must be integers in 0..{k - 1}, got {targets!r}"
                )
            targets = np.eye(k)[targets.astype(int)] if targets.size else targets
    logits, onehot = _rows(logits, targets, "softmax_cross_entropy")
    terms = []
    for zs, ys in zip(logits, onehot):
        # c = max z is a constant shift (log Σ e^z = c + log Σ e^(z − c)); a traced program keeps the
        # traced example's c, which is exact for every example as long as no e^(z − c) overflows
        shift = max(z.data for z in zs)
        log_sum = total([(z - shift).exp() for z in zs]).log() + shift
        terms.extend((z - log_sum) * y for z, y in zip(zs, ys) if isinstance(y, Value) or y)
    return total(terms) * (-1.0 / len(logits))


def squared_error(outputs: Sequence[Output], targets) -> Value:
    """(1/m) Σᵢ ½‖h(xᵢ) − yᵢ‖², the course's cost for regression."""
    outputs, targets = _rows(outputs, targets, "squared_error")
    terms = [(h - y) ** 2 for hs, ys in zip(outputs, targets) for h, y in zip(hs, ys)]
    return total(terms) * (0.5 / len(outputs))


def hinge(outputs: Sequence[Output], targets) -> Value:
    """Max-margin loss (1/m) Σᵢ max(0, 1 − yᵢ·h(xᵢ)) for labels y ∈ {−1, +1} and a linear output."""
    outputs, targets = _rows(outputs, targets, "hinge")
    if any(not isinstance(y, Value) and y not in (-1.0, 1.0) for ys in targets for y in ys):
        raise ValueError("hinge: targets must be −1 or +1")
    terms = [(1 - h * y).relu() for hs, ys in zip(outputs, targets) for h, y in zip(hs, ys)]
    return total(terms) * (1.0 / len(outputs))


def regularization(model: Module, lam: float, m: int | None = None) -> Value:
    """(λ/2m)·Σ Θ² over the weights (no bias terms); with m = None, (λ/2)·Σ W² as in the
    course's regression example. λ = 0 gives an exact 0."""
    if lam < 0:
        raise ValueError(f"regularization: λ must be ≥ 0, got {lam!r}")
    scale = lam / 2.0 if m is None else lam / (2.0 * m)
    return total([w * w for w in model.weights()]) * scale


Loss = Callable[[Sequence[Output], object], Value]
LOSSES: dict[str, Loss] = {
    "cross_entropy": cross_entropy,
    "softmax_cross_entropy": softmax_cross_entropy,
    "squared_error": squared_error,
    "hinge": hinge,
}
# The course divides the penalty by m for classification, λ/(2m)·ΣΘ², but not in its regression
# example, (λ/2)·ΣW², whose gradient is then D = (1/m)Δ + λW.
PENALTY_PER_EXAMPLE = {"cross_entropy": True, "softmax_cross_entropy": True, "squared_error": False, "hinge": True}


def penalty_divides_by_m(loss: str | Loss) -> bool:
    """Whether this loss's weight penalty is (λ/2m)·ΣΘ² (the course's classification cost, and any
    loss given as a function) rather than (λ/2)·ΣW² (its regression cost, squared error)."""
    return PENALTY_PER_EXAMPLE.get(loss, True) if isinstance(loss, str) else True


def get_loss(loss: str | Loss) -> Loss:
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)} or pass a function")
    return LOSSES[loss]


def cost(model: Module, X, Y, loss: str | Loss = "cross_entropy", lam: float = 0.0) -> Value:
    """J(Θ) on the examples X with targets Y: forward propagation, then `objective`."""
    expect_model(model, "cost", Module)
    return objective(model, [model(x) for x in list(X)], Y, loss, lam)


def objective(model: Module, outputs: Sequence[Output], Y, loss: str | Loss = "cross_entropy",
              lam: float = 0.0) -> Value:
    """J(Θ) from the model's outputs on m examples: the loss's data term plus its weight penalty."""
    data_term = get_loss(loss)(outputs, Y)
    if not lam:
        return data_term
    return data_term + regularization(model, lam, len(outputs) if penalty_divides_by_m(loss) else None)
