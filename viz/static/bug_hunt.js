// The bug hunt: backprop replayed with a classic bug (stepper.js steps through it, no step marked); the
// learner picks the wire of the first wrong step, by click or by Tab and Enter. The JSON in #data holds
// the steps, each pickable wire (its name, its steps, whether one of them is wrong), the first wrong step
// and, per step, the bug's numbers and the right ones (the table, shown once the bug is found).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  function byId(id) { return document.getElementById(id); }
  var verdict = byId("verdict"), tries = 0, found = false;
  var stepper = Stepper({diagram: byId("diagram"), caption: byId("caption"), counter: byId("counter"),
                         captionBox: document.querySelector(".caption-box"), prev: byId("prev"), next: byId("next"),
                         reset: byId("reset"), play: byId("play")}, function (p) {
    document.body.setAttribute("data-position", String(p));
  });
  stepper.load(data.tracks[0].steps);

  function answer() {
    var first = data.first;
    byId("right-numbers").hidden = false;
    var row = document.querySelector('#steps tr[data-step="' + first.index + '"]');
    if (row) { row.classList.add("first"); }
    var wire = byId(first.wire);
    if (wire) { wire.classList.add("first-wrong"); }
    return "The first wrong step is step " + first.index + ", " + first.edge + ": " + first.note + ".";
  }

  function pick(id) {
    var wire = data.wires[id], first = data.first;
    tries += 1;
    Array.prototype.forEach.call(document.querySelectorAll("g.picked"), function (g) { g.classList.remove("picked"); });
    byId(id).classList.add("picked");
    document.body.setAttribute("data-picked", id);
    if (id === first.wire) {
      found = true;
      verdict.className = "found";
      verdict.textContent = "Found it" + (tries > 1 ? " (after " + tries + " tries)" : "") + ". " + answer() +
                            " The table shows the bug's numbers beside the right ones.";
      return;
    }
    verdict.className = "missed";
    var steps = "step" + (wire.steps.length > 1 ? "s " : " ") + wire.steps.join(", ");
    verdict.textContent = found ? "That is " + wire.name + " (" + steps + "); the first wrong step is step " +
      first.index + "." : wire.wrong ?
      "Not the first: " + wire.name + " (" + steps + ") does go wrong, but an earlier step is already wrong. Try again." :
      "No: " + wire.name + " (" + steps + ") is right with this bug. Try again.";
  }

  Array.prototype.forEach.call(document.querySelectorAll("#diagram g.edge"), function (g) {
    var id = g.getAttribute("id"), wire = data.wires[id];
    if (!wire) { return; }
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", wire.name);
    g.classList.add("pickable");
    var path = g.querySelector("path");  // a wide, invisible copy of the wire: easier to click than a thin line
    if (path) {
      var hit = path.cloneNode(false);
      hit.setAttribute("stroke", "transparent");
      hit.setAttribute("stroke-width", "14");
      hit.setAttribute("fill", "none");
      hit.setAttribute("class", "hit");
      g.insertBefore(hit, path);
    }
    g.addEventListener("click", function () { pick(id); });
    g.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { pick(id); e.preventDefault(); e.stopPropagation(); }
    });
  });
  byId("show-answer").addEventListener("click", function () {
    verdict.className = "";
    verdict.textContent = answer() + " The table shows the bug's numbers beside the right ones.";
  });
  document.addEventListener("keydown", stepper.keydown);
  document.body.setAttribute("data-bug", data.bug);
  stepper.go(0);
})();
