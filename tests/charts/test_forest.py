"""The forest plots: hazard ratios drawn as published (value, interval, confidence level), rows chosen right."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from mbcbook import charts, evidence
from mbcbook.charts import forest
from mbcbook.errors import ChartError
from mbcbook.evidence import text

NAMES = ("observational-vs-randomised", "local-versus-distant", "seer-operated-share")


@pytest.fixture(scope="module")
def ev():
    charts.enable()
    return evidence.load()


def drawn_rows(spec: dict) -> list[dict]:
    """Every data row of a chart (its named datasets), in order."""
    return [row for values in spec.get("datasets", {}).values() for row in values]


def label(row: dict) -> str:
    return " ".join(row["label"])


def by_id(spec: dict, id_column: str) -> dict[str, dict]:
    rows = drawn_rows(spec)
    found = {row[id_column]: row for row in rows}
    assert len(found) == len(rows), "a row is drawn twice"
    return found


def assert_drawn_as_published(row: dict, source: pd.Series, estimate_column: str = "estimate") -> None:
    """The drawn row holds the source's estimate, limits and level, and its label says them."""
    assert row["estimate"] == pytest.approx(source[estimate_column])
    for column in ("ci_low", "ci_high", "ci_level"):
        if pd.isna(source[column]):
            assert row[column] is None
        else:
            assert row[column] == pytest.approx(source[column])
    if pd.notna(source["ci_level"]):
        assert f"{text.level(source['ci_level'])} CI {text.interval(source['ci_low'], source['ci_high'])}" in label(row)
    else:
        assert forest.NO_INTERVAL in label(row)


@pytest.mark.parametrize("name", NAMES)
def test_each_chart_is_registered_and_builds_from_the_evidence(ev, name):
    figure = charts.figure(name)
    spec = figure.chart(ev).to_dict()
    assert spec["description"].startswith(("Forest plot", "Two charts"))
    assert f"data/{figure.source}.csv" in figure.caption
    svg = vl_convert.vegalite_to_svg(charts.notebook_spec(spec, width=340), vl_version="6.4")
    assert "NaN" not in svg and "undefined" not in svg
    assert len(figure.text_alternative(ev).table) == len(drawn_rows(spec))


# ------------------------------------------------------------------ observational-vs-randomised

def test_pooled_rows_are_every_overall_survival_hr_as_published(ev):
    table = ev.meta_analyses
    spec = forest.observational_vs_randomised_chart(table).to_dict()
    rows = by_id(spec, "result_id")
    expected = table[(table["outcome"] == "overall_survival") & (table["measure"] == "HR")]
    assert set(rows) == set(expected.index)
    for result_id, row in rows.items():
        source = table.loc[result_id]
        assert_drawn_as_published(row, source)
        assert row["design"] == source["study_design"]
        assert label(row).startswith(source["analysis"])
    # Observational panel first, then randomised; each in the order of the file.
    designs = [row["design"] for row in drawn_rows(spec)]
    assert designs == sorted(designs, key=list(forest.DESIGNS).index)


def test_rows_without_an_interval_are_a_point_alone_and_say_so(ev):
    table = ev.meta_analyses
    without = table[(table["outcome"] == "overall_survival") & table["ci_low"].isna()].index
    assert len(without) > 0
    alt_table = forest.observational_vs_randomised_alt_table(table)
    rows = forest.observational_vs_randomised_table(table).set_index("result_id")
    for result_id in without:
        assert rows.loc[result_id, "row_label"].endswith(f"({forest.NO_INTERVAL})")
        position = rows.index.get_loc(result_id)
        assert alt_table.iloc[position]["Confidence interval"] == "CI not published/confirmed"
    # The interval layer draws only rows with both limits.
    spec = forest.observational_vs_randomised_chart(table).to_dict()
    filters = [t["filter"] for layer in spec["vconcat"][0]["layer"] for t in layer.get("transform", [])
               if "filter" in t]
    assert "isValid(datum.ci_low) && isValid(datum.ci_high)" in filters


def test_preprints_and_unconfirmed_rows_are_marked(ev):
    table = ev.meta_analyses.copy()
    table.loc["headon2016-os", "status"] = "unconfirmed"
    rows = forest.observational_vs_randomised_table(table).set_index("result_id")
    for result_id, source in table[table["outcome"] == "overall_survival"].iterrows():
        assert ("(preprint)" in rows.loc[result_id, "row_label"]) == (source["publication"] == "preprint")
        assert rows.loc[result_id, "row_label"].endswith("(unconfirmed)") == (source["status"] == "unconfirmed")
    assert "ren2023-os" in rows.index and "(preprint)" in rows.loc["ren2023-os", "name"]
    alt_table = forest.observational_vs_randomised_alt_table(table)
    assert alt_table.loc[alt_table["Status"] == "unconfirmed", "Meta-analysis"].str.endswith("(unconfirmed)").all()


