"""The safe answer parser: the learner's expressions read as numbers, and nothing else ever runs.

The oracle is an evaluator written here over generated expression trees (Python's own float arithmetic
and math functions, node by node), never the parser itself; and the page's twin (viz/static/answers.js)
must read every text the same way as the Python parser, in Chromium.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microgrboard import AnswerError, parse_answer
from viz.page import asset

EXAMPLES = {  # the and the course's ways of writing an answer, worked out by hand
    "0.3679*-0.5344": 0.3679 * -0.5344,
    "1-0.73": 1 - 0.73,
    "e^-1": math.exp(-1),
    "exp(-1)": math.exp(-1),
    "-1/1.368^2": -1 / 1.368**2,
    "1/3": 1 / 3,
    "2**3**2": 2.0**9,  # right-associative
    "-2^2": -4.0,  # the minus applies to the power, as in math
    "2^-1": 0.5,
    "σ(1)*(1-σ(1))": 0.19661193324148185,
    "sigmoid(0)": 0.5,
    "tanh(0.5)": math.tanh(0.5),
    "1 − tanh(0.5)^2": 1 - math.tanh(0.5) ** 2,
    "2×3÷4": 1.5,
    "2·π": 2 * math.pi,
    "pi": math.pi,
    "ln(e)": 1.0,
    "log(1)": 0.0,
    " 4 ": 4.0,
    ".5": 0.5,
    "3.": 3.0,
    "1e-3": 0.001,
    "2E+2": 200.0,
    "+-+1": -1.0,
    "((1+2)*(3-4))": -3.0,
    "-0": 0.0,
}

REFUSED = ["", "   ", "foo", "2e", "x", "(1+2", "1+", "*2", "1 2", "exp 1", "exp()", "__import__('os')",
           "1/0", "0^-1", "(-8)^(1/3)", "log(0)", "log(-1)", "1e400", "10^10^10", "exp(1000)", "9" * 400,
           "(" * 30 + "1" + ")" * 30, "-" * 30 + "1", "2^" * 30 + "2", "1,5", "٣", "１", "1\u00a0+ 1",
           "lambda: 1", "[1]", "1;2", "0x10", "1_000", "inf", "nan", "True", "2 ** 10000"]


@pytest.mark.parametrize("text, expected", EXAMPLES.items())
def test_the_learners_ways_of_writing_an_answer(text, expected):
    assert parse_answer(text) == pytest.approx(expected, rel=1e-15, abs=1e-300)


@pytest.mark.parametrize("text", REFUSED)
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(AnswerError) as err:
        parse_answer(text)
    assert len(str(err.value)) > 15  # it says something


def test_numbers_pass_as_they_are_and_other_objects_are_refused():
    assert parse_answer(0.25) == 0.25 and parse_answer(3) == 3.0
    for bad in (True, None, [1], float("nan"), float("inf")):
        with pytest.raises(AnswerError):
            parse_answer(bad)


def test_the_message_says_what_was_wrong():
    with pytest.raises(AnswerError, match="'foo' is not a number, a constant or a function"):
        parse_answer("2*foo")
    with pytest.raises(AnswerError, match="divides by zero"):
        parse_answer("1/(1-1)")
    with pytest.raises(AnswerError, match="too long"):
        parse_answer("1+" * 150 + "1")


# --- property tests: expression trees rendered as text, against an evaluator written here ----------

NUMBERS = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: float(format(x, ".6g")))


def _render(tree) -> str:
    kind = tree[0]
    if kind == "num":
        return repr(tree[1]) if tree[1] != int(tree[1]) else str(int(tree[1]))
    if kind == "const":
        return tree[1]
    if kind == "neg":
        return f"-({_render(tree[1])})"
    if kind == "fn":
        return f"{tree[1]}({_render(tree[2])})"
    return f"({_render(tree[2])}){tree[1]}({_render(tree[3])})"


def _value(tree) -> float:
    """The oracle: float arithmetic on the tree; None where the parser must refuse."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "const":
        return {"e": math.e, "pi": math.pi, "π": math.pi}[tree[1]]
    if kind == "neg":
        inner = _value(tree[1])
        return None if inner is None else -inner
    if kind == "fn":
        x = _value(tree[2])
        if x is None:
            return None
        if tree[1] == "exp":
            return None if x > 709.78 else math.exp(x)
        if tree[1] == "log":
            return None if x <= 0 else math.log(x)
        if tree[1] == "tanh":
            return math.tanh(x)
        return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    a, b = _value(tree[2]), _value(tree[3])
    if a is None or b is None:
        return None
    op = tree[1]
    try:
        if op == "+":
            out = a + b
        elif op == "-":
            out = a - b
        elif op == "*":
            out = a * b
        elif op == "/":
            out = None if b == 0 else a / b
        else:
            if (a == 0 and b < 0) or (a < 0 and not float(b).is_integer()):
                return None
            out = math.pow(a, b)
    except OverflowError:
        return None
    return None if out is None or not math.isfinite(out) else out


