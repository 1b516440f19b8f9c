"""Which nodes of a graph belong to which neuron of a `microgrboard.nn` model, read from labels.

A model labels each parameter `layerL.neuronJ.name` and each neuron's output `layerL.neuronJ`. A
neuron's nodes are its output and everything behind it back to its own parameters, stopping at other
neurons' outputs and at any other leaf (the inputs).
"""

from __future__ import annotations

import re

from microgrboard import Value

NEURON_OUTPUT = re.compile(r"^(layer\d+)\.(neuron\d+)$")


def neuron_of(order: list[Value]) -> dict[Value, str]:
    """Map each node that a neuron computed (parameters included) to the neuron's name."""
    outputs = [n for n in order if not n.is_leaf and NEURON_OUTPUT.match(n.label)]
    stops = set(outputs)
    owner: dict[Value, str] = {}
    for out in outputs:
        prefix = out.label + "."
        stack = [out]
        while stack:
            node = stack.pop()
            if node in owner:
                continue
            owner[node] = out.label
            for parent in node.parents:
                if parent in stops or parent in owner:
                    continue
                if parent.is_leaf and not parent.label.startswith(prefix):
                    continue  # an input, or another neuron's parameter
                stack.append(parent)
    return owner


def layer_of(neuron: str) -> str:
    return neuron.split(".", 1)[0]


def neuron_sort_key(name: str):
    """layer2.neuron10 after layer2.neuron9."""
    return tuple(int(n) for n in re.findall(r"\d+", name))
