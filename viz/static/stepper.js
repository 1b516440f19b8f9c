// Steps through a circuit drawn as SVG, as the stepping board and the playground do: gates are g.node
// and wires g.edge, found by their ids; a wire's texts have the classes wire-value, wire-local and
// wire-grad. A step names the gate or wire to light, the wires whose value it computes, the wire whose
// gradient it fills in (and the text to write there: what has flowed along it so far) and the node
// whose gradient it changes: {phase, caption, node, wire, values, grad, grad_text, changed,
// changed_grad, wrong}. `parts` holds the circuit's container and the controls (caption, captionBox,
// counter, prev, next, reset, play); `onShow(p, step, nodeGrad, last)` hears of every step shown.
function Stepper(parts, onShow) {
  "use strict";
  var steps = [], wires = [], gates = [], computedWires = {}, position = 0, timer = null;

  function toggleAll(group, selector, hidden) {
    Array.prototype.forEach.call(group.querySelectorAll(selector), function (t) {
      t.classList.toggle("concealed", hidden);
    });
  }

  // New steps, and (with a new drawing in parts.diagram) new wires and gates; then the first step.
  function load(newSteps, redrawn) {
    stop();
    steps = newSteps;
    if (redrawn || !wires.length) {
      var svg = parts.diagram.querySelector("svg");
      wires = Array.prototype.slice.call(svg.querySelectorAll("g.edge"));
      gates = Array.prototype.slice.call(svg.querySelectorAll("g.node"));
    }
    computedWires = {};  // wires whose value the forward pass computes (the others are inputs)
    steps.forEach(function (s) { s.values.forEach(function (w) { computedWires[w] = true; }); });
  }

  // The lit gate or wire, kept in view on a circuit wider (or taller) than the window: every scrolling
  // box around it scrolls by the least that shows it, so nothing moves when it is already in view;
  // smoothly, unless the reader's system asks for reduced motion.
  function keepInView(element) {
    if (!element) { return; }
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    element.scrollIntoView({block: "nearest", inline: "nearest", behavior: still ? "auto" : "smooth"});
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
      toggleAll(g, ".wire-value", !!computedWires[id] && !valuesShown[id]);  // an input's value: always shown
      toggleAll(g, ".wire-grad, .wire-local", !shown);
      var text = g.querySelector(".wire-grad");
      if (text && shown && gradText[id] !== null) { text.textContent = gradText[id]; }
      g.classList.toggle("active", steps[p].wire === id);
    });
    gates.forEach(function (g) { g.classList.toggle("active", steps[p].node === g.getAttribute("id")); });
    keepInView(parts.diagram.querySelector("svg g.active"));
    var last = p === steps.length - 1;
    parts.caption.textContent = steps[p].caption;
    parts.captionBox.classList.toggle("wrong", !!steps[p].wrong);
    parts.counter.textContent = "step " + p + " of " + (steps.length - 1) + " (" + steps[p].phase + ")";
    parts.prev.disabled = p === 0;
    parts.next.disabled = last;
    if (onShow) { onShow(p, steps[p], nodeGrad, last); }
  }

  function go(p) { position = Math.max(0, Math.min(steps.length - 1, p)); show(position); }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    parts.play.querySelector(".label").textContent = "Play";  // its icon follows aria-pressed (icons.css)
    parts.play.setAttribute("aria-pressed", "false");
  }

  function play() {
    if (timer) { stop(); return; }
    if (position === steps.length - 1) { go(0); }
    parts.play.querySelector(".label").textContent = "Pause";
    parts.play.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (position >= steps.length - 1) { stop(); } else { go(position + 1); }
    }, 900);
  }

  // → next, ← previous, Home the start, space play/pause (not while a button has the key).
  function keydown(e) {
    if (e.target && e.target.tagName === "BUTTON" && (e.key === " " || e.key === "Enter")) { return; }
    if (e.key === "ArrowRight") { stop(); go(position + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { stop(); go(position - 1); e.preventDefault(); }
    else if (e.key === "Home") { stop(); go(0); e.preventDefault(); }
    else if (e.key === " ") { play(); e.preventDefault(); }
  }

  parts.next.addEventListener("click", function () { stop(); go(position + 1); });
  parts.prev.addEventListener("click", function () { stop(); go(position - 1); });
  parts.reset.addEventListener("click", function () { stop(); go(0); });
  parts.play.addEventListener("click", play);

  return {load: load, go: go, stop: stop, play: play, keydown: keydown,
          position: function () { return position; }, steps: function () { return steps; }};
}
