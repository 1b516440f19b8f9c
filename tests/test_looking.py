"""Looking never changes: explaining, drawing, filming or boarding a graph leaves every value and
gradient exactly as it was — here on a model whose parameters carry gradients accumulated over passes."""

import io

import pytest

import viz
from microgrboard import explain, topological_order
from microgrboard.nn import MLP, cost


@pytest.fixture
def accumulated():
    model = MLP(2, [3, 1], activation="tanh", output_activation="sigmoid", seed=4)
    X, y = [[0.5, -1.0], [1.5, 0.25]], [1.0, 0.0]
    for _ in range(3):  # three passes, never zeroed: the parameters hold 3 × ∂J/∂θ
        J = cost(model, X, y, "cross_entropy", lam=0.1)
        J.backward()
    return J, model


def snapshot(J):
    return [(node.data, node.grad) for node in topological_order(J)]


def test_explain_draw_frames_and_boards_change_nothing(accumulated, tmp_path, needs_dot):
    J, model = accumulated
    before = snapshot(J)
    params_before = [(p.data, p.grad) for p in model.parameters()]
    explain(J, file=io.StringIO())
    viz.draw(J, max_nodes=1000)
    viz.draw(J, max_nodes=10)  # the summary view
    list(viz.frames(model([0.5, -1.0])))
    out = model([0.5, -1.0])
    viz.write_frames(out, tmp_path / "frames")
    viz.board(out, tmp_path / "board.html")
    viz.render(J, tmp_path / "J.svg", max_nodes=1000)
    viz.board_steps(J)
    assert snapshot(J) == before
    assert [(p.data, p.grad) for p in model.parameters()] == params_before
    assert all(p.grad != 0.0 for p in model.weights())  # they really did carry gradients


def test_boards_and_frames_show_the_gradient_of_one_pass_not_the_accumulated_one(accumulated):
    J, model = accumulated
    w = model.parameters()[0]
    steps = viz.board_steps(J)
    last_on_w = [s["caption"] for s in steps if f"{w.label}.grad" in s["caption"]][-1]
    assert f"{w.label}.grad = {w.grad / 3:.4g}" in last_on_w
