"""Rows of the program's arrays: where each node's values live, and where each gradient goes.

A program keeps one row per computed node in a (rows × m) array V, one column per example (and the
uniform nodes in a one-column array U). This module holds what the groups are built from:

- `Layout`: one array's row numbers, and the parameter vector and its gradient vector, which
  a group reads and writes instead of rows when it can (a layer's weights and biases);
- `Scatter`: where the gradients of one operand slot of a group go, decided once at compile time;
- `index`, `view`, `add_into`: rows as a slice or an index array, a grid of parameters as a view
  (no gather, no scatter), and vector[ids] += values with repeats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union

import numpy as np

from ..engine.value import Value

Index = Union[slice, np.ndarray]  # rows of V: a slice when they are contiguous, else an index array


def index(rows: Sequence[int]) -> Index:
    """Rows as a slice when they are consecutive (a view, no copy), else as an index array."""
    rows = list(rows)
    if rows and rows == list(range(rows[0], rows[0] + len(rows))):
        return slice(rows[0], rows[0] + len(rows))
    return np.array(rows, dtype=np.intp)


def _grid(ids: np.ndarray) -> tuple[int, int, int] | None:
    """2-D indices as (start, row step, column step) when they are an evenly spaced grid of distinct
    indices, as a layer's weights are in the parameter vector (neuron by neuron, weights then bias)."""
    n, k = ids.shape
    if not ids.size:
        return None
    start = int(ids[0, 0])
    row_step = int(ids[1, 0]) - start if n > 1 else k
    col_step = int(ids[0, 1]) - start if k > 1 else 1
    grid = start + row_step * np.arange(n)[:, None] + col_step * np.arange(k)
    if col_step < 1 or row_step < k * col_step or not np.array_equal(ids, grid):
        return None
    return start, row_step, col_step


def view(vector: np.ndarray, ids: np.ndarray) -> np.ndarray | None:
    """vector[ids] as a view (made once: reading it reads `vector`, writing it writes `vector`) when the
    ids form a grid; None otherwise."""
    grid = _grid(ids)
    if grid is None:
        return None
    start, row_step, col_step = grid
    size = vector.itemsize
    return np.lib.stride_tricks.as_strided(vector[start:], ids.shape, (row_step * size, col_step * size))


def add_into(vector: np.ndarray, ids: np.ndarray, grid_view: np.ndarray | None, values: np.ndarray) -> None:
    """vector[ids] += values (`grid_view` is vector[ids] as a view, if they form a grid), repeats included."""
    if grid_view is not None:
        grid_view += values  # distinct entries: add in place
    else:
        vector += np.bincount(ids.ravel(), values.ravel(), minlength=len(vector))


class Scatter:
    """Where the contributions of one operand slot of a group go, decided once at compile time:

    - interior nodes: into their rows of the gradient array G (a slice when the rows are consecutive;
      repeats (fan-out) added up by sorting once and np.add.reduceat, much faster than np.add.at);
    - parameters read from V: summed over the batch straight into the vector of parameter gradients;
    - placeholders (the first `n_inputs` rows): nowhere (a program computes no gradient for its inputs).
    `chains`, for a sum, gives the chain whose upstream each term receives.
    """

    def __init__(self, rows: np.ndarray, param_of_row: dict[int, int], n_inputs: int,
                 chains: np.ndarray | None = None) -> None:
        kinds = np.array([2 if r < n_inputs else 1 if r in param_of_row else 0 for r in rows.tolist()], dtype=int)
        inner = kinds == 0
        self.inner_pos = np.flatnonzero(inner)
        self.all_inner = bool(inner.all())
        inner_rows = rows[inner]
        self.unique = len(np.unique(inner_rows)) == len(inner_rows)
        self.perm: np.ndarray | None = None  # for repeated rows: the order that sorts them, and where
        self.starts: np.ndarray | None = None  # each run of one row starts in that order
        if self.unique:
            self.targets = index(inner_rows.tolist())
        else:
            self.perm = np.argsort(inner_rows, kind="stable")
            sorted_rows = inner_rows[self.perm]
            self.starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
            self.targets = sorted_rows[self.starts]
        self.leaf_pos = np.flatnonzero(kinds == 1)
        self.leaf_ids = np.array([param_of_row[r] for r in rows[self.leaf_pos].tolist()], dtype=np.intp)
        # a sum group: the term at position p takes the upstream of chain chains[p]
        self.inner_chains = None if chains is None else chains[self.inner_pos]
        self.leaf_chains = None if chains is None else chains[self.leaf_pos]

    def add(self, G: np.ndarray, leaf_grads: np.ndarray, contribution: np.ndarray) -> None:
        """Add `contribution` (one row per operand, one column per example) where each row goes."""
        if self.all_inner and self.unique:  # the common case: one plain scatter, or a slice
            G[self.targets] += contribution
            return
        if len(self.inner_pos):
            self._add_inner(G, contribution if self.all_inner else contribution[self.inner_pos])
        if len(self.leaf_pos):
            per_leaf = contribution[self.leaf_pos].sum(axis=1)  # summed over the batch
            leaf_grads += np.bincount(self.leaf_ids, per_leaf, minlength=len(leaf_grads))

    def add_sum(self, G: np.ndarray, leaf_grads: np.ndarray, upstream: np.ndarray) -> None:
        """For a sum, whose every local derivative is 1: each term receives its chain's upstream."""
        if len(self.inner_pos):
            self._add_inner(G, upstream[self.inner_chains])
        if len(self.leaf_pos):
            per_leaf = upstream.sum(axis=1)[self.leaf_chains]  # summed over the batch
            leaf_grads += np.bincount(self.leaf_ids, per_leaf, minlength=len(leaf_grads))

    def _add_inner(self, G: np.ndarray, inner: np.ndarray) -> None:
        if self.unique:
            G[self.targets] += inner
        else:
            G[self.targets] += np.add.reduceat(inner[self.perm], self.starts, axis=0)


@dataclass
class Layout:
    """One array's rows (V's, or U's for the uniform groups) and the parameter vectors, as a group
    sees them when it is built: the row of each node, the id of each parameter in `theta` (the
    parameters' values) and `totals` (their gradients), and how many rows are placeholders."""

    row: dict[Value, int]
    param_id: dict[Value, int]
    n_inputs: int  # the first rows are the placeholders, which get no gradient (0 for U)
    theta: np.ndarray
    totals: np.ndarray
    param_of_row: dict[int, int] = field(init=False)  # the parameters this array holds a row of

    def __post_init__(self) -> None:
        self.param_of_row = {self.row[p]: i for p, i in self.param_id.items() if p in self.row}

    def rows(self, nodes: Sequence[Value]) -> np.ndarray:
        """The rows of `nodes`, as an index array."""
        return np.array([self.row[n] for n in nodes], dtype=np.intp)

    def ids(self, parameters: Sequence[Value]) -> np.ndarray:
        """The ids of `parameters` in the parameter vector, as an index array."""
        return np.array([self.param_id[p] for p in parameters], dtype=np.intp)

    def scatter(self, rows: np.ndarray, chains: np.ndarray | None = None) -> Scatter | None:
        """Where gradients sent to `rows` go (None when all of them are placeholders: nowhere)."""
        return None if np.all(rows < self.n_inputs) else Scatter(rows, self.param_of_row, self.n_inputs, chains)
