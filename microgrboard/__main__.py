"""`python -m microgrboard` runs the text demo (the σ circuit's walk, its gradients, a gradient check);
`python -m microgrboard practice [--fused] [--forward]` practises its backprop in the terminal."""

import sys

from ._util.commandline import quiet_in_pipes
from .demo import main

quiet_in_pipes()
if sys.argv[1:2] == ["practice"]:
    from .inspection.practice_cli import main as practice

    sys.exit(practice(sys.argv[2:]))
main()
