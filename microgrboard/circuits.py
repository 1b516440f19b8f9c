"""CS231n's worked example of backpropagation, f(w, x) = σ(w0·x0 + w1·x1 + w2), built two ways.

Used by the demo, the examples and the tests, so every one of them shows the same circuit.
"""

from __future__ import annotations

from .engine.value import Value

__all__ = ["CIRCUIT_INPUTS", "sigmoid_circuit", "sigmoid_neuron"]

# The numbers of the circuit diagram in CS231n's notes on backpropagation.
CIRCUIT_INPUTS = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}
SEED_INPUTS = CIRCUIT_INPUTS  # its former name, kept for code that uses it


def sigmoid_circuit(w0: Value, x0: Value, w1: Value, x1: Value, w2: Value, fused: bool = True) -> Value:
    """σ(w0·x0 + w1·x1 + w2), with one σ gate, or (fused=False) written as 1/(1 + e^(−z)) so that
    the graph has the gates of CS231n's diagram: ×(−1), exp, +1 and 1/x."""
    z = w0 * x0 + w1 * x1 + w2
    return z.sigmoid() if fused else 1 / (1 + (-z).exp())


def sigmoid_neuron(fused: bool = True) -> tuple[Value, dict[str, Value]]:
    """(f, its inputs by label) for CS231n's numbers w = (2, −3, −3), x = (−1, −2)."""
    inputs = {name: Value(number, label=name) for name, number in CIRCUIT_INPUTS.items()}
    f = sigmoid_circuit(**inputs, fused=fused)
    f.label = "f"
    return f, inputs
