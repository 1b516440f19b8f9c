"""`python -m microgrboard practice [--fused] [--forward]`: practise backprop on the σ circuit in a terminal.

Each question asks for its numbers one at a time; type a number or an expression (`0.3679*-0.5344`,
`e^-1`: read by the safe parser, never evaluated as Python), or `hint`, `reveal`, `quit`. At the end
it prints the score and the summary by kind of gate.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ..circuits import sigmoid_neuron
from .answers import AnswerError
from .practice import Practice

HELP = "type a number or an expression (e.g. 0.3679*-0.5344, e^-1), or: hint, reveal, quit"


def run(session: Practice, read: Callable[[str], str] = input, write: Callable[[str], None] = print) -> Practice:
    """Ask `session`'s questions with `read` until they are over (or `quit`, or the input ends)."""
    write(f"Practise backprop on {session.root.formula()}: {HELP}.")
    while not session.done:
        question = session.current
        write(f"\n{question.prompt}")
        while session.current is question:
            f = session.pending[0]
            try:
                text = read(f"  {f.label} = ").strip()
            except EOFError:
                write("")
                return _end(session, write)
            if text in ("quit", "q", "exit"):
                return _end(session, write)
            if text in ("", "help", "?"):
                write(f"  {HELP}")
            elif text == "hint":
                write(f"  hint: {session.hint()}")
            elif text == "reveal":
                write("  " + str(session.reveal()).split("\nnext: ")[0].replace("\n", "\n  "))
            else:
                try:
                    feedback = session.answer(**{f.name: text})
                except AnswerError as err:
                    write(f"  {err}")
                    continue
                text = str(feedback).split("\nnext: ")[0]  # the next question is asked just below
                write("  " + text.replace("\n", "\n  "))
    return _end(session, write)


def _end(session: Practice, write: Callable[[str], None]) -> Practice:
    write(f"\nscore: {session.score}\n{session.summary}")
    return session


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m microgrboard practice",
                                     description="Practise backprop on the σ circuit, step by step.")
    parser.add_argument("--fused", action="store_true", help="one σ gate instead of ×(−1), exp, +1, 1/x")
    parser.add_argument("--forward", action="store_true", help="first predict each gate's output")
    args = parser.parse_args(argv)
    f, _ = sigmoid_neuron(fused=args.fused)
    run(Practice(f, forward=args.forward))
    return 0
