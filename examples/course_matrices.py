"""The course's backpropagation as matrices — a⁽ˡ⁾, z⁽ˡ⁾, δ⁽ˡ⁾, Δ⁽ˡ⁾, D⁽ˡ⁾ and thetaVec — read from the
scalar graph, on the exercise's 3-5-3 debugging network; its gradient check; and the matrix board.

    python examples/course_matrices.py [OUTPUT_DIRECTORY] [--screenshot PNG]     (default: out/)

--screenshot also saves a picture of the board at example 2's δ⁽²⁾, with δ₂⁽²⁾ linked to its node on the
scalar graph (needs Playwright and Chromium: pip install playwright; sudo apt-get install chromium).
"""

import argparse
import pathlib

import viz
from microgrboard.nn import check_nn_gradients, course_backprop, debug_network
from viz.chromium import chromium


def screenshot(board: pathlib.Path, png: str) -> str:
    """The board at step 16 (example 2's δ⁽²⁾), δ₂⁽²⁾ clicked: its sentence and its node lit."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(board.resolve().as_uri())
        for _ in range(16):
            page.keyboard.press("ArrowRight")
        page.get_by_role("button", name="δ₂⁽²⁾").click()
        page.screenshot(path=png)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out")
    parser.add_argument("--screenshot", metavar="PNG")
    args = parser.parse_args()
    model, X, Y = debug_network()  # checkNNGradients' network: weights and inputs made from sin
    r = course_backprop(model, X, Y, lam=1.0)
    print(r, end="\n\n")
    print(r.examples[1], end="\n\n")
    print(check_nn_gradients(lam=1.0).verdict)
    board = pathlib.Path(viz.matrix_board(model, X, Y, pathlib.Path(args.directory) / "matrices.html", lam=1.0))
    print(f"wrote {board.resolve()}")
    if args.screenshot:
        print(f"wrote {screenshot(board, args.screenshot)}")


if __name__ == "__main__":
    main()
