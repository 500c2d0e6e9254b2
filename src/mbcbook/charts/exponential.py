"""The exponential shortcut drawn: the hazard ratio two medians imply, beside the one each trial published.

One small forest panel per trial report with two published medians (``data/arms.csv``): the HR
that constant hazards would give (the inverse ratio of the medians, a point with no interval,
see :mod:`mbcbook.analysis.exponential`) above the published HR and its interval at the level
the trial chose (``data/effects.csv``). A report that does not say which arm its HR compares with
which (ABCSG-28) shows the HR as printed and its inverse, both hollow, so that the reader sees
which reading the medians support without the chart choosing one.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..analysis.exponential import implied_versus_published
from ..errors import ChartError, InputError
from ..evidence import text
from .bars import FIT_WIDTH, _require_rows
from .forest import confidence_interval, hazard_ratio, stacked_panels, trial_name
from .theme import PALETTE

AXIS_TITLE = ["Hazard ratio, locoregional treatment", "against systemic therapy alone (log scale)"]


def _pairs(arms: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """:func:`~mbcbook.analysis.exponential.implied_versus_published`, its refusals said as a chart's."""
    _require_rows(arms, "arms")
    _require_rows(effects, "effects")
    try:
        return implied_versus_published(arms, effects)
    except InputError as error:
        raise ChartError(f"nothing to draw: {error}") from error


def _hr(value: float) -> str:
    return text.number(value, digits=2)


def _published_words(row: pd.Series) -> dict:
    """The HR and its interval as published ("0.691", "95% CI 0.358–1.333"), for the data table."""
    return {"hr_words": text.number(row["estimate"], text.ratio_digits(row["estimate"], row["ci_low"], row["ci_high"])),
            "ci_words": confidence_interval(row)}


