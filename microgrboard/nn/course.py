"""The course's backpropagation matrices, read from the scalar graph: δ⁽ˡ⁾, Δ⁽ˡ⁾, D⁽ˡ⁾ and thetaVec.

The slides teach backprop in matrix notation (Algorithm 1, for i = 1 … m):

    a⁽¹⁾ = x⁽ⁱ⁾;  z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾) (add a₀ = 1);  δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y⁽ⁱ⁾;
    δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾);  Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ;  then D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + r·Θ⁽ˡ⁾ (j ≠ 0).

microgrboard computes the same numbers one scalar at a time. `course_backprop` builds each example's
scalar graph of its cost ℓᵢ (the inputs and targets as leaves x₁ …, y₁ …, so that every example's graph
has the same shape), runs backward on it and *reads* the course's matrices off the graph: a and z are
the nodes' values, δⱼ⁽ˡ⁾ is the gradient ∂ℓᵢ/∂zⱼ⁽ˡ⁾ on the node zⱼ⁽ˡ⁾, Δ⁽ˡ⁾ after example i is what the
weights' gradients have accumulated over the backward passes of examples 1 … i (exactly the course's
Δ := Δ + …), and D⁽ˡ⁾ is the weights' gradient of J = (1/m)Σℓᵢ + penalty, one more graph over them all.
Then it checks every number against the course's formulas computed independently in numpy
(`nn.reference`), and raises `CourseMismatchError` if any differs by more than 1e-9.

The model is left as it was: every parameter's `.data` and `.grad` are what they were before.
"""

from __future__ import annotations

import dataclasses
import gc

import numpy as np

from ..engine.value import Value
from .course_notation import Numbered, course_name
from .course_result import CourseBackprop, ExampleBackprop, ExampleGraph, Vectorized, unroll, unrolled_ranges
from .losses import cross_entropy, regularization, squared_error, total
from .module import MLP, as_examples, expect_model
from .reference import penalty_rate, reference_algorithm1, reference_algorithm2

COVERED_LOSSES = ("cross_entropy", "squared_error")
TOLERANCE = 1e-9  # the graph and the formulas agree to about 1e-15; more than this is a real difference


class CourseMismatchError(ArithmeticError):
    """A number read from the scalar graph differs from the course's formula for it."""


def _refuse_uncovered(model: MLP, loss, lam: float) -> None:
    """A model or loss the course's formulas do not cover, refused with the reason."""
    if not isinstance(loss, str) or loss not in COVERED_LOSSES:
        raise ValueError(
            f"course_backprop follows the course's formulas, which cover the cross-entropy cost with sigmoid "
            f"outputs (δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y) and the squared error ½‖h − y‖² (δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾)); got "
            f"loss={loss!r}. Other losses have other δ⁽ᴸ⁾: the scalar graph still gives their gradients "
            f"(nn.cost(model, X, y, loss).backward(), or nn.gradient_report)")
    if loss == "cross_entropy" and model.output_activation != "sigmoid":
        raise ValueError(
            f"course_backprop: with the cross-entropy cost the course's δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y holds for sigmoid output "
            f"units only (the log's derivative cancels σ′ = a(1 − a)); this model's outputs are "
            f"{model.output_activation!r}. Use MLP(..., output_activation='sigmoid'), or loss='squared_error'")
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.floating, np.integer)) or not lam >= 0:
        raise ValueError(f"course_backprop: λ must be a number ≥ 0, got lam={lam!r}")


def _targets(model: MLP, X, y, loss: str) -> tuple[np.ndarray, np.ndarray]:
    K = model.nouts[-1]
    X, Y = as_examples(X, y, model.nin, "course_backprop")
    if not len(X):
        raise ValueError("course_backprop: no examples (m = 0); give at least one row of X")
    if Y.ndim == 1 and K == 1:
        Y = Y[:, None]
    if Y.ndim != 2 or Y.shape[1] != K:
        hint = (" For class labels give one-hot rows: np.eye(K)[y] for labels 0 … K−1, or np.eye(K)[y − 1] for the "
                "course's 1 … K." if Y.ndim == 1 else "")
        raise ValueError(f"course_backprop: the network has K = {K} output units, so y must be m × {K} "
                         f"(a row y⁽ⁱ⁾ per example); got shape {Y.shape}.{hint}")
    if loss == "cross_entropy" and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(f"course_backprop: the cross-entropy cost takes targets between 0 and 1 (0/1 labels, "
                         f"one-hot rows); got values from {Y.min():g} to {Y.max():g}. For other targets use "
                         f"loss='squared_error'")
    return X, Y


