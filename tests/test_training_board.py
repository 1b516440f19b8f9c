"""The training board replays a run, and the initialization board compares starts: driven in Chromium.

The oracle for what the page draws is the engine itself: each recorded snapshot is put back into a
model, and its predictions (the batch compiler), weights and gradient report are what the page must
show at that step — computed by the page's own script from the snapshot's Θ.
"""

import pathlib
import re

import numpy as np
import pytest
from chromium import ARTIFACTS, open_page

import viz
from microgrboard.nn import MLP, predict, train
from microgrboard.nn.classes import predicted_classes
from microgrboard.nn.datasets import make_moons
from microgrboard.nn.starts import compare_starts
from viz.comparison_board import comparison_board
from viz.gallery import moons_training_board

LAYERS = [6, 1]


def new_model():
    return MLP(2, LAYERS, activation="tanh", output_activation="sigmoid", seed=0)


@pytest.fixture(scope="module")
def run(tmp_path_factory, needs_dot_module):
    X, y = make_moons(60, 0.1, seed=0)
    held_out = make_moons(40, 0.1, seed=1)
    model = new_model()
    history = train(model, X, y, lr=1.0, momentum=0.9, epochs=40, compiled=True, progress=False, record_every=2,
                    held_out=held_out)
    path = viz.training_board(model, history, X, y, tmp_path_factory.mktemp("tb") / "training.html",
                              class_names=["upper", "lower"])
    return path, model, history, X, y


@pytest.fixture(scope="module")
def needs_dot_module():
    import shutil

    if not shutil.which("dot"):
        pytest.skip("Graphviz's dot is not installed")


def cell_centres(X, n):
    """The page's grid: cell (row, col) centred, row 0 at the top, over the data's box plus 0.4."""
    (x0, y0), (x1, y1) = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
    return np.array([[x0 + (c + 0.5) / n * (x1 - x0), y1 - (r + 0.5) / n * (y1 - y0)]
                     for r in range(n) for c in range(n)])


def expected_regions(snapshot, X, n=48):
    model = new_model()
    snapshot.restore(model)
    return predicted_classes(model, predict(model, cell_centres(X, n))).tolist()


def go_to(page, index):
    page.focus("#step")
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("ArrowRight")


def drawn(page):
    """What the page shows now: region classes, each wire's (id, width, negative?, weight in its title),
    the gradient table's numbers and the unit pictures."""
    return {
        "regions": page.eval_on_selector_all("#regions rect.region", "els => els.map(e => Number(e.dataset.class))"),
        "wires": page.eval_on_selector_all(
            "#network g.edge", "els => els.map(e => [e.id, Number(e.querySelector('path').getAttribute("
            "'stroke-width')), e.classList.contains('negative'), e.querySelector('title').textContent])"),
        "flow": page.eval_on_selector_all(
            "#flow-table tbody tr", "rows => rows.map(r => ['.weight-grad', '.delta', '.saturated', '.distinct']"
            ".map(c => r.querySelector(c).textContent))"),
        "maps": page.eval_on_selector_all("#network image.unit-map", "els => els.map(e => e.getAttribute('href'))"),
        "readout": page.inner_text("#readout"),
    }


def check_matches_snapshot(shown, snapshot, history, X):
    assert shown["regions"] == expected_regions(snapshot, X)
    thetas = snapshot.thetas
    largest = max(np.abs(t[:, 1:]).max() for s in history.snapshots for t in s.thetas)
    for wire_id, width, negative, title in shown["wires"]:
        l, j, i = (int(k) for k in wire_id.split("-")[1:])
        w = thetas[l - 1][j - 1, i]
        assert negative == (w < 0) and width == pytest.approx(0.5 + 3.5 * abs(w) / largest, abs=0.006)
        name, value = title.split(" = ")
        assert name == f"layer{l}.neuron{j}.w{i}" and float(value) == pytest.approx(w, rel=1e-3, abs=1e-12)
    for row, layer in zip(shown["flow"], snapshot.report.layers):
        assert float(row[0]) == pytest.approx(layer.weight_grad, rel=5e-3)
        assert float(row[1]) == pytest.approx(layer.delta, rel=5e-3)
        assert row[2] == f"{round(100 * layer.saturated)}%" and row[3] == f"{layer.distinct} of {layer.units}"
    step, loss = re.match(r"step (\d+) of \d+: loss ([\d.e-]+)", shown["readout"]).groups()
    assert int(step) == snapshot.step and float(loss) == pytest.approx(snapshot.report.loss, rel=1e-3)


