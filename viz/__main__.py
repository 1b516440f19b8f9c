"""Command line: write a board.

    python -m viz board [--fused] [-o out/board.html]     the σ circuit, stepped forward and backward
    python -m viz training [-o out/training.html]         train a small network on two moons, then its board
    python -m viz initialization [--seeds 10] [-o out/initialization.html]
                                                          one network from five starts (zeros … randn·10)
    python -m viz playground [-o out/playground.html]     train a network live in the page, then step
                                                          through one example's backprop
    python -m viz matrices [-o out/matrices.html]         the course's backprop matrices δ, Δ, D, thetaVec
                                                          (its 3-5-3 debugging network), linked to the graph
    python -m viz practice [--fused] [--forward] [-o out/practice.html]
                                                          practise the σ circuit's backprop: you compute
                                                          each step, the page checks it

-o may name a folder: the board is then written inside it under its usual name. Errors (a file that
cannot be written, Graphviz missing) are printed as one message and exit with status 1.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from microgrboard.extend import quiet_in_pipes

from .gallery import initialization_board, moons_training_board, sigmoid_board
from .matrix_board import course_matrix_board
from .playground import playground
from .practice import sigmoid_practice
from .render import GraphvizNotFoundError

COMMANDS = {  # name: (what it writes, its default file, the function that writes it)
    "board": ("step through the σ circuit's forward pass and backprop", "board.html", sigmoid_board),
    "training": ("train a network on two moons and replay the run", "training.html", moons_training_board),
    "initialization": ("train one network from five starts (zeros … randn·10) and compare them",
                       "initialization.html", initialization_board),
    "playground": ("train a network live in the page, then step through one example's backprop",
                   "playground.html", lambda path: playground(path=path)),
    "matrices": ("step through the course's backprop as matrices (δ, Δ, D, thetaVec), each entry linked to the "
                 "scalar graph", "matrices.html", course_matrix_board),
    "practice": ("practise the σ circuit's backprop: you compute each step, the page checks it", "practice.html",
                 sigmoid_practice),
}


def main(argv: list[str] | None = None) -> int:
    quiet_in_pipes()
    parser = argparse.ArgumentParser(prog="python -m viz", description="Write an offline HTML board.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, default, _) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        if name in ("board", "practice"):
            command.add_argument("--fused", action="store_true", help="one σ gate instead of ×(−1), exp, +1, 1/x")
        if name == "practice":
            command.add_argument("--forward", action="store_true", help="first predict each gate's output")
        if name == "initialization":
            command.add_argument("--seeds", type=int, default=10, help="seeds per start for the medians (default 10)")
        command.add_argument("-o", "--out", default=f"out/{default}", metavar="PATH",
                             help=f"the file to write, or a folder to write {default} in (default: out/{default})")
    args = parser.parse_args(argv)
    _, default, write = COMMANDS[args.command]
    out = pathlib.Path(args.out)
    if out.is_dir():
        out = out / default
    options = {"board": lambda: {"gates": not args.fused}, "initialization": lambda: {"seeds": args.seeds},
               "practice": lambda: {"gates": not args.fused, "forward": args.forward}}
    try:
        path = write(out, **options.get(args.command, dict)())
    except (OSError, GraphvizNotFoundError) as err:
        print(f"python -m viz {args.command}: {err}", file=sys.stderr)
        return 1
    print(f"wrote {pathlib.Path(path).resolve()} — open it in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
