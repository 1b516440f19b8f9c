"""`draw(root)`: the graph as a circuit diagram, every wire with its value and its gradient.

Like the classic backprop circuit diagrams, a wire from an input to a gate carries the input's value
(green, above) and, after backward, the gradient that flowed back along that wire (red, below): the
gate's local derivative × the gate's gradient, read from the graph exactly as backprop used it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Union

from microgrboard import EdgeCheck, Step, Value, node_names, topological_order
from microgrboard import check_edges as run_edge_check
from microgrboard.extend import expect_value, number_text

from . import labels as L
from ._gv import KEEP_ORDER, digraph
from .clusters import layer_of, neuron_of, neuron_sort_key

if TYPE_CHECKING:
    import graphviz

MAX_NODES = 400  # more nodes than this are not readable as one diagram
# Wires coloured by `check_edges`: each status a colour (≥ 4.5:1 on white) and a line style, so the
# verdict reads without colour too; the SVG class "check-pass/fail/unsure" names it for scripts.
CHECK_STYLES = {
    "pass": ("#0969da", {"penwidth": "2"}, "its local derivative agrees with a central difference"),
    "fail": ("#bf3989", {"penwidth": "3", "style": "dashed"}, "its local derivative disagrees: wrong (✗)"),
    "unsure": (L.MUTED_COLOR, {"penwidth": "2", "style": "dotted"}, "cannot tell (a kink or a domain edge)"),
}
Wire = tuple[Value, int]  # (gate, argument index): the wire into argument `index` of `gate`, an Edge drawn
Highlight = Union[Value, Step, tuple[Value, Value], Iterable]


class GraphTooLargeError(ValueError):
    """The graph has more nodes than a readable diagram can show."""


def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    precision: int = 2,
    show_grad: bool | None = None,
    show_local: bool = False,
    highlight: Highlight | None = None,
    constants_as_nodes: bool = False,
    clusters: bool = True,
    legend: bool = True,
    caption: str | None = None,
    max_nodes: int = MAX_NODES,
    known_edges: set[Wire] | None = None,
    show_names: bool = False,
    gradients: Mapping[Value, float] | None = None,
    check_edges: bool = False,
) -> graphviz.Digraph:
    """Return the circuit diagram of `root`'s graph as a `graphviz.Digraph` (never renders it).

    rankdir: "LR" (default) or "TB", "RL", "BT".
    precision: digits after the point (a nonzero number they would show as 0 gets that many significant
    digits instead).
    show_grad: gradients on the wires; None shows them once backward has run (root.grad ≠ 0).
    show_local: also write "local × upstream" on every wire.
    highlight: a node, a `Step`, a (parent, node) pair, or a list of them, drawn in orange.
    constants_as_nodes: draw folded constants ("+1", "×−1") as nodes of their own instead.
    clusters: group the nodes of a `microgrboard.nn` model per neuron and per layer.
    caption: a line of text under the diagram.  known_edges: only these wires show gradients.
    show_names: write each gate's name (its label, or its op and place, as `explain` names it) under it.
    max_nodes: a larger graph is summarized (one box per neuron) if it comes from a model, else refused.
    gradients: d(root)/d(node) to show instead of each node's `.grad` (e.g. a `microgrboard.walk`'s).
    check_edges: check every wire's local derivative against a central difference of its gate
    (`microgrboard.check_edges`) and colour it: pass, fail (dashed, with both numbers) or unsure (dotted).
    Drawing reads the graph only: every value and gradient stays as it was.
    """
    expect_value(root, "viz.draw", "viz.draw(f), or viz.draw(model(x)) for a model")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of LR, TB, RL, BT, got {rankdir!r}")
    if not isinstance(precision, int) or not 0 <= precision <= 12:
        raise ValueError(f"precision must be a whole number from 0 to 12, got {precision!r}")
    order = topological_order(root)
    owner = neuron_of(order) if clusters else {}
    if len(order) > max_nodes:
        if owner:
            return _summary(root, order, owner, rankdir, precision, max_nodes, caption)
        raise GraphTooLargeError(
            f"this graph has {len(order)} nodes; a diagram of more than max_nodes={max_nodes} is an "
            "unreadable hairball. Draw a smaller piece (e.g. one example's loss instead of a batch's), "
            f"or pass max_nodes={len(order)} to draw it anyway"
        )
    grad = gradients.__getitem__ if gradients is not None else (lambda node: node.grad)
    if show_grad is None:
        show_grad = grad(root) != 0.0
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    lit_nodes, lit_edges = _highlights(highlight)
    checks = {(e.gate, e.argument): e for e in run_edge_check(root).entries} if check_edges else {}

    graph = _new_graph("microgrboard", rankdir, caption)
    layers, bodies = _clusters(owner, order)
    names = node_names(order) if show_names else {}
    for node in order:
        target = bodies.get(owner.get(node), graph)
        _add_node(target, node, ids[node], node in lit_nodes, short=node in owner or node is root,
                  name=names.get(node))
    _attach(graph, layers, bodies)

    for node in order:
        for arg in node.arguments:
            if arg.kind != "parent":
                if constants_as_nodes:
                    const_id = f"{ids[node]}c{arg.index}"
                    text = L.html_label(L.colored(number_text(arg.value), L.MUTED_COLOR))
                    graph.node(const_id, text, shape="plaintext")
                    graph.edge(const_id, ids[node], label=text)
                continue
            edge = (node, arg.index)
            grad_known = show_grad and (known_edges is None or edge in known_edges)
            _add_wire(graph, ids[arg.value], ids[node], arg.value.data, arg.local, grad(node), grad_known,
                      show_local, precision, lit=edge in lit_edges, wire_id=wire_id(ids[node], arg.index),
                      check=checks.get(edge))

    # The output wire: the root's value, and its gradient d(root)/d(root) = 1 after backward.
    graph.node("output", L.html_label(L.escape(root.label or "output")), shape="plaintext")
    _add_wire(graph, ids[root], "output", root.data, 1.0, grad(root), show_grad and grad(root) != 0.0,
              False, precision, lit=False, gradient=grad(root), wire_id=OUTPUT_WIRE)
    if legend:
        _add_legend(graph, show_grad, show_local, check_edges)
    return graph


def graph_size(root: Value, limit: int) -> int:
    """How many nodes root's graph has, counting no further than `limit`: it costs at most that much,
    whatever the graph's size, so a graph too large to show is refused before any real work."""
    seen, stack = {root}, [root]
    while stack and len(seen) < limit:
        for parent in stack.pop().parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def _new_graph(name: str, rankdir: str, caption: str | None) -> graphviz.Digraph:
    graph = digraph(name, graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "nodesep": "0.3",
                                                "ranksep": "0.6", "ordering": "in"},
                             node_attr={"fontname": "Helvetica"}, edge_attr={"fontname": "Helvetica",
                                                                                "fontsize": "11"})
    if caption:
        graph.attr(label=L.html_label(L.escape(caption)), labelloc="b", fontsize="13")
    return graph


