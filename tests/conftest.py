"""Shared test fixtures: Graphviz's dot, and one headless Chromium for every page test of the run."""

import os
import shutil

import pytest
from chromium import CHROMIUM, FLAGS, have_playwright

HAVE_DOT = shutil.which("dot") is not None


@pytest.fixture
def needs_dot():
    """Tests that render with Graphviz: skipped without `dot`, except in CI, where it must be installed."""
    if not HAVE_DOT:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: .ci/setup should have installed it")
        pytest.skip("Graphviz's dot is not installed (sudo apt-get install graphviz)")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, launched once; skipped where it is missing, except in CI."""
    if CHROMIUM is None or not have_playwright():
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium and Playwright: .ci/setup installs them")
        pytest.skip("needs chromium (sudo apt-get install chromium) and playwright (pip install playwright)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sigmoid_board(tmp_path_factory):
    """The seeds' σ circuit, gate by gate, as a board file: (path, f, its inputs by label)."""
    import viz
    from microgrboard.circuits import sigmoid_neuron

    if not HAVE_DOT:
        pytest.skip("Graphviz's dot is not installed")
    f, inputs = sigmoid_neuron(fused=False)
    path = viz.board(f, tmp_path_factory.mktemp("board") / "board.html")
    return path, f, inputs
