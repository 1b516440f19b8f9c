"""The board: one offline HTML file that steps through a graph's forward pass and then its backprop.

The circuit is drawn once by Graphviz, with every value and gradient on its wire; the page's script
only shows and hides those numbers and lights the active gate or wire, so the picture never moves.
Each step's caption is written here in Python from the numbers backprop used (`backward_steps`).
Everything is inline — no network, no CDN — so the file works anywhere, offline, forever.
"""

from __future__ import annotations

import html

from microgrboard import Value, topological_order
from microgrboard.backprop import local_rule, node_names

from . import labels as L
from .draw import OUTPUT_WIRE, draw, wire_id
from .page import PathLike, fill, inline_svg, script_json, write_page
from .render import render_svg


def board_steps(root: Value) -> list[dict]:
    """The board's script, step by step: the forward pass gate by gate, the seed, then backprop.

    Runs backprop (from zero gradients, like `explain`), so afterwards `.grad` is d(root)/d(node).
    """
    order = topological_order(root)
    names = node_names(order)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    steps: list[dict] = [{
        "phase": "start", "caption": f"The inputs are known: {_inputs_text(order, names)}. "
                                     "Press Next (→) to run the forward pass.",
        "node": None, "wire": None, "values": [], "grad": None}]
    for node in order:
        if node.is_leaf:
            continue
        out_wires = [wire_id(ids[c], i) for c in order for i, o in enumerate(c.operands) if o is node]
        if node is root:
            out_wires.append(OUTPUT_WIRE)
        steps.append({"phase": "forward", "node": ids[node], "wire": None, "values": out_wires, "grad": None,
                      "caption": f"forward: {names[node]} = {_gate_text(node, names)} = {node.data:.4g}"})
    root.zero_grad()
    walk = root.backward_steps()
    first = next(walk, None)  # starting the walk seeds the root: d root / d root = 1
    steps.append({"phase": "seed", "node": ids[root], "wire": OUTPUT_WIRE, "values": [], "grad": OUTPUT_WIRE,
                  "caption": f"backward: start at the output, ∂{names[root]}/∂{names[root]} = 1"})
    for step in ([first] if first else []) + list(walk):
        rule = local_rule(step.node, step.argument, names)
        steps.append({
            "phase": "backward", "node": None, "wire": wire_id(ids[step.node], step.argument), "values": [],
            "grad": wire_id(ids[step.node], step.argument),
            "caption": (f"backward step {step.index}: ∂{step.node_name}/∂{step.parent_name} = {rule} = "
                        f"{step.local:.4g};  local × upstream = {step.local:.4g} × {step.upstream:.4g} = "
                        f"{step.contribution:.4g};  {step.parent_name}.grad = {step.parent_grad:.4g}"),
        })
    steps[-1]["caption"] += "  — done: every gradient is filled in."
    return steps


def _inputs_text(order: list[Value], names: dict) -> str:
    leaves = [n for n in order if n.is_leaf]
    return ", ".join(f"{names[n]} = {n.data:.4g}" for n in leaves[:8]) + (" …" if len(leaves) > 8 else "")


def _gate_text(node: Value, names: dict) -> str:
    """The gate applied to its inputs' values, e.g. 'w0 × x0 = 2 × -1'."""
    def name(o):
        return names[o] if isinstance(o, Value) else L.constant(o)

    def value(o):
        return f"{o.data:.4g}" if isinstance(o, Value) else L.constant(o)

    operands = node.operands
    symbol = node.primitive.symbol
    if node.primitive.arity == 2 or (node.op in ("pow", "div") and len(operands) == 2):
        joiner = {"mul": "×", "div": "÷"}.get(node.op, symbol)
        return (f"{name(operands[0])} {joiner} {name(operands[1])} = "
                f"{value(operands[0])} {joiner} {value(operands[1])}")
    return f"{symbol}({name(operands[0])}) = {symbol}({value(operands[0])})"


def board(root: Value, path: PathLike, title: str | None = None, **options) -> str:
    """Write the stepping board for `root`'s graph to `path` (one self-contained HTML file).

    `options` go to `draw` (e.g. precision, rankdir). Runs backprop as `board_steps` does.
    Returns the path written.
    """
    steps = board_steps(root)
    options.setdefault("show_names", True)  # the captions name the gates: so does the picture
    svg = inline_svg(render_svg(draw(root, show_grad=True, **options)))
    title = title or f"Backprop through {root.formula()}"
    colors = {"VALUE": L.VALUE_COLOR, "GRAD": L.GRAD_COLOR, "HIGHLIGHT": L.HIGHLIGHT_COLOR, "MUTED": L.MUTED_COLOR}
    body = fill(_BODY, TITLE=html.escape(title), SVG=svg, STEPS=script_json(steps), **colors)
    return write_page(path, title, fill(_STYLE, **colors), body)


