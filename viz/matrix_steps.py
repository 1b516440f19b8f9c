"""The matrix board's script: the course's Algorithm 1 one line at a time, then D, then Algorithm 2.

Each step says which line of the algorithm runs, for which example, which of that example's vectors
are known by then, how many examples each accumulator Δ⁽ˡ⁾ holds, which D⁽ˡ⁾ and which of Algorithm 2's
matrices are shown, and which matrices the step has just computed (lit). Its caption is written here from
the numbers `course_backprop` read off the scalar graph.
"""

from __future__ import annotations

from microgrboard.nn import CourseBackprop, layer_mark, real_space

from .matrix_sentences import n


def vector(v) -> str:
    return "[" + ", ".join(n(x) for x in v) + "]"


def algorithm_lines(r: CourseBackprop) -> list[tuple[str, str]]:
    """(id, text) of each line of Algorithm 1 as the slides write it, then D, Algorithm 2 and the check."""
    L, mL = r.L, layer_mark("L")
    output = f"δ{mL} = a{mL} − y⁽ⁱ⁾" if r.loss == "cross_entropy" else f"δ{mL} = (a{mL} − y⁽ⁱ⁾) .* g′(z{mL})"
    rate = "(λ/m)" if r.loss == "cross_entropy" else "λ"
    hidden = f"for l = {L - 1} … 2" if L > 3 else "for l = 2" if L == 3 else "(no hidden layer)"
    return [
        ("init", "Set Δ⁽ˡ⁾ = 0 (for all l)"),
        ("loop", "For i = 1 to m:"),
        ("input", "  Set a⁽¹⁾ = x⁽ⁱ⁾ (add a₀⁽¹⁾ = 1)"),
        ("forward", "  Forward propagation: z⁽ˡ⁺¹⁾ = Θ⁽ˡ⁾a⁽ˡ⁾, a⁽ˡ⁺¹⁾ = g(z⁽ˡ⁺¹⁾) (add a₀ = 1) for l = 1 … L − 1"),
        ("output", f"  Using y⁽ⁱ⁾, compute {output}"),
        ("hidden", f"  Compute δ⁽ˡ⁾ = (Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ .* g′(z⁽ˡ⁾), {hidden}"),
        ("accumulate", "  Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ"),
        ("D", f"D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + {rate}Θ⁽ˡ⁾ for j ≠ 0;  D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ for j = 0"),
        ("vectorized", "Algorithm 2, all m examples at once: δ⁽ᴸ⁾ for every row, δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾Θ⁽ˡ⁾)[:, 1:] .* "
                       f"g′(Z⁽ˡ⁾), D⁽ˡ⁾ = (1/m)(δ⁽ˡ⁺¹⁾)ᵀA⁽ˡ⁾ + {rate}[0 Θ⁽ˡ⁾]"),
        ("check", "Check: both algorithms give the same D"),
    ]


PHASES = {"init": "Δ = 0", "input": "a⁽¹⁾ = x", "forward": "forward", "output": "δ⁽ᴸ⁾", "hidden": "δ⁽ˡ⁾",
          "accumulate": "Δ += δaᵀ", "D": "D", "vectorized": "Algorithm 2", "check": "check"}


def _step(line: str, caption: str, example: int, known: list[str], counts: dict[int, int], D: list[int],
          V: list[str], lit: list[str]) -> dict:
    return {"line": line, "phase": PHASES[line], "caption": caption, "example": example, "known": list(known),
            "counts": {str(l): c for l, c in counts.items()}, "D": list(D), "V": list(V), "lit": list(lit)}


