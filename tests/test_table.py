"""The table of primitives owns each operation: a new entry works everywhere, and every entry is
written, drawn and captioned as its entry says. Oracles: sympy's derivatives, finite differences,
and the notation written out by hand below."""

import io
import math
import pathlib
import re

import numpy as np
import pytest
import sympy as sp

import viz
from microgrboard import (
    PRIMITIVES,
    Primitive,
    Value,
    compile_graph,
    explain,
    numerical_grad,
    register_primitive,
    unregister_primitive,
)
from microgrboard.extend import ATOM, function, symbol, template

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _softsign(x):
    # softsign(x) = x / (1 + |x|);  d/dx = 1 / (1 + |x|)²
    d = 1.0 + abs(x)
    return x / d, 1.0 / (d * d)


def _batch_softsign(x):
    d = 1.0 + np.abs(x)
    return x / d, 1.0 / (d * d)


def _hypot(x, y):
    # hypot(x, y) = √(x² + y²);  ∂/∂x = x / h,  ∂/∂y = y / h  (a two-input primitive, test only)
    h = math.hypot(x, y)
    if h == 0.0:
        raise ZeroDivisionError("hypot(0, 0) has no derivative")
    return h, x / h, y / h


def _batch_hypot(x, y):
    h = np.hypot(x, y)
    return h, x / h, y / h


SOFTSIGN = Primitive(name="softsign", arity=1, rule=_softsign, batch_rule=_batch_softsign,
                     local_text=("1/(1 + |{x}|)²",), write=function("softsign"), gate=symbol("softsign"),
                     method="softsign")
HYPOT = Primitive(name="hypot", arity=2, rule=_hypot, batch_rule=_batch_hypot,
                  local_text=("{x}/hypot({x}, {y})", "{y}/hypot({x}, {y})"),
                  write=template("hypot({0}, {1})", ATOM, 0, 0), gate=symbol("hypot"), method="hypot")


@pytest.fixture
def new_primitives():
    register_primitive(SOFTSIGN)
    register_primitive(HYPOT)
    yield
    unregister_primitive(SOFTSIGN)
    unregister_primitive(HYPOT)


def test_a_new_primitive_works_everywhere_from_one_entry(new_primitives, tmp_path):
    x_ = sp.Symbol("x", real=True)
    a, b = Value(-0.7, label="a"), Value(1.3, label="b")
    s = a.softsign()
    f = (s * b).hypot(a)
    f.label = "f"
    # forward and local derivatives against sympy
    assert s.data == pytest.approx(-0.7 / 1.7, rel=1e-15)
    symbolic = sp.diff(x_ / (1 + sp.Abs(x_)), x_).subs(x_, -0.7)
    assert s.local_grads == pytest.approx((float(symbolic),), rel=1e-12)
    # backward against central differences of forward passes only
    f.backward()
    numeric = numerical_grad(lambda p, q: (p.softsign() * q).hypot(p), [a.data, b.data])
    assert (a.grad, b.grad) == pytest.approx(numeric, rel=1e-7)
    # stepping, the explainer and the formula
    steps = list(f.backward_steps())
    assert [st.node.op for st in steps[:2]] == ["hypot", "hypot"]
    assert "softsign" in {st.node.op for st in steps}
    assert any(st.formula == "1/(1 + |a|)²" for st in steps)
    assert f.formula() == "hypot(softsign(a)*b, a)"
    out = io.StringIO()
    explain(f, file=out)
    assert "a → softsign" in out.getvalue() and "1/(1 + |a|)²" in out.getvalue()
    # the diagram and the board
    source = viz.draw(f).source
    assert "softsign" in source and "hypot" in source
    captions = [st["caption"] for st in viz.board_steps(f)]
    assert any(c.startswith("forward: softsign") and "= softsign(a) = softsign(-0.7)" in c for c in captions)
    assert any("∂softsign" in c and "1/(1 + |a|)²" in c for c in captions)
    if _have_dot():
        assert pathlib.Path(viz.board(f, tmp_path / "new.html")).stat().st_size > 3000
    # the batch compiler, against the eager engine example by example
    x, y = Value(1.0, label="x"), Value(1.0, label="y")  # placeholders: any values where hypot is defined
    program = compile_graph((x.softsign() * y).hypot(x), [x, y])
    batch = np.array([[-2.0, 0.5], [0.3, -1.5], [4.0, 2.0]])
    got = program.forward(batch)
    for row, value in zip(batch.tolist(), got.tolist()):
        p, q = Value(row[0]), Value(row[1])
        assert value == pytest.approx((p.softsign() * q).hypot(p).data, rel=1e-15)