def _highlights(highlight) -> tuple[set[Value], set[Wire]]:
    """Nodes and wires to draw in orange, from a node, a Step, a (parent, node) pair, or a list."""
    nodes: set[Value] = set()
    edges: set[Wire] = set()
    if highlight is None:
        return nodes, edges
    items = [highlight] if isinstance(highlight, (Value, Step, tuple)) else list(highlight)
    for item in items:
        if isinstance(item, Step):
            edges.add((item.node, item.argument))
        elif isinstance(item, Value):
            nodes.add(item)
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(v, Value) for v in item):
            parent, node = item
            edges.update((node, edge.argument) for edge in node.edges if edge.parent is parent)
        else:
            raise TypeError(f"highlight takes Values, Steps or (parent, node) pairs, got {item!r}")
    return nodes, edges


def _add_node(graph, node: Value, node_id: str, lit: bool, short: bool, name: str | None = None) -> None:
    style = {"color": L.HIGHLIGHT_COLOR, "penwidth": "2.5"} if lit else {}
    if name is None:
        name = node.label
        if short and name:  # inside a neuron's cluster, whose title carries the neuron's name
            name = name.rsplit(".", 1)[-1] if node.is_leaf else ""
    if node.is_leaf:
        graph.node(node_id, L.html_label(f"<b>{L.escape(name or number_text(node.data))}</b>"),
                   shape="plaintext", **({"fontcolor": L.HIGHLIGHT_COLOR} if lit else {}), id=node_id)
        return
    text = L.escape(L.gate_symbol(node))
    if name:
        text += f'<br/><font point-size="10" color="{L.MUTED_COLOR}">{L.escape(name)}</font>'
    graph.node(node_id, L.html_label(text), shape="circle", margin="0.02", **style, id=node_id)


