"""The planning pass: which nodes of a traced graph are computed together, and in which order.

`make_plan` reads the graph (nothing is computed) and returns a `Plan`, named fields only:

- the nodes in topological order, the parameters (every leaf that is not a placeholder) and the
  uniform nodes (those that depend on no placeholder: the same for every example);
- the add chains ((t1 + t2) + t3) + … whose partial sums nothing else uses, each one sum, and among
  their terms the products weight × x that make the chain a layer's weighted sum (`WeightedSum`);
  the partial sums and those products are `fused`: they get no row of their own;
- the buckets: every other computed node, grouped with the nodes of the same kind and shape at the
  same level (1 + its deepest input's), the uniform buckets first, then level by level; a bucket's
  `shape` (`LinearShape`, `SumShape`, `MapShape`) says which kind of group computes it;
- `Rows`: what the two arrays hold, row by row: V for what differs by example, U for the uniform nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Union

from ..engine.backprop import topological_order
from ..engine.primitives import ADD, MUL
from ..engine.value import Value


class WeightedSum(NamedTuple):
    """An add chain that is a layer's weighted sum: Σ weights[j]·xs[j] + Σ biases + Σ rest."""

    weights: list[Value]  # parameters, one per x
    xs: tuple[Value, ...]  # in topological order, shared by the layer's neurons
    biases: list[Value]  # terms that are parameters
    rest: list[Value]  # any other terms


class LinearShape(NamedTuple):
    """Weighted sums that one matrix product computes: the same xs, as many biases and other terms."""

    xs: tuple[Value, ...]
    n_biases: int
    n_rest: int


class SumShape(NamedTuple):
    """Add chains of one length, summed in one call."""

    n_terms: int


class MapShape(NamedTuple):
    """Nodes of one primitive whose arguments are of the same kinds ("parent", "constant",
    "parameter", or "none" for no second argument), with the same number parameter if any."""

    primitive: str
    a_kind: str
    b_kind: str
    param: float | None


Shape = Union[LinearShape, SumShape, MapShape]


class BucketKey(NamedTuple):
    """What the nodes of one bucket share."""

    uniform: bool  # computed once for the whole batch
    level: int  # 1 + the level of its deepest input; leaves are at level 0
    shape: Shape


@dataclass
class Bucket:
    """Nodes that one group computes, side by side."""

    uniform: bool
    level: int
    shape: Shape
    nodes: list[Value]


class Rows(NamedTuple):
    """What the two arrays hold, row by row: V (rows × m) what differs by example, U (rows × 1) the
    uniform nodes, computed once for the whole batch."""

    v_nodes: list[Value]  # V: used inputs, parameters read from rows, uniform nodes read, groups' outputs
    u_nodes: list[Value]  # U: parameters read from rows, then the uniform groups' outputs
    read_v: list[Value]  # the parameters copied into V at each forward
    read_u: list[Value]  # the parameters copied into U at each forward
    crossing: list[Value]  # the uniform nodes that V reads: computed in U, copied into V


@dataclass
class Plan:
    """What a `Program` computes, and how it lays out its two arrays."""

    order: list[Value]  # every node, inputs before outputs
    parameters: list[Value]  # every leaf that is not a placeholder, in topological order
    param_id: dict[Value, int]  # each parameter's position in `parameters`
    kept: set[Value]  # the root and the outputs: they keep a row even inside a chain
    uniform: set[Value]  # the nodes that depend on no placeholder
    fused: set[Value]  # the nodes inside a sum or a matrix product: no row of their own
    chains: dict[Value, list[Value]]  # an add chain's last add → its terms
    weighted: dict[Value, WeightedSum]  # the chains that are weighted sums
    buckets: list[Bucket]  # the uniform buckets first, then by level
    used_inputs: list[Value]  # the placeholders the graph reads, in input order
    rows: Rows

    def reads(self, node: Value) -> tuple[Value, ...]:
        """What a group's node reads from rows: its xs and other terms, its chain's terms, or its parents."""
        return _reads(node, self.chains, self.weighted)


