"""The courses' worked examples, ready-made: the σ circuit's pictures and board, a training board, and
the initialization lesson's comparison board.

The demo, the examples and the command line (`python -m viz`) all call these, so they show the same.
"""

from __future__ import annotations

import pathlib
from collections.abc import Sequence

from microgrboard.circuits import sigmoid_neuron
from microgrboard.extend import PathLike
from microgrboard.nn import MLP, StartComparison, compare_starts, train
from microgrboard.nn.datasets import make_moons

from .board import board
from .chromium import chromium
from .comparison_board import comparison_board
from .draw import draw
from .page import InlinePage
from .render import render_graph
from .training_board import training_board

SIGMOID_TITLE = "Backprop through f(w, x) = σ(w0·x0 + w1·x1 + w2)"


def circuit_pictures(directory: PathLike) -> list[str]:
    """Write sigmoid_fused.{svg,png} (one σ gate) and sigmoid_gates.{svg,png} (σ as ×−1, exp, +1, 1/x),
    the σ circuit with every value and gradient, into `directory`; returns the paths."""
    directory = pathlib.Path(directory)
    paths = []
    for fused, name in ((True, "sigmoid_fused"), (False, "sigmoid_gates")):
        f, _ = sigmoid_neuron(fused=fused)
        f.backward()
        graph = draw(f)
        for fmt in ("svg", "png"):
            paths.append(render_graph(graph, directory / f"{name}.{fmt}", fmt))
    return paths


def sigmoid_board(path: PathLike, gates: bool = True) -> str:
    """CS231n's σ circuit, gate by gate (or with one σ gate), as a stepping board."""
    f, _ = sigmoid_neuron(fused=not gates)
    return board(f, path, title=SIGMOID_TITLE)


def moons_training_board(path: PathLike | None = None) -> str | InlinePage:
    """Train a 2-8-1 network on two moons (compiled, full batch, a snapshot after every step, and a
    held-out set of 100 more points) and write its training board."""
    X, y = make_moons(100, noise=0.1, seed=0)
    X_test, y_test = make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = train(model, X, y, loss="cross_entropy", lam=1e-3, lr=1.0, momentum=0.9, epochs=150,
                    compiled=True, progress=False, record_every=1, held_out=(X_test, y_test))
    return training_board(model, history, X, y, path, title="Training a 2-8-1 network on two moons",
                          class_names=["upper moon", "lower moon"])


def initialization_lesson(seeds: int = 10) -> tuple[StartComparison, object, object]:
    """The initialization lesson (the machine-learning course's random initialization and the deep-learning
    course's saturation) on two moons: a 2-4-1 tanh network (sigmoid output) from each
    start in `nn.starts.STARTS`, 300 full-batch steps with lr 0.5 and momentum 0.9, over `seeds` seeds.
    Returns the comparison and the data (X, y)."""
    X, y = make_moons(100, noise=0.1, seed=0)
    return compare_starts(X, y, nouts=[4, 1], seeds=range(seeds), lr=0.5, momentum=0.9, epochs=300), X, y


def initialization_board(path: PathLike | None = None, seeds: int = 10) -> str | InlinePage:
    """Run the initialization lesson and write its comparison board."""
    comparison, X, y = initialization_lesson(seeds)
    return comparison_board(comparison, X, y, path)


def screenshot(board: PathLike, png: PathLike, keys: Sequence[str] = (), focus: str | None = None,
               size: tuple[int, int] = (1400, 900), full_page: bool = True) -> str:
    """A PNG of a board in headless Chromium after pressing `keys` (with the element `focus`, a CSS
    selector, focused first), as the README's pictures are made. Needs Playwright for Python and
    Debian's Chromium (pip install playwright; sudo apt-get install chromium); never downloads a browser."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.goto(pathlib.Path(board).resolve().as_uri())
        if focus:
            page.focus(focus)
        for key in keys:
            page.keyboard.press(key)
        page.screenshot(path=str(png), full_page=full_page)
    return str(png)
