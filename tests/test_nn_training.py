"""Training, the symmetry problem, saving and loading, and the examples a learner runs."""

import io
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from microgrboard.nn import (
    MLP,
    SGD,
    DivergenceWarning,
    History,
    accuracy,
    cross_entropy,
    load,
    load_parameters,
    reference_cost_and_gradients,
    save,
    train,
)
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
    history = train(model, X, y, lr=1.0, momentum=0.9, epochs=50)
    assert len(history.loss) == len(history.accuracy) == 50
    assert history.loss[-1] < 0.5 * history.loss[0]
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


# --- nothing is lost: optimizer checks, atomic steps, runs that stop ----------------------------------


@pytest.mark.parametrize("lr", [float("nan"), float("inf"), -0.1, 0.0, np.float64("nan")])
def test_optimizer_refuses_bad_learning_rates(lr):
    w = MLP(1, [1], seed=0).parameters()
    with pytest.raises(ValueError, match="finite number > 0"):
        SGD(w, lr=lr)
    with pytest.raises(TypeError, match="must be a number"):
        SGD(w, lr="0.1")
    with pytest.raises(ValueError, match="learning rate"):
        train(MLP(2, [1], seed=0), np.zeros((2, 2)), np.zeros(2), lr=lr, progress=False)


def test_numpy_learning_rates_keep_the_model_in_python_floats():
    X, y = make_moons(20, 0.1, seed=0)
    model = MLP(2, [3, 1], seed=0)
    train(model, X, y, lr=np.float32(0.5), momentum=np.float16(0.5), epochs=3, progress=False)
    assert {type(p.data) for p in model.parameters()} == {float}
    reference = MLP(2, [3, 1], seed=0)
    train(reference, X, y, lr=float(np.float32(0.5)), momentum=float(np.float16(0.5)), epochs=3, progress=False)
    assert [p.data for p in model.parameters()] == [p.data for p in reference.parameters()]


def test_a_step_that_would_overflow_changes_no_parameter():
    model = MLP(2, [2, 1], seed=0)
    params = model.parameters()
    opt = SGD(params, lr=3.0, momentum=0.5)
    for p in params:
        p.grad = 1.0
    opt.step()
    before, velocity = [p.data for p in params], list(opt.velocity)
    params[3].grad = -1.7e308  # Θ − α·v ≈ 3 × 1.7e308 overflows to inf
    params[4].grad = 1e308
    with pytest.raises(OverflowError, match=r"layer1.neuron2.w1 would become inf.*no parameter changed"):
        SGD.step(opt)
    assert [p.data for p in params] == before and opt.velocity == velocity
    with pytest.raises(ValueError, match=r"setting \.grad of .*refuses NaN"):  # .grad's door: no NaN gets in
        params[3].grad = float("nan")
    assert [p.data for p in params] == before


class Explodes:
    """A parameter whose write is interrupted, as Ctrl-C between two writes would be."""

    label, grad = "boom", 1.0

    @property
    def data(self):
        return 5.0

    @data.setter
    def data(self, value):
        raise KeyboardInterrupt


def test_an_interrupted_step_puts_every_parameter_back():
    from microgrboard import Value

    a, c = Value(1.0), Value(3.0)
    a.grad = c.grad = 1.0
    opt = SGD([a, Explodes(), c], lr=0.1)
    with pytest.raises(KeyboardInterrupt):
        opt.step()
    assert (a.data, c.data) == (1.0, 3.0) and opt.velocity == [0.0, 0.0, 0.0]


def interrupting_loss(after_calls, exception):
    calls = []

    def loss(outputs, targets):
        calls.append(len(outputs) == 10)  # a training step's batch (a snapshot's report sees all 20)
        if sum(calls) > after_calls:
            raise exception
        return cross_entropy(outputs, targets)

    return loss


@pytest.mark.parametrize("exception", [KeyboardInterrupt(), RuntimeError("disk full")])
def test_a_run_that_stops_keeps_its_history_and_its_last_completed_step(exception):
    X, y = make_moons(20, 0.1, seed=0)
    model = MLP(2, [3, 1], seed=0)
    mine = History()
    with pytest.raises(type(exception)) as stopped:
        train(model, X, y, loss=interrupting_loss(4, exception), lr=1.0, epochs=5, batch_size=10, record_every=2,
              history=mine, progress=False)
    history = stopped.value.history
    assert history is mine and history.steps == 4 and "after 4 of 10 steps" in history.stopped
    assert [s.step for s in history.snapshots] == [0, 2, 4]
    reference = MLP(2, [3, 1], seed=0)
    expected = train(reference, X, y, loss="cross_entropy", lr=1.0, epochs=2, batch_size=10, progress=False)
    assert history.loss == expected.loss
    assert [p.data for p in model.parameters()] == [p.data for p in reference.parameters()]


