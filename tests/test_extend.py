"""An operation added through `microgrboard.extend` alone works in every view: the method, backward,
explain, why, check_edges, formula, draw, the board, the practice session, the compiler, and the
playground's table (its JavaScript twin run in V8 against the Python rule).

The operation is softsign(x) = x / (1 + |x|); the oracles are sympy's derivative and central differences
of forward passes, never the engine's own numbers.
"""

import io
import json
import math
import pathlib
import shutil

import numpy as np
import pytest
import sympy as sp
from py_mini_racer import MiniRacer

import viz
from microgrboard import Value, check_edges, compile_graph, explain, numerical_grad, practice, why
from microgrboard.extend import Primitive, function, register_primitive, symbol, unregister_primitive
from viz.page import asset
from viz.playground import engine_table


def _softsign(x: float) -> tuple[float, float]:
    # softsign(x) = x / (1 + |x|);  d/dx = 1 / (1 + |x|)²
    d = 1.0 + abs(x)
    return x / d, 1.0 / (d * d)


def _batch_softsign(x):
    d = 1.0 + np.abs(x)
    return x / d, 1.0 / (d * d)


SOFTSIGN = Primitive(
    name="softsign_ext", arity=1, rule=_softsign, batch_rule=_batch_softsign, method="softsign_ext",
    js="function (x) { var d = 1 + Math.abs(x); return [x / d, 1 / (d * d)]; }",
    local_text=("1/(1 + |{x}|)²",), write=function("softsign"), gate=symbol("softsign"),
)

_x = sp.Symbol("x", real=True)
SYMBOLIC = sp.diff(_x / (1 + sp.Abs(_x)), _x)


@pytest.fixture
def softsign():
    register_primitive(SOFTSIGN)
    yield
    unregister_primitive(SOFTSIGN)


def graph():
    """f = softsign(a·b) + a, with a used twice (two paths from a to f)."""
    a, b = Value(-0.7, label="a"), Value(1.3, label="b")
    s = (a * b).softsign_ext()
    s.label = "s"
    f = s + a
    f.label = "f"
    return a, b, s, f


def test_the_method_and_backward_agree_with_sympy_and_finite_differences(softsign):
    a, b, s, f = graph()
    assert s.data == pytest.approx(-0.91 / 1.91, rel=1e-15) and s.op == "softsign_ext"
    assert s.local_grads == pytest.approx((float(SYMBOLIC.subs(_x, -0.91)),), rel=1e-12)
    f.backward()
    numeric = numerical_grad(lambda p, q: (p * q).softsign_ext() + p, [a.data, b.data])
    assert (a.grad, b.grad) == pytest.approx(numeric, rel=1e-7)
    assert "softsign_ext" in (Value.softsign_ext.__doc__ or "") and "1/(1 + |x|)²" in Value.softsign_ext.__doc__


def test_explain_why_check_edges_and_formula(softsign):
    a, b, s, f = graph()
    assert f.formula() == "s + a" and s.formula() == "softsign(a*b)"  # a labelled node is written by its name
    out = io.StringIO()
    explain(f, file=out)
    assert "mul" in out.getvalue() and "1/(1 + |mul" in out.getvalue()  # the template, in the graph's names
    f.backward()
    text = str(why(b, f))
    assert "1 path" in text and "agrees" in text
    assert check_edges(f).passed


def test_the_diagram_the_board_and_the_practice_session(softsign, tmp_path):
    a, b, s, f = graph()
    assert "softsign" in viz.draw(f).source
    captions = [step["caption"] for step in viz.board_steps(f)]
    assert any("∂s/∂" in c and "1/(1 + |" in c for c in captions)
    if shutil.which("dot"):
        assert "softsign" in pathlib.Path(viz.board(f, tmp_path / "b.html")).read_text(encoding="utf-8")
    # practising: the softsign edge is checked against sympy's derivative, the others are revealed
    session, local = practice(f), float(SYMBOLIC.subs(_x, -0.91))
    asked = False
    while not session.done:
        question = session.current
        if question.kind == "edge" and question.node is s:
            wrong = session.answer(local=local + 0.5, grad=local + 0.5)
            assert not wrong.correct and "1/(1 + |" in session.hint()  # the rule comes first
            assert session.answer(local=local, grad=local * 1.0).correct  # upstream ∂f/∂s = 1
            asked = True
        else:
            session.reveal()
    assert asked and a.grad == 0.0 and b.grad == 0.0  # practising changed no gradient


def test_the_compiler_gives_the_eager_numbers(softsign):
    x, y = Value(1.0, label="x"), Value(1.0, label="y")
    program = compile_graph((x * y).softsign_ext() + x, [x, y])
    batch = np.array([[-2.0, 0.5], [0.3, -1.5], [4.0, 2.0]])
    for row, value in zip(batch.tolist(), program.forward(batch).tolist()):
        p, q = Value(row[0]), Value(row[1])
        assert value == pytest.approx(((p * q).softsign_ext() + p).data, rel=1e-15)


def test_the_playgrounds_table_carries_its_twin_and_the_twin_computes_the_rule(softsign):
    table = str(engine_table())
    assert '"name": "softsign_ext"' in table or '"name":"softsign_ext"' in table
    with MiniRacer() as js:
        js.eval(str(asset("engine.js")))
        js.eval(table)
        for x in (-3.0, -0.5, 0.0, 0.25, 7.0):
            got = json.loads(js.eval(f"JSON.stringify(Engine.table.softsign_ext.rule({x}))"))
            d = 1.0 + abs(x)
            assert got == pytest.approx([x / d, float(SYMBOLIC.subs(_x, x)) if x != 0 else 1.0], rel=1e-15)
            assert math.isfinite(got[1])


def test_an_entry_that_names_an_unknown_placeholder_is_refused_when_made():
    with pytest.raises(ValueError, match=r"uses \['z'\]"):
        Primitive(name="bad", arity=1, rule=_softsign, batch_rule=_batch_softsign, local_text=("{z}",),
                  write=function("bad"), gate=symbol("bad"))
    with pytest.raises(TypeError):
        Primitive("bad", 1, _softsign, _batch_softsign, ("{x}",), function("bad"), symbol("bad"))  # keywords only


def test_by_default_a_local_derivative_depends_on_the_arguments_its_template_names():
    made = Primitive(name="scale_ext", arity=2, rule=lambda x, y: (2 * x + 3 * y, 2.0, 3.0),
                     batch_rule=lambda x, y: (2 * x + 3 * y, 2.0, 3.0), local_text=("2", "3·{x}"),
                     write=function("scale"), gate=symbol("scale"))
    assert made.local_depends_on_input == (False, False)
    assert SOFTSIGN.local_depends_on_input == (True,)
