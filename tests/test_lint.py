"""The tree stays clean: ruff (configured in pyproject.toml) finds nothing, and the layers import one way.

The layers, bottom up: the engine (`microgrboard/engine`), then the inspection tools and the compiler
(each importing only the engine and the private helpers), then `nn`, then `viz`, which imports only
public names: those in the `__all__` of `microgrboard`, `microgrboard.nn`, `microgrboard.nn.datasets`,
`microgrboard.extend` and `microgrboard.circuits`.
"""

import ast
import importlib
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "microgrboard"
PUBLIC = ("microgrboard", "microgrboard.nn", "microgrboard.nn.datasets", "microgrboard.extend",
          "microgrboard.circuits")


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(pathlib.Path(sys.executable).parent / "ruff")
    if not pathlib.Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: pathlib.Path) -> list[tuple[str, list[str]]]:
    """(absolute module, names) for every import in the file, relative imports resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append((module, [alias.name for alias in node.names]))
    return found


def layer_files(*folders: str) -> list[pathlib.Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def refused(files: list[pathlib.Path], forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(ROOT)} imports {module}" for path in files for module, _ in imports(path)
            if any(module == f or module.startswith(f + ".") for f in forbidden)]


def test_the_engine_imports_no_layer_above_it():
    above = ("microgrboard.inspection", "microgrboard.compiler", "microgrboard.nn", "microgrboard.micrograd",
             "microgrboard.extend", "viz", "graphviz", "IPython", "jinja2")
    assert refused(layer_files("microgrboard/engine"), above) == []


def test_inspection_and_compiler_import_only_the_engine():
    assert refused(layer_files("microgrboard/inspection"),
                   ("microgrboard.compiler", "microgrboard.nn", "microgrboard.extend", "viz", "graphviz")) == []
    assert refused(layer_files("microgrboard/compiler"),
                   ("microgrboard.inspection", "microgrboard.nn", "microgrboard.extend", "viz", "graphviz")) == []


def test_nn_imports_no_view():
    assert refused(layer_files("microgrboard/nn"), ("viz", "graphviz", "IPython", "microgrboard.extend")) == []


def test_viz_imports_only_public_names():
    wrong = []
    for path in layer_files("viz"):
        for module, names in imports(path):
            if not module.startswith("microgrboard"):
                continue
            if module not in PUBLIC:
                wrong.append(f"{path.relative_to(ROOT)} imports from {module}, which is not public")
                continue
            public = set(importlib.import_module(module).__all__)
            wrong += [f"{path.relative_to(ROOT)} imports {module}.{name}, which is not in its __all__"
                      for name in names if name not in public]
    assert wrong == []


def test_every_public_name_exists():
    for module in PUBLIC + ("microgrboard.engine", "microgrboard.inspection", "microgrboard.compiler", "viz"):
        loaded = importlib.import_module(module)
        missing = [name for name in loaded.__all__ if not hasattr(loaded, name)]
        assert missing == [], f"{module}.__all__ lists names it does not have: {missing}"


def test_private_helpers_are_private():
    """The small utilities live in `_util`, which nothing outside the package imports directly."""
    outside = layer_files("viz", "tests", "examples", "benchmarks")
    assert refused([p for p in outside if p.name != "test_lint.py"], ("microgrboard._util",)) == []