def make_plan(root: Value, inputs: Sequence[Value], outputs: Sequence[Value] = ()) -> Plan:
    """Plan `root`'s graph (and `outputs`') for batches of the placeholder leaves `inputs`."""
    not_leaves = [x for x in inputs if not x.is_leaf]
    if not_leaves:
        raise ValueError(f"compile: inputs must be leaves (placeholders), these are not: {not_leaves!r}")
    kept = set(outputs) | {root}
    order: list[Value] = []
    seen: set[Value] = set()
    for target in [*outputs, root]:  # each order lists inputs first, so their union does too
        fresh = [n for n in topological_order(target) if n not in seen]
        seen.update(fresh)
        order += fresh
    placeholders = set(inputs)
    parameters = [n for n in order if n.is_leaf and n not in placeholders]
    param_id = {leaf: i for i, leaf in enumerate(parameters)}
    uniform = _uniform(order, placeholders)
    uses = _uses(order)
    chains, fused = _add_chains(order, uses, kept)
    products = {head: _products(terms, uses, kept, param_id) for head, terms in chains.items()}
    fused |= {term for found in products.values() for term in found}
    weighted = _weighted_sums(order, chains, products, param_id)
    buckets = _buckets(order, fused, chains, weighted, uniform)
    used_inputs = [x for x in inputs if x in seen]  # an input the graph ignores is fine
    rows = _rows(buckets, parameters, kept, used_inputs, lambda node: _reads(node, chains, weighted))
    return Plan(order, parameters, param_id, kept, uniform, fused, chains, weighted, buckets, used_inputs, rows)


def _reads(node: Value, chains: dict[Value, list[Value]], weighted: dict[Value, WeightedSum]) -> tuple[Value, ...]:
    if node in weighted:
        terms = weighted[node]
        return (*terms.xs, *terms.rest)
    return tuple(chains.get(node, node.parents))


def _uses(order: list[Value]) -> dict[Value, int]:
    """How many edges leave each node (a·a counts a twice)."""
    uses: dict[Value, int] = {}
    for node in order:
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    return uses


def _uniform(order: list[Value], placeholders: set[Value]) -> set[Value]:
    """The nodes that depend on no placeholder: the same for every example, so computed once."""
    uniform: set[Value] = set()
    for node in order:
        if (node.is_leaf and node not in placeholders) or (not node.is_leaf and all(
                p in uniform for p in node.parents)):
            uniform.add(node)
    return uniform


def _add_chains(order: list[Value], uses: dict[Value, int], kept: set[Value]
                ) -> tuple[dict[Value, list[Value]], set[Value]]:
    """For each last add of a chain ((t1 + t2) + t3) + …, its terms [t1, t2, t3, …]; and the adds joined.

    An add of two Values joins the chain of its first operand when that operand is itself such an
    add, used by nothing else (not even twice here), and not kept. The joined adds are fused.
    An add of 0 (Python's `sum` starts from 0) is a chain of one term, t1 = 0 + t1, so that
    `sum(w * x for …)` is one sum too.
    """
    terms: dict[Value, list[Value]] = {}
    fused: set[Value] = set()
    for node in order:  # inputs before outputs: a chain's head is met after its links
        if node.primitive is not ADD:
            continue
        if len(node.parents) == 1:
            if 0.0 in node.operands:
                terms[node] = list(node.parents)
            continue
        a, b = node.parents
        if a in terms and uses[a] == 1 and a not in kept:
            fused.add(a)
            terms[node] = terms.pop(a) + [b]
        else:
            terms[node] = [a, b]
    return terms, fused


def _products(terms: list[Value], uses: dict[Value, int], kept: set[Value], param_id: dict[Value, int]
              ) -> dict[Value, tuple[Value, Value]]:
    """The terms that are weight × x, each as (weight, x): a mul of a parameter and a Value that only
    this chain uses."""
    found = {}
    for term in terms:
        if term.primitive is MUL and len(term.parents) == 2 and uses[term] == 1 and term not in kept:
            a, b = term.parents
            if a in param_id or b in param_id:
                found[term] = (a, b) if a in param_id else (b, a)
    return found


