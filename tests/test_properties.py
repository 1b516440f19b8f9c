"""Property tests: random expression graphs with fan-out and diamonds, against mpmath.

Each graph is described by a small recipe (which op on which earlier nodes). The oracle evaluates the
recipe with mpmath at 50 digits and differentiates numerically; it shares no code with the engine.
Also: numpy scalars of every kind enter a graph as exact Python floats.
"""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgrboard import Value, gradcheck, topological_order

mpmath.mp.dps = 50

# op name -> (arity, engine version, mpmath version); all smooth and finite on bounded inputs
OPS = {
    "add": (2, lambda a, b: a + b, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (1 + b * b), lambda a, b: a / (1 + b * b)),
    "pow": (2, lambda a, b: (1 + a * a) ** b.tanh(), lambda a, b: (1 + a * a) ** mpmath.tanh(b)),
    "tanh": (1, lambda a: a.tanh(), mpmath.tanh),
    "sigmoid": (1, lambda a: a.sigmoid(), lambda a: 1 / (1 + mpmath.exp(-a))),
    "exp": (1, lambda a: (a.tanh() * 2).exp(), lambda a: mpmath.exp(2 * mpmath.tanh(a))),
    "log": (1, lambda a: (a * a + 0.5).log(), lambda a: mpmath.log(a * a + mpmath.mpf(0.5))),
    "square": (1, lambda a: a**2, lambda a: a**2),
    "affine": (1, lambda a: 0.5 - 3 * a / 4, lambda a: mpmath.mpf(0.5) - 3 * a / 4),
}


@st.composite
def recipes(draw):
    n_leaves = draw(st.integers(1, 4))
    leaves = draw(st.lists(st.floats(-1.5, 1.5), min_size=n_leaves, max_size=n_leaves))
    steps = []
    for i in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from(sorted(OPS)))
        available = n_leaves + i
        # operands are any earlier nodes: reuse gives fan-out, reuse of two paths gives diamonds
        args = [draw(st.integers(0, available - 1)) for _ in range(OPS[name][0])]
        steps.append((name, args))
    return leaves, steps


def run(recipe_steps, nodes, which):
    nodes = list(nodes)
    for name, args in recipe_steps:
        nodes.append(OPS[name][which](*[nodes[a] for a in args]))
    return nodes[-1]


def oracle_gradient(leaves, steps):
    point = [mpmath.mpf(x) for x in leaves]
    grads = []
    for i in range(len(point)):
        def f(t, i=i):
            p = list(point)
            p[i] = t
            return run(steps, p, 2)
        grads.append(mpmath.diff(f, point[i]))
    return [float(g) for g in grads]


@settings(max_examples=150, deadline=None)
@given(recipes())
def test_backprop_equals_high_precision_numerical_derivative(recipe):
    leaves, steps = recipe
    values = [Value(x) for x in leaves]
    out = run(steps, values, 1)
    out.backward()
    expected = oracle_gradient(leaves, steps)
    assert float(run(steps, [mpmath.mpf(x) for x in leaves], 2)) == pytest.approx(out.data, rel=1e-9, abs=1e-12)
    for value, exact in zip(values, expected):
        assert value.grad == pytest.approx(exact, rel=1e-7, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(recipes())
def test_gradcheck_agrees_and_steps_replay_backward(recipe):
    leaves, steps = recipe
    assert gradcheck(lambda *v: run(steps, v, 1), leaves, tolerance=1e-5).passed
    values = [Value(x) for x in leaves]
    out = run(steps, values, 1)
    walked = list(out.backward_steps())
    grads_after_steps = [v.grad for v in values]
    out.zero_grad()
    out.backward()
    assert grads_after_steps == [v.grad for v in values]
    assert len(walked) == sum(len(n.edges) for n in topological_order(out))


NUMPY_TYPES = [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint16]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NUMPY_TYPES), st.floats(-6e4, 6e4, allow_nan=False, allow_infinity=False))
def test_numpy_scalars_enter_by_every_door_as_exact_python_floats(kind, x):
    number = kind(x) if np.issubdtype(kind, np.floating) else kind(np.clip(round(x), np.iinfo(kind).min,
                                                                           np.iinfo(kind).max))
    exact = float(number)  # a float64 holds every float16/float32/int32 value exactly
    by_constructor, by_data = Value(number), Value(0.0)
    by_data.data = number
    as_operand = Value(1.0) * number
    for v in (by_constructor, by_data, as_operand):
        assert type(v.data) is float and v.data == exact
    # and the gates then compute in float64, whatever the number's own type would have done
    assert (by_data * 3.0 + 1.0).data == exact * 3.0 + 1.0