def test_the_slider_replays_every_panel(run, browser):
    path, model, history, X, y = run
    page, errors = open_page(browser, path)
    for panel in ("loss", "boundary", "network", "gradient-flow"):
        assert page.is_visible(f"#{panel}")
    assert page.get_attribute("#step", "type") == "range" and page.get_attribute("#step", "max") == "20"
    assert page.locator("#network g.edge").count() == 2 * 6 + 6 and page.locator("#network image.unit-map").count() == 7
    assert page.text_content("#network #input-1 text").strip() == "x1"  # the inputs are named nodes
    shown = {}
    for index in (0, 3, 20):
        go_to(page, index)
        shown[index] = drawn(page)
        check_matches_snapshot(shown[index], history.snapshots[index], history, X)
        if index == 3:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "training-board-step-6.png"), full_page=True)
    for what in ("regions", "wires", "flow", "maps"):  # each panel changes with the step
        assert shown[0][what] != shown[3][what] != shown[20][what], what
    assert "held-out loss" in shown[20]["readout"]
    assert errors == []


def test_play_runs_to_the_end_and_the_loss_axis_goes_log(run, browser):
    path, model, history, X, y = run
    page, errors = open_page(browser, path)
    go_to(page, 0)
    page.click("#play")
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.wait_for_function("Number(document.body.dataset.step) >= 10", timeout=15_000)
    page.wait_for_function("document.getElementById('play').getAttribute('aria-pressed') === 'false'", timeout=15_000)
    assert page.eval_on_selector("#step", "e => e.value") == "20"
    check_matches_snapshot(drawn(page), history.snapshots[-1], history, X)
    linear = page.get_attribute("#loss-line", "points")
    assert len(linear.split()) == 40 and len(page.get_attribute("#held-out-line", "points").split()) == 21
    page.check("#log-scale")
    assert page.get_attribute("#loss-line", "points") != linear and "log scale" in page.text_content("#loss-chart")
    assert page.locator("#boundary .legend").inner_text().split() == ["upper", "lower"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "training-board-end-log.png"), full_page=True)
    assert errors == []


def test_without_snapshots_the_board_shows_the_model_now_and_says_so(tmp_path, needs_dot):
    X, y = make_moons(30, 0.1, seed=0)
    model = new_model()
    history = train(model, X, y, lr=1.0, epochs=5, progress=False)
    text = pathlib.Path(viz.training_board(model, history, X, y, tmp_path / "t.html")).read_text(encoding="utf-8")
    assert "record_every=k" in text and 'max="0"' in text
    with pytest.raises(ValueError, match="3 class names for 2 classes"):
        viz.training_board(model, history, X, y, class_names=["a", "b", "c"])


def test_the_moons_demo_page_stays_small(tmp_path, needs_dot):
    path = moons_training_board(tmp_path / "t.html")
    text = pathlib.Path(path).read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 5_000_000
    steps = re.search(r'id="step" type="range" min="0" max="(\d+)"', text)
    assert int(steps.group(1)) + 1 <= 200


def test_the_initialization_board_moves_every_run_together(tmp_path, browser):
    X, y = make_moons(60, 0.1, seed=0)
    comparison = compare_starts(X, y, nouts=[4, 1], seeds=[0, 1], epochs=60, record_every=10)
    path = comparison_board(comparison, X, y, tmp_path / "init.html")
    page, errors = open_page(browser, path)
    for panel in ("loss", "saturation", "symmetry", "boundary", "summary"):
        assert page.is_visible(f"#{panel}")
    assert page.locator("#loss-chart polyline.series").count() == 5
    marks = []
    for index in (1, 6):
        go_to(page, index)
        marks.append(page.get_attribute("#saturation-chart line.marker", "x1"))
        for r, run in enumerate(comparison.board_runs()):
            snapshot = run.history.snapshots[index]
            model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid")
            snapshot.restore(model)
            expected = predicted_classes(model, predict(model, cell_centres(X, 32))).tolist()
            shown = page.eval_on_selector_all(f"figure[data-run='{r}'] rect.region",
                                              "els => els.map(e => Number(e.dataset.class))")
            assert shown == expected, run.start
    assert marks[0] != marks[1]
    assert page.locator("#summary tbody tr").count() == 5 and "of 2" in page.inner_text("#summary")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "initialization-board.png"), full_page=True)
    assert errors == []


