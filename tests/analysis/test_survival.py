"""Parametric arms, pseudo-patients, Kaplan-Meier and Cox helpers of the survival module."""

from __future__ import annotations

import math
import warnings
import zlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter, KaplanMeierFitter

from conftest import says
from mbcbook.analysis.survival import (
    DEFAULT_SEED,
    MAX_PATIENTS,
    ArmModel,
    arm_model,
    fit_arm_model,
    hazard_ratio,
    kaplan_meier,
    median_survival,
    number_at_risk,
    simulate_arm,
    survival_at,
)
from mbcbook.errors import InputError

LN2 = math.log(2)

# ---------------------------------------------------------------- parametric arms


def test_exponential_from_a_median_has_rate_ln2_over_the_median():
    arm = arm_model(20)
    assert arm.model == "exponential"
    assert arm.params == {"rate": LN2 / 20}
    assert arm.median() == pytest.approx(20, rel=1e-12)
    assert float(arm.survival(20)) == pytest.approx(0.5, rel=1e-12)
    assert float(arm.survival(40)) == pytest.approx(0.25, rel=1e-12)
    assert arm.reason == "exponential: one figure, a median of 20 months, fixes its rate"
    assert arm.label == "exponential, median 20.0 months"


def test_exponential_from_one_landmark():
    arm = arm_model(None, [(24, 0.25)])
    assert arm.model == "exponential"
    assert arm.params["rate"] == pytest.approx(math.log(4) / 24, rel=1e-12)
    assert arm.median() == pytest.approx(12, rel=1e-12)
    assert arm.reason == "exponential: one figure, survival 0.25 at 24 months, fixes its rate"


def test_weibull_through_a_median_and_a_landmark_reproduces_both_exactly():
    arm = arm_model(19.2, [(24, 0.419)])  # Tata, locoregional arm
    assert arm.model == "weibull"
    assert arm.params["shape"] == pytest.approx(math.log(math.log(1 / 0.419) / LN2) / math.log(24 / 19.2), rel=1e-12)
    assert arm.params["shape"] == pytest.approx(1.0178108328, rel=1e-9)
    assert arm.params["scale"] == pytest.approx(27.5226563303, rel=1e-9)
    assert arm.median() == pytest.approx(19.2, rel=1e-12)
    assert float(arm.survival(19.2)) == pytest.approx(0.5, rel=1e-12)
    assert float(arm.survival(24)) == pytest.approx(0.419, rel=1e-12)
    assert arm.reason == ("Weibull: two published figures, a median of 19.2 months and survival 0.419 at "
                          "24 months, fix its shape and scale exactly")
    assert arm.label == "Weibull, shape 1.02, median 19.2 months"


def test_weibull_with_the_landmark_before_the_median():
    arm = arm_model(46, [(12, 0.9)])
    assert arm.model == "weibull"
    assert float(arm.survival(12)) == pytest.approx(0.9, rel=1e-12)
    assert arm.median() == pytest.approx(46, rel=1e-12)


def test_weibull_through_two_landmarks_in_either_order():
    arm = arm_model(None, [(60, 0.3), (24, 0.7)])
    assert arm.model == "weibull"
    assert arm.survival(np.array([24.0, 60.0])) == pytest.approx([0.7, 0.3], rel=1e-12)
    assert arm.params == arm_model(None, [(24, 0.7), (60, 0.3)]).params
    assert arm.reason.startswith("Weibull: two published figures, survival 0.3 at 60 months and survival 0.7 at 24")


def test_the_book_s_arms_get_plausible_weibull_shapes():
    shapes = [arm_model(*figures).params["shape"] for figures in [
        (19.2, [(24, 0.419)]), (20.5, [(24, 0.430)]), (54.9, [(36, 0.684)]),
        (53.1, [(36, 0.679)]), (46, [(120, 0.19)]), (35, [(120, 0.05)])]]
    assert [round(s, 2) for s in shapes] == [1.02, 1.25, 1.43, 1.50, 0.91, 1.19]


def test_exponential_chosen_with_two_figures_uses_the_median_and_says_what_it_leaves_out():
    arm = arm_model(19.2, [(24, 0.419)], model="exponential")
    assert arm.params == {"rate": LN2 / 19.2}
    predicted = math.exp(-LN2 / 19.2 * 24)
    assert arm.reason == (f"exponential (chosen): a median of 19.2 months fixes its rate; survival 0.419 at 24 "
                          f"months is not used (the curve predicts {predicted:.3f} there)")
    assert f"{predicted:.3f}" == "0.420"
    two_landmarks = arm_model(None, [(36, 0.4), (12, 0.8)], model="exponential")
    assert two_landmarks.params["rate"] == pytest.approx(-math.log(0.4) / 36, rel=1e-12)


