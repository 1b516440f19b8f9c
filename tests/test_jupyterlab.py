"""The tutorial in a real front end: a JupyterLab server (tests/jupyterlab.py: 127.0.0.1, a token, its
own scratch directories, stopped by its PID), the notebook opened in headless Chromium and run with
Run → Run All Cells, then checked as a learner sees it — diagrams as images, the explainer's table,
the History's curve, a board that steps after one click and ignores keys typed in the notebook, the
training board's unit pictures, cells that run again — and the same notebook, saved and opened
untrusted, showing pictures instead of reprs. About 20–30 s in all."""

import importlib.util
import json
import os
import pathlib
import re
import shutil

import pytest
from chromium import ARTIFACTS
from jupyterlab import jupyterlab

ROOT = pathlib.Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "examples" / "tutorial.ipynb"
CELLS = json.loads(TUTORIAL.read_text(encoding="utf-8"))["cells"]

if importlib.util.find_spec("jupyterlab") is None:
    if os.environ.get("CI"):  # the test extra installs it: missing in CI is a failure
        raise ImportError("jupyterlab is missing in CI: the test extra (pip install -e '.[test]') installs it")
    pytest.skip("the front-end test needs JupyterLab (pip install -e '.[test]' installs it)", allow_module_level=True)


def tagged(tag: str) -> list[int]:
    """The indices (among all cells, as JupyterLab lays them out) of the tutorial's cells with `tag`."""
    return [i for i, cell in enumerate(CELLS) if tag in cell.get("metadata", {}).get("tags", [])]


def source_index(start: str) -> int:
    (index,) = [i for i, cell in enumerate(CELLS) if "".join(cell["source"]).startswith(start)]
    return index


ALL_PROMPTS_NUMBERED = """() => {
    const panel = '.jp-NotebookPanel:not(.lm-mod-hidden)';
    const prompts = [...document.querySelectorAll(panel + ' .jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    """JupyterLab serving a copy of the tutorial: yields (server, the page showing it after Run All)."""
    if not shutil.which("dot"):
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is missing in CI: .ci/setup should have installed it")
        pytest.skip("Graphviz's dot is not installed (sudo apt-get install graphviz)")
    scratch = tmp_path_factory.mktemp("jupyterlab")
    root = scratch / "notebooks"
    root.mkdir()
    shutil.copy(TUTORIAL, root / "tutorial.ipynb")
    with jupyterlab(scratch, root) as server:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server.lab("tutorial.ipynb"))
        cells(page).first.wait_for(timeout=60_000)
        server.wait_for_kernel()  # Run All before the kernel is connected would run nothing
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        page.wait_for_function(ALL_PROMPTS_NUMBERED, timeout=120_000)
        yield server, page
        assert not errors, errors
        page.close()


def cells(page):
    """The cells of the notebook in view, in the notebook's order."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


def cell(page, index: int):
    return cells(page).nth(index)


def loaded_images(page, index: int) -> list[dict]:
    """The images in a cell's outputs once loaded: their kind (from the src) and drawn size."""
    target = cell(page, index)
    target.scroll_into_view_if_needed()
    images = target.locator(".jp-OutputArea-output img")
    images.first.wait_for()
    page.wait_for_function("els => els.every(e => e.complete)", arg=images.element_handles())
    return images.evaluate_all("""els => els.map(e => ({src: e.getAttribute('src').slice(0, 22),
        width: e.naturalWidth, shown: e.getBoundingClientRect().width}))""")


def output_text(page, index: int) -> str:
    """The text of a cell's outputs (from the DOM: JupyterLab does not lay out cells out of view)."""
    return cell(page, index).locator(".jp-OutputArea").text_content()


def assert_no_error(page, index: int) -> None:
    errors = cell(page, index).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, errors.all_inner_texts()


def test_diagrams_tables_and_curves_show_as_a_learner_sees_them(lab):
    _, page = lab
    for index in tagged("diagram") + tagged("network"):
        images = loaded_images(page, index)
        assert images and all(i["width"] > 0 and i["shown"] > 0 for i in images), (index, images)
        assert "Digraph at 0x" not in output_text(page, index) and "Value(" not in output_text(page, index)
    (table,) = tagged("table")
    rows = cell(page, table).locator(".jp-OutputArea-output table tr")
    assert rows.count() == 1 + 12
    (history,) = tagged("history")
    assert "gradient steps: loss" in output_text(page, history)
    (curve,) = loaded_images(page, history)
    assert curve["src"].startswith("data:image/svg+xml") and curve["width"] == 360
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "jupyterlab-history.png"))


