// The stepping board: shows, step by step, the values and gradients already drawn on the circuit
// (with stepper.js).
// The JSON in #data holds one or two tracks of steps (topological order; the naive order too when
// asked) and, for every node, why its gradient is what it is. Each step names the gate or wire to
// light, the wires whose value it computes, the wire whose gradient it fills in (and the text to
// write there: what has flowed along it so far) and the node whose gradient it changes. Texts are
// found by their class (wire-value, wire-grad), wires and gates by their ids, never by colour.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var tracks = data.tracks;
  var svg = document.querySelector("#diagram svg");
  var wires = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
  var gates = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("#grads tr[data-node]"));
  function byId(id) { return document.getElementById(id); }

  // The circuit's numbers step by step (stepper.js, shared with the playground); here each step also
  // updates the table of every node's gradient so far (the naive order) and says where it is.
  var stepper = Stepper({diagram: byId("diagram"), caption: byId("caption"), counter: byId("counter"),
                         captionBox: document.querySelector(".caption-box"), prev: byId("prev"), next: byId("next"),
                         reset: byId("reset"), play: byId("play")}, function (p, step, nodeGrad, last) {
    rows.forEach(function (row) {
      var value = nodeGrad[row.getAttribute("data-node")] || "0";
      var right = row.querySelector(".right").textContent;
      row.querySelector(".so-far").textContent = value;
      row.classList.toggle("matches", value === right);
      row.classList.toggle("wrong", last && value !== right);
    });
    document.body.setAttribute("data-position", String(p));
  });
  stepper.load(tracks[0].steps);

  // Two orders of backprop: switching keeps the forward pass, and starts backprop again from the seed.
  Array.prototype.forEach.call(document.querySelectorAll("button.order"), function (button) {
    button.addEventListener("click", function () {
      var index = Number(button.getAttribute("data-track")), position = stepper.position();
      var steps = tracks[index].steps;
      stepper.load(steps);
      Array.prototype.forEach.call(document.querySelectorAll("button.order"), function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
      document.body.setAttribute("data-track", tracks[index].name);
      var seed = steps.findIndex(function (s) { return s.phase === "seed"; });
      stepper.go(Math.min(position, seed));
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

  document.addEventListener("keydown", stepper.keydown);
  document.body.setAttribute("data-track", tracks[0].name);
  stepper.go(0);
})();
