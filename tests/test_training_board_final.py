"""One "final loss" on the training board, defined once: J at the weights after the last step, on every
training example, with the run's λ. Its oracle is `nn.cost`, which builds that J as a graph of Values
(the board's number comes from the numpy gradient report). Without snapshots there is nothing to
replay: Play and the slider are disabled, and the page says why."""

import re

import pytest
from chromium import open_page

import viz
from microgrboard.nn import MLP, cost, train
from microgrboard.nn.datasets import make_moons

LAM = 1e-3


def trained(record_every=None):
    X, y = make_moons(60, 0.1, seed=0)
    model = MLP(2, [5, 1], activation="tanh", output_activation="sigmoid", seed=1)
    history = train(model, X, y, loss="cross_entropy", lam=LAM, lr=1.0, momentum=0.9, epochs=30, compiled=True,
                    progress=False, record_every=record_every)
    return model, history, X, y


def header(page_text: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'<p class="muted">(.*?)</p>', page_text, re.S).group(1))


@pytest.mark.parametrize("record_every", [None, 5], ids=["no snapshots", "snapshots"])
def test_the_final_loss_is_the_cost_at_the_final_weights(record_every, needs_dot, browser, tmp_path):
    model, history, X, y = trained(record_every)
    assert history.lam == LAM
    J = cost(model, X, y, "cross_entropy", LAM).data  # the graph's J at the weights now: after the last step
    assert J != pytest.approx(history.loss[-1], rel=1e-3)  # the curve's last point is a step older: not it
    path = viz.training_board(model, history, X, y, tmp_path / "board.html")
    text = header(open(path, encoding="utf-8").read())
    assert f"final J = {J:.4g}" in text
    assert "with λ = 0.001" in text and "all 60 training examples" in text and "nn.cost" in text

    page, errors = open_page(browser, path)
    from playwright.sync_api import expect

    readout = page.locator("#readout")
    expect(readout).to_contain_text(f"step {history.steps} of {history.steps}: loss {J:.4g}")  # the same number
    play, slider = page.get_by_role("button", name="Play"), page.get_by_role("slider", name="Snapshot")
    if record_every is None:
        expect(play).to_be_disabled()
        expect(slider).to_be_disabled()
        for control in (play, slider):
            assert "record_every=k" in page.locator(f"#{control.get_attribute('aria-describedby')}").inner_text()
    else:
        expect(play).to_be_enabled()
        slider.fill("0")
        expect(readout).to_contain_text(f"step 0 of {history.steps}")
    assert not errors, errors
    page.close()
