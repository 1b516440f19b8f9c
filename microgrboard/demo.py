"""The main demo: CS231n's σ circuit, its values, its gradients and the chain-rule walk.

Run it with `python -m microgrboard`.
"""

from __future__ import annotations

from .circuits import sigmoid_circuit, sigmoid_neuron
from .inspection.explain import explain
from .inspection.gradcheck import gradcheck


def main() -> None:
    for fused in (True, False):
        f, inputs = sigmoid_neuron(fused=fused)
        title = "one fused σ gate" if fused else "σ expanded into the gates of CS231n's diagram (×−1, exp, +1, 1/x)"
        print(f"\n== f(w, x) = {f.formula()}   [{title}]")
        f.backward()
        explain(f)
        print(f"f = {f.data:.4f}")
        print("  ".join(f"∂f/∂{name} = {v.grad:+.4f}" for name, v in inputs.items()))

    print("\n== gradient check: backprop against (f(θ+ε) − f(θ−ε)) / 2ε, ε = 1e-4")
    print(gradcheck(sigmoid_circuit, list(inputs.values())))


if __name__ == "__main__":
    main()
