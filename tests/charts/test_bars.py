"""The bar charts of chapter 1: controls bound to parameters, unconfirmed rows labelled."""

from __future__ import annotations

import pytest

from mbcbook import charts, evidence
from mbcbook.charts import bars
from mbcbook.errors import ChartError


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



@pytest.mark.parametrize("figure", charts.FIGURES, ids=lambda f: f.name)
def test_an_empty_table_is_explained(ev, figure):
    source, *extra = figure.tables(ev)
    empty = source.iloc[0:0]
    with pytest.raises(ChartError, match="has no rows|nothing to draw|no median"):
        figure.build(empty, *extra)
    with pytest.raises(ChartError):
        figure.alt_table(empty, *extra)


def test_a_setting_published_as_a_range_only_is_drawn_as_its_range(ev):
    import vl_convert

    table = ev.epidemiology.copy()
    table.loc["nigeria-meta-2018", "share"] = float("nan")
    chart = bars.stage_iv_share_chart(table)
    description = chart.to_dict()["description"]
    assert "9%\u201334%" in description and "nan" not in description.lower()
    alt_table = bars.stage_iv_alt_table(table)
    assert "9%\u201334%" in set(alt_table["Stage IV at diagnosis"])
    svg = vl_convert.vegalite_to_svg(chart.to_dict(), vl_version="6.4")
    assert "\u2248 90\u2013340 of 1,000" in svg and "NaN" not in svg


def test_without_a_confirmed_national_figure_the_description_says_nothing_of_one(ev):
    table = ev.epidemiology[ev.epidemiology["scope"] != "national"]
    description = bars.stage_iv_share_chart(table).to_dict()["description"]
    assert "national registries" not in description and description.endswith(".")


def test_survival_trends_of_hazard_ratios_only_are_explained(ev):
    trends = ev.survival_trends
    with pytest.raises(ChartError, match="no median or 3-year survival"):
        bars.survival_trends_chart(trends[trends["measure"] == "hr_recurrent_vs_de_novo"])


def test_recurrence_score_groups_show_counts_computed_and_published_shares(ev):
    table = bars.recurrence_score_groups_table(ev.observational_results)
    assert table["group"].tolist() == ["Low", "Intermediate", "High"]
    assert table["share"].sum() == pytest.approx(1.0)  # the three groups are all the scored patients
    spec = bars.recurrence_score_groups_chart(ev.observational_results).to_dict()
    description = spec["description"]
    assert "TBCRC 013" in description and "published as 23%" in description and "21.8% from the counts" in description
    assert "differ from the published percentages by up to 1.2 percentage points" in description
    alt_table = bars.recurrence_score_groups_alt_table(ev.observational_results)
    assert alt_table["Share (as published)"].tolist() == ["23%", "28%", "49%"]
    assert alt_table["Patients"].tolist() == ["22", "29", "50"]


def test_recurrence_score_groups_without_published_shares_draw_the_counts_alone(ev):
    import vl_convert

    results = ev.observational_results.drop(index=[f"{row}-share" for row in bars.RECURRENCE_SCORE_GROUPS])
    chart = bars.recurrence_score_groups_chart(results)
    description = chart.to_dict()["description"]
    assert "not published" in description and "differ" not in description and "nan" not in description.lower()
    svg = vl_convert.vegalite_to_svg(chart.to_dict(), vl_version="6.4")
    assert "49.5%" in svg and "NaN" not in svg


def test_recurrence_score_groups_need_every_group_and_the_number_scored(ev):
    for row_id in ("tbcrc013-rs-intermediate", "tbcrc013-rs-scored"):
        with pytest.raises(ChartError, match=f"no row {row_id}: nothing to draw"):
            bars.recurrence_score_groups_chart(ev.observational_results.drop(index=row_id))


def test_an_unconfirmed_denominator_marks_every_recurrence_score_group(ev):
    results = ev.observational_results.copy()
    results.loc["tbcrc013-rs-scored", "status"] = "unconfirmed"
    table = bars.recurrence_score_groups_table(results)
    assert (table["status"] == "unconfirmed").all()
    assert table["group_label"].str.endswith("(unconfirmed)").all()
