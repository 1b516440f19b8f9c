"""The gradient-flow report against oracles that share none of its code: the eager scalar engine
(each δ is the .grad of a neuron's z node) and numpy written out here and in nn/reference.py."""

import numpy as np
import pytest

from microgrboard.nn import MLP, gradient_report, objective, reference_cost_and_gradients
from microgrboard.nn.datasets import make_moons, make_vehicles


def eager_flow(model, X, Y, loss, lam):
    """Per layer, from the scalar engine: mean |∂J/∂W| (the weights' .grad) and mean |δ| = m·|∂J/∂z|."""
    model.zero_grad()
    zs = [[] for _ in model.layers]
    outputs = []
    for x in X.tolist():
        a = x
        for l, layer in enumerate(model.layers):
            a = layer(a)
            linear = layer.neurons[0].activation == "linear"  # then the output is z itself
            zs[l].append([o if linear else o.parents[0] for o in a])
        outputs.append(a[0] if len(a) == 1 else a)
    J = objective(model, outputs, Y.tolist(), loss, lam)
    J.backward()
    m = len(X)
    weight_grads = [np.mean([abs(w.grad) for n in layer.neurons for w in n.w]) for layer in model.layers]
    deltas = [m * np.mean([[abs(z.grad) for z in row] for row in layer_zs]) for layer_zs in zs]
    model.zero_grad()
    return J.data, weight_grads, deltas


CASES = [
    ("tanh", "sigmoid", "cross_entropy", 0.1, [5, 3, 1]),
    ("sigmoid", "sigmoid", "squared_error", 0.3, [4, 1]),
    ("relu", "linear", "hinge", 0.0, [6, 1]),
    ("relu", "linear", "softmax_cross_entropy", 0.01, [5, 4]),
]


@pytest.mark.parametrize("activation, output, loss, lam, nouts", CASES)
def test_gradients_and_deltas_equal_the_scalar_engines(activation, output, loss, lam, nouts):
    if nouts[-1] == 4:
        X, Y = make_vehicles(25, seed=2)
    else:
        X, y = make_moons(25, 0.2, seed=3)
        Y = 2 * y - 1 if loss == "hinge" else y
    model = MLP(2, nouts, activation=activation, output_activation=output, init="he", seed=4)
    before = [(p.data, p.grad) for p in model.parameters()]
    report = gradient_report(model, X, Y, loss, lam)
    assert [(p.data, p.grad) for p in model.parameters()] == before  # looking changes nothing
    J, weight_grads, deltas = eager_flow(model, X, Y, loss, lam)
    assert report.loss == pytest.approx(J, rel=1e-12)
    assert [r.weight_grad for r in report.layers] == pytest.approx(weight_grads, rel=1e-10)
    assert [r.delta for r in report.layers] == pytest.approx(deltas, rel=1e-10)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_saturation_and_course_gradients_by_numpy():
    """Large weights: the course's vectorized backprop gives the same ∂J/∂Θ, and numpy counts the
    units whose σ' = a(1 − a) is below 0.01 on most examples."""
    X, y = make_moons(40, 0.1, seed=0)
    model = MLP(2, [6, 1], activation="sigmoid", init="zeros")
    rng = np.random.default_rng(7)
    thetas = [rng.normal(scale=6.0, size=(6, 3)), rng.normal(scale=0.5, size=(1, 7))]
    model.set_weight_matrices(thetas)
    report = gradient_report(model, X, y, "cross_entropy", lam=0.5)
    J, grads = reference_cost_and_gradients(thetas, X, y, lam=0.5)
    assert report.loss == pytest.approx(J, rel=1e-12)
    assert [r.weight_grad for r in report.layers] == pytest.approx([np.abs(g[:, 1:]).mean() for g in grads], rel=1e-12)
    a1 = sigmoid(np.c_[np.ones(40), X] @ thetas[0].T)
    saturated = np.mean((a1 * (1 - a1) < 0.01).mean(axis=0) > 0.5)
    assert 0 < saturated < 1 and report.layers[0].saturated == saturated
    h = sigmoid(np.c_[np.ones(40), a1] @ thetas[1].T)
    assert report.layers[1].delta == pytest.approx(np.abs(h[:, 0] - y).mean())  # δ⁽ᴸ⁾ = a − y
    assert report.accuracy == np.mean((h[:, 0] > 0.5) == y)


def test_dead_relu_units_and_symmetry_are_counted():
    X, y = make_moons(30, 0.1, seed=0)
    model = MLP(2, [4, 1], activation="relu", output_activation="sigmoid", init="zeros")
    theta1 = np.array([[-50.0, 0.1, 0.1], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.2, -1.0, 0.5]])
    model.set_weight_matrices([theta1, np.array([[0.0, 1.0, 1.0, 1.0, 1.0]])])
    layer = gradient_report(model, X, y).layers[0]
    z = np.c_[np.ones(30), X] @ theta1.T
    assert layer.saturated == np.mean(np.all(z <= 0, axis=0)) == 0.25  # the first unit is dead everywhere
    assert layer.distinct == 3  # units 2 and 3 are the same function
    assert gradient_report(MLP(2, [5, 1], init="zeros"), X, y).layers[0].distinct == 1


def test_the_report_prints_a_short_table_and_refuses_bad_shapes():
    X, y = make_moons(20, 0.1, seed=0)
    report = gradient_report(MLP(2, [3, 1], seed=0), X, y)
    text = str(report)
    assert text.splitlines()[0].startswith("J = ") and "layer1" in text and "saturated" in text
    assert len(repr(report)) < 200
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        gradient_report(MLP(2, [3, 1]), np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="4 examples but 3 targets"):
        gradient_report(MLP(2, [3, 1]), np.zeros((4, 2)), np.zeros(3))
