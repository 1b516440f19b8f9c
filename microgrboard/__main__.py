"""`python -m microgrboard` runs the main demo."""

from .demo import main

main()
