"""The three kinds of group a program runs, each with its forward and its backward on whole arrays.

A group computes the nodes of one bucket of the plan, side by side in one slice `out` of the values
V (rows × m, one column per example). `forward(V, theta)` writes those rows and returns what its
backward needs (the local derivatives); `backward(local, G, totals)` adds, with the chain rule
"parent += local × upstream", each operand's contribution into the gradient rows G (interior nodes)
and into `totals` (the parameters' gradients, summed over the batch).

- `Linear`: a layer's weighted sums as one matrix product, Z = W @ X + b (+ other terms); backward is
  the course's vectorized backprop, ∂W = ∂Z Xᵀ (summed over the batch), ∂X = Wᵀ ∂Z, ∂b = Σ ∂Z;
- `Sum`: add chains of one length summed in one call, every term's local derivative 1;
- `Map`: nodes of one primitive, one call of its `batch_rule` (the numpy twin of the scalar rule the
  eager engine uses), whose local derivatives are kept for backward.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np

from ..engine.primitives import Primitive
from ..engine.value import Value
from .plan import Bucket, LinearShape, MapShape, Plan, SumShape
from .rows import Index, Layout, Scatter, add_into, index, view


class Group(ABC):
    """Nodes of one bucket, computed together in rows `out` of V (or of U, for a uniform bucket)."""

    out: slice

    @abstractmethod
    def forward(self, V: np.ndarray, theta: np.ndarray) -> tuple:
        """Compute this group's rows of V (`theta`: the parameters); return the local derivatives."""

    @abstractmethod
    def backward(self, local: tuple, G: np.ndarray, totals: np.ndarray) -> None:
        """Add local × upstream (upstream: G's rows `out`) into G's interior rows and into `totals`."""


def _out(nodes: list[Value], layout: Layout) -> slice:
    """The rows of a group's nodes, which the plan lays out side by side."""
    start = layout.row[nodes[0]]
    return slice(start, start + len(nodes))


@dataclass
class Linear(Group):
    """A layer's weighted sums at one level: out = W @ V[x] (+ biases) (+ other terms).

    W[k, j] = parameters[w_ids[k, j]]; `bias_ids` (chains × r) are terms that are parameters;
    `rest` (chains × s) rows of other terms; either may have no columns.
    """

    out: slice
    w_ids: np.ndarray
    w: np.ndarray | None  # views of the weights in the parameter vector and in its gradient, when
    dw: np.ndarray | None  # they form a grid (as a layer's do): no gather, no scatter
    x: Index
    x_scatter: Scatter | None
    bias_ids: np.ndarray
    bias: np.ndarray | None  # views, likewise, of the biases
    dbias: np.ndarray | None
    rest: np.ndarray
    rest_scatter: Scatter | None

    @classmethod
    def build(cls, bucket: Bucket, plan: Plan, layout: Layout) -> Linear:
        nodes = bucket.nodes
        sums = [plan.weighted[n] for n in nodes]
        n = len(nodes)
        w_ids = np.array([layout.ids(s.weights) for s in sums], dtype=np.intp).reshape(n, -1)
        bias_ids = np.array([layout.ids(s.biases) for s in sums], dtype=np.intp).reshape(n, -1)
        xs = layout.rows(sums[0].xs)
        rest = np.array([layout.rows(s.rest) for s in sums], dtype=np.intp).reshape(n, -1)
        chain_of_term = np.repeat(np.arange(n), rest.shape[1])
        return cls(_out(nodes, layout), w_ids, view(layout.theta, w_ids), view(layout.totals, w_ids),
                   index(xs), layout.scatter(xs), bias_ids, view(layout.theta, bias_ids),
                   view(layout.totals, bias_ids), rest,
                   layout.scatter(rest.ravel(), chain_of_term) if rest.size else None)

    def forward(self, V: np.ndarray, theta: np.ndarray) -> tuple:
        W = self.w if self.w is not None else theta[self.w_ids]
        X = V[self.x]
        Z = np.matmul(W, X, out=V[self.out])
        if self.bias_ids.shape[1]:
            bias = self.bias if self.bias is not None else theta[self.bias_ids]
            Z += bias if bias.shape[1] == 1 else bias.sum(axis=1, keepdims=True)
        if self.rest.size:
            Z += V[self.rest].sum(axis=1)
        return W, X

    def backward(self, local: tuple, G: np.ndarray, totals: np.ndarray) -> None:
        upstream = G[self.out]
        W, X = local
        dW = np.dot(upstream, X.T)  # ∂W = ∂Z Xᵀ, summed over the batch (np.dot: matmul skips BLAS here)
        add_into(totals, self.w_ids, self.dw, dW)
        if self.x_scatter is not None:
            self.x_scatter.add(G, totals, W.T @ upstream)  # ∂X = Wᵀ ∂Z
        if self.bias_ids.shape[1]:  # a bias term's local derivative is 1
            db = upstream.sum(axis=1, keepdims=True)
            if self.bias_ids.shape[1] > 1:
                db = db.repeat(self.bias_ids.shape[1], axis=1)
            add_into(totals, self.bias_ids, self.dbias, db)
        if self.rest_scatter is not None:
            self.rest_scatter.add_sum(G, totals, upstream)


