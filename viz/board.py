"""The board: one offline HTML file that steps through a graph's forward pass and then its backprop.

The circuit is drawn once by Graphviz, with every value and gradient on its wire; the page's script
(viz/static/board.js) only shows and hides those numbers, writes the gradient each wire has carried so
far, and lights the active gate or wire, so the picture never moves (on a circuit wider than the window
it scrolls, by the least that keeps the lit gate or wire in view). Each step's caption is written
here in Python from the numbers backprop used. Clicking a gate or an input shows `why` its gradient is
what it is (its paths to the output, largest first, drawn on the circuit).

`order="naive"` adds a second walk of the same circuit: backprop done the naive way (each node passing
its gradient on as soon as it gets some, `microgrboard.naive_walk`), its wrong steps marked, next to the
topological order, with a table of every node's gradient so far and the right one.

Making a board is looking: it works backprop out on the side (`backprop.walk`), so every `.grad` in
the graph stays as it was.
"""

from __future__ import annotations

from microgrboard import Backflow, Value, Walk, naive_walk, node_names, walk
from microgrboard.extend import expect_value, gate_expression, number_text

from . import labels as L
from .draw import MAX_NODES, OUTPUT_WIRE, GraphTooLargeError, draw, graph_size, wire_id
from .page import InlinePage, PathLike, inline_svg, page_or_file, render_page
from .render import render_svg
from .stills import still
from .svg import mark_wire_texts

ORDERS = ("topological", "naive")
TRACK_LABELS = {"naive": "Naive order: pass on at once", "topological": "Topological order: pass on once"}


def board_steps(root: Value, order: str = "topological", precision: int = 2) -> list[dict]:
    """The board's script, step by step: the forward pass gate by gate, the seed, then backprop in
    topological order, or (order="naive") the naive way, each wrong step marked."""
    expect_value(root, "viz.board_steps", "viz.board_steps(f)")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    return _track(root, walk(root), order, precision)


def _track(root: Value, backprop: Walk, order: str, precision: int) -> list[dict]:
    nodes = backprop.order
    names = node_names(nodes)
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    out_wires: dict[Value, list[str]] = {node: [] for node in nodes}  # the wires each node's value feeds
    for node in nodes:
        for edge in node.edges:
            out_wires[edge.parent].append(wire_id(ids[node], edge.argument))
    out_wires[root].append(OUTPUT_WIRE)

    steps: list[dict] = [_step("start", f"The inputs are known: {_inputs_text(nodes, names)}. "
                                        "Press Next (→) to run the forward pass.")]
    for node in nodes:
        if not node.is_leaf:
            steps.append(_step("forward", f"forward: {names[node]} = {gate_expression(node, names)} = "
                                          f"{gate_expression(node)} = {_num(node.data)}",
                               node=ids[node], values=out_wires[node]))
    steps.append(_step("seed", f"backward: start at the output, ∂{names[root]}/∂{names[root]} = 1",
                       node=ids[root], wire=OUTPUT_WIRE, grad=OUTPUT_WIRE, grad_text=L.number(1.0, precision),
                       changed=ids[root], changed_grad=_num(1.0)))
    if order == "topological":
        for step in backprop.steps:
            wire = wire_id(ids[step.node], step.argument)
            steps.append(_step("backward", f"backward {step.caption}", wire=wire, grad=wire,
                               grad_text=L.number(step.contribution, precision),
                               changed=ids[step.parent], changed_grad=_num(step.parent_grad)))
        steps[-1]["caption"] += "  — done: every gradient is filled in."
        return steps
    replay = naive_walk(root)
    for naive in replay.steps:
        step = naive.step
        wire = wire_id(ids[step.node], step.argument)
        caption = f"naive backward {step.caption}" + (f"  ✗ {naive.note}" if naive.wrong else "")
        steps.append(_step("backward", caption, wire=wire, grad=wire,
                           grad_text=L.number(naive.carried + step.contribution, precision),
                           changed=ids[step.parent], changed_grad=_num(step.parent_grad), wrong=naive.wrong))
    steps[-1]["caption"] += "  — done. " + replay.summary().replace("\n", ". ")
    return steps


