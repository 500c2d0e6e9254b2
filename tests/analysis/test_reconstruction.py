"""Each trial rebuilt from data/ gives back what was published (issue 9's self-consistency checks).

The published figures are in data/arms.csv and data/effects.csv, with their sources; the
settings each reconstruction uses (arm sizes, accrual, follow-up) are in data/reconstructions.csv,
each marked published or assumed.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbcbook import evidence
from mbcbook.analysis import reconstruction as recon
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
    assert len(medians) == 10  # two arms in each of the five reconstructions publish a median
    far = medians[(medians["reconstructed"] / medians["published"] - 1).abs() > 0.05]
    assert far.empty, far[["trial", "arm", "published", "reconstructed"]].to_string()
    assert medians["consistent"].all()


def test_every_published_landmark_is_given_back_within_two_points(arm_checks):
    landmarks = arm_checks[arm_checks["figure"] == "landmark"]
    assert set(landmarks["reconstruction_id"]) == {"tata", "mf07-01", "e2108"}
    assert ((landmarks["reconstructed"] - landmarks["published"]).abs() <= 0.02).all()
    assert landmarks["consistent"].all()


def test_every_reconstructed_hazard_ratio_is_inside_the_published_interval(hr_checks):
    stated = hr_checks[hr_checks["orientation_stated"]]
    assert set(stated["reconstruction_id"]) == {"tata", "mf07-01", "jcog1017", "e2108"}
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
