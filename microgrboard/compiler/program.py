"""Batch compilation: run one traced scalar graph on a whole batch at once, with numpy arrays.

A graph built once for one example, with placeholder leaves for that example's inputs, becomes a
`Program` that runs it for m examples at once: every computed node gets a row of a (rows × m) array V,
one column per example. Three kinds of group compute those rows, in levels (a group's inputs are all
computed at lower levels), and backward walks the groups in reverse with the same chain rule,
"parent += local × upstream", on whole arrays:

- **linear**: the sums b + w1·x1 + w2·x2 + … of a layer's neurons, lifted into one matrix product.
  A chain of add gates whose partial sums nothing else uses is one sum; its terms that are products
  weight × x (a mul gate of a parameter and any node, used by nothing else) become a row of a weight
  matrix W, the x's shared by the layer's neurons the rows of X, so the layer is Z = W @ X + b (+ any
  other terms). Backward is the course's vectorized backprop: ∂W = ∂Z @ Xᵀ (summed over the batch),
  ∂X = Wᵀ @ ∂Z, ∂b = Σ ∂Z. The products and partial sums inside get no row (`value_of` says so).
- **sum**: any other such chain of adds, summed in one call, its terms' local derivatives all 1.
- **map**: nodes with the same primitive at the same level, one call of the primitive's `batch_rule`
  (the numpy twin, in the table, of the scalar rule the eager engine uses); its local derivatives are
  kept for backward. An activation over a layer's outputs reads them as one slice of V.

Nodes that depend on no placeholder (a weight penalty Σw², any expression of the parameters alone)
are the same for every example: their groups run first, once, on a second array U of one column, and
the few of them that per-example nodes read are copied into V; in backward, what all the examples send
them is summed before their groups run. Python's `sum` starts from 0, so an add of 0 starts a chain.

A matrix product adds its terms in another order than the eager chain's left to right, so results
equal the eager engine's to rounding (the tests hold them to 1e-12). Parameter gradients are summed
over the batch into `.grad`. Errors are found for the whole batch at once and then explained by
replaying the one example at fault through the scalar rules, so they read like the eager engine's,
with the example's index added. The traced graph stays an ordinary graph: it can be drawn and stepped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..engine.backprop import edge_overflow, node_names, topological_order
from ..engine.primitives import ADD, MUL, Primitive
from ..engine.value import Value, data_of

Index = "slice | np.ndarray"  # rows of V: a slice when they are contiguous, else an index array


def _index(rows: Sequence[int]) -> slice | np.ndarray:
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


def _view(vector: np.ndarray, ids: np.ndarray) -> np.ndarray | None:
    """vector[ids] as a view (made once: reading it reads `vector`, writing it writes `vector`) when the
    ids form a grid; None otherwise."""
    grid = _grid(ids)
    if grid is None:
        return None
    start, row_step, col_step = grid
    size = vector.itemsize
    return np.lib.stride_tricks.as_strided(vector[start:], ids.shape, (row_step * size, col_step * size))


@dataclass
class _Map:
    """Nodes with one primitive at one level. For each operand slot: `rows` of V, or a column of
    constants, or neither (no second operand). `param` is the number parameter of pow and div."""

    prim: Primitive
    out: slice
    a_rows: Index | None
    a_consts: np.ndarray | None
    b_rows: Index | None
    b_consts: np.ndarray | None
    param: float | None
    a_scatter: _Scatter | None
    b_scatter: _Scatter | None


@dataclass
class _Sum:
    """Add chains of equal length at one level: out[k] = Σⱼ V[rows[k, j]]."""

    out: slice
    rows: np.ndarray  # (chains × terms)
    scatter: _Scatter | None  # where each term's gradient goes


@dataclass
class _Linear:
    """A layer's weighted sums at one level: out = W @ V[x] (+ biases) (+ other terms).

    W[k, j] = parameters[w_ids[k, j]]; `bias_ids` (chains × r) are terms that are parameters;
    `rest` (chains × s) rows of other terms; either may have no columns.
    """

    out: slice
    w_ids: np.ndarray
    w: np.ndarray | None  # views of the weights in the parameter vector and in its gradient, when
    dw: np.ndarray | None  # they form a grid (as a layer's do): no gather, no scatter
    x: Index
    x_scatter: _Scatter | None
    bias_ids: np.ndarray
    bias: np.ndarray | None
    dbias: np.ndarray | None
    rest: np.ndarray
    rest_scatter: _Scatter | None


class Program:
    """`root`'s graph compiled for batches; `inputs` are its placeholder leaves, fed per example.

    Every other leaf (`parameters`) is read from its `.data` at each `forward`, so a program traced
    once serves a whole training run. `outputs` are more nodes to compute (e.g. a model's outputs
    that the loss reads only through their inputs), for `value_of`.
    """

    def __init__(self, root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> None:
        self.root = root
        self.inputs = list(inputs)
        not_leaves = [x for x in self.inputs if not x.is_leaf]
        if not_leaves:
            raise ValueError(f"compile: inputs must be leaves (placeholders), these are not: {not_leaves!r}")
        self.kept = set(outputs) | {root}
        self.order: list[Value] = []
        seen: set[Value] = set()
        for target in [*outputs, root]:  # each order lists inputs first, so their union does too
            fresh = [n for n in topological_order(target) if n not in seen]
            seen.update(fresh)
            self.order += fresh
        placeholders = set(self.inputs)
        self.parameters = [n for n in self.order if n.is_leaf and n not in placeholders]
        self.param_id = {leaf: i for i, leaf in enumerate(self.parameters)}
        self.theta = np.zeros(len(self.parameters))  # the parameters' values, read at each forward
        self.totals = np.zeros(len(self.parameters))  # their gradient in the last backward
        self.uniform = self._uniform(placeholders)
        self.fused: set[Value] = set()  # nodes inside a sum or a matrix product: no row of their own
        chains = self._add_chains()
        products = {head: self._products(terms) for head, terms in chains.items()}
        self.fused.update(term for found in products.values() for term in found)
        buckets = self._buckets(chains, products)
        # Two arrays of rows. V (rows × m) for what differs by example: the placeholders (in input order),
        # the parameters that per-example groups read, the uniform values they read, then each group's
        # outputs side by side, so a group writes (and backward reads) one slice. U (rows × 1) likewise
        # for the uniform groups, computed once for the whole batch.
        used_inputs = [x for x in self.inputs if x in seen]  # an input the graph ignores is fine
        per_example = {key: nodes for key, nodes in buckets.items() if not key[-1]}
        uniform = {key: nodes for key, nodes in buckets.items() if key[-1]}
        read_v, read_u = self._parameters_read_from_rows(chains, buckets)
        needed = {t for nodes in per_example.values() for n in nodes for t in self._terms(n, chains)} | self.kept
        crossing = [n for nodes in uniform.values() for n in nodes if n in needed]  # computed in U, read in V
        v_nodes = used_inputs + read_v + crossing + [n for nodes in per_example.values() for n in nodes]
        u_nodes = read_u + [n for nodes in uniform.values() for n in nodes]
        self.row = {node: i for i, node in enumerate(v_nodes)}
        self.urow = {node: i for i, node in enumerate(u_nodes)}
        self.n_inputs = len(used_inputs)
        self.input_columns = np.array([self.inputs.index(x) for x in used_inputs], dtype=np.intp)
        self.input_rows = _index(range(self.n_inputs))
        self.read_v = (_index([self.row[p] for p in read_v]), np.array([self.param_id[p] for p in read_v], int))
        self.read_u = (_index([self.urow[p] for p in read_u]), np.array([self.param_id[p] for p in read_u], int))
        self.crossing = (_index([self.row[n] for n in crossing]), _index([self.urow[n] for n in crossing]))
        self.groups = [self._group(key, nodes, chains, self.urow) for key, nodes in uniform.items()]
        self.n_uniform = len(self.groups)  # they come first
        self.groups += [self._group(key, nodes, chains, self.row) for key, nodes in per_example.items()]
        self.values: np.ndarray | None = None  # V, (rows × m), after forward (kept and reused)
        self.uniform_values = np.zeros((len(self.urow), 1))  # U
        self.uniform_grads = np.zeros_like(self.uniform_values)
        self.ready = False  # whether a forward has completed
        self.locals: list[tuple] = []
        self.batch: np.ndarray | None = None  # the inputs of the last forward, for error replays

    # --- compiling ----------------------------------------------------------------------------------

    def _add_chains(self) -> dict[Value, list[Value]]:
        """For each last add of a chain ((t1 + t2) + t3) + …, its terms [t1, t2, t3, …].

        An add of two Values joins the chain of its first operand when that operand is itself such an
        add, used by nothing else (not even twice here), and not kept. The joined adds are `fused`.
        An add of 0 (Python's `sum` starts from 0) is a chain of one term, t1 = 0 + t1, so that
        `sum(w * x for …)` is one sum too.
        """
        self.uses: dict[Value, int] = {}
        for node in self.order:
            for parent in node.parents:
                self.uses[parent] = self.uses.get(parent, 0) + 1
        terms: dict[Value, list[Value]] = {}
        for node in self.order:  # inputs before outputs: a chain's head is met after its links
            if node.primitive is not ADD:
                continue
            if len(node.parents) == 1:
                if 0.0 in node.operands:
                    terms[node] = list(node.parents)
                continue
            a, b = node.parents
            if a in terms and self.uses[a] == 1 and a not in self.kept:
                self.fused.add(a)
                terms[node] = terms.pop(a) + [b]
            else:
                terms[node] = [a, b]
        return terms

    def _uniform(self, placeholders: set[Value]) -> set[Value]:
        """The nodes that depend on no placeholder: the same for every example, so computed once."""
        uniform: set[Value] = set()
        for node in self.order:
            if (node.is_leaf and node not in placeholders) or (not node.is_leaf and all(
                    p in uniform for p in node.parents)):
                uniform.add(node)
        return uniform

    def _terms(self, node: Value, chains: dict) -> tuple:
        """What a group's node reads from V: its xs and other terms, its chain's terms, or its parents."""
        if node in self.layout:
            _, xs, _, rest = self.layout[node]
            return (*xs, *rest)
        return tuple(chains.get(node, node.parents))

    def _products(self, terms: list[Value]) -> dict[Value, tuple[Value, Value]]:
        """The terms that are weight × x: a mul of a parameter and a Value that only this chain uses."""
        found = {}
        for term in terms:
            if term.primitive is MUL and len(term.parents) == 2 and self.uses[term] == 1 and term not in self.kept:
                a, b = term.parents
                if a in self.param_id or b in self.param_id:
                    found[term] = (a, b) if a in self.param_id else (b, a)
        return found

    def _buckets(self, chains: dict, products: dict) -> dict[tuple, list[Value]]:
        """Every computed node in a group, keyed by its level (1 + its deepest input's) and its kind."""
        position = {node: i for i, node in enumerate(self.order)}
        level: dict[Value, int] = {}
        buckets: dict[tuple, list[Value]] = {}
        self.layout: dict[Value, tuple] = {}  # a linear chain's (weights, xs, biases, rest)
        for node in self.order:
            if node.is_leaf:
                level[node] = 0
                continue
            if node in self.fused:
                continue
            if node in chains and products[node]:
                found = products[node]
                pairs = sorted(found.values(), key=lambda wx: position[wx[1]])
                biases = [t for t in chains[node] if t not in found and t in self.param_id]
                rest = [t for t in chains[node] if t not in found and t not in self.param_id]
                xs = tuple(x for _, x in pairs)
                self.layout[node] = ([w for w, _ in pairs], xs, biases, rest)
                level[node] = 1 + max(level[t] for t in (*xs, *rest))
                key = (level[node], "linear", xs, len(biases), len(rest), node in self.uniform)
            elif node in chains:
                level[node] = 1 + max(level[t] for t in chains[node])
                key = (level[node], "sum", len(chains[node]), node in self.uniform)
            else:
                level[node] = 1 + max(level[p] for p in node.parents)
                args = node.arguments
                a_kind, b_kind = args[0].kind, args[1].kind if len(args) > 1 else "none"
                param = args[1].value if b_kind == "parameter" else None
                key = (level[node], "map", node.primitive.name, a_kind, b_kind, param, node in self.uniform)
            buckets.setdefault(key, []).append(node)
        # the uniform groups first (they read only parameters and each other), then by level
        return dict(sorted(buckets.items(), key=lambda kv: (not kv[0][-1], kv[0][0])))

    def _parameters_read_from_rows(self, chains: dict, buckets: dict) -> tuple[list[Value], list[Value]]:
        """Parameters that some group reads from a row (a map's operand, a sum's term, a product's x):
        those per-example groups read (and kept ones), for V; those uniform groups read, for U. Weights
        and biases of linear groups are read from the parameter vector instead."""
        read_v = {p for p in self.kept if p in self.param_id}
        read_u = set()
        for key, nodes in buckets.items():
            read = read_u if key[-1] else read_v
            for node in nodes:
                read.update(t for t in self._terms(node, chains) if t in self.param_id)
        return [p for p in self.parameters if p in read_v], [p for p in self.parameters if p in read_u]

    def _group(self, key: tuple, nodes: list[Value], chains: dict, row: dict[Value, int]):
        """The group of `nodes` (one bucket), its rows looked up in `row` (V's or U's)."""
        start = row[nodes[0]]
        out = slice(start, start + len(nodes))
        scatter = _Scatter.maker(row, self.param_id, self.n_inputs if row is self.row else 0)
        if key[1] == "linear":
            layouts = [self.layout[n] for n in nodes]
            w_ids = np.array([[self.param_id[w] for w in lay[0]] for lay in layouts], dtype=np.intp)
            biases = np.array([[self.param_id[b] for b in lay[2]] for lay in layouts], dtype=np.intp)
            xs = np.array([row[x] for x in layouts[0][1]], dtype=np.intp)
            rest = np.array([[row[t] for t in lay[3]] for lay in layouts], dtype=np.intp).reshape(len(nodes), -1)
            chain_of_term = np.repeat(np.arange(len(nodes)), rest.shape[1])
            w_ids, biases = w_ids.reshape(len(nodes), -1), biases.reshape(len(nodes), -1)
            theta, totals = self.theta, self.totals
            return _Linear(out, w_ids, _view(theta, w_ids), _view(totals, w_ids), _index(xs), scatter(xs),
                           biases, _view(theta, biases), _view(totals, biases),
                           rest, scatter(rest.ravel(), chain_of_term) if rest.size else None)
        if key[1] == "sum":
            rows = np.array([[row[t] for t in chains[n]] for n in nodes], dtype=np.intp)
            return _Sum(out, rows, scatter(rows.ravel(), np.repeat(np.arange(len(nodes)), rows.shape[1])))
        a_kind, b_kind, param = key[3:6]
        a_rows = np.array([row[n.arguments[0].value] for n in nodes], dtype=np.intp) if a_kind == "parent" else None
        b_rows = np.array([row[n.arguments[1].value] for n in nodes], dtype=np.intp) if b_kind == "parent" else None
        return _Map(
            nodes[0].primitive, out,
            None if a_rows is None else _index(a_rows), None if a_rows is not None else self._constants(nodes, 0),
            None if b_rows is None else _index(b_rows), self._constants(nodes, 1) if b_kind == "constant" else None,
            param, None if a_rows is None else scatter(a_rows), None if b_rows is None else scatter(b_rows),
        )

    @staticmethod
    def _constants(nodes: list[Value], index: int) -> np.ndarray:
        """Argument `index` (a folded number) of each node, as a column."""
        return np.array([[n.arguments[index].value] for n in nodes])

    # --- running ------------------------------------------------------------------------------------

    def forward(self, inputs) -> np.ndarray:
        """Run the graph on m examples; `inputs` is (m × len(self.inputs)). Returns root's m values."""
        inputs = np.asarray(inputs, dtype=float)
        if inputs.ndim != 2 or inputs.shape[1] != len(self.inputs):
            raise ValueError(
                f"Program.forward: expected an array of shape (m, {len(self.inputs)}), one column per "
                f"placeholder input, got shape {inputs.shape}"
            )
        with np.errstate(all="ignore"):  # numbers are checked for the whole batch at once
            if not np.isfinite(inputs.sum()) and not np.all(np.isfinite(inputs)):
                raise ValueError("Program.forward: the inputs contain NaN or infinity")
            self.batch, self.ready = inputs, False
            theta = self.theta
            theta[:] = data_of(self.parameters)  # finite floats: `.data` takes nothing else
            U = self.uniform_values
            U[self.read_u[0], 0] = theta[self.read_u[1]]
            if self.values is None or self.values.shape[1] != inputs.shape[0]:  # else reuse: no page faults
                self.values = np.empty((len(self.row), inputs.shape[0]))
                self.grads = np.empty_like(self.values)
            V = self.values
            V[self.input_rows] = inputs[:, self.input_columns].T
            V[self.read_v[0]] = theta[self.read_v[1], None]
            self.locals = [group_forward(group, U, theta) for group in self.groups[:self.n_uniform]]
            V[self.crossing[0]] = U[self.crossing[1]]  # the uniform values that every example reads
            self.locals += [group_forward(group, V, theta) for group in self.groups[self.n_uniform:]]
            finite = np.isfinite(V.sum() + U.sum()) or (np.all(np.isfinite(V)) and np.all(np.isfinite(U)))
        if not finite:
            bad = np.nonzero(~np.all(np.isfinite(V), axis=0))[0]
            example = int(bad[0]) if len(bad) else 0
            self._explain(example, seed=None)
            raise OverflowError(f"a sum is too large for a float in example {example} of the batch")
        self.ready = True
        return V[self.row[self.root]].copy()

    def backward(self, seed=1.0) -> np.ndarray:
        """Backpropagate from root with d(loss)/d(root) = `seed` per example (a number or m values).

        Adds each parameter's gradient, summed over the batch, into its `.grad` (leaves accumulate, as
        in the eager engine), and returns those gradients, one per entry of `parameters`; the
        placeholder inputs get none. If any gradient would not be finite, raises OverflowError naming
        the edge and the example, and changes no `.grad`.
        """
        if not self.ready:
            raise RuntimeError("Program.backward: call forward first")
        if not (type(seed) is float and seed - seed == 0.0) and not np.all(np.isfinite(seed)):
            raise ValueError(f"Program.backward: the seed d(loss)/d(root) must be finite, got {seed!r}")
        G, GU = self.grads, self.uniform_grads
        G.fill(0.0)
        GU.fill(0.0)
        G[self.row[self.root]] = seed
        totals = self.totals
        totals[:] = 0.0
        pairs, u = list(zip(self.groups, self.locals)), self.n_uniform
        with np.errstate(all="ignore"):
            for group, local in reversed(pairs[u:]):
                group_backward(group, local, G, totals)
            GU[self.crossing[1], 0] += G[self.crossing[0]].sum(axis=1)  # what all examples send to a uniform node
            for group, local in reversed(pairs[:u]):
                group_backward(group, local, GU, totals)
            before = [leaf.grad for leaf in self.parameters]
            grads = np.array(before) + totals if any(before) else totals  # after zero_grad, no adding
            finite = np.isfinite(grads.sum()) or np.all(np.isfinite(grads))
        if not finite:
            self._explain_backward(seed, G, totals, grads)
        for leaf, grad in zip(self.parameters, grads.tolist()):
            leaf.grad = grad
        return totals.copy()

    def value_of(self, node: Value) -> np.ndarray:
        """The m values that `node` of the traced graph took in the last forward."""
        if not self.ready:
            raise RuntimeError("Program.value_of: call forward first")
        if node in self.fused:
            raise ValueError("value_of: this node is inside a sum or a matrix product, which the program does "
                             "not keep; run the example eagerly to see it")
        if node in self.row:
            return self.values[self.row[node]]
        m = self.values.shape[1]
        if node in self.urow:  # computed once for the whole batch
            return np.full(m, self.uniform_values[self.urow[node], 0])
        return np.full(m, node.data)  # a weight or bias, read from the parameter vector

    # --- errors: found for the whole batch, explained by replaying one example ----------------------

    def _explain(self, example: int, seed) -> None:
        """Replay `example` through the scalar rules, as the eager engine would run it, and raise the
        error the eager engine gives (forward, then backward from `seed` if given), naming the example."""
        names = node_names(self.order)
        where = f"in example {example} of the batch"
        data = dict(zip(self.inputs, self.batch[example].tolist()))
        local: dict[Value, list[float]] = {}
        for node in self.order:
            if node in data:
                continue
            if node.is_leaf:
                data[node] = node.data
                continue
            args = [data[arg.value] if arg.kind == "parent" else arg.value for arg in node.arguments]
            try:
                out, *local[node] = node.primitive.rule(*args)
            except (ArithmeticError, ValueError) as err:
                raise type(err)(f"{err}\n  {where}, at node {names[node]}") from None
            if not math.isfinite(out):
                raise OverflowError(f"{node.op}{tuple(args)} is too large for a float, {where}, at node {names[node]}")
            data[node] = out
        if seed is None:
            return
        grads = dict.fromkeys(self.order, 0.0)
        grads[self.root] = float(np.broadcast_to(seed, self.batch.shape[:1])[example])
        for node in reversed(self.order):
            for parent, _, argument, _ in node.edges:
                d = local[node][argument]
                total = grads[parent] + d * grads[node]
                if not math.isfinite(total):
                    error = edge_overflow(names[node], names[parent], node.op, d, grads[node], grads[parent])
                    raise OverflowError(f"{error}, {where}")
                grads[parent] = total

    def _explain_backward(self, seed, G: np.ndarray, totals: np.ndarray, grads: np.ndarray) -> None:
        """A gradient is not finite: blame one example's edge if one overflows on its own, else the sum
        over the batch of a parameter's gradient."""
        # Replay the examples whose interior gradients are not finite, else the few with the largest
        # numbers (a parameter's gradient is summed over the batch at once, so G does not show which).
        suspects = np.nonzero(~np.all(np.isfinite(G), axis=0))[0].tolist()
        with np.errstate(invalid="ignore"):
            size = np.nan_to_num(np.abs(self.values).max(axis=0) + np.abs(G).max(axis=0), nan=np.inf)
        for example in suspects or np.argsort(-size, kind="stable")[:10].tolist():
            self._explain(example, seed)
        names = node_names(self.order)
        leaf = self.parameters[int(np.nonzero(~np.isfinite(grads))[0][0])]
        raise OverflowError(
            f"backward: the gradient of {names[leaf]} summed over the batch ({leaf.grad:.6g} before, plus "
            f"{totals[self.param_id[leaf]]:.6g}) is too large for a float; scale the loss or the inputs down")


def group_forward(group, V: np.ndarray, theta: np.ndarray) -> tuple:
    """Compute one group's rows of V; returns what its backward needs (the local derivatives)."""
    if type(group) is _Linear:
        W = group.w if group.w is not None else theta[group.w_ids]
        X = V[group.x]
        Z = np.matmul(W, X, out=V[group.out])
        if group.bias_ids.shape[1]:
            bias = group.bias if group.bias is not None else theta[group.bias_ids]
            Z += bias if bias.shape[1] == 1 else bias.sum(axis=1, keepdims=True)
        if group.rest.size:
            Z += V[group.rest].sum(axis=1)
        return W, X
    if type(group) is _Sum:  # np.add.reduce over a middle axis adds in order
        V[group.out] = V[group.rows].sum(axis=1)
        return ()
    x = V[group.a_rows] if group.a_rows is not None else group.a_consts
    if group.prim.arity == 1:
        result = group.prim.batch_rule(x) if group.param is None else group.prim.batch_rule(x, group.param)
    else:
        result = group.prim.batch_rule(x, V[group.b_rows] if group.b_rows is not None else group.b_consts)
    V[group.out] = result[0]
    return result[1:]


def group_backward(group, local: tuple, G: np.ndarray, totals: np.ndarray) -> None:
    """Add one group's contributions, local × upstream, into G (interior rows) and totals (parameters)."""
    upstream = G[group.out]
    if type(group) is _Linear:
        W, X = local
        dW = np.dot(upstream, X.T)  # ∂W = ∂Z Xᵀ, summed over the batch (np.dot: matmul skips BLAS here)
        _add_into(totals, group.w_ids, group.dw, dW)
        if group.x_scatter is not None:
            group.x_scatter.add(G, totals, W.T @ upstream)  # ∂X = Wᵀ ∂Z
        if group.bias_ids.shape[1]:  # a bias term's local derivative is 1
            db = upstream.sum(axis=1, keepdims=True)
            if group.bias_ids.shape[1] > 1:
                db = db.repeat(group.bias_ids.shape[1], axis=1)
            _add_into(totals, group.bias_ids, group.dbias, db)
        if group.rest_scatter is not None:
            group.rest_scatter.add_sum(G, totals, upstream)
    elif type(group) is _Sum:  # every term's local derivative is 1
        if group.scatter is not None:
            group.scatter.add_sum(G, totals, upstream)
    else:
        if group.a_scatter is not None:
            group.a_scatter.add(G, totals, _times(local[0], upstream))
        if group.b_scatter is not None:
            group.b_scatter.add(G, totals, _times(local[1], upstream))


def _add_into(vector: np.ndarray, ids: np.ndarray, view: np.ndarray | None, values: np.ndarray) -> None:
    """vector[ids] += values (`view` is vector[ids] as a view, if they form a grid), repeats included."""
    if view is not None:
        view += values  # distinct entries: add in place
    else:
        vector += np.bincount(ids.ravel(), values.ravel(), minlength=len(vector))


def _times(local, upstream):
    """local × upstream; an add gate's local derivative is the number 1, which needs no multiply."""
    return upstream if type(local) is float and local == 1.0 else local * upstream


class _Scatter:
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
        if self.unique:
            self.targets = _index(inner_rows.tolist())
        else:
            self.perm = np.argsort(inner_rows, kind="stable")
            sorted_rows = inner_rows[self.perm]
            self.starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
            self.targets = sorted_rows[self.starts]
        self.leaf_pos = np.flatnonzero(kinds == 1)
        self.leaf_ids = np.array([param_of_row[r] for r in rows[self.leaf_pos].tolist()], dtype=np.intp)
        if chains is not None:  # a sum group: the term at position p takes the upstream of chain chains[p]
            self.inner_chains, self.leaf_chains = chains[self.inner_pos], chains[self.leaf_pos]

    @staticmethod
    def maker(row: dict[Value, int], param_id: dict[Value, int], n_inputs: int):
        """A function rows → _Scatter (None when the rows lead nowhere) for one array's row numbers."""
        param_of_row = {row[p]: i for p, i in param_id.items() if p in row}

        def scatter(rows: np.ndarray, chains: np.ndarray | None = None) -> _Scatter | None:
            return None if np.all(rows < n_inputs) else _Scatter(rows, param_of_row, n_inputs, chains)

        return scatter

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


def compile_graph(root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> Program:
    """Compile `root`'s graph, traced on one example, into a Program over batches of `inputs`."""
    return Program(root, inputs, outputs)
