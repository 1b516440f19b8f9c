"""The two boards about training, as offline HTML pages: the moons run replayed step by step, and the
initialization lesson (one network from five starts).

    python examples/training_boards.py [OUTPUT_DIRECTORY] [--screenshots]      (default: out/)

--screenshots also saves training_board.png (the run at step 40) and initialization_board.png, the
pictures in the README (needs Playwright and Chromium: pip install playwright; sudo apt-get install chromium).
"""

import argparse
import pathlib
import shutil

from viz.gallery import initialization_board, moons_training_board


def screenshot(board: pathlib.Path, png: pathlib.Path, snapshot: int | None = None) -> None:
    """A picture of the whole page, with the slider moved to `snapshot` first."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(board.resolve().as_uri())
        if snapshot is not None:
            page.focus("#step")
            page.keyboard.press("Home")
            for _ in range(snapshot):
                page.keyboard.press("ArrowRight")
        page.screenshot(path=str(png), full_page=True)
        browser.close()


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
        for board, name, snapshot in ((training, "training_board.png", 40),
                                      (initialization, "initialization_board.png", None)):
            screenshot(board, directory / name, snapshot)
            print(f"wrote {directory / name}")


if __name__ == "__main__":
    main()
