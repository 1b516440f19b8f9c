// The stepping board: shows, step by step, the values and gradients already drawn on the circuit.
// Each step (from the JSON in #steps) names the gate or wire to light, the wires whose value it
// computes and the wire whose gradient it fills in; texts are found by their class (wire-value,
// wire-grad), wires and gates by their ids.
(function () {
  "use strict";
  var steps = JSON.parse(document.getElementById("data").textContent);
  var svg = document.querySelector("#diagram svg");
  var wires = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
  var gates = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
  var position = 0, timer = null;

  var computedWires = {};  // wires whose value the forward pass computes (the others are inputs)
  steps.forEach(function (s) { s.values.forEach(function (w) { computedWires[w] = true; }); });

  function toggleAll(group, selector, hidden) {
    Array.prototype.forEach.call(group.querySelectorAll(selector), function (t) {
      t.classList.toggle("concealed", hidden);
    });
  }

  function show(p) {
    var valuesShown = {}, gradsShown = {};
    for (var i = 0; i <= p; i++) {
      steps[i].values.forEach(function (w) { valuesShown[w] = true; });
      if (steps[i].grad) { gradsShown[steps[i].grad] = true; }
    }
    wires.forEach(function (g) {
      var id = g.getAttribute("id");
      toggleAll(g, ".wire-value", computedWires[id] && !valuesShown[id]);
      toggleAll(g, ".wire-grad, .wire-local", !gradsShown[id]);
      g.classList.toggle("active", steps[p].wire === id);
    });
    gates.forEach(function (g) { g.classList.toggle("active", steps[p].node === g.getAttribute("id")); });
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
