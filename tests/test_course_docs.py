"""docs/matrices.md's REPL session, run as a doctest: the text view prints what the docs show; and the
example that writes the board runs."""

import doctest
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_matrices_doc_is_what_course_backprop_prints():
    text = (ROOT / "docs" / "matrices.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    test = doctest.DocTestParser().get_doctest(block, {}, "matrices", "docs/matrices.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 8


def test_the_example_prints_and_writes_the_board(tmp_path, needs_dot):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "course_matrices.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Layer 1: Θ⁽¹⁾, Δ⁽¹⁾, D⁽¹⁾ ∈ ℝ^{5×4}" in result.stdout
    assert "below 1e-9, so backpropagation is right" in result.stdout
    assert (tmp_path / "matrices.html").stat().st_size > 100_000
