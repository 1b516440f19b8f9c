"""Backprop as a film strip: one drawing per backprop step."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from microgrboard import Value, walk
from microgrboard.extend import PathLike, expect_value

from .draw import MAX_NODES, GraphTooLargeError, Wire, draw, graph_size
from .render import render_graph

if TYPE_CHECKING:
    import graphviz


def frames(root: Value, **options) -> Iterator[graphviz.Digraph]:
    """Backprop from `root`, one drawing per step: in frame k the wire of step k is highlighted and only
    the gradients known after k steps are filled in, with the step's caption under the picture.

    Like `explain`, it works backprop out on the side from zero gradients: every `.grad` stays as it was.
    A graph of more than `max_nodes` nodes (an option of `draw`, 400 by default) is refused when
    `frames` is called, before any work that grows with the graph.
    """
    expect_value(root, "viz.frames", "viz.frames(f), or viz.frames(model(x)) for a model")
    max_nodes = options.get("max_nodes", MAX_NODES)
    if graph_size(root, max_nodes + 1) > max_nodes:  # costs at most max_nodes + 1 nodes, whatever the size
        raise GraphTooLargeError(
            f"viz.frames: this graph has more than max_nodes={max_nodes} nodes: one picture per backprop step "
            "would be more pictures than anyone can follow, each of a diagram too large to read. Make frames "
            "of a smaller piece (e.g. one example's loss instead of a batch's), or pass a larger max_nodes to "
            "try anyway")
    return _frames(root, options)


def _frames(root: Value, options: dict) -> Iterator[graphviz.Digraph]:
    """The frames themselves, drawn one at a time as they are asked for."""
    backprop = walk(root)
    known: set[Wire] = set()
    for step in backprop.steps:
        known.add((step.node, step.argument))
        yield draw(root, show_grad=True, known_edges=set(known), highlight=step, caption=step.caption,
                   gradients=backprop.grads, **options)


def write_frames(root: Value, directory: PathLike, format: str = "svg",
                 **options) -> list[str]:
    """Write `frames(root)` as numbered files step_001.svg, step_002.svg, … in `directory`."""
    directory = pathlib.Path(directory)
    return [render_graph(graph, directory / f"step_{i:03d}.{format}", format)
            for i, graph in enumerate(frames(root, **options), start=1)]


__all__: tuple[str, ...] = ("frames", "write_frames")
