"""The tutorial notebook, run as a learner runs it: executed by a real Jupyter kernel (nbclient), its
outputs checked (diagrams are SVG with a PNG beside, boards and tables HTML), every cell run once more
in reverse section order (a notebook is run out of order), then exported to HTML by nbconvert and
opened in Chromium, where the board inside it steps when it has focus and only then.
(tests/test_jupyterlab.py opens it in a real JupyterLab.)"""

import ast
import builtins
import copy
import os
import pathlib
import re
import shutil
from typing import NamedTuple

import pytest
from chromium import ARTIFACTS

ROOT = pathlib.Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "examples" / "tutorial.ipynb"

if not os.environ.get("CI"):  # in CI the test extra is installed: a missing piece is a failure, not a skip
    for _name in ("nbformat", "nbclient", "nbconvert", "ipykernel"):
        pytest.importorskip(_name, reason="the notebook tests need the test extra: pip install -e '.[test]'")
import nbclient  # noqa: E402
import nbconvert  # noqa: E402
import nbformat  # noqa: E402


class Run(NamedTuple):
    notebook: nbformat.NotebookNode  # after Run All
    again: nbformat.NotebookNode  # after every cell was run once more, sections last to first
    error: Exception | None  # what running a cell again raised, if anything


def sections(notebook) -> list[list[int]]:
    """The code cells' indices, per section: the intro, then one list per "## " heading."""
    parts: list[list[int]] = [[]]
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            parts.append([])
        elif cell.cell_type == "code":
            parts[-1].append(index)
    return parts


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    """The tutorial, executed top to bottom in a fresh kernel (in a scratch directory); then, in the
    same kernel, every cell again, section by section from the last to the first."""
    if not shutil.which("dot"):
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: .ci/setup should have installed it")
        pytest.skip("Graphviz's dot is not installed (sudo apt-get install graphviz)")
    work = tmp_path_factory.mktemp("tutorial")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_RUNTIME_DIR", str(work / "runtime"))  # the kernel's connection file
        notebook = nbformat.read(TUTORIAL, as_version=4)
        client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(work)}})
        with client.setup_kernel():
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            ran_all, error = copy.deepcopy(notebook), None
            try:
                for section in reversed(sections(notebook)):
                    for index in section:
                        client.execute_cell(notebook.cells[index], index)
            except nbclient.exceptions.CellExecutionError as err:
                error = err
    return Run(ran_all, notebook, error)


@pytest.fixture(scope="module")
def executed(run):
    return run.notebook


def tagged(notebook, tag):
    return [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]


def rich_outputs(cell) -> list[dict]:
    return [output.get("data", {}) for output in cell.outputs
            if output.output_type in ("execute_result", "display_data")]


def test_the_committed_tutorial_is_valid_and_carries_no_outputs():
    notebook = nbformat.read(TUTORIAL, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)  # CI makes them
    assert {"diagram", "network", "board", "history", "table"} <= {t for c in code for t in c.metadata.get("tags", [])}


