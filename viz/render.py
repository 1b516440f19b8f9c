"""Write diagrams to files with Graphviz's `dot`, and say exactly what to do when it is missing."""

from __future__ import annotations

import pathlib
import struct
from typing import TYPE_CHECKING

from microgrboard import Value
from microgrboard.extend import PathLike, target_path, write_atomically

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
    return _pipe(graph, "svg", "lay out the diagram").decode("utf-8")


def render_png(graph: graphviz.Digraph, scale: int = 2) -> tuple[bytes, int, int]:
    """The drawn graph as a PNG, `scale` pixels per CSS pixel (crisp on high-density screens), with
    the width and height to show it at in CSS pixels: the same size the SVG shows at (its points × 4/3)."""
    graph = graph.copy()  # the caller's graph keeps its attributes
    graph.attr(dpi=str(96 * scale))  # Graphviz's PNG is 96 dpi at scale 1: one pixel per CSS pixel
    data = _pipe(graph, "png", "lay out the diagram")
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk: width, height (PNG spec §11.2.2)
    return data, round(width / scale), round(height / scale)


def _pipe(graph: graphviz.Digraph, format: str, doing: str) -> bytes:
    """Run `dot` on the graph; a missing `dot` or a failing one becomes an error that says what to do."""
    gv = graphviz_module()
    try:
        return graph.pipe(format=format)
    except gv.ExecutableNotFound:
        raise GraphvizNotFoundError(f"cannot {doing}: {_install_hint()}") from None
    except (gv.CalledProcessError, BrokenPipeError) as err:
        stderr = getattr(err, "stderr", b"") or b""
        detail = stderr.decode("utf-8", "replace").strip() or str(err)
        raise RuntimeError(f"Graphviz's dot could not {doing}: {detail}\n(every label is escaped, so this is "
                           "a bug in viz: please report it with the graph that caused it)") from None


def format_of(path: PathLike, format: str | None = None) -> str:
    """The format to write `path` in: its suffix (.svg, .png, .pdf), which `format`, if given, must match."""
    suffix = pathlib.Path(path).suffix.lower().lstrip(".")
    wanted = format.lower() if isinstance(format, str) else format
    if wanted is not None and wanted not in FORMATS:
        raise ValueError(f"render: format must be one of {', '.join(FORMATS)}, got {format!r}")
    if suffix not in FORMATS:
        raise ValueError(f"render: cannot write {pathlib.Path(path).name!r}: name the file .svg, .png or .pdf "
                         "(the suffix says which picture to write)")
    if wanted is not None and wanted != suffix:
        raise ValueError(f"render: the file name {pathlib.Path(path).name!r} says .{suffix}, but format={format!r}; "
                         "make them agree")
    return suffix


def render_graph(graph: graphviz.Digraph, path: PathLike, format: str | None = None) -> str:
    """Write an already drawn graph to `path`, in the format its suffix names; returns the path written.

    Without `dot`, the DOT source is still written beside `path` (same name, .dot), then a
    GraphvizNotFoundError says how to install Graphviz.
    """
    target = target_path(path, "render")
    format = format_of(target, format)
    try:
        data = _pipe(graph, format, f"write {target}")
    except GraphvizNotFoundError as err:
        source = pathlib.Path(write_atomically(target.with_suffix(".dot"), graph.source.encode("utf-8")))
        raise GraphvizNotFoundError(
            f"{err}\nThe diagram's DOT source was saved to {source}; once Graphviz is installed, "
            f"`dot -T{format} {source} -o {target}` makes the picture."
        ) from None
    return write_atomically(target, data, "render")


def render(root: Value, path: PathLike, format: str | None = None, **options) -> str:
    """Draw `root`'s graph (see `draw` for the options) and write it to `path` — SVG, PNG or PDF, as its
    suffix says; returns the path."""
    return render_graph(draw(root, **options), path, format)
