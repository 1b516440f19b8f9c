"""Training: gradient descent on J(Θ), full batch or mini-batch, recording what happened.

The course's recipe: initialize at random, forward-propagate, compute J(Θ), back-propagate to get
∂J/∂Θ, and take a gradient step; repeat. A run records J (and accuracy) after every step, and on
request snapshots of the parameters and a held-out set's curve, for a board to replay.

Nothing is lost: a step either completes or leaves the parameters as they were (`SGD.step`), and
when a run stops early — an error, or Ctrl-C — the model keeps the parameters of its last completed
step and the History of the steps that ran stays reachable (the exception's `history` attribute, or
the History you passed in). After an OverflowError those parameters may be too large for another
forward pass (an overflow in it is often what stopped the run): `history.restore_last_finite(model)`
puts back the last parameters whose forward and backward pass were finite.

A run that diverges without overflowing — the loss far above its best, or the weights exploding
(`divergence.py` says exactly when) — gets a `DivergenceWarning` that says to lower the learning rate
(or stops, with on_divergence="stop"), and its History records the step (`diverged_at`).

Speed: `train` pauses Python's cycle collector while it runs and then puts it back as it was. The
collector runs on allocation counts and would rescan every live node of the step's graph, though
those graphs hold no reference cycles (they are freed by reference counting alone): measured on the
2-16-16-1 moons network, an eager step takes 48 ms with it paused against 85 ms without.
"""

from __future__ import annotations

import gc
import importlib.util
import math
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np

from ..engine.notation import number_text
from ..engine.value import Value
from . import snapshots
from .batch import BatchLoss, predict
from .classes import CLASSIFICATION_LOSSES, fraction_right, is_classification, predicted_classes, true_classes
from .divergence import DivergenceWarning, Watch
from .losses import Loss, get_loss, objective
from .module import MLP, as_examples, expect_model
from .optim import SGD
from .report import evaluate
from .snapshots import Snapshot

__all__ = ["CLASSIFICATION_LOSSES", "History", "accuracy", "output_array", "predicted_classes", "train",
           "true_classes"]


@dataclass(repr=False)
class History:
    """What a training run recorded.

    `loss[i]` and `accuracy[i]` are J and the training accuracy measured in step i + 1's forward pass
    (on its batch), that is at the parameters after i steps. `snapshots` (with `record_every`) hold
    the parameters after steps 0, k, 2k, … and the last; `held_out_*` a held-out set's loss (the
    data term) and accuracy after `held_out_steps` steps. `stopped` says why a run ended early.
    `lam` is the λ the (last) run minimized J with, so that J at its final weights can be worked out
    again (`cost(model, X, Y, loss, history.lam)`, as the training board does).

    `diverged_at` is the step at which `train` first saw the run diverge (`loss[diverged_at]` is the
    loss it saw; the board marks that step), and `divergence` its message; both None if it never did.
    `last_finite` holds the last parameters (in `model.parameters()` order) whose forward and backward
    pass came out finite: `restore_last_finite` puts them back after a run that overflowed.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)  # empty for regression losses
    snapshots: list[Snapshot] = field(default_factory=list)
    held_out_steps: list[int] = field(default_factory=list)
    held_out_loss: list[float] = field(default_factory=list)
    held_out_accuracy: list[float] = field(default_factory=list)
    stopped: str = ""
    lam: float = 0.0
    diverged_at: int | None = None
    divergence: str | None = None
    last_finite: tuple[float, ...] | None = field(default=None, compare=False)

    def restore_last_finite(self, model: MLP) -> None:
        """Put back into `model` the last parameters whose forward and backward pass were finite: after
        an OverflowError, those of the step before the model's (whose forward pass may overflow), or
        the model's own when the step that overflowed was refused and changed nothing."""
        params = expect_model(model, "History.restore_last_finite").parameters()
        if self.last_finite is None:
            raise ValueError("History.restore_last_finite: this History has no parameters to restore; "
                             "it records them as train runs")
        if len(params) != len(self.last_finite):
            raise ValueError(f"History.restore_last_finite: the History holds {len(self.last_finite)} parameters, "
                             f"the model has {len(params)}; pass the model that was trained")
        for p, value in zip(params, self.last_finite):
            p.data = value

    @property
    def steps(self) -> int:
        """Gradient steps taken."""
        return len(self.loss)

    @property
    def final_loss(self) -> float:
        return self.loss[-1]

    def __repr__(self) -> str:
        if not self.loss:
            return "History(no steps)"
        parts = [f"{self.steps} steps", f"loss {number_text(self.loss[0], 4)} → {number_text(self.loss[-1], 4)}"]
        if self.accuracy:
            parts.append(f"accuracy {self.accuracy[0]:.1%} → {self.accuracy[-1]:.1%}")
        if self.held_out_loss:
            parts.append(f"held-out loss {number_text(self.held_out_loss[-1], 4)}")
        if self.snapshots:
            parts.append(f"{len(self.snapshots)} snapshots")
        if self.diverged_at is not None:
            parts.append(f"diverged at step {self.diverged_at}")
        if self.stopped:
            parts.append(f"stopped: {self.stopped}")
        return f"History({', '.join(parts)})"


