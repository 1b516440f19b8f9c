"""The renderer: DOT text without `dot`, real rendering with it, hostile labels, and the missing-dot path."""

import html
import re
import subprocess
import sys

import graphviz
import pytest

import viz
from microgrboard import Value
from microgrboard.circuits import sigmoid_neuron

SEED_WIRES = {"w0": ("2.00", "-0.20"), "x0": ("-1.00", "0.39"), "w1": ("-3.00", "-0.39"),
              "x1": ("-2.00", "-0.59"), "w2": ("-3.00", "0.20")}  # the course's diagram, to 2 places


def node_ids(source):
    """label text -> node id, for the plain-text input nodes."""
    return {m.group(2): m.group(1) for m in re.finditer(r"(n\d+) \[label=<<b>(.*?)</b>>", source)}


def wire_label(source, tail, head):
    return re.search(rf"\t{tail} -> {head} \[label=<(.*?)>\]?\n", source).group(1)


def wire_numbers(source, tail):
    label = re.search(rf"\t{tail} -> n\d+ \[label=<(.*)>", source).group(1)
    return tuple(re.findall(r"<font color=\"#[0-9a-f]+\">(?:<b>)?([-\d.]+)", label))


@pytest.mark.parametrize("fused", [True, False])
def test_every_input_wire_carries_the_seed_value_and_gradient(fused):
    f, _ = sigmoid_neuron(fused=fused)
    f.backward()
    graph = viz.draw(f)
    assert isinstance(graph, graphviz.Digraph)
    ids = node_ids(graph.source)
    for name, numbers in SEED_WIRES.items():
        assert wire_numbers(graph.source, ids[name]) == numbers
    assert re.search(r"-> output \[label=<.*0\.73.*1\.00", graph.source)  # the output wire: f and df/df


def test_draw_never_renders_and_output_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a, _ = sigmoid_neuron(fused=False)
    b, _ = sigmoid_neuron(fused=False)
    for f in (a, b):
        f.backward()
    assert viz.draw(a).source == viz.draw(b).source == viz.draw(a).source
    assert list(tmp_path.iterdir()) == []  # nothing written
    ids = [int(i) for i in re.findall(r"\tn(\d+) \[", viz.draw(a).source)]
    assert ids == list(range(len(ids)))  # node ids follow the topological order


def test_no_gradients_before_backward_and_when_hidden():
    f, _ = sigmoid_neuron()
    assert "#c21f30" not in viz.draw(f).source and "gradient" not in viz.draw(f).source
    f.backward()
    assert "#c21f30" in viz.draw(f).source
    assert "#c21f30" not in viz.draw(f, show_grad=False).source


def test_constants_fold_into_gates_or_show_as_nodes():
    x = Value(3.0, label="x")
    y = (1 + (-x).exp()) / 2 + x**2 - 4
    source = viz.draw(y).source
    for gate in ("+1", "×−1", "÷2", "**2", "−4"):
        assert f"label=<{gate}>" in source
    assert source.count("shape=plaintext") == 3  # x, output, legend: no loose constant nodes
    unfolded = viz.draw(y, constants_as_nodes=True).source
    assert unfolded.count("shape=plaintext") == 3 + 5


def test_options_rankdir_precision_local_highlight():
    f, inputs = sigmoid_neuron(fused=False)
    f.backward()
    assert "rankdir=TB" in viz.draw(f, rankdir="TB").source
    assert "-0.1966" in viz.draw(f, precision=4).source
    local = viz.draw(f, show_local=True).source
    assert "local × upstream" in local and "-1.00 × 0.20" in local  # w0's wire: local −1 (= x0) × 0.20
    lit = viz.draw(f, highlight=inputs["x1"]).source
    assert re.search(r"<b>x1</b>> fontcolor=\"#d9730d\"", lit)
    pair = viz.draw(f, highlight=(inputs["w2"], inputs["w2"])).source  # not an edge: nothing lit
    assert "#d9730d" not in pair
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw(f, rankdir="XY")
    with pytest.raises(ValueError, match="precision"):
        viz.draw(f, precision=-1)
    with pytest.raises(TypeError, match="highlight"):
        viz.draw(f, highlight="x1")


def test_highlight_a_step_lights_exactly_its_wire():
    f, inputs = sigmoid_neuron()
    steps = list(f.backward_steps())
    step = next(s for s in steps if s.parent is inputs["x0"])
    source = viz.draw(f, highlight=step).source
    ids = node_ids(source)
    assert source.count('color="#d9730d"') == 1
    assert re.search(rf"\t{ids['x0']} -> n\d+ \[label=.*color=\"#d9730d\"", source)


HOSTILE = 'a|b {c} <d> "e" \\f\nsecond ünï ∂σ 🙂 &amp;'


