"""Benchmarks of the learning tools, each as a ratio against a peer measured in the same run.

    .venv/bin/python benchmarks/learning.py [--quick]

- The practice pages' answer parser (`microgrboard.inspection.answers.parse_answer`) on its worst inputs,
  against Python's own parser (`ast.parse`) reading the same texts: the page reads a learner's answer
  on every keystroke-submitted check, so it must stay a small multiple of a C parser.
- `nn.course_backprop` on the exercise's digits-sized network (64-25-10, 100 examples), against the work
  it is built on: one cost graph built and backpropagated (`nn.cost(...).backward()`); the ratio is the
  price of reading every δ, Δ and D off per-example graphs and checking them against numpy.

Goals are printed beside the ratios; nothing here is asserted by the test suite (the machine is noisy).
"""

from __future__ import annotations

import argparse
import ast
import time

import numpy as np

from microgrboard.inspection.answers import AnswerError, parse_answer
from microgrboard.nn import MLP, cost, course_backprop

WORST = ["9" * 200, "(" * 200, "-" * 200, "1+" * 99 + "1", "2^" * 99 + "2", "e^" * 99 + "e",
         "exp(" * 10 + "1" + ")" * 10, "1*" * 99 + "1", "σ" * 200]


def best_of(repeats: int, work) -> float:
    """The fastest of `repeats` runs, in seconds (a pause of the machine's is not the code's)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _read(text: str) -> None:
    try:
        parse_answer(text)
    except AnswerError:
        pass


def _python_reads(text: str) -> None:
    try:
        ast.parse(text.replace("^", "**"), mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    repeats = 3 if parser.parse_args().quick else 20
    ours = sum(best_of(repeats, lambda t=t: _read(t)) for t in WORST)
    peer = sum(best_of(repeats, lambda t=t: _python_reads(t)) for t in WORST)
    print(f"answer parser, {len(WORST)} worst inputs: {ours * 1e3:.3f} ms; ast.parse {peer * 1e3:.3f} ms; "
          f"ratio {ours / peer:.1f}  (goal: every input well under a 16 ms frame: {ours / len(WORST) * 1e3:.3f} ms "
          f"each, {'met' if ours / len(WORST) < 0.016 else 'NOT MET'})")
    rng = np.random.default_rng(0)
    model = MLP(64, [25, 10], seed=0)
    X, Y = rng.random((100, 64)), np.eye(10)[rng.integers(0, 10, 100)]
    runs = 2 if repeats == 3 else 5
    course = best_of(runs, lambda: course_backprop(model, X, Y, lam=1.0))
    plain = best_of(runs, lambda: cost(model, X, Y, lam=1.0).backward())
    model.zero_grad()
    print(f"course_backprop 64-25-10 on 100 examples: {course:.3f} s; cost + backward {plain:.3f} s; "
          f"ratio {course / plain:.1f}  (goal ≤ 10: {'met' if course / plain <= 10 else 'NOT MET'})")


if __name__ == "__main__":
    main()
