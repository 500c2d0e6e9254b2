"""The MF07-01 subgroup chart: the whole trial beside its unplanned subgroups, each drawn as published and
labelled as unplanned, with a description computed from the data."""

from __future__ import annotations

import re

import pytest
import vl_convert

from mbcbook import charts, evidence
from mbcbook.charts import forest
from mbcbook.errors import ChartError
from mbcbook.evidence import text

NAME = "mf07-01-subgroups"


@pytest.fixture(scope="module")
def ev():
    charts.enable()
    return evidence.load()


def drawn_rows(spec: dict) -> list[dict]:
    return [row for values in spec.get("datasets", {}).values() for row in values]


def label(row: dict) -> str:
    return " ".join(row["label"])


def test_registered_and_builds_from_effects(ev):
    figure = charts.figure(NAME)
    assert figure.source == "effects" and "data/effects.csv" in figure.caption
    spec = figure.chart(ev).to_dict()
    assert spec["description"].startswith("Forest plot")
    svg = vl_convert.vegalite_to_svg(charts.notebook_spec(spec, width=340), vl_version="6.4")
    assert "NaN" not in svg and "undefined" not in svg
    assert len(figure.text_alternative(ev).table) == len(drawn_rows(spec))


def test_rows_are_the_whole_trial_then_every_unplanned_subgroup_as_published(ev):
    table = ev.effects
    rows = drawn_rows(forest.subgroups_chart(table).to_dict())
    mine = table[(table["trial_id"] == "mf07-01") & (table["report"] == "primary")
                 & (table["outcome"] == "overall_survival")]
    assert [row["effect_id"] for row in rows] == (list(mine.index[mine["analysis"] == "primary"])
                                                  + list(mine.index[mine["analysis"] == "unplanned_subgroup"]))
    assert rows[0]["effect_id"] == "mf07-01-2018-os" and len(rows) == len(mine) >= 2
    for row in rows:
        source = table.loc[row["effect_id"]]
        for column in ("estimate", "ci_low", "ci_high", "ci_level"):
            assert row[column] == pytest.approx(source[column])
        assert text.estimate_with_ci("HR", source["estimate"], source["ci_low"], source["ci_high"],
                                     source["ci_level"]) in label(row)
        assert f"p={text.number(source['p_value'])}" in label(row)


def test_every_subgroup_is_labelled_unplanned_on_the_chart_and_in_its_table(ev):
    spec = forest.subgroups_chart(ev.effects).to_dict()
    for row in drawn_rows(spec):
        assert ("(unplanned subgroup)" in label(row)) == (row["panel"] == "unplanned_subgroup")
    panel_titles = [" ".join(panel["title"]["text"]) for panel in spec["vconcat"]]
    assert "Unplanned subgroups" in panel_titles[1] and "not proof" in panel_titles[1]
    assert "unplanned" in spec["title"]["text"]
    alt_table = forest.subgroups_alt_table(ev.effects)
    assert list(alt_table["Analysis"]) == ["planned primary analysis"] + ["unplanned subgroup"] * (len(alt_table) - 1)


def test_description_follows_the_data(ev):
    table = ev.effects.copy()
    description = forest.subgroups_chart(table).to_dict()["description"]
    assert "Every subgroup interval holds the whole-trial estimate" in description
    assert "test of interaction" in description
    # Move one subgroup away from the whole trial: the description says so, and the table too.
    table.loc["mf07-01-2018-os-bone-only", ["estimate", "ci_low", "ci_high"]] = [0.3, 0.2, 0.45]
    description = forest.subgroups_chart(table).to_dict()["description"]
    assert "3 of the 4 subgroup intervals hold the whole-trial estimate" in description
    assert "HR 0.30 (95% CI 0.20–0.45)" in description
    held = forest.subgroups_alt_table(table)["Interval holds the whole-trial HR"]
    assert list(held)[-1] == "no"


def test_unconfirmed_rows_are_marked(ev):
    table = ev.effects.copy()
    table.loc["mf07-01-2018-os-age-lt-55", "status"] = "unconfirmed"
    rows = {row["effect_id"]: row for row in drawn_rows(forest.subgroups_chart(table).to_dict())}
    assert label(rows["mf07-01-2018-os-age-lt-55"]).endswith("(unconfirmed)")
    assert not label(rows["mf07-01-2018-os-hr-pos"]).endswith("(unconfirmed)")


@pytest.mark.parametrize("drop", ["primary", "unplanned_subgroup"])
def test_without_the_whole_trial_or_any_subgroup_it_explains(ev, drop):
    table = ev.effects
    with pytest.raises(ChartError, match="whole-trial hazard ratio .* unplanned subgroup"):
        forest.subgroups_chart(table[~((table["trial_id"] == "mf07-01") & (table["analysis"] == drop))])
    with pytest.raises(ChartError, match="has no rows"):
        forest.subgroups_chart(table.iloc[0:0])


def test_draws_no_empty_layer(ev):
    svg = vl_convert.vegalite_to_svg(charts.figure(NAME).chart(ev).to_dict())
    assert not re.findall(r'<g class="mark-[^"]*role-mark[^"]*"[^>]*(?:/>|></g>)', svg)
