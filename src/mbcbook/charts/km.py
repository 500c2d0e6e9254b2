"""A Kaplan-Meier chart of real patients: step curves, censoring ticks, pointwise bands and median lines.

Built from the tidy tables of :mod:`mbcbook.analysis.survival` (``kaplan_meier`` and
``median_with_ci``) and :func:`mbcbook.analysis.gbsg2.censoring_marks`; this module never fits
anything itself and does not import lifelines. The survival primer draws the GBSG2 patients with
it; a data table (survival at yearly landmarks, medians) is its text alternative.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from ..evidence import text
from .bars import FIT_WIDTH
from .theme import PALETTE

COLOURS = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"]]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]]
HEIGHT = 260


def _median_words(value: float) -> str:
    return "not reached" if not math.isfinite(value) else f"{text.number(value, digits=1)} months"


def _arm_names(curves: pd.DataFrame, names: dict | None) -> dict:
    return {arm: (names or {}).get(arm, arm) for arm in dict.fromkeys(curves["arm"])}


def km_description(curves: pd.DataFrame, medians: pd.DataFrame, names: dict | None = None,
                   outcome: str = "survival") -> str:
    """The chart's text alternative in words: each arm's size, events and median with its interval."""
    arms = _arm_names(curves, names)
    parts = []
    for arm, name in arms.items():
        row = medians.loc[arm]
        low, high = (_median_words(row[k]).replace(" months", "") for k in ("ci_low", "ci_high"))
        parts.append(f"{name}: {int(row['n'])} patients, {int(row['events'])} events, median {outcome} "
                     f"{_median_words(row['median_months'])} ({text.level(row['ci_level'])} CI {low} to {high})")
    return (f"Kaplan-Meier curves of {outcome}, one step line per group, with pointwise confidence bands, a tick "
            f"for each censored patient, and dotted lines from 50% to each median. " + "; ".join(parts) + ".")


def km_chart(curves: pd.DataFrame, censored: pd.DataFrame, medians: pd.DataFrame, *, names: dict | None = None,
             title: str = "Kaplan-Meier curves", outcome: str = "survival",
             x_title: str = "Months since randomisation") -> alt.LayerChart:
    """Kaplan-Meier curves with censoring ticks, confidence bands and the medians marked.

    Parameters
    ----------
    curves : pandas.DataFrame
        :func:`mbcbook.analysis.survival.kaplan_meier` output (``time_months``, ``survival``,
        ``ci_low``, ``ci_high``, ``arm``).
    censored : pandas.DataFrame
        :func:`mbcbook.analysis.gbsg2.censoring_marks` output (``arm``, ``time_months``, ``survival``).
    medians : pandas.DataFrame
        :func:`mbcbook.analysis.survival.median_with_ci` output, indexed by arm.
    names : dict, optional
        Arm -> the name shown in the legend.
    title, outcome, x_title : str
        The chart's title, the outcome in words ("recurrence-free survival"), the x axis title.

    Returns
    -------
    altair.LayerChart
        As wide as its container; its ``description`` is the text alternative.

    Examples
    --------
    >>> curves = pd.DataFrame({"time_months": [0.0, 2, 4], "survival": [1, 0.5, 0.25], "ci_low": [1, 0.2, 0.05],
    ...                        "ci_high": [1, 0.8, 0.6], "arm": "a"})
    >>> medians = pd.DataFrame({"median_months": [2.0], "ci_low": [2.0], "ci_high": [np.inf], "ci_level": [0.95],
    ...                         "n": [4], "events": [3]}, index=pd.Index(["a"], name="arm"))
    >>> censored = pd.DataFrame({"arm": ["a"], "time_months": [3.0], "survival": [0.5]})
    >>> spec = km_chart(curves, censored, medians).to_dict()
    >>> "median survival 2.0 months" in spec["description"]
    True
    """
    arms = _arm_names(curves, names)
    domain = list(arms.values())
    colour = alt.Color("group:N", scale=alt.Scale(domain=domain, range=COLOURS[:len(domain)]),
                       legend=alt.Legend(title=None, orient="bottom", direction="vertical"))
    dash = alt.StrokeDash("group:N", scale=alt.Scale(domain=domain, range=DASHES[:len(domain)]), legend=None)
    end = float(np.ceil(curves["time_months"].max() / 12) * 12)
    x = alt.X("time_months:Q", title=x_title, scale=alt.Scale(domain=[0, end], nice=False),
              axis=alt.Axis(values=list(range(0, int(end) + 1, 12)), format="d"))
    y = alt.Y("survival:Q", title=outcome[0].upper() + outcome[1:], scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]))
    steps = curves[["time_months", "survival", "ci_low", "ci_high", "arm"]].round(4).assign(
        group=curves["arm"].map(arms))
    ticks = censored.round(4).assign(group=censored["arm"].map(arms))
    finite = medians[np.isfinite(medians["median_months"])]
    # Dotted lines: across at 50% to each median, then down from the curve to the axis.
    lines = pd.DataFrame(
        [{"group": arms[arm], "x": 0.0, "x2": row["median_months"], "y": 0.5, "y2": 0.5}
         for arm, row in finite.iterrows()]
        + [{"group": arms[arm], "x": row["median_months"], "x2": row["median_months"], "y": 0.0, "y2": 0.5}
           for arm, row in finite.iterrows()])
    band = alt.Chart(steps).mark_area(interpolate="step-after", opacity=0.15, aria=False).encode(
        x=x, y=alt.Y("ci_low:Q", scale=alt.Scale(domain=[0, 1])), y2="ci_high:Q", color=colour)
    curve = alt.Chart(steps).mark_line(interpolate="step-after", strokeWidth=2, aria=False).encode(
        x=x, y=y, color=colour, strokeDash=dash)
    tick = alt.Chart(ticks).mark_tick(orient="vertical", size=7, thickness=1, aria=False).encode(
        x=x, y=y, color=colour)
    median = alt.Chart(lines).mark_rule(strokeDash=[2, 2], strokeWidth=1.2, aria=False).encode(
        x=alt.X("x:Q"), x2="x2:Q", y=alt.Y("y:Q"), y2="y2:Q", color=colour)
    return alt.layer(band, curve, tick, median).properties(
        width="container", height=HEIGHT, autosize=FIT_WIDTH,
        title=alt.Title(title, subtitle=["Ticks: censored patients. Shaded: pointwise 95% confidence bands.",
                                         "Dotted: where each curve crosses 50%, its median."]),
        description=km_description(curves, medians, names, outcome),
    )


def km_table(curves: pd.DataFrame, medians: pd.DataFrame, landmarks=(12, 24, 36, 48, 60, 72), *,
             names: dict | None = None) -> pd.DataFrame:
    """The chart's data table: per arm, patients, events, the median with its interval, survival at landmarks.

    Parameters
    ----------
    curves, medians : pandas.DataFrame
        As for :func:`km_chart`.
    landmarks : sequence of float
        Months at which to read each curve.
    names : dict, optional
        Arm -> the name shown.

    Returns
    -------
    pandas.DataFrame
        One row per arm.
    """
    arms = _arm_names(curves, names)
    rows = []
    for arm, name in arms.items():
        own = curves[curves["arm"] == arm].sort_values("time_months")
        row = medians.loc[arm]
        low, high = (_median_words(row[k]).replace(" months", "") for k in ("ci_low", "ci_high"))
        entry = {"Group": name, "Patients": int(row["n"]), "Events": int(row["events"]),
                 "Median (months)": _median_words(row["median_months"]).replace(" months", ""),
                 f"{text.level(row['ci_level'])} CI of the median": f"{low} to {high}"}
        for month in landmarks:
            before = own[own["time_months"] <= month]
            entry[f"{month} months"] = text.percent(round(float(before["survival"].iloc[-1]), 3))
        rows.append(entry)
    return pd.DataFrame(rows)


def show_curves(curves: pd.DataFrame, censored: pd.DataFrame, medians: pd.DataFrame, *, caption: str,
                names: dict | None = None, **chart_options) -> None:
    """Display :func:`km_chart` with its text alternative (description and :func:`km_table`) under it.

    Parameters
    ----------
    curves, censored, medians : pandas.DataFrame
        As for :func:`km_chart`.
    caption : str
        Caption of the data table: where the patients come from and what computed the curves.
    names : dict, optional
        Arm -> the name shown.
    **chart_options
        ``title``, ``outcome`` and ``x_title``, passed to :func:`km_chart`.
    """
    from .alt_text import show

    show(km_chart(curves, censored, medians, names=names, **chart_options), km_table(curves, medians, names=names),
         caption=caption)
