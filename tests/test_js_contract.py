"""The pages' JavaScript knows what Python knows: checked in V8 (mini-racer), without a browser.

The playground computes with its own engine (viz/static/engine.js), networks (playground_nn.js) and
plane (plane.js), twins of microgrboard's Value, backprop, captions, number format, nn's modules,
losses, initializations, optimizer, report and classes. These tests load those files into V8 as the
pages inline them (they are pure: `document` is touched only inside drawing functions never called
here) and compare what each side computes, so that a change on one side alone fails on every
machine — not only where Chromium runs. The browser tests (test_playground_engine.py) stay: they
check the same twins inside the page itself.

The oracle is the Python package, which shares no code with the JavaScript; the page receives only
each primitive's `js` rule from the table (`engine_table`).
"""

import json
import math

import numpy as np
import pytest
from py_mini_racer import MiniRacer
from scipy.stats import ks_2samp

from microgrboard import PRIMITIVES, Value, node_names, walk
from microgrboard.extend import gate_expression, number_text
from microgrboard.nn import (
    ACTIVATIONS,
    FLAT,
    INIT_EPSILON,
    INITS,
    LOSSES,
    MLP,
    SGD,
    STARTS,
    gradient_report,
    initial_weights,
    objective,
    penalty_divides_by_m,
    predicted_classes,
)
from microgrboard.nn.report import forward
from viz.labels import gate_symbol
from viz.page import asset
from viz.playground import EXTRA_STARTS, engine_table

BUILT_IN = sorted(PRIMITIVES)  # at import, before any test registers a primitive of its own
SCRIPTS = ["engine.js", "playground_nn.js", "charts.js", "plane.js", "network_view.js"]  # the playground's order


@pytest.fixture(scope="module")
def js():
    """A V8 context holding the pages' pure scripts and the table of primitives, as the playground has them.

    Closed when the module's tests are done: a context still open when Python exits can hang the exit."""
    with MiniRacer() as context:
        context.eval(str(asset("engine.js")))
        context.eval(str(engine_table()))
        for name in SCRIPTS[1:]:
            context.eval(str(asset(name)))
        yield context


def run(js, function: str, *args):
    """function(...args) in V8, its result read back through JSON (NaN and ±∞ come back as None).

    The arguments go in as JavaScript literals: json.dumps writes NaN, Infinity and -0.0 as JavaScript
    reads them."""
    return json.loads(js.eval(f"JSON.stringify(({function})(...{json.dumps(list(args))}))"))


def close(a, b, tolerance=1e-12):
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


# --- the table of primitives and the engine -------------------------------------------------------


def test_every_twin_takes_the_arguments_of_its_primitive(js):
    twins = run(js, "() => Object.values(Engine.table).map(p => [p.name, p.arity, p.parameter, p.rule.length])")
    assert sorted(name for name, *_ in twins) == sorted(p.name for p in PRIMITIVES.values() if p.js)
    for name, arity, parameter, takes in twins:
        prim = PRIMITIVES[name]
        assert (arity, parameter) == (prim.arity, prim.parameter)
        assert takes == (2 if prim.arity == 2 or prim.parameter else 1), name  # x, y or x, n: as Python's rule


POINTS = [-800.0, -40.0, -3.5, -1.0, -0.5, -1e-300, -0.0, 0.0, 1e-310, 1e-6, 0.3, 0.5, 1.0, 2.5, 7.0, 40.0, 709.0,
          710.0, 1e300]
PARAMETERS = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 1e-320]


def python_rule(prim, args):
    try:
        return [float(v) for v in prim.rule(*args)]
    except (ArithmeticError, ValueError):
        return None


def test_every_twin_gives_its_rules_numbers_and_refuses_where_python_raises(js):
    cases = {}
    for name in BUILT_IN:
        prim = PRIMITIVES[name]
        if prim.arity == 2:
            cases[name] = [[x, y] for x in POINTS for y in POINTS[::2]]
        else:
            cases[name] = [[x, n] for x in POINTS for n in PARAMETERS] if prim.parameter else [[x] for x in POINTS]
    got = run(js, "cases => Object.keys(cases).map(name => cases[name].map(c => Engine.table[name].rule(...c)))", cases)
    for (name, args), results in zip(cases.items(), got):
        for case, mine in zip(args, results):
            expected = python_rule(PRIMITIVES[name], case)
            finite = all(v is not None and math.isfinite(v) for v in mine)
            if expected is None:
                assert not finite, (name, case, mine)  # the page's engine refuses it too (it checks finiteness)
            elif all(math.isfinite(v) for v in expected):
                assert finite and all(close(a, b) for a, b in zip(expected, mine)), (name, case, expected, mine)


