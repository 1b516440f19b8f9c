"""Write diagrams to files with Graphviz's `dot`, and say exactly what to do when it is missing."""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING

from microgrboard import Value
from microgrboard.files import PathLike

from ._gv import graphviz_module
from .draw import draw

if TYPE_CHECKING:
    import graphviz

FORMATS = ("svg", "png", "pdf")


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's `dot` program is not installed (or not on PATH)."""


def _install_hint() -> str:
    return ("Graphviz's `dot` program was not found on PATH. Install it with\n"
            "    sudo apt-get install graphviz     (Debian/Ubuntu)\n"
            "    brew install graphviz             (macOS)")


def render_svg(graph: graphviz.Digraph) -> str:
    """The SVG text of a drawn graph (Graphviz's `dot` must be installed)."""
    try:
        return graph.pipe(format="svg").decode("utf-8")
    except graphviz_module().ExecutableNotFound:
        raise GraphvizNotFoundError(f"cannot lay out the diagram: {_install_hint()}") from None


def render_graph(graph: graphviz.Digraph, path: PathLike, format: str = "svg") -> str:
    """Write an already drawn graph to `path` in `format`; returns the path written.

    Without `dot`, the DOT source is still written beside `path` (same name, .dot), then a
    GraphvizNotFoundError says how to install Graphviz.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = graph.pipe(format=format)
    except graphviz_module().ExecutableNotFound:
        source = target.with_suffix(".dot")
        source.write_text(graph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"cannot write {target}: {_install_hint()}\n"
            f"The diagram's DOT source was saved to {source}; once Graphviz is installed, "
            f"`dot -T{format} {source} -o {target}` makes the picture."
        ) from None
    target.write_bytes(data)
    return str(target)


def render(root: Value, path: PathLike, format: str = "svg", **options) -> str:
    """Draw `root`'s graph (see `draw` for the options) and write it to `path`; returns the path."""
    return render_graph(draw(root, **options), path, format)
