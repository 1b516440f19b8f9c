"""The pins of .ci/constraints.txt, read from an environment where microgrboard[test] is installed.

    .venv/bin/python .ci/constraints.py > .ci/constraints.txt     update the pins, on purpose
    .venv/bin/python .ci/constraints.py --check                   do the pins match this environment?

The pins are every distribution that `pip install -e ".[test]"` brings in — microgrboard's own
requirements and its test extra, as setup.cfg lists them, and their requirements, followed through the
installed packages' metadata with their markers and extras — each at the version installed here. `.ci/setup` installs
with `-c .ci/constraints.txt`, so CI gets these versions and not whatever was released last night.
`--check` (run by tests/test_constraints.py) fails when a package is missing from the pins or pinned
at another version than the one installed, for instance after a test tool was added to setup.cfg.
"""

from __future__ import annotations

import argparse
import configparser
import pathlib
import re
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

HERE = pathlib.Path(__file__).resolve().parent
CONSTRAINTS = HERE / "constraints.txt"
SETUP_CFG = HERE.parent / "setup.cfg"
EXTRA = "test"
HEADER = """\
# The exact versions CI installs: `.ci/setup` runs pip install -c .ci/constraints.txt (and gives it to
# pip's isolated build too, for the build backend). Made on Python 3.11 by
#     .venv/bin/python .ci/constraints.py > .ci/constraints.txt
# from an environment with microgrboard[test] installed; change them on purpose, by running that again
# after a deliberate upgrade (pip install -U NAME), never by hand. tests/test_constraints.py checks them.
"""
BUILD = {"setuptools": "65.5.0"}  # the build backend of pyproject.toml, for pip's isolated build


def requirements() -> list[str]:
    """microgrboard's own requirements and its test extra, from setup.cfg (the installed metadata can be
    older than the file)."""
    config = configparser.ConfigParser()
    config.read(SETUP_CFG, encoding="utf-8")
    lines = config["options"]["install_requires"].splitlines() + config["options.extras_require"][EXTRA].splitlines()
    return [line.strip() for line in lines if line.strip()]


def closure() -> dict[str, str]:
    """{name: installed version} of setup.cfg's requirements and theirs, recursively, as installed here."""
    pins, seen = {}, set()
    queue = [(Requirement(text).name, tuple(Requirement(text).extras)) for text in requirements()]
    while queue:
        name, extras = queue.pop()
        key = (canonicalize_name(name), tuple(sorted(extras)))
        if key in seen:
            continue
        seen.add(key)
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(f"{name} is required but not installed here: run bash .ci/setup first") from None
        pins[canonicalize_name(name)] = (distribution.metadata["Name"], distribution.version)
        for text in distribution.requires or []:
            requirement = Requirement(text)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras))
            if wanted:
                queue.append((requirement.name, tuple(requirement.extras)))
    return {shown: version for shown, version in sorted(pins.values(), key=lambda p: p[0].lower())}


def render(pins: dict[str, str]) -> str:
    lines = [f"{name}=={version}" for name, version in pins.items()]
    lines += ["", "# the build backend (pyproject.toml's setuptools>=64), installed by pip's isolated build"]
    lines += [f"{name}=={version}" for name, version in BUILD.items()]
    return HEADER + "\n".join(lines) + "\n"


def pinned(text: str) -> dict[str, str]:
    """{canonical name: version} of a constraints file; raises on a line that is not `name==version`."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if match is None:
            raise ValueError(f"{CONSTRAINTS.name}: not an exact pin: {line!r}")
        pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def differences() -> list[str]:
    """What differs between the pins and this environment, one line each (empty: they match)."""
    have = pinned(CONSTRAINTS.read_text(encoding="utf-8"))
    wrong = []
    for name, version in closure().items():
        pin = have.get(canonicalize_name(name))
        if pin is None:
            wrong.append(f"{name} {version} is installed but not pinned")
        elif pin != version:
            wrong.append(f"{name} is pinned at {pin} but {version} is installed")
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare .ci/constraints.txt with this environment")
    if parser.parse_args().check:
        wrong = differences()
        for line in wrong:
            print(f"{CONSTRAINTS.name}: {line}", file=sys.stderr)
        if wrong:
            print("update the pins on purpose: .venv/bin/python .ci/constraints.py > .ci/constraints.txt",
                  file=sys.stderr)
        return 1 if wrong else 0
    sys.stdout.write(render(closure()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
