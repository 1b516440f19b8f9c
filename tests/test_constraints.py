"""Reproducible CI (issue 20, item 15): the test tools come at versions pinned in .ci/constraints.txt,
which .ci/setup installs with, and the pins match what is installed."""

import configparser
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / ".ci" / "constraints.txt"


def pins():
    lines = [line.split("#")[0].strip() for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def test_every_constraint_is_an_exact_pin():
    assert len(pins()) > 30
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[0-9][^\s;=]*", line) for line in pins()), pins()
    names = [canonical(line.split("==")[0]) for line in pins()]
    assert len(names) == len(set(names))


def test_every_requirement_of_setup_cfg_is_pinned():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    wanted = config["options"]["install_requires"].split() + config["options.extras_require"]["test"].split()
    names = {canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group()) for requirement in wanted
             if re.match(r"[A-Za-z]", requirement)}
    pinned = {canonical(line.split("==")[0]) for line in pins()}
    assert names and names <= pinned, sorted(names - pinned)


def test_the_pins_match_the_installed_environment():
    result = subprocess.run([sys.executable, str(ROOT / ".ci" / "constraints.py"), "--check"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_ci_setup_installs_with_the_constraints():
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    install = next(line for line in setup.splitlines() if "pip install" in line and '".[test]"' in line)
    assert "constraints[@]" in install and "constraints=(-c .ci/constraints.txt)" in setup
    assert 'PIP_CONSTRAINT="$PWD/.ci/constraints.txt"' in setup
