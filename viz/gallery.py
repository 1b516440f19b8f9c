"""The seeds' worked examples, ready-made: the σ circuit's pictures and board, and a training board.

The demo, the examples and the command line (`python -m viz`) all call these, so they show the same.
"""

from __future__ import annotations

import pathlib

from microgrboard.circuits import sigmoid_neuron
from microgrboard.files import PathLike
from microgrboard.nn import MLP, train
from microgrboard.nn.datasets import make_moons

from .board import board
from .draw import draw
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
    """The seeds' σ circuit, gate by gate (or with one σ gate), as a stepping board."""
    f, _ = sigmoid_neuron(fused=not gates)
    return board(f, path, title=SIGMOID_TITLE)


def moons_training_board(path: PathLike) -> str:
    """Train a 2-8-1 network on two moons (compiled, full batch) and write its training board."""
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = train(model, X, y, loss="cross_entropy", lam=1e-3, lr=1.0, momentum=0.9, epochs=150,
                    compiled=True, progress=False)
    return training_board(model, history, X, y, path, title="Training a 2-8-1 network on two moons")
