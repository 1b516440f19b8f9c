"""The browser the page tests drive: Debian's Chromium through Playwright (never a downloaded browser).

`conftest.py` makes one `browser` for the whole run from this; tests import `open_page` and `ARTIFACTS`.
"""

import pathlib

from viz.chromium import FLAGS, executable  # noqa: F401  (conftest launches with FLAGS)

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "out" / "test-artifacts"  # screenshots a person can look at after a run (git-ignored)
CHROMIUM = executable()


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
