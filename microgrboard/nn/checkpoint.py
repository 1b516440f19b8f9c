"""Save and load a model's parameters as .npz (numpy arrays, never pickle): an exact round trip that
loses nothing.

`save` writes atomically (a temporary file in the same folder, flushed and fsynced, then renamed over
the target), so a crash, a kill or a full disk leaves the previous checkpoint loadable. `load` checks the
whole file — its architecture record, every parameter's name, shape and finiteness, and that the file
holds as many arrays as the architecture needs — before it builds anything, and names the file in
every error. It reads each array's .npy header (shape, dtype) before its data and refuses what does not
fit, so a small compressed file that declares a huge array is refused at once, without inflating it.
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
    """The file's architecture record (checked) and its parameters (finite floats), each member's header
    read before its data, so that a small file declaring a huge array is refused without inflating it:
    memory stays bounded by the size of the model the record describes."""
    target = target_path(path, "load")
    if not target.exists():
        raise FileNotFoundError(f"load: no such file: {path}")
    try:
        with open(target, "rb") as f:
            if f.read(len(np.lib.format.MAGIC_PREFIX)) == np.lib.format.MAGIC_PREFIX:
                raise ModelFileError(f"{path}: not a model file written by nn.save (a single array, not .npz)")
        with zipfile.ZipFile(target) as archive:
            members = _members(archive, path)
            names = [name for name in members if name != RECORD]
            record = _record(_member(archive, members[RECORD], path, _check_record), path) \
                if RECORD in members else None
            if record is None and need_record:
                raise ModelFileError(f"{path}: not a microgrboard model file (no architecture record)")
            if record is not None:  # the count an architecture needs, before any name is listed
                sizes = [record["nin"], *record["nouts"]]
                expected = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes, sizes[1:]))
            if expected is not None and len(names) != expected:
                raise ModelFileError(f"{path}: the file holds {len(names)} parameters, but the model needs "
                                     f"{expected}; the file is incomplete or belongs to another model")
            values = {name: _scalar(_member(archive, members[name], path, _check_parameter(name)), name, path)
                      for name in names}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as err:  # not an .npz, or damaged
        raise ModelFileError(f"{path}: not a model file written by nn.save, or a damaged one ({err})") from None
    return record, values


def _members(archive: zipfile.ZipFile, path: PathLike) -> dict[str, zipfile.ZipInfo]:
    """The archive's arrays by name (np.savez stores the array `name` as the member `name.npy`)."""
    members = {}
    for info in archive.infolist():
        if not info.filename.endswith(".npy"):
            raise ModelFileError(f"{path}: not a model file written by nn.save ({info.filename!r} is not an array)")
        members[info.filename[:-len(".npy")]] = info
    return members


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: PathLike, check) -> np.ndarray:
    """One small array from the archive: its .npy header first (magic string, version, then the dict of
    shape, order and dtype; numpy's format, NEP 1), `check(shape, dtype)` on it, and only then its data,
    exactly as many bytes as the header declares."""
    with archive.open(info) as stream:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ModelFileError(f"{path}: {info.filename} uses .npy format version {version}; nn.save writes 1.0")
        check(shape, dtype, path)
        size = dtype.itemsize * int(np.prod(shape, dtype=np.int64))
        data = stream.read(size)
        if len(data) != size:
            raise ModelFileError(f"{path}: {info.filename} is cut short ({len(data)} of {size} bytes); "
                                 "the file is damaged")
        if stream.read(1):
            raise ModelFileError(f"{path}: {_what(info)} holds more data than its header declares; "
                                 "the file is damaged or was not written by nn.save")
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def _what(info: zipfile.ZipInfo) -> str:
    name = info.filename[:-len(".npy")]
    return "the architecture record" if name == RECORD else f"parameter {name}"


_RECORD_BYTES = 1 << 16  # a record lists a few layer sizes: a few hundred characters, far below this


def _check_record(shape: tuple, dtype: np.dtype, path: PathLike) -> None:
    if shape != () or dtype.kind != "U" or dtype.itemsize > _RECORD_BYTES:
        raise ModelFileError(f"{path}: the architecture record must be one short string, got shape {shape}, "
                             f"dtype {dtype}")


def _check_parameter(name: str):
    def check(shape: tuple, dtype: np.dtype, path: PathLike) -> None:
        if shape != () or dtype.kind not in "fiu":
            raise ModelFileError(f"{path}: parameter {name} must be one real number, got shape {shape}, "
                                 f"dtype {dtype}")
    return check


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
    value = float(array)  # one real number: _check_parameter saw its header
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
