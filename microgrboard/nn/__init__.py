"""Neural networks from scalar Values, the way the course teaches them.

Nothing in the engine knows about this package; it builds on `Value`, the inspection tools (gradient
checking) and the batch compiler. Its modules:

- `module.py`: `Module`, `Neuron`, `Layer`, `MLP` (the course's Θ⁽ˡ⁾ as leaves named layerL.neuronJ.wK);
- `init.py`: starting weights (the course's ±ε, randn·0.01, zeros, Xavier, He); `starts.py`: the
  initialization lesson (symmetry and saturation) run and compared;
- `losses.py`: J(Θ)'s data terms and the weight penalty; `classes.py`: classes from outputs and targets;
- `optim.py`: SGD with momentum; `train.py`: the training loop and its `History`; `snapshots.py`: the
  parameters every k steps, for the boards to replay; `divergence.py`: when a run is diverging;
- `report.py`: gradient flow per layer (δ, saturation, distinct units);
- `unroll.py`: θ as one vector, `cost_and_grad`, the course's gradient checking;
- `course.py`: the course's matrices a, z, δ, Δ, D and thetaVec read from the scalar graph
  (`course_backprop`), `course_result.py` what it returns and prints, `course_notation.py` the course's
  names (δ₂⁽³⁾, ℝ^{5×4}, layers numbered from 1), `course_check.py` the exercise's checkNNGradients;
- `batch.py`: J(Θ) on whole batches through the compiler; `checkpoint.py`: save and load (.npz);
- `datasets.py`: small synthetic data sets; `reference.py`: the course's vectorized backprop in numpy,
  an oracle for the tests that shares no code with the engine.
"""

from .batch import BatchLoss, predict
from .checkpoint import load, load_parameters, save
from .classes import predicted_classes, true_classes
from .course import CourseMismatchError, course_backprop, example_graph
from .course_check import NNGradientCheck, check_nn_gradients, debug_initialize_weights, debug_network
from .course_notation import CourseIndexError, Numbered, course_name, layer_mark, real_space, subscript
from .course_result import CourseBackprop, ExampleBackprop, ExampleGraph, Unrolled, Vectorized, unroll, unrolled_ranges
from .divergence import DivergenceWarning
from .init import INIT_EPSILON, INITS, initial_weights
from .losses import (
    LOSSES,
    binary_cross_entropy,
    cost,
    cross_entropy,
    hinge,
    objective,
    penalty_divides_by_m,
    regularization,
    softmax_cross_entropy,
    squared_error,
)
from .module import ACTIVATIONS, MLP, Layer, Module, Neuron, as_examples, expect_model
from .optim import SGD
from .reference import reference_cost_and_gradients
from .report import FLAT, GradientReport, LayerReport, activation_of, gradient_report
from .snapshots import MAX_SNAPSHOTS, Snapshot, take_snapshot
from .starts import STARTS, StartComparison, compare_starts, start_matrices
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
    "ACTIVATIONS", "BatchLoss", "FLAT", "GradientReport", "History", "INITS", "INIT_EPSILON", "LOSSES", "Layer",
    "LayerReport", "MAX_SNAPSHOTS", "MLP", "Module", "NetworkGradcheck", "Neuron", "SGD", "STARTS", "Snapshot",
    "StartComparison", "accuracy", "activation_of", "as_examples", "binary_cross_entropy", "check_gradients",
    "compare_starts", "cost", "cost_and_grad", "cross_entropy", "expect_model", "gradient_report",
    "gradients_to_vector", "hinge", "initial_weights", "load", "load_parameters", "objective",
    "parameters_to_vector", "penalty_divides_by_m", "predict", "predicted_classes", "reference_cost_and_gradients",
    "regularization", "save", "softmax_cross_entropy", "squared_error", "start_matrices", "take_snapshot", "train",
    "true_classes", "vector_to_parameters", "DivergenceWarning",
    # the course's matrices (course.py, course_result.py, course_notation.py, course_check.py)
    "CourseBackprop", "CourseIndexError", "CourseMismatchError", "ExampleBackprop", "ExampleGraph",
    "NNGradientCheck", "Numbered", "Unrolled", "Vectorized", "check_nn_gradients", "course_backprop", "course_name",
    "debug_initialize_weights", "debug_network", "example_graph", "layer_mark", "real_space", "subscript", "unroll",
    "unrolled_ranges",
]
