"""The boards: the σ circuit stepped forward and backward, and a training run, as offline HTML pages.

    python examples/board.py [OUTPUT_DIRECTORY] [--screenshot PNG]      (default: out/)

--screenshot also saves a picture of the σ board at its 12th step (needs Playwright and Chromium:
pip install playwright; sudo apt-get install chromium), as in the README.
"""

import argparse
import pathlib

from viz.gallery import moons_training_board, screenshot, sigmoid_board


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default="out")
    parser.add_argument("--screenshot", metavar="PNG")
    args = parser.parse_args()
    directory = pathlib.Path(args.directory)
    board = sigmoid_board(directory / "board.html")
    print(f"wrote {pathlib.Path(board).resolve()}")
    print(f"wrote {pathlib.Path(moons_training_board(directory / 'training.html')).resolve()}")
    if args.screenshot:
        screenshot(board, args.screenshot, keys=["ArrowRight"] * 12, size=(1400, 620), full_page=False)
        print(f"wrote {args.screenshot}")


if __name__ == "__main__":
    main()
