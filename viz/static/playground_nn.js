// Networks on the page's scalar engine (engine.js), built as microgrboard.nn builds them, so that a
// training step here computes the very floats a step of `nn.train` computes in Python:
// a neuron is g(b + w1·x1 + … + wn·xn) summed in that order (nn/module.py); the losses, their
// 1/m and the weight penalty are nn/losses.py's, gate for gate; SGD is nn/optim.py's
// v := μ·v + ∂J/∂Θ, Θ := Θ − α·v. The gradient-flow numbers follow nn/report.py on the step's batch.
// Only the random numbers are the page's own (a seeded generator: numpy's cannot run here), drawn
// from the distributions of nn/init.py and nn/starts.py.
var Net = (function () {
  "use strict";
  var E = Engine;

  // mulberry32: a small seeded generator of uniform numbers in [0, 1).
  function Random(seed) { this.state = seed >>> 0; }
  Random.prototype.next = function () {
    var t = (this.state = (this.state + 0x6D2B79F5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  Random.prototype.uniform = function (lo, hi) { return lo + (hi - lo) * this.next(); };
  Random.prototype.normal = function () {  // Box–Muller: √(−2 ln u)·cos(2πv) is N(0, 1)
    var u = 1 - this.next(), v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  Random.prototype.permutation = function (m) {  // Fisher–Yates
    var order = [], i, j, t;
    for (i = 0; i < m; i++) { order.push(i); }
    for (i = m - 1; i > 0; i--) {
      j = Math.floor(this.next() * (i + 1));
      t = order[i]; order[i] = order[j]; order[j] = t;
    }
    return order;
  };

  // One starting weight of a layer with nIn inputs and nOut units (nn/init.py, nn/starts.py).
  var INITS = {
    uniform: function (rng, nIn, nOut, epsilon) { return rng.uniform(-epsilon, epsilon); },  // U[−ε, ε]
    normal: function (rng) { return rng.normal() * 0.01; },  // randn·0.01
    zeros: function () { return 0; },
    xavier: function (rng, nIn, nOut) {  // U[±√(6/(n_in + n_out))]
      var limit = Math.sqrt(6 / (nIn + nOut));
      return rng.uniform(-limit, limit);
    },
    he: function (rng, nIn) { return rng.normal() * Math.sqrt(2 / nIn); },  // randn·√(2/n_in)
    "randn·1": function (rng) { return rng.normal(); },
    "randn·10": function (rng) { return rng.normal() * 10; }
  };

  // Θ⁽ˡ⁾ for layer sizes [n0, n1, …]: rows [b, w1, …], biases 0, weights drawn layer by layer.
  function initialThetas(init, sizes, seed, epsilon) {
    var rule = INITS[init], rng = new Random(seed), thetas = [];
    if (!rule) { throw new Error("unknown initialization " + init); }
    for (var l = 1; l < sizes.length; l++) {
      var theta = [];
      for (var j = 0; j < sizes[l]; j++) {
        var row = [0];
        for (var i = 0; i < sizes[l - 1]; i++) { row.push(rule(rng, sizes[l - 1], sizes[l], epsilon)); }
        theta.push(row);
      }
      thetas.push(theta);
    }
    return thetas;
  }

  // An MLP from Θ matrices; parameters are leaves labelled as in Python: layer1.neuron3.w2, layer1.neuron3.b.
  function MLP(thetas, activation, outputActivation) {
    var last = thetas.length - 1;
    this.activations = thetas.map(function (_, l) { return l === last ? outputActivation : activation; });
    this.layers = thetas.map(function (theta, l) {
      return theta.map(function (row, j) {
        var name = "layer" + (l + 1) + ".neuron" + (j + 1);
        return {name: name, b: E.Value(row[0], name + ".b"),
                w: row.slice(1).map(function (w, i) { return E.Value(w, name + ".w" + (i + 1)); })};
      });
    });
  }

  // Forward propagation for one example; `own(l, j, node)`, if given, hears of every node neuron j of
  // layer l makes, and `record(l, j, z, out)` of its z and its output.
  MLP.prototype.call = function (x, record, own) {
    var a = x, activations = this.activations;
    this.layers.forEach(function (neurons, l) {
      var g = activations[l], next = [];
      neurons.forEach(function (n, j) {
        var z = n.b, w = n.w, product;
        for (var i = 0; i < w.length; i++) {
          product = w[i].mul(a[i]);
          z = z.add(product);
          if (own) { own(l, j, product); own(l, j, z); }
        }
        var out = g === "linear" ? z : z[g]();
        out.label = n.name;
        if (own && out !== z) { own(l, j, out); }
        if (record) { record(l, j, z, out); }
        next.push(out);
      });
      a = next;
    });
    return a;
  };

  MLP.prototype.parameters = function () {  // layer by layer, neuron by neuron, weights then bias
    var ps = [];
    this.layers.forEach(function (neurons) {
      neurons.forEach(function (n) { ps.push.apply(ps, n.w); ps.push(n.b); });
    });
    return ps;
  };

  MLP.prototype.weights = function () {  // what the penalty sees: no bias
    var ws = [];
    this.layers.forEach(function (neurons) { neurons.forEach(function (n) { ws.push.apply(ws, n.w); }); });
    return ws;
  };

  MLP.prototype.thetas = function () {
    return this.layers.map(function (neurons) {
      return neurons.map(function (n) { return [n.b.data].concat(n.w.map(function (w) { return w.data; })); });
    });
  };

  // --- nn/losses.py ----------------------------------------------------------------------------

  function total(values) {  // v1 + v2 + … as a chain of add gates
    if (!values.length) { return E.Value(0); }
    var result = values[0];
    for (var i = 1; i < values.length; i++) { result = result.add(values[i]); }
    return result;
  }

  // y·log h + (1 − y)·log(1 − h), from z when h = σ(z): log σ(z) = −softplus(−z), log(1 − σ(z)) = −softplus(z).
  function logLikelihood(h, y) {
    var logH, log1mH;
    if (h.prim === E.table.sigmoid) {
      var z = h.a;
      logH = function () { return z.neg().softplus().neg(); };
      log1mH = function () { return z.softplus().neg(); };
    } else {
      logH = function () { return h.log(); };
      log1mH = function () { return E.sub(1, h).log(); };
    }
    if (y === 1) { return logH(); }
    if (y === 0) { return log1mH(); }
    return logH().mul(y).add(log1mH().mul(1 - y));
  }

  function eachTerm(outputs, targets, term) {
    var terms = [];
    outputs.forEach(function (hs, i) { hs.forEach(function (h, k) { terms.push(term(h, targets[i][k])); }); });
    return terms;
  }

  var LOSSES = {
    // −(1/m) Σᵢ Σₖ [yₖ log hₖ + (1 − yₖ) log(1 − hₖ)]
    cross_entropy: function (outputs, targets) {
      return total(eachTerm(outputs, targets, logLikelihood)).mul(-1 / outputs.length);
    },
    // −(1/m) Σᵢ log softmax(zᵢ)[yᵢ], with the constant shift c = max z
    softmax_cross_entropy: function (logits, targets) {
      var terms = [];
      logits.forEach(function (zs, i) {
        var shift = Math.max.apply(null, zs.map(function (z) { return z.data; }));
        var logSum = total(zs.map(function (z) { return z.sub(shift).exp(); })).log().add(shift);
        zs.forEach(function (z, k) {
          var y = targets[i][k];
          if (y) { terms.push(z.sub(logSum).mul(y)); }
        });
      });
      return total(terms).mul(-1 / logits.length);
    },
    // (1/m) Σᵢ ½‖h − y‖²
    squared_error: function (outputs, targets) {
      return total(eachTerm(outputs, targets, function (h, y) { return h.sub(y).pow(2); })).mul(0.5 / outputs.length);
    },
    // (1/m) Σᵢ max(0, 1 − yᵢ·hᵢ), y = ±1
    hinge: function (outputs, targets) {
      return total(eachTerm(outputs, targets, function (h, y) { return E.sub(1, h.mul(y)).relu(); }))
        .mul(1 / outputs.length);
    }
  };

  // (λ/2m)·ΣΘ² over the weights (no bias), or (λ/2)·ΣW² when m is null.
  function regularization(model, lam, m) {
    var scale = m === null ? lam / 2 : lam / (2 * m);
    return total(model.weights().map(function (w) { return w.mul(w); })).mul(scale);
  }

  // J(Θ): the loss's data term, plus the penalty when λ ≠ 0 (divided by m when the loss says so).
  function objective(model, outputs, targets, loss, lam, penaltyPerExample) {
    var data = LOSSES[loss](outputs, targets);
    if (!lam) { return data; }
    return data.add(regularization(model, lam, penaltyPerExample ? outputs.length : null));
  }

  // --- nn/optim.py -----------------------------------------------------------------------------

  function SGD(parameters, lr, momentum) {
    this.parameters = parameters;
    this.lr = lr;
    this.momentum = momentum;
    this.velocity = parameters.map(function () { return 0; });
  }

  SGD.prototype.zeroGrad = function () { this.parameters.forEach(function (p) { p.grad = 0; }); };

  // Θ := Θ − α·v for every parameter, or for none: a step that would write NaN or infinity throws.
  SGD.prototype.step = function () {
    var lr = this.lr, mu = this.momentum, ps = this.parameters;
    var velocity = this.velocity.map(function (v, k) { return mu * v + ps[k].grad; });
    var next = ps.map(function (p, k) { return p.data - lr * velocity[k]; });
    next.forEach(function (x, k) {
      if (!isFinite(x)) {
        throw new Error("SGD step: " + ps[k].label + " would become " + x + " (data " + ps[k].data + ", gradient " +
                        ps[k].grad + ", learning rate " + lr + "); the step was not taken: lower the learning rate");
      }
    });
    ps.forEach(function (p, k) { p.data = next[k]; });
    this.velocity = velocity;
  };

  // --- nn/report.py, on one step's batch -------------------------------------------------------

  // How a unit stops learning, from its g′(z) on each example: σ and tanh saturate, relu dies.
  function flatOnMost(slopes, flat) {
    return slopes.filter(function (s) { return s < flat; }).length / slopes.length > 0.5;
  }
  var STUCK = {
    sigmoid: flatOnMost, tanh: flatOnMost,
    relu: function (slopes) { return slopes.every(function (s) { return s === 0; }); },
    linear: function () { return false; }
  };

  function distinctRows(theta, tolerance) {  // units with the same incoming weights are one function
    var largest = 0, kept = [];
    theta.forEach(function (row) { row.forEach(function (v) { largest = Math.max(largest, Math.abs(v)); }); });
    var scale = tolerance * (1 + largest);
    theta.forEach(function (row) {
      var same = kept.some(function (other) {
        return row.every(function (v, i) { return Math.abs(v - other[i]) <= scale; });
      });
      if (!same) { kept.push(row); }
    });
    return kept.length;
  }

  // Collects each unit's z and g′(z) per example during a forward pass, for `report`: per layer, one
  // flat list, example after example (unit j of example k at k·units + j).
  // (A plain object, not `new Recorder`: V8 ran the steps twice as slowly with the constructor.)
  function recorder(model) {
    var z = model.layers.map(function () { return []; }), slopes = model.layers.map(function () { return []; });
    return {z: z, slopes: slopes, record: function (l, j, node, out) {
      z[l].push(node);
      slopes[l].push(out === node ? 1 : out.da);
    }};
  }

  // Per layer, after backward on a batch of m examples: mean |∂J/∂W|, mean |δ| (δ = m·∂J/∂z), the
  // share of saturated (or dead) units, and the distinct units — nn/report.py's numbers for that batch.
  function report(model, recorder, thetas, m, flat) {
    return model.layers.map(function (neurons, l) {
      var sumW = 0, countW = 0, sumDelta = 0, stuck = 0, units = neurons.length, zs = recorder.z[l];
      neurons.forEach(function (n, j) {
        n.w.forEach(function (w) { sumW += Math.abs(w.grad); countW++; });
        var slopes = [];
        for (var k = j; k < zs.length; k += units) { slopes.push(recorder.slopes[l][k]); }
        if (STUCK[model.activations[l]](slopes, flat)) { stuck++; }
      });
      zs.forEach(function (z) { sumDelta += Math.abs(z.grad); });
      return {name: "layer" + (l + 1), activation: model.activations[l], units: units,
              weight_grad: sumW / countW, delta: sumDelta / zs.length * m, saturated: stuck / units,
              distinct: distinctRows(thetas[l], 1e-9)};
    });
  }

  return {
    Random: Random, INITS: INITS, initialThetas: initialThetas, MLP: MLP, LOSSES: LOSSES, total: total,
    regularization: regularization, objective: objective, SGD: SGD, recorder: recorder,
    report: report
  };
})();
