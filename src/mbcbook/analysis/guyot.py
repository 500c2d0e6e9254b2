"""Patients rebuilt from a published Kaplan-Meier figure, by the algorithm of Guyot et al. (2012).

Guyot P, Ades AE, Ouwens MJNM, Welton NJ. Enhanced secondary analysis of survival data:
reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res Methodol
2012;12:9 (doi:10.1186/1471-2288-12-9). No maintained Python implementation exists; this one
follows the paper's description:

1. The digitised curve (time, survival) is cut into intervals at the times where the figure
   prints the number at risk.
2. In each interval but the last, a first guess of the number censored comes from the number
   at risk at its start and the survival ratio across it. The censorings are spread evenly over
   the interval; the deaths at each digitised point are then those that bring the Kaplan-Meier
   estimate from its last value down to the digitised survival (the inverted Kaplan-Meier
   equation, rounded to whole patients). The number censored is corrected by the difference
   between the number then at risk at the end of the interval and the published one, and the
   deaths found again, until the two agree (or no further correction is possible).
3. In the last interval, censoring goes on at the average rate (censored per month) of the
   earlier intervals, unless the total number of deaths is known: then the number censored
   there is corrected until the deaths add up to it.
4. Deaths are placed at the digitised times, censorings at the times spread in step 2, and the
   patients still at risk at the end of the curve are censored at its last time.

Two preparations, both described in the paper's spirit of a step curve: a point (0, 1) is
added when the digitised curve does not start at 0 months, and a point is added at each
at-risk time that has none, with the survival of the last point before it (the curve is flat
between digitised points, so this adds no deaths). Iterations stop when a correction would
repeat a number already tried; the reconstruction keeps the tried number whose mismatch is
smallest.

The file format for digitised figures is documented in ``data/digitised/README.md``;
:func:`read_digitised` reads it and :func:`reconstruct_digitised` rebuilds each arm.
:func:`digitise_km` makes such files from patient data (it plays the digitiser), which is
how the worked example ``data/digitised/gbsg2-*.csv`` was made, from lifelines' GBSG2 data.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..paths import data_dir
from .survival import MAX_PATIENTS, MIN_PATIENTS, _count, _months, _show, kaplan_meier, number_at_risk

#: Most points a digitised curve may have.
MAX_POINTS = 10_000
CURVE_COLUMNS = ("curve_id", "arm", "time_months", "survival")
AT_RISK_COLUMNS = ("curve_id", "arm", "time_months", "n_at_risk")
#: GBSG2 times are in days; a month is 365.25 / 12 days.
DAYS_PER_MONTH = 30.4375
#: The worked example: curve id and arm names of GBSG2's recurrence-free survival by hormonal therapy.
GBSG2_CURVE = "gbsg2-rfs"
GBSG2_ARMS = {"yes": "hormonal", "no": "no-hormonal"}


# ---------------------------------------------------------------- checking the inputs


def _numbers(values, what: str) -> list:
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray, pd.Series)):
        raise InputError(f"{what} must be a list of numbers, got {values!r}")
    return list(values)


def _labels(labels, count: int) -> list[str]:
    return list(labels) if labels is not None else [f"point {k}" for k in range(1, count + 1)]


def check_curve(times, survival, labels: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Digitised Kaplan-Meier coordinates, checked.

    Times in months from 0, strictly increasing (a vertical drop is recorded by its lower end
    only); survival proportions from 0 to 1 that never rise; at 0 months, survival 1.

    Parameters
    ----------
    times, survival : sequence of float
        The coordinates, one survival per time.
    labels : sequence of str, optional
        How messages name each point (``"row 5"``); ``"point 1"``, ``"point 2"``... by default.

    Returns
    -------
    tuple of numpy.ndarray
        The times and survival as float arrays.

    Raises
    ------
    mbcbook.errors.InputError
        Naming the first point that breaks a rule, and the rule.

    Examples
    --------
    >>> check_curve([0, 6, 12], [1, 0.8, 0.85])
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: survival must not rise from one point to the next: point 3 has 0.85, after 0.8 at point 2
    """
    times, survival = _numbers(times, "the curve's times"), _numbers(survival, "the curve's survival")
    if len(times) != len(survival):
        raise InputError(f"the curve has {len(times)} times but {len(survival)} survival values; "
                         f"give one survival per time")
    if not times:
        raise InputError("the curve has no points")
    if len(times) > MAX_POINTS:
        raise InputError(f"the curve has {len(times):,} points; at most {MAX_POINTS:,} are accepted")
    names = _labels(labels, len(times))
    t = np.array([_months(value, f"the time of {name}", zero_allowed=True)
                  for value, name in zip(times, names, strict=True)])
    for value, name in zip(survival, names, strict=True):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
            raise InputError(f"the survival of {name} must be a proportion from 0 to 1 (0.42 for 42%), "
                             f"got {_show(value)}")
    s = np.array(survival, dtype=float)
    for k in range(1, len(t)):
        if t[k] <= t[k - 1]:
            raise InputError(f"time must increase from one point to the next (record a vertical drop by its "
                             f"lower end only): {names[k]} is at {t[k]:g} months, after {t[k - 1]:g} at {names[k - 1]}")
        if s[k] > s[k - 1]:
            raise InputError(f"survival must not rise from one point to the next: {names[k]} has {s[k]:g}, "
                             f"after {s[k - 1]:g} at {names[k - 1]}")
    if t[0] == 0 and s[0] != 1:
        raise InputError(f"at 0 months survival must be 1 (everyone is alive at randomisation); "
                         f"{names[0]} has {s[0]:g}")
    return t, s


