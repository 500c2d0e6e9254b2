"""The exponential shortcut: a hazard ratio read off two published medians, set beside the published one.

With a constant hazard λ, survival is S(t) = exp(-λ t) and the median is ln 2 / λ. Two arms with
constant hazards then have a hazard ratio equal to the inverse ratio of their medians:

    HR (A against B) = λ_A / λ_B = median_B / median_A.

Trials report both medians and a hazard ratio from a Cox model, which assumes only that the
hazards are proportional, not constant. Where the two agree, the shortcut is harmless; where
they do not, the curves are not exponential (or the medians and the ratio measure different
things: a median is one point of a curve, a hazard ratio an average over all of it). The survival
primer draws the comparison for every trial of ``data/arms.csv`` with two published medians.

Pure arithmetic on the evidence tables: no lifelines, no randomness.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd

from ..errors import InputError

#: Arms compared in the book: locoregional treatment (``lrt``) against systemic therapy alone (``st``).
TREATMENT, REFERENCE = "lrt", "st"


def _median(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise InputError(f"{name} must be a median in months above 0, got {value!r}")
    return float(value)


def rate_from_median(median_months: float) -> float:
    """The constant hazard (events per patient-month) of an exponential curve with this median: ln 2 / median.

    Examples
    --------
    >>> round(rate_from_median(19.2), 4)
    0.0361
    """
    return math.log(2) / _median(median_months, "the median")


def implied_hazard_ratio(median_treatment: float, median_reference: float) -> float:
    """The hazard ratio (treatment against reference) of two exponential arms: median_reference / median_treatment.

    Parameters
    ----------
    median_treatment, median_reference : float
        The arms' median survival, in months.

    Returns
    -------
    float
        Below 1 when the treatment arm's median is the longer one.

    Examples
    --------
    Tata Memorial: 19.2 months with locoregional treatment, 20.5 without.

    >>> round(implied_hazard_ratio(19.2, 20.5), 3)
    1.068
    >>> implied_hazard_ratio(10, 10)
    1.0
    """
    treatment = _median(median_treatment, "the treatment arm's median")
    reference = _median(median_reference, "the reference arm's median")
    return rate_from_median(treatment) / rate_from_median(reference)


def implied_versus_published(arms: pd.DataFrame, effects: pd.DataFrame) -> pd.DataFrame:
    """For each trial report with two published medians, the HR they imply beside the published HR.

    An arm pair is a trial and report of ``arms.csv`` with a median for both its ``lrt`` and
    ``st`` arms; its published HR is the row of ``effects.csv`` for overall survival of the same
    trial and report, all patients, primary analysis. Both are oriented as locoregional treatment
    against systemic therapy alone; a published HR whose arms the report does not state
    (``treatment_arm`` ``not_stated``, as ABCSG-28's) is kept as printed, with its inverse beside
    it: the reader sees which reading the medians support.

    Parameters
    ----------
    arms, effects : pandas.DataFrame
        The ``arms`` and ``effects`` evidence tables (indexed by their ids).

    Returns
    -------
    pandas.DataFrame
        One row per trial report, in the order of ``arms.csv``: ``trial_id``, ``report``,
        ``effect_id``, ``median_lrt``, ``median_st`` (months), ``implied_hr``, ``estimate``,
        ``ci_low``, ``ci_high``, ``ci_level`` (the published HR as printed), ``direction_stated``,
        ``inverse_estimate``, ``inverse_ci_low``, ``inverse_ci_high`` (1 / the published figures,
        the limits swapped), ``inside`` (whether the implied HR lies inside the published interval,
        as oriented when the direction is stated, else inside the inverted one), ``status``
        (unconfirmed if any row used is) and ``ref``.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> table = implied_versus_published(ev.arms, ev.effects).set_index("trial_id")
    >>> tata = table.loc["tata"]
    >>> round(float(tata["implied_hr"]), 2), float(tata["estimate"]), bool(tata["inside"])
    (1.07, 1.04, True)
    """
    rows = []
    with_median = arms[arms["median_os_months"].notna()]
    for (trial, report), pair in with_median.groupby(["trial_id", "report"], sort=False):
        by_arm = pair.set_index("arm")
        if not {TREATMENT, REFERENCE} <= set(by_arm.index):
            continue
        chosen = effects[(effects["trial_id"] == trial) & (effects["report"] == report)
                         & (effects["outcome"] == "overall_survival") & (effects["analysis"] == "primary")
                         & effects["population"].str.startswith("All") & (effects["measure"] == "HR")]
        if chosen.empty:
            continue
        effect_id, effect = chosen.index[0], chosen.iloc[0]
        stated = "not_stated" not in (effect["treatment_arm"], effect["reference_arm"])
        if stated and (effect["treatment_arm"], effect["reference_arm"]) != (TREATMENT, REFERENCE):
            raise InputError(f"effects.csv row {effect_id} compares {effect['treatment_arm']} with "
                             f"{effect['reference_arm']}; this comparison expects {TREATMENT} against {REFERENCE}")
        median_lrt = float(by_arm.loc[TREATMENT, "median_os_months"])
        median_st = float(by_arm.loc[REFERENCE, "median_os_months"])
        implied = implied_hazard_ratio(median_lrt, median_st)
        low, high = effect["ci_low"], effect["ci_high"]
        inverse = (1 / effect["estimate"], 1 / high, 1 / low)
        bounds = (low, high) if stated else inverse[1:]
        statuses = {*pair["status"], effect["status"]}
        rows.append({
            "trial_id": trial, "report": report, "effect_id": effect_id,
            "median_lrt": median_lrt, "median_st": median_st, "implied_hr": implied,
            "estimate": float(effect["estimate"]), "ci_low": float(low), "ci_high": float(high),
            "ci_level": float(effect["ci_level"]), "direction_stated": stated,
            "inverse_estimate": inverse[0], "inverse_ci_low": inverse[1], "inverse_ci_high": inverse[2],
            "inside": bool(bounds[0] <= implied <= bounds[1]),
            "status": "unconfirmed" if "unconfirmed" in statuses else "confirmed",
            "ref": effect["ref"],
        })
    if not rows:
        raise InputError("no trial report in arms.csv has medians for both arms and a published overall-survival HR")
    return pd.DataFrame(rows)
