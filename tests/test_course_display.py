"""The course's matrices in a notebook: course_backprop's result and check_nn_gradients' table as HTML
tables (in a real IPython shell, in process), their numbers the Python object's, rounded."""

import html.parser
import os

import pytest

import viz
from microgrboard.nn import check_nn_gradients, course_backprop, debug_network

if not os.environ.get("CI"):
    pytest.importorskip("IPython", reason="the display tests need IPython (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    viz.load_ipython_extension(shell)
    yield shell
    viz.unload_ipython_extension(shell)
    InteractiveShell.clear_instance()


class Tables(html.parser.HTMLParser):
    """Every table's caption and rows of cell texts; and whether any script or style is there."""

    def __init__(self):
        super().__init__()
        self.tables, self.text, self.active, self.unsafe = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "link"):
            self.unsafe = True
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th", "caption"):
            self.text, self.active = "", tag

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.text is not None:
            self.tables[-1]["rows"][-1].append(self.text)
        elif tag == "caption":
            self.tables[-1]["caption"] = self.text
        if tag in ("td", "th", "caption"):
            self.text = None


def parsed(markup):
    tables = Tables()
    tables.feed(markup)
    return tables


def rounded(M):
    return [["0" if f"{x:.4g}" == "-0" else f"{x:.4g}" for x in row] for row in M.tolist()]


def test_course_backprop_shows_each_layer_as_the_course_writes_it(shell):
    model, X, Y = debug_network()
    r = course_backprop(model, X, Y, lam=1.0)
    data, _ = shell.display_formatter.format(r)
    assert {"text/html", "text/plain"} <= set(data)
    markup = data["text/html"]
    tables = parsed(markup)
    assert not tables.unsafe
    assert [t["caption"] for t in tables.tables] == ["Θ⁽¹⁾", "Δ⁽¹⁾ after all 5 examples", "D⁽¹⁾",
                                                      "Θ⁽²⁾", "Δ⁽²⁾ after all 5 examples", "D⁽²⁾"]
    assert tables.tables[2]["rows"] == rounded(r.D[1]) and tables.tables[4]["rows"] == rounded(r.Delta[2])
    assert "ℝ^{5×4} = ℝ^{s₂×(s₁+1)}; thetaVec(1:20), thetaVec[0:20]" in markup
    assert r.regularization_note in markup.replace("&#39;", "'")
    assert data["text/plain"] == repr(r)


def test_the_gradient_check_shows_both_columns_and_the_verdict(shell):
    check = check_nn_gradients()
    data, _ = shell.display_formatter.format(check)
    tables = parsed(data["text/html"])
    rows = tables.tables[0]["rows"]
    assert rows[0] == ["thetaVec", "entry", "numerical", "analytic (DVec)"] and len(rows) == 1 + 38
    assert rows[1] == ["1", "Θ₁₀⁽¹⁾", f"{check.numerical[0]:.6g}", f"{check.analytic[0]:.6g}"]
    assert "below 1e-9, so backpropagation is right" in data["text/html"]
