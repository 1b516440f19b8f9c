"""The README as a learner reads it (issue 20, item 14): every Python block runs as written in a fresh
interpreter, what its comments say it shows is what it shows, the text names courses rather than
"seeds", and the LICENSE that setup.cfg promises is there."""

import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks():
    """Each ```python block with the heading it sits under; the REPL session (>>>) is a doctest,
    run by test_frontdoor.py."""
    blocks, heading = {}, "top"
    for match in re.finditer(r"^(#+ [^\n]*)$|^```python\n(.*?)^```", README, re.S | re.M):
        if match.group(1):
            heading = match.group(1).lstrip("# ")
        elif not match.group(2).lstrip().startswith(">>>"):
            blocks[f"{heading} ({len(blocks) + 1})"] = match.group(2)
    return blocks


BLOCKS = python_blocks()


def run_block(code, cwd):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    script = pathlib.Path(cwd) / "block.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env=env)


def test_the_readme_has_its_python_blocks():
    assert len(BLOCKS) >= 7, list(BLOCKS)


@pytest.mark.parametrize("name", BLOCKS)
def test_every_python_block_runs_as_written_in_a_fresh_interpreter(name, tmp_path, needs_dot):
    result = run_block(BLOCKS[name], tmp_path)
    assert result.returncode == 0, f"README block under {name!r} failed:\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr, result.stderr[-2000:]


def test_what_the_training_block_says_it_shows_is_true(tmp_path, needs_dot):
    block = next(code for name, code in BLOCKS.items() if "record_every=1, held_out=(X_test, y_test)" in code)
    claims = [(expr.strip(), shown.strip()) for expr, shown in re.findall(r"^(history\S*)\s+# (.*)$", block, re.M)]
    assert [expr for expr, _ in claims] == ["history", "history.snapshots[40]"]
    checks = "".join(f"shown = repr({expr}); claim = {text.split('…')[0].split(': Θ')[0].rstrip(', ')!r}\n"
                     f"assert shown.startswith(claim), (shown, claim)\n" for expr, text in claims)
    result = run_block(block + checks, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]


def test_users_read_course_names_not_seeds():
    """"Seed" meant the course material the project began from; a reader cannot know that."""
    read = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "examples").glob("*.py"),
            *(ROOT / "viz" / "templates").glob("*.html")]
    read += [p for p in (ROOT / "microgrboard").rglob("*.py")] + [p for p in (ROOT / "viz").glob("*.py")]
    pattern = re.compile(r"\bseeds?'s? (?:gates|numbers|claims|value|ε|worked|σ|initialization)|\bseed 0\d\d\b", re.I)
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in read
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
    assert "CS231n" in README and "machine-learning course" in README and "deep-learning course" in README


def test_the_license_setup_cfg_promises_is_shipped():
    assert "license = MIT" in (ROOT / "setup.cfg").read_text()
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c)" in text and "the microgrboard authors" in text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND" in text
