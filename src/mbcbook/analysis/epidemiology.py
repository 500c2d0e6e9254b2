"""How many patients present with stage IV disease: the arithmetic behind chapter 1's tool.

The static chart does the same sum in the browser with :data:`ROUNDING_EXPRESSION`, so
that both front ends give the same answer (``tests/test_epidemiology.py`` checks the Python
side, ``tests/test_browser.py`` the browser side).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError

MAX_ANNUAL_DIAGNOSES = 10_000_000

#: Vega expression for the expected count; rounds halves up, like :func:`round_half_up`.
ROUNDING_EXPRESSION = "floor({share} * {diagnoses} + 0.5)"


def round_half_up(value: float) -> int:
    """Round halves up, as JavaScript's Math.round and :data:`ROUNDING_EXPRESSION` do.

    Python's :func:`round` rounds halves to even; the browser does not, and both front ends
    must show the same count.

    Parameters
    ----------
    value : float
        The number to round.

    Returns
    -------
    int
        The nearest whole number, halves rounded up.

    Examples
    --------
    >>> round_half_up(2.5), round(2.5)
    (3, 2)
    """
    return math.floor(value + 0.5)


def check_annual_diagnoses(annual_diagnoses) -> int:
    """The number of new breast cancers a year, checked.

    Parameters
    ----------
    annual_diagnoses : int
        A whole number from 1 to :data:`MAX_ANNUAL_DIAGNOSES` (a float with no fraction is
        accepted, as a widget may send one).

    Returns
    -------
    int
        The count.

    Raises
    ------
    mbcbook.errors.InputError
        When the value is not a whole number or is out of range; the message is for the reader.

    Examples
    --------
    >>> check_annual_diagnoses(2000)
    2000
    >>> check_annual_diagnoses(0)
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: The number of new breast cancers a year must be between 1 and 10,000,000, got 0
    """
    if isinstance(annual_diagnoses, bool) or not isinstance(annual_diagnoses, (int, float)):
        raise InputError(f"The number of new breast cancers a year must be a whole number, "
                         f"got {annual_diagnoses!r}")
    if isinstance(annual_diagnoses, float) and not annual_diagnoses.is_integer():
        raise InputError(f"The number of new breast cancers a year must be a whole number, "
                         f"got {annual_diagnoses:g}")
    count = int(annual_diagnoses)
    if not 1 <= count <= MAX_ANNUAL_DIAGNOSES:
        raise InputError(f"The number of new breast cancers a year must be between 1 and "
                         f"{MAX_ANNUAL_DIAGNOSES:,}, got {count:,}")
    return count


@dataclass(frozen=True)
class ExpectedCases:
    """Expected patients a year presenting with stage IV, with the range where one is published."""

    annual_diagnoses: int
    expected: int
    low: int | None
    high: int | None


def expected_stage_iv_cases(annual_diagnoses: int, share: float, share_low: float | None = None,
                            share_high: float | None = None) -> ExpectedCases:
    """Expected number of the ``annual_diagnoses`` new breast cancers that are stage IV.

    Arithmetic on a published share, not an estimate for any other place.

    Parameters
    ----------
    annual_diagnoses : int
        New breast cancers a year (see :func:`check_annual_diagnoses`).
    share : float
        Share stage IV at diagnosis, as a proportion (0.06 for 6%), as in
        ``data/epidemiology.csv``.
    share_low, share_high : float, optional
        The published limits of the share, if any.

    Returns
    -------
    ExpectedCases
        The count, with the counts at the limits when both are given.

    Raises
    ------
    mbcbook.errors.InputError
        When a share is not strictly between 0 and 1, or the count is not valid.

    Examples
    --------
    >>> expected_stage_iv_cases(1000, 0.06).expected
    60
    >>> result = expected_stage_iv_cases(1000, 0.21, 0.09, 0.34)
    >>> (result.low, result.high)
    (90, 340)
    """
    count = check_annual_diagnoses(annual_diagnoses)
    for name, value in (("share", share), ("share_low", share_low), ("share_high", share_high)):
        if value is not None and not 0 < value < 1:
            raise InputError(f"{name} must be a proportion between 0 and 1, got {value}")
    has_range = share_low is not None and share_high is not None
    return ExpectedCases(
        annual_diagnoses=count,
        expected=round_half_up(share * count),
        low=round_half_up(share_low * count) if has_range else None,
        high=round_half_up(share_high * count) if has_range else None,
    )