# Every way a Value is made, in both languages: the gates and the derived operations (−x, x − y, x/y,
# c/x, c**x), with plain numbers on either side; with leaves a, b and the number 2.5.
OPERATIONS = [
    (lambda a, b: a + b, "E.add(a, b)"), (lambda a, b: a + 2.5, "E.add(a, 2.5)"),
    (lambda a, b: 2.5 + a, "E.add(2.5, a)"), (lambda a, b: a - b, "E.sub(a, b)"),
    (lambda a, b: a - 2.5, "E.sub(a, 2.5)"), (lambda a, b: 2.5 - a, "E.sub(2.5, a)"),
    (lambda a, b: a * b, "E.mul(a, b)"), (lambda a, b: a * 2.5, "E.mul(a, 2.5)"), (lambda a, b: -a, "E.neg(a)"),
    (lambda a, b: a / b, "E.div(a, b)"), (lambda a, b: a / 2.5, "E.div(a, 2.5)"),
    (lambda a, b: 2.5 / a, "E.div(2.5, a)"), (lambda a, b: 1 / a, "E.div(1, a)"),
    (lambda a, b: a ** 2.5, "E.pow(a, 2.5)"), (lambda a, b: a ** b, "E.pow(a, b)"),
    (lambda a, b: 2.5 ** a, "E.pow(2.5, a)"),
    *[((lambda m: lambda a, b: getattr(a, m)())(name), f"a.{name}()") for name in BUILT_IN if PRIMITIVES[name].method],
]
# Each node of the graph, in topological order: its name, and for a gate its primitive, its text on a
# diagram and its formula by name and by value; then its value and its gradient after backward.
GATES = """(sources) => sources.map(source => {
  const E = Engine, a = E.Value(1.5, "a"), b = E.Value(0.75, "b"), root = eval("(a, b) => " + source)(a, b);
  const order = E.topologicalOrder(root), names = E.nodeNames(order), nameOf = n => names[order.indexOf(n)];
  E.backward(root);
  return order.map((n, i) => [names[i], n.prim && [n.prim.name, E.gateSymbol(n)], n.data, n.grad,
                              n.prim && [E.gateExpression(n, nameOf), E.gateExpression(n)]]);
})"""


def python_graphs():
    for make, source in OPERATIONS:
        root = make(Value(1.5, label="a"), Value(0.75, label="b"))
        root.backward()
        order = walk(root).order
        yield source, order, node_names(order)


def test_every_operation_makes_pythons_gates_values_and_gradients(js):
    methods = {name for name in BUILT_IN if PRIMITIVES[name].method}
    assert {source[2:-2] for _, source in OPERATIONS if source.startswith("a.")} == methods
    for mine, (source, order, names) in zip(run(js, GATES, [source for _, source in OPERATIONS]), python_graphs()):
        assert [row[:2] for row in mine] == [[names[n], None if n.is_leaf else [n.op, gate_symbol(n)]]
                                             for n in order], source
        assert all(close(row[2], n.data) and close(row[3], n.grad) for row, n in zip(mine, order)), source


def test_every_gate_is_written_as_pythons_formula_writes_it(js):
    for mine, (source, order, names) in zip(run(js, GATES, [source for _, source in OPERATIONS]), python_graphs()):
        assert [row[4] for row in mine] == [None if n.is_leaf else [gate_expression(n, names), gate_expression(n)]
                                            for n in order], source


# --- how a backward step is written: the number format and the caption -----------------------------

# ±0, the smallest and largest floats, NaN, ±∞, and ordinary numbers around them
SPECIAL = [0.0, -0.0, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308,
           -1.7976931348623157e308, math.nan, math.inf, -math.inf, 1.0, -1.0, 0.1, 1e-5, -2.5e-7, 1e16, 6.02e23]
