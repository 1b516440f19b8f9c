"""Classes from outputs and from targets, the same way for training, reports and boards."""

from __future__ import annotations

import numpy as np

from .module import MLP

CLASSIFICATION_LOSSES = ("cross_entropy", "softmax_cross_entropy", "hinge")


def is_classification(loss) -> bool:
    """Whether a loss (by name) classifies, so that accuracy means something."""
    return isinstance(loss, str) and loss in CLASSIFICATION_LOSSES


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


def fraction_right(model: MLP, outputs: np.ndarray, Y) -> float:
    """The share of examples whose predicted class (from `outputs`) is the target's class."""
    return float(np.mean(predicted_classes(model, outputs) == true_classes(model, Y)))
