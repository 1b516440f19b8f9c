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


def in_order(box, names) -> None:
    """Keep a column of nodes (a layer's neurons) top to bottom in the order given: one rank,
    chained by invisible edges.

    Left alone, dot's crossing minimization may rotate a column (a layer of 3 drawn as neuron2,
    neuron3, neuron1); an edge between two nodes of one rank puts its tail before its head.
    """
    box.attr(rank="same")
    for above, below in zip(names, names[1:]):
        box.edge(above, below, style="invis")
