"""The examples' scalar graphs on the matrix board: drawn once, numbered per example.

`course_backprop` builds every example's graph with its inputs and targets as leaves, so all m graphs
have the same gates in the same order; only their numbers differ. The board draws example 1's graph once
with Graphviz and, for each example, keeps the texts of every wire (its value, and the gradient that
flowed back along it, from `microgrboard.walk` of that example's ℓᵢ), which the page's script writes in
when the board moves to that example. Looking changes nothing: walks work on the side.
"""

from __future__ import annotations

import re

from microgrboard import Value, Walk, topological_order, walk
from microgrboard.nn import MLP, CourseBackprop

from .draw import MAX_NODES, OUTPUT_WIRE, GraphTooLargeError, draw, wire_id
from .page import inline_svg
from .render import render_svg
from .svg import mark_wire_texts


class ExampleGraphs:
    """Every example's graph of ℓᵢ: one drawing, each example's wire texts and gradients."""

    def __init__(self, r: CourseBackprop, model: MLP, digits: int = 3, max_nodes: int = MAX_NODES) -> None:
        self.r, self.model = r, model
        roots = [ex.graph.root for ex in r.examples.values()]
        self.orders = [topological_order(root) for root in roots]
        first = self.orders[0]
        if len(first) > max_nodes:
            raise GraphTooLargeError(
                f"one example's graph has {len(first)} nodes, more than max_nodes={max_nodes}: too many to read on "
                "the matrix board. Use a smaller network (the course's 3-5-3 debugging network is "
                "nn.debug_network()), or print nn.course_backprop(model, X, y) instead")
        shape = [(n.op, len(n.parents)) for n in first]
        if any([(n.op, len(n.parents)) for n in order] != shape for order in self.orders[1:]):
            raise ValueError("matrix_board: the examples' graphs differ in shape, so one drawing cannot show them all")
        self.walks: list[Walk] = [walk(root) for root in roots]
        self.index = {node: k for k, node in enumerate(first)}
        self.digits = digits
        self.wires = [wire_id(f"n{k}", arg.index) for k, node in enumerate(first)
                      for arg in node.arguments if arg.kind == "parent"] + [OUTPUT_WIRE]
        # drawn with digits + 1 decimals, so that the labels have room for the texts `wire_texts` writes in
        svg = render_svg(draw(roots[0], show_grad=True, gradients=self.walks[0].grads, precision=digits + 1))
        self.svg = inline_svg(_slim(mark_wire_texts(svg, set(self.wires))))

    def wire_texts(self) -> list[list[list[str]]]:
        """For each example, each wire's [value, gradient] texts (`digits` significant digits: the small
        gradients of the hidden layers keep theirs), in the order of `wires`."""
        texts = []
        for order, backprop in zip(self.orders, self.walks):
            rows = [[self.number(arg.value.data), self.number(arg.local * backprop.grads[node])]
                    for node in order for arg in node.arguments if arg.kind == "parent"]
            rows.append([self.number(order[-1].data), self.number(1.0)])
            texts.append(rows)
        return texts

    def number(self, x: float) -> str:
        text = f"{x:.{self.digits}g}"
        return "0" if text == "-0" else text

    def node_id(self, node: Value) -> str:
        """The drawing's id of a node of example 1's graph (every example's node k is drawn as n{k})."""
        return f"n{self.index[node]}"

    def z(self, i: int, l: int, j: int) -> Value:
        """The node zⱼ⁽ˡ⁾ of example i's graph."""
        return self.r.examples[i].graph.z[l][j - 1]

    def z_id(self, l: int, j: int) -> str:
        return self.node_id(self.z(1, l, j))

    def weight(self, l: int, j: int, k: int) -> Value:
        """The leaf Θⱼₖ⁽ˡ⁾: the model's layer l, neuron j, weight k (k = 0 is its bias b)."""
        neuron = self.model.layers[l - 1].neurons[j - 1]
        return neuron.b if k == 0 else neuron.w[k - 1]

    def weight_id(self, l: int, j: int, k: int) -> str:
        return self.node_id(self.weight(l, j, k))

    def grad(self, i: int, node: Value) -> float:
        """∂ℓᵢ/∂node on example i's graph, as backprop gives it."""
        return self.walks[i - 1].grads[node]


def _slim(svg: str) -> str:
    """Graphviz's SVG without what the page never shows — comments, <title> tooltips (the ids n5->n7),
    blank lines — and without the attributes that every wire repeats, which the page's style sets once
    (matrix_board.css): the font family of every text, and a wire's black line, arrowhead and 11-point
    labels. So the board of the course's 3-5-3 network stays under 300 KB."""
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<title>[^<]*</title>", "", svg)
    svg = re.sub(r' font-family="[^"]*"', "", svg)
    svg = re.sub(r'(<g id="[^"]*" class="edge">.*?</g>)', _slim_wire, svg, flags=re.S)
    return re.sub(r"\n\s*\n", "\n", svg)


def _slim_wire(match: re.Match) -> str:
    wire = match.group(1).replace('<path fill="none" stroke="black" ', "<path ")
    wire = wire.replace('<polygon fill="black" stroke="black" ', "<polygon ")
    return wire.replace(' font-size="11.00"', "")