HALFWAY = [0.001953125, 0.03125, -0.03125, 1.125, 0.0078125, 2.5, 1.5, 312.5, 1234.5, 1.0000005, 99999.5, 9.99995]


def many_floats():
    """SPECIAL, exact ties (Python rounds them to the even digit), and 4,000 more: random bit patterns
    (every exponent, subnormals and NaNs among them) and decimals of every size."""
    rng = np.random.default_rng(0)
    bits = rng.integers(-2**63, 2**63, size=2000, dtype=np.int64).view(np.float64).tolist()
    decimals = [round(x, k) for x, k in zip((rng.standard_normal(2000) * 10.0 ** rng.integers(-9, 10, 2000)).tolist(),
                                            rng.integers(0, 8, 2000).tolist())]
    return SPECIAL + HALFWAY + bits + decimals


def test_numbers_are_written_as_python_writes_them(js):
    """Engine.formatG(x, d) is number_text(x, d), Python's one way of writing a number for a person (the
    pages use 4 digits for values and 6 for the numbers in a formula): for any float and any digits."""
    numbers, digits = many_floats(), list(range(1, 18))
    got = run(js, "(xs, digits) => digits.map(d => xs.map(x => Engine.formatG(x, d)))", numbers, digits)
    for d, texts in zip(digits, got):
        wrong = [(x, text) for x, text in zip(numbers, texts) if text != number_text(x, d)]
        assert not wrong, f"{len(wrong)} numbers written otherwise with {d} digits, e.g. {wrong[:3]}"


# One graph per line, in both languages, that together use every primitive of the table.
GRAPHS = [
    (lambda a, b, c: (a * b + c).tanh(), "a.mul(b).add(c).tanh()"),
    (lambda a, b, c: (a - b).sigmoid() * a, "a.sub(b).sigmoid().mul(a)"),
    (lambda a, b, c: (a / b).exp() + (a / 4).log(), "a.div(b).exp().add(a.div(4).log())"),
    (lambda a, b, c: a ** 3 + c ** b, "a.pow(3).add(c.pow(b))"),
    (lambda a, b, c: (2 ** a).softplus() * (-a).reciprocal(), "E.pow(2, a).softplus().mul(a.neg().reciprocal())"),
    (lambda a, b, c: (b.relu() + a.relu()) * (1 - c), "b.relu().add(a.relu()).mul(E.sub(1, c))"),
]
LEAVES = [0.8, -1.3, 2.0]
# Each backward step's caption; with `numbers`, step i shows numbers[i], numbers[i + 1], … in its four places.
CAPTIONS = """(sources, leaves, numbers) => sources.map(source => {
  const E = Engine, [a, b, c] = leaves.map((x, i) => E.Value(x, "abc"[i]));
  const w = E.walk(eval("(a, b, c) => " + source)(a, b, c)), at = (s, k) => numbers[(s.index + k) % numbers.length];
  const shown = s => !numbers ? s : Object.assign({}, s, {local: at(s, 0), upstream: at(s, 1), contribution: at(s, 2),
                                                          parent_grad: at(s, 3)});
  return w.steps.map(s => [E.caption(w, shown(s)), s.node, s.parent, s.argument]);
})"""


def python_walks():
    for make, _ in GRAPHS:
        yield walk(make(*(Value(x, label=name) for x, name in zip(LEAVES, "abc"))))


def test_every_backward_step_reads_as_its_python_caption(js):
    got = run(js, CAPTIONS, [source for _, source in GRAPHS], LEAVES, None)
    walks = list(python_walks())
    assert {n.op for w in walks for n in w.order if not n.is_leaf} == set(BUILT_IN)  # every primitive's text
    for (_, source), steps, backprop in zip(GRAPHS, got, walks):
        index = {node: i for i, node in enumerate(backprop.order)}  # the same edges, in the same order
        assert [s[1:] for s in steps] == [[index[s.node], index[s.parent], s.argument] for s in backprop.steps]
        assert [s[0] for s in steps] == [step.caption for step in backprop.steps], source


