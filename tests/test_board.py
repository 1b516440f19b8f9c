"""The boards: self-contained HTML, checked as text, and driven in a real browser (headless Chromium)."""

import pathlib
import re

from chromium import ARTIFACTS, CHROMIUM, FLAGS, open_page  # noqa: F401  (other test files import them from here)

import viz
from viz import labels as L

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_board_is_one_self_contained_file(sigmoid_board):
    text = pathlib.Path(sigmoid_board[0]).read_text(encoding="utf-8")
    assert "<svg" in text and "<script" in text
    assert not re.search(r"<script[^>]+src=|<link|@import|url\(|\bsrc=\"http", text)
    assert not re.search(r"(?:href|src)=\"https?://", text)  # only XML namespaces name a URL
    for url in re.findall(r"https?://[^\"' )]+", text):
        assert url.startswith(("http://www.w3.org/",)), url


def test_board_steps_forward_then_backward_with_the_seed_numbers(sigmoid_board):
    _, f, inputs = sigmoid_board
    steps = viz.board_steps(f)
    phases = [s["phase"] for s in steps]
    assert phases == ["start"] + ["forward"] * 8 + ["seed"] + ["backward"] * 12
    assert steps[1]["caption"] == "forward: mul2 = w0*x0 = 2*(-1) = -2"
    last_x0 = [s for s in steps if s["phase"] == "backward" and "∂mul2/∂x0" in s["caption"]][0]
    assert "= 2 × 0.1966 = 0.3932" in last_x0["caption"] and "x0.grad = 0.3932" in last_x0["caption"]
    assert any("x1.grad = -0.5898" in s["caption"] for s in steps)
    assert all(v.grad == 0.0 for v in inputs.values())  # making a board changes no gradient


def test_next_highlights_each_edge_and_fills_in_its_gradient(sigmoid_board, browser):
    path, _, _ = sigmoid_board
    page, errors = open_page(browser, path)
    grads_visible = "() => Array.from(document.querySelectorAll('g.edge text')).filter(t => " \
                    f"t.getAttribute('fill') === '{L.GRAD_COLOR}' && getComputedStyle(t).visibility === 'visible')" \
                    ".length"
    assert page.evaluate(grads_visible) == 0
    assert "The inputs are known" in page.inner_text("#caption")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#caption") == "forward: add8 = add6 + w2 = 4 + -3 = 1"
    assert page.eval_on_selector_all("g.active", "els => els.map(e => e.id)") == ["n8"]
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    caption = page.inner_text("#caption")
    assert caption.startswith("backward step 3: ∂exp10/∂mul9 = exp(mul9) = 0.3679")
    assert "-0.1966" in caption
    assert page.eval_on_selector_all("g.edge.active", "els => els.map(e => e.id)") == ["n10_0"]
    assert page.evaluate(grads_visible) == 3 + 1  # three wires walked, plus the output's 1
    assert page.inner_text("#counter") == "step 12 of 21 (backward)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-step-12.png"), full_page=True)
    page.keyboard.press("End")  # no binding: nothing happens
    page.keyboard.press("ArrowLeft")
    assert page.inner_text("#counter") == "step 11 of 21 (backward)"
    page.keyboard.press("Home")
    assert page.inner_text("#counter") == "step 0 of 21 (start)" and page.evaluate(grads_visible) == 0
    assert errors == []


def test_keyboard_only_buttons_and_play(sigmoid_board, browser):
    path, _, _ = sigmoid_board
    page, errors = open_page(browser, path)
    page.keyboard.press("Tab")  # Reset
    page.keyboard.press("Tab")  # Previous is disabled at step 0, so focus moves on to Next
    assert page.evaluate("document.activeElement.id") == "next"
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.inner_text("#counter").startswith("step 2 of 21")
    page.keyboard.press("Tab")  # Play
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.dataset.position === '5'", timeout=10_000)
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.keyboard.press("Enter")  # pause
    assert page.get_attribute("#play", "aria-pressed") == "false"
    assert errors == []


