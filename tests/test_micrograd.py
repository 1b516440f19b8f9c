"""`microgrboard.micrograd` against karpathy's micrograd 0.1.0 itself (installed from PyPI as the oracle;
it shares no code with the engine) and against micrograd's published numbers: its engine tests, its nn
API, and its demo notebook's training loop, each run with only the import changed."""

import gc
import io
import os
import random
import re

import numpy as np
import pytest
from micrograd_copies import readme_example

import viz
from microgrboard import explain, explanation, topological_order
from microgrboard import micrograd as ours

try:
    from micrograd import engine as mg_engine
    from micrograd import nn as mg_nn
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("needs micrograd 0.1.0, the oracle (pip install -e '.[test]')", allow_module_level=True)

# micrograd's demo.ipynb prints the loss after every step; its last line, from np.random.seed(1337) and
# random.seed(1337): "step 99 loss 0.010978370135492717, accuracy 100.0%".
DEMO_FINAL_LOSS = 0.010978370135492717
LIVE_DEMO_STEPS = 10  # steps run on micrograd itself too (about 0.4 s each): the curves must agree


def sanity_check(Value):
    """micrograd's test_engine.py test_sanity_check, written for either Value."""
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return y.data, x.grad


def more_ops(Value):
    """micrograd's test_engine.py test_more_ops, written for either Value (in-place += included)."""
    a, b, g = readme_example(Value)
    g.backward()
    return g.data, a.grad, b.grad


def test_micrograds_engine_tests_give_micrograds_numbers():
    assert sanity_check(ours.Value) == sanity_check(mg_engine.Value) == (-20.0, 46.0)
    mine, theirs = more_ops(ours.Value), more_ops(mg_engine.Value)
    assert mine == pytest.approx(theirs, rel=1e-12)
    # micrograd's README: g.data prints 24.7041, a.grad 138.8338, b.grad 645.5773
    assert [round(x, 4) for x in mine] == [24.7041, 138.8338, 645.5773]


@pytest.mark.parametrize("make", [
    lambda m: m.Neuron(3),
    lambda m: m.Neuron(3, nonlin=False),
    lambda m: m.Layer(2, 3),
    lambda m: m.Layer(4, 1, nonlin=False),
    lambda m: m.MLP(2, [16, 16, 1]),
    lambda m: m.MLP(3, [4, 4, 2]),
])
def test_modules_take_micrographs_arguments_and_draw_its_weights_in_its_order(make):
    for seed in (0, 1337):
        random.seed(seed)
        theirs = make(mg_nn)
        random.seed(seed)
        mine = make(ours)
        assert repr(mine) == repr(theirs)
        assert [p.data for p in mine.parameters()] == [p.data for p in theirs.parameters()]
        assert all(-1 <= p.data <= 1 for p in mine.parameters())
        x = [random.uniform(-2, 2) for _ in range(_inputs_of(mine))]
        out_mine, out_theirs = mine([ours.Value(v) for v in x]), theirs([mg_engine.Value(v) for v in x])
        assert isinstance(out_mine, list) == isinstance(out_theirs, list)  # one output: a Value, as in micrograd
        outs_mine = out_mine if isinstance(out_mine, list) else [out_mine]
        outs_theirs = out_theirs if isinstance(out_theirs, list) else [out_theirs]
        assert [o.data for o in outs_mine] == [o.data for o in outs_theirs]  # the same floats, in the same order
        sum(outs_mine).backward()
        sum(outs_theirs).backward()
        assert [p.grad for p in mine.parameters()] == pytest.approx([p.grad for p in theirs.parameters()],
                                                                    rel=1e-12, abs=1e-15)
        mine.zero_grad()
        assert all(p.grad == 0 for p in mine.parameters())


def _inputs_of(module) -> int:
    neuron = module.layers[0].neurons[0] if hasattr(module, "layers") else \
        module.neurons[0] if hasattr(module, "neurons") else module
    return len(neuron.w)


def test_mlp_has_relu_hidden_layers_a_linear_output_and_a_zero_bias():
    random.seed(3)
    model = ours.MLP(2, [4, 4, 1])
    assert [n.nonlin for layer in model.layers for n in layer.neurons] == [True] * 8 + [False]
    assert all(n.b.data == 0 for layer in model.layers for n in layer.neurons)
    assert len(model.parameters()) == 4 * 3 + 4 * 5 + 5
    assert isinstance(model([1.0, -1.0]), ours.Value)  # one output: a Value, not a list
    assert ours.Module().parameters() == []


def test_graphs_answer_to_prev_op_and_backward_as_micrographs_do():
    a, b = ours.Value(2.0), ours.Value(-3.0)
    prod = a * b
    out = (prod + 1).relu()
    assert prod._prev == {a, b} and a._prev == set()
    assert (a._op, prod._op, (prod + 1)._op, out._op, (a ** 2)._op) == ("", "×", "+1", "relu", "**2")
    assert isinstance(prod, ours.Value) and isinstance(out, ours.Value)  # every node, as in micrograd

    # The lecture's way: walk the graph through _prev, then call each node's _backward in reverse.
    y = a * b + a.tanh() * (b - a) / 3
    order, seen = [], set()

    def build(v):
        if v not in seen:
            seen.add(v)
            for child in v._prev:
                build(child)
            order.append(v)

    build(y)
    assert set(order) == set(topological_order(y))
    y.grad = 1.0
    for node in reversed(order):
        node._backward()
    by_hand = (a.grad, b.grad)
    y.zero_grad()
    y.backward()
    assert by_hand == pytest.approx((a.grad, b.grad), rel=1e-12)

    with pytest.raises(AttributeError):
        y._backward = lambda: None  # a closure would be ignored: refused instead
    with pytest.raises(TypeError, match="register_primitive"):
        ours.Value(1.0, (a,), "tanh")


