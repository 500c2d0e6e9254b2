"""The primer's charts: the Kaplan-Meier chart of GBSG2 and the implied-HR forest plot."""

from __future__ import annotations

import pytest

from mbcbook import charts, evidence
from mbcbook.charts import exponential, km


@pytest.fixture(scope="module")
def gbsg2_parts():
    from mbcbook.analysis import gbsg2, survival

    arms = gbsg2.load()[["time_months", "event", "arm"]]
    return survival.kaplan_meier(arms), gbsg2.censoring_marks(arms), survival.median_with_ci(arms)


def test_the_km_chart_describes_each_arm_and_fits_its_column(gbsg2_parts):
    from mbcbook.analysis.gbsg2 import ARM_NAMES

    curves, censored, medians = gbsg2_parts
    spec = km.km_chart(curves, censored, medians, names=ARM_NAMES, outcome="recurrence-free survival").to_dict()
    description = spec["description"]
    assert "No hormonal therapy: 440 patients, 205 events" in description
    assert "Hormonal therapy: 246 patients, 94 events" in description and "not reached" in description
    assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"


def test_the_km_table_gives_medians_and_landmarks(gbsg2_parts):
    curves, _, medians = gbsg2_parts
    table = km.km_table(curves, medians, landmarks=(12, 60)).set_index("Group")
    assert table.loc["no-hormonal", "Median (months)"] == "50.2"
    assert table.loc["hormonal", "95% CI of the median"].endswith("to not reached")
    assert list(table.columns[-2:]) == ["12 months", "60 months"]


def test_the_implied_hr_figure_is_registered_from_data():
    figure = charts.figure("median-implied-hr")
    assert (figure.source, figure.extra) == ("arms", ("effects",))


def test_the_implied_hr_chart_labels_levels_and_orientation():
    ev = evidence.load()
    rows = exponential.implied_hr_table(ev.arms, ev.effects)
    labels = list(rows["row_label"])
    assert "Published: HR 0.86 (90% CI 0.69\u20131.07)" in labels
    assert "Published, arms not stated: HR 0.691 (95% CI 0.358\u20131.333)" in labels
    hollow = rows[~rows["direction_stated"]]
    assert set(hollow["panel"]) == {"ABCSG-28, primary report"} and len(hollow) == 2
    description = exponential.implied_hr_chart(ev.arms, ev.effects).to_dict()["description"]
    assert "90% CI 0.82 to 1.52" in description and "only if the HR compares no surgery with surgery" in description
