"""Gradient checking: central differences against symbolic derivatives, and the report's verdicts."""

import math

import pytest
import sympy as sp

from microgrboard import Value, gradcheck, numerical_grad
from microgrboard.circuits import SEED_INPUTS, sigmoid_circuit


def test_numerical_grad_is_the_central_difference_against_sympy():
    x, y = sp.symbols("x y")
    expr = sp.sin(x) * y**2  # not even an engine primitive: fn may compute with anything
    grads = numerical_grad(lambda a, b: math.sin(a.data) * b.data**2, [0.7, -1.3])
    exact = [float(sp.diff(expr, s).subs({x: 0.7, y: -1.3})) for s in (x, y)]
    assert grads == pytest.approx(exact, rel=1e-7)


def test_numerical_grad_error_is_order_eps_squared():
    # f = x³ at x = 1: central difference = 3 + ε² exactly
    for eps in (1e-1, 1e-2):
        (g,) = numerical_grad(lambda v: v**3, [1.0], eps=eps)
        assert g == pytest.approx(3 + eps**2, rel=1e-9)


def test_gradcheck_passes_on_the_seed_circuit_both_ways():
    for fused in (True, False):
        report = gradcheck(lambda *v, fused=fused: sigmoid_circuit(*v, fused=fused), list(SEED_INPUTS.values()))
        assert report.passed and bool(report)
        assert [e.name for e in report.entries] == ["x0", "x1", "x2", "x3", "x4"]
        assert report.worst.error < 1e-8 and report.tolerance == 1e-6 and report.eps == 1e-4
        assert "PASS" in str(report)


def test_gradcheck_uses_labels_and_catches_a_wrong_derivative():
    a = Value(0.3, label="a")

    def wrong(v):  # a "gate" whose recorded local derivative is off by a factor 2
        out = v * v
        out._da = out._db = 2.0 * v.data
        return out

    report = gradcheck(wrong, [a])
    assert not report.passed
    assert report.entries[0].name == "a"
    assert report.entries[0].analytic == pytest.approx(1.2) and report.entries[0].numeric == pytest.approx(0.6)
    assert "FAIL" in str(report) and "worst error" in str(report)


def test_gradcheck_input_validation():
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: Value(1.0), [])
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda v: 1.0, [1.0])
    with pytest.raises(ValueError, match="eps"):
        numerical_grad(lambda v: v, [1.0], eps=0)
