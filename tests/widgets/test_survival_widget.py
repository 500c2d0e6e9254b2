"""The live survival explorer: inputs rebuild the curves and the hazard ratio; bad input is
explained in place of the answer and every input keeps what the reader typed."""

from __future__ import annotations

import pytest

from mbcbook import charts, evidence
from mbcbook.widgets import survival as live


@pytest.fixture(scope="module")
def ev():
    charts.enable()
    return evidence.load()


@pytest.fixture
def app(ev):
    return live.survival_explorer(ev)


def test_it_opens_on_the_first_trial_with_its_published_figures(app):
    assert app.inputs["trial"].value == "tata"
    assert app.inputs["median_lrt"].value == "19.2" and app.inputs["landmark_survival_st"].value == "0.43"
    assert app.inputs["n_lrt"].value == "175" and app.inputs["follow_up_kind"].value == "minimum"
    assert "Published: HR 1.04 (95% CI 0.81–1.34)" in app.answer.value
    assert "reconstructed from published summaries" in " ".join(app.chart.spec["params"][-1]["value"]["tata"])


def test_changing_a_median_redraws_the_curves_and_the_hazard_ratio(app):
    before_answer, before_data = app.answer.value, app.chart.spec["datasets"]["curves"]
    app.inputs["median_lrt"].value = "22"
    assert app.answer.value != before_answer
    assert "Locoregional treatment: reconstructed median 2" in app.answer.value
    assert "Weibull, shape" in app.answer.value and "median 22.0 months" in app.answer.value
    assert app.chart.spec["datasets"]["curves"] != before_data


@pytest.mark.parametrize("name, typed, message", [
    ("median_lrt", "-3", "Locoregional treatment: median survival must be above 0 months, got -3"),
    ("median_st", "abc", "Systemic therapy alone: the median must be a number, got &#x27;abc&#x27;"),
    ("landmark_survival_st", "1.5", "survival at landmark 1 must be a proportion strictly between 0 and 1"),
    ("landmark_survival_lrt", "", "Locoregional treatment: a landmark needs both its time in months and the "
                                  "proportion alive then"),
    ("landmark_survival_lrt", "0.6", "survival of 0.6 at 24 months is inconsistent with a median of 19.2 months"),
    ("n_st", "1", "the number of patients in an arm must be between 2 and 100,000, got 1"),
    ("n_st", "2.5", "Systemic therapy alone: the number of patients must be a whole number"),
    ("n_lrt", "", "Locoregional treatment: give the number of patients"),
    ("accrual_months", "", "give the accrual period and the follow-up, in months"),
    ("follow_up_months", "inf", "the follow-up must be a finite number"),
])
def test_bad_input_is_explained_and_the_other_inputs_keep_their_values(app, name, typed, message):
    chart_before = app.chart.spec
    app.inputs[name].value = typed
    assert 'role="alert"' in app.answer.value and message in app.answer.value
    assert app.inputs[name].value == typed
    assert app.inputs["median_lrt"].value == ("19.2" if name != "median_lrt" else typed)
    assert app.chart.spec is chart_before  # the last good chart stays


def test_a_good_value_after_a_bad_one_brings_the_answer_back(app):
    app.inputs["median_lrt"].value = "-3"
    app.inputs["median_lrt"].value = "19.2"
    assert "reconstructed median" in app.answer.value


def test_choosing_another_trial_loads_its_figures(app):
    app.inputs["trial"].value = "abcsg-28"
    assert app.inputs["median_st"].value == "54.8" and app.inputs["landmark_months_st"].value == ""
    assert "does not say which arm is its reference" in app.answer.value
    assert app.chart.spec["params"][0]["value"] == "abcsg-28"


def test_the_model_and_follow_up_can_be_changed(app):
    app.inputs["model"].value = "exponential"
    assert "exponential, median 19.2 months" in app.answer.value
    app.inputs["model"].value = "weibull"
    assert "Weibull, shape" in app.answer.value
    app.inputs["follow_up_kind"].value = "median"
    app.inputs["follow_up_months"].value = "30"
    assert "too short for 96 months of accrual" in app.answer.value


def test_read_inputs_leaves_out_empty_landmarks():
    values = {"n_lrt": "10", "n_st": " 12 ", "median_lrt": "20", "median_st": "", "landmark_months_lrt": "",
              "landmark_survival_lrt": "", "landmark_months_st": "24", "landmark_survival_st": "0.4",
              "accrual_months": "0", "follow_up_months": "60", "follow_up_kind": "minimum", "model": "auto"}
    figures, plan, model = live.read_inputs(values)
    assert figures == {"lrt": {"median_months": 20.0, "landmarks": []},
                       "st": {"median_months": None, "landmarks": [(24.0, 0.4)]}}
    assert plan.n == {"lrt": 10, "st": 12} and plan.accrual_months == 0 and model == "auto"