def check_at_risk(times, n_at_risk, end_months: float, labels: Sequence[str] | None = None):
    """Numbers at risk under a figure, checked.

    The first is at 0 months (the number randomised, at least 2); times increase and stay
    within the curve (up to ``end_months``, its last point); numbers are whole and never rise.

    Parameters
    ----------
    times, n_at_risk : sequence
        Times in months and the numbers at risk printed at them.
    end_months : float
        Time of the curve's last point.
    labels : sequence of str, optional
        How messages name each count; ``"count 1"``... by default.

    Returns
    -------
    tuple of numpy.ndarray
        Times (float) and numbers at risk (int).

    Examples
    --------
    >>> check_at_risk([0, 6, 12], [100, 80, 85], end_months=20)
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: numbers at risk cannot increase: 85 at 12 months (count 3) follows 80 at 6 months
    """
    times, counts = _numbers(times, "the at-risk times"), _numbers(n_at_risk, "the numbers at risk")
    if len(times) != len(counts):
        raise InputError(f"{len(times)} at-risk times but {len(counts)} numbers at risk; give one number per time")
    if not times:
        raise InputError("give at least the number at risk at 0 months (the number randomised)")
    names = list(labels) if labels is not None else [f"count {k}" for k in range(1, len(times) + 1)]
    t = np.array([_months(value, f"the time of {name}", zero_allowed=True)
                  for value, name in zip(times, names, strict=True)])
    n = np.array([_count(value, f"the number at risk of {name}", 0, MAX_PATIENTS)
                  for value, name in zip(counts, names, strict=True)], dtype=int)
    if t[0] != 0:
        raise InputError(f"the numbers at risk must start at 0 months (the number randomised); "
                         f"the first ({names[0]}) is at {t[0]:g} months")
    if n[0] < MIN_PATIENTS:
        raise InputError(f"an arm needs at least {MIN_PATIENTS} patients at 0 months, got {n[0]}")
    for k in range(1, len(t)):
        if t[k] <= t[k - 1]:
            raise InputError(f"at-risk times must increase: {t[k]:g} months ({names[k]}) follows {t[k - 1]:g}")
        if n[k] > n[k - 1]:
            raise InputError(f"numbers at risk cannot increase: {n[k]} at {t[k]:g} months ({names[k]}) "
                             f"follows {n[k - 1]} at {t[k - 1]:g} months")
    if t[-1] > end_months:
        raise InputError(f"a number at risk is given at {t[-1]:g} months, after the curve's last point "
                         f"({end_months:g} months): digitise the curve to its end or leave that count out")
    return t, n


