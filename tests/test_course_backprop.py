"""nn.course_backprop against the course's formulas, written here in numpy from the slides (not nn.reference),
against the scalar graph itself, and against finite differences; the course's gradient check."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgrboard import walk
from microgrboard.nn import (
    MLP,
    CourseIndexError,
    CourseMismatchError,
    check_nn_gradients,
    cost,
    course_backprop,
    debug_network,
    unrolled_ranges,
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# g and g′ as functions of z, as the slides write them: g′(z) = g(z)(1 − g(z)) for the sigmoid
G = {"sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
     "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
     "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
     "linear": (lambda z: z, lambda z: np.ones_like(z))}


def slides(thetas, X, Y, hidden, output, loss, lam):
    """Algorithm 1 of the slides, example by example: every a, z, δ and Δ (after each example), D and J."""
    m, L = len(X), len(thetas) + 1
    Delta = [np.zeros_like(t) for t in thetas]
    examples, J = [], 0.0
    for x, y in zip(X, Y):
        a, z = {1: np.concatenate([[1.0], x])}, {}
        for l in range(2, L + 1):
            z[l] = thetas[l - 2] @ a[l - 1]  # z⁽ˡ⁾ = Θ⁽ˡ⁻¹⁾ a⁽ˡ⁻¹⁾
            g = G[output if l == L else hidden][0]
            a[l] = g(z[l]) if l == L else np.concatenate([[1.0], g(z[l])])  # add a₀ = 1
        h = a[L]
        if loss == "cross_entropy":
            d = {L: h - y}
            J += -np.sum(y * np.log(h) + (1 - y) * np.log(1 - h))
        else:
            d = {L: (h - y) * G[output][1](z[L])}
            J += 0.5 * np.sum((h - y) ** 2)
        for l in range(L - 1, 1, -1):
            d[l] = (thetas[l - 1].T @ d[l + 1])[1:] * G[hidden][1](z[l])  # drop δ₀
        for l in range(1, L):
            Delta[l - 1] = Delta[l - 1] + np.outer(d[l + 1], a[l])  # Δ⁽ˡ⁾ := Δ⁽ˡ⁾ + δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ
        examples.append((a, z, d, [D.copy() for D in Delta]))
    rate = lam / m if loss == "cross_entropy" else lam  # ∂/∂Θ of (λ/2m)ΣΘ², or of (λ/2)ΣW²
    D = [Dl / m + rate * np.c_[np.zeros(len(t)), t[:, 1:]] for Dl, t in zip(Delta, thetas)]
    J = J / m + rate / 2 * sum(float(np.sum(t[:, 1:] ** 2)) for t in thetas)
    return examples, D, J


def close(a, b, tol=1e-12):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    assert np.all(np.abs(a - b) <= tol * np.maximum(1.0, np.abs(b))), (a, b)


def random_case(seed, hidden, output, loss, layers):
    rng = np.random.default_rng(seed)
    nin = int(rng.integers(1, 4))
    sizes = [int(s) for s in rng.integers(1, 4, size=layers)] + [int(rng.integers(1, 3))]
    model = MLP(nin, sizes, activation=hidden, output_activation=output, init="normal", seed=seed)
    model.set_weight_matrices([rng.normal(scale=0.8, size=t.shape) for t in model.weight_matrices()])
    m = int(rng.integers(1, 5))
    X = rng.normal(size=(m, nin))
    Y = rng.random((m, sizes[-1])) if loss == "squared_error" else (rng.random((m, sizes[-1])) < 0.5) * 1.0
    return model, X, Y


def assert_course(r, model, X, Y, hidden, output, loss, lam):
    thetas = model.weight_matrices()
    examples, D, J = slides(thetas, X, Y, hidden, output, loss, lam)
    assert r.m == len(X) and r.L == len(thetas) + 1
    for i, (a, z, d, Delta) in enumerate(examples, start=1):
        ex = r.examples[i]
        for l in a:
            close(ex.a[l], a[l])
        for l in z:
            close(ex.z[l], z[l])
            close(ex.delta[l], d[l])
        for l in range(1, r.L):
            close(ex.Delta[l], Delta[l - 1])
    for l in range(1, r.L):
        close(r.Theta[l], thetas[l - 1])
        close(r.D[l], D[l - 1])
        close(r.vectorized.D[l], D[l - 1])
    close(r.J, J)
    assert r.disagreement < 1e-12


def test_the_debugging_network_every_matrix_as_the_slides_compute_it():
    model, X, Y = debug_network()
    for lam in (0.0, 1.0, 3.0):
        assert_course(course_backprop(model, X, Y, lam=lam), model, X, Y, "sigmoid", "sigmoid", "cross_entropy", lam)


@pytest.mark.parametrize("hidden, output, loss", [
    ("sigmoid", "sigmoid", "cross_entropy"), ("tanh", "sigmoid", "cross_entropy"), ("relu", "sigmoid", "cross_entropy"),
    ("sigmoid", "sigmoid", "squared_error"), ("tanh", "linear", "squared_error"), ("relu", "tanh", "squared_error"),
    ("linear", "sigmoid", "cross_entropy")])
@pytest.mark.parametrize("layers", [1, 2, 3])
def test_random_networks_every_matrix_as_the_slides_compute_it(hidden, output, loss, layers):
    for seed in range(3):
        model, X, Y = random_case(seed, hidden, output, loss, layers)
        lam = 0.3 * seed
        assert_course(course_backprop(model, X, Y, loss, lam), model, X, Y, hidden, output, loss, lam)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), hidden=st.sampled_from(["sigmoid", "tanh", "relu"]),
       loss=st.sampled_from(["cross_entropy", "squared_error"]), layers=st.integers(1, 3),
       lam=st.floats(0, 5, allow_nan=False))
def test_any_network_agrees_with_the_slides(seed, hidden, loss, layers, lam):
    output = "sigmoid" if loss == "cross_entropy" else "linear"
    model, X, Y = random_case(seed, hidden, output, loss, layers)
    assert_course(course_backprop(model, X, Y, loss, lam), model, X, Y, hidden, output, loss, lam)


def test_every_entry_is_what_the_scalar_graph_holds():
    """δ is ∂ℓᵢ/∂z on example i's own graph; Δ is the weights' gradients summed over graphs 1 … i; D is
    the gradient that the library's J (nn.cost, a graph built apart) gives the weights."""
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y, lam=1.0)
    sums = {p: 0.0 for p in model.parameters()}
    for ex in r.examples.values():
        grads = walk(ex.graph.root).grads
        for l, nodes in ex.graph.z.items():
            assert [grads[z] for z in nodes] == ex.delta[l].tolist()
            assert [z.data for z in nodes] == ex.z[l].tolist()
        for p in model.parameters():
            sums[p] += grads.get(p, 0.0)
        for l, layer in enumerate(model.layers, start=1):
            close([[sums[n.b]] + [sums[w] for w in n.w] for n in layer.neurons], ex.Delta[l], 1e-15)
    model.zero_grad()
    J = cost(model, X, Y, "cross_entropy", 1.0)
    J.backward()
    for l, layer in enumerate(model.layers, start=1):
        close([[n.b.grad] + [w.grad for w in n.w] for n in layer.neurons], r.D[l], 1e-15)
    close(r.J, J.data, 1e-15)