def test_unregistering_removes_the_method(new_primitives):
    assert hasattr(Value, "softsign") and "softsign" in PRIMITIVES
    with pytest.raises(ValueError, match="already registered"):
        register_primitive(Primitive(name="softsign", arity=1, rule=_softsign, batch_rule=_batch_softsign,
                                     local_text=("",), write=function("s"), gate=symbol("s")))


# Every primitive: how to build it, the formula it must print, its gate on the diagram, and the forward
# caption the board must show — all written out by hand.
a, b = Value(2.0, label="a"), Value(0.5, label="b")
EXPECTED = {
    "add": (lambda: a + b, "a + b", "+", "a + b = 2 + 0.5 = 2.5"),
    "mul": (lambda: a * b, "a*b", "×", "a*b = 2*0.5 = 1"),
    "pow_var": (lambda: a**b, "a**b", "**", "a**b = 2**0.5 = 1.414"),
    "pow": (lambda: a**3, "a**3", "**3", "a**3 = 2**3 = 8"),
    "div": (lambda: a / 4, "a/4", "÷4", "a/4 = 2/4 = 0.5"),
    "exp": (lambda: a.exp(), "exp(a)", "exp", "exp(a) = exp(2) = 7.389"),
    "log": (lambda: a.log(), "log(a)", "log", "log(a) = log(2) = 0.6931"),
    "reciprocal": (lambda: a.reciprocal(), "1/a", "1/x", "1/a = 1/2 = 0.5"),
    "sigmoid": (lambda: a.sigmoid(), "σ(a)", "σ", "σ(a) = σ(2) = 0.8808"),
    "tanh": (lambda: a.tanh(), "tanh(a)", "tanh", "tanh(a) = tanh(2) = 0.964"),
    "relu": (lambda: a.relu(), "relu(a)", "relu", "relu(a) = relu(2) = 2"),
    "softplus": (lambda: a.softplus(), "softplus(a)", "softplus", "softplus(a) = softplus(2) = 2.127"),
}


def test_the_loop_covers_every_built_in_primitive():
    assert set(EXPECTED) == set(PRIMITIVES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_primitive_is_written_drawn_and_captioned(name):
    build, written, gate, caption = EXPECTED[name]
    node = build()
    assert node.op == name and node.formula() == written
    source = viz.draw(node).source
    assert f"<{gate}<br/>" in source or f"<{gate}>" in source, source
    forward = [s["caption"] for s in viz.board_steps(node) if s["phase"] == "forward"]
    assert forward == [f"forward: {name}{len(set(node.parents))} = {caption}"]  # named by place: a, (b,) node


def test_folded_numbers_read_as_a_person_writes_them():
    assert viz.labels.gate_symbol(a + 1) == "+1" and viz.labels.gate_symbol(a - 3) == "−3"
    assert viz.labels.gate_symbol(-a) == "×−1" and viz.labels.gate_symbol(a / -2) == "÷−2"
    assert viz.labels.gate_symbol(2**a) == "2**x" and viz.labels.gate_symbol(a**-1) == "**−1"
    assert (a - b).formula() == "a - b" and (a / b).formula() == "a/b" and (-a).formula() == "-a"
    assert (a - (b - a)).formula() == "a - (b - a)" and (a / (b * a)).formula() == "a/(b*a)"


def test_only_value_and_the_backward_loop_touch_private_slots():
    private = re.compile(r"\._(a|b|da|db|prim|grad)\b")
    for path in list((ROOT / "microgrboard").rglob("*.py")) + list((ROOT / "viz").rglob("*.py")):
        if path.name == "value.py":
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "backprop.py":  # the topological walk and the backward loop, and nothing after them
            text = text[text.index("class Step"):]
        assert not private.search(text), f"{path.relative_to(ROOT)} reads a node's private slots"


def _have_dot():
    import shutil

    return shutil.which("dot") is not None
