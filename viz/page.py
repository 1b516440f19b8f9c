"""What the two boards share: one HTML document, self-contained, written to a file."""

from __future__ import annotations

import html
import json
import os
import pathlib
import re
from typing import Union

PathLike = Union[str, "os.PathLike[str]"]

_DOCUMENT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; color: #1f2328; background: #ffffff; }
  h1 { font-size: 1.2rem; margin: 0.5rem 0; }
  :focus-visible { outline: 3px solid #0550ae; outline-offset: 2px; }
{{STYLE}}
</style>
</head>
<body>
{{BODY}}
</body>
</html>
"""


def fill(template: str, **fields: str) -> str:
    """Replace each {{NAME}} in `template` with fields[NAME]."""
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: fields[m.group(1)], template)


def write_page(path: PathLike, title: str, style: str, body: str) -> str:
    """Write one self-contained HTML page (all CSS, SVG and script inline); returns the path."""
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(fill(_DOCUMENT, TITLE=html.escape(title), STYLE=style, BODY=body), encoding="utf-8")
    return str(target)


def inline_svg(svg: str) -> str:
    """Graphviz's SVG without its XML prolog and doctype, ready to sit inside an HTML page."""
    return re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)


def script_json(data) -> str:
    """JSON that is safe inside a <script> element (no "</script>" can end it early)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
