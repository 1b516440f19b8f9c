"""`check_edges(root)`: each edge's recorded local derivative against a central difference of its gate.

Oracles: sympy's derivative of each primitive at the edge's point (for the central difference itself),
and primitives registered here with a derivative wrong on purpose, whose edges — and only those — must
fail, on the report and on the drawing."""

import math
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from test_properties import recipes, run

import viz
from microgrboard import Primitive, Value, check_edges, register_primitive, topological_order, unregister_primitive
from microgrboard.circuits import sigmoid_neuron
from microgrboard.extend import ATOM, function, symbol, template

t, u = sp.symbols("t u", real=True)
# Each built-in primitive as sympy sees it: (build from a and b, expression in t (= a) and u (= b), point)
SYMBOLIC = {
    "add": (lambda a, b: a + b, t + u),
    "mul": (lambda a, b: a * b, t * u),
    "pow_var": (lambda a, b: a**b, t**u),
    "pow": (lambda a, b: a**3, t**3),
    "div": (lambda a, b: a / 4, t / 4),
    "exp": (lambda a, b: a.exp(), sp.exp(t)),
    "log": (lambda a, b: a.log(), sp.log(t)),
    "reciprocal": (lambda a, b: a.reciprocal(), 1 / t),
    "sigmoid": (lambda a, b: a.sigmoid(), 1 / (1 + sp.exp(-t))),
    "tanh": (lambda a, b: a.tanh(), sp.tanh(t)),
    "relu": (lambda a, b: a.relu(), t),  # at a > 0 relu is the identity
    "softplus": (lambda a, b: a.softplus(), sp.log(1 + sp.exp(t))),
}


@pytest.mark.parametrize("name", sorted(SYMBOLIC))
def test_every_primitive_passes_and_its_central_difference_matches_sympy(name):
    build, expression = SYMBOLIC[name]
    a, b = Value(1.3, label="a"), Value(0.6, label="b")
    node = build(a, b)
    assert node.op == name
    report = check_edges(node)
    assert report.passed and report.entries and all(e.status == "pass" for e in report.entries)
    for entry, symbol_ in zip(report.entries, (t, u)):
        exact = float(sp.diff(expression, symbol_).subs({t: 1.3, u: 0.6}))
        assert entry.numeric == pytest.approx(exact, rel=1e-8)  # the oracle's check of the check
        assert entry.local == pytest.approx(exact, rel=1e-12)
        assert entry.error < 1e-8


@settings(max_examples=80, deadline=None)
@given(recipes())
def test_every_edge_of_random_graphs_passes(recipe):
    leaves, steps = recipe
    out = run(steps, [Value(x) for x in leaves], 1)
    report = check_edges(out)
    assert len(report.entries) == sum(len(node.edges) for node in topological_order(out))
    assert report.passed, str(report)


# Two primitives with a derivative wrong on purpose: x² with 3x for its derivative (should be 2x), and
# x·y whose ∂/∂y is right but whose ∂/∂x is off by one (y + 1 instead of y).
def _bad_square(x):
    return x * x, 3.0 * x


def _bad_mul(x, y):
    return x * y, y + 1.0, x


BAD_SQUARE = Primitive(name="bad_square", arity=1, rule=_bad_square, batch_rule=lambda x: (x * x, 3.0 * x),
                       local_text=("3·{x}",), write=function("sq"), gate=symbol("sq"), method="bad_square")
BAD_MUL = Primitive(name="bad_mul", arity=2, rule=_bad_mul, batch_rule=lambda x, y: (x * y, y + 1.0, x),
                    local_text=("{y} + 1", "{x}"), local_depends_on_input=(False, False),
                    write=template("bad_mul({0}, {1})", ATOM, 0, 0), gate=symbol("×?"), method="bad_mul")


@pytest.fixture
def broken():
    """The two broken primitives, registered for one test (as any user's new operation would be)."""
    added = [register_primitive(p) for p in (BAD_SQUARE, BAD_MUL)]
    yield
    for primitive in added:
        unregister_primitive(primitive)


def broken_graph():
    w, x, b = Value(0.8, label="w"), Value(-1.2, label="x"), Value(0.3, label="b")
    z = w.bad_mul(x) + b  # argument 0 of bad_mul is wrong, argument 1 is right
    out = (z.tanh().bad_square() + z.bad_square()).sigmoid()  # two bad_square gates
    out.label = "out"
    return out