def test_the_tutorial_runs_and_shows_pictures_tables_and_boards(executed):
    errors = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs
              if output.output_type == "error"]
    assert not errors, errors
    for tag in ("diagram", "network"):
        for cell in tagged(executed, tag):
            pictures = [data for data in rich_outputs(cell) if "image/svg+xml" in data]
            assert pictures and "<svg" in pictures[0]["image/svg+xml"], cell.source
            assert "image/png" in pictures[0], cell.source  # what an untrusted notebook shows
    boards = tagged(executed, "board")
    assert len(boards) == 2
    for cell in boards:
        html = [data["text/html"] for data in rich_outputs(cell) if "text/html" in data]
        assert html and '<iframe class="microgrboard-board"' in html[0] and 'sandbox="allow-scripts"' in html[0]
        assert '<img src="data:image/svg+xml;base64,' in html[0].split("<iframe")[0]  # the still, under it
    for cell in tagged(executed, "practice-board") + tagged(executed, "matrix-board"):
        html = [data["text/html"] for data in rich_outputs(cell) if "text/html" in data]
        assert html and '<iframe class="microgrboard-board"' in html[0], cell.source
    matrices = "".join(data.get("text/html", "") + data.get("text/plain", "") for cell in tagged(executed, "matrices")
                       for data in rich_outputs(cell)) + "".join(
        o.text for c in tagged(executed, "matrices") for o in c.outputs if o.output_type == "stream")
    assert "ℝ^{5×4} = ℝ^{s₂×(s₁+1)}" in matrices and "below 1e-9" in matrices
    assert "reshape(thetaVec(1:20), 5, 4)" in matrices
    (table,) = [data["text/html"] for cell in tagged(executed, "table") for data in rich_outputs(cell)]
    assert table.count("<tr>") == 1 + 12  # the header and the circuit's twelve edges
    (history,) = [data["text/html"] for cell in tagged(executed, "history") for data in rich_outputs(cell)]
    assert "gradient steps: loss" in history and '<img src="data:image/svg+xml;base64,' in history
    printed = "".join(o.text for c in executed.cells if c.cell_type == "code" for o in c.outputs
                      if o.output_type == "stream")
    assert "PASS" in printed and "17 parameters" in printed
    why = "".join(o.text for c in tagged(executed, "why") for o in c.outputs if o.output_type == "stream")
    assert "∂f/∂x1 = -0.5898" in why and "relu) is off" in why and "PASS: 6 of 6 edges" in why


def test_every_cell_runs_again_after_run_all_sections_last_to_first(run):
    """A notebook is run out of order: running any cell again must work once the cells above it have
    run, whatever the cells below it did meanwhile (they once rebound `y` and `MLP`)."""
    assert run.error is None, run.error
    for before, after in zip(run.notebook.cells, run.again.cells):
        if before.cell_type == "code":
            assert not [o for o in after.outputs if o.output_type == "error"], after.source
            kinds = [sorted(data) for data in rich_outputs(before)]
            assert [sorted(data) for data in rich_outputs(after)] == kinds, after.source  # shows the same things


def _names(source: str) -> tuple[set[str], set[str]]:
    """(the global names a cell reads before it binds them itself, the names it binds), in the order
    its statements run; names local to a function, lambda or comprehension are not the cell's."""
    reads, binds = set(), set()

    def visit(node, local: frozenset = frozenset()):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                if node.id not in local and node.id not in binds and not hasattr(builtins, node.id):
                    reads.add(node.id)
            elif not local:
                binds.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            binds.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
            if isinstance(node, ast.FunctionDef):
                binds.add(node.name)
            args = node.args
            inner = local | {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
            for child in node.body if isinstance(node.body, list) else [node.body]:
                visit(child, inner | {n.id for n in ast.walk(child) if isinstance(n, ast.Name)
                                      and isinstance(n.ctx, ast.Store)})
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            targets = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            for g in node.generators:
                visit(g.iter, local)
            for child in ast.iter_child_nodes(node):
                if child not in [g.iter for g in node.generators]:
                    visit(child, local | targets)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            visit(node.value, local) if node.value is not None else None
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(node, ast.AugAssign) and isinstance(target, ast.Name):
                    visit(ast.Name(target.id, ast.Load()), local)
                visit(target, local)
        elif isinstance(node, ast.For):
            visit(node.iter, local)
            visit(node.target, local)
            for child in node.body + node.orelse:
                visit(child, local)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child, local)

    for statement in ast.parse(source).body:
        visit(statement)
    return reads, binds


