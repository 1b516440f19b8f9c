"""The tree stays clean: ruff (configured in pyproject.toml) finds nothing, and the engine never imports viz."""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).parent / "ruff")
    if not pathlib.Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependencies_point_one_way():
    """viz imports microgrboard; the engine imports neither viz nor graphviz, and not nn either."""
    engine = [p for p in (ROOT / "microgrboard").glob("*.py")]
    for path in engine:
        text = path.read_text(encoding="utf-8")
        for forbidden in ("import viz", "from viz", "import graphviz", "from .nn", "microgrboard.nn"):
            assert forbidden not in text, f"{path.name} mentions {forbidden!r}"
    for path in (ROOT / "microgrboard" / "nn").glob("*.py"):
        assert "viz" not in path.read_text(encoding="utf-8").replace("visual", ""), path.name
