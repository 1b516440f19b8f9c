"""The playground's engine computes Python's numbers: each primitive's JavaScript twin against its rule,
random expression graphs (hypothesis) built in both engines, training steps of every loss, and one
example's backprop walk — all in Chromium, all compared with the Python engine to 1e-12.

The oracle is microgrboard itself (Value, backprop.walk, nn.train, nn.objective and SGD), which shares no
code with the page's JavaScript; the page only receives each primitive's `js` twin from the table.
"""

import math
import pathlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import viz
from microgrboard import PRIMITIVES, Value, node_names, walk
from microgrboard.nn import MLP, SGD, objective, train
from microgrboard.nn.losses import get_loss
from viz.labels import gate_symbol

TOLERANCE = 1e-12


def open_playground(browser, path, width=1400, height=900):
    """The page at `path` in a new tab, once it has drawn every panel; and the list its errors go to."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pathlib.Path(path).as_uri())
    page.wait_for_function("document.body.dataset.ready === 'true'")
    return page, errors


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    page, errors = open_playground(browser, viz.playground(path=tmp_path_factory.mktemp("pg") / "playground.html"))
    yield page
    assert errors == []
    page.close()


def close(a, b, tolerance=TOLERANCE):
    """Equal to `tolerance`, relative to the larger magnitude (or absolute near 0); an infinite gradient
    (backward may overflow in both engines) only equals the same infinity."""
    if a is None or b is None or math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
        return a == b or (a is not None and b is not None and math.isnan(a) and math.isnan(b))
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


# --- each twin against its rule, point by point ------------------------------------------------

POINTS = [-800.0, -40.0, -3.5, -2.0, -1.0, -0.5, -1e-300, -0.0, 0.0, 1e-310, 1e-6, 0.3, 0.5, 1.0, 2.0, 2.5, 7.0,
          40.0, 709.0, 710.0, 1e300]
PARAMETERS = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 1e-320]


def python_rule(prim, *args):
    try:
        return [float(v) for v in prim.rule(*args)]
    except (ArithmeticError, ValueError):
        return None


def test_every_built_in_primitive_has_a_twin_in_the_page(page):
    assert sorted(page.evaluate("Object.keys(Engine.table)")) == sorted(PRIMITIVES)
    assert all(PRIMITIVES[name].js for name in PRIMITIVES)


@pytest.mark.parametrize("name", sorted(PRIMITIVES))
def test_each_twin_gives_the_rules_numbers_or_refuses_where_it_raises(page, name):
    prim = PRIMITIVES[name]
    if prim.arity == 2:
        cases = [(x, y) for x in POINTS for y in POINTS[::2]]
    elif prim.parameter:
        cases = [(x, n) for x in POINTS for n in PARAMETERS]
    else:
        cases = [(x,) for x in POINTS]
    got = page.evaluate("([name, cases]) => cases.map(c => Engine.table[name].rule(...c))", [name, cases])
    for case, js in zip(cases, got):
        expected = python_rule(prim, *case)
        finite = all(v is not None and math.isfinite(v) for v in js)  # JSON turns NaN and ±∞ into None
        if expected is None:
            assert not finite, (name, case, js)  # the page's engine refuses what Python's rule refuses
        elif all(math.isfinite(v) for v in expected):
            assert finite and all(close(a, b) for a, b in zip(expected, js)), (name, case, expected, js)


# --- random graphs, built in both engines --------------------------------------------------------

# Every way a Value is made: the gates, the derived operations (−x, x − y, x/y, c/x, c**x), with Values
# and with plain numbers on either side. Each op: (arity in nodes, Python, the page's engine in JS).
OPS = {
    "add": (2, lambda a, b, c: a + b, "(a, b, c) => E.add(a, b)"),
    "add_number": (1, lambda a, b, c: a + c, "(a, b, c) => E.add(a, c)"),
    "number_add": (1, lambda a, b, c: c + a, "(a, b, c) => E.add(c, a)"),
    "sub": (2, lambda a, b, c: a - b, "(a, b, c) => E.sub(a, b)"),
    "sub_number": (1, lambda a, b, c: a - c, "(a, b, c) => E.sub(a, c)"),
    "number_sub": (1, lambda a, b, c: c - a, "(a, b, c) => E.sub(c, a)"),
    "mul": (2, lambda a, b, c: a * b, "(a, b, c) => E.mul(a, b)"),
    "mul_number": (1, lambda a, b, c: a * c, "(a, b, c) => E.mul(a, c)"),
    "neg": (1, lambda a, b, c: -a, "(a, b, c) => E.neg(a)"),
    "div": (2, lambda a, b, c: a / b, "(a, b, c) => E.div(a, b)"),
    "div_number": (1, lambda a, b, c: a / c, "(a, b, c) => E.div(a, c)"),
    "number_div": (1, lambda a, b, c: c / a, "(a, b, c) => E.div(c, a)"),
    "one_div": (1, lambda a, b, c: 1 / a, "(a, b, c) => E.div(1, a)"),
    "pow_number": (1, lambda a, b, c: a ** c, "(a, b, c) => E.pow(a, c)"),
    "square": (1, lambda a, b, c: a ** 2, "(a, b, c) => E.pow(a, 2)"),
    "pow_var": (2, lambda a, b, c: a ** b, "(a, b, c) => E.pow(a, b)"),
    "number_pow": (1, lambda a, b, c: abs(c) ** a, "(a, b, c) => E.pow(Math.abs(c), a)"),
    **{name: (1, (lambda m: lambda a, b, c: getattr(a, m)())(name), f"(a, b, c) => a.{name}()")
       for name in ("exp", "log", "reciprocal", "sigmoid", "tanh", "relu", "softplus")},
}

BUILD = """([leaves, steps, ops]) => {
  const E = Engine, made = ops.map(src => eval(src));
  const nodes = leaves.map((x, i) => E.Value(x, "v" + i));
  try {
    for (const [op, args, c] of steps) { nodes.push(made[op](nodes[args[0]], nodes[args[1]], c)); }
  } catch (err) { return {error: err.message}; }
  const root = nodes[nodes.length - 1], w = E.walk(root);
  E.backward(root);
  return {data: w.order.map(n => n.data), grads: w.order.map(n => n.grad), names: w.names,
          gates: w.order.map(n => n.prim ? E.gateSymbol(n) : null),
          steps: w.steps.map(s => [s.node, s.parent, s.argument, s.local, s.upstream, s.contribution, s.parent_grad,
                                   E.localRule(w.order[s.node], s.argument, n => w.names[w.index.get(n)])])};
}"""

NAMES = sorted(OPS)


@st.composite
def recipes(draw):
    leaves = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=4))
    steps = []
    for i in range(draw(st.integers(1, 10))):
        op = draw(st.sampled_from(NAMES))
        args = [draw(st.integers(0, len(leaves) + i - 1)) for _ in range(2)]
        number = draw(st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0]) | st.floats(-4, 4))
        steps.append((NAMES.index(op), args, number))
    return leaves, steps


def build_in_python(leaves, steps):
    nodes = [Value(x, label=f"v{i}") for i, x in enumerate(leaves)]
    for op, args, number in steps:
        nodes.append(OPS[NAMES[op]][1](nodes[args[0]], nodes[args[1]], number))
    return nodes[-1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(recipes())
def test_random_graphs_give_pythons_values_gradients_and_steps(page, recipe):
    leaves, steps = recipe
    got = page.evaluate(BUILD, [leaves, steps, [OPS[name][2] for name in NAMES]])
    try:
        root = build_in_python(leaves, steps)
    except (ArithmeticError, ValueError):
        assert "error" in got, f"Python raised, the page computed {got}"
        return
    assert "error" not in got, f"the page raised {got['error']!r}; Python computed {root.data!r}"
    expected = walk(root)
    order = expected.order
    assert got["names"] == list(node_names(order).values())  # the same nodes, in the same topological order
    assert got["gates"] == [gate_symbol(n) if not n.is_leaf else None for n in order]
    assert all(close(a, n.data) for a, n in zip(got["data"], order))
    root.backward()
    assert all(close(a, n.grad) for a, n in zip(got["grads"], order))
    index = {node: i for i, node in enumerate(order)}
    assert len(got["steps"]) == len(expected.steps)
    for mine, step in zip(got["steps"], expected.steps):
        assert mine[:3] == [index[step.node], index[step.parent], step.argument]
        assert all(close(a, b) for a, b in zip(mine[3:7], (step.local, step.upstream, step.contribution,
                                                            step.parent_grad)))
        assert mine[7] == step.formula


def test_the_engine_refuses_non_numbers_and_says_what_was_wrong(page):
    message = page.evaluate("(() => { try { Engine.Value(NaN); } catch (e) { return e.message; } })()")
    assert "NaN" in message and "refuses" in message
    message = page.evaluate("(() => { try { Engine.Value(-1).log(); } catch (e) { return e.message; } })()")
    assert message.startswith("log(-1) has no finite value") and "undefined" in message
    message = page.evaluate("(() => { try { Engine.Value(800).exp(); } catch (e) { return e.message; } })()")
    assert "exp(800)" in message and "overflows" in message


def test_formatting_numbers_as_python_does(page):
    numbers = [0.0, 1.0, -1.0, 0.1, 123456.0, 1234567.0, 1e-5, 0.0001234, -2.5e-7, 1e21, 3.14159265, 0.5, 100.0,
               -0.333333333, 9.99995, 1e-300, 6.02e23, -0.0, 99999.5, 0.9999996,
               # exactly halfway: Python rounds to the even digit
               0.001953125, 0.03125, -0.03125, 1.125, 0.0078125, 2.5, 1.5, 312.5, 1234.5, 1.0000005]
    for digits in (3, 4, 6):
        got = page.evaluate("([xs, d]) => xs.map(x => Engine.formatG(x, d))", [numbers, digits])
        assert got == [format(x + 0.0, f".{digits}g") for x in numbers]  # Python's format, −0 written 0


# --- training: the page's steps are nn.train's ------------------------------------------------------


def configure(page, **controls):
    """Set the page's controls as a learner does (select an option, or type and press Enter)."""
    for name, value in controls.items():
        if page.eval_on_selector(f"#{name}", "e => e.tagName") == "SELECT":
            page.select_option(f"#{name}", str(value))
        else:
            page.fill(f"#{name}", str(value))
            page.press(f"#{name}", "Enter")
            page.dispatch_event(f"#{name}", "change")
    assert page.is_hidden("#status"), page.inner_text("#status")