def test_missing_figures_from_empty_cells_are_left_out():
    assert arm_model(float("nan"), [(24, 0.25)]).params["rate"] == pytest.approx(math.log(4) / 24)
    assert arm_model(pd.NA, [(float("nan"), float("nan"))] + [(24, 0.25)]).model == "exponential"
    assert arm_model(20, [(None, None)]).params == {"rate": LN2 / 20}
    assert arm_model(20, [(20, 0.5)]).model == "exponential"  # the landmark repeats the median
    assert arm_model(None, [(20, 0.5), (20, 0.5)]).model == "exponential"
    assert arm_model(np.float64(20), [(np.int64(40), np.float64(0.25))]).model == "weibull"


@pytest.mark.parametrize("args, kwargs, message", [
    ((-3,), {}, "median survival must be above 0 months, got -3"),
    ((0,), {}, "median survival must be above 0 months, got 0"),
    ((1200.5,), {}, "median survival must be at most 1,200 months (100 years), got 1200.5"),
    (("20",), {}, "median survival must be a number of months, got '20'"),
    ((True,), {}, "median survival must be a number of months, got True"),
    ((0.0099,), {}, "median survival must be at least 0.01 months, got 0.0099"),
    ((float("inf"),), {}, "median survival must be a number of months, got inf"),
    ((None,), {}, "give a median survival, a landmark survival, or both"),
    ((None, []), {}, "give a median survival, a landmark survival, or both"),
    ((20, [(24, 42)]), {}, "survival at landmark 1 must be a proportion strictly between 0 and 1 (0.42 for 42%), "
                           "got 42"),
    ((20, [(24, 0)]), {}, "survival at landmark 1 must be a proportion strictly between 0 and 1"),
    ((20, [(24, 1)]), {}, "...got 1"),
    ((20, [(24, -0.1)]), {}, "...got -0.1"),
    ((20, [(24, float("nan"))]), {}, "survival at landmark 1 must be a proportion strictly between 0 and 1 (0.42 for "
                                     "42%), got nan"),
    ((20, [(24, "0.4")]), {}, "...got '0.4'"),
    ((None, [(12, 0.8), (0, 0.9)]), {}, "the time of landmark 2 must be above 0 months, got 0"),
    ((20, [(24,)]), {}, "landmark 1 must be a (months, survival) pair such as (24, 0.42), got (24,)"),
    ((20, [24]), {}, "landmark 1 must be a (months, survival) pair such as (24, 0.42), got 24"),
    ((20, ["24,0.4"]), {}, "landmark 1 must be a (months, survival) pair"),
    ((20, "24,0.4"), {}, "landmarks must be a list of (months, survival) pairs, got '24,0.4'"),
    ((20, 24), {}, "landmarks must be a list of (months, survival) pairs, got 24"),
    ((20, [(12, 0.4)]), {}, "survival of 0.4 at 12 months is inconsistent with a median of 20 months: before the "
                            "median, survival must be above 0.5"),
    ((20, [(12, 0.5)]), {}, "...before the median, survival must be above 0.5"),
    ((20, [(30, 0.6)]), {}, "survival of 0.6 at 30 months is inconsistent with a median of 20 months: after the "
                            "median, survival must be below 0.5"),
    ((20, [(30, 0.5)]), {}, "...after the median, survival must be below 0.5"),
    ((20, [(20, 0.4)]), {}, "the median and landmark 1 are both at 20 months but give different survival (0.5 and "
                            "0.4); a curve has one survival at a time"),
    ((None, [(12, 0.6), (24, 0.6)]), {}, "survival cannot stay level or rise from 0.6 at 12 months to 0.6 at 24 "
                                         "months: a survival curve falls as time passes"),
    ((None, [(24, 0.7), (12, 0.6)]), {}, "survival cannot stay level or rise from 0.6 at 12 months to 0.7 at 24"),
    ((20, [(12, 0.8), (30, 0.4)]), {}, "a Weibull curve has two parameters: give at most two figures (a median and "
                                       "one landmark, or two landmarks), got 3"),
    ((20,), {"model": "weibull"}, "a Weibull curve needs two figures (a median and a landmark, or two landmarks); "
                                  "only a median of 20 months is given"),
    ((None, [(24, 0.4)]), {"model": "weibull"}, "...only survival 0.4 at 24 months is given"),
    ((20,), {"model": "gamma"}, "model must be one of auto, exponential, weibull; got 'gamma'"),
    ((20, [(20.01, 0.1)]), {}, "these figures need a Weibull curve of shape 2.4e+03, outside 0.1-10: a curve that "
                               "steep is not plausible for survival; check the figures or use an exponential model"),
    ((20, [(1000, 0.4999)]), {}, "...a curve that flat is not plausible"),
    ((None, [(10.0, 0.5), (math.nextafter(10.0, 11), 0.4)]), {}, "the figures at 10 and 10 months are too close "
                                                                  "together to pin down a Weibull curve"),
])
def test_bad_figures_are_explained(args, kwargs, message):
    with pytest.raises(InputError, match=says(message)):
        arm_model(*args, **kwargs)


