"""The selection-bias lab: known answers of its model, what each analysis recovers, and bad input.

Surgery does nothing in the simulated cohort (true hazard ratio 1). "Near 1" means within three
standard errors of 1, each estimate's standard error read from its own 95% interval
(SE = log(ci_high / ci_low) / 3.92, about 0.05 for 2,000 patients): a fair estimate strays
that far about once in 370 draws, while the biases the lab teaches are 8 or more standard errors.
"""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import StatisticalWarning
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_linear_model import GLM

from mbcbook.analysis import selection
from mbcbook.analysis.selection import cohort, grid, lab
from mbcbook.errors import InputError

SELECTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
MEASURED = ["ecog", "large_tumour", "multiple_sites", "er_positive"]


def se(row) -> float:
    """The standard error of the log hazard ratio, read from the 95% interval."""
    return math.log(row["ci_high"] / row["ci_low"]) / (2 * 1.959964)


def near_one(row) -> bool:
    return abs(math.log(row["hr"])) < 3 * se(row)


@pytest.fixture(scope="module")
def lab_grid():
    """The lab at every selection strength, without and with a strong hidden confounder (2,000 patients).

    Shared by the tests of what each analysis recovers, as it takes a second or two; the tests of
    how the results are computed call the functions themselves.
    """
    return grid(SELECTIONS, (0, 1))


def rows(lab_grid, method, hidden):
    table = lab_grid.estimates
    return table[(table["method"] == method) & (table["hidden"] == hidden)].set_index("selection")


# ---------------------------------------------------------------- what each analysis recovers


def test_without_selection_every_estimate_is_near_1(lab_grid):
    null = lab_grid.estimates.query("selection == 0 and hidden == 0")
    assert null["method"].tolist() == list(selection.METHODS)
    for _, row in null.iterrows():
        assert near_one(row), row
        assert row["ci_low"] < 1 < row["ci_high"], row
        assert 0.04 < se(row) < 0.06, row  # the precision the module's docstring states for 2,000 patients


def test_the_randomised_estimate_is_near_1_at_every_setting(lab_grid):
    randomised = lab_grid.estimates.query("method == 'randomised'")
    assert len(randomised) == 10
    for _, row in randomised.iterrows():
        assert near_one(row), row


@pytest.mark.parametrize("hidden", [0, 1])
def test_the_naive_estimate_falls_below_1_as_selection_grows(lab_grid, hidden):
    naive = rows(lab_grid, "naive", hidden)["hr"]
    assert naive.index.tolist() == list(SELECTIONS)
    assert naive.is_monotonic_decreasing and naive.is_unique
    assert naive[1.0] < 0.75 and rows(lab_grid, "naive", hidden).loc[1.0, "ci_high"] < 1


def test_the_naive_picture_at_full_selection_is_far_from_1(lab_grid):
    row = rows(lab_grid, "naive", 0).loc[1.0]
    assert math.log(row["hr"]) < -8 * se(row)


@pytest.mark.parametrize("method", ["adjusted", "propensity"])
def test_adjustment_recovers_1_when_every_confounder_is_measured(lab_grid, method):
    for strength, row in rows(lab_grid, method, 0).iterrows():
        assert near_one(row), (strength, row)
        assert row["ci_low"] < 1 < row["ci_high"], (strength, row)


@pytest.mark.parametrize("method", ["naive", "adjusted", "propensity"])
def test_adjustment_fails_when_a_strong_confounder_is_hidden(lab_grid, method):
    for strength, row in rows(lab_grid, method, 1).iterrows():
        assert row["ci_high"] < 0.8, (strength, row)


def test_the_books_example_is_pinned(lab_grid):
    """The figures the module's docstring prints (selection 1, no hidden factor, default seed)."""
    result = lab(1, 0)
    table = result.estimates.set_index("method")
    assert table["hr"].round(2).to_dict() == {"naive": 0.66, "adjusted": 1.04, "propensity": 1.0,
                                               "randomised": 0.98}
    assert table["ci_low"].round(2).tolist() == [0.60, 0.93, 0.88, 0.89]
    assert table["ci_high"].round(2).tolist() == [0.73, 1.17, 1.13, 1.08]
    from_grid = lab_grid.estimates.query("selection == 1 and hidden == 0").drop(columns=["selection", "hidden"])
    pd.testing.assert_frame_equal(from_grid.reset_index(drop=True), result.estimates)


# ---------------------------------------------------------------- the analyses are lifelines' and statsmodels'


