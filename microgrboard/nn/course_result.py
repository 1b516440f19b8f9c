"""What `course_backprop` returns, and how it prints: the course's matrices, numbered as the course
numbers them, with their shapes as the slides name them.

`CourseBackprop` holds, for each example, a⁽ˡ⁾ (with the bias unit a₀ = 1 where the course adds one),
z⁽ˡ⁾, δ⁽ˡ⁾ and the accumulators Δ⁽ˡ⁾ after that example (`ExampleBackprop`); then D⁽ˡ⁾, J, the
unrolled `thetaVec` and `DVec` with each Θ⁽ˡ⁾'s index range (`Unrolled`), the vectorized Algorithm 2's
matrices, and the largest disagreement between the scalar graph and the course's formulas in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..engine.value import Value
from .course_notation import Numbered, layer_mark, real_space, subscript

LOSS_NAMES = {"cross_entropy": "cross-entropy (log loss)", "squared_error": "squared error ½‖h − y‖²"}


@dataclass(frozen=True)
class Unrolled:
    """Where Θ⁽ˡ⁾ (or D⁽ˡ⁾) sits in thetaVec (DVec): `Theta1(:)`, Octave's column-by-column order."""

    layer: int
    shape: tuple[int, int]
    first: int  # 1-based, inclusive: thetaVec(first:last), as the course writes it
    last: int

    @property
    def start(self) -> int:
        """0-based start of the Python slice thetaVec[start:stop]."""
        return self.first - 1

    @property
    def stop(self) -> int:
        return self.last

    @property
    def octave(self) -> str:
        """The course's line that recovers the matrix: Theta1 = reshape(thetaVec(1:110), 10, 11)."""
        return f"Theta{self.layer} = reshape(thetaVec({self.first}:{self.last}), {self.shape[0]}, {self.shape[1]})"

    @property
    def numpy(self) -> str:
        """The same in numpy: column by column, hence order="F"."""
        return (f'Theta{self.layer} = thetaVec[{self.start}:{self.stop}]'
                f'.reshape({self.shape[0]}, {self.shape[1]}, order="F")')

    def entry(self, index: int) -> tuple[int, int]:
        """(j, k) of Θⱼₖ⁽ˡ⁾ at thetaVec(index), 1-based; k = 0 is the bias column."""
        offset = index - self.first
        if not 0 <= offset < self.last - self.first + 1:
            raise IndexError(f"thetaVec({index}) is not in Θ{layer_mark(self.layer)}'s range {self.first}:{self.last}")
        return offset % self.shape[0] + 1, offset // self.shape[0]


def output_rule(loss: str, L: int) -> str:
    """δ⁽ᴸ⁾ as the course writes it for this cost: a⁽ᴸ⁾ − y, or (a⁽ᴸ⁾ − y) .* g′(z⁽ᴸ⁾) for squared error."""
    mark = layer_mark(L)
    return f"δ{mark} = a{mark} − y" if loss == "cross_entropy" else f"δ{mark} = (a{mark} − y) .* g′(z{mark})"