def test_weibull_shape_limits_are_inclusive():
    # S(t) = exp(-(t / 10) ** k) through t = 10 and t = 20 gives shape k exactly
    for shape in (0.10001, 9.9999):
        arm = arm_model(None, [(10, math.exp(-1)), (11, math.exp(-(1.1 ** shape)))])
        assert arm.params["shape"] == pytest.approx(shape, rel=1e-9) and arm.params["scale"] == pytest.approx(10)
    with pytest.raises(InputError, match="shape 10.1, outside"):
        arm_model(None, [(10, math.exp(-1)), (11, math.exp(-(1.1 ** 10.1)))])
    with pytest.raises(InputError, match="shape 0.099, outside"):
        arm_model(None, [(10, math.exp(-1)), (11, math.exp(-(1.1 ** 0.099)))])


def test_times_at_the_limits_are_accepted():
    assert arm_model(1200).median() == pytest.approx(1200)
    assert arm_model(0.01).median() == pytest.approx(0.01)
    assert arm_model(None, [(1200, 0.5)]).median() == pytest.approx(1200)


ANY = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), st.floats(allow_nan=True), st.text(max_size=3))
FIGURE = st.tuples(st.one_of(st.floats(0.001, 1300), ANY), st.one_of(st.floats(0, 1), ANY))


@settings(max_examples=150, deadline=None)
@given(ANY, st.lists(FIGURE, max_size=3), st.sampled_from(["auto", "exponential", "weibull", "x"]))
def test_any_figures_give_a_curve_through_them_or_an_input_error(median, landmarks, model):
    try:
        arm = arm_model(median, landmarks, model=model)
    except InputError as error:
        assert str(error)
        return
    assert arm.model in ("exponential", "weibull")
    assert 0 < arm.median() < math.inf
    if arm.model == "weibull":
        for t, p in [(median, 0.5), *landmarks]:
            if isinstance(t, float | int) and not isinstance(t, bool) and t == t:
                assert float(arm.survival(t)) == pytest.approx(p, rel=1e-6, abs=1e-12)


def test_the_closed_forms_use_lifelines_parametrisation():
    truth = arm_model(None, [(12, 0.8), (36, 0.3)])
    patients = simulate_arm(truth, 20_000, accrual_months=0, follow_up_months=1000, follow_up="minimum")
    fitted = fit_arm_model(patients)
    assert fitted.model == "weibull"
    assert fitted.params["shape"] == pytest.approx(truth.params["shape"], rel=0.03)
    assert fitted.params["scale"] == pytest.approx(truth.params["scale"], rel=0.03)
    assert fitted.reason == (f"fitted by maximum likelihood (lifelines WeibullFitter) to 20000 patients, "
                             f"{int(patients['event'].sum())} deaths")
    exponential = fit_arm_model(simulate_arm(arm_model(10), 20_000, accrual_months=0, follow_up_months=15,
                                             follow_up="minimum"), "exponential")
    assert exponential.params["rate"] == pytest.approx(LN2 / 10, rel=0.03)
    assert "lifelines ExponentialFitter" in exponential.reason


@pytest.mark.parametrize("patients, model, message", [
    (pd.DataFrame({"time_months": [1.0, 2.0], "event": [1, 0], "arm": ["a", "b"]}), "weibull",
     "fit one arm at a time; the table holds 2 arms: a, b"),
    (pd.DataFrame({"time_months": [1.0, 2.0], "event": [0, 0], "arm": "a"}), "weibull",
     "the table has no deaths: a curve cannot be fitted without any"),
    (pd.DataFrame({"time_months": [1.0, 2.0], "event": [1, 0], "arm": "a"}), "gamma",
     "model must be weibull or exponential, got 'gamma'"),
])
def test_bad_fits_are_explained(patients, model, message):
    with pytest.raises(InputError, match=says(message)):
        fit_arm_model(patients, model)


def test_a_time_of_zero_does_not_stop_a_fit():
    patients = pd.DataFrame({"time_months": [0.0, 1.0, 2.0, 3.0], "event": [1, 1, 0, 1], "arm": "a"})
    assert fit_arm_model(patients, "exponential").params["rate"] == pytest.approx(3 / 6, rel=1e-3)


# ---------------------------------------------------------------- pseudo-patients


def test_simulation_is_reproducible_and_follows_numpy_s_seeded_generator():
    arm = arm_model(19.2, [(24, 0.419)])
    patients = simulate_arm(arm, 50, accrual_months=36, follow_up_months=30, arm="lrt")
    assert patients.equals(simulate_arm(arm, 50, accrual_months=36, follow_up_months=30, arm="lrt",
                                        seed=DEFAULT_SEED))
    rng = np.random.default_rng([DEFAULT_SEED, zlib.crc32(b"lrt")])
    entry = rng.uniform(0, 36, 50)
    death = arm.params["scale"] * rng.standard_exponential(50) ** (1 / arm.params["shape"])
    censor = 36 / 2 + 30 - entry
    assert patients["time_months"].tolist() == np.minimum(death, censor).tolist()
    assert patients["event"].tolist() == (death <= censor).astype(int).tolist()
    assert list(patients.columns) == ["time_months", "event", "arm"]
    assert set(patients["arm"]) == {"lrt"} and patients["event"].dtype.kind == "i"
    assert DEFAULT_SEED == 20120201