# ---------------------------------------------------------------- the algorithm


@dataclass
class _Pass:
    """One pass of the inverted Kaplan-Meier equation over an interval, for a given number censored."""

    censored: int
    censor_times: np.ndarray
    deaths: np.ndarray
    km: float
    at_end: int
    mismatch: int = 0


def _round(value: float) -> int:
    """To the nearest whole patient, halves up."""
    return math.floor(value + 0.5)


def _pass(t: np.ndarray, s: np.ndarray, lo: int, hi: int, end: float, at_start: int, km: float,
          censored: int) -> _Pass:
    """Deaths at points lo..hi when ``censored`` censorings are spread evenly over (t[lo], end).

    ``km`` is the reconstructed Kaplan-Meier estimate before the interval.
    """
    censor_times = t[lo] + (end - t[lo]) * np.arange(1, censored + 1) / (censored + 1)
    # censorings between point k and point k + 1 leave after the deaths at point k
    per_point = np.bincount(np.searchsorted(t[lo:hi + 1], censor_times, side="right") - 1, minlength=hi - lo + 1)
    deaths = np.zeros(hi - lo + 1, dtype=int)
    at_risk = at_start
    for j, k in enumerate(range(lo, hi + 1)):
        if at_risk > 0 and km > 0:
            deaths[j] = min(max(_round(at_risk * (1 - s[k] / km)), 0), at_risk)
            km *= 1 - deaths[j] / at_risk
        at_risk -= deaths[j] + per_point[j]
    return _Pass(censored, censor_times, deaths, km, at_risk)


def _solve(run, first_guess: int, ceiling: int) -> _Pass:
    """Correct the number censored by each pass's mismatch until it is 0 or a number repeats.

    Keeps, of the passes that leave nobody below zero at risk, the one with the smallest
    mismatch (the first tried on a tie). There is always one: a pass that leaves fewer than
    zero at risk has a negative mismatch, so the number censored falls until a pass is valid,
    at worst the one with none censored.
    """
    passes: dict[int, _Pass] = {}
    censored = min(max(first_guess, 0), ceiling)
    while censored not in passes:
        passes[censored] = run(censored)
        censored = min(max(censored + passes[censored].mismatch, 0), ceiling)
    valid = [p for p in passes.values() if p.at_end >= 0]
    return min(valid, key=lambda p: abs(p.mismatch))


def _prepare(t: np.ndarray, s: np.ndarray, risk_times: np.ndarray):
    """Add (0, 1) and a point at each at-risk time; return times, survival and each interval's first index."""
    if t[0] > 0:
        t, s = np.concatenate([[0.0], t]), np.concatenate([[1.0], s])
    extra = risk_times[~np.isin(risk_times, t)]
    s_extra = s[np.searchsorted(t, extra, side="right") - 1]
    order = np.argsort(np.concatenate([t, extra]), kind="stable")
    t, s = np.concatenate([t, extra])[order], np.concatenate([s, s_extra])[order]
    return t, s, np.searchsorted(t, risk_times)