# Each test below draws its own cohort and lab rather than share a fixture: mutmut runs, for each
# mutant, only the tests that called the mutated function themselves.
STRONG = (1, 0.5)  # both kinds of confounding


def _fit(data, **options):
    fitter = CoxPHFitter().fit(data, "time_months", "event", **options)
    return (math.exp(fitter.params_["surgery"]),
            *np.exp(fitter.confidence_intervals_.loc["surgery"]).tolist())


def test_each_estimate_is_the_cox_model_it_names():
    patients, result = cohort(*STRONG), lab(*STRONG)
    table = result.estimates.set_index("method")
    outcome = patients[["time_months", "event"]]
    expected = {
        "naive": _fit(outcome.assign(surgery=patients["surgery"])),
        "adjusted": _fit(outcome.assign(surgery=patients["surgery"], **{c: patients[c] for c in MEASURED})),
        "randomised": _fit(outcome.assign(surgery=patients["coin"])),
    }
    # the propensity score from a binomial GLM (the same model as the module's Logit, by another route)
    design = np.column_stack([np.ones(len(patients)), patients[MEASURED].to_numpy(float)])
    propensity = GLM(patients["surgery"].to_numpy(), design, family=Binomial()).fit().fittedvalues
    operated = patients["surgery"].to_numpy() == 1
    share = operated.mean()
    weights = np.where(operated, share / propensity, (1 - share) / (1 - propensity))
    assert weights[operated].mean() == pytest.approx(1, abs=0.1)
    assert weights[~operated].mean() == pytest.approx(1, abs=0.1)
    expected["propensity"] = _fit(outcome.assign(surgery=patients["surgery"], w=weights), weights_col="w", robust=True)
    for method, values in expected.items():
        assert tuple(table.loc[method, ["hr", "ci_low", "ci_high"]]) == pytest.approx(values, rel=1e-6), method
    # the robust interval is not the model-based one of the same weighted fit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)  # lifelines advises the robust variance: that is the point
        model_based = _fit(outcome.assign(surgery=patients["surgery"], w=weights), weights_col="w")
    assert table.loc["propensity", "ci_high"] - model_based[2] > 0.01


def test_the_estimates_table():
    patients, result = cohort(*STRONG, patients=1000), lab(*STRONG, patients=1000)
    table = result.estimates
    assert table.index.equals(pd.RangeIndex(4))
    assert list(table.columns) == ["method", "label", "hr", "ci_low", "ci_high", "n", "operated", "operated_share"]
    assert table["method"].tolist() == ["naive", "adjusted", "propensity", "randomised"]
    assert table["label"].tolist() == [
        "Naive: surgery alone, as an unadjusted registry study",
        "Cox model adjusted for ECOG, tumour size, metastatic sites and ER status",
        "Propensity score weighting on the same factors (stabilised weights)",
        "Randomised: the same patients, surgery by the toss of a coin",
    ]
    operated, coin = int(patients["surgery"].sum()), int(patients["coin"].sum())
    assert operated != coin
    assert table["n"].tolist() == [1000] * 4
    assert table["operated"].tolist() == [operated] * 3 + [coin]
    assert table["operated_share"].tolist() == pytest.approx([operated / 1000] * 3 + [coin / 1000])
    assert (result.selection, result.hidden, result.patients, result.seed, result.operated) == (
        1.0, 0.5, 1000, selection.DEFAULT_SEED, operated)
    assert (table["ci_low"] < table["hr"]).all() and (table["hr"] < table["ci_high"]).all()


def test_the_naive_curves_are_lifelines_kaplan_meier():
    patients, result = cohort(*STRONG), lab(*STRONG)
    curves = result.curves
    assert list(curves.columns) == ["time_months", "survival", "group"]
    assert curves.index.equals(pd.RangeIndex(len(curves))) and curves["time_months"].dtype == float
    assert curves["group"].unique().tolist() == ["operated", "not operated"]
    for group, operated in (("operated", 1), ("not operated", 0)):
        mine = curves[curves["group"] == group]
        rows_ = patients[patients["surgery"] == operated]
        expected = KaplanMeierFitter().fit(rows_["time_months"], rows_["event"]).survival_function_.iloc[:, 0]
        assert len(mine) > 50 and mine["time_months"].tolist() == expected.index.tolist()
        assert mine["survival"].to_numpy() == pytest.approx(expected.to_numpy())
        assert mine["time_months"].iloc[0] == 0 and mine["survival"].iloc[0] == 1
    operated_at_3_years = curves.query("group == 'operated' and time_months == 36")["survival"].item()
    others_at_3_years = curves.query("group == 'not operated' and time_months == 36")["survival"].item()
    assert operated_at_3_years > others_at_3_years + 0.1  # the SEER-like picture


