"""The initialization lesson, runnable: one network trained from several starts, side by side.

The course's claims (random initialization; `randn·0.01`): with all-zero weights every hidden unit
computes the same function, gets the same δ and the same update, so the units stay identical
forever; weights that start too large push σ and tanh onto their flat ends, where g'(z) ≈ 0, so
the hidden layer hardly learns. `compare_starts` trains the same network on the same data for the
same number of steps from each start in STARTS, and measures both: the distinct hidden units, the
share of saturated units, the loss curve and how soon each run classifies the training set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ..engine.notation import number_text
from .init import INIT_EPSILON
from .module import MLP
from .report import GradientReport, gradient_report
from .train import History, train

Start = Callable[[np.random.Generator, tuple], np.ndarray]

# One layer's weights (n_out × n_in) from a random generator; biases start at 0 in every case.
STARTS: dict[str, Start] = {
    "zeros": lambda rng, shape: np.zeros(shape),
    "randn·0.01": lambda rng, shape: rng.standard_normal(shape) * 0.01,
    "uniform ±0.12": lambda rng, shape: rng.uniform(-INIT_EPSILON, INIT_EPSILON, shape),
    "randn·1": lambda rng, shape: rng.standard_normal(shape),
    "randn·10": lambda rng, shape: rng.standard_normal(shape) * 10.0,
}


def start_matrices(start: str, sizes: list[int], seed: int) -> list[np.ndarray]:
    """Θ⁽ˡ⁾ for layer sizes [s₁, s₂, …] (bias column first, all 0), layer by layer from one generator."""
    if start not in STARTS:
        raise ValueError(f"unknown start {start!r}; choose one of {', '.join(STARTS)}")
    rng = np.random.default_rng(seed)
    return [np.hstack([np.zeros((n_out, 1)), STARTS[start](rng, (n_out, n_in))])
            for n_in, n_out in zip(sizes, sizes[1:])]


def model_from_start(nin: int, nouts: list[int], start: str, seed: int = 0, activation: str = "tanh",
                     output_activation: str | None = "sigmoid") -> MLP:
    """An MLP whose weights are drawn as `start` says (see STARTS)."""
    model = MLP(nin, nouts, activation=activation, output_activation=output_activation, init="zeros")
    model.set_weight_matrices(start_matrices(start, [nin, *nouts], seed))
    return model


@dataclass(repr=False)
class StartRun:
    """One training run from one start: the trained model, its History, and gradient reports on the
    training set before the first step and after the last."""

    start: str
    seed: int
    model: MLP
    history: History
    before: GradientReport
    after: GradientReport

    def steps_to(self, target: float) -> int | None:
        """The first step count after which the training accuracy reached `target` (None: never)."""
        return next((i for i, a in enumerate(self.history.accuracy) if a >= target), None)

    def __repr__(self) -> str:
        return (f"<StartRun {self.start} (seed {self.seed}): J {number_text(self.before.loss, 4)} → "
                f"{number_text(self.after.loss, 4)}, "
                f"{self.history.steps} steps>")


@dataclass(repr=False)
class StartComparison:
    """Runs from every start over the same seeds; `runs[start]` lists one run per seed."""

    runs: dict[str, list[StartRun]]
    target: float = 0.95

    def __repr__(self) -> str:
        seeds = len(next(iter(self.runs.values()), []))
        return f"<StartComparison of {', '.join(self.runs)} over {seeds} seeds; print it for the medians>"

    def board_runs(self) -> list[StartRun]:
        """The first seed's run of each start (the one recorded with snapshots)."""
        return [runs[0] for runs in self.runs.values()]

    def rows(self) -> list[dict]:
        """Per start: medians over the seeds of what the lesson is about, and how many runs reached
        the target accuracy."""
        table = []
        for start, runs in self.runs.items():
            reached = [r.steps_to(self.target) for r in runs]
            table.append({
                "start": start, "seeds": len(runs),
                "loss_before": float(np.median([r.before.loss for r in runs])),
                "loss_after": float(np.median([r.after.loss for r in runs])),
                "saturated_before": float(np.median([r.before.layers[0].saturated for r in runs])),
                "saturated_after": float(np.median([r.after.layers[0].saturated for r in runs])),
                "distinct_after": int(max(r.after.layers[0].distinct for r in runs)),
                "units": runs[0].model.nouts[0],
                "reached": sum(s is not None for s in reached),
                "steps_to_target": float(np.median([s for s in reached if s is not None])) if any(
                    s is not None for s in reached) else None,
            })
        return table

    def __str__(self) -> str:
        lines = [f"{'start':<14} {'J before':>9} {'J after':>9} {'saturated':>11} "
                 f"{'distinct':>9} {'reached ' + format(self.target, '.0%'):>12} {'median steps':>13}"]
        for r in self.rows():
            steps = "—" if r["steps_to_target"] is None else f"{r['steps_to_target']:.0f}"
            lines.append(
                f"{r['start']:<14} {r['loss_before']:>9.4f} {r['loss_after']:>9.4f} "
                f"{r['saturated_before']:>5.0%}→{r['saturated_after']:<5.0%} "
                f"{r['distinct_after']:>4} of {r['units']:<2} {r['reached']:>5} of {r['seeds']:<4} {steps:>13}")
        return "\n".join(lines)


def compare_starts(
    X, y, nouts: Iterable[int] = (4, 1), starts: Iterable[str] = tuple(STARTS), seeds: Iterable[int] = (0,),
    activation: str = "tanh", output_activation: str = "sigmoid", loss: str = "cross_entropy",
    lr: float = 0.5, momentum: float = 0.9, epochs: int = 300, record_every: int | None = 3,
    target: float = 0.95,
) -> StartComparison:
    """Train the same network (full batch, compiled) from each start and each seed, on the same data
    with the same learning rate and steps. The first seed's runs keep snapshots every `record_every`
    steps, for the initialization board. Medians over the seeds are in `.rows()` and `str(...)`."""
    X = np.asarray(X, dtype=float)
    nouts, seeds = list(nouts), list(seeds)
    runs: dict[str, list[StartRun]] = {}
    for start in starts:
        runs[start] = []
        for k, seed in enumerate(seeds):
            model = model_from_start(X.shape[1], nouts, start, seed, activation, output_activation)
            before = gradient_report(model, X, y, loss)
            history = train(model, X, y, loss=loss, lr=lr, momentum=momentum, epochs=epochs, compiled=True,
                            progress=False, record_every=record_every if k == 0 else None)
            runs[start].append(StartRun(start, seed, model, history, before, gradient_report(model, X, y, loss)))
    return StartComparison(runs, target)
