"""Training, the symmetry problem, saving and loading, and the examples a learner runs."""

import io
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from microgrboard.nn import MLP, SGD, accuracy, load, load_parameters, save, train
from microgrboard.nn.datasets import make_moons, make_vehicles

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_gradient_descent_step_is_theta_minus_alpha_gradient():
    model = MLP(2, [1], activation="linear", seed=0)
    w1, w2, b = model.parameters()
    before = [p.data for p in (w1, w2, b)]
    out = model([1.0, 2.0])
    out.backward()  # ∂out/∂w = x, ∂out/∂b = 1
    SGD(model.parameters(), lr=0.1).step()
    assert [p.data for p in (w1, w2, b)] == pytest.approx([before[0] - 0.1, before[1] - 0.2, before[2] - 0.1])


def test_momentum_accumulates_velocity():
    model = MLP(1, [1], activation="linear", init="zeros")
    w, b = model.parameters()
    opt = SGD([w], lr=1.0, momentum=0.5)
    for expected in (-1.0, -2.5):  # v = 1, then 0.5·1 + 1 = 1.5
        w.grad = 1.0
        opt.step()
        assert w.data == pytest.approx(expected)
    with pytest.raises(ValueError, match="momentum"):
        SGD([w], momentum=1.0)
    with pytest.raises(ValueError, match="learning rate"):
        SGD([w], lr=0)


def test_full_batch_training_lowers_the_loss_and_records_history():
    X, y = make_moons(40, 0.1, seed=0)
    model = MLP(2, [8, 1], activation="tanh", output_activation="sigmoid", seed=0)
    out = io.StringIO()
    history = train(model, X, y, lr=1.0, momentum=0.9, epochs=50, file=out)
    assert len(history.loss) == len(history.accuracy) == 50
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert len(out.getvalue().splitlines()) == 10 and "epoch 50/50" in out.getvalue()
    assert accuracy(model, X, y) >= 0.85


def test_mini_batch_training_takes_a_step_per_batch_and_is_reproducible():
    X, Y = make_vehicles(30, seed=0)
    runs = []
    for _ in range(2):
        model = MLP(2, [4, 4], seed=0)
        runs.append(train(model, X, Y, lr=0.5, epochs=3, batch_size=8, seed=5, progress=False))
    assert len(runs[0].loss) == 3 * 4  # ceil(30 / 8) = 4 steps per epoch
    assert runs[0].loss == runs[1].loss


def test_train_rejects_bad_shapes():
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match=r"X must be m × 2"):
        train(model, np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="4 examples but 3 targets"):
        train(model, np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="batch_size"):
        train(model, np.zeros((4, 2)), np.zeros(4), batch_size=9)
    with pytest.raises(ValueError, match="unknown loss"):
        train(model, np.zeros((4, 2)), np.zeros(4), loss="l1")


def hidden_rows(model):
    return model.weight_matrices()[0]


def test_zero_initialization_keeps_hidden_units_identical():
    """The course's symmetry argument, observed: identical incoming weights after many steps."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0.3).astype(float)
    model = MLP(2, [5, 1], init="zeros")
    train(model, X, y, lr=2.0, epochs=100, progress=False)
    theta1 = hidden_rows(model)
    assert np.abs(theta1).max() > 0.1  # the weights did move ...
    assert np.all(theta1 == theta1[0])  # ... but every hidden unit moved identically


def test_random_initialization_breaks_the_symmetry():
    X, y = make_moons(40, 0.1, seed=1)
    model = MLP(2, [5, 1], init="uniform", seed=0)
    train(model, X, y, lr=2.0, epochs=100, progress=False)
    theta1 = hidden_rows(model)
    spread = np.abs(theta1[:, None, :] - theta1[None, :, :]).max(axis=2)
    assert np.all(spread[~np.eye(5, dtype=bool)] > 1e-3)  # every pair of hidden units differs


def test_save_and_load_round_trip_is_exact(tmp_path):
    model = MLP(3, [4, 2], activation="relu", output_activation="linear", init="he", seed=0)
    path = save(model, tmp_path / "model.npz")
    copy = load(path)
    assert repr(copy) == repr(model)
    assert [(n, p.data) for n, p in copy.named_parameters()] == [(n, p.data) for n, p in model.named_parameters()]
    other = MLP(3, [4, 2], activation="relu", output_activation="linear", seed=99)
    load_parameters(other, path)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="holds a model 3-4-2 .relu, output linear., but this one is 3-5-2"):
        load_parameters(MLP(3, [5, 2]), path)
    np.savez(tmp_path / "plain.npz", a=np.zeros(2))
    with pytest.raises(ValueError, match="not a microgrboard model"):
        load(tmp_path / "plain.npz")


def run_example(name):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / name)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def percent(pattern, text):
    return float(re.search(pattern + r" ([\d.]+)%", text).group(1))


def test_example_two_moons_reaches_97_percent():
    assert percent("training accuracy", run_example("two_moons.py")) >= 97.0


def test_example_vehicles_four_classes():
    out = run_example("vehicles.py")
    assert percent("cross-entropy:  final loss [\\d.]+  accuracy", out) >= 90.0
    assert percent("softmax cross-entropy:  final loss [\\d.]+  accuracy", out) >= 90.0


def test_example_regression():
    out = run_example("regression.py")
    assert float(re.search(r"root-mean-square error ([\d.]+)", out).group(1)) < 0.08


def test_example_symmetry_breaking():
    out = run_example("symmetry_breaking.py")
    spreads = [float(s) for s in re.findall(r"largest difference between hidden units: ([\d.e+-]+)", out)]
    assert spreads[0] == 0.0 and spreads[1] > 0.1


def test_example_gradient_checking():
    out = run_example("gradient_checking.py")
    assert "parameters: 231" in out and "backprop is right" in out


def test_example_advanced_optimization():
    pytest.importorskip("scipy")
    assert percent("training accuracy", run_example("advanced_optimization.py")) >= 97.0


def test_example_digits_reaches_93_percent_held_out():
    pytest.importorskip("sklearn")
    out = run_example("digits.py")
    assert percent("held-out accuracy", out) >= 93.0