# ---------------------------------------------------------------- the grid


def test_the_grid_tables():
    small = grid([0, 0.5, 1], [0, 1], patients=300, seed=11)
    assert (small.selections, small.hiddens, small.patients, small.seed) == ((0.0, 0.5, 1.0), (0.0, 1.0), 300, 11)
    estimates, curves = small.estimates, small.curves
    assert list(estimates.columns) == ["selection", "hidden", "method", "label", "hr", "ci_low", "ci_high", "n",
                                       "operated", "operated_share"]
    assert list(curves.columns) == ["selection", "hidden", "time_months", "survival", "group"]
    assert estimates.index.equals(pd.RangeIndex(24)) and curves.index.equals(pd.RangeIndex(6 * 2 * 21))
    settings_ = [(s, h) for h in (0.0, 1.0) for s in (0.0, 0.5, 1.0)]
    assert list(zip(estimates["selection"][::4], estimates["hidden"][::4], strict=True)) == settings_
    assert estimates["method"].tolist() == list(selection.METHODS) * 6
    one = curves.query("selection == 0.5 and hidden == 1")
    assert one["time_months"].tolist() == [float(m) for m in range(0, 61, 3)] * 2
    assert one["time_months"].dtype == float
    assert one["group"].tolist() == ["operated"] * 21 + ["not operated"] * 21
    same = lab(0.5, 1, patients=300, seed=11).estimates
    pd.testing.assert_frame_equal(estimates.iloc[16:20].drop(columns=["selection", "hidden"]).reset_index(drop=True),
                                  same)


def test_the_grid_samples_each_curve_at_its_steps():
    full = lab(0.5, 1).curves
    sampled = grid([0.5], [1]).curves
    for group in ("operated", "not operated"):
        steps = full[full["group"] == group].set_index("time_months")["survival"]
        mine = sampled[sampled["group"] == group].set_index("time_months")["survival"]
        expected = [round(steps[steps.index <= month].iloc[-1], 3) for month in range(0, 61, 3)]
        assert mine.tolist() == expected
        assert mine.iloc[0] == 1 and (mine.round(3) == mine).all()
    # (the last group's) at a month with a step, the step's value (right-continuous), not the one before it
    assert mine.loc[3.0] == round(steps.loc[3.0], 3) != round(steps.loc[2.0], 3)


def test_the_lab_prints_nothing(capsys):
    lab(0.5, 0.5, patients=200)
    grid([0], [0], patients=200)
    assert capsys.readouterr() == ("", "")


def test_the_default_grid_is_5_by_4():
    defaults = inspect.signature(grid).parameters
    assert defaults["selections"].default == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert defaults["hiddens"].default == pytest.approx((0.0, 1 / 3, 2 / 3, 1.0))
    assert defaults["patients"].default == 2000 and selection.DEFAULT_PATIENTS == 2000
    assert selection.GRID_MONTHS == tuple(range(0, 61, 3)) and selection.GRID_DECIMALS == 3


# ---------------------------------------------------------------- the data-generating model's known answers


def large(strengths=(0, 0)):
    """20,000 patients (each test draws its own: drawing them takes milliseconds)."""
    return cohort(*strengths, patients=20_000)


def test_the_measured_factors_are_drawn_as_documented():
    patients = large()
    assert list(patients.columns) == list(selection.COHORT_COLUMNS) == [
        "time_months", "event", "surgery", "coin", *MEASURED, "hidden_factor"]
    assert patients.dtypes.astype(str).tolist() == ["float64"] + ["int64"] * 7 + ["float64"]
    assert patients.index.equals(pd.RangeIndex(20_000))
    shares = patients["ecog"].value_counts(normalize=True).sort_index()
    assert shares.index.tolist() == [0, 1, 2]
    assert shares.tolist() == pytest.approx([0.40, 0.45, 0.15], abs=0.012)
    assert patients[MEASURED[1:]].mean().tolist() == pytest.approx([0.40, 0.45, 0.70], abs=0.012)
    for column in MEASURED[1:] + ["coin", "surgery", "event"]:
        assert set(patients[column].unique()) == {0, 1}, column
    frailty = patients["hidden_factor"]
    assert (frailty.mean(), frailty.std()) == pytest.approx((0, 1), abs=0.03)
    assert (frailty.abs() < 1.96).mean() == pytest.approx(0.95, abs=0.01)
    # without selection every column but the outcome is independent of the others (SE of a correlation 0.007)
    others = patients[["surgery", "coin", *MEASURED, "hidden_factor"]].corr().to_numpy()
    assert np.abs(others[np.triu_indices_from(others, 1)]).max() < 0.03
    assert patients["surgery"].mean() == pytest.approx(0.45, abs=0.012)
    assert patients["coin"].mean() == pytest.approx(0.5, abs=0.012)


