// The stepping board: shows, step by step, the values and gradients already drawn on the circuit.
// The JSON in #data holds one or two tracks of steps (topological order; the naive order too when
// asked) and, for every node, why its gradient is what it is. Each step names the gate or wire to
// light, the wires whose value it computes, the wire whose gradient it fills in (and the text to
// write there: what has flowed along it so far) and the node whose gradient it changes. Texts are
// found by their class (wire-value, wire-grad), wires and gates by their ids, never by colour.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var tracks = data.tracks, steps = tracks[0].steps;
  var svg = document.querySelector("#diagram svg");
  var wires = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
  var gates = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#grads tr[data-node]"));
  var position = 0, timer = null;

  var computedWires = {};  // wires whose value the forward pass computes (the others are inputs)
  steps.forEach(function (s) { s.values.forEach(function (w) { computedWires[w] = true; }); });

  function toggleAll(group, selector, hidden) {
    Array.prototype.forEach.call(group.querySelectorAll(selector), function (t) {
      t.classList.toggle("concealed", hidden);
    });
  }

  function show(p) {
    var valuesShown = {}, gradText = {}, nodeGrad = {};
    for (var i = 0; i <= p; i++) {
      steps[i].values.forEach(function (w) { valuesShown[w] = true; });
      if (steps[i].grad) { gradText[steps[i].grad] = steps[i].grad_text; }
      if (steps[i].changed) { nodeGrad[steps[i].changed] = steps[i].changed_grad; }
    }
    wires.forEach(function (g) {
      var id = g.getAttribute("id"), shown = Object.prototype.hasOwnProperty.call(gradText, id);
      toggleAll(g, ".wire-value", computedWires[id] && !valuesShown[id]);
      toggleAll(g, ".wire-grad, .wire-local", !shown);
      var text = g.querySelector(".wire-grad");
      if (text && shown && gradText[id] !== null) { text.textContent = gradText[id]; }
      g.classList.toggle("active", steps[p].wire === id);
    });
    gates.forEach(function (g) { g.classList.toggle("active", steps[p].node === g.getAttribute("id")); });
    var last = p === steps.length - 1;
    rows.forEach(function (row) {
      var value = nodeGrad[row.getAttribute("data-node")] || "0";
      var right = row.querySelector(".right").textContent;
      row.querySelector(".so-far").textContent = value;
      row.classList.toggle("matches", value === right);
      row.classList.toggle("wrong", last && value !== right);
    });
    document.getElementById("caption").textContent = steps[p].caption;
    document.querySelector(".caption-box").classList.toggle("wrong", !!steps[p].wrong);
    document.getElementById("counter").textContent =
      "step " + p + " of " + (steps.length - 1) + " (" + steps[p].phase + ")";
    document.getElementById("prev").disabled = p === 0;
    document.getElementById("next").disabled = last;
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

  // Two orders of backprop: switching keeps the forward pass, and starts backprop again from the seed.
  Array.prototype.forEach.call(document.querySelectorAll("button.order"), function (button) {
    button.addEventListener("click", function () {
      stop();
      var index = Number(button.getAttribute("data-track"));
      steps = tracks[index].steps;
      Array.prototype.forEach.call(document.querySelectorAll("button.order"), function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
      document.body.setAttribute("data-track", tracks[index].name);
      var seed = steps.findIndex(function (s) { return s.phase === "seed"; });
      go(Math.min(position, seed));
    });
  });

  // Why: a gate or an input, clicked (or Enter on it), shows its paths to the output, lit on the circuit.
  function ask(id) {
    var answer = data.why[id];
    document.getElementById("why-title").textContent = answer.title;
    document.getElementById("why-text").textContent = answer.text;
    document.getElementById("why-panel").hidden = false;
    wires.forEach(function (g) { g.classList.toggle("on-path", answer.wires.indexOf(g.getAttribute("id")) >= 0); });
    gates.forEach(function (g) { g.classList.toggle("asked", g.getAttribute("id") === id); });
    document.body.setAttribute("data-asked", id);
  }
  function unask() {
    document.getElementById("why-panel").hidden = true;
    wires.forEach(function (g) { g.classList.remove("on-path"); });
    gates.forEach(function (g) { g.classList.remove("asked"); });
    document.body.removeAttribute("data-asked");
  }
  gates.forEach(function (g) {
    var id = g.getAttribute("id");
    if (!data.why[id]) { return; }
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", data.why[id].title);
    g.classList.add("askable");
    g.addEventListener("click", function () { ask(id); });
    g.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { ask(id); e.preventDefault(); }
    });
  });
  document.getElementById("why-close").addEventListener("click", unask);

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
  document.body.setAttribute("data-track", tracks[0].name);
  go(0);
})();
