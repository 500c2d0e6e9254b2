"""Pooling trials' hazard ratios: the Cochrane review's known answer, levels, orientation, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbcbook.analysis import pooling
from mbcbook.errors import InputError


def _from_data(ev, effect_id, reading=None):
    row = ev.effects.loc[effect_id]
    return pooling.oriented(effect_id, row["estimate"], row["ci_low"], row["ci_high"], row["ci_level"],
                            row["treatment_arm"], row["reference_arm"], reading)


def test_tata_and_mf07_01_give_the_cochrane_random_effects_result(evidence_tables):
    """Tosello et al., Cochrane 2018 (CD011276): HR 0.83 (95% CI 0.53-1.31), from data/meta_analyses.csv."""
    cochrane = evidence_tables.meta_analyses.loc["tosello2018-os"]
    result = pooling.pool([_from_data(evidence_tables, "tata-os"), _from_data(evidence_tables, "mf07-01-2018-os")])
    assert result.hr == pytest.approx(cochrane["estimate"], abs=0.01)
    assert result.ci_low == pytest.approx(cochrane["ci_low"], abs=0.01)
    assert result.ci_high == pytest.approx(cochrane["ci_high"], abs=0.01)
    assert result.studies == ("tata-os", "mf07-01-2018-os") and result.method == "random"
    assert result.tau2 > 0 and 0.7 < result.i2 < 0.9 and result.q > 4


def test_fixed_effect_is_narrower_here():
    studies = [pooling.oriented("a", 1.04, 0.81, 1.34, 0.95, "lrt", "st"),
               pooling.oriented("b", 0.66, 0.49, 0.88, 0.95, "lrt", "st")]
    fixed, random_ = pooling.pool(studies, "fixed"), pooling.pool(studies, "random")
    assert fixed.ci_high - fixed.ci_low < random_.ci_high - random_.ci_low
    assert fixed.hr == pytest.approx(math.exp(-0.154045), abs=1e-5)


def test_a_90_percent_interval_is_read_at_its_own_level():
    at_90 = pooling.oriented("jcog1017-os", 0.86, 0.69, 1.07, 0.90, "lrt", "st")
    at_95 = pooling.oriented("as if 95", 0.86, 0.69, 1.07, 0.95, "lrt", "st")
    assert at_90.se == pytest.approx((math.log(1.07) - math.log(0.69)) / (2 * 1.6448536), rel=1e-6)
    assert at_90.se > at_95.se


def test_a_ratio_the_other_way_round_is_inverted_and_says_so():
    study = pooling.oriented("x", 2.0, 1.0, 4.0, 0.95, "st", "lrt")
    assert study.hr == pytest.approx(0.5) and study.orientation == "published as st against lrt, inverted"
    assert pooling.oriented("y", 2.0, 1.0, 4.0, 0.95, "lrt", "st").orientation == "published as lrt against st"


def test_an_unstated_orientation_needs_a_reading(evidence_tables):
    with pytest.raises(InputError, match=r"abcsg-28-os: the paper does not say which arm is its reference"):
        _from_data(evidence_tables, "abcsg-28-os")
    read = _from_data(evidence_tables, "abcsg-28-os", reading=("st", "lrt"))
    assert read.hr == pytest.approx(1 / 0.691) and read.orientation == "read as st against lrt, inverted"


@pytest.mark.parametrize("args, message", [
    ((0, 0.5, 1.5, 0.95), "the hazard ratio must be a number above 0, got 0"),
    ((-1, 0.5, 1.5, 0.95), "the hazard ratio must be a number above 0, got -1"),
    ((1.0, 0, 1.5, 0.95), "the lower limit must be a number above 0, got 0"),
    ((1.0, 0.5, float("inf"), 0.95), "the upper limit must be a number above 0, got inf"),
    ((2.0, 0.5, 1.5, 0.95), "x: the interval 0.5-1.5 does not contain its hazard ratio 2"),
    ((1.0, 0.5, 1.5, 0.99), "x: the confidence level must be 0.90 or 0.95 (as published), got 0.99"),
    ((1.0, 0.5, 1.5, True), "x: the confidence level must be 0.90 or 0.95 (as published), got True"),
])
def test_bad_hazard_ratios_are_explained(args, message):
    with pytest.raises(InputError) as caught:
        pooling.oriented("x", *args, "lrt", "st")
    assert str(caught.value) == message


def test_bad_pooling_requests_are_explained():
    one = [pooling.oriented("a", 1.0, 0.5, 2.0, 0.95, "lrt", "st")]
    with pytest.raises(InputError) as caught:
        pooling.pool(one)
    assert str(caught.value) == ("Nothing to pool: only a is chosen, and one trial has nothing to be pooled "
                                 "with. Pooling needs at least two trials.")
    with pytest.raises(InputError) as caught:
        pooling.pool([])
    assert str(caught.value) == "Nothing to pool: no trial is chosen. Pooling needs at least two trials."
    with pytest.raises(InputError, match=r"^method must be 'fixed' or 'random', got 'bayes'$"):
        pooling.pool(one * 2, "bayes")


def test_identical_trials_have_no_heterogeneity():
    """Q below its degrees of freedom: tau squared is 0 and random effects equal fixed effect."""
    same = [pooling.oriented(n, 0.8, 0.6, 1.0, 0.95, "lrt", "st") for n in "abc"]
    random_, fixed = pooling.pool(same, "random"), pooling.pool(same, "fixed")
    assert random_.tau2 == 0 and random_.i2 == 0 and random_.q == pytest.approx(0)
    assert (random_.hr, random_.ci_low, random_.ci_high) == (fixed.hr, fixed.ci_low, fixed.ci_high)
    assert random_.hr == pytest.approx(0.8)


def test_close_trials_keep_statsmodels_random_effects():
    studies = [pooling.oriented("a", 0.8, 0.6, 1.0, 0.95, "lrt", "st"),
               pooling.oriented("b", 1.3, 1.1, 1.5, 0.95, "lrt", "st")]
    random_, fixed = pooling.pool(studies, "random"), pooling.pool(studies, "fixed")
    assert random_.tau2 > 0 and random_.i2 > 0
    assert random_.ci_high - random_.ci_low > fixed.ci_high - fixed.ci_low


NUMBER = st.one_of(st.floats(-2, 10, allow_nan=False), st.just(float("nan")), st.just(0), st.booleans())


@settings(max_examples=100, deadline=None)
@given(hr=NUMBER, low=NUMBER, high=NUMBER, level=st.sampled_from([0.90, 0.95, 0.99, 1]),
       arms=st.sampled_from([("lrt", "st"), ("st", "lrt"), ("not_stated", "not_stated")]))
def test_any_hazard_ratio_gives_a_study_or_an_input_error(hr, low, high, level, arms):
    try:
        study = pooling.oriented("x", hr, low, high, level, *arms)
    except InputError:
        return
    assert study.se >= 0 and math.isfinite(study.log_hr)


def test_the_trials_pooled_are_each_primary_report_of_overall_survival(evidence_tables):
    reports = pooling.overall_survival_reports(evidence_tables.effects)
    assert list(reports.index) == ["tata-os", "mf07-01-2018-os", "jcog1017-os", "e2108-os", "abcsg-28-os"]
    # An update, a conference report and the unplanned subgroups of a trial already listed are left out.
    assert not {"mf07-01-2021-os", "jcog1017-os-asco", "mf07-01-2018-os-bone-only"} & set(reports.index)


def test_trial_studies_orient_each_trial_and_name_it(evidence_tables):
    names = {"tata": "Tata Memorial"}
    as_medians = pooling.trial_studies(evidence_tables.effects, "st-lrt", names)
    as_surgery = pooling.trial_studies(evidence_tables.effects, "lrt-st", names)
    assert list(as_medians) == ["tata", "mf07-01", "jcog1017", "e2108", "abcsg-28"]
    assert as_medians["tata"].name == "Tata Memorial" and as_medians["e2108"].name == "e2108"
    assert as_medians["abcsg-28"].hr == pytest.approx(1 / 0.691)
    assert as_surgery["abcsg-28"].hr == pytest.approx(0.691)
    assert as_surgery["abcsg-28"].orientation == "read as lrt against st"
    # A stated orientation does not depend on the reading.
    assert as_medians["jcog1017"] == as_surgery["jcog1017"]
    with pytest.raises(InputError) as caught:
        pooling.trial_studies(evidence_tables.effects, "surgery")
    assert str(caught.value) == ("the reading of an unstated orientation must be one of st-lrt, lrt-st, "
                                 "got 'surgery'")


def test_every_subset_matches_pooling_it_directly(evidence_tables):
    studies = {r: pooling.trial_studies(evidence_tables.effects, r) for r in pooling.READINGS}
    grid = pooling.every_subset(studies)
    trials = list(studies["st-lrt"])
    assert len(grid) == 2 ** len(trials) * 2 * 2
    assert list(grid.columns) == ["key", "method", "reading", "k", "hr", "ci_low", "ci_high", "q", "i2", "tau2",
                                  "message"]
    assert grid.groupby(["key", "method", "reading"]).size().max() == 1
    for _, row in grid.iterrows():
        chosen = [t for t, bit in zip(trials, row["key"], strict=True) if bit == "1"]
        assert row["k"] == len(chosen)
        if len(chosen) < 2:
            assert math.isnan(row["hr"]) and row["message"].startswith("Nothing to pool")
            continue
        direct = pooling.pool([studies[row["reading"]][t] for t in chosen], row["method"])
        assert (row["hr"], row["ci_low"], row["ci_high"], row["q"], row["i2"], row["tau2"]) == (
            direct.hr, direct.ci_low, direct.ci_high, direct.q, direct.i2, direct.tau2)
        assert pd.isna(row["message"])
    cochrane = grid[(grid["key"] == "11000") & (grid["method"] == "random")]
    assert cochrane["hr"].round(2).tolist() == [0.83, 0.83]  # ABCSG-28's reading does not touch Tata and MF07-01


def test_subset_keys_follow_the_trials_order():
    assert pooling.subset_key([], ["a", "b"]) == "00"
    assert pooling.subset_key(["b", "a"], ["a", "b"]) == "11"
    assert pooling.subset_key(["c"], ["a", "b"]) == "00"


STUDY = st.builds(lambda hr, width, level: (hr, hr / width, hr * width, level),
                  st.floats(0.05, 20), st.floats(1.01, 20), st.sampled_from([0.90, 0.95]))


@settings(max_examples=100, deadline=None)
@given(figures=st.lists(STUDY, max_size=6), method=st.sampled_from(["fixed", "random", "bayes"]))
def test_any_set_of_trials_pools_or_says_why_not(figures, method):
    studies = [pooling.oriented(f"t{i}", *f, "lrt", "st") for i, f in enumerate(figures)]
    try:
        result = pooling.pool(studies, method)
    except InputError as error:
        assert len(studies) < 2 or method == "bayes", str(error)
        return
    assert result.ci_low <= result.hr <= result.ci_high
    assert 0 <= result.i2 < 1 and result.tau2 >= 0 and result.q >= 0
    low, high = min(s.hr for s in studies), max(s.hr for s in studies)
    assert low * (1 - 1e-9) <= result.hr <= high * (1 + 1e-9)  # a weighted mean lies between its parts
