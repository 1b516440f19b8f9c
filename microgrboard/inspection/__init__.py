"""The inspection tools: they read a graph and explain it, and never change a value or a gradient.

- `explain.py`: the backprop walk as a table (`explain`, `explanation`);
- `why.py`: a gradient as the sum over its paths, and what makes it zero or tiny (`why`, `Backflow`);
- `edgecheck.py`: each edge's local derivative against a central difference of its gate (`check_edges`);
- `naive.py`: backprop the naive way, beside the topological order (`naive_walk`);
- `gradcheck.py`: a whole function's gradient against central differences (`gradcheck`).
"""

from .edgecheck import EdgeCheck, EdgeCheckReport, check_edges
from .explain import Explanation, explain, explanation
from .gradcheck import GradcheckReport, central_differences, gradcheck, numerical_grad, relative_error
from .naive import NaiveStep, NaiveWalk, naive_walk
from .why import Backflow, Why, why

__all__ = [
    "Backflow", "EdgeCheck", "EdgeCheckReport", "Explanation", "GradcheckReport", "NaiveStep", "NaiveWalk", "Why",
    "central_differences", "check_edges", "explain", "explanation", "gradcheck", "naive_walk", "numerical_grad",
    "relative_error", "why",
]
