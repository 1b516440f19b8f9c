"""Derived operations go through the primitives, numbers work on either side, constants fold into gates."""

import math

import pytest

from microgrboard import Value


def test_derived_operations_build_the_seed_gates():
    z = Value(1.5, label="z")
    f = 1 / (1 + (-z).exp())
    # f = reciprocal(add(1, exp(mul(z, -1))))
    assert f.op == "reciprocal"
    add = f.parents[0]
    assert add.op == "add" and add.operands[0] == 1.0
    exp = add.parents[0]
    assert exp.op == "exp"
    neg = exp.parents[0]
    assert neg.op == "mul" and neg.operands == (z, -1.0)
    assert f.data == pytest.approx(1 / (1 + math.exp(-1.5)), rel=1e-15)


def test_sub_and_div_by_values_use_negation_and_reciprocal():
    a, b = Value(5.0), Value(2.0)
    diff = a - b
    assert diff.op == "add" and diff.parents[1].op == "mul" and diff.parents[1].operands[1] == -1.0
    ratio = a / b
    assert ratio.op == "mul" and ratio.parents[1].op == "reciprocal"
    assert (diff.data, ratio.data) == (3.0, 2.5)


@pytest.mark.parametrize(
    "expr, expected",
    [
        (lambda v: v + 2, 5.0), (lambda v: 2 + v, 5.0), (lambda v: v - 2, 1.0), (lambda v: 2 - v, -1.0),
        (lambda v: v * 2, 6.0), (lambda v: 2 * v, 6.0), (lambda v: v / 2, 1.5), (lambda v: 2 / v, 2 / 3),
        (lambda v: v**2, 9.0), (lambda v: 2**v, 8.0), (lambda v: -v, -3.0),
    ],
)
def test_python_numbers_on_either_side(expr, expected):
    out = expr(Value(3.0))
    assert out.data == pytest.approx(expected, rel=1e-15)
    assert len(out.parents) == 1  # the number is a folded constant, not a node


def test_numpy_scalars_and_fractions_are_numbers():
    np = pytest.importorskip("numpy")
    from fractions import Fraction

    v = Value(np.float32(0.5)) + np.int64(2) + Fraction(1, 4)
    assert v.data == 2.75


def test_graph_introspection_names():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    assert c.op == "mul" and c.parents == (a, b) and c.local_grads == (-3.0, 2.0)
    assert c.edges == ((a, c, 0, -3.0), (b, c, 1, 2.0))  # (parent, gate, argument, local)
    assert [(x.kind, x.value, x.local) for x in c.arguments] == [("parent", a, -3.0), ("parent", b, 2.0)]
    assert [x.kind for x in (a + 1).arguments] == ["parent", "constant"]
    assert [x.kind for x in (2 * a).arguments] == ["constant", "parent"]
    assert [(x.kind, x.value) for x in (a**3).arguments] == [("parent", a), ("parameter", 3.0)]
    assert [(x.kind, x.value) for x in (a / 4).arguments] == [("parent", a), ("parameter", 4.0)]
    sq = a * a
    assert sq.edges == ((a, sq, 0, 2.0), (a, sq, 1, 2.0)) and sq.parents == (a, a)
    assert a.is_leaf and not c.is_leaf and a.op is None and a.parents == ()
    with pytest.raises(AttributeError):
        c.parents = ()  # read-only


def test_repr_and_formula():
    w0, x0, w1, x1, w2 = (Value(v, label=n) for v, n in [(2, "w0"), (-1, "x0"), (-3, "w1"), (-2, "x1"), (-3, "w2")])
    f = (w0 * x0 + w1 * x1 + w2).sigmoid()
    assert f.formula() == "σ(w0*x0 + w1*x1 + w2)"
    assert repr(w0) == "Value(label='w0', data=2, grad=0)"
    assert repr(f).startswith("Value(op='sigmoid', data=0.731059")
    assert (1 / (1 + (-(w0 * x0)).exp())).formula() == "1/(1 + exp(-(w0*x0)))"
    assert (w0 - x0 / 2 - 3).formula() == "w0 - x0/2 - 3"
    assert ((w0 + x0) * (w1 - x1) ** 2).formula() == "(w0 + x0)*(w1 - x1)**2"
    assert (w0 / (x0 + w1)).formula() == "w0/(x0 + w1)"
    assert (2**w0 + w0**x0).formula() == "2**w0 + w0**x0"
    assert (Value(1.5) * -2).formula() == "leaf0*(-2)"  # an unlabelled leaf is named as explain names it


def test_one_name_per_node_in_formula_explain_why_and_the_board_title():
    import io

    import viz
    from microgrboard import explain, why

    a = Value(2.0)
    b = a**2 + a.exp()
    assert b.formula() == "leaf0**2 + exp(leaf0)"  # not 2**2 + exp(2), which reads like constants
    out = io.StringIO()
    explain(b, file=out)
    assert "leaf0 → " in out.getvalue()
    b.backward()
    assert "leaf0 → " in str(why(a, b))
    x = Value(1.0, label="x")
    y = x + x
    y.label = "y"
    z = y + y
    z.label = "z"
    assert z.formula() == "y + y"  # the fan-out the naive board is there to teach, not x + x + x + x
    assert viz.board(z, order="naive").title == "Backprop through y + y"


def test_labels_that_are_expressions_keep_their_parentheses_and_values_pickle():
    import pickle

    from microgrboard.nn import MLP

    x1, w1, x2, w2 = (Value(v, label=name) for v, name in [(2.0, "x1"), (-3.0, "w1"), (0.0, "x2"), (1.0, "w2")])
    a, b = x1 * w1, x2 * w2
    a.label, b.label = "x1*w1", "x2*w2"
    s = a + b
    s.label = "x1*w1 + x2*w2"  # the micrograd lecture's own labels
    assert (s * 2).formula() == "(x1*w1 + x2*w2)*2"
    assert ((s + 1).tanh() * s).formula() == "tanh(x1*w1 + x2*w2 + 1)*(x1*w1 + x2*w2)"
    leaf = pickle.loads(pickle.dumps(Value(2.0, label="a")))
    assert (leaf.data, leaf.label) == (2.0, "a")
    model = pickle.loads(pickle.dumps(MLP(2, [3, 1], seed=0)))
    assert len(model.parameters()) == 13
