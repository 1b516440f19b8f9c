"""The matrix board: its steps, sizes and, in Chromium, each step's lit entries and numbers against the
Python object, the links to the scalar graph, the strips, keyboard only and a 420 px window."""

import pathlib
import re

import numpy as np
import pytest
from chromium import ARTIFACTS, open_page
from conftest import HAVE_DOT

import viz
from microgrboard import topological_order, walk
from microgrboard.nn import MLP, course_backprop, course_name, debug_network
from viz.matrix_steps import board_steps

LAM = 1.0


@pytest.fixture(scope="module")
def course(tmp_path_factory, needs_dot_module):
    """The debugging network's board (λ = 1), and the Python object it shows."""
    model, X, Y = debug_network()
    path = viz.matrix_board(model, X, Y, tmp_path_factory.mktemp("matrices") / "matrices.html", lam=LAM)
    return pathlib.Path(path), model, course_backprop(model, X, Y, lam=LAM)


@pytest.fixture(scope="module")
def needs_dot_module():
    if not HAVE_DOT:
        pytest.skip("Graphviz's dot is not installed")


def cell(x):
    text = f"{x:.3g}"
    return "0" if text == "-0" else text


def cells(M):
    M = np.asarray(M)
    return [cell(x) for x in M.tolist()] if M.ndim == 1 else [[cell(x) for x in row] for row in M.tolist()]


def schedule(r):
    """What each step should compute, from the slides' Algorithm 1: (lit tables, their entries)."""
    plan = [({}, None)]
    for i, ex in r.examples.items():
        plan.append(({"a1": ex.a[1]}, i))
        for l in (2, 3):
            plan += [({f"z{l}": ex.z[l]}, i), ({f"a{l}": ex.a[l]}, i)]
        plan += [({"d3": ex.delta[3]}, i), ({"d2": ex.delta[2]}, i)]
        plan += [({"Delta1": ex.Delta[1]}, i), ({"Delta2": ex.Delta[2]}, i)]
    plan += [({"D1": r.D[1]}, 5), ({"D2": r.D[2]}, 5)]
    v = r.vectorized
    plan += [({"Vd3": v.delta[3], "VD2": v.D[2]}, 5), ({"Vd2": v.delta[2], "VD1": v.D[1]}, 5)]
    plan.append(({"D1": r.D[1], "D2": r.D[2], "VD1": v.D[1], "VD2": v.D[2]}, 5))
    return plan


def test_the_steps_follow_algorithm_1_then_D_then_algorithm_2(course):
    _, _, r = course
    steps = board_steps(r)
    lines = [s["line"] for s in steps]
    one = ["input", "forward", "forward", "forward", "forward", "output", "hidden", "accumulate", "accumulate"]
    assert lines == ["init"] + one * 5 + ["D", "D", "vectorized", "vectorized", "check"]
    assert [s["counts"] for s in steps if s["line"] == "accumulate"][:3] == [{"1": 1, "2": 0}, {"1": 1, "2": 1},
                                                                             {"1": 2, "2": 1}]
    assert "(λ/m)" in [s for s in steps if s["line"] == "D"][0]["caption"]


def test_the_board_is_one_offline_file_under_300_kb(course):
    path, _, _ = course
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 300_000
    assert not re.search(r"<script[^>]+src=|<link|@import|url\(", text)
    for url in re.findall(r"https?://[^\"' )]+", text):
        assert url.startswith("http://www.w3.org/"), url


def lit_tables(page):
    return page.evaluate("""() => {
      const out = {};
      document.querySelectorAll('figure.matrix').forEach(f => {
        const tds = Array.from(f.querySelectorAll('td[data-r]'));
        if (!tds.some(td => td.classList.contains('lit'))) return;
        const rows = {};
        tds.forEach(td => {
          (rows[td.dataset.r] = rows[td.dataset.r] || [])[td.dataset.c] = td.querySelector('.v').textContent;
        });
        out[f.dataset.key] = Object.keys(rows).map(k => rows[k]);
      });
      return out; }""")


