"""The benchmark's workloads compute the same thing in every engine (speed itself is never asserted here)."""

import importlib.util
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import workloads  # noqa: E402


def test_every_engine_follows_the_same_loss_curve():
    curves = {e: workloads.TASKS["moons"][e](3)[0] for e in ("microgrboard", "compiled", "numpy")}
    if importlib.util.find_spec("micrograd") is not None:
        curves["micrograd"] = workloads.moons_micrograd(2)[0]
    reference = curves.pop("numpy")
    assert reference[1] < reference[0]  # it trains
    for engine, curve in curves.items():
        np.testing.assert_allclose(curve, reference[: len(curve)], rtol=1e-9, err_msg=engine)


def test_the_wide_network_step_is_the_same_in_both_engines():
    compiled, numpy_step = workloads.digits_compiled(2)[0], workloads.digits_numpy(2)[0]
    np.testing.assert_allclose(compiled, numpy_step, rtol=1e-9)
    assert compiled[1] < compiled[0]


def test_graph_memory_and_chain_measurements():
    result = workloads.graph_throughput("microgrboard", 3000)
    assert result["nodes"] == 3000 and result["build_s"] > 0 and np.isfinite(result["checksum"])
    memory = workloads.bytes_per_node("microgrboard", 3000)
    assert memory["nodes"] > 3000 and 50 < memory["bytes_per_node"] < 400
    assert workloads.deepest_chain("microgrboard", 20_000) == {"deepest": 20_000, "limit": 20_000}


def test_micrograd_dies_where_the_benchmark_says():
    if importlib.util.find_spec("micrograd") is None:
        pytest.skip("micrograd is not installed (it is in the test and bench extras)")
    assert 900 < workloads.deepest_chain("micrograd", 100_000)["deepest"] < 1100


def test_the_learning_tools_benchmark_prints_its_ratios():
    import pathlib
    import subprocess
    import sys

    script = pathlib.Path(__file__).resolve().parent.parent / "benchmarks" / "learning.py"
    out = subprocess.run([sys.executable, str(script), "--quick"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2 and all("ratio" in line and ("met" in line) for line in lines), out.stdout
