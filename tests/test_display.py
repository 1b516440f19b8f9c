"""Rich display in IPython: what a notebook receives for each of microgrboard's objects, checked in a
real IPython shell (in process), and the inline board's markup checked as HTML."""

import base64
import html
import html.parser
import os
import re
import struct
import subprocess
import sys

import numpy as np
import pytest

import viz
from microgrboard import Value, explain, explanation, topological_order
from microgrboard.circuits import sigmoid_neuron
from microgrboard.nn import MLP, train
from microgrboard.nn.datasets import make_moons
from viz import display

if not os.environ.get("CI"):  # in CI the test extra is installed: a missing IPython is a failure
    pytest.importorskip("IPython", reason="the display tests need IPython (pip install -e '.[test]')")
import IPython  # noqa: E402


@pytest.fixture(scope="module")
def shell():
    """A real IPython shell for this module only (afterwards, no shell is running in the test process)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    viz.load_ipython_extension(shell)
    yield shell
    viz.unload_ipython_extension(shell)
    InteractiveShell.clear_instance()
    assert IPython.get_ipython() is None


def shown(shell, obj) -> dict:
    """What a notebook receives for `obj`: its mimetypes and their data."""
    data, _ = shell.display_formatter.format(obj)
    return data


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, read from its IHDR chunk (PNG spec §11.2.2)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_size_in_css_pixels(svg: str) -> tuple[float, float]:
    """Graphviz writes an SVG's size in points; a browser shows a point as 4/3 of a CSS pixel."""
    width, height = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    return float(width) * 4 / 3, float(height) * 4 / 3


def assert_png_beside_svg(shell, obj) -> None:
    """An untrusted notebook shows no SVG: the same picture comes as a PNG too, shown at the SVG's size."""
    data, metadata = shell.display_formatter.format(obj)
    assert {"image/svg+xml", "image/png"} <= set(data)
    width, height = svg_size_in_css_pixels(data["image/svg+xml"])
    assert png_size(data["image/png"]) == pytest.approx((width, height), abs=2)  # 96 dpi: a pixel a CSS pixel
    assert metadata["image/png"] == pytest.approx({"width": width, "height": height}, abs=1)


def data_uri_svg(uri: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix):]).decode("utf-8")


