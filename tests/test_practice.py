"""Practising backprop in Python: the questions, the checks, the hints, the named mistakes, the score.

The oracle is the course's σ circuit worked out by hand (CS231n's notes: f = 0.7311, ∂f/∂w0 = −0.1966,
∂f/∂x0 = 0.3932, ∂f/∂w1 = −0.3932, ∂f/∂x1 = −0.5898, ∂f/∂w2 = 0.1966) and a small graph with fan-out
whose gradients are worked out below by the multivariable chain rule; never the engine's own numbers.
"""

import io
import math
import subprocess
import sys

import pytest

from microgrboard import MISTAKES, AnswerError, Value, practice, practice_questions
from microgrboard.circuits import sigmoid_neuron
from microgrboard.inspection.practice_cli import run
from microgrboard.inspection.questions import close

E1 = math.exp(-1)  # the exp gate's output at −1
S = 1 / (1 + E1)  # σ(1) = 0.7311
DS = S * (1 - S)  # σ′(1) = 0.1966
# The gate-by-gate σ circuit's 12 steps, by hand: (edge, local derivative, gradient = local × upstream).
GATES = [("add11 → f", -1 / (1 + E1) ** 2, -1 / (1 + E1) ** 2),
         ("exp10 → add11", 1, -S * S),
         ("mul9 → exp10", E1, -S * S * E1),
         ("add8 → mul9", -1, DS),
         ("add6 → add8", 1, DS), ("w2 → add8", 1, DS),
         ("mul2 → add6", 1, DS), ("mul5 → add6", 1, DS),
         ("w1 → mul5", -2, -2 * DS), ("x1 → mul5", -3, -3 * DS),
         ("w0 → mul2", -1, -DS), ("x0 → mul2", 2, 2 * DS)]
TYPED = [("-1/1.3679^2", "-0.5344*1"), ("1", "1*-0.5344"), ("e^-1", "0.3679*-0.5344"), ("-1", "-1*-0.1966"),
         ("1", "0.1966"), ("1", "0.1966"), ("1", "0.1966"), ("1", "0.1966"), ("-2", "-2*0.1966"),
         ("-3", "-3*0.1966"), ("-1", "-0.1966"), ("2", "2*0.1966")]  # as a learner types them, 4 digits


def circuit(fused=False):
    return sigmoid_neuron(fused=fused)