def _step(phase: str, caption: str, node: str | None = None, wire: str | None = None, values: list[str] = (),
          grad: str | None = None, grad_text: str | None = None, changed: str | None = None,
          changed_grad: str | None = None, wrong: bool = False) -> dict:
    """One step of the board: its caption, the gate or wire it lights, the wires whose value it
    computes, the wire whose gradient it fills in (with the text to write there: what has flowed along
    it so far), the node whose gradient it changes (and to what), and whether the step is wrong."""
    return {"phase": phase, "caption": caption, "node": node, "wire": wire, "values": list(values), "grad": grad,
            "grad_text": grad_text, "changed": changed, "changed_grad": changed_grad, "wrong": wrong}


def _inputs_text(order: list[Value], names: dict) -> str:
    leaves = [n for n in order if n.is_leaf]
    return ", ".join(f"{names[n]} = {_num(n.data)}" for n in leaves[:8]) + (" …" if len(leaves) > 8 else "")


def _num(x: float) -> str:
    return number_text(x, 4)


def _why_of_every_node(root: Value, backprop: Walk) -> dict[str, dict]:
    """For each node's id: `why` as text, and the wires of its paths listed there (to light them)."""
    flow = Backflow(root)
    ids = {node: f"n{i}" for i, node in enumerate(backprop.order)}
    answers = {}
    for node in backprop.order:
        answer = flow.why(node)
        wires = sorted({wire_id(ids[hop.gate], hop.argument) for path in answer.paths for hop in path.hops})
        title = f"Why ∂{answer.name(root)}/∂{answer.name(node)} is what it is"
        answers[ids[node]] = {"title": title, "text": answer.text(about_grad=False), "wires": wires}
    return answers


def board(root: Value, path: PathLike | None = None, title: str | None = None, order: str = "topological",
          bug: str | None = None, **options) -> str | InlinePage:
    """The stepping board for `root`'s graph: one self-contained HTML page.

    With a `path`, writes the page there and returns the path; without one, returns an `InlinePage`
    that a notebook shows in place. `order="naive"` adds the naive walk (each node passing its gradient
    on as soon as it gets some) beside the topological one, starting with it. Clicking a node shows why
    its gradient is what it is. `options` go to `draw` (e.g. precision, rankdir, max_nodes).
    `bug` ("overwrite", "no-upstream", "naive-order", "sigmoid-output") makes it a bug hunt instead
    (`viz.bug_hunt`): backprop with that mistake, and the learner finds its first wrong step.
    """
    expect_value(root, "viz.board", "viz.board(f, 'board.html'), or viz.board(model(x), ...) for a model")
    if bug is not None:
        from .bug_hunt import bug_hunt_board

        return bug_hunt_board(root, bug, path, title=title, **options)
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    max_nodes = options.get("max_nodes", MAX_NODES)
    if graph_size(root, max_nodes + 1) > max_nodes:  # before any work that grows with the graph
        raise GraphTooLargeError(
            f"this graph has more than max_nodes={max_nodes} nodes: too many to follow step by step on a board. "
            "Make a board of a smaller piece (e.g. one example's loss instead of a batch's), "
            "or pass a larger max_nodes to try anyway")
    backprop = walk(root)
    precision = options.get("precision", 2)
    tracks = [{"name": name, "label": TRACK_LABELS[name], "steps": _track(root, backprop, name, precision)}
              for name in (("naive", "topological") if order == "naive" else ("topological",))]
    options.setdefault("show_names", True)  # the captions name the gates: so does the picture
    svg = render_svg(draw(root, show_grad=True, gradients=backprop.grads, **options))
    steps = [s for track in tracks for s in track["steps"]]
    wires = {s["wire"] for s in steps if s["wire"]} | {w for s in steps for w in s["values"]}
    names = node_names(backprop.order)
    nodes = [{"id": f"n{i}", "name": names[node], "right": _num(backprop.grads[node])}
             for i, node in enumerate(backprop.order)] if order == "naive" else []
    title = title or f"Backprop through {root.formula()}"
    data = {"tracks": tracks, "why": _why_of_every_node(root, backprop), "nodes": nodes}
    page = render_page("board.html", title=title, svg=inline_svg(mark_wire_texts(svg, wires)), data=data,
                       tracks=tracks, nodes=nodes, script="board.js")
    return page_or_file(page, title, path, stills=lambda: [
        still(svg, f"The circuit of {root.formula()} after backprop: every wire with its value and its gradient")])
