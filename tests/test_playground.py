"""The playground page: what Python puts in it (checked as data), and each control driven in Chromium as a
learner drives it — the data sets, the network, the activation, the initialization, the loss, λ, the
learning rate, the momentum, the batch size, Play / Pause / Step / Reset, the live panels, the inspector,
the keyboard and a small window.

Oracles: the data makers of nn.datasets, the distributions of nn.init, and the Python engine (nn.objective,
predict, gradient_report) on the page's own weights; the page's numbers must be theirs.
"""

import json
import pathlib
import re

import numpy as np
import pytest
from chromium import ARTIFACTS
from test_playground_engine import close, configure, open_playground, python_model

import viz
from microgrboard import PRIMITIVES, Primitive, register_primitive, unregister_primitive
from microgrboard.extend import function, symbol
from microgrboard.nn import INITS, LOSSES, gradient_report, objective, predict
from microgrboard.nn.classes import predicted_classes
from microgrboard.nn.datasets import make_circles, make_moons, make_spiral, make_xor
from viz.playground import LOSS_SETUP, engine_table, twin_entry

ROOT = pathlib.Path(__file__).resolve().parent.parent


def page_data(page_text: str) -> dict:
    return json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page_text, re.S).group(1))


# --- what Python writes -----------------------------------------------------------------------------


def test_the_page_is_one_offline_file_with_the_four_data_sets(tmp_path):
    path = viz.playground(path=tmp_path / "p.html")
    text = pathlib.Path(path).read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link|@import|url\(", text)
    assert [u for u in re.findall(r"https?://[^\"' )]+", text) if not u.startswith("http://www.w3.org/")] == []
    data = page_data(text)
    makers = {"moons": make_moons(200, noise=0.1, seed=0), "circles": make_circles(200, seed=0),
              "xor": make_xor(200, seed=0), "spiral": make_spiral(200, seed=0)}
    assert [d["key"] for d in data["datasets"]] == list(makers)
    for d in data["datasets"]:
        X, y = makers[d["key"]]
        assert np.allclose(d["points"], X, atol=5e-5) and d["labels"] == y.astype(int).tolist()
    assert set(data["losses"]) == set(LOSSES) == set(LOSS_SETUP)  # every loss of nn.LOSSES has its setup
    assert len(text) < 250_000


def test_without_a_path_it_is_a_page_for_a_notebook():
    page = viz.playground()
    assert isinstance(page, viz.page.InlinePage) and "<iframe" in page._repr_html_()


def test_your_points_join_the_menu_and_start_selected(tmp_path):
    X = np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 1.0], [0.5, 2.0], [1.5, 1.5], [2.5, 0.2]])
    y = np.array(["cat", "dog", "cat", "bird", "dog", "bird"])
    data = page_data(pathlib.Path(viz.playground(X, y, tmp_path / "p.html")).read_text(encoding="utf-8"))
    yours = data["datasets"][-1]
    assert yours["key"] == "yours" and data["defaults"]["dataset"] == "yours"
    assert yours["points"] == X.tolist() and yours["classes"] == ["bird", "cat", "dog"]
    assert yours["labels"] == [1, 2, 1, 0, 2, 0] and data["defaults"]["batch"] == 6
    onehot = page_data(viz.playground(X, np.eye(3)[[0, 1, 0, 2, 1, 2]], class_names=["a", "b", "c"]).page)
    assert onehot["datasets"][-1]["labels"] == [0, 1, 0, 2, 1, 2]
    assert onehot["datasets"][-1]["classes"] == ["a", "b", "c"]


