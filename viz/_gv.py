"""The graphviz Python package, imported when a diagram is first made, so `import viz` always works
and a missing package gets an error that says how to install it."""

from __future__ import annotations

from types import ModuleType


def graphviz_module() -> ModuleType:
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "viz draws with the graphviz Python package, which is not installed: pip install graphviz "
            "(and, to render pictures, Graphviz's dot program: sudo apt-get install graphviz)"
        ) from None
    return graphviz


def digraph(*args, **kwargs):
    """A new `graphviz.Digraph`."""
    return graphviz_module().Digraph(*args, **kwargs)



# Nodes in the order they are declared, top to bottom in a rank (a layer's neurons 1, 2, 3, …): almost
# no crossing minimization (mclimit scales its iterations; 0 would mean the default), and none again
# once the clusters are in (remincross). Between two complete layers every order crosses as much, so
# it has nothing to gain; left to it, dot rotated a layer inside its cluster (MLP(2, [3, 1]) came out
# neuron2, neuron3, neuron1). The edges must be declared in the neurons' order too.
KEEP_ORDER = {"mclimit": "0.01", "remincross": "false"}
