// The initialization board: one slider over the recorded steps moves the marker on the loss,
// saturation and symmetry charts, and redraws every run's decision regions. Needs charts.js, plane.js and replay.js.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var slider = document.getElementById("step"), readout = document.getElementById("readout");
  var play = document.getElementById("play"), logScale = document.getElementById("log-scale");
  var steps = data.runs[0].steps, last = steps.length - 1, xMax = Math.max(steps[last], 1);

  function perRun(values) {
    return data.runs.map(function (run, r) { return {xs: run.steps, cls: "run-" + r, values: values(run)}; });
  }
  var charts = [
    new LineChart(document.getElementById("loss-chart"), {width: 420, height: 230, xMax: xMax, log: logScale.checked,
      leftLabel: "J", series: data.runs.map(function (run, r) { return {cls: "run-" + r, values: run.loss}; })}),
    new LineChart(document.getElementById("saturation-chart"), {width: 420, height: 230, xMax: xMax, fixed: [0, 1],
      percent: true, leftLabel: "saturated hidden units",
      series: perRun(function (run) { return run.reports.map(function (rep) { return rep.layers[0].saturated; }); })}),
    new LineChart(document.getElementById("symmetry-chart"), {width: 420, height: 230, xMax: xMax, fixed: [0, data.units],
      leftLabel: "distinct hidden units of " + data.units,
      series: perRun(function (run) { return run.reports.map(function (rep) { return rep.layers[0].distinct; }); })})
  ];
  logScale.addEventListener("change", function () { charts[0].setLog(logScale.checked); });

  var plane = data.plane, figures = [];
  if (plane) {
    figures = data.runs.map(function (_, r) {
      var figure = document.querySelector("figure[data-run='" + r + "']");
      return {rects: Plane.regions(figure.querySelector("svg"), plane, plane.grid, 150, plane.points, plane.labels),
              readout: figure.querySelector(".run-readout")};
    });
  }

  function show() {
    var k = Number(slider.value);
    readout.textContent = "step " + steps[k] + " of " + steps[last];
    charts.forEach(function (chart) { chart.mark(steps[k]); });
    figures.forEach(function (figure, r) {
      var run = data.runs[r], report = run.reports[k];
      Plane.paint(figure.rects, plane, plane.grid, run.thetas[k], data.activations);
      figure.readout.textContent = "J " + report.loss.toPrecision(3) +
        (report.accuracy === null ? "" : ", " + (100 * report.accuracy).toFixed(0) + "%");
    });
    document.body.dataset.step = steps[k];
  }

  replay(slider, play, show);
})();
