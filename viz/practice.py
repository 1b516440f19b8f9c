"""The practice board: the learner computes each backprop step, and the page checks it.

`practice(root, path)` writes the stepping board in practice mode: the circuit is drawn once by
Graphviz with every value and gradient on its wire (4 significant digits), the gradients hidden until
the learner has found them (and, with `forward=True`, the gates' outputs too, until predicted). For
each step the page asks for the edge's local derivative and its gradient, checks them, gives hints in
order and names a classic mistake. Every question, its expected numbers, hints and mistakes come from
`microgrboard.practice_questions`, worked out in Python; the page's script (viz/static/practice.js,
with the safe answer parser viz/static/answers.js) only reads a typed answer as a number and compares.

Making the page is looking: every value and `.grad` in the graph stays as it was.
"""

from __future__ import annotations

from microgrboard import Value, practice_questions, walk
from microgrboard.circuits import sigmoid_neuron
from microgrboard.extend import expect_value

from .draw import MAX_NODES, OUTPUT_WIRE, GraphTooLargeError, draw, graph_size, wire_id
from .page import InlinePage, PathLike, inline_svg, page_or_file, render_page
from .render import render_svg
from .stills import still
from .svg import mark_wire_texts

PRECISION = 4  # digits after the point on the wires: what a learner computes from


def _refuse_large(root: Value, max_nodes: int) -> None:
    if graph_size(root, max_nodes + 1) > max_nodes:
        raise GraphTooLargeError(
            f"this graph has more than max_nodes={max_nodes} nodes: too many to practise step by step. Practise "
            "on a smaller piece (e.g. one neuron, or one example's loss), or pass a larger max_nodes")


def practice_data(root: Value, forward: bool = False) -> dict:
    """The page's data: every question (with the ids of the wires and gates it is about; each field
    carries its expected number, tolerance, hints and mistakes) and which wires carry a gate's value
    (hidden until predicted, with `forward`)."""
    order = walk(root).order
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    feeds: dict[str, list[str]] = {ids[node]: [] for node in order}  # the wires each node's value is on
    for node in order:
        for edge in node.edges:
            feeds[ids[edge.parent]].append(wire_id(ids[node], edge.argument))
    feeds[ids[root]].append(OUTPUT_WIRE)
    questions = []
    for q in practice_questions(root, forward=forward):
        item = q.data()
        item["node_id"] = ids[q.node]
        item["wire"] = wire_id(ids[q.node], q.argument) if q.kind == "edge" else None
        item["wires"] = feeds[ids[q.node]] if q.kind in ("forward", "total") else [item["wire"]]
        questions.append(item)
    computed = sorted({w for node in order if not node.is_leaf for w in feeds[ids[node]]})
    return {"questions": questions, "forward": forward, "computed": computed, "output_wire": OUTPUT_WIRE}


def practice(root: Value, path: PathLike | None = None, forward: bool = False, title: str | None = None,
             **options) -> str | InlinePage:
    """The practice board for `root`'s graph: one self-contained HTML page.

    With a `path`, writes the page there and returns the path; without one, returns an `InlinePage`
    that a notebook shows in place. `forward=True` hides the gates' outputs too, and asks for each of
    them first. `options` go to `draw` (e.g. rankdir, max_nodes).
    """
    expect_value(root, "viz.practice", "viz.practice(f, 'practice.html')")
    max_nodes = options.get("max_nodes", MAX_NODES)
    _refuse_large(root, max_nodes)
    data = practice_data(root, forward)
    options.setdefault("show_names", True)  # the questions name the gates: so does the picture
    options.setdefault("precision", PRECISION)
    svg = render_svg(draw(root, show_grad=True, gradients=walk(root).grads, **options))
    # every wire: each edge has its question, and the output wire carries the root's value
    wires = {q["wire"] for q in data["questions"] if q["wire"]} | set(data["computed"]) | {OUTPUT_WIRE}
    title = title or f"Practise backprop through {root.formula()}"
    page = render_page("practice.html", title=title, svg=inline_svg(mark_wire_texts(svg, wires)),
                       data=data, forward=forward, script="practice.js")
    # The still shows the circuit without its gradients (or, with `forward`, its values): they are the answers.
    return page_or_file(page, title, path, height=760, stills=lambda: [still(
        render_svg(draw(root, show_grad=False, **options)), f"The circuit of {root.formula()}, its gradients left out")]
        if not forward else [])



def sigmoid_practice(path: PathLike, gates: bool = True, forward: bool = False) -> str:
    """CS231n's σ circuit, gate by gate (or with one σ gate), as a practice board."""
    f, _ = sigmoid_neuron(fused=not gates)
    return practice(f, path, forward=forward, title="Practise backprop through f(w, x) = σ(w0·x0 + w1·x1 + w2)")