def wire_id(node_id: str, index: int) -> str:
    """The SVG id of the wire into argument `index` of the gate drawn as `node_id` (e.g. "n5_0")."""
    return f"{node_id}_{index}"


OUTPUT_WIRE = "output_0"


def _add_wire(graph, tail: str, head: str, value: float, local: float, upstream: float, grad_known: bool,
              show_local: bool, precision: int, lit: bool, wire_id: str, gradient: float | None = None,
              check: EdgeCheck | None = None) -> None:
    lines = [L.colored(L.number(value, precision), L.VALUE_COLOR, bold=lit)]
    style = {}
    if check is not None:
        color, style, _ = CHECK_STYLES[check.status]
        style = {**style, "color": color, "class": f"check-{check.status}", "tooltip": _check_text(check)}
        if check.status == "fail":
            lines.append(L.colored(f"✗ local {number_text(check.local, 4)}, central diff. "
                                   f"{number_text(check.numeric, 4)}", color))
    if grad_known:
        flowed = local * upstream if gradient is None else gradient
        if show_local:
            lines.append(L.colored(f"{L.number(local, precision)} × {L.number(upstream, precision)}",
                                   L.MUTED_COLOR))
        lines.append(L.colored(L.number(flowed, precision), L.GRAD_COLOR, bold=lit))
    if lit:
        style = {**style, "color": L.HIGHLIGHT_COLOR, "penwidth": "3"}
    graph.edge(tail, head, label=L.html_label("<br/>".join(lines)), **style, id=wire_id)


def _check_text(check: EdgeCheck) -> str:
    """The wire's tooltip: the check's verdict with its numbers."""
    if check.numeric is None:
        return f"{check.status}: {check.reason}"
    return (f"{check.status}: recorded local {number_text(check.local, 6)}, central difference "
            f"{number_text(check.numeric, 6)}, "
            f"relative error {check.error:.1e}" + (f" ({check.reason})" if check.status == "unsure" else ""))


def _add_legend(graph, show_grad: bool, show_local: bool, check_edges: bool = False) -> None:
    rows = [L.colored("value (forward)", L.VALUE_COLOR)]
    if show_grad:
        if show_local:
            rows.append(L.colored("local × upstream", L.MUTED_COLOR))
        rows.append(L.colored("gradient (backward)", L.GRAD_COLOR))
    if check_edges:
        line = {"pass": "── ", "fail": "- - ", "unsure": "··· "}
        rows += [L.colored(f"{line[status]}wire: {text}", color) for status, (color, _, text) in CHECK_STYLES.items()]
    cells = "".join(f"<tr><td>{row}</td></tr>" for row in rows)
    graph.node("legend", L.html_label(f'<table border="1" cellborder="0" color="{L.MUTED_COLOR}">{cells}</table>'),
               shape="plaintext", fontsize="10")


def _clusters(owner: dict[Value, str], order: list[Value]):
    """Empty clusters: one per layer, holding one per neuron titled with its parameter names."""
    neurons = sorted(set(owner.values()), key=neuron_sort_key)
    params: dict[str, list[str]] = {n: [] for n in neurons}
    for node in order:
        if node.is_leaf and node in owner:
            params[owner[node]].append(node.label.rsplit(".", 1)[-1])
    layers: dict[str, list[str]] = {}
    bodies: dict[str, graphviz.Digraph] = {}
    for neuron in neurons:
        layers.setdefault(layer_of(neuron), []).append(neuron)
        bodies[neuron] = digraph(f"cluster_{neuron.replace('.', '_')}", graph_attr={
            "label": L.html_label(L.escape(f"{neuron}  ({', '.join(params[neuron])})")), "style": "rounded,dashed",
            "color": L.MUTED_COLOR, "fontsize": "11"})
    return layers, bodies


