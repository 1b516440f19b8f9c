"""Every entry point is a well-behaved command line (issue 20, item 9): `--help` prints its usage and
exits 0, and an argument it does not know is refused with argparse's status 2, before any work is done."""

import os
import pathlib
import subprocess
import sys

import pytest

from viz.__main__ import COMMANDS

ROOT = pathlib.Path(__file__).resolve().parent.parent

ENTRY_POINTS = {
    "python -m microgrboard": ["-m", "microgrboard"],
    "python -m viz": ["-m", "viz"],
    **{f"python -m viz {name}": ["-m", "viz", name] for name in COMMANDS},  # every subcommand, new ones too
    **{f"examples/{p.name}": [str(p)] for p in sorted((ROOT / "examples").glob("*.py"))},
    **{f"benchmarks/{name}": [str(ROOT / "benchmarks" / name)] for name in ("run.py", "playground.py")},
}


@pytest.fixture(autouse=True)
def elsewhere(tmp_path, monkeypatch):
    """Run in an empty folder, so that a command which took an argument for a folder name writes nothing here."""
    monkeypatch.chdir(tmp_path)


def run(command, *args):
    # This checkout's code, whatever is installed; a timeout far below a real run's time.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, *command, *args], capture_output=True, text=True, timeout=60, env=env)


def test_every_example_script_is_listed():
    assert len([name for name in ENTRY_POINTS if name.startswith("examples/")]) >= 15
    assert {"board", "training", "initialization", "playground"} <= set(COMMANDS)


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_help_prints_the_usage_and_exits_0(name):
    result = run(ENTRY_POINTS[name], "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: "), result.stdout[:300]
    assert "Traceback" not in result.stderr and "wrote" not in result.stdout


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_an_unknown_argument_is_refused_with_status_2(name):
    result = run(ENTRY_POINTS[name], "--no-such-option")
    assert result.returncode == 2, (result.stdout[-300:], result.stderr[-300:])
    assert "usage: " in result.stderr and "--no-such-option" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("name", [name for name in ENTRY_POINTS if "python -m" not in name])
def test_one_argument_too_many_is_refused_with_status_2(name):
    result = run(ENTRY_POINTS[name], "out-a", "out-b", "out-c")
    assert result.returncode == 2, (result.stdout[-300:], result.stderr[-300:])
    assert "unrecognized arguments" in result.stderr and result.stdout == ""


def test_the_subcommands_are_listed_in_the_top_level_help():
    usage = run(["-m", "viz"], "--help").stdout
    assert all(name in usage for name in COMMANDS)
    missing = run(["-m", "viz"])
    assert missing.returncode == 2 and "required" in missing.stderr
