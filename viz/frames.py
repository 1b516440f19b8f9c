"""Backprop as a film strip: one drawing per backprop step."""

from __future__ import annotations

import os
import pathlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from microgrboard import Value

from .draw import Edge, draw
from .render import render_graph

if TYPE_CHECKING:
    import graphviz


def frames(root: Value, **options) -> Iterator[graphviz.Digraph]:
    """Backpropagate from `root` one step at a time, yielding the diagram after each step.

    In frame k the wire of step k is highlighted, only the gradients known after k steps are
    filled in, and the caption is the step's "local × upstream = contribution". Like `explain`, it
    starts from zero gradients, so after the last frame `.grad` is exactly d(root)/d(node).
    """
    root.zero_grad()
    known: set[Edge] = set()
    for step in root.backward_steps():
        known.add((step.node, step.argument))
        caption = (
            f"step {step.index}: ∂{step.node_name}/∂{step.parent_name} = {step.local:.4g};  "
            f"{step.local:.4g} × {step.upstream:.4g} = {step.contribution:.4g}  →  "
            f"{step.parent_name}.grad = {step.parent_grad:.4g}"
        )
        yield draw(root, show_grad=True, known_edges=set(known), highlight=step, caption=caption, **options)


def write_frames(root: Value, directory: str | os.PathLike[str], format: str = "svg",
                 **options) -> list[str]:
    """Write `frames(root)` as numbered files step_001.svg, step_002.svg, … in `directory`."""
    directory = pathlib.Path(directory)
    return [render_graph(graph, directory / f"step_{i:03d}.{format}", format)
            for i, graph in enumerate(frames(root, **options), start=1)]


__all__: tuple[str, ...] = ("frames", "write_frames")
