"""Still pictures, for where a page's script or an SVG output cannot run or show.

A notebook whose outputs were made elsewhere (CI, a colleague, nbclient) is *untrusted*: JupyterLab and
Notebook 7 then show no SVG output and no iframe, and sanitize every HTML output (no script, no SVG
element, no frame; an `<img>` and inline styles pass). So every chart here is a standalone SVG
document shown through `<img src="data:image/svg+xml;base64,…">`, which a trusted notebook, an
untrusted one and an exported page all show; and each board carries such pictures of itself, drawn
under its frame, for when the frame is dropped (`page.InlinePage`).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from . import labels as L
from .page import render_page

# The History's accuracy curve: blue, as the training board draws positive weights and accuracy.
ACCURACY_COLOR = "#0550ae"


class Series(NamedTuple):
    """One curve of a chart: a value per step, drawn in `color` (dashed or not), on the left axis
    (losses, which share one scale) or the right one (a fraction from 0 to 1, such as accuracy)."""

    name: str
    values: Sequence[float]
    color: str
    dashed: bool = False
    fraction: bool = False


class Still(NamedTuple):
    """A still picture for an `<img>`: its data URI and the text that says what it shows."""

    uri: str
    alt: str


def data_uri(svg: str) -> str:
    """An SVG document as a `data:` URI that an `<img>` shows (base64, so no character needs escaping)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def still(svg: str, alt: str) -> Still:
    """A picture to show where a board cannot run; Graphviz's prolog and doctype are fine inside an image."""
    return Still(data_uri(svg), alt)


def chart_svg(series: Sequence[Series], title: str, width: int = 360, height: int = 120,
              legend: bool = False) -> str:
    """A small line chart of per-step curves as a standalone SVG document (white background, its own
    fonts), from step 1 to the longest series' last step: losses scaled between their lowest and
    highest value (labelled on the left), fractions between 0 and 1; `legend` names each curve
    under the chart, in its colour."""
    left, right, top, bottom = 56, 16, 14, 30 + (18 if legend else 0)
    inner_w, inner_h = width - left - right, height - top - bottom
    losses = np.concatenate([np.asarray(s.values, dtype=float) for s in series if not s.fraction] or [[0.0]])
    low, high = float(losses.min()), float(losses.max())
    n = max(len(s.values) for s in series)

    def points(values: Sequence[float], lo: float, extent: float) -> str:
        xs = [left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2) for i in range(len(values))]
        extent = extent or 1.0
        return " ".join(f"{x:.1f},{top + inner_h * (1 - (v - lo) / extent):.1f}" for x, v in zip(xs, values))

    lines = [{"name": s.name, "color": s.color, "dashed": s.dashed,
              "points": points(s.values, 0.0, 1.0) if s.fraction else points(s.values, low, high - low)}
             for s in series]
    x = left
    for line in lines:  # the legend's entries side by side: a short stroke, then the name (≈ 6.5 px a letter)
        line["legend_x"] = x
        x += 26 + round(6.5 * len(line["name"]))
    return render_page("chart.svg", title=title, width=width, height=height, left=left, top=top, inner_w=inner_w,
                       inner_h=inner_h, n=n, high=f"{high:.3g}", low=f"{low:.3g}", lines=lines, legend=legend,
                       text_color=L.GRAD_COLOR, muted=L.MUTED_COLOR)


def history_still(history, width: int = 360, height: int = 120) -> Still:
    """A training run's loss per step (and its training accuracy, dashed) as a picture."""
    series = [Series("loss", history.loss, L.GRAD_COLOR)]
    title = f"Loss per step, from {history.loss[0]:.4g} to {history.loss[-1]:.4g} over {history.steps} steps"
    if history.accuracy:
        series.append(Series("accuracy", history.accuracy, ACCURACY_COLOR, dashed=True, fraction=True))
        title += "; training accuracy dashed (0 to 100 %)"
    return still(chart_svg(series, title, width, height), title)
