"""`explain(root)`: the whole backprop walk of a graph, one edge per row, as a table."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from .backprop import backward_steps, zero_grad

if TYPE_CHECKING:
    from .value import Value

_HEADER = ("step", "edge", "local rule", "local", "× upstream", "= contribution", "grad so far")


def explain(root: Value, file: TextIO | None = None) -> None:
    """Backpropagate from `root` step by step and print each step as a row of a table.

    It starts from zero gradients (it zeroes the graph first), so the table and the gradients it
    leaves behind are exactly d(root)/d(node), whatever passes ran before. (For the steps as
    objects, use `root.backward_steps()`.)
    """
    zero_grad(root)
    steps = list(backward_steps(root))
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
