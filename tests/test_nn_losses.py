"""Cost functions against numpy formulas written out independently, and their gradients against gradcheck."""

import numpy as np
import pytest

from microgrboard import Value, gradcheck
from microgrboard.nn import (
    MLP,
    cost,
    cross_entropy,
    hinge,
    regularization,
    softmax_cross_entropy,
    squared_error,
)


def test_cross_entropy_is_the_course_formula_with_lambda_over_2m():
    model = MLP(3, [4, 2], seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), np.eye(2)[rng.integers(0, 2, 6)]
    H = np.array([[o.data for o in model(x)] for x in X.tolist()])
    lam, m = 0.7, 6
    weights = sum(np.sum(t[:, 1:] ** 2) for t in model.weight_matrices())
    expected = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m + lam / (2 * m) * weights
    assert cost(model, X, Y, "cross_entropy", lam).data == pytest.approx(expected, rel=1e-13)


def test_binary_cross_entropy_accepts_a_flat_target_vector():
    outs = [Value(0.3).sigmoid(), Value(-2.0).sigmoid()]
    h = 1 / (1 + np.exp(-np.array([0.3, -2.0])))
    y = np.array([1.0, 0.0])
    expected = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    assert cross_entropy(outs, y).data == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_is_finite_for_saturated_outputs():
    z = Value(50.0)
    h = z.sigmoid()
    assert h.data == 1.0  # saturated: log(1 − h) would be log(0)
    loss = cross_entropy([h], [0.0])
    assert loss.data == pytest.approx(50.0, rel=1e-12)  # −log(1 − σ(50)) = softplus(50) ≈ 50
    loss.backward()
    assert z.grad == pytest.approx(1.0)  # σ(z) − y
    assert cross_entropy([Value(-800.0).sigmoid()], [1.0]).data == pytest.approx(800.0)


def test_cross_entropy_of_non_sigmoid_outputs_needs_probabilities():
    assert cross_entropy([Value(0.25)], [1.0]).data == pytest.approx(-np.log(0.25))
    with pytest.raises(ValueError, match="log"):
        cross_entropy([Value(1.0)], [0.0])


def test_softmax_cross_entropy_against_numpy_and_with_class_indices():
    Z = np.array([[2.0, -1.0, 0.5], [300.0, 0.0, -300.0]])  # the second row would overflow a naive exp
    labels = np.array([2, 0])
    log_softmax = Z - Z.max(1, keepdims=True) - np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1, keepdims=True))
    expected = -np.mean(log_softmax[np.arange(2), labels])
    logits = [[Value(z) for z in row] for row in Z.tolist()]
    assert softmax_cross_entropy(logits, labels).data == pytest.approx(expected, rel=1e-13)
    assert softmax_cross_entropy(logits, np.eye(3)[labels]).data == pytest.approx(expected, rel=1e-13)
    with pytest.raises(ValueError, match="class indices"):
        softmax_cross_entropy(logits, [3, 0])


def test_squared_error_and_its_lambda_over_2():
    model = MLP(1, [3, 1], activation="tanh", output_activation="linear", seed=0)
    X, y = np.array([[0.1], [0.5], [-0.7]]), np.array([0.2, -0.1, 0.4])
    h = np.array([model(x).data for x in X.tolist()])
    weights = sum(np.sum(t[:, 1:] ** 2) for t in model.weight_matrices())
    expected = np.mean(0.5 * (h - y) ** 2) + 0.3 / 2 * weights
    assert cost(model, X, y, "squared_error", lam=0.3).data == pytest.approx(expected, rel=1e-13)
    assert squared_error([[Value(1.0), Value(2.0)]], [[0.0, 0.0]]).data == 2.5


def test_hinge_loss():
    outs = [Value(0.3), Value(-2.0), Value(1.5)]
    y = np.array([1.0, 1.0, -1.0])
    expected = np.mean(np.maximum(0, 1 - y * np.array([0.3, -2.0, 1.5])))
    assert hinge(outs, y).data == pytest.approx(expected)
    with pytest.raises(ValueError, match="−1 or \\+1"):
        hinge(outs, [0.0, 1.0, 1.0])


def test_regularization_skips_biases():
    model = MLP(2, [2, 1], seed=0)
    for p in model.parameters():
        p.data = 1.0 if p.label.endswith(".b") else 2.0
    assert regularization(model, lam=1.0, m=2).data == pytest.approx(1.0 / 4 * 6 * 4.0)
    assert regularization(model, lam=1.0).data == pytest.approx(0.5 * 6 * 4.0)
    assert regularization(model, lam=0.0).data == 0.0
    with pytest.raises(ValueError, match="λ"):
        regularization(model, lam=-1.0)


@pytest.mark.parametrize("name", ["cross_entropy", "softmax_cross_entropy", "squared_error", "hinge"])
def test_every_loss_backpropagates_correctly(name):
    targets = {"cross_entropy": [[1.0, 0.0], [0.0, 1.0]], "softmax_cross_entropy": [1, 0],
               "squared_error": [[0.5, -1.0], [2.0, 0.0]], "hinge": [[1.0, -1.0], [-1.0, 1.0]]}[name]
    from microgrboard.nn import LOSSES

    def J(a, b, c, d):
        outs = [[a, b], [c, d]]
        if name == "cross_entropy":
            outs = [[o.sigmoid() for o in row] for row in outs]
        return LOSSES[name](outs, targets)

    assert gradcheck(J, [0.3, -0.8, 1.7, 0.1]).passed


def test_targets_of_the_wrong_shape():
    outs = [[Value(0.1), Value(0.2)]] * 3
    with pytest.raises(ValueError, match=r"targets have shape \(3, 1\).*3 examples × 2 units"):
        squared_error(outs, [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="targets have shape"):
        cross_entropy(outs, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        squared_error(outs, np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="no examples"):
        squared_error([], [])
