"""No text on any page needs a glyph that its fonts lack (it would show as an empty box, "tofu").

How it is checked, and why this way: Chromium says, for every element, which fonts it actually used to
draw that element's text (DevTools' CSS.getPlatformFontsForNode, after its own font fallback); when no
installed font has a character, Chromium draws the first font's "missing glyph" box and still reports
that font. So each character of an element's text (and of its ::before/::after content) must be in the
character set of at least one of the fonts used for it, as fontconfig (`fc-list`) reads them from the
font files. This depends on no font, no pixel and no screenshot, and follows Chromium's own fallback:
on a machine with Debian's DejaVu and Liberation (no U+23F8 "⏸"), the old "⏸ Pause" fails it.

Every page is checked in the states that change its text: boards at the start, playing, stepped to
the end and with "why" open; the playground training and inspecting; the notebook's HTML outputs.
"""

import functools
import os
import shutil
import subprocess

import pytest
from chromium import open_page
from test_playground_engine import open_playground

import viz
from microgrboard import Value, explanation
from microgrboard.circuits import sigmoid_neuron
from microgrboard.nn import MLP, compare_starts, train
from microgrboard.nn.datasets import make_moons
from viz.display import explanation_html, history_html


@functools.lru_cache(maxsize=1)
def font_charsets() -> dict[str, frozenset[int]]:
    """Each installed font's PostScript name → the code points it has glyphs for (fontconfig's charset)."""
    if shutil.which("fc-list") is None:  # Debian's fontconfig package: Graphviz's pango needs it
        if os.environ.get("CI"):
            pytest.fail("fontconfig's fc-list is missing in CI (sudo apt-get install fontconfig)")
        pytest.skip("fontconfig's fc-list is not installed (sudo apt-get install fontconfig)")
    listing = subprocess.run(["fc-list", "--format", "%{postscriptname}\t%{charset}\n"], capture_output=True,
                             text=True, check=True).stdout
    charsets: dict[str, set[int]] = {}
    for line in listing.splitlines():
        name, _, ranges = line.partition("\t")
        points = charsets.setdefault(name, set())
        for piece in ranges.split():  # "20-7e a0-17f 192 …": hexadecimal ranges and single code points
            first, _, last = piece.partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
    return {name: frozenset(points) for name, points in charsets.items()}


def _elements(node: dict):
    """Every node of a DOM.getDocument tree: children, ::before/::after, shadow roots, frames."""
    yield node
    for key in ("children", "pseudoElements", "shadowRoots"):
        for child in node.get(key, []):
            yield from _elements(child)
    if "contentDocument" in node:
        yield from _elements(node["contentDocument"])