def test_a_diverging_run_stops_with_the_last_finite_parameters():
    X, y = np.array([[3.0, -2.0], [1.0, 4.0]]), np.array([1.0, -1.0])
    model = MLP(2, [1], activation="linear", seed=0)
    theta = model.weight_matrices()[0][0]
    with pytest.warns(DivergenceWarning), pytest.raises(OverflowError) as stopped:
        train(model, X, y, loss="squared_error", lr=1e60, epochs=50, record_every=1, progress=False)
    history = stopped.value.history
    assert 1 <= history.steps < 50 and "OverflowError" in history.stopped
    A = np.c_[np.ones(2), X]
    for _ in range(history.steps):  # numpy's gradient descent on (1/m) Σ ½(h − y)², as many steps
        theta = theta - 1e60 * (A @ theta - y) @ A / 2
    assert model.weight_matrices()[0][0] == pytest.approx(theta, rel=1e-9)
    assert all(np.isfinite(p.data) for p in model.parameters())


# --- what a run records: a short History, snapshots, a held-out curve, a progress bar -----------------


def test_history_repr_is_short_and_says_what_happened():
    X, y = make_moons(40, 0.1, seed=0)
    history = train(MLP(2, [4, 1], seed=0), X, y, lr=1.0, epochs=200, record_every=5, progress=False)
    text = repr(history)
    assert len(text) < 200, text
    assert text.startswith("History(200 steps, loss 0.69") and "41 snapshots" in text
    assert repr(History()) == "History(no steps)"


def test_snapshots_hold_the_parameters_and_report_of_their_step():
    X, y = make_moons(30, 0.1, seed=0)
    history = train(MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0), X, y, lr=1.0,
                    lam=0.1, epochs=23, record_every=5, compiled=True, progress=False)
    assert [s.step for s in history.snapshots] == [0, 5, 10, 15, 20, 23]
    for snapshot in history.snapshots:
        fresh = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
        if snapshot.step:
            train(fresh, X, y, lr=1.0, lam=0.1, epochs=snapshot.step, compiled=True, progress=False)
        assert all(np.allclose(a, b, rtol=0, atol=1e-12) for a, b in zip(snapshot.thetas, fresh.weight_matrices()))
        J, _ = reference_cost_and_gradients(list(snapshot.thetas), X, y, lam=0.1, activation="tanh",
                                            output_activation="sigmoid")
        assert snapshot.report.loss == pytest.approx(J, rel=1e-9)
        if snapshot.step < 23:  # loss[k] is J at the parameters after k steps
            assert history.loss[snapshot.step] == pytest.approx(J, rel=1e-9)
    restored = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid")
    history.snapshots[2].restore(restored)
    assert np.array_equal(restored.weight_matrices()[1], history.snapshots[2].thetas[1])


def test_snapshots_are_bounded_and_continue_with_a_history():
    X, y = make_moons(10, 0.1, seed=0)
    with pytest.raises(ValueError, match=r"would keep 301 snapshots, more than 200.*record_every=2"):
        train(MLP(2, [2, 1]), X, y, epochs=300, record_every=1, progress=False)
    with pytest.raises(ValueError, match="whole number of steps"):
        train(MLP(2, [2, 1]), X, y, epochs=3, record_every=0, progress=False)
    model, history = MLP(2, [2, 1], seed=0), History()
    train(model, X, y, epochs=4, record_every=3, history=history, progress=False)
    train(model, X, y, epochs=4, record_every=3, history=history, progress=False)
    assert history.steps == 8 and [s.step for s in history.snapshots] == [0, 3, 4, 6, 8]