def test_survival_follows_the_documented_weibull_model():
    """Kaplan-Meier of 20,000 patients against the model's survival, averaged over the 24 patient profiles."""
    patients = large()
    months = np.array([6, 12, 24, 36, 48, 60])
    expected = np.zeros(len(months))
    for ecog, p_ecog in enumerate([0.40, 0.45, 0.15]):
        for large_tumour, sites, er in np.ndindex(2, 2, 2):
            share = p_ecog * (0.4 if large_tumour else 0.6) * (0.45 if sites else 0.55) * (0.7 if er else 0.3)
            log_hazard = (math.log(1.6) * (ecog - 0.75) + math.log(1.3) * (large_tumour - 0.4)
                          + math.log(1.6) * (sites - 0.45) + math.log(0.6) * (er - 0.7))
            expected += share * np.exp(-((months / 40) ** 1.2) * math.exp(log_hazard))
    km = KaplanMeierFitter().fit(patients["time_months"], patients["event"])
    assert km.predict(months).to_numpy() == pytest.approx(expected, abs=0.012)
    assert 28 <= km.median_survival_time_ <= 32


def test_follow_up_is_5_to_6_years_in_whole_months():
    for patients in (large(), large((1, 1))):
        times = patients["time_months"]
        censored = times[patients["event"] == 0]
        assert (times == times.round()).all() and times.min() >= 1
        assert censored.min() == 61 and times.max() == 72
        assert 0.7 < patients["event"].mean() < 0.9


def test_the_hazards_and_the_choice_of_surgery_are_as_documented():
    """Cox and logistic models given every factor, the hidden one too, recover the model's coefficients."""
    patients = large((1, 1))
    columns = ["surgery", *MEASURED, "hidden_factor"]
    cox = CoxPHFitter().fit(patients[["time_months", "event", *columns]], "time_months", "event")
    true_log_hazards = [0, math.log(1.6), math.log(1.3), math.log(1.6), math.log(0.6), math.log(2)]
    assert cox.params_[columns].tolist() == pytest.approx(true_log_hazards, abs=0.06)
    design = np.column_stack([np.ones(len(patients)), patients[columns[1:]].to_numpy(float)])
    logit = GLM(patients["surgery"].to_numpy(), design, family=Binomial()).fit().params
    centre = math.log(1.6) * 0.75 + math.log(1.3) * 0.4 + math.log(1.6) * 0.45 + math.log(0.6) * 0.7
    true_log_odds = [math.log(0.45 / 0.55) + 3 * centre, *(-3 * np.array(true_log_hazards[1:5])), -1]
    assert logit.tolist() == pytest.approx(true_log_odds, abs=0.15)


def test_selection_and_hidden_scale_the_choice_of_surgery():
    half = large((0.5, 0.5))
    design = np.column_stack([np.ones(len(half)), half[[*MEASURED, "hidden_factor"]].to_numpy(float)])
    logit = GLM(half["surgery"].to_numpy(), design, family=Binomial()).fit().params
    assert logit[1:].tolist() == pytest.approx([-1.5 * math.log(1.6), -1.5 * math.log(1.3), -1.5 * math.log(1.6),
                                                -1.5 * math.log(0.6), -0.5], abs=0.1)


@pytest.mark.parametrize("strengths, deaths, months, operated", [
    ((0, 0), 1616, 68119, 883),
    ((1, 0), 1616, 68119, 972),
    ((0, 1), 1545, 67722, 911),
    ((1, 1), 1545, 67722, 955),
    ((0.5, 0.5), 1595, 67941, 928),
])
def test_the_default_cohort_is_pinned(strengths, deaths, months, operated):
    """Exact counts of the book's cohort: a change to the model or its draws must update them knowingly."""
    patients = cohort(*strengths)
    assert (int(patients["event"].sum()), int(patients["time_months"].sum()), int(patients["surgery"].sum())) == (
        deaths, months, operated)
    assert (int(patients["coin"].sum()), int(patients["ecog"].sum())) == (983, 1501)
    assert patients[MEASURED[1:]].sum().tolist() == [768, 887, 1381]
    assert patients["hidden_factor"].sum() == pytest.approx(33.016816, abs=1e-6)