def test_nothing_imports_ipython_and_outside_ipython_nothing_is_registered():
    code = ("import sys, viz, microgrboard.micrograd, microgrboard.nn; "
            "print('IPython' in sys.modules, viz.display.register())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_a_small_value_shows_its_diagram_and_a_short_text(shell, needs_dot):
    f, _ = sigmoid_neuron(fused=False)
    f.backward()
    data = shown(shell, f)
    assert set(data) == {"image/svg+xml", "image/png", "text/plain"}
    assert_png_beside_svg(shell, f)
    svg = data["image/svg+xml"]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert all(f">{name}<" in svg for name in ("w0", "x0", "w1", "x1", "w2"))
    assert len(re.findall(r'<g id="n\d+" class="node"', svg)) == len(topological_order(f))  # every node drawn
    assert data["text/plain"] == repr(f) and "\n" not in repr(f) and len(repr(f)) < 100
    assert f.grad == 1.0 and all(node.grad != 0 or node.is_leaf for node in topological_order(f))


def test_a_drawing_shows_as_svg_and_png(shell, needs_dot):
    f, _ = sigmoid_neuron(fused=False)
    graph = viz.draw(f)
    source = graph.source
    assert "<svg" in shown(shell, graph)["image/svg+xml"]  # graphviz's own SVG
    assert_png_beside_svg(shell, graph)
    assert graph.source == source  # drawing the PNG left the caller's graph as it was
    assert_png_beside_svg(shell, next(iter(viz.frames(f))))


def test_a_large_value_shows_a_one_line_summary(shell):
    xs = [Value(float(i)) for i in range(display.MAX_DISPLAY_NODES)]
    total = sum(x * x for x in xs)
    data = shown(shell, total)
    assert set(data) == {"text/markdown", "text/plain"}
    n = len(topological_order(total))
    assert n > display.MAX_DISPLAY_NODES
    summary = data["text/markdown"]
    assert "\n" not in summary and f"{n:,} nodes" in summary and f"max_nodes={n}" in summary
    assert summary.startswith("`` Value(") or summary.startswith("` Value(")


def test_a_label_with_backticks_stays_inside_its_code_span(shell):
    xs = [Value(1.0) for _ in range(display.MAX_DISPLAY_NODES)]
    total = sum(xs)
    total.label = "a `` b"
    summary = shown(shell, total)["text/markdown"]
    assert summary.startswith("``` Value(label='a `` b'") and "' ``` :" not in summary


def test_without_graphviz_a_value_shows_its_text(shell, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no `dot` to be found
    f, _ = sigmoid_neuron(fused=True)
    assert set(shown(shell, f)) == {"text/plain"}


@pytest.mark.parametrize("family", ["nn", "micrograd"])
def test_neurons_layers_and_networks_show_their_network(shell, family, needs_dot):
    import random

    from microgrboard import micrograd

    random.seed(0)
    model = MLP(2, [4, 3, 1], seed=0) if family == "nn" else micrograd.MLP(2, [4, 3, 1])
    parts = [(model, 2 * 4 + 4 * 3 + 3 * 1), (model.layers[1], 4 * 3), (model.layers[0].neurons[2], 2)]
    for part, weights in parts:
        data = shown(shell, part)
        assert "image/svg+xml" in data, part
        assert_png_beside_svg(shell, part)
        svg = data["image/svg+xml"]
        assert len(re.findall(r'class="edge"', svg)) == weights  # one wire per weight
        layers = ([layer.neurons for layer in part.layers] if hasattr(part, "layers") else
                  [part.neurons] if hasattr(part, "neurons") else [[part]])
        tooltips = re.findall(r'xlink:title="layer(\d+)\.neuron(\d+)\.w(\d+) = ([^"]+)"', svg)
        assert len(tooltips) == weights
        for l, j, i, text in tooltips:  # each wire carries its own weight
            assert float(html.unescape(text)) == pytest.approx(layers[int(l) - 1][int(j) - 1].w[int(i) - 1].data,
                                                               rel=1e-3, abs=1e-4)


def test_a_history_shows_a_summary_and_a_small_loss_curve(shell):
    X, y = make_moons(40, seed=1)
    model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=1)
    history = train(model, X, y, lr=1.0, epochs=12)
    data = shown(shell, history)
    assert "text/html" in data
    page = data["text/html"]
    summary = re.search(r"<p[^>]*>(.*?)</p>", page, re.S).group(1)
    assert summary == (f"12 gradient steps: loss {history.loss[0]:.4g} → {history.loss[-1]:.4g}, "
                       f"training accuracy {100 * history.accuracy[-1]:.1f} %")
    (uri,) = re.findall(r'<img src="([^"]+)"', page)  # the curve is an image: untrusted notebooks show it
    chart = data_uri_svg(uri)
    assert chart.startswith("<svg") and "<title>Loss per step" in chart and "<script" not in chart
    points = re.search(r'class="loss"[^>]*points="([^"]+)"', chart).group(1).split()
    ys = np.array([float(p.split(",")[1]) for p in points])
    assert len(points) == 12
    # the curve's heights are the losses, scaled: the highest loss is drawn highest (smallest y)
    assert np.argsort(ys).tolist() == np.argsort(-np.array(history.loss), kind="stable").tolist()
    assert "<style" not in page and "<script" not in page and " id=" not in page


def test_the_explainers_table_shows_as_an_html_table(shell):
    from IPython.utils.capture import capture_output

    f, _ = sigmoid_neuron(fused=True)
    with capture_output() as captured:
        explain(f)
    assert captured.stdout == "" and len(captured.outputs) == 1
    data = captured.outputs[0].data
    table = explanation(f)
    assert data["text/plain"] == str(table)  # and a terminal shows the same text `explain` prints
    cells = _table_cells(data["text/html"])
    assert cells[0] == list(table.header) and cells[1:] == [list(row) for row in table.rows]
    assert len(cells) == 1 + 9


def test_a_step_shows_its_one_line_caption(shell):
    f, _ = sigmoid_neuron(fused=True)
    step = next(f.backward_steps())
    text = shown(shell, step)["text/plain"]
    assert step.caption in text and "\n" not in text and len(text) < len(step.caption) + 10


def test_unloading_the_extension_goes_back_to_text(shell):
    viz.unload_ipython_extension(shell)
    f, _ = sigmoid_neuron(fused=True)
    assert set(shell.display_formatter.format(f)[0]) == {"text/plain"}
    viz.load_ipython_extension(shell)


class _Outline(html.parser.HTMLParser):
    """The elements of an HTML fragment, with their depth and attributes."""

    def __init__(self):
        super().__init__()
        self.elements, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        self.elements.append((self.depth, tag, dict(attrs)))
        if tag not in ("br", "img", "input", "meta"):
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1


def test_an_inline_board_is_an_isolated_iframe_over_a_still_picture(needs_dot):
    f, _ = sigmoid_neuron(fused=False)
    board = viz.board(f)
    outline = _Outline()
    outline.feed(board._repr_html_())
    tags = [tag for _, tag, _ in outline.elements]
    assert tags == ["div", "div", "div", "p", "b", "img", "iframe", "p"]  # no style, script or link: nothing else
    (depth, _, iframe), = [e for e in outline.elements if e[1] == "iframe"]
    assert iframe["sandbox"] == "allow-scripts"  # scripts run, in an opaque origin: no allow-same-origin
    assert iframe["srcdoc"] == board.page  # the whole board, unescaped by the parser exactly
    assert "http" not in re.sub(r"http://www\.w3\.org/[^\"' ]*", "", board._repr_html_())
    # Under the frame, in the same box: the still picture an untrusted notebook shows once it drops the
    # frame, and the line saying how to get the board. The frame is opaque and comes later: it covers them.
    (_, _, under), = [e for e in outline.elements if e[2].get("class") == "microgrboard-still"]
    assert under["aria-hidden"] == "true"  # while the board is there, a screen reader reads the board only
    for style in (under["style"], iframe["style"]):
        assert "position: absolute" in style and "top: 0" in style and "left: 0" in style
    assert "background: #ffffff" in iframe["style"] and "height: 100%" in iframe["style"]
    text = html.unescape(re.sub(r"<[^>]+>", "", board._repr_html_().split("<iframe")[0]))
    assert "not trusted" in text and "run this cell again, or trust the notebook" in text
    (_, _, img), = [e for e in outline.elements if e[1] == "img"]
    picture = data_uri_svg(img["src"])
    assert all(f">{name}<" in picture for name in ("w0", "x0", "w1", "x1", "w2"))  # the circuit, drawn
    assert len(re.findall(r'class="node"', picture)) == len(topological_order(f)) + 2  # and its output and legend
    assert "gradient" in img["alt"]


def test_every_board_carries_still_pictures_of_itself(needs_dot):
    X, y = make_moons(40, seed=1)
    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=1)
    history = train(model, X, y, lr=1.0, epochs=5, progress=False)
    board = viz.training_board(model, history, X, y)
    curve, network = (html.unescape(data_uri_svg(still.uri)) for still in board.stills)
    points = re.search(r'class="loss"[^>]*points="([^"]+)"', curve).group(1).split()
    assert len(points) == history.steps == 5
    assert len(re.findall(r'id="unit-\d-\d"', network)) == 3 + 1 and len(re.findall(r'id="w-', network)) == 2 * 3 + 3
    assert viz.playground().stills == []  # a live page: nothing to picture, only the line
    assert "not trusted" in viz.playground()._repr_html_()

    f, _ = sigmoid_neuron(fused=False)
    f.backward()
    for page in (viz.practice(f), viz.board(f, bug="no-upstream")):  # the circuit without its answers
        (picture,) = (data_uri_svg(s.uri) for s in page.stills)
        assert all(f">{name}<" in picture for name in ("w0", "x0", "w1", "x1", "w2"))
        assert "gradient (backward)" not in picture  # drawn without gradients: the legend has no such row
    assert viz.practice(f, forward=True).stills == []  # its values are questions too
    matrix = viz.matrix_board(model, X[:2], y[:2])
    (graph,) = (data_uri_svg(s.uri) for s in matrix.stills)
    assert graph.startswith("<svg") and 'class="node"' in graph


def _table_cells(page: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    return [[html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]
