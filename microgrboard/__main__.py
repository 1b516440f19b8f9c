"""`python -m microgrboard` runs the text demo (the σ circuit's walk, its gradients, a gradient check);
`python -m microgrboard practice [--fused] [--forward]` practises its backprop in the terminal."""

import argparse
import sys

from ._util.commandline import quiet_in_pipes
from .demo import main

parser = argparse.ArgumentParser(prog="python -m microgrboard", usage="%(prog)s [-h] [practice [--fused] [--forward]]",
                                 description="Print the text demo: the σ "
                                 "circuit's chain-rule walk, its gradients and a gradient check; or practise it.")
commands = parser.add_subparsers(dest="command", metavar="COMMAND")
commands.add_parser("practice", add_help=False, help="practise the σ circuit's backprop in the terminal "
                    "(python -m microgrboard practice --help for its options)")
args, rest = parser.parse_known_args()
if args.command is None and rest:
    parser.error(f"unrecognized arguments: {' '.join(rest)}")
quiet_in_pipes()
if args.command == "practice":  # its own options, parsed by its own command line
    from .inspection.practice_cli import main as practice

    sys.exit(practice(rest))
main()