def test_the_inputs_values_stay_shown_at_every_step(sigmoid_board, browser):
    """An input's value is known from the start: its wire's value never hides (it used to blink)."""
    page, _ = open_page(browser, sigmoid_board[0])
    inputs = "Array.from(document.querySelectorAll('#n2_0 .wire-value, #n2_1 .wire-value, #n5_1 .wire-value'))" \
             ".map(t => getComputedStyle(t).visibility)"
    for _ in range(5):
        assert page.evaluate(inputs) == ["visible"] * 3
        page.keyboard.press("ArrowRight")


def test_small_windows_scroll_instead_of_clipping(sigmoid_board, browser):
    path, _, _ = sigmoid_board
    page, _ = open_page(browser, path, width=420, height=480)
    diagram = page.evaluate("(() => { const d = document.getElementById('diagram'); "
                            "return [d.scrollWidth, d.clientWidth, getComputedStyle(d).overflowX]; })()")
    scroll_width, client_width, overflow = diagram
    assert scroll_width > client_width and overflow == "auto"  # the picture keeps its size and scrolls
    assert page.evaluate("document.documentElement.scrollWidth") <= 420 + 1  # the page itself does not
    assert page.is_visible("#next")


def relative_luminance(hex_color):
    channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b="#ffffff"):
    la, lb = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_are_readable():
    """WCAG: text at least 4.5:1 against the white page; the highlight, a non-text mark, at least 3:1."""
    from viz.training_board import CLASS_POINT, NEGATIVE, POSITIVE

    for color in (L.VALUE_COLOR, L.GRAD_COLOR, L.MUTED_COLOR, POSITIVE, NEGATIVE, "#1f2328"):
        assert contrast(color) >= 4.5, color
    assert contrast(L.HIGHLIGHT_COLOR) >= 3.0
    for color in CLASS_POINT:
        assert contrast(color) >= 3.0, color


def test_the_cli_writes_both_boards(tmp_path, needs_dot):
    from viz.__main__ import main

    main(["board", "-o", str(tmp_path / "b.html")])
    main(["training", "-o", str(tmp_path / "t.html")])
    assert (tmp_path / "b.html").stat().st_size > 5000 and (tmp_path / "t.html").stat().st_size > 5000


def test_board_steps_for_a_leaf_and_for_fan_out():
    from microgrboard import Value

    x = Value(3.0, label="x")
    assert [s["phase"] for s in viz.board_steps(x)] == ["start", "seed"]
    square = x * x
    steps = viz.board_steps(square)
    backward = [s for s in steps if s["phase"] == "backward"]
    assert [s["wire"] for s in backward] == ["n1_0", "n1_1"]  # one wire per argument
    assert "x.grad = 3" in backward[0]["caption"] and "x.grad = 6" in backward[1]["caption"]
    assert x.grad == 0.0  # looking changes nothing


def test_pages_are_files_and_the_script_finds_numbers_by_class_not_colour(sigmoid_board):
    import ast

    markup = re.compile(r"</?(script|style|html|head|body|section|button|header|svg|polyline|rect|circle)[\s>]")
    for path in (ROOT / "viz").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)}
        strings = [n.value for n in ast.walk(tree)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]
        assert not [t for t in strings if markup.search(t)], f"{path.name} holds page markup"
    script = "".join((ROOT / "viz" / "static" / name).read_text(encoding="utf-8")
                     for name in ("board.js", "stepper.js"))
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|getAttribute\(\"fill\"\)", script)
    assert ".wire-value" in script and ".wire-grad" in script
    page = pathlib.Path(sigmoid_board[0]).read_text(encoding="utf-8")
    wires = len(re.findall(r'<g id="n\d+_\d" class="edge"', page)) + 1  # and the output wire
    assert page.count('class="wire-value"') == wires and page.count('class="wire-grad"') == wires