def test_a_held_out_set_gets_its_own_curve():
    X, y = make_moons(40, 0.1, seed=0)
    X_test, y_test = make_moons(30, 0.1, seed=1)
    history = train(MLP(2, [4, 1], seed=0), X, y, lr=1.0, epochs=12, record_every=4, held_out=(X_test, y_test),
                    progress=False)
    assert history.held_out_steps == [0, 4, 8, 12] and len(history.held_out_accuracy) == 4
    for snapshot, loss in zip(history.snapshots, history.held_out_loss):
        J, _ = reference_cost_and_gradients(list(snapshot.thetas), X_test, y_test)
        assert loss == pytest.approx(J, rel=1e-9)
    per_epoch = train(MLP(2, [4, 1], seed=0), X, y, epochs=3, batch_size=20, held_out=(X_test, y_test),
                      progress=False)
    assert per_epoch.held_out_steps == [0, 2, 4, 6]  # the start and each epoch's end
    with pytest.raises(ValueError, match=r"held_out.*3 examples but 2 targets"):
        train(MLP(2, [4, 1]), X, y, held_out=(X_test[:3], y_test[:2]), progress=False)


def test_progress_bar_shows_the_loss_only_when_someone_watches():
    X, y = make_moons(20, 0.1, seed=0)
    out = io.StringIO()
    train(MLP(2, [3, 1], seed=0), X, y, epochs=30, progress=True, file=out)
    assert "30/30" in out.getvalue() and "loss 0." in out.getvalue() and "accuracy" in out.getvalue()
    quiet = io.StringIO()
    train(MLP(2, [3, 1], seed=0), X, y, epochs=30, file=quiet)  # not a terminal, not a notebook
    train(MLP(2, [3, 1], seed=0), X, y, epochs=30, file=quiet, progress=False)
    assert quiet.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_is_on_by_default_in_a_terminal():
    X, y = make_moons(20, 0.1, seed=0)
    out = Terminal()
    train(MLP(2, [3, 1], seed=0), X, y, epochs=5, file=out)
    assert "5/5" in out.getvalue()


def test_trace_names_the_inputs_and_set_weight_matrices_inverts_weight_matrices():
    from microgrboard import Value, topological_order

    model = MLP(2, [3, 1], seed=0)
    out = model.trace([0.5, -1.0])
    leaves = {v.label: v.data for v in topological_order(out) if v.is_leaf and v.label.startswith("x")}
    assert leaves == {"x1": 0.5, "x2": -1.0} and out.data == model([0.5, -1.0]).data
    x = Value(2.0, label="length")
    assert "length" in {v.label for v in topological_order(model.trace([x, 1.0]))}
    with pytest.raises(TypeError, match="list of numbers"):
        model.trace(0.5)
    copy = MLP(2, [3, 1], seed=5)
    copy.set_weight_matrices(model.weight_matrices())
    assert [p.data for p in copy.parameters()] == [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="shapes"):
        copy.set_weight_matrices(model.weight_matrices()[:1])
    with pytest.raises(ValueError, match="NaN"):
        copy.set_weight_matrices([np.full((3, 3), np.nan), np.zeros((1, 4))])


def test_progress_bar_is_on_by_default_in_a_notebook(monkeypatch):
    import types

    class ZMQInteractiveShell:  # what Jupyter's kernel (Lab, Notebook 7, VS Code) runs code in
        config: dict = {}

    fake = types.ModuleType("IPython")
    fake.get_ipython = ZMQInteractiveShell
    monkeypatch.setitem(sys.modules, "IPython", fake)
    X, y = make_moons(20, 0.1, seed=0)
    out = io.StringIO()
    train(MLP(2, [3, 1], seed=0), X, y, epochs=4, file=out)
    assert "4/4" in out.getvalue()


def test_train_pauses_the_cycle_collector_and_puts_it_back_as_it_was():
    import gc

    from microgrboard.nn.datasets import make_moons

    X, y = make_moons(20, noise=0.1, seed=0)
    seen = []

    def loss(outputs, targets):  # a loss that notes the collector's state during the step
        seen.append(gc.isenabled())
        return cost_fn(outputs, targets)

    from microgrboard.nn.losses import cross_entropy as cost_fn

    for user_setting in (True, False):
        (gc.enable if user_setting else gc.disable)()
        try:
            train(MLP(2, [3, 1], seed=0), X, y, loss=loss, epochs=2, progress=False)
            assert gc.isenabled() is user_setting
        finally:
            gc.enable()
    assert seen and not any(seen)

    def failing(outputs, targets):
        if len(seen) > 3:
            raise RuntimeError("a loss that fails mid-run")
        return loss(outputs, targets)

    with pytest.raises(RuntimeError, match="mid-run"):  # an error mid-run puts it back too
        train(MLP(2, [3, 1], seed=0), X, y, loss=failing, epochs=5, progress=False)
    assert gc.isenabled()
