"""The matrix board: the course's backprop matrices stepped through, each entry linked to its scalar node.

`matrix_board(model, X, y)` runs `nn.course_backprop` and writes one offline page that steps through the
course's Algorithm 1 one line at a time — for i = 1 … m: a⁽¹⁾ = x, z and a per layer, δ⁽ᴸ⁾, each δ⁽ˡ⁾,
Δ⁽ˡ⁾ += δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ — then D⁽ˡ⁾, then the vectorized Algorithm 2 one step per layer and a check that
both give the same D. The matrices are small tables shaded by value, with their dimensions; the
entries just computed are lit and the accumulators grow example by example. Clicking an entry of δ, Δ
or D (or Tab to it and Enter) shows that example's scalar graph with the node zⱼ⁽ˡ⁾ (or the weight
Θⱼₖ⁽ˡ⁾) lit, and the sentence that ties the two, with the numbers. `thetaVec` is a strip coloured by
Θ⁽ˡ⁾: hovering or focusing an index says which Θⱼₖ⁽ˡ⁾ it is and the `reshape` line that recovers it;
the slides' 10-10-10-1 network (231 parameters) has its strip too.

Every number is the one `course_backprop` read off the scalar graph; making the board changes none.
"""

from __future__ import annotations

import numpy as np

from microgrboard.extend import number_text
from microgrboard.nn import (
    MLP,
    CourseBackprop,
    course_backprop,
    course_name,
    debug_network,
    expect_model,
    layer_mark,
    real_space,
    unrolled_ranges,
)

from .matrix_graph import ExampleGraphs
from .matrix_sentences import D_sentence, Delta_sentence, delta_sentence
from .matrix_steps import algorithm_lines, board_steps
from .page import InlinePage, PathLike, page_or_file, render_page
from .stills import still

MAX_EXAMPLES = 20  # more examples than this are too many to step through one by one
SLIDES_SIZES = [10, 10, 10, 1]  # the unrolling slide's network: Θ⁽¹⁾, Θ⁽²⁾ ∈ ℝ^{10×11}, Θ⁽³⁾ ∈ ℝ^{1×11}
LAYER_COLORS = ["#0550ae", "#bc4c00", "#1a7f37", "#8250df", "#7d4e00", "#424a53"]  # Θ⁽ˡ⁾ on the strips


def cell(x: float) -> str:
    """A table entry: 3 significant digits."""
    text = f"{number_text(x, 3)}"
    return "0" if text == "-0" else text


def _cells(M) -> list:
    M = np.asarray(M, dtype=float)
    return [cell(x) for x in M.tolist()] if M.ndim == 1 else [[cell(x) for x in row] for row in M.tolist()]


def _table(key: str, title: str, shape: tuple[int, ...], rows: list[str], cols: list[str], kind: str = "",
           names: list | None = None, layer: int = 0) -> dict:
    """A table the template draws and the script fills: `names` are the entries' course names (for their
    accessible names, when `kind` makes them clickable)."""
    return {"key": key, "title": title, "shape": real_space(*shape), "rows": rows, "cols": cols, "kind": kind,
            "names": names, "layer": layer}


