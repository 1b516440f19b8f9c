// A network over the plane, from one snapshot's Θ matrices: its forward pass (the same formulas as
// microgrboard.nn: z = Θ [1; a], a = g(z)), the class it predicts at each cell of a grid (drawn as
// SVG cells whose data-class the page's CSS colours; needs charts.js), and one unit's output as a
// small picture. Its classOf is the one both the training board and the playground use.
var Plane = (function () {
  "use strict";
  var G = {
    sigmoid: function (z) { return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); },
    tanh: Math.tanh,
    relu: function (z) { return z > 0 ? z : 0; },
    linear: function (z) { return z; }
  };

  // Every layer's activations for one input x: [a(2), a(3), …], the last being the outputs.
  function forward(thetas, activations, x) {
    var a = x, layers = [];
    thetas.forEach(function (theta, l) {
      var g = G[activations[l]], next = [];
      theta.forEach(function (row) {
        var z = row[0];
        for (var i = 0; i < a.length; i++) { z += row[i + 1] * a[i]; }
        next.push(g(z));
      });
      layers.push(next);
      a = next;
    });
    return layers;
  }

  // The predicted class, as nn.classes.predicted_classes: argmax of K outputs, or one output past the
  // middle of its range (0.5 for sigmoid, 0 otherwise).
  function classOf(outputs, outputActivation) {
    if (outputs.length > 1) {
      var best = 0;
      outputs.forEach(function (v, k) { if (v > outputs[best]) { best = k; } });
      return best;
    }
    return outputs[0] > (outputActivation === "sigmoid" ? 0.5 : 0) ? 1 : 0;
  }

  // The centre of cell (row, col) of an n × n grid over the plane; row 0 is the top.
  function cell(plane, n, row, col) {
    return [plane.x0 + (col + 0.5) / n * (plane.x1 - plane.x0), plane.y1 - (row + 0.5) / n * (plane.y1 - plane.y0)];
  }

  function toPixel(plane, size, p) {
    return [(p[0] - plane.x0) / (plane.x1 - plane.x0) * size, (plane.y1 - p[1]) / (plane.y1 - plane.y0) * size];
  }

  // An SVG of n × n cells (class "region", data-class set by `paint`) with the data points on top.
  function regions(svg, plane, n, size, points, labels) {
    var cellSize = size / n, rects = [], el = LineChart.el, side = (cellSize + 0.4).toFixed(2);
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("width", size); svg.setAttribute("height", size);
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        rects.push(el("rect", {"class": "region", x: (c * cellSize).toFixed(2), y: (r * cellSize).toFixed(2),
                               width: side, height: side}, svg));
      }
    }
    (points || []).forEach(function (p, i) {
      var xy = toPixel(plane, size, p);
      var dot = el("circle", {"class": "point", r: size > 200 ? 3.5 : 2, cx: xy[0].toFixed(1), cy: xy[1].toFixed(1)}, svg);
      if (labels && labels.length) { dot.setAttribute("data-class", labels[i]); }
    });
    return rects;
  }

  // Colour every cell by the class the network predicts there.
  function paint(rects, plane, n, thetas, activations) {
    var output = activations[activations.length - 1];
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        var layers = forward(thetas, activations, cell(plane, n, r, c));
        rects[r * n + c].setAttribute("data-class", classOf(layers[layers.length - 1], output));
      }
    }
  }

  // A unit's output scaled to [−1, 1] around the middle of its range (σ: 0.5; tanh: 0; relu and
  // linear: 0, scaled by the largest |output| on the map).
  function centred(values, activation) {
    if (activation === "sigmoid") { return values.map(function (v) { return 2 * v - 1; }); }
    if (activation === "tanh") { return values; }
    var largest = values.reduce(function (m, v) { return Math.max(m, Math.abs(v)); }, 0) || 1;
    return values.map(function (v) { return v / largest; });
  }

  function rgb(hex) { return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); }); }

  // Pictures of every unit's output over an n × n grid, as PNG data URLs: maps[l][j] for unit j of layer l.
  function unitMaps(plane, n, thetas, activations, colors) {
    var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d");
    canvas.width = n; canvas.height = n;
    var up = rgb(colors.map_positive), down = rgb(colors.map_negative);
    var outputs = thetas.map(function (theta) { return theta.map(function () { return []; }); });
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        forward(thetas, activations, cell(plane, n, r, c)).forEach(function (a, l) {
          a.forEach(function (v, j) { outputs[l][j].push(v); });
        });
      }
    }
    return outputs.map(function (units, l) {
      return units.map(function (values) {
        var image = ctx.createImageData(n, n);
        centred(values, activations[l]).forEach(function (t, k) {
          var target = t >= 0 ? up : down, s = Math.min(1, Math.abs(t));
          for (var ch = 0; ch < 3; ch++) { image.data[4 * k + ch] = Math.round(255 + (target[ch] - 255) * s); }
          image.data[4 * k + 3] = 255;
        });
        ctx.putImageData(image, 0, 0);
        return canvas.toDataURL("image/png");
      });
    });
  }

  return {forward: forward, classOf: classOf, cell: cell, regions: regions, paint: paint, unitMaps: unitMaps};
})();
