"""Gradient checking for a whole network, as the course does it.

The slide's network has Θ⁽¹⁾ ∈ R^{10×11}, Θ⁽²⁾ ∈ R^{10×11} and Θ⁽³⁾ ∈ R^{1×11}: 10 inputs, two
hidden layers of 10 units and one output, 231 parameters in all. Backprop's unrolled gradient (DVec)
is compared with gradApprox = (J(θ+ε) − J(θ−ε)) / 2ε, ε = 1e-4, on J(Θ) with regularization.
"""

import argparse

import numpy as np

from microgrboard.nn import MLP, check_gradients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 10))
    y = rng.integers(0, 2, size=5)
    # The slide's Θ⁽¹⁾ ∈ R^{10×11}, Θ⁽²⁾ ∈ R^{10×11}, Θ⁽³⁾ ∈ R^{1×11}: 10 inputs, two hidden layers of 10, 1 output.
    model = MLP(10, [10, 10, 1], activation="sigmoid", seed=0)
    print(f"parameters: {len(model.parameters())} (unrolled θ, as thetaVec = [Theta1(:); Theta2(:); Theta3(:)])")
    report = check_gradients(model, X, y, loss="cross_entropy", lam=1.0, eps=1e-4)
    print(report)
    verdict = "backprop is right" if report.relative_difference < 1e-9 else "backprop looks WRONG"
    print(f"relative difference {report.relative_difference:.2e}: {verdict}")
    print("Now turn gradient checking off before training: it costs 2 forward passes per parameter.")


if __name__ == "__main__":
    main()
