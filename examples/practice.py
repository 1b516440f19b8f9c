"""Learn by doing: the σ circuit's practice board, a bug hunt, and a few answers checked in Python.

    python examples/practice.py [OUTPUT_DIRECTORY] [--screenshot]      (default: out/)

Writes practice.html (you compute each backprop step; the page checks it) and bug_hunt.html (backprop
with the "no-upstream" bug: find its first wrong step). --screenshot also saves practice.png, the board
after one right step and one classic mistake, as docs/practice.md shows it (needs Playwright and
Chromium: pip install playwright; sudo apt-get install chromium).
"""

import argparse
import pathlib

import viz
from microgrboard import practice
from microgrboard.circuits import sigmoid_neuron
from viz.chromium import chromium


def screenshot(board: pathlib.Path, png: pathlib.Path) -> str:
    """The practice board after step 1 answered right and step 2 with the no-upstream mistake."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 860})
        page.goto(board.resolve().as_uri())
        for local, grad in (("-1/1.3679^2", "-0.5344*1"), ("1", "1")):
            page.get_by_role("textbox", name="local derivative").fill(local)
            page.get_by_role("textbox", name="gradient").fill(grad)
            page.keyboard.press("Enter")
        page.screenshot(path=str(png), full_page=False)
    return str(png)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out")
    parser.add_argument("--screenshot", action="store_true")
    args = parser.parse_args()
    directory = pathlib.Path(args.directory)
    f, _ = sigmoid_neuron(fused=False)
    board = pathlib.Path(viz.practice(f, directory / "practice.html"))
    print(f"wrote {board.resolve()}")
    print(f"wrote {pathlib.Path(viz.board(f, directory / 'bug_hunt.html', bug='no-upstream')).resolve()}")
    session = practice(f)  # the same questions in Python: the first two steps, one of them wrong
    print(session)
    print(session.answer(local="-1/1.3679^2", grad="-0.5344*1"))
    print(session.answer(local=1, grad=1))
    if args.screenshot:
        print(f"wrote {screenshot(board, directory / 'practice.png')}")


if __name__ == "__main__":
    main()
