"""The initialization board: the same network trained from several starts (`nn.starts`), side by side.

Three charts share the steps — the loss of each run, the share of its hidden units that are saturated
(or dead), and how many of its hidden units are still distinct (symmetry) — and a slider with Play
moves a marker over them and redraws each run's decision regions at that step. A table gives the
medians over all the seeds that were run. One offline HTML page, like every board.
"""

from __future__ import annotations

import numpy as np

from microgrboard.nn import StartComparison, activation_of, true_classes

from .page import InlinePage, PathLike, page_or_file, render_page
from .stills import Series, Still, chart_svg, still
from .training_board import CLASS_FILL, CLASS_POINT, plane, snapshot_data

RUN_COLORS = ["#424a53", "#0550ae", "#1a7f37", "#8250df", "#c21f30", "#bc4c00", "#7d4e00"]  # one per start
GRID = 32  # each run's decision regions: GRID × GRID cells


def comparison_board(comparison: StartComparison, X, y, path: PathLike | None = None,
                     title: str | None = None) -> str | InlinePage:
    """The board of a `compare_starts` result on its data X, y: written to `path` (returns the path),
    or without a path an `InlinePage` for a notebook."""
    runs = comparison.board_runs()
    if not runs or not all(r.history.snapshots for r in runs):
        raise ValueError("comparison_board: the runs have no snapshots; call compare_starts with record_every=k")
    steps = [[s.step for s in r.history.snapshots] for r in runs]
    if any(s != steps[0] for s in steps):
        raise ValueError("comparison_board: the runs were recorded at different steps; train them alike")
    X = np.asarray(X, dtype=float)
    model = runs[0].model
    data = {
        "runs": [{"start": r.start, "loss": r.history.loss, **snapshot_data(r.history.snapshots)} for r in runs],
        "activations": [activation_of(model, l) for l in range(len(model.layers))],
        "units": model.nouts[0],
        "plane": {**plane(X), "grid": GRID, "points": np.round(X, 6).tolist(),
                  "labels": true_classes(model, y).tolist()} if X.shape[1] == 2 else None,
    }
    network = f"{model.nin}-" + "-".join(str(n) for n in model.nouts)
    title = title or f"Initialization: one {network} network ({model.activation}) from {len(runs)} starts"
    page = render_page(
        "comparison_board.html", title=title, steps=runs[0].history.steps, network=network,
        activation=model.activation, runs=[(r.start, c) for r, c in zip(runs, RUN_COLORS * 3)],
        rows=comparison.rows(), target=comparison.target, seeds=len(next(iter(comparison.runs.values()))),
        classes=list(zip(CLASS_FILL, CLASS_POINT)), has_plane=data["plane"] is not None,
        snapshots=len(steps[0]), data=data, script="comparison_board.js")
    return page_or_file(page, title, path, height=1000, stills=lambda: [_loss_still(runs)])


def _loss_still(runs) -> Still:
    """Every start's loss per step, one curve each, as a picture."""
    series = [Series(r.start, r.history.loss, color) for r, color in zip(runs, RUN_COLORS * 3)]
    title = "Loss per step of each start: " + ", ".join(r.start for r in runs)
    return still(chart_svg(series, title, 560, 200, legend=True), title)
