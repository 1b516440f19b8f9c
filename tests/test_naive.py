"""Why the order matters: backprop done the naive way (each node passes its gradient on as soon as it gets
some) against the topological order. Oracles: the naive recursion written out here over the public view,
sympy and 50-digit numerical derivatives (the right numbers), and the numbers worked by hand."""

import io
import sys
from collections import defaultdict

import pytest
import sympy as sp
from hypothesis import given, settings
from test_properties import oracle_gradient, recipes, run

from microgrboard import Value, explain, naive_walk, topological_order
from microgrboard.circuits import sigmoid_neuron


def naive_by_recursion(root):
    """The naive way as learners first write it: a node passes on its gradient so far, then recurses."""
    grads = defaultdict(float)
    grads[root] = 1.0

    def visit(node):
        for edge in node.edges:
            grads[edge.parent] += edge.local * grads[node]
            visit(edge.parent)

    visit(root)
    return grads


def fan_out():
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    return a, b, c


def test_fan_out_the_naive_walk_gets_6_where_the_right_gradient_is_4():
    a, b, c = fan_out()
    replay = naive_walk(c)
    x = sp.Symbol("a")
    right = float(sp.diff((x + x) + (x + x), x))
    assert replay.right[a] == right == 4.0 and replay.grads[a] == 6.0 == naive_by_recursion(c)[a]
    # by hand: c→b (b = 1), b passes 1 twice (a = 2), c→b again (b = 2), b passes 2 twice (a = 6)
    assert [(s.step.parent.label, s.step.upstream, s.step.parent_grad) for s in replay.steps] == [
        ("b", 1.0, 1.0), ("a", 1.0, 1.0), ("a", 1.0, 2.0), ("b", 1.0, 2.0), ("a", 2.0, 4.0), ("a", 2.0, 6.0)]
    assert [s.step.index for s in replay.steps if s.wrong] == [2, 3, 5, 6]
    first = replay.first_wrong
    assert first.step.index == 2 and first.early and first.heard == 1 and first.uses == 2 and first.right == 2.0
    assert "b passes on 1 but has heard from only 1 of its 2 uses: the right ∂c/∂b is 2" == first.note
    assert replay.steps[4].repeat == 1 and "already carried 1" in replay.steps[4].note
    assert replay.wrong_nodes == [a] and not replay.truncated
    assert "the naive walk ends with a.grad = 6 (right: 4)" in replay.summary()
    assert a.grad == b.grad == c.grad == 0.0  # a replay on the side


@settings(max_examples=100, deadline=None)
@given(recipes())
def test_the_replay_is_the_naive_recursion_and_the_right_column_is_the_derivative(recipe):
    leaves, steps = recipe
    values = [Value(x) for x in leaves]
    out = run(steps, values, 1)
    replay = naive_walk(out, max_steps=100_000)
    if replay.truncated:
        return
    oracle = naive_by_recursion(out)
    for node in topological_order(out):
        assert replay.grads[node] == pytest.approx(oracle[node], rel=1e-12, abs=1e-12)
    for value, exact in zip(values, oracle_gradient(leaves, steps)):
        assert replay.right.get(value, 0.0) == pytest.approx(exact, rel=1e-7, abs=1e-9)
    uses = defaultdict(int)
    for node in topological_order(out):
        for edge in node.edges:
            uses[edge.parent] += 1
    if all(uses[n] <= 1 for n in topological_order(out) if not n.is_leaf):  # no interior fan-out
        assert replay.first_wrong is None
        assert replay.wrong_nodes == []


def test_without_fan_out_the_naive_walk_is_right():
    f, _ = sigmoid_neuron()
    replay = naive_walk(f)
    assert replay.first_wrong is None and replay.wrong_nodes == []
    assert "gets every gradient right on this graph" in replay.summary()


def test_exponentially_many_steps_are_cut_off():
    x = Value(1.0, label="x")
    y = x
    for _ in range(40):
        y = y + y
    replay = naive_walk(y, max_steps=500)
    assert replay.truncated and len(replay.steps) == 500 and "stopped after 500 steps" in replay.summary()
    assert sys.getrecursionlimit() < 2**40  # an explicit stack, not recursion


def test_explain_shows_the_naive_walk_next_to_the_topological_one():
    _, _, c = fan_out()
    out = io.StringIO()
    explain(c, file=out, naive=True)
    text = out.getvalue()
    naive_part, topological_part = text.split("in topological order")
    rows = [line for line in naive_part.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 6 and "✗" not in rows[0] and "✗ b passes on 1" in rows[1]
    assert "right upstream" in naive_part and "first wrong step: step 2" in naive_part
    assert "a.grad = 6 (right: 4)" in naive_part
    final = [line for line in topological_part.splitlines() if line.strip()[:1].isdigit()]
    assert len(final) == 4 and final[-1].split()[-1] == "4.0000"  # a.grad = 4 in topological order
    assert "a → b (input 2)" in topological_part


@pytest.mark.parametrize("bad", [[Value(1.0)], 3.0])
def test_explain_takes_a_value(bad):
    with pytest.raises(TypeError, match=r"explain takes a Value, e.g. explain\(f\)"):
        explain(bad)
    with pytest.raises(TypeError, match="naive_walk takes a Value"):
        naive_walk(bad)


def test_the_readme_shows_what_the_naive_walk_says():
    import pathlib
    import re

    readme = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"`b = a \+ a; c = b \+ b`, the naive walk.*?```text\n(.*?)```", readme, re.S).group(1)
    _, _, c = fan_out()
    assert shown.strip() == naive_walk(c).summary()


def test_the_naive_table_as_an_object_and_as_a_notebook_shows_it():
    from microgrboard import explanation
    from viz.display import explanation_html

    _, _, c = fan_out()
    table = explanation(c, naive=True)
    assert table.header[-2:] == ("right upstream", "") and len(table.rows) == 6
    assert table.notes == tuple(naive_walk(c).summary().splitlines())
    html = explanation_html(table)
    assert html.count("<tr>") == 7 and "the naive walk ends with a.grad = 6 (right: 4)" in html
