"""The playground: one offline HTML page that trains a network live, on microgrboard's own rules.

The learner picks a data set (moons, circles, xor, spiral, or their own 2-D points), the hidden layers,
the activation, the initialization, the loss, λ, the learning rate, the momentum and the batch size, and
presses Play, Step or Pause; the loss curve, the decision regions, the weights (each unit's output drawn
inside it) and the gradient flow follow every step. Paused, a click on an example (or a neuron) shows
that example's scalar graph (or the neuron's part of it) and steps through its forward pass and
backprop edge by edge, "local × upstream = contribution", as the stepping board does.

The page computes with its own small engine (viz/static/engine.js), a line-by-line twin of `Value`
and backprop, whose operations are the table of primitives itself: every entry's `js` rule is written
into the page by `engine_table`, so the page and Python compute the same floats (the browser tests
compare them to 1e-12). Everything is inline: no network, no CDN.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

from microgrboard.extend import ATOM, NEGATION, PRIMITIVES, Primitive, Term
from microgrboard.nn import ACTIVATIONS, FLAT, INIT_EPSILON, INITS, STARTS, penalty_divides_by_m
from microgrboard.nn.datasets import make_circles, make_moons, make_spiral, make_xor

from .page import InlinePage, PathLike, page_or_file, render_page, script_json
from .training_board import CLASS_FILL, CLASS_POINT, MAP_NEGATIVE, MAP_POSITIVE, NEGATIVE, POSITIVE, plane

POINTS = 200  # examples in each built-in data set
DATASETS = {  # key: (what the menu says, the maker, the classes' names)
    "moons": ("two moons", lambda: make_moons(POINTS, noise=0.1, seed=0), ["upper moon", "lower moon"]),
    "circles": ("circles", lambda: make_circles(POINTS, seed=0), ["outer circle", "inner circle"]),
    "xor": ("xor", lambda: make_xor(POINTS, seed=0), ["signs differ", "signs agree"]),
    "spiral": ("spiral", lambda: make_spiral(POINTS, seed=0), ["first arm", "second arm"]),
}
YOURS = "yours"
# Each loss: its output unit's activation and the targets it reads, as in the course; a binary problem
# has one output unit, except for softmax (two); hinge needs two classes, labelled −1 and +1.
LOSS_SETUP = {
    "cross_entropy": {"output": "sigmoid", "targets": "0/1", "binary_units": 1, "multiclass": True},
    "softmax_cross_entropy": {"output": "linear", "targets": "one-hot", "binary_units": 2, "multiclass": True},
    "squared_error": {"output": "sigmoid", "targets": "0/1", "binary_units": 1, "multiclass": True},
    "hinge": {"output": "linear", "targets": "±1", "binary_units": 1, "multiclass": False},
}
INIT_LABELS = {"uniform": f"uniform ±{INIT_EPSILON:g} (the course's ε)", "normal": "randn·0.01", "zeros": "zeros",
               "xavier": "xavier (Glorot)", "he": "he (for relu)"}
# The course's starts (nn.starts) that nn.init does not already name: the too-large ones.
EXTRA_STARTS = [name for name in STARTS if name.startswith("randn·") and name != "randn·0.01"]
MAX_LAYERS, MAX_UNITS, MAX_POINTS, MAX_CLASSES = 6, 16, 1000, len(CLASS_POINT)
GRID = 40  # the decision regions: GRID × GRID cells


def engine_table():
    """The table of primitives for the page's engine: one `Engine.define(entry, rule)` per primitive
    that has a JavaScript twin (its `js` field), with what the page needs to write captions and gates;
    as markup for the page's script (each rule is checked to be safe to inline)."""
    from markupsafe import Markup

    lines = []
    for prim in PRIMITIVES.values():
        if prim.js is None:
            continue
        if re.search(r"</|<!--", prim.js):
            raise ValueError(f"primitive {prim.name!r}: its js twin must not contain '</' or '<!--' (it is inlined)")
        lines.append(f"Engine.define({script_json(twin_entry(prim))}, {prim.js});")
    return Markup("\n".join(lines))


def _places(prim: Primitive) -> int:
    """How many arguments the gate writes: two, or one plus pow's or div's number."""
    return 2 if prim.arity == 2 or prim.parameter else 1