def _tables(r: CourseBackprop) -> dict[str, list[dict]]:
    L, m = r.L, r.m
    example = []
    for l in range(1, L + 1):
        s = r.sizes[l]
        units = list(range(0 if l < L else 1, s + 1))
        example.append(_table(f"a{l}", f"a{layer_mark(l)}", (len(units),), [f"a{_sub(u)}" for u in units], [""]))
        if l > 1:
            example.append(_table(f"z{l}", f"z{layer_mark(l)}", (s,), [f"z{_sub(u)}" for u in range(1, s + 1)], [""]))
    for l in range(L, 1, -1):
        s = r.sizes[l]
        example.append(_table(f"d{l}", f"δ{layer_mark(l)}", (s,), [f"δ{_sub(u)}" for u in range(1, s + 1)], [""],
                              "delta", [[course_name("δ", l, u)] for u in range(1, s + 1)], l))
    layers = []
    for l in r.Theta:
        rows_n, cols_n = r.Theta[l].shape
        rows, cols = [f"j={j}" for j in range(1, rows_n + 1)], ["k=0"] + [f"k={k}" for k in range(1, cols_n)]
        for symbol, key, kind in (("Θ", "Theta", ""), ("Δ", "Delta", "Delta"), ("D", "D", "D")):
            names = [[course_name(symbol, l, j, k) for k in range(cols_n)] for j in range(1, rows_n + 1)]
            layers.append(_table(f"{key}{l}", f"{symbol}{layer_mark(l)}", (rows_n, cols_n), rows, cols, kind, names, l))
    vectorized = []
    for l in range(L, 1, -1):
        vectorized.append(_table(f"Vd{l}", f"δ{layer_mark(l)} (a row per example)", (m, r.sizes[l]),
                                 [f"i={i}" for i in range(1, m + 1)], [str(u) for u in range(1, r.sizes[l] + 1)]))
        rows_n, cols_n = r.Theta[l - 1].shape
        vectorized.append(_table(f"VD{l - 1}", f"D{layer_mark(l - 1)}", (rows_n, cols_n),
                                 [f"j={j}" for j in range(1, rows_n + 1)], [f"k={k}" for k in range(cols_n)]))
    return {"example": example, "layers": layers, "vectorized": vectorized}


def _sub(u: int) -> str:
    return str(u).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _values(r: CourseBackprop) -> dict:
    """Every table's entries as the page shows them, in every state it can be in."""
    examples = []
    for ex in r.examples.values():
        row = {f"a{l}": _cells(ex.a[l]) for l in ex.a}
        row.update({f"z{l}": _cells(ex.z[l]) for l in ex.z})
        row.update({f"d{l}": _cells(ex.delta[l]) for l in ex.delta})
        examples.append(row)
    Delta = {str(l): [_cells(np.zeros_like(r.Theta[l]))] + [_cells(ex.Delta[l]) for ex in r.examples.values()]
             for l in r.Theta}
    V = {f"Vd{l}": _cells(r.vectorized.delta[l]) for l in r.vectorized.delta}
    V.update({f"VD{l}": _cells(r.vectorized.D[l]) for l in r.vectorized.D})
    scale = {f"Theta{l}": float(np.abs(r.Theta[l]).max()) for l in r.Theta}
    scale.update({f"Delta{l}": max(float(np.abs(ex.Delta[l]).max()) for ex in r.examples.values()) for l in r.Theta})
    scale.update({f"D{l}": float(np.abs(r.D[l]).max()) for l in r.D})
    for key in ("a", "z", "d"):
        for l in range(1 if key == "a" else 2, r.L + 1):
            vectors = [getattr(ex, {"a": "a", "z": "z", "d": "delta"}[key])[l] for ex in r.examples.values()]
            scale[f"{key}{l}"] = max(float(np.abs(v).max()) for v in vectors)
    scale.update({k: float(np.abs(r.vectorized.delta[int(k[2:])]).max()) for k in V if k.startswith("Vd")})
    scale.update({k: float(np.abs(r.vectorized.D[int(k[2:])]).max()) for k in V if k.startswith("VD")})
    return {"examples": examples, "Theta": {str(l): _cells(r.Theta[l]) for l in r.Theta}, "Delta": Delta,
            "D": {str(l): _cells(r.D[l]) for l in r.D}, "V": V, "scale": scale}


def _links(r: CourseBackprop, graphs: ExampleGraphs) -> dict:
    """The sentence, the node to light and the example of every entry of δ, Δ and D a learner can click."""
    delta, Delta, D = {}, {}, {}
    for i in r.examples:
        for l in range(2, r.L + 1):
            for j in range(1, r.sizes[l] + 1):
                delta[f"{i}-{l}-{j}"] = delta_sentence(r, graphs, i, l, j)
    for l in r.Theta:
        rows, cols = r.Theta[l].shape
        for j in range(1, rows + 1):
            for k in range(cols):
                D[f"{l}-{j}-{k}"] = D_sentence(r, graphs, l, j, k, r.m)
                for c in range(r.m + 1):
                    Delta[f"{c}-{l}-{j}-{k}"] = Delta_sentence(r, graphs, c, l, j, k)
    return {"delta": delta, "Delta": Delta, "D": D}


