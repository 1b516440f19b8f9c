"""`python -m microgrboard` runs the text demo (the σ circuit's walk, its gradients, a gradient check)."""

from ._util.commandline import quiet_in_pipes
from .demo import main

quiet_in_pipes()
main()
