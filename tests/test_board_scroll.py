"""The stepping board keeps the active gate or wire in view at every step, on a graph wider than the window.

Measured in the browser, at a 420 px wide window: after each step (once scrolling has settled) the lit
element's bounding box lies inside the part of the diagram the window shows; a step whose element is
already in view scrolls nothing; a step that has to scroll does so smoothly (through positions in
between), unless the reader asked for reduced motion. No fixed sleeps: the page is polled.
"""

import pathlib
import shutil

import pytest
from chromium import open_page

import viz
from microgrboard import Value

# The lit element's box against the diagram's visible part: its client area (inside any scrollbar),
# clipped by the window. 1 px of slack for rounding.
IN_VIEW = """() => {
  const active = document.querySelector('#diagram svg g.active');
  if (!active) { return false; }
  const d = document.getElementById('diagram'), outer = d.getBoundingClientRect(), box = active.getBoundingClientRect();
  const left = Math.max(outer.left + d.clientLeft, 0), top = Math.max(outer.top + d.clientTop, 0);
  const right = Math.min(outer.left + d.clientLeft + d.clientWidth, innerWidth);
  const bottom = Math.min(outer.top + d.clientTop + d.clientHeight, innerHeight);
  return box.left >= left - 1 && box.right <= right + 1 && box.top >= top - 1 && box.bottom <= bottom + 1;
}"""

# Resolves once neither the diagram nor the window has scrolled for 5 frames in a row.
SETTLED = """() => new Promise(resolve => {
  const d = document.getElementById('diagram');
  let last = '', still = 0;
  (function frame() {
    const now = [d.scrollLeft, d.scrollTop, scrollX, scrollY].join();
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= 5) { resolve(now); } else { requestAnimationFrame(frame); }
  })();
})"""

# Whether the element the next step lights is already wholly in view, before that step is taken.
NEXT_IN_VIEW = """(p) => {
  const data = JSON.parse(document.getElementById('data').textContent), step = data.tracks[0].steps[p];
  const id = step.wire || step.node;
  if (!id) { return null; }
  const d = document.getElementById('diagram'), outer = d.getBoundingClientRect();
  const box = document.getElementById(id).getBoundingClientRect();
  const left = Math.max(outer.left + d.clientLeft, 0), top = Math.max(outer.top + d.clientTop, 0);
  const right = Math.min(outer.left + d.clientLeft + d.clientWidth, innerWidth);
  const bottom = Math.min(outer.top + d.clientTop + d.clientHeight, innerHeight);
  return box.left >= left && box.right <= right && box.top >= top && box.bottom <= bottom;
}"""

# Every scroll position of the diagram, recorded from now on.
RECORD = """() => {
  window.positions = [];
  document.getElementById('diagram').addEventListener('scroll', e => positions.push(e.target.scrollLeft));
}"""


@pytest.fixture(scope="module")
def chain_board(tmp_path_factory):
    """A chain of 301 nodes, x × 1.01 × 1.01 …: a diagram tens of thousands of pixels wide."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    y = Value(0.5, label="x")
    for _ in range(300):
        y = y * 1.01
    return viz.board(y, tmp_path_factory.mktemp("chain") / "chain.html")


def step(page, key="ArrowRight"):
    """Press `key`, and wait until the step is shown and any scrolling has stopped."""
    before = page.evaluate("document.body.dataset.position")
    page.keyboard.press(key)
    page.wait_for_function(f"document.body.dataset.position !== '{before}'")
    return page.evaluate(SETTLED)


def test_every_step_of_the_sigma_circuit_is_in_view_at_420px_and_nothing_jumps(sigmoid_board, browser):
    page, errors = open_page(browser, sigmoid_board[0], width=420, height=700)
    assert page.evaluate("document.getElementById('diagram').scrollWidth > 420")  # wider than the window
    total = page.evaluate("JSON.parse(document.getElementById('data').textContent).tracks[0].steps.length")
    scrolled, unmoved = 0, 0
    where = page.evaluate(SETTLED)
    for p in range(1, total):
        already = page.evaluate(NEXT_IN_VIEW, p)
        now = step(page)
        page.wait_for_function(IN_VIEW, timeout=5_000)
        if already:
            assert now == where, f"step {p}: its element was in view, yet the board scrolled"
            unmoved += 1
        scrolled += now != where
        where = now
    assert scrolled > 0 and unmoved > 0  # both cases happened
    assert errors == []


def test_a_long_chain_follows_the_active_gate_forward_and_back(chain_board, browser):
    page, errors = open_page(browser, chain_board, width=420, height=700)
    width = page.evaluate("document.getElementById('diagram').scrollWidth")
    assert width > 20_000
    for _ in range(60):  # 60 gates of the forward pass, pressed as fast as the keyboard goes
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.body.dataset.position === '60'")
    page.wait_for_function(IN_VIEW, timeout=10_000)
    assert page.evaluate("document.getElementById('diagram').scrollLeft") > 5_000
    for _ in range(300 - 60 + 1 + 40):  # the rest of the forward pass, the seed, and 40 steps back
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.body.dataset.position === '341'")
    page.wait_for_function(IN_VIEW, timeout=10_000)
    assert 1_000 < page.evaluate("document.getElementById('diagram').scrollLeft") < width - 5_000  # on the way back
    for _ in range(3):  # and three steps back: to the wires just walked
        step(page, "ArrowLeft")
        page.wait_for_function(IN_VIEW, timeout=5_000)
    assert errors == []


def test_a_step_that_scrolls_does_so_smoothly_unless_reduced_motion_is_asked_for(chain_board, browser):
    for motion, smooth in (("no-preference", True), ("reduce", False)):
        page = browser.new_page(viewport={"width": 420, "height": 700}, reduced_motion=motion)
        page.goto(pathlib.Path(chain_board).resolve().as_uri())
        for _ in range(5):
            step(page)
        page.evaluate(RECORD)
        step(page)  # the sixth gate is out of view: the diagram scrolls to it
        page.wait_for_function(IN_VIEW, timeout=5_000)
        positions = page.evaluate("positions")
        assert positions and (len(set(positions)) > 1) == smooth, (motion, positions)
        page.close()