def _strip(sizes: list[int], values: np.ndarray | None = None, gradients: np.ndarray | None = None) -> dict:
    """thetaVec as a strip: each index's entry name and layer (and value and DVec entry, for a real model)."""
    ranges = unrolled_ranges(sizes)
    entries = []
    for l, where in ranges.items():
        for index in range(where.first, where.last + 1):
            j, k = where.entry(index)
            entry = [l, j, k, course_name("Θ", l, j, k)]  # [l, j, k, name], and Θ's and D's values
            if values is not None:
                entry += [f"{number_text(values[index - 1], 4)}", f"{number_text(gradients[index - 1], 4)}"]
            entries.append(entry)
    return {"entries": entries, "ranges": {str(l): {"first": w.first, "last": w.last, "octave": w.octave,
                                                   "numpy": w.numpy, "shape": f"{w.shape[0]} × {w.shape[1]}"}
                                           for l, w in ranges.items()}}


def matrix_board(model: MLP, X, y, path: PathLike | None = None, loss: str = "cross_entropy", lam: float = 0.0,
                 title: str | None = None, digits: int = 3) -> str | InlinePage:
    """The matrix board for `model` on the examples X, y (see the module's docstring): one offline page.

    With a `path`, writes it there and returns the path; without one, returns an `InlinePage` for a
    notebook. `loss` and `lam` are `course_backprop`'s; `digits` are the significant digits on the graph's wires.
    """
    expect_model(model, "viz.matrix_board")
    r = course_backprop(model, X, y, loss, lam)
    if r.m > MAX_EXAMPLES:
        raise ValueError(f"viz.matrix_board: {r.m} examples are too many to step through one by one (at most "
                         f"{MAX_EXAMPLES}); pass a few rows of X and y, e.g. X[:5], y[:5]")
    graphs = ExampleGraphs(r, model, digits)
    sizes = "-".join(str(s) for s in r.sizes.values())
    title = title or f"Backprop as matrices: the {sizes} network on {r.m} examples, read from the scalar graph"
    data = {
        "m": r.m, "L": r.L, "steps": board_steps(r), "values": _values(r), "links": _links(r, graphs),
        "graph": {"wires": graphs.wires, "texts": graphs.wire_texts()},
        "strip": _strip(list(r.sizes.values()), r.thetaVec, r.DVec), "slides": _strip(SLIDES_SIZES),
        "colors": LAYER_COLORS,
    }
    activations = ", ".join(f"g = {g} in layer {l}" for l, g in r.activations.items())
    page = render_page(
        "matrix_board.html", title=title, data=data, script="matrix_board.js", r=r, tables=_tables(r),
        lines=algorithm_lines(r), svg=graphs.svg, activations=activations, colors_by_layer=LAYER_COLORS,
        shapes=[(l, layer_mark(l), r.shape(l)) for l in r.Theta], loss_name=r.loss.replace("_", " "),
        slides=unrolled_ranges(SLIDES_SIZES), unrolled=r.unrolled)
    return page_or_file(page, title, path, height=900, stills=lambda: [
        still(graphs.svg, f"The scalar graph of the {sizes} network on {r.m} examples")])


def course_matrix_board(path: PathLike | None = None, lam: float = 1.0) -> str | InlinePage:
    """The matrix board of the course's debugging network (checkNNGradients: 3-5-3, 5 examples, weights
    from sin), with λ = 1 so that the penalty shows in D."""
    model, X, Y = debug_network()
    return matrix_board(model, X, Y, path, lam=lam,
                        title="Backprop as matrices: the course's 3-5-3 debugging network on its 5 examples")