def output_array(outputs: Sequence) -> np.ndarray:
    """Model outputs (a Value or a list of Values per example) as an (m × K) array."""
    return np.array([[out.data] if isinstance(out, Value) else [o.data for o in out] for out in outputs])


def accuracy(model: MLP, X, Y, compiled: bool = False) -> float:
    """The fraction of examples whose predicted class is the target class (compiled=True runs the
    forward pass through the batch compiler, for large data sets)."""
    X, Y = _examples(model, X, Y, "accuracy")
    outputs = predict(model, X) if compiled else output_array([model(x) for x in X.tolist()])
    return fraction_right(model, outputs, Y)


def _examples(model: MLP, X, Y, who: str) -> tuple[np.ndarray, np.ndarray]:
    return as_examples(X, Y, expect_model(model, who).nin, who)


def train(
    model: MLP,
    X,
    Y,
    loss: str | Loss = "cross_entropy",
    lam: float = 0.0,
    lr: float = 0.5,
    epochs: int = 100,
    batch_size: int | None = None,
    momentum: float = 0.0,
    seed: int | None = 0,
    progress: bool | None = None,
    file: TextIO | None = None,
    compiled: bool = False,
    record_every: int | None = None,
    held_out: tuple | None = None,
    history: History | None = None,
    on_divergence: str = "warn",
) -> History:
    """Minimize J(Θ) with gradient descent; returns the History of J (and accuracy) per step.

    batch_size=None is full-batch gradient descent; a number gives mini-batches, reshuffled every
    epoch from `seed`. compiled=True runs each step through the batch compiler (`nn.batch`): the
    same gradients, at numpy speed.

    progress: a progress bar (tqdm) with the current loss; by default shown when the output (`file`,
    default stderr) is a terminal or the code runs in a notebook, never in a pipe or a log file.
    record_every=k keeps a `Snapshot` after every k steps (at most `nn.MAX_SNAPSHOTS`) for
    the training board to replay; held_out=(X_test, Y_test) records the held-out loss and accuracy
    at those steps (or once per epoch without snapshots). Pass `history` to add to a History you hold.

    on_divergence: when the run diverges without overflowing (the loss far above its best so far, or the
    weights exploding; see `nn.divergence`), "warn" gives a DivergenceWarning that says to lower the
    learning rate and goes on; "stop" warns and ends the run after that step (`stopped` says so).

    If the run stops (an error, Ctrl-C), the exception carries the History so far as `.history`, and
    the model holds the parameters of the last completed step. After an OverflowError they can be too
    large for a forward pass: `history.restore_last_finite(model)` goes back to the last parameters
    whose forward and backward pass were finite.
    """
    X, Y = _examples(model, X, Y, "train")
    if isinstance(epochs, bool) or int(epochs) != epochs or epochs < 1:
        raise ValueError(f"train: epochs must be a whole number ≥ 1, got {epochs!r}")
    get_loss(loss)  # an unknown loss name fails here, before any work
    classify = is_classification(loss)
    m = len(X)
    batch = m if batch_size is None else int(batch_size)
    if not 1 <= batch <= m:
        raise ValueError(f"train: batch_size must be between 1 and {m}, got {batch_size!r}")
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)  # refuses a bad lr or momentum
    if on_divergence not in ("warn", "stop"):
        raise ValueError(f"train: on_divergence must be 'warn' or 'stop', got {on_divergence!r}")
    params = optimizer.parameters
    history = History() if history is None else history
    history.lam = lam
    first = history.steps
    last = first + int(epochs) * math.ceil(m / batch)
    snapshots.check_budget(len(history.snapshots), first, last, record_every)
    if held_out is not None:
        held_out = _examples(model, *held_out, "train (held_out)")
    rng = np.random.default_rng(seed)
    rows, targets, labels = X.tolist(), Y.tolist(), true_classes(model, Y) if classify else None
    batch_loss = BatchLoss(model, loss, lam) if compiled else None
    watch = Watch(math.ceil(m / batch), optimizer.lr, optimizer.momentum, [p.data for p in params])

    def record(step: int, epoch_end: bool, final: bool = False) -> None:
        recording = record_every is not None and (step % record_every == 0 or step in (first, last) or final)
        if recording and not (history.snapshots and history.snapshots[-1].step == step):
            history.snapshots.append(snapshots.take_snapshot(model, step, X, Y, loss, lam))
        due = recording or (record_every is None and (epoch_end or step == first or final))
        measured = bool(history.held_out_steps) and history.held_out_steps[-1] == step
        if held_out is not None and due and not measured:
            J, right = evaluate(model, *held_out, loss)
            history.held_out_steps.append(step)
            history.held_out_loss.append(J)
            if right is not None:
                history.held_out_accuracy.append(right)

    bar = _progress_bar(progress, file, last - first)
    collecting = gc.isenabled()
    gc.disable()  # see below: the graphs have no cycles, and the collector would rescan them every step
    try:
        record(first, False)
        for _ in range(int(epochs)):
            order = np.arange(m) if batch == m else rng.permutation(m)
            for start in range(0, m, batch):
                idx = order[start:start + batch]
                optimizer.zero_grad()
                if batch_loss is not None:
                    J = batch_loss(X[idx], Y[idx])
                    outputs = batch_loss.outputs() if classify else None
                else:
                    values = [model(rows[i]) for i in idx]
                    J_graph = objective(model, values, [targets[i] for i in idx], loss, lam)
                    J_graph.backward()
                    J, outputs = J_graph.data, output_array(values) if classify else None
                theta = history.last_finite = tuple(p.data for p in params)  # J and ∂J/∂Θ were finite here
                optimizer.step()  # all parameters or none
                history.loss.append(J)
                if classify:
                    history.accuracy.append(float(np.mean(predicted_classes(model, outputs) == labels[idx])))
                message = watch.check(history.steps - 1, J, theta)
                stop = message is not None and _diverged(history, message, on_divergence, first, last)
                record(history.steps, start + batch >= m, final=stop)
                if bar is not None:
                    bar.set_postfix_str(_postfix(history), refresh=False)
                    bar.update()
                if stop:
                    return history
    except BaseException as error:  # an error or Ctrl-C: keep what ran, and say where it is
        history.stopped = f"{type(error).__name__} after {history.steps - first} of {last - first} steps"
        _attach(error, history)
        raise
    finally:
        if collecting:  # the user's setting, as it was
            gc.enable()
        if bar is not None:
            bar.close()
    return history


