"""Every board, as offline HTML pages: the σ circuit stepped forward and backward, the moons training
run replayed step by step, and the initialization lesson (one network from five starts).

    python examples/boards.py [OUTPUT_DIRECTORY] [--screenshots]      (default: out/)

--screenshots also saves the README's pictures of them: board.png (the σ board at its 12th step),
training_board.png (the run at step 40) and initialization_board.png (needs Playwright and Chromium:
pip install playwright; sudo apt-get install chromium).
"""

import argparse
import pathlib

from viz.gallery import initialization_board, moons_training_board, screenshot, sigmoid_board

# name: (writes the board, its picture, the keys pressed before the picture, screenshot options)
BOARDS = {
    "board.html": (sigmoid_board, "board.png", ["ArrowRight"] * 12, {"size": (1400, 620), "full_page": False}),
    "training.html": (moons_training_board, "training_board.png", ["Home"] + ["ArrowRight"] * 40,
                      {"focus": "#step"}),
    "initialization.html": (initialization_board, "initialization_board.png", [], {"focus": "#step"}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out")
    parser.add_argument("--screenshots", action="store_true")
    args = parser.parse_args()
    directory = pathlib.Path(args.directory)
    for name, (write, picture, keys, options) in BOARDS.items():
        board = pathlib.Path(write(directory / name))
        print(f"wrote {board.resolve()}")
        if args.screenshots:
            print(f"wrote {screenshot(board, directory / picture, keys, **options)}")


if __name__ == "__main__":
    main()
