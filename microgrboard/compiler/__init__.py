"""The batch compiler: one traced scalar graph run on a whole batch at once with numpy arrays.

- `plan.py`: the planning pass, which groups the graph's nodes and lays out the rows (a `Plan`);
- `rows.py`: the rows of the arrays, and where each gradient goes (`Layout`, `Scatter`);
- `groups.py`: the kinds of group (`Linear`, `Sum`, `Map`), each with its forward and its backward;
- `replay.py`: an error explained by replaying the example at fault through the eager engine;
- `program.py`: `Program`, which runs the groups forward and backward, and `compile_graph`.
"""

from .program import Program, compile_graph

__all__ = ["Program", "compile_graph"]
