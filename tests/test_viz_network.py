"""Network diagrams: clusters per neuron and per layer, summaries of large models, refusal of hairballs."""

import pathlib
import re
import subprocess
import sys

import pytest

import viz
from microgrboard import Value, topological_order
from microgrboard.nn import MLP, squared_error

ROOT = pathlib.Path(__file__).resolve().parent.parent


def cluster_blocks(source):
    """cluster name -> its DOT text, for the neuron clusters (which hold no nested subgraph)."""
    return dict(re.findall(r"subgraph (cluster_layer\d+_neuron\d+) \{(.*?)\n\t+\}", source, re.S))


def test_a_2_4_4_1_network_is_grouped_per_neuron_and_per_layer():
    model = MLP(2, [4, 4, 1], seed=0)
    out = model([0.5, -1.0])
    out.backward()
    source = viz.draw(out).source
    layers = re.findall(r"subgraph (cluster_layer\d+) \{", source)
    assert layers == ["cluster_layer1", "cluster_layer2", "cluster_layer3"]
    blocks = cluster_blocks(source)
    assert len(blocks) == 4 + 4 + 1
    first = blocks["cluster_layer1_neuron1"]
    assert 'label=<layer1.neuron1  (b, w1, w2)>' in first
    # the neuron's own nodes: 3 parameters, 2 multiplies, 2 adds, the sigmoid
    assert len(re.findall(r"\tn\d+ \[label", first)) == 8
    assert len(re.findall(r"\tn\d+ \[label", blocks["cluster_layer2_neuron3"])) == 3 * 4 + 2
    # every node of the model's graph is in exactly one neuron's cluster
    in_clusters = re.findall(r"\t(n\d+) \[label", "".join(blocks.values()))
    assert len(in_clusters) == len(set(in_clusters)) == len(topological_order(out))


def test_loss_nodes_stay_outside_the_neurons():
    model = MLP(2, [3, 1], seed=0)
    loss = squared_error([model([0.5, -1.0])], [1.0])
    source = viz.draw(loss).source
    in_clusters = set(re.findall(r"\t(n\d+) \[label", "".join(cluster_blocks(source).values())))
    all_nodes = set(re.findall(r"\t(n\d+) \[label", source))
    assert len(all_nodes - in_clusters) == 3  # h − 1 (the target folded into the gate), **2, ×½


def test_a_large_model_is_summarized_one_box_per_neuron():
    model = MLP(2, [16, 16, 1], seed=0)
    out = model([0.5, -1.0])
    out.backward()
    assert len(topological_order(out)) > viz.MAX_NODES
    source = viz.draw(out).source
    assert "summarized as one box per neuron" in source
    boxes = re.findall(r'\t"(layer\d+\.neuron\d+)" \[label', source)
    assert len(boxes) == 33
    assert source.count('\t"layer1.neuron1" -> ') == 16  # to every neuron of layer 2


def test_a_large_graph_that_is_not_a_model_is_refused():
    x = Value(1.0)
    y = x
    for _ in range(300):
        y = y * 1.01 + x
    with pytest.raises(viz.GraphTooLargeError, match=r"601 nodes.*max_nodes=400.*max_nodes=601"):
        viz.draw(y)
    assert "\tn600 [" in viz.draw(y, max_nodes=601).source  # drawn node by node when asked for explicitly
    with pytest.raises(viz.GraphTooLargeError, match="too many to draw even one box per neuron"):
        out = MLP(2, [16, 16, 1], seed=0)([0.5, -1.0])
        viz.draw(out, max_nodes=20)


def test_network_diagram_renders(tmp_path, needs_dot):
    model = MLP(2, [4, 4, 1], seed=0)
    out = model([0.5, -1.0])
    out.backward()
    text = open(viz.render(out, tmp_path / "net.svg"), encoding="utf-8").read()
    assert "layer2.neuron4" in text and "(b, w1, w2, w3, w4)" in text


def test_the_readme_demo_command_writes_the_sigmoid_pictures(tmp_path, needs_dot):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "demo.py"), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in ("sigmoid_fused", "sigmoid_gates"):
        for ext in ("svg", "png"):
            path = tmp_path / f"{name}.{ext}"
            assert path.stat().st_size > 1000 and f"wrote {path}" in result.stdout
    assert "∂f/∂x1 = -0.5898" in result.stdout
    board = tmp_path / "board.html"
    assert board.stat().st_size > 5000 and f"open {board} in a browser" in result.stdout


def test_the_readme_pictures_are_what_the_example_draws(tmp_path, needs_dot):
    subprocess.run([sys.executable, str(ROOT / "examples" / "sigmoid_neuron.py"), str(tmp_path)], check=True,
                   capture_output=True, timeout=120)
    readme = (ROOT / "README.md").read_text()
    for name in ("sigmoid_fused.svg", "sigmoid_gates.svg"):
        assert f"docs/images/{name}" in readme
        committed = (ROOT / "docs" / "images" / name).read_text(encoding="utf-8")
        assert re.findall(r">([^<>]+)</text>", committed) == re.findall(r">([^<>]+)</text>",
                                                                       (tmp_path / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("script", ["backprop_frames.py", "network_diagram.py", "boards.py"])
def test_viz_examples_run(script, tmp_path, needs_dot):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / script), str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.iterdir())) >= 2