def reconstruct_ipd(times, survival, risk_times, n_at_risk, *, total_events=None, arm: str = "arm",
                    labels: Sequence[str] | None = None, risk_labels: Sequence[str] | None = None) -> pd.DataFrame:
    """Individual patient data rebuilt from a digitised Kaplan-Meier curve (Guyot et al. 2012).

    Parameters
    ----------
    times, survival : sequence of float
        The digitised curve: times in months, survival as proportions (see :func:`check_curve`).
    risk_times, n_at_risk : sequence
        The numbers at risk printed under the figure, starting at 0 months (see
        :func:`check_at_risk`).
    total_events : int, optional
        Total deaths in the arm, if published: used to set the censoring of the last interval.
    arm : str
        Written in the ``arm`` column.
    labels, risk_labels : sequence of str, optional
        Names of the curve's points and of the numbers at risk in messages (``"row 5"``).

    Returns
    -------
    pandas.DataFrame
        One row per patient (as many as at risk at 0 months), sorted by time: ``time_months``,
        ``event`` (1 death, 0 censored), ``arm``.

    Raises
    ------
    mbcbook.errors.InputError
        When the curve or the numbers at risk break a rule, or ``total_events`` is out of range.

    Examples
    --------
    A curve of 10 patients, with no censoring before 6 months:

    >>> ipd = reconstruct_ipd([0, 2, 4, 6, 9], [1, 0.9, 0.7, 0.6, 0.6], [0, 6], [10, 6])
    >>> ipd["time_months"][ipd["event"] == 1].tolist()
    [2.0, 4.0, 4.0, 6.0]
    >>> len(ipd), int(ipd["event"].sum())
    (10, 4)
    """
    t, s = check_curve(times, survival, labels)
    risk_t, risk_n = check_at_risk(risk_times, n_at_risk, end_months=float(t[-1]), labels=risk_labels)
    if total_events is not None:
        total_events = _count(total_events, "total_events", 0, int(risk_n[0]))
    if not isinstance(arm, str) or not arm:
        raise InputError(f"the arm needs a name (text), got {arm!r}")
    t, s, lower = _prepare(t, s, risk_t)
    last = len(lower) - 1
    at_start, km, censored_so_far = int(risk_n[0]), 1.0, 0
    deaths, censor_times = [], []
    for i in range(last + 1):
        lo = int(lower[i])
        hi = int(lower[i + 1]) - 1 if i < last else len(t) - 1
        end = t[hi + 1] if i < last else t[hi]

        def run(censored, lo=lo, hi=hi, end=end, at_start=at_start, km=km):
            return _pass(t, s, lo, hi, end, at_start, km, censored)

        if i < last:
            target = int(risk_n[i + 1])
            guess = _round(at_start * s[hi + 1] / s[lo] - target) if s[lo] > 0 else 0

            def mismatch(p: _Pass, target=target) -> _Pass:
                p.mismatch = p.at_end - target
                return p
        else:
            # censoring goes on at the average rate of the earlier intervals
            rate = censored_so_far / t[lo] if t[lo] > 0 else 0.0
            guess = _round(rate * (t[hi] - t[lo]))
            deaths_so_far = int(sum(d.sum() for d in deaths))

            def mismatch(p: _Pass, before=deaths_so_far) -> _Pass:
                if p.at_end < 0:  # more censored than there were patients: censor fewer
                    p.mismatch = p.at_end
                elif total_events is not None:
                    p.mismatch = int(p.deaths.sum()) + before - total_events
                return p
        chosen = _solve(lambda c, run=run, mismatch=mismatch: mismatch(run(c)), guess, at_start)
        deaths.append(chosen.deaths)
        censor_times.append(chosen.censor_times)
        censored_so_far += chosen.censored
        at_start, km = chosen.at_end, chosen.km
    event_times = np.repeat(t, np.concatenate(deaths))
    censored = np.concatenate([*censor_times, np.full(at_start, t[-1])])
    patients = pd.DataFrame({
        "time_months": np.concatenate([event_times, censored]),
        "event": np.concatenate([np.ones(len(event_times), dtype=int), np.zeros(len(censored), dtype=int)]),
        "arm": arm,
    })
    return patients.sort_values(["time_months", "event"], ascending=[True, False], kind="stable",
                                ignore_index=True)


# ---------------------------------------------------------------- the digitised-curve files


def _read(path, columns: tuple[str, ...], numeric: tuple[str, ...]) -> pd.DataFrame:
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(f"{path.name}: not a readable CSV file (UTF-8, comma-separated): {error}") from None
    missing = [c for c in columns if c not in table.columns]
    unknown = [c for c in table.columns if c not in columns]
    if missing or unknown:
        raise InputError(f"{path.name}: the columns must be {', '.join(columns)}; "
                         f"missing: {', '.join(missing) or 'none'}; unknown: {', '.join(map(str, unknown)) or 'none'}")
    if table.empty:
        raise InputError(f"{path.name}: the file has a header but no rows")
    table.index = pd.RangeIndex(2, len(table) + 2, name="row")  # rows as a spreadsheet numbers them
    for column in columns:
        _check_cells(table[column], path.name, numeric=column in numeric)
    for column in numeric:
        table[column] = table[column].astype(float)
    return table[list(columns)]


