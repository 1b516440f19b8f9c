"""For whoever extends microgrboard: adds an operation, or builds a new view of graphs on it.

Adding an operation is one entry of the table of primitives: write its rule (and its numpy twin),
make a `Primitive` with the notation helpers below, and `register_primitive` it. Backward, the
inspection tools, formulas, the diagrams, the boards and the compiler then all work with it.

    >>> import math
    >>> from microgrboard.extend import Primitive, function, register_primitive, symbol
    >>> # see tests/test_extend.py for a complete entry, checked through every view

Each entry is built with keywords; its `local_text` templates name the arguments {x} and {y} and the
number parameter by its name ({n}), and `local_depends_on_input` says, per argument, whether that local
derivative is a function of the argument itself (then `why` calls a small one flat).

A view of graphs (such as `viz`) uses the engine's public names, plus the helpers here: the
TypeError a function raises when it is given something other than a Value, atomic file writes, and
quiet pipes for command lines.
"""

from ._util.commandline import quiet_in_pipes
from ._util.expect import expect_value
from ._util.files import PathLike, target_path, write_atomically
from .engine.formula import gate_expression
from .engine.notation import (
    ATOM,
    NEGATION,
    POWER,
    PRODUCT,
    SUM,
    Gate,
    Term,
    Writer,
    function,
    gate_number,
    number_term,
    number_text,
    symbol,
    template,
    with_number,
)
from .engine.primitives import BUILT_IN, FLOAT_MAX, PRIMITIVES, Primitive, overflow_error
from .engine.value import (
    as_number,
    data_of,
    grads_of,
    register_primitive,
    set_data,
    set_grads,
    unregister_primitive,
    zero_grads,
)

__all__ = [
    "ATOM", "BUILT_IN", "FLOAT_MAX", "Gate", "NEGATION", "POWER", "PRIMITIVES", "PRODUCT", "PathLike", "Primitive",
    "SUM", "Term", "Writer", "as_number", "data_of", "expect_value", "function", "gate_expression", "gate_number",
    "grads_of", "number_term", "number_text", "overflow_error", "quiet_in_pipes", "register_primitive", "set_data",
    "set_grads", "symbol", "target_path", "template", "unregister_primitive", "with_number", "write_atomically",
    "zero_grads",
]
