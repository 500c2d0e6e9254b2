"""Each trial rebuilt from data/ gives back what was published (issue 9's self-consistency checks).

The published figures are in data/arms.csv and data/effects.csv, with their sources; the
settings each reconstruction uses (arm sizes, accrual, follow-up) are in data/reconstructions.csv,
each marked published or assumed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbcbook import evidence
from mbcbook.analysis import reconstruction as recon
from mbcbook.analysis import survival
from mbcbook.errors import InputError


@pytest.fixture(scope="module")
def arm_checks(reconstructions):
    return recon.arm_checks(reconstructions)


@pytest.fixture(scope="module")
def hr_checks(reconstructions):
    return recon.hazard_ratio_checks(reconstructions)


def test_every_row_of_the_file_is_rebuilt(evidence_tables, reconstructions):
    assert list(reconstructions) == list(evidence_tables.reconstructions.index)
    assert {"tata", "mf07-01", "jcog1017", "e2108", "abcsg-28"} <= set(reconstructions)


def test_every_published_median_is_given_back_within_five_percent(arm_checks):
    medians = arm_checks[arm_checks["figure"] == "median"]
    assert len(medians) >= 10  # at least the two arms of each of the five trials of the review
    far = medians[(medians["reconstructed"] / medians["published"] - 1).abs() > 0.05]
    assert far.empty, far[["trial", "arm", "published", "reconstructed"]].to_string()
    assert medians["consistent"].all()


def test_every_published_landmark_is_given_back_within_two_points(arm_checks):
    landmarks = arm_checks[arm_checks["figure"] == "landmark"]
    assert set(landmarks["reconstruction_id"]) >= {"tata", "mf07-01", "e2108"}
    assert ((landmarks["reconstructed"] - landmarks["published"]).abs() <= 0.02).all()
    assert landmarks["consistent"].all()


def test_every_reconstructed_hazard_ratio_is_inside_the_published_interval(hr_checks):
    stated = hr_checks[hr_checks["orientation_stated"]]
    assert set(stated["reconstruction_id"]) >= {"tata", "mf07-01", "jcog1017", "e2108"}
    for _, row in stated.iterrows():
        assert row["ci_low"] <= row["reconstructed_hr"] <= row["ci_high"], row.to_dict()
        assert row["inside"]


def test_the_abcsg28_hazard_ratio_fits_only_as_no_surgery_against_surgery(evidence_tables, hr_checks):
    """evidence.md: 0.691 fits the medians (34.6 with surgery, 54.8 without) only read as no surgery vs surgery."""
    assert evidence_tables.effects.loc["abcsg-28-os", "treatment_arm"] == "not_stated"
    rows = hr_checks[hr_checks["reconstruction_id"] == "abcsg-28"].set_index("treatment_arm")
    assert not rows.loc["lrt", "inside"] and rows.loc["lrt", "reconstructed_hr"] > rows.loc["lrt", "ci_high"]
    assert rows.loc["st", "inside"]
    assert rows.loc["st", "reconstructed_hr"] == pytest.approx(1 / rows.loc["lrt", "reconstructed_hr"], rel=1e-3)


def test_hazard_ratios_are_computed_at_the_published_level(reconstructions, hr_checks):
    levels = hr_checks.set_index("reconstruction_id")["ci_level"]
    assert levels["jcog1017"] == 0.90 and levels["e2108"] == 0.90 and levels["tata"] == 0.95
    at_90 = reconstructions["jcog1017"].hazard_ratio()
    at_95 = reconstructions["jcog1017"].hazard_ratio(ci_level=0.95)
    assert at_90.ci_level == 0.90
    assert at_95.ci_low < at_90.ci_low < at_90.hr < at_90.ci_high < at_95.ci_high


def test_settings_come_from_the_file_with_their_basis(evidence_tables, reconstructions):
    jcog = reconstructions["jcog1017"].settings
    assert (jcog.accrual_months, jcog.follow_up_months, jcog.follow_up_kind) == (84, 60, "median")
    assert jcog.n == {"lrt": 202, "st": 205} and set(jcog.basis.values()) == {"published"}
    assert reconstructions["tata"].settings.basis == {"n": "assumed", "accrual": "assumed", "follow_up": "assumed"}
    assert reconstructions["e2108"].settings.n == {"lrt": int(evidence_tables.arms.loc["e2108-lrt", "n_randomised"]),
                                          "st": int(evidence_tables.arms.loc["e2108-st", "n_randomised"])}


def test_arms_get_the_model_their_figures_allow(reconstructions):
    assert reconstructions["tata"].arms["lrt"].model.model == "weibull"  # median and 2-year survival
    assert reconstructions["jcog1017"].arms["lrt"].model.model == "exponential"  # a median only
    assert reconstructions["mf07-01"].model_label == "Weibull, both arms"
    assert reconstructions["abcsg-28"].model_label == "exponential, both arms"


def test_a_mixed_model_is_named_arm_by_arm(reconstructions):
    tata = reconstructions["tata"]
    mixed = recon.rebuild(tata, {"lrt": {"median_months": 19.2, "landmarks": []},
                                 "st": {"median_months": 20.5, "landmarks": [(24, 0.43)]}}, tata.settings)
    assert mixed.model_label == "exponential (lrt), Weibull (st)"


def test_reconstructions_are_reproducible_and_follow_the_seed(evidence_tables, reconstructions):
    again = recon.reconstruct(evidence_tables, "abcsg-28")
    assert again.patients.equals(reconstructions["abcsg-28"].patients)
    other = recon.reconstruct(evidence_tables, "abcsg-28", seed=7)
    assert not other.patients.equals(again.patients)


def test_weights_add_up_to_the_arm_sizes(reconstructions):
    for rec in reconstructions.values():
        totals = rec.patients.groupby("arm")["weight"].sum()
        assert totals.round(6).to_dict() == {arm: float(n) for arm, n in rec.settings.n.items()}
        assert len(rec.patients) == recon.COPIES * sum(rec.settings.n.values())


def test_expected_deaths_are_the_weighted_deaths(reconstructions):
    rec = reconstructions["tata"]
    deaths = recon.expected_deaths(rec)
    assert deaths == pytest.approx(rec.patients.loc[rec.patients["event"] == 1, "weight"].sum())
    assert 0 < deaths <= sum(rec.settings.n.values())


def test_curves_are_read_on_the_grid_as_steps(reconstructions):
    rec = reconstructions["e2108"]
    curves = rec.curves()
    assert list(curves.columns) == ["arm", "label", "time_months", "survival", "ci_low", "ci_high"]
    lrt = curves[curves["arm"] == "lrt"]
    assert lrt["time_months"].iloc[0] == 0 and lrt["survival"].iloc[0] == 1
    assert (lrt["time_months"].diff().dropna() == recon.GRID_MONTHS).all()
    assert lrt["survival"].is_monotonic_decreasing
    at_36 = lrt.loc[lrt["time_months"] == 36, "survival"].iloc[0]
    assert at_36 == pytest.approx(float(rec.read("lrt", [36])["survival"].iloc[0]))
    assert lrt["time_months"].iloc[-1] <= rec.patients["time_months"].max()


def test_numbers_at_risk_start_at_the_arm_sizes_and_fall(reconstructions):
    risk = reconstructions["tata"].at_risk()
    first = risk[risk["time_months"] == 0].set_index("arm")["n_at_risk"].to_dict()
    assert first == {"lrt": 175, "st": 175}
    for _, rows in risk.groupby("arm"):
        assert rows["n_at_risk"].is_monotonic_decreasing
        assert (rows["time_months"] % recon.AT_RISK_EVERY == 0).all()


def test_the_grouped_table_gives_the_same_hazard_ratio(reconstructions):
    from mbcbook.analysis import survival
    rec = reconstructions["abcsg-28"]
    exact = survival.hazard_ratio(rec.patients, "lrt", "st")
    grouped = rec.hazard_ratio(ci_level=0.95)
    assert grouped.hr == pytest.approx(exact.hr, abs=0.01)
    assert len(recon.grouped(rec.patients)) < len(rec.patients) / 2
    assert len(recon.grouped(reconstructions["tata"].patients)) < len(reconstructions["tata"].patients) / 3


def test_grouping_rounds_times_up_and_sums_weights():
    table = pd.DataFrame({"time_months": [0.05, 0.1, 0.1, 0.31], "event": [1, 1, 0, 1], "arm": "a"})
    out = recon.grouped(table, 0.1)
    assert out.to_dict("list") == {"arm": ["a", "a", "a"], "event": [0, 1, 1], "time_months": [0.1, 0.1, 0.4],
                                   "weight": [1.0, 2.0, 1.0]}


def test_orientations():
    assert recon.orientations(pd.Series({"treatment_arm": "lrt", "reference_arm": "st"})) == [("lrt", "st")]
    assert recon.orientations(pd.Series({"treatment_arm": "st", "reference_arm": "lrt"})) == [("st", "lrt")]
    assert recon.orientations(pd.Series({"treatment_arm": "not_stated", "reference_arm": "not_stated"})) == [
        ("lrt", "st"), ("st", "lrt")]


def test_an_unknown_reconstruction_is_explained(evidence_tables):
    with pytest.raises(InputError, match=r"no reconstruction called 'nope'; data/reconstructions.csv has tata, "):
        recon.reconstruct(evidence_tables, "nope")


def test_a_report_without_its_two_arms_is_explained(evidence_tables):
    broken = evidence.load()
    broken.reconstructions.loc["tata", "arms_report"] = "20-year update"
    with pytest.raises(InputError, match=r"reconstruction 'tata': data/arms.csv needs exactly one lrt arm of trial "
                                         r"'tata' in report '20-year update', found 0"):
        recon.reconstruct(broken, "tata")


@pytest.mark.parametrize("figures, settings_change, message", [
    ({"lrt": {"median_months": -3}}, {}, r"^Locoregional treatment: median survival must be above 0 months, got -3"),
    ({"st": {"median_months": 20, "landmarks": [(24, 1.2)]}}, {},
     r"^No locoregional treatment: survival at landmark 1 must be a proportion strictly between 0 and 1"),
    ({"st": {"median_months": 20, "landmarks": [(12, 0.4)]}}, {},
     r"^No locoregional treatment: survival of 0.4 at 12 months is inconsistent with a median of 20 months"),
    ({}, {"n": {"lrt": 1, "st": 175}}, r"^Locoregional treatment: the number of patients in an arm must be between 2"),
    ({}, {"follow_up_months": -1}, r"^Locoregional treatment: the follow-up must be 0 months or more, got -1"),
])
def test_bad_figures_and_settings_are_explained_with_the_arm(reconstructions, figures, settings_change, message):
    tata = reconstructions["tata"]
    given = {arm: {"median_months": tata.arms[arm].median_months, "landmarks": list(tata.arms[arm].landmarks)}
             for arm in recon.ARMS}
    for arm, change in figures.items():
        given[arm] = {"landmarks": [], **change}
    plan = recon.Settings(**{**tata.settings.__dict__, **settings_change})
    with pytest.raises(InputError, match=message):
        recon.rebuild(tata, given, plan)


@settings(max_examples=25, deadline=None)
@given(median=st.one_of(st.none(), st.floats(-10, 300)), months=st.floats(-5, 300),
       alive=st.floats(-0.5, 1.5), n=st.integers(-3, 400), accrual=st.floats(-5, 120),
       follow=st.floats(-5, 200), kind=st.sampled_from(["median", "minimum", "mean"]),
       model=st.sampled_from(["auto", "exponential", "weibull", "cubic"]))
def test_any_rebuild_gives_curves_or_an_input_error(reconstructions, median, months, alive, n, accrual, follow, kind,
                                                    model):
    base = reconstructions["abcsg-28"]
    figures = {arm: {"median_months": median, "landmarks": [(months, alive)]} for arm in recon.ARMS}
    plan = recon.Settings({"lrt": n, "st": 45}, accrual, follow, kind, {})
    try:
        rebuilt = recon.rebuild(base, figures, plan, copies=2)
    except InputError:
        return
    assert set(rebuilt.patients["arm"]) == {"lrt", "st"}
    assert all(math.isnan(v) or v > 0 for v in rebuilt.medians.values())


# ---------------------------------------------------------------- every field, as the page and the tests read it


def test_arm_checks_rows_in_full(arm_checks, reconstructions):
    assert list(arm_checks.columns) == ["reconstruction_id", "trial", "arm", "label", "model", "figure",
                                        "time_months", "published", "reconstructed", "difference", "consistent"]
    tata = arm_checks[arm_checks["reconstruction_id"] == "tata"].reset_index(drop=True)
    median, landmark = tata.iloc[0].to_dict(), tata.iloc[1].to_dict()
    rec = reconstructions["tata"]
    assert median == {"reconstruction_id": "tata", "trial": "Tata Memorial", "arm": "lrt",
                      "label": "Locoregional treatment", "model": rec.arms["lrt"].model.label, "figure": "median",
                      "time_months": 19.2, "published": 19.2, "reconstructed": rec.medians["lrt"],
                      "difference": pytest.approx(rec.medians["lrt"] / 19.2 - 1), "consistent": True}
    read = float(rec.read("lrt", [24])["survival"].iloc[0])
    assert landmark == {**median, "figure": "landmark", "time_months": 24.0, "published": 0.419,
                        "reconstructed": read, "difference": pytest.approx(read - 0.419), "consistent": True}
    assert list(arm_checks["arm"].iloc[:4]) == ["lrt", "lrt", "st", "st"]


def test_hazard_ratio_checks_rows_in_full(hr_checks, reconstructions):
    assert list(hr_checks.columns) == ["reconstruction_id", "trial", "effect_id", "published_hr", "ci_low", "ci_high",
                                       "ci_level", "orientation_stated", "treatment_arm", "reference_arm",
                                       "reconstructed_hr", "reconstructed_low", "reconstructed_high", "inside"]
    jcog = hr_checks[hr_checks["reconstruction_id"] == "jcog1017"].iloc[0].to_dict()
    hr = reconstructions["jcog1017"].hazard_ratio("lrt", "st", 0.90)
    assert jcog == {"reconstruction_id": "jcog1017", "trial": "JCOG1017 (PRIM-BC)", "effect_id": "jcog1017-os",
                    "published_hr": 0.86, "ci_low": 0.69, "ci_high": 1.07, "ci_level": 0.90,
                    "orientation_stated": True, "treatment_arm": "lrt", "reference_arm": "st",
                    "reconstructed_hr": hr.hr, "reconstructed_low": hr.ci_low, "reconstructed_high": hr.ci_high,
                    "inside": True}


@pytest.mark.parametrize("difference, tolerance, expected", [
    (0.05, 0.05, True), (-0.05, 0.05, True), (0.0500001, 0.05, False), (-0.0500001, 0.05, False), (0, 0.02, True)])
def test_within_includes_its_limit(difference, tolerance, expected):
    assert recon.within(difference, tolerance) is expected


@pytest.mark.parametrize("value, expected", [(0.69, True), (1.07, True), (0.6899, False), (1.0701, False)])
def test_inside_includes_both_limits(value, expected):
    assert recon.inside(value, 0.69, 1.07) is expected


def test_a_published_arm_keeps_every_figure(evidence_tables):
    e2108 = recon.published_arm(evidence_tables.arms.loc["e2108-st"], 131, "exponential")
    assert (e2108.arm, e2108.label, e2108.n, e2108.median_months, e2108.landmarks) == (
        "st", "Continued systemic therapy", 131, 53.1, ((36.0, 0.679),))
    assert e2108.model.model == "exponential"  # the model asked for, not the automatic choice
    jcog = recon.published_arm(evidence_tables.arms.loc["jcog1017-lrt"], 202)
    assert (jcog.median_months, jcog.landmarks, jcog.model.model) == (75.0, (), "exponential")
    mf = recon.published_arm(evidence_tables.arms.loc["mf07-01-2018-lrt"].copy().pipe(
        lambda row: row.where(row.index != "landmark_months", 120).where(row.index != "landmark_os", 0.19)), 138)
    assert (mf.median_months, mf.landmarks, mf.model.model) == (None, ((120.0, 0.19),), "exponential")


@pytest.mark.parametrize("value, missing", [(None, True), (float("nan"), True), (pd.NA, True), (0.0, False),
                                            (12.5, False)])
def test_missing_values_are_none_nan_and_na(value, missing):
    assert survival.is_missing(value) is missing


def test_settings_of_a_row(evidence_tables):
    plan = recon.settings_of(evidence_tables.reconstructions.loc["abcsg-28"])
    assert plan == recon.Settings(n={"lrt": 45, "st": 45}, accrual_months=48.0, follow_up_months=37.5,
                                  follow_up_kind="median",
                                  basis={"n": "published", "accrual": "published", "follow_up": "published"})


def test_reconstruct_passes_its_options_on(evidence_tables, reconstructions):
    small = recon.reconstruct(evidence_tables, "abcsg-28", model="exponential", seed=3, copies=2)
    assert (small.reconstruction_id, small.trial_name) == ("abcsg-28", "ABCSG-28 POSYTIVE")
    assert small.settings == reconstructions["abcsg-28"].settings
    assert small.published.name == "abcsg-28-os"
    assert len(small.patients) == 2 * 90 and list(small.patients.index) == list(range(180))
    again = recon.reconstruct(evidence_tables, "abcsg-28", model="exponential", seed=3, copies=2)
    assert small.patients.equals(again.patients)
    assert not small.patients.equals(recon.reconstruct(evidence_tables, "abcsg-28", seed=4, copies=2).patients)
    weibull = recon.reconstruct(evidence_tables, "e2108", model="exponential", copies=1)
    assert {weibull.arms[arm].model.model for arm in recon.ARMS} == {"exponential"}
    assert len(recon.reconstruct_all(evidence_tables, copies=1)["tata"].patients) == 350


def test_the_draws_are_stratified(evidence_tables):
    rec = recon.reconstruct(evidence_tables, "jcog1017", copies=1)
    lrt = rec.patients[rec.patients["arm"] == "lrt"]
    # Stratified entry times: one patient in each 1/202 of the accrual period.
    entry = np.sort(rec.settings.accrual_months / 2 + rec.settings.follow_up_months - lrt["time_months"][
        lrt["event"] == 0])
    slices = np.floor(entry / (rec.settings.accrual_months / 202))
    assert len(set(slices)) == len(slices)


def test_a_rebuild_keeps_the_trial_and_takes_the_new_figures(reconstructions):
    tata = reconstructions["tata"]
    figures = {"lrt": {"median_months": 25.0, "landmarks": [(36, 0.3)]}, "st": {"median_months": 20.5}}
    plan = recon.Settings({"lrt": 100, "st": 120}, 24, 60, "median", {})
    rebuilt = recon.rebuild(tata, figures, plan, model="auto", seed=5, copies=3)
    assert (rebuilt.reconstruction_id, rebuilt.trial_name, rebuilt.settings) == ("tata", "Tata Memorial", plan)
    assert rebuilt.published.name == "tata-os"
    lrt, st_arm = rebuilt.arms["lrt"], rebuilt.arms["st"]
    assert (lrt.arm, lrt.label, lrt.n, lrt.median_months, lrt.landmarks) == (
        "lrt", tata.arms["lrt"].label, 100, 25.0, ((36, 0.3),))
    assert (st_arm.arm, st_arm.n, st_arm.median_months, st_arm.landmarks, st_arm.model.model) == (
        "st", 120, 20.5, (), "exponential")
    assert len(rebuilt.patients) == 3 * 220 and list(rebuilt.patients.index) == list(range(660))
    same = recon.rebuild(tata, figures, plan, seed=5, copies=3)
    assert same.patients.equals(rebuilt.patients)
    assert not recon.rebuild(tata, figures, plan, seed=6, copies=3).patients.equals(rebuilt.patients)
    exponential = recon.rebuild(tata, figures, plan, model="exponential", copies=1)
    assert exponential.arms["lrt"].model.model == "exponential"


def test_curves_cover_whole_months_up_to_the_last_follow_up(reconstructions):
    rec = reconstructions["abcsg-28"]
    curves = rec.curves()
    end = rec.patients["time_months"].max()
    lrt = curves[curves["arm"] == "lrt"]
    assert list(lrt["time_months"]) == list(np.arange(0.0, math.floor(end) + 1))
    assert list(curves.index) == list(range(len(curves)))
    half = rec.curves(grid_months=0.5)
    assert half["time_months"].iloc[1] == 0.5 and half["time_months"].max() == math.floor(end * 2) / 2
    st_arm = curves[curves["arm"] == "st"]
    assert (st_arm["survival"].to_numpy() != lrt["survival"].to_numpy()).any()
    assert lrt["label"].iloc[0] == rec.arms["lrt"].label


def test_reading_an_arm_reads_that_arm(reconstructions):
    rec = reconstructions["abcsg-28"]
    lrt, st_arm = rec.read("lrt", [24.0]), rec.read("st", [24])
    assert set(lrt["arm"]) == {"lrt"} and set(st_arm["arm"]) == {"st"}
    assert float(lrt["survival"].iloc[0]) < float(st_arm["survival"].iloc[0])


def test_grouping_keeps_the_columns_in_order_and_a_clean_index():
    table = pd.DataFrame({"time_months": [0.30000001, 0.1, 0.2], "event": [1, 1, 0], "arm": ["b", "a", "a"],
                          "weight": [0.5, 0.25, 0.25]})
    out = recon.grouped(table, 0.1)
    assert list(out.columns) == ["arm", "event", "time_months", "weight"]
    assert list(out.index) == [0, 1, 2]
    assert out.to_dict("list") == {"arm": ["a", "a", "b"], "event": [0, 1, 1], "time_months": [0.2, 0.1, 0.4],
                                   "weight": [0.25, 0.25, 0.5]}
    assert recon.grouped(table)["time_months"].tolist() == [0.25, 0.25, 0.5]


def test_one_orientation_stated_is_not_enough():
    assert recon.orientations(pd.Series({"treatment_arm": "lrt", "reference_arm": "not_stated"})) == [
        ("lrt", "st"), ("st", "lrt")]