def test_a_broken_derivative_fails_on_exactly_its_edges(broken):
    out = broken_graph()
    report = check_edges(out)
    wrong = {(e.gate.op, e.argument) for e in report.failures}
    assert wrong == {("bad_square", 0), ("bad_mul", 0)}
    assert len(report.failures) == 3  # two bad_square gates, one bad_mul's first argument
    for entry in report.entries:
        expected_fail = (entry.gate.op, entry.argument) in wrong
        assert (entry.status == "fail") == expected_fail, report.edge_name(entry)
    for entry in report.failures:  # the numeric slope is the true one: 2x, or y
        x = entry.parent.data
        true = 2 * x if entry.gate.op == "bad_square" else entry.gate.arguments[1].value.data
        assert entry.numeric == pytest.approx(true, rel=1e-8) and entry.error > 1e-3
    assert not report and "FAIL: 3 of" in str(report) and "bad_mul" in report.verdict


def test_draw_colours_each_wire_pass_or_fail_with_a_legend(broken):
    out = broken_graph()
    source = viz.draw(out, check_edges=True).source
    failing = set(re.findall(r'class="check-fail"[^\]]*id="?(n\d+_\d)', source))
    passing = set(re.findall(r'class="check-pass"[^\]]*id="?(n\d+_\d)', source))
    order = topological_order(out)
    expected = {f"n{order.index(e.gate)}_{e.argument}" for e in check_edges(out).failures}
    assert failing == expected and len(failing) == 3
    assert len(passing) == sum(len(n.edges) for n in order) - 3 and not passing & failing
    assert "local derivative disagrees" in source and "agrees with a central difference" in source  # the legend
    assert len(re.findall(r"✗ local -?\d", source)) == 3  # the failing wires show both numbers
    plain = viz.draw(out).source
    assert "check-" not in plain and "central difference" not in plain


def test_the_checked_drawing_renders(broken, needs_dot, tmp_path):
    svg = viz.render_svg(viz.draw(broken_graph(), check_edges=True))
    assert svg.count('class="edge check&#45;fail"') == 3


def test_kinks_domain_edges_and_changed_inputs_are_unsure_not_failures():
    x = Value(0.0, label="x")
    out = x.relu() + (x + 5e-5).log()
    report = check_edges(out)
    statuses = {e.gate.op: e.status for e in report.entries}
    assert statuses["relu"] == "unsure" and statuses["log"] == "unsure" and statuses["add"] == "pass"
    assert report.passed and "unsure" in str(report)
    assert "kink" in next(e.reason for e in report.entries if e.gate.op == "relu")
    assert "undefined within 2ε" in next(e.reason for e in report.entries if e.gate.op == "log")
    a = Value(2.0, label="a")
    square = a * a
    a.data = 3.0  # an optimizer step after the forward pass
    assert {e.status for e in check_edges(square).entries} == {"unsure"}
    assert "changed after the forward pass" in check_edges(square).entries[0].reason


def test_the_seed_circuit_passes_and_nothing_changes():
    f, inputs = sigmoid_neuron(fused=False)
    f.backward()
    before = [(n.data, n.grad) for n in topological_order(f)]
    report = check_edges(f)
    assert report.passed and len(report.entries) == 12 and report.worst.error < 1e-8
    assert str(report).splitlines()[-1].startswith("PASS: 12 of 12 edges agree")
    assert [(n.data, n.grad) for n in topological_order(f)] == before
    assert report.eps == 1e-4  # the seeds' ε


def test_check_edges_takes_a_value():
    with pytest.raises(TypeError, match=r"check_edges takes a Value, e.g. check_edges\(f\)"):
        check_edges([Value(1.0)])
    with pytest.raises(ValueError, match="eps must be > 0"):
        check_edges(Value(1.0) * 2, eps=0.0)


def test_a_large_curvature_is_unsure_rather_than_a_false_failure():
    """1/x at x = 0.01: the central difference's own error (ε²·|f'''|/6 ≈ 1 on a slope of 10⁴) is above the
    tolerance, which the check sees by comparing differences at ε and 2ε (Richardson)."""
    x = Value(0.01, label="x")
    entry = check_edges(x.reciprocal()).entries[0]
    assert entry.local == -1e4 and entry.status == "unsure"
    assert math.isclose(entry.numeric, -1e4 / (1 - 1e-4), rel_tol=1e-9)  # (1/(x+ε) − 1/(x−ε))/2ε, exactly
    assert np.isfinite(entry.error)