def numpy_J(thetas, X, Y, loss, lam):
    return slides(thetas, X, Y, "sigmoid", "sigmoid", loss, lam)[2]


@pytest.mark.parametrize("loss", ["cross_entropy", "squared_error"])
def test_DVec_is_the_gradient_of_J_by_finite_differences(loss):
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y, loss, lam=2.0)
    shapes = [t.shape for t in model.weight_matrices()]

    def J(vector):
        thetas, k = [], 0
        for rows, cols in shapes:  # Octave's reshape: column by column
            thetas.append(vector[k:k + rows * cols].reshape(cols, rows).T)
            k += rows * cols
        return numpy_J(thetas, X, Y, loss, 2.0)

    eps = 1e-5
    numeric = [(J(r.thetaVec + eps * e) - J(r.thetaVec - eps * e)) / (2 * eps) for e in np.eye(len(r.thetaVec))]
    assert np.max(np.abs(np.array(numeric) - r.DVec)) < 1e-9


def test_the_penalty_is_the_gradient_of_J_lambda_over_m_for_the_cross_entropy():
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y, lam=3.0)
    assert r.penalty_rate == 3.0 / 5
    for l in r.D:
        close(r.D[l][:, 1:] - r.Delta[l][:, 1:] / 5, 3.0 / 5 * r.Theta[l][:, 1:])
        close(r.D[l][:, 0], r.Delta[l][:, 0] / 5)  # the bias column without it
    assert "(λ/m)Θ" in r.regularization_note and "the slide writes D = (1/m)Δ + λΘ" in r.regularization_note
    s = course_backprop(model, X, Y, "squared_error", lam=3.0)
    assert s.penalty_rate == 3.0 and "(λ/2)ΣW²" in s.regularization_note
    for l in s.D:
        close(s.D[l][:, 1:] - s.Delta[l][:, 1:] / 5, 3.0 * s.Theta[l][:, 1:])


