"""Snapshots of a training run: the parameters every k steps, and how the gradients flowed there.

`train(..., record_every=k)` keeps one at the start, after every k-th step and after the last one,
so a board can replay the run: the decision regions, the weights and each unit as they were at that
step. At most MAX_SNAPSHOTS are kept, so a page made from them stays small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine.notation import number_text
from .module import MLP
from .report import GradientReport, gradient_report

MAX_SNAPSHOTS = 200


@dataclass(frozen=True, repr=False)
class Snapshot:
    """The model after `step` gradient steps (0: the start): its Θ⁽ˡ⁾ matrices (bias column first, as
    `MLP.weight_matrices`) and the gradient report on the training set at those parameters."""

    step: int
    thetas: tuple[np.ndarray, ...]
    report: GradientReport

    def restore(self, model: MLP) -> None:
        """Put these parameters back into `model` (same architecture)."""
        model.set_weight_matrices(self.thetas)

    def __repr__(self) -> str:
        accuracy = f", accuracy {self.report.accuracy:.1%}" if self.report.accuracy is not None else ""
        return f"<Snapshot after step {self.step}: J = {number_text(self.report.loss, 4)}{accuracy}>"


def take_snapshot(model: MLP, step: int, X, Y, loss, lam: float) -> Snapshot:
    """A snapshot of `model` now, after `step` steps, with its gradient report on X, Y."""
    return Snapshot(step, tuple(model.weight_matrices()), gradient_report(model, X, Y, loss, lam))


def count(first: int, last: int, every: int) -> int:
    """How many snapshots a run from step `first` to step `last` keeps: the first, each multiple of
    `every` after it, and the last."""
    multiples = last // every - first // every
    return 1 + multiples + (0 if last % every == 0 or last == first else 1)


def check_budget(kept: int, first: int, last: int, every: int | None) -> None:
    """Refuse, before any work, a `record_every` that would keep more than MAX_SNAPSHOTS."""
    if every is None:
        return
    if isinstance(every, bool) or int(every) != every or every < 1:
        raise ValueError(f"train: record_every must be a whole number of steps ≥ 1, got {every!r}")
    total = kept + count(first, last, every)
    if total > MAX_SNAPSHOTS:
        smallest = math.ceil((last - first) / max(1, MAX_SNAPSHOTS - kept - 2))
        raise ValueError(
            f"train: record_every={every} over {last - first} steps would keep {total} snapshots, more than "
            f"{MAX_SNAPSHOTS} (a board replaying them would grow large); use record_every={smallest} or more"
        )
