"""Module, Neuron, Layer, MLP and initialization, as the course and issue define them."""

import numpy as np
import pytest

from microgrboard import Value
from microgrboard.nn import INIT_EPSILON, MLP, Layer, Neuron


def test_parameters_order_and_names():
    model = MLP(2, [3, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert names[:4] == ["layer1.neuron1.w1", "layer1.neuron1.w2", "layer1.neuron1.b", "layer1.neuron2.w1"]
    assert names[-3:] == ["layer2.neuron1.w2", "layer2.neuron1.w3", "layer2.neuron1.b"]
    assert len(names) == len(set(names)) == 3 * 3 + 4
    assert [p.label for p in model.parameters()] == names  # labels carry the names for diagrams
    assert len(model.weights()) == 2 * 3 + 3 and all(not p.label.endswith(".b") for p in model.weights())


def test_forward_matches_a_hand_computation():
    model = MLP(2, [2, 1], activation="tanh", output_activation="sigmoid", seed=3)
    theta1, theta2 = model.weight_matrices()
    x = np.array([0.4, -1.2])
    hidden = np.tanh(theta1 @ np.r_[1.0, x])
    expected = 1 / (1 + np.exp(-(theta2 @ np.r_[1.0, hidden])))
    out = model(x.tolist())
    assert isinstance(out, Value) and out.data == pytest.approx(expected[0], rel=1e-14)


def test_outputs_list_for_k_outputs_and_width_one_hidden_layers():
    assert len(MLP(2, [3, 4], seed=0)([1.0, 2.0])) == 4
    narrow = MLP(2, [16, 1, 1], seed=0)
    assert isinstance(narrow([0.5, -0.5]), Value)
    assert len(narrow.parameters()) == 16 * 3 + 17 + 2
    assert narrow([Value(0.5), 1])  # Values and numbers both work as inputs


def test_zero_grad_and_backward_reach_every_parameter():
    model = MLP(2, [3, 1], init="uniform", seed=0)
    model([1.0, -1.0]).backward()
    assert all(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_same_seed_same_network_and_default_rng_draws():
    a, b = MLP(3, [4, 2], seed=7), MLP(3, [4, 2], seed=7)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    rng = np.random.default_rng(7)
    first_layer = rng.uniform(-INIT_EPSILON, INIT_EPSILON, size=(4, 3))
    assert np.array_equal(a.weight_matrices()[0][:, 1:], first_layer)
    assert [p.data for p in MLP(3, [4, 2], seed=8).parameters()] != [p.data for p in a.parameters()]


@pytest.mark.parametrize("init", ["uniform", "normal", "zeros", "xavier", "he"])
def test_initializations(init):
    model = MLP(50, [40, 30], init=init, seed=0)
    thetas = model.weight_matrices()
    assert all(np.all(t[:, 0] == 0.0) for t in thetas)  # biases start at 0
    w = thetas[0][:, 1:]
    if init == "uniform":
        assert INIT_EPSILON == 0.12 and np.abs(w).max() <= 0.12 and np.abs(w).max() > 0.11
    elif init == "normal":
        assert 0.009 < w.std() < 0.011 and abs(w.mean()) < 0.001
    elif init == "zeros":
        assert np.all(w == 0.0)
    elif init == "xavier":
        limit = np.sqrt(6 / (50 + 40))
        assert np.abs(w).max() <= limit and np.abs(w).max() > 0.95 * limit
    else:
        assert 0.9 * np.sqrt(2 / 50) < w.std() < 1.1 * np.sqrt(2 / 50)


def test_custom_init_epsilon():
    w = MLP(5, [5], init="uniform", init_epsilon=0.01, seed=0).weight_matrices()[0][:, 1:]
    assert np.abs(w).max() <= 0.01


def test_neuron_and_layer_standalone():
    n = Neuron([0.5, -1.0], activation="relu", name="n")
    assert n([2.0, 0.5]).data == pytest.approx(0.5)
    assert [p.label for p in n.parameters()] == ["n.w1", "n.w2", "n.b"]
    layer = Layer(np.array([[1.0], [2.0]]), activation="linear", name="l")
    assert [v.data for v in layer([3.0])] == [3.0, 6.0]


def test_bad_input_is_a_clear_error():
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="takes 2 inputs per example, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="list of 2 numbers"):
        model(1.0)
    with pytest.raises(TypeError, match="real number"):
        model(["a", 1.0])
    with pytest.raises(ValueError, match="unknown activation 'softmax'; choose one of sigmoid, tanh, relu, linear"):
        MLP(2, [3], activation="softmax")
    with pytest.raises(ValueError, match="unknown activation"):
        MLP(2, [3], output_activation="step")
    with pytest.raises(ValueError, match="unknown init 'glorot'"):
        MLP(2, [3], init="glorot")
    with pytest.raises(ValueError, match="layer widths"):
        MLP(2, [])
    with pytest.raises(ValueError, match="layer widths"):
        MLP(2, [0, 1])