def test_the_board_steps_after_one_click_and_ignores_the_notebooks_keys(lab):
    from playwright.sync_api import expect

    _, page = lab
    board_cell = tagged("board")[0]
    frame = cell(page, board_cell).frame_locator("iframe.microgrboard-board")
    body = frame.locator("body")
    cell(page, board_cell).scroll_into_view_if_needed()
    expect(body).to_have_attribute("data-position", "0")
    markdown = cell(page, board_cell - 1)  # another cell first, as a learner reading down the page does
    markdown.click()
    for key in ("ArrowRight", "ArrowRight", "Space"):  # typed in the notebook: the board must not move
        page.keyboard.press(key)
    page.wait_for_timeout(200)
    expect(body).to_have_attribute("data-position", "0")
    expect(body).to_have_attribute("data-keyboard", "no")
    expect(frame.get_by_role("status")).to_contain_text("Click the board")

    frame.locator("h1").click()  # one click inside
    expect(body).to_have_attribute("data-keyboard", "yes")
    expect(frame.get_by_role("status")).to_contain_text("has the keyboard")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(body).to_have_attribute("data-position", "2")
    cell(page, board_cell).screenshot(path=str(ARTIFACTS / "jupyterlab-board.png"))

    markdown.click()  # back in the notebook: the board keeps its place and says it has no keyboard
    expect(body).to_have_attribute("data-keyboard", "no")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    expect(body).to_have_attribute("data-position", "2")


def test_the_training_boards_unit_pictures_have_a_size(lab):
    """Each unit's square holds its picture of the plane, drawn at the square's size (issue 26: they were
    placed from getBBox() while the page loaded, 0 × 0 in a frame not laid out yet)."""
    from playwright.sync_api import expect

    _, page = lab
    board_cell = tagged("board")[1]
    cell(page, board_cell).scroll_into_view_if_needed()
    frame = cell(page, board_cell).frame_locator("iframe.microgrboard-board")
    expect(frame.locator("body")).to_have_attribute("data-step", "80")
    sizes = frame.locator("#network-diagram image").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
    assert len(sizes) == 8 + 8 + 1 and all(w > 0 and h > 0 for w, h in sizes), sizes


def test_cells_run_again(lab):
    """After Run All, run the training cell, its board and the circuit's board again: no error, and the
    boards are back (the training cell once failed, a later cell having rebound MLP, and its board
    because a later cell rebound y)."""
    from playwright.sync_api import expect

    _, page = lab
    for index in (source_index("from microgrboard.nn import MLP, train"), *reversed(tagged("board"))):
        target = cell(page, index)
        target.scroll_into_view_if_needed()
        before = target.locator(".jp-InputPrompt").inner_text()
        target.locator(".jp-InputPrompt").click()  # select the cell (command mode), then run it
        page.keyboard.press("Control+Enter")
        expect(target.locator(".jp-InputPrompt")).not_to_have_text(before)
        expect(target.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60_000)
        assert_no_error(page, index)
    frame = cell(page, tagged("board")[0]).frame_locator("iframe.microgrboard-board")
    expect(frame.locator("body")).to_have_attribute("data-position", "0")


def test_the_notebook_opened_untrusted_shows_pictures_not_reprs(lab, browser):
    """Its outputs saved, the notebook is opened as a colleague would open it: untrusted (its signature
    is not in this server's database), so no SVG output and no frame is shown."""
    from playwright.sync_api import expect

    server, page = lab
    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Save Notebook Ctrl")).click()
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)  # saved
    saved = json.loads((server.root / "tutorial.ipynb").read_text(encoding="utf-8"))
    assert saved["cells"][tagged("board")[0]]["outputs"], "the outputs were saved"
    saved["metadata"]["copied_from"] = "tutorial.ipynb"  # a different notebook: not signed here
    (server.root / "untrusted.ipynb").write_text(json.dumps(saved), encoding="utf-8")

    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(server.lab("untrusted.ipynb", reset=True))
    cells(other).first.wait_for(timeout=60_000)
    for index in tagged("diagram") + tagged("network"):
        images = loaded_images(other, index)
        assert any(i["src"].startswith("data:image/png") and i["width"] > 0 for i in images), (index, images)
        assert "Digraph at 0x" not in output_text(other, index) and "Value(" not in output_text(other, index)
    for index in tagged("board"):
        assert cell(other, index).locator("iframe").count() == 0  # dropped, as untrusted outputs are
        stills = loaded_images(other, index)
        assert stills and all(i["width"] > 0 and i["shown"] > 0 for i in stills)
        assert "run this cell again, or trust the notebook" in output_text(other, index)
    (history,) = tagged("history")
    (curve,) = loaded_images(other, history)
    assert curve["width"] == 360 and "gradient steps: loss" in output_text(other, history)
    cell(other, tagged("board")[0]).screenshot(path=str(ARTIFACTS / "jupyterlab-untrusted-board.png"))
    other.close()
