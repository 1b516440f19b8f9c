"""viz: draw microgrboard graphs with Graphviz, the way the backprop circuit diagrams do.

`draw(root)` returns a `graphviz.Digraph` (shown inline in Jupyter); `render(root, path)` writes SVG,
PNG or PDF; `frames(root)` yields one drawing per backprop step. viz imports microgrboard, never the
reverse.
"""

from .draw import MAX_NODES, GraphTooLargeError, draw
from .frames import frames, write_frames
from .render import GraphvizNotFoundError, render, render_graph

__all__ = [
    "MAX_NODES", "GraphTooLargeError", "GraphvizNotFoundError", "draw", "frames", "render", "render_graph",
    "write_frames",
]
