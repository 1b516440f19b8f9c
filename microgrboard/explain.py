"""`explain(root)`: the whole backprop walk of a graph, one edge per row, as a table.

`explanation(root)` returns the table itself (an `Explanation`: its title and rows of text), which a
notebook shows as an HTML table once `viz` is imported; `explain` prints it, or inside IPython
displays it, so the same call reads well in a terminal and in Jupyter.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from .backprop import walk

if TYPE_CHECKING:
    from .value import Value

HEADER = ("step", "edge", "local rule", "local", "× upstream", "= contribution", "grad so far")
NUMERIC = (True, False, False, True, True, True, True)  # the columns of numbers, aligned on the right


@dataclass(frozen=True)
class Explanation:
    """The explainer's table: a title, the column names and one row of texts per backprop step."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    header: tuple[str, ...] = HEADER
    numeric: tuple[bool, ...] = NUMERIC

    def __str__(self) -> str:
        table = [self.header, *self.rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(self.header))]
        lines = ["  ".join(cell.rjust(w) if right else cell.ljust(w)
                           for cell, w, right in zip(row, widths, self.numeric)).rstrip() for row in table]
        return "\n".join([self.title, *lines])

    __repr__ = __str__  # what a REPL or a notebook shows as text is the table itself


def explanation(root: Value) -> Explanation:
    """The backprop walk from `root` as a table, worked out on the side (every `.grad` stays)."""
    rows = tuple(
        (
            str(s.index),
            f"{s.parent_name} → {s.node_name}",
            s.formula,
            f"{s.local:.4f}",
            f"{s.upstream:.4f}",
            f"{s.contribution:.4f}",
            f"{s.parent_grad:.4f}",
        )
        for s in walk(root).steps
    )
    return Explanation(f"backprop through {root.formula()}, starting from grad = 1 at the output", rows)


def explain(root: Value, file: TextIO | None = None) -> None:
    """Backpropagate from `root` step by step and print each step as a row of a table.

    The walk is worked out on the side from zero gradients (`backprop.walk`), so the table shows
    exactly d(root)/d(node) whatever passes ran before, and every `.grad` stays as it was: looking
    changes nothing. Inside IPython (and without `file`) the table is displayed rather than printed:
    a notebook shows it as an HTML table once `viz` is imported. (For the steps as objects, use
    `root.backward_steps()`; for the table as an object, `explanation(root)`.)
    """
    table = explanation(root)
    show = _ipython_display() if file is None else None
    if show is not None:
        show(table)
    else:
        print(table, file=file if file is not None else sys.stdout)


def _ipython_display():
    """IPython's `display` when running inside IPython; None otherwise (IPython is never imported here)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or ipython.get_ipython() is None:
        return None
    from IPython.display import display

    return display
