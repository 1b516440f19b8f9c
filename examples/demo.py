"""The main demo (the README's first command): CS231n's σ circuit — its values, its gradients and
the chain-rule walk step by step — its circuit diagrams written as SVG and PNG, and the board, an
offline HTML page that steps through it.

    python examples/demo.py [OUTPUT_DIRECTORY]      (default: out/)
"""

import argparse
import pathlib

from microgrboard.demo import main as engine_demo
from microgrboard.extend import quiet_in_pipes
from viz import GraphvizNotFoundError
from viz.gallery import circuit_pictures, sigmoid_board


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out", help="where to write (default: out/)")
    directory = pathlib.Path(parser.parse_args().directory)
    quiet_in_pipes()
    engine_demo()
    print("\n== the circuit diagrams (value above each wire in green, gradient below in red)")
    try:
        paths = circuit_pictures(directory)
    except GraphvizNotFoundError as err:  # everything above needed no Graphviz; the pictures and board do
        print(f"skipped the pictures and the board, which Graphviz draws: {err}")
        return
    for path in paths:
        print(f"wrote {pathlib.Path(path).resolve()}")
    board = pathlib.Path(sigmoid_board(directory / "board.html")).resolve()
    print(f"\n== the board: open {board} in a browser and press → to step through backprop")


if __name__ == "__main__":
    main()