@pytest.mark.parametrize("args, kwargs, message", [
    ((np.zeros((5, 3)), np.zeros(5)), {}, "m × 2"),
    ((np.zeros((5, 2)), np.zeros(4)), {}, "one class label per point"),
    ((np.zeros((5, 2)), np.zeros(5)), {}, "between 2 and 6 different classes"),
    ((np.full((5, 2), np.nan), np.arange(5) % 2), {}, "NaN"),
    ((np.zeros((5, 2)),), {}, "both X"),
    ((), {"hidden": (8, 0)}, "layer widths"),
    ((), {"hidden": (4,) * 7}, "at most 6"),
    ((), {"activation": "softsign"}, "unknown activation"),
    ((), {"init": "ones"}, "unknown init"),
    ((), {"loss": "mse"}, "unknown loss"),
    ((), {"lr": 0}, "learning rate must be a number > 0"),
    ((), {"momentum": 1.0}, "momentum must be a number ≥ 0 and < 1"),
    ((), {"batch_size": 201}, "batch_size"),
    ((), {"dataset": "yours"}, "unknown dataset"),
    ((np.zeros((5, 2)), np.arange(5) % 2), {"class_names": ["a"]}, "1 class names for 2 classes"),
])
def test_bad_arguments_say_what_to_change(args, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        viz.playground(*args, **kwargs)


def test_the_table_goes_into_the_page_entry_by_entry():
    table = str(engine_table())
    assert table.count("Engine.define(") == len(PRIMITIVES)
    assert twin_entry(PRIMITIVES["mul"])["written"] == {"aa": "{0}*{1}", "an": "{0}*({1})", "na": "{0}*{1}",
                                                        "nn": "{0}*({1})", "am": "-{0}", "nm": "-({0})"}
    assert twin_entry(PRIMITIVES["add"])["written"]["ak"] == "{0} - {1}"  # x + (−3) is written x - 3
    assert twin_entry(PRIMITIVES["add"])["gate"] == {"plain": "+", "positive": "+{c}", "negative": "{c}"}
    assert twin_entry(PRIMITIVES["div"])["gate"] == {"plain": "÷", "positive": "÷{c}", "negative": "÷{c}"}
    assert twin_entry(PRIMITIVES["sigmoid"])["written"] == {"a": "σ({0})", "n": "σ({0})"}


def test_a_primitive_without_a_twin_is_left_out_and_an_unsafe_twin_refused():
    plain = Primitive(name="softsign_test", arity=1, rule=lambda x: (x / (1 + abs(x)), 1 / (1 + abs(x)) ** 2),
                      batch_rule=lambda x: (x, x), local_text=("1/(1 + |{x}|)²",), write=function("softsign"),
                      gate=symbol("softsign"))
    register_primitive(plain)
    try:
        assert "softsign_test" not in str(engine_table())
    finally:
        unregister_primitive(plain)
    unsafe = Primitive(name="unsafe_test", arity=1, rule=lambda x: (x, 1.0), batch_rule=lambda x: (x, x),
                       local_text=("1",), write=function("u"), gate=symbol("u"),
                       js="function (x) { return [x, 1]; } // </script>")
    register_primitive(unsafe)
    try:
        with pytest.raises(ValueError, match="must not contain"):
            engine_table()
    finally:
        unregister_primitive(unsafe)


def test_the_cli_writes_the_playground(tmp_path):
    from viz.__main__ import main

    assert main(["playground", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "playground.html").stat().st_size > 50_000


# --- the controls, in Chromium ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return viz.playground(path=tmp_path_factory.mktemp("playground") / "playground.html")


@pytest.fixture
def page(browser, path):
    page, errors = open_playground(browser, path)
    yield page
    assert errors == []
    page.close()


def drawn_points(page):
    return page.eval_on_selector_all("#regions circle.point", "els => els.map(e => [Number(e.getAttribute('cx')), "
                                     "Number(e.getAttribute('cy')), Number(e.dataset.class)])")


def test_the_data_set_menu_swaps_the_points(page):
    seen = {}
    for key in ("moons", "circles", "xor", "spiral"):
        page.select_option("#dataset", key)
        data = page.evaluate("playground.dataset()")
        seen[key] = drawn_points(page)
        assert len(seen[key]) == 200 and [p[2] for p in seen[key]] == data["labels"]
        assert page.evaluate("playground.history().loss.length") == 0  # a new network
    assert len({json.dumps(v) for v in seen.values()}) == 4
    assert page.inner_text("#classes").split() == ["first", "arm", "second", "arm"]


def test_hidden_layers_rebuild_the_network_and_bad_text_is_refused(page):
    page.fill("#hidden", "4, 3")
    page.press("#hidden", "Enter")
    page.dispatch_event("#hidden", "change")
    units = page.eval_on_selector_all("#network-diagram g.unit", "els => els.map(e => e.id)")
    assert units == [f"unit-1-{j}" for j in range(1, 5)] + [f"unit-2-{j}" for j in range(1, 4)] + ["unit-3-1"]
    assert len(page.query_selector_all("#network-diagram g.edge")) == 2 * 4 + 4 * 3 + 3
    assert page.eval_on_selector_all("#flow-table tbody tr", "rows => rows.length") == 3
    for bad, message in (("4, 0", "from 1 to 16"), ("a", "not a"), ("1 2 3 4 5 6 7", "at most 6")):
        page.fill("#hidden", bad)
        page.dispatch_event("#hidden", "change")
        assert page.get_attribute("#hidden", "aria-invalid") == "true"
        assert message in page.inner_text("#status")
        assert page.eval_on_selector_all("#network-diagram g.unit", "els => els.length") == 8  # unchanged
    page.fill("#hidden", "")  # no hidden layer: logistic regression
    page.dispatch_event("#hidden", "change")
    assert page.is_hidden("#status") and page.evaluate("playground.thetas().length") == 1


def test_activation_and_loss_pick_the_units(page):
    configure(page, activation="relu", loss="hinge", hidden="5")
    assert page.evaluate("playground.activations()") == ["relu", "linear"]
    assert page.eval_on_selector_all("#flow-table tbody th", "els => els.map(e => e.textContent)") == [
        "layer1 (relu)", "layer2 (linear)"]
    configure(page, loss="softmax_cross_entropy")
    assert page.evaluate("playground.activations()") == ["relu", "linear"]
    assert len(page.evaluate("playground.thetas()")[-1]) == 2  # two output units for two classes
    configure(page, loss="cross_entropy", activation="sigmoid")
    assert page.evaluate("playground.activations()") == ["sigmoid", "sigmoid"]


@pytest.mark.parametrize("loss", sorted(LOSS_SETUP))
def test_each_loss_and_lambda_give_pythons_J(page, loss):
    configure(page, loss=loss, dataset="circles", hidden="3", batch=200, **{"lambda": 0.25})
    page.click("#train-step")
    model, s = python_model(page, page.evaluate("playground.start()"))
    data = page.evaluate("playground.dataset()")
    J = objective(model, [model(x) for x in data["points"]], data["targets"], loss, 0.25)
    J0 = objective(model, [model(x) for x in data["points"]], data["targets"], loss, 0.0)
    assert close(page.evaluate("playground.history().loss[0]"), J.data) and J.data > J0.data


def test_initializations_draw_from_the_courses_distributions(page):
    configure(page, hidden="16, 16, 16, 16")
    options = page.eval_on_selector_all("#init option", "els => els.map(e => e.value)")
    assert options == list(INITS) + ["randn·1", "randn·10"]
    for init in options:
        configure(page, init=init)
        thetas = [np.array(t) for t in page.evaluate("playground.thetas()")]
        assert all(np.all(t[:, 0] == 0) for t in thetas)  # biases start at 0
        hidden = np.concatenate([t[:, 1:].ravel() for t in thetas[1:-1]])  # 16 → 16 layers: 768 weights
        if init == "zeros":
            assert not np.any(hidden)
            continue
        if init in ("uniform", "xavier"):
            limit = 0.12 if init == "uniform" else np.sqrt(6 / 32)
            assert np.abs(hidden).max() <= limit and np.abs(hidden).max() > 0.9 * limit
            assert abs(hidden.std() - limit / np.sqrt(3)) < 0.1 * limit / np.sqrt(3)  # U[−a, a]: σ = a/√3
        else:
            scale = {"normal": 0.01, "he": np.sqrt(2 / 16), "randn·1": 1.0, "randn·10": 10.0}[init]
            assert abs(hidden.std() / scale - 1) < 0.1 and abs(hidden.mean()) < 0.15 * scale
        first = thetas[0][:, 1:]
        if init == "he":
            assert abs(first.std() / np.sqrt(2 / 2) - 1) < 0.5  # √(2/n_in) with n_in = 2
    configure(page, init="zeros", hidden="4")
    page.click("#train-step")
    assert page.inner_text("#flow-table tbody tr >> nth=0").endswith("1 of 4")  # zeros never break symmetry


def test_seed_and_reset_give_the_same_weights_again(page):
    configure(page, seed=5)
    first = page.evaluate("playground.thetas()")
    page.click("#train-step")
    page.click("#train-step")
    assert page.evaluate("playground.thetas()") != first and page.get_attribute("body", "data-step") == "2"
    page.click("#train-reset")
    assert page.evaluate("playground.thetas()") == first and page.get_attribute("body", "data-step") == "0"
    configure(page, seed=6)
    assert page.evaluate("playground.thetas()") != first


def test_learning_rate_and_momentum_make_the_step(page):
    configure(page, lr=0.7, momentum=0.0, batch=200, **{"lambda": 0})
    start = page.evaluate("playground.start()")
    page.click("#train-step")
    model, s = python_model(page, start)
    data = page.evaluate("playground.dataset()")
    J = objective(model, [model(x) for x in data["points"]], data["targets"], s["loss"])
    J.backward()
    expected = [p.data - 0.7 * p.grad for p in model.parameters()]
    got = [v for theta in page.evaluate("playground.thetas()") for row in theta for v in row[1:] + row[:1]]
    assert all(close(a, b) for a, b in zip(got, expected))
    configure(page, lr=0.1, momentum=0.5)  # the run goes on with the new rate: v := μv + g, Θ := Θ − αv
    before = [np.array(t) for t in page.evaluate("playground.thetas()")]
    page.click("#train-step")
    assert page.get_attribute("body", "data-step") == "2"
    assert not all(np.allclose(a, b) for a, b in zip(before, page.evaluate("playground.thetas()")))


def test_bad_numbers_are_marked_and_explained(page):
    for field, value, message in (("lr", "0", "learning rate: needs a number > 0"),
                                  ("momentum", "1", "momentum: needs a number ≥ 0 and < 1"),
                                  ("lambda", "-0.1", "λ: needs a number ≥ 0"),
                                  ("batch", "201", "batch size: needs a whole number ≥ 1 and < 201"),
                                  ("seed", "1.5", "seed: needs a whole number ≥ 0")):
        page.fill(f"#{field}", value)
        page.dispatch_event(f"#{field}", "change")
        assert page.get_attribute(f"#{field}", "aria-invalid") == "true"
        assert message in page.inner_text("#status")
        page.fill(f"#{field}", {"lr": "0.3", "momentum": "0.9", "lambda": "0", "batch": "200", "seed": "0"}[field])
        page.dispatch_event(f"#{field}", "change")
        assert page.is_hidden("#status")


def test_batch_size_sets_the_examples_per_step(page):
    configure(page, batch=25)
    page.evaluate("playground.train(9)")
    batches = page.evaluate("playground.batches()")
    assert [len(b) for b in batches] == [25] * 9
    assert sorted(sum(batches[:8], [])) == list(range(200))  # an epoch: every example once
    assert sum(batches[:8], []) != list(range(200)) and batches[:8] != batches[8:16]  # shuffled each epoch


def test_play_pause_and_step(page):
    page.click("#train-play")
    assert page.get_attribute("#train-play", "aria-pressed") == "true"
    page.wait_for_function("Number(document.body.dataset.step) >= 30", timeout=20_000)
    assert "steps/s" in page.inner_text("#train-readout")
    page.click("#train-play")
    assert page.get_attribute("#train-play", "aria-pressed") == "false"
    stopped = int(page.get_attribute("body", "data-step"))
    page.wait_for_timeout(300)
    assert int(page.get_attribute("body", "data-step")) == stopped
    page.click("#train-step")
    assert int(page.get_attribute("body", "data-step")) == stopped + 1
    assert page.evaluate("playground.history().loss.length") == stopped + 1
    assert page.evaluate("document.getElementById('loss-line').getAttribute('points').split(' ').length") > 10


def test_the_panels_show_the_network_as_it_is(page):
    configure(page, hidden="5, 4", dataset="moons", batch=200)
    page.evaluate("playground.train(40)")
    thetas = page.evaluate("playground.thetas()")
    model, s = python_model(page, thetas)
    # regions: the class Python predicts at each cell centre
    plane = page_plane(page)
    n = 40
    centres = np.array([[plane["x0"] + (c + 0.5) / n * (plane["x1"] - plane["x0"]),
                         plane["y1"] - (r + 0.5) / n * (plane["y1"] - plane["y0"])]
                        for r in range(n) for c in range(n)])
    regions = page.eval_on_selector_all("#regions rect.region", "els => els.map(e => Number(e.dataset.class))")
    assert regions == predicted_classes(model, predict(model, centres)).tolist()
    # wires: sign and thickness of every weight
    largest = max(abs(w) for t in thetas for row in t for w in row[1:])
    wires = page.eval_on_selector_all("#network-diagram g.edge", "els => els.map(e => [e.id, "
                                      "Number(e.querySelector('path').getAttribute('stroke-width')), "
                                      "e.classList.contains('negative')])")
    for wire_id, width, negative in wires:
        l, j, i = map(int, wire_id.split("-")[1:])
        w = thetas[l - 1][j - 1][i]
        assert negative == (w < 0) and abs(width - (0.5 + 3.5 * abs(w) / largest)) < 0.006
    assert len(page.query_selector_all("#network-diagram image.unit-map[href^='data:image/png']")) == 10
    # gradient flow: gradient_report on the last step's batch, at the weights before it
    page.evaluate("playground.train(1)")
    model_before, _ = python_model(page, thetas)
    data = page.evaluate("playground.dataset()")
    report = gradient_report(model_before, data["points"], np.array(data["targets"]), s["loss"], s["lam"])
    for mine, layer in zip(page.evaluate("playground.report()"), report.layers):
        assert close(mine["weight_grad"], layer.weight_grad, 1e-9) and close(mine["delta"], layer.delta, 1e-9)
        assert mine["saturated"] == layer.saturated and mine["distinct"] == layer.distinct
    rows = page.eval_on_selector_all("#flow-table tbody tr", "rows => rows.map(r => ['.weight-grad', '.delta', "
                                     "'.saturated', '.distinct'].map(c => r.querySelector(c).textContent))")
    for (weight_grad, delta, saturated, distinct), layer in zip(rows, report.layers):
        assert close(float(weight_grad), layer.weight_grad, 5e-3) and close(float(delta), layer.delta, 5e-3)
        assert saturated == f"{layer.saturated:.0%}" and distinct == f"{layer.distinct} of {layer.units}"


def page_plane(page):
    key = page.evaluate("playground.settings().dataset")
    text = page.evaluate("document.getElementById('data').textContent")
    return next(d for d in json.loads(text)["datasets"] if d["key"] == key)["plane"]


def test_log_scale_switches_the_loss_axis(page):
    page.evaluate("playground.train(5)")
    page.check("#log-scale")
    assert "(log scale)" in page.text_content("#loss-chart")
    page.uncheck("#log-scale")
    assert "(log scale)" not in page.text_content("#loss-chart")


def test_a_diverging_run_stops_with_a_message_and_keeps_its_weights(page):
    configure(page, activation="linear", loss="hinge", hidden="3", lr=1e307, momentum=0)
    page.click("#train-step")
    page.click("#train-step")
    page.click("#train-step")
    assert "Training stopped at step" in page.inner_text("#status") and "learning rate" in page.inner_text("#status")
    assert all(np.all(np.isfinite(t)) for t in page.evaluate("playground.thetas()"))
    assert page.get_attribute("#train-play", "aria-pressed") == "false"


def test_clicking_a_point_or_a_unit_opens_the_inspector_and_the_keys_step_it(page):
    page.evaluate("playground.train(3)")
    assert page.is_hidden("#inspector")
    page.click("#train-play")
    page.dispatch_event("#regions circle.point[data-index='7']", "click")  # the click pauses training
    assert page.get_attribute("#train-play", "aria-pressed") == "false"
    assert page.is_visible("#inspector") and page.inner_text("#inspector-title").startswith(
        "Backprop through example #7")
    assert page.get_attribute("#regions circle.point[data-index='7']", "class") == "point selected"
    assert page.evaluate("document.activeElement.id") == "walk-next"
    assert page.inner_text("#walk-counter").startswith("step 0 of")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#walk-counter").startswith("step 2 of") and page.inner_text(
        "#walk-caption").startswith("forward: ")
    assert page.eval_on_selector_all("#walk-diagram g.node.active", "els => els.length") == 1
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    assert page.inner_text("#walk-counter").startswith("step 0 of")
    page.click("#unit-1-2")
    assert page.inner_text("#inspector-title").startswith("layer1.neuron2 on example #7")
    assert "selected" in page.get_attribute("#unit-1-2", "class")
    steps = int(page.inner_text("#walk-counter").split()[3])
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    assert page.inner_text("#walk-caption").endswith("— done: every gradient is filled in.")
    assert page.eval_on_selector_all("#walk-diagram .wire-grad.concealed", "els => els.length") == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground-neuron.png"), full_page=True)
    assert page.inner_text("#inspector-stale") == ""
    page.click("#train-step")  # the graph shown is the network's before this step: the page says so
    assert "has trained since" in page.inner_text("#inspector-stale")
    page.click("#inspector-close")
    assert page.is_hidden("#inspector")


def test_keyboard_only(page):
    order = []
    for _ in range(16):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order[:13] == ["dataset", "hidden", "activation", "init", "seed", "loss", "lambda", "lr", "momentum",
                          "batch", "train-play", "train-step", "train-reset"]
    page.focus("#train-step")
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.get_attribute("body", "data-step") == "2"
    page.focus("#example")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Step through its backprop"
    assert page.inner_text("#inspector-title").startswith("Backprop through example #12")
    page.focus("#unit-2-3")
    page.keyboard.press("Enter")
    assert page.inner_text("#inspector-title").startswith("layer2.neuron3 on example #12")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#walk-counter").startswith("step 1 of")


def test_a_small_window_scrolls_its_panels_not_the_page(browser, path):
    page, errors = open_playground(browser, path, width=420, height=700)
    page.evaluate("playground.train(5)")
    page.fill("#example", "3")
    page.click("#inspect-example")
    assert page.evaluate("document.documentElement.scrollWidth") <= 420 + 1
    for selector in ("#train-play", "#hidden", "#batch", "#walk-next"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 420, selector
    diagram = page.evaluate("(() => { const d = document.getElementById('walk-diagram'); "
                            "return [d.scrollWidth > d.clientWidth, getComputedStyle(d).overflowX]; })()")
    assert diagram == [True, "auto"]
    font = page.evaluate("parseFloat(getComputedStyle(document.getElementById('walk-caption')).fontSize)")
    assert font >= 14
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "playground-small.png"), full_page=True)
    assert errors == []
    page.close()


