"""The bug hunt board in Chromium: backprop replayed with a classic bug, its first wrong step found by
clicking its wire or by Tab and Enter; then the right numbers beside the wrong ones. The oracle for each
first wrong step is worked out by hand in the comments."""

import shutil

import pytest
from chromium import open_page

import viz
from microgrboard import Value
from microgrboard.circuits import sigmoid_neuron


def fan_out():
    a = Value(2.0, label="a")
    b = a * a + a  # b = 6, ∂b/∂a = 2a + 1 = 5
    b.label = "b"
    c = b * b  # c = 36, ∂c/∂b = 2b = 12 (b used twice), ∂c/∂a = 60
    c.label = "c"
    return c, a


@pytest.fixture(scope="module")
def hunts(tmp_path_factory):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    folder = tmp_path_factory.mktemp("hunt")
    f, _ = sigmoid_neuron(fused=False)
    g, _ = sigmoid_neuron(fused=True)
    c, _ = fan_out()
    return {"no-upstream": viz.board(f, folder / "a.html", bug="no-upstream"),
            "sigmoid-output": viz.board(g, folder / "b.html", bug="sigmoid-output"),
            "overwrite": viz.board(c, folder / "c.html", bug="overwrite"),
            "naive-order": viz.board(c, folder / "d.html", bug="naive-order")}


# The first wrong step's wire, by hand: no-upstream on the σ circuit: step 2, exp10 → add11 (step 1's
# upstream is 1); σ's output for σ′: step 1, add8 → f; overwrite: b → c's second use (input 2), where
# b.grad = 6 replaces the 6 from the first; naive order: step 2, mul1 → b, where b passes its gradient on
# after only the first of its two uses has reported (6, where ∂c/∂b = 2b = 12).
WIRES = {"no-upstream": "wire exp10 → add11", "sigmoid-output": "wire add8 → f",
         "overwrite": "wire b → c (input 2)", "naive-order": "wire mul1 → b"}


@pytest.mark.parametrize("bug", list(WIRES))
def test_the_first_wrong_step_is_found_by_click(hunts, browser, bug):
    page, errors = open_page(browser, hunts[bug])
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    assert "✗" not in page.inner_text("#caption")  # no step is marked: that is the hunt
    page.get_by_role("button", name=WIRES[bug], exact=True).locator("text").first.click()
    assert page.get_by_role("status").inner_text().startswith("Found it")
    assert page.locator("#right-numbers").is_visible()
    first = page.locator("#steps tr.first")
    assert first.count() == 1 and "✗" in first.inner_text()
    assert errors == []


def test_a_wrong_pick_says_why_and_keyboard_alone_finds_it(hunts, browser):
    page, errors = open_page(browser, hunts["no-upstream"])
    page.get_by_role("button", name="wire add11 → f", exact=True).focus()
    page.keyboard.press("Enter")
    assert page.inner_text("#verdict").startswith("No: wire add11 → f (step 1) is right with this bug")
    assert page.locator("#right-numbers").is_hidden()
    page.get_by_role("button", name="wire mul9 → exp10", exact=True).focus()
    page.keyboard.press("Enter")
    assert page.inner_text("#verdict").startswith("Not the first: wire mul9 → exp10 (step 3) does go wrong")
    page.get_by_role("button", name="wire exp10 → add11", exact=True).focus()
    page.keyboard.press("Enter")
    text = page.inner_text("#verdict")
    assert text.startswith("Found it (after 3 tries)") and "not × the upstream -0.5344" in text
    row = page.locator('#steps tr[data-step="2"]').inner_text()
    assert "1 × -0.5344 = 1 → 1" in row and "1 × -0.5344 = -0.5344 → -0.5344" in row  # the bug's, then the right
    assert errors == []


def test_show_the_answer(hunts, browser):
    page, errors = open_page(browser, hunts["sigmoid-output"])
    page.get_by_role("button", name="Show the answer").click()
    text = page.inner_text("#verdict")
    assert "step 1, add8 → f" in text and "σ′(x) = σ(x)·(1 − σ(x)) = 0.1966" in text
    assert page.locator("#n9_0.first-wrong").count() == 1
    assert errors == []


def test_a_bug_the_graph_hides_is_refused_and_the_board_only_looks(tmp_path, needs_dot):
    f, inputs = sigmoid_neuron(fused=False)
    with pytest.raises(ValueError, match="no node is used twice"):
        viz.board(f, tmp_path / "x.html", bug="overwrite")
    with pytest.raises(ValueError, match="unknown bug"):
        viz.board(f, tmp_path / "x.html", bug="typo")
    f.backward()
    before = [v.grad for v in inputs.values()]
    viz.board(f, tmp_path / "y.html", bug="no-upstream")
    assert [v.grad for v in inputs.values()] == before
