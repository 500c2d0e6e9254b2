"""How many patients present with stage IV disease: the arithmetic behind chapter 1's tool.

The static chart does the same sum in the browser with :data:`ROUNDING_EXPRESSION`, so
that both front ends give the same answer (``tests/test_epidemiology.py`` checks the Python
side, ``tests/test_browser.py`` the browser side).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import pandas as pd

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
    # numbers.Real admits numpy's scalars (np.int64(1000) from a DataFrame), not bool or text.
    if isinstance(annual_diagnoses, bool) or not isinstance(annual_diagnoses, numbers.Real):
        raise InputError(f"The number of new breast cancers a year must be a whole number, "
                         f"got {annual_diagnoses!r}")
    if not (math.isfinite(annual_diagnoses) and float(annual_diagnoses).is_integer()):
        raise InputError(f"The number of new breast cancers a year must be a whole number, "
                         f"got {float(annual_diagnoses):g}")
    count = int(annual_diagnoses)
    if not 1 <= count <= MAX_ANNUAL_DIAGNOSES:
        raise InputError(f"The number of new breast cancers a year must be between 1 and "
                         f"{MAX_ANNUAL_DIAGNOSES:,}, got {count:,}")
    return count


@dataclass(frozen=True)
class ExpectedCases:
    """Expected patients a year presenting with stage IV, with the range where one is published.

    ``expected`` is None where the source publishes only a range.
    """

    annual_diagnoses: int
    expected: int | None
    low: int | None
    high: int | None


def _share(value, name: str) -> float | None:
    """A share as a float strictly between 0 and 1, or None when it is missing (None, NaN, NA)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{name} must be a proportion between 0 and 1 (0.06 for 6%), got {value!r}")
    if math.isnan(value):
        return None
    if not 0 < value < 1:
        raise InputError(f"{name} must be a proportion between 0 and 1 (0.06 for 6%), got {value!r}")
    return float(value)


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
    share, low, high = _share(share, "share"), _share(share_low, "share_low"), _share(share_high, "share_high")
    if (low is None) != (high is None):
        raise InputError("a published range needs both share_low and share_high")
    if share is None and low is None:
        raise InputError("give a share, or a range in share_low and share_high")
    if low is not None and low > high:
        raise InputError(f"share_low ({low:g}) is above share_high ({high:g}): the range is swapped")
    if share is not None and low is not None and not low <= share <= high:
        raise InputError(f"share {share:g} lies outside its range {low:g}-{high:g}")
    return ExpectedCases(
        annual_diagnoses=count,
        expected=round_half_up(share * count) if share is not None else None,
        low=round_half_up(low * count) if low is not None else None,
        high=round_half_up(high * count) if high is not None else None,
    )
