"""Backprop as a film strip: one SVG per backprop step of the σ circuit, the active wire in orange,
the gradients known so far filled in, and the step's "local × upstream = contribution" as caption.

    python examples/backprop_frames.py [OUTPUT_DIRECTORY]      (default: out/frames)
"""

import argparse
import pathlib

import viz
from microgrboard.circuits import sigmoid_neuron


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default="out/frames", help="where to write (default: out/frames/)")
    directory = pathlib.Path(parser.parse_args().directory)
    f, _ = sigmoid_neuron(fused=False)
    paths = viz.write_frames(f, directory, format="svg", show_local=True)
    print(f"wrote {len(paths)} frames, one per backprop step: {paths[0]} … {paths[-1]}")


if __name__ == "__main__":
    main()