def _check_cells(cells: pd.Series, file: str, numeric: bool) -> None:
    """Every cell of a column filled, and a number where the column holds numbers."""
    for row, text in cells.items():
        if not text.strip():
            raise InputError(f"{file}, row {row}, column '{cells.name}': the value is empty")
        if numeric:
            try:
                float(text)
            except ValueError:
                raise InputError(f"{file}, row {row}, column '{cells.name}': expected a number "
                                 f"(with a point for decimals), got {text!r}") from None


def read_digitised(curves_path, at_risk_path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two files of a digitised figure, read and checked for their columns and values.

    The format is documented in ``data/digitised/README.md``. Rows are indexed as a spreadsheet
    numbers them (the header is row 1; the index is named ``row``), so that
    :func:`reconstruct_digitised` names them in its messages (``row 7`` of the curve file,
    ``at-risk row 4`` of the at-risk file).

    Parameters
    ----------
    curves_path, at_risk_path : str or pathlib.Path
        The curve file (``curve_id, arm, time_months, survival``) and the at-risk file
        (``curve_id, arm, time_months, n_at_risk``).

    Returns
    -------
    tuple of pandas.DataFrame
        The curves and the numbers at risk.

    Examples
    --------
    >>> curves, at_risk = read_digitised(*digitised_paths("gbsg2"))
    >>> sorted(curves["arm"].unique()), int(at_risk["n_at_risk"].max())
    (['hormonal', 'no-hormonal'], 440)
    """
    curves = _read(curves_path, CURVE_COLUMNS, ("time_months", "survival"))
    at_risk = _read(at_risk_path, AT_RISK_COLUMNS, ("time_months", "n_at_risk"))
    return curves, at_risk


def digitised_paths(name: str, folder=None) -> tuple[Path, Path]:
    """Paths of the curve and at-risk files of a digitised figure: ``{name}-km.csv`` and ``{name}-at-risk.csv``.

    ``folder`` defaults to ``digitised/`` in the evidence folder (:func:`mbcbook.paths.data_dir`).

    Examples
    --------
    >>> [path.name for path in digitised_paths("gbsg2")]
    ['gbsg2-km.csv', 'gbsg2-at-risk.csv']
    """
    folder = Path(folder) if folder is not None else data_dir() / "digitised"
    return folder / f"{name}-km.csv", folder / f"{name}-at-risk.csv"


def reconstruct_digitised(curves: pd.DataFrame, at_risk: pd.DataFrame, *, curve_id: str | None = None,
                          total_events: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Every arm of one digitised figure rebuilt into patients with :func:`reconstruct_ipd`.

    Parameters
    ----------
    curves, at_risk : pandas.DataFrame
        As :func:`read_digitised` returns them (or built in memory with the same columns).
    curve_id : str, optional
        Which figure; may be left out when the tables hold only one.
    total_events : mapping of str to int, optional
        Published total deaths by arm, for the arms where it is known.

    Returns
    -------
    pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``), arms in the order of the curve table.

    Examples
    --------
    >>> from mbcbook.analysis.survival import median_survival
    >>> patients = reconstruct_digitised(*read_digitised(*digitised_paths("gbsg2")))
    >>> median_survival(patients).round(1).to_dict()  # the digitised worked example
    {'no-hormonal': 52.1, 'hormonal': 66.7}
    >>> median_survival(gbsg2()).round(1).to_dict()  # the patients it was digitised from
    {'no-hormonal': 50.2, 'hormonal': 66.3}
    """
    ids = list(dict.fromkeys(curves["curve_id"]))
    if curve_id is None:
        if len(ids) != 1:
            raise InputError(f"the table holds {len(ids)} curves ({', '.join(map(str, ids))}); "
                             f"choose one with curve_id")
        curve_id = ids[0]
    if curve_id not in ids:
        raise InputError(f"curve {curve_id!r} is not in the table; its curves are {', '.join(map(str, ids))}")
    curve = curves[curves["curve_id"] == curve_id]
    risk = at_risk[at_risk["curve_id"] == curve_id]
    arms = list(dict.fromkeys(curve["arm"]))
    events = dict(total_events or {})
    for name in [*events, *risk["arm"]]:
        if name not in arms:
            raise InputError(f"arm {name!r} of curve {curve_id!r} has numbers at risk or total events but no "
                             f"curve; the curve's arms are {', '.join(arms)}")
    pieces = []
    for name in arms:
        points, counts = curve[curve["arm"] == name], risk[risk["arm"] == name]
        if counts.empty:
            raise InputError(f"arm {name!r} of curve {curve_id!r} has no numbers at risk; give at least the "
                             f"number at 0 months")
        pieces.append(reconstruct_ipd(
            points["time_months"].tolist(), points["survival"].tolist(),
            counts["time_months"].tolist(), counts["n_at_risk"].tolist(),
            total_events=events.get(name), arm=str(name),
            labels=[f"row {row}" for row in points.index] if points.index.name == "row" else None,
            risk_labels=[f"at-risk row {row}" for row in counts.index] if counts.index.name == "row" else None))
    return pd.concat(pieces, ignore_index=True)


# ---------------------------------------------------------------- playing the digitiser


def digitise_km(patients: pd.DataFrame, *, curve_id: str, points: int = 20, resolution: float = 0.005,
                at_risk_every: float = 6.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a careful digitiser would read off each arm's Kaplan-Meier figure.

    The protocol of ``data/digitised/README.md``, applied to the Kaplan-Meier curve (lifelines)
    of each arm of ``patients``:

    - ``points`` places evenly spaced along the drawn curve (the time axis scaled to the
      curve's length, so flat and steep stretches both get points), each read at the lower
      corner of the step it falls on (a vertical drop by its lower end);
    - at each time where a number at risk is printed, the last step before it;
    - the corners of the three steps around the median (the last above 0.5, the first at or
      below it, the next one);
    - the end of the curve (its last time, at the survival there);
    - times read to 0.01 month, survival to ``resolution``; where two readings fall on one
      time, the lower is kept;
    - the numbers at risk every ``at_risk_every`` months, from 0 to the end of the curve.

    With the defaults an arm of a few hundred patients gets 25 to 35 points.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``).
    curve_id : str
        The figure's id, written in both tables.
    points : int
        Places read evenly along each curve, 5 to 1,000 (the other readings come on top).
    resolution : float
        Survival reading resolution, from 0.0001 to 0.05.
    at_risk_every : float
        Months between numbers at risk, at least 0.01.

    Returns
    -------
    tuple of pandas.DataFrame
        The curve table and the at-risk table, in the format of ``data/digitised/README.md``.

    Examples
    --------
    >>> curves, at_risk = digitise_km(gbsg2(), curve_id=GBSG2_CURVE)
    >>> curves.groupby("arm", sort=False).size().to_dict()
    {'no-hormonal': 30, 'hormonal': 28}
    >>> at_risk.head(3).to_dict("list")["n_at_risk"]
    [440, 419, 379]
    """
    if not isinstance(curve_id, str) or not curve_id:
        raise InputError(f"curve_id must be text, got {curve_id!r}")
    count = _count(points, "the number of points", 5, 1000)
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Real) or not 1e-4 <= resolution <= 0.05:
        raise InputError(f"the resolution must be from 0.0001 to 0.05, got {_show(resolution)}")
    step = _months(at_risk_every, "the interval between numbers at risk")
    curves, risks = [], []
    for name, curve in kaplan_meier(patients).groupby("arm", sort=False):
        end = float(curve["time_months"].iloc[-1])
        risk_times = [k * step for k in range(int(round(end, 2) // step) + 1)]
        read = _readings(curve, count, end, risk_times)
        table = pd.DataFrame({"time_months": np.round([t for t, _ in read], 2),
                              "survival": np.round(np.round([s for _, s in read], 10) / resolution) * resolution})
        table = table.sort_values(["time_months", "survival"], ascending=[True, False])
        table = table.drop_duplicates("time_months", keep="last")
        table["survival"] = table["survival"].round(6)
        table.insert(0, "arm", name)
        curves.append(table)
        risks.append(number_at_risk(patients[patients["arm"].astype(str) == name], risk_times))
    curve_table = pd.concat(curves, ignore_index=True)
    risk_table = pd.concat(risks, ignore_index=True)[["arm", "time_months", "n_at_risk"]]
    curve_table.insert(0, "curve_id", curve_id)
    risk_table.insert(0, "curve_id", curve_id)
    return curve_table, risk_table


def _readings(curve: pd.DataFrame, count: int, end: float, risk_times: list[float]) -> list[tuple[float, float]]:
    """The (time, survival) corners a digitiser reads off one arm's Kaplan-Meier table."""
    survival = curve["survival"].to_numpy()
    drops = np.flatnonzero(np.diff(survival) < 0) + 1  # rows where the curve steps down
    times, levels = curve["time_months"].to_numpy()[drops], survival[drops]
    if len(drops) == 0:
        return [(end, float(survival[-1]))]
    # the drawn path: (0, 1) -> (t1, 1) -> (t1, s1) -> (t2, s1) -> ... -> (end, s_last)
    path_t = np.concatenate([[0.0], np.repeat(times, 2), [end]])
    path_s = np.concatenate([[1.0], np.column_stack([np.concatenate([[1.0], levels[:-1]]), levels]).ravel(),
                             [levels[-1]]])
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(path_t) / end, np.diff(path_s)))])
    targets = np.interp(arc[-1] * np.arange(1, count + 1) / count, arc, path_t)
    chosen = set(np.searchsorted(times, targets, side="right") - 1)  # the step at or before each place
    chosen |= set(np.searchsorted(times, risk_times, side="left") - 1)  # the last step before each at-risk time
    if (levels <= 0.5).any():
        below = int(np.argmax(levels <= 0.5))
        chosen |= {below - 1, below, below + 1}
    read = [(float(times[k]), float(levels[k])) for k in sorted(chosen) if 0 <= k < len(times)]
    return [*read, (end, float(levels[-1]))]


