// Line charts drawn into an <svg>: curves over the steps of a run, a linear or log y axis on the
// left (and a 0–100 % axis on the right for shares such as accuracy), and a marker at one step.
// Each curve gets a class ("series " + its own), so the page's CSS gives it its colour.
var LineChart = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function fmt(v) {
    if (v === 0) { return "0"; }
    var a = Math.abs(v);
    return a >= 1e4 || a < 1e-2 ? v.toExponential(0).replace("e+", "e") : Number(v.toPrecision(2)).toString();
  }

  // options: width, height, xMax, series [{xs, values, cls, right, id}], log (left axis), leftLabel,
  // fixed ([lo, hi] for the left axis), percent (left ticks as %), zero (the left axis starts at 0).
  function LineChart(svg, options) {
    this.svg = svg;
    this.o = options;
    this.log = !!options.log;
    this.box = {left: 52, right: options.series.some(function (s) { return s.right; }) ? 44 : 12,
                top: 20, bottom: 26};
    this.draw();
  }

  LineChart.prototype.x = function (step) {
    var b = this.box, inner = this.o.width - b.left - b.right;
    return b.left + inner * (this.o.xMax ? step / this.o.xMax : 0.5);
  };

  LineChart.prototype.range = function () {
    if (this.o.fixed) { return this.o.fixed; }
    var lo = Infinity, hi = -Infinity, log = this.log;
    this.o.series.forEach(function (s) {
      if (s.right) { return; }
      s.values.forEach(function (v) {
        if (log && !(v > 0)) { return; }
        lo = Math.min(lo, v); hi = Math.max(hi, v);
      });
    });
    if (!isFinite(lo)) { lo = log ? 1e-3 : 0; hi = 1; }
    if (this.o.zero && !log) { lo = Math.min(lo, 0); }
    if (hi === lo) { hi = log ? lo * 10 : lo + 1; }
    return [lo, hi];
  };

  LineChart.prototype.y = function (v, right) {
    var b = this.box, inner = this.o.height - b.top - b.bottom, t;
    if (right) {
      t = v;
    } else if (this.log) {
      t = (Math.log(Math.max(v, this.lo)) - Math.log(this.lo)) / (Math.log(this.hi) - Math.log(this.lo));
    } else {
      t = (v - this.lo) / (this.hi - this.lo);
    }
    return b.top + inner * (1 - t);
  };

  LineChart.prototype.ticks = function () {
    if (!this.log) { return [this.lo, (this.lo + this.hi) / 2, this.hi]; }
    var ticks = [], p = Math.ceil(Math.log10(this.lo) - 1e-9), top = Math.floor(Math.log10(this.hi) + 1e-9);
    for (; p <= top; p++) { ticks.push(Math.pow(10, p)); }
    if (ticks.length < 2) { ticks = [this.lo, this.hi]; }
    return ticks;
  };

  LineChart.prototype.draw = function () {
    var self = this, o = this.o, b = this.box, svg = this.svg;
    var range = this.range();
    this.lo = range[0]; this.hi = range[1];
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute("viewBox", "0 0 " + o.width + " " + o.height);
    svg.setAttribute("width", o.width); svg.setAttribute("height", o.height);
    el("rect", {x: b.left, y: b.top, width: o.width - b.left - b.right, height: o.height - b.top - b.bottom,
                "class": "frame"}, svg);
    this.ticks().forEach(function (v) {
      var y = self.y(v);
      el("line", {x1: b.left - 4, x2: b.left, y1: y, y2: y, "class": "tick"}, svg);
      el("text", {x: b.left - 6, y: y + 4, "text-anchor": "end", "class": "tick-label"}, svg).textContent =
        o.percent ? Math.round(100 * v) + "%" : fmt(v);
    });
    if (o.series.some(function (s) { return s.right; })) {
      [0, 0.5, 1].forEach(function (v) {
        el("text", {x: o.width - b.right + 6, y: self.y(v, true) + 4, "class": "tick-label right"}, svg)
          .textContent = Math.round(100 * v) + "%";
      });
    }
    el("text", {x: b.left, y: o.height - 6, "class": "tick-label"}, svg).textContent = "step 0";
    el("text", {x: o.width - b.right, y: o.height - 6, "text-anchor": "end", "class": "tick-label"}, svg)
      .textContent = "step " + o.xMax;
    if (o.leftLabel) {
      el("text", {x: b.left, y: 12, "class": "axis-label"}, svg).textContent =
        o.leftLabel + (this.log ? " (log scale)" : "");
    }
    o.series.forEach(function (s) {
      var points = [];
      s.values.forEach(function (v, i) {
        if (self.log && !s.right && !(v > 0)) { return; }
        points.push(self.x(s.xs ? s.xs[i] : i).toFixed(1) + "," + self.y(v, s.right).toFixed(1));
      });
      var line = el("polyline", {points: points.join(" "), "class": "series " + s.cls}, svg);
      if (s.id) { line.setAttribute("id", s.id); }
    });
    this.marker = el("line", {y1: b.top, y2: o.height - b.bottom, "class": "marker"}, svg);
    if (this.at !== undefined) { this.mark(this.at); }
  };

  LineChart.prototype.setLog = function (log) { this.log = log; this.draw(); };

  LineChart.prototype.mark = function (step) {
    this.at = step;
    var x = this.x(step).toFixed(1);
    this.marker.setAttribute("x1", x); this.marker.setAttribute("x2", x);
  };

  LineChart.el = el;  // an SVG element with attributes, for the pages that draw their own
  return LineChart;
})();
