"""What every command-line entry point of the project shares: behaving like a Unix tool in a pipe."""

from __future__ import annotations

import signal


def quiet_in_pipes() -> None:
    """When the reader of our output goes away (`python -m microgrboard | head -1`), end quietly as a
    Unix tool does, instead of with a BrokenPipeError traceback. For entry points only, never libraries."""
    if hasattr(signal, "SIGPIPE"):  # not on Windows
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
