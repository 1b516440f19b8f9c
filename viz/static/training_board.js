// The training board: the slider (and Play) picks one recorded snapshot, and every panel shows it —
// the marker on the loss and gradient charts, the decision regions, the weights on the wires, each
// unit's output over the plane, and the gradient-flow table. Needs charts.js, plane.js, network_view.js
// and replay.js.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var slider = document.getElementById("step"), readout = document.getElementById("readout");
  var play = document.getElementById("play"), logScale = document.getElementById("log-scale");
  var last = data.steps.length - 1, lastStep = data.steps[last];
  var xMax = Math.max(lastStep, data.loss.length - 1, 1);

  var curves = [{values: data.loss, cls: "loss", id: "loss-line"}];
  if (data.accuracy.length) { curves.push({values: data.accuracy, cls: "accuracy", right: true, id: "accuracy-line"}); }
  if (data.held_out.loss.length) {
    curves.push({xs: data.held_out.steps, values: data.held_out.loss, cls: "held-out", id: "held-out-line"});
  }
  if (data.diverged) {  // where train saw the run diverge: a vertical line over the loss's range, at that step
    var d = data.diverged.step, losses = data.loss.filter(function (v) { return v > 0; });
    curves.push({xs: [d, d], values: [Math.min.apply(null, losses), Math.max.apply(null, losses)],
                 cls: "diverged", id: "diverged-line"});
  }
  var lossChart = new LineChart(document.getElementById("loss-chart"),
                                {width: 560, height: 240, xMax: xMax, series: curves, leftLabel: "J"});
  var flowChart = new LineChart(document.getElementById("flow-chart"), {
    width: 560, height: 200, xMax: xMax, log: true, leftLabel: "mean |∂J/∂W|",
    series: data.activations.map(function (_, l) {
      return {xs: data.steps, cls: "layer-" + (l % 6), values: data.reports.map(function (r) { return r.layers[l].weight_grad; })};
    })
  });
  logScale.addEventListener("change", function () { lossChart.setLog(logScale.checked); });

  // The decision regions, and a picture in each unit's square placed from its corners as Graphviz
  // wrote them (getBBox() is 0 × 0 until layout, which in a notebook's srcdoc iframe may come later).
  var plane = data.plane, rects = null, largest = NetworkView.largestWeight(data.thetas);
  NetworkView.flowRows(data.activations);
  if (plane) {
    rects = Plane.regions(document.getElementById("regions"), plane, plane.grid, 320, plane.points, plane.labels);
    document.querySelectorAll("#network g[id^='unit-'] polygon").forEach(function (square) {
      var a = square.points.getItem(0), c = square.points.getItem(2);  // opposite corners
      square.before(LineChart.el("image", {x: Math.min(a.x, c.x), y: Math.min(a.y, c.y), width: Math.abs(a.x - c.x),
                                           height: Math.abs(a.y - c.y), preserveAspectRatio: "none", "class": "unit-map"}));
    });  // under the square's outline
  }

  function percent(v) { return (100 * v).toFixed(1) + "%"; }

  function show() {
    var k = Number(slider.value), step = data.steps[k], report = data.reports[k], thetas = data.thetas[k];
    var text = "step " + step + " of " + lastStep + ": loss " + report.loss.toPrecision(4);
    if (report.accuracy !== null) { text += ", accuracy " + percent(report.accuracy); }
    var h = data.held_out.steps.indexOf(step);
    if (h >= 0) {
      text += "; held-out loss " + data.held_out.loss[h].toPrecision(4);
      if (data.held_out.accuracy.length) { text += ", accuracy " + percent(data.held_out.accuracy[h]); }
    }
    if (data.diverged && step >= data.diverged.step) { text += " — after the divergence at step " + data.diverged.step; }
    readout.textContent = text;
    lossChart.mark(step);
    flowChart.mark(step);
    NetworkView.showWires(thetas, largest);
    NetworkView.showFlow(report.layers);
    if (plane) {
      Plane.paint(rects, plane, plane.grid, thetas, data.activations);
      NetworkView.showMaps(Plane.unitMaps(plane, 24, thetas, data.activations, data.colors));
    }
    document.body.dataset.step = step;
  }

  replay(slider, play, show);
})();
