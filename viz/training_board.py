"""The training board: one offline HTML page that replays a training run of a `microgrboard.nn` model.

A slider (and Play) moves through the snapshots that `train(..., record_every=k)` recorded, and
everything follows it: the marker on the loss and accuracy curves (log scale on request, and a
held-out set's curve when there is one), the decision regions over the plane, the network's weights
(wire thickness ∝ |w|, blue positive, red negative), each unit's output over the plane drawn inside
its node, and the gradient flow per layer (mean |∂J/∂W|, mean |δ|, saturated units). The page
computes the regions and the unit maps from each snapshot's Θ with a small forward pass of its own.
Everything is inline: no network, no CDN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from microgrboard.extend import number_text
from microgrboard.nn import (
    MLP,
    History,
    Snapshot,
    activation_of,
    as_examples,
    expect_model,
    take_snapshot,
    true_classes,
)

from . import labels as L
from ._gv import KEEP_ORDER, digraph
from .page import InlinePage, PathLike, inline_svg, page_or_file, render_page
from .render import render_svg
from .stills import history_still, still

if TYPE_CHECKING:
    import graphviz

POSITIVE, NEGATIVE = "#0550ae", "#c21f30"  # weight signs: blue and red, both ≥ 4.5:1 on white
# Classes 0 and 1 are orange and blue, as a unit's output below and above the middle of its range is:
# a one-output network's last unit then looks like its decision regions.
CLASS_FILL = ["#fde2cf", "#dbe9fb", "#dcf3e0", "#f1e2fb", "#fbf3c8", "#e2e8ee"]  # decision regions
CLASS_POINT = ["#bc4c00", "#0550ae", "#1a7f37", "#8250df", "#7d4e00", "#424a53"]  # data points
MAP_POSITIVE, MAP_NEGATIVE = CLASS_POINT[1], CLASS_POINT[0]  # a unit's output above / below its middle
HELD_OUT = "#8250df"  # the held-out curve
MAX_DRAWN_WEIGHTS = 400  # more wires than this are drawn as one box per layer
GRID = 48  # the decision regions: GRID × GRID cells


def layer_title(model, l: int) -> str:
    """"layer2 (tanh)", or "layer2" for a model that does not name its activations."""
    return f"layer{l} ({activation_of(model, l - 1)})" if hasattr(model, "output_activation") else f"layer{l}"


def network_diagram(model: MLP, precision: int = 2, maps: bool = False) -> graphviz.Digraph:
    """The model as units and weighted wires: inputs are nodes x1, x2, … whose wires leave from them;
    thickness ∝ |w|, blue positive, red negative. A unit shows its bias, or with maps=True is an
    empty square that the training board fills with the unit's output over the plane.

    Ids for the board's script: `input-i`, `unit-l-j` and `w-l-j-i` (the wire from unit i of layer
    l − 1 to unit j of layer l, 1-based). Beyond MAX_DRAWN_WEIGHTS wires, one box per layer. `model`
    may be anything with `nin`, `nouts` and `weight_matrices()`.
    """
    if not all(hasattr(model, name) for name in ("nin", "nouts", "weight_matrices")):
        raise TypeError(f"viz.network_diagram takes a model from microgrboard.nn (an MLP), got {type(model).__name__}; "
                        "to draw a graph of Values, use viz.draw")
    graph = digraph("network", graph_attr={"rankdir": "LR", "ranksep": "1.1", "nodesep": "0.12", **KEEP_ORDER,
                                           "fontname": "Helvetica"},
                    node_attr={"fontname": "Helvetica", "fontsize": "10"},
                    edge_attr={"arrowhead": "none"})
    thetas = model.weight_matrices()
    sizes = [model.nin] + model.nouts
    if sum(t[:, 1:].size for t in thetas) > MAX_DRAWN_WEIGHTS:
        names = ["inputs"] + [f"layer{l}" for l in range(1, len(sizes))]
        for name, n in zip(names, sizes):
            graph.node(name, f"{name}\n{n} units", shape="box", style="rounded")
        for l, theta in enumerate(thetas):
            graph.edge(names[l], names[l + 1], label=f"Θ{l + 1}: {theta.shape[0]}×{theta.shape[1]}", arrowhead="normal")
        return graph
    largest = max(float(np.abs(t[:, 1:]).max()) for t in thetas) or 1.0
    names = [[f"x{i}" for i in range(1, model.nin + 1)]]
    with graph.subgraph(name="cluster_inputs") as box:
        box.attr(label="inputs", style="rounded", color=L.MUTED_COLOR, fontcolor=L.MUTED_COLOR)
        for i, name in enumerate(names[0], start=1):
            box.node(name, L.html_label(f"<b>{name}</b>"), shape="circle", width="0.45", fixedsize="true",
                     id=f"input-{i}")
    for l, theta in enumerate(thetas, start=1):
        names.append([f"layer{l}.neuron{j}" for j in range(1, len(theta) + 1)])
        with graph.subgraph(name=f"cluster_layer{l}") as box:
            box.attr(label=layer_title(model, l), style="rounded", color=L.MUTED_COLOR,
                     fontcolor=L.MUTED_COLOR)
            for j, (name, row) in enumerate(zip(names[l], theta), start=1):
                if maps:
                    box.node(name, "", shape="square", width="0.62", fixedsize="true", id=f"unit-{l}-{j}")
                else:
                    box.node(name, L.html_label(
                        f"{L.escape(f'neuron{j}')}<br/><font point-size='8' color='{L.MUTED_COLOR}'>"
                        f"b = {row[0]:.{precision}f}</font>"), shape="circle", margin="0.02", id=f"unit-{l}-{j}")
        for j, row in enumerate(theta, start=1):
            for i, w in enumerate(row[1:], start=1):
                graph.edge(names[l - 1][i - 1], names[l][j - 1], id=f"w-{l}-{j}-{i}", tailport="e", headport="w",
                           color=POSITIVE if w >= 0 else NEGATIVE, penwidth=f"{0.5 + 3.5 * abs(w) / largest:.2f}",
                           tooltip=f"{names[l][j - 1]}.w{i} = {number_text(w, 4)}")
    return graph


def plane(X: np.ndarray, margin: float = 0.4) -> dict:
    """The part of the plane the regions cover: the data's box and a margin."""
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    return {"x0": float(x0), "x1": float(x1), "y0": float(y0), "y1": float(y1)}