def fan_out():
    """L = d·c with c = a·b and d = c + a (a = 2, b = −3): c and a are each used twice. By hand:
    ∂L/∂d = c = −6; ∂L/∂c = d + ∂L/∂d = −4 − 6 = −10; ∂L/∂a = ∂L/∂d·1 + ∂L/∂c·b = −6 + 30 = 24;
    ∂L/∂b = ∂L/∂c·a = −20."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    L = d * c
    L.label = "L"
    return L, {"a": a, "b": b, "c": c, "d": d}


def test_the_sigma_circuits_questions_hold_the_course_numbers():
    f, inputs = circuit()
    questions = practice_questions(f)
    assert [q.kind for q in questions] == ["edge"] * 12  # no node of the circuit is used twice
    for q, (edge, local, grad) in zip(questions, GATES):
        assert q.field("local").label == f"local derivative of {edge}"
        assert q.field("grad").label == f"gradient of {edge}"
        assert q.field("local").expected == pytest.approx(local, rel=1e-12)
        assert q.field("grad").expected == pytest.approx(grad, rel=1e-12)
    assert questions[2].prompt == "step 3: ∂exp10/∂mul9 = ?  local × upstream = ?"
    known = {q.known[0]: q.known[1] for q in questions if q.known}
    for name, grad in {"w0": -0.1966, "x0": 0.3932, "w1": -0.3932, "x1": -0.5898, "w2": 0.1966}.items():
        assert known[name] == pytest.approx(grad, abs=5e-5)
    assert all(v.grad == 0.0 for v in inputs.values())


def test_forward_mode_asks_every_gates_output_first():
    f, _ = circuit()
    questions = practice_questions(f, forward=True)
    forward = [q for q in questions if q.kind == "forward"]
    assert questions[:8] == forward
    assert [q.field("value").expected for q in forward] == pytest.approx([-2, 6, 4, 1, -1, E1, 1 + E1, S])
    assert forward[0].prompt == "forward 1: mul2 = w0*x0 = ?"
    assert forward[-1].field("value").expected == pytest.approx(0.7311, abs=5e-5)
    assert forward[0].field("value").hints == ("the gate: mul2 = w0*x0", "with its inputs' numbers: mul2 = 2*(-1)",
                                               "the answer: mul2 = -2")


def test_the_whole_circuit_answered_right_first_time():
    f, inputs = circuit()
    p = practice(f)
    assert str(p) == "step 1: ∂f/∂add11 = ?  local × upstream = ?"
    for local, grad in TYPED:
        feedback = p.answer(local=local, grad=grad)
        assert feedback.correct and feedback.done and feedback.mistake is None
    assert p.done and tuple(p.score) == (12, 0, 0, 12)
    assert p.summary == "1/x: 1 of 1, +: 5 of 5, exp: 1 of 1, ×: 5 of 5 — every one right first time"
    assert str(p).startswith("done: 12 right first time")
    assert all(v.grad == 0.0 and v.data == d for v, d in zip(inputs.values(), (2.0, -1.0, -3.0, -2.0, -3.0)))


def test_the_tolerance_fits_four_significant_digits():
    assert close(-0.1966, -0.19661193) and close(0.3679 * -0.5344, -S * S * E1)
    assert close(1 - 0.73, 0.2689) and not close(0.19, DS)  # 1 − σ(1) from 0.73; 0.19 for 0.1966 is too far
    assert close(100.4, 100.0) and not close(100.6, 100.0)  # 5e-3 of |x| above 1
    assert close(0.004, 0.0) and not close(0.006, 0.0)  # 5e-3 below 1


def answer_until(p, index):
    """Answer every question before question `index` (1-based) right."""
    while p.current.index < index:
        q = p.current
        p.answer(**{f.name: f.expected for f in q.fields})


@pytest.mark.parametrize("fused, index, field, typed, mistake", [
    (False, 2, "grad", "1", "no-upstream"),  # the local derivative given as the gradient
    (False, 3, "local", "-0.3679", "sign"),
    (False, 3, "local", "-1", "input-for-output"),  # exp′ from the input x = −1 instead of the output
    (False, 3, "grad", "-1*-0.5344", "input-for-output"),  # … and carried into the gradient
    (True, 1, "local", "0.7311", "sigmoid-output"),  # σ(x) for σ′(x)
    (True, 1, "grad", "0.7311", "sigmoid-output"),
])
def test_a_classic_mistake_is_named(fused, index, field, typed, mistake):
    f, _ = circuit(fused)
    p = practice(f)
    answer_until(p, index)
    feedback = p.answer(**{field: typed})
    assert not feedback.correct and feedback.mistake == mistake and mistake in MISTAKES
    assert mistake in feedback.message and feedback.expected is None


def test_tanh_from_its_input_is_named():
    x = Value(0.5, label="x")
    t = x.tanh()
    feedback = practice(t).answer(local=1 - 0.5**2)  # 0.75, where 1 − tanh²(0.5) = 0.7864
    assert feedback.mistake == "input-for-output"


def test_fan_out_asks_each_contribution_then_the_total():
    L, nodes = fan_out()
    questions = practice_questions(L)
    kinds = [(q.kind, q.prompt.split(":")[0]) for q in questions]
    assert kinds == [("edge", "step 1"), ("edge", "step 2"), ("edge", "step 3"), ("total", "step 3, total"),
                     ("edge", "step 4"), ("edge", "step 5"), ("total", "step 5, total"), ("edge", "step 6")]
    totals = {q.node.label: q.field("total").expected for q in questions if q.kind == "total"}
    assert totals == {"c": -10.0, "a": 24.0}
    c_total = questions[3]
    assert "used 2 times" in c_total.field("total").hints[0] and "sum over its uses" in c_total.field("total").hints[0]
    assert c_total.field("total").hints[1] == "with the contributions you found: ∂L/∂c = (-4) + (-6)"
    assert all(v.grad == 0.0 for v in nodes.values())


def test_overwrite_and_naive_order_are_named_on_fan_out():
    L, _ = fan_out()
    p = practice(L)
    answer_until(p, 4)  # the total of c
    feedback = p.answer(total=-6)  # only the last contribution (from d)
    assert feedback.mistake == "overwrite" and "sum" in feedback.message
    assert p.answer(total="-4-6").correct
    answer_until(p, 6)  # ∂c/∂a, whose upstream is c's total −10
    feedback = p.answer(local=-3, grad="-3*-4")  # c's gradient passed on with only L's part
    assert feedback.mistakes == {"grad": "naive-order"}
    assert feedback.mistake == "naive-order"


def test_hints_come_in_order_rule_then_numbers_then_the_answer():
    f, _ = circuit()
    p = practice(f)
    answer_until(p, 3)  # ∂exp10/∂mul9
    first = p.answer(local=5)
    second = p.answer(local=6)
    assert first.hint == "the gate's local rule: ∂/∂x exp(x) = exp(x); here ∂exp10/∂mul9 = exp(mul9)"
    assert second.hint == "with this edge's numbers: exp(mul9) = exp(-1)"
    assert "0.3679" not in first.hint + second.hint  # never the answer before the third hint
    third = p.answer(local=7)
    assert third.hint == "the answer: ∂exp10/∂mul9 = 0.3679" and not third.done  # the gradient is still asked
    assert p.hint() == ("gradient: the chain rule: gradient = local derivative × upstream, where the upstream is "
                        "∂f/∂exp10, the gradient of the gate's output exp10")
    assert p.answer(grad="0.3679*-0.5344").correct
    assert p.score.revealed == 1  # the third hint revealed the local derivative


def test_reveal_and_the_score_and_summary():
    f, _ = circuit()
    p = practice(f)
    p.answer(local="-0.5344", grad="-0.5344")  # right first time
    p.answer(local=1, grad=1)  # a wrong gradient…
    p.answer(grad=-0.5344)  # …then right: after hints
    revealed = p.reveal()  # exp
    assert revealed.done and revealed.expected == pytest.approx({"local": E1, "grad": -S * S * E1})
    assert tuple(p.score) == (1, 1, 1, 12)
    assert str(p.score) == "1 right first time, 1 after hints, 1 revealed (3 of 12 questions)"
    assert p.summary == "1/x: 1 of 1, +: 0 of 1, exp: 0 of 1 — look again at +'s rule and exp's rule"


def test_a_wrong_local_carried_into_the_gradient_is_said_so():
    f, _ = circuit()
    p = practice(f)
    answer_until(p, 9)  # ∂mul5/∂w1 = x1 = −2, upstream 0.1966
    feedback = p.answer(local=-2.5, grad=-2.5 * DS)
    assert feedback.mistake is None and "your local derivative × the upstream" in feedback.message


def test_answers_are_read_by_the_safe_parser_and_refused_before_any_check():
    f, _ = circuit()
    p = practice(f)
    with pytest.raises(AnswerError):
        p.answer(local="-0.5344", grad="__import__('os').system('true')")
    assert p.current.index == 1 and p.score.first_time == 0  # nothing was counted
    with pytest.raises(ValueError, match="asks for local=..., grad=..."):
        p.answer(value=1)
    assert p.answer(local="-0.5344", grad="-0.5344").correct


def test_practising_changes_no_value_and_no_gradient():
    f, inputs = circuit()
    f.backward()
    before = [(v.data, v.grad) for v in inputs.values()] + [(f.data, f.grad)]
    p = practice(f, forward=True)
    while not p.done:
        p.reveal()
    assert [(v.data, v.grad) for v in inputs.values()] + [(f.data, f.grad)] == before


def test_the_terminal_session_reads_expressions():
    f, _ = circuit()
    answers = iter(["-1/1.3679^2", "-0.5344", "1", "1", "hint", "2*", "-0.5344", "reveal", "quit"])
    out = io.StringIO()
    session = run(practice(f), read=lambda prompt: next(answers), write=lambda text: print(text, file=out))
    text = out.getvalue()
    assert "no-upstream" in text and "hint: gradient: with this edge's numbers" in text
    assert "cannot read '2*'" in text and "revealed:" in text
    assert tuple(session.score) == (1, 1, 1, 12) and "score: 1 right first time" in text


def test_python_m_microgrboard_practice_runs_in_a_terminal():
    typed = "\n".join(x for pair in TYPED for x in pair) + "\n"
    result = subprocess.run([sys.executable, "-m", "microgrboard", "practice"], input=typed, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "score: 12 right first time, 0 after hints, 0 revealed (12 of 12 questions)" in result.stdout
    fused = subprocess.run([sys.executable, "-m", "microgrboard", "practice", "--fused", "--forward"], input="quit\n",
                           capture_output=True, text=True, timeout=60)
    assert fused.returncode == 0 and "forward 1: mul2 = w0*x0 = ?" in fused.stdout
