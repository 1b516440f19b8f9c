"""A run that diverges while its numbers stay finite is noticed, and a run that overflowed can go back
to its last finite state (issue 20, item 13)."""

import warnings

import numpy as np
import pytest

from microgrboard.nn import MLP, DivergenceWarning, History, cost, train
from microgrboard.nn.datasets import make_moons, make_regression
from microgrboard.nn.divergence import Watch

X, y = make_moons(n=100, noise=0.1, seed=0)


def first_far_above_best(losses, factor=100.0, floor=1e-3):
    """The oracle, from the recorded numbers alone (full batch): the first step whose loss is more than
    `factor` times the smallest loss so far (a best below floor × the first loss counts as that)."""
    losses = np.asarray(losses)
    best = np.maximum(np.minimum.accumulate(losses), floor * losses[0])
    above = np.flatnonzero(losses > factor * best)
    return int(above[0]) if len(above) else None


def diverging(loss, **options):
    """lr = 1000 on two moons: finite all the way, and far too large."""
    out = "linear" if loss == "hinge" else "sigmoid"
    activation = "relu" if loss == "hinge" else "tanh"
    model = MLP(2, [8, 1], activation=activation, output_activation=out, seed=0)
    targets = 2 * y - 1 if loss == "hinge" else y
    with pytest.warns(DivergenceWarning) as caught:
        history = train(model, X, targets, loss=loss, lr=1000, epochs=60, compiled=True, progress=False, **options)
    return model, history, [str(w.message) for w in caught if w.category is DivergenceWarning]


def test_cross_entropy_with_lr_1000_warns_once_and_says_to_lower_the_learning_rate():
    model, history, messages = diverging("cross_entropy")
    assert history.steps == 60 and history.stopped == ""  # warned, and went on
    assert history.loss[0] == pytest.approx(0.6905, abs=1e-4) and max(history.loss) > 900  # 0.69 → ~1000
    assert all(np.isfinite(history.loss))
    assert len(messages) == 1, messages
    step = first_far_above_best(history.loss)
    assert history.diverged_at == step is not None
    assert f"after {step} step" in messages[0] and f"J = {history.loss[step]:.4g}" in messages[0]
    assert "the learning rate lr=1000 is too large: lower it (try lr=100)" in messages[0]
    assert history.divergence in messages[0] and f"diverged at step {step}" in repr(history)


def test_hinge_with_lr_1000_warns_where_the_loss_left_its_best():
    model, history, messages = diverging("hinge")
    assert max(abs(p.data) for p in model.parameters()) > 1e12  # the weights exploded, and stayed finite
    assert len(messages) == 1 and "lower it" in messages[0]
    assert history.diverged_at == first_far_above_best(history.loss)


def test_on_divergence_stop_ends_the_run_after_the_step_it_saw():
    model, history, messages = diverging("cross_entropy", on_divergence="stop", record_every=1)
    full_model, full, _ = diverging("cross_entropy", record_every=1)
    step = full.diverged_at
    assert history.diverged_at == step and history.steps == step + 1  # that step was taken, then it stopped
    assert history.loss == full.loss[:step + 1]
    assert "diverged, stopped after" in history.stopped and "the run stopped here" in messages[0]
    assert history.snapshots[-1].step == step + 1  # the board can show where it stopped
    assert [t.tolist() for t in model.weight_matrices()] == [t.tolist() for t in full.snapshots[step + 1].thetas]
    with pytest.raises(ValueError, match="on_divergence must be 'warn' or 'stop'"):
        train(MLP(2, [1]), X, y, on_divergence="raise", progress=False)


