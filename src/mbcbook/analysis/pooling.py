"""Pooling hazard ratios of trials: fixed and random effects, on statsmodels' meta-analysis.

Each trial's hazard ratio and confidence interval, as published, give its log hazard ratio and
standard error: the interval spans 2 z standard errors on the log scale, where z is the normal
quantile of the interval's own level (1.645 for a 90% interval, 1.960 for a 95% one: a 90%
interval is not a 95% one). statsmodels' ``combine_effects`` then pools the log hazard ratios
with inverse-variance weights: fixed effect, and random effects with the DerSimonian-Laird
between-trial variance (tau squared), with Cochran's Q and I squared.

Every hazard ratio must compare surgery with no surgery (``lrt`` against ``st``). A published
ratio the other way round is inverted (its interval too), and one whose paper does not say
which arm is its reference (ABCSG-28) is refused unless the caller gives a reading for it:
:func:`oriented` records which reading was used.

>>> study = oriented("tata-os", 1.04, 0.81, 1.34, 0.95, "lrt", "st")
>>> round(study.log_hr, 4), round(study.se, 4)
(0.0392, 0.1284)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.meta_analysis import combine_effects

from ..errors import InputError

CI_LEVELS = (0.90, 0.95)
METHODS = ("fixed", "random")
#: The two ways to read a hazard ratio whose paper does not say which arm is its reference, as
#: (treatment, reference): the medians of ABCSG-28 fit only the first (see ../shared/evidence.md).
READINGS = {"st-lrt": ("st", "lrt"), "lrt-st": ("lrt", "st")}
READING_WORDS = {"st-lrt": "no surgery against surgery", "lrt-st": "surgery against no surgery"}


@dataclass(frozen=True)
class Study:
    """One trial's hazard ratio of surgery against no surgery, on the log scale, and how it was oriented."""

    name: str
    log_hr: float
    se: float
    orientation: str

    @property
    def hr(self) -> float:
        """The hazard ratio."""
        return math.exp(self.log_hr)


@dataclass(frozen=True)
class Pooled:
    """A pooled hazard ratio with its 95% interval, and the heterogeneity of the trials pooled."""

    method: str
    hr: float
    ci_low: float
    ci_high: float
    q: float
    i2: float
    tau2: float
    studies: tuple[str, ...]