def test_seeds_and_arm_names_give_different_draws():
    arm = arm_model(20)
    first = simulate_arm(arm, 30, accrual_months=12, follow_up_months=24, arm="a")
    assert not first["time_months"].equals(simulate_arm(arm, 30, accrual_months=12, follow_up_months=24,
                                                        arm="a", seed=1)["time_months"])
    assert not first["time_months"].equals(simulate_arm(arm, 30, accrual_months=12, follow_up_months=24,
                                                        arm="b")["time_months"])


def test_exponential_draws_are_the_unit_exponential_over_the_rate():
    arm = arm_model(20)
    patients = simulate_arm(arm, 40, accrual_months=0, follow_up_months=1200, follow_up="minimum", arm="x", seed=7)
    rng = np.random.default_rng([7, zlib.crc32(b"x")])
    rng.uniform(0, 0, 40)
    assert patients["time_months"].to_numpy() == pytest.approx(rng.standard_exponential(40) / (LN2 / 20))


def test_without_accrual_everyone_alive_is_censored_at_the_minimum_follow_up():
    patients = simulate_arm(arm_model(20), 2000, accrual_months=0, follow_up_months=20, follow_up="minimum")
    censored = patients.loc[patients["event"] == 0, "time_months"]
    assert set(censored) == {20.0}
    assert (patients.loc[patients["event"] == 1, "time_months"] <= 20).all()
    assert patients["event"].mean() == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize("follow_up, low, high", [("minimum", 12, 12 + 36), ("median", 30 - 18, 30 + 18)])
def test_administrative_censoring_spans_the_accrual_period(follow_up, low, high):
    patients = simulate_arm(arm_model(1000), 3000, accrual_months=36, follow_up_months=12 if follow_up == "minimum"
                            else 30, follow_up=follow_up)
    censored = patients.loc[patients["event"] == 0, "time_months"]
    assert low <= censored.min() < low + 0.2 and high - 0.2 < censored.max() <= high
    if follow_up == "median":  # the median potential follow-up is the reported one
        assert censored.median() == pytest.approx(30, abs=1)


@pytest.mark.parametrize("arm", [arm_model(20), arm_model(19.2, [(24, 0.419)]), arm_model(46, [(120, 0.19)])])
def test_large_simulations_recover_the_model_median(arm):
    patients = simulate_arm(arm, 20_000, accrual_months=24, follow_up_months=150)
    assert median_survival(patients).iloc[0] == pytest.approx(arm.median(), rel=0.05)


def test_boundaries_of_the_simulation_inputs():
    arm = arm_model(20)
    assert len(simulate_arm(arm, 2, accrual_months=0, follow_up_months=1)) == 2
    assert len(simulate_arm(arm, 2.0, accrual_months=1200, follow_up_months=1200, follow_up="minimum")) == 2
    assert len(simulate_arm(arm, MAX_PATIENTS, accrual_months=10, follow_up_months=5.001)) == MAX_PATIENTS
    assert len(simulate_arm(arm, 5, accrual_months=10, follow_up_months=5, follow_up="minimum", seed=0)) == 5


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 1}, "the number of patients in an arm must be between 2 and 100,000, got 1"),
    ({"n": MAX_PATIENTS + 1}, "...must be between 2 and 100,000, got 100,001"),
    ({"n": 2.5}, "the number of patients in an arm must be a whole number, got 2.5"),
    ({"n": "300"}, "...must be a whole number, got '300'"),
    ({"n": True}, "...must be a whole number, got True"),
    ({"accrual_months": -1}, "the accrual period must be 0 months or more, got -1"),
    ({"accrual_months": 1201}, "the accrual period must be at most 1,200 months (100 years), got 1201"),
    ({"follow_up_months": 0}, "the follow-up must be above 0 months, got 0"),
    ({"follow_up_months": None}, "the follow-up must be a number of months, got None"),
    ({"follow_up_months": 18}, "a median follow-up of 18 months is too short for 36 months of accrual: with uniform "
                               "accrual it must be above half the accrual period (18 months)"),
    ({"follow_up": "mean"}, "follow_up must be 'median' or 'minimum', got 'mean'"),
    ({"arm": ""}, "the arm needs a name (text), got ''"),
    ({"arm": 3}, "the arm needs a name (text), got 3"),
    ({"seed": -1}, "the seed must be a whole number from 0, got -1"),
    ({"seed": 1.0}, "the seed must be a whole number from 0, got 1"),
    ({"seed": True}, "the seed must be a whole number from 0, got True"),
    ({"model": "weibull"}, "model must be an ArmModel (from arm_model), got 'weibull'"),
])
def test_bad_simulation_inputs_are_explained(kwargs, message):
    args = {"model": arm_model(20), "n": 100, "accrual_months": 36, "follow_up_months": 24} | kwargs
    with pytest.raises(InputError, match=says(message)):
        simulate_arm(**args)


