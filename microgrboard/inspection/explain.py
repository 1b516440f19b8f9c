"""`explain(root)`: the whole backprop walk of a graph, one edge per row, as a table; with `naive=True`,
the naive order's walk first (each node passing its gradient on as soon as it gets some), marked where
it goes wrong, then the topological order's.

`explanation(root)` returns the table itself (an `Explanation`: its title, rows of text and notes),
which a notebook shows as an HTML table once `viz` is imported; `explain` prints it, or inside IPython
displays it, so the same call reads well in a terminal and in Jupyter.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from .._util.expect import expect_value
from ..engine.backprop import Step, walk
from .naive import naive_walk
from .why import which_use

if TYPE_CHECKING:
    from ..engine.value import Value

HEADER = ("step", "edge", "local rule", "local", "× upstream", "= contribution", "grad so far")
NUMERIC = (True, False, False, True, True, True, True)  # the columns of numbers, aligned on the right
TOPOLOGICAL_AFTER_NAIVE = ("in topological order: each node passes its gradient on once, after all its uses "
                           "have reported")


@dataclass(frozen=True)
class Explanation:
    """The explainer's table: a title, the column names, one row of texts per backprop step, and notes
    under it (where the naive walk first goes wrong, and what it ends with)."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    header: tuple[str, ...] = HEADER
    numeric: tuple[bool, ...] = NUMERIC
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        table = [self.header, *self.rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(self.header))]
        lines = ["  ".join(cell.rjust(w) if right else cell.ljust(w)
                           for cell, w, right in zip(row, widths, self.numeric)).rstrip() for row in table]
        return "\n".join([self.title, *lines, *self.notes])

    __repr__ = __str__  # what a REPL or a notebook shows as text is the table itself


def explanation(root: Value, naive: bool = False) -> Explanation:
    """The backprop walk from `root` as a table, worked out on the side (every `.grad` stays).

    With `naive=True`, the naive walk's table instead (`naive.naive_walk`): two more columns, the right
    upstream and, on each wrong step, ✗ and why; its notes say where it first goes wrong and what it
    ends with.
    """
    expect_value(root, "explanation", "explanation(f) for the output f")
    if not naive:
        return Explanation(f"backprop through {root.formula()}, starting from grad = 1 at the output",
                           tuple(_row(s) for s in walk(root).steps))
    replay = naive_walk(root)
    rows = tuple(_row(n.step) + (f"{n.right:.4f}", f"✗ {n.note}" if n.wrong else "") for n in replay.steps)
    return Explanation(f"naive backprop through {root.formula()}: each node passes its gradient on as soon as "
                       "it receives some", rows, HEADER + ("right upstream", ""), NUMERIC + (True, False),
                       tuple(replay.summary().splitlines()))


def explain(root: Value, file: TextIO | None = None, naive: bool = False) -> None:
    """Backpropagate from `root` step by step and print each step as a row of a table.

    The walk is worked out on the side from zero gradients (`backprop.walk`), so the table shows
    exactly d(root)/d(node) whatever passes ran before, and every `.grad` stays as it was: looking
    changes nothing. Inside IPython (and without `file`) the table is displayed rather than printed:
    a notebook shows it as an HTML table once `viz` is imported. (For the steps as objects, use
    `root.backward_steps()`; for the table as an object, `explanation(root)`.)

    With `naive=True` it first replays backprop the naive way: each node passes its gradient on as soon
    as it receives some, before all its uses have reported. Each wrong step is marked ✗ with the right
    upstream and why; then comes the walk in topological order, for comparison.
    """
    expect_value(root, "explain", "explain(f) for the output f")
    tables = [explanation(root)]
    if naive:
        topological = Explanation(TOPOLOGICAL_AFTER_NAIVE, tables[0].rows)
        tables = [explanation(root, naive=True), topological]
    show = _ipython_display() if file is None else None
    for i, table in enumerate(tables):
        if show is not None:
            show(table)
        else:
            print(("\n" if i else "") + str(table), file=file if file is not None else sys.stdout)


def _row(s: Step) -> tuple[str, ...]:
    edge = f"{s.parent_name} → {s.node_name}" + which_use(s.parent, s.node, s.argument)
    return (str(s.index), edge, s.formula, f"{s.local:.4f}", f"{s.upstream:.4f}", f"{s.contribution:.4f}",
            f"{s.parent_grad:.4f}")


def _ipython_display():
    """IPython's `display` when running inside IPython; None otherwise (IPython is never imported here)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or ipython.get_ipython() is None:
        return None
    from IPython.display import display

    return display
