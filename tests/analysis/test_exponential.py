"""The exponential shortcut: the hazard ratio two medians imply, set beside the published one."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import says
from mbcbook import evidence
from mbcbook.analysis.exponential import implied_hazard_ratio, implied_versus_published, rate_from_median
from mbcbook.analysis.survival import arm_model
from mbcbook.errors import InputError

medians = st.floats(min_value=0.5, max_value=500, allow_nan=False)


@given(medians, medians)
def test_the_implied_ratio_is_the_inverse_ratio_of_the_medians(a, b):
    assert implied_hazard_ratio(a, b) == pytest.approx(b / a)
    assert implied_hazard_ratio(a, b) * implied_hazard_ratio(b, a) == pytest.approx(1)


def test_the_rate_is_that_of_the_packages_exponential_arm():
    # ArmModel (mbcbook.analysis.survival) fits the same curve through a median.
    assert rate_from_median(19.2) == pytest.approx(arm_model(19.2).params["rate"])
    assert math.exp(-rate_from_median(30) * 30) == pytest.approx(0.5)


@pytest.mark.parametrize("bad", [0, -3, math.nan, math.inf, "12", True])
def test_a_median_must_be_a_positive_number(bad):
    with pytest.raises(InputError, match=says("...must be a median in months above 0")):
        implied_hazard_ratio(bad, 12)


@pytest.fixture(scope="module")
def table():
    """One report per trial: the published papers (a conference abstract of MF07-01 is tested apart)."""
    ev = evidence.load()
    rows = implied_versus_published(ev.arms, ev.effects)
    return rows[rows["report"] != ABSTRACT].set_index("trial_id")


ABSTRACT = "conference abstract 310PD"


def test_an_abstract_with_both_medians_is_compared_too_and_stays_unconfirmed():
    ev = evidence.load()
    rows = implied_versus_published(ev.arms, ev.effects).set_index(["trial_id", "report"])
    abstract = rows.loc[("mf07-01", ABSTRACT)]
    assert abstract["effect_id"] == "mf07-01-abstract-survivors-os" and abstract["status"] == "unconfirmed"
    assert abstract["implied_hr"] == pytest.approx(35.5 / 46)


def test_every_trial_with_two_medians_is_compared(table):
    assert list(table.index) == ["tata", "mf07-01", "jcog1017", "e2108", "abcsg-28"]
    assert table.loc["mf07-01", "report"] == "10-year update"  # medians and HR of the same report
    assert table.loc["jcog1017", "effect_id"] == "jcog1017-os"  # the paper, not the ASCO abstract


def test_published_levels_are_kept(table):
    assert table.loc["e2108", "ci_level"] == 0.9 and table.loc["jcog1017", "ci_level"] == 0.9
    assert table.loc["tata", "ci_level"] == 0.95


def test_e2108_medians_and_hazard_ratio_lean_opposite_ways(table):
    row = table.loc["e2108"]
    assert row["implied_hr"] < 1 < row["estimate"] and row["inside"]


def test_abcsg_28_fits_only_inverted(table):
    row = table.loc["abcsg-28"]
    assert not row["direction_stated"]
    assert row["inverse_estimate"] == pytest.approx(1 / 0.691)
    assert (row["inverse_ci_low"], row["inverse_ci_high"]) == pytest.approx((1 / 1.333, 1 / 0.358))
    # Surgery against none, the medians give 54.8 / 34.6: outside the interval as printed, inside inverted.
    assert row["implied_hr"] == pytest.approx(54.8 / 34.6)
    assert not row["ci_low"] <= row["implied_hr"] <= row["ci_high"] and row["inside"]


def test_a_reversed_orientation_is_refused():
    ev = evidence.load()
    effects = ev.effects.copy()
    effects.loc["tata-os", ["treatment_arm", "reference_arm"]] = ["st", "lrt"]
    with pytest.raises(InputError, match=says("...compares st with lrt")):
        implied_versus_published(ev.arms, effects)


def test_no_pair_is_refused():
    ev = evidence.load()
    with pytest.raises(InputError, match=says("...no trial report")):
        implied_versus_published(ev.arms.assign(median_os_months=math.nan), ev.effects)


def test_a_ratio_with_no_stated_reference_is_also_read_inverted(table):
    abcsg = table.loc["abcsg-28"]
    assert abcsg["inverse_estimate"] == pytest.approx(1 / 0.691)
    assert (abcsg["inverse_ci_low"], abcsg["inverse_ci_high"]) == (pytest.approx(1 / 1.333), pytest.approx(1 / 0.358))
    assert table.loc["tata", "status"] == "confirmed" and table.loc["tata", "ref"] == "badwe2015"