def test_an_accrual_of_minus_zero_is_zero():
    """Found by Hypothesis: -0.0 passed the check for "0 or more" and then broke numpy's draw."""
    patients = simulate_arm(arm_model(20), 5, accrual_months=-0.0, follow_up_months=1.0, seed=0)
    assert len(patients) == 5 and (patients["time_months"] <= 1.0).all()


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.integers(-3, 300), ANY), st.one_of(st.floats(-10, 1300), ANY), st.one_of(st.floats(-10, 1300), ANY),
       st.sampled_from(["median", "minimum", "other"]), st.one_of(st.integers(-2, 2**40), ANY))
def test_any_simulation_input_gives_patients_or_an_input_error(n, accrual, follow_up, kind, seed):
    try:
        patients = simulate_arm(arm_model(20, [(36, 0.3)]), n, accrual_months=accrual, follow_up_months=follow_up,
                                follow_up=kind, seed=seed)
    except InputError as error:
        assert str(error)
        return
    assert len(patients) == n and patients["time_months"].between(0, accrual + follow_up).all()


# ---------------------------------------------------------------- Kaplan-Meier and Cox

SMALL = pd.DataFrame({"time_months": [2, 4, 4, 6, 9, 1, 3, 3, 8], "event": [1, 1, 0, 1, 0, 1, 1, 1, 1],
                      "arm": ["a"] * 5 + ["b"] * 4})


def test_kaplan_meier_table_by_arm():
    table = kaplan_meier(SMALL)
    assert list(table.columns) == ["time_months", "survival", "ci_low", "ci_high", "at_risk", "arm"]
    a, b = table[table["arm"] == "a"], table[table["arm"] == "b"]
    assert a["time_months"].tolist() == [0, 2, 4, 6, 9] and b["time_months"].tolist() == [0, 1, 3, 8]
    assert a["survival"].tolist() == pytest.approx([1, 0.8, 0.6, 0.3, 0.3])
    assert b["survival"].tolist() == pytest.approx([1, 0.75, 0.25, 0])
    assert a["at_risk"].tolist() == [5, 5, 4, 2, 1] and b["at_risk"].tolist() == [4, 4, 3, 1]
    assert table["arm"].tolist()[:1] == ["a"]  # order of first appearance


@pytest.mark.parametrize("level", [0.95, 0.90])
def test_kaplan_meier_intervals_are_lifelines_at_the_level_asked(level):
    table = kaplan_meier(SMALL, ci_level=level)
    rows = SMALL[SMALL["arm"] == "a"]
    fitter = KaplanMeierFitter(alpha=1 - level).fit(rows["time_months"], rows["event"])
    expected = fitter.confidence_interval_survival_function_
    a = table[table["arm"] == "a"]
    assert a["ci_low"].tolist() == pytest.approx(expected.iloc[:, 0].tolist())
    assert a["ci_high"].tolist() == pytest.approx(expected.iloc[:, 1].tolist())
    assert a["ci_low"].iloc[1] == pytest.approx(0.20380, abs=1e-5) if level == 0.95 else True


def test_a_90_percent_interval_is_narrower():
    wide, narrow = kaplan_meier(SMALL, 0.95), kaplan_meier(SMALL, 0.9)
    assert (narrow["ci_low"] >= wide["ci_low"]).all() and (narrow["ci_high"] <= wide["ci_high"]).all()
    assert (narrow["ci_low"] > wide["ci_low"]).any()


def test_numbers_at_risk_count_patients_followed_up_to_each_time():
    table = number_at_risk(SMALL, [0, 4, 6, 12])
    assert list(table.columns) == ["arm", "time_months", "n_at_risk"]
    assert table["n_at_risk"].tolist() == [5, 4, 2, 0, 4, 1, 1, 0]
    assert table["arm"].tolist() == ["a"] * 4 + ["b"] * 4
    assert number_at_risk(SMALL, np.array([3.0]))["n_at_risk"].tolist() == [4, 3]
    assert number_at_risk(SMALL, pd.Series([8.0]))["n_at_risk"].tolist() == [1, 1]


def test_medians_and_landmark_survival():
    assert median_survival(SMALL).to_dict() == {"a": 6.0, "b": 3.0}
    assert median_survival(SMALL).name == "median_months"
    landmarks = survival_at(SMALL, [1, 4, 8.5])
    assert list(landmarks.columns) == ["arm", "time_months", "survival"]
    assert landmarks["survival"].tolist() == pytest.approx([1, 0.6, 0.3, 0.75, 0.25, 0])
    assert survival_at(SMALL, [])["survival"].tolist() == []


def test_patient_tables_accept_booleans_and_numeric_text():
    table = pd.DataFrame({"time_months": ["2", "4.5"], "event": [True, False], "arm": [1, 1], "age": [50, 60]})
    assert kaplan_meier(table)["survival"].tolist() == pytest.approx([1, 0.5, 0.5])
    assert kaplan_meier(table)["arm"].tolist() == ["1"] * 3


