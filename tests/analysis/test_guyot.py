"""Guyot et al.'s reconstruction of patients from a digitised Kaplan-Meier figure, and the digitised-file format."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import says
from mbcbook.analysis.guyot import (
    DAYS_PER_MONTH,
    MAX_POINTS,
    check_at_risk,
    check_curve,
    digitise_km,
    digitised_paths,
    gbsg2,
    read_digitised,
    reconstruct_digitised,
    reconstruct_ipd,
    write_gbsg2_example,
)
from mbcbook.analysis.survival import (
    arm_model,
    hazard_ratio,
    median_survival,
    number_at_risk,
    simulate_arm,
    survival_at,
)
from mbcbook.errors import InputError

# ---------------------------------------------------------------- the algorithm, worked by hand


def rows(patients):
    return [(round(t, 6), e) for t, e in zip(patients["time_months"], patients["event"], strict=True)]


def test_a_small_curve_worked_by_hand():
    # interval 0-6: 10 at risk, 6 at 6 months. No censoring leaves 7 (1 death at 2, 2 at 4), one too many:
    # one censoring, spread to 3 months, leaves 6. Last interval 6-9: 1 censored per 6 months so far, so
    # round(0.5) = 1 there (halves round up), at 7.5; a death at 6 brings the estimate to 0.5625 ~ 0.6.
    patients = reconstruct_ipd([0, 2, 4, 6, 9], [1, 0.9, 0.7, 0.6, 0.6], [0, 6], [10, 6], arm="x")
    assert rows(patients) == [(2, 1), (3, 0), (4, 1), (4, 1), (6, 1), (7.5, 0), (9, 0), (9, 0), (9, 0), (9, 0)]
    assert patients.index.tolist() == list(range(10))
    assert list(patients.columns) == ["time_months", "event", "arm"] and set(patients["arm"]) == {"x"}
    assert patients["event"].dtype.kind == "i"


def test_without_numbers_at_risk_after_0_nobody_is_censored_before_the_end():
    patients = reconstruct_ipd([0, 10], [1, 0.5], [0], [100])
    assert rows(patients) == [(10, 1)] * 50 + [(10, 0)] * 50


def test_total_events_set_the_censoring_of_the_last_interval():
    # 40 deaths: 20 censored, spread evenly over (0, 10), leave 80 at risk, of whom half die at 10
    patients = reconstruct_ipd([0, 10], [1, 0.5], [0], [100], total_events=40)
    censored = patients.loc[patients["event"] == 0, "time_months"].to_numpy()
    assert int(patients["event"].sum()) == 40 and len(patients) == 100
    assert censored[:20] == pytest.approx(10 * np.arange(1, 21) / 21)
    assert (censored[20:] == 10).all() and len(censored) == 60


def test_total_events_cannot_add_deaths_the_curve_does_not_show():
    patients = reconstruct_ipd([0, 5, 10], [1, 0.5, 0.5], [0, 5], [10, 5], total_events=0)
    assert int(patients["event"].sum()) == 3


def test_the_last_interval_never_censors_more_patients_than_remain():
    # 5 censored in 0-5 means 1 a month; 5 more in 5-10 would exceed the 2 left after 3 deaths at 5
    patients = reconstruct_ipd([0, 5, 10], [1, 0.5, 0.5], [0, 5], [10, 5])
    assert rows(patients) == [(round(5 * j / 6, 6), 0) for j in range(1, 6)] + [(5, 1)] * 3 + [
        (round(5 + 5 * j / 3, 6), 0) for j in (1, 2)]


def test_a_published_number_at_risk_that_cannot_be_reached_is_replaced_by_the_reconstructed_one():
    # half of 10 die by 5 months, so 8 cannot be at risk at 10: the reconstruction keeps its 5
    patients = reconstruct_ipd([0, 5, 10], [1, 0.5, 0.5], [0, 10], [10, 8])
    assert rows(patients) == [(5, 1)] * 5 + [(10, 0)] * 5


def test_points_are_added_at_0_and_at_each_at_risk_time():
    patients = reconstruct_ipd([2, 4], [0.9, 0.7], [0, 3], [100, 90])
    assert patients.groupby(["time_months", "event"]).size().to_dict() == {(2.0, 1): 10, (4.0, 1): 20, (4.0, 0): 70}


def test_censoring_is_corrected_until_the_numbers_at_risk_agree():
    patients = reconstruct_ipd([0, 3, 6, 9, 12, 15], [1, 0.9, 0.8, 0.7, 0.6, 0.55], [0, 6, 12], [200, 160, 100])
    assert number_at_risk(patients, [0, 6, 12])["n_at_risk"].tolist() == [200, 160, 100]
    assert len(patients) == 200
    assert survival_at(patients, [3, 6, 9, 12, 15])["survival"].tolist() == pytest.approx(
        [0.9, 0.8, 0.7, 0.6, 0.55], abs=0.005)  # within one death of 100 at risk


def test_survival_reaching_zero_leaves_nobody():
    patients = reconstruct_ipd([0, 5, 8], [1, 0, 0], [0, 6], [10, 0])
    assert rows(patients) == [(5, 1)] * 10


def test_a_curve_that_ends_exactly_at_an_at_risk_time():
    patients = reconstruct_ipd([0, 6], [1, 0.5], [0, 6], [10, 10])
    assert rows(patients) == [(6, 1)] * 5 + [(6, 0)] * 5


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("times, survival, message", [
    ([0, 6, 12], [1, 0.8, 0.85], "survival must not rise from one point to the next: point 3 has 0.85, after 0.8 "
                                 "at point 2"),
    ([0, 6, 6], [1, 0.8, 0.7], "time must increase from one point to the next (record a vertical drop by its lower "
                               "end only): point 3 is at 6 months, after 6 at point 2"),
    ([0, 6, 5], [1, 0.8, 0.7], "...point 3 is at 5 months, after 6 at point 2"),
    ([0, 6], [1, 1.2], "the survival of point 2 must be a proportion from 0 to 1 (0.42 for 42%), got 1.2"),
    ([0, 6], [1, -0.01], "...got -0.01"),
    ([0, 6], [1, 80], "...got 80"),
    ([0, 6], [1, float("nan")], "...got nan"),
    ([0, 6], [1, "0.8"], "...got '0.8'"),
    ([0, 6], [1, True], "...got True"),
    ([0, -1], [1, 0.8], "the time of point 2 must be 0 months or more, got -1"),
    ([0, "6"], [1, 0.8], "the time of point 2 must be a number of months, got '6'"),
    ([0, 1201], [1, 0.8], "the time of point 2 must be at most 1,200 months (100 years), got 1201"),
    ([0, 6], [0.98, 0.8], "at 0 months survival must be 1 (everyone is alive at randomisation); point 1 has 0.98"),
    ([0, 6, 12], [1, 0.8], "the curve has 3 times but 2 survival values; give one survival per time"),
    ([], [], "the curve has no points"),
    ("0, 6", [1, 0.8], "the curve's times must be a list of numbers, got '0, 6'"),
    ([0, 6], {1: 0.8}, "the curve's survival must be a list of numbers, got {1: 0.8}"),
    ([0, 6], 0.8, "the curve's survival must be a list of numbers, got 0.8"),
])
def test_bad_curves_are_explained(times, survival, message):
    with pytest.raises(InputError, match=says(message)):
        check_curve(times, survival)
    with pytest.raises(InputError, match=says(message)):
        reconstruct_ipd(times, survival, [0], [10])


def test_curve_limits():
    t, s = check_curve(np.arange(MAX_POINTS) * 0.1, np.linspace(1, 0, MAX_POINTS))
    assert len(t) == MAX_POINTS and t.dtype == float and s[0] == 1 and s[-1] == 0
    with pytest.raises(InputError, match="the curve has 10,001 points; at most 10,000 are accepted"):
        check_curve(np.arange(MAX_POINTS + 1) * 0.1, np.linspace(1, 0, MAX_POINTS + 1))
    assert check_curve([3, 1200], [0.9, 0])[0].tolist() == [3, 1200]
    assert check_curve(pd.Series([0.0, 2.0]), pd.Series([1.0, 1.0]))[1].tolist() == [1, 1]
    with pytest.raises(InputError, match="row 3 is at 5 months, after 6 at row 2"):
        check_curve([0, 6, 5], [1, 0.8, 0.7], labels=["row 1", "row 2", "row 3"])


@pytest.mark.parametrize("times, counts, message", [
    ([0, 6, 12], [100, 80, 85], "numbers at risk cannot increase: 85 at 12 months (count 3) follows 80 at 6 months"),
    ([0, 6, 6], [100, 80, 70], "at-risk times must increase: 6 months (count 3) follows 6"),
    ([0, 12, 6], [100, 80, 70], "at-risk times must increase: 6 months (count 3) follows 12"),
    ([6, 12], [100, 80], "the numbers at risk must start at 0 months (the number randomised); the first (count 1) "
                         "is at 6 months"),
    ([0], [1], "an arm needs at least 2 patients at 0 months, got 1"),
    ([0, 6], [100, 80.5], "the number at risk of count 2 must be a whole number, got 80.5"),
    ([0, 6], [100, -1], "the number at risk of count 2 must be between 0 and 100,000, got -1"),
    ([0], [100_001], "...must be between 0 and 100,000, got 100,001"),
    ([0, 6], [100, "80"], "...must be a whole number, got '80'"),
    ([0, -6], [100, 80], "the time of count 2 must be 0 months or more, got -6"),
    ([0, 6, 24], [100, 80, 50], "a number at risk is given at 24 months, after the curve's last point (20 months): "
                                "digitise the curve to its end or leave that count out"),
    ([0, 6], [100], "2 at-risk times but 1 numbers at risk; give one number per time"),
    ([], [], "give at least the number at risk at 0 months (the number randomised)"),
    (0, [100], "the at-risk times must be a list of numbers, got 0"),
    ([0], "100", "the numbers at risk must be a list of numbers, got '100'"),
])
def test_bad_numbers_at_risk_are_explained(times, counts, message):
    with pytest.raises(InputError, match=says(message)):
        check_at_risk(times, counts, end_months=20)
    with pytest.raises(InputError, match=says(message)):
        reconstruct_ipd([0, 10, 20], [1, 0.8, 0.6], times, counts)


def test_at_risk_limits():
    t, n = check_at_risk([0, 20], [2, 0], end_months=20)
    assert t.tolist() == [0, 20] and n.tolist() == [2, 0] and n.dtype.kind == "i"
    assert check_at_risk([0], [100_000.0], end_months=1)[1].tolist() == [100_000]
    assert check_at_risk([0, 6], [5, 5], end_months=6)[1].tolist() == [5, 5]


@pytest.mark.parametrize("kwargs, message", [
    ({"total_events": 11}, "total_events must be between 0 and 10, got 11"),
    ({"total_events": -1}, "total_events must be between 0 and 10, got -1"),
    ({"total_events": 2.5}, "total_events must be a whole number, got 2.5"),
    ({"arm": ""}, "the arm needs a name (text), got ''"),
    ({"arm": None}, "the arm needs a name (text), got None"),
])
def test_bad_options_are_explained(kwargs, message):
    with pytest.raises(InputError, match=says(message)):
        reconstruct_ipd([0, 10], [1, 0.5], [0], [10], **kwargs)


def test_total_events_at_their_limits():
    assert int(reconstruct_ipd([0, 10], [1, 0.5], [0], [10], total_events=10)["event"].sum()) == 5
    assert int(reconstruct_ipd([0, 10], [1, 0.5], [0], [10], total_events=0)["event"].sum()) == 0


CURVES = st.lists(st.tuples(st.floats(0.01, 60), st.floats(0, 0.2)), min_size=1, max_size=25)


@settings(max_examples=80, deadline=None)
@given(CURVES, st.integers(2, 500), st.lists(st.tuples(st.floats(1, 60), st.floats(0, 1)), max_size=6),
       st.one_of(st.none(), st.integers(0, 500)))
def test_any_consistent_figure_rebuilds_its_patients(steps, n, risk, total_events):
    times = np.cumsum([gap for gap, _ in steps])
    survival = np.clip(1 - np.cumsum([drop for _, drop in steps]), 0, 1)
    risk = sorted((t, f) for t, f in risk if t <= times[-1])
    risk_times = [0.0] + list(dict.fromkeys(round(t, 6) for t, _ in risk))
    counts = np.minimum.accumulate([n] + [int(n * f) for f in sorted((f for _, f in risk), reverse=True)])
    counts = counts[:len(risk_times)].tolist()
    try:
        patients = reconstruct_ipd(times, survival, risk_times, counts,
                                   total_events=None if total_events is None else min(total_events, n))
    except InputError as error:  # e.g. two at-risk times rounded together, or a time past the curve
        assert str(error)
        return
    assert len(patients) == n
    assert patients["time_months"].between(0, times[-1]).all()
    assert patients["time_months"].is_monotonic_increasing
    assert set(patients["event"]) <= {0, 1}
    assert number_at_risk(patients, [0])["n_at_risk"].tolist() == [n]


ANY = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.floats(), st.text(max_size=3))


@settings(max_examples=80, deadline=None)
@given(st.lists(ANY, max_size=4), st.lists(ANY, max_size=4), st.lists(ANY, max_size=3), st.lists(ANY, max_size=3),
       ANY)
def test_any_input_gives_patients_or_a_value_error(times, survival, risk_times, counts, total_events):
    try:
        reconstruct_ipd(times, survival, risk_times, counts, total_events=total_events)
    except ValueError as error:
        assert str(error)


# ---------------------------------------------------------------- known truth: simulated Weibull arms


# Six seeds, reading 12 or 20 places along each curve (with the readings at the at-risk times, around the median
# and at the end: 22 to 33 points per arm). Over seeds 0-39 the worst median missed by 0.9% and the worst hazard
# ratio by 0.046 (12 places) and 0.019 (20 places).
@pytest.mark.parametrize("seed, points", [(0, 12), (1, 20), (2, 12), (3, 20), (4, 12), (5, 20)])
def test_reconstruction_recovers_medians_and_hazard_ratio_of_simulated_weibull_arms(seed, points):
    arms = {"a": arm_model(24, [(60, 0.1)]), "b": arm_model(18, [(48, 0.25)])}
    assert [round(arm.params["shape"], 2) for arm in arms.values()] == [1.31, 0.71]
    truth = pd.concat([simulate_arm(model, 300, accrual_months=36, follow_up_months=48, arm=name, seed=seed)
                       for name, model in arms.items()], ignore_index=True)
    curves, at_risk = digitise_km(truth, curve_id="sim", points=points, resolution=0.005, at_risk_every=6)
    assert curves.groupby("arm").size().between(20, 40).all()
    assert (np.round(curves["survival"] / 0.005, 6) % 1 == 0).all()
    assert (at_risk["time_months"] % 6 == 0).all()
    assert at_risk.index.tolist() == list(range(len(at_risk))) and curves.index.tolist() == list(range(len(curves)))
    rebuilt = reconstruct_digitised(curves, at_risk)
    assert len(rebuilt) == 600
    true_medians, medians = median_survival(truth), median_survival(rebuilt)
    assert ((medians / true_medians - 1).abs() <= 0.05).all(), (true_medians.to_dict(), medians.to_dict())
    assert abs(hazard_ratio(rebuilt, "a", "b").hr - hazard_ratio(truth, "a", "b").hr) <= 0.05
    times = at_risk.loc[at_risk["arm"] == "a", "time_months"].tolist()
    assert (number_at_risk(rebuilt, times)["n_at_risk"] - number_at_risk(truth, times)["n_at_risk"]).abs().mean() <= 4


def test_a_complete_digitisation_rebuilds_the_patients_almost_exactly():
    truth = gbsg2()
    curves, at_risk = digitise_km(truth, curve_id="full", points=1000, resolution=0.0001)
    rebuilt = reconstruct_digitised(curves, at_risk)
    assert median_survival(rebuilt).to_dict() == pytest.approx(median_survival(truth).to_dict(), abs=0.01)
    assert hazard_ratio(rebuilt, "hormonal", "no-hormonal").hr == pytest.approx(0.6949, abs=0.001)
    times = list(range(0, 85, 6))
    assert number_at_risk(rebuilt, times)["n_at_risk"].tolist() == number_at_risk(truth, times)["n_at_risk"].tolist()


# ---------------------------------------------------------------- the worked example: GBSG2


def test_gbsg2_as_a_patient_table():
    table = gbsg2()
    assert DAYS_PER_MONTH == 30.4375
    assert table["time_months"].max() == pytest.approx(2659 / 30.4375)
    assert table.groupby("arm")["event"].sum().to_dict() == {"hormonal": 94, "no-hormonal": 205}
    assert list(table.columns) == ["time_months", "event", "arm"]


def test_the_committed_example_is_what_digitise_km_gives(tmp_path):
    written = write_gbsg2_example(tmp_path / "out")
    for new, committed in zip(written, digitised_paths("gbsg2"), strict=True):
        assert new.name == committed.name
        assert new.read_bytes() == committed.read_bytes(), f"regenerate {committed.name} (see its README)"


def test_the_example_files_follow_the_format():
    curves, at_risk = read_digitised(*digitised_paths("gbsg2"))
    assert list(curves.columns) == ["curve_id", "arm", "time_months", "survival"]
    assert list(at_risk.columns) == ["curve_id", "arm", "time_months", "n_at_risk"]
    assert curves.groupby("arm").size().between(20, 40).all()
    assert at_risk.groupby("arm")["time_months"].apply(list).to_dict() == {
        "hormonal": list(range(0, 85, 6)), "no-hormonal": list(range(0, 85, 6))}
    assert at_risk.loc[at_risk["time_months"] == 0, "n_at_risk"].tolist() == [440, 246]
    assert curves.index[0] == 2 and curves.index.name == "row"


def test_the_gbsg2_reconstruction_matches_the_real_patients():
    truth = gbsg2()
    rebuilt = reconstruct_digitised(*read_digitised(*digitised_paths("gbsg2")))
    assert len(rebuilt) == 686
    true_medians, medians = median_survival(truth), median_survival(rebuilt)
    assert ((medians / true_medians - 1).abs() <= 0.05).all()
    assert medians.round(1).to_dict() == {"no-hormonal": 52.1, "hormonal": 66.7}  # as data/digitised/README.md says
    true_hr = hazard_ratio(truth, "hormonal", "no-hormonal")
    hr = hazard_ratio(rebuilt, "hormonal", "no-hormonal")
    assert abs(hr.hr - true_hr.hr) <= 0.05
    assert [round(x, 2) for x in (hr.hr, hr.ci_low, hr.ci_high)] == [0.69, 0.54, 0.88]
    assert rebuilt.groupby("arm")["event"].sum().to_dict() == {"hormonal": 94, "no-hormonal": 204}


# ---------------------------------------------------------------- digitise_km


def test_digitise_km_reads_corners_the_median_and_the_end():
    patients = pd.DataFrame({"time_months": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5], "event": [1] * 9 + [0], "arm": "a"})
    # the path is 1.9 long (time scaled to 1, survival falls 0.9): places at 0.38, 0.76, ... fall on the drops
    # at 2, 4, 6 and 8 months and the final flat stretch (read at 9); 4, 5 and 6 bracket the median; 10.5 ends it
    curves, at_risk = digitise_km(patients, curve_id="toy", points=5, at_risk_every=100)
    assert curves[["time_months", "survival"]].values.tolist() == [
        [2, 0.8], [4, 0.6], [5, 0.5], [6, 0.4], [8, 0.2], [9, 0.1], [10.5, 0.1]]
    assert at_risk[["time_months", "n_at_risk"]].values.tolist() == [[0, 10]]
    # numbers at risk at 4 and 8 months add the last steps before them, at 3 and 7
    curves, at_risk = digitise_km(patients, curve_id="toy", points=5, at_risk_every=4)
    assert curves["time_months"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9, 10.5]
    assert at_risk[["time_months", "n_at_risk"]].values.tolist() == [[0, 10], [4, 7], [8, 3]]
    assert set(curves["curve_id"]) == {"toy"} and list(at_risk.columns) == ["curve_id", "arm", "time_months",
                                                                              "n_at_risk"]
    assert list(curves.columns) == ["curve_id", "arm", "time_months", "survival"]


def test_digitise_km_rounds_like_a_digitiser():
    patients = pd.DataFrame({"time_months": np.arange(1, 8) * 1.004, "event": 1, "arm": "a"})
    curves, _ = digitise_km(patients, curve_id="toy", points=50, resolution=0.05)
    assert curves["time_months"].tolist() == [1.0, 2.01, 3.01, 4.02, 5.02, 6.02, 7.03]
    assert curves["survival"].tolist() == pytest.approx([0.85, 0.7, 0.55, 0.45, 0.3, 0.15, 0])


def test_digitise_km_of_a_curve_without_deaths_is_its_end():
    patients = pd.DataFrame({"time_months": [3.0, 5.0], "event": 0, "arm": "a"})
    curves, at_risk = digitise_km(patients, curve_id="flat")
    assert curves[["time_months", "survival"]].values.tolist() == [[5, 1]]
    assert at_risk["n_at_risk"].tolist() == [2]
    # the one drop is also the median's: its corners run past the last step
    patients = pd.DataFrame({"time_months": [1.0, 2.0], "event": [0, 1], "arm": "a"})
    assert digitise_km(patients, curve_id="x")[0][["time_months", "survival"]].values.tolist() == [[2, 0]]


@pytest.mark.parametrize("kwargs, message", [
    ({"curve_id": ""}, "curve_id must be text, got ''"),
    ({"points": 4}, "the number of points must be between 5 and 1,000, got 4"),
    ({"points": 1001}, "the number of points must be between 5 and 1,000, got 1,001"),
    ({"resolution": 0.00009}, "the resolution must be from 0.0001 to 0.05, got 9e-05"),
    ({"resolution": 0.051}, "the resolution must be from 0.0001 to 0.05, got 0.051"),
    ({"resolution": True}, "...got True"),
    ({"at_risk_every": 0}, "the interval between numbers at risk must be above 0 months, got 0"),
])
def test_bad_digitiser_settings_are_explained(kwargs, message):
    patients = pd.DataFrame({"time_months": [1.0, 2.0], "event": 1, "arm": "a"})
    with pytest.raises(InputError, match=says(message)):
        digitise_km(patients, **({"curve_id": "x"} | kwargs))


def test_digitiser_settings_at_their_limits():
    patients = pd.DataFrame({"time_months": [1.0, 2.0, 3.0], "event": 1, "arm": "a"})
    for kwargs in ({"points": 5}, {"points": 1000}, {"resolution": 0.0001}, {"resolution": 0.05}):
        assert len(digitise_km(patients, curve_id="x", **kwargs)[0]) == 3


# ---------------------------------------------------------------- the files


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    curves = write(tmp_path / "t-km.csv", "curve_id,arm,time_months,survival\n"
                                          "c,a,0,1\nc,a,5,0.8\nc,a,10,0.6\nc,b,0,1\nc,b,10,0.5\n")
    at_risk = write(tmp_path / "t-at-risk.csv", "curve_id,arm,time_months,n_at_risk\nc,a,0,10\nc,b,0,20\n")
    return curves, at_risk


def test_a_digitised_figure_is_rebuilt_arm_by_arm(files):
    patients = reconstruct_digitised(*read_digitised(*files))
    assert patients.groupby("arm", sort=False)["event"].agg(["size", "sum"]).values.tolist() == [[10, 4], [20, 10]]
    again = reconstruct_digitised(*read_digitised(*files), curve_id="c", total_events={"a": 3})
    assert again.groupby("arm", sort=False)["event"].sum().tolist() == [3, 10]


def test_messages_name_the_rows_of_the_file(tmp_path, files):
    curves, at_risk = files
    write(curves, "curve_id,arm,time_months,survival\nc,a,0,1\nc,a,5,0.8\nc,a,4,0.6\nc,b,0,1\n")
    with pytest.raises(InputError, match=re.escape("row 4 is at 4 months, after 5 at row 3")):
        reconstruct_digitised(*read_digitised(curves, at_risk))


@pytest.mark.parametrize("text, message", [
    ("curve_id,arm,time,survival\nc,a,0,1\n", "t-km.csv: the columns must be curve_id, arm, time_months, survival; "
                                              "missing: time_months; unknown: time"),
    ("curve_id,arm,time_months,survival,note\nc,a,0,1,x\n", "...missing: none; unknown: note"),
    ("curve_id,arm,time_months,survival\n", "t-km.csv: the file has a header but no rows"),
    ("", "t-km.csv: not a readable CSV file (UTF-8, comma-separated)"),
    ("curve_id,arm,time_months,survival\nc,a,0,1\nc,a,5,\n", "t-km.csv, row 3, column 'survival': the value is empty"),
    ("curve_id,arm,time_months,survival\nc,,0,1\n", "t-km.csv, row 2, column 'arm': the value is empty"),
    ("curve_id,arm,time_months,survival\nc,a,0,1\nc,a,5,\"0,8\"\n", "t-km.csv, row 3, column 'survival': expected a "
                                                                     "number (with a point for decimals), got '0,8'"),
    ("curve_id,arm,time_months,survival\nc,a,0,1\nc,a,5 months,0.8\n",
     "...row 3, column 'time_months': expected a number"),
])
def test_bad_curve_files_are_explained(files, text, message):
    curves, at_risk = files
    write(curves, text)
    with pytest.raises(InputError, match=says(message)):
        read_digitised(curves, at_risk)


def test_unreadable_files_are_explained(tmp_path, files):
    curves, at_risk = files
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'none.csv'}: no such file")):
        read_digitised(tmp_path / "none.csv", at_risk)
    write(at_risk, "curve_id,arm,time_months,n_at_risk\nc,a,0,ten\n")
    with pytest.raises(InputError, match=re.escape("t-at-risk.csv, row 2, column 'n_at_risk': expected a number")):
        read_digitised(curves, at_risk)
    curves.write_bytes("curve_id,arm,time_months,survival\nc,M\xfcller,0,1\n".encode("latin-1"))
    with pytest.raises(InputError, match="t-km.csv: not a readable CSV file"):
        read_digitised(curves, at_risk)


@pytest.mark.parametrize("risk_rows, kwargs, message", [
    ("c,a,0,10\n", {}, "arm 'b' of curve 'c' has no numbers at risk; give at least the number at 0 months"),
    ("c,a,0,10\nc,b,0,20\nc,z,0,5\n", {}, "arm 'z' of curve 'c' has numbers at risk or total events but no curve; "
                                          "the curve's arms are a, b"),
    ("c,a,0,10\nc,b,0,20\n", {"total_events": {"y": 3}}, "arm 'y' of curve 'c' has numbers at risk or total events"),
    ("c,a,0,10\nc,b,0,20\n", {"curve_id": "d"}, "curve 'd' is not in the table; its curves are c"),
    ("c,a,0,10\nc,b,0.0,20.5\n", {}, "the number at risk of at-risk row 3 must be a whole number, got 20.5"),
    ("c,a,0,10\nc,a,6,12\nc,b,0,20\n", {}, "numbers at risk cannot increase: 12 at 6 months (at-risk row 3) "
                                            "follows 10"),
])
def test_bad_figures_are_explained(files, risk_rows, kwargs, message):
    curves, at_risk = files
    write(at_risk, "curve_id,arm,time_months,n_at_risk\n" + risk_rows)
    with pytest.raises(InputError, match=says(message)):
        reconstruct_digitised(*read_digitised(curves, at_risk), **kwargs)


def test_several_curves_need_a_curve_id(files):
    curves, at_risk = read_digitised(*files)
    both = pd.concat([curves, curves.assign(curve_id="d")])
    with pytest.raises(InputError, match=re.escape("the table holds 2 curves (c, d); choose one with curve_id")):
        reconstruct_digitised(both, at_risk)
    in_memory = reconstruct_digitised(both.reset_index(drop=True), pd.concat([at_risk, at_risk.assign(curve_id="d")]),
                                      curve_id="d")
    assert len(in_memory) == 30
    counts = pd.DataFrame({"curve_id": "c", "arm": ["a", "b"], "time_months": 0.0, "n_at_risk": [10.0, 1.0]})
    with pytest.raises(InputError, match=says("an arm needs at least 2 patients at 0 months, got 1")):
        reconstruct_digitised(curves.reset_index(drop=True), counts)
    counts.loc[1, "n_at_risk"] = 2.5
    with pytest.raises(InputError, match=says("the number at risk of count 1 must be a whole number, got 2.5")):
        reconstruct_digitised(curves, counts)
    bad = both.reset_index(drop=True)
    bad.loc[1, "survival"] = 2.0
    with pytest.raises(InputError, match=re.escape("the survival of point 2 must be a proportion")):
        reconstruct_digitised(bad, at_risk, curve_id="c")


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="abc,01.\n\"x-é", max_size=60))
def test_any_file_gives_tables_or_an_input_error(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    curves = write(folder / "f-km.csv", "curve_id,arm,time_months,survival\n" + text)
    at_risk = write(folder / "f-at-risk.csv", "curve_id,arm,time_months,n_at_risk\nc,a,0,10\n")
    try:
        reconstruct_digitised(*read_digitised(curves, at_risk))
    except InputError as error:
        assert str(error)


# ---------------------------------------------------------------- corner cases, worked by hand


def test_one_patient_left_at_a_drop_can_still_die():
    assert rows(reconstruct_ipd([0, 5, 10], [1, 0.5, 0], [0], [2])) == [(5, 1), (10, 1)]


def test_nobody_at_risk_means_no_deaths_and_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        patients = reconstruct_ipd([0, 5, 10], [1, 1, 0.5], [0, 6], [10, 0])
    assert rows(patients) == [(round(6 * j / 11, 6), 0) for j in range(1, 11)]


def test_a_first_guess_above_the_answer_comes_down_to_none_censored():
    # 2 deaths of 10 at 2 months leave the 8 at risk at 6; the first guess, round(10 x 0.85 - 8) = 1, is one too many
    assert rows(reconstruct_ipd([0, 2, 6], [1, 0.85, 0.85], [0, 6], [10, 8])) == [(2, 1)] * 2 + [(6, 0)] * 8


def test_an_interval_that_starts_with_nobody_alive():
    assert rows(reconstruct_ipd([0, 2, 8, 10], [1, 0, 0, 0], [0, 4, 8], [10, 0, 0])) == [(2, 1)] * 10


def test_the_censoring_rate_of_a_first_interval_shorter_than_a_month():
    # 1 censored in the first month (at 0.5, after the death there), so 2 in the 2 months after
    assert rows(reconstruct_ipd([0, 0.5, 1, 3], [1, 0.9, 0.9, 0.8], [0, 1], [10, 8])) == [
        (0.5, 1), (0.5, 0), (1.666667, 0), (2.333333, 0), (3, 1)] + [(3, 0)] * 5


def test_the_censoring_rate_counts_every_earlier_interval():
    # 3 censored in 9 months: 3 more in the last 9 months
    patients = reconstruct_ipd([0, 3, 6, 9, 18], [1, 1, 1, 1, 1], [0, 3, 6, 9], [12, 11, 10, 9])
    assert rows(patients) == [(1.5, 0), (4.5, 0), (7.5, 0), (11.25, 0), (13.5, 0), (15.75, 0)] + [(18, 0)] * 6


def test_total_events_count_the_deaths_of_earlier_intervals():
    # 2 deaths before 6 months; 3 more make 5: two censored in 6-10 leave 6, of whom half die at 10
    patients = reconstruct_ipd([0, 2, 6, 10], [1, 0.8, 0.8, 0.4], [0, 6], [10, 8], total_events=5)
    assert rows(patients) == [(2, 1), (2, 1), (7.333333, 0), (8.666667, 0)] + [(10, 1)] * 3 + [(10, 0)] * 3


def test_defaults_and_tidy_index():
    patients = reconstruct_ipd([0, 10], [1, 0.5], [0], [4])
    assert set(patients["arm"]) == {"arm"} and patients.index.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("call, message", [
    (lambda: check_curve([5, 3], [0.9, 0.8]), "time must increase from one point to the next (record a vertical drop "
                                              "by its lower end only): point 2 is at 3 months, after 5 at point 1"),
    (lambda: check_curve([0, 3], [0.9, 1]), "survival must not rise from one point to the next: point 2 has 1, after "
                                            "0.9 at point 1"),
    (lambda: check_at_risk([0, 0], [10, 10], 5), "at-risk times must increase: 0 months (count 2) follows 0"),
    (lambda: check_at_risk([0, 3], [10, 11], 5), "numbers at risk cannot increase: 11 at 3 months (count 2) follows "
                                                 "10 at 0 months"),
    (lambda: check_at_risk([0, 3], [10, 11], 5, labels=["r2", "r3"]), "numbers at risk cannot increase: 11 at 3 "
                                                                      "months (r3) follows"),
])
def test_the_first_pair_is_checked_too(call, message):
    with pytest.raises(InputError, match=says(message)):
        call()


def test_digitise_km_reads_the_median_as_lifelines_finds_it():
    # 10 of 20 die at 5 months, then one a month. lifelines computes the survival after 5 months as
    # 0.5000000000000002, so its median is 6 months; the digitiser reads the corners at 5, 6 and 7 months
    half = pd.DataFrame({"time_months": [5.0] * 10 + list(range(6, 16)), "event": 1, "arm": "a"})
    assert median_survival(half).tolist() == [6.0]
    curves, _ = digitise_km(half, curve_id="x", points=5, at_risk_every=100)
    assert curves["time_months"].tolist() == [5, 6, 7, 8, 12, 15]
    # a curve that stays above 0.5 gets no median corners: only places along the curve (2 and 5) and its end
    high = pd.DataFrame({"time_months": [1.0, 2, 3, 4, 5] + [20.0] * 15, "event": [1] * 5 + [0] * 15, "arm": "a"})
    curves, _ = digitise_km(high, curve_id="x", points=5, at_risk_every=100)
    assert curves["time_months"].tolist() == [2, 5, 20]


def test_digitise_km_keeps_the_lower_of_two_readings_on_one_time():
    patients = pd.DataFrame({"time_months": [1, 2.001, 2.004, 3, 4, 5.996], "event": [1] * 5 + [0], "arm": "a"})
    curves, at_risk = digitise_km(patients, curve_id="x", points=50, at_risk_every=6)
    assert curves[["time_months", "survival"]].values.tolist() == [
        [1, 0.835], [2, 0.5], [3, 0.335], [4, 0.165], [6, 0.165]]
    assert at_risk["time_months"].tolist() == [0, 6] and at_risk["n_at_risk"].tolist() == [6, 0]
    assert curves.index.tolist() == list(range(5)) and at_risk.index.tolist() == [0, 1]


def test_a_resolution_given_as_text_is_explained():
    patients = pd.DataFrame({"time_months": [1.0, 2.0], "event": 1, "arm": "a"})
    with pytest.raises(InputError, match=says("the resolution must be from 0.0001 to 0.05, got '0.01'")):
        digitise_km(patients, curve_id="x", resolution="0.01")


def test_files_can_live_in_any_folder(tmp_path):
    assert digitised_paths("trial", tmp_path) == (tmp_path / "trial-km.csv", tmp_path / "trial-at-risk.csv")
    target = tmp_path / "a" / "b"
    for _ in range(2):  # a second run overwrites
        written = write_gbsg2_example(target)
        assert written == (target / "gbsg2-km.csv", target / "gbsg2-at-risk.csv")
        assert all(path.is_file() for path in written)
    curves, at_risk = read_digitised(*written)
    assert len(curves) == 58 and len(at_risk) == 30


def test_na_in_a_file_is_text_not_a_missing_value(files):
    curves, at_risk = files
    write(curves, "curve_id,arm,time_months,survival\nc,NA,0,1\nc,a,5,NA\n")
    with pytest.raises(InputError, match=says("t-km.csv, row 3, column 'survival': expected a number (with a point for "
                                              "decimals), got 'NA'")):
        read_digitised(curves, at_risk)


def test_every_missing_and_unknown_column_is_named(files):
    curves, at_risk = files
    write(curves, "curve_id,arm,time_months\nc,a,0\n")
    with pytest.raises(InputError, match=says("t-km.csv: the columns must be curve_id, arm, time_months, survival; "
                                              "missing: survival; unknown: none")):
        read_digitised(curves, at_risk)
    write(curves, "curve,arm,time,survival\nc,a,0,1\n")
    with pytest.raises(InputError, match=says("t-km.csv: the columns must be curve_id, arm, time_months, survival; "
                                              "missing: curve_id, time_months; unknown: curve, time")):
        read_digitised(curves, at_risk)


def test_an_unknown_curve_among_several_is_explained(files):
    curves, at_risk = read_digitised(*files)
    both = pd.concat([curves, curves.assign(curve_id="d")])
    with pytest.raises(InputError, match=says("curve 'e' is not in the table; its curves are c, d")):
        reconstruct_digitised(both, at_risk, curve_id="e")
    assert reconstruct_digitised(*read_digitised(*files)).index.tolist() == list(range(30))
