"""Batch compilation: run one traced scalar graph on a whole batch at once, with numpy arrays.

A graph built once for one example, with placeholder leaves for that example's inputs, becomes a
`Program`: every node gets a row of a (nodes × m) array, one column per example — the leaves first,
then each group's outputs side by side. Nodes with the same
primitive at the same depth (level scheduling) are computed by one call of the primitive's
`batch_rule` — the numpy twin, in the table, of the scalar rule the eager engine uses — and their
local derivatives are kept, so backward is the same "parent += local × upstream", one level at a
time, in reverse. Parameter gradients are summed over the batch into `.grad`.

One more thing makes it fast: a chain of add gates (b + w1·x1 + w2·x2 + …, as a neuron sums its
inputs) whose partial sums nothing else uses runs as one n-ary sum, left to right as the chain adds,
with local derivative 1 for every term. Its partial sums are then not kept (`value_of` says so).

The traced graph stays an ordinary graph of Values: it can still be drawn and stepped through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .backprop import node_names, topological_order
from .primitives import ADD, Primitive
from .value import Value


@dataclass
class _Group:
    """Nodes with one primitive at one level, and how their operands are found.

    For each operand slot: `rows` (row indices of Value operands) or `consts` (a column of constants),
    or neither for a missing second operand. `param` is the number parameter of pow and div.
    """

    prim: Primitive
    out: slice  # the rows of its outputs, side by side
    a_rows: np.ndarray | None
    a_consts: np.ndarray | None
    b_rows: np.ndarray | None
    b_consts: np.ndarray | None
    param: float | None
    a_scatter: _Scatter | None = None
    b_scatter: _Scatter | None = None


@dataclass
class _SumGroup:
    """Add chains of equal length at one level: out[k] = Σⱼ V[rows[k, j]], summed left to right."""

    out: slice
    rows: np.ndarray  # (k × chain length)
    scatter: _Scatter  # where each term's gradient goes


class Program:
    """`root`'s graph compiled for batches; `inputs` are its placeholder leaves, fed per example.

    Every other leaf (the parameters) is read from its `.data` at each `forward`, so a program traced
    once serves a whole training run. `outputs` are more nodes to compute (e.g. a model's outputs
    that the loss reads only through their inputs), for `value_of`.
    """

    def __init__(self, root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> None:
        self.root = root
        self.inputs = list(inputs)
        self.kept = set(outputs) | {root}
        self.order = []
        seen: set[Value] = set()
        for target in [*outputs, root]:  # each order lists inputs first, so their union does too
            fresh = [n for n in topological_order(target) if n not in seen]
            seen.update(fresh)
            self.order += fresh
        not_leaves = [x for x in self.inputs if not x.is_leaf]
        if not_leaves:
            raise ValueError(f"compile: inputs must be leaves (placeholders), these are not: {not_leaves!r}")
        terms = self._add_chains()
        buckets = self._buckets(terms)
        # Rows: the leaves first, then each group's outputs side by side, so that a group writes (and
        # backward reads) its rows as one slice; the partial sums inside add chains get no row.
        leaves = [n for n in self.order if n.is_leaf]
        self.nodes = leaves + [node for nodes in buckets.values() for node in nodes]
        self.row = {node: i for i, node in enumerate(self.nodes)}
        placeholder = set(self.inputs)
        self.leaves = [n for n in leaves if n not in placeholder]
        self.leaf_rows = np.array([self.row[n] for n in self.leaves], dtype=np.intp)
        used = [i for i, x in enumerate(self.inputs) if x in self.row]  # an input the graph ignores is fine
        self.input_columns = np.array(used, dtype=np.intp)
        self.input_rows = np.array([self.row[self.inputs[i]] for i in used], dtype=np.intp)
        self.leaf_index = {int(r): i for i, r in enumerate(self.leaf_rows)}
        self.input_set = {int(r) for r in self.input_rows}
        self.groups = self._groups(buckets, terms)
        self.values: np.ndarray | None = None  # (rows × m) after forward
        self.locals: list[tuple] = []

    def _buckets(self, terms: dict[Value, list[Value]]) -> dict[tuple, list[Value]]:
        """Gates by (level, primitive, operand layout), in level order; level = 1 + the deepest input's."""
        level: dict[Value, int] = {}
        buckets: dict[tuple, list[Value]] = {}
        for node in self.order:
            if node.is_leaf:
                level[node] = 0
            elif node in terms:
                level[node] = 1 + max(level[t] for t in terms[node])
                buckets.setdefault((level[node], "sum", len(terms[node])), []).append(node)
            elif node not in self.fused:
                level[node] = 1 + max(level[p] for p in node.parents)
                args = node.arguments
                a_kind, b_kind = args[0].kind, args[1].kind if len(args) > 1 else "none"
                param = args[1].value if b_kind == "parameter" else None
                buckets.setdefault((level[node], node.primitive.name, a_kind, b_kind, param), []).append(node)
        return dict(sorted(buckets.items(), key=lambda kv: kv[0][0]))

    def _groups(self, buckets: dict[tuple, list[Value]], terms: dict[Value, list[Value]]) -> list:
        """Each bucket as a group: its output slice and where its operands are."""
        groups: list = []
        for key, nodes in buckets.items():
            start = self.row[nodes[0]]
            out = slice(start, start + len(nodes))
            if key[1] == "sum":
                rows = np.array([[self.row[t] for t in terms[n]] for n in nodes], dtype=np.intp)
                chains = np.repeat(np.arange(len(nodes)), rows.shape[1])  # the chain of each flattened term
                groups.append(_SumGroup(out, rows, _Scatter(rows.ravel(), self.leaf_index, self.input_set, chains)))
                continue
            _, _, a_kind, b_kind, param = key
            a_rows = self._rows(nodes, 0) if a_kind == "parent" else None
            a_consts = None if a_kind == "parent" else self._constants(nodes, 0)
            b_rows = b_consts = None
            if b_kind == "parent":
                b_rows = self._rows(nodes, 1)
            elif b_kind == "constant":
                b_consts = self._constants(nodes, 1)
            group = _Group(nodes[0].primitive, out, a_rows, a_consts, b_rows, b_consts, param)
            group.a_scatter = None if a_rows is None else self._scatter(a_rows)
            group.b_scatter = None if b_rows is None else self._scatter(b_rows)
            groups.append(group)
        return groups

    def _rows(self, nodes: list[Value], index: int) -> np.ndarray:
        """The rows of argument `index` (a parent) of each node."""
        return np.array([self.row[n.arguments[index].value] for n in nodes], dtype=np.intp)

    @staticmethod
    def _constants(nodes: list[Value], index: int) -> np.ndarray:
        """Argument `index` (a folded number) of each node, as a column."""
        return np.array([[n.arguments[index].value] for n in nodes])

    def _scatter(self, rows: np.ndarray) -> _Scatter:
        return _Scatter(rows, self.leaf_index, self.input_set)

    def _add_chains(self) -> dict[Value, list[Value]]:
        """For each last add of a chain ((t1 + t2) + t3) + …, its terms [t1, t2, t3, …].

        An add of two Values joins the chain of its first operand when that operand is itself such an
        add, used by nothing else (not even twice here), and not the root. The joined adds are
        `fused`: the program keeps no row of values for them.
        """
        uses: dict[Value, int] = {}
        for node in self.order:
            for parent in node.parents:
                uses[parent] = uses.get(parent, 0) + 1

        def is_value_add(node) -> bool:
            return node.primitive is ADD and len(node.parents) == 2

        self.fused: set[Value] = set()
        terms: dict[Value, list[Value]] = {}
        for node in self.order:  # inputs before outputs: a chain's head is met after its links
            if not is_value_add(node):
                continue
            a, b = node.parents
            if is_value_add(a) and uses[a] == 1 and a not in self.kept:
                self.fused.add(a)
                terms[node] = terms.pop(a) + [b]
            else:
                terms[node] = [a, b]
        return {head: ts for head, ts in terms.items() if len(ts) > 2}

    def forward(self, inputs) -> np.ndarray:
        """Run the graph on m examples; `inputs` is (m × len(self.inputs)). Returns root's m values."""
        inputs = np.asarray(inputs, dtype=float)
        if inputs.ndim != 2 or inputs.shape[1] != len(self.inputs):
            raise ValueError(
                f"Program.forward: expected an array of shape (m, {len(self.inputs)}), one column per "
                f"placeholder input, got shape {inputs.shape}"
            )
        if not np.all(np.isfinite(inputs)):
            raise ValueError("Program.forward: the inputs contain NaN or infinity")
        m = inputs.shape[0]
        V = np.zeros((len(self.nodes), m))
        V[self.leaf_rows] = np.array([leaf.data for leaf in self.leaves])[:, None]
        V[self.input_rows] = inputs[:, self.input_columns].T
        self.locals = []
        with np.errstate(all="ignore"):  # checked once below, for the whole batch
            for group in self.groups:
                if isinstance(group, _SumGroup):  # np.add.reduce over a middle axis adds in order
                    V[group.out] = V[group.rows].sum(axis=1)
                    self.locals.append(())
                    continue
                result = self._run(group, V)
                V[group.out] = result[0]
                self.locals.append(result[1:])
        if not np.isfinite(V.sum()) and not np.all(np.isfinite(V)):
            self._raise_first_error(V, check_locals=False)
        self.values = V
        return V[self.row[self.root]].copy()

    def _run(self, group: _Group, V: np.ndarray) -> tuple:
        """One group's batch rule: (outputs, local derivative(s)), each (k × m) or broadcastable."""
        x = V[group.a_rows] if group.a_rows is not None else group.a_consts
        if group.prim.arity == 1:
            return group.prim.batch_rule(x) if group.param is None else group.prim.batch_rule(x, group.param)
        y = V[group.b_rows] if group.b_rows is not None else group.b_consts
        return group.prim.batch_rule(x, y)

    def backward(self, seed=1.0) -> None:
        """Backpropagate from root with d(loss)/d(root) = `seed` per example (a number or m values).

        Adds each parameter's gradient, summed over the batch, into its `.grad` (leaves accumulate, as
        in the eager engine). The placeholder inputs get no gradient.
        """
        if self.values is None:
            raise RuntimeError("Program.backward: call forward first")
        G = np.zeros_like(self.values)
        G[self.row[self.root]] = seed
        totals = np.zeros(len(self.leaves))
        for group, local in zip(reversed(self.groups), reversed(self.locals)):
            upstream = G[group.out]
            if isinstance(group, _SumGroup):  # every term's local derivative is 1
                group.scatter.add_sum(G, totals, upstream)
                continue
            if group.a_scatter is not None:
                group.a_scatter.add(G, totals, _times(local[0], upstream))
            if group.b_scatter is not None:
                group.b_scatter.add(G, totals, _times(local[1], upstream))
        if not np.all(np.isfinite(totals)):  # a local derivative overflowed where its output did not
            self._raise_first_error(self.values, check_locals=True)
        for leaf, grad in zip(self.leaves, totals.tolist()):
            leaf.grad += grad

    def value_of(self, node: Value) -> np.ndarray:
        """The m values that `node` of the traced graph took in the last forward."""
        if self.values is None:
            raise RuntimeError("Program.value_of: call forward first")
        if node in self.fused:
            raise ValueError("value_of: this node is a partial sum inside an add chain, which the program does "
                             "not keep; run the example eagerly to see it")
        return self.values[self.row[node]]

    def _raise_first_error(self, V: np.ndarray, check_locals: bool) -> None:
        """Re-run the groups in order to find the first non-finite result, and raise the error the
        scalar rule gives for that example (log of 0, overflow, ...), naming the example and node."""
        with np.errstate(all="ignore"):
            for group in self.groups:
                if isinstance(group, _SumGroup):
                    sums = V[group.rows].sum(axis=1)
                    if not np.all(np.isfinite(sums)):
                        k, example = (int(i[0]) for i in np.nonzero(~np.isfinite(sums)))
                        node = self.nodes[group.out.start + k]
                        raise OverflowError(f"a sum is too large for a float in example {example} of the batch, "
                                            f"at node {node_names(self.order)[node]}")
                    continue
                result = self._run(group, V)
                suspects = result if check_locals else result[:1]
                if all(np.all(np.isfinite(r)) for r in suspects):
                    continue
                bad = ~np.all([np.isfinite(np.broadcast_to(r, result[0].shape)) for r in suspects], axis=0)
                k, example = (int(i[0]) for i in np.nonzero(bad))
                self._raise_scalar(group, k, example, V)
        raise FloatingPointError("the batch produced a non-finite number")  # pragma: no cover

    def _raise_scalar(self, group: _Group, k: int, example: int, V: np.ndarray) -> None:
        node = self.nodes[group.out.start + k]
        x = V[group.a_rows[k], example] if group.a_rows is not None else group.a_consts[k, 0]
        if group.prim.arity == 1:
            args = (x,) if group.param is None else (x, group.param)
        else:
            args = (x, V[group.b_rows[k], example] if group.b_rows is not None else group.b_consts[k, 0])
        where = f"in example {example} of the batch, at node {node_names(self.order)[node]}"
        try:
            group.prim.rule(*(float(v) for v in args))
        except (ArithmeticError, ValueError) as err:
            raise type(err)(f"{err}\n  {where}") from None
        raise OverflowError(f"{group.prim.name}{tuple(float(v) for v in args)} is too large for a float, {where}")


