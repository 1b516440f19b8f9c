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
replaying the one example at fault through the eager engine, so they read like the eager engine's,
with the example's index added. The traced graph stays an ordinary graph: it can be drawn and stepped.

The compiler's files: `plan.py` decides the groups and the rows (the planning pass, nothing computed),
`rows.py` holds the row bookkeeping and the gradient scatters, `groups.py` the three kinds of group,
each with its forward and backward, `replay.py` the replay of one example; this file runs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ..engine.backprop import node_names
from ..engine.notation import number_text
from ..engine.value import Value, data_of, grads_of, set_grads
from .groups import Group, Linear, build_group
from .plan import make_plan
from .replay import replay
from .rows import Index, Layout, index

_Linear = Linear  # the name tests/test_compile.py looks for


class ParameterRows(NamedTuple):
    """Parameters copied into rows at each forward: rows[k] of the array takes theta[ids[k]]."""

    rows: Index
    ids: np.ndarray


class CrossingRows(NamedTuple):
    """Uniform nodes read per example: computed in U's rows `u`, copied into V's rows `v`."""

    v: Index
    u: Index


class Program:
    """`root`'s graph compiled for batches; `inputs` are its placeholder leaves, fed per example.

    Every other leaf (`parameters`) is read from its `.data` at each `forward`, so a program traced
    once serves a whole training run. `outputs` are more nodes to compute (e.g. a model's outputs
    that the loss reads only through their inputs), for `value_of`.
    """

    def __init__(self, root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> None:
        self.root = root
        self.inputs = list(inputs)
        self.plan = plan = make_plan(root, self.inputs, outputs)
        self.kept, self.order, self.fused, self.uniform = plan.kept, plan.order, plan.fused, plan.uniform
        self.parameters, self.param_id = plan.parameters, plan.param_id
        self.theta = np.zeros(len(self.parameters))  # the parameters' values, read at each forward
        self.totals = np.zeros(len(self.parameters))  # their gradient in the last backward
        rows = plan.rows
        self.row = {node: i for i, node in enumerate(rows.v_nodes)}
        self.urow = {node: i for i, node in enumerate(rows.u_nodes)}
        self.n_inputs = len(plan.used_inputs)
        self.input_columns = np.array([self.inputs.index(x) for x in plan.used_inputs], dtype=np.intp)
        self.input_rows = index(range(self.n_inputs))
        self.read_v = ParameterRows(index([self.row[p] for p in rows.read_v]), self._ids(rows.read_v))
        self.read_u = ParameterRows(index([self.urow[p] for p in rows.read_u]), self._ids(rows.read_u))
        self.crossing = CrossingRows(index([self.row[n] for n in rows.crossing]),
                                     index([self.urow[n] for n in rows.crossing]))
        in_v = Layout(self.row, self.param_id, self.n_inputs, self.theta, self.totals)
        in_u = Layout(self.urow, self.param_id, 0, self.theta, self.totals)
        self.uniform_groups: list[Group] = [build_group(b, plan, in_u) for b in plan.buckets if b.uniform]
        self.example_groups: list[Group] = [build_group(b, plan, in_v) for b in plan.buckets if not b.uniform]
        self.groups = self.uniform_groups + self.example_groups
        self.n_uniform = len(self.uniform_groups)  # they come first
        self.values: np.ndarray | None = None  # V, (rows × m), after forward (kept and reused)
        self.grads: np.ndarray | None = None  # its gradients, in backward
        self.uniform_values = np.zeros((len(self.urow), 1))  # U
        self.uniform_grads = np.zeros_like(self.uniform_values)
        self.ready = False  # whether a forward has completed
        self.locals: list[tuple] = []  # what each group's backward needs, from the last forward
        self.batch: np.ndarray | None = None  # the inputs of the last forward, for error replays

    def _ids(self, parameters: list[Value]) -> np.ndarray:
        return np.array([self.param_id[p] for p in parameters], dtype=int)

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
            U[self.read_u.rows, 0] = theta[self.read_u.ids]
            if self.values is None or self.values.shape[1] != inputs.shape[0]:  # else reuse: no page faults
                self.values = np.empty((len(self.row), inputs.shape[0]))
                self.grads = np.empty_like(self.values)
            V = self.values
            V[self.input_rows] = inputs[:, self.input_columns].T
            V[self.read_v.rows] = theta[self.read_v.ids, None]
            self.locals = [group.forward(U, theta) for group in self.uniform_groups]
            V[self.crossing.v] = U[self.crossing.u]  # the uniform values that every example reads
            self.locals += [group.forward(V, theta) for group in self.example_groups]
            finite = np.isfinite(V.sum() + U.sum()) or (np.all(np.isfinite(V)) and np.all(np.isfinite(U)))
        if not finite:
            bad = np.nonzero(~np.all(np.isfinite(V), axis=0))[0]
            example = int(bad[0]) if len(bad) else 0
            self._replay(example)
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
        u = self.n_uniform
        with np.errstate(all="ignore"):
            for group, local in zip(reversed(self.example_groups), reversed(self.locals[u:])):
                group.backward(local, G, totals)
            GU[self.crossing.u, 0] += G[self.crossing.v].sum(axis=1)  # what all examples send to a uniform node
            for group, local in zip(reversed(self.uniform_groups), reversed(self.locals[:u])):
                group.backward(local, GU, totals)
            before = grads_of(self.parameters)
            grads = np.array(before) + totals if any(before) else totals  # after zero_grad, no adding
            finite = np.isfinite(grads.sum()) or np.all(np.isfinite(grads))
        if not finite:
            self._explain_backward(seed, G, totals, grads)
        set_grads(self.parameters, grads)  # checked finite above: one store per parameter
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

    def _replay(self, example: int, seed=None) -> None:
        """Run `example` through the eager engine (forward, then backward from `seed` if given) and raise
        the error it raises, naming the example."""
        numbers = self.batch[example].tolist()
        if seed is None:
            replay(self.order, self.inputs, numbers, example)
        else:
            seed = float(np.broadcast_to(seed, self.batch.shape[:1])[example])
            replay(self.order, self.inputs, numbers, example, self.root, seed)

    def _explain_backward(self, seed, G: np.ndarray, totals: np.ndarray, grads: np.ndarray) -> None:
        """A gradient is not finite: blame one example's edge if one overflows on its own, else the sum
        over the batch of a parameter's gradient."""
        # Replay the examples whose interior gradients are not finite, else the few with the largest
        # numbers (a parameter's gradient is summed over the batch at once, so G does not show which).
        suspects = np.nonzero(~np.all(np.isfinite(G), axis=0))[0].tolist()
        with np.errstate(invalid="ignore"):
            size = np.nan_to_num(np.abs(self.values).max(axis=0) + np.abs(G).max(axis=0), nan=np.inf)
        for example in suspects or np.argsort(-size, kind="stable")[:10].tolist():
            self._replay(example, seed)
        names = node_names(self.order)
        leaf = self.parameters[int(np.nonzero(~np.isfinite(grads))[0][0])]
        raise OverflowError(
            f"backward: the gradient of {names[leaf]} summed over the batch ({number_text(leaf.grad, 6)} before, plus "
            f"{number_text(totals[self.param_id[leaf]], 6)}) is too large for a float; scale the loss or the "
            f"inputs down")


def compile_graph(root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> Program:
    """Compile `root`'s graph, traced on one example, into a Program over batches of `inputs`."""
    return Program(root, inputs, outputs)
