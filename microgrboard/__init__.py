"""microgrboard: a scalar autograd engine whose every number you can step through, draw and check.

>>> from microgrboard import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 1
>>> y.backward()
>>> x.grad
6.0
"""

from .backprop import Step, topological_order
from .compile import Program, compile_graph
from .edgecheck import EdgeCheckReport, check_edges
from .explain import explain
from .gradcheck import GradcheckReport, gradcheck, numerical_grad
from .naive import NaiveWalk, naive_walk
from .primitives import PRIMITIVES, Primitive
from .value import Argument, Edge, Value, register_primitive, unregister_primitive
from .why import Why, why

__all__ = [
    "PRIMITIVES",
    "Argument",
    "Edge",
    "EdgeCheckReport",
    "GradcheckReport",
    "NaiveWalk",
    "Primitive",
    "Program",
    "Step",
    "Value",
    "Why",
    "check_edges",
    "compile_graph",
    "explain",
    "gradcheck",
    "naive_walk",
    "numerical_grad",
    "register_primitive",
    "topological_order",
    "unregister_primitive",
    "why",
]
__version__ = "0.1.0"