def _css_string(content: str) -> str:
    """The text of a computed `content` value such as '" ✓"' (none/normal: no text)."""
    if not content.startswith('"'):
        return ""
    return content[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def _by_id(root: dict, id: str) -> dict:
    for node in _elements(root):
        attributes = node.get("attributes", [])
        if dict(zip(attributes[::2], attributes[1::2])).get("id") == id:
            return node
    raise AssertionError(f"no element #{id} on the page")


def tofu(page, within: str | None = None) -> list[str]:
    """Every character drawn on `page` (or inside the element whose id is `within`) that none of the fonts
    Chromium used for it has, with where."""
    charsets = font_charsets()
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    found = []
    for node in _elements(root if within is None else _by_id(root, within)):
        if node["nodeType"] != 1 or node["nodeName"] in ("SCRIPT", "STYLE", "TITLE", "HEAD"):
            continue
        if node.get("pseudoType") in ("before", "after"):
            style = cdp.send("CSS.getComputedStyleForNode", {"nodeId": node["nodeId"]})["computedStyle"]
            text = _css_string(next((p["value"] for p in style if p["name"] == "content"), ""))
        else:
            text = "".join(child["nodeValue"] for child in node.get("children", []) if child["nodeType"] == 3)
        characters = {c for c in text if not c.isspace()}
        if not characters:
            continue
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        if not fonts:
            continue  # not drawn (display: none, hidden, or not laid out)
        unknown = [f["postScriptName"] for f in fonts if f["postScriptName"] not in charsets]
        assert not unknown, f"fonts that fontconfig does not list (a web font?): {unknown}"
        covered = frozenset().union(*(charsets[f["postScriptName"]] for f in fonts))
        for c in sorted(characters - {chr(p) for p in covered}):
            found.append(f"{c!r} (U+{ord(c):04X}) in <{node['nodeName'].lower()}{node.get('pseudoType', '')}> "
                         f"{text.strip()[:40]!r}, drawn with {[f['postScriptName'] for f in fonts]}")
    cdp.detach()
    return found


def check(page, state: str, within: str | None = None) -> None:
    missing = tofu(page, within)
    assert not missing, f"{state}: characters no font of the page can draw:\n" + "\n".join(missing)


def test_the_check_finds_a_missing_glyph(browser):
    """The oracle itself: a character no installed font has (U+23F8 is in none of Debian's default
    fonts, nor U+10FFFD, a private-use point, in any) is reported; plain text is not."""
    page = browser.new_page()
    charsets = font_charsets()
    absent = next(c for c in ("\u23f8", "\U0010fffd") if not any(ord(c) in s for s in charsets.values()))
    page.set_content(f"<p>Plain text, ∂σ</p><button>{absent} Pause</button>")
    missing = tofu(page)
    assert len(missing) == 1 and f"U+{ord(absent):04X}" in missing[0] and "<button>" in missing[0]
    page.close()


def walk_to_the_end(page, prefix=""):
    """Step to the last step with the → key, as a learner does (the counter says how many there are)."""
    steps = int(page.inner_text(f"#{prefix}counter").split()[3])
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    assert page.is_disabled(f"#{prefix}next")


def test_the_stepping_boards(sigmoid_board, browser, tmp_path, needs_dot):
    page, errors = open_page(browser, sigmoid_board[0])
    check(page, "board at the start")
    page.click("#play")
    page.wait_for_function("document.getElementById('play').getAttribute('aria-pressed') === 'true'")
    check(page, "board playing")
    page.click("#play")
    walk_to_the_end(page)
    page.click("#n1")  # why: a gate's paths to the output
    page.wait_for_selector("#why-panel", state="visible")
    check(page, "board at the end, with why open")
    assert errors == []

    a = Value(2.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b + a
    page, errors = open_page(browser, viz.board(c, tmp_path / "naive.html", order="naive"))
    walk_to_the_end(page)  # the naive order's wrong steps (✗) and the table's ✓ and ✗
    check(page, "naive board at the end")
    assert errors == []


def test_the_training_and_initialization_boards(browser, tmp_path, needs_dot):
    X, y = make_moons(40, 0.1, seed=0)
    model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    history = train(model, X, y, lr=1.0, epochs=10, progress=False, record_every=2)
    page, errors = open_page(browser, viz.training_board(model, history, X, y, tmp_path / "training.html"))
    check(page, "training board")
    page.click("#play")
    check(page, "training board playing")
    assert errors == []
    comparison = compare_starts(X, y, nouts=[4, 1], seeds=[0], epochs=10, record_every=5)
    page, errors = open_page(browser, viz.comparison_board(comparison, X, y, tmp_path / "init.html"))
    check(page, "initialization board")
    assert errors == []


def test_the_playground_training_and_inspecting(browser, tmp_path):
    page, errors = open_playground(browser, viz.playground(path=tmp_path / "playground.html"))
    check(page, "playground")
    page.click("#train-play")
    page.wait_for_function("document.getElementById('train-play').getAttribute('aria-pressed') === 'true'")
    check(page, "playground training", within="train-play")  # the panels redraw all the time: not them
    page.click("#train-play")
    page.click("#unit-1-2")  # a neuron's part of an example's backprop (all of it is thousands of texts)
    page.wait_for_selector("#inspector", state="visible")
    check(page, "playground's inspector")
    page.click("#walk-play")
    check(page, "playground's inspector playing", within="walk-play")
    page.click("#walk-play")
    walk_to_the_end(page, "walk-")
    check(page, "playground's inspector at the end")
    assert errors == []


def test_the_notebooks_html_outputs(browser):
    f, _ = sigmoid_neuron(fused=True)
    X, y = make_moons(40, seed=1)
    history = train(MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=1), X, y, lr=1.0,
                    epochs=5, progress=False)
    page = browser.new_page()
    page.set_content(explanation_html(explanation(f)) + history_html(history))
    check(page, "the explainer's table and a history, as a notebook shows them")
    page.close()


SHOWN_ICONS = """b => Array.from(b.querySelectorAll('svg.icon'))
  .filter(s => getComputedStyle(s).display !== 'none' && s.getBoundingClientRect().width > 0)
  .map(s => s.getAttribute('class').replace('icon icon-', ''))"""


def controls_say(page, names: dict[str, str]) -> None:
    """Each button named exactly `name` (its words: the icon is hidden from the accessibility tree) shows
    one drawn icon, the one given, and its text is words only."""
    for name, icon in names.items():
        button = page.get_by_role("button", name=name, exact=True)
        assert button.is_visible(), name
        assert button.evaluate(SHOWN_ICONS) == [icon], name
        assert button.inner_text().strip() == name  # no symbol in the text: nothing a font must have


def test_the_controls_icons_are_drawn_and_their_names_are_words(sigmoid_board, browser, tmp_path):
    page, errors = open_page(browser, sigmoid_board[0])
    controls_say(page, {"Reset": "reset", "Previous": "previous", "Next": "next", "Play": "play"})
    page.click("#play")
    controls_say(page, {"Pause": "pause"})
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.keyboard.press("Space")  # pauses
    controls_say(page, {"Play": "play"})
    assert errors == []

    page, errors = open_playground(browser, viz.playground(path=tmp_path / "playground.html"))
    controls_say(page, {"Play": "play"})
    page.click("#train-play")
    controls_say(page, {"Pause": "pause"})
    page.click("#train-play")
    controls_say(page, {"Play": "play"})
    assert errors == []
