"""The training board: one offline HTML page about a training run of a `microgrboard.nn` model.

It shows the loss (and accuracy) after every gradient step with a slider to read any step, the
decision boundary for 2-D data, and the network drawn with its weights (wire thickness ∝ |w|, blue
for positive, red for negative). Everything is inline: no network, no CDN.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from microgrboard.nn import MLP, History, predict

from . import labels as L
from ._gv import digraph
from .page import PathLike, fill, inline_svg, script_json, write_page
from .render import render_svg

if TYPE_CHECKING:
    import graphviz

POSITIVE, NEGATIVE = "#0550ae", "#c21f30"  # weight signs: blue and red, both ≥ 4.5:1 on white
CLASS_FILL = ["#dbe9fb", "#fde2cf", "#dcf3e0", "#f1e2fb", "#fbf3c8", "#e2e8ee"]  # decision regions
CLASS_POINT = ["#0550ae", "#bc4c00", "#1a7f37", "#8250df", "#7d4e00", "#424a53"]  # data points
MAX_DRAWN_WEIGHTS = 400  # more wires than this are drawn as one box per layer


def loss_chart(history: History, width: int = 640, height: int = 220) -> str:
    """An SVG line chart of the loss per step (and the accuracy, dashed, on a 0–100 % scale)."""
    losses = np.asarray(history.loss, dtype=float)
    n = len(losses)
    left, right, top, bottom = 56, 56, 14, 30
    inner_w, inner_h = width - left - right, height - top - bottom
    low, high = float(losses.min()), float(losses.max())
    span = high - low or 1.0

    def x(i: int) -> float:
        return left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(v: float, lo: float, extent: float) -> float:
        return top + inner_h * (1 - (v - lo) / extent)

    loss_points = " ".join(f"{x(i):.1f},{y(v, low, span):.1f}" for i, v in enumerate(losses))
    parts = [
        f'<svg id="loss-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="loss-title">',
        f'<title id="loss-title">Loss per step: from {losses[0]:.4g} to {losses[-1]:.4g} over {n} steps</title>',
        f'<rect x="{left}" y="{top}" width="{inner_w}" height="{inner_h}" fill="none" stroke="#d0d7de"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" fill="{L.GRAD_COLOR}">{high:.3g}</text>',
        f'<text x="{left - 6}" y="{top + inner_h}" text-anchor="end" font-size="11" fill="{L.GRAD_COLOR}">'
        f'{low:.3g}</text>',
        f'<text x="{left}" y="{height - 8}" font-size="11" fill="{L.MUTED_COLOR}">step 1</text>',
        f'<text x="{left + inner_w}" y="{height - 8}" text-anchor="end" font-size="11" fill="{L.MUTED_COLOR}">'
        f'step {n}</text>',
        f'<polyline id="loss-line" fill="none" stroke="{L.GRAD_COLOR}" stroke-width="2" points="{loss_points}"/>',
    ]
    if history.accuracy:
        acc_points = " ".join(f"{x(i):.1f},{y(a, 0.0, 1.0):.1f}" for i, a in enumerate(history.accuracy))
        parts += [
            f'<polyline id="accuracy-line" fill="none" stroke="{POSITIVE}" stroke-width="2" '
            f'stroke-dasharray="6 4" points="{acc_points}"/>',
            f'<text x="{left + inner_w + 6}" y="{top + 10}" font-size="11" fill="{POSITIVE}">100%</text>',
            f'<text x="{left + inner_w + 6}" y="{top + inner_h}" font-size="11" fill="{POSITIVE}">0%</text>',
        ]
    parts.append(f'<line id="step-marker" x1="{x(n - 1):.1f}" x2="{x(n - 1):.1f}" y1="{top}" y2="{top + inner_h}" '
                 f'stroke="{L.MUTED_COLOR}" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def decision_boundary(model: MLP, X, y, size: int = 320, grid: int = 48) -> str:
    """An SVG of the plane coloured by the model's predicted class, with the data points on it."""
    X = np.asarray(X, dtype=float)
    labels = _classes(model, y)
    (x0, y0), (x1, y1) = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
    xs, ys = np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)
    points = np.array([[a, b] for b in ys for a in xs])
    regions = _classes(model, None, predict(model, points))
    cell = size / grid

    def px(a: float) -> float:
        return (a - x0) / (x1 - x0) * size

    def py(b: float) -> float:
        return size - (b - y0) / (y1 - y0) * size

    parts = [f'<svg id="decision-boundary" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
             f'viewBox="0 0 {size} {size}" role="img" aria-labelledby="boundary-title">',
             '<title id="boundary-title">Decision regions of the trained model, with the training data</title>']
    for k, c in enumerate(regions.tolist()):
        i, j = k % grid, k // grid
        parts.append(f'<rect class="region" x="{i * cell:.1f}" y="{size - (j + 1) * cell:.1f}" '
                     f'width="{cell + 0.5:.1f}" height="{cell + 0.5:.1f}" fill="{CLASS_FILL[c % len(CLASS_FILL)]}"/>')
    for (a, b), c in zip(X.tolist(), labels.tolist()):
        parts.append(f'<circle class="point" cx="{px(a):.1f}" cy="{py(b):.1f}" r="3.5" '
                     f'fill="{CLASS_POINT[c % len(CLASS_POINT)]}" stroke="#ffffff" stroke-width="1"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def _classes(model: MLP, y, outputs: np.ndarray | None = None) -> np.ndarray:
    """Class numbers, from targets y (0/1, ±1 or one-hot) or from model outputs."""
    if outputs is not None:
        if outputs.shape[1] > 1:
            return outputs.argmax(axis=1)
        return (outputs[:, 0] > (0.5 if model.output_activation == "sigmoid" else 0.0)).astype(int)
    y = np.asarray(y, dtype=float)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    if model.nouts[-1] > 1:
        return y.reshape(-1).astype(int)
    return (y.reshape(-1) > (0.5 if model.output_activation == "sigmoid" else 0.0)).astype(int)


def network_diagram(model: MLP, precision: int = 2) -> graphviz.Digraph:
    """The model as units and weighted wires: thickness ∝ |w|, blue positive, red negative.

    A unit shows its bias. Beyond MAX_DRAWN_WEIGHTS wires, one box per layer with its Θ's shape.
    """
    graph = digraph("network", graph_attr={"rankdir": "LR", "ranksep": "1.2", "nodesep": "0.15",
                                                    "fontname": "Helvetica"},
                             node_attr={"fontname": "Helvetica", "fontsize": "10"},
                             edge_attr={"fontname": "Helvetica", "fontsize": "8", "arrowsize": "0.5"})
    thetas = model.weight_matrices()
    sizes = [model.nin] + model.nouts
    if sum(t[:, 1:].size for t in thetas) > MAX_DRAWN_WEIGHTS:
        names = ["inputs"] + [f"layer{l}" for l in range(1, len(sizes))]
        for name, n in zip(names, sizes):
            graph.node(name, f"{name}\n{n} units", shape="box", style="rounded")
        for l, theta in enumerate(thetas):
            graph.edge(names[l], names[l + 1], label=f"Θ{l + 1}: {theta.shape[0]}×{theta.shape[1]}")
        return graph
    largest = max(float(np.abs(t[:, 1:]).max()) for t in thetas) or 1.0
    for j in range(model.nin):
        graph.node(f"L0_{j}", L.html_label(f"<b>x{j + 1}</b>"), shape="plaintext")
    for l, theta in enumerate(thetas, start=1):
        with graph.subgraph(name=f"cluster_layer{l}") as box:
            box.attr(label=f"layer{l}", style="rounded", color=L.MUTED_COLOR)
            for j, row in enumerate(theta):
                box.node(f"L{l}_{j}", L.html_label(
                    f"{L.escape(f'neuron{j + 1}')}<br/><font point-size='8' color='{L.MUTED_COLOR}'>"
                    f"b = {row[0]:.{precision}f}</font>"), shape="circle", margin="0.02")
        for j, row in enumerate(theta):
            for i, w in enumerate(row[1:]):
                graph.edge(f"L{l - 1}_{i}", f"L{l}_{j}", color=POSITIVE if w >= 0 else NEGATIVE,
                           penwidth=f"{0.5 + 3.5 * abs(w) / largest:.2f}",
                           tooltip=f"layer{l}.neuron{j + 1}.w{i + 1} = {w:.4g}")
    return graph


def training_board(model: MLP, history: History, X, y, path: PathLike, title: str | None = None) -> str:
    """Write the training board for a model trained with `nn.train` (its `History`) on X, y."""
    if not history.loss:
        raise ValueError("training_board: the history is empty; train the model first")
    X = np.asarray(X, dtype=float)
    boundary = (decision_boundary(model, X, y) if X.ndim == 2 and X.shape[1] == 2 else
                "<p>The decision boundary is drawn for 2-D inputs only.</p>")
    data = {"loss": history.loss, "accuracy": history.accuracy}
    title = title or f"Training {model!r}"
    final = f"final loss {history.loss[-1]:.4g}"
    if history.accuracy:
        final += f", accuracy {history.accuracy[-1]:.1%}"
    body = fill(_BODY, TITLE=html.escape(title), FINAL=html.escape(final), STEPS=str(len(history.loss)),
                CHART=loss_chart(history), BOUNDARY=boundary, DATA=script_json(data),
                NETWORK=inline_svg(render_svg(network_diagram(model))))
    return write_page(path, title, fill(_STYLE, MUTED=L.MUTED_COLOR), body)


_STYLE = """
  body { margin: 0 1rem; }
  h2 { font-size: 1rem; margin: 1rem 0 0.3rem; }
  .panels { display: flex; flex-wrap: wrap; gap: 1.5rem; }
  .panel { overflow: auto; max-width: 100%; }
  .panel svg { display: block; max-width: none; }
  label { display: block; margin: 0.4rem 0; }
  input[type=range] { width: min(560px, 90vw); }
  #readout { font-size: 1.05rem; }
  .muted { color: {{MUTED}}; }
"""

_BODY = """<h1>{{TITLE}}</h1>
<p class="muted">{{STEPS}} gradient steps; {{FINAL}}. Loss in red, training accuracy dashed in blue.</p>
<div class="panels">
  <section class="panel" aria-labelledby="h-loss">
    <h2 id="h-loss">Loss per step</h2>
    {{CHART}}
    <label for="step">Read a step (arrow keys move the slider):</label>
    <input id="step" type="range" min="1" max="{{STEPS}}" value="{{STEPS}}">
    <p id="readout" aria-live="polite"></p>
  </section>
  <section class="panel" aria-labelledby="h-boundary">
    <h2 id="h-boundary">Decision boundary after training</h2>
    {{BOUNDARY}}
  </section>
</div>
<section class="panel" aria-labelledby="h-network">
  <h2 id="h-network">The network and its weights</h2>
  <p class="muted">Wire thickness is |w|; blue for positive weights, red for negative. Hover a wire for its value.</p>
  <div id="network">{{NETWORK}}</div>
</section>
<script id="history" type="application/json">{{DATA}}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("history").textContent);
  var slider = document.getElementById("step"), readout = document.getElementById("readout");
  var line = document.getElementById("loss-line").getAttribute("points").trim().split(/\\s+/);
  var marker = document.getElementById("step-marker");
  function show() {
    var k = Number(slider.value);
    var text = "step " + k + ": loss " + data.loss[k - 1].toPrecision(4);
    if (data.accuracy.length) { text += ", accuracy " + (100 * data.accuracy[k - 1]).toFixed(1) + "%"; }
    readout.textContent = text;
    var x = line[k - 1].split(",")[0];
    marker.setAttribute("x1", x); marker.setAttribute("x2", x);
  }
  slider.addEventListener("input", show);
  show();
})();
</script>
"""