def example_graph(model: MLP, x, y, loss: str) -> ExampleGraph:
    """Example i's scalar graph: forward propagation through the model's own layers from leaves x₁ …,
    then the cost ℓᵢ against leaves y₁ … (targets as leaves, so every example's graph has one shape)."""
    inputs = [Value(float(v), label=f"x{k}") for k, v in enumerate(x, start=1)]
    targets = [Value(float(v), label=f"y{k}") for k, v in enumerate(y, start=1)]
    a, zs, outs = inputs, {}, {}
    for l, layer in enumerate(model.layers, start=2):
        a = layer(a)
        linear = layer.neurons[0].activation == "linear"
        zs[l] = [out if linear else out.parents[0] for out in a]  # the neuron's sum z, before g
        outs[l] = a
    data = cross_entropy([a], [targets]) if loss == "cross_entropy" else squared_error([a], [targets])
    data.label = "ℓ"
    return ExampleGraph(data, inputs, targets, Numbered("layers with z", zs), Numbered("layers", outs))


def _gradients(model: MLP) -> list[np.ndarray]:
    """The parameters' .grad as the course's matrices, bias column first (as `weight_matrices` has .data)."""
    return [np.array([[n.b.grad] + [w.grad for w in n.w] for n in layer.neurons]) for layer in model.layers]


def course_backprop(model: MLP, X, y, loss: str = "cross_entropy", lam: float = 0.0) -> CourseBackprop:
    """The course's Algorithm 1 for `model` on the examples X (m × s₁) with targets y (m × K), every
    number read from the scalar graph and checked against the course's formulas in numpy.

    Layers are numbered as the course numbers them: `r.D[1]` is D⁽¹⁾, `r.examples[1].delta[3]` is δ⁽³⁾
    of the first example. loss is "cross_entropy" (sigmoid outputs) or "squared_error"; lam is λ, with the
    penalty that `nn.cost` adds ((λ/2m)ΣΘ², or (λ/2)ΣW² for squared error). Raises `CourseMismatchError`
    if the graph and the formulas disagree by more than 1e-9 anywhere.
    """
    expect_model(model, "course_backprop")
    _refuse_uncovered(model, loss, lam)
    X, Y = _targets(model, X, y, loss)
    m, L = len(X), len(model.layers) + 1
    params = model.parameters()
    saved = [p.grad for p in params]
    collecting = gc.isenabled()
    gc.disable()  # m graphs without cycles: the collector would only rescan them, doubling the time (as in train)
    try:
        graphs = [example_graph(model, x, t, loss) for x, t in zip(X.tolist(), Y.tolist())]
        # D: the weights' gradient of J = (1/m)Σᵢℓᵢ + penalty, one graph over every example's graph
        cost = total([g.root for g in graphs]) * (1.0 / m)
        if lam:
            cost = cost + regularization(model, float(lam), m if loss == "cross_entropy" else None)
        cost.label = "J"
        model.zero_grad()
        cost.backward()
        D = _gradients(model)
        # Algorithm 1: backward on each example's graph; the weights' gradients accumulate Δ := Δ + ∂ℓᵢ/∂Θ
        model.zero_grad()
        examples = {}
        for i, (graph, x, t) in enumerate(zip(graphs, X, Y), start=1):
            graph.root.backward()
            examples[i] = _read_example(i, graph, x, t, _gradients(model), L, loss)
    finally:
        for p, grad in zip(params, saved):
            p.grad = grad
        if collecting:  # the user's setting, as it was
            gc.enable()
    thetas = model.weight_matrices()
    layers = range(1, L)
    vectorized = _vectorized(model, thetas, X, Y, loss, float(lam))
    result = CourseBackprop(
        sizes=Numbered("layer sizes", {l: s for l, s in enumerate([model.nin, *model.nouts], start=1)}),
        activations=Numbered("layers with an activation", {l: layer.neurons[0].activation
                                                           for l, layer in enumerate(model.layers, start=2)}),
        loss=loss, lam=float(lam), Theta=Numbered("Θ matrices", dict(zip(layers, thetas))),
        examples=Numbered("examples", examples), D=Numbered("D matrices", dict(zip(layers, D))), J=cost.data,
        thetaVec=unroll(thetas), DVec=unroll(D), unrolled=unrolled_ranges([model.nin, *model.nouts]),
        vectorized=vectorized, penalty_rate=penalty_rate(loss, float(lam), m), disagreement=0.0, worst="", cost=cost)
    disagreement, worst = _disagreement(result, model, X, Y)
    result = dataclasses.replace(result, disagreement=disagreement, worst=worst)
    if not disagreement <= TOLERANCE:
        raise CourseMismatchError(
            f"course_backprop: the scalar graph and the course's formulas disagree at {worst} by {disagreement:.3g} "
            f"(more than {TOLERANCE:g}). One of them is wrong: check the primitive's local derivative "
            f"(microgrboard.check_edges(r.examples[i].graph.root)) and the formula")
    return result