def _demo_loop(Value, MLP, steps: int) -> tuple[list[float], float]:
    """micrograd's demo.ipynb, cell by cell: the moons, the 2-16-16-1 MLP, the max-margin loss with L2
    regularization, and SGD with its learning-rate schedule; returns the loss per step and the last
    accuracy. The cycle collector runs once per step, on that step's objects only, instead of on every
    allocation burst over everything the test session holds (micrograd's closures make cycles; the
    numbers do not depend on when they are collected)."""
    from sklearn.datasets import make_moons

    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1
    model = MLP(2, [16, 16, 1])

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    curve, acc = [], 0.0
    enabled = gc.isenabled()
    gc.disable()
    try:
        for k in range(steps):
            total_loss, acc = loss()
            model.zero_grad()
            total_loss.backward()
            learning_rate = 1.0 - 0.9 * k / 100
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            curve.append(float(total_loss.data))
            del total_loss
            gc.collect(0)  # the step's graph is all in the youngest generation: collected there
    finally:
        if enabled:
            gc.enable()
    return curve, acc


def test_the_demo_notebooks_training_loop_gives_micrographs_loss_curve():
    theirs, _ = _demo_loop(mg_engine.Value, mg_nn.MLP, LIVE_DEMO_STEPS)
    mine, accuracy = _demo_loop(ours.Value, ours.MLP, 100)
    assert mine[:LIVE_DEMO_STEPS] == pytest.approx(theirs, abs=1e-9, rel=0)
    assert mine[0] == pytest.approx(0.8958441028683222, abs=1e-12)
    assert mine[-1] == pytest.approx(DEMO_FINAL_LOSS, abs=1e-9, rel=0)
    assert accuracy == 1.0


def test_what_micrograd_code_makes_can_be_drawn_stepped_and_boarded(needs_dot):
    random.seed(0)
    model = ours.MLP(2, [3, 1])
    x, target = [ours.Value(0.5, label="x1"), ours.Value(-1.5, label="x2")], 1.0
    loss = (model(x) - target) ** 2
    loss.backward()
    grads = [p.grad for p in model.parameters()]

    source = viz.draw(loss).source
    assert "cluster_layer1" in source and "cluster_layer1_neuron3" in source and "cluster_layer2_neuron1" in source
    assert "layer1.neuron2  (b, w1, w2)" in source
    table = explanation(loss)
    assert len(table.rows) == sum(len(node.edges) for node in topological_order(loss))
    explain(loss, file=io.StringIO())
    page = viz.board(loss)
    assert "layer2.neuron1" in page.page
    assert [p.grad for p in model.parameters()] == grads  # looking changed nothing
    assert len(list(loss.backward_steps())) == len(table.rows)


REPR_SCRIPTS = [  # each run on micrograd and on the drop-in; `show` names what to print
    "b = Value(2.0) * -2; b.backward(); show = ['b']",
    "a = Value(2.0); b = a * -2; b.backward(); show = ['a', 'b']",
    "a = Value(2.0); b = Value(-3.0); c = Value(10.0); e = a*b; d = e + c; f = Value(-2.0); L = d * f; "
    "L.backward(); show = ['a', 'b', 'c', 'e', 'd', 'f', 'L']",  # the lecture's first graph
    "a = Value(-4.0); b = Value(2.0); c = a + b; d = a * b + b**3; c += c + 1; c += 1 + c + (-a); "
    "d += d * 2 + (b + a).relu(); d += 3 * d + (b - a).relu(); e = c - d; f = e**2; g = f / 2.0; g += 10.0 / f; "
    "g.backward(); show = ['a', 'b', 'g', 'f', 'e']",  # micrograd's README example
    "a = Value(3); b = Value(4); c = a * b + a; c.backward(); show = ['a', 'b', 'c']",
    "x = Value(1.5); y = (x * x).relu() + x; y.backward(); show = ['x', 'y']",
    "x = Value(2.0); y = 3 - x; z = x - y; z.backward(); show = ['x', 'y', 'z']",
    "x = Value(2); y = x**2; z = y * x; z.backward(); show = ['x', 'y', 'z']",
    "x = Value(2.0); y = Value(3.0); z = x / y; z.backward(); show = ['x', 'y', 'z']",
    "x = Value(2.0); y = x * 3; y.backward(); x.grad = 0; show = ['x', 'y']",
]


@pytest.mark.parametrize("script", REPR_SCRIPTS)
def test_the_drop_in_prints_what_micrograd_prints(script):
    from micrograd.engine import Value as TheirValue

    printed = []
    for value_class in (TheirValue, ours.Value):
        names = {"Value": value_class}
        exec(script, names)
        printed.append([repr(names[name]) for name in names["show"]])
    theirs, mine = (["".join(re.findall(r"[^\d.e+-]+", text)) for text in reprs] for reprs in printed)
    assert mine == theirs  # the same words: Value(data=..., grad=...)
    for their_text, my_text in zip(printed[0], printed[1]):
        for their_number, my_number in zip(re.findall(NUMBER, their_text), re.findall(NUMBER, my_text)):
            if "." in their_number or "e" in their_number:  # a float: the last bit depends on micrograd's
                assert "." in my_number or "e" in my_number  # set order, so its sums differ run to run
                assert float(my_number) == pytest.approx(float(their_number), rel=1e-14)
            else:
                assert my_number == their_number  # an int, exactly where micrograd's is one


NUMBER = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"
