"""The selection-bias lab on the page: every setting of the grid carried, chosen by two sliders."""

from __future__ import annotations

import pytest

from mbcbook.analysis import selection
from mbcbook.charts import selection as lab_charts
from mbcbook.site.vega import vegalite_to_vega


@pytest.fixture(scope="module")
def small_grid():
    return selection.grid([0, 0.5, 1], [0, 1], patients=400)


@pytest.fixture(scope="module")
def spec(small_grid):
    return lab_charts.lab_chart(small_grid).to_dict()


def test_every_setting_is_in_the_page(small_grid, spec):
    rows = [row for values in spec["datasets"].values() for row in values if "method" in row]
    curves = [row for values in spec["datasets"].values() for row in values if "group" in row]
    assert len(rows) == 3 * 2 * 4
    assert len(curves) == 3 * 2 * 2 * len(selection.GRID_MONTHS)
    assert {(r["selection"], r["hidden"]) for r in rows} == {(s, h) for s in (0, 0.5, 1) for h in (0, 1)}
    naive = next(r for r in rows if r["method"] == "naive" and r["selection"] == 1 and r["hidden"] == 0)
    expected = small_grid.estimates.query("method == 'naive' and selection == 1 and hidden == 0").iloc[0]
    assert naive["hr"] == pytest.approx(expected["hr"], abs=1e-4)
    assert naive["label_text"] == lab_charts.estimate_label(expected)


def test_sliders_step_through_the_grid(spec):
    params = {p["name"]: p for p in spec["params"]}
    assert params["selection"]["bind"] == {"input": "range", "min": 0.0, "max": 1.0, "step": 0.5,
                                           "name": "Selection of the fitter patients (0 none, 1 strong) "}
    assert params["hidden"]["bind"]["step"] == 1.0 and params["hidden"]["value"] == 0.0
    assert "abs(datum.selection - selection) < 0.001" in str(spec)


def test_rows_stay_put_while_the_sliders_move(spec):
    rows = [row for values in spec["datasets"].values() for row in values if "method" in row]
    for method in selection.METHODS:
        assert len({(r["label_y"], r["bar_mid"]) for r in rows if r["method"] == method}) == 1


def test_the_chart_compiles_and_describes_the_truth(spec):
    vegalite_to_vega(spec)
    assert "true hazard ratio 1" in spec["description"]
    assert "at selection 1 and hidden confounding 1: naive HR" in spec["description"]
    assert spec["title"]["subtitle"][0].startswith("Simulated patients (not data from any study)")


def test_one_setting_for_the_live_notebook():
    result = selection.lab(0.5, 0.0, patients=400)
    spec = lab_charts.lab_setting_chart(result, 500).to_dict()
    assert not spec.get("params") and spec["vconcat"][0]["width"] == 500
    assert "at selection 0.5 and hidden confounding 0" in spec["description"]


def test_the_table_lists_every_estimate(small_grid):
    table = lab_charts.lab_table(small_grid)
    assert len(table) == len(small_grid.estimates)
    assert list(table.columns) == ["Selection", "Unmeasured confounder", "Analysis", "Hazard ratio (95% CI)",
                                   "Share operated"]
