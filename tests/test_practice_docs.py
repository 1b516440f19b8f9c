"""docs/practice.md runs as written: its REPL transcript as a doctest, its notebook exercises in a real
Jupyter kernel (with the right answers, and once with wrong ones whose named mistake is checked), and
examples/practice.py as a learner runs it."""

import doctest
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "practice.md"


def blocks(section: str | None = None) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    if section is not None:
        text = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_the_transcripts_run_as_doctests():
    transcript = "\n".join(b for b in blocks() if b.startswith(">>>"))
    test = doctest.DocTestParser().get_doctest(transcript, {}, "practice.md", str(DOC), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and test.examples


def test_the_picture_is_there():
    assert "](images/practice.png)" in DOC.read_text(encoding="utf-8")
    assert (ROOT / "docs" / "images" / "practice.png").stat().st_size > 10_000


def _run_cells(cells: list[str], work: pathlib.Path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_RUNTIME_DIR", str(work / "runtime"))
        client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                                         resources={"metadata": {"path": str(work)}})
        client.execute()
    return notebook


def _errors(notebook) -> list[str]:
    return ["\n".join(o.get("traceback", [])) for c in notebook.cells for o in c.outputs if o.output_type == "error"]


@pytest.fixture
def kernel_ready(tmp_path):
    if not shutil.which("dot"):
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI")
        pytest.skip("Graphviz's dot is not installed")
    return tmp_path


def test_the_notebook_exercises_pass_with_the_right_answers(kernel_ready):
    cells = blocks("Notebook exercises")
    assert len(cells) == 4
    notebook = _run_cells(cells, kernel_ready)
    assert _errors(notebook) == []
    shown = [o.get("data", {}) for c in notebook.cells for o in c.outputs if o.output_type == "execute_result"]
    assert "<iframe" in shown[0]["text/html"]  # the practice board, inline
    assert "✓ local derivative: right" in shown[1]["text/plain"]
    assert "every edge agrees" in shown[2]["text/plain"]
    assert "<iframe" in shown[3]["text/html"]  # the bug hunt, inline


def test_a_wrong_answer_fails_its_cell_and_names_the_mistake(kernel_ready):
    cells = blocks("Notebook exercises")
    wrong = [cells[0], cells[1].replace('"-0.5344 * 1"', '"0.5344"'),
             cells[2].replace("1 - out**2", "1 - x**2"), cells[3].replace("my_first_wrong_step = 2",
                                                                          "my_first_wrong_step = 3")]
    assert wrong[1:] != cells[1:]
    errors = _errors(_run_cells(wrong, kernel_ready))
    assert len(errors) == 3
    assert "AssertionError" in errors[0] and "sign:" in errors[0]  # the feedback names the mistake
    assert re.search(r"first wrong edge: add8 → tanh\d+ \(tanh\): yours 0.223", errors[1])  # 1 − x² at x = 0.88
    assert "AssertionError" in errors[2]


def test_the_example_writes_both_pages(tmp_path, kernel_ready):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "practice.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "practice.html").exists() and (tmp_path / "bug_hunt.html").exists()
    assert "no-upstream" in result.stdout