def gbsg2() -> pd.DataFrame:
    """The GBSG2 data of lifelines (686 women with node-positive breast cancer) as a patient table.

    Recurrence-free survival by hormonal therapy: ``time_months`` is GBSG2's ``time`` (days)
    divided by :data:`DAYS_PER_MONTH`, ``event`` its ``cens`` (1 recurrence or death), ``arm``
    ``no-hormonal`` or ``hormonal``. Not a stage IV cohort: a worked example of the format.

    Examples
    --------
    >>> table = gbsg2()
    >>> len(table), table["arm"].value_counts().to_dict()
    (686, {'no-hormonal': 440, 'hormonal': 246})
    """
    from lifelines.datasets import load_gbsg2

    raw = load_gbsg2()
    return pd.DataFrame({"time_months": raw["time"] / DAYS_PER_MONTH, "event": raw["cens"].astype(int),
                         "arm": raw["horTh"].map(GBSG2_ARMS)})


def write_gbsg2_example(folder=None) -> tuple[Path, Path]:
    """Regenerate ``data/digitised/gbsg2-km.csv`` and ``gbsg2-at-risk.csv`` with :func:`digitise_km`.

    ``python -c "from mbcbook.analysis.guyot import write_gbsg2_example; write_gbsg2_example()"``

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Where to write; ``data/digitised/`` by default.

    Returns
    -------
    tuple of pathlib.Path
        The two files written.
    """
    curves, at_risk = digitise_km(gbsg2(), curve_id=GBSG2_CURVE)
    curves_path, at_risk_path = digitised_paths("gbsg2", folder)
    curves_path.parent.mkdir(parents=True, exist_ok=True)
    curves = curves.assign(time_months=curves["time_months"].map("{:.2f}".format),
                           survival=curves["survival"].map("{:.3f}".format))
    at_risk = at_risk.assign(time_months=at_risk["time_months"].map("{:g}".format))
    curves.to_csv(curves_path, index=False, lineterminator="\n")
    at_risk.to_csv(at_risk_path, index=False, lineterminator="\n")
    return curves_path, at_risk_path
