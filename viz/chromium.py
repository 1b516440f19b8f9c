"""Debian's Chromium, driven by Playwright for Python: how the README's pictures are taken, the
playground is measured and the pages are tested. Never downloads a browser of its own.

Playwright is imported only when a browser is opened, so `import viz` never needs it.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from typing import Any

# Offline and quiet: without the background-networking flags Chromium keeps trying the closed network.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def executable() -> str | None:
    """The path of Debian's Chromium, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (a Playwright `Browser`), closed on leaving the block."""
    path = executable()
    if path is None:
        raise FileNotFoundError("Chromium is not installed (sudo apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ImportError("driving Chromium needs Playwright for Python: pip install playwright") from None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
