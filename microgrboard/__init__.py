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
from .explain import explain
from .gradcheck import GradcheckReport, gradcheck, numerical_grad
from .primitives import PRIMITIVES, Primitive
from .value import Argument, Edge, Value, register_primitive, unregister_primitive

__all__ = [
    "PRIMITIVES",
    "Argument",
    "Edge",
    "GradcheckReport",
    "Primitive",
    "Program",
    "Step",
    "Value",
    "compile_graph",
    "explain",
    "gradcheck",
    "numerical_grad",
    "register_primitive",
    "topological_order",
    "unregister_primitive",
]
__version__ = "0.1.0"
