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