def test_pooled_description_gives_each_designs_range_from_the_data(ev):
    table = ev.meta_analyses.copy()
    pooled = table[table["outcome"] == "overall_survival"]
    description = forest.observational_vs_randomised_chart(table).to_dict()["description"]
    for design in ("observational", "randomised"):
        estimates = pooled.loc[pooled["study_design"] == design, "estimate"]
        assert f"from {text.number(estimates.min())} to {text.number(estimates.max())}" in description
    # Change a figure: the description follows it (no number is typed in the code).
    table.loc["headon2016-os", ["estimate", "ci_low"]] = [0.55, 0.5]
    description = forest.observational_vs_randomised_chart(table).to_dict()["description"]
    assert "HR 0.55 (95% CI 0.50–0.70)" in description and "from 0.55 to" in description


def test_pooled_chart_without_overall_survival_is_explained(ev):
    table = ev.meta_analyses
    with pytest.raises(ChartError, match="no pooled hazard ratio of overall survival"):
        forest.observational_vs_randomised_chart(table[table["outcome"] != "overall_survival"])


# ------------------------------------------------------------------ local-versus-distant

def test_trial_rows_are_the_analyses_of_all_patients_as_published(ev):
    table = ev.effects
    spec = forest.local_versus_distant_chart(table).to_dict()
    rows = by_id(spec, "effect_id")
    expected = table[table["analysis"].isin(["primary", "secondary"]) & table["population"].str.startswith("All")]
    assert set(rows) == set(expected.index)
    assert not set(rows) & set(table.index[table["analysis"] == "unplanned_subgroup"])
    for effect_id, row in rows.items():
        assert_drawn_as_published(row, table.loc[effect_id])
    # One panel per kind of outcome, overall survival first.
    panels = [row["panel"] for row in drawn_rows(spec)]
    assert panels[0] == "Overall survival" and panels == sorted(panels, key=list(forest.OUTCOME_PANELS).index)
    assert {row["panel"] for row in drawn_rows(spec)} == set(forest.OUTCOME_PANELS)


def test_e2108_and_jcog1017_show_their_90_percent_intervals(ev):
    rows = forest.local_versus_distant_table(ev.effects)
    alt_table = forest.local_versus_distant_alt_table(ev.effects)
    for trial in ("e2108", "jcog1017"):
        mine = rows["effect_id"].str.startswith(trial) & (rows["outcome"] == "overall survival")
        assert mine.sum() >= 1
        assert rows.loc[mine, "row_label"].str.contains("(90% CI ", regex=False).all()
        assert alt_table.loc[mine, "Confidence interval"].str.startswith("90% CI").all()
    tata = rows["effect_id"] == "tata-os"
    assert rows.loc[tata, "row_label"].str.contains("(95% CI ", regex=False).all()
    description = forest.local_versus_distant_chart(ev.effects).to_dict()["description"]
    assert "JCOG1017 and E2108 published 90% confidence intervals" in description


def test_a_hazard_ratio_whose_direction_is_not_stated_says_so(ev):
    rows = forest.local_versus_distant_table(ev.effects).set_index("effect_id")
    unstated = ev.effects[(ev.effects["treatment_arm"] == "not_stated")].index.intersection(rows.index)
    assert "abcsg-28-os" in unstated
    for effect_id in rows.index:
        marked = forest.DIRECTION_NOT_STATED in rows.loc[effect_id, "row_label"]
        assert marked == (effect_id in unstated) == (not rows.loc[effect_id, "direction_stated"])
    assert "ABCSG-28 did not say which arm is the reference" in forest.local_versus_distant_chart(
        ev.effects).to_dict()["description"]


def test_trial_description_and_marks_follow_the_data(ev):
    table = ev.effects.copy()
    table.loc["jcog1017-lrfs", "status"] = "unconfirmed"
    chart = forest.local_versus_distant_chart(table)
    description = chart.to_dict()["description"]
    # Every overall-survival HR of a whole trial population whose direction is stated (every report).
    os_rows = table[(table["outcome"] == "overall_survival") & table["population"].str.startswith("All")
                    & (table["analysis"] == "primary") & (table["treatment_arm"] != "not_stated")]
    assert {"tata-os", "mf07-01-2018-os", "e2108-os", "mf07-01-abstract-survivors-os"} <= set(os_rows.index)
    assert f"from {text.number(os_rows['estimate'].min())} to {text.number(os_rows['estimate'].max())}" in description
    assert "local relapse-free survival, HR 0.42 (95% CI 0.33–0.53) (unconfirmed)" in description
    rows = by_id(chart.to_dict(), "effect_id")
    assert label(rows["jcog1017-lrfs"]).endswith("(unconfirmed)") and rows["jcog1017-lrfs"]["status"] == "unconfirmed"


