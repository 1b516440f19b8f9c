"""The batch compiler: a traced scalar graph run on a batch equals the eager engine example by example."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgrboard import Value
from microgrboard.compiler.program import _Linear, compile_graph
from microgrboard.nn import MLP, BatchLoss, cost, gradients_to_vector, predict, train
from microgrboard.nn.datasets import make_moons, make_vehicles
from microgrboard.nn.module import ACTIVATIONS

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


def make_case(loss, seed):
    if loss == "hinge":
        X, y = make_moons(30, 0.1, seed=seed)
        return X, 2 * y - 1
    return make_vehicles(30, seed=seed) if loss != "squared_error" else make_moons(30, 0.1, seed=seed)


OUTPUT_OF = {"cross_entropy": "sigmoid", "softmax_cross_entropy": "linear", "squared_error": "linear",
             "hinge": "linear"}
CASES = [(loss, hidden) for loss in OUTPUT_OF for hidden in ACTIVATIONS]


@pytest.mark.parametrize("loss, hidden", CASES, ids=[f"{loss}-{hidden}" for loss, hidden in CASES])
def test_every_loss_and_activation_equals_the_eager_cost(loss, hidden):
    X, Y = make_case(loss, seed=len(loss) + len(hidden))
    k = 1 if Y.ndim == 1 else Y.shape[1]
    model = MLP(2, [6, 5, k], activation=hidden, output_activation=OUTPUT_OF[loss], init="xavier", seed=0)
    J = cost(model, X, Y, loss, lam=0.2)
    J.backward()
    eager = gradients_to_vector(model)
    model.zero_grad()
    batch = BatchLoss(model, loss, lam=0.2)
    assert batch(X, Y) == pytest.approx(J.data, rel=1e-12)
    assert any(isinstance(g, _Linear) for g in batch.program.groups)  # the layers ran as matrix products
    np.testing.assert_allclose(gradients_to_vector(model), eager, rtol=1e-12, atol=1e-13)
    expected = np.array([[o.data] if k == 1 else [v.data for v in o] for o in (model(x) for x in X.tolist())])
    # a matrix product adds in another order than the eager chain: equal to rounding, relative to the terms
    np.testing.assert_allclose(batch.outputs(), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(predict(model, X), expected, rtol=1e-12, atol=1e-14)


ACTS = [lambda z: z, lambda z: z.tanh(), lambda z: z.sigmoid(), lambda z: z.relu(), lambda z: z.softplus(),
        lambda z: (z * 0.5).exp(), lambda z: z * z]


@st.composite
def layered(draw):
    """A random network-like graph: layers of weighted sums (shared inputs, repeated or shared weights,
    weights on either side of the product, extra terms), activations, and a loss-like root."""
    n_in = draw(st.integers(1, 4))
    widths = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    layers = []
    for width in widths:
        layers.append([(draw(st.booleans()),  # bias
                        draw(st.integers(0, 2)),  # extra terms: 0, a previous value, or a parameter × itself
                        draw(st.booleans()),  # weight written first (w * x) or last (x * w)
                        draw(st.integers(0, len(ACTS) - 1)),  # activation
                        draw(st.lists(st.integers(0, 99), min_size=1, max_size=4)))  # which inputs (repeats allowed)
                       for _ in range(width)])
    return n_in, layers, draw(st.integers(0, 2**31)), draw(st.integers(1, 5))


def run_layers(n_in, layers, xs, params):
    p = iter(params)
    a = list(xs)
    for layer in layers:
        out = []
        for bias, extra, w_first, act, picks in layer:
            z = next(p) if bias else None
            for pick in picks:
                x, w = a[pick % len(a)], next(p)
                term = w * x if w_first else x * w
                z = term if z is None else z + term
            if extra == 1:
                z = z + a[0]
            elif extra == 2:
                q = next(p)
                z = z + q * q
            out.append(ACTS[act](z))
        a = out
    root = a[0]
    for v in a[1:]:
        root = root + v * 0.5
    return root, a


@settings(max_examples=60, deadline=None)
@given(layered())
def test_random_layered_graphs_equal_the_eager_engine(case):
    n_in, layers, seed, m = case
    rng = np.random.default_rng(seed)
    params = [Value(float(v), label=f"p{i}") for i, v in enumerate(rng.uniform(-1, 1, 200))]
    data = rng.uniform(-1.5, 1.5, size=(m, n_in))
    placeholders = [Value(float(v)) for v in data[0]]
    root, outs = run_layers(n_in, layers, placeholders, params)
    program = compile_graph(root, placeholders, outputs=outs)
    batch = program.forward(data)
    program.backward(seed=np.linspace(0.5, 1.5, m))
    compiled = [p.grad for p in params]
    eager_values, eager_grads = [], np.zeros(len(params))
    for e, row in enumerate(data):
        for p in params:
            p.grad = 0.0
        eager_root, eager_outs = run_layers(n_in, layers, [Value(float(v)) for v in row], params)
        (eager_root * float(np.linspace(0.5, 1.5, m)[e])).backward()
        eager_values.append([eager_root.data] + [o.data for o in eager_outs])
        eager_grads += [p.grad for p in params]
    values = np.column_stack([batch] + [program.value_of(o) for o in outs])
    np.testing.assert_allclose(values, eager_values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(compiled, eager_grads, rtol=1e-12, atol=1e-12)


def test_a_layer_is_one_matrix_product_and_the_program_stays_small():
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0)
    batch = BatchLoss(model, "hinge")
    X, y = make_moons(10, 0.1, seed=0)
    batch(X, 2 * y - 1)
    program = batch.program
    linear = [g for g in program.groups if isinstance(g, _Linear)]
    assert [g.w_ids.shape for g in linear] == [(16, 2), (16, 16), (1, 16)]  # W of each layer
    assert len(program.order) > 900 and len(program.groups) <= 10
    with pytest.raises(ValueError, match="inside a sum or a matrix product"):
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
    with pytest.raises(ValueError, match=r"log\(-1\) is undefined.*\n.*example 1 of the batch"):
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


def test_a_backward_that_would_overflow_names_the_edge_and_the_example_and_changes_nothing():
    x, w = Value(1.0, label="x"), Value(1e-200, label="w")
    program = compile_graph((w * x) * 1e200, [x])  # ∂/∂w = x · 1e200: fine for x = 1, not for x = 1e200
    program.forward(np.array([[1.0], [1e-200]]))
    assert program.backward().tolist() == [1e200 + 1e0]  # 1·1e200 + 1e-200·1e200
    w.grad = 0.5
    program.forward(np.array([[1.0], [1e200]]))  # the values are fine: w·x·1e200 = 1e200
    with pytest.raises(OverflowError, match=r"backward: on the edge w → .*local × upstream = 1e\+200 × 1e\+200 is too "
                                            r"large for a float.*in example 1 of the batch"):
        program.backward()
    assert w.grad == 0.5  # all or nothing


def test_a_gradient_that_overflows_only_summed_over_the_batch_is_named():
    x, w = Value(1.0, label="x"), Value(1.0, label="w")
    program = compile_graph(w * x, [x])
    program.forward(np.array([[1e308], [1e308]]))  # each example's ∂/∂w is fine; their sum is not
    with pytest.raises(OverflowError, match="gradient of w summed over the batch"):
        program.backward()
    assert w.grad == 0.0


def test_numbers_entering_a_program_are_checked():
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    program = compile_graph(w * x, [x])
    assert program.forward(np.array([[np.float32(0.1)]], dtype=np.float32)).tolist() == [2 * float(np.float32(0.1))]
    for seed in (np.nan, np.inf, np.array([1.0, np.nan])):
        with pytest.raises(ValueError, match="seed .* must be finite"):
            program.backward(seed=seed)
    with pytest.raises(ValueError, match="NaN"):
        w.data = np.nan  # a parameter's number is checked at its door, before any program reads it


def test_what_depends_on_no_example_is_computed_once_and_equals_the_eager_engine():
    rng = np.random.default_rng(3)
    w, b, p, q = (Value(float(v), label=n) for v, n in zip(rng.uniform(-1, 1, 4), "wbpq"))

    def example(x):  # per-example parts, parts of the parameters alone, and both mixed
        return (w * x + b).tanh() + (p * p + q.exp()).log() * x + 0.1 * sum(v * v for v in (w, b, p, q))

    x0 = Value(0.0, label="x")
    program = compile_graph(example(x0), [x0])
    assert program.n_uniform >= 3  # p·p + e^q, its log, and the penalty: once per batch
    data = rng.uniform(-2, 2, size=(7, 1))
    seed = rng.uniform(0.5, 1.5, 7)
    values = program.forward(data)
    program.backward(seed=seed)
    compiled = [v.grad for v in (w, b, p, q)]
    for v in (w, b, p, q):
        v.grad = 0.0
    eager = [example(float(x)) for x in data[:, 0]]
    sum((e * float(s) for e, s in zip(eager, seed)), Value(0.0)).backward()
    np.testing.assert_allclose(values, [e.data for e in eager], rtol=1e-12)
    np.testing.assert_allclose(compiled, [v.grad for v in (w, b, p, q)], rtol=1e-12)


# --- the plan, the groups, and the errors replayed through the eager engine ------------------------

def test_the_plan_names_a_layer_its_activations_and_their_sum():
    from microgrboard.compiler.plan import LinearShape, MapShape, SumShape, make_plan

    x1, x2 = Value(0.0, label="x1"), Value(0.0, label="x2")
    ws = [(Value(0.1 * k, label=f"w{k}1"), Value(0.2, label=f"w{k}2"), Value(0.3, label=f"b{k}")) for k in range(3)]
    zs = [w1 * x1 + w2 * x2 + b for w1, w2, b in ws]
    acts = [z.tanh() for z in zs]
    root = sum(acts)  # 0 + a0 + a1 + a2
    plan = make_plan(root, [x1, x2])
    # by hand: one matrix product for the three weighted sums, one tanh over them, one sum of three terms
    assert [(b.level, b.shape, b.nodes) for b in plan.buckets] == [
        (1, LinearShape((x1, x2), n_biases=1, n_rest=0), zs),
        (2, MapShape("tanh", "parent", "none", None), acts),
        (3, SumShape(3), [root]),
    ]
    assert [plan.weighted[z].weights for z in zs] == [[w1, w2] for w1, w2, _ in ws]
    assert [plan.weighted[z].biases for z in zs] == [[b] for *_, b in ws]
    # fused: the six products, one partial sum per neuron, and the partial sums 0 + a0 and (0 + a0) + a1
    assert len(plan.fused) == 6 + 3 + 2 and not plan.fused & {*zs, *acts, root}
    assert plan.rows.v_nodes == [x1, x2, *zs, *acts, root]
    assert plan.parameters == [p for triple in ws for p in triple] and not plan.uniform & {*zs, *acts, root}


def test_each_group_backward_is_the_derivative_of_its_forward():
    """For every group of a program where all kinds occur (a layer with biases and other terms, sums,
    maps of one and two inputs, with a parameter and with constants), backward against central differences
    of forward: Σ (upstream · d out) = ∂ along a random direction of the rows and parameters it reads."""
    from microgrboard.compiler.groups import Linear, Map, Sum

    rng = np.random.default_rng(5)
    x1, x2 = Value(0.0, label="x1"), Value(0.0, label="x2")
    p = [Value(float(v), label=f"p{i}") for i, v in enumerate(rng.uniform(-1, 1, 12))]
    h = [(p[0] * x1 + x2 * p[1] + p[2]).tanh(), (p[3] * x1 + p[4] * x2 + p[5]).tanh()]
    z = p[6] * h[0] + p[7] * h[1] + p[8] + h[0] * h[1]  # biases and an extra term
    y = (z.sigmoid() + h[0]) * h[1] + (z ** 3) / 4 + (2 - h[0]).exp() + p[9] * ((1 + h[1] * h[1]) ** p[10]).log()
    root = y + 0.0 + h[0] + h[1] + p[11]  # a sum
    program = compile_graph(root, [x1, x2])
    program.forward(rng.uniform(-1, 1, size=(4, 2)))
    assert {type(g) for g in program.example_groups} == {Linear, Sum, Map}
    V0, theta0 = program.values.copy(), program.theta.copy()
    read_v = program.read_v
    for group in program.example_groups:
        upstream = rng.normal(size=V0[group.out].shape)

        def f(D, E, t, group=group, upstream=upstream):
            V, theta = V0 + t * D, program.theta  # a layer reads its weights through views of program.theta
            theta[:] = theta0 + t * E
            V[read_v.rows] = theta[read_v.ids, None]  # the parameters' rows follow the parameters
            group.forward(V, theta)
            return float((upstream * V[group.out]).sum())

        D = rng.normal(size=V0.shape)
        D[program.input_rows] = 0.0  # the placeholders get no gradient
        D[read_v.rows] = 0.0  # the parameters' rows move with theta
        D[group.out] = 0.0
        E = rng.normal(size=theta0.shape)
        program.theta[:] = theta0
        local = group.forward(V0.copy(), program.theta)
        G, totals = np.zeros_like(V0), program.totals  # ... and adds their gradients into views of program.totals
        totals[:] = 0.0
        G[group.out] = upstream
        group.backward(local, G, totals)
        G[group.out] = 0.0
        analytic = float((G * D).sum() + totals @ E)
        t = 1e-6
        numeric = (f(D, E, t) - f(D, E, -t)) / (2 * t)
        assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-8), type(group)


def test_a_forward_error_is_the_eager_engines_error_for_that_example_and_changes_nothing():
    w = Value(0.5, label="w")

    def example(x):
        return (w * x + 1.0).log().tanh()

    x = Value(0.0, label="x")
    root = example(x)
    program = compile_graph(root, [x])
    before = [(n.data, n.grad) for n in program.order]
    batch = np.array([[1.0], [0.0], [-4.0], [-6.0]])  # w·x + 1 ≤ 0 first in example 2
    with pytest.raises(ValueError) as compiled:
        program.forward(batch)
    with pytest.raises(ValueError) as eager:
        example(Value(-4.0, label="x"))
    message = str(compiled.value)
    assert message.splitlines()[0] == str(eager.value).splitlines()[0]  # log(-1.0) is undefined: …
    # named as the program names its nodes (w, x, mul2, add3, log4, tanh5: op and place in the order)
    assert "in log(Value(label='add3', op='add', data=-1" in message
    assert message.endswith("the node log4 in example 2 of the batch")
    assert [(n.data, n.grad) for n in program.order] == before  # looking changes nothing
    assert program.forward(batch[:2]).tolist() == [np.tanh(np.log(1.5)), 0.0]  # and the program still works


def test_a_backward_replay_starts_from_that_examples_seed():
    x, w = Value(1.0, label="x"), Value(1.0, label="w")
    program = compile_graph((w * x) * 1e10, [x])  # ∂/∂(w·x) = 1e10, times the seed
    program.forward(np.array([[1.0], [2.0]]))
    assert program.backward(seed=np.array([1.0, 3.0])).tolist() == [1e10 * 1.0 + 2.0 * 1e10 * 3.0]
    w.grad = 0.25
    with pytest.raises(OverflowError, match=r"on the edge mul\d → mul\d \(mul\), local × upstream = 1e\+10 × "
                                            r"1e\+300 is too large.*in example 1 of the batch"):
        program.backward(seed=np.array([1.0, 1e300]))  # 1e10 × 1e300 overflows in example 1 only
    assert w.grad == 0.25


def test_seeded_gradients_work_backprop_out_on_the_side():
    from microgrboard.engine.backprop import seeded_gradients

    a, b = Value(3.0, label="a"), Value(-2.0, label="b")
    f = a * b + a * a  # ∂f/∂a = b + 2a = 4, ∂f/∂b = a = 3
    grads = seeded_gradients(f, 0.5)
    assert (grads[f], grads[a], grads[b]) == (0.5, 0.5 * 4.0, 0.5 * 3.0)
    assert a.grad == b.grad == f.grad == 0.0
    with pytest.raises(OverflowError, match=r"on the edge a → mul\d \(mul\), local × upstream = -2 × 1e\+308"):
        seeded_gradients(a * b, 1e308)
