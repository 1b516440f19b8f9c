"""`nn.load` reads each array's .npy header before its data: a small compressed file that declares a
huge array is refused without inflating it (issue 20, item 5)."""

import io
import json
import tracemalloc
import zipfile

import numpy as np
import pytest

from microgrboard.nn import MLP, load, load_parameters, save

RECORD = {"nin": 2, "nouts": [1], "activation": "tanh", "output_activation": "sigmoid"}  # 3 parameters


def npy_header(shape, descr="<f8"):
    """A version 1.0 .npy header, written by hand from the format's specification (NEP 1): the magic
    string, the version, a little-endian header length, then a dict literal padded to 64 bytes."""
    text = repr({"descr": descr, "fortran_order": False, "shape": tuple(shape)})
    pad = 64 - (10 + len(text) + 1) % 64
    text = text + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode("latin1")


def zeros_member(archive, name, header, nbytes, chunk=1 << 22):
    """Add `name` to the zip: `header`, then `nbytes` zero bytes, deflated as they stream by."""
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(header)
        while nbytes > 0:
            member.write(bytes(min(chunk, nbytes)))
            nbytes -= chunk


def crafted(path, parameter_header, data_bytes, record=RECORD):
    """A model file like `save` writes, except that layer1.neuron1.w1's member holds `parameter_header`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        text = json.dumps(record)
        archive.writestr("__architecture__.npy", npy_header((), f"<U{len(text)}") + text.encode("utf-32-le"))
        zeros_member(archive, "layer1.neuron1.w1.npy", parameter_header, data_bytes)
        for name in ("layer1.neuron1.w2", "layer1.neuron1.b"):
            archive.writestr(f"{name}.npy", npy_header(()) + np.float64(0.5).tobytes())
    return path


def peak_bytes_of(call):
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_the_crafted_file_is_well_formed():
    # The oracle for the crafting itself: numpy's own reader accepts a member written this way.
    header = npy_header((2, 3))
    assert np.load(io.BytesIO(header + np.arange(6.0).tobytes())).tolist() == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize("shape, data_bytes", [
    ((268_435_456,), 0),            # declares 2 GiB of float64 and holds none of it: a 200-byte file
    ((32_000_000,), 256_000_000),   # declares 256 MB and holds all of it, deflated to about 1 MB
], ids=["2GiB-declared", "256MB-inflatable"])
def test_a_small_file_declaring_a_huge_array_is_refused_before_inflating_it(tmp_path, shape, data_bytes):
    path = crafted(tmp_path / "huge.npz", npy_header(shape), data_bytes)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(ValueError, match=rf"huge.npz: parameter layer1.neuron1.w1 must be one real number, "
                                         rf"got shape \({shape[0]},\)"):
        load(path)
    peak = peak_bytes_of(lambda: pytest.raises(ValueError, load, path))
    assert peak < 2_000_000, f"load's peak was {peak:,} bytes for a 3-parameter model"


def test_a_huge_dtype_or_string_record_is_refused_from_its_header(tmp_path):
    void = crafted(tmp_path / "void.npz", npy_header((), "|V1000000000"), 0)
    with pytest.raises(ValueError, match=r"void.npz: parameter layer1.neuron1.w1 must be one real number.*dtype"):
        load(void)
    assert peak_bytes_of(lambda: pytest.raises(ValueError, load, void)) < 2_000_000
    record = tmp_path / "record.npz"
    with zipfile.ZipFile(record, "w", zipfile.ZIP_DEFLATED) as archive:
        zeros_member(archive, "__architecture__.npy", npy_header((), "<U500000000"), 0)
    with pytest.raises(ValueError, match="record.npz: the architecture record must be one short string"):
        load(record)
    assert peak_bytes_of(lambda: pytest.raises(ValueError, load, record)) < 2_000_000


def test_a_member_with_more_data_than_its_header_declares_is_refused(tmp_path):
    path = crafted(tmp_path / "long.npz", npy_header(()), 8 + 100_000_000)
    with pytest.raises(ValueError, match="long.npz: parameter layer1.neuron1.w1 holds more data than its header"):
        load(path)
    assert peak_bytes_of(lambda: pytest.raises(ValueError, load, path)) < 2_000_000


def test_a_damaged_member_is_noticed(tmp_path):
    model = MLP(2, [1], seed=0)
    path = save(model, tmp_path / "m.npz")
    raw = bytearray(open(path, "rb").read())
    assert load(path).parameters()[0].data == model.parameters()[0].data
    with zipfile.ZipFile(path) as archive:  # flip one byte inside a stored member's data (CRC-32 catches it)
        info = archive.getinfo("layer1.neuron1.b.npy")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size - 1
    raw[offset] ^= 0xFF
    open(tmp_path / "bad.npz", "wb").write(bytes(raw))
    with pytest.raises(ValueError, match="bad.npz: not a model file written by nn.save, or a damaged one"):
        load(tmp_path / "bad.npz")


def test_load_parameters_reads_headers_too(tmp_path):
    path = crafted(tmp_path / "huge.npz", npy_header((268_435_456,)), 0)
    model = MLP(2, [1], activation="tanh", output_activation="sigmoid", seed=0)
    before = [p.data for p in model.parameters()]
    assert peak_bytes_of(lambda: pytest.raises(ValueError, load_parameters, model, path)) < 2_000_000
    assert [p.data for p in model.parameters()] == before


def test_every_dtype_numpy_writes_for_a_real_scalar_still_loads(tmp_path):
    # np.savez of numpy scalars of each real dtype, big- and little-endian: load reads them as numpy does.
    model = MLP(2, [1], seed=0)
    path = save(model, tmp_path / "m.npz")
    with np.load(path) as data:
        arrays = dict(data)
    arrays["layer1.neuron1.w1"] = np.array(3, dtype=">i4")
    arrays["layer1.neuron1.w2"] = np.array(0.25, dtype="<f4")
    arrays["layer1.neuron1.b"] = np.array(-1.5, dtype=">f8")
    np.savez_compressed(tmp_path / "dtypes.npz", **arrays)
    assert [p.data for p in load(tmp_path / "dtypes.npz").parameters()] == [3.0, 0.25, -1.5]
