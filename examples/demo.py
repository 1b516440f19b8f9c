"""The main demo (the README's first command): the seeds' σ circuit — its values, its gradients and
the chain-rule walk step by step — and its circuit diagrams written as SVG and PNG.

    python examples/demo.py [OUTPUT_DIRECTORY]      (default: out/)
"""

import pathlib
import sys

from sigmoid_neuron import write_pictures

from microgrboard.demo import main as engine_demo


def main() -> None:
    engine_demo()
    directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    print("\n== the circuit diagrams (value above each wire in green, gradient below in red)")
    for path in write_pictures(directory):
        print(f"wrote {pathlib.Path(path).resolve()}")


if __name__ == "__main__":
    main()
