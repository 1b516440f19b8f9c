"""The headline picture: f(w, x) = σ(w0·x0 + w1·x1 + w2) with w = (2, −3, −3), x = (−1, −2), drawn
the way the classic backprop circuit diagrams are: every wire with its value (green, above) and its
gradient (red, below). Two pictures: one fused σ gate, and σ expanded into ×(−1), exp, +1 and 1/x.

    python examples/sigmoid_neuron.py [OUTPUT_DIRECTORY]      (default: out/)
"""

import argparse
import pathlib

from viz.gallery import circuit_pictures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out", help="where to write (default: out/)")
    directory = pathlib.Path(parser.parse_args().directory)
    for path in circuit_pictures(directory):
        print(f"wrote {pathlib.Path(path).resolve()}")


if __name__ == "__main__":
    main()
