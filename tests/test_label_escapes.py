"""Every label shows exactly as written, through Graphviz's `dot`: its escape sequences (\\N, \\G, \\E, \\T,
\\H, \\L, \\\\) are never expanded into the node's id or the graph's name, in diagrams, frames and boards.

The oracle is the label itself: the text `dot` writes into the SVG (read back with an XML parser),
line by line, must be the label as `labels.shown` makes it showable (control characters as pictures),
with no other change. dot writes the second of two spaces as a no-break space, which shows the same.
"""

import pathlib
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import viz
from microgrboard import Value
from viz import labels as L

SVG = "{http://www.w3.org/2000/svg}"
ESCAPES = ["\\N", "\\G", "\\E", "\\T", "\\H", "\\L", "\\l", "\\n", "\\r", "\\\\", "\\"]

# Labels built from Graphviz's escape sequences, lone backslashes and any other text, in any order
# (with something to show: a blank label is not shown, the node's number or name is).
labels = (st.lists(st.sampled_from(ESCAPES) | st.text(max_size=6), min_size=1, max_size=12).map("".join)
          .filter(str.strip))


def group(svg: str, *, id: str | None = None, title: str | None = None) -> ET.Element:
    """The <g> of the SVG with this id, or whose <title> is `title`."""
    root = ET.fromstring(svg[svg.index("<svg"):])
    for g in root.iter(f"{SVG}g"):
        if (id is not None and g.get("id") == id) or (title is not None and g.findtext(f"{SVG}title") == title):
            return g
    raise AssertionError(f"no group {id or title!r} in the SVG")


def lines(texts) -> list[str]:
    """The text lines that SVG <text> elements show: grouped by baseline, pieces joined; a group's
    <text> elements if given a group."""
    if isinstance(texts, ET.Element):
        texts = texts.iter(f"{SVG}text")
    rows: dict[str, str] = {}
    for text in texts:
        rows[text.get("y")] = rows.get(text.get("y"), "") + (text.text or "")
    return [row.replace("\xa0", " ") for row in rows.values()]


def expected(label: str) -> list[str]:
    """The label's lines as a diagram must show them (an empty line is only space: dot writes no text)."""
    return [line.replace("\xa0", " ") for line in L.shown(label).split("\n") if line]


def small_graph(label: str) -> Value:
    x = Value(1.5, label=label)
    f = x * 2
    f.label = label
    f.backward()
    return f


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(labels)
@example("a\\Gb \\N")  # the example: shown as "amicrogrboardb n0" before
@example("\\E\\T\\H\\L")
@example("x\\")  # a backslash that ends the label
def test_every_label_shows_exactly_as_written_through_dot(needs_dot, label):
    f = small_graph(label)
    svg = viz.render_svg(viz.draw(f, show_names=True, caption=label))
    want = expected(label)
    assert lines(group(svg, id="n0")) == want  # the input, as a leaf
    assert lines(group(svg, id="n1"))[1:] == want  # the gate's name, under its symbol ×2
    assert lines(group(svg, title="output")) == want  # the output wire's end
    assert lines(group(svg, id="graph0").findall(f"{SVG}text")) == want  # the caption: the graph's own label


@pytest.mark.parametrize("label", ["a\\Gb \\N", "\\E \\T \\H \\L \\\\"])
def test_a_frame_and_a_board_show_the_label_as_written(tmp_path, needs_dot, label):
    f = small_graph(label)
    frame = viz.render_svg(next(iter(viz.frames(f))))
    assert lines(group(frame, id="n0")) == [label]
    page = pathlib.Path(viz.board(f, tmp_path / "board.html")).read_text(encoding="utf-8")
    start = page.index("<svg", page.index('<div id="diagram">'))  # the circuit, not a button's icon
    board_svg = page[start:page.index("</svg>", start) + len("</svg>")]
    assert lines(group(board_svg, id="n0")) == [label]


def test_a_neurons_box_shows_its_parameters_names_as_written(needs_dot):
    from microgrboard.nn import MLP

    model = MLP(2, [1])
    weight = model.parameters()[0]
    weight.label += '\\N"<q>'  # still layer1.neuron1.…: still this neuron's parameter
    out = model([Value(1.0), Value(2.0)])
    svg = viz.render_svg(viz.draw(out))
    assert lines(group(svg, title="cluster_layer1_neuron1").findall(f"{SVG}text")) == [
        'layer1.neuron1  (b, w1\\N"<q>, w2)']
