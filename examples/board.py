"""The boards: the σ circuit stepped forward and backward, and a training run, as offline HTML pages.

    python examples/board.py [OUTPUT_DIRECTORY] [--screenshot PNG]      (default: out/)

--screenshot also saves a picture of the σ board at its 12th step (needs Playwright and Chromium:
pip install playwright; sudo apt-get install chromium), as in the README.
"""

import argparse
import pathlib
import shutil

from viz.gallery import moons_training_board, sigmoid_board


def screenshot(board: str, png: str, steps: int = 12) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 620})
        page.goto(pathlib.Path(board).resolve().as_uri())
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        page.screenshot(path=png)
        browser.close()


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
        screenshot(board, args.screenshot)
        print(f"wrote {args.screenshot}")


if __name__ == "__main__":
    main()