def python_model(page, start):
    """An MLP like the page's, with the page's starting weights."""
    s = page.evaluate("playground.settings()")
    acts = page.evaluate("playground.activations()")
    sizes = [len(theta) for theta in start]
    model = MLP(2, sizes, activation=s["activation"], output_activation=acts[-1], init="zeros")
    model.set_weight_matrices([np.array(t) for t in start])
    return model, s


LOSS_CASES = [
    dict(dataset="moons", loss="cross_entropy", activation="tanh", hidden="4, 3", **{"lambda": 0.01}),
    dict(dataset="circles", loss="squared_error", activation="sigmoid", hidden="5", **{"lambda": 0.1}),
    dict(dataset="xor", loss="hinge", activation="relu", hidden="6, 6", **{"lambda": 0.0}),
    dict(dataset="spiral", loss="softmax_cross_entropy", activation="linear", hidden="3", **{"lambda": 0.001}),
]


@pytest.mark.parametrize("case", LOSS_CASES, ids=lambda c: c["loss"])
def test_full_batch_training_steps_equal_nn_train(page, case):
    configure(page, **case, init="xavier", seed=3, lr=0.2, momentum=0.5, batch=200)
    page.click("#train-reset")
    start = page.evaluate("playground.start()")
    data = page.evaluate("playground.dataset()")
    page.evaluate("playground.train(6)")
    model, s = python_model(page, start)
    history = train(model, data["points"], np.array(data["targets"]), loss=s["loss"], lam=s["lam"], lr=0.2,
                    momentum=0.5, epochs=6, progress=False)
    page_history = page.evaluate("playground.history()")
    assert all(close(a, b) for a, b in zip(page_history["loss"], history.loss)) and len(history.loss) == 6
    assert all(close(a, b) for a, b in zip(page_history["accuracy"], history.accuracy))
    for theta, mine in zip(model.weight_matrices(), page.evaluate("playground.thetas()")):
        assert np.allclose(theta, mine, rtol=TOLERANCE, atol=TOLERANCE)


