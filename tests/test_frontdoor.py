"""The project's front door: the demo runs, CI runs the README's test command, imports stay one-way."""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def readme_commands():
    block = re.search(r"## Two commands\n.*?```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.strip().splitlines()]


def test_readme_has_two_commands_and_ci_runs_the_test_one():
    demo, tests = readme_commands()
    assert "examples/demo.py" in demo and "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text()


def test_python_dash_m_runs_the_demo():
    result = subprocess.run([sys.executable, "-m", "microgrboard"], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "σ(w0*x0 + w1*x1 + w2)" in out and "1/(1 + exp(-(w0*x0 + w1*x1 + w2)))" in out
    assert "f = 0.7311" in out and "∂f/∂x1 = -0.5898" in out and "PASS" in out


def test_importing_the_engine_imports_neither_viz_nor_graphviz():
    code = (
        "import sys, microgrboard, microgrboard.nn; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('viz', 'graphviz')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_readme_repl_session_is_true():
    """The README's REPL example, run as a doctest: its printed numbers are what the engine prints."""
    import doctest

    text = (ROOT / "README.md").read_text()
    block = re.search(r"```python\n(>>> from microgrboard import Value, explain.*?)```", text, re.S).group(1)
    test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 10


def test_the_layout_table_names_every_module_and_page_script():
    """A new contributor finds every file in the README's Layout table (issue: 6 of nn's modules were missing)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = text[text.index("## Layout"):text.index("## Dependencies")]
    files = [p for p in (ROOT / "microgrboard").rglob("*.py") if p.name != "__init__.py"]
    files += [p for p in (ROOT / "viz").rglob("*.py") if p.name != "__init__.py"]
    files += [p for p in (ROOT / "viz" / "static").glob("*.js") if not p.name.startswith("playground_")]
    files += list((ROOT / "benchmarks").glob("*.py"))
    missing = sorted(str(p.relative_to(ROOT)) for p in files if f"`{p.name}`" not in layout
                     and f"{p.parent.name}/{p.name}`" not in layout)
    assert not missing, f"the README's Layout table does not name {missing}"


def test_every_readme_repl_session_is_true():
    """Every >>> block of the README (the σ circuit's walk, the course's matrices' text view), run as a doctest."""
    import doctest

    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(>>> .*?)```", text, re.S)
    assert len(blocks) >= 2
    for i, block in enumerate(blocks):
        test = doctest.DocTestParser().get_doctest(block, {}, f"README block {i}", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.failures == 0, block[:80]
