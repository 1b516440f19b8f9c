"""Bad input outside the engine gets a clear error and loses nothing: labels, pictures, pages, model
files, and the command lines. (The engine's numbers are in test_errors.py.)"""

import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import viz
from microgrboard import Value
from microgrboard.nn import MLP, load, load_parameters, save
from viz import labels as L
from viz.page import script_json

ROOT = pathlib.Path(__file__).resolve().parent.parent
HAVE_DOT = shutil.which("dot") is not None


def small_graph(label: str) -> Value:
    x = Value(1.5, label=label)
    f = (x * 2).tanh()
    f.label = label
    f.backward()
    return f


# --- labels: any text renders, or is shown visibly -----------------------------------------------


def test_unshowable_text_is_shown_visibly():
    assert L.shown("a\x01b\tc\x7f\x85") == "a␁b␉c␡\\x85"
    assert L.shown("\ud800") == "\ufffd"  # a lone surrogate is not text
    long = L.shown("x" * 20_000)
    assert len(long) == L.MAX_LABEL and long.endswith("…")
    assert L.escape("a\nb<&>") == "a<br/>b&lt;&amp;&gt;"


@pytest.mark.parametrize("label", ["\\G", "\\N", "\\E", "a\x01b", "x" * 20_000, "<!--<script>", "]]>",
                                   "&amp;", "\ud800", "\u2028", '"\'', "{a|b}"])
def test_hostile_labels_render_through_dot(label, needs_dot):
    svg = viz.render_svg(viz.draw(small_graph(label)))
    assert "<svg" in svg


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300))
def test_any_label_text_renders_through_dot(label):
    if not HAVE_DOT:
        pytest.skip("Graphviz's dot is not installed")
    svg = viz.render_svg(viz.draw(small_graph(label)))
    assert svg.count("<text") >= 3


# --- pages: data cannot leave its script element, and NaN is refused clearly ----------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_page_json_reads_back_and_never_closes_its_element(text):
    encoded = script_json({"caption": text})
    assert not re.search(r"</|<!--|<script|]]>", encoded, re.I)
    assert json.loads(encoded) == {"caption": text}


def test_non_finite_page_data_is_refused_with_where_it_is():
    with pytest.raises(ValueError, match=r"NaN or infinity at loss\[2\]"):
        script_json({"loss": [1.0, 0.5, float("nan")]})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=80) | st.sampled_from(["</script><script>alert(1)</script>", "<!--<script>",
                                                           "]]>", "\u2028", "</SCRIPT >"]))
def test_any_label_survives_into_a_board_whose_script_runs(tmp_path_factory, browser, needs_dot, label):
    path = viz.board(small_graph(label), tmp_path_factory.mktemp("hostile") / "board.html")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pathlib.Path(path).resolve().as_uri())
    page.keyboard.press("ArrowRight")
    assert errors == [] and page.inner_text("#counter").startswith("step 1 of")
    first_step = "JSON.parse(document.getElementById('data').textContent).tracks[0].steps[0].caption"
    assert page.evaluate(first_step).startswith("The inputs are known")
    page.close()


# --- pictures: the suffix says the format ---------------------------------------------------------


def test_render_writes_the_format_its_suffix_names(tmp_path, needs_dot):
    f = small_graph("x")
    assert open(viz.render(f, tmp_path / "g.png"), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert open(viz.render(f, tmp_path / "g.pdf"), "rb").read(5) == b"%PDF-"
    assert open(viz.render(f, tmp_path / "g.SVG"), encoding="utf-8").read().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="name the file .svg, .png or .pdf"):
        viz.render(f, tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="says .png, but format='svg'"):
        viz.render(f, tmp_path / "g.png", format="svg")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        viz.render(f, tmp_path)
    with pytest.raises(TypeError, match="expected a file path"):
        viz.render(f, 3)


# --- model files: atomic saves, loads that check everything ---------------------------------------


def test_a_failed_save_leaves_the_previous_file_loadable(tmp_path, monkeypatch):
    model = MLP(2, [3, 1], seed=0)
    path = save(model, tmp_path / "m.npz")
    before = pathlib.Path(path).read_bytes()
    other = MLP(2, [3, 1], seed=1)

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space left"):
        save(other, path)
    assert pathlib.Path(path).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left behind