def test_your_own_points_train_in_the_page(browser, tmp_path):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(c, 0.3, size=(20, 2)) for c in ((0, 0), (2, 0), (1, 2))])
    y = np.repeat([0, 1, 2], 20)
    path = viz.playground(X, y, tmp_path / "yours.html", hidden=(6,), loss="softmax_cross_entropy", lr=0.5)
    page, _ = open_playground(browser, path)
    assert page.evaluate("playground.settings().dataset") == "yours"
    page.evaluate("playground.train(60)")
    assert page.evaluate("playground.history().accuracy.slice(-1)[0]") >= 0.95
    page.select_option("#dataset", "moons")  # a full batch stays a full batch on other data
    assert page.input_value("#batch") == "200" and page.is_hidden("#status")
    page.select_option("#dataset", "yours")
    assert page.input_value("#batch") == "60" and page.is_hidden("#status")
    page.select_option("#loss", "hinge")
    assert "hinge needs two classes" in page.inner_text("#status")
    page.close()


def test_the_example_writes_both_pages(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "examples" / "playground.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    yours = page_data((tmp_path / "playground_yours.html").read_text(encoding="utf-8"))
    assert yours["defaults"]["dataset"] == "yours" and yours["datasets"][-1]["classes"] == ["blue", "green", "red"]
    assert page_data((tmp_path / "playground.html").read_text(encoding="utf-8"))["defaults"]["dataset"] == "spiral"


def test_the_benchmark_measures_the_page(browser):  # noqa: F811 (it needs what the browser fixture needs)
    """A smoke run of benchmarks/playground.py: it loads the page and counts steps (no speed is asserted)."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "playground.py"), "--quick", "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["page_bytes"] > 50_000 and 0 < figures["load_seconds"] <= figures["load_seconds_wall"]
    assert figures["steps_per_second"] > 0 and figures["engine_steps_per_second"] > 0


def test_in_a_notebook_the_page_trains_inside_its_frame(browser, tmp_path):
    """What a notebook shows (the page in a sandboxed iframe's srcdoc) runs as the file does."""
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body>{viz.playground()._repr_html_()}</body></html>",
                        encoding="utf-8")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(notebook.as_uri())
    frame = page.frame_locator("iframe.microgrboard-board")
    frame.locator("body[data-ready='true']").wait_for()
    frame.locator("#train-step").click()
    frame.locator("#train-step").click()
    assert frame.locator("body").get_attribute("data-step") == "2" and errors == []
    page.close()
