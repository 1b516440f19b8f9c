"""A 4-class problem with one-hot outputs, as in the course: pedestrian / car / motorcycle / truck.

Four sigmoid output units, the course's K-class cross-entropy J(Θ) with regularization, and a
softmax version for comparison (what PyTorch users would write).
"""

import argparse

from microgrboard.nn import MLP, accuracy, train
from microgrboard.nn.datasets import VEHICLES, make_vehicles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    X, Y = make_vehicles(n=120, seed=0)
    print(f"classes: {', '.join(VEHICLES)};  targets are one-hot rows such as {Y[0].astype(int).tolist()}")
    model = MLP(2, [8, 4], activation="tanh", output_activation="sigmoid", seed=0)
    history = train(model, X, Y, loss="cross_entropy", lam=1e-2, lr=1.0, momentum=0.9, epochs=60)
    print(f"sigmoid outputs + cross-entropy:  final loss {history.final_loss:.4f}  "
          f"accuracy {accuracy(model, X, Y):.1%}")

    logits = MLP(2, [8, 4], activation="tanh", output_activation="linear", seed=0)
    history = train(logits, X, Y, loss="softmax_cross_entropy", lr=0.5, momentum=0.9, epochs=60, progress=False)
    print(f"linear outputs + softmax cross-entropy:  final loss {history.final_loss:.4f}  "
          f"accuracy {accuracy(logits, X, Y):.1%}")


if __name__ == "__main__":
    main()