def test_each_step_lights_what_it_computes_with_the_python_numbers(course, browser):
    path, _, r = course
    page, errors = open_page(browser, path)
    plan = schedule(r)
    assert page.inner_text("#counter") == f"step 0 of {len(plan) - 1} (Δ = 0)"
    for p, (expected, example) in enumerate(plan):
        if p:
            page.keyboard.press("ArrowRight")
        assert page.get_attribute("body", "data-position") == str(p)
        lit = lit_tables(page)
        assert set(lit) == set(expected), p
        for key, matrix in expected.items():
            want = cells(matrix)
            got = [row[0] for row in lit[key]] if np.ndim(matrix) == 1 else lit[key]
            assert got == want, (p, key)
        if example:
            assert page.inner_text("#example-number") == str(example)
            assert page.get_attribute("body", "data-graph-example") == str(example)
        current = page.eval_on_selector_all(".lines li[aria-current='step']", "els => els.map(e => e.dataset.line)")
        assert len(current) == 1
    # the accumulators after the loop hold all five examples, and the check says Algorithm 2 agrees
    assert "give the same D: largest difference" in page.inner_text("#caption")
    assert page.inner_text("#counter").endswith("(check)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matrix-board-check.png"), full_page=True)
    assert errors == []


def node_id(r, i, node):
    return f"n{topological_order(r.examples[i].graph.root).index(node)}"


def go_to(page, position):
    page.keyboard.press("Home")
    for _ in range(position):
        page.keyboard.press("ArrowRight")
    assert page.get_attribute("body", "data-position") == str(position)


def test_a_delta_entry_lights_its_z_node_on_that_examples_graph(course, browser):
    path, _, r = course
    page, errors = open_page(browser, path)
    go_to(page, 9 + 7)  # example 2, δ⁽²⁾ just computed
    page.get_by_role("button", name=course_name("δ", 2, 2)).click()
    z = r.examples[2].graph.z[2][1]
    assert page.get_attribute("body", "data-linked") == node_id(r, 2, z)
    assert page.get_attribute("body", "data-graph-example") == "2"
    assert page.eval_on_selector_all("#graph g.linked", "els => els.map(e => e.id)") == [node_id(r, 2, z)]
    gradient = walk(r.examples[2].graph.root).grads[z]
    text = page.inner_text("#link-text")
    assert text.startswith("δ₂⁽²⁾ = Σⱼ Θⱼ₂⁽²⁾ δⱼ⁽³⁾ · g′(z₂⁽²⁾) = (")
    assert f"= {gradient:.4g} = ∂ℓ₂/∂z₂⁽²⁾ on example 2's graph ✓" in text
    # the graph shows example 2's numbers: the wire out of z₂⁽²⁾ carries its gradient
    sigma = next(n for n in topological_order(r.examples[2].graph.root) if z in n.parents)
    wire = node_id(r, 2, sigma) + "_0"
    assert page.text_content(f"#graph g[id='{wire}'] .wire-grad") == cell(gradient)
    assert page.text_content(f"#graph g[id='{wire}'] .wire-value") == cell(z.data)
    assert errors == []


def test_a_Delta_entry_lights_its_weight_and_sums_the_graphs(course, browser):
    path, model, r = course
    page, errors = open_page(browser, path)
    go_to(page, 1 + 9 * 3)  # Δ⁽²⁾ just accumulated example 3: Δ⁽¹⁾ holds examples 1 … 3
    page.get_by_role("button", name=course_name("Δ", 1, 2, 1)).click()
    weight = model.layers[0].neurons[1].w[0]
    assert page.get_attribute("body", "data-linked") == node_id(r, 3, weight)
    assert page.get_attribute("body", "data-graph-example") == "3"
    summed = sum(walk(r.examples[i].graph.root).grads[weight] for i in (1, 2, 3))
    text = page.inner_text("#link-text")
    assert text.startswith("Δ₂₁⁽¹⁾ after example 3 = Δ₂₁⁽¹⁾ after example 2 + δ₂⁽²⁾a₁⁽¹⁾ = ")
    assert f"= {summed:.4g} = ∂ℓ₁/∂Θ₂₁⁽¹⁾ + … + ∂ℓ₃/∂Θ₂₁⁽¹⁾ on the graphs ✓" in text
    assert "layer1.neuron2.w1" in text
    assert errors == []


