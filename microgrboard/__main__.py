"""`python -m microgrboard` runs the text demo (the σ circuit's walk, its gradients, a gradient check)."""

import argparse

from ._util.commandline import quiet_in_pipes
from .demo import main

argparse.ArgumentParser(prog="python -m microgrboard", description="Print the text demo: the σ circuit's "
                        "chain-rule walk, its gradients and a gradient check. It takes no arguments.").parse_args()
quiet_in_pipes()
main()