def _example_steps(r: CourseBackprop, i: int, counts: dict[int, int]) -> list[dict]:
    """One pass of the loop for example i: a⁽¹⁾, z and a per layer, δ⁽ᴸ⁾, each δ⁽ˡ⁾, then each Δ⁽ˡ⁾ +=."""
    L, ex = r.L, r.examples[i]
    steps: list[dict] = []
    known: list[str] = []

    def add(line: str, caption: str, key: str) -> None:
        known.append(key)
        steps.append(_step(line, f"i = {i}: {caption}", i, known, counts, [], [], [key]))

    add("input", f"a⁽¹⁾ = x{layer_mark(i)} with the bias unit a₀⁽¹⁾ = 1: {vector(ex.a[1])} ∈ "
                 f"{real_space(len(ex.a[1]))}", "a1")
    for l in range(2, L + 1):
        rows, cols = r.Theta[l - 1].shape
        add("forward", f"z{layer_mark(l)} = Θ{layer_mark(l - 1)}a{layer_mark(l - 1)}, ({rows} × {cols})({cols} × 1) "
                       f"= {real_space(rows)}: {vector(ex.z[l])}", f"z{l}")
        rule = (f"[1; g(z{layer_mark(l)})], adding the bias unit a₀{layer_mark(l)} = 1" if l < L else
                f"g(z{layer_mark(l)}) = h_Θ(x{layer_mark(i)}), the output (no bias unit)")
        add("forward", f"a{layer_mark(l)} = {rule}: {vector(ex.a[l])}", f"a{l}")
    if r.loss == "cross_entropy":
        rule = f"a{layer_mark(L)} − y{layer_mark(i)} = {vector(ex.a[L])} − {vector(ex.y)}"
    else:
        rule = f"(a{layer_mark(L)} − y{layer_mark(i)}) .* g′(z{layer_mark(L)}), with y{layer_mark(i)} = {vector(ex.y)}"
    add("output", f"δ{layer_mark(L)} = {rule} = {vector(ex.delta[L])}", f"d{L}")
    for l in range(L - 1, 1, -1):
        s_next, s_here = r.Theta[l].shape
        add("hidden", f"δ{layer_mark(l)} = (Θ{layer_mark(l)})ᵀδ{layer_mark(l + 1)} .* g′(z{layer_mark(l)}): "
                      f"({s_here} × {s_next})({s_next} × 1) gives {s_here} entries, the first (the bias unit's) "
                      f"dropped, times g′(z{layer_mark(l)}) entry by entry = {vector(ex.delta[l])}", f"d{l}")
    for l in r.Theta:
        counts = {**counts, l: i}
        rows, cols = r.Theta[l].shape
        steps.append(_step("accumulate", f"i = {i}: Δ{layer_mark(l)} := Δ{layer_mark(l)} + δ{layer_mark(l + 1)}"
                                         f"(a{layer_mark(l)})ᵀ, ({rows} × 1)(1 × {cols}) = {rows} × {cols}: "
                                         f"Δ{layer_mark(l)} now sums examples 1 … {i}", i, known, counts, [], [],
                           [f"Delta{l}"]))
    return steps


def board_steps(r: CourseBackprop) -> list[dict]:
    """Every step of the board, from Δ = 0 to the check that Algorithms 1 and 2 agree."""
    L, m = r.L, r.m
    layers = list(r.Theta)
    counts = {l: 0 for l in layers}
    steps = [_step("init", f"Set Δ⁽ˡ⁾ = 0 for l = 1 … {L - 1}: every accumulator starts at zero. "
                           "Press Next (→) to run the loop over the examples.", 0, [], counts, [], [], [])]
    for i in r.examples:
        steps += _example_steps(r, i, counts)
        counts = {l: i for l in layers}
    known = steps[-1]["known"]
    shown_D: list[int] = []
    for l in layers:
        shown_D.append(l)
        steps.append(_step("D", f"D{layer_mark(l)} = (1/m)Δ{layer_mark(l)} + "
                                f"{'(λ/m)' if r.loss == 'cross_entropy' else 'λ'}Θ{layer_mark(l)} with m = {m}, "
                                f"λ = {r.lam:g}; its bias column (j = 0) without the penalty. {r.regularization_note}",
                           m, known, counts, shown_D, [], [f"D{l}"]))
    shown_V: list[str] = []
    for l in range(L, 1, -1):
        shown_V += [f"Vd{l}", f"VD{l - 1}"]
        first = (f"δ{layer_mark(L)} = A{layer_mark(L)} − Y" if r.loss == "cross_entropy" else
                 f"δ{layer_mark(L)} = (A{layer_mark(L)} − Y) .* g′(Z{layer_mark(L)})") if l == L else \
            f"δ{layer_mark(l)} = (δ{layer_mark(l + 1)}Θ{layer_mark(l)})[:, 1:] .* g′(Z{layer_mark(l)})"
        steps.append(_step("vectorized", f"Algorithm 2, layer {l - 1} in one step: {first} ({m} × "
                                         f"{r.sizes[l]}, a row per example), then D{layer_mark(l - 1)} = "
                                         f"(1/m)(δ{layer_mark(l)})ᵀA{layer_mark(l - 1)} + penalty", m, known, counts,
                           shown_D, shown_V, [f"Vd{l}", f"VD{l - 1}"]))
    gap = max(float(abs(r.D[l] - r.vectorized.D[l]).max()) for l in layers)
    steps.append(_step("check", f"Algorithm 1 (the loop over the examples) and Algorithm 2 (vectorized) give the same "
                                f"D: largest difference {gap:.1e} ✓. And both equal the gradients backprop left on the "
                                f"scalar graph: {r.check_text()}", m, known, counts, shown_D, shown_V,
                       [f"D{l}" for l in layers] + [f"VD{l}" for l in layers]))
    return steps

