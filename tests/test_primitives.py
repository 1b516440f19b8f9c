"""Every primitive's value and local derivatives against sympy's symbolic derivative (the oracle)."""

import math

import pytest
import sympy as sp

from microgrboard import PRIMITIVES, Value

x_, y_ = sp.symbols("x y", real=True)

# name -> (build the node from Values a (and b), the same function in sympy, the inputs it is checked at)
UNARY = {
    "exp": (lambda a: a.exp(), sp.exp(x_), [-3.0, -0.5, 0.0, 0.7, 4.0]),
    "log": (lambda a: a.log(), sp.log(x_), [1e-3, 0.5, 1.0, 2.5, 40.0]),
    "reciprocal": (lambda a: a.reciprocal(), 1 / x_, [-4.0, -0.3, 0.2, 1.0, 7.0]),
    "sigmoid": (lambda a: a.sigmoid(), 1 / (1 + sp.exp(-x_)), [-6.0, -1.0, 0.0, 0.5, 3.0]),
    "tanh": (lambda a: a.tanh(), sp.tanh(x_), [-2.0, -0.4, 0.0, 0.9, 3.0]),
    "relu": (lambda a: a.relu(), sp.Piecewise((x_, x_ > 0), (0, True)), [-2.0, -0.1, 0.3, 5.0]),
    "pow": (lambda a: a**3, x_**3, [-2.0, -0.5, 0.0, 1.5]),
    "div": (lambda a: a / 4, x_ / 4, [-2.0, 0.0, 3.0]),
    "softplus": (lambda a: a.softplus(), sp.log(1 + sp.exp(x_)), [-30.0, -2.0, 0.0, 0.5, 40.0]),
}
BINARY = {
    "add": (lambda a, b: a + b, x_ + y_, [(-1.0, 2.0), (0.5, 0.25), (3.0, -7.0)]),
    "mul": (lambda a, b: a * b, x_ * y_, [(-1.0, 2.0), (0.5, 0.25), (3.0, -7.0)]),
    "pow_var": (lambda a, b: a**b, x_**y_, [(0.5, 2.0), (2.0, -1.5), (3.0, 0.7)]),
}


def test_the_table_covers_every_primitive():
    assert set(PRIMITIVES) == set(UNARY) | set(BINARY)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_value_and_local_derivative(name):
    build, expr, points = UNARY[name]
    derivative = sp.diff(expr, x_)
    for point in points:
        node = build(Value(point))
        assert node.op == name
        assert node.data == pytest.approx(float(expr.subs(x_, point)), rel=1e-12, abs=1e-15)
        assert node.local_grads == pytest.approx((float(derivative.subs(x_, point)),), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_value_and_local_derivatives(name):
    build, expr, points = BINARY[name]
    dx, dy = sp.diff(expr, x_), sp.diff(expr, y_)
    for a, b in points:
        node = build(Value(a), Value(b))
        subs = {x_: a, y_: b}
        assert node.op == name
        assert node.data == pytest.approx(float(expr.subs(subs)), rel=1e-12)
        assert node.local_grads == pytest.approx((float(dx.subs(subs)), float(dy.subs(subs))), rel=1e-12)


@pytest.mark.parametrize("exponent", [0, 1, 2, -1, -2.5, 0.5, 1.5])
def test_pow_with_number_exponents(exponent):
    expr = x_**exponent
    for point in (0.3, 1.0, 2.7):
        node = Value(point) ** exponent
        assert node.data == pytest.approx(float(expr.subs(x_, point)), rel=1e-12)
        assert node.local_grads[0] == pytest.approx(float(sp.diff(expr, x_).subs(x_, point)), rel=1e-12, abs=0)


def test_relu_derivative_at_zero_is_zero_as_in_pytorch():
    node = Value(0.0).relu()
    assert (node.data, node.local_grads) == (0.0, (0.0,))


@pytest.mark.parametrize("x", [1e308, 710.0, 50.0, -50.0, -710.0, -1e308])
def test_sigmoid_tanh_softplus_are_stable_for_huge_inputs(x, recwarn):
    s, t, p = Value(x).sigmoid(), Value(x).tanh(), Value(x).softplus()
    expected = 1.0 if x > 0 else 0.0
    assert s.data == pytest.approx(expected, abs=1e-20)
    assert t.data == (1.0 if x > 0 else -1.0)
    assert p.data == (x if x > 0 else pytest.approx(0.0, abs=1e-20)) and p.local_grads[0] == s.data
    assert all(math.isfinite(v) for v in s.local_grads + t.local_grads)
    assert len(recwarn) == 0


# Every primitive on a batch: the compiler's numpy rule against the scalar rule, example by example.
BATCH_POINTS = {
    "add": ([-1.5, 0.0, 2.0], [0.5, -3.0, 1e-3]), "mul": ([-1.5, 0.0, 2.0], [0.5, -3.0, 1e-3]),
    "pow_var": ([0.5, 1.0, 3.0], [2.0, -1.5, 0.7]), "pow": ([-2.0, 0.5, 3.0], 3.0),
    "div": ([-2.0, 0.0, 5.0], 4.0), "exp": ([-700.0, 0.0, 3.0],), "log": ([1e-300, 1.0, 7.5],),
    "reciprocal": ([-4.0, 0.25, 9.0],), "sigmoid": ([-800.0, -1.0, 0.0, 2.0, 800.0],),
    "tanh": ([-30.0, 0.3, 2.0],), "relu": ([-1.0, 0.0, 2.5],), "softplus": ([-800.0, -1.0, 0.0, 3.0, 800.0],),
}


@pytest.mark.parametrize("name", sorted(BATCH_POINTS))
def test_batch_rule_equals_the_scalar_rule(name):
    import numpy as np

    from microgrboard import PRIMITIVES

    prim = PRIMITIVES[name]
    args = BATCH_POINTS[name]
    arrays = [np.array(a) if isinstance(a, list) else a for a in args]
    batch = prim.batch_rule(*arrays)
    m = len(args[0])
    for i in range(m):
        scalar = prim.rule(*[a[i] if isinstance(a, list) else a for a in args])
        got = [np.broadcast_to(v, (m,))[i] for v in batch]
        assert got == pytest.approx(list(scalar), rel=1e-15, abs=0)
