"""The inspection tools: they read a graph and explain it, and never change a value or a gradient.

- `explain.py`: the backprop walk as a table (`explain`, `explanation`);
- `why.py`: a gradient as the sum over its paths, and what makes it zero or tiny (`why`, `Backflow`);
- `edgecheck.py`: each edge's local derivative against a central difference of its gate (`check_edges`);
- `naive.py`: backprop the naive way, beside the topological order (`naive_walk`);
- `gradcheck.py`: a whole function's gradient against central differences (`gradcheck`);
- learning by doing: `answers.py` (a safe parser of a learner's answers), `questions.py` (each practice
  question with its hints and classic mistakes), `practice.py` (the REPL session, `practice`),
  `practice_cli.py` (`python -m microgrboard practice`), `backward_check.py` (`check_backward`: your own
  backward rules), `compare.py` (`compare_with`: your own micrograd-style engine) and `bughunt.py`
  (`bug_hunt`: backprop with a classic bug, to find its first wrong step).
"""

from .answers import AnswerError, parse_answer
from .backward_check import BackwardCheck, check_backward
from .bughunt import BUGS, BugHunt, BugStep, bug_hunt
from .compare import Comparison, Difference, compare_with
from .edgecheck import EdgeCheck, EdgeCheckReport, check_edges
from .explain import Explanation, explain, explanation
from .gradcheck import GradcheckReport, central_differences, gradcheck, numerical_grad, relative_error
from .naive import NaiveStep, NaiveWalk, naive_walk
from .practice import Feedback, Practice, Score, practice, summary_text
from .questions import MISTAKES, TOLERANCE, Question, close, practice_questions
from .why import Backflow, Why, why

__all__ = [
    "Backflow", "EdgeCheck", "EdgeCheckReport", "Explanation", "GradcheckReport", "NaiveStep", "NaiveWalk", "Why",
    "central_differences", "check_edges", "explain", "explanation", "gradcheck", "naive_walk", "numerical_grad",
    "relative_error", "why",
    # learning by doing
    "BUGS", "MISTAKES", "TOLERANCE", "AnswerError", "BackwardCheck", "BugHunt", "BugStep", "Comparison", "Difference",
    "Feedback", "Practice", "Question", "Score", "bug_hunt", "check_backward", "close", "compare_with", "parse_answer",
    "practice", "practice_questions", "summary_text",
]
