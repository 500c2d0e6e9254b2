"""The selection-bias lab: a surgery that does nothing looks protective when the fitter patients get it.

A simulated cohort of patients with de novo stage IV breast cancer in which surgery of the
primary tumour has **no effect** on survival (the true hazard ratio is exactly 1), but in which
the patients chosen for surgery are the fitter ones. Four analyses of the same patients,
side by side, show what each can and cannot undo (chapter 4 of the book):

1. **naive**: a Cox model with surgery alone, and the Kaplan-Meier curves of operated and
   not operated patients: the picture of a registry study such as SEER;
2. **adjusted**: a Cox model with surgery and the measured prognostic factors;
3. **propensity**: inverse probability of treatment weighting, the propensity score from the
   measured factors only (statsmodels' logistic regression), stabilised weights, a weighted
   Cox model with a robust (sandwich) interval;
4. **randomised**: the same patients, their survival unchanged, but surgery given by a fair
   coin: what a trial would see.

Each estimate is lifelines' ``CoxPHFitter``: the hazard of operated patients over that of the
others (below 1 "favours" surgery), with its 95% Wald interval.

The data-generating model
-------------------------
Illustrative, **not fitted to any study**: its numbers are round values of a plausible size,
chosen so that the effects are clear at the lab's cohort size.

*Measured prognostic factors*, drawn independently: ECOG performance status 0, 1 or 2 (40%,
45%, 15%), a large primary tumour (T3-T4, 40%), metastases in two or more organ sites (45%),
and oestrogen-receptor positive disease (70%). *The hidden factor*: a standard normal score of
disease burden or frailty that the records do not hold (visceral crisis, organ function, the
patient's wishes), independent of the measured factors.

*Survival*: proportional hazards on a Weibull baseline (shape 1.2: a hazard rising slowly).
Hazard ratios: 1.6 per ECOG level, 1.3 for a large tumour, 1.6 for two or more sites, 0.6 for
ER-positive disease, and 2 ** ``hidden`` per standard deviation of the hidden score. Each factor
enters centred on its population mean; the baseline scale of 40 months then gives the average
patient a median of about 30 months (so does the cohort's Kaplan-Meier curve).
Surgery does not enter: its true hazard ratio is 1.

*Follow-up*: patients enter uniformly over 12 months and the analysis is 72 months after the
first entered, so each is followed 5 to 6 years unless dead (administrative censoring; nobody
is lost). About four in five die before the analysis. Times are recorded in whole months, as a
registry records them, rounded up (a death in the first month is at 1 month); the ties this
makes are handled by Efron's method, and they make each Cox fit several times faster.

*Who is operated*: a logistic model, log odds of surgery =
logit(0.45) - 3 ``selection`` x (measured log hazard) - ``hidden`` x (hidden score), with the
measured log hazard centred. At ``selection=0`` the measured factors play no part; at
``selection=1`` an ECOG 1 patient has a quarter of the odds of an ECOG 0 patient (exp(-3 x
ln 1.6) = 0.24). At ``hidden=1`` each standard deviation of the hidden score divides the odds
by e (2.7) and doubles the hazard. 45-50% of patients are operated at every setting.

*Randomised*: each patient's coin (probability 1/2) is drawn with the cohort, so the
randomised analysis shares the survival of the observational ones.

Cohort size: 2,000 patients by default, about 1,600 deaths. The standard error of a log hazard
ratio is then about 0.05 (a 95% interval of about 0.9-1.1 around 1), small next to the biases
the lab shows (a naive hazard ratio near 0.65 at full selection), so a reader sees the bias and
not the noise. A registry is often larger; a larger cohort narrows the interval around the
same wrong answer.

Every patient's random numbers are drawn from numpy's default generator seeded by ``seed``, a
row of uniforms per patient: the same seed gives the same patients, and a larger cohort with
the same seed keeps the first patients and adds others.

>>> result = lab(selection=1, hidden=0)
>>> print(result.estimates[["method", "hr", "ci_low", "ci_high"]].round(2).to_string(index=False))
    method   hr  ci_low  ci_high
     naive 0.66    0.60     0.73
  adjusted 1.04    0.93     1.17
propensity 1.00    0.88     1.13
randomised 0.98    0.89     1.08
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from scipy.special import ndtri
from statsmodels.discrete.discrete_model import Logit

from ..errors import InputError

#: Seed of the cohort unless another is given: every run of the book draws the same patients.
DEFAULT_SEED = 20240404
#: Patients in the cohort unless another number is given (see the module's docstring).
DEFAULT_PATIENTS = 2_000
#: Fewest and most patients: below 200 the adjusted and weighted models rest on too few patients
#: per covariate pattern (ECOG 2 with every other bad factor holds 1 in 120); at 20,000 a
#: single setting takes over a second, as slow as a live tool may be.
PATIENT_RANGE = (200, 20_000)
#: The analyses, in the order the lab shows them, and their labels.
METHODS = ("naive", "adjusted", "propensity", "randomised")
LABELS = {
    "naive": "Naive: surgery alone, as an unadjusted registry study",
    "adjusted": "Cox model adjusted for ECOG, tumour size, metastatic sites and ER status",
    "propensity": "Propensity score weighting on the same factors (stabilised weights)",
    "randomised": "Randomised: the same patients, surgery by the toss of a coin",
}
#: The measured prognostic factors, as columns of :func:`cohort`.
MEASURED = ("ecog", "large_tumour", "multiple_sites", "er_positive")
#: Columns of :func:`cohort`.
COHORT_COLUMNS = ("time_months", "event", "surgery", "coin", *MEASURED, "hidden_factor")
#: Columns of the estimates table of :class:`Lab` (a :class:`Grid`'s adds ``selection`` and ``hidden`` first).
ESTIMATE_COLUMNS = ("method", "label", "hr", "ci_low", "ci_high", "n", "operated", "operated_share")
#: Columns of the Kaplan-Meier table of :class:`Lab` (a :class:`Grid`'s adds ``selection`` and ``hidden`` first).
CURVE_COLUMNS = ("time_months", "survival", "group")
#: The groups of the Kaplan-Meier curves, and the value of ``surgery`` in each.
GROUPS = (("operated", 1), ("not operated", 0))
#: A grid's selection and hidden-confounding strengths unless others are given: 5 x 4 settings.
GRID_SELECTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
GRID_HIDDENS = (0.0, 1 / 3, 2 / 3, 1.0)
#: Most values along each axis of a grid (steps of 0.1); 11 x 11 settings take 20-25 seconds.
MAX_GRID_VALUES = 11
#: The months at which a grid samples each Kaplan-Meier curve: every 3 months to 5 years, the
#: follow-up every patient completes; to 3 decimals, finer than a chart can show.
GRID_MONTHS = tuple(range(0, 61, 3))
GRID_DECIMALS = 3

# The data-generating model (see the module's docstring).
ECOG_SHARES = (0.40, 0.45, 0.15)
SHARES = {"large_tumour": 0.40, "multiple_sites": 0.45, "er_positive": 0.70}
HAZARD_RATIOS = {"ecog": 1.6, "large_tumour": 1.3, "multiple_sites": 1.6, "er_positive": 0.6}
HIDDEN_HAZARD_RATIO = 2.0  # per standard deviation of the hidden score, at hidden=1
SELECTION_LOG_ODDS = 3.0  # lost per unit of measured log hazard, at selection=1
SURGERY_SHARE = 0.45
WEIBULL_SHAPE, WEIBULL_SCALE = 1.2, 40.0
ACCRUAL_MONTHS, ANALYSIS_MONTHS = 12.0, 72.0


def _show(value) -> str:
    """A value as a message shows it: numbers in short form (1.5, nan), anything else by its repr."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):g}"
    return repr(value)