def test_the_cli_writes_the_initialization_board(tmp_path):
    from viz.__main__ import main

    assert main(["initialization", "--seeds", "1", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "initialization.html").stat().st_size > 10_000


def test_a_forward_pass_and_the_network_picture_show_the_inputs_as_nodes():
    model = MLP(2, [3, 1], seed=0)
    source = viz.draw(model.trace([0.5, -1.0])).source
    assert re.search(r"\bx1\b", source) and re.search(r"\bx2\b", source)  # leaves, not "×0.5" folded into gates
    assert not re.search(r"\bx1\b", viz.draw(model([0.5, -1.0])).source)
    network = viz.network_diagram(model).source
    assert 'x1 [label=<<b>x1</b>> fixedsize=true id="input-1" shape=circle' in network
    assert re.search(r'x1 -> "layer1.neuron3" \[.*headport=w id="w-1-3-1".*tailport=e', network)  # from x1's side


def test_boards_for_many_classes_and_for_regression(tmp_path, browser, needs_dot):
    from microgrboard.nn.datasets import make_regression, make_vehicles

    X, Y = make_vehicles(60, seed=0)
    model = MLP(2, [5, 4], activation="tanh", output_activation="linear", seed=0)
    history = train(model, X, Y, loss="softmax_cross_entropy", lr=0.5, epochs=10, record_every=5, progress=False)
    path = viz.training_board(model, history, X, Y, tmp_path / "vehicles.html",
                              class_names=["pedestrian", "car", "motorcycle", "truck"])
    page, errors = open_page(browser, path)
    go_to(page, 1)
    model_at = MLP(2, [5, 4], activation="tanh", output_activation="linear")
    history.snapshots[1].restore(model_at)
    expected = predicted_classes(model_at, predict(model_at, cell_centres(X, 48))).tolist()
    assert drawn(page)["regions"] == expected and len(set(expected)) > 1
    assert errors == []

    X, y = make_regression(30, seed=0)
    model = MLP(1, [4, 1], activation="tanh", output_activation="linear", seed=0)
    history = train(model, X, y, loss="squared_error", lr=0.3, epochs=20, record_every=4, progress=False)
    page, errors = open_page(browser, viz.training_board(model, history, X, y, tmp_path / "regression.html"))
    assert "2-D inputs only" in page.inner_text("#boundary") and page.locator("#accuracy-line").count() == 0
    go_to(page, 2)
    assert re.match(r"step 8 of 20: loss [\d.]+$", page.inner_text("#readout"))
    assert float(page.inner_text("#flow-table tr[data-layer='1'] .weight-grad")) == pytest.approx(
        history.snapshots[2].report.layers[0].weight_grad, rel=5e-3)
    assert errors == []


def test_a_small_window_scrolls_panels_not_the_page(run, browser):
    path = run[0]
    page, errors = open_page(browser, path, width=420, height=700)
    page.focus("#step")
    page.keyboard.press("End")  # the longest readout: the last step, with its held-out loss
    assert "held-out" in page.inner_text("#readout")
    assert page.evaluate("document.documentElement.scrollWidth") <= 420 + 1
    assert page.is_visible("#step") and errors == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "training-board-small.png"))
    page.close()


@pytest.mark.parametrize("shown", ["at once", "later"])
def test_in_a_notebook_each_unit_picture_fills_its_square(run, browser, tmp_path, shown):
    """As a notebook shows the board (the page in an iframe's srcdoc, run before it is laid out, maybe
    inside a cell that is hidden at first), every unit's picture covers its square, not 0 × 0."""
    path, model, history, X, y = run
    board = viz.training_board(model, history, X, y)._repr_html_()
    hidden = ' style="display: none"' if shown == "later" else ""
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f'<!DOCTYPE html><html><body><div id="cell"{hidden}>{board}</div></body></html>',
                        encoding="utf-8")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(notebook.as_uri())
    frame = page.frame_locator("iframe.microgrboard-board")
    frame.locator("body[data-step]").wait_for(state="attached")  # the board's script has drawn the last step
    page.evaluate("document.getElementById('cell').style.display = 'block'")
    boxes = frame.locator("#network g.node[id^='unit-']").evaluate_all(
        "units => units.map(u => [u.querySelector('image').getBoundingClientRect().toJSON(),"
        " u.querySelector('polygon').getBoundingClientRect().toJSON()])")
    assert len(boxes) == sum(LAYERS)
    for image, square in boxes:
        assert image["width"] > 20 and image["height"] > 20
        assert all(abs(image[k] - square[k]) < 1 for k in ("x", "y", "width", "height"))  # the square, exactly
    assert errors == []
    page.close()
