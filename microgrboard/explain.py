"""`explain(root)`: the whole backprop walk of a graph, one edge per row, as a table."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from .backprop import walk

if TYPE_CHECKING:
    from .value import Value

_HEADER = ("step", "edge", "local rule", "local", "× upstream", "= contribution", "grad so far")


def explain(root: Value, file: TextIO | None = None) -> None:
    """Backpropagate from `root` step by step and print each step as a row of a table.

    The walk is worked out on the side from zero gradients (`backprop.walk`), so the table shows
    exactly d(root)/d(node) whatever passes ran before, and every `.grad` stays as it was: looking
    changes nothing. (For the steps as objects, use `root.backward_steps()`.)
    """
    steps = walk(root).steps
    rows = [_HEADER] + [
        (
            str(s.index),
            f"{s.parent_name} → {s.node_name}",
            s.formula,
            f"{s.local:.4f}",
            f"{s.upstream:.4f}",
            f"{s.contribution:.4f}",
            f"{s.parent_grad:.4f}",
        )
        for s in steps
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    out = file if file is not None else sys.stdout
    print(f"backprop through {root.formula()}, starting from grad = 1 at the output", file=out)
    for row in rows:
        print("  ".join(cell.rjust(w) if i in (0, 3, 4, 5, 6) else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip(), file=out)