def _diverged(history: History, message: str, on_divergence: str, first: int, last: int) -> bool:
    """Record and announce a divergence `watch` saw at the last loss; whether to stop the run."""
    if history.diverged_at is None:
        history.diverged_at, history.divergence = history.steps - 1, message
    stop = on_divergence == "stop"
    if stop:
        history.stopped = f"diverged, stopped after {history.steps - first} of {last - first} steps"
    warnings.warn(message + ("; the run stopped here (on_divergence='stop')" if stop else
                             "; on_divergence='stop' would end the run here"), DivergenceWarning, stacklevel=3)
    return stop


def _postfix(history: History) -> str:
    text = f"loss {number_text(history.loss[-1], 4)}"
    return text + (f", accuracy {history.accuracy[-1]:.1%}" if history.accuracy else "")


def _attach(error: BaseException, history: History) -> None:
    """Put the History on the exception, and say so in its traceback (Python ≥ 3.11)."""
    try:
        error.history = history
    except AttributeError:  # an exception type without a __dict__
        return
    if hasattr(error, "add_note"):
        error.add_note(f"train stopped: {history.stopped}; the model holds the parameters of the last "
                       "completed step, and the exception's .history the steps that ran"
                       + ("; .history.restore_last_finite(model) puts back the last parameters whose forward "
                          "and backward pass were finite" if isinstance(error, OverflowError) else ""))


def _in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (JupyterLab, Notebook, VS Code), without importing IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _progress_bar(progress: bool | None, file: TextIO | None, total: int):
    """A tqdm bar over the run's steps, or None: on when asked, or by default when someone watches
    (a terminal, or a notebook). tqdm.auto draws a widget in a notebook that has ipywidgets; without
    them (tqdm would warn) and everywhere else, the bar is text."""
    notebook = _in_notebook()
    if progress is None:
        stream = file if file is not None else sys.stderr
        progress = notebook or bool(getattr(stream, "isatty", lambda: False)())
    if not progress:
        return None
    if notebook and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm
    else:
        from tqdm.std import tqdm

    return tqdm(total=total, desc="train", unit="step", file=file, mininterval=0.25, dynamic_ncols=True)