def test_hostile_labels_in_dot_text_are_escaped():
    x = Value(1.0, label=HOSTILE)
    source = viz.draw(x * 2).source
    assert "&lt;d&gt;" in source and "&quot;e&quot;" in source and "<br/>second" in source
    assert "&amp;amp;" in source


def test_hostile_labels_are_accepted_by_dot_and_shown_as_written(needs_dot):
    x = Value(1.0, label=HOSTILE)
    y = x * 2
    y.label = "}{|<>"
    result = subprocess.run(["dot", "-Tsvg"], input=viz.draw(y).source.encode(), capture_output=True)
    assert result.returncode == 0 and not result.stderr, result.stderr
    text = result.stdout.decode()
    for piece in ("a|b {c} &lt;d&gt; &quot;e&quot; \\f", "second ünï ∂σ 🙂 &amp;amp;", "}{|&lt;&gt;"):
        assert piece in text


def test_render_svg_png_pdf(tmp_path, needs_dot):
    f, _ = sigmoid_neuron(fused=False)
    f.backward()
    svg = viz.render(f, tmp_path / "sig.svg")
    text = html.unescape(open(svg, encoding="utf-8").read())  # dot writes "-" as &#45;
    for value, grad in SEED_WIRES.values():
        assert f">{value}<" in text and f">{grad}<" in text
    assert ">0.73<" in text and ">×−1<" in text and ">+1<" in text and ">exp<" in text and ">1/x<" in text
    assert open(viz.render(f, tmp_path / "sig.png", format="png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert open(viz.render(f, tmp_path / "sub" / "sig.pdf", format="pdf"), "rb").read(5) == b"%PDF-"
    with pytest.raises(ValueError, match="format"):
        viz.render(f, tmp_path / "sig.gif", format="gif")


def test_missing_dot_names_the_install_command_and_keeps_the_source(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    f, _ = sigmoid_neuron()
    f.backward()
    with pytest.raises(viz.GraphvizNotFoundError) as info:
        viz.render(f, tmp_path / "out" / "sig.svg")
    message = str(info.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    source = tmp_path / "out" / "sig.dot"
    assert source.read_text(encoding="utf-8") == viz.draw(f).source
    assert str(source) in message and not (tmp_path / "out" / "sig.svg").exists()


def test_frames_one_per_backprop_step():
    f, inputs = sigmoid_neuron(fused=False)
    steps = list(sigmoid_neuron(fused=False)[0].backward_steps())
    frames = list(viz.frames(f))
    assert len(frames) == len(steps) == 12
    grads_shown = [frame.source.count("#c21f30") for frame in frames]
    assert grads_shown == sorted(grads_shown) and grads_shown[0] < grads_shown[-1]
    for frame, step in zip(frames, steps):
        assert frame.source.count('color="#d9730d"') == 1
        assert f"step {step.index}: " in frame.source and f"= {step.contribution:.4g}" in frame.source
    assert "-0.59" in frames[-1].source  # ∂f/∂x1 = −0.5898 on x1's wire, at precision 2
    assert all(v.grad == 0.0 for v in inputs.values())  # looking changes nothing


def test_write_frames_numbers_the_files(tmp_path, needs_dot):
    f, _ = sigmoid_neuron()
    paths = viz.write_frames(f, tmp_path / "frames")
    assert [p.rsplit("/", 1)[-1] for p in paths] == [f"step_{i:03d}.svg" for i in range(1, 10)]
    assert all(open(p, encoding="utf-8").read().lstrip().startswith("<?xml") for p in paths)


def test_import_viz_works_without_the_graphviz_package_and_drawing_says_what_to_install():
    code = ("import sys; sys.modules['graphviz'] = None\n"
            "import viz\nfrom microgrboard import Value\n"
            "try:\n    viz.draw(Value(1.0) * 2)\nexcept ImportError as e:\n    print(e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "pip install graphviz" in result.stdout and "apt-get install graphviz" in result.stdout


def test_a_label_never_shows_a_nonzero_number_as_zero():
    """A gradient of 0.0044 and a bias of -0.001 drawn at 2 decimals read 0.00 and -0.00 before."""
    b = Value(-0.001, label="b")
    w = Value(1.0, label="w")
    f = w * 0.0044 + b
    f.label = "f"
    f.backward()
    texts = re.findall(r">([^<>]+)<", viz.draw(f).source)
    assert "0.0044" in texts and "-0.001" in texts  # w's gradient and b's value
    assert "0.00" not in texts and "-0.00" not in texts
    z = Value(-0.0, label="z") * 1.0
    texts = re.findall(r">([^<>]+)<", viz.draw(z).source)
    assert "-0.00" not in texts and "0.00" in texts
