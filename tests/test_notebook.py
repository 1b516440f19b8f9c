"""The tutorial notebook, run as a learner runs it: executed by a real Jupyter kernel (nbclient), its
outputs checked (diagrams are SVG, boards and tables HTML), then exported to HTML by nbconvert and opened
in Chromium, where the board inside it steps when it has focus and only then."""

import os
import pathlib
import shutil

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


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The tutorial, executed top to bottom in a fresh kernel (in a scratch directory)."""
    if not shutil.which("dot"):
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: .ci/setup should have installed it")
        pytest.skip("Graphviz's dot is not installed (sudo apt-get install graphviz)")
    work = tmp_path_factory.mktemp("tutorial")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_RUNTIME_DIR", str(work / "runtime"))  # the kernel's connection file
        notebook = nbformat.read(TUTORIAL, as_version=4)
        nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(work)}}).execute()
    return notebook


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
            assert any("image/svg+xml" in data and "<svg" in data["image/svg+xml"] for data in rich_outputs(cell)), \
                cell.source
    boards = tagged(executed, "board")
    assert len(boards) == 2
    for cell in boards:
        html = [data["text/html"] for data in rich_outputs(cell) if "text/html" in data]
        assert html and '<iframe class="microgrboard-board"' in html[0] and 'sandbox="allow-scripts"' in html[0]
    (table,) = [data["text/html"] for cell in tagged(executed, "table") for data in rich_outputs(cell)]
    assert table.count("<tr>") == 1 + 12  # the header and the circuit's twelve edges
    (history,) = [data["text/html"] for cell in tagged(executed, "history") for data in rich_outputs(cell)]
    assert "gradient steps: loss" in history and "<polyline" in history
    printed = "".join(o.text for c in executed.cells if c.cell_type == "code" for o in c.outputs
                      if o.output_type == "stream")
    assert "PASS" in printed and "17 parameters" in printed
    why = "".join(o.text for c in tagged(executed, "why") for o in c.outputs if o.output_type == "stream")
    assert "∂f/∂x1 = -0.5898" in why and "relu) is off" in why and "PASS: 6 of 6 edges" in why


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

    page.locator("h1").first.click()  # the notebook has the focus: its keys never reach the board
    for key in ("ArrowRight", "ArrowRight", "Space"):
        page.keyboard.press(key)
    page.wait_for_timeout(200)
    at("data-position", "0")

    frame.locator("h1").click()  # a click inside gives the board the keyboard
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
