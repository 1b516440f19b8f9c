// The matrix board: steps through the course's Algorithm 1 (then D, then Algorithm 2), filling in the
// tables from the JSON in #data; every number and sentence was written in Python from the scalar graph.
// A step names its algorithm line, its example, the example's vectors known so far, how many examples
// each Δ⁽ˡ⁾ holds, the D⁽ˡ⁾ and Algorithm 2 tables shown, and the tables it computes (lit). An entry of
// δ, Δ or D, clicked (or Enter), shows its sentence and lights its node on the example's scalar graph.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var steps = data.steps, values = data.values, position = 0, timer = null;
  function byId(id) { return document.getElementById(id); }
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  var figures = all("figure.matrix");
  var svg = document.querySelector("#graph svg");
  var wires = {};
  all("g.edge", svg).forEach(function (g) { wires[g.getAttribute("id")] = g; });
  var graphExample = 0, linked = null;

  // A table's entries at this step: an array (a vector) or an array of rows; null while unknown.
  function entries(key, step) {
    var kind = key.replace(/[0-9]+$/, ""), layer = key.replace(/^[A-Za-z]+/, "");
    if (kind === "a" || kind === "z" || kind === "d") {
      return step.example && step.known.indexOf(key) >= 0 ? values.examples[step.example - 1][key] : null;
    }
    if (kind === "Theta") { return values.Theta[layer]; }
    if (kind === "Delta") { return values.Delta[layer][step.counts[layer]]; }
    if (kind === "D") { return step.D.indexOf(Number(layer)) >= 0 ? values.D[layer] : null; }
    return step.V.indexOf(key) >= 0 ? values.V[key] : null;  // Algorithm 2's Vd and VD
  }

  // Blue for positive, red for negative, light enough that the number stays readable on it.
  function shade(text, scale) {
    var x = parseFloat(text), t = scale > 0 ? Math.min(1, Math.abs(x) / scale) : 0;
    if (!isFinite(x) || t === 0) { return ""; }
    return (x > 0 ? "rgba(5, 80, 174, " : "rgba(194, 31, 48, ") + (0.32 * t).toFixed(3) + ")";
  }

  function fill(figure, step) {
    var key = figure.getAttribute("data-key"), shown = entries(key, step), scale = values.scale[key];
    var lit = step.lit.indexOf(key) >= 0, bias = key.charAt(0) === "a" && Number(key.slice(1)) < data.L;
    all("td[data-r]", figure).forEach(function (td) {
      var r = Number(td.getAttribute("data-r")), c = Number(td.getAttribute("data-c"));
      var text = shown === null ? "·" : (Array.isArray(shown[r]) ? shown[r][c] : shown[r]);
      td.querySelector(".v").textContent = text;
      td.style.background = shown === null ? "" : shade(text, scale);
      td.classList.toggle("unknown", shown === null);
      td.classList.toggle("lit", lit && shown !== null);
      td.classList.toggle("bias", bias && r === 0);
      var button = td.querySelector("button");
      if (button) { button.disabled = shown === null; }
    });
    figure.setAttribute("data-shown", shown === null ? "no" : "yes");
  }

  // The graph shows one example's numbers: every wire's value and gradient, as backprop left them.
  function showGraph(i) {
    if (i === graphExample) { return; }
    graphExample = i;
    var texts = data.graph.texts[i - 1];
    data.graph.wires.forEach(function (id, w) {
      var g = wires[id];
      if (!g) { return; }
      var value = g.querySelector(".wire-value"), grad = g.querySelector(".wire-grad");
      if (value) { value.textContent = texts[w][0]; }
      if (grad) { grad.textContent = texts[w][1]; }
    });
    byId("graph-example").textContent = String(i);
    document.body.setAttribute("data-graph-example", String(i));
  }

  function unlink() {
    linked = null;
    all("td.linked").forEach(function (td) { td.classList.remove("linked"); });
    all("g.linked", svg).forEach(function (g) { g.classList.remove("linked"); });
    document.body.removeAttribute("data-linked");
    byId("link-text").textContent = "Click an entry of δ, Δ or D (or Tab to it and press Enter): its node lights up " +
      "here, with the sentence that ties the two.";
  }

  function show(p) {
    var step = steps[p];
    all(".lines li").forEach(function (li) {
      if (li.getAttribute("data-line") === step.line) { li.setAttribute("aria-current", "step"); }
      else { li.removeAttribute("aria-current"); }
    });
    figures.forEach(function (figure) { fill(figure, step); });
    byId("example-number").textContent = step.example ? String(step.example) : "—";
    byId("caption").textContent = step.caption;
    byId("counter").textContent = "step " + p + " of " + (steps.length - 1) + " (" + step.phase + ")";
    byId("prev").disabled = p === 0;
    byId("next").disabled = p === steps.length - 1;
    unlink();
    showGraph(step.example || 1);
    document.body.setAttribute("data-position", String(p));
  }

  function go(p) { position = Math.max(0, Math.min(steps.length - 1, p)); show(position); }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    byId("play").textContent = "▶ Play";
    byId("play").setAttribute("aria-pressed", "false");
  }
  function play() {
    if (timer) { stop(); return; }
    if (position === steps.length - 1) { go(0); }
    byId("play").textContent = "⏸ Pause";
    byId("play").setAttribute("aria-pressed", "true");
    timer = setInterval(function () { if (position >= steps.length - 1) { stop(); } else { go(position + 1); } }, 1200);
  }
  byId("next").addEventListener("click", function () { stop(); go(position + 1); });
  byId("prev").addEventListener("click", function () { stop(); go(position - 1); });
  byId("reset").addEventListener("click", function () { stop(); go(0); });
  byId("play").addEventListener("click", play);

  // Scroll the graph's frame (only it) so that the node sits in its middle.
  function centre(node) {
    var frame = byId("graph"), box = node.getBoundingClientRect(), outer = frame.getBoundingClientRect();
    frame.scrollLeft += box.left + box.width / 2 - (outer.left + frame.clientWidth / 2);
    frame.scrollTop += box.top + box.height / 2 - (outer.top + frame.clientHeight / 2);
  }

  // An entry, clicked: its sentence, and its node lit on that example's graph (scrolled into view).
  function link(figure, td) {
    var step = steps[position], kind = figure.getAttribute("data-kind"), l = figure.getAttribute("data-layer");
    var r = Number(td.getAttribute("data-r")), c = Number(td.getAttribute("data-c")), answer;
    if (kind === "delta") { answer = data.links.delta[step.example + "-" + l + "-" + (r + 1)]; }
    else if (kind === "Delta") { answer = data.links.Delta[step.counts[l] + "-" + l + "-" + (r + 1) + "-" + c]; }
    else { answer = data.links.D[l + "-" + (r + 1) + "-" + c]; }
    unlink();  // answer: [sentence, the node's id on the graph, the example whose graph it is]
    showGraph(answer[2]);
    linked = answer[1];
    td.classList.add("linked");
    var node = svg.querySelector("g.node[id='" + answer[1] + "']");
    if (node) {
      node.classList.add("linked");
      centre(node);
    }
    byId("link-text").textContent = answer[0];
    var text = byId("link-text").getBoundingClientRect();
    if (text.bottom < 0 || text.top > window.innerHeight) { byId("graph-panel").scrollIntoView({block: "start"}); }
    document.body.setAttribute("data-linked", answer[1]);
  }
  figures.forEach(function (figure) {
    all("button.entry", figure).forEach(function (button) {
      button.addEventListener("click", function () { link(figure, button.parentNode); });
    });
  });

  // The strips: one button per index of thetaVec, coloured by its Θ⁽ˡ⁾; one of them takes the focus
  // (the arrow keys move it), and hovering or focusing one says which entry it is.
  function strip(container, info, model, withValues) {
    var buttons = model.entries.map(function (e, n) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "index layer-" + e[0];
      b.tabIndex = n === 0 ? 0 : -1;
      b.setAttribute("aria-label", "thetaVec(" + (n + 1) + ")");
      container.appendChild(b);
      return b;
    });
    function tell(n) {
      var f = model.entries[n];  // [l, j, k, name] and, with values, Θ's and D's
      var e = {l: f[0], j: f[1], k: f[2], name: f[3], theta: f[4], D: f[5]}, range = model.ranges[String(e.l)];
      buttons.forEach(function (b, m) { b.classList.toggle("current", m === n); });
      var text = "thetaVec(" + (n + 1) + "), thetaVec[" + n + "] in Python, is " + e.name +
        " (row j = " + e.j + ", column k = " + e.k + (e.k === 0 ? ", the bias column" : "") + " of the " + range.shape +
        " matrix Θ⁽" + e.l + "⁾, thetaVec(" + range.first + ":" + range.last + "))";
      if (withValues) { text += " = " + e.theta + "; DVec(" + (n + 1) + ") = D of the same entry = " + e.D; }
      info.textContent = text + ". " + range.octave + " recovers it; numpy: " + range.numpy;
      if (withValues) {
        all("td.indexed").forEach(function (td) { td.classList.remove("indexed"); td.style.outlineColor = ""; });
        var td = document.querySelector("#t-Theta" + e.l + " td[data-r='" + (e.j - 1) + "'][data-c='" + e.k + "']");
        if (td) { td.classList.add("indexed"); td.style.outlineColor = data.colors[(e.l - 1) % data.colors.length]; }
      }
    }
    buttons.forEach(function (b, n) {
      b.addEventListener("mouseenter", function () { tell(n); });
      b.addEventListener("focus", function () { tell(n); });
      b.addEventListener("click", function () { tell(n); });
    });
    container.addEventListener("keydown", function (e) {
      var n = buttons.indexOf(document.activeElement), to = n;
      if (n < 0) { return; }
      if (e.key === "ArrowRight" || e.key === "ArrowDown") { to = Math.min(buttons.length - 1, n + 1); }
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { to = Math.max(0, n - 1); }
      else if (e.key === "Home") { to = 0; }
      else if (e.key === "End") { to = buttons.length - 1; }
      else { return; }
      e.preventDefault();
      e.stopPropagation();  // the arrows move along the strip here, not through the algorithm
      buttons[n].tabIndex = -1;
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    });
  }
  strip(byId("strip"), byId("strip-info"), data.strip, true);
  strip(byId("slides-strip"), byId("slides-info"), data.slides, false);

  // → next, ← previous, Home the start, space play/pause (not while a button has the key).
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) { return; }
    if (e.key === "ArrowRight") { stop(); go(position + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { stop(); go(position - 1); e.preventDefault(); }
    else if (e.key === "Home") { stop(); go(0); e.preventDefault(); }
    else if (e.key === " ") { play(); e.preventDefault(); }
  });
  go(0);
})();
