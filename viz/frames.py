"""Backprop as a film strip: one drawing per backprop step."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from microgrboard import Value, walk
from microgrboard.extend import PathLike, expect_value

from .draw import Wire, draw
from .render import render_graph

if TYPE_CHECKING:
    import graphviz


def frames(root: Value, **options) -> Iterator[graphviz.Digraph]:
    """Backprop from `root`, one drawing per step: in frame k the wire of step k is highlighted and only
    the gradients known after k steps are filled in, with the step's caption under the picture.

    Like `explain`, it works backprop out on the side from zero gradients: every `.grad` stays as it was.
    """
    backprop = walk(expect_value(root, "viz.frames", "viz.frames(f), or viz.frames(model(x)) for a model"))
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