# ---------------------------------------------------------------- reproducibility


def test_the_same_seed_gives_the_same_lab():
    first, second = lab(0.3, 0.6, patients=300, seed=7), lab(0.3, 0.6, patients=300, seed=7)
    pd.testing.assert_frame_equal(first.estimates, second.estimates)
    pd.testing.assert_frame_equal(first.curves, second.curves)
    assert first.operated == second.operated


def test_another_seed_gives_another_cohort():
    one, other = cohort(0.3, 0.6, seed=7), cohort(0.3, 0.6, seed=8)
    assert not one.equals(other) and (one["time_months"] != other["time_months"]).mean() > 0.9
    assert cohort(0.3, 0.6, seed=7).equals(one)
    assert not cohort(0.3, 0.6).equals(one)  # the default seed is not 7


def test_a_larger_cohort_keeps_the_first_patients():
    pd.testing.assert_frame_equal(cohort(0.3, 0.6, patients=500).head(200), cohort(0.3, 0.6, patients=200))


def test_the_controls_change_the_choices_not_the_patients():
    low, high = cohort(0, 0), cohort(1, 0)
    pd.testing.assert_frame_equal(low.drop(columns="surgery"), high.drop(columns="surgery"))
    assert (low["surgery"] != high["surgery"]).mean() > 0.1
    hidden = cohort(0, 1)
    assert hidden[MEASURED + ["coin", "hidden_factor"]].equals(low[MEASURED + ["coin", "hidden_factor"]])
    assert not hidden["time_months"].equals(low["time_months"])


# ---------------------------------------------------------------- bad input


def _each(function):
    return {"cohort": cohort, "lab": lab, "grid": lambda s, h, **options: grid([s], [h], **options)}[function]


@pytest.mark.parametrize("function", ["cohort", "lab", "grid"])
@pytest.mark.parametrize("args, options, message", [
    ((1.5, 0), {}, "selection strength must be between 0 and 1, got 1.5"),
    ((-0.1, 0), {}, "selection strength must be between 0 and 1, got -0.1"),
    ((1.0000001, 0), {}, "selection strength must be between 0 and 1, got 1"),
    ((float("nan"), 0), {}, "selection strength must be a number between 0 and 1, got nan"),
    ((True, 0), {}, "selection strength must be a number between 0 and 1, got True"),
    (("0.5", 0), {}, "selection strength must be a number between 0 and 1, got '0.5'"),
    ((None, 0), {}, "selection strength must be a number between 0 and 1, got None"),
    ((0, 2), {}, "hidden confounding strength must be between 0 and 1, got 2"),
    ((0, -1e-9), {}, "hidden confounding strength must be between 0 and 1, got -1e-09"),
    ((0, float("inf")), {}, "hidden confounding strength must be between 0 and 1, got inf"),
    ((0, np.float64("nan")), {}, "hidden confounding strength must be a number between 0 and 1, got nan"),
    ((0, False), {}, "hidden confounding strength must be a number between 0 and 1, got False"),
    ((0, 0), {"patients": 199}, "the number of patients must be between 200 and 20,000, got 199"),
    ((0, 0), {"patients": 20_001.0}, "the number of patients must be between 200 and 20,000, got 20,001"),
    ((0, 0), {"patients": 2000.5}, "the number of patients must be a whole number, got 2000.5"),
    ((0, 0), {"patients": float("inf")}, "the number of patients must be a whole number, got inf"),
    ((0, 0), {"patients": True}, "the number of patients must be a whole number, got True"),
    ((0, 0), {"patients": "2000"}, "the number of patients must be a whole number, got '2000'"),
    ((0, 0), {"seed": -1}, "the seed must be a whole number from 0, got -1"),
    ((0, 0), {"seed": 1.0}, "the seed must be a whole number from 0, got 1"),
    ((0, 0), {"seed": True}, "the seed must be a whole number from 0, got True"),
    ((0, 0), {"seed": "1"}, "the seed must be a whole number from 0, got '1'"),
])
def test_bad_input_is_explained(function, args, options, message):
    with pytest.raises(InputError) as caught:
        _each(function)(*args, **options)
    assert str(caught.value) == message


