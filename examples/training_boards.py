"""The two boards about training, as offline HTML pages: the moons run replayed step by step, and the
initialization lesson (one network from five starts).

    python examples/training_boards.py [OUTPUT_DIRECTORY] [--screenshots]      (default: out/)

--screenshots also saves training_board.png (the run at step 40) and initialization_board.png, the
pictures in the README (needs Playwright and Chromium: pip install playwright; sudo apt-get install chromium).
"""

import argparse
import pathlib

from viz.gallery import initialization_board, moons_training_board, screenshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default="out")
    parser.add_argument("--screenshots", action="store_true")
    args = parser.parse_args()
    directory = pathlib.Path(args.directory)
    training = pathlib.Path(moons_training_board(directory / "training.html"))
    print(f"wrote {training.resolve()}")
    initialization = pathlib.Path(initialization_board(directory / "initialization.html"))
    print(f"wrote {initialization.resolve()}")
    if args.screenshots:
        for board, name, keys in ((training, "training_board.png", ["Home"] + ["ArrowRight"] * 40),
                                  (initialization, "initialization_board.png", [])):
            print(f"wrote {screenshot(board, directory / name, keys, focus='#step')}")


if __name__ == "__main__":
    main()