def _positive(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise InputError(f"{what} must be a number above 0, got {value!r}")
    return float(value)


def oriented(name: str, hr, low, high, ci_level, treatment_arm: str, reference_arm: str,
             reading: tuple[str, str] | None = None) -> Study:
    """A published hazard ratio as surgery (``lrt``) against no surgery (``st``), with its standard error.

    Parameters
    ----------
    name : str
        Its name (the ``effect_id`` of ``data/effects.csv``).
    hr, low, high : float
        The hazard ratio and its confidence limits, as published.
    ci_level : {0.90, 0.95}
        The level of that interval, as published.
    treatment_arm, reference_arm : str
        The published orientation: ``lrt``, ``st`` or ``not_stated``.
    reading : (str, str), optional
        The (treatment, reference) reading to use when the paper does not state one.

    Raises
    ------
    mbcbook.errors.InputError
        For a ratio or limit of 0 or below, an interval that excludes its estimate, an unknown
        confidence level, or an orientation that is neither stated nor given.
    """
    hr = _positive(hr, "the hazard ratio")
    low, high = _positive(low, "the lower limit"), _positive(high, "the upper limit")
    if not low <= hr <= high:
        raise InputError(f"{name}: the interval {low:g}-{high:g} does not contain its hazard ratio {hr:g}")
    if isinstance(ci_level, bool) or ci_level not in CI_LEVELS:
        raise InputError(f"{name}: the confidence level must be 0.90 or 0.95 (as published), got {ci_level!r}")
    z = norm.ppf(1 - (1 - ci_level) / 2)
    se = float((math.log(high) - math.log(low)) / (2 * z))
    stated = (treatment_arm, reference_arm)
    if stated not in (("lrt", "st"), ("st", "lrt")):
        if reading not in (("lrt", "st"), ("st", "lrt")):
            raise InputError(f"{name}: the paper does not say which arm is its reference; give a reading, "
                             f"('lrt', 'st') or ('st', 'lrt')")
        stated, how = reading, "read as"
    else:
        how = "published as"
    orientation = f"{how} {stated[0]} against {stated[1]}"
    log_hr = math.log(hr)
    if stated == ("st", "lrt"):
        log_hr, orientation = -log_hr, orientation + ", inverted"
    return Study(name, log_hr, se, orientation)


def pool(studies, method: str = "random") -> Pooled:
    """Pool ``studies`` (from :func:`oriented`) with statsmodels: ``fixed`` or ``random`` (DerSimonian-Laird).

    Examples
    --------
    The Cochrane review (Tosello 2018) pooled Tata and MF07-01 (2018): HR 0.83 (95% CI 0.53-1.31).

    >>> tata = oriented("tata-os", 1.04, 0.81, 1.34, 0.95, "lrt", "st")
    >>> mf = oriented("mf07-01-2018-os", 0.66, 0.49, 0.88, 0.95, "lrt", "st")
    >>> result = pool([tata, mf])
    >>> round(result.hr, 2), round(result.ci_low, 2), round(result.ci_high, 2), round(result.i2, 2)
    (0.83, 0.53, 1.3, 0.81)
    """
    if method not in METHODS:
        raise InputError(f"method must be 'fixed' or 'random', got {method!r}")
    studies = list(studies)
    if len(studies) < 2:
        raise InputError(nothing_to_pool([s.name for s in studies]))
    effects = np.array([s.log_hr for s in studies])
    variances = np.array([s.se ** 2 for s in studies])
    # A negative tau squared (handled below) makes statsmodels take square roots of negative
    # variances, in the fit and in the summary's Hartung-Knapp rows, which this module does not use.
    with np.errstate(divide="ignore", invalid="ignore"):
        result = combine_effects(effects, variances, method_re="dl", use_t=False, alpha=0.05)
        frame = result.summary_frame()
    tau2, i2 = float(result.tau2), float(result.i2)
    if tau2 <= 0:
        # statsmodels 0.15 does not truncate DerSimonian-Laird's estimate at 0 when Q falls below its
        # degrees of freedom (tau squared comes out negative and the random-effects row NaN). By the
        # method's definition tau squared is then 0 and the random-effects result is the fixed-effect one.
        tau2, i2 = 0.0, 0.0
        method_row = "fixed effect"
    else:
        method_row = "fixed effect" if method == "fixed" else "random effect"
    row = frame.loc[method_row]
    return Pooled(method=method, hr=math.exp(row["eff"]), ci_low=math.exp(row["ci_low"]),
                  # Q is a sum of squares; identical trials give it -3e-14 by rounding, not a negative Q.
                  ci_high=math.exp(row["ci_upp"]), q=max(0.0, float(result.q)), i2=max(0.0, i2),
                  tau2=tau2, studies=tuple(s.name for s in studies))


def nothing_to_pool(chosen) -> str:
    """Why a selection of fewer than two trials gives no pooled result, in words for the reader.

    Examples
    --------
    >>> nothing_to_pool([])
    'Nothing to pool: no trial is chosen. Pooling needs at least two trials.'
    >>> nothing_to_pool(["Tata Memorial"]).split(". ")[0]
    'Nothing to pool: only Tata Memorial is chosen, and one trial has nothing to be pooled with'
    """
    chosen = list(chosen)
    if not chosen:
        why = "no trial is chosen"
    else:
        why = f"only {chosen[0]} is chosen, and one trial has nothing to be pooled with"
    return f"Nothing to pool: {why}. Pooling needs at least two trials."


def overall_survival_reports(effects: pd.DataFrame) -> pd.DataFrame:
    """Each trial's primary report of overall survival in its whole population, one row per trial.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table (indexed by ``effect_id``).

    Returns
    -------
    pandas.DataFrame
        The rows of ``effects`` whose outcome is overall survival, measure HR, analysis
        ``primary`` and report ``primary``, in the order of the file; unplanned subgroups,
        updates and conference reports are left out.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> list(overall_survival_reports(evidence.load().effects).index)
    ['tata-os', 'mf07-01-2018-os', 'jcog1017-os', 'e2108-os', 'abcsg-28-os']
    """
    chosen = ((effects["outcome"] == "overall_survival") & (effects["measure"] == "HR")
              & (effects["analysis"] == "primary") & (effects["report"] == "primary"))
    return effects[chosen]


def trial_studies(effects: pd.DataFrame, reading: str, names: dict | None = None) -> dict[str, Study]:
    """Each trial's primary overall-survival HR as a :class:`Study` of surgery against no surgery.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.
    reading : {"st-lrt", "lrt-st"}
        How to read a hazard ratio whose paper does not name its reference arm (:data:`READINGS`).
    names : dict, optional
        A name for each trial id (its study's ``name``); the trial id by default.

    Returns
    -------
    dict
        Studies by trial id, in the order of :func:`overall_survival_reports`.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> studies = trial_studies(evidence.load().effects, "st-lrt")
    >>> round(studies["abcsg-28"].hr, 3), studies["abcsg-28"].orientation
    (1.447, 'read as st against lrt, inverted')
    """
    if reading not in READINGS:
        raise InputError(f"the reading of an unstated orientation must be one of {', '.join(READINGS)}, "
                         f"got {reading!r}")
    names = names or {}
    studies = {}
    for _, row in overall_survival_reports(effects).iterrows():
        trial = row["trial_id"]
        studies[trial] = oriented(names.get(trial, trial), row["estimate"], row["ci_low"], row["ci_high"],
                                  row["ci_level"], row["treatment_arm"], row["reference_arm"], READINGS[reading])
    return studies


def subset_key(chosen, trials) -> str:
    """A selection of ``trials`` as a string of 0s and 1s in the trials' order (the page's lookup key).

    >>> subset_key(["b"], ["a", "b", "c"])
    '010'
    """
    chosen = set(chosen)
    return "".join("1" if trial in chosen else "0" for trial in trials)


def every_subset(studies_by_reading: dict[str, dict[str, Study]]) -> pd.DataFrame:
    """The pooled result of every selection of trials, by method and reading, for the web book.

    The web book cannot compute; it looks the reader's ticks up in this table.

    Parameters
    ----------
    studies_by_reading : dict
        For each reading of :data:`READINGS`, the studies of :func:`trial_studies`, by trial id
        (the same trials in the same order for every reading).

    Returns
    -------
    pandas.DataFrame
        One row per subset, method and reading: ``key`` (:func:`subset_key`), ``method``,
        ``reading``, ``k`` (trials chosen) and, where two or more are chosen, ``hr``,
        ``ci_low``, ``ci_high``, ``q``, ``i2`` and ``tau2``; else ``message``
        (:func:`nothing_to_pool`).

    Examples
    --------
    >>> from mbcbook import evidence
    >>> effects = evidence.load().effects
    >>> grid = every_subset({r: trial_studies(effects, r) for r in READINGS})
    >>> len(grid), int(grid["hr"].isna().sum())
    (128, 24)
    """
    readings = list(studies_by_reading)
    trials = list(studies_by_reading[readings[0]])
    rows = []
    for reading in readings:
        studies = studies_by_reading[reading]
        for picks in itertools.product((False, True), repeat=len(trials)):
            chosen = [trial for trial, picked in zip(trials, picks, strict=True) if picked]
            for method in METHODS:
                row = {"key": subset_key(chosen, trials), "method": method, "reading": reading, "k": len(chosen)}
                if len(chosen) < 2:
                    row["message"] = nothing_to_pool([studies[t].name for t in chosen])
                else:
                    result = pool([studies[t] for t in chosen], method)
                    row.update(hr=result.hr, ci_low=result.ci_low, ci_high=result.ci_high, q=result.q,
                               i2=result.i2, tau2=result.tau2)
                rows.append(row)
    return pd.DataFrame(rows, columns=["key", "method", "reading", "k", "hr", "ci_low", "ci_high", "q", "i2",
                                       "tau2", "message"])
