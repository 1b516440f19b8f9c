"""microgrboard: a scalar autograd engine whose every number you can step through, draw and check.

>>> from microgrboard import Value
>>> x = Value(3.0, label="x")
>>> y = x * x + 1
>>> y.backward()
>>> x.grad
6.0

The layers, each importing only those below it:

- `microgrboard.engine`: `Value`, the table of primitives, backprop;
- `microgrboard.inspection`: explain, why, check_edges, the naive order, gradcheck (they only look); and
  learning by doing: `practice`, `check_backward`, `compare_with`, `bug_hunt`;
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
    BUGS,
    MISTAKES,
    AnswerError,
    Backflow,
    BackwardCheck,
    BugHunt,
    Comparison,
    EdgeCheck,
    EdgeCheckReport,
    Explanation,
    Feedback,
    GradcheckReport,
    NaiveWalk,
    Practice,
    Question,
    Why,
    bug_hunt,
    check_backward,
    check_edges,
    compare_with,
    explain,
    explanation,
    gradcheck,
    naive_walk,
    numerical_grad,
    parse_answer,
    practice,
    practice_questions,
    summary_text,
    why,
)

__all__ = [
    # learning by doing (microgrboard.inspection)
    "BUGS", "MISTAKES", "AnswerError", "BackwardCheck", "BugHunt", "Comparison", "Feedback", "Practice", "Question",
    "bug_hunt", "check_backward", "compare_with", "parse_answer", "practice", "practice_questions", "summary_text",
    # the rest
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
