"""Gradient flow, layer by layer: do the gradients reach the first layers, or do they vanish?

A deep network of sigmoid units (2-8-8-8-8-1) on two moons: backprop multiplies δ by σ'(z) ≤ 0.25 at
every layer on its way down, so the first layers get gradients orders of magnitude smaller than the
last, and learn slowly. The same network with tanh hidden units (g' ≤ 1) passes them on much better.
`nn.gradient_report` gives the numbers: mean |∂J/∂W| and mean |δ| per layer, the share of saturated
units, and the distinct units; `train(..., record_every=k)` keeps one for every k steps.

    python examples/gradient_flow.py
"""

import argparse

from microgrboard.nn import MLP, gradient_report, train
from microgrboard.nn.datasets import make_moons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()  # it takes no arguments: --help, or a refusal of anything else
    X, y = make_moons(n=100, noise=0.1, seed=0)
    for activation in ("sigmoid", "tanh"):
        model = MLP(2, [8, 8, 8, 8, 1], activation=activation, output_activation="sigmoid", init="xavier", seed=0)
        print(f"\n{activation} hidden units, before training:")
        before = gradient_report(model, X, y)
        print(before)
        first, last = before.layers[0].weight_grad, before.layers[-1].weight_grad
        print(f"the first layer's mean |∂J/∂W| is {first / last:.2g} times the last layer's")
        history = train(model, X, y, lr=0.5, momentum=0.9, epochs=300, compiled=True, record_every=100)
        print(f"after {history.steps} steps (the snapshot's report):")
        print(history.snapshots[-1].report)


if __name__ == "__main__":
    main()
