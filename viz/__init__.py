"""viz: draw microgrboard graphs with Graphviz, the way the backprop circuit diagrams do.

`draw(root)` returns a `graphviz.Digraph` (shown inline in Jupyter; `check_edges=True` colours each wire
by its local derivative's check); `render(root, path)` writes SVG, PNG or PDF; `frames(root)` yields one
drawing per backprop step; `board(root, path)` writes an offline HTML page that steps through it (click
a node for why its gradient is what it is; `order="naive"` adds the naive order beside the topological
one), `training_board(...)` one that replays a training run, `comparison_board(...)` one that
compares initializations, `matrix_board(model, X, y)` one that steps through the course's backprop
matrices (δ⁽ˡ⁾, Δ⁽ˡ⁾, D⁽ˡ⁾, thetaVec), each entry linked to its node on the scalar graph,
`playground(...)` one that trains a network live in the page, on the table of primitives' JavaScript
twins, and steps through any example's backprop, and `practice(...)` one where the learner works each
backprop step out and the page checks it (their pages are the templates and assets in viz/templates
and viz/static). Every one of them only looks: no value
or gradient of a graph changes. viz imports microgrboard, never the reverse.

Imported inside IPython (or loaded with `%load_ext viz`), viz also shows microgrboard's objects as
pictures and tables in the notebook: see `viz.display`.
"""

from . import display
from .board import board, board_steps
from .comparison_board import comparison_board
from .draw import MAX_NODES, GraphTooLargeError, draw
from .frames import frames, write_frames
from .matrix_board import course_matrix_board, matrix_board
from .playground import playground
from .practice import practice, practice_data
from .render import GraphvizNotFoundError, render, render_graph, render_svg
from .training_board import network_diagram, training_board

__all__ = [
    "MAX_NODES", "GraphTooLargeError", "GraphvizNotFoundError", "board", "board_steps", "comparison_board", "draw",
    "course_matrix_board", "frames", "matrix_board", "network_diagram", "playground", "render", "render_graph",
    "practice", "practice_data", "render_svg", "training_board", "write_frames",
]


def load_ipython_extension(shell) -> None:
    """`%load_ext viz`: show microgrboard's objects as pictures and tables in this IPython shell."""
    display.register(shell)


def unload_ipython_extension(shell) -> None:
    """`%unload_ext viz`: back to text reprs."""
    display.unregister(shell)


display.register()  # inside IPython, importing viz is enough; elsewhere this does nothing