def _attach(graph: graphviz.Digraph, layers: dict[str, list[str]], bodies: dict[str, graphviz.Digraph]) -> None:
    """Add the filled neuron clusters inside their layer clusters (graphviz copies a subgraph's body
    when it is added, so this comes after the nodes are in)."""
    for layer, neurons in layers.items():
        box = digraph(f"cluster_{layer}", graph_attr={
            "label": layer, "style": "rounded", "color": L.MUTED_COLOR, "fontsize": "14"})
        for neuron in neurons:
            box.subgraph(bodies[neuron])
        graph.subgraph(box)


def _summary(root: Value, order: list[Value], owner: dict[Value, str], rankdir: str, precision: int,
             max_nodes: int, caption: str | None) -> graphviz.Digraph:
    """A model's graph too large to draw node by node: one box per neuron, grouped per layer, with
    its output's value and gradient; the model's inputs and whatever follows it (e.g. the loss) as
    one box each."""
    neurons = sorted(set(owner.values()), key=neuron_sort_key)
    if len(neurons) + 2 > max_nodes:
        raise GraphTooLargeError(
            f"this graph has {len(order)} nodes and {len(neurons)} neurons: too many to draw even one box "
            f"per neuron within max_nodes={max_nodes}; draw a smaller model or pass a larger max_nodes"
        )

    def group(node: Value) -> str:
        return owner.get(node) or ("inputs" if node.is_leaf else "rest")

    outputs = {n.label: n for n in order if n in owner and not n.is_leaf and n.label == owner[n]}
    sizes: dict[str, int] = {}
    for node in order:
        sizes[group(node)] = sizes.get(group(node), 0) + 1
    note = f"{len(order)} nodes, more than max_nodes={max_nodes}: summarized as one box per neuron"
    graph = _new_graph("microgrboard_summary", rankdir, f"{caption}\n{note}" if caption else note)
    boxes: dict[str, graphviz.Digraph] = {}
    for neuron in neurons:
        layer = layer_of(neuron)
        if layer not in boxes:
            boxes[layer] = digraph(f"cluster_{layer}", graph_attr={
                "label": layer, "style": "rounded", "color": L.MUTED_COLOR, "fontsize": "14"})
        out = outputs.get(neuron)
        lines = [L.escape(neuron), f'<font point-size="9">{sizes[neuron]} nodes</font>']
        if out is not None:
            lines.append(L.colored(L.number(out.data, precision), L.VALUE_COLOR))
            lines.append(L.colored(L.number(out.grad, precision), L.GRAD_COLOR))
        boxes[layer].node(neuron, L.html_label("<br/>".join(lines)), shape="box", style="rounded")
    graph.attr(**KEEP_ORDER)
    for box in boxes.values():
        graph.subgraph(box)
    for extra in ("inputs", "rest"):
        if extra in sizes:
            text = f"{extra}<br/>" + f'<font point-size="9">{sizes[extra]} nodes</font>'
            if extra == "rest" and root not in owner:
                text += "<br/>" + L.colored(L.number(root.data, precision), L.VALUE_COLOR)
            graph.node(extra, L.html_label(text), shape="box", style="rounded,dashed")
    edges = {(group(parent), group(node)) for node in order for parent in node.parents}
    place = {name: i for i, name in enumerate(["inputs", *neurons, "rest"])}
    for edge in sorted((e for e in edges if e[0] != e[1]), key=lambda e: (place[e[0]], place[e[1]])):
        graph.edge(*edge)  # in the neurons' order: dot then keeps each layer's boxes in it (KEEP_ORDER)
    return graph