def test_a_save_killed_midway_never_leaves_a_broken_file(tmp_path):
    path = tmp_path / "big.npz"
    save(MLP(2, [60, 60, 1], seed=0), path)
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from microgrboard.nn import MLP, save\n"
            "model = MLP(2, [60, 60, 1], seed=1)\n"
            "print('ready', flush=True)\n"
            f"while True: save(model, {str(path)!r})\n")
    for delay in (0.05, 0.13, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert len(load(path).parameters()) == 60 * 3 + 60 * 61 + 61  # whole, whichever save it holds


def test_load_refuses_nan_and_names_the_file(tmp_path):
    model = MLP(2, [2, 1], seed=0)
    path = save(model, tmp_path / "m.npz")
    with np.load(path) as data:
        arrays = dict(data)
    arrays["layer1.neuron1.w1"] = np.array(float("nan"))
    np.savez(tmp_path / "nan.npz", **arrays)
    with pytest.raises(ValueError, match=r"nan.npz: parameter layer1.neuron1.w1 is nan"):
        load(tmp_path / "nan.npz")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load(tmp_path / "missing.npz")
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(ValueError, match="text.npz: not a model file"):
        load(tmp_path / "text.npz")


def test_a_tiny_file_naming_a_huge_model_is_refused_before_any_allocation(tmp_path):
    record = {"nin": 2, "nouts": [3000, 3000, 1], "activation": "tanh", "output_activation": "sigmoid"}
    path = tmp_path / "huge.npz"
    np.savez(path, __architecture__=np.array(json.dumps(record)))
    assert path.stat().st_size < 1000
    tracemalloc.start()
    with pytest.raises(ValueError, match="holds 0 parameters, but the model needs 9015001"):
        load(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000


def test_load_parameters_checks_the_architecture(tmp_path):
    path = save(MLP(2, [3, 1], activation="tanh", seed=0), tmp_path / "tanh.npz")
    relu = MLP(2, [3, 1], activation="relu", seed=0)
    before = [p.data for p in relu.parameters()]
    with pytest.raises(ValueError, match=r"holds a model 2-3-1 \(tanh, output tanh\), but this one is 2-3-1 \(relu"):
        load_parameters(relu, path)
    assert [p.data for p in relu.parameters()] == before


def test_bad_architecture_records_are_refused(tmp_path):
    for record, message in ((b"{", "not valid JSON"), (json.dumps({"nin": 2}).encode(), "must have exactly"),
                            (json.dumps({"nin": 0, "nouts": [1], "activation": "tanh",
                                         "output_activation": "tanh"}).encode(), "bad sizes"),
                            (json.dumps({"nin": 1, "nouts": [1], "activation": "swish",
                                         "output_activation": "tanh"}).encode(), "unknown activation")):
        path = tmp_path / "bad.npz"
        np.savez(path, __architecture__=np.array(record.decode()))
        with pytest.raises(ValueError, match=message):
            load(path)
    assert zipfile.is_zipfile(path)


# --- command lines behave like Unix tools ---------------------------------------------------------


def run(*args, **kwargs):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, timeout=120, **kwargs)


def test_the_viz_cli_writes_into_a_folder_and_reports_errors_in_one_line(tmp_path, needs_dot):
    result = run("-m", "viz", "board", "-o", str(tmp_path))
    assert result.returncode == 0 and (tmp_path / "board.html").stat().st_size > 5000
    missing = run("-m", "viz", "board", "-o")
    assert missing.returncode == 2 and "expected one argument" in missing.stderr
    blocked = tmp_path / "file"
    blocked.write_text("")
    failed = run("-m", "viz", "board", "-o", str(blocked / "x.html"))
    assert failed.returncode == 1 and "cannot write" in failed.stderr and "Traceback" not in failed.stderr
    assert "--gates" not in run("-m", "viz", "--help").stdout + (ROOT / "viz" / "__main__.py").read_text()


@pytest.mark.parametrize("command", [["-m", "microgrboard"], ["-m", "viz", "board", "-o", os.devnull + ".html"]])
def test_a_closed_pipe_ends_quietly(command):
    proc = subprocess.Popen([sys.executable, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT)
    proc.stdout.close()  # the reader is gone before anything is written
    _, stderr = proc.communicate(timeout=120)
    assert b"Traceback" not in stderr and b"BrokenPipeError" not in stderr


def test_the_demo_without_dot_prints_the_install_command_and_exits_0(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run(str(ROOT / "examples" / "demo.py"), str(tmp_path / "out"), env={**os.environ, "PATH": str(empty)})
    assert result.returncode == 0, result.stderr
    assert "∂f/∂x1 = -0.5898" in result.stdout and "PASS" in result.stdout  # everything that needs no dot
    assert "sudo apt-get install graphviz" in result.stdout and (tmp_path / "out" / "sigmoid_fused.dot").exists()


# --- public functions given the wrong kind of object say what they take ----------------------------


def test_the_wrong_kind_of_object_gets_a_typeerror_that_says_what_is_taken():
    from microgrboard import gradcheck, numerical_grad
    from microgrboard.nn import History, accuracy, check_gradients, cost, train

    f = Value(1.0, label="f") * 2
    model = MLP(2, [2, 1], seed=0)
    calls = [
        (lambda: list(viz.frames(model)), "viz.frames takes a Value"),
        (lambda: viz.write_frames([f], "unused"), "pass one Value, not a list"),
        (lambda: gradcheck(3, [1.0]), "gradcheck takes a function of Values"),
        (lambda: gradcheck(lambda a: a, "ab"), "must be a list of numbers or Values"),
        (lambda: numerical_grad(None, [1.0]), "numerical_grad takes a function"),
        (lambda: train(f, [[0.0, 0.0]], [0.0]), "train takes a model from microgrboard.nn"),
        (lambda: train(model, "x", [0.0]), "X and Y must be arrays of numbers"),
        (lambda: cost(f, [[0.0, 0.0]], [0.0]), "a Value is one output of a model"),
        (lambda: accuracy(f, [[0.0, 0.0]], [0.0]), "accuracy takes a model"),
        (lambda: check_gradients(f, [[0.0, 0.0]], [0.0]), "check_gradients takes a model"),
        (lambda: MLP(2, 5), r"a list of layer widths, e.g. MLP\(2, \[5\]\)"),
        (lambda: MLP(2.5, [3]), "whole numbers"),
        (lambda: viz.training_board(f, History(), [[0.0, 0.0]], [0.0]), "viz.training_board takes a model"),
        (lambda: viz.training_board(model, [1.0], [[0.0, 0.0]], [0.0]), "takes the History that nn.train returned"),
        (lambda: viz.network_diagram(f), "to draw a graph of Values, use viz.draw"),
    ]
    for call, message in calls:
        with pytest.raises(TypeError, match=message):
            call()
    with pytest.raises(ValueError, match="NaN or infinity"):
        train(model, [[0.0, float("nan")]], [1.0])
