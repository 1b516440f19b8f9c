// The page's scalar engine: microgrboard's Value, topological order, backward and walk, in JavaScript.
//
// It knows no operation of its own. The page first hands it every entry of the table of primitives
// (microgrboard/primitives.py) with `Engine.define(entry, rule)`, where `rule` is the entry's `js`
// twin: the same floats as the Python rule, operation for operation. The gates, the derived
// operations (−x = x·(−1), x − y = x + (−y), x / y = x·(1/y), x / c the gate ÷c), the iterative
// topological order and the backward loop follow microgrboard/value.py and backprop.py line by line,
// so every sum runs in the same order as in Python and the page's numbers are Python's.
var Engine = (function () {
  "use strict";
  var TABLE = {};  // name → {name, arity, parameter, method, local_text, written, gate, rule}

  // A node: its data and gradient, the primitive that made it (null for a leaf), and at most two
  // arguments a, b with the local derivative of each (da, db); a number argument (a constant folded
  // into the gate, or pow's n and div's c) has no local derivative (null). `mark` serves the walks.
  function Node(data, label, prim, a, da, b, db) {
    this.data = data;
    this.grad = 0;
    this.label = label;
    this.prim = prim;
    this.a = a;
    this.da = da;
    this.b = b;
    this.db = db;
    this.mark = 0;
  }

  function isValue(x) { return x instanceof Node; }

  function text(x) { return isValue(x) ? "Value(" + x.data + ")" : String(x); }

  function number(x, op, operands) {
    if (typeof x !== "number" || !isFinite(x)) {
      throw new Error(op + "(" + operands.map(text).join(", ") + "): got " + String(x) +
                      "; microgrboard refuses NaN, infinity and non-numbers so that they cannot spread silently");
    }
    return x;
  }

  function Value(data, label) {
    return new Node(number(data, "Value", [data]), label || "", null, null, null, null, null);
  }

  // A result (or a local derivative) that is not finite: the rule's math is undefined there, or overflows.
  function refuse(prim, inputs, result) {
    throw new Error(prim.name + "(" + inputs.join(", ") + ") has no finite value (" + result.join(", ") +
                    "): " + (result[0] !== result[0] ? "it is undefined there" : "it overflows") +
                    "; if training diverged, lower the learning rate and press Reset");
  }

  function finite(r) {
    for (var i = 0; i < r.length; i++) { if (r[i] - r[i] !== 0) { return false; } }
    return true;
  }

  // The gate of a two-input primitive: either input (not both) may be a plain number, a constant.
  function binaryGate(prim) {
    var rule = prim.rule;
    return function (a, b) {
      var av = a instanceof Node, bv = b instanceof Node;
      var x = av ? a.data : number(a, prim.name, [a, b]), y = bv ? b.data : number(b, prim.name, [a, b]);
      var r = rule(x, y);
      if (!finite(r)) { refuse(prim, [x, y], r); }
      return new Node(r[0], "", prim, av ? a : x, av ? r[1] : null, bv ? b : y, bv ? r[2] : null);
    };
  }

  // The gate of a one-input primitive; pow and div take their number as `param`.
  function unaryGate(prim) {
    var rule = prim.rule;
    return function (x, param) {
      var r = param === undefined || param === null ? rule(x.data) : rule(x.data, number(param, prim.name, [x, param]));
      if (!finite(r)) { refuse(prim, param === undefined || param === null ? [x.data] : [x.data, param], r); }
      return new Node(r[0], "", prim, x, r[1], param === undefined ? null : param, null);
    };
  }

  // Add one entry of the table; a one-input primitive with a method becomes a method of every Value.
  function define(entry, rule) {
    var prim = {name: entry.name, arity: entry.arity, parameter: entry.parameter, method: entry.method,
                local_text: entry.local_text, written: entry.written, gate: entry.gate, rule: rule};
    prim.apply = prim.arity === 2 ? binaryGate(prim) : unaryGate(prim);
    TABLE[prim.name] = prim;
    if (prim.method) {
      Node.prototype[prim.method] = function () { return prim.apply(this); };
    }
    return prim;
  }

  function gate(name) {
    var prim = TABLE[name];
    if (!prim) { throw new Error("the page's table has no primitive " + name + " (it has no JavaScript twin)"); }
    return prim.apply;
  }

  // --- the operations of value.py: the gates, and those derived from them -----------------------

  function add(a, b) { return gate("add")(a, b); }
  function mul(a, b) { return gate("mul")(a, b); }
  function neg(x) { return gate("mul")(x, -1); }  // −x is the gate ×(−1)
  function sub(a, b) {
    if (!isValue(a)) { return add(a, neg(b)); }  // c − x = c + (−x)
    return isValue(b) ? add(a, neg(b)) : add(a, -number(b, "sub", [a, b]));  // x − c is the gate +(−c)
  }
  function div(a, b) {
    if (!isValue(a)) {  // c / x: the gate 1/x, times c unless c is 1
      var c = number(a, "div", [a, b]), inverse = gate("reciprocal")(b);
      return c === 1 ? inverse : mul(c, inverse);
    }
    return isValue(b) ? mul(a, gate("reciprocal")(b)) : gate("div")(a, number(b, "div", [a, b]));
  }
  function pow(a, b) {
    if (!isValue(a) || isValue(b)) { return gate("pow_var")(a, b); }
    return gate("pow")(a, number(b, "pow", [a, b]));
  }

  Node.prototype.add = function (o) { return add(this, o); };
  Node.prototype.mul = function (o) { return mul(this, o); };
  Node.prototype.sub = function (o) { return sub(this, o); };
  Node.prototype.div = function (o) { return div(this, o); };
  Node.prototype.pow = function (o) { return pow(this, o); };
  Node.prototype.neg = function () { return neg(this); };

  // --- backprop.py: the topological order, backward, and the walk that only looks ---------------

  var INPUTS_DONE = {};  // on the stack above a node: everything above it is that node's inputs
  var stamp = 0;

  // Every node root depends on, each after all its inputs, root last: the iterative depth-first
  // search of backprop._walk, visiting inputs in argument order (b pushed before a, so a comes first).
  function walkOrder(root, resetInteriorGrads) {
    var order = [], stack = [root], seen = ++stamp, node;
    while (stack.length) {
      node = stack.pop();
      if (node === INPUTS_DONE) {
        node = stack.pop();
        order.push(node);
        if (resetInteriorGrads && node.prim !== null) { node.grad = 0; }
        continue;
      }
      if (node.mark === seen) { continue; }
      node.mark = seen;
      stack.push(node, INPUTS_DONE);
      if (node.db !== null && node.b.mark !== seen) { stack.push(node.b); }
      if (node.da !== null && node.a.mark !== seen) { stack.push(node.a); }
    }
    return order;
  }

  function topologicalOrder(root) { return walkOrder(root, false); }

  // parent.grad += local × node.grad along every edge, from the root back (leaves accumulate).
  function backward(root) {
    var order = walkOrder(root, true), node;
    root.grad += 1;
    for (var i = order.length - 1; i >= 0; i--) {
      node = order[i];
      if (node.da !== null) { node.a.grad += node.da * node.grad; }
      if (node.db !== null) { node.b.grad += node.db * node.grad; }
    }
  }

  // The node's edges in argument order: [parent, local, argument index].
  function edges(node) {
    var out = [];
    if (node.da !== null) { out.push([node.a, node.da, 0]); }
    if (node.db !== null) { out.push([node.b, node.db, 1]); }
    return out;
  }

  function nodeNames(order) {
    return order.map(function (node, i) { return node.label || (node.prim ? node.prim.name : "leaf") + i; });
  }

  // Backprop from root, from zero gradients, on the side (no .grad changes): the topological order,
  // the names, and one step per edge with local, upstream, contribution and the parent's gradient so far.
  function walk(root) {
    var order = topologicalOrder(root), index = new Map(), grads = new Float64Array(order.length);
    order.forEach(function (node, i) { index.set(node, i); });
    grads[order.length - 1] = 1;
    var steps = [], names = nodeNames(order);
    for (var i = order.length - 1; i >= 0; i--) {
      var upstream = grads[i];
      edges(order[i]).forEach(function (edge) {
        var p = index.get(edge[0]), contribution = edge[1] * upstream;
        grads[p] = grads[p] + contribution;
        steps.push({index: steps.length + 1, node: i, parent: p, argument: edge[2], local: edge[1],
                    upstream: upstream, contribution: contribution, parent_grad: grads[p]});
      });
    }
    return {order: order, index: index, names: names, steps: steps, grads: Array.prototype.slice.call(grads)};
  }

  // --- how the table writes things: numbers as Python's format(x, ".Ng"), local rules, gates ------

  // format(x, ".<digits>g") as Python writes it: shortest of fixed or exponent form, no trailing zeros.
  // Rounded as Python rounds: a number exactly halfway goes to the even digit (JavaScript's
  // toExponential would round it up), found from its exact decimal expansion.
  function formatG(x, digits) {
    if (x === 0) { return "0"; }  // −0 too, as number_text writes it
    if (!isFinite(x)) { return x !== x ? "nan" : (x > 0 ? "inf" : "-inf"); }
    var sign = x < 0 ? "-" : "", a = Math.abs(x), near = a.toExponential(digits - 1), exact = a.toExponential(99);
    var mantissa = near.slice(0, near.indexOf("e")).replace(".", ""), e = Number(near.slice(near.indexOf("e") + 1));
    var all = exact.slice(0, exact.indexOf("e")).replace(".", "");
    if (all.charAt(digits) === "5" && /^0*$/.test(all.slice(digits + 1)) && Number(all.charAt(digits - 1)) % 2 === 0) {
      mantissa = all.slice(0, digits);  // a tie, and the last kept digit is even: round down
      e = Number(exact.slice(exact.indexOf("e") + 1));
    }
    var strip = function (t) { return t.indexOf(".") < 0 ? t : t.replace(/0+$/, "").replace(/\.$/, ""); };
    if (e < -4 || e >= digits) {
      return sign + strip(mantissa.charAt(0) + "." + mantissa.slice(1)) + "e" + (e < 0 ? "-" : "+") +
        (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    }
    var fixed = e >= 0 ? mantissa.slice(0, e + 1) + "." + mantissa.slice(e + 1)
                       : "0." + new Array(-e).join("0") + mantissa;
    return sign + strip(fixed);
  }

  // The node's arguments as the public view lists them: kind parent, constant or parameter.
  function argumentsOf(node) {
    if (node.prim === null) { return []; }
    var args = [{index: 0, kind: node.da !== null ? "parent" : "constant", value: node.a}];
    if (node.b !== null) {
      args.push({index: 1, kind: node.db !== null ? "parent" : node.prim.parameter ? "parameter" : "constant",
                 value: node.b});
    }
    return args;
  }

  // The primitive's local-derivative formula for one argument, in the graph's names (backprop.local_rule):
  // the table's template with {x}, {y} and the parameter's {n} or {c} filled in.
  function localRule(node, argument, nameOf) {
    var text = node.prim.local_text[argument];
    argumentsOf(node).forEach(function (arg) {
      var t = arg.kind === "parent" ? nameOf(arg.value) : formatG(arg.value, 6);
      text = text.split("{" + "xy"[arg.index] + "}").join(t);
      if (arg.kind === "parameter") { text = text.split("{" + node.prim.parameter + "}").join(t); }
    });
    return text;
  }

  // One gate written over its arguments (formula.gate_expression): by name, or by value. The table
  // gives each primitive's template for atoms ("a") and negative numbers ("n") in each place.
  // A folded negative number may be written by its writer's own shape ("k"; "m" for −1: x − 3, −x)
  // with its absolute value, and otherwise (no such entry) as the plain negative number ("n").
  function gateExpression(node, nameOf) {
    var shapes = "", plain = "", fill = [], signed = [];
    argumentsOf(node).forEach(function (arg) {
      var text, shape;
      if (arg.kind !== "parent") {  // a folded number, as a formula writes it
        shape = arg.value < 0 ? (arg.value === -1 ? "m" : "k") : "a";
        text = formatG(arg.value, 6);
        fill.push(arg.value < 0 ? formatG(-arg.value, 6) : text);
      } else if (nameOf) {
        shape = "a";
        text = nameOf(arg.value);
        fill.push(text);
      } else {
        shape = arg.value.data < 0 ? "n" : "a";
        text = formatG(arg.value.data, 4);
        fill.push(text);
      }
      shapes += shape;
      plain += shape === "k" || shape === "m" ? "n" : shape;
      signed.push(text);
    });
    var written = node.prim.written, form = written[shapes];
    if (form === undefined) { form = written[plain]; fill = signed; }
    return form.replace(/\{(\d)\}/g, function (_, i) { return fill[Number(i)]; });
  }

  // The gate's text on a diagram, any folded number written in: "+", "+1", "×−1", "÷2", "σ".
  function gateSymbol(node) {
    var folded = argumentsOf(node).filter(function (arg) { return arg.kind !== "parent"; });
    if (!folded.length) { return node.prim.gate.plain; }
    var c = folded[0].value, form = c >= 0 ? node.prim.gate.positive : node.prim.gate.negative;
    return form.replace("{c}", formatG(c, 6).replace(/-/g, "−"));
  }

  // One backprop step in one line, worded as Step.caption words it in Python.
  function caption(walk, step) {
    var node = walk.order[step.node], nameOf = function (n) { return walk.names[walk.index.get(n)]; };
    var parent = walk.names[step.parent], g = function (x) { return formatG(x, 4); };
    return "step " + step.index + ": ∂" + walk.names[step.node] + "/∂" + parent + " = " +
      localRule(node, step.argument, nameOf) + " = " + g(step.local) + ";  local × upstream = " + g(step.local) +
      " × " + g(step.upstream) + " = " + g(step.contribution) + ";  " + parent + ".grad = " + g(step.parent_grad);
  }

  return {
    Value: Value, isValue: isValue, define: define, table: TABLE, add: add, mul: mul, neg: neg, sub: sub,
    div: div, pow: pow, backward: backward, topologicalOrder: topologicalOrder, walk: walk, edges: edges,
    nodeNames: nodeNames, formatG: formatG, argumentsOf: argumentsOf, localRule: localRule,
    gateExpression: gateExpression, gateSymbol: gateSymbol, caption: caption
  };
})();