def _shape_term(i: int, shape: str) -> Term:
    """The placeholder term {i} for one argument shape: "a" an atom (a name, a number ≥ 0), "n" a negative
    value (which may need parentheses), "k" a negative number folded into the gate, which a writer may
    write as a subtraction (x + (−3) as x - 3; {i} is then its absolute value), "m" the folded number −1
    (x·(−1) as -x)."""
    if shape == "a":
        return Term(f"{{{i}}}", ATOM)
    if shape == "n":
        return Term(f"{{{i}}}", NEGATION)
    return Term(f"-{{{i}}}", NEGATION, -1.0 if shape == "m" else None, negates=Term(f"{{{i}}}", ATOM))


def twin_entry(prim: Primitive) -> dict:
    """What the page knows of a primitive besides its rule: its local-derivative templates; its writer as
    a template per shape of arguments (see `_shape_term`), e.g. mul's {"aa": "{0}*{1}", "an": "{0}*({1})",
    "am": "-{0}", …} — a folded number's shapes "k" and "m" only where the writer writes them otherwise
    than the plain negative number; and its gate's text between Values, and with a folded number ≥ 0 or
    < 0 in it ("{c}" marks the number's place)."""
    places = _places(prim)
    written = {}
    for shape in itertools.product("ankm", repeat=places):
        if sum(s in "km" for s in shape) > 1:
            continue  # a gate folds at most one number
        text = prim.write([_shape_term(i, s) for i, s in enumerate(shape)]).text
        plain = "".join("n" if s in "km" else s for s in shape)
        folded = next((i for i, s in enumerate(shape) if s in "km"), None)
        if folded is not None and text == written[plain].replace(f"{{{folded}}}", f"-{{{folded}}}"):
            continue  # written as the plain negative number would be: the page falls back to it
        written["".join(shape)] = text
    gate = {"plain": prim.gate.plain, "positive": prim.gate.positive, "negative": prim.gate.negative}
    return {"name": prim.name, "arity": prim.arity, "parameter": prim.parameter, "method": prim.method,
            "local_text": list(prim.local_text), "written": written, "gate": gate}


def _dataset(key: str, label: str, X: np.ndarray, classes: np.ndarray, names: Sequence[str]) -> dict:
    return {"key": key, "label": label, "points": X.tolist(), "labels": classes.astype(int).tolist(),
            "classes": list(names), "plane": plane(X)}


def builtin_datasets() -> list[dict]:
    """The four data sets of the menu, POINTS examples each (coordinates to 4 decimals: the page's data is
    what both engines train on)."""
    return [_dataset(key, label, np.round(make()[0], 4), make()[1], names)
            for key, (label, make, names) in DATASETS.items()]


