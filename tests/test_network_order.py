"""Neurons appear in their order, top to bottom, in every diagram that draws a network: read from the
SVG's coordinates that Graphviz laid out (dot's crossing minimization used to rotate a layer, drawing
MLP(2, [3, 1])'s first layer as neuron2, neuron3, neuron1)."""

import random
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import viz
from microgrboard import micrograd
from microgrboard.nn import MLP, cost
from viz import display
from viz.render import render_svg

SVG = "{http://www.w3.org/2000/svg}"
WIDTHS = [[3, 1], [5, 1], [6, 1], [7, 1], [4, 5, 1], [8, 8, 1], [2, 3, 2], [5, 3, 2], [10, 10, 1], [2, 9, 3]]


def places(svg: str, pattern: str, by: str = "id", kind: str = "node") -> dict[int, tuple[float, float]]:
    """{j: (the horizontal middle, the top) of the shape} for the elements (nodes or clusters) whose id
    or title matches `pattern` (one group: the neuron's number). SVG's y grows downwards."""
    found = {}
    for g in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}g"):
        if g.get("class") != kind:
            continue
        name = g.get("id", "") if by == "id" else g.find(f"{SVG}title").text
        match = re.fullmatch(pattern, name or "")
        if not match:
            continue
        xs, ys = [], []
        for shape in g:
            if shape.tag == f"{SVG}ellipse":
                cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
                xs += [cx - rx, cx + rx]
                ys += [cy - ry, cy + ry]
            elif shape.tag in (f"{SVG}polygon", f"{SVG}path"):
                pairs = re.findall(r"(-?[\d.]+),(-?[\d.]+)", shape.get("points") or shape.get("d"))
                xs += [float(x) for x, _ in pairs]
                ys += [float(y) for _, y in pairs]
        found[int(match.group(1))] = ((min(xs) + max(xs)) / 2, min(ys))
    return found


def assert_top_to_bottom(found: dict[int, tuple[float, float]], count: int, what: str) -> None:
    """One column (the same middle), the first at the top, each one strictly below the one before."""
    assert sorted(found) == list(range(1, count + 1)), (what, found)
    middles = [x for x, _ in found.values()]
    assert max(middles) - min(middles) < 1, f"{what}: not one column: {found}"
    tops = [found[j][1] for j in range(1, count + 1)]
    drawn = sorted(found, key=lambda j: found[j][1])
    assert all(a < b for a, b in zip(tops, tops[1:])), f"{what}: drawn top to bottom as {drawn}"


@pytest.mark.parametrize("widths", WIDTHS, ids=str)
@pytest.mark.parametrize("maps", [False, True], ids=["biases", "maps"])
def test_the_network_diagram_draws_every_layer_in_order(widths, maps, needs_dot):
    for seed in (0, 3):  # the weights change the wires' thickness, never the order
        svg = render_svg(viz.network_diagram(MLP(2, widths, seed=seed), maps=maps))
        assert_top_to_bottom(places(svg, r"input-(\d+)"), 2, "inputs")
        for l, n in enumerate(widths, start=1):
            assert_top_to_bottom(places(svg, rf"unit-{l}-(\d+)"), n, f"layer{l} of {widths}")


def test_a_micrograd_network_shown_in_a_notebook_is_in_order(needs_dot):
    random.seed(1337)
    svg = display.model_svg(micrograd.MLP(2, [5, 3, 1]))
    for l, n in enumerate([5, 3, 1], start=1):
        assert_top_to_bottom(places(svg, rf"unit-{l}-(\d+)"), n, f"layer{l}")


@pytest.mark.parametrize("widths", [[3, 1], [5, 5, 1], [7, 1]], ids=str)
def test_a_models_graph_draws_its_neurons_in_order(widths, needs_dot):
    model = MLP(2, widths, activation="tanh", output_activation="sigmoid", seed=0)
    svg = render_svg(viz.draw(model([0.5, -1.0]), max_nodes=10_000))
    for l, n in enumerate(widths, start=1):
        found = places(svg, rf"cluster_layer{l}_neuron(\d+)", by="title", kind="cluster")
        assert_top_to_bottom(found, n, f"layer{l} of {widths}")


@pytest.mark.parametrize("widths", [[3, 3, 1], [5, 6, 1], [7, 7, 1], [4, 4, 4, 1], [6, 2, 1]], ids=str)
def test_a_summarized_graph_draws_one_box_per_neuron_in_order(widths, needs_dot):
    model = MLP(2, widths, activation="tanh", output_activation="sigmoid", seed=0)
    X = np.random.default_rng(0).normal(size=(40, 2))
    graph = viz.draw(cost(model, X, (X[:, 0] > 0).astype(float), "cross_entropy"))
    svg = render_svg(graph)
    assert "summarized as one box per neuron" in svg
    for l, n in enumerate(widths[:-1], start=1):
        assert_top_to_bottom(places(svg, rf"layer{l}\.neuron(\d+)", by="title"), n, f"layer{l} of {widths}")
