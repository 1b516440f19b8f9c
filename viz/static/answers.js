// A learner's answer read as a number, by a small safe parser (never eval): the twin, rule for rule, of
// microgrboard/inspection/answers.py (tests/test_answers.py holds the two to the same results).
//   expression := term (("+" | "-") term)*
//   term       := unary (("*" | "×" | "·" | "/" | "÷") unary)*
//   unary      := ("+" | "-") unary | power
//   power      := atom (("^" | "**") unary)?        right-associative; -2^2 = -(2^2)
//   atom       := number | e | π | pi | function "(" expression ")" | "(" expression ")"
//   function   := exp | log | ln | σ | sigmoid | tanh
// At most MAX_LENGTH characters and MAX_DEPTH levels deep, one pass, and every result a finite number,
// so no input can hang the page. readAnswer(text) returns {value} or {error: the reason, in words}.
var Answers = (function () {
  "use strict";
  var MAX_LENGTH = 200, MAX_DEPTH = 20, SPACES = " \t\r\n";
  var WHAT_WORKS = "write a number or an expression: numbers, + − × ÷ ^, ( ), e, π, and exp, log, σ, tanh";
  var TOKEN = /(?:([0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)|([A-Za-z_σπ]+)|(\*\*|[-+*/^()×·÷−])/y;
  var OPERATORS = {"−": "-", "×": "*", "·": "*", "÷": "/", "**": "^"};
  var CONSTANTS = {e: Math.E, pi: Math.PI, "π": Math.PI};
  var FUNCTIONS = {exp: "exp", log: "log", ln: "log", "σ": "sigmoid", sigmoid: "sigmoid", tanh: "tanh"};

  function AnswerError(message) { this.message = message; }

  function show(text) { return JSON.stringify(text); }
  function g(x) { return String(Number(x.toPrecision(6))); }

  function tokens(text) {
    var found = [], at = 0, match;
    for (;;) {
      while (at < text.length && SPACES.indexOf(text[at]) >= 0) { at += 1; }
      if (at === text.length) { found.push(["end", ""]); return found; }
      TOKEN.lastIndex = at;
      match = TOKEN.exec(text);
      if (match === null) {
        throw new AnswerError("cannot read " + show(text) + ": " + show(text[at]) +
                              " is not part of a number or an expression; " + WHAT_WORKS);
      }
      if (match[2] !== undefined) { found.push(["name", match[2]]); }
      else if (match[3] !== undefined) { found.push(["op", OPERATORS[match[3]] || match[3]]); }
      else { found.push(["number", match[0]]); }
      at = TOKEN.lastIndex;
    }
  }

  function finite(x, what) {
    if (isFinite(x)) { return x; }
    throw new AnswerError(what + " is too large to be an answer (beyond ±1.8e308)");
  }

  function apply(fn, x) {
    if (fn === "exp") {
      if (x > 709.78) { throw new AnswerError("exp(" + g(x) + ") is too large to be an answer"); }
      return Math.exp(x);
    }
    if (fn === "log") {
      if (x <= 0) { throw new AnswerError("log(" + g(x) + ") is undefined: log needs a number > 0"); }
      return Math.log(x);
    }
    if (fn === "tanh") { return Math.tanh(x); }
    if (x >= 0) { return 1 / (1 + Math.exp(-x)); }  // σ, written so exp never sees a large positive number
    var e = Math.exp(x);
    return e / (1 + e);
  }

  function power(base, exponent) {
    if (base === 0 && exponent < 0) { throw new AnswerError("0^" + g(exponent) + " divides by zero"); }
    if (base < 0 && !Number.isInteger(exponent)) {
      throw new AnswerError("(" + g(base) + ")^" + g(exponent) +
                            ": a negative number to a fractional power has no real value");
    }
    return finite(Math.pow(base, exponent), g(base) + "^" + g(exponent));
  }

  function parse(text) {
    var list = tokens(text), at = 0, depth = 0;
    function peek(kind, word) { return list[at][0] === kind && list[at][1] === word; }
    function fail(why) { return new AnswerError("cannot read " + show(text) + ": " + why + "; " + WHAT_WORKS); }
    function deeper() {
      depth += 1;
      if (depth > MAX_DEPTH) {
        throw new AnswerError("cannot read " + show(text.slice(0, 40)) + "…: more than " + MAX_DEPTH +
                              " levels of parentheses, functions or signs");
      }
    }
    function expression() {
      var value = term();
      while (peek("op", "+") || peek("op", "-")) {
        var op = list[at++][1], right = term();
        value = finite(op === "+" ? value + right : value - right, "the sum");
      }
      return value;
    }
    function term() {
      var value = unary();
      while (peek("op", "*") || peek("op", "/")) {
        var op = list[at++][1], right = unary();
        if (op === "/" && right === 0) { throw new AnswerError("cannot read " + show(text) + ": it divides by zero"); }
        value = finite(op === "*" ? value * right : value / right, "the product");
      }
      return value;
    }
    function unary() {
      if (peek("op", "+") || peek("op", "-")) {
        var op = list[at++][1];
        deeper();
        var value = unary();
        depth -= 1;
        return op === "-" ? -value : value;
      }
      return pow();
    }
    function pow() {
      var base = atom();
      if (peek("op", "^")) {
        at += 1;
        deeper();
        var exponent = unary();
        depth -= 1;
        return power(base, exponent);
      }
      return base;
    }
    function atom() {
      var token = list[at++], kind = token[0], word = token[1];
      if (kind === "number") { return finite(Number(word), word); }
      if (kind === "name" && Object.prototype.hasOwnProperty.call(CONSTANTS, word)) { return CONSTANTS[word]; }
      if (kind === "name" && Object.prototype.hasOwnProperty.call(FUNCTIONS, word)) {
        if (!peek("op", "(")) { throw fail(word + " needs its argument in parentheses, e.g. " + word + "(-1)"); }
        at += 1;
        return apply(FUNCTIONS[word], inner());
      }
      if (kind === "op" && word === "(") { return inner(); }
      if (kind === "name") { throw fail(show(word) + " is not a number, a constant or a function I know"); }
      if (kind === "end") { throw fail("it ends where a number should come"); }
      throw fail(show(word) + " comes where a number should");
    }
    function inner() {
      deeper();
      var value = expression();
      depth -= 1;
      var token = list[at++];
      if (!(token[0] === "op" && token[1] === ")")) { throw fail("a parenthesis is not closed"); }
      return value;
    }
    var value = expression();
    if (list[at][0] !== "end") { throw fail(show(list[at][1]) + " comes after a complete answer (a missing operator?)"); }
    return value === 0 ? 0 : value;  // −0 reads as 0
  }

  function readAnswer(text) {
    if (typeof text !== "string") { return {error: "an answer is a text"}; }
    if (text.length > MAX_LENGTH) {
      return {error: "an answer of " + text.length + " characters is too long (at most " + MAX_LENGTH + ")"};
    }
    if (text.trim() === "") { return {error: "the answer is empty: " + WHAT_WORKS}; }
    try {
      return {value: parse(text)};
    } catch (err) {
      if (err instanceof AnswerError) { return {error: err.message}; }
      throw err;
    }
  }

  return {readAnswer: readAnswer, MAX_LENGTH: MAX_LENGTH};
})();
