"""`viz.frames` refuses a graph too large to follow before any work that grows with it, as the board does.

The test counts work instead of timing it: a 10⁶-node chain is refused while no topological sort, no
backprop walk and no drawing runs, and fewer than max_nodes + 2 nodes are ever asked for their inputs.
"""

import gc
import sys

import pytest

import microgrboard.engine.backprop as backprop
import viz
from microgrboard import Value


@pytest.fixture(scope="module")
def million_chain() -> Value:
    """x + 1 + 1 + … : a chain of 1,000,001 nodes (the folded constant makes no node of its own)."""
    gc.disable()  # building a million objects with the collector running is ~3× slower
    try:
        y = Value(0.5, label="x")
        for _ in range(1_000_000):
            y = y + 1
    finally:
        gc.enable()
    return y


@pytest.fixture
def counted_work(monkeypatch):
    """Every node asked for its inputs, in a list; a topological sort, a walk or a drawing fails the test."""
    frames_module = sys.modules["viz.frames"]  # the module: `viz.frames` is the function

    def no_work(*args, **kwargs):
        raise AssertionError("viz.frames did work that grows with the graph on a graph it should have refused")

    monkeypatch.setattr(backprop, "_walk", no_work)  # every topological order is made here
    monkeypatch.setattr(frames_module, "walk", no_work)
    monkeypatch.setattr(frames_module, "draw", no_work)
    visits = []
    parents = Value.parents
    monkeypatch.setattr(Value, "parents", property(lambda node: visits.append(node) or parents.fget(node)))
    return visits


def test_frames_refuses_a_million_nodes_at_once_without_walking_them(million_chain, counted_work):
    with pytest.raises(viz.GraphTooLargeError, match=r"more than max_nodes=400 nodes.*smaller piece.*max_nodes"):
        viz.frames(million_chain)  # refused when called, not at the first frame
    assert len(counted_work) <= 401  # counting stopped at the limit


def test_write_frames_refuses_before_making_its_folder(million_chain, counted_work, tmp_path):
    with pytest.raises(viz.GraphTooLargeError, match="more than max_nodes=50 nodes"):
        viz.write_frames(million_chain, tmp_path / "frames", max_nodes=50)
    assert len(counted_work) <= 51 and not (tmp_path / "frames").exists()


def test_a_graph_within_max_nodes_still_gives_one_frame_per_step():
    x = Value(0.5, label="x")
    y = x
    for _ in range(9):
        y = y * 2.0  # 10 nodes, 9 backprop steps
    assert len(list(viz.frames(y, max_nodes=10))) == 9
    with pytest.raises(viz.GraphTooLargeError, match="more than max_nodes=9 nodes"):
        viz.frames(y, max_nodes=9)
