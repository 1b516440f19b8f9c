"""`explain(root)`: the whole backprop walk of a graph, one edge per row, as a table; with `naive=True`,
the naive order's walk first (each node passing its gradient on as soon as it gets some), marked where
it goes wrong, then the topological order's."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .backprop import walk
from .expect import expect_value
from .naive import naive_walk
from .why import which_use

if TYPE_CHECKING:
    from .value import Value

_HEADER = ("step", "edge", "local rule", "local", "× upstream", "= contribution", "grad so far")
_NUMBERS = (0, 3, 4, 5, 6, 7)  # right-aligned columns


def explain(root: Value, file: TextIO | None = None, naive: bool = False) -> None:
    """Backpropagate from `root` step by step and print each step as a row of a table.

    The walk is worked out on the side from zero gradients (`backprop.walk`), so the table shows
    exactly d(root)/d(node) whatever passes ran before, and every `.grad` stays as it was: looking
    changes nothing. (For the steps as objects, use `root.backward_steps()`.)

    With `naive=True` it first replays backprop the naive way (`naive.naive_walk`): each node passes its
    gradient on as soon as it receives some, before all its uses have reported. Each wrong step is
    marked ✗ with the right upstream and why; then comes the walk in topological order, for comparison.
    """
    expect_value(root, "explain", "explain(f) for the output f")
    out = file if file is not None else sys.stdout
    if naive:
        replay = naive_walk(root)
        print(f"naive backprop through {root.formula()}: each node passes its gradient on as soon as it "
              "receives some", file=out)
        rows = [_row(n.step) + (f"{n.right:.4f}", "" if not n.wrong else f"✗ {n.note}") for n in replay.steps]
        _table(_HEADER + ("right upstream", ""), rows, out)
        print(replay.summary(), file=out)
        print("\nin topological order: each node passes its gradient on once, after all its uses have reported",
              file=out)
    else:
        print(f"backprop through {root.formula()}, starting from grad = 1 at the output", file=out)
    _table(_HEADER, [_row(s) for s in walk(root).steps], out)


def _row(s) -> tuple[str, ...]:
    edge = f"{s.parent_name} → {s.node_name}" + which_use(s.parent, s.node, s.argument)
    return (str(s.index), edge, s.formula, f"{s.local:.4f}", f"{s.upstream:.4f}",
            f"{s.contribution:.4f}", f"{s.parent_grad:.4f}")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], out: TextIO) -> None:
    rows = [header, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(w) if i in _NUMBERS else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip(), file=out)