def test_thetaVec_is_unrolled_column_by_column_with_the_course_ranges():
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y)
    # thetaVec = [Theta1(:); Theta2(:)]: Octave's (:) walks down each column in turn
    by_hand = [t[j, k] for t in model.weight_matrices() for k in range(t.shape[1]) for j in range(t.shape[0])]
    assert r.thetaVec.tolist() == by_hand
    assert r.DVec.tolist() == [D[j, k] for D in (r.D[1], r.D[2]) for k in range(D.shape[1]) for j in range(D.shape[0])]
    assert [(w.first, w.last, w.start, w.stop) for w in r.unrolled.values()] == [(1, 20, 0, 20), (21, 38, 20, 38)]
    assert r.unrolled[1].octave == "Theta1 = reshape(thetaVec(1:20), 5, 4)"
    assert r.unrolled[2].numpy == 'Theta2 = thetaVec[20:38].reshape(3, 6, order="F")'
    thetaVec = r.thetaVec  # what that line says does recover Θ⁽²⁾
    assert np.array_equal(thetaVec[20:38].reshape(3, 6, order="F"), r.Theta[2])
    assert r.which(1) == (1, 1, 0) and r.which(7) == (1, 2, 1) and r.which(21) == (2, 1, 0) and r.which(38) == (2, 3, 5)
    with pytest.raises(IndexError, match="1 … 38"):
        r.which(39)
    # the slides: s = 10, 10, 10, 1 gives Theta1 = thetaVec(1:110), Theta2 (111:220), Theta3 (221:231)
    slides_ranges = unrolled_ranges([10, 10, 10, 1])
    assert [w.octave for w in slides_ranges.values()] == [
        "Theta1 = reshape(thetaVec(1:110), 10, 11)", "Theta2 = reshape(thetaVec(111:220), 10, 11)",
        "Theta3 = reshape(thetaVec(221:231), 1, 11)"]


def test_layers_and_examples_are_numbered_as_the_course_numbers_them():
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y)
    assert r.D[1].shape == (5, 4) and r.D[2].shape == (3, 6) and list(r.D) == [1, 2]
    assert r.shape(1) == "ℝ^{5×4} = ℝ^{s₂×(s₁+1)}" and r.shape(2) == "ℝ^{3×6} = ℝ^{s₃×(s₂+1)}"
    assert list(r.sizes.values()) == [3, 5, 3]
    ex = r.examples[1]
    assert ex.a[1][0] == 1.0 and ex.a[2][0] == 1.0 and len(ex.a[3]) == 3  # the bias unit, but not on the output
    assert list(ex.z) == [2, 3] and list(ex.delta) == [2, 3] and list(ex.Delta) == [1, 2]
    with pytest.raises(CourseIndexError, match=r"numbered 1 … 2.*got 0 \(the course numbers from 1"):
        r.D[0]
    with pytest.raises(KeyError):
        r.examples[6]
    with pytest.raises(IndexError):
        ex.delta[1]


def test_the_model_is_left_as_it_was():
    model, X, Y = debug_network()
    for k, p in enumerate(model.parameters()):
        p.grad = 0.1 * k
    before = [(p.data, p.grad) for p in model.parameters()]
    course_backprop(model, X, Y, lam=1.0)
    check_nn_gradients(1.0, model, X, Y)
    assert [(p.data, p.grad) for p in model.parameters()] == before


def test_a_disagreement_with_the_formulas_fails_loudly(monkeypatch):
    import microgrboard.nn.course as course

    model, X, Y = debug_network()
    honest = course.reference_algorithm1

    def wrong(*args, **kwargs):  # the formulas' δ₂⁽²⁾ of example 3 off by 1e-6
        result = honest(*args, **kwargs)
        result.delta[2][0][1] += 1e-6
        return result

    monkeypatch.setattr(course, "reference_algorithm1", wrong)
    with pytest.raises(CourseMismatchError, match=r"disagree at δ₂⁽²⁾ of example 3 by 1e-06"):
        course_backprop(model, X, Y)


@pytest.mark.parametrize("make, loss, y, message", [
    (lambda: MLP(2, [3, 1]), "hinge", [[1.0]], "cover the cross-entropy cost with sigmoid outputs"),
    (lambda: MLP(2, [3, 2], output_activation="linear"), "softmax_cross_entropy", [[1.0, 0.0]], "got loss="),
    (lambda: MLP(2, [3, 2], output_activation="tanh"), "cross_entropy", [[1.0, 0.0]], "sigmoid output units only"),
    (lambda: MLP(2, [3, 3]), "cross_entropy", [2], "one-hot rows: np.eye"),
    (lambda: MLP(2, [3, 1]), "cross_entropy", [[2.0]], "between 0 and 1"),
])
def test_what_the_course_does_not_cover_is_refused_with_the_reason(make, loss, y, message):
    with pytest.raises(ValueError, match=message):
        course_backprop(make(), [[0.5, -1.0]], y, loss)


