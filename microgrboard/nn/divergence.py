"""Noticing a run that diverges while its numbers stay finite: the loss far above its best, or the
weights exploding.

A learning rate that is too large does not always overflow: with lr = 1000 a moons network's
cross-entropy climbs from 0.69 to a thousand and stays there, and a relu network under the hinge loss
ends with weights of 1e63, all of it finite and silent. `train` asks a `Watch` after every step and
warns once (or stops, if asked) with a message that says what it saw and to lower the learning rate.

What counts as diverging (the run's own numbers, nothing tuned to a data set):

- the loss: the mean J of the last epoch's worth of steps (one step for full-batch gradient descent;
  a mini-batch's J alone is too noisy) is more than LOSS_FACTOR times the best such mean so far. A best
  near zero counts as at least FLOOR times the first mean, so that a loss that has reached 1e-6 and
  wobbles to 1e-4 is not called a divergence;
- the weights: max |w| is more than WEIGHT_FACTOR times its start (or than WEIGHT_FACTOR, for a start
  below 1), while the loss is no better than where the run began: large weights that fit the data
  (a regression onto large targets) are not a divergence.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

LOSS_FACTOR = 100.0  # "far above the best so far"
FLOOR = 1e-3  # a best below FLOOR × the first loss counts as FLOOR × the first loss
WEIGHT_FACTOR = 1e4  # "the weights exploded": max |w| this many times its start (at least 1)


class DivergenceWarning(RuntimeWarning):
    """`train` saw the run diverge: the loss far above its best so far, or the weights exploding."""


class Watch:
    """Watches one run's losses and weights; `check` returns a message the first time it diverges."""

    def __init__(self, window: int, lr: float, momentum: float, start: Sequence[float]) -> None:
        self.recent: deque[float] = deque(maxlen=max(1, int(window)))  # the last epoch's worth of J
        self.lr, self.momentum = lr, momentum
        self.start_weight = max(map(abs, start), default=0.0)
        self.weight_limit = WEIGHT_FACTOR * max(1.0, self.start_weight)
        self.first: float | None = None
        self.best, self.best_step = math.inf, 0
        self.noticed = False

    def check(self, step: int, loss: float, weights: Sequence[float]) -> str | None:
        """After `step` steps the loss was `loss` (at these `weights`): a message if the run is diverging
        (once per run), else None."""
        self.recent.append(loss)
        if self.noticed or len(self.recent) < self.recent.maxlen:
            return None
        mean = sum(self.recent) / len(self.recent)
        if self.first is None:
            self.first = mean
        if mean < self.best:
            self.best, self.best_step = mean, step
        what = self._loss_rose(step, mean) or self._weights_exploded(step, mean, weights)
        if what is None:
            return None
        self.noticed = True
        return f"train: {what}; the learning rate lr={self.lr:g} is too large: lower it (try lr={self.lr / 10:g})" + (
            f" or the momentum ({self.momentum:g})" if self.momentum else "")

    def _loss_rose(self, step: int, mean: float) -> str | None:
        loss = "J" if self.recent.maxlen == 1 else f"the mean J of the last {self.recent.maxlen} batches"
        if not math.isfinite(mean):
            return f"the loss is no longer a finite number: after {_steps(step)} {loss} = {mean}"
        reference = max(self.best, FLOOR * self.first)
        if not (reference > 0 and mean > LOSS_FACTOR * reference):
            return None
        return (f"the loss is diverging: after {_steps(step)} {loss} = {mean:.4g}, "
                f"{mean / reference:.3g} times its best so far ({self.best:.4g}, after {_steps(self.best_step)})")

    def _weights_exploded(self, step: int, mean: float, weights: Sequence[float]) -> str | None:
        largest = max(map(abs, weights), default=0.0)
        if largest <= self.weight_limit or mean < self.first:
            return None
        return (f"the weights are exploding: after {_steps(step)} max |w| = {largest:.3g} "
                f"({self.start_weight:.3g} at the start) and J = {mean:.4g} is no better than at the start "
                f"({self.first:.4g})")


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"
