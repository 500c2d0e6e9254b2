"""The live ipywidgets app of chapter 1 (logic tested without a browser or kernel)."""

from __future__ import annotations

import pytest

from mbcbook import evidence, widgets
from mbcbook.errors import InputError


@pytest.fixture(scope="module")
def epidemiology():
    return evidence.load().epidemiology


def test_answer_states_count_setting_and_source(epidemiology):
    html = widgets.stage_iv_answer(epidemiology, "us-seer", 2000)
    assert "<strong>120</strong>" in html and "United States" in html and "kadys2023" in html


def test_answer_gives_the_published_range(epidemiology):
    html = widgets.stage_iv_answer(epidemiology, "nigeria-meta-2018", 1000)
    assert "between 90 and 340" in html


def test_unconfirmed_setting_is_flagged(epidemiology):
    assert "unconfirmed" in widgets.stage_iv_answer(epidemiology, "malaysia-national", 1000)


def test_bad_input_is_explained_not_raised(epidemiology):
    html = widgets.stage_iv_answer(epidemiology, "us-seer", -3)
    assert 'role="alert"' in html and "got -3" in html


def test_app_recomputes_when_inputs_change(epidemiology):
    app = widgets.stage_iv_calculator(epidemiology)
    before = app.answer.value
    app.inputs["annual_diagnoses"].value = 5000
    assert app.answer.value != before and "<strong>300</strong>" in app.answer.value
    app.inputs["setting"].value = "japan"
    assert "<strong>150</strong>" in app.answer.value
    app.inputs["annual_diagnoses"].value = 0
    assert "Check the input" in app.answer.value


def test_every_setting_is_offered_with_its_status(epidemiology):
    app = widgets.stage_iv_calculator(epidemiology)
    labels = dict((v, k) for k, v in app.inputs["setting"].options)
    assert set(labels) == set(epidemiology.index)
    assert labels["malaysia-national"].endswith("(unconfirmed)")


def test_a_setting_published_as_a_range_only_gives_the_range(epidemiology):
    table = epidemiology.copy()
    table.loc["nigeria-meta-2018", "share"] = float("nan")
    html = widgets.stage_iv_answer(table, "nigeria-meta-2018", 1000)
    assert "between <strong>90</strong> and <strong>340</strong>" in html
    assert "nan" not in html.lower()


def test_an_unknown_setting_is_explained(epidemiology):
    html = widgets.stage_iv_answer(epidemiology, "atlantis", 1000)
    from html import unescape

    assert 'role="alert"' in html and "no setting 'atlantis'" in unescape(html)


def test_an_answer_escapes_html_from_the_table(epidemiology):
    table = epidemiology.copy()
    table["setting"] = table["setting"].astype(object)
    table.loc["us-seer", "setting"] = "<script>alert(1)</script>"
    html = widgets.stage_iv_answer(table, "us-seer", 1000)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_empty_table_is_explained(epidemiology):
    with pytest.raises(InputError, match="has no rows"):
        widgets.stage_iv_calculator(epidemiology.iloc[0:0])


def test_numpy_input_is_accepted(epidemiology):
    import numpy as np

    assert "<strong>120</strong>" in widgets.stage_iv_answer(epidemiology, "us-seer", np.int64(2000))
