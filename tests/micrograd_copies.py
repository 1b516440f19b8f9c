"""Copies of karpathy's micrograd (the installed package's own source), right and with the classic bugs.

Each copy is micrograd's engine as published, plus the lecture's `tanh` and `exp` gates, with one bug
written in by a text replacement a learner could have made: `=` instead of `+=`, a missing upstream
factor in `*`, tanh's derivative from its input, and backward by recursion instead of in topological
order. The tests build the same expression in a copy and in microgrboard and compare the gradients.
"""

import inspect
import re
import types

import micrograd.engine

LECTURE_GATES = '''
    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward

        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward

        return out
'''

RECURSIVE_BACKWARD = '''    def backward(self):
        self.grad = 1
        def rec(v):
            v._backward()
            for child in v._prev:
                rec(child)
        rec(self)

'''


def _source() -> str:
    source = inspect.getsource(micrograd.engine)
    return "import math\n" + source.replace("    def backward(self):", LECTURE_GATES + "\n    def backward(self):", 1)


def _bugs(source: str) -> dict:
    overwrite = source.replace("self.grad += ", "self.grad = ").replace("other.grad += ", "other.grad = ")
    no_upstream = source.replace("self.grad += other.data * out.grad", "self.grad += other.data") \
                        .replace("other.grad += self.data * out.grad", "other.grad += self.data")
    tanh_input = source.replace("(1 - t**2) * out.grad", "(1 - self.data**2) * out.grad")
    naive = re.sub(r"    def backward\(self\):.*?(?=    def __neg__)", RECURSIVE_BACKWARD, source, flags=re.S)
    copies = {"overwrite": overwrite, "no-upstream": no_upstream, "input-for-output": tanh_input,
              "naive-order": naive}
    for name, text in copies.items():
        assert text != source, f"the {name} bug was not written in: micrograd's source has changed"
    return copies


def copies() -> dict:
    """{"right": micrograd's Value, "overwrite": …, …}: each copy's Value class."""
    source = _source()
    found = {}
    for name, text in {"right": source, **_bugs(source)}.items():
        module = types.ModuleType(f"micrograd_{name.replace('-', '_')}")
        exec(compile(text, f"<micrograd copy: {name}>", "exec"), module.__dict__)  # our own copy of a known source
        found[name] = module.Value
    return found


def expression(V):
    """A small expression with fan-out (e and a are used twice) and a tanh, in either engine."""
    a, b, c = V(0.5), V(-0.4), V(0.3)
    e = a * b
    d = e + c
    return (d * e + a).tanh() * 2


def readme_example(Value):
    """micrograd's README example (its test_engine.py test_more_ops), for any Value class; returns a, b, g."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return a, b, g