def _cox(patients, treatment, reference, level):
    rows = patients[patients["arm"].isin([treatment, reference])]
    data = pd.DataFrame({"t": rows["time_months"], "e": rows["event"], "x": (rows["arm"] == treatment).astype(int)})
    return CoxPHFitter(alpha=1 - level).fit(data, "t", "e").summary.loc["x"]


@pytest.fixture(scope="module")
def trial():
    arms = [("surgery", arm_model(30)), ("none", arm_model(20)), ("other", arm_model(5))]
    return pd.concat([simulate_arm(model, 150, accrual_months=24, follow_up_months=36, arm=name)
                      for name, model in arms], ignore_index=True)


@pytest.mark.parametrize("level", [0.95, 0.90])
def test_hazard_ratio_is_lifelines_cox_model_treatment_over_reference(trial, level):
    result = hazard_ratio(trial, "surgery", "none", ci_level=level)
    expected = _cox(trial, "surgery", "none", level)
    percent = round(level * 100)
    assert result.hr == pytest.approx(expected["exp(coef)"], rel=1e-9)
    assert result.ci_low == pytest.approx(expected[f"exp(coef) lower {percent}%"], rel=1e-9)
    assert result.ci_high == pytest.approx(expected[f"exp(coef) upper {percent}%"], rel=1e-9)
    assert result.p_value == pytest.approx(expected["p"], rel=1e-9)
    assert (result.ci_level, result.treatment_arm, result.reference_arm) == (level, "surgery", "none")
    assert result.orientation == "hazard in surgery relative to none (below 1 favours surgery)"
    assert result.hr < 1


def test_swapping_the_arms_inverts_the_ratio_and_its_interval(trial):
    forward, back = hazard_ratio(trial, "surgery", "none"), hazard_ratio(trial, "none", "surgery")
    assert back.hr == pytest.approx(1 / forward.hr, rel=1e-6)
    assert (back.ci_low, back.ci_high) == pytest.approx((1 / forward.ci_high, 1 / forward.ci_low), rel=1e-6)
    assert hazard_ratio(trial, "surgery", "none", 0.9).ci_low > forward.ci_low


@pytest.mark.parametrize("call, message", [
    (lambda t: hazard_ratio(t, "surgery", "nobody"), "reference_arm 'nobody' is not an arm of the table; its arms are "
                                                     "surgery, none, other"),
    (lambda t: hazard_ratio(t, "nobody", "none"), "treatment_arm 'nobody' is not an arm"),
    (lambda t: hazard_ratio(t, "none", "none"), "treatment_arm and reference_arm are both 'none': compare two "
                                                "different arms"),
    (lambda t: hazard_ratio(t, "surgery", "none", 0.99), "the confidence level must be 0.90 or 0.95 (as the trials "
                                                         "publish), got 0.99"),
    (lambda t: hazard_ratio(t, "surgery", "none", True), "...got True"),
    (lambda t: hazard_ratio(t.assign(event=np.where(t["arm"] == "none", 0, t["event"])), "surgery", "none"),
     "arm 'none' has no deaths: a Cox model cannot estimate a hazard ratio unless both arms have at least one"),
    (lambda t: kaplan_meier(t, ci_level=0.5), "the confidence level must be 0.90 or 0.95"),
    (lambda t: number_at_risk(t, [-1]), "each of the times must be 0 months or more, got -1"),
    (lambda t: number_at_risk(t, 12), "times must be a list of times in months, got 12"),
    (lambda t: survival_at(t, "12"), "times must be a list of times in months, got '12'"),
])
def test_bad_comparisons_are_explained(trial, call, message):
    with pytest.raises(InputError, match=says(message)):
        call(trial)


@pytest.mark.parametrize("patients, message", [
    ([1, 2], "the patients must be a table (a pandas DataFrame) with columns time_months, event, arm, got list"),
    (pd.DataFrame({"time_months": [1.0], "arm": ["a"]}), "the patient table lacks the column(s) event; it needs "
                                                          "time_months, event, arm"),
    (pd.DataFrame({"time": [1.0]}), "...lacks the column(s) time_months, event, arm;"),
    (pd.DataFrame(columns=["time_months", "event", "arm"]), "the patient table has no rows"),
    (pd.DataFrame({"time_months": [1.0, -1.0], "event": [1, 0], "arm": "a"}),
     "time_months must be a number of months from 0 to 1,200; patient 2 has -1"),
    (pd.DataFrame({"time_months": [1.0, "soon"], "event": [1, 0], "arm": "a"}), "...patient 2 has 'soon'"),
    (pd.DataFrame({"time_months": [1.0, 1200.1], "event": [1, 0], "arm": "a"}), "...patient 2 has 1200.1"),
    (pd.DataFrame({"time_months": [1.0, np.inf], "event": [1, 0], "arm": "a"}), "...patient 2 has inf"),
    (pd.DataFrame({"time_months": [1.0, 2.0], "event": [1, 2], "arm": "a"}),
     "event must be 1 (death observed) or 0 (censored); patient 2 has 2"),
    (pd.DataFrame({"time_months": [1.0, 2.0], "event": [1, np.nan], "arm": "a"}), "...patient 2 has nan"),
])
@pytest.mark.parametrize("function", [kaplan_meier, median_survival, lambda p: number_at_risk(p, [0]),
                                      lambda p: survival_at(p, [1]), lambda p: hazard_ratio(p, "a", "b")])
