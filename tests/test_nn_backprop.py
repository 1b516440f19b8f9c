"""The scalar engine's gradients on whole networks, against the course's vectorized backprop and
against numerical gradient checking."""

import numpy as np
import pytest

from microgrboard.nn import (
    MLP,
    check_gradients,
    cost,
    cost_and_grad,
    gradients_to_vector,
    parameters_to_vector,
    reference_cost_and_gradients,
    vector_to_parameters,
)


def unroll(thetas):
    """The reference's Θ matrices (bias column first) in parameters() order: per neuron, weights then bias."""
    return np.concatenate([np.c_[t[:, 1:], t[:, :1]].ravel() for t in thetas])


def fold(theta, sizes):
    """The inverse of unroll, for layer sizes [s1, s2, ...]."""
    thetas, k = [], 0
    for n_in, n_out in zip(sizes, sizes[1:]):
        block = theta[k:k + n_out * (n_in + 1)].reshape(n_out, n_in + 1)  # per neuron: w1..wn, b
        thetas.append(np.c_[block[:, -1:], block[:, :-1]])
        k += block.size
    assert k == theta.size
    return thetas


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_error"])
@pytest.mark.parametrize("seed", range(4))
def test_engine_equals_the_vectorized_course_backprop(loss, seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 5, size=rng.integers(2, 4)).tolist()
    nin, m = int(rng.integers(1, 5)), int(rng.integers(1, 7))
    hidden = ["sigmoid", "tanh"][seed % 2]
    model = MLP(nin, sizes, activation=hidden, output_activation="sigmoid", init="normal", seed=seed)
    for p in model.parameters():  # random biases too, so every term of D is exercised
        p.data = float(rng.normal())
    X = rng.normal(size=(m, nin))
    Y = (rng.random((m, sizes[-1])) < 0.5).astype(float)
    lam = 0.37

    J = cost(model, X, Y, loss, lam)
    J.backward()
    J_ref, D = reference_cost_and_gradients(model.weight_matrices(), X, Y, lam, loss, hidden, "sigmoid")
    assert J.data == pytest.approx(J_ref, rel=1e-12)
    np.testing.assert_allclose(gradients_to_vector(model), unroll(D), rtol=1e-9, atol=1e-12)


def test_unrolling_round_trip_and_order():
    model = MLP(3, [2, 1], seed=0)
    theta = parameters_to_vector(model)
    assert theta.shape == (2 * 4 + 3,) and np.array_equal(theta, unroll(model.weight_matrices()))
    new = np.arange(theta.size, dtype=float) / 10
    vector_to_parameters(new, model)
    assert np.array_equal(parameters_to_vector(model), new)
    assert model.layers[0].neurons[0].w[1].data == 0.1 and model.layers[0].neurons[0].b.data == 0.3
    with pytest.raises(ValueError, match="11 parameters, got a vector of shape \\(3,\\)"):
        vector_to_parameters(np.zeros(3), model)
    with pytest.raises(ValueError, match="NaN"):
        vector_to_parameters(np.full(11, np.nan), model)


def test_cost_and_grad_is_the_course_cost_function():
    model = MLP(2, [3, 1], seed=0)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(4, 2)), np.array([0.0, 1.0, 1.0, 0.0])
    f = cost_and_grad(model, X, y, "cross_entropy", lam=0.1)
    theta = rng.normal(size=len(model.parameters()))
    J, grad = f(theta)
    J_ref, D = reference_cost_and_gradients(fold(theta, [2, 3, 1]), X, y, 0.1)
    assert J == pytest.approx(J_ref, rel=1e-12)
    np.testing.assert_allclose(grad, unroll(D), rtol=1e-9)
    J2, grad2 = f(theta)  # gradients do not accumulate between calls
    assert J2 == J and np.array_equal(grad, grad2)


def test_lbfgs_through_cost_and_grad():
    optimize = pytest.importorskip("scipy.optimize")
    from microgrboard.nn.datasets import make_moons

    X, y = make_moons(60, 0.1, seed=0)
    model = MLP(2, [6, 1], activation="tanh", output_activation="sigmoid", seed=0)
    f = cost_and_grad(model, X, y, "cross_entropy", lam=1e-3)
    J0, _ = f(parameters_to_vector(model))
    result = optimize.minimize(f, parameters_to_vector(model), jac=True, method="L-BFGS-B",
                               options={"maxiter": 60})
    assert result.fun < 0.2 * J0


def test_gradient_check_of_the_seeds_231_parameter_network():
    rng = np.random.default_rng(0)
    model = MLP(10, [10, 10, 1], seed=0)
    assert len(model.parameters()) == 231
    X, y = rng.normal(size=(3, 10)), np.array([1.0, 0.0, 1.0])
    before = parameters_to_vector(model)
    report = check_gradients(model, X, y, "cross_entropy", lam=1.0)
    assert report.relative_difference < 1e-9
    assert np.array_equal(parameters_to_vector(model), before)  # θ restored
    assert "231 parameters" in str(report)


def test_gradient_check_detects_a_broken_gradient():
    model = MLP(2, [2, 1], seed=0)
    X, y = np.array([[0.5, -0.5]]), np.array([1.0])

    def broken(outputs, targets):
        from microgrboard.nn import squared_error
        J = squared_error(outputs, targets)
        J._da = J._da * 3  # a wrong local derivative in the last gate
        return J

    assert check_gradients(model, X, y, broken).relative_difference > 0.1
