"""The live selection-bias lab: any setting, bad input explained, the last good chart kept."""

from __future__ import annotations

import pytest

from mbcbook.analysis import selection
from mbcbook.widgets.selection import selection_lab


@pytest.fixture(scope="module")
def app():
    return selection_lab()


def test_the_lab_answers_with_the_four_estimates(app):
    app.inputs["patients"].value = "400"
    app.inputs["selection"].value = 1.0
    result = selection.lab(1.0, app.inputs["hidden"].value, patients=400)
    for _, row in result.estimates.iterrows():
        assert row["label"].split(":")[0] in app.answer.value
    assert f"{result.operated:,} of 400 simulated patients operated" in app.answer.value
    assert "at selection 1 and hidden" in app.chart.chart.to_dict()["description"]


@pytest.mark.parametrize("name, typed, message", [
    ("patients", "lots", "the number of patients must be a number, got &#x27;lots&#x27;"),
    ("patients", "2.5", "the number of patients must be a whole number, got &#x27;2.5&#x27;"),
    ("patients", "", "the number of patients is empty: type a number"),
    ("patients", "50", "the number of patients must be between 200 and 20,000, got 50"),
    ("seed", "x", "the seed must be a number, got &#x27;x&#x27;"),
])
def test_bad_input_is_explained_and_the_rest_kept(app, name, typed, message):
    app.inputs["patients"].value = "400"
    before = app.chart.chart
    app.inputs[name].value = typed
    assert "Check the input" in app.answer.value and message in app.answer.value
    assert app.chart.chart is before  # the last good chart stays
    assert app.inputs["selection"].value == 1.0
    app.inputs[name].value = {"patients": "400", "seed": str(selection.DEFAULT_SEED)}[name]
    assert "simulated patients operated" in app.answer.value
