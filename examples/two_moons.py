"""Binary classification of two interleaving moons with a 2-16-16-1 network (tanh hidden, sigmoid out).

Cost: the course's cross-entropy J(Θ) with a small λ; optimizer: gradient descent with momentum. In a
terminal, `train` shows a progress bar with the current loss while it runs (progress=False hides it).
"""

import argparse

from microgrboard.nn import MLP, accuracy, train
from microgrboard.nn.datasets import make_moons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    X, y = make_moons(n=100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="tanh", output_activation="sigmoid", init="xavier", seed=1)
    history = train(model, X, y, loss="cross_entropy", lam=1e-3, lr=1.0, momentum=0.9, epochs=60)
    print(f"final loss {history.final_loss:.4f}")
    print(f"training accuracy {accuracy(model, X, y):.1%}")


if __name__ == "__main__":
    main()
