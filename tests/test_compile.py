"""The batch compiler: a traced scalar graph run on a batch equals the eager engine example by example."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgrboard import Value
from microgrboard.compile import compile_graph
from microgrboard.nn import MLP, BatchLoss, cost, gradients_to_vector, predict, train
from microgrboard.nn.datasets import make_moons, make_vehicles

# ops on (inputs and parameters); chosen so every value stays finite on bounded data
OPS = [
    lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b, lambda a, b: a / (1 + b * b),
    lambda a, b: a.tanh(), lambda a, b: a.sigmoid(), lambda a, b: (a * 0.5).exp(), lambda a, b: a.relu(),
    lambda a, b: (a * a + 1).log(), lambda a, b: a**2 + 3, lambda a, b: (1 + b * b) ** a.tanh(),
    lambda a, b: a.softplus(), lambda a, b: 2 - a / 4, lambda a, b: a + b + a * b + b,
]


def build(recipe, inputs, params):
    nodes = list(inputs) + list(params)
    for op, i, j in recipe:
        nodes.append(OPS[op](nodes[i % len(nodes)], nodes[j % len(nodes)]))
    return nodes[-1] + nodes[-2] * 0.5  # fan-out: the last two nodes both feed the root


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 99), st.integers(0, 99)), min_size=2,
                max_size=25), st.integers(1, 6), st.integers(0, 2**31))
def test_random_graphs_equal_the_eager_engine_example_by_example(recipe, m, seed):
    rng = np.random.default_rng(seed)
    data = rng.uniform(-1.5, 1.5, size=(m, 3))
    params = [Value(float(v), label=f"p{i}") for i, v in enumerate(rng.uniform(-1, 1, 3))]
    placeholders = [Value(float(v)) for v in data[0]]
    program = compile_graph(build(recipe, placeholders, params), placeholders)
    batch = program.forward(data)
    program.backward()
    compiled_grads = [p.grad for p in params]

    eager_values, eager_grads = [], np.zeros(3)
    for row in data:
        for p in params:
            p.grad = 0.0
        root = build(recipe, [Value(float(v)) for v in row], params)
        root.backward()
        eager_values.append(root.data)
        eager_grads += [p.grad for p in params]
    np.testing.assert_allclose(batch, eager_values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(compiled_grads, eager_grads, rtol=1e-12, atol=1e-12)


CASES = [
    ("cross_entropy", "tanh", "sigmoid", make_moons(30, 0.1, seed=0)),
    ("cross_entropy", "sigmoid", "sigmoid", make_vehicles(30, seed=1)),
    ("softmax_cross_entropy", "relu", "linear", make_vehicles(30, seed=2)),
    ("squared_error", "tanh", "linear", make_moons(30, 0.1, seed=3)),
    ("hinge", "relu", "linear", (make_moons(30, 0.1, seed=4)[0], 2 * make_moons(30, 0.1, seed=4)[1] - 1)),
]


@pytest.mark.parametrize("loss, hidden, output, data", CASES, ids=[c[0] + "-" + c[1] for c in CASES])
def test_networks_and_losses_equal_the_eager_cost(loss, hidden, output, data):
    X, Y = data
    k = 1 if Y.ndim == 1 else Y.shape[1]
    model = MLP(2, [6, 5, k], activation=hidden, output_activation=output, init="xavier", seed=0)
    J = cost(model, X, Y, loss, lam=0.2)
    J.backward()
    eager = gradients_to_vector(model)
    model.zero_grad()
    batch = BatchLoss(model, loss, lam=0.2)
    assert batch(X, Y) == pytest.approx(J.data, rel=1e-12)
    np.testing.assert_allclose(gradients_to_vector(model), eager, rtol=1e-12, atol=1e-13)
    expected = np.array([[o.data] if k == 1 else [v.data for v in o] for o in (model(x) for x in X.tolist())])
    np.testing.assert_allclose(batch.outputs(), expected, rtol=1e-13)
    np.testing.assert_allclose(predict(model, X), expected, rtol=1e-13)


def test_level_scheduling_and_sum_fusion_make_few_numpy_operations():
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0)
    batch = BatchLoss(model, "hinge")
    X, y = make_moons(10, 0.1, seed=0)
    batch(X, 2 * y - 1)
    program = batch.program
    assert len(program.order) > 900 and len(program.groups) <= 15
    with pytest.raises(ValueError, match="partial sum"):
        program.value_of(next(iter(program.fused)))
    # the traced graph is still an ordinary graph: one example can be drawn and stepped through
    assert len(list(batch.example_loss.backward_steps())) > 900


def test_compiled_training_follows_the_eager_run():
    X, y = make_moons(40, 0.1, seed=0)
    runs = []
    for compiled in (False, True):
        model = MLP(2, [5, 1], activation="tanh", output_activation="sigmoid", seed=0)
        runs.append(train(model, X, y, lam=0.01, lr=0.5, momentum=0.9, epochs=15, compiled=compiled, progress=False))
    np.testing.assert_allclose(runs[1].loss, runs[0].loss, rtol=1e-11)
    assert runs[1].accuracy == runs[0].accuracy


def test_errors_name_the_example():
    x = Value(3.0)
    program = compile_graph((x - 2.0).log(), [x])
    assert program.forward(np.array([[3.0], [5.0]])).tolist() == [0.0, np.log(3.0)]
    with pytest.raises(ValueError, match=r"log\(-1.0\) is undefined.*\n.*example 1 of the batch"):
        program.forward(np.array([[3.0], [1.0]]))
    big = compile_graph(x.exp(), [x])
    with pytest.raises(OverflowError, match="example 0"):
        big.forward(np.array([[1000.0]]))
    square = compile_graph(x * x * 1e200, [x])
    with pytest.raises(OverflowError, match="too large"):
        square.forward(np.array([[1e200]]))
    with pytest.raises(ValueError, match=r"shape \(m, 1\)"):
        program.forward(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        program.forward(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="must be leaves"):
        compile_graph(x * 2, [x * 3])
    with pytest.raises(RuntimeError, match="forward first"):
        compile_graph(x * 2, [x]).backward()


def test_a_local_derivative_that_overflows_is_caught_in_backward():
    x, w = Value(1.0), Value(1.0, label="w")
    program = compile_graph((w * x).reciprocal(), [x])  # d(1/z)/dz = −1/z² overflows where 1/z does not
    program.forward(np.array([[1.0], [1e-160]]))
    with pytest.raises(OverflowError, match="example 1"):
        program.backward()
