"""The trials side by side: the comparison table, its page form, and the forest plot by timing."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mbcbook.charts import trials
from mbcbook.evidence import text
from mbcbook.site import pages


@pytest.fixture(scope="module")
def table(evidence_tables):
    ev = evidence_tables
    return trials.comparison_table(ev.trials, ev.effects, ev.arms, ev.arm_outcomes, ev.references)


def test_every_trial_has_a_row_in_file_order(evidence_tables, table):
    expected = [text.with_status(row["name"], row["status"]) for _, row in evidence_tables.trials.iterrows()]
    assert table["Trial"].tolist() == expected
    # SUBMIT's enrolment is unconfirmed (evidence.md, second check): its row says so where it is named.
    assert "SUBMIT (unconfirmed)" in expected
    assert list(table.columns) == [*trials.SHOWN, "timing", "randomised_n", "os_hr"]


def test_rows_say_what_each_trial_published(table):
    rows = table.set_index("Trial")
    assert rows.loc["ECOG-ACRIN E2108", "Overall survival"] == "HR 1.11 (90% CI 0.82–1.52)"
    assert rows.loc["JCOG1017 (PRIM-BC)", "Overall survival"] == "HR 0.86 (90% CI 0.69–1.07)"
    assert rows.loc["ABCSG-28 POSYTIVE", "Overall survival"] == "HR 0.691 (95% CI 0.358–1.333) (direction not stated)"
    assert rows.loc["SUBMIT (unconfirmed)", "Overall survival"] == "no result published"
    assert rows.loc["SUBMIT (unconfirmed)", "Randomised"] == "10 enrolled (of 516 planned)"
    assert rows.loc["ABCSG-28 POSYTIVE", "Randomised"] == "90 (of 254 planned)"
    assert rows.loc["Tata Memorial", "Randomised"] == "350"
    assert rows.loc["ABCSG-28 POSYTIVE", "Accrual"] == "stopped early for poor accrual"
    assert rows.loc["Tata Memorial", "Accrual"] == "completed"
    assert rows.loc["MF07-01", "Timing of surgery"] == "Surgery first, then systemic therapy"
    assert rows.loc["Tata Memorial", "Source"] == "Badwe et al. 2015, Lancet Oncology"


def test_local_control_comes_from_both_tables(table):
    rows = table.set_index("Trial")
    assert rows.loc["JCOG1017 (PRIM-BC)", "Local control"] == (
        "local relapse-free survival: HR 0.42 (95% CI 0.33–0.53); local relapse-free survival: "
        "median 63 months with surgery, median 20 months without")
    assert rows.loc["ECOG-ACRIN E2108", "Local control"] == (
        "locoregional progression at 36 months: 16.3% with surgery, 39.8% without")
    assert rows.loc["Tata Memorial", "Local control"] == "no local-control figure entered in data/"


def test_sort_values_are_numbers_or_empty(table):
    rows = table.set_index("Trial")
    assert rows.loc["SUBMIT (unconfirmed)", "randomised_n"] == 10 and pd.isna(rows.loc["SUBMIT (unconfirmed)", "os_hr"])
    assert rows.loc["ECOG-ACRIN E2108", "os_hr"] == pytest.approx(1.11)


def test_the_page_table_is_filterable_sortable_and_marked(table):
    html = trials.comparison_html(table, prefix="x")
    assert trials.TABLE_MARKER == pages.TABLE_MARKER and f'{pages.TABLE_MARKER}="x"' in html
    assert html.count("<tr data-timing=") == len(table)
    assert html.count('data-timing="after_systemic"') == 3 and html.count('data-timing="before_systemic"') == 3
    assert re.findall(r'data-sort-key="([^"]+)"', html) == list(trials.SORTABLE)
    assert 'aria-live="polite"' in html and '<label for="x-timing">' in html and '<label for="x-words">' in html
    # Without a script the controls stay hidden: they would do nothing.
    assert '<div class="mbcbook-table-controls" hidden>' in html
    assert 'data-column="Overall survival" data-sort="">no result published' in html
    assert 'data-column="Randomised" data-sort="350">350' in html


def test_the_table_escapes_what_it_shows(table):
    odd = table.copy()
    odd.loc[0, "Population"] = "<script>alert(1)</script>"
    assert "<script>alert" not in trials.comparison_html(odd)


def test_forest_rows_group_by_timing_and_keep_observational_apart(evidence_tables):
    ev = evidence_tables
    rows = trials.forest_rows(ev.effects, ev.trials, ev.meta_analyses, ev.references)
    assert rows["panel"].drop_duplicates().tolist() == list(trials.PANEL_COLOURS)
    observational = rows[rows["panel"] == trials.OBSERVATIONAL]
    assert observational["row_id"].tolist() == ["petrelli2012-os", "headon2016-os", "sidiropoulou2023-obs"]
    by_id = rows.set_index("row_id")
    assert by_id.loc["e2108-os", "level"] == "90%" and by_id.loc["tata-os", "level"] == "95%"
    assert by_id.loc["petrelli2012-os", "level"] == "not published"
    assert not by_id.loc["abcsg-28-os", "direction_stated"]
    assert by_id.loc["abcsg-28-os", "row_label"].startswith("ABCSG-28 POSYTIVE (direction not stated): HR 0.691")
    assert by_id.loc["e2108-os", "citation"] == "Khan et al. 2022, Journal of Clinical Oncology"
    # Subgroups are not drawn.
    assert "mf07-01-2018-os-bone-only" not in by_id.index


def test_forest_chart_tooltips_cite_and_colours_differ(evidence_tables):
    ev = evidence_tables
    spec = trials.trial_forest_chart(ev.effects, ev.trials, ev.meta_analyses, ev.references).to_dict()
    text = str(spec)
    assert "'field': 'citation'" in text
    colours = {panel["layer"][1]["encoding"]["color"]["value"] for panel in spec["vconcat"]}
    assert len(colours) == 3
    assert "90% CI" in spec["description"] and "direction is not interpreted" in spec["description"]


def test_citation_falls_back_to_the_key(evidence_tables):
    assert trials.citation(evidence_tables.references, "no-such-key") == "no-such-key"
    assert trials.citation(evidence_tables.references, "tosello2018").startswith("Tosello et al. 2018, Cochrane")
