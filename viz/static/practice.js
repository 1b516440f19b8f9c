// The practice board: one question at a time, checked as the learner answers (viz/practice.py).
// The JSON in #data holds every question as microgrboard.practice_questions wrote it: its fields, each
// with the expected number, three hints in order and the classic mistakes with the numbers they give.
// This script plays the rules of microgrboard.Practice, its twin: it reads a typed answer with the safe
// parser (answers.js; nothing typed is ever evaluated), compares numbers within the tolerance, shows the
// next hint after a wrong answer, names a matching mistake, and keeps the score and the summary.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var questions = data.questions, HINTS = 3;
  var WORDS = {value: "value", local: "local derivative", grad: "gradient", total: "total gradient"};
  var NAMES = ["value", "local", "grad", "total"];
  var position = 0, state = {}, outcomes = [];
  function byId(id) { return document.getElementById(id); }
  var form = byId("answer-form"), feedback = byId("feedback"), hintList = byId("hints");
  var svg = document.querySelector("#diagram svg");

  // |answer − expected| ≤ tolerance·max(1, |expected|): what 4 significant digits allow (5e-3, from Python)
  function close(answer, expected, tolerance) {
    return Math.abs(answer - expected) <= tolerance * Math.max(1, Math.abs(expected));
  }

  // A number with 4 significant digits, written as Python's format(x, ".4g") writes it.
  function g4(x) {
    if (x === 0) { return "0"; }
    var parts = x.toExponential(3).split("e"), exponent = Number(parts[1]);
    if (exponent < -4 || exponent >= 4) {
      var mantissa = parts[0].replace(/\.?0+$/, "");
      return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    return x.toFixed(3 - exponent).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }

  function conceal(wireId, selector, hidden) {
    var wire = wireId ? byId(wireId) : null;
    if (!wire) { return; }
    Array.prototype.forEach.call(wire.querySelectorAll(selector), function (t) { t.classList.toggle("concealed", hidden); });
  }

  function fieldBox(name) { return form.querySelector('.field[data-field="' + name + '"]'); }
  function input(name) { return byId("answer-" + name); }

  function markField(name, how, text) {
    var box = fieldBox(name);
    box.classList.remove("right", "wrong", "revealed");
    if (how) { box.classList.add(how); }
    byId("mark-" + name).textContent = text || "";
    input(name).readOnly = how === "right" || how === "revealed";
    input(name).setAttribute("aria-invalid", String(how === "wrong"));
  }

  function say(text, how, mistake) {
    feedback.textContent = text;
    feedback.className = how || "";
    if (mistake) { feedback.setAttribute("data-mistake", mistake); } else { feedback.removeAttribute("data-mistake"); }
  }

  function scoreText() {
    function count(o) { return outcomes.filter(function (x) { return x === o; }).length; }
    return count("first") + " right first time, " + count("hints") + " after hints, " + count("revealed") +
           " revealed (" + outcomes.length + " of " + questions.length + " questions)";
  }

  // The twin of microgrboard.practice.summary_text: per kind of gate, right first time of how many.
  function summaryText() {
    var kinds = [], counts = {};
    outcomes.forEach(function (outcome, i) {
      var kind = questions[i].gate;
      if (!counts[kind]) { counts[kind] = [0, 0]; kinds.push(kind); }
      counts[kind][0] += outcome === "first" ? 1 : 0;
      counts[kind][1] += 1;
    });
    if (!kinds.length) { return "nothing answered yet"; }
    var names = {sum: "sums over uses", forward: "forward values"};
    var rules = {sum: "how a gradient sums over a node's uses", forward: "the forward pass"};
    var parts = kinds.map(function (k) { return (names[k] || k) + ": " + counts[k][0] + " of " + counts[k][1]; });
    var again = kinds.filter(function (k) { return counts[k][0] < counts[k][1]; });
    if (!again.length) { return parts.join(", ") + " — every one right first time"; }
    return parts.join(", ") + " — look again at " +
           again.map(function (k) { return rules[k] || k + "'s rule"; }).join(" and ");
  }

  function addHint(field, text) {
    var item = document.createElement("li");
    item.textContent = WORDS[field.name] + ": " + text;
    hintList.appendChild(item);
  }

  function show() {
    var q = questions[position];
    Array.prototype.forEach.call(svg.querySelectorAll("g.active"), function (g) { g.classList.remove("active"); });
    hintList.textContent = "";
    if (!q) { finish(); return; }
    if (q.kind !== "forward") { conceal(data.output_wire, ".wire-grad", false); }  // backprop starts at 1
    state = {};
    NAMES.forEach(function (name) { fieldBox(name).hidden = true; });
    q.fields.forEach(function (f) {
      state[f.name] = {done: false, revealed: false, misses: 0, hints: 0, given: null, checked: null};
      fieldBox(f.name).hidden = false;
      byId("label-" + f.name).textContent = f.label;
      input(f.name).value = "";
      markField(f.name, null);
    });
    byId("question").textContent = q.prompt;
    var lit = q.kind === "edge" ? byId(q.wire) : byId(q.node_id);
    if (lit) { lit.classList.add("active"); }
    document.body.setAttribute("data-question", String(q.index));
    input(pending()[0].name).focus();
  }

  function pending() {
    var q = questions[position];
    return q ? q.fields.filter(function (f) { return !state[f.name].done; }) : [];
  }

  function named(field, number) {
    if (close(number, field.expected, field.tolerance)) { return null; }
    for (var i = 0; i < field.mistakes.length; i++) {
      if (close(number, field.mistakes[i].value, field.tolerance)) { return field.mistakes[i]; }
    }
    return null;
  }

  function whyWrong(q, field, number) {
    var mistake = named(field, number);
    if (mistake) { return mistake.name + ": " + mistake.text; }
    var local = state.local;
    if (field.name === "grad" && local && local.given !== null && field.upstream !== null) {
      var expected = q.fields[0].expected;
      if (!close(local.given, expected, field.tolerance) && close(number, local.given * field.upstream, field.tolerance)) {
        return "it is your local derivative × the upstream: the chain rule is right, the local derivative is what is wrong";
      }
    }
    return "look at the hint";
  }

  function revealField(field) {
    state[field.name].done = state[field.name].revealed = true;
    input(field.name).value = g4(field.expected);
    markField(field.name, "revealed", "revealed");
  }

  // When every field is done: the outcome, the wire marked, the numbers shown, the next question.
  function finishIfOver(q) {
    var names = Object.keys(state);
    if (!names.every(function (n) { return state[n].done; })) { return false; }
    var outcome = names.some(function (n) { return state[n].revealed; }) ? "revealed" :
                  names.some(function (n) { return state[n].misses || state[n].hints; }) ? "hints" : "first";
    outcomes.push(outcome);
    q.wires.forEach(function (w) {
      var wire = w ? byId(w) : null;
      if (q.kind === "edge" && wire) {
        wire.classList.remove("practice-right", "practice-wrong", "practice-revealed");
        wire.classList.add(outcome === "revealed" ? "practice-revealed" : "practice-right");
        wire.setAttribute("data-outcome", outcome);
      }
      if (q.kind === "edge") { conceal(w, ".wire-grad", false); }
      if (q.kind === "forward") { conceal(w, ".wire-value", false); }
    });
    if (q.known) {
      var row = document.createElement("tr"), name = document.createElement("th"), grad = document.createElement("td");
      name.setAttribute("scope", "row");
      name.textContent = q.known.name;
      grad.textContent = g4(q.known.grad);
      row.appendChild(name);
      row.appendChild(grad);
      document.querySelector("#known tbody").appendChild(row);
    }
    byId("score").textContent = "Score: " + scoreText();
    position += 1;
    return true;
  }

  function over(q, lines) {
    lines.push(q.answer);
    var following = questions[position];
    lines.push(following ? "next: " + following.prompt : "done: " + scoreText() + "\n" + summaryText());
    show();
  }

  function check() {
    var q = questions[position];
    if (!q) { return; }
    var given = {}, errors = [], any = false;
    pending().forEach(function (f) {
      var text = input(f.name).value;
      if (text.trim() === "" || text === state[f.name].checked) { return; }  // only what is new is checked
      var read = Answers.readAnswer(text);
      if (read.error !== undefined) { errors.push(WORDS[f.name] + ": " + read.error); }
      else { given[f.name] = read.value; any = true; }
    });
    if (errors.length) { say(errors.join("\n"), "wrong"); return; }  // nothing is checked, nothing counted
    if (!any) {
      say("Type a new answer first: a number or an expression, e.g. 0.3679*-0.5344 or e^-1.", "wrong");
      return;
    }
    var lines = [], correct = true, mistake = null, firstWrong = null;
    q.fields.forEach(function (f) {
      var st = state[f.name];
      if (!(f.name in given) || st.done) { return; }
      var number = st.given = given[f.name];
      st.checked = input(f.name).value;
      if (close(number, f.expected, f.tolerance)) {
        st.done = true;
        markField(f.name, "right", "✓ right");
        lines.push("✓ " + WORDS[f.name] + ": right (" + g4(f.expected) + ")");
        return;
      }
      correct = false;
      st.misses += 1;
      var why = whyWrong(q, f, number), m = named(f, number);
      if (m && !mistake) { mistake = m.name; }
      st.hints += 1;
      var shown = f.hints[Math.min(st.hints, HINTS) - 1];
      addHint(f, shown);
      if (st.hints >= HINTS) { revealField(f); } else { markField(f.name, "wrong", "✗ not right"); }
      if (!firstWrong && !st.done) { firstWrong = f.name; }
      lines.push("✗ " + WORDS[f.name] + ": " + g4(number) + " is not right — " + why + "\n  hint: " + shown);
    });
    if (!correct && q.wire) {
      byId(q.wire).classList.remove("practice-right");
      byId(q.wire).classList.add("practice-wrong");
    }
    if (finishIfOver(q)) { over(q, lines); }
    else {
      var focus = firstWrong || pending()[0].name;
      input(focus).focus();
      input(focus).select();
    }
    say(lines.join("\n"), correct ? "right" : "wrong", mistake);
  }

  function hint() {
    var q = questions[position], f = pending()[0];
    if (!f) { return; }
    var st = state[f.name];
    st.hints += 1;
    var text = f.hints[Math.min(st.hints, HINTS) - 1];
    addHint(f, text);
    var lines = ["hint: " + WORDS[f.name] + ": " + text];
    if (st.hints >= HINTS) {
      revealField(f);
      if (finishIfOver(q)) { over(q, lines); }
    }
    say(lines.join("\n"), "");
    if (questions[position] === q) { input(pending()[0].name).focus(); }
  }

  function reveal() {
    var q = questions[position];
    if (!q) { return; }
    pending().forEach(revealField);
    var lines = ["revealed:"];
    finishIfOver(q);
    over(q, lines);
    say(lines.join("\n"), "");
  }

  function finish() {
    byId("question").textContent = "Done: every step is worked out.";
    NAMES.forEach(function (name) { fieldBox(name).hidden = true; });
    ["check", "hint", "reveal"].forEach(function (id) { byId(id).disabled = true; });
    byId("summary").hidden = false;
    byId("summary-text").textContent = summaryText();
    document.body.setAttribute("data-question", "done");
    byId("summary-title").setAttribute("tabindex", "-1");
    byId("summary-title").focus();
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); check(); });  // Enter in a field checks
  byId("hint").addEventListener("click", hint);
  byId("reveal").addEventListener("click", reveal);

  // Numbers not yet found are hidden: every gradient (the output's 1 once backprop starts) and, in
  // forward mode, every gate's output until it is predicted.
  Array.prototype.forEach.call(svg.querySelectorAll("g.edge"), function (g) {
    conceal(g.getAttribute("id"), ".wire-grad", true);
  });
  if (data.forward) { data.computed.forEach(function (w) { conceal(w, ".wire-value", true); }); }
  byId("score").textContent = "Score: " + scoreText();
  show();
})();
