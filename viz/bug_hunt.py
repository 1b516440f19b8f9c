"""The bug hunt: the stepping board replaying backprop with a classic bug, for the learner to find.

`bug_hunt_board(root, bug)` (and `viz.board(root, bug=...)`) steps through the forward pass and then
backprop done with `bug` (`microgrboard.bug_hunt`: "overwrite", "no-upstream", "naive-order",
"sigmoid-output"), every number as the buggy code computes it and no step marked. The learner clicks
the wire of the first wrong step (or Tabs to it and presses Enter); the page says whether that is it,
and then shows the right numbers beside the wrong ones. The circuit is drawn by Graphviz with the
buggy gradients; the page's script (viz/static/bug_hunt.js, with stepper.js) only shows and compares.

Making the page is looking: every value and `.grad` in the graph stays as it was.
"""

from __future__ import annotations

from microgrboard import BugHunt, Value, bug_hunt, walk
from microgrboard.extend import expect_value

from . import labels as L
from .board import board_steps
from .draw import MAX_NODES, GraphTooLargeError, draw, graph_size, wire_id
from .page import InlinePage, PathLike, inline_svg, page_or_file, render_page
from .render import render_svg
from .stills import still
from .svg import mark_wire_texts

HIDDEN_BY = {"overwrite": "no node is used twice, so nothing is overwritten",
             "naive-order": "no node is used twice, so no gradient is passed on before it is complete",
             "sigmoid-output": "it has no σ gate",
             "no-upstream": "every upstream gradient is 1"}


def _n(x: float) -> str:
    return format(x, ".4g")


def bug_hunt_data(root: Value, hunt: BugHunt, precision: int = 2) -> dict:
    """The page's data: the steps (the forward pass, the seed, then the buggy backprop, unmarked), the
    wires a learner can pick, the first wrong step, and each step's numbers beside the right ones."""
    ids = {node: f"n{i}" for i, node in enumerate(walk(root).order)}
    steps = [s for s in board_steps(root, precision=precision) if s["phase"] != "backward"]
    carried: dict[str, float] = {}
    wires: dict[str, dict] = {}
    rows = []
    for b in hunt.steps:
        s = b.step
        wire = wire_id(ids[s.node], s.argument)
        carried[wire] = carried.get(wire, 0.0) + s.contribution  # what has flowed along the wire so far
        steps.append({"phase": "backward", "caption": f"backward {s.caption}", "node": None, "wire": wire,
                      "values": [], "grad": wire, "grad_text": L.number(carried[wire], precision),
                      "changed": ids[s.parent], "changed_grad": _n(s.parent_grad), "wrong": False})
        entry = wires.setdefault(wire, {"name": f"wire {b.edge}", "steps": [], "wrong": False})
        entry["steps"].append(s.index)
        entry["wrong"] = entry["wrong"] or b.wrong
        rows.append({"index": s.index, "edge": b.edge, "wrong": b.wrong, "note": b.note,
                     "bug": f"{_n(s.local)} × {_n(s.upstream)} = {_n(s.contribution)} → {_n(s.parent_grad)}",
                     "right": f"{_n(b.right_local)} × {_n(b.right_upstream)} = {_n(b.right_contribution)}"
                              + ("" if b.right_grad is None else f" → {_n(b.right_grad)}")})
    first = hunt.first_wrong_step
    first_data = {"index": first.step.index, "edge": first.edge, "note": first.note,
                  "wire": wire_id(ids[first.step.node], first.step.argument)}
    return {"tracks": [{"name": hunt.bug, "steps": steps}], "wires": wires, "first": first_data, "rows": rows,
            "bug": hunt.bug}


def bug_hunt_board(root: Value, bug: str, path: PathLike | None = None, title: str | None = None,
                   **options) -> str | InlinePage:
    """The bug hunt for `root`'s graph with `bug`: one self-contained HTML page (see the module)."""
    expect_value(root, "viz.board", "viz.board(f, 'hunt.html', bug='overwrite')")
    max_nodes = options.get("max_nodes", MAX_NODES)
    if graph_size(root, max_nodes + 1) > max_nodes:
        raise GraphTooLargeError(f"this graph has more than max_nodes={max_nodes} nodes: too many to hunt a bug "
                                 "step by step; take a smaller piece, or pass a larger max_nodes")
    hunt = bug_hunt(root, bug)
    if hunt.first_wrong_step is None:
        raise ValueError(f"viz.board(bug={bug!r}): this bug leaves every step of this graph's backprop right "
                         f"({HIDDEN_BY[bug]}); hunt it on a graph where it shows")
    precision = options.get("precision", 2)
    data = bug_hunt_data(root, hunt, precision)
    options.setdefault("show_names", True)
    svg = render_svg(draw(root, show_grad=True, gradients=hunt.grads, **options))
    steps = data["tracks"][0]["steps"]
    wires = {s["wire"] for s in steps if s["wire"]} | {w for s in steps for w in s["values"]}
    title = title or f"Bug hunt ({bug}): backprop through {root.formula()}"
    page = render_page("bug_hunt.html", title=title, svg=inline_svg(mark_wire_texts(svg, wires)), data=data,
                       bug=bug, rows=data["rows"], script="bug_hunt.js")
    return page_or_file(page, title, path, height=760, stills=lambda: [still(  # the circuit: the bug is the hunt
        render_svg(draw(root, show_grad=False, **options)), f"The circuit of {root.formula()}, before any backprop")])
