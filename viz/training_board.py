"""The training board: one offline HTML page about a training run of a `microgrboard.nn` model.

It shows the loss (and accuracy) after every gradient step with a slider to read any step, the
decision boundary for 2-D data, and the network drawn with its weights (wire thickness ∝ |w|, blue
for positive, red for negative). Everything is inline: no network, no CDN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from microgrboard.nn import MLP, History, predict
from microgrboard.nn.train import predicted_classes, true_classes

from . import labels as L
from ._gv import digraph
from .page import InlinePage, PathLike, inline_svg, page_or_file, render_page
from .render import render_svg

if TYPE_CHECKING:
    import graphviz

POSITIVE, NEGATIVE = "#0550ae", "#c21f30"  # weight signs: blue and red, both ≥ 4.5:1 on white
CLASS_FILL = ["#dbe9fb", "#fde2cf", "#dcf3e0", "#f1e2fb", "#fbf3c8", "#e2e8ee"]  # decision regions
CLASS_POINT = ["#0550ae", "#bc4c00", "#1a7f37", "#8250df", "#7d4e00", "#424a53"]  # data points
MAX_DRAWN_WEIGHTS = 400  # more wires than this are drawn as one box per layer


def loss_chart(history: History, width: int = 640, height: int = 220) -> dict:
    """Geometry of the loss chart: the loss per step (and the accuracy, on a 0–100 % scale)."""
    losses = np.asarray(history.loss, dtype=float)
    n = len(losses)
    left, right, top, bottom = 56, 56, 14, 30
    inner_w, inner_h = width - left - right, height - top - bottom
    low, high = float(losses.min()), float(losses.max())
    span = high - low or 1.0
    xs = [left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2) for i in range(n)]

    def points(values, lo: float, extent: float) -> str:
        return " ".join(f"{x:.1f},{top + inner_h * (1 - (v - lo) / extent):.1f}" for x, v in zip(xs, values))

    return {"width": width, "height": height, "left": left, "top": top, "inner_w": inner_w, "inner_h": inner_h,
            "n": n, "first": float(losses[0]), "last": float(losses[-1]), "low": low, "high": high,
            "loss_points": points(losses, low, span),
            "accuracy_points": points(history.accuracy, 0.0, 1.0) if history.accuracy else "",
            "xs": [round(x, 1) for x in xs]}


def decision_boundary(model: MLP, X, y, size: int = 320, grid: int = 48) -> dict:
    """Geometry of the plane coloured by the model's predicted class, with the data points on it."""
    X = np.asarray(X, dtype=float)
    labels = true_classes(model, y)
    (x0, y0), (x1, y1) = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
    xs, ys = np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)
    points = np.array([[a, b] for b in ys for a in xs])
    regions = predicted_classes(model, predict(model, points))
    cell = size / grid
    cells = [(round(k % grid * cell, 1), round(size - (k // grid + 1) * cell, 1), CLASS_FILL[c % len(CLASS_FILL)])
             for k, c in enumerate(regions.tolist())]
    dots = [(round((a - x0) / (x1 - x0) * size, 1), round(size - (b - y0) / (y1 - y0) * size, 1),
             CLASS_POINT[c % len(CLASS_POINT)]) for (a, b), c in zip(X.tolist(), labels.tolist())]
    return {"size": size, "cell": round(cell + 0.5, 1), "cells": cells, "points": dots}


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


def training_board(model: MLP, history: History, X, y, path: PathLike | None = None,
                   title: str | None = None) -> str | InlinePage:
    """The training board for a model trained with `nn.train` (its `History`) on X, y: written to
    `path` (returns the path), or without a path an `InlinePage` that a notebook shows in place."""
    if not history.loss:
        raise ValueError("training_board: the history is empty; train the model first")
    X = np.asarray(X, dtype=float)
    final = f"final loss {history.loss[-1]:.4g}"
    if history.accuracy:
        final += f", accuracy {history.accuracy[-1]:.1%}"
    chart = loss_chart(history)
    title = title or f"Training {model!r}"
    page = render_page(
        "training_board.html", title=title, final=final, chart=chart,
        boundary=decision_boundary(model, X, y) if X.ndim == 2 and X.shape[1] == 2 else None,
        network=inline_svg(render_svg(network_diagram(model))), positive=POSITIVE,
        data={"loss": history.loss, "accuracy": history.accuracy, "x": chart["xs"]}, script="training_board.js")
    return page_or_file(page, title, path, height=900)