def unrolled_ranges(sizes: Sequence[int]) -> Numbered[Unrolled]:
    """Each Θ⁽ˡ⁾'s range in thetaVec for layer sizes s₁, s₂, …: for the slides' [10, 10, 10, 1],
    Theta1 is thetaVec(1:110), Theta2 thetaVec(111:220) and Theta3 thetaVec(221:231)."""
    ranges, first = {}, 1
    for l, (s_in, s_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        n = s_out * (s_in + 1)
        ranges[l] = Unrolled(l, (s_out, s_in + 1), first, first + n - 1)
        first += n
    return Numbered("the layers' ranges in thetaVec", ranges)


def unroll(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """[Theta1(:); Theta2(:); …]: each matrix column by column, one after the other."""
    return np.concatenate([np.asarray(M, dtype=float).ravel(order="F") for M in matrices])


@dataclass(frozen=True)
class ExampleGraph:
    """Example i's scalar graph: ℓᵢ at its root, the leaves x₁ … and y₁ …, and each layer's z nodes.

    After `course_backprop` its nodes hold ∂ℓᵢ/∂node from the example's own backward pass, so
    `viz.draw(r.examples[i].graph.root)` shows δⱼ⁽ˡ⁾ on the wire out of zⱼ⁽ˡ⁾ (the model's parameters keep
    the gradients they had). With the cross-entropy cost, ℓᵢ is computed from the output units' z (as
    `nn.cross_entropy` does, safe when σ saturates), so their σ nodes hold a⁽ᴸ⁾ but lie outside ℓᵢ's graph."""

    root: Value
    inputs: list[Value]
    targets: list[Value]
    z: Numbered[list[Value]]  # z[l][j − 1] is the node zⱼ⁽ˡ⁾, for l = 2 … L
    outputs: Numbered[list[Value]]  # the activations g(zⱼ⁽ˡ⁾), the neurons' outputs


@dataclass(frozen=True)
class ExampleBackprop:
    """One pass of Algorithm 1's loop, for example i, every number read from its scalar graph."""

    i: int
    x: np.ndarray
    y: np.ndarray
    a: Numbered[np.ndarray]  # l = 1 … L; a₀ = 1 first for l < L
    z: Numbered[np.ndarray]  # l = 2 … L
    delta: Numbered[np.ndarray]  # l = 2 … L: δⱼ⁽ˡ⁾ = ∂ℓᵢ/∂zⱼ⁽ˡ⁾
    Delta: Numbered[np.ndarray]  # l = 1 … L − 1: Δ⁽ˡ⁾ after this example
    loss: float  # ℓᵢ, the example's cost (the course's cost(i))
    graph: ExampleGraph = field(repr=False)
    cost: str = "cross_entropy"  # which cost ℓᵢ is, for δ⁽ᴸ⁾'s rule

    def __str__(self) -> str:
        L = max(self.a)
        lines = [f"example i = {self.i}: x = {_vector(self.x)}, y = {_vector(self.y)}, ℓ{subscript(self.i)} = "
                 f"{self.loss:.6g}",
                 f"  a⁽¹⁾ = [1; x]{' ' * 24}{_vector(self.a[1])}"]
        for l in range(2, L + 1):
            lines.append(f"  {_pad(f'z{layer_mark(l)} = Θ{layer_mark(l - 1)}a{layer_mark(l - 1)}')}"
                         f"{_vector(self.z[l])}")
            mark = layer_mark(l)
            rule = f"a{mark} = [1; g(z{mark})]" if l < L else f"a{mark} = g(z{mark})"
            lines.append(f"  {_pad(rule)}{_vector(self.a[l])}")
        for l in range(L, 1, -1):
            rule = (output_rule(self.cost, L) if l == L else
                    f"δ{layer_mark(l)} = (Θ{layer_mark(l)})ᵀδ{layer_mark(l + 1)} .* g′(z{layer_mark(l)})")
            lines.append(f"  {_pad(rule)}{_vector(self.delta[l])}")
        for l in range(L - 1, 0, -1):
            lines.append(f"  Δ{layer_mark(l)} := Δ{layer_mark(l)} + δ{layer_mark(l + 1)}(a{layer_mark(l)})ᵀ, "
                         f"after example {self.i}:")
            lines.append(_matrix(self.Delta[l], "    "))
        return "\n".join(lines)


@dataclass(frozen=True)
class Vectorized:
    """Algorithm 2, all m examples at once (a row per example), computed with numpy from the course's
    formulas: A⁽ˡ⁾ (with the column of ones for l < L), Z⁽ˡ⁾, δ⁽ˡ⁾, Δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾ and D⁽ˡ⁾."""

    A: Numbered[np.ndarray]
    Z: Numbered[np.ndarray]
    delta: Numbered[np.ndarray]
    Delta: Numbered[np.ndarray]
    D: Numbered[np.ndarray]


@dataclass(frozen=True)
class CourseBackprop:
    """The course's backpropagation for a network and m examples, read from the scalar graph and
    checked against the course's formulas in numpy (`disagreement` is the largest difference found)."""

    sizes: Numbered[int]  # s₁ … s_L, units not counting the bias unit
    activations: Numbered[str]  # g of layers 2 … L
    loss: str
    lam: float
    Theta: Numbered[np.ndarray]
    examples: Numbered[ExampleBackprop]
    D: Numbered[np.ndarray]
    J: float
    thetaVec: np.ndarray
    DVec: np.ndarray
    unrolled: Numbered[Unrolled]
    vectorized: Vectorized
    penalty_rate: float  # r in D = (1/m)Δ + r·Θ: λ/m (cross-entropy) or λ (squared error)
    disagreement: float
    worst: str  # where the largest disagreement is
    cost: Value = field(repr=False)  # J's scalar graph, whose weights' gradients are D

    @property
    def m(self) -> int:
        return len(self.examples)

    @property
    def L(self) -> int:
        return len(self.sizes)

    @property
    def Delta(self) -> Numbered[np.ndarray]:
        """The accumulators after the last example."""
        return self.examples[self.m].Delta

    def shape(self, l: int) -> str:
        """Θ⁽ˡ⁾'s shape as the course names it: "ℝ^{5×4} = ℝ^{s₂×(s₁+1)}"."""
        rows, cols = self.Theta[l].shape
        return f"{real_space(rows, cols)} = ℝ^{{s{subscript(l + 1)}×(s{subscript(l)}+1)}}"

    def which(self, index: int) -> tuple[int, int, int]:
        """(l, j, k) of the entry Θⱼₖ⁽ˡ⁾ at thetaVec(index), 1-based as the course counts."""
        for l, where in self.unrolled.items():
            if where.first <= index <= where.last:
                return (l, *where.entry(index))
        raise IndexError(f"thetaVec has indices 1 … {len(self.thetaVec)} (1-based, as the course writes "
                         f"thetaVec(1:{self.unrolled[1].last})); got {index!r}")

    @property
    def regularization_note(self) -> str:
        """The one line a learner should read where D is shown: which D is the gradient of J."""
        if self.loss == "cross_entropy":
            return ("Note: the slide writes D = (1/m)Δ + λΘ, but J's penalty is (λ/2m)ΣΘ², whose derivative is "
                    "(λ/m)Θ: D = (1/m)Δ + (λ/m)Θ is the gradient of J, as the course's exercise code has it "
                    "and the scalar graph gives.")
        return ("Note: the regression cost's penalty is (λ/2)ΣW², not divided by m, so its derivative is λW: "
                "D = (1/m)Δ + λΘ, as the slide writes it, is the gradient of J (the scalar graph gives it).")

    @property
    def D_rule(self) -> str:
        rate = "(λ/m)" if self.loss == "cross_entropy" else "λ"
        return f"D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + {rate}Θ⁽ˡ⁾ for j ≠ 0, (1/m)Δ⁽ˡ⁾ for j = 0 (the bias column)"

    def check_text(self) -> str:
        return (f"Checked: every a, z, δ and Δ of the {self.m} examples, D, J and Algorithm 2's D, read from the "
                f"scalar graph, against the course's formulas in numpy: largest disagreement "
                f"{self.disagreement:.1e} ({self.worst}).")

    def __str__(self) -> str:
        sizes = ", ".join(f"s{subscript(l)} = {s}" for l, s in self.sizes.items())
        hidden = sorted(set(self.activations[l] for l in range(2, self.L)))
        g = (f"g = {'/'.join(hidden)} (hidden), {self.activations[self.L]} (output)" if hidden
             else f"g = {self.activations[self.L]}")
        lines = [f"Backpropagation as the course writes it, read from the scalar graph of {self.m} examples",
                 f"L = {self.L} layers: {sizes} (units, not counting the bias unit); {g}",
                 f"J(Θ) = {self.J:.6g}: {LOSS_NAMES[self.loss]}, λ = {self.lam:g}", ""]
        for l in self.Theta:
            where = self.unrolled[l]
            lines.append(f"Layer {l}: Θ{layer_mark(l)}, Δ{layer_mark(l)}, D{layer_mark(l)} ∈ {self.shape(l)};  "
                         f"thetaVec({where.first}:{where.last}), thetaVec[{where.start}:{where.stop}]")
            for name, matrix in ((f"Θ{layer_mark(l)}", self.Theta[l]),
                                 (f"Δ{layer_mark(l)} (after all {self.m} examples)", self.Delta[l]),
                                 (f"D{layer_mark(l)}", self.D[l])):
                lines += [f"  {name} =", _matrix(matrix, "    ")]
        lines += ["", self.D_rule, self.regularization_note, "",
                  f"thetaVec = [{'; '.join(f'Theta{l}(:)' for l in self.Theta)}] (column by column), "
                  f"{len(self.thetaVec)} entries; DVec likewise:"]
        lines += [f"  {where.octave:<44} numpy: {where.numpy}" for where in self.unrolled.values()]
        lines += ["", self.check_text()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        sizes = "-".join(str(s) for s in self.sizes.values())
        return (f"<CourseBackprop {sizes} network, m = {self.m}, {self.loss}, λ = {self.lam:g}: J = {self.J:.6g}, "
                f"largest disagreement with the course's formulas {self.disagreement:.1e}>")


def _number(x: float) -> str:
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def _vector(v: np.ndarray) -> str:
    return "[" + ", ".join(_number(x) for x in np.asarray(v).tolist()) + "]"


def _pad(text: str, width: int = 37) -> str:
    return text + " " * max(1, width - len(text))


def _matrix(M: np.ndarray, indent: str) -> str:
    """A matrix rounded to 4 significant digits, its columns right-aligned."""
    cells = [[_number(x) for x in row] for row in np.asarray(M).tolist()]
    width = max(len(c) for row in cells for c in row)
    return "\n".join(indent + "  ".join(c.rjust(width) for c in row) for row in cells)
