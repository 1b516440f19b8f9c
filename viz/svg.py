"""Give the texts of Graphviz's SVG the roles a page's script looks for, instead of finding them by colour.

Graphviz writes each line of an edge's label as a <text> element, in order, and keeps no id or class
on them. A wire's label is [value] or [value, gradient] (with "local × upstream" between them when
shown), so its first text is the value and, when there are two or more, its last is the gradient.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"


def mark_wire_texts(svg: str, wires: Collection[str]) -> str:
    """`svg` with class "wire-value", "wire-local" and "wire-grad" on the label texts of the edges whose
    ids are in `wires`; everything else as it was (minus the XML prolog and comments)."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(svg[svg.index("<svg"):])
    for group in root.iter(f"{{{SVG}}}g"):
        if group.get("id") not in wires or "edge" not in group.get("class", "").split():
            continue
        texts = list(group.iter(f"{{{SVG}}}text"))
        for i, text in enumerate(texts):
            role = "wire-value" if i == 0 else "wire-grad" if i == len(texts) - 1 else "wire-local"
            text.set("class", role)
    return ET.tostring(root, encoding="unicode")
