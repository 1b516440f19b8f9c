"""Command line: write a board, an offline HTML page.

    python -m viz --help                  the commands, one line each
    python -m viz board [--fused] [-o out/board.html]
    python -m viz COMMAND --help          one command's options

Every command takes -o PATH, the file to write; a folder there gets the board under its usual name.
Errors (a file that cannot be written, Graphviz missing) are printed as one message and exit with
status 1; a bad argument exits with status 2 and the usage.

A new command is one entry of COMMANDS: its help line, its file name, the options it adds (`option(...)`
takes argparse's add_argument arguments) and a function that writes the board to a path, given the
parsed arguments.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from dataclasses import dataclass, field
from typing import Callable

from microgrboard.extend import quiet_in_pipes

from .gallery import initialization_board, moons_training_board, sigmoid_board
from .matrix_board import course_matrix_board
from .playground import playground
from .practice import sigmoid_practice
from .render import GraphvizNotFoundError


def option(*names: str, **settings) -> tuple[tuple[str, ...], dict]:
    """One command-line option, as argparse's `add_argument(*names, **settings)` takes it."""
    return names, settings


@dataclass(frozen=True)
class Command:
    help: str  # one line, shown by `python -m viz --help`
    default: str  # the file it writes, under out/ unless -o says otherwise
    write: Callable[[pathlib.Path, argparse.Namespace], str]  # writes the board to the path, returns it
    options: list = field(default_factory=list)  # option(...) for each of its own options


FUSED = option("--fused", action="store_true", help="one σ gate instead of ×(−1), exp, +1, 1/x")

COMMANDS = {
    "board": Command("step through the σ circuit's forward pass and backprop", "board.html",
                     lambda path, args: sigmoid_board(path, gates=not args.fused),
                     [FUSED]),
    "training": Command("train a network on two moons and replay the run", "training.html",
                        lambda path, args: moons_training_board(path)),
    "initialization": Command("train one network from five starts (zeros … randn·10) and compare them",
                              "initialization.html",
                              lambda path, args: initialization_board(path, seeds=args.seeds),
                              [option("--seeds", type=int, default=10,
                                      help="seeds per start for the medians (default 10)")]),
    "playground": Command("train a network live in the page, then step through one example's backprop",
                          "playground.html", lambda path, args: playground(path=path)),
    "matrices": Command("step through the course's backprop as matrices (δ, Δ, D, thetaVec), each entry linked to "
                        "the scalar graph", "matrices.html", lambda path, args: course_matrix_board(path)),
    "practice": Command("practise the σ circuit's backprop: you compute each step, the page checks it",
                        "practice.html",
                        lambda path, args: sigmoid_practice(path, gates=not args.fused, forward=args.forward),
                        [FUSED, option("--forward", action="store_true", help="first predict each gate's output")]),
}


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per entry of COMMANDS, each with its options and -o."""
    top = argparse.ArgumentParser(prog="python -m viz", description="Write an offline HTML board.")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=command.help, description=command.help)
        for names, settings in command.options:
            sub.add_argument(*names, **settings)
        sub.add_argument("-o", "--out", default=f"out/{command.default}", metavar="PATH",
                         help=f"the file to write, or a folder to write {command.default} in "
                              f"(default: out/{command.default})")
    return top


def main(argv: list[str] | None = None) -> int:
    quiet_in_pipes()
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown:  # named before a missing command is, so that the learner sees what was wrong first
        top.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        top.error(f"the following arguments are required: COMMAND (one of {', '.join(COMMANDS)})")
    command = COMMANDS[args.command]
    out = pathlib.Path(args.out)
    if out.is_dir():
        out = out / command.default
    try:
        path = command.write(out, args)
    except (OSError, GraphvizNotFoundError) as err:
        print(f"python -m viz {args.command}: {err}", file=sys.stderr)
        return 1
    print(f"wrote {pathlib.Path(path).resolve()} — open it in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