def class_count(model: MLP) -> int:
    return model.nouts[-1] if model.nouts[-1] > 1 else 2


def snapshot_data(snapshots: Sequence[Snapshot]) -> dict:
    """The snapshots as the page reads them: steps, Θ matrices and gradient reports."""
    return {"steps": [s.step for s in snapshots], "thetas": [[t.tolist() for t in s.thetas] for s in snapshots],
            "reports": [s.report.as_dict() for s in snapshots]}


def board_data(model: MLP, history: History, X: np.ndarray, y, snapshots: Sequence[Snapshot],
               class_names: Sequence[str] | None = None) -> dict:
    """Everything the page's script needs, as plain JSON-ready data."""
    classify = bool(history.accuracy)
    k = class_count(model)
    names = list(class_names) if class_names is not None else [f"class {c}" for c in range(k)]
    if classify and len(names) != k:
        raise ValueError(f"training_board: {len(names)} class names for {k} classes")
    data = {
        "loss": history.loss, "accuracy": history.accuracy,
        "held_out": {"steps": history.held_out_steps, "loss": history.held_out_loss,
                     "accuracy": history.held_out_accuracy},
        "activations": [activation_of(model, l) for l in range(len(model.layers))],
        **snapshot_data(snapshots),
        "colors": {"positive": POSITIVE, "negative": NEGATIVE, "map_positive": MAP_POSITIVE,
                   "map_negative": MAP_NEGATIVE},
        "plane": None,
        # where train saw the run diverge (History.diverged_at: the step whose loss it saw), or None
        "diverged": None if history.diverged_at is None else {"step": history.diverged_at},
    }
    if X.ndim == 2 and X.shape[1] == 2:
        data["plane"] = {**plane(X), "grid": GRID, "points": np.round(X, 6).tolist(),
                         "labels": true_classes(model, y).tolist() if classify else [],
                         "classify": classify}
    data["classes"] = names if classify else []
    return data


def training_board(model: MLP, history: History, X, y, path: PathLike | None = None, title: str | None = None,
                   loss="cross_entropy", class_names: Sequence[str] | None = None) -> str | InlinePage:
    """The training board for a model trained with `nn.train` (its `History`) on X, y: written to
    `path` (returns the path), or without a path an `InlinePage` that a notebook shows in place.

    Train with `record_every=k` so the board can replay the run; without snapshots it shows the
    model as it is now (its gradient report then uses `loss`, and the run's λ), with Play and the
    slider disabled. `class_names` label the legend.

    The final J it states is one number: J at the weights after the last step, on all of X, y, with
    the run's λ (`history.lam`) — what `nn.cost(model, X, y, loss, lam)` gives, and what the last
    snapshot's readout says. The loss curve is J as each step measured it (on its batch, before its
    update), so its last point is a step older.
    """
    expect_model(model, "viz.training_board")
    if not isinstance(history, History):
        raise TypeError(f"viz.training_board takes the History that nn.train returned, got {type(history).__name__}")
    if not history.loss:
        raise ValueError("viz.training_board: the history is empty; train the model first")
    X, y = as_examples(X, y, model.nin, "viz.training_board")
    replay = bool(history.snapshots)
    snapshots = history.snapshots if replay else [take_snapshot(model, history.steps, X, y, loss, history.lam)]
    final = snapshots[-1].report  # J and the accuracy at the final weights, on all of X, y, with λ
    diverged = None
    if history.diverged_at is not None:  # said on the page in words; the loss chart marks the step
        diverged = (f"The run diverged at step {history.diverged_at} (the dashed red line on the loss chart): "
                    f"{(history.divergence or '').removeprefix('train: ')}")
    data = board_data(model, history, X, y, snapshots, class_names)
    title = title or f"Training {model!r}"
    page = render_page(
        "training_board.html", title=title, final=final, lam=f"{history.lam:g}", diverged=diverged,
        steps=history.steps, replay=replay,
        snapshots=len(snapshots), has_plane=data["plane"] is not None, held_out=bool(history.held_out_loss),
        classes=list(zip(data["classes"], CLASS_FILL * 4, CLASS_POINT * 4)),
        network=inline_svg(render_svg(network_diagram(model, maps=data["plane"] is not None))),
        positive=POSITIVE, negative=NEGATIVE, held_out_color=HELD_OUT,
        data=data, script="training_board.js")
    return page_or_file(page, title, path, height=1100, stills=lambda: [
        history_still(history, 560, 200),
        still(render_svg(network_diagram(model)), f"The network after {history.steps} steps: each unit with its bias, "
              "each wire as thick as its weight, blue positive, red negative")])