@pytest.mark.parametrize("selections, hiddens, message", [
    ("0.5", [0], "the selection strengths of the grid must be a list of numbers such as [0, 0.5, 1], got '0.5'"),
    (0.5, [0], "the selection strengths of the grid must be a list of numbers such as [0, 0.5, 1], got 0.5"),
    ({0, 1}, [0], "the selection strengths of the grid must be a list of numbers such as [0, 0.5, 1], got {0, 1}"),
    ([], [0], "the selection strengths of the grid must hold 1 to 11 values, got 0"),
    ([i / 11 for i in range(12)], [0], "the selection strengths of the grid must hold 1 to 11 values, got 12"),
    ([0, 1.5], [0], "selection strength must be between 0 and 1, got 1.5"),
    ([0.5, 0, 0.5], [0], "the selection strengths of the grid repeat 0.5; give each value once"),
    ([0, 0.0], [0], "the selection strengths of the grid repeat 0; give each value once"),
    ([i / 10 for i in range(11)], b"0", "the hidden confounding strengths of the grid must be a list of numbers "
                                        "such as [0, 0.5, 1], got b'0'"),
    ([0], np.array([]), "the hidden confounding strengths of the grid must hold 1 to 11 values, got 0"),
    ([0], [0, "x"], "hidden confounding strength must be a number between 0 and 1, got 'x'"),
    ([0], [1, 1.0], "the hidden confounding strengths of the grid repeat 1; give each value once"),
])
def test_bad_grids_are_explained(selections, hiddens, message):
    with pytest.raises(InputError) as caught:
        grid(selections, hiddens)
    assert str(caught.value) == message


def test_limits_are_accepted():
    assert len(cohort(0, 1, patients=200, seed=0)) == 200
    assert len(cohort(1, 0, patients=20_000, seed=np.int64(5))) == 20_000
    assert len(cohort(np.float64(1), 1.0, patients=250.0)) == 250
    small = grid(np.array([0.0, 1.0]), [0.5], patients=200, seed=3)
    assert small.selections == (0.0, 1.0) and small.hiddens == (0.5,) and small.patients == 200
    assert small.estimates["n"].tolist() == [200] * 8 and small.seed == 3


# ---------------------------------------------------------------- any input: a result or an InputError

ANY = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(), st.text(max_size=3),
                st.builds(np.float64, st.floats(-1, 2)), st.lists(st.integers(0, 1), max_size=2))
STRENGTH = st.one_of(st.floats(0, 1), st.sampled_from([0, 1, np.float64(0.5)]), ANY)
PATIENTS = st.one_of(st.integers(198, 220), st.sampled_from([200.0, 200.5, 20_001]), ANY)
SEED = st.one_of(st.integers(0, 2 ** 70), st.integers(-3, -1), ANY)


def _valid(result, patients):
    table = result.estimates
    assert table["method"].tolist()[-4:] == list(selection.METHODS)
    assert (table["n"] == patients).all() and table["operated"].between(0, patients).all()
    assert np.isfinite(table[["hr", "ci_low", "ci_high"]].to_numpy()).all()
    assert (table["ci_low"] <= table["hr"]).all() and (table["hr"] <= table["ci_high"]).all()


@settings(max_examples=40, deadline=None)
@given(STRENGTH, STRENGTH, PATIENTS, SEED)
def test_any_setting_gives_a_lab_or_an_input_error(strength, hidden, patients, seed):
    try:
        result = lab(strength, hidden, patients=patients, seed=seed)
    except InputError as error:
        assert str(error)
        with pytest.raises(InputError):
            cohort(strength, hidden, patients=patients, seed=seed)
    else:
        _valid(result, int(patients))
        assert result.curves["survival"].between(0, 1).all()
        assert len(cohort(strength, hidden, patients=patients, seed=seed)) == result.patients == int(patients)


@settings(max_examples=25, deadline=None)
@given(st.one_of(st.lists(STRENGTH, max_size=2), ANY), st.one_of(st.lists(STRENGTH, max_size=2), ANY),
       st.one_of(st.just(200), PATIENTS), SEED)
def test_any_grid_gives_a_grid_or_an_input_error(selections, hiddens, patients, seed):
    try:
        result = grid(selections, hiddens, patients=patients, seed=seed)
    except InputError as error:
        assert str(error)
    else:
        _valid(result, int(patients))
        assert len(result.curves) == 42 * len(result.selections) * len(result.hiddens)