def test_mini_batches_give_the_same_steps_as_python_on_the_same_batches(page):
    configure(page, dataset="moons", loss="cross_entropy", activation="tanh", hidden="4", init="uniform", seed=1,
              lr=0.5, momentum=0.9, batch=16, **{"lambda": 0.003})
    page.click("#train-reset")
    start = page.evaluate("playground.start()")
    data = page.evaluate("playground.dataset()")
    page.evaluate("playground.train(30)")
    batches = page.evaluate("playground.batches()")
    model, s = python_model(page, start)
    X, Y = np.array(data["points"]), np.array(data["targets"])
    optimizer = SGD(model.parameters(), lr=0.5, momentum=0.9)
    losses = []
    for batch in batches:
        optimizer.zero_grad()
        J = objective(model, [model(x) for x in X[batch].tolist()], Y[batch].tolist(), "cross_entropy", 0.003)
        J.backward()
        optimizer.step()
        losses.append(J.data)
    assert [len(b) for b in batches[:13]] == [16] * 12 + [200 - 12 * 16]  # an epoch, the last batch smaller
    assert sorted(sum(batches[:13], [])) == list(range(200))  # every example once per epoch
    assert all(close(a, b) for a, b in zip(page.evaluate("playground.history().loss"), losses))
    for theta, mine in zip(model.weight_matrices(), page.evaluate("playground.thetas()")):
        assert np.allclose(theta, mine, rtol=TOLERANCE, atol=TOLERANCE)