def your_dataset(X, y, class_names: Sequence[str] | None) -> dict:
    """The learner's own points as the page reads them, or a ValueError that says what to change."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"playground: X must be m × 2 (one row of two coordinates per point), got shape {X.shape}")
    if not 2 <= len(X) <= MAX_POINTS:
        raise ValueError(f"playground: give between 2 and {MAX_POINTS} points (the page trains on all of them "
                         f"live), got {len(X)}")
    if not np.all(np.isfinite(X)):
        raise ValueError("playground: X holds NaN or infinity; every point needs two finite coordinates")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:  # one-hot rows
        y = y.argmax(axis=1)
    y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"playground: y must hold one class label per point ({len(X)}), got shape {y.shape}")
    labels, classes = np.unique(y, return_inverse=True)
    if not 2 <= len(labels) <= MAX_CLASSES:
        raise ValueError(f"playground: y must hold between 2 and {MAX_CLASSES} different classes, got "
                         f"{len(labels)}: {labels.tolist()!r}")
    names = [str(label) for label in labels.tolist()] if class_names is None else [str(n) for n in class_names]
    if len(names) != len(labels):
        raise ValueError(f"playground: {len(names)} class names for {len(labels)} classes ({labels.tolist()!r})")
    return _dataset(YOURS, "your points", X, classes, names)


def _hidden_text(hidden: Sequence[int]) -> str:
    widths = list(hidden)
    if len(widths) > MAX_LAYERS or any(isinstance(n, bool) or int(n) != n or not 1 <= n <= MAX_UNITS for n in widths):
        raise ValueError(f"playground: hidden must list at most {MAX_LAYERS} layer widths, each from 1 to "
                         f"{MAX_UNITS}, e.g. (8, 8); got {hidden!r}")
    return ", ".join(str(int(n)) for n in widths)


def _choice(what: str, value: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValueError(f"playground: unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return value


def _number(what: str, value: float, low: float, high: float | None = None, low_open: bool = False) -> float:
    number = float(value)
    too_low = number <= low if low_open else number < low
    if not np.isfinite(number) or too_low or (high is not None and number >= high):
        bound = f"> {low:g}" if low_open else f"≥ {low:g}"
        raise ValueError(f"playground: {what} must be a number {bound}" + (f" and < {high:g}" if high else "") +
                         f", got {value!r}")
    return number


def playground(X=None, y=None, path: PathLike | None = None, *, dataset: str | None = None,
               hidden: Sequence[int] = (8, 8), activation: str = "tanh", init: str = "xavier",
               loss: str = "cross_entropy", lam: float = 0.0, lr: float = 0.3, momentum: float = 0.9,
               batch_size: int | None = None, seed: int = 0, title: str | None = None,
               class_names: Sequence[str] | None = None) -> str | InlinePage:
    """The playground page: written to `path` (returns the path), or without one an `InlinePage` that a
    notebook shows in place.

    X (m × 2) and y (one class label per point, any labels; or one-hot rows) add your own points to
    the menu of data sets, and start with them; `class_names` name their classes (in sorted order of
    the labels). The other arguments set the controls' starting values (the learner changes them in
    the page): `dataset` ("moons", "circles", "xor", "spiral"), the `hidden` layer widths, the hidden
    units' `activation`, the `init` (nn.init's INITS, or "randn·1", "randn·10"), the `loss` (nn.LOSSES;
    it picks the output unit: σ for cross-entropy and squared error, linear for softmax and hinge),
    λ (`lam`), the learning rate `lr`, `momentum`, `batch_size` (None: every point) and the `seed`.
    """
    datasets = builtin_datasets()
    if X is not None or y is not None:
        if X is None or y is None:
            raise ValueError("playground: give both X (the points) and y (their classes), or neither")
        datasets.append(your_dataset(X, y, class_names))
    keys = [d["key"] for d in datasets]
    start = _choice("dataset", dataset or keys[-1 if X is not None else 0], keys)
    points = len(next(d for d in datasets if d["key"] == start)["points"])
    inits = list(INITS) + EXTRA_STARTS
    defaults = {
        "dataset": start, "hidden": _hidden_text(hidden), "activation": _choice("activation", activation, ACTIVATIONS),
        "init": _choice("init", init, inits), "loss": _choice("loss", loss, list(LOSS_SETUP)),
        "lam": _number("λ (lam)", lam, 0.0), "lr": _number("the learning rate", lr, 0.0, low_open=True),
        "momentum": _number("momentum", momentum, 0.0, 1.0), "seed": int(seed),
        "batch": points if batch_size is None else int(_number("batch_size", batch_size, 1.0, points + 1)),
    }
    data = {
        "datasets": datasets, "defaults": defaults, "epsilon": INIT_EPSILON, "flat": FLAT, "grid": GRID,
        "max_layers": MAX_LAYERS, "max_units": MAX_UNITS,
        "losses": {name: {**setup, "per_example": penalty_divides_by_m(name)} for name, setup in LOSS_SETUP.items()},
        "colors": {"positive": POSITIVE, "negative": NEGATIVE, "map_positive": MAP_POSITIVE,
                   "map_negative": MAP_NEGATIVE},
    }
    title = title or "Playground: train a network, then step through one example's backprop"
    page = render_page(
        "playground.html", title=title, data=data, script="playground.js", engine_table=engine_table(),
        datasets=[(d["key"], d["label"]) for d in datasets], activations=ACTIVATIONS,
        inits=[(name, INIT_LABELS.get(name, name)) for name in inits], losses=list(LOSS_SETUP),
        classes=list(zip(CLASS_FILL, CLASS_POINT)), positive=POSITIVE, negative=NEGATIVE)
    return page_or_file(page, title, path, height=1200)
