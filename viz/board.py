"""The board: one offline HTML file that steps through a graph's forward pass and then its backprop.

The circuit is drawn once by Graphviz, with every value and gradient on its wire; the page's script
(viz/static/board.js) only shows and hides those numbers and lights the active gate or wire, so the
picture never moves. Each step's caption is written here in Python from the numbers backprop used.
Making a board is looking: it works backprop out on the side (`backprop.walk`), so every `.grad` in
the graph stays as it was.
"""

from __future__ import annotations

from microgrboard import Value
from microgrboard.backprop import Walk, node_names, walk
from microgrboard.formula import gate_expression

from .draw import OUTPUT_WIRE, draw, wire_id
from .page import InlinePage, PathLike, inline_svg, page_or_file, render_page
from .render import render_svg
from .svg import mark_wire_texts


def board_steps(root: Value) -> list[dict]:
    """The board's script, step by step: the forward pass gate by gate, the seed, then backprop."""
    return _steps(root, walk(root))


def _steps(root: Value, backprop: Walk) -> list[dict]:
    order = backprop.order
    names = node_names(order)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    out_wires: dict[Value, list[str]] = {node: [] for node in order}  # the wires each node's value feeds
    for node in order:
        for edge in node.edges:
            out_wires[edge.parent].append(wire_id(ids[node], edge.argument))
    out_wires[root].append(OUTPUT_WIRE)

    steps: list[dict] = [_step("start", f"The inputs are known: {_inputs_text(order, names)}. "
                                        "Press Next (→) to run the forward pass.")]
    for node in order:
        if not node.is_leaf:
            steps.append(_step("forward", f"forward: {names[node]} = {gate_expression(node, names)} = "
                                          f"{gate_expression(node)} = {node.data:.4g}",
                               node=ids[node], values=out_wires[node]))
    steps.append(_step("seed", f"backward: start at the output, ∂{names[root]}/∂{names[root]} = 1",
                       node=ids[root], wire=OUTPUT_WIRE, grad=OUTPUT_WIRE))
    for step in backprop.steps:
        wire = wire_id(ids[step.node], step.argument)
        steps.append(_step("backward", f"backward {step.caption}", wire=wire, grad=wire))
    steps[-1]["caption"] += "  — done: every gradient is filled in."
    return steps


def _step(phase: str, caption: str, node: str | None = None, wire: str | None = None,
          values: list[str] = (), grad: str | None = None) -> dict:
    """One step of the board: its caption, the gate or wire it lights, the wires whose value it
    computes, and the wire whose gradient it fills in."""
    return {"phase": phase, "caption": caption, "node": node, "wire": wire, "values": list(values), "grad": grad}


def _inputs_text(order: list[Value], names: dict) -> str:
    leaves = [n for n in order if n.is_leaf]
    return ", ".join(f"{names[n]} = {n.data:.4g}" for n in leaves[:8]) + (" …" if len(leaves) > 8 else "")


def board(root: Value, path: PathLike | None = None, title: str | None = None, **options) -> str | InlinePage:
    """The stepping board for `root`'s graph: one self-contained HTML page.

    With a `path`, writes the page there and returns the path; without one, returns an `InlinePage`
    that a notebook shows in place. `options` go to `draw` (e.g. precision, rankdir).
    """
    backprop = walk(root)
    steps = _steps(root, backprop)
    options.setdefault("show_names", True)  # the captions name the gates: so does the picture
    svg = render_svg(draw(root, show_grad=True, gradients=backprop.grads, **options))
    wires = {s["wire"] for s in steps if s["wire"]} | {w for s in steps for w in s["values"]}
    title = title or f"Backprop through {root.formula()}"
    page = render_page("board.html", title=title, svg=inline_svg(mark_wire_texts(svg, wires)), data=steps,
                       script="board.js")
    return page_or_file(page, title, path)
