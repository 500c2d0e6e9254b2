"""Pooling trials' hazard ratios: the Cochrane review's known answer, levels, orientation, bad input."""

from __future__ import annotations

import math

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
    with pytest.raises(InputError, match=r"^pooling needs at least two trials; 1 chosen$"):
        pooling.pool(one)
    with pytest.raises(InputError, match=r"^pooling needs at least two trials; 0 chosen$"):
        pooling.pool([])
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
