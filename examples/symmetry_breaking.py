"""Why zero initialization fails: with every Θ = 0, all hidden units compute the same function, get
the same δ and the same update, so after any number of gradient-descent steps their incoming
weights are still identical (the layer behaves like one unit). Random initialization breaks the tie.
"""

import argparse

import numpy as np

from microgrboard.nn import MLP, accuracy, train
from microgrboard.nn.datasets import make_moons


def hidden_spread(model: MLP) -> float:
    """The largest difference between two hidden units' incoming weights (0 means all identical)."""
    theta1 = model.weight_matrices()[0]  # rows: hidden units; columns: bias, w1, w2
    return float(np.max(np.abs(theta1[:, None, :] - theta1[None, :, :])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    X, y = make_moons(n=60, noise=0.1, seed=0)
    for init in ("zeros", "uniform"):
        model = MLP(2, [4, 1], activation="sigmoid", init=init, seed=0)
        history = train(model, X, y, loss="cross_entropy", lr=2.0, momentum=0.9, epochs=150, progress=False)
        theta1 = model.weight_matrices()[0]
        print(f"\ninit={init!r}: after {len(history.loss)} steps, Θ⁽¹⁾ (bias, w1, w2 per hidden unit) =")
        print(np.array2string(theta1, precision=4, suppress_small=True))
        print(f"largest difference between hidden units: {hidden_spread(model):.3g}")
        print(f"final loss {history.final_loss:.4f}, training accuracy {accuracy(model, X, y):.1%}")


if __name__ == "__main__":
    main()
