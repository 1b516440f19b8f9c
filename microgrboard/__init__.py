"""microgrboard: a scalar autograd engine whose every number you can step through, draw and check.

>>> from microgrboard import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 1
>>> y.backward()
>>> x.grad
6.0

The layers, each importing only those below it:

- `microgrboard.engine`: `Value`, the table of primitives, backprop;
- `microgrboard.inspection`: explain, why, check_edges, the naive order, gradcheck (they only look);
- `microgrboard.compiler`: a traced graph run on whole batches with numpy;
- `microgrboard.nn`: networks, losses and training, built from Values;
- `microgrboard.extend`: what whoever adds an operation, or builds a view of graphs, needs;
- `microgrboard.micrograd`: karpathy's micrograd API on this engine; `microgrboard.circuits`: the course's circuit.
"""

from .compiler import Program, compile_graph
from .engine import (
    PRIMITIVES,
    Argument,
    Edge,
    Primitive,
    Step,
    Value,
    Walk,
    node_names,
    register_primitive,
    topological_order,
    unregister_primitive,
    walk,
)
from .inspection import (
    Backflow,
    EdgeCheck,
    EdgeCheckReport,
    Explanation,
    GradcheckReport,
    NaiveWalk,
    Why,
    check_edges,
    explain,
    explanation,
    gradcheck,
    naive_walk,
    numerical_grad,
    why,
)

__all__ = [
    "PRIMITIVES",
    "Argument",
    "Backflow",
    "Edge",
    "EdgeCheck",
    "EdgeCheckReport",
    "Explanation",
    "GradcheckReport",
    "NaiveWalk",
    "Primitive",
    "Program",
    "Step",
    "Value",
    "Walk",
    "Why",
    "check_edges",
    "compile_graph",
    "explain",
    "explanation",
    "gradcheck",
    "naive_walk",
    "node_names",
    "numerical_grad",
    "register_primitive",
    "topological_order",
    "unregister_primitive",
    "walk",
    "why",
]
__version__ = "0.1.0"
