// The network and gradient-flow panels of the training board and the playground, found by the ids
// both use: wire w-l-j-i (weight i of unit j, layer l), unit-l-j (with its picture), #flow-table.
var NetworkView = (function () {
  "use strict";

  // The largest |w| (no bias) in a list of Θ lists, e.g. every snapshot of a run; 1 if all are 0.
  function largestWeight(runs) {
    var largest = 0;
    runs.forEach(function (thetas) {
      thetas.forEach(function (theta) {
        theta.forEach(function (row) { for (var i = 1; i < row.length; i++) { largest = Math.max(largest, Math.abs(row[i])); } });
      });
    });
    return largest || 1;
  }

  // Each wire as network_diagram draws it: width 0.5 + 3.5·|w|/largest, its sign, its name = value.
  function showWires(thetas, largest) {
    thetas.forEach(function (theta, l) {
      theta.forEach(function (row, j) {
        for (var i = 1; i < row.length; i++) {
          var wire = document.getElementById("w-" + (l + 1) + "-" + (j + 1) + "-" + i), w = row[i];
          if (!wire) { continue; }  // a large network is one box per layer
          wire.querySelector("path").setAttribute("stroke-width", (0.5 + 3.5 * Math.abs(w) / largest).toFixed(2));
          wire.classList.toggle("negative", w < 0);
          wire.classList.toggle("positive", w >= 0);
          wire.querySelector("title").textContent = "layer" + (l + 1) + ".neuron" + (j + 1) + ".w" + i + " = " +
                                                    w.toPrecision(4);
        }
      });
    });
  }

  // Each unit's picture: maps[l][j] from Plane.unitMaps.
  function showMaps(maps) {
    maps.forEach(function (layer, l) {
      layer.forEach(function (map, j) {
        var image = document.querySelector("#unit-" + (l + 1) + "-" + (j + 1) + " image");
        if (image) { image.setAttribute("href", map); }
      });
    });
  }

  // The table's rows, one per layer: "layer2 (tanh)", then its numbers (filled in by showFlow).
  function flowRows(activations) {
    var body = document.querySelector("#flow-table tbody");
    body.innerHTML = activations.map(function (_, l) {
      return "<tr data-layer=\"" + (l + 1) + "\"><th scope=\"row\"><span class=\"swatch layer-" + (l % 6) + "\"></span>" +
        "</th><td class=\"weight-grad\"></td><td class=\"delta\"></td><td><span class=\"bar\"><span class=\"saturated-bar\">" +
        "</span></span> <span class=\"saturated\"></span></td><td class=\"distinct\"></td></tr>";
    }).join("");
    body.querySelectorAll("th").forEach(function (th, l) { th.append("layer" + (l + 1) + " (" + activations[l] + ")"); });
  }

  // nn/report.py's numbers per layer ("—" before the first report).
  function showFlow(layers) {
    document.querySelectorAll("#flow-table tbody tr").forEach(function (row, l) {
      var layer = layers && layers[l];
      row.querySelector(".weight-grad").textContent = layer ? layer.weight_grad.toPrecision(3) : "—";
      row.querySelector(".delta").textContent = layer ? layer.delta.toPrecision(3) : "—";
      row.querySelector(".saturated").textContent = layer ? Math.round(100 * layer.saturated) + "%" : "—";
      row.querySelector(".saturated-bar").style.width = layer ? (100 * layer.saturated).toFixed(1) + "%" : "0";
      row.querySelector(".distinct").textContent = layer ? layer.distinct + " of " + layer.units : "—";
    });
  }

  return {largestWeight: largestWeight, showWires: showWires, showMaps: showMaps, flowRows: flowRows,
          showFlow: showFlow};
})();