def test_a_caption_writes_any_number_as_python_does(js):
    got = run(js, CAPTIONS, [source for _, source in GRAPHS], LEAVES, SPECIAL + HALFWAY)

    def at(step, k):
        return (SPECIAL + HALFWAY)[(step.index + k) % len(SPECIAL + HALFWAY)]

    for steps, backprop in zip(got, python_walks()):
        assert [s[0] for s in steps] == [s._replace(local=at(s, 0), upstream=at(s, 1), contribution=at(s, 2),
                                       parent_grad=at(s, 3)).caption for s in backprop.steps]


# --- nn: modules, activations, losses, the optimizer, the report, classes, initializations --------

# Each loss with the output layer the course pairs it with, and m = 5 targets of its kind.
LOSS_CASES = {
    "cross_entropy": ("sigmoid", [[0.0], [1.0], [1.0], [0.0], [0.3]]),
    "softmax_cross_entropy": ("linear", [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]]),
    "squared_error": ("sigmoid", [[0.0], [1.0], [0.25], [1.0], [0.0]]),
    "hinge": ("linear", [[1.0], [-1.0], [-1.0], [1.0], [1.0]]),
}
X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.0, 2.0], [-1.9, -0.4]]

TRAIN = """(thetas, activation, output, loss, X, Y, lam, perExample, lr, momentum, flat) => {
  const model = new Net.MLP(thetas, activation, output), steps = [];
  const sgd = new Net.SGD(model.parameters(), lr, momentum);
  for (let k = 0; k < 3; k++) {
    const recorder = Net.recorder(model);
    sgd.zeroGrad();
    const outputs = X.map(x => model.call(x, recorder.record));
    const J = Net.objective(model, outputs, Y, loss, lam, perExample);
    Engine.backward(J);
    steps.push({J: J.data, grads: model.parameters().map(p => [p.label, p.grad]),
                report: Net.report(model, recorder, model.thetas(), X.length, flat),
                classes: outputs.map(o => Plane.classOf(o.map(v => v.data), output))});
    sgd.step();
  }
  return {steps: steps, thetas: model.thetas()};
}"""


def test_the_pages_know_every_loss_activation_and_initialization(js):
    assert sorted(run(js, "() => Object.keys(Net.LOSSES)")) == sorted(LOSSES) == sorted(LOSS_CASES)
    assert sorted(run(js, "() => Object.keys(Net.INITS)")) == sorted([*INITS, *EXTRA_STARTS])
    assert set(EXTRA_STARTS) <= set(STARTS)  # (each activation is run in both by the tests below)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", sorted(LOSS_CASES))
