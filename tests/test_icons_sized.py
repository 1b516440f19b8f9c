"""Every page with the stepping controls sizes their icons (icons.css): an inline SVG without it is drawn
300 × 150 px, and a Play button shows both ▶ and ⏸ (the bug hunt and the matrix board once lacked it)."""

import pathlib

import pytest

import viz
from microgrboard.circuits import sigmoid_neuron
from microgrboard.nn import debug_network


def _pages(folder: pathlib.Path) -> dict:
    f, _ = sigmoid_neuron(fused=False)
    return {"board": viz.board(f, folder / "board.html"),
            "bug hunt": viz.board(f, folder / "bug.html", bug="no-upstream"),
            "matrix board": viz.matrix_board(*debug_network(), path=folder / "matrices.html", lam=1.0)}


@pytest.mark.parametrize("name", ["board", "bug hunt", "matrix board"])
def test_the_controls_icons_are_the_size_of_a_letter(browser, tmp_path, needs_dot, name):
    page = browser.new_page()
    page.goto(pathlib.Path(_pages(tmp_path)[name]).resolve().as_uri())
    shown = page.evaluate("""Array.from(document.querySelectorAll('svg.icon'))
        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.width, r.height])""")
    page.close()
    assert len(shown) == 4, shown  # Reset, Previous, Next, and one of Play/Pause
    assert all(width < 30 and height < 30 for width, height in shown), shown