@pytest.mark.parametrize("options", [
    dict(lr=1.0, momentum=0.9, epochs=60),  # the README's moons run
    dict(lr=0.5, batch_size=1, epochs=5),  # one example per step: each step's J is noisy
    dict(lr=0.5, momentum=0.9, epochs=100, batch_size=10),  # down to J ≈ 1e-4, batches far apart
], ids=["full-batch", "sgd-1", "minibatch-to-near-zero"])
def test_runs_that_converge_are_not_called_diverging(options):
    model = MLP(2, [16, 16, 1], activation="tanh", output_activation="sigmoid", init="xavier", seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        history = train(model, X, y, loss="cross_entropy", compiled=True, progress=False, **options)
    assert history.diverged_at is None and np.mean(history.loss[-5:]) < history.loss[0]


def test_large_weights_that_fit_large_targets_are_not_a_divergence():
    Xr, yr = make_regression(n=40, noise=0.05, seed=0)
    model = MLP(1, [1], activation="linear", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        history = train(model, Xr, yr * 1e6, loss="squared_error", lr=0.5, epochs=300, progress=False)
    assert max(abs(p.data) for p in model.parameters()) > 1e5  # far beyond 1e4 × its start ...
    assert history.loss[-1] < history.loss[0] / 2  # ... and fitting better


def test_the_watch_notices_exploding_weights_while_the_loss_stays_bounded():
    # The rule of nn.divergence, on numbers made up for it: max |w| > 1e4 × max(1, its start), and the
    # loss no better than at the start. A bounded loss (σ output) cannot rise 100-fold.
    watch = Watch(window=1, lr=30.0, momentum=0.0, start=[0.1, -0.2])
    assert watch.check(0, 0.25, [0.1, -0.2]) is None
    assert watch.check(1, 0.20, [50.0, 3.0]) is None  # large, but the loss improved
    assert watch.check(2, 0.24, [9e3, 1.0]) is None  # no better than at the start, but below 1e4
    message = watch.check(3, 0.26, [2e4, -1.0])
    assert message.startswith("train: the weights are exploding: after 3 steps max |w| = 2e+04 (0.2 at the start)")
    assert "lower it (try lr=3)" in message
    assert watch.check(4, 0.30, [1e9]) is None  # once per run


def test_the_watch_averages_an_epoch_of_mini_batches():
    watch = Watch(window=4, lr=1.0, momentum=0.5, start=[0.0])
    losses = [0.7, 0.001, 0.9, 0.002, 0.6, 0.003, 0.8, 0.001]  # mini-batches: noisy, not diverging
    assert [watch.check(i, J, [1.0]) for i, J in enumerate(losses)] == [None] * 8
    # The best mean of four is (0.6 + 0.003 + 0.8 + 0.001) / 4 = 0.351 (steps 4-7); with 900 the mean of
    # steps 5-8 is (0.003 + 0.8 + 0.001 + 900) / 4 = 225.201, 641.6 times 0.351.
    messages = [watch.check(i, J, [1.0]) for i, J in enumerate([900.0, 950.0, 990.0], start=8)]
    assert messages[1:] == [None, None]
    assert messages[0].startswith("train: the loss is diverging: after 8 steps the mean J of the last 4 batches "
                                  "= 225.2, 642 times its best so far (0.351, after 7 steps)")
    assert "or the momentum (0.5)" in messages[0]


def test_a_run_that_overflowed_can_go_back_to_its_last_finite_state():
    # Squared error on two points with a linear unit and lr = 1000: the weights grow ~60-fold a step,
    # and after 39 steps the forward pass of the next one overflows ((h − y)² > 1.8e308).
    Xs, ys = np.array([[3.0, -2.0], [1.0, 4.0]]), np.array([1.0, -1.0])
    model = MLP(2, [1], activation="linear", seed=0)
    theta = model.weight_matrices()[0][0]
    with pytest.warns(DivergenceWarning), pytest.raises(OverflowError) as stopped:
        train(model, Xs, ys, loss="squared_error", lr=1000, epochs=100, progress=False)
    history = stopped.value.history
    assert isinstance(history, History) and history.diverged_at is not None
    with pytest.raises(OverflowError):
        cost(model, Xs, ys, loss="squared_error")  # the model holds the last completed step: unusable
    A = np.c_[np.ones(2), Xs]
    thetas = [theta]
    for _ in range(history.steps):  # numpy's gradient descent on (1/m) Σ ½(h − y)²
        thetas.append(thetas[-1] - 1000 * (A @ thetas[-1] - ys) @ A / 2)
    assert model.weight_matrices()[0][0] == pytest.approx(thetas[-1], rel=1e-9)  # θ after `steps` steps
    assert np.abs(thetas[-1]).max() > 1e150
    history.restore_last_finite(model)
    assert model.weight_matrices()[0][0] == pytest.approx(thetas[-2], rel=1e-9)  # one step back
    J = cost(model, Xs, ys, loss="squared_error").data  # finite again
    assert J == pytest.approx(np.sum(0.5 * (A @ thetas[-2] - ys) ** 2) / 2, rel=1e-9) == history.loss[-1]
    if hasattr(stopped.value, "__notes__"):
        assert "restore_last_finite(model)" in stopped.value.__notes__[-1]


def test_when_the_overflowing_step_is_refused_the_last_finite_state_is_the_models_own():
    model = MLP(2, [1], activation="linear", seed=0)
    start = [p.data for p in model.parameters()]
    with pytest.raises(OverflowError, match="the step was not taken") as stopped:
        train(model, [[3.0, -2.0]], [1e3], loss="squared_error", lr=1e306, epochs=3, progress=False)
    history = stopped.value.history
    assert history.steps == 0 and [p.data for p in model.parameters()] == start
    history.restore_last_finite(model)
    assert [p.data for p in model.parameters()] == start
    with pytest.raises(ValueError, match="no parameters to restore"):
        History().restore_last_finite(model)
    with pytest.raises(ValueError, match="the History holds 3 parameters, the model has 9"):
        history.restore_last_finite(MLP(2, [2, 1]))


def test_the_training_board_shows_where_the_run_diverged(tmp_path, browser, needs_dot):
    from chromium import open_page

    import viz

    Xb, yb = make_moons(n=40, noise=0.1, seed=0)
    model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    with pytest.warns(DivergenceWarning):
        history = train(model, Xb, yb, lr=1000, epochs=12, compiled=True, progress=False, record_every=1)
    step = history.diverged_at
    assert step == first_far_above_best(history.loss) is not None
    page, errors = open_page(browser, viz.training_board(model, history, Xb, yb, tmp_path / "diverged.html"))
    intro = page.inner_text("p.muted >> nth=0")
    assert f"The run diverged at step {step}" in intro and "lower it (try lr=100)" in intro
    for log in (False, True):  # the line is drawn again when the chart changes scale
        if log:
            page.check("#log-scale")
        line = [p.split(",") for p in page.get_attribute("#diverged-line", "points").split()]
        loss = [p.split(",") for p in page.get_attribute("#loss-line", "points").split()]
        assert len(line) == 2 and line[0][0] == line[1][0] == loss[step][0]  # at the step's x on the loss curve
        assert "diverged" in page.get_attribute("#diverged-line", "class")
    assert f"after the divergence at step {step}" in page.inner_text("#readout")  # the last snapshot
    page.focus("#step")
    page.keyboard.press("Home")
    assert "divergence" not in page.inner_text("#readout")  # step 0 came before it
    assert errors == []
    page.close()
    calm = train(MLP(2, [4, 1], seed=0), Xb, yb, lr=1.0, epochs=5, progress=False)
    page, errors = open_page(browser, viz.training_board(model, calm, Xb, yb, tmp_path / "calm.html"))
    assert "diverged" not in page.inner_text("body") and page.locator("#diverged-line").count() == 0
    assert errors == []
    page.close()