def test_effects_of_subgroups_only_are_explained(ev):
    table = ev.effects
    with pytest.raises(ChartError, match="no primary or secondary analysis of all randomised patients"):
        forest.local_versus_distant_chart(table[table["analysis"] == "unplanned_subgroup"])


# ------------------------------------------------------------------ seer-operated-share

def test_seer_rows_are_the_shares_and_year_specific_hazard_ratios(ev):
    table = ev.observational_results
    spec = forest.seer_operated_share_chart(table).to_dict()
    rows = drawn_rows(spec)
    assert [row["result_id"] for row in rows] == list(forest.SEER_SHARES + forest.SEER_HAZARD_RATIOS)
    for row in rows:
        source = table.loc[row["result_id"]]
        assert row["value"] == pytest.approx(source["value"])
        if row["panel"] == "hr":
            assert_drawn_as_published(row, source, estimate_column="value")
        else:
            assert label(row) == text.with_status(source["group"], source["status"])
    # The hazard ratio of each time point is coloured, and named, as the share of that time point.
    shares = [row["time_point"] for row in rows if row["panel"] == "share"]
    assert [row["time_point"] for row in rows if row["panel"] == "hr"] == shares
    assert all(point.lower() in label(row) for point, row in zip(shares, rows[2:], strict=True))


def test_seer_description_is_computed_from_the_data(ev):
    table = ev.observational_results.copy()
    description = forest.seer_operated_share_chart(table).to_dict()["description"]
    for row_id in forest.SEER_SHARES:
        assert text.percent(table.loc[row_id, "value"]) in description
    for row_id in forest.SEER_HAZARD_RATIOS:
        assert f"HR {text.number(table.loc[row_id, 'value'])}" in description
    assert "fell" in description
    # Had the share risen, the chart would not say it fell, nor claim a larger benefit.
    table.loc["warschkow2016-operated-late", "value"] = 0.7
    spec = forest.seer_operated_share_chart(table).to_dict()
    assert "rose from 62% to 70%" in spec["description"] and "fell" not in spec["description"]
    assert "larger apparent benefit" not in spec["title"]["text"]


def test_seer_chart_without_its_rows_is_explained(ev):
    table = ev.observational_results.drop(index="warschkow2016-hr-2009")
    with pytest.raises(ChartError, match="warschkow2016-hr-2009"):
        forest.seer_operated_share_chart(table)


# ------------------------------------------------------------------ common

@pytest.mark.parametrize("name", NAMES)
def test_an_empty_table_raises_chart_error(ev, name):
    figure = charts.figure(name)
    empty = ev.table(figure.source).iloc[0:0]
    with pytest.raises(ChartError, match="has no rows"):
        figure.build(empty)
    with pytest.raises(ChartError, match="has no rows"):
        figure.alt_table(empty)


@pytest.mark.parametrize("name", NAMES)
def test_unconfirmed_rows_are_faded_and_marked(ev, name):
    figure = charts.figure(name)
    table = ev.table(figure.source).copy()
    table["status"] = "unconfirmed"
    spec = figure.build(table).to_dict()
    assert all(label(row).endswith("(unconfirmed)") for row in drawn_rows(spec))
    assert (figure.alt_table(table)["Status"] == "unconfirmed").all()
    assert "datum.status === 'unconfirmed'" in str(spec) or "datum.status == 'unconfirmed'" in str(spec)


def test_log_axis_holds_every_limit_with_one_inside():
    domain, ticks = forest.log_domain([0.33, 1.86])
    assert domain == [0.3, 2] and 1 in ticks and ticks[0] == 0.3 and ticks[-1] == 2
    assert forest.log_domain([1.0]) == ([0.7, 1.5], [0.7, 1, 1.5])
    assert forest.log_domain([0.01, 40])[0] == [0.01, 40]  # beyond the ticks: the values themselves


EMPTY_MARKS = re.compile(r'<g class="mark-[^"]*role-mark[^"]*"[^>]*(?:/>|></g>)')


def test_the_empty_layer_check_finds_an_empty_layer():
    frame = pd.DataFrame({"x": [1.0]})
    empty = alt.layer(alt.Chart(frame).mark_point().encode(x="x:Q"),
                      alt.Chart(frame).mark_rule().encode(x="x:Q").transform_filter("datum.x > 5"))
    assert EMPTY_MARKS.search(vl_convert.vegalite_to_svg(empty.to_dict()))


@pytest.mark.parametrize("name", ["observational-vs-randomised", "local-versus-distant", "seer-operated-share"])
def test_a_panel_draws_no_empty_layer(ev, name):
    """An empty layer leaves an unlabelled image in the page (axe: svg-img-alt), so none is drawn."""
    from mbcbook.charts import registry

    svg = vl_convert.vegalite_to_svg(registry.figure(name).chart(ev).to_dict())
    assert not EMPTY_MARKS.findall(svg)