def _weighted_sums(order: list[Value], chains: dict[Value, list[Value]],
                   products: dict[Value, dict[Value, tuple[Value, Value]]], param_id: dict[Value, int]
                   ) -> dict[Value, WeightedSum]:
    """The chains with products among their terms, split into weights × xs, biases and other terms."""
    position = {node: i for i, node in enumerate(order)}
    weighted = {}
    for head, found in products.items():
        if not found:
            continue
        pairs = sorted(found.values(), key=lambda wx: position[wx[1]])
        others = [t for t in chains[head] if t not in found]
        weighted[head] = WeightedSum(weights=[w for w, _ in pairs], xs=tuple(x for _, x in pairs),
                                     biases=[t for t in others if t in param_id],
                                     rest=[t for t in others if t not in param_id])
    return weighted


def _buckets(order: list[Value], fused: set[Value], chains: dict[Value, list[Value]],
             weighted: dict[Value, WeightedSum], uniform: set[Value]) -> list[Bucket]:
    """Every computed node that is not fused in a bucket, by its level, kind and shape."""
    level: dict[Value, int] = {}
    buckets: dict[BucketKey, list[Value]] = {}
    for node in order:
        if node.is_leaf:
            level[node] = 0
            continue
        if node in fused:
            continue
        if node in weighted:
            terms = weighted[node]
            level[node] = 1 + max(level[t] for t in (*terms.xs, *terms.rest))
            shape: Shape = LinearShape(terms.xs, len(terms.biases), len(terms.rest))
        elif node in chains:
            level[node] = 1 + max(level[t] for t in chains[node])
            shape = SumShape(len(chains[node]))
        else:
            level[node] = 1 + max(level[p] for p in node.parents)
            args = node.arguments
            a_kind, b_kind = args[0].kind, args[1].kind if len(args) > 1 else "none"
            shape = MapShape(node.primitive.name, a_kind, b_kind, args[1].value if b_kind == "parameter" else None)
        buckets.setdefault(BucketKey(node in uniform, level[node], shape), []).append(node)
    # the uniform groups first (they read only parameters and each other), then by level
    keys = sorted(buckets, key=lambda key: (not key.uniform, key.level))
    return [Bucket(key.uniform, key.level, key.shape, buckets[key]) for key in keys]


def _rows(buckets: list[Bucket], parameters: list[Value], kept: set[Value], used_inputs: list[Value],
          reads: Callable[[Value], tuple[Value, ...]]) -> Rows:
    """The rows of the two arrays.

    V (rows × m) holds what differs by example: the placeholders (in input order), the parameters
    that per-example groups read from rows (a map's operand, a sum's term, a product's x) and the
    kept ones, the uniform values they read, then each group's outputs side by side, so that a group
    writes (and backward reads) one slice. U (rows × 1) likewise holds what the uniform groups read and
    compute. Weights and biases of linear groups are read from the parameter vector instead of rows.
    """
    is_parameter = set(parameters)
    read_v = {p for p in kept if p in is_parameter}
    read_u: set[Value] = set()
    for bucket in buckets:
        read = read_u if bucket.uniform else read_v
        for node in bucket.nodes:
            read.update(t for t in reads(node) if t in is_parameter)
    per_example = [n for bucket in buckets if not bucket.uniform for n in bucket.nodes]
    uniform = [n for bucket in buckets if bucket.uniform for n in bucket.nodes]
    needed = {t for n in per_example for t in reads(n)} | kept
    read_v_list = [p for p in parameters if p in read_v]
    read_u_list = [p for p in parameters if p in read_u]
    crossing = [n for n in uniform if n in needed]
    return Rows(v_nodes=used_inputs + read_v_list + crossing + per_example, u_nodes=read_u_list + uniform,
                read_v=read_v_list, read_u=read_u_list, crossing=crossing)
