"""The bar charts of chapter 1: controls bound to parameters, unconfirmed rows labelled."""

from __future__ import annotations

import pytest

from mbcbook import charts, evidence
from mbcbook.charts import bars


@pytest.fixture(scope="module")
def ev():
    charts.enable()
    return evidence.load()


def test_chapter_one_charts_have_descriptions_and_bound_controls(ev):
    share = bars.stage_iv_share_chart(ev.epidemiology).to_dict()
    assert "United States" in share["description"]
    bound = {p["name"]: p["bind"] for p in share["params"] if "bind" in p}
    assert set(bound) == {"annual_diagnoses", "show_review"}
    assert bound["annual_diagnoses"]["input"] == "range" and bound["show_review"]["input"] == "checkbox"
    trends = bars.survival_trends_chart(ev.survival_trends).to_dict()
    assert "months" in trends["description"]


def test_unconfirmed_rows_are_labelled_in_charts(ev):
    table = bars.stage_iv_share_table(ev.epidemiology)
    assert table.set_index("figure_id").loc["malaysia-national", "setting"].endswith("(unconfirmed)")