_STYLE = """
  body { margin: 0; }
  header, .controls, .caption-box { padding: 0.5rem 1rem; }
  .controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
  button { font-size: 1rem; padding: 0.4rem 0.9rem; border: 2px solid #1f2328; border-radius: 6px;
           background: #ffffff; color: #1f2328; cursor: pointer; }
  button:disabled { color: #57606a; border-color: #8c959f; cursor: default; }
  #counter { color: #57606a; }
  .caption-box { min-height: 3em; }
  #caption { font-size: 1.05rem; margin: 0; }
  #diagram { overflow: auto; border-top: 1px solid #d0d7de; padding: 0.5rem; max-width: 100vw; }
  #diagram svg { display: block; max-width: none; height: auto; }
  .legend { color: #57606a; font-size: 0.9rem; }
  .legend .v { color: {{VALUE}}; font-weight: bold; } .legend .g { color: {{GRAD}}; font-weight: bold; }
  svg .concealed { visibility: hidden; }
  svg g.active path, svg g.active polygon, svg g.active ellipse { stroke: {{HIGHLIGHT}}; stroke-width: 3; }
  svg g.active polygon { fill: {{HIGHLIGHT}}; }
  svg g.active.node polygon, svg g.active.node ellipse { fill: #fff4e5; }
"""

_BODY = """<header>
  <h1>{{TITLE}}</h1>
  <p class="legend">Above each wire its <span class="v">value</span>; below it, once backprop reaches it,
  the <span class="g">gradient</span> that flowed back along it (local gradient × upstream gradient).
  Keys: → next, ← previous, space play/pause, Home reset.</p>
</header>
<div class="controls" role="toolbar" aria-label="Step through the computation">
  <button id="reset" type="button">◀◀ Reset</button>
  <button id="prev" type="button">◀ Previous</button>
  <button id="next" type="button">Next ▶</button>
  <button id="play" type="button" aria-pressed="false">▶ Play</button>
  <span id="counter" aria-live="off"></span>
</div>
<div class="caption-box"><p id="caption" aria-live="polite"></p></div>
<div id="diagram">{{SVG}}</div>
<script id="steps" type="application/json">{{STEPS}}</script>
<script>
(function () {
  "use strict";
  var steps = JSON.parse(document.getElementById("steps").textContent);
  var svg = document.querySelector("#diagram svg");
  var VALUE = "{{VALUE}}", GRAD = "{{GRAD}}", MUTED = "{{MUTED}}";
  var position = 0, timer = null;

  function texts(id, colors) {
    var g = svg.querySelector('g[id="' + id + '"]');
    if (!g) { return []; }
    return Array.prototype.filter.call(g.querySelectorAll("text"), function (t) {
      return colors.indexOf((t.getAttribute("fill") || "").toLowerCase()) >= 0;
    });
  }
  var computedWires = {}, gradWires = {};
  steps.forEach(function (s) {
    s.values.forEach(function (w) { computedWires[w] = true; });
    if (s.grad) { gradWires[s.grad] = true; }
  });

  function show(p) {
    var valuesShown = {}, gradsShown = {};
    for (var i = 0; i <= p; i++) {
      steps[i].values.forEach(function (w) { valuesShown[w] = true; });
      if (steps[i].grad) { gradsShown[steps[i].grad] = true; }
    }
    Array.prototype.forEach.call(svg.querySelectorAll("g.edge"), function (g) {
      var id = g.getAttribute("id");
      var valueKnown = !computedWires[id] || valuesShown[id];
      texts(id, [VALUE]).forEach(function (t) { t.classList.toggle("concealed", !valueKnown); });
      texts(id, [GRAD, MUTED]).forEach(function (t) { t.classList.toggle("concealed", !gradsShown[id]); });
      g.classList.toggle("active", steps[p].wire === id);
    });
    Array.prototype.forEach.call(svg.querySelectorAll("g.node"), function (g) {
      g.classList.toggle("active", steps[p].node === g.getAttribute("id"));
    });
    document.getElementById("caption").textContent = steps[p].caption;
    document.getElementById("counter").textContent =
      "step " + p + " of " + (steps.length - 1) + " (" + steps[p].phase + ")";
    document.getElementById("prev").disabled = p === 0;
    document.getElementById("next").disabled = p === steps.length - 1;
    document.body.setAttribute("data-position", String(p));
  }
  function go(p) { position = Math.max(0, Math.min(steps.length - 1, p)); show(position); }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    var b = document.getElementById("play");
    b.textContent = "▶ Play"; b.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (timer) { stop(); return; }
    if (position === steps.length - 1) { go(0); }
    var b = document.getElementById("play");
    b.textContent = "⏸ Pause"; b.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (position >= steps.length - 1) { stop(); } else { go(position + 1); }
    }, 900);
  }
  document.getElementById("next").addEventListener("click", function () { stop(); go(position + 1); });
  document.getElementById("prev").addEventListener("click", function () { stop(); go(position - 1); });
  document.getElementById("reset").addEventListener("click", function () { stop(); go(0); });
  document.getElementById("play").addEventListener("click", play);
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) { return; }
    if (e.key === "ArrowRight") { stop(); go(position + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { stop(); go(position - 1); e.preventDefault(); }
    else if (e.key === "Home") { stop(); go(0); e.preventDefault(); }
    else if (e.key === " ") { play(); e.preventDefault(); }
  });
  go(0);
})();
</script>
"""
