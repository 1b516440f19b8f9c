"""The sentences that tie an entry of δ⁽ˡ⁾, Δ⁽ˡ⁾ or D⁽ˡ⁾ to its node on the scalar graph, with the numbers.

Each entry gives [sentence, the id of the node to light, the example whose graph to show]. Each sentence
works the entry out twice: by the course's formula, from the matrices (numpy arithmetic on
Θ, a, δ), and as a gradient that backprop left on the graph (a `walk` of that example's ℓᵢ, or J's graph
for D), and says ✓ when they agree:

    δ₂⁽²⁾ = Σⱼ Θⱼ₂⁽²⁾ δⱼ⁽³⁾ · g′(z₂⁽²⁾) = (0.0657 × 0.5146 + …) × 0.2493 = … = ∂ℓ₁/∂z₂⁽²⁾ on example 1's graph ✓
"""

from __future__ import annotations

import numpy as np

from microgrboard.nn import CourseBackprop, course_name, layer_mark, subscript

from .matrix_graph import ExampleGraphs

AGREE = 1e-9
SLOPES = {"sigmoid": "a(1 − a)", "tanh": "1 − a²", "relu": "1 if z > 0 else 0", "linear": "1"}


def n(x: float) -> str:
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def paren(x: float) -> str:
    """A number as a factor: negative ones in parentheses."""
    return f"({n(x)})" if x < 0 else n(x)


def mark(ok: bool) -> str:
    return "✓" if ok else "✗ (they differ!)"


def agree(a: float, b: float) -> bool:
    return abs(a - b) <= AGREE * max(1.0, abs(a), abs(b))


def slope(r: CourseBackprop, l: int, j: int, i: int) -> float:
    """g′(zⱼ⁽ˡ⁾) of example i, by the formula from aⱼ⁽ˡ⁾ (the unit's own value)."""
    g = r.activations[l]
    a = r.examples[i].a[l][j] if l < r.L else r.examples[i].a[l][j - 1]
    z = r.examples[i].z[l][j - 1]
    return {"sigmoid": a * (1 - a), "tanh": 1 - a * a, "relu": float(z > 0), "linear": 1.0}[g]


def delta_sentence(r: CourseBackprop, graphs: ExampleGraphs, i: int, l: int, j: int) -> list:
    """δⱼ⁽ˡ⁾ of example i: the course's formula, and ∂ℓᵢ/∂zⱼ⁽ˡ⁾ on example i's graph."""
    ex, name, li = r.examples[i], course_name("δ", l, j), f"ℓ{subscript(i)}"
    on_graph = graphs.grad(i, graphs.z(i, l, j))
    if l == r.L:
        a, y = ex.a[l][j - 1], ex.y[j - 1]
        if r.loss == "cross_entropy":
            value = a - y
            work = f"{name} = {course_name('a', l, j)} − y{subscript(j)} = {n(a)} − {paren(y)} = {n(value)}"
        else:
            g1 = slope(r, l, j, i)
            value = (a - y) * g1
            work = (f"{name} = ({course_name('a', l, j)} − y{subscript(j)}) · g′({course_name('z', l, j)}) = "
                    f"({n(a)} − {paren(y)}) × {n(g1)} = {n(value)}")
    else:
        column = r.Theta[l][:, j]  # Θⱼ⁽ˡ⁾'s column j: the weights out of unit j
        below = ex.delta[l + 1]
        total = float(column @ below)
        g1 = slope(r, l, j, i)
        value = total * g1
        terms = " + ".join(f"{n(t)} × {paren(d)}" for t, d in zip(column.tolist(), below.tolist()))
        work = (f"{name} = Σⱼ Θⱼ{subscript(j)}{layer_mark(l)} δⱼ{layer_mark(l + 1)} · g′({course_name('z', l, j)}) = "
                f"({terms}) × {n(g1)} = {n(total)} × {n(g1)} = {n(value)}")
    neuron = f"layer{l - 1}.neuron{j}"
    text = (f"{work} = ∂{li}/∂{course_name('z', l, j)} on example {i}'s graph {mark(agree(value, on_graph))} "
            f"(the lit node: the sum z of {neuron}, before its {r.activations[l]}; backprop leaves "
            f"∂{li}/∂z = {n(on_graph)} there). g′ = {SLOPES[r.activations[l]]} for {r.activations[l]}.")
    return [text, graphs.z_id(l, j), i]


