"""Handwritten digits with the course's network: 64 inputs (8×8 pixels), 25 sigmoid hidden units, 10
sigmoid outputs, the regularized cross-entropy J(Θ), on scikit-learn's digits (shipped with the
package, no download). Training is mini-batch gradient descent through the batch compiler: the
scalar graph of one example's loss, traced once, run on 100 examples at a time at numpy speed. In a
terminal a progress bar shows the loss as it trains.

    pip install scikit-learn        (or: pip install -e '.[examples]')
    python examples/digits.py
"""

import argparse
import sys
import time

import numpy as np

from microgrboard.nn import MLP, accuracy, train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit("this example needs scikit-learn: pip install scikit-learn (or pip install -e '.[examples]')")
    digits = load_digits()
    X = digits.data / 16.0  # pixel intensities 0..16 → 0..1
    Y = np.eye(10)[digits.target]  # one-hot rows, as the course's y ∈ R^K
    order = np.random.default_rng(0).permutation(len(X))
    train_idx, test_idx = order[:1400], order[1400:]

    model = MLP(64, [25, 10], activation="sigmoid", seed=0)  # Θ⁽¹⁾ 25×65, Θ⁽²⁾ 10×26
    start = time.perf_counter()
    history = train(model, X[train_idx], Y[train_idx], loss="cross_entropy", lam=0.3, lr=1.0, momentum=0.9,
                    epochs=40, batch_size=100, compiled=True)
    seconds = time.perf_counter() - start
    print(f"trained {len(model.parameters())} parameters on {len(train_idx)} digits in {seconds:.1f} s")
    print(f"final loss {history.final_loss:.4f}")
    print(f"training accuracy {accuracy(model, X[train_idx], Y[train_idx], compiled=True):.1%}")
    held_out = accuracy(model, X[test_idx], Y[test_idx], compiled=True)
    print(f"held-out accuracy {held_out:.1%} on {len(test_idx)} unseen digits")


if __name__ == "__main__":
    main()
