"""Command line: write a board.

    python -m viz board [--fused] [-o out/board.html]     the σ circuit, stepped forward and backward
    python -m viz training [-o out/training.html]         train a small network on two moons, then its board
    python -m viz initialization [-o out/initialization.html]
                                                          one network from five starts (zeros … randn·10)
"""

from __future__ import annotations

import argparse
import pathlib

from .gallery import initialization_board, moons_training_board, sigmoid_board


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m viz", description="Write an offline HTML board.")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("board", help="step through the σ circuit's forward pass and backprop")
    one.add_argument("--fused", action="store_true", help="one σ gate instead of ×(−1), exp, +1, 1/x")
    one.add_argument("-o", "--out", default="out/board.html")
    two = commands.add_parser("training", help="train a network on two moons and show the run")
    two.add_argument("-o", "--out", default="out/training.html")
    three = commands.add_parser("initialization", help="train one network from five starts and compare them")
    three.add_argument("-o", "--out", default="out/initialization.html")
    three.add_argument("--seeds", type=int, default=10, help="how many seeds per start (default 10)")
    args = parser.parse_args(argv)
    if args.command == "board":
        path = sigmoid_board(args.out, gates=not args.fused)
    elif args.command == "training":
        path = moons_training_board(args.out)
    else:
        path = initialization_board(args.out, seeds=args.seeds)
    print(f"wrote {pathlib.Path(path).resolve()} — open it in a browser")


if __name__ == "__main__":
    main()