def implied_hr_table(arms: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`implied_hr_chart`: per trial report, the implied HR, then the published one(s).

    Parameters
    ----------
    arms, effects : pandas.DataFrame
        The ``arms`` and ``effects`` evidence tables.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``panel`` (trial and report), ``kind`` (``implied``, ``published`` or
        ``published, inverted``), ``row_label``, ``estimate``, ``ci_low``, ``ci_high``,
        ``ci_level``, ``direction_stated``, ``status``, ``ref``, and the HR and interval in words as
        the data table shows them (``hr_words``, ``ci_words``).

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> rows = implied_hr_table(ev.arms, ev.effects)
    >>> rows.loc[0, "row_label"]
    'Implied by the medians, 20.5 / 19.2 months: HR 1.07'
    >>> rows.loc[1, "row_label"]
    'Published: HR 1.04 (95% CI 0.81–1.34)'
    """
    pairs = _pairs(arms, effects)
    rows = []
    for _, pair in pairs.iterrows():
        report = "primary report" if pair["report"] == "primary" else pair["report"]
        panel = f"{trial_name(pair['trial_id'])}, {report}"
        common = {"panel": panel, "status": pair["status"], "ref": pair["ref"], "ci_level": pair["ci_level"]}
        medians = f"{text.number(pair['median_st'])} / {text.number(pair['median_lrt'])} months"
        rows.append({**common, "kind": "implied",
                     "row_label": text.with_status(f"Implied by the medians, {medians}: HR {_hr(pair['implied_hr'])}",
                                                   pair["status"]),
                     "estimate": pair["implied_hr"], "ci_low": None, "ci_high": None, "direction_stated": True,
                     "hr_words": _hr(pair["implied_hr"]), "ci_words": "none (computed from two medians)"})
        published = pd.Series({"measure": "HR", "estimate": pair["estimate"], "ci_low": pair["ci_low"],
                               "ci_high": pair["ci_high"], "ci_level": pair["ci_level"]})
        if pair["direction_stated"]:
            rows.append({**common, "kind": "published",
                         "row_label": text.with_status(f"Published: {hazard_ratio(published)}", pair["status"]),
                         "estimate": pair["estimate"], "ci_low": pair["ci_low"], "ci_high": pair["ci_high"],
                         "direction_stated": True, **_published_words(published)})
            continue
        inverted = text.estimate_with_ci("HR", round(pair["inverse_estimate"], 2), round(pair["inverse_ci_low"], 2),
                                         round(pair["inverse_ci_high"], 2), pair["ci_level"])
        rows.append({**common, "kind": "published",
                     "row_label": text.with_status(f"Published, arms not stated: {hazard_ratio(published)}",
                                                   pair["status"]),
                     "estimate": pair["estimate"], "ci_low": pair["ci_low"], "ci_high": pair["ci_high"],
                     "direction_stated": False, **_published_words(published)})
        rows.append({**common, "kind": "published, inverted",
                     "row_label": text.with_status(f"The same, inverted (if it compared no surgery with surgery): "
                                                   f"{inverted}", pair["status"]),
                     "estimate": pair["inverse_estimate"], "ci_low": pair["inverse_ci_low"],
                     "ci_high": pair["inverse_ci_high"], "direction_stated": False,
                     "hr_words": _hr(pair["inverse_estimate"]),
                     "ci_words": inverted.split("(", 1)[1].rstrip(")")})
    return pd.DataFrame(rows)


def _sentence(pair: pd.Series) -> str:
    name = f"{trial_name(pair['trial_id'])} ({pair['report']})"
    medians = (f"medians {text.number(pair['median_lrt'])} months with locoregional treatment and "
               f"{text.number(pair['median_st'])} months without imply HR {_hr(pair['implied_hr'])}")
    level = text.level(pair["ci_level"])
    if pair["direction_stated"]:
        where = "inside" if pair["inside"] else "outside"
        return (f"{name}: {medians}; published HR {_hr(pair['estimate'])}, {level} CI "
                f"{_hr(pair['ci_low'])} to {_hr(pair['ci_high'])}, the implied value {where} it")
    return (f"{name}: {medians}; the published HR {text.number(pair['estimate'])} ({level} CI "
            f"{text.number(pair['ci_low'])} to {text.number(pair['ci_high'])}) does not say which arm is the "
            f"reference; inverted it is {_hr(pair['inverse_estimate'])} ({_hr(pair['inverse_ci_low'])} to "
            f"{_hr(pair['inverse_ci_high'])}), which the medians fit only if the HR compares no surgery with surgery")


def implied_hr_chart(arms: pd.DataFrame, effects: pd.DataFrame) -> alt.VConcatChart:
    """The HR implied by each trial's two medians under an exponential model, beside the published HR.

    Parameters
    ----------
    arms, effects : pandas.DataFrame
        The ``arms`` and ``effects`` evidence tables.

    Returns
    -------
    altair.VConcatChart
        One panel per trial report, as wide as its container; its ``description`` is the text
        alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> spec = implied_hr_chart(ev.arms, ev.effects).to_dict()
    >>> "inverse ratio of the medians" in spec["description"]
    True
    """
    data = implied_hr_table(arms, effects)
    panels = list(dict.fromkeys(data["panel"]))
    stacked, _ = stacked_panels(data, "panel", dict.fromkeys(panels, PALETTE["blue"]), AXIS_TITLE)
    pairs = _pairs(arms, effects)
    return stacked.properties(
        autosize=FIT_WIDTH,
        title=alt.Title(
            "Two medians, one hazard ratio?",
            subtitle=["Upper square: the HR constant hazards would give, the inverse ratio of the medians.",
                      "Lower square and line: the published HR and its interval, at the trial's level.",
                      "Hollow: the report does not say which arm is the reference."],
        ),
        description=(
            "Forest plot on a log scale, one panel per trial report with two published medians of overall "
            "survival: the hazard ratio of locoregional treatment against systemic therapy alone implied under an "
            "exponential model (the inverse ratio of the medians) above the published hazard ratio and its "
            "confidence interval. " + ". ".join(_sentence(pair) for _, pair in pairs.iterrows()) + "."
        ),
    )


def implied_hr_alt_table(arms: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`implied_hr_chart`, one row per point, in the same order.

    Parameters
    ----------
    arms, effects : pandas.DataFrame
        The ``arms`` and ``effects`` evidence tables.

    Returns
    -------
    pandas.DataFrame
        Trial and report, what the point is, the hazard ratio, its interval, status and reference.
    """
    data = implied_hr_table(arms, effects)
    kinds = {"implied": "implied by the medians (exponential model)", "published": "published",
             "published, inverted": "published, inverted"}
    return pd.DataFrame({
        "Trial and report": data["panel"],
        "Point": [kinds[kind] + ("" if stated else ", arms not stated")
                  for kind, stated in zip(data["kind"], data["direction_stated"], strict=True)],
        "Hazard ratio": data["hr_words"],
        "Confidence interval": data["ci_words"],
        "Status": data["status"],
        "Reference": data["ref"],
    })
