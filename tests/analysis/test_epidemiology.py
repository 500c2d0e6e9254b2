"""The arithmetic of chapter 1's tool."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbcbook.analysis.epidemiology import (
    MAX_ANNUAL_DIAGNOSES,
    check_annual_diagnoses,
    expected_stage_iv_cases,
    round_half_up,
)
from mbcbook.errors import InputError


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
    ("1000", "whole number, got '1000'"),
    (float("nan"), "whole number, got nan"),
])
def test_bad_numbers_of_diagnoses_are_explained(bad, message):
    with pytest.raises(ValueError, match=message):
        check_annual_diagnoses(bad)


@pytest.mark.parametrize("shares, message", [
    ((6,), "share must be a proportion between 0 and 1 (0.06 for 6%), got 6"),
    (("0.06",), "share must be a proportion between 0 and 1 (0.06 for 6%), got '0.06'"),
    ((True,), "got True"),
    ((None,), "give a share, or a range"),
    ((pd.NA,), "give a share, or a range"),
    ((float("nan"),), "give a share, or a range"),
    ((0.2, 0.3, 0.1), "share_low (0.3) is above share_high (0.1): the range is swapped"),
    ((0.5, 0.1, 0.3), "share 0.5 lies outside its range 0.1-0.3"),
    ((0.2, 0.1, None), "needs both share_low and share_high"),
    ((0.2, None, 0.3), "needs both share_low and share_high"),
    ((0.2, 0.0, 0.3), "share_low must be a proportion"),
])
def test_bad_shares_are_explained(shares, message):
    with pytest.raises(InputError, match=re.escape(message)):
        expected_stage_iv_cases(100, *shares)


def test_a_range_without_a_point_value_gives_counts_at_its_limits():
    result = expected_stage_iv_cases(1000, None, 0.09, 0.34)
    assert (result.expected, result.low, result.high) == (None, 90, 340)


def test_numpy_and_pandas_values_are_accepted():
    assert check_annual_diagnoses(np.int64(1000)) == 1000
    assert check_annual_diagnoses(np.float64(1000.0)) == 1000
    assert expected_stage_iv_cases(np.int64(1000), np.float64(0.06)).expected == 60
    with pytest.raises(InputError, match="whole number, got 1.5"):
        check_annual_diagnoses(np.float32(1.5))
    with pytest.raises(InputError, match="whole number, got inf"):
        check_annual_diagnoses(float("inf"))


@given(st.integers(1, MAX_ANNUAL_DIAGNOSES), st.floats(0.001, 0.999))
def test_expected_cases_never_exceed_the_diagnoses(n, share):
    result = expected_stage_iv_cases(n, share)
    assert 0 <= result.expected <= n
    assert abs(result.expected - share * n) <= 0.5


ANY_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
                      st.just(pd.NA), st.builds(np.float64, st.floats()))


@given(ANY_VALUE, ANY_VALUE, ANY_VALUE, ANY_VALUE)
def test_any_input_gives_an_answer_or_an_input_error(n, share, low, high):
    try:
        result = expected_stage_iv_cases(n, share, low, high)
    except InputError as error:
        assert str(error)
    else:
        assert result.expected is not None or result.low is not None
