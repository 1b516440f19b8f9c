"""The batch compiler: one traced scalar graph run on a whole batch at once with numpy arrays."""

from .program import Program, compile_graph

__all__ = ["Program", "compile_graph"]
