"""The board answers `why` for a clicked node and replays the naive order next to the topological one, in a
real browser (Debian's Chromium, driven by Playwright). Oracles: the paths enumerated here over the public
view, the numbers of `b = a + a; c = b + b` worked by hand, and sympy."""

import pathlib
import sys

import pytest
import sympy as sp
from chromium import ARTIFACTS, open_page

import viz
from microgrboard import Value, topological_order
from microgrboard.nn import MLP


def path_wires(node, root):
    """The ids of the wires on every path from node to root, by brute force."""
    order = topological_order(root)
    ids = {n: f"n{i}" for i, n in enumerate(order)}
    wires = set()

    def follow(at, trail):
        if at is root:
            wires.update(trail)
        for gate in order:
            for edge in gate.edges:
                if edge.parent is at:
                    follow(gate, trail + [f"{ids[gate]}_{edge.argument}"])

    follow(node, [])
    return wires


def test_clicking_a_node_shows_why_and_lights_its_paths(sigmoid_board, browser):
    path, f, inputs = sigmoid_board
    page, errors = open_page(browser, path)
    assert page.is_hidden("#why-panel")
    order = topological_order(f)
    w0 = order.index(inputs["w0"])
    page.click(f"#n{w0}")
    assert page.is_visible("#why-panel")
    assert page.inner_text("#why-title") == "Why ∂f/∂w0 is what it is"
    text = page.inner_text("#why-text")
    assert text.startswith("∂f/∂w0 = -0.1966, the sum over 1 path from w0 to f")
    assert "w0 → mul2 → add6 → add8 → mul9 → exp10 → add11 → f" in text
    lit = set(page.eval_on_selector_all("g.edge.on-path", "els => els.map(e => e.id)"))
    assert lit == path_wires(inputs["w0"], f) and len(lit) == 7
    assert page.eval_on_selector_all("g.node.asked", "els => els.map(e => e.id)") == [f"n{w0}"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-why-w0.png"), full_page=True)
    # keyboard only: focus a gate and press Enter
    mul5 = next(i for i, n in enumerate(order) if n.op == "mul" and inputs["x1"] in n.parents)
    page.focus(f"#n{mul5}")
    page.keyboard.press("Enter")
    assert page.inner_text("#why-title") == f"Why ∂f/∂mul{mul5} is what it is"
    lit = set(page.eval_on_selector_all("g.edge.on-path", "els => els.map(e => e.id)"))
    assert lit == path_wires(order[mul5], f)
    page.click("#why-close")
    assert page.is_hidden("#why-panel") and page.locator("g.edge.on-path").count() == 0
    assert all(v.grad == 0.0 for v in inputs.values())  # the board only looks
    assert errors == []


@pytest.fixture(scope="module")
def naive_board(tmp_path_factory):
    from conftest import HAVE_DOT

    if not HAVE_DOT:
        pytest.skip("Graphviz's dot is not installed")
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    return viz.board(c, tmp_path_factory.mktemp("naive") / "naive.html", order="naive"), (a, b, c)


def grad_texts(page):
    return page.evaluate("Object.fromEntries(Array.from(document.querySelectorAll('g.edge')).map(g => "
                         "[g.id, (g.querySelector('.wire-grad') || {}).textContent]))")


def row(page, node_id):
    return page.evaluate(f"(() => {{ const r = document.querySelector('#grads tr[data-node=\"{node_id}\"]'); "
                         "return [r.querySelector('.so-far').textContent, r.className]; })()")


def test_the_naive_order_goes_wrong_where_the_topological_one_does_not(naive_board, browser):
    path, (a, b, c) = naive_board
    t = sp.Symbol("a")
    right = float(sp.diff((t + t) + (t + t), t))  # 4
    page, errors = open_page(browser, path)
    assert page.get_attribute("#order-naive", "aria-pressed") == "true"
    assert page.inner_text("#counter") == "step 0 of 9 (start)"
    for _ in range(5):  # forward b, forward c, the seed, two naive steps
        page.keyboard.press("ArrowRight")
    caption = page.inner_text("#caption")
    assert caption.startswith("naive backward step 2:") and "✗ b passes on 1 but has heard from only 1 of its 2 uses" \
        in caption and "the right ∂c/∂b is 2" in caption
    assert "wrong" in page.get_attribute(".caption-box", "class").split()
    assert row(page, "n0")[0] == "1"  # a.grad so far
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#counter") == "step 9 of 9 (backward)"
    so_far, classes = row(page, "n0")
    assert so_far == "6" and "wrong" in classes.split()  # the naive walk ends at 6 …
    assert page.inner_text("#grads tr[data-node='n0'] .right") == f"{right:.4g}"  # … where the right one is 4
    texts = grad_texts(page)
    assert texts["n1_0"] == texts["n1_1"] == "3.00"  # each a → b wire carried 1 + 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-naive-end.png"), full_page=True)

    page.click("#order-topological")
    assert page.get_attribute("#order-topological", "aria-pressed") == "true"
    assert page.inner_text("#counter") == "step 3 of 7 (seed)"  # backprop starts again from the seed
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#counter") == "step 7 of 7 (backward)"
    so_far, classes = row(page, "n0")
    assert so_far == "4" and "matches" in classes.split() and page.locator("#grads tr.wrong").count() == 0
    texts = grad_texts(page)
    assert texts["n1_0"] == texts["n1_1"] == "2.00" and texts["n2_0"] == texts["n2_1"] == "1.00"
    assert "wrong" not in page.get_attribute(".caption-box", "class").split()
    page.screenshot(path=str(ARTIFACTS / "board-topological-end.png"), full_page=True)
    page.click("#order-naive")
    assert page.inner_text("#counter") == "step 3 of 9 (seed)"
    assert errors == []
    assert a.grad == b.grad == c.grad == 0.0


def test_board_steps_in_the_naive_order():
    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    steps = viz.board_steps(c, order="naive")
    backward = [s for s in steps if s["phase"] == "backward"]
    assert [s["changed_grad"] for s in backward] == ["1", "1", "2", "2", "4", "6"]
    assert [s["wrong"] for s in backward] == [False, True, True, False, True, True]
    with pytest.raises(ValueError, match="order must be one of topological, naive"):
        viz.board_steps(c, order="random")


def test_a_too_large_graph_is_refused_before_any_work_that_grows_with_it(tmp_path, monkeypatch):
    x = Value(0.5, label="x")
    y = x
    for i in range(4000):  # 8,000 nodes
        y = y * 1.0001 + i
    board_module = sys.modules["viz.board"]  # the module: `viz.board` is the function

    def no_work(*args, **kwargs):
        raise AssertionError("the board did work on a graph it should have refused")

    monkeypatch.setattr(board_module, "walk", no_work)
    monkeypatch.setattr(board_module, "draw", no_work)
    visits = []
    parents = Value.parents
    monkeypatch.setattr(Value, "parents", property(lambda node: visits.append(node) or parents.fget(node)))
    with pytest.raises(viz.GraphTooLargeError, match="more than max_nodes=400"):
        viz.board(y, tmp_path / "big.html")
    assert len(visits) <= 401  # counting stopped at the limit
    assert not (tmp_path / "big.html").exists()


def test_board_and_draw_take_a_value_and_say_how_to_get_one(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    for call in (lambda: viz.board(model, tmp_path / "m.html"), lambda: viz.draw(model)):
        with pytest.raises(TypeError, match=r"takes a Value.*model\(x\)"):
            call()
    with pytest.raises(TypeError, match="takes a Value"):
        viz.draw([model([0.1, 0.2])])
    assert not pathlib.Path(tmp_path / "m.html").exists()
