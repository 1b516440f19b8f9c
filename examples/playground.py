"""The playground: one offline page that trains a network live, then steps through one example's backprop.

    python examples/playground.py [OUTPUT_DIRECTORY] [--screenshot PNG]      (default: out/)

Writes playground.html (moons, circles, xor and spiral) and playground_yours.html, which adds your own
points from Python: here three clusters, passed as X (m × 2) and y (one label per point). Open either in
a browser, pick a data set and a network, press Play; pause, click a point or a unit, and press → to step
through its backprop.

--screenshot PNG also saves the README's picture: the spiral half learned by a 2-8-8-1 network, then one
neuron's part of the backprop of the example it gets most wrong, a few steps in (needs Playwright and Chromium:
pip install playwright; sudo apt-get install chromium).
"""

import argparse
import pathlib

import numpy as np

import viz
from microgrboard.nn import MLP, predict
from viz.chromium import chromium


def three_clusters(n: int = 150, seed: int = 0):
    """Your own data, as you would have it: points in the plane and a label for each."""
    rng = np.random.default_rng(seed)
    centres = {"red": (-1.0, -0.6), "green": (1.0, -0.6), "blue": (0.0, 1.0)}
    labels = rng.choice(list(centres), size=n)
    X = np.array([centres[label] for label in labels]) + rng.normal(scale=0.45, size=(n, 2))
    return X, labels


def worst_example(thetas, points, labels) -> int:
    """The example the page's network gets most wrong: its σ output furthest from its class (the page's
    weights, put into a Python model)."""
    model = MLP(2, [len(t) for t in thetas], activation="tanh", output_activation="sigmoid", init="zeros")
    model.set_weight_matrices([np.array(t) for t in thetas])
    return int(np.argmax(np.abs(predict(model, points)[:, 0] - np.array(labels))))


def screenshot(page_path: pathlib.Path, png: pathlib.Path, steps: int = 400) -> str:
    """Train the spiral in the page, open layer2.neuron3 on the example it gets most wrong, step into its
    backprop, and save a PNG."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("document.body.dataset.ready === 'true'")
        page.evaluate(f"playground.train({steps})")
        data = page.evaluate("playground.dataset()")
        worst = worst_example(page.evaluate("playground.thetas()"), data["points"], data["labels"])
        page.fill("#example", str(worst))
        page.click("#inspect-example")
        page.click("#unit-2-3")
        for _ in range(30):
            page.keyboard.press("ArrowRight")
        page.screenshot(path=str(png), full_page=True)
    return str(png)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out")
    parser.add_argument("--screenshot", metavar="PNG", help="also save the README's picture of the playground")
    args = parser.parse_args()
    directory = pathlib.Path(args.directory)
    page = pathlib.Path(viz.playground(path=directory / "playground.html", dataset="spiral"))
    print(f"wrote {page.resolve()}")
    X, y = three_clusters()
    yours = viz.playground(X, y, directory / "playground_yours.html", hidden=(6,), loss="softmax_cross_entropy")
    print(f"wrote {pathlib.Path(yours).resolve()}")
    if args.screenshot:
        print(f"wrote {screenshot(page, pathlib.Path(args.screenshot))}")


if __name__ == "__main__":
    main()
