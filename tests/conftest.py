"""Shared test helpers."""

import os
import shutil

import pytest

HAVE_DOT = shutil.which("dot") is not None


@pytest.fixture
def needs_dot():
    """Tests that render with Graphviz: skipped without `dot`, except in CI, where it must be installed."""
    if not HAVE_DOT:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: .ci/setup should have installed it")
        pytest.skip("Graphviz's dot is not installed (sudo apt-get install graphviz)")
