"""Rich display in Jupyter: microgrboard's objects shown as pictures and tables, through IPython's
display protocol.

The engine knows nothing of viz, Graphviz or IPython, so it cannot draw itself: instead, viz registers
formatters for the engine's types with the running IPython shell, when `viz` is imported inside
IPython (or on `%load_ext viz`). A `Value` then shows its graph as an SVG diagram (a one-line summary
when it has more than MAX_DISPLAY_NODES nodes; its text repr where Graphviz is missing); a `Neuron`,
`Layer` or `MLP` (of `microgrboard.nn` or `microgrboard.micrograd`) its network; a `History` a short
summary and a small loss curve; the explainer's table an HTML table. A terminal shell shows only text,
so there these formatters never run and every repr stays the short text it always was.

Every picture also has a form that an *untrusted* notebook shows (one whose outputs were made
elsewhere: JupyterLab and Notebook 7 then drop SVG outputs and sanitize HTML): a diagram carries a PNG
beside its SVG (a `graphviz.Digraph` too, such as `viz.draw`'s), the History's curve is an `<img>`,
and each board a still picture under its frame (`viz.stills`). A trusted notebook shows the SVG.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Callable

import numpy as np

from microgrboard import Explanation, Value, topological_order
from microgrboard.nn import CourseBackprop, History, Module, NNGradientCheck

from .course_display import course_backprop_html, gradient_check_html
from .draw import draw, graph_size
from .page import render_page
from .render import GraphvizNotFoundError, render_png, render_svg
from .stills import history_still
from .training_board import network_diagram

MAX_DISPLAY_NODES = 150  # a larger graph shows a one-line summary instead of a diagram


def value_svg(value: Value) -> str | None:
    """The diagram of a small graph as SVG; None for a large one, or when Graphviz is missing."""
    if graph_size(value, MAX_DISPLAY_NODES + 1) > MAX_DISPLAY_NODES:
        return None
    return _svg_or_none(lambda: draw(value))


def value_png(value: Value) -> tuple[bytes, dict] | None:
    """The same diagram as a PNG, for a notebook that does not show SVG (an untrusted one)."""
    if graph_size(value, MAX_DISPLAY_NODES + 1) > MAX_DISPLAY_NODES:
        return None
    return _png_or_none(lambda: draw(value))


def value_summary(value: Value) -> str | None:
    """One line about a graph too large to draw inline (Markdown); None for a small one."""
    if graph_size(value, MAX_DISPLAY_NODES + 1) <= MAX_DISPLAY_NODES:
        return None
    n = len(topological_order(value))
    return (f"{_code(repr(value))}: a graph of {n:,} nodes, more than a diagram shows here ({MAX_DISPLAY_NODES}); "
            f"draw a smaller piece (one example's loss rather than a batch's), or `viz.draw(v, max_nodes={n})`")


def model_svg(model: Any) -> str | None:
    """The network diagram of a Neuron, Layer or MLP as SVG (None without Graphviz, or parameters)."""
    network = Network.of(model)
    return None if network is None else _svg_or_none(lambda: network_diagram(network))


def model_png(model: Any) -> tuple[bytes, dict] | None:
    """The network diagram as a PNG (for an untrusted notebook)."""
    network = Network.of(model)
    return None if network is None else _png_or_none(lambda: network_diagram(network))


def digraph_png(graph: Any) -> tuple[bytes, dict] | None:
    """A `graphviz.Digraph` (what `viz.draw` and `viz.frames` give) as a PNG beside graphviz's own SVG."""
    return _png_or_none(lambda: graph)


def history_html(history: History) -> str | None:
    """A short summary of a training run and a small curve of its loss, as an image (None before training)."""
    if not history.loss:
        return None
    width, height = 360, 120
    accuracy = history.accuracy[-1] if history.accuracy else None
    return render_page("history.html", steps=history.steps, first=history.loss[0], last=history.loss[-1],
                       accuracy=accuracy, chart=history_still(history, width, height), width=width,
                       height=height)


def explanation_html(table: Explanation) -> str:
    """The explainer's table as an HTML table."""
    return render_page("explanation.html", table=table)


class Network:
    """A model as `network_diagram` reads it: inputs, layer widths and Θ matrices, bias column first.

    Made from the structure both `microgrboard.nn` and `microgrboard.micrograd` share: an MLP has
    `layers`, a layer has `neurons`, a neuron has weights `w` and a bias `b`.
    """

    def __init__(self, layers: list[list[Any]]) -> None:
        self.thetas = [np.array([[n.b.data] + [w.data for w in n.w] for n in neurons], dtype=float)
                       for neurons in layers]
        self.nin = len(layers[0][0].w)
        self.nouts = [len(neurons) for neurons in layers]

    @classmethod
    def of(cls, model: Any) -> Network | None:
        layers = ([layer.neurons for layer in model.layers] if hasattr(model, "layers") else
                  [model.neurons] if hasattr(model, "neurons") else [[model]] if hasattr(model, "w") else [])
        if not layers or not all(layers) or not layers[0][0].w:
            return None
        return cls(layers)

    def weight_matrices(self) -> list[np.ndarray]:
        return self.thetas


def _code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it holds (a fence longer than any run in it)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _svg_or_none(make_graph: Callable) -> str | None:
    try:
        return render_svg(make_graph())
    except (GraphvizNotFoundError, ImportError):
        return None  # no Graphviz: the notebook shows the text repr


def _png_or_none(make_graph: Callable) -> tuple[bytes, dict] | None:
    """The PNG and the size to show it at (that of the SVG), as IPython's (data, metadata)."""
    try:
        data, width, height = render_png(make_graph(), scale=1)
    except (GraphvizNotFoundError, ImportError):
        return None
    return data, {"width": width, "height": height}


# (mimetype, type, formatter): a formatter returns the object's data in that mimetype, or None. A type
# named by a string applies once its module is imported (so viz never imports microgrboard.micrograd).
FORMATTERS = [
    ("image/svg+xml", Value, value_svg),
    ("image/png", Value, value_png),
    ("text/markdown", Value, value_summary),
    ("image/svg+xml", Module, model_svg),
    ("image/png", Module, model_png),
    ("image/svg+xml", "microgrboard.micrograd.Module", model_svg),
    ("image/png", "microgrboard.micrograd.Module", model_png),
    ("image/png", "graphviz.graphs.Digraph", digraph_png),
    ("text/html", History, history_html),
    ("text/html", Explanation, explanation_html),
    ("text/html", CourseBackprop, course_backprop_html),
    ("text/html", NNGradientCheck, gradient_check_html),
]


def register(shell: Any = None) -> bool:
    """Register the formatters with `shell` (the running IPython shell by default); False outside IPython."""
    shell = shell if shell is not None else current_shell()
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    for mimetype, kind, formatter in FORMATTERS:
        if isinstance(kind, str):
            formatters[mimetype].for_type_by_name(*kind.rsplit(".", 1), formatter)
        else:
            formatters[mimetype].for_type(kind, formatter)
    return True


def unregister(shell: Any) -> None:
    """Remove the formatters that `register` added (`%unload_ext viz`)."""
    formatters = shell.display_formatter.formatters
    for mimetype, kind, _ in FORMATTERS:
        formatters[mimetype].pop(kind, None)


def current_shell() -> Any:
    """The running IPython shell, or None; IPython is never imported by this (only looked up)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None
