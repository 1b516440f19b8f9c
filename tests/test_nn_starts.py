"""The initialization lesson against numpy: the seeds' claims, reproduced by a vectorized gradient
descent written here (and the course's backprop in nn/reference.py), and the library's runs equal to it.

Claims (seeds 000 and 002): all-zero weights never break the symmetry between hidden units; weights
that start large saturate tanh and learn slower than small ones, on the same data and steps.
"""

import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from microgrboard.nn import reference_cost_and_gradients
from microgrboard.nn.datasets import make_moons
from microgrboard.nn.starts import STARTS, compare_starts, start_matrices

ROOT = pathlib.Path(__file__).resolve().parent.parent
X, y = make_moons(100, 0.1, seed=0)
SIZES, LR, MOMENTUM, STEPS = [2, 4, 1], 0.5, 0.9, 300


def numpy_run(start, seed, steps=STEPS):
    """Gradient descent with momentum in numpy: J per step (log σ written stably), and Θ after each step."""
    thetas = start_matrices(start, SIZES, seed)
    velocity = [np.zeros_like(t) for t in thetas]
    losses, history = [], [[t.copy() for t in thetas]]
    for _ in range(steps):
        a1 = np.tanh(np.c_[np.ones(len(X)), X] @ thetas[0].T)
        z2 = (np.c_[np.ones(len(X)), a1] @ thetas[1].T)[:, 0]
        losses.append(np.mean(y * np.logaddexp(0, -z2) + (1 - y) * np.logaddexp(0, z2)))  # −log σ, −log(1−σ)
        with np.errstate(all="ignore"):  # the reference's J takes log(0) for saturated outputs; δ = a − y does not
            _, grads = reference_cost_and_gradients(thetas, X, y, activation="tanh", output_activation="sigmoid")
        velocity = [MOMENTUM * v + g for v, g in zip(velocity, grads)]
        thetas = [t - LR * v for t, v in zip(thetas, velocity)]
        history.append([t.copy() for t in thetas])
    return np.array(losses), history


def hidden_saturated(thetas):
    """The share of hidden tanh units with 1 − a² < 0.01 on more than half the examples."""
    a1 = np.tanh(np.c_[np.ones(len(X)), X] @ thetas[0].T)
    return float(np.mean(np.mean(1 - a1**2 < 0.01, axis=0) > 0.5))


def training_accuracy(thetas):
    a1 = np.tanh(np.c_[np.ones(len(X)), X] @ thetas[0].T)
    return np.mean(((np.c_[np.ones(len(X)), a1] @ thetas[1].T)[:, 0] > 0) == y)


@pytest.fixture(scope="module")
def numpy_runs():
    return {start: [numpy_run(start, seed) for seed in range(10)] for start in STARTS if start != "randn·1"}


def test_zeros_never_break_the_symmetry(numpy_runs):
    for losses, thetas in numpy_runs["zeros"]:
        for theta in thetas:
            assert np.all(theta[0] == theta[0][0])  # every hidden unit's incoming weights, at every step
        assert losses[-1] == pytest.approx(np.log(2), abs=1e-3)  # and the network learns nothing
    for start in ("randn·0.01", "uniform ±0.12"):
        for _, thetas in numpy_runs[start]:
            assert len(np.unique(thetas[-1][0], axis=0)) == 4


def test_large_starts_saturate_and_small_ones_do_not(numpy_runs):
    for start, share in (("randn·10", 0.75), ("randn·0.01", 0.0), ("uniform ±0.12", 0.0)):
        for _, thetas in numpy_runs[start]:
            saturated = hidden_saturated(thetas[0])
            assert saturated >= share if share else saturated == 0.0


def test_large_starts_learn_slower_than_small_ones(numpy_runs):
    """Same data, same learning rate, same 300 steps: small starts reach 95 % training accuracy in
    (nearly) every run, randn·10 in at most half of them, and its median final loss is ten times higher."""
    def reached(start):
        return sum(training_accuracy(thetas[-1]) >= 0.95 for _, thetas in numpy_runs[start])

    def median_final_loss(start):
        return np.median([losses[-1] for losses, _ in numpy_runs[start]])

    for small in ("randn·0.01", "uniform ±0.12"):
        assert reached(small) >= 9 and reached("randn·10") <= 5
        assert median_final_loss("randn·10") > 10 * median_final_loss(small)


def test_the_library_runs_equal_numpys():
    comparison = compare_starts(X, y, nouts=[4, 1], seeds=[0], epochs=60, lr=LR, momentum=MOMENTUM, record_every=20)
    for run in comparison.board_runs():
        losses, thetas = numpy_run(run.start, 0, steps=60)
        assert run.history.loss == pytest.approx(losses.tolist(), rel=1e-9, abs=1e-12)
        assert [s.step for s in run.history.snapshots] == [0, 20, 40, 60]
        for snapshot in run.history.snapshots:
            expected = thetas[snapshot.step]
            assert all(np.allclose(a, b, rtol=1e-9, atol=1e-12) for a, b in zip(snapshot.thetas, expected))
            assert snapshot.report.layers[0].saturated == hidden_saturated(expected)
            assert snapshot.report.layers[0].distinct == len(np.unique(expected[0], axis=0))
        assert run.before.layers[0].saturated == hidden_saturated(thetas[0])
    rows = {r["start"]: r for r in comparison.rows()}
    assert rows["zeros"]["distinct_after"] == 1 and rows["randn·10"]["saturated_before"] >= 0.75
    assert "randn·10" in str(comparison) and len(str(comparison).splitlines()) == 6


def test_an_unknown_start_is_refused():
    with pytest.raises(ValueError, match="unknown start 'ones'.*randn·10"):
        start_matrices("ones", SIZES, 0)


def run_example(name, *args):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / name), *map(str, args)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def numbers(line):
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", line.replace("·", " "))]


def test_the_example_reproduces_the_claims_and_the_readme_shows_its_numbers(tmp_path):
    out = run_example("initialization.py", tmp_path)
    assert out.count(": reproduced") == 3 and "NOT reproduced" not in out
    assert (tmp_path / "initialization.html").stat().st_size > 10_000
    printed = {line.split("  ")[0].strip(): numbers(line.split("  ", 1)[1]) for line in out.splitlines()
               if line.startswith(tuple(STARTS))}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = {cells[1].strip(): numbers("|".join(cells[2:])) for cells in
             (line.split("|") for line in readme.splitlines()) if len(cells) > 2 and cells[1].strip() in STARTS}
    assert set(printed) == set(STARTS) and printed == shown


def test_the_gradient_flow_example_shows_gradients_vanishing_through_sigmoids():
    out = run_example("gradient_flow.py")
    sigmoid, tanh = (float(r) for r in re.findall(r"mean \|∂J/∂W\| is ([\d.e-]+) times", out))
    assert sigmoid < 0.01 < 0.1 < tanh
    assert out.count("layer5   sigmoid") == 4
