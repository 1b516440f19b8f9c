"""A 2-4-4-1 network on one input, drawn with one cluster per neuron and per layer; and a 2-16-16-1
network, too large to draw node by node, drawn as one box per neuron.

    python examples/network_diagram.py [OUTPUT_DIRECTORY]      (default: out/)
"""

import argparse
import pathlib

import viz
from microgrboard.nn import MLP


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out", help="where to write (default: out/)")
    directory = pathlib.Path(parser.parse_args().directory)
    for sizes, name in (([4, 4, 1], "network_2-4-4-1"), ([16, 16, 1], "network_2-16-16-1")):
        model = MLP(2, sizes, activation="tanh", output_activation="sigmoid", seed=0)
        out = model([0.5, -1.0])
        out.backward()
        path = viz.render(out, directory / f"{name}.svg", precision=3)
        print(f"wrote {pathlib.Path(path).resolve()}")


if __name__ == "__main__":
    main()