TREES = st.recursive(
    st.one_of(NUMBERS.map(lambda x: ("num", x)), st.sampled_from(["e", "pi", "π"]).map(lambda c: ("const", c))),
    lambda inner: st.one_of(
        inner.map(lambda t: ("neg", t)),
        st.tuples(st.just("fn"), st.sampled_from(["exp", "log", "tanh", "σ"]), inner),
        st.tuples(st.just("bin"), st.sampled_from(["+", "-", "*", "/", "^"]), inner, inner)),
    max_leaves=6)


def _depth(tree) -> int:
    return 0 if tree[0] in ("num", "const") else 1 + max(_depth(t) for t in tree[1:] if isinstance(t, tuple))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TREES)
def test_expressions_read_as_the_evaluator_computes_them(tree):
    text = _render(tree)
    expected = _value(tree)
    if len(text) > 200 or _depth(tree) * 2 > 20:  # too long or too deep: refused before anything is computed
        with pytest.raises(AnswerError):
            parse_answer(text)
        return
    if expected is None:
        with pytest.raises(AnswerError):
            parse_answer(text)
    else:
        assert parse_answer(text) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=300) | st.text(alphabet="0123456789.eE+-*/^()×·÷−σπ expilogtanh ", max_size=300))
def test_arbitrary_text_gives_a_number_or_its_own_error(text):
    try:
        value = parse_answer(text)
    except AnswerError:
        pass
    else:
        assert isinstance(value, float) and math.isfinite(value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_reading_an_answer_never_runs_code(text):
    import builtins

    def refuse(*args, **kwargs):
        raise AssertionError(f"the parser tried to run code for {text!r}")

    with pytest.MonkeyPatch.context() as patch:
        for name in ("eval", "exec", "compile", "__import__"):
            patch.setattr(builtins, name, refuse)
        try:
            parse_answer(text)
        except AnswerError:
            pass


def test_the_pages_scripts_never_evaluate_text():
    for name in ("answers.js", "practice.js", "bug_hunt.js"):
        source = str(asset(name))
        for word in ("eval(", "Function(", "innerHTML", "setTimeout(\"", "insertAdjacentHTML", "document.write"):
            assert word not in source, (name, word)


def test_the_worst_inputs_are_read_or_refused_by_the_parsers_own_limits():
    """Long, deep or repetitive texts: each a number or an AnswerError, never a RecursionError or a hang
    (how fast: benchmarks/learning.py)."""
    for text in ["9" * 200, "(" * 200, "-" * 200, "1+" * 99 + "1", "2^" * 99 + "2", "e^" * 99 + "e",
                 "exp(" * 10 + "1" + ")" * 10, "1*" * 99 + "1", "σ" * 200, "1" * 201]:
        try:
            assert math.isfinite(parse_answer(text)), text
        except AnswerError:
            pass


# --- the page's twin reads every text the same way ---------------------------------------------


def _twin(browser, texts):
    page = browser.new_page()
    page.set_content("<script>" + str(asset("answers.js")) + "</script>")
    results = page.evaluate("texts => texts.map(t => Answers.readAnswer(t))", texts)
    page.close()
    return results


def _python(text):
    try:
        return parse_answer(text)
    except AnswerError:
        return None


def test_the_pages_twin_reads_the_examples_and_refuses_the_rest(browser):
    texts = list(EXAMPLES) + REFUSED
    for text, result in zip(texts, _twin(browser, texts)):
        if text in EXAMPLES:
            assert result.get("value") == pytest.approx(EXAMPLES[text], rel=1e-12, abs=1e-300), text
        else:
            assert "error" in result and "value" not in result, text


def test_the_pages_twin_agrees_with_python_on_generated_texts(browser):
    texts = []

    @settings(max_examples=300, deadline=None, database=None)
    @given(TREES | st.text(alphabet="0123456789.eE+-*/^()×·÷−σπ expilogtanh ", max_size=60))
    def collect(item):
        texts.append(item if isinstance(item, str) else _render(item))

    collect()
    for text, result in zip(texts, _twin(browser, texts)):
        ours = _python(text)
        if ours is None:
            assert "error" in result, (text, result)
        else:
            assert result.get("value") == pytest.approx(ours, rel=1e-12, abs=1e-300), text