@dataclass
class Sum(Group):
    """Add chains of equal length at one level: out[k] = Σⱼ V[rows[k, j]]."""

    out: slice
    rows: np.ndarray  # (chains × terms)
    scatter: Scatter | None  # where each term's gradient goes

    @classmethod
    def build(cls, bucket: Bucket, plan: Plan, layout: Layout) -> Sum:
        nodes = bucket.nodes
        rows = np.array([layout.rows(plan.chains[n]) for n in nodes], dtype=np.intp)
        return cls(_out(nodes, layout), rows,
                   layout.scatter(rows.ravel(), np.repeat(np.arange(len(nodes)), rows.shape[1])))

    def forward(self, V: np.ndarray, theta: np.ndarray) -> tuple:
        V[self.out] = V[self.rows].sum(axis=1)  # np.add.reduce over a middle axis adds in order
        return ()

    def backward(self, local: tuple, G: np.ndarray, totals: np.ndarray) -> None:
        if self.scatter is not None:  # every term's local derivative is 1
            self.scatter.add_sum(G, totals, G[self.out])


@dataclass
class Operand:
    """One operand slot of a map: its rows of V, or a column of the constants folded into the gates."""

    rows: Index | None
    constants: np.ndarray | None
    scatter: Scatter | None  # where its gradients go (None: nowhere, e.g. constants or placeholders)

    def read(self, V: np.ndarray) -> np.ndarray:
        return V[self.rows] if self.rows is not None else self.constants


@dataclass
class Map(Group):
    """Nodes with one primitive at one level, all arguments of the same kinds: operand `a`, then `b`
    for a two-input primitive (else None); `param` is the number parameter of pow and div."""

    prim: Primitive
    out: slice
    a: Operand
    b: Operand | None
    param: float | None

    @classmethod
    def build(cls, bucket: Bucket, plan: Plan, layout: Layout) -> Map:
        nodes, shape = bucket.nodes, bucket.shape
        b = None if shape.b_kind in ("none", "parameter") else _operand(nodes, 1, shape.b_kind, layout)
        return cls(nodes[0].primitive, _out(nodes, layout), _operand(nodes, 0, shape.a_kind, layout), b, shape.param)

    def forward(self, V: np.ndarray, theta: np.ndarray) -> tuple:
        x = self.a.read(V)
        if self.b is not None:
            result = self.prim.batch_rule(x, self.b.read(V))
        else:
            result = self.prim.batch_rule(x) if self.param is None else self.prim.batch_rule(x, self.param)
        V[self.out] = result[0]
        return result[1:]

    def backward(self, local: tuple, G: np.ndarray, totals: np.ndarray) -> None:
        upstream = G[self.out]
        if self.a.scatter is not None:
            self.a.scatter.add(G, totals, _times(local[0], upstream))
        if self.b is not None and self.b.scatter is not None:
            self.b.scatter.add(G, totals, _times(local[1], upstream))


def _operand(nodes: list[Value], argument: int, kind: str, layout: Layout) -> Operand:
    """Argument `argument` of every node: rows of V for parents, else a column of the numbers."""
    if kind == "parent":
        rows = layout.rows([n.arguments[argument].value for n in nodes])
        return Operand(index(rows), None, layout.scatter(rows))
    return Operand(None, np.array([[n.arguments[argument].value] for n in nodes]), None)


def _times(local, upstream):
    """local × upstream; an add gate's local derivative is the number 1, which needs no multiply."""
    return upstream if type(local) is float and local == 1.0 else local * upstream


KINDS: dict[type, type[Group]] = {LinearShape: Linear, SumShape: Sum, MapShape: Map}  # which group computes a shape


def build_group(bucket: Bucket, plan: Plan, layout: Layout) -> Group:
    """The group that computes `bucket`, its rows looked up in `layout` (V's or U's)."""
    return KINDS[type(bucket.shape)].build(bucket, plan, layout)