# --- one example's backprop, stepped in the page: Python's walk ------------------------------------


def python_example_loss(page, index):
    """The loss of one example, as the page builds it: the model traced on x (leaves x1, x2)."""
    s = page.evaluate("playground.settings()")
    model, _ = python_model(page, page.evaluate("playground.thetas()"))
    data = page.evaluate("playground.dataset()")
    return get_loss(s["loss"])([model.trace(data["points"][index])], [data["targets"][index]])


@pytest.mark.parametrize("loss", ["cross_entropy", "softmax_cross_entropy"])
def test_stepping_an_example_shows_pythons_walk(page, loss):
    configure(page, dataset="moons", loss=loss, activation="tanh", hidden="3, 2", init="xavier", seed=0, lr=0.3,
              momentum=0.9, batch=200)
    page.click("#train-reset")
    page.evaluate("playground.train(25)")
    page.fill("#example", "17")
    page.click("#inspect-example")
    shown = page.evaluate("playground.inspection()")
    root = python_example_loss(page, 17)
    expected = walk(root)
    names = node_names(expected.order)
    assert shown["names"] == list(names.values())
    assert all(close(a, n.data) for a, n in zip(shown["data"], expected.order))
    assert all(close(a, expected.grads[n]) for a, n in zip(shown["grads"], expected.order))
    board = shown["board"]
    backward = [s["caption"] for s in board if s["phase"] == "backward"]
    assert backward[:-1] == ["backward " + step.caption for step in expected.steps][:-1]
    assert backward[-1].startswith("backward " + expected.steps[-1].caption)
    forward = [s["caption"] for s in board if s["phase"] == "forward"]
    interior = [n for n in expected.order if not n.is_leaf]
    assert len(forward) == len(interior)
    assert all(c.startswith(f"forward: {names[n]} = ") and c.endswith(f" = {n.data:.4g}")
               for c, n in zip(forward, interior))
    # the caption on the page is the step's, as the learner presses →
    page.keyboard.press("End")
    for _ in range(len(interior) + 2):
        page.keyboard.press("ArrowRight")
    assert page.text_content("#walk-caption") == "backward " + expected.steps[0].caption


def test_a_neurons_part_steps_pythons_numbers_for_its_edges(page):
    configure(page, dataset="xor", loss="cross_entropy", activation="tanh", hidden="3, 2", init="xavier", seed=2,
              lr=0.3, momentum=0.9, batch=200)
    page.click("#train-reset")
    page.evaluate("playground.train(10)")
    page.fill("#example", "4")
    page.click("#inspect-example")
    page.click("#unit-2-1")
    shown = page.evaluate("playground.inspection()")
    assert shown["unit"] == [1, 0] and shown["index"] == 4
    expected = walk(python_example_loss(page, 4))
    neuron = _neuron_nodes(expected.order, "layer2.neuron1")
    mine = [step for step in expected.steps if step.node in neuron]
    backward = [s["caption"] for s in shown["board"] if s["phase"] == "backward"]
    assert [c.removesuffix("  — done: every gradient is filled in.") for c in backward] == \
        ["backward " + step.caption for step in mine]
    seed = next(s for s in shown["board"] if s["phase"] == "seed")
    upstream = expected.grads[_output(expected.order, "layer2.neuron1")]
    assert f"= {upstream:.4g} reaches layer2.neuron1" in seed["caption"]


def _output(order, name):
    return next(n for n in order if n.label == name and not n.is_leaf)


def _neuron_nodes(order, name):
    """The gates a neuron made: back from its output to its own parameters (viz.clusters' rule)."""
    from viz.clusters import neuron_of

    return {n for n, owner in neuron_of(order).items() if owner == name and not n.is_leaf}