def test_bad_patient_tables_are_explained(function, patients, message):
    with pytest.raises(InputError, match=says(message)):
        function(patients)


def test_limits_of_a_patient_table_are_accepted():
    table = pd.DataFrame({"time_months": [0.0, 1200.0], "event": [0, 1], "arm": "a"})
    assert kaplan_meier(table)["survival"].tolist() == pytest.approx([1, 0])


PATIENT_TABLES = st.lists(st.tuples(st.one_of(st.floats(-1, 1300), st.just("x")), st.sampled_from([0, 1, 2, True]),
                                    st.sampled_from(["a", "b", "c"])), max_size=12).map(
    lambda rows: pd.DataFrame(rows, columns=["time_months", "event", "arm"]))


@settings(max_examples=60, deadline=None)
@given(PATIENT_TABLES, st.sampled_from([0.95, 0.9, 0.5]), st.lists(st.floats(-1, 1300), max_size=3))
def test_any_patient_table_gives_an_answer_or_a_value_error(patients, level, times):
    for call in (lambda: kaplan_meier(patients, level), lambda: number_at_risk(patients, times),
                 lambda: median_survival(patients), lambda: survival_at(patients, times),
                 lambda: hazard_ratio(patients, "a", "b", level)):
        try:
            call()
        except ValueError as error:
            assert str(error)


def test_an_arm_model_can_be_built_directly():
    arm = ArmModel("weibull", {"scale": 10.0, "shape": 2.0}, "by hand")
    assert arm.median() == pytest.approx(10 * math.sqrt(LN2))
    assert float(arm.survival(10)) == pytest.approx(math.exp(-1))
    assert arm.label == f"Weibull, shape 2.00, median {10 * math.sqrt(LN2):.1f} months"


# ---------------------------------------------------------------- details a chart relies on


def test_tables_have_a_plain_index_and_named_medians():
    for table in (kaplan_meier(SMALL), number_at_risk(SMALL, [0, 3]), survival_at(SMALL, [0, 3])):
        assert table.index.tolist() == list(range(len(table)))
    table = kaplan_meier(SMALL)
    assert table["time_months"].dtype.kind == "f" and table["at_risk"].dtype.kind == "i"
    medians = median_survival(SMALL)
    assert medians.index.name == "arm" and medians.dtype == float
    assert survival_at(SMALL, [2])["survival"].dtype == float


def test_a_weibull_model_can_be_asked_for_by_name():
    assert arm_model(20, [(36, 0.3)], model="weibull").params == arm_model(20, [(36, 0.3)]).params
    assert arm_model(20, [(36, 0.3)], model="weibull").model == "weibull"


def test_a_landmark_with_a_survival_but_no_time_is_explained():
    with pytest.raises(InputError, match=says("the time of landmark 1 must be a number of months, got nan")):
        arm_model(20, [(float("nan"), 0.4)])


def test_simulated_arms_are_named_arm_unless_told():
    assert set(simulate_arm(arm_model(20), 5, accrual_months=0, follow_up_months=5)["arm"]) == {"arm"}


def test_extreme_hand_built_models_simulate_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flat = simulate_arm(ArmModel("weibull", {"scale": 10.0, "shape": 0.001}, "x"), 50, accrual_months=0,
                            follow_up_months=12)
        never = simulate_arm(ArmModel("exponential", {"rate": 0.0}, "x"), 5, accrual_months=0, follow_up_months=12)
    assert flat["time_months"].max() == 12 and set(never["event"]) == {0}


def test_a_weibull_fit_uses_the_censoring():
    truth = arm_model(None, [(12, 0.8), (36, 0.3)])
    patients = simulate_arm(truth, 5000, accrual_months=24, follow_up_months=24)
    assert patients["event"].mean() < 0.7
    fitted = fit_arm_model(patients)
    assert fitted.params["shape"] == pytest.approx(truth.params["shape"], rel=0.05)
    assert fitted.params["scale"] == pytest.approx(truth.params["scale"], rel=0.05)
    assert fit_arm_model(patients, "exponential").model == "exponential"


# ---------------------------------------------------------------- stratified draws and weighted copies


def test_stratified_draws_take_one_value_from_each_slice():
    arm = arm_model(20)
    patients = simulate_arm(arm, 50, accrual_months=0, follow_up_months=1000, follow_up="minimum",
                            draws="stratified")
    quantiles = np.sort(1 - np.exp(-arm.params["rate"] * patients["time_months"].to_numpy()))
    assert np.all(np.floor(quantiles * 50) == np.arange(50))


