"""Training: gradient descent on J(Θ), full batch or mini-batch, recording the loss history.

The course's recipe: initialize at random, forward-propagate, compute J(Θ), back-propagate to get
∂J/∂Θ, and take a gradient step; repeat.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np

from ..value import Value
from .batch import BatchLoss, predict
from .losses import Loss, get_loss, objective
from .module import MLP
from .optim import SGD

CLASSIFICATION_LOSSES = ("cross_entropy", "softmax_cross_entropy", "hinge")


@dataclass
class History:
    """What a training run recorded: J after each gradient step, and training accuracy per step."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)  # empty for regression losses

    @property
    def final_loss(self) -> float:
        return self.loss[-1]


def output_array(outputs: Sequence) -> np.ndarray:
    """Model outputs (a Value or a list of Values per example) as an (m × K) array."""
    return np.array([[out.data] if isinstance(out, Value) else [o.data for o in out] for out in outputs])


def predicted_classes(model: MLP, outputs: np.ndarray) -> np.ndarray:
    """Class per example from (m × K) outputs: the largest output for K > 1; for one output, whether
    it is past the middle of its activation's range (0.5 for sigmoid, 0 otherwise)."""
    if model.nouts[-1] > 1:
        return outputs.argmax(axis=1)
    threshold = 0.5 if model.output_activation == "sigmoid" else 0.0
    return (outputs[:, 0] > threshold).astype(int)


def true_classes(model: MLP, Y) -> np.ndarray:
    """Targets as class numbers: argmax of one-hot rows, or 0/1 (or −1/+1) labels as 0/1."""
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 2 and Y.shape[1] > 1:
        return Y.argmax(axis=1)
    if model.nouts[-1] > 1:  # class indices for a K-output model
        return Y.reshape(-1).astype(int)
    return (Y.reshape(-1) > (0.5 if model.output_activation == "sigmoid" else 0.0)).astype(int)


def accuracy(model: MLP, X, Y, compiled: bool = False) -> float:
    """The fraction of examples whose predicted class is the target class (compiled=True runs the
    forward pass through the batch compiler, for large data sets)."""
    if compiled:
        outputs = predict(model, X)
    else:
        outputs = output_array([model(x) for x in np.asarray(X, dtype=float).tolist()])
    return float(np.mean(predicted_classes(model, outputs) == true_classes(model, Y)))


def train(
    model: MLP,
    X,
    Y,
    loss: str | Loss = "cross_entropy",
    lam: float = 0.0,
    lr: float = 0.5,
    epochs: int = 100,
    batch_size: int | None = None,
    momentum: float = 0.0,
    seed: int | None = 0,
    progress: bool | None = None,
    file: TextIO | None = None,
    compiled: bool = False,
) -> History:
    """Minimize J(Θ) with gradient descent; returns the History of J (and accuracy) per step.

    batch_size=None is full-batch gradient descent; a number gives mini-batches, reshuffled every
    epoch from `seed`. `progress` prints about ten lines over the run (default: on for runs of at
    least 50 epochs). compiled=True runs each step through the batch compiler (`nn.batch`): the same
    gradients, at numpy speed.
    """
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape[1] != model.nin:
        raise ValueError(f"train: X must be m × {model.nin} (one row per example), got shape {X.shape}")
    if len(Y) != len(X):
        raise ValueError(f"train: {len(X)} examples but {len(Y)} targets")
    if epochs < 1:
        raise ValueError(f"train: epochs must be ≥ 1, got {epochs!r}")
    get_loss(loss)  # an unknown loss name fails here, before any work
    classify = isinstance(loss, str) and loss in CLASSIFICATION_LOSSES
    m = len(X)
    batch = m if batch_size is None else int(batch_size)
    if not 1 <= batch <= m:
        raise ValueError(f"train: batch_size must be between 1 and {m}, got {batch_size!r}")
    progress = epochs >= 50 if progress is None else progress
    out = file if file is not None else sys.stdout
    rng = np.random.default_rng(seed)
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)
    history = History()
    rows, targets = X.tolist(), Y.tolist()
    batch_loss = BatchLoss(model, loss, lam) if compiled else None

    for epoch in range(1, epochs + 1):
        order = np.arange(m) if batch == m else rng.permutation(m)
        for start in range(0, m, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            if batch_loss is not None:
                J = batch_loss(X[idx], Y[idx])
                outputs = batch_loss.outputs() if classify else None
            else:
                values = [model(rows[i]) for i in idx]
                J_graph = objective(model, values, [targets[i] for i in idx], loss, lam)
                J_graph.backward()
                J, outputs = J_graph.data, output_array(values) if classify else None
            optimizer.step()
            history.loss.append(J)
            if classify:
                history.accuracy.append(
                    float(np.mean(predicted_classes(model, outputs) == true_classes(model, Y[idx])))
                )
        if progress and (epoch == epochs or epoch % max(1, epochs // 10) == 0):
            extra = f"  accuracy {history.accuracy[-1]:.1%}" if classify else ""
            print(f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history.loss[-1]:.5f}{extra}", file=out)
    return history
