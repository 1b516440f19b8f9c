"""Neural networks from scalar Values, the way the course teaches them.

Nothing in the engine knows about this package; it only builds on `Value`.
"""

from .batch import BatchLoss, predict
from .checkpoint import load, load_parameters, save
from .init import INIT_EPSILON, INITS, initial_weights
from .losses import (
    LOSSES,
    binary_cross_entropy,
    cost,
    cross_entropy,
    hinge,
    objective,
    regularization,
    softmax_cross_entropy,
    squared_error,
)
from .module import ACTIVATIONS, MLP, Layer, Module, Neuron
from .optim import SGD
from .reference import reference_cost_and_gradients
from .report import GradientReport, LayerReport, gradient_report
from .snapshots import MAX_SNAPSHOTS, Snapshot
from .starts import STARTS, StartComparison, compare_starts
from .train import History, accuracy, train
from .unroll import (
    NetworkGradcheck,
    check_gradients,
    cost_and_grad,
    gradients_to_vector,
    parameters_to_vector,
    vector_to_parameters,
)

__all__ = [
    "ACTIVATIONS", "BatchLoss", "GradientReport", "INITS", "INIT_EPSILON", "LOSSES", "LayerReport", "MAX_SNAPSHOTS",
    "MLP", "SGD", "STARTS", "History", "Layer", "Module", "NetworkGradcheck", "Neuron", "Snapshot", "StartComparison",
    "accuracy", "binary_cross_entropy", "check_gradients", "compare_starts", "cost", "cost_and_grad", "cross_entropy",
    "gradient_report",
    "gradients_to_vector", "hinge", "initial_weights", "load",
    "load_parameters", "objective", "parameters_to_vector", "predict", "reference_cost_and_gradients",
    "regularization", "save", "softmax_cross_entropy", "squared_error", "train", "vector_to_parameters",
]
