"""Save and load a model's parameters as .npz (numpy arrays, never pickle): an exact round trip."""

from __future__ import annotations

import json
import os

import numpy as np

from ..files import PathLike
from .module import MLP, Module


def save(model: MLP, path: PathLike) -> str:
    """Write the architecture and every parameter (by name, float64) to `path` (.npz); returns the path."""
    architecture = {
        "nin": model.nin, "nouts": model.nouts, "activation": model.activation,
        "output_activation": model.output_activation,
    }
    arrays = {name: np.array(p.data, dtype=np.float64) for name, p in model.named_parameters()}
    path = os.fspath(path)
    with open(path, "wb") as f:  # np.savez would append ".npz" to any other name
        np.savez(f, __architecture__=np.array(json.dumps(architecture)), **arrays)
    return path


def load_parameters(model: Module, path: PathLike) -> None:
    """Set `model`'s parameters from a file written by `save`; names and count must match."""
    with np.load(os.fspath(path), allow_pickle=False) as data:
        stored = {k for k in data.files if k != "__architecture__"}
        names = [name for name, _ in model.named_parameters()]
        if stored != set(names):
            missing, extra = sorted(set(names) - stored), sorted(stored - set(names))
            raise ValueError(
                f"{path}: parameters do not match the model (missing {missing[:5]}, unexpected {extra[:5]})"
            )
        values = {k: float(data[k]) for k in stored}
    for name, p in model.named_parameters():
        p.data = values[name]


def load(path: PathLike) -> MLP:
    """Rebuild the MLP saved at `path`, with its exact parameters."""
    with np.load(os.fspath(path), allow_pickle=False) as data:
        if "__architecture__" not in data.files:
            raise ValueError(f"{path}: not a microgrboard model file (no architecture record)")
        architecture = json.loads(str(data["__architecture__"]))
    model = MLP(init="zeros", **architecture)
    load_parameters(model, path)
    return model
