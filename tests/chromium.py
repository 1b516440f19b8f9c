"""The browser the page tests drive: Debian's Chromium through Playwright (never a downloaded browser).

`conftest.py` makes one `browser` for the whole run from this; tests import `open_page` and `ARTIFACTS`.
"""

import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "out" / "test-artifacts"  # screenshots a person can look at after a run (git-ignored)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Offline and quiet: without the background-networking flags Chromium keeps trying the closed network.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def have_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def open_page(browser, path, width=1400, height=800):
    """A new page showing the file at `path`, and the list its script errors are collected in."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pathlib.Path(path).resolve().as_uri())
    return page, errors