def _times(local, upstream):
    """local × upstream; an add gate's local derivative is the number 1, which needs no multiply."""
    return upstream if type(local) is float and local == 1.0 else local * upstream


class _Scatter:
    """Where the contributions of one operand slot of a group go, decided once at compile time:

    - interior nodes: into their rows of the gradient array G, repeats (fan-out) added up by sorting
      once and using np.add.reduceat, much faster than np.add.at;
    - parameters (the other leaves): summed over the batch straight into a vector of leaf gradients;
    - placeholders: nowhere (a program computes no gradient for its inputs).
    """

    def __init__(self, rows: np.ndarray, leaf_index: dict[int, int], inputs: set[int],
                 chains: np.ndarray | None = None) -> None:
        self.rows = rows
        kinds = np.array([2 if r in inputs else 1 if r in leaf_index else 0 for r in rows.tolist()])
        inner = kinds == 0
        self.inner_pos = np.flatnonzero(inner)
        self.all_inner = bool(inner.all())
        inner_rows = rows[inner]
        self.unique = len(np.unique(inner_rows)) == len(inner_rows)
        if self.unique:
            self.targets = inner_rows
        else:
            self.perm = np.argsort(inner_rows, kind="stable")
            sorted_rows = inner_rows[self.perm]
            self.starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
            self.targets = sorted_rows[self.starts]
        self.leaf_pos = np.flatnonzero(kinds == 1)
        self.leaf_ids = np.array([leaf_index[r] for r in rows[self.leaf_pos].tolist()], dtype=np.intp)
        if chains is not None:  # a sum group: the term at position p takes the upstream of chain chains[p]
            self.inner_chains, self.leaf_chains = chains[self.inner_pos], chains[self.leaf_pos]

    def add(self, G: np.ndarray, leaf_grads: np.ndarray, contribution) -> None:
        if self.all_inner and self.unique:  # the common case: one plain scatter
            G[self.rows] += contribution
            return
        contribution = np.broadcast_to(contribution, (len(self.rows), G.shape[1]))
        if len(self.inner_pos):
            inner = contribution if self.all_inner else contribution[self.inner_pos]
            if self.unique:
                G[self.targets] += inner
            else:
                G[self.targets] += np.add.reduceat(inner[self.perm], self.starts, axis=0)
        if len(self.leaf_pos):
            per_leaf = contribution[self.leaf_pos].sum(axis=1)  # summed over the batch
            leaf_grads += np.bincount(self.leaf_ids, per_leaf, minlength=len(leaf_grads))

    def add_sum(self, G: np.ndarray, leaf_grads: np.ndarray, upstream: np.ndarray) -> None:
        """For a sum group, whose every local derivative is 1: each term receives its chain's upstream."""
        if len(self.inner_pos):
            inner = upstream[self.inner_chains]
            if self.unique:
                G[self.targets] += inner
            else:
                G[self.targets] += np.add.reduceat(inner[self.perm], self.starts, axis=0)
        if len(self.leaf_pos):
            per_leaf = upstream.sum(axis=1)[self.leaf_chains]  # summed over the batch
            leaf_grads += np.bincount(self.leaf_ids, per_leaf, minlength=len(leaf_grads))


def compile_graph(root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> Program:
    """Compile `root`'s graph, traced on one example, into a Program over batches of `inputs`."""
    return Program(root, inputs, outputs)
