"""Pages are files: the boards' templates (viz/templates) and assets (viz/static) are read from the
package with `importlib.resources`, rendered with Jinja2 (autoescaping on) and written as one
self-contained HTML file — CSS, script, SVG and data all inline — so it works offline, forever.

Jinja2 is imported when the first page is made, so `import viz` works without it.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from microgrboard.extend import PathLike, write_atomically

from . import labels as L

if TYPE_CHECKING:
    import jinja2

__all__ = ["InlinePage", "PathLike", "asset", "inline_svg", "page_or_file", "render_page", "script_json",
           "write_page"]

# The page's colours, from the one place the diagrams take them, as CSS custom properties.
COLORS = {"value": L.VALUE_COLOR, "grad": L.GRAD_COLOR, "highlight": L.HIGHLIGHT_COLOR, "muted": L.MUTED_COLOR}


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


@functools.cache
def _environment() -> jinja2.Environment:
    try:
        import jinja2
    except ImportError:
        raise ImportError("the boards are rendered with Jinja2, which is not installed: pip install jinja2") from None
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: _read("templates", name)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tojson"] = lambda data: _markup(script_json(data))
    env.globals["asset"] = asset
    env.globals["colors"] = COLORS
    env.globals["zip"] = zip
    return env


def _read(folder: str, name: str) -> str:
    return resources.files("viz").joinpath(folder, name).read_text(encoding="utf-8")


@functools.cache
def asset(name: str):
    """A CSS or JavaScript file of viz/static, to inline as it is (it is ours, and never closes its element)."""
    text = _read("static", name)
    if re.search(r"</(script|style)", text, re.I):
        raise ValueError(f"viz/static/{name} must not contain '</script' or '</style': it is inlined into the page")
    return _markup(text)


def render_page(template: str, **context: Any) -> str:
    """Render one of viz/templates with `context` (strings are escaped; mark markup with `inline_svg`)."""
    return _environment().get_template(template).render(**context)


def write_page(path: PathLike, page: str) -> str:
    """Write a rendered page to `path` (atomically: an old page stays whole until the new one is in)."""
    return write_atomically(path, page.encode("utf-8"), "write the page")


class InlinePage:
    """A board to show inside a notebook (Jupyter, VS Code, or a notebook exported to HTML).

    It displays through IPython's display protocol as an iframe whose `srcdoc` is the whole page, so
    the board's styles stay inside it and its keys work only while it has focus. Under the frame lie
    `stills` (pictures with `uri` and `alt`, see viz/stills.py) and a line saying how to get the
    interactive board: what an untrusted notebook shows, since it drops the frame. `save(path)` writes
    the same page as a file.
    """

    def __init__(self, page: str, title: str, height: int = 640, stills: Sequence[Any] = ()) -> None:
        self.page, self.title, self.height, self.stills = page, title, height, list(stills)

    def _repr_html_(self) -> str:
        return render_page("inline.html", page=self.page, title=self.title, height=self.height, stills=self.stills)

    def save(self, path: PathLike) -> str:
        """Write the page to `path` as one offline HTML file; returns the path."""
        return write_page(path, self.page)

    def __repr__(self) -> str:
        return f"<board {self.title!r}: {len(self.page):,} characters; display it in a notebook, or .save(path)>"


def page_or_file(page: str, title: str, path: PathLike | None, height: int = 640,
                 stills: Sequence[Any] | Callable[[], Sequence[Any]] = ()) -> str | InlinePage:
    """What a board returns: the path written, when given one; otherwise the page to show inline, with
    its still pictures (`stills`, or a function making them: only called for an inline page)."""
    if path is not None:
        return write_page(path, page)
    return InlinePage(page, title, height, stills() if callable(stills) else stills)


def inline_svg(svg: str):
    """Graphviz's SVG without its XML prolog, doctype and comments (each node's name once more, which a
    page never reads), as markup ready to sit inside an HTML page. Graphviz escapes every "<" of a
    label, so "<!--" in its output only ever opens one of its own comments."""
    return _markup(re.sub(r"<!--.*?-->\n?", "", re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S), flags=re.S))


def script_json(data: Any) -> str:
    """`data` as JSON that is safe inside a <script> element, whatever its strings hold.

    Every <, > and & is written as a \\u escape, so no "</script>", "<!--" or "]]>" can end or
    change the element; the JSON reads back the same. NaN and infinity have no JSON form: refused.
    """
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError:
        raise ValueError(f"the page's data holds NaN or infinity {_where_not_finite(data)}; a page cannot show "
                         "it (JSON has no such numbers): find where it came from, e.g. a diverged training run"
                         ) from None
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _where_not_finite(data: Any, path: str = "") -> str:
    """Where the first non-finite number sits in nested data, e.g. "at loss[12]"."""
    if isinstance(data, float) and not math.isfinite(data):
        return f"at {path or 'the top'} ({data!r})"
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, (list, tuple)) else ()
    for key, value in items:
        found = _where_not_finite(value, f"{path}.{key}" if isinstance(key, str) and path else
                                  (key if isinstance(key, str) else f"{path}[{key}]"))
        if found:
            return found
    return ""