def test_three_training_steps_give_pythons_loss_gradients_report_and_weights(js, loss, activation):
    output, Y = LOSS_CASES[loss]
    rng = np.random.default_rng(7)
    thetas = [rng.uniform(-1.5, 1.5, (3, 3)), rng.uniform(-1.5, 1.5, (len(Y[0]), 4))]
    lam, lr, momentum = 0.1, 0.4, 0.9
    got = run(js, TRAIN, [t.tolist() for t in thetas], activation, output, loss, X, Y, lam,
              penalty_divides_by_m(loss), lr, momentum, FLAT)
    model = MLP(2, [3, len(Y[0])], activation=activation, output_activation=output, init="zeros")
    model.set_weight_matrices(thetas)
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)
    for mine in got["steps"]:
        optimizer.zero_grad()
        outputs = [model(x) for x in X]
        J = objective(model, outputs, Y, loss, lam)
        J.backward()
        assert close(mine["J"], J.data)
        assert [name for name, _ in mine["grads"]] == [name for name, _ in model.named_parameters()]
        assert all(close(g, p.grad) for (_, g), p in zip(mine["grads"], model.parameters()))
        values = np.array([[o.data for o in (out if isinstance(out, list) else [out])] for out in outputs])
        assert mine["classes"] == predicted_classes(model, values).tolist()
        for shown, layer in zip(mine["report"], gradient_report(model, X, Y, loss, lam).layers):
            expected = layer.as_dict()
            assert {k: shown[k] for k in ("name", "activation", "units", "distinct", "saturated")} == \
                {k: expected[k] for k in ("name", "activation", "units", "distinct", "saturated")}
            assert close(shown["weight_grad"], expected["weight_grad"], 1e-9)
            assert close(shown["delta"], expected["delta"], 1e-9)
        optimizer.step()
    for mine, theta in zip(got["thetas"], model.weight_matrices()):
        assert np.allclose(mine, theta, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_saturated_and_dead_units_are_counted_as_nn_counts_them(js, activation):
    """On four examples, unit 1's z is ±50 on exactly half of them (not saturated: that needs most),
    unit 2's is −50 on three and 0 on one (saturated; relu: dead, as relu′(0) = 0), unit 3's is small."""
    X4 = [[10.0, 0.0], [10.0, 0.0], [0.0, 10.0], [0.0, 0.0]]
    thetas = [[[0.0, 5.0, 0.0], [0.0, -5.0, -5.0], [0.0, 0.1, -0.1]], [[0.0, 1.0, 1.0, 1.0]]]
    got = run(js, TRAIN, thetas, activation, "sigmoid", "cross_entropy", X4, [[1.0], [0.0], [1.0], [0.0]], 0.0,
              True, 0.0, 0.0, FLAT)
    model = MLP(2, [3, 1], activation=activation, output_activation="sigmoid", init="zeros")
    model.set_weight_matrices([np.array(t) for t in thetas])
    expected = gradient_report(model, X4, [[1.0], [0.0], [1.0], [0.0]]).layers[0]
    assert expected.saturated == pytest.approx(1 / 3)  # the oracle agrees with the reading above
    assert got["steps"][0]["report"][0]["saturated"] == expected.saturated


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_boards_forward_pass_is_nns(js, activation):
    rng = np.random.default_rng(3)
    thetas = [rng.uniform(-2, 2, (4, 3)), rng.uniform(-2, 2, (2, 5))]
    points = rng.uniform(-3, 3, (25, 2))
    got = run(js, "(thetas, activations, xs) => xs.map(x => Plane.forward(thetas, activations, x))",
              [t.tolist() for t in thetas], [activation, activation], points.tolist())
    model = MLP(2, [4, 2], activation=activation, output_activation=activation, init="zeros")
    model.set_weight_matrices(thetas)
    layers = forward(model, points).activations[1:]
    for l, layer in enumerate(layers):
        assert np.allclose([example[l] for example in got], layer, rtol=1e-12, atol=1e-12), f"layer {l + 1}"


def test_the_class_of_an_output_is_nns(js):
    cases = [(1, "sigmoid", [[0.5], [0.5000001], [0.4999], [1.0], [0.0]]),
             (1, "linear", [[0.0], [-0.0], [1e-300], [-1e-300], [3.0]]),
             (1, "tanh", [[0.0], [0.2], [-0.2]]),
             (3, "linear", [[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [-1.0, -3.0, -0.5], [0.0, 0.0, 0.0], [5.0, 1.0, 5.0]])]
    got = run(js, "(cases) => cases.map(([_, g, rows]) => rows.map(o => Plane.classOf(o, g)))", cases)
    for (k, output, rows), mine in zip(cases, got):
        model = MLP(2, [k], output_activation=output, init="zeros")
        assert mine == predicted_classes(model, np.array(rows)).tolist(), (k, output)


@pytest.mark.parametrize("init", [*INITS, *EXTRA_STARTS])
def test_each_initialization_draws_from_pythons_distribution(js, init):
    """The page has its own random numbers (numpy's cannot run there), so the weights differ; their
    distribution must not: 30,000 weights of a 100 → 300 layer from each side, a two-sample
    Kolmogorov–Smirnov test, and biases 0."""
    n_in, n_out = 100, 300
    theta = np.array(run(js, "(init, sizes, eps) => Net.initialThetas(init, sizes, 11, eps)[0]", init,
                         [n_in, n_out], INIT_EPSILON))
    rng = np.random.default_rng(11)
    python = (initial_weights(init, n_out, n_in, rng) if init in INITS else STARTS[init](rng, (n_out, n_in))).ravel()
    assert theta.shape == (n_out, n_in + 1) and np.all(theta[:, 0] == 0)
    result = ks_2samp(theta[:, 1:].ravel(), python)
    assert result.pvalue > 1e-3, f"{init}: the page draws from another distribution (KS D = {result.statistic:.3f})"
