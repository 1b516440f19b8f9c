"""Regression with the course's squared-error cost J = (1/m) Σ ½‖h(x) − y‖² + (λ/2) Σ W²."""

import argparse

import numpy as np

from microgrboard.nn import MLP, train
from microgrboard.nn.datasets import make_regression


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    X, y = make_regression(n=40, noise=0.05, seed=0)
    model = MLP(1, [12, 1], activation="tanh", output_activation="linear", init="xavier", seed=0)
    history = train(model, X, y, loss="squared_error", lam=1e-4, lr=0.2, momentum=0.9, epochs=150)
    predictions = np.array([model(x).data for x in X.tolist()])
    print(f"final loss {history.final_loss:.5f}")
    print(f"root-mean-square error {np.sqrt(np.mean((predictions - y) ** 2)):.4f} (noise level 0.05)")
    print(f"accuracy (R², the regression counterpart) {1 - np.var(predictions - y) / np.var(y):.3f}")


if __name__ == "__main__":
    main()