def test_a_model_from_elsewhere_is_refused():
    with pytest.raises(TypeError, match="course_backprop takes a model"):
        course_backprop("not a model", [[1.0]], [1.0])


# checkNNGradients' published output (the exercise's ex4, λ = 0): the first rows, both columns alike
PUBLISHED = [-9.2783e-03, 8.8991e-03, -8.3601e-03, 7.6281e-03, -6.7480e-03]


@pytest.mark.parametrize("lam", [0.0, 3.0])
def test_check_nn_gradients_is_below_the_course_threshold(lam):
    check = check_nn_gradients(lam)
    assert check.relative_difference < 1e-9 and check.passed
    assert len(check.entries) == 38 and check.entries[0] == "Θ₁₀⁽¹⁾" and check.entries[20] == "Θ₁₀⁽²⁾"
    if lam == 0:
        assert np.allclose(check.numerical[:5], PUBLISHED, atol=5e-8)
        assert np.allclose(check.analytic[:5], PUBLISHED, atol=5e-8)
    text = str(check)
    assert "below 1e-9, so backpropagation is right" in text and "thetaVec  entry" in text


def test_check_nn_gradients_works_on_any_model_and_fails_when_backprop_is_wrong(monkeypatch):
    rng = np.random.default_rng(0)
    model = MLP(2, [4, 1], activation="tanh", output_activation="linear", seed=0)
    X, y = rng.normal(size=(6, 2)), rng.normal(size=6)
    check = check_nn_gradients(0.5, model, X, y, loss="squared_error")
    assert check.passed and check.network == "2-4-1 network on 6 examples"
    # the numbers are J's finite differences: a wrong analytic gradient shows
    import microgrboard.nn.course_check as course_check

    real = course_check.course_backprop

    def off(*args, **kwargs):
        r = real(*args, **kwargs)
        r.DVec[3] += 1e-3
        return r

    monkeypatch.setattr(course_check, "course_backprop", off)
    assert not check_nn_gradients(0.5, model, X, y, loss="squared_error").passed


def test_the_debugging_network_is_made_from_sin_as_the_exercise_does():
    model, X, Y = debug_network()
    theta1, theta2 = model.weight_matrices()
    # debugInitializeWeights: W(j, k) = sin(number of the entry, counted down the columns) / 10
    assert theta1[1, 2] == pytest.approx(np.sin(1 + 1 + 5 * 2) / 10)
    assert theta2[2, 5] == pytest.approx(np.sin(1 + 2 + 3 * 5) / 10)
    assert X[4, 1] == pytest.approx(np.sin(1 + 4 + 5 * 1) / 10) and X.shape == (5, 3)
    assert Y.argmax(axis=1).tolist() == [1, 2, 0, 1, 2]  # y = 1 + mod(1:m, 3) = 2, 3, 1, 2, 3


def test_it_prints_as_the_course_writes_it():
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y, lam=1.0)
    text = str(r)
    for line in ["L = 3 layers: s₁ = 3, s₂ = 5, s₃ = 3 (units, not counting the bias unit); g = sigmoid",
                 "Layer 1: Θ⁽¹⁾, Δ⁽¹⁾, D⁽¹⁾ ∈ ℝ^{5×4} = ℝ^{s₂×(s₁+1)};  thetaVec(1:20), thetaVec[0:20]",
                 "     0.08415  -0.02794      -0.1  -0.02879",  # Θ⁽¹⁾'s first row, rounded
                 "D⁽ˡ⁾ = (1/m)Δ⁽ˡ⁾ + (λ/m)Θ⁽ˡ⁾ for j ≠ 0, (1/m)Δ⁽ˡ⁾ for j = 0 (the bias column)",
                 "Theta2 = reshape(thetaVec(21:38), 3, 6)", "largest disagreement"]:
        assert line in text, line
    first = str(r.examples[1])
    assert "δ⁽³⁾ = a⁽³⁾ − y" in first and "a⁽¹⁾ = [1; x]" in first and "after example 1:" in first
    assert repr(r).startswith("<CourseBackprop 3-5-3 network, m = 5, cross_entropy, λ = 1: J = 2.11609")


def test_a_64_25_10_network_on_100_examples_agrees_with_the_course():
    """The digits-sized network of the exercise (its time: benchmarks/learning.py)."""
    rng = np.random.default_rng(0)
    model = MLP(64, [25, 10], seed=0)
    X, Y = rng.random((100, 64)), np.eye(10)[rng.integers(0, 10, 100)]
    r = course_backprop(model, X, Y, lam=1.0)
    assert r.disagreement < 1e-12
