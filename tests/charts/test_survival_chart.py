"""The survival explorer: every trial in one spec, controls bound in the page, and the words
"reconstructed from published summaries" on the chart itself."""

from __future__ import annotations

import json

import pytest
import vl_convert as vlc

from mbcbook.analysis import reconstruction as recon
from mbcbook.charts import survival as survival_charts


@pytest.fixture(scope="module")
def spec(reconstructions):
    return survival_charts.explorer_chart(reconstructions).to_dict()


def _params(spec):
    return {param["name"]: param for param in spec["params"]}


def test_the_controls_are_a_trial_drop_down_a_band_checkbox_and_a_time_slider(spec, reconstructions):
    params = _params(spec)
    assert params["trial"]["bind"]["input"] == "select"
    assert params["trial"]["bind"]["options"] == list(reconstructions)
    assert params["trial"]["bind"]["labels"] == [rec.trial_name for rec in reconstructions.values()]
    assert params["bands"]["bind"]["input"] == "checkbox" and params["bands"]["value"] is True
    cursor = params["cursor"]
    assert cursor["bind"]["input"] == "range" and cursor["bind"]["step"] == recon.GRID_MONTHS
    assert cursor["bind"]["max"] == max(params["trial_end"]["value"].values())


def test_every_trial_says_on_the_chart_that_it_is_reconstructed_and_with_which_model(spec, reconstructions):
    assert spec["title"]["text"] == {"expr": "trial_title[trial]"}
    titles = _params(spec)["trial_title"]["value"]
    for rid, rec in reconstructions.items():
        words = " ".join(titles[rid])
        assert rec.trial_name in words
        assert "reconstructed from published summaries" in words
        assert f"(model: {rec.model_label})" in words
        assert all(len(line) <= 38 for line in titles[rid]), "title lines must fit a 360 px phone"


def test_the_page_carries_every_trial_and_draws_only_the_chosen_one(spec, reconstructions):
    for name in ("curves", "marks", "at_risk"):
        assert {row["trial"] for row in spec["datasets"][name]} == set(reconstructions)
    assert json.dumps(spec).count("datum.trial == trial") >= 3  # curves, marks, numbers at risk


def test_the_published_medians_and_landmarks_are_marked(spec, evidence_tables):
    marks = [row for row in spec["datasets"]["marks"] if row["trial"] == "tata"]
    assert {(row["time_months"], row["survival"]) for row in marks} == {(19.2, 0.5), (20.5, 0.5), (24, 0.419),
                                                                         (24, 0.43)}
    assert any("published median 19.2 months" in row["what"] for row in marks)


def test_the_curves_in_the_page_are_python_s_curves(spec, reconstructions):
    rows = [row for row in spec["datasets"]["curves"] if row["trial"] == "e2108" and row["time_months"] == 36]
    read = {row["arm"]: row["survival"] for row in rows}
    for arm in recon.ARMS:
        assert read[arm] == pytest.approx(float(reconstructions["e2108"].read(arm, [36])["survival"].iloc[0]), abs=5e-4)


def test_the_spec_compiles_to_vega_without_a_network(spec):
    vega = vlc.vegalite_to_vega(spec)
    assert {signal["name"] for signal in vega["signals"]} >= {"trial", "bands", "cursor"}


def test_the_description_names_every_trial_and_its_medians(spec, reconstructions):
    for rec in reconstructions.values():
        assert rec.trial_name in spec["description"]
    assert spec["description"].startswith("Step chart of overall survival reconstructed from published summaries")


def test_the_data_table_has_one_row_per_arm_with_yearly_survival(reconstructions):
    table = survival_charts.explorer_table(reconstructions)
    assert len(table) == 2 * len(reconstructions)
    tata = table[(table["Trial"] == "Tata Memorial") & (table["Arm"] == "Locoregional treatment")].iloc[0]
    assert tata["Published median (months)"] == "19.2"
    assert tata["Why this model"].startswith("Weibull: two published figures, a median of 19.2 months and survival "
                                             "0.419 at 24 months")
    assert tata["Survival at 2 years"] == f"{float(reconstructions['tata'].read('lrt', [24])['survival'].iloc[0]):.1%}"
    jcog = table[table["Trial"].str.startswith("JCOG1017")].iloc[0]
    assert jcog["Survival at 5 years"].endswith("%")


def test_the_live_spec_swaps_data_into_the_kept_template(reconstructions):
    first = survival_charts.trial_spec(reconstructions["tata"], 500)
    second = survival_charts.trial_spec(reconstructions["abcsg-28"], 500)
    assert second == survival_charts.trial_chart(reconstructions["abcsg-28"], 500).to_dict()
    assert first["datasets"] != second["datasets"]
    assert "bind" not in _params(second)["trial"]  # one trial: no drop-down


def test_the_kept_template_follows_the_active_theme(reconstructions):
    """A template written before charts.enable() must not lend its theme to a spec written after."""
    import altair as alt

    from mbcbook import charts

    tata = reconstructions["tata"]
    theme, renderer = alt.theme.active, alt.renderers.active
    try:
        alt.theme.enable("default")
        survival_charts.trial_spec(tata, 321)
        charts.enable()  # the book's theme, as a chapter's setup cell enables it
        assert alt.theme.active != "default"
        assert survival_charts.trial_spec(tata, 321) == survival_charts.trial_chart(tata, 321).to_dict()
    finally:
        alt.theme.enable(theme)
        alt.renderers.enable(renderer)


def test_the_tables_for_the_page(evidence_tables, reconstructions):
    plan = survival_charts.settings_table(evidence_tables, reconstructions)
    assert plan.loc[plan["Trial"] == "JCOG1017 (PRIM-BC)", "Accrual (months)"].iloc[0] == "84 (published)"
    assert plan.loc[plan["Trial"] == "Tata Memorial", "Deaths: published / reconstructed"].iloc[0].startswith("235 / ")
    assert survival_charts.settings_notes(evidence_tables, reconstructions).count("\n- ") == len(reconstructions) - 1
    arms = survival_charts.arm_check_table(reconstructions)
    assert arms.columns[-1] == "Consistent (a median within 5%, a landmark within 2 points)"
    assert set(arms.iloc[:, -1]) == {"yes"} and not arms["Difference"].str.startswith("-0.0").any()
    ratios = survival_charts.hazard_ratio_check_table(reconstructions)
    jcog = ratios[ratios["Trial"] == "JCOG1017 (PRIM-BC)"].iloc[0]
    assert "90% CI" in jcog["Published HR"] and "90% CI" in jcog["Reconstructed HR"]
    assert ratios["Compared"].str.contains("the paper does not say").sum() == 2


def test_the_explorer_and_lifelines_load_only_when_a_chapter_asks_for_them():
    import subprocess
    import sys

    script = ("import sys\nfrom mbcbook import charts, widgets\nassert 'lifelines' not in sys.modules\n"
              "assert charts.show_survival_explorer.__name__ == 'show_explorer'\n"
              "assert widgets.survival_explorer.__module__ == 'mbcbook.widgets.survival'\n"
              "assert 'lifelines' in sys.modules\n")
    subprocess.run([sys.executable, "-c", script], check=True)
    from mbcbook import charts, widgets
    for module in (charts, widgets):
        with pytest.raises(AttributeError, match=r"has no attribute 'survival_'"):
            module.survival_  # noqa: B018 (the attribute lookup is the test)
