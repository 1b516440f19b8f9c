"""The headline picture: f(w, x) = σ(w0·x0 + w1·x1 + w2) with w = (2, −3, −3), x = (−1, −2), drawn
the way the classic backprop circuit diagrams are: every wire with its value (green, above) and its
gradient (red, below). Two pictures: one fused σ gate, and σ expanded into ×(−1), exp, +1 and 1/x.

    python examples/sigmoid_neuron.py [OUTPUT_DIRECTORY]      (default: out/)
"""

import pathlib
import sys

import viz
from microgrboard.circuits import sigmoid_neuron


def write_pictures(directory: pathlib.Path) -> list[str]:
    """Write sigmoid_fused.{svg,png} and sigmoid_gates.{svg,png} into `directory`; return the paths."""
    paths = []
    for fused, name in ((True, "sigmoid_fused"), (False, "sigmoid_gates")):
        f, _ = sigmoid_neuron(fused=fused)
        f.backward()
        graph = viz.draw(f)
        for fmt in ("svg", "png"):
            paths.append(viz.render_graph(graph, directory / f"{name}.{fmt}", fmt))
    return paths


def main() -> None:
    directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    for path in write_pictures(directory):
        print(f"wrote {pathlib.Path(path).resolve()}")


if __name__ == "__main__":
    main()
