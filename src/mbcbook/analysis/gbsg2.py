"""The GBSG2 data, the survival primer's real patients: loaded as a tidy table, and its results as figures.

The German Breast Cancer Study Group 2 trial (Schumacher et al. 1994, J Clin Oncol 12:2086-93;
reference key ``schumacher1994``) followed 686 women with node-positive **early** breast cancer
(not metastatic disease) for recurrence-free survival; lifelines ships the data
(``lifelines.datasets.load_gbsg2``). The trial's own patients are public, unlike those of the
stage IV trials, so the primer (``book/a1-survival-primer.ipynb``) computes on them live.

* :func:`load` gives one row per woman, times in months (days / :data:`DAYS_PER_MONTH`), the
  event as 0/1 and the covariates under plain names, with 0/1 columns ready for a Cox model.
* :func:`censoring_marks` places each censored woman on her arm's Kaplan-Meier curve (the ticks
  of a Kaplan-Meier chart).
* :func:`facts` computes the figures the primer quotes (medians, the log-rank test, hazard ratios)
  as :class:`mbcbook.evidence.text.Fact` objects that carry their source, so that the prose pastes
  them with ``{glue:text}`` as it pastes the figures of ``data/``.

Every estimate comes from lifelines, through :mod:`mbcbook.analysis.survival`.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ..evidence import text
from . import survival
from .guyot import DAYS_PER_MONTH, GBSG2_ARMS

#: Reference key of the GBSG2 trial in ``data/references.bib``.
REF = "schumacher1994"
#: Where the primer's computed figures come from, as their provenance note says it.
SOURCE = "GBSG2 data of lifelines (lifelines.datasets.load_gbsg2), computed with lifelines"
#: The arms as the text names them.
ARM_NAMES = {"hormonal": "Hormonal therapy", "no-hormonal": "No hormonal therapy"}
#: Covariates of the primer's adjusted Cox model (GBSG2's own, as 0/1 or numbers).
ADJUSTED = ("hormonal", "age", "premenopausal", "tumour_size_mm", "grade_ii", "grade_iii", "positive_nodes",
            "progesterone_receptor", "oestrogen_receptor")


def load() -> pd.DataFrame:
    """The GBSG2 patients as a tidy table, one row per woman (686 rows).

    Returns
    -------
    pandas.DataFrame
        ``time_months`` (recurrence-free survival time: GBSG2's ``time`` in days divided by
        :data:`DAYS_PER_MONTH`, 30.4375, the mean month of the Gregorian calendar), ``event``
        (GBSG2's ``cens``: 1 recurrence or death, 0 censored), ``arm`` (``hormonal`` or
        ``no-hormonal``, from ``horTh``); the covariates ``age`` (years), ``menopause``
        (``pre``/``post``), ``tumour_size_mm``, ``grade`` (``I``, ``II``, ``III``),
        ``positive_nodes``, ``progesterone_receptor`` and ``oestrogen_receptor`` (fmol/mg);
        and 0/1 codings for a Cox model: ``hormonal``, ``premenopausal``, ``grade_ii``, ``grade_iii``
        (grade I is the reference).

    Examples
    --------
    >>> table = load()
    >>> len(table), int(table["event"].sum()), table["arm"].value_counts().to_dict()
    (686, 299, {'no-hormonal': 440, 'hormonal': 246})
    >>> round(float(table["time_months"].max()), 1)  # the longest follow-up, 2,659 days
    87.4
    """
    from lifelines.datasets import load_gbsg2

    raw = load_gbsg2()
    grade = raw["tgrade"].astype(str)
    return pd.DataFrame({
        "time_months": raw["time"] / DAYS_PER_MONTH,
        "event": raw["cens"].astype(int),
        "arm": raw["horTh"].map(GBSG2_ARMS),
        "age": raw["age"].astype(int),
        "menopause": raw["menostat"].str.lower(),
        "tumour_size_mm": raw["tsize"].astype(int),
        "grade": grade,
        "positive_nodes": raw["pnodes"].astype(int),
        "progesterone_receptor": raw["progrec"].astype(int),
        "oestrogen_receptor": raw["estrec"].astype(int),
        "hormonal": (raw["horTh"] == "yes").astype(int),
        "premenopausal": (raw["menostat"] == "Pre").astype(int),
        "grade_ii": (grade == "II").astype(int),
        "grade_iii": (grade == "III").astype(int),
    })


def censoring_marks(patients: pd.DataFrame) -> pd.DataFrame:
    """Where each censored patient sits on her arm's Kaplan-Meier curve: the ticks of a Kaplan-Meier chart.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``).

    Returns
    -------
    pandas.DataFrame
        One row per censored patient: ``arm``, ``time_months`` and ``survival`` (the curve's
        height at that time).

    Examples
    --------
    >>> patients = pd.DataFrame({"time_months": [2, 4, 4, 6, 9], "event": [1, 1, 0, 1, 0], "arm": "a"})
    >>> censoring_marks(patients).round(3).to_dict("list")
    {'arm': ['a', 'a'], 'time_months': [4.0, 9.0], 'survival': [0.6, 0.3]}
    """
    pieces = []
    for arm, rows in patients.groupby("arm", sort=False):
        times = rows.loc[rows["event"] == 0, "time_months"].astype(float).sort_values().to_numpy()
        heights = survival.survival_at(rows, list(times))["survival"].to_numpy() if len(times) else np.array([])
        pieces.append(pd.DataFrame({"arm": arm, "time_months": times, "survival": heights}))
    return pd.concat(pieces, ignore_index=True)


def months_with_ci(row: pd.Series) -> str:
    """A median and its interval in words: '66.3 months (95% CI 51.6–83.9)'; 'not reached' where it is.

    Examples
    --------
    >>> months_with_ci(pd.Series({"median_months": 66.3, "ci_low": 51.6, "ci_high": np.inf, "ci_level": 0.95}))
    '66.3 months (95% CI 51.6 to not reached)'
    """
    def words(value: float) -> str:
        return "not reached" if not np.isfinite(value) else text.number(value, digits=1)

    head = words(row["median_months"]) + (" months" if np.isfinite(row["median_months"]) else "")
    if np.isfinite([row["ci_low"], row["ci_high"]]).all():
        joined = text.interval(row["ci_low"], row["ci_high"], words)
    else:
        joined = f"{words(row['ci_low'])} to {words(row['ci_high'])}"
    return f"{head} ({text.level(row['ci_level'])} CI {joined})"


def p_value(p: float) -> str:
    """A p-value to two significant figures, as journals print it; below 0.001, 'p<0.001'.

    Examples
    --------
    >>> p_value(0.0034272), p_value(0.31), p_value(5.7e-11)
    ('p=0.0034', 'p=0.31', 'p<0.001')
    """
    return "p<0.001" if p < 0.001 else f"p={float(f'{p:.2g}'):g}"


def hazard_ratio_words(row: pd.Series) -> str:
    """A row of :func:`mbcbook.analysis.survival.cox_summary` as 'HR 0.69 (95% CI 0.54–0.89)'."""
    return text.estimate_with_ci("HR", round(row["hr"], 2), round(row["ci_low"], 2), round(row["ci_high"], 2),
                                 row["ci_level"])


@functools.lru_cache(maxsize=1)
def _facts() -> dict[str, text.Fact]:
    table = load()
    patients = table[["time_months", "event", "arm"]]
    medians = survival.median_with_ci(patients)
    overall = survival.median_with_ci(patients.assign(arm="all")).loc["all"]
    follow_up = survival.median_survival(patients.assign(arm="all", event=1 - patients["event"])).loc["all"]
    test = survival.logrank(patients, "hormonal", "no-hormonal")
    crude = {level: survival.cox_summary(table, ["hormonal"], ci_level=level).loc["hormonal"] for level in (0.95, 0.90)}
    adjusted = survival.cox_summary(table, list(ADJUSTED))
    values = {
        "gbsg2.women": text.number(len(table)),
        "gbsg2.events": text.number(int(table["event"].sum())),
        "gbsg2.censored": text.number(int((table["event"] == 0).sum())),
        "gbsg2.hormonal-n": text.number(int(table["hormonal"].sum())),
        "gbsg2.no-hormonal-n": text.number(int((table["hormonal"] == 0).sum())),
        "gbsg2.longest-follow-up": text.months(round(float(table["time_months"].max()), 1)),
        "gbsg2.median-follow-up": f"{text.number(float(follow_up), digits=1)} months",
        "gbsg2.median-all": months_with_ci(overall),
        "gbsg2.median-hormonal": months_with_ci(medians.loc["hormonal"]),
        "gbsg2.median-no-hormonal": months_with_ci(medians.loc["no-hormonal"]),
        # What a reader gets by ignoring censoring: every censored time taken as an event...
        "gbsg2.median-censored-as-events": text.months(round(float(table["time_months"].median()), 1)),
        # ... or every censored woman left out.
        "gbsg2.median-events-only": text.months(
            round(float(table.loc[table["event"] == 1, "time_months"].median()), 1)),
        "gbsg2.logrank-chi2": text.number(round(test.statistic, 2)),
        "gbsg2.logrank-p": p_value(test.p_value),
        "gbsg2.hr-hormonal-95": hazard_ratio_words(crude[0.95]),
        "gbsg2.hr-hormonal-90": hazard_ratio_words(crude[0.90]),
        "gbsg2.hr-hormonal-p": p_value(crude[0.95]["p_value"]),
        "gbsg2.hr-hormonal-adjusted": hazard_ratio_words(adjusted.loc["hormonal"]),
        "gbsg2.hr-nodes-adjusted": hazard_ratio_words(adjusted.loc["positive_nodes"]),
        "gbsg2.hr-grade-iii-adjusted": hazard_ratio_words(adjusted.loc["grade_iii"]),
    }
    return {key: text.computed(key, words, REF, SOURCE) for key, words in values.items()}


def facts() -> dict[str, text.Fact]:
    """The figures the primer quotes from GBSG2, each a :class:`~mbcbook.evidence.text.Fact` with its source.

    Computed once per session (about a second: a few lifelines fits on 686 rows). Keys:
    ``gbsg2.women``, ``gbsg2.events``, ``gbsg2.censored``, ``gbsg2.hormonal-n``,
    ``gbsg2.no-hormonal-n``, ``gbsg2.longest-follow-up``, ``gbsg2.median-follow-up`` (reverse
    Kaplan-Meier: censoring taken as the event), ``gbsg2.median-all``, ``gbsg2.median-hormonal``,
    ``gbsg2.median-no-hormonal`` (Kaplan-Meier medians with 95% intervals),
    ``gbsg2.median-censored-as-events`` and ``gbsg2.median-events-only`` (the two wrong ways to
    ignore censoring), ``gbsg2.logrank-chi2`` and ``gbsg2.logrank-p`` (hormonal therapy against
    none), ``gbsg2.hr-hormonal-95`` and ``gbsg2.hr-hormonal-90`` (a Cox model with hormonal therapy
    alone, at two confidence levels), ``gbsg2.hr-hormonal-p``, and from a Cox model of all
    :data:`ADJUSTED` covariates ``gbsg2.hr-hormonal-adjusted``, ``gbsg2.hr-nodes-adjusted`` (per
    positive node) and ``gbsg2.hr-grade-iii-adjusted`` (grade III against grade I).

    Returns
    -------
    dict of str to Fact
        Status ``computed``, reference ``schumacher1994``, source :data:`SOURCE`.

    Examples
    --------
    >>> found = facts()
    >>> str(found["gbsg2.hr-hormonal-95"]), str(found["gbsg2.logrank-p"])
    ('HR 0.69 (95% CI 0.54–0.89)', 'p=0.0034')
    >>> found["gbsg2.women"].ref, found["gbsg2.women"].status
    ('schumacher1994', 'computed')
    """
    return dict(_facts())