def _read_example(i: int, graph: ExampleGraph, x: np.ndarray, y: np.ndarray, Delta: list[np.ndarray],
                  L: int, loss: str) -> ExampleBackprop:
    """Example i's a, z and δ read off its graph after its backward pass; Δ from the weights' gradients."""
    a = {1: np.r_[1.0, x]}
    for l in range(2, L + 1):
        values = np.array([out.data for out in graph.outputs[l]])
        a[l] = values if l == L else np.r_[1.0, values]  # the bias unit a₀ = 1, except on the output layer
    z = {l: np.array([node.data for node in nodes]) for l, nodes in graph.z.items()}
    delta = {l: np.array([node.grad for node in nodes]) for l, nodes in graph.z.items()}  # δ = ∂ℓᵢ/∂z
    return ExampleBackprop(i, x, y, Numbered("layers", a), Numbered("layers with z", z),
                           Numbered("layers with δ", delta), Numbered("Δ matrices", dict(enumerate(Delta, start=1))),
                           graph.root.data, graph, loss)


def _activations(model: MLP) -> tuple[str, str]:
    return model.activation, model.output_activation


def _vectorized(model: MLP, thetas, X, Y, loss: str, lam: float) -> Vectorized:
    v = reference_algorithm2(thetas, X, Y, lam, loss, *_activations(model))
    L = len(thetas) + 1
    return Vectorized(A=Numbered("layers", dict(enumerate(v.A, start=1))),
                      Z=Numbered("layers with Z", dict(zip(range(2, L + 1), v.Z))),
                      delta=Numbered("layers with δ", dict(zip(range(2, L + 1), v.delta))),
                      Delta=Numbered("Δ matrices", dict(enumerate(v.Delta, start=1))),
                      D=Numbered("D matrices", dict(enumerate(v.D, start=1))))


def _disagreement(r: CourseBackprop, model: MLP, X: np.ndarray, Y: np.ndarray) -> tuple[float, str]:
    """The largest |graph − formula| over every number (relative for numbers above 1), and where it is."""
    ref = reference_algorithm1([r.Theta[l] for l in r.Theta], X, Y, r.lam, r.loss, *_activations(model))
    pairs = []  # (symbol, layer, where, read from the graph, the formula's, whether index 0 is the bias unit)
    for i, ex in r.examples.items():
        for l in range(1, r.L + 1):
            pairs.append(("a", l, f" of example {i}", ex.a[l], ref.a[i - 1][l - 1], l < r.L))
        for l in range(2, r.L + 1):
            pairs.append(("z", l, f" of example {i}", ex.z[l], ref.z[i - 1][l - 2], False))
            pairs.append(("δ", l, f" of example {i}", ex.delta[l], ref.delta[i - 1][l - 2], False))
            pairs.append(("δ", l, f" of example {i} (Algorithm 2's row {i})", ex.delta[l],
                          r.vectorized.delta[l][i - 1], False))
        for l in r.Theta:
            pairs.append(("Δ", l, f" after example {i}", ex.Delta[l], ref.Delta[i - 1][l - 1], True))
        pairs.append(("ℓ", None, f" of example {i}", ex.loss, ref.losses[i - 1], False))
    for l in r.Theta:
        pairs.append(("D", l, "", r.D[l], ref.D[l - 1], True))
        pairs.append(("D", l, " (Algorithm 2)", r.D[l], r.vectorized.D[l], True))
    pairs.append(("J", None, "", r.J, ref.J, False))
    worst, where = -1.0, ""
    for symbol, l, suffix, graph_value, formula, bias_first in pairs:
        graph_value, formula = np.asarray(graph_value, dtype=float), np.asarray(formula, dtype=float)
        gap = np.abs(graph_value - formula) / np.maximum(1.0, np.abs(formula))
        gap = np.where(np.isnan(gap), np.inf, gap)
        if gap.size and gap.max() > worst:
            k = int(np.argmax(gap))
            worst = float(gap.flat[k])
            where = _entry(symbol, l, np.unravel_index(k, gap.shape), bias_first) + suffix
    return worst, where


def _entry(symbol: str, l: int | None, index: tuple, bias_first: bool) -> str:
    """The course's name of one entry: δ₂⁽³⁾ for a vector's second unit, Δ₂₀⁽¹⁾ for row 2, column 0."""
    if l is None:
        return symbol
    if len(index) == 2:
        return course_name(symbol, l, index[0] + 1, index[1])
    return course_name(symbol, l, index[0] if bias_first else index[0] + 1)
