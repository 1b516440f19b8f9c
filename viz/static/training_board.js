// The training board: the slider (and Play) picks one recorded snapshot, and every panel shows it —
// the marker on the loss and gradient charts, the decision regions, the weights on the wires, each
// unit's output over the plane, and the gradient-flow table. Needs charts.js, plane.js and replay.js.
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

  // The decision regions and the unit maps, over the plane (2-D inputs only).
  var plane = data.plane, rects = null, mapSize = 24, images = [];
  if (plane) {
    rects = Plane.regions(document.getElementById("regions"), plane, plane.grid, 320, plane.points, plane.labels);
    data.thetas[0].forEach(function (theta, l) {
      images.push(theta.map(function (_, j) {
        var node = document.getElementById("unit-" + (l + 1) + "-" + (j + 1));
        var square = node && node.querySelector("polygon");
        if (!square) { return null; }
        var box = square.getBBox(), image = document.createElementNS("http://www.w3.org/2000/svg", "image");
        ["x", "y", "width", "height"].forEach(function (k) { image.setAttribute(k, box[k]); });
        image.setAttribute("preserveAspectRatio", "none");
        image.setAttribute("class", "unit-map");
        square.parentNode.insertBefore(image, square);  // under the square's outline
        return image;
      }));
    });
  }

  // The wires: thickness ∝ |w| against the largest |w| of the whole run, so growth shows.
  var largest = 0;
  data.thetas.forEach(function (thetas) {
    thetas.forEach(function (theta) {
      theta.forEach(function (row) { row.slice(1).forEach(function (w) { largest = Math.max(largest, Math.abs(w)); }); });
    });
  });
  largest = largest || 1;
  var wires = data.thetas[0].map(function (theta, l) {
    return theta.map(function (row, j) {
      return row.slice(1).map(function (_, i) { return document.getElementById("w-" + (l + 1) + "-" + (j + 1) + "-" + (i + 1)); });
    });
  });

  function showWires(thetas) {
    thetas.forEach(function (theta, l) {
      theta.forEach(function (row, j) {
        row.slice(1).forEach(function (w, i) {
          var wire = wires[l][j][i];
          if (!wire) { return; }
          wire.querySelector("path").setAttribute("stroke-width", (0.5 + 3.5 * Math.abs(w) / largest).toFixed(2));
          wire.classList.toggle("negative", w < 0);
          wire.classList.toggle("positive", w >= 0);
          var title = wire.querySelector("title");
          if (title) { title.textContent = "layer" + (l + 1) + ".neuron" + (j + 1) + ".w" + (i + 1) + " = " + w.toPrecision(4); }
        });
      });
    });
  }

  function showFlow(report) {
    report.layers.forEach(function (layer, l) {
      var row = document.querySelector("#flow-table tr[data-layer='" + (l + 1) + "']");
      row.querySelector(".weight-grad").textContent = layer.weight_grad.toPrecision(3);
      row.querySelector(".delta").textContent = layer.delta.toPrecision(3);
      row.querySelector(".saturated").textContent = Math.round(100 * layer.saturated) + "%";
      row.querySelector(".saturated-bar").style.width = (100 * layer.saturated).toFixed(1) + "%";
      row.querySelector(".distinct").textContent = layer.distinct + " of " + layer.units;
    });
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
    showWires(thetas);
    showFlow(report);
    if (plane) {
      Plane.paint(rects, plane, plane.grid, thetas, data.activations);
      var maps = Plane.unitMaps(plane, mapSize, thetas, data.activations, data.colors);
      images.forEach(function (layer, l) {
        layer.forEach(function (image, j) { if (image) { image.setAttribute("href", maps[l][j]); } });
      });
    }
    document.body.dataset.step = step;
  }

  replay(slider, play, show);
})();
