// The playground: the settings, the training loop and its four live panels (loss, decision regions,
// network, gradient flow), and the inspector that steps through one example's (or one neuron's)
// backprop. Every number comes from Net (playground_nn.js) on the page's engine (engine.js), whose
// rules are the table of primitives' JavaScript twins; this file only runs and draws them.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var E = Engine, el = LineChart.el;
  function byId(id) { return document.getElementById(id); }
  var fields = ["dataset", "hidden", "activation", "init", "seed", "loss", "lambda", "lr", "momentum", "batch"];
  var input = {};
  fields.forEach(function (name) { input[name] = byId(name); });
  var play = byId("train-play"), status = byId("status"), readout = byId("train-readout");
  var REBUILD = ["dataset", "hidden", "activation", "init", "seed", "loss"];  // a new network; the rest go on

  // --- settings: read from the controls, each checked, with a message that says what to change ---

  function datasetOf(key) { return data.datasets.filter(function (d) { return d.key === key; })[0]; }

  function parseHidden(text) {
    var parts = text.split(/[\s,]+/).filter(Boolean);
    if (parts.length > data.max_layers) { throw new Error("at most " + data.max_layers + " hidden layers"); }
    return parts.map(function (p) {
      var n = Number(p);
      if (!Number.isInteger(n) || n < 1 || n > data.max_units) {
        throw new Error("each hidden layer needs a whole number of units from 1 to " + data.max_units + ", not " + p);
      }
      return n;
    });
  }

  function readSettings() {
    var s = {}, problems = [];
    function check(name, read) {
      try {
        s[name] = read(input[name].value);
        input[name].removeAttribute("aria-invalid");
      } catch (err) {
        input[name].setAttribute("aria-invalid", "true");
        problems.push(input[name].labels[0].textContent + ": " + err.message);
      }
    }
    function number(low, high, whole, open) {
      return function (v) {
        var x = Number(v);
        if (v.trim() === "" || !isFinite(x) || (open ? x <= low : x < low) || (high !== null && x >= high) ||
            (whole && !Number.isInteger(x))) {
          throw new Error("needs " + (whole ? "a whole number" : "a number") + (open ? " > " : " ≥ ") + low +
                          (high !== null ? " and < " + high : "") + ", not " + (v || "nothing"));
        }
        return x;
      };
    }
    s.dataset = input.dataset.value;
    s.activation = input.activation.value;
    s.init = input.init.value;
    var ds = datasetOf(s.dataset);
    check("hidden", parseHidden);
    check("seed", number(0, null, true));
    check("loss", function (v) {
      if (ds.classes.length > 2 && !data.losses[v].multiclass) { throw new Error(v + " needs two classes"); }
      return v;
    });
    check("lambda", number(0, null, false));
    check("lr", number(0, null, false, true));
    check("momentum", number(0, 1, false));
    check("batch", number(1, ds.points.length + 1, true));
    s.lam = s.lambda;
    status.hidden = !problems.length;
    status.textContent = problems.join("; ");
    return problems.length ? null : s;
  }

  function writeSettings(s) {
    input.dataset.value = s.dataset;
    input.hidden.value = typeof s.hidden === "string" ? s.hidden : s.hidden.join(", ");
    ["activation", "init", "seed", "loss", "lr", "momentum", "batch"].forEach(function (k) { input[k].value = s[k]; });
    input.lambda.value = s.lam;
  }

  // --- a run: the data, the network, its optimizer and what it recorded ---------------------------

  var settings = null, run = null, rects = null, unitNodes = null, lossChart = null, flowChart = null;
  var playing = false, timer = null, rate = [], selected = {example: 0, unit: null};

  function targetRows(ds, loss) {  // what the loss reads for each example (LOSS_SETUP in viz/playground.py)
    var setup = data.losses[loss], k = ds.classes.length, units = k === 2 ? setup.binary_units : k;
    return ds.labels.map(function (c) {
      if (units > 1) { return ds.classes.map(function (_, j) { return j === c ? 1 : 0; }); }
      return [setup.targets === "±1" ? 2 * c - 1 : c];
    });
  }

  function build(s) {
    var ds = datasetOf(s.dataset), setup = data.losses[s.loss], k = ds.classes.length;
    var units = k === 2 ? setup.binary_units : k, sizes = [2].concat(s.hidden, [units]);
    var thetas = Net.initialThetas(s.init, sizes, s.seed, data.epsilon);
    var model = new Net.MLP(thetas, s.activation, setup.output);
    return {ds: ds, sizes: sizes, targets: targetRows(ds, s.loss), model: model, step: 0,
            sgd: new Net.SGD(model.parameters(), s.lr, s.momentum), shuffler: new Net.Random(s.seed + 7919),
            order: null, cursor: 0, batches: [], report: null, start: thetas,
            history: {loss: [], accuracy: [], flow: []}};
  }

  function nextBatch() {  // as nn.train: the examples in order for a full batch, else reshuffled every epoch
    var m = run.ds.points.length, b = settings.batch;
    if (!run.order || run.cursor >= m) {
      run.order = b >= m ? run.ds.points.map(function (_, i) { return i; }) : run.shuffler.permutation(m);
      run.cursor = 0;
    }
    var batch = run.order.slice(run.cursor, run.cursor + b);
    run.cursor += b;
    return batch;
  }

  // One gradient step, as a step of nn.train: forward on the batch, J, backward, the report, SGD.
  function trainStep() {
    var model = run.model, batch = nextBatch(), output = model.activations[model.activations.length - 1];
    var recorder = Net.recorder(model);
    run.sgd.zeroGrad();
    var outputs = batch.map(function (i) { return model.call(run.ds.points[i], recorder.record); });
    var J = Net.objective(model, outputs, batch.map(function (i) { return run.targets[i]; }), settings.loss,
                          settings.lam, data.losses[settings.loss].per_example);
    E.backward(J);
    var report = Net.report(model, recorder, model.thetas(), batch.length, data.flat);
    run.sgd.step();  // all parameters or none
    var right = 0;
    outputs.forEach(function (o, k) {
      if (Plane.classOf(o.map(function (v) { return v.data; }), output) === run.ds.labels[batch[k]]) { right++; }
    });
    run.history.loss.push(J.data);
    run.history.accuracy.push(right / batch.length);
    run.history.flow.push(report.map(function (r) { return r.weight_grad; }));
    run.batches.push(batch);
    if (run.batches.length > 5000) { run.batches.shift(); }
    run.report = report;
    run.step++;
  }

  // --- the panels ---------------------------------------------------------------------------------

  function thin(values) {  // at most ~600 points of a long curve: every k-th, with the steps they are at
    var k = Math.max(1, Math.ceil(values.length / 600)), xs = [], vs = [];
    for (var i = 0; i < values.length; i += k) { xs.push(i); vs.push(values[i]); }
    return {xs: xs, values: vs};
  }

  function drawRegions() {
    var ds = run.ds, svg = byId("regions");
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    rects = Plane.regions(svg, ds.plane, data.grid, 300, ds.points, ds.labels);
    Array.prototype.forEach.call(svg.querySelectorAll("circle.point"), function (dot, i) {
      dot.setAttribute("data-index", i);
      var title = el("title", {}, dot);
      title.textContent = "example #" + i + " (" + ds.classes[ds.labels[i]] + "): click to step through its backprop";
      dot.addEventListener("click", function () { inspect(i, null); });
    });
    var legend = byId("classes");
    legend.textContent = "";
    ds.classes.forEach(function (name, c) {
      var swatch = document.createElement("span");
      swatch.className = "swatch round class-" + c;
      legend.appendChild(swatch);
      legend.appendChild(document.createTextNode(name + " "));
    });
    byId("example").max = ds.points.length - 1;
  }

  // The network as columns of units and wires (ids unit-l-j and w-l-j-i, as on the training board).
  function drawNetwork() {
    var sizes = run.sizes, container = byId("network-diagram"), U = 34, GAP = 116, ROW = 44, TOP = 28;
    var tallest = Math.max.apply(null, sizes), width = 40 + (sizes.length - 1) * GAP + U + 20;
    var height = TOP + tallest * ROW + 10;
    container.textContent = "";
    var svg = el("svg", {xmlns: "http://www.w3.org/2000/svg", width: width, height: height, role: "img",
                         viewBox: "0 0 " + width + " " + height, "aria-label": "the network's units and weights"},
                 container);
    var centre = function (l, j) {
      return [30 + l * GAP, TOP + (j + 0.5) * ROW + (tallest - sizes[l]) * ROW / 2];
    };
    unitNodes = [];
    for (var l = 1; l < sizes.length; l++) {
      for (var j = 0; j < sizes[l]; j++) {
        var to = centre(l, j);
        for (var i = 0; i < sizes[l - 1]; i++) {
          var from = centre(l - 1, i), g = el("g", {"class": "edge", id: "w-" + l + "-" + (j + 1) + "-" + (i + 1)}, svg);
          el("title", {}, g);
          el("path", {d: "M" + (from[0] + (l === 1 ? 13 : U / 2)) + "," + from[1] + " L" + (to[0] - U / 2) + "," + to[1]}, g);
        }
      }
    }
    sizes.forEach(function (n, l) {
      var title = l === 0 ? "inputs" : "layer" + l + " (" + run.model.activations[l - 1] + ")";
      el("text", {x: centre(l, 0)[0], y: 14, "text-anchor": "middle", "class": "layer-title"}, svg).textContent = title;
      var units = [];
      for (var j = 0; j < n; j++) {
        var c = centre(l, j);
        if (l === 0) {
          var g = el("g", {"class": "node input", id: "input-" + (j + 1)}, svg);
          el("circle", {cx: c[0], cy: c[1], r: 13}, g);
          el("text", {x: c[0], y: c[1] + 4, "text-anchor": "middle"}, g).textContent = "x" + (j + 1);
          continue;
        }
        var name = "layer" + l + ".neuron" + (j + 1);
        var unit = el("g", {"class": "node unit", id: "unit-" + l + "-" + (j + 1), tabindex: "0", role: "button",
                            "aria-label": name + ": step through its part of the example's backprop"}, svg);
        el("title", {}, unit).textContent = name;
        el("image", {x: c[0] - U / 2, y: c[1] - U / 2, width: U, height: U, preserveAspectRatio: "none",
                     "class": "unit-map"}, unit);
        el("rect", {x: c[0] - U / 2, y: c[1] - U / 2, width: U, height: U}, unit);
        unit.addEventListener("click", inspectUnit(l - 1, j));
        unit.addEventListener("keydown", keyInspectUnit(l - 1, j));
        units.push(unit);
      }
      if (l > 0) { unitNodes.push(units); }
    });
  }

  function inspectUnit(l, j) { return function () { inspect(selected.example, [l, j]); }; }
  function keyInspectUnit(l, j) {
    return function (e) { if (e.key === "Enter" || e.key === " ") { inspect(selected.example, [l, j]); e.preventDefault(); } };
  }

  function charts() {
    lossChart = new LineChart(byId("loss-chart"), {width: 520, height: 220, xMax: 1, leftLabel: "J",
      log: byId("log-scale").checked,
      series: [{values: [], cls: "loss", id: "loss-line"}, {values: [], cls: "accuracy", right: true, id: "accuracy-line"}]});
    flowChart = new LineChart(byId("flow-chart"), {width: 520, height: 180, xMax: 1, log: true,
      leftLabel: "mean |∂J/∂W|", series: run.model.activations.map(function (_, l) {
        return {values: [], cls: "layer-" + (l % 6)};
      })});
  }

  function percent(v) { return (100 * v).toFixed(1) + "%"; }

  function stepsPerSecond() {
    if (rate.length < 2) { return null; }
    var first = rate[0], last = rate[rate.length - 1];
    return last[0] > first[0] ? (last[1] - first[1]) / ((last[0] - first[0]) / 1000) : null;
  }

  function redraw() {
    var h = run.history, n = h.loss.length, thetas = run.model.thetas();
    var text = "step " + run.step;
    if (n) { text += ": J = " + h.loss[n - 1].toPrecision(4) + ", accuracy " + percent(h.accuracy[n - 1]) + " on the batch"; }
    var speed = playing ? stepsPerSecond() : null;
    if (speed !== null) { text += " · " + Math.round(speed) + " steps/s"; }
    readout.textContent = text;
    var loss = thin(h.loss), right = thin(h.accuracy), xMax = Math.max(n - 1, 1);
    lossChart.o.xMax = xMax;
    lossChart.o.series[0].xs = loss.xs; lossChart.o.series[0].values = loss.values;
    lossChart.o.series[1].xs = right.xs; lossChart.o.series[1].values = right.values;
    lossChart.draw();
    lossChart.mark(Math.max(n - 1, 0));
    flowChart.o.xMax = xMax;
    flowChart.o.series.forEach(function (series, l) {
      var curve = thin(h.flow.map(function (f) { return f[l]; }));
      series.xs = curve.xs; series.values = curve.values;
    });
    flowChart.draw();
    flowChart.mark(Math.max(n - 1, 0));
    Plane.paint(rects, run.ds.plane, data.grid, thetas, run.model.activations);
    NetworkView.showWires(thetas, NetworkView.largestWeight([thetas]));
    NetworkView.showMaps(Plane.unitMaps(run.ds.plane, 20, thetas, run.model.activations, data.colors));
    NetworkView.showFlow(run.report);
    if (inspection) {
      byId("inspector-stale").textContent = inspection.step === run.step ? "" :
        "The network has trained since (it is at step " + run.step + "): click the point or the unit again for its numbers now.";
    }
    document.body.dataset.step = run.step;
  }

  // --- Play, Step, Reset ------------------------------------------------------------------------

  function fail(err) {
    pause();
    status.hidden = false;
    status.textContent = "Training stopped at step " + run.step + ": " + err.message;
  }

  function tick() {
    if (!playing) { return; }
    var start = performance.now();
    try {
      do { trainStep(); } while (performance.now() - start < 30);
    } catch (err) {
      fail(err);
    }
    rate.push([performance.now(), run.step]);
    while (rate.length > 2 && rate[rate.length - 1][0] - rate[0][0] > 1500) { rate.shift(); }
    redraw();
    if (playing) { timer = setTimeout(tick, 0); }
  }

  function pause() {
    playing = false;
    clearTimeout(timer);
    play.querySelector(".label").textContent = "Play";  // its icon: icons.css
    play.setAttribute("aria-pressed", "false");
    if (run) { redraw(); }
  }

  function start() {
    if (!settings) { return; }
    playing = true;
    rate = [];
    play.querySelector(".label").textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    timer = setTimeout(tick, 0);
  }

  function reset() {  // a new network from the settings (the same seed gives the same weights)
    run = build(settings);
    drawRegions();
    drawNetwork();
    NetworkView.flowRows(run.model.activations);
    charts();
    closeInspector();
    redraw();
  }

  function changed(e) {
    if (e && e.target === input.dataset && settings) {  // a full batch stays full; a batch never outgrows the data
      var m = datasetOf(input.dataset.value).points.length;
      if (settings.batch === datasetOf(settings.dataset).points.length || settings.batch > m) { input.batch.value = m; }
    }
    var s = readSettings();
    if (!s) { pause(); return; }
    var rebuild = !settings || REBUILD.some(function (k) {
      return JSON.stringify(s[k]) !== JSON.stringify(settings[k]);
    });
    if (run && s.batch !== settings.batch) { run.order = null; }  // a new batch size starts a new epoch
    settings = s;
    if (rebuild) {
      reset();
    } else {
      run.sgd.lr = s.lr;
      run.sgd.momentum = s.momentum;
      redraw();
    }
  }

  fields.forEach(function (name) { input[name].addEventListener("change", changed); });
  byId("settings").addEventListener("submit", function (e) { e.preventDefault(); });
  play.addEventListener("click", function () { if (playing) { pause(); } else { start(); } });
  byId("train-step").addEventListener("click", function () {
    pause();
    if (!settings) { return; }
    try { trainStep(); } catch (err) { fail(err); }
    redraw();
  });
  byId("train-reset").addEventListener("click", function () { pause(); if (settings) { reset(); } });
  byId("log-scale").addEventListener("change", function () {
    lossChart.setLog(byId("log-scale").checked);
  });

  // --- the inspector: one example's graph, or one neuron's part of it, stepped edge by edge -------

  var inspector = byId("inspector"), inspection = null;
  var stepper = Stepper({diagram: byId("walk-diagram"), caption: byId("walk-caption"), counter: byId("walk-counter"),
                         captionBox: inspector.querySelector(".caption-box"), prev: byId("walk-prev"),
                         next: byId("walk-next"), reset: byId("walk-reset"), play: byId("walk-play")},
                        function (p) { inspector.setAttribute("data-position", String(p)); });
  inspector.addEventListener("keydown", stepper.keydown);

  // The loss of example `index` alone, ℓ = loss([model(x)], [y]), with x1, x2 as leaves; `unit` = [l, j]
  // shows that neuron's part of the graph. Pauses training: the graph is the network's as it is now.
  function inspect(index, unit) {
    if (!(index >= 0 && index < run.ds.points.length)) { return; }
    if (playing) { pause(); }
    selected.example = index;
    selected.unit = unit;
    byId("example").value = index;
    var x = run.ds.points[index], owner = new Map(), layers = run.model.layers;
    layers.forEach(function (neurons, l) {
      neurons.forEach(function (n, j) { n.w.concat([n.b]).forEach(function (p) { owner.set(p, [l, j]); }); });
    });
    var xs = [E.Value(x[0], "x1"), E.Value(x[1], "x2")];
    var out = run.model.call(xs, null, function (l, j, node) { owner.set(node, [l, j]); });
    var root = Net.LOSSES[settings.loss]([out], [run.targets[index]]);
    var walk = E.walk(root), mine = function (i) {
      var o = owner.get(walk.order[i]);
      return !!o && (!unit || (o[0] === unit[0] && o[1] === unit[1]));
    };
    // The gates shown: every gate, or the neuron's (those the loss reads: with a σ output, the loss works from z).
    var interior = walk.order.map(function (n, i) { return n.prim && (!unit || mine(i)) ? i : -1; })
      .filter(function (i) { return i >= 0; });
    var band = function (i) {  // [stack, band]: the inputs, one stack per layer (a band per neuron), the loss
      var o = owner.get(walk.order[i]);
      if (unit) { return mine(i) ? [1, 0] : [0, 0]; }
      if (o) { return [o[0] + 1, o[1]]; }
      return walk.order[i].prim ? [layers.length + 1, 0] : [0, 0];
    };
    var bandTitle = function (key) {
      var stack = Math.floor(key / 1000), j = key % 1000;
      if (stack === 0) { return ""; }
      if (unit) { return "layer" + (unit[0] + 1) + ".neuron" + (unit[1] + 1); }
      return stack > layers.length ? "the loss ℓ" : "layer" + stack + ".neuron" + (j + 1);
    };
    var short = function (i) {  // a parameter by its short name in its neuron's band (its title has it whole)
      var label = walk.names[i];
      return owner.has(walk.order[i]) && !walk.order[i].prim ? label.slice(label.lastIndexOf(".") + 1) : label;
    };
    var ds = run.ds, name = unit ? "layer" + (unit[0] + 1) + ".neuron" + (unit[1] + 1) : null;
    var where = "example #" + index + " at (" + x.map(function (v) { return E.formatG(v, 4); }).join(", ") + "), " +
                ds.classes[ds.labels[index]];
    byId("inspector-title").textContent = (unit ? name + " on " : "Backprop through ") + where + ", at step " + run.step;
    byId("inspector-note").textContent = (unit
      ? "Its part of that example's graph: its weights, its sum and its activation; its inputs come from the layer before."
      : "The graph of this example's loss ℓ (J averages ℓ over the batch, and adds the penalty when λ > 0): " +
        walk.order.length + " nodes, " + walk.steps.length + " edges.") +
      " Every number is the page's engine's, computed by the rules of microgrboard's table of primitives.";
    var steps = GraphView.draw(byId("walk-diagram"), walk, interior, {
      label: unit ? name + "'s part of the graph" : "the scalar graph of example #" + index + "'s loss",
      output: unit ? "→ the rest" : "ℓ", band: band, bandTitle: bandTitle, short: short});
    inspection = {index: index, unit: unit, walk: walk, steps: steps, interior: interior, step: run.step};
    byId("inspector-stale").textContent = "";
    inspector.hidden = false;
    stepper.load(steps, true);
    stepper.go(0);
    Array.prototype.forEach.call(document.querySelectorAll("#regions circle.point"), function (dot, i) {
      dot.classList.toggle("selected", i === index);
    });
    unitNodes.forEach(function (layer, l) {
      layer.forEach(function (g, j) { g.classList.toggle("selected", !!unit && unit[0] === l && unit[1] === j); });
    });
    byId("walk-next").focus();
  }

  function closeInspector() {
    stepper.stop();
    inspector.hidden = true;
    inspection = null;
  }

  byId("inspect-example").addEventListener("click", function () {
    var i = Number(byId("example").value);
    if (Number.isInteger(i) && i >= 0 && i < run.ds.points.length) {
      byId("example").removeAttribute("aria-invalid");
      inspect(i, null);
    } else {
      byId("example").setAttribute("aria-invalid", "true");
    }
  });
  byId("inspector-close").addEventListener("click", closeInspector);

  // For the tests and the benchmark: the run's numbers, read-only, and N steps on demand.
  window.playground = {
    settings: function () { return settings; },
    dataset: function () { return {points: run.ds.points, labels: run.ds.labels, targets: run.targets}; },
    thetas: function () { return run.model.thetas(); },
    start: function () { return run.start; },
    history: function () { return run.history; },
    batches: function () { return run.batches; },
    report: function () { return run.report; },
    activations: function () { return run.model.activations; },
    playing: function () { return playing; },
    stepsPerSecond: stepsPerSecond,
    train: function (n) {
      for (var i = 0; i < n; i++) { trainStep(); }
      redraw();
      return run.step;
    },
    inspection: function () {
      if (!inspection) { return null; }
      var w = inspection.walk;
      return {index: inspection.index, unit: inspection.unit, names: w.names, interior: inspection.interior,
              data: w.order.map(function (n) { return n.data; }), grads: w.grads, steps: w.steps,
              gates: w.order.map(function (n) { return n.prim ? E.gateSymbol(n) : null; }),
              board: inspection.steps};
    }
  };

  writeSettings(data.defaults);
  changed();
  window.playground.readyAt = performance.now();  // milliseconds since the page began to load
  document.body.dataset.ready = "true";
})();
