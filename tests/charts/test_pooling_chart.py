"""The web book's pooling tool: every subset carried in the page, each trial at its own level."""

from __future__ import annotations

import pytest

from mbcbook.analysis import pooling
from mbcbook.charts import pooling as pooling_chart
from mbcbook.site.vega import vegalite_to_vega


@pytest.fixture(scope="module")
def names(evidence_tables):
    return evidence_tables.trials["name"].to_dict()


@pytest.fixture(scope="module")
def spec(evidence_tables, names):
    return pooling_chart.pooling_chart(evidence_tables, names).to_dict()


def test_each_trial_row_shows_its_published_interval_oriented(evidence_tables, names):
    rows = pooling_chart.trial_rows(evidence_tables, names)
    assert len(rows) == 5 * len(pooling.READINGS)
    by = rows.set_index(["reading", "trial"])
    assert by.loc[("st-lrt", "e2108"), "label_text"] == "ECOG-ACRIN E2108: HR 1.11 (90% CI 0.82–1.52)"
    assert by.loc[("st-lrt", "e2108"), "level"] == "90%"
    inverted = by.loc[("st-lrt", "abcsg-28")]
    assert inverted["label_text"] == ("ABCSG-28 POSYTIVE (read as no surgery against surgery): "
                                      "HR 1.45 (95% CI 0.75–2.79)")
    assert inverted["low"] == pytest.approx(1 / 1.333) and inverted["high"] == pytest.approx(1 / 0.358)
    as_is = by.loc[("lrt-st", "abcsg-28")]
    assert as_is["hr"] == pytest.approx(0.691) and as_is["low"] == pytest.approx(0.358)
    # Rows are stacked: each label above its point, the next row below.
    tata, mf = by.loc[("st-lrt", "tata")], by.loc[("st-lrt", "mf07-01")]
    assert tata["label_y"] < tata["bar_mid"] < mf["label_y"] < mf["bar_mid"]


def test_the_page_carries_every_subset_and_looks_it_up(spec):
    results = spec["datasets"]["pooling_results"]
    assert len(results) == 2 ** 5 * 2 * 2
    cochrane = [r for r in results if r["key"] == "11000" and r["method"] == "random"]
    assert {round(r["hr"], 2) for r in cochrane} == {0.83} and cochrane[0]["lines"][2].startswith("HR 0.83 (95% CI")
    alone = next(r for r in results if r["key"] == "10000" and r["method"] == "random")
    assert alone["hr"] is None and " ".join(alone["lines"]).startswith("Nothing to pool: only Tata Memorial is chosen")
    names = [p["name"] for p in spec["params"]]
    # The radio buttons first: ticking every trial off from the keyboard would leave them nothing to change.
    assert names == ["method", "reading", "pick_0", "pick_1", "pick_2", "pick_3", "pick_4"]
    assert all(p["bind"]["input"] == "checkbox" for p in spec["params"][2:])
    lookup = str(spec)
    assert "(pick_0 ? '1' : '0') + (pick_1 ? '1' : '0')" in lookup and "datum.method == method" in lookup


def test_the_chart_compiles_offline_and_says_what_it_shows(spec):
    vega = vegalite_to_vega(spec)
    assert {s["name"] for s in vega["signals"]} >= {"pick_0", "method", "reading"}
    assert spec["description"].startswith("Forest plot with a checkbox for each randomised trial")
    assert "ECOG-ACRIN E2108: HR 1.11 (90% CI 0.82–1.52)" in spec["description"]
    assert "Pooled, 5 trials, random effects" in spec["description"]


def test_the_text_alternative_lists_trials_then_pools(evidence_tables, names):
    table = pooling_chart.pooling_table(evidence_tables, names)
    assert len(table) == 5 * 2 + 2 * 2
    assert table["Row"].iloc[-1].startswith("Pooled, 5 trials")


def test_result_lines_fit_a_phone():
    row = {"method": "fixed", "k": 3, "hr": 0.9, "ci_low": 0.8, "ci_high": 1.01, "i2": 0.0, "tau2": 0.0, "q": 1.234,
           "message": None}
    lines = pooling_chart.result_lines(row)
    assert lines == ["Pooled, 3 trials, fixed effect:", "HR 0.90 (95% CI 0.80–1.01); I² 0%, tau²",
                     "0.000, Q 1.23 on 2 df"]
    assert all(len(line) <= 45 for line in lines)
