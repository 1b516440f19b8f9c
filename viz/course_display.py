"""The course's matrices in a notebook: `nn.course_backprop`'s result and `nn.check_nn_gradients`'
table as HTML tables (registered by `viz.display` for IPython)."""

from __future__ import annotations

from microgrboard.nn import CourseBackprop, NNGradientCheck, layer_mark

from .page import render_page

LOSSES = {"cross_entropy": "the cross-entropy cost", "squared_error": "the squared error ½‖h − y‖²"}


def _rounded(M) -> list[list[str]]:
    return [[("0" if f"{x:.4g}" == "-0" else f"{x:.4g}") for x in row] for row in M.tolist()]


def course_backprop_html(r: CourseBackprop) -> str:
    """Per layer: the shape as the course names it, then Θ, Δ and D rounded; the note; the check."""
    layers = []
    for l in r.Theta:
        where, mark = r.unrolled[l], layer_mark(l)
        matrices = [(f"Θ{mark}", _rounded(r.Theta[l])), (f"Δ{mark} after all {r.m} examples", _rounded(r.Delta[l])),
                    (f"D{mark}", _rounded(r.D[l]))]
        layers.append({"l": l, "mark": mark, "shape": r.shape(l), "first": where.first, "last": where.last,
                       "start": where.start, "stop": where.stop, "matrices": matrices})
    return render_page("course_backprop.html", r=r, layers=layers, loss=LOSSES[r.loss])


def gradient_check_html(check: NNGradientCheck) -> str:
    """gradApprox beside DVec, entry by entry, and the verdict."""
    rows = [(n, name, f"{a:.6g}", f"{b:.6g}")
            for n, (name, a, b) in enumerate(zip(check.entries, check.numerical, check.analytic), start=1)]
    return render_page("nn_gradient_check.html", check=check, rows=rows)