def _strength(value, name: str) -> float:
    """A strength from 0 to 1, checked."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise InputError(f"{name} must be a number between 0 and 1, got {_show(value)}")
    if not 0 <= value <= 1:
        raise InputError(f"{name} must be between 0 and 1, got {_show(value)}")
    return float(value)


def _patients(value) -> int:
    """A cohort size, checked: a whole number in :data:`PATIENT_RANGE`.

    A float without a fraction is accepted, as a widget may send one.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            math.isfinite(value) and float(value).is_integer()):
        raise InputError(f"the number of patients must be a whole number, got {_show(value)}")
    low, high = PATIENT_RANGE
    if not low <= value <= high:
        raise InputError(f"the number of patients must be between {low:,} and {high:,}, got {int(value):,}")
    return int(value)


def _seed(value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise InputError(f"the seed must be a whole number from 0, got {_show(value)}")
    return int(value)


# ---------------------------------------------------------------- the cohort


def _draws(patients: int, seed: int) -> np.ndarray:
    """Each patient's uniforms, one row each: row i does not depend on the number of patients."""
    return np.random.default_rng(seed).random((patients, 9))


def _simulate(uniforms: np.ndarray, selection: float, hidden: float) -> pd.DataFrame:
    """The cohort drawn from ``uniforms`` (see :func:`_draws`) at one setting of the controls."""
    u = uniforms.T
    ecog = np.digitize(u[0], (ECOG_SHARES[0], ECOG_SHARES[0] + ECOG_SHARES[1]))  # 0, 1 or 2
    measured = {"ecog": ecog, **{name: (u[i] < share).astype(int)
                                 for i, (name, share) in enumerate(SHARES.items(), start=1)}}
    means = {"ecog": ECOG_SHARES[1] + 2 * ECOG_SHARES[2], **SHARES}
    log_hazard = sum(math.log(HAZARD_RATIOS[name]) * (measured[name] - means[name]) for name in MEASURED)
    frailty = ndtri(u[4])
    unit = -np.log1p(-u[5])  # a standard exponential: the Weibull model turns it into a time of death
    death = WEIBULL_SCALE * (unit * np.exp(-log_hazard - hidden * math.log(HIDDEN_HAZARD_RATIO) * frailty)) ** (
        1 / WEIBULL_SHAPE)
    censor = ANALYSIS_MONTHS - ACCRUAL_MONTHS * u[6]
    # at hidden=1 each standard deviation of the hidden score costs one unit of log odds
    log_odds = (math.log(SURGERY_SHARE / (1 - SURGERY_SHARE)) - selection * SELECTION_LOG_ODDS * log_hazard
                - hidden * frailty)
    return pd.DataFrame({
        "time_months": np.ceil(np.minimum(death, censor)),
        "event": (death <= censor).astype(int),
        "surgery": (u[7] < 1 / (1 + np.exp(-log_odds))).astype(int),
        "coin": (u[8] < 0.5).astype(int),
        **measured,
        "hidden_factor": frailty,
    })


def cohort(selection, hidden, *, patients=DEFAULT_PATIENTS, seed=DEFAULT_SEED) -> pd.DataFrame:
    """The simulated patients at one setting of the controls, one row each.

    Parameters
    ----------
    selection : float
        From 0 (surgery independent of the measured factors) to 1 (strong selection of the
        fitter patients on them).
    hidden : float
        From 0 (no hidden factor) to 1: how strongly the factor the records do not hold drives
        both the choice of surgery and survival.
    patients : int
        Cohort size, 200 to 20,000.
    seed : int
        Seed of the random draws (a whole number from 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``time_months`` (whole months to death or censoring), ``event`` (1 for a death),
        ``surgery`` (1 if operated), ``coin`` (1 if a randomised trial would have operated),
        ``ecog`` (0, 1 or 2), ``large_tumour``, ``multiple_sites``, ``er_positive`` (1 for yes),
        and ``hidden_factor`` (the score the analyses never see).

    Raises
    ------
    mbcbook.errors.InputError
        For a strength outside 0-1 or not a number, a cohort size out of range, or a bad seed.

    Examples
    --------
    >>> patients = cohort(selection=1, hidden=0)
    >>> patients.groupby("surgery")["ecog"].mean().round(2).to_dict()
    {0: 0.98, 1: 0.5}
    """
    selection, hidden = _strength(selection, "selection strength"), _strength(hidden, "hidden confounding strength")
    return _simulate(_draws(_patients(patients), _seed(seed)), selection, hidden)


# ---------------------------------------------------------------- the analyses


def _cox(table: pd.DataFrame, treatment: str, covariates: tuple[str, ...] = (), weights=None) -> tuple:
    """Hazard ratio of ``treatment`` with its 95% interval, from lifelines' ``CoxPHFitter``."""
    data = pd.DataFrame({"time_months": table["time_months"], "event": table["event"],
                         "surgery": table[treatment], **{name: table[name] for name in covariates}})
    if weights is None:
        fitter = CoxPHFitter().fit(data, "time_months", "event")
    else:
        # Weights estimated from the data: the robust (sandwich) variance, as lifelines advises for them.
        data["weight"] = weights
        fitter = CoxPHFitter().fit(data, "time_months", "event", weights_col="weight", robust=True)
    low, high = np.exp(fitter.confidence_intervals_.loc["surgery"].to_numpy())
    return float(np.exp(fitter.params_["surgery"])), float(low), float(high)


def _stabilised_weights(table: pd.DataFrame) -> np.ndarray:
    """Stabilised inverse-probability-of-treatment weights, the propensity from the measured factors.

    Stabilised: the share treated over the propensity for operated patients, the share untreated
    over one minus it for the others, so the weights average about 1 in each group.
    """
    surgery = table["surgery"].to_numpy()
    design = np.column_stack([np.ones(len(table)), table[list(MEASURED)].to_numpy()])
    propensity = Logit(surgery, design).fit(disp=False).predict()  # disp=False: nothing printed under a widget
    share = surgery.mean()
    return np.where(surgery == 1, share / propensity, (1 - share) / (1 - propensity))


def _estimates(table: pd.DataFrame) -> pd.DataFrame:
    """The four analyses of one cohort, one row each (:data:`ESTIMATE_COLUMNS`)."""
    rows = {
        "naive": _cox(table, "surgery"),
        "adjusted": _cox(table, "surgery", MEASURED),
        "propensity": _cox(table, "surgery", weights=_stabilised_weights(table)),
        "randomised": _cox(table, "coin"),
    }
    operated = {method: int(table["coin" if method == "randomised" else "surgery"].sum()) for method in METHODS}
    return pd.DataFrame([(method, LABELS[method], *rows[method], len(table), operated[method],
                          operated[method] / len(table)) for method in METHODS], columns=list(ESTIMATE_COLUMNS))


def _curves(table: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier curves (lifelines) of operated and not operated patients (:data:`CURVE_COLUMNS`)."""
    pieces = []
    for group, operated in GROUPS:
        rows = table[table["surgery"] == operated]
        curve = KaplanMeierFitter().fit(rows["time_months"], rows["event"]).survival_function_.iloc[:, 0]
        pieces.append(pd.DataFrame({"time_months": curve.index.to_numpy(),
                                    "survival": curve.to_numpy(), "group": group}))
    return pd.concat(pieces, ignore_index=True)


def _sampled(curves: pd.DataFrame) -> pd.DataFrame:
    """Each curve's survival at :data:`GRID_MONTHS` (the step's value at each month), to :data:`GRID_DECIMALS`."""
    months = np.array(GRID_MONTHS, dtype=float)
    pieces = []
    for group, _ in GROUPS:
        rows = curves[curves["group"] == group]
        # a Kaplan-Meier curve starts at 0 months, so every month finds a step at or before it
        steps = np.searchsorted(rows["time_months"].to_numpy(), months, side="right") - 1
        pieces.append(pd.DataFrame({"time_months": months,
                                    "survival": rows["survival"].to_numpy()[steps].round(GRID_DECIMALS),
                                    "group": group}))
    return pd.concat(pieces)  # the grid numbers the rows of all settings


@dataclass(frozen=True, eq=False)  # eq=False: DataFrames have no single truth value to compare by
class Lab:
    """The lab at one setting: the four estimates side by side, and the naive Kaplan-Meier curves.

    Attributes
    ----------
    selection, hidden : float
        The setting of the controls.
    patients, seed : int
        The cohort's size and seed.
    operated : int
        How many patients were operated (in the observational cohort).
    estimates : pandas.DataFrame
        One row per method of :data:`METHODS`, columns :data:`ESTIMATE_COLUMNS`: ``hr`` with its
        95% interval ``ci_low``-``ci_high`` (operated over not operated), ``n`` patients, of
        whom ``operated`` (``operated_share``) were operated (for ``randomised``, by the coin).
    curves : pandas.DataFrame
        The Kaplan-Meier curves of the naive picture, columns :data:`CURVE_COLUMNS`: survival
        just after each time in months, ``group`` ``"operated"`` or ``"not operated"``.
    """

    selection: float
    hidden: float
    patients: int
    seed: int
    operated: int
    estimates: pd.DataFrame
    curves: pd.DataFrame


def lab(selection, hidden, *, patients=DEFAULT_PATIENTS, seed=DEFAULT_SEED) -> Lab:
    """The four analyses of the simulated cohort at one setting of the controls.

    Four Cox fits, a logistic regression and two Kaplan-Meier curves: about 0.1-0.15 s for
    2,000 patients on a 2-core machine, more than the book's 50 ms for a live update, so the
    live lab recomputes when a slider is released, not while it moves.

    Parameters
    ----------
    selection : float
        From 0 (surgery independent of the measured factors) to 1 (strong selection of the
        fitter patients on them).
    hidden : float
        From 0 (no hidden factor) to 1: how strongly the factor the records do not hold drives
        both the choice of surgery and survival.
    patients : int
        Cohort size, 200 to 20,000.
    seed : int
        Seed of the random draws (a whole number from 0).

    Returns
    -------
    Lab
        The estimates side by side, the naive Kaplan-Meier curves, how many were operated.

    Raises
    ------
    mbcbook.errors.InputError
        For a strength outside 0-1 or not a number, a cohort size out of range, or a bad seed.

    Examples
    --------
    With a hidden confounder, adjusting for what is measured is not enough; only the coin is fair.

    >>> result = lab(selection=0, hidden=1)
    >>> result.estimates.set_index("method")["hr"].round(2).to_dict()
    {'naive': 0.66, 'adjusted': 0.65, 'propensity': 0.67, 'randomised': 1.01}
    >>> lab(selection=1.5, hidden=0)
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: selection strength must be between 0 and 1, got 1.5
    """
    selection, hidden = _strength(selection, "selection strength"), _strength(hidden, "hidden confounding strength")
    patients, seed = _patients(patients), _seed(seed)
    table = _simulate(_draws(patients, seed), selection, hidden)
    return Lab(selection=selection, hidden=hidden, patients=patients, seed=seed, operated=int(table["surgery"].sum()),
               estimates=_estimates(table), curves=_curves(table))


# ---------------------------------------------------------------- the grid for the web book


@dataclass(frozen=True, eq=False)  # eq=False: DataFrames have no single truth value to compare by
class Grid:
    """The lab at every combination of the controls' values, for a static page's sliders.

    Attributes
    ----------
    selections, hiddens : tuple of float
        The values along each axis, in the order given.
    patients, seed : int
        The cohort's size and seed (the same patients at every setting).
    estimates : pandas.DataFrame
        Columns ``selection``, ``hidden``, then :data:`ESTIMATE_COLUMNS`: four rows per setting.
    curves : pandas.DataFrame
        Columns ``selection``, ``hidden``, then :data:`CURVE_COLUMNS`: each naive Kaplan-Meier
        curve sampled at :data:`GRID_MONTHS`, to :data:`GRID_DECIMALS` decimals, so that the
        page stays small.
    """

    selections: tuple[float, ...]
    hiddens: tuple[float, ...]
    patients: int
    seed: int
    estimates: pd.DataFrame
    curves: pd.DataFrame


def _axis(values, name: str, what: str) -> tuple[float, ...]:
    """The values along one axis of a grid, checked: 1 to :data:`MAX_GRID_VALUES` distinct strengths."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise InputError(f"the {name} must be a list of numbers such as [0, 0.5, 1], got {values!r}")
    if not 1 <= len(values) <= MAX_GRID_VALUES:
        raise InputError(f"the {name} must hold 1 to {MAX_GRID_VALUES} values, got {len(values)}")
    checked = tuple(_strength(value, what) for value in values)
    repeated = [value for i, value in enumerate(checked) if value in checked[:i]]
    if repeated:
        raise InputError(f"the {name} repeat {repeated[0]:g}; give each value once")
    return checked


def grid(selections=GRID_SELECTIONS, hiddens=GRID_HIDDENS, *, patients=DEFAULT_PATIENTS,
         seed=DEFAULT_SEED) -> Grid:
    """The lab at every combination of ``selections`` and ``hiddens``, on the same patients.

    For the static web book, whose sliders pick a precomputed setting. The same patients (the
    same seed) are analysed at every setting, so moving one slider changes who is operated,
    not the cohort. The default 5 x 4 grid takes 3-5 seconds on a 2-core machine.

    Parameters
    ----------
    selections, hiddens : sequence of float
        The selection and hidden-confounding strengths: 1 to 11 distinct values from 0 to 1 each.
    patients : int
        Cohort size, 200 to 20,000.
    seed : int
        Seed of the random draws (a whole number from 0).

    Returns
    -------
    Grid
        The estimates and the sampled naive curves at every setting, hidden by hidden and,
        within each, selection by selection.

    Raises
    ------
    mbcbook.errors.InputError
        For an axis that is not a list of 1 to 11 distinct strengths from 0 to 1, a cohort size
        out of range, or a bad seed.

    Examples
    --------
    >>> small = grid([0, 1], [0])
    >>> small.estimates.query("method == 'naive'")["hr"].round(2).tolist()
    [1.03, 0.66]
    >>> small.curves.groupby(["selection", "group"]).size().unique().tolist()
    [21]
    """
    selections = _axis(selections, "selection strengths of the grid", "selection strength")
    hiddens = _axis(hiddens, "hidden confounding strengths of the grid", "hidden confounding strength")
    patients, seed = _patients(patients), _seed(seed)
    uniforms = _draws(patients, seed)
    estimates, curves = [], []
    for hidden in hiddens:
        for selection in selections:
            table = _simulate(uniforms, selection, hidden)
            setting = {"selection": selection, "hidden": hidden}
            estimates.append(_estimates(table).assign(**setting))
            curves.append(_sampled(_curves(table)).assign(**setting))
    return Grid(selections=selections, hiddens=hiddens, patients=patients, seed=seed,
                estimates=pd.concat(estimates, ignore_index=True)[["selection", "hidden", *ESTIMATE_COLUMNS]],
                curves=pd.concat(curves, ignore_index=True)[["selection", "hidden", *CURVE_COLUMNS]])