def test_no_cell_reads_a_name_that_another_cell_rebinds():
    """The rule behind running cells again, read from the code: whatever a cell uses without binding
    it itself is bound by exactly one cell, above it (so no other cell, run later, can change it)."""
    notebook = nbformat.read(TUTORIAL, as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    names = [_names(source) for source in code]
    assert "explain" in names[0][1] and "f" in names[1][1]  # the reader sees what it should
    for i, (reads, _) in enumerate(names):
        for name in reads:
            binders = [j for j, (_, binds) in enumerate(names) if name in binds]
            assert len(binders) == 1 and binders[0] < i, (
                f"code cell {i} reads {name!r}, which cells {binders} bind:\n{code[i]}")


def test_an_export_keeps_its_boards_unless_sanitized(executed):
    """What the README and the tutorial say about exporting: nbconvert (and the menu with "Sanitize HTML
    output" unticked) keeps both boards; a sanitized export keeps the diagrams, and no board."""
    kept, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    sanitized, _ = nbconvert.HTMLExporter(sanitize_html=True).from_notebook_node(executed)
    framed = sum(len(tagged(executed, tag)) for tag in ("board", "practice-board", "matrix-board"))
    assert kept.count('<iframe class="microgrboard-board"') == framed
    assert "<iframe" not in sanitized and "&lt;iframe" in sanitized  # escaped: shown as text
    diagrams = len(tagged(executed, "diagram")) + len(tagged(executed, "network"))
    assert len(re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', sanitized)) == diagrams


def test_the_exported_notebooks_board_steps_only_while_it_has_focus(executed, browser, tmp_path):
    from playwright.sync_api import expect

    body, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    path = tmp_path / "tutorial.html"
    path.write_text(body, encoding="utf-8")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    frame = page.frame_locator("iframe.microgrboard-board").first
    board = frame.locator("body")
    at = expect(board).to_have_attribute  # waits for the frame's script, rather than reading at once
    at("data-position", "0")
    state = frame.get_by_role("status")  # says whether the board has the keyboard

    page.locator("h1").first.click()  # the notebook has the focus: its keys never reach the board
    for key in ("ArrowRight", "ArrowRight", "Space"):
        page.keyboard.press(key)
    page.wait_for_timeout(200)
    at("data-position", "0")
    at("data-keyboard", "no")
    expect(state).to_have_text("⌨ Click the board to step it with the keys.")

    frame.locator("h1").click()  # a click inside gives the board the keyboard
    at("data-keyboard", "yes")
    expect(state).to_contain_text("has the keyboard")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    at("data-position", "2")
    expect(frame.locator("#caption")).to_contain_text("forward: mul5 = w1*x1")
    page.keyboard.press("ArrowLeft")
    at("data-position", "1")
    iframe = page.locator("iframe.microgrboard-board").first
    iframe.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tutorial-board.png"))

    page.locator("h1").first.click()  # focus back in the notebook: the board stays where it was
    at("data-keyboard", "no")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)  # time for a stray key to reach the board, were it listening
    at("data-position", "1")

    # Its styles stay inside: none of the board's elements or rules is in the notebook's own document.
    outside = page.evaluate("""() => ({
        ids: ['caption', 'diagram', 'next', 'data'].filter(id => document.getElementById(id) !== null),
        rules: Array.from(document.styleSheets).flatMap(s => Array.from(s.cssRules).map(r => r.cssText))
                    .filter(t => t.includes('.caption-box') || t.includes('.concealed')),
    })""")
    assert outside == {"ids": [], "rules": []}
    assert not errors, errors
    page.close()


def test_the_practice_exercise_names_a_wrong_answers_mistake():
    """The tutorial's graded practice cell, run once with the right answers filled in (as committed) and once
    with the sign of −1/x² dropped: its assertion fails, and the feedback names the mistake."""
    (cell,) = [c for c in tagged(nbformat.read(TUTORIAL, as_version=4), "practice") if "session.answer" in c.source]
    exec(compile(cell.source, "tutorial practice cell", "exec"), {})  # right answers: no error
    wrong = cell.source.replace('"-0.5344 * 1"', '"0.5344 * 1"').replace('"-1/1.3679^2"', '"1/1.3679^2"')
    assert wrong != cell.source
    namespace: dict = {}
    with pytest.raises(AssertionError):
        exec(compile(wrong, "tutorial practice cell, answered wrong", "exec"), namespace)
    assert namespace["answer_feedback"].mistake == "sign" and not namespace["answer_feedback"].correct
