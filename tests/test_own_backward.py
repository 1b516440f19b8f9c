"""Write your own backward: `check_backward` with a learner's rules, `compare_with` a learner's own
micrograd-style engine (karpathy's micrograd itself, and copies of it with the classic bugs), and
`bug_hunt`'s replays. The oracles: derivatives worked out by hand, and micrograd's own gradients."""

import math

import pytest
from micrograd_copies import copies, expression, readme_example

from microgrboard import BUGS, Value, bug_hunt, check_backward, compare_with, topological_order
from microgrboard.circuits import sigmoid_neuron

DS = 1 / (1 + math.exp(-1)) * (1 - 1 / (1 + math.exp(-1)))  # σ′(1), by hand


def neuron():
    """The lecture's neuron: o = tanh(x1·w1 + x2·w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def test_right_rules_agree_on_every_edge():
    o, inputs = neuron()
    report = check_backward(o, {"tanh": lambda x, out: 1 - out**2, "mul": lambda a, b, out: (b, a),
                                "add": lambda a, b, out: (1, 1)})
    assert report.passed and report.first_wrong is None and report.wrong_gradients == []
    # the lecture's numbers: o = 0.7071, ∂o/∂n = 0.5, x1.grad = −1.5, w1.grad = 1, x2.grad = 0.5, w2.grad = 0
    assert report.grads[inputs["x1"]] == pytest.approx(-1.5, abs=1e-4)
    assert report.grads[inputs["w1"]] == pytest.approx(1.0, abs=1e-4)
    assert report.grads[inputs["x2"]] == pytest.approx(0.5, abs=1e-4)
    assert "every edge agrees" in str(report)
    assert all(v.grad == 0.0 for v in inputs.values())


def test_a_wrong_tanh_rule_is_the_first_wrong_edge_and_its_gradients_are_named():
    o, inputs = neuron()
    report = check_backward(o, {"tanh": lambda x, out: 1 - x**2})  # from the input: 1 − 0.8814² = 0.2231
    first = report.first_wrong
    assert first.op == "tanh" and first.edge.endswith("→ o")
    assert first.yours == pytest.approx(1 - 0.8813735870195432**2) and first.recorded == pytest.approx(0.5)
    assert first.numeric == pytest.approx(0.5, abs=1e-6)  # the central difference sides with the table
    wrong = {w.name: w for w in report.wrong_gradients}
    assert set(wrong) >= {"x1", "w1", "x2", "b"} and "w2" not in wrong  # ∂o/∂w2 = x2·… = 0 either way
    assert wrong["x1"].path.startswith("x1 → ") and wrong["x1"].path.endswith(" → o")
    text = str(report)
    assert "✗" in text and "first wrong edge" in text and "(table)" in text  # mul and add used the table


def test_a_wrong_mul_rule_is_found_on_the_sigma_circuit():
    f, _ = sigmoid_neuron(fused=False)
    report = check_backward(f, {"mul": lambda a, b, out: (a, b)})  # swapped: ∂(ab)/∂a given as a
    assert report.first_wrong.edge == "add8 → mul9"  # the first mul in backprop's order: ×−1
    assert report.first_wrong.yours == 1.0 and report.first_wrong.recorded == -1.0


def test_bad_rules_get_a_message():
    o, _ = neuron()
    with pytest.raises(ValueError, match="no operation is called 'tahn'"):
        check_backward(o, {"tahn": lambda x, out: 1})
    with pytest.raises(ValueError, match="returned 1 number"):
        check_backward(o, {"mul": lambda a, b, out: b})
    with pytest.raises(ValueError, match="raised ZeroDivisionError"):
        check_backward(o, {"tanh": lambda x, out: 1 / 0})
    with pytest.raises(ValueError, match="finite real number"):
        check_backward(o, {"tanh": lambda x, out: "0.5"})


# --- compare_with: karpathy's micrograd, and copies of it with the classic bugs --------------------


@pytest.fixture(scope="module")
def engines():
    return copies()


def test_micrograd_itself_agrees_node_for_node(engines):
    theirs = expression(engines["right"])
    theirs.backward()
    report = compare_with(expression(Value), theirs)
    assert report.agrees and report.first_difference is None
    assert len(report.rows) == 9 and "every gradient agrees" in str(report)


def test_the_published_micrograd_package_agrees_on_its_readme_example():
    from micrograd.engine import Value as Theirs

    _, _, theirs = readme_example(Theirs)
    theirs.backward()
    assert compare_with(readme_example(Value)[2], theirs).agrees


@pytest.mark.parametrize("bug, node", [("overwrite", "mul2"), ("no-upstream", "add4"),
                                       ("input-for-output", "add6"), ("naive-order", "leaf1")])
def test_each_classic_bug_is_found_and_named(engines, bug, node):
    theirs = expression(engines[bug])
    theirs.backward()
    ours = expression(Value)
    before = _grads(theirs)
    report = compare_with(ours, theirs)
    assert _grads(theirs) == before  # comparing only reads your graph
    d = report.first_difference
    assert d is not None and d.mistake == bug and d.name == node
    assert d.right != pytest.approx(d.yours)
    assert bug in str(report)
    assert {n.grad for n in topological_order(ours)} == {0.0}  # nor does it backpropagate microgrboard's


def _grads(root) -> dict:
    """Every node's gradient in a graph of either engine (by identity), walking `_prev`."""
    seen, stack = {}, [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node.grad
            stack.extend(node._prev)
    return seen


def test_graphs_that_differ_are_refused_with_a_message(engines):
    theirs = engines["right"](3.0) * 2
    theirs.backward()
    with pytest.raises(ValueError, match="the graphs differ"):
        compare_with(Value(3.0) * 5, theirs)


# --- bug_hunt ------------------------------------------------------------------------------------


def fan_out():
    a = Value(2.0, label="a")
    b = a * a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    return c, a


def test_each_bug_shows_first_where_it_should():
    f, inputs = sigmoid_neuron(fused=False)
    hunt = bug_hunt(f, "no-upstream")
    assert hunt.first_wrong_step.step.index == 2  # step 1's upstream is 1: multiplying by it changes nothing
    assert hunt.first_wrong_step.right_contribution == pytest.approx(-1 / (1 + math.exp(-1)) ** 2)
    g, _ = sigmoid_neuron(fused=True)
    sig = bug_hunt(g, "sigmoid-output")
    assert sig.first_wrong_step.step.index == 1 and sig.first_wrong_step.right_local == pytest.approx(DS)
    assert sig.grads[_["w0"]] == pytest.approx(-1 / (1 + math.exp(-1)))  # σ(1)·x0 instead of σ′(1)·x0
    c, a = fan_out()
    # c = b², b = a² + a, a = 2: ∂c/∂a = 2b·(2a + 1) = 2·6·5 = 60 by hand
    over = bug_hunt(c, "overwrite")
    assert over.right[a] == pytest.approx(60.0) and over.grads[a] != pytest.approx(60.0)
    assert over.first_wrong_step.step.index == 2 and "+=" in over.first_wrong_step.note
    naive = bug_hunt(c, "naive-order")
    assert naive.first_wrong_step is not None and naive.grads[a] != pytest.approx(60.0)
    assert all(v.grad == 0.0 for v in inputs.values()) and a.grad == 0.0


def test_a_bug_the_graph_hides_leaves_no_wrong_step():
    f, _ = sigmoid_neuron(fused=False)
    assert bug_hunt(f, "overwrite").first_wrong_step is None  # no node used twice
    assert bug_hunt(f, "sigmoid-output").first_wrong_step is None  # no σ gate
    assert "leaves every step right" in str(bug_hunt(f, "naive-order"))
    with pytest.raises(ValueError, match="unknown bug"):
        bug_hunt(f, "typo")
    assert set(BUGS) == {"overwrite", "no-upstream", "naive-order", "sigmoid-output"}
