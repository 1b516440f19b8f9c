"""Save and load a model's parameters as .npz (numpy arrays, never pickle): an exact round trip that
loses nothing.

`save` writes atomically (a temporary file in the same folder, flushed and fsynced, then renamed over
the target), so a crash, a kill or a full disk leaves the previous checkpoint loadable. `load` checks the
whole file — its architecture record, every parameter's name, shape and finiteness, and that the file
holds as many arrays as the architecture needs — before it builds anything, and names the file in
every error.
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from .._util.files import PathLike, target_path, write_atomically
from .module import ACTIVATIONS, MLP, Module

RECORD = "__architecture__"
_KEYS = {"nin", "nouts", "activation", "output_activation"}


def architecture(model: MLP) -> dict:
    """What `load` needs to rebuild `model`: its sizes and activations."""
    return {"nin": model.nin, "nouts": model.nouts, "activation": model.activation,
            "output_activation": model.output_activation}


def save(model: MLP, path: PathLike) -> str:
    """Write the architecture and every parameter (by name, float64) to `path` (.npz); returns the path."""
    if not isinstance(model, MLP):
        raise TypeError(f"save: expected an MLP from microgrboard.nn, got {model!r}")
    arrays = {name: np.array(p.data, dtype=np.float64) for name, p in model.named_parameters()}
    buffer = io.BytesIO()
    np.savez(buffer, **{RECORD: np.array(json.dumps(architecture(model)))}, **arrays)
    return write_atomically(path, buffer.getvalue(), "save")


def load(path: PathLike) -> MLP:
    """Rebuild the MLP saved at `path`, with its exact parameters."""
    record, values = _read(path, need_record=True)
    model = MLP(init="zeros", **record)
    _assign(model, values, path)
    return model


def load_parameters(model: Module, path: PathLike) -> None:
    """Set `model`'s parameters from a file written by `save`; its architecture, names and count must match."""
    if not isinstance(model, Module):
        raise TypeError(f"load_parameters: expected a model from microgrboard.nn, got {model!r}")
    record, values = _read(path, expected=len(model.parameters()))
    if record is not None and isinstance(model, MLP) and record != architecture(model):
        raise ValueError(f"{path}: the file holds a model {_describe(record)}, but this one is "
                         f"{_describe(architecture(model))}; load it with nn.load instead")
    _assign(model, values, path)


def _describe(record: dict) -> str:
    sizes = "-".join(str(n) for n in [record["nin"], *record["nouts"]])
    return f"{sizes} ({record['activation']}, output {record['output_activation']})"


class ModelFileError(ValueError):
    """A model file that `load` cannot use: it names the file and what is wrong with it."""


def _read(path: PathLike, expected: int | None = None, need_record: bool = False) -> tuple[dict | None, dict]:
    """The file's architecture record (checked) and its parameters (finite floats), read in full."""
    target = target_path(path, "load")
    if not target.exists():
        raise FileNotFoundError(f"load: no such file: {path}")
    try:
        with np.load(target, allow_pickle=False) as data:
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ModelFileError(f"{path}: not a model file written by nn.save (a single array, not .npz)")
            names = [name for name in data.files if name != RECORD]
            record = _record(data[RECORD], path) if RECORD in data.files else None
            if record is None and need_record:
                raise ModelFileError(f"{path}: not a microgrboard model file (no architecture record)")
            if record is not None:  # the count an architecture needs, before any name is listed
                sizes = [record["nin"], *record["nouts"]]
                expected = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes, sizes[1:]))
            if expected is not None and len(names) != expected:
                raise ModelFileError(f"{path}: the file holds {len(names)} parameters, but the model needs "
                                     f"{expected}; the file is incomplete or belongs to another model")
            values = {name: _scalar(data[name], name, path) for name in names}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as err:  # not an .npz, or damaged
        raise ModelFileError(f"{path}: not a model file written by nn.save, or a damaged one ({err})") from None
    return record, values


def _record(raw: np.ndarray, path: PathLike) -> dict:
    try:
        record = json.loads(str(raw))
    except ValueError:
        raise ModelFileError(f"{path}: the architecture record is not valid JSON") from None
    if not isinstance(record, dict) or set(record) != _KEYS:
        raise ModelFileError(f"{path}: the architecture record must have exactly {sorted(_KEYS)}, got {record!r}")
    nin, nouts = record["nin"], record["nouts"]
    if not (type(nin) is int and nin >= 1 and isinstance(nouts, list) and nouts
            and all(type(n) is int and n >= 1 for n in nouts)):
        raise ModelFileError(f"{path}: the architecture record has bad sizes: nin={nin!r}, nouts={nouts!r}")
    for key in ("activation", "output_activation"):
        if record[key] not in ACTIVATIONS:
            raise ModelFileError(f"{path}: unknown {key} {record[key]!r} in the architecture record")
    return record


def _scalar(array: np.ndarray, name: str, path: PathLike) -> float:
    if array.shape != () or array.dtype.kind not in "fiu":
        raise ModelFileError(f"{path}: parameter {name} must be one real number, got shape {array.shape}, "
                         f"dtype {array.dtype}")
    value = float(array)
    if not np.isfinite(value):
        raise ModelFileError(f"{path}: parameter {name} is {value!r}; a model file holds finite numbers only")
    return value


def _assign(model: Module, values: dict[str, float], path: PathLike) -> None:
    names = [name for name, _ in model.named_parameters()]
    if set(values) != set(names):
        missing, extra = sorted(set(names) - set(values)), sorted(set(values) - set(names))
        raise ValueError(f"{path}: parameters do not match the model (missing {missing[:5]}, unexpected {extra[:5]})")
    for name, p in model.named_parameters():
        p.data = values[name]