def test_a_D_entry_says_which_D_is_the_gradient_of_J(course, browser):
    path, model, r = course
    page, errors = open_page(browser, path)
    go_to(page, 1 + 9 * 5 + 1)  # D⁽¹⁾ computed
    page.get_by_role("button", name=course_name("D", 1, 3, 2)).click()
    text = page.inner_text("#link-text")
    assert text.startswith("D₃₂⁽¹⁾ = (1/m)Δ₃₂⁽¹⁾ + (λ/m)Θ₃₂⁽¹⁾ = ")
    assert f"= {r.D[1][2, 2]:.4g} = ∂J/∂Θ₃₂⁽¹⁾" in text and "✓" in text
    assert page.get_attribute("body", "data-linked") == node_id(r, 5, model.layers[0].neurons[2].w[1])
    page.get_by_role("button", name=course_name("D", 1, 3, 0)).click()  # the bias column: no penalty
    assert "(the bias column: no penalty)" in page.inner_text("#link-text")
    assert r.regularization_note in page.inner_text("#accumulators")
    assert errors == []


def test_the_strips_say_which_entry_each_index_is(course, browser):
    path, _, r = course
    page, errors = open_page(browser, path)
    page.hover("#strip button.index >> nth=6")
    info = page.inner_text("#strip-info")
    assert info.startswith("thetaVec(7), thetaVec[6] in Python, is Θ₂₁⁽¹⁾ (row j = 2, column k = 1")
    assert f"= {r.thetaVec[6]:.4g}; DVec(7)" in info and f"= {r.DVec[6]:.4g}" in info
    assert "Theta1 = reshape(thetaVec(1:20), 5, 4) recovers it" in info
    assert page.get_attribute("#t-Theta1 td[data-r='1'][data-c='1']", "class") == "indexed"
    page.hover("#slides-strip button.index >> nth=220")
    slides = page.inner_text("#slides-info")
    assert slides.startswith("thetaVec(221), thetaVec[220] in Python, is Θ₁₀⁽³⁾")
    assert "Theta3 = reshape(thetaVec(221:231), 1, 11)" in slides
    assert page.locator("#slides-strip button.index").count() == 231
    assert errors == []


def tab_to(page, test, limit=400):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(test):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_keyboard_only(course, browser):
    path, model, r = course
    page, errors = open_page(browser, path)
    tab_to(page, "document.activeElement.id === 'next'")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.get_attribute("body", "data-position") == "2"
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # δ⁽³⁾ of example 1
    tab_to(page, "(document.activeElement.textContent || '').startsWith('δ₂⁽³⁾')")
    page.keyboard.press("Enter")
    z = r.examples[1].graph.z[3][1]
    assert page.get_attribute("body", "data-linked") == node_id(r, 1, z)
    assert page.inner_text("#link-text").startswith("δ₂⁽³⁾ = a₂⁽³⁾ − y₂ = ")
    # the strip: Tab reaches its one focusable index; the arrows move along it, not through the algorithm
    tab_to(page, "document.activeElement.closest('#strip') !== null")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#strip-info").startswith("thetaVec(3),")
    assert page.get_attribute("body", "data-position") == "7"
    page.keyboard.press("End")
    assert page.inner_text("#strip-info").startswith("thetaVec(38),")
    page.keyboard.press("Tab")  # on to the slides' strip, which takes the arrows too
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#slides-info").startswith("thetaVec(2),")
    assert page.get_attribute("body", "data-position") == "7"
    for _ in range(3):  # back out of both strips: the arrows step through the algorithm again
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('.strip') === null")
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("body", "data-position") == "8"
    tab_to(page, "document.activeElement.id === 'play'", limit=600)
    page.keyboard.press("Enter")
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.wait_for_function("document.body.dataset.position === '9'", timeout=10_000)
    page.keyboard.press("Enter")
    assert page.get_attribute("#play", "aria-pressed") == "false"
    assert errors == []


def test_a_420_px_window_shows_it_without_scrolling_sideways(course, browser):
    path, _, _ = course
    page, errors = open_page(browser, path, width=420, height=800)
    assert page.evaluate("document.documentElement.scrollWidth") <= 420
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    page.get_by_role("button", name=course_name("δ", 2, 1)).click()
    assert "✓" in page.inner_text("#link-text")
    assert page.evaluate("document.documentElement.scrollWidth") <= 420
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matrix-board-420.png"), full_page=True)
    assert errors == []