def weight_label(l: int, j: int, k: int) -> str:
    return f"layer{l}.neuron{j}." + ("b" if k == 0 else f"w{k}")


def Delta_sentence(r: CourseBackprop, graphs: ExampleGraphs, c: int, l: int, j: int, k: int) -> list:
    """Δⱼₖ⁽ˡ⁾ after example c: the accumulation, and the weight's gradients summed over graphs 1 … c."""
    name, theta, weight = course_name("Δ", l, j, k), course_name("Θ", l, j, k), graphs.weight(l, j, k)
    if c == 0:
        return [f"{name} = 0: Algorithm 1 starts every Δ at 0, and no example is in it yet.",
                graphs.weight_id(l, j, k), 1]
    ex = r.examples[c]
    before = r.examples[c - 1].Delta[l][j - 1, k] if c > 1 else 0.0
    a, d = ex.a[l][k], ex.delta[l + 1][j - 1]
    value = before + d * a
    per_graph = [graphs.grad(i, weight) for i in range(1, c + 1)]
    summed = float(np.sum(per_graph))
    terms = [f"∂ℓ{subscript(i)}/∂{theta}" for i in range(1, c + 1)]
    sum_text = " + ".join(terms) if c <= 2 else f"{terms[0]} + … + {terms[-1]}"
    ok = agree(value, summed) and agree(value, ex.Delta[l][j - 1, k])
    text = (f"{name} after example {c} = {name} after example {c - 1} + {course_name('δ', l + 1, j)}"
            f"{course_name('a', l, k)} = {n(before)} + {paren(d)} × {n(a)} = {n(value)} = {sum_text} on the graphs "
            f"{mark(ok)}: the gradient the weight {weight_label(l, j, k)} (lit) accumulates over examples 1 … {c}; "
            f"example {c}'s own is {n(per_graph[-1])}" + (" (a₀ = 1: the bias unit)." if k == 0 else "."))
    return [text, graphs.weight_id(l, j, k), c]


def D_sentence(r: CourseBackprop, graphs: ExampleGraphs, l: int, j: int, k: int, i: int) -> list:
    """Dⱼₖ⁽ˡ⁾: (1/m)Δ + rΘ by the formula, and ∂J/∂Θⱼₖ⁽ˡ⁾ read from J's graph; example i's graph lit."""
    name, theta = course_name("D", l, j, k), course_name("Θ", l, j, k)
    Delta, t, m = r.Delta[l][j - 1, k], r.Theta[l][j - 1, k], r.m
    rate = "λ/m" if r.loss == "cross_entropy" else "λ"
    if k == 0:
        value = Delta / m
        work = (f"{name} = (1/m){course_name('Δ', l, j, k)} (the bias column: no penalty) = {n(Delta)} / {m} = "
                f"{n(value)}")
    else:
        value = Delta / m + r.penalty_rate * t
        work = (f"{name} = (1/m){course_name('Δ', l, j, k)} + ({rate}){theta} = {n(Delta)} / {m} + "
                f"{n(r.penalty_rate)} × {paren(t)} = {n(value)}")
    on_graph = r.D[l][j - 1, k]
    text = (f"{work} = ∂J/∂{theta}, the gradient of the weight {weight_label(l, j, k)} on J's graph (J = (1/m)Σᵢℓᵢ "
            f"+ penalty over all {m} examples) {mark(agree(value, on_graph))}. On example {i}'s graph, lit, the same "
            f"weight has ∂ℓ{subscript(i)}/∂{theta} = {n(graphs.grad(i, graphs.weight(l, j, k)))}.")
    return [text, graphs.weight_id(l, j, k), i]
