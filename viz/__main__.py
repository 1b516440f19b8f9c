"""Command line: write a board.

    python -m viz board [--gates] [-o out/board.html]     the σ circuit, stepped forward and backward
    python -m viz training [-o out/training.html]         train a small network on two moons, then its board
"""

from __future__ import annotations

import argparse
import pathlib

from microgrboard.circuits import sigmoid_neuron
from microgrboard.nn import MLP, train
from microgrboard.nn.datasets import make_moons

from .board import board
from .training_board import training_board


def write_sigmoid_board(path: str, gates: bool = True) -> str:
    """The seeds' σ circuit, gate by gate (or with one σ gate), as a stepping board."""
    f, _ = sigmoid_neuron(fused=not gates)
    return board(f, path, title="Backprop through f(w, x) = σ(w0·x0 + w1·x1 + w2)")


def write_training_board(path: str) -> str:
    """Train a 2-8-1 network on two moons (compiled, full batch) and write its training board."""
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = train(model, X, y, loss="cross_entropy", lam=1e-3, lr=1.0, momentum=0.9, epochs=150,
                    compiled=True, progress=False)
    return training_board(model, history, X, y, path, title="Training a 2-8-1 network on two moons")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m viz", description="Write an offline HTML board.")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("board", help="step through the σ circuit's forward pass and backprop")
    one.add_argument("--fused", action="store_true", help="one σ gate instead of ×(−1), exp, +1, 1/x")
    one.add_argument("-o", "--out", default="out/board.html")
    two = commands.add_parser("training", help="train a network on two moons and show the run")
    two.add_argument("-o", "--out", default="out/training.html")
    args = parser.parse_args(argv)
    if args.command == "board":
        path = write_sigmoid_board(args.out, gates=not args.fused)
    else:
        path = write_training_board(args.out)
    print(f"wrote {pathlib.Path(path).resolve()} — open it in a browser")


if __name__ == "__main__":
    main()
