"""The engine: `Value`, the table of primitives, and backprop. It knows nothing of the layers above it
(the inspection tools, the compiler, `nn`, `viz`).

- `primitives.py`: the table, one entry per operation (its rules, twins, notation and gate);
- `notation.py`: how formulas and gates are written (terms, binding strengths, number format);
- `value.py`: `Value`, its gates and checked doors, and `register_primitive`;
- `backprop.py`: the topological order, `backward`, `backward_steps`, `Step` and `walk`;
- `formula.py`: a graph written as the expression it computes.
"""

from .backprop import Step, Walk, node_names, topological_order, walk
from .formula import formula, gate_expression
from .primitives import PRIMITIVES, Primitive
from .value import Argument, Edge, Leaf, Value, as_number, register_primitive, set_data, unregister_primitive

__all__ = [
    "PRIMITIVES", "Argument", "Edge", "Leaf", "Primitive", "Step", "Value", "Walk", "as_number", "formula",
    "gate_expression", "node_names", "register_primitive", "set_data", "topological_order", "unregister_primitive",
    "walk",
]