def test_stratified_entry_times_cover_the_accrual_period_evenly():
    patients = simulate_arm(arm_model(1e6 / 1e3), 40, accrual_months=40, follow_up_months=0, follow_up="minimum",
                            draws="stratified")
    entry = np.sort(40 - patients["time_months"].to_numpy())  # nobody dies: follow-up is 40 - entry
    assert np.all(np.floor(entry) == np.arange(40))


def test_copies_weigh_one_share_each_and_sum_to_the_arm_size():
    patients = simulate_arm(arm_model(20), 30, accrual_months=12, follow_up_months=24, copies=4)
    assert len(patients) == 120 and set(patients["weight"]) == {0.25}
    assert "weight" not in simulate_arm(arm_model(20), 30, accrual_months=12, follow_up_months=24).columns


def test_weighted_copies_count_as_patients_in_every_summary():
    single = pd.DataFrame({"time_months": [2.0, 4.0, 6.0], "event": [1, 0, 1], "arm": "a"})
    doubled = pd.concat([single, single]).assign(weight=0.5)
    assert kaplan_meier(doubled)["survival"].tolist() == kaplan_meier(single)["survival"].tolist()
    assert kaplan_meier(doubled)["at_risk"].tolist() == [3, 3, 2, 1]
    assert number_at_risk(doubled, [0, 3, 5])["n_at_risk"].tolist() == [3, 2, 1]
    assert median_survival(doubled).iloc[0] == median_survival(single).iloc[0]


def test_weighted_copies_give_the_hazard_ratio_and_interval_of_the_patients():
    a = simulate_arm(arm_model(30), 200, accrual_months=24, follow_up_months=48, arm="a")
    b = simulate_arm(arm_model(20), 200, accrual_months=24, follow_up_months=48, arm="b")
    patients = pd.concat([a, b])
    copied = pd.concat([patients] * 3).assign(weight=1 / 3)
    one, three = hazard_ratio(patients, "a", "b"), hazard_ratio(copied, "a", "b")
    # Copies are ties, which Efron's method treats a little differently from single patients.
    assert three.hr == pytest.approx(one.hr, rel=2e-3)
    assert three.ci_low == pytest.approx(one.ci_low, rel=5e-3) and three.ci_high == pytest.approx(one.ci_high, rel=5e-3)


@pytest.mark.parametrize("weight", [0, -0.5, float("inf"), float("nan"), "x"])
def test_bad_weights_are_explained(weight):
    patients = pd.DataFrame({"time_months": [2.0, 4.0], "event": [1, 0], "arm": "a", "weight": [0.5, weight]})
    with pytest.raises(InputError, match=r"weight must be a number above 0 \(how many patients the row stands "
                                         r"for: 1/copies for a pseudo-patient\); patient 2 has"):
        kaplan_meier(patients)


def test_a_weight_above_one_stands_for_several_patients():
    """Grouped pseudo-patients (mbcbook.analysis.reconstruction.grouped) sum their weights."""
    patients = pd.DataFrame({"time_months": [2.0, 4.0], "event": [1, 0], "arm": "a", "weight": [1.0, 2.5]})
    assert kaplan_meier(patients)["at_risk"].tolist() == [4, 4, 2]


@pytest.mark.parametrize("kwargs, message", [
    ({"draws": "sobol"}, r"draws must be 'random' or 'stratified', got 'sobol'"),
    ({"copies": 0}, r"copies \(pseudo-patients per patient\) must be between 1 and 200, got 0"),
    ({"copies": 201}, r"copies \(pseudo-patients per patient\) must be between 1 and 200, got 201"),
    ({"copies": 2.5}, r"copies \(pseudo-patients per patient\) must be a whole number, got 2.5"),
    ({"accrual_months": 0, "follow_up_months": 0, "follow_up": "minimum"},
     r"with no accrual period the follow-up must be above 0 months"),
    ({"follow_up_months": 0}, r"the follow-up must be above 0 months, got 0"),
])
def test_bad_draw_settings_are_explained(kwargs, message):
    settings = {"accrual_months": 12, "follow_up_months": 24, **kwargs}
    with pytest.raises(InputError, match=message):
        simulate_arm(arm_model(20), 10, **settings)


def test_a_minimum_follow_up_of_zero_is_an_analysis_when_accrual_closes():
    patients = simulate_arm(arm_model(20), 100, accrual_months=24, follow_up_months=0, follow_up="minimum")
    assert patients["time_months"].max() <= 24
    assert len(simulate_arm(arm_model(20), 10, accrual_months=12, follow_up_months=24, copies=200)) == 2000


def test_a_fit_to_weighted_copies_counts_patients_not_rows():
    patients = simulate_arm(arm_model(20), 100, accrual_months=12, follow_up_months=60, copies=5)
    fitted = fit_arm_model(patients, "exponential")
    assert "to 100 patients" in fitted.reason
