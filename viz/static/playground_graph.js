// One example's scalar graph (or one neuron's part of it) drawn as a circuit, and the steps that walk
// it: the forward pass gate by gate, the seed, then backprop edge by edge with "local × upstream =
// contribution", in the form stepper.js shows (the stepping board's steps, made here in the page).
//
// The layout is a plain layered one (no library): a gate sits one column after its latest input,
// then as late as its first use allows (so a product sits next to the sum that reads it), a leaf
// just before its first use; within a column, nodes are sorted a few times by the mean height of
// their neighbours (the barycenter heuristic), which keeps most wires short and uncrossed.
var GraphView = (function () {
  "use strict";
  var E = Engine, el = LineChart.el;
  var COLUMN = 128, ROW = 50, RADIUS = 17, MARGIN = 30;

  function fmt(x) { return E.formatG(x, 3); }

  // The view: `interior` (walk indices of the gates shown), their inputs as leaves, and `root`.
  function view(walk, interior) {
    var shown = {}, consumers = {};
    interior.forEach(function (i) {
      shown[i] = true;
      E.edges(walk.order[i]).forEach(function (edge) {
        var p = walk.index.get(edge[0]);
        shown[p] = true;
        (consumers[p] = consumers[p] || []).push(i);
      });
    });
    var nodes = Object.keys(shown).map(Number).sort(function (a, b) { return a - b; });
    var inner = {};
    interior.forEach(function (i) { inner[i] = true; });
    return {nodes: nodes, interior: inner, consumers: consumers, root: Math.max.apply(null, interior)};
  }

  // Columns by rank; rows in bands: `options.band(i)` gives a node's [stack, band] — a neuron's nodes
  // share a band, and a layer's neurons are a stack of bands (every stack starts at the top, each in
  // its own columns), so each neuron reads like a small circuit of its own.
  function layout(walk, v, bandOf) {
    var rank = {}, columns = [], y = {}, parents = {}, band = {};
    v.nodes.forEach(function (i) {  // as soon as the inputs allow
      rank[i] = 0;
      band[i] = bandOf(i);
      parents[i] = v.interior[i] ? E.edges(walk.order[i]).map(function (e) { return walk.index.get(e[0]); }) : [];
      parents[i].forEach(function (p) { rank[i] = Math.max(rank[i], rank[p] + 1); });
    });
    v.nodes.slice().reverse().forEach(function (i) {  // then as late as the first use allows
      var uses = v.consumers[i];
      if (uses && uses.length) { rank[i] = Math.min.apply(null, uses.map(function (c) { return rank[c]; })) - 1; }
    });
    v.nodes.forEach(function (i) { (columns[rank[i]] = columns[rank[i]] || []).push(i); });
    columns = columns.filter(Boolean);
    var key = function (i) { return band[i][0] * 1000 + band[i][1]; };
    var tops = {}, starts = {};  // each band's top row, and its first column
    columns.forEach(function (column, c) {
      var count = {};
      column.forEach(function (i) {
        count[key(i)] = (count[key(i)] || 0) + 1;
        if (!(key(i) in starts)) { starts[key(i)] = c; }
      });
      Object.keys(count).forEach(function (k) { tops[k] = Math.max(tops[k] || 0, count[k]); });
    });
    var offset = {}, below = {};  // rows above each band in its stack (a gap of half a row between bands)
    Object.keys(tops).map(Number).sort(function (a, b) { return a - b; }).forEach(function (k) {
      var stack = Math.floor(k / 1000);
      offset[k] = below[stack] || 0;
      below[stack] = offset[k] + tops[k] + 0.5;
    });
    function place(column) {  // within its band, in the column's order; pushed down past any overlap
      var within = {}, last = -Infinity;
      column.forEach(function (i) {
        var k = key(i), row = offset[k] + (within[k] = (within[k] || 0) + 1) - 1;
        y[i] = Math.max(row * ROW, last + ROW);
        last = y[i];
      });
    }
    function mean(list) {
      var known = list.filter(function (i) { return i in y; });
      return known.length ? known.reduce(function (s, i) { return s + y[i]; }, 0) / known.length : null;
    }
    columns.forEach(function (column) { column.sort(function (a, b) { return key(a) - key(b) || a - b; }); place(column); });
    for (var sweep = 0; sweep < 6; sweep++) {  // the barycenter heuristic, down and up, within each band
      var down = sweep % 2 === 0;
      (down ? columns : columns.slice().reverse()).forEach(function (column) {
        var at = {};
        column.forEach(function (i) {
          var m = mean(down ? parents[i] : (v.consumers[i] || []));
          at[i] = m === null ? y[i] : m;
        });
        column.sort(function (a, b) { return key(a) - key(b) || at[a] - at[b] || a - b; });
        place(column);
      });
    }
    var xy = {}, height = 0;
    columns.forEach(function (column, c) {
      column.forEach(function (i) {
        xy[i] = [MARGIN + 110 + c * COLUMN, MARGIN + 24 + y[i]];
        height = Math.max(height, xy[i][1]);
      });
    });
    var bands = Object.keys(tops).map(function (k) {
      return {key: Number(k), x: MARGIN + 110 + starts[k] * COLUMN - 100, y: MARGIN + offset[k] * ROW};
    });
    return {xy: xy, bands: bands, width: 2 * MARGIN + 110 + columns.length * COLUMN + 120, height: height + MARGIN + 24};
  }

  // A wire from a node to a gate: a curve, its arrowhead, and its value and gradient texts, placed a
  // fraction t of the way along: near the tail, where wires into the same gate are still apart, or
  // near the head for a node that feeds several gates (its wires start together and end apart).
  function wire(svg, id, from, to, value, headGap, t) {
    var g = el("g", {"class": "edge", id: id}, svg);
    var x1 = from[0] + RADIUS, y1 = from[1], x2 = to[0] - headGap, y2 = to[1], xm = (x1 + x2) / 2;
    el("path", {d: "M" + x1 + "," + y1 + " C" + xm + "," + y1 + " " + xm + "," + y2 + " " + (x2 - 6) + "," + y2}, g);
    el("polygon", {points: (x2 - 7) + "," + (y2 - 4) + " " + x2 + "," + y2 + " " + (x2 - 7) + "," + (y2 + 4)}, g);
    var u = 1 - t;  // the Bézier curve at t: (1−t)³P0 + 3(1−t)²t P1 + 3(1−t)t² P2 + t³P3
    var tx = u * u * u * x1 + 3 * u * u * t * xm + 3 * u * t * t * xm + t * t * t * (x2 - 6);
    var ty = u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2;
    el("text", {x: tx, y: ty - 4, "class": "wire-value", "text-anchor": "middle"}, g).textContent = fmt(value);
    el("text", {x: tx, y: ty + 11, "class": "wire-grad", "text-anchor": "middle"}, g).textContent = "";
    return g;
  }

  // Draw the view into `container` (a fresh SVG) and return the steps that walk it.
  function draw(container, walk, interior, options) {
    var v = view(walk, interior), box = layout(walk, v, options.band), names = walk.names;
    while (container.firstChild) { container.removeChild(container.firstChild); }
    var svg = el("svg", {xmlns: "http://www.w3.org/2000/svg", width: box.width, height: box.height,
                         viewBox: "0 0 " + box.width + " " + box.height, role: "img",
                         "aria-label": options.label}, container);
    var id = function (i) { return "n" + i; };
    box.bands.forEach(function (b) {
      var title = options.bandTitle(b.key);
      if (title) { el("text", {x: b.x, y: b.y + 8, "class": "band-title"}, svg).textContent = title; }
    });
    v.nodes.forEach(function (i) {
      if (!v.interior[i]) { return; }
      E.edges(walk.order[i]).forEach(function (edge) {
        var p = walk.index.get(edge[0]), fanOut = v.consumers[p].length > 1;
        wire(svg, id(i) + "_" + edge[2], box.xy[p], box.xy[i], edge[0].data, RADIUS + 2, fanOut ? 0.72 : 0.3);
      });
    });
    var end = box.xy[v.root], out = [end[0] + COLUMN * 0.8, end[1]];
    wire(svg, "output_0", end, out, walk.order[v.root].data, 4, 0.5);
    el("text", {x: out[0] + 4, y: out[1] + 4, "class": "leaf-name"}, svg).textContent = options.output;
    v.nodes.forEach(function (i) {
      var node = walk.order[i], at = box.xy[i];
      var g = el("g", {"class": v.interior[i] ? "node" : "node leaf", id: id(i)}, svg);
      el("title", {}, g).textContent = names[i] + " = " + E.formatG(node.data, 6);
      if (!v.interior[i]) {
        el("text", {x: at[0] + RADIUS, y: at[1] + 4, "text-anchor": "end", "class": "leaf-name"}, g).textContent =
          options.short(i);
        return;
      }
      el("ellipse", {cx: at[0], cy: at[1], rx: RADIUS, ry: RADIUS}, g);
      el("text", {x: at[0], y: at[1] + 4, "text-anchor": "middle", "class": "gate"}, g).textContent = E.gateSymbol(node);
      el("text", {x: at[0], y: at[1] + RADIUS + 11, "text-anchor": "middle", "class": "node-name"}, g).textContent =
        names[i];
    });
    return steps(walk, v, options);
  }

  function step(phase, caption, more) {
    var s = {phase: phase, caption: caption, node: null, wire: null, values: [], grad: null, grad_text: null,
             changed: null, changed_grad: null, wrong: false};
    Object.keys(more || {}).forEach(function (k) { s[k] = more[k]; });
    return s;
  }

  // The walk of the view, as the stepping board's steps (viz/board.py): start, forward gate by gate,
  // the seed (the root's gradient: 1, or for a neuron what reaches its output from the rest), backward.
  function steps(walk, v, options) {
    var names = walk.names, out = {}, list = [];
    var nameOf = function (n) { return names[walk.index.get(n)]; };
    v.nodes.forEach(function (i) {
      if (!v.interior[i]) { return; }
      E.edges(walk.order[i]).forEach(function (edge) {
        var p = walk.index.get(edge[0]);
        (out[p] = out[p] || []).push("n" + i + "_" + edge[2]);
      });
    });
    (out[v.root] = out[v.root] || []).push("output_0");
    var leaves = v.nodes.filter(function (i) { return !v.interior[i]; });
    var known = leaves.slice(0, 8).map(function (i) { return names[i] + " = " + E.formatG(walk.order[i].data, 4); });
    list.push(step("start", "The inputs are known: " + known.join(", ") + (leaves.length > 8 ? " …" : "") +
                            ". Press Next (→) to run the forward pass."));
    v.nodes.forEach(function (i) {
      if (!v.interior[i]) { return; }
      var node = walk.order[i];
      list.push(step("forward", "forward: " + names[i] + " = " + E.gateExpression(node, nameOf) + " = " +
                     E.gateExpression(node) + " = " + E.formatG(node.data, 4), {node: "n" + i, values: out[i] || []}));
    });
    var g = walk.grads[v.root], root = names[v.root];
    var seed = v.root === walk.order.length - 1 ? "backward: start at the output, ∂" + root + "/∂" + root + " = 1"
      : "backward: ∂" + names[walk.order.length - 1] + "/∂" + root + " = " + E.formatG(g, 4) +
        " reaches " + root + " from the rest of the graph (what it feeds, up to the loss)";
    list.push(step("seed", seed, {node: "n" + v.root, wire: "output_0", grad: "output_0", grad_text: fmt(g),
                                  changed: "n" + v.root, changed_grad: E.formatG(g, 4)}));
    walk.steps.forEach(function (s) {
      if (!v.interior[s.node]) { return; }
      var w = "n" + s.node + "_" + s.argument;
      list.push(step("backward", "backward " + E.caption(walk, s), {wire: w, grad: w, grad_text: fmt(s.contribution),
                     changed: "n" + s.parent, changed_grad: E.formatG(s.parent_grad, 4), index: s.index}));
    });
    list[list.length - 1].caption += "  — done: every gradient is filled in.";
    return list;
  }

  return {draw: draw};
})();
