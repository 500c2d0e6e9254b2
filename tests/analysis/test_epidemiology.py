"""The arithmetic of chapter 1's tool."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbcbook.analysis.epidemiology import (
    MAX_ANNUAL_DIAGNOSES,
    check_annual_diagnoses,
    expected_stage_iv_cases,
    round_half_up,
)


def test_expected_cases_with_and_without_limits():
    assert expected_stage_iv_cases(1000, 0.06).expected == 60
    result = expected_stage_iv_cases(1000, 0.21, 0.09, 0.34)
    assert (result.expected, result.low, result.high) == (210, 90, 340)


def test_halves_round_up_as_in_the_browser():
    assert round_half_up(0.5) == 1 and round_half_up(2.5) == 3  # Python's round() gives 0 and 2
    assert expected_stage_iv_cases(50, 0.03).expected == 2  # 1.5 -> 2


@pytest.mark.parametrize("bad, message", [
    (0, "between 1 and 10,000,000, got 0"),
    (-5, "got -5"),
    (MAX_ANNUAL_DIAGNOSES + 1, "got 10,000,001"),
    (12.5, "whole number, got 12.5"),
    ("many", "whole number, got 'many'"),
    (True, "whole number, got True"),
    (None, "whole number, got None"),
])
def test_bad_numbers_of_diagnoses_are_explained(bad, message):
    with pytest.raises(ValueError, match=message):
        check_annual_diagnoses(bad)


def test_bad_share_is_explained():
    with pytest.raises(ValueError, match="share must be a proportion between 0 and 1, got 6"):
        expected_stage_iv_cases(100, 6)


@given(st.integers(1, MAX_ANNUAL_DIAGNOSES), st.floats(0.001, 0.999))
def test_expected_cases_never_exceed_the_diagnoses(n, share):
    result = expected_stage_iv_cases(n, share)
    assert 0 <= result.expected <= n
    assert abs(result.expected - share * n) <= 0.5