def test_it_loads_in_under_a_second(course, browser):
    path, _, _ = course
    page, errors = open_page(browser, path)
    page.wait_for_function("document.body.dataset.position === '0'")
    took = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    assert 0 < took < 1000
    assert errors == []


def test_in_a_notebook_it_is_an_inline_page_that_steps(browser, tmp_path, needs_dot_module):
    model, X, Y = debug_network()
    inline = viz.matrix_board(model, X, Y)
    assert isinstance(inline, viz.page.InlinePage)
    html = inline._repr_html_()
    assert "<iframe" in html and 'sandbox="allow-scripts"' in html
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    page, errors = open_page(browser, host)
    frame = page.frame_locator("iframe.microgrboard-board")
    frame.get_by_role("button", name="Next").click()
    assert frame.locator("#counter").inner_text().startswith("step 1 of")
    assert errors == []


def test_a_network_too_large_to_read_or_too_many_examples_is_refused():
    big = MLP(8, [12, 4])
    X, Y = np.zeros((2, 8)), np.zeros((2, 4))
    with pytest.raises(viz.GraphTooLargeError, match="too many to read on the matrix board"):
        viz.matrix_board(big, X, Y)
    with pytest.raises(ValueError, match="too many to step through"):
        viz.matrix_board(MLP(1, [1]), np.zeros((21, 1)), np.zeros(21))


def test_making_the_board_changes_no_number(tmp_path, needs_dot_module):
    model, X, Y = debug_network()
    for k, p in enumerate(model.parameters()):
        p.grad = 0.01 * k
    before = [(p.data, p.grad) for p in model.parameters()]
    viz.matrix_board(model, X, Y, tmp_path / "m.html", lam=2.0)
    assert [(p.data, p.grad) for p in model.parameters()] == before


@pytest.mark.parametrize("hidden, output, loss", [
    ("tanh", "linear", "squared_error"), ("relu", "sigmoid", "cross_entropy"), ("sigmoid", "tanh", "squared_error")])
@pytest.mark.parametrize("nouts", [[1], [3, 1], [2, 2, 1]])
def test_every_sentence_works_the_entry_out_by_the_formula_and_finds_it_on_the_graph(hidden, output, loss, nouts):
    from viz.matrix_board import _links
    from viz.matrix_graph import ExampleGraphs

    rng = np.random.default_rng(len(nouts))
    model = MLP(2, nouts, activation=hidden, output_activation=output)
    model.set_weight_matrices([rng.normal(size=t.shape) for t in model.weight_matrices()])
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]]), np.array([0, 1, 1, 0.0])  # XOR's four points
    r = course_backprop(model, X, y, loss, 0.5)
    links = _links(r, ExampleGraphs(r, model))
    for kind, answers in links.items():
        for key, (text, node, example) in answers.items():
            zero = kind == "Delta" and key.startswith("0-")  # Δ before the first example: nothing to check
            assert ("✓" in text) != zero and "✗" not in text, text
            assert re.fullmatch(r"n\d+", node) and 1 <= example <= 4


def test_a_regression_board_of_a_2_3_1_network_on_four_points(tmp_path, browser, needs_dot_module):
    model = MLP(2, [3, 1], activation="tanh", output_activation="linear", seed=1)
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]]), np.array([0, 1, 1, 0.0])
    r = course_backprop(model, X, y, "squared_error", 0.1)
    page, errors = open_page(browser, viz.matrix_board(model, X, y, tmp_path / "xor.html", "squared_error", 0.1))
    for _ in range(6):  # a⁽¹⁾, z⁽²⁾, a⁽²⁾, z⁽³⁾, a⁽³⁾, then δ⁽³⁾ of example 1
        page.keyboard.press("ArrowRight")
    page.get_by_role("button", name=course_name("δ", 3, 1)).click()
    ex = r.examples[1]
    assert page.inner_text("#link-text").startswith(
        f"δ₁⁽³⁾ = (a₁⁽³⁾ − y₁) · g′(z₁⁽³⁾) = ({ex.a[3][0]:.4g} − 0) × 1 = {ex.delta[3][0]:.4g} = ∂ℓ₁/∂z₁⁽³⁾")
    assert "D = (1/m)Δ + λΘ, as the slide writes it" in page.inner_text("#accumulators")
    assert errors == []
