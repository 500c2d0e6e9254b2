"""The live eligibility checker: the same verdicts as Python's check, bad input explained."""

from __future__ import annotations

import pytest

from mbcbook.analysis import eligibility as elig
from mbcbook.charts import checker
from mbcbook.widgets import eligibility as live


@pytest.fixture
def app(evidence_tables):
    return live.eligibility_checker(evidence_tables)


def test_it_opens_with_nothing_known(app, evidence_tables):
    assert app.answer.value == live.results_html(elig.check({}, evidence_tables.eligibility_rules),
                                                   checker.source_names(evidence_tables.trials))
    assert "cannot say yet" in app.answer.value and "Teaching material" in app.answer.value


def test_inputs_give_python_s_verdicts(app, evidence_tables):
    app.inputs["age"].value = "66"
    app.inputs["metastatic_sites"].value = ("bone",)
    app.inputs["pregnant"].value = False
    expected = elig.check(elig.make_profile(age=66, metastatic_sites=("bone",), pregnant=False),
                          evidence_tables.eligibility_rules)
    assert app.answer.value == live.results_html(expected, checker.source_names(evidence_tables.trials))
    assert "Not met: Aged 65 or younger" in app.answer.value


@pytest.mark.parametrize("name, typed, message", [
    ("age", "250", "Age must be 0-120 years, got 250"),
    ("ecog", "7", "ECOG performance status must be 0-4, got 7"),
    ("ecog", "one", "ECOG performance status must be a number (0-4), got &#x27;one&#x27;"),
    ("tumour_size_cm", "-2", "Primary tumour size must be 0-30 cm, got -2"),
])
def test_bad_input_is_explained_and_other_inputs_stay(app, name, typed, message):
    app.inputs["her2"].value = "negative"
    app.inputs[name].value = typed
    assert 'role="alert"' in app.answer.value and message in app.answer.value
    assert app.inputs["her2"].value == "negative" and app.inputs[name].value == typed


def test_a_choice_of_sources(evidence_tables):
    app = live.eligibility_checker(evidence_tables, sources=["review"])
    assert "The review&#x27;s candidate profile" in app.answer.value and "Tata" not in app.answer.value
