"""Survival curves from what the trials published: parametric arms, pseudo-patients, Kaplan-Meier and Cox.

Individual patient data from the trials are not public; their medians, landmark survival,
numbers randomised, accrual and follow-up are (``data/arms.csv``, ``data/trials.csv``). This
module turns those summaries into curves in four steps, each a plain function:

1. :func:`arm_model` fits a parametric survival curve to an arm's published figures: an
   exponential curve when one figure is known, a Weibull curve when two figures (a median and a
   landmark, or two landmarks) pin it down. The result, an :class:`ArmModel`, says which model
   the arm got and why.
2. :func:`simulate_arm` draws pseudo-patients from that curve, with uniform accrual and
   administrative censoring at the analysis, seeded so that every run gives the same patients.
3. :func:`kaplan_meier`, :func:`number_at_risk`, :func:`median_survival` and :func:`survival_at`
   summarise any patient table (simulated, or reconstructed from a digitised figure by
   :mod:`mbcbook.analysis.guyot`) with lifelines' ``KaplanMeierFitter``.
4. :func:`hazard_ratio` compares two arms with lifelines' ``CoxPHFitter``, at the confidence
   level the trial published (0.90 or 0.95), and says which way round it compares them.

:func:`median_with_ci`, :func:`logrank` and :func:`cox_summary` (a Cox model with several
covariates) are the tools the survival primer teaches on real patients (:mod:`mbcbook.analysis.gbsg2`).

A patient table has one row per patient and the columns ``time_months`` (months from
randomisation to death or censoring), ``event`` (1 for a death observed, 0 for censored) and
``arm``. Kaplan-Meier and Cox estimates always come from lifelines; nothing here re-implements them.
"""

from __future__ import annotations

import math
import numbers
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, ExponentialFitter, KaplanMeierFitter, WeibullFitter
from lifelines.exceptions import StatisticalWarning

from ..errors import InputError

#: Seed of the pseudo-patient draws unless another is given: every run of the book draws the same patients.
DEFAULT_SEED = 20120201
#: Fewest patients an arm may have: one patient makes no curve to compare.
MIN_PATIENTS = 2
#: Most patients an arm may have in a simulation (ten times the largest trial in the book, with room to spare).
MAX_PATIENTS = 100_000
#: Longest time accepted anywhere, in months (100 years).
MAX_MONTHS = 1200.0
#: Shortest time accepted where a time must be above 0 (a median, a landmark, a follow-up), in months (about 7 hours).
MIN_MONTHS = 0.01
#: Confidence levels the trials publish (see data/README.md).
CI_LEVELS = (0.90, 0.95)
#: Columns of a patient table.
PATIENT_COLUMNS = ("time_months", "event", "arm")
#: Weibull shapes accepted: survival curves of trials lie well inside (the book's arms: 0.9 to 1.5).
SHAPE_RANGE = (0.1, 10.0)
MODELS = ("auto", "exponential", "weibull")
DRAWS = ("random", "stratified")
#: Most pseudo-patients per patient (see :func:`simulate_arm`): beyond this the curve no longer gets smoother.
MAX_COPIES = 200
FOLLOW_UP_KINDS = ("median", "minimum")


def _show(value) -> str:
    """A value as a message shows it: numbers in short form (19.2, -3, nan), anything else by its repr."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):g}"
    return repr(value)


def is_missing(value) -> bool:
    """True for None, pandas' NA and NaN: a figure that was not published (an empty cell)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


def _months(value, name: str, *, zero_allowed: bool = False) -> float:
    """A time in months, checked: a finite number above 0 (or from 0) and at most :data:`MAX_MONTHS`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(f"{name} must be a number of months, got {_show(value)}")
    if zero_allowed and value < 0:
        raise InputError(f"{name} must be 0 months or more, got {_show(value)}")
    if not zero_allowed and value <= 0:
        raise InputError(f"{name} must be above 0 months, got {_show(value)}")
    if not zero_allowed and value < MIN_MONTHS:
        raise InputError(f"{name} must be at least {MIN_MONTHS:g} months, got {_show(value)}")
    if value > MAX_MONTHS:
        raise InputError(f"{name} must be at most {MAX_MONTHS:,.0f} months (100 years), got {_show(value)}")
    # + 0.0 turns -0.0 (which passes "0 or more") into 0.0: numpy refuses uniform(0, -0.0).
    return float(value) + 0.0


def _survival(value, name: str) -> float:
    """A survival proportion, checked: a number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise InputError(f"{name} must be a proportion strictly between 0 and 1 (0.42 for 42%), "
                         f"got {_show(value)}")
    return float(value)


def _count(value, name: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (a float without a fraction is accepted, as a widget may send one)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            math.isfinite(value) and float(value).is_integer()):
        raise InputError(f"{name} must be a whole number, got {_show(value)}")
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low:,} and {high:,}, got {int(value):,}")
    return int(value)


def _ci_level(value) -> float:
    if isinstance(value, bool) or value not in CI_LEVELS:
        raise InputError(f"the confidence level must be 0.90 or 0.95 (as the trials publish), got {_show(value)}")
    return float(value)


# ---------------------------------------------------------------- parametric arms


@dataclass(frozen=True)
class ArmModel:
    """A parametric survival curve for one arm, with the reason it was chosen.

    Attributes
    ----------
    model : str
        ``"exponential"`` or ``"weibull"``.
    params : dict
        For ``"exponential"``: ``rate`` (deaths per patient-month), so that
        S(t) = exp(-rate t). For ``"weibull"``: ``scale`` (months) and ``shape``, so that
        S(t) = exp(-(t / scale) ** shape): lifelines' ``WeibullFitter`` parametrisation, its
        ``lambda_`` and ``rho_``. (lifelines' ``ExponentialFitter.lambda_`` is 1 / rate.)
    reason : str
        Why the arm got this model and from which figures, in words for the reader.

    Examples
    --------
    >>> arm = ArmModel("exponential", {"rate": 0.05}, "example")
    >>> round(arm.median(), 2), round(float(arm.survival(12)), 3), arm.label
    (13.86, 0.549, 'exponential, median 13.9 months')
    """

    model: str
    params: dict
    reason: str

    def survival(self, months):
        """Survival at ``months`` (a number or an array of numbers, in months) under the model."""
        t = np.asarray(months, dtype=float)
        if self.model == "exponential":
            return np.exp(-self.params["rate"] * t)
        return np.exp(-((t / self.params["scale"]) ** self.params["shape"]))

    def median(self) -> float:
        """The median survival of the model, in months."""
        if self.model == "exponential":
            return math.log(2) / self.params["rate"]
        return self.params["scale"] * math.log(2) ** (1 / self.params["shape"])

    @property
    def label(self) -> str:
        """A short name of the curve for a chart's caption ("Weibull, shape 1.02, median 19.2 months")."""
        if self.model == "exponential":
            return f"exponential, median {self.median():.1f} months"
        return f"Weibull, shape {self.params['shape']:.2f}, median {self.median():.1f} months"


def _landmarks(landmarks) -> list[tuple[float, float]]:
    """The landmarks as (months, survival) pairs, checked; pairs empty on both sides are left out."""
    if isinstance(landmarks, (str, bytes)) or not isinstance(landmarks, Sequence):
        raise InputError(f"landmarks must be a list of (months, survival) pairs, got {landmarks!r}")
    pairs = []
    for number, pair in enumerate(landmarks, start=1):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise InputError(f"landmark {number} must be a (months, survival) pair such as (24, 0.42), got {pair!r}")
        months, survival = pair
        if is_missing(months) and is_missing(survival):
            continue  # an empty landmark in data/arms.csv: not published
        pairs.append((_months(months, f"the time of landmark {number}"),
                      _survival(survival, f"survival at landmark {number}")))
    return pairs


def _check_order(figures: list[tuple[float, float, str]]) -> None:
    """Two figures must describe a falling curve: the later one has the lower survival."""
    (t1, p1, name1), (t2, p2, name2) = sorted(figures, key=lambda figure: figure[0])
    if t1 == t2:
        raise InputError(f"{name1} and {name2} are both at {t1:g} months but give different survival "
                         f"({p1:g} and {p2:g}); a curve has one survival at a time")
    if p2 < p1:
        return
    if name1 == "the median":
        raise InputError(f"survival of {p2:g} at {t2:g} months is inconsistent with a median of {t1:g} months: "
                         f"after the median, survival must be below 0.5")
    if name2 == "the median":
        raise InputError(f"survival of {p1:g} at {t1:g} months is inconsistent with a median of {t2:g} months: "
                         f"before the median, survival must be above 0.5")
    raise InputError(f"survival cannot stay level or rise from {p1:g} at {t1:g} months to {p2:g} at "
                     f"{t2:g} months: a survival curve falls as time passes")


def _weibull_through(figures: list[tuple[float, float, str]]) -> dict:
    """Shape and scale of the Weibull curve through two (months, survival) points, solved exactly.

    On the Weibull curve, log(-log S(t)) = shape log t - shape log scale: a straight line in
    log t through both points.
    """
    (t1, p1, _), (t2, p2, _) = sorted(figures, key=lambda figure: figure[0])
    span = math.log(t2) - math.log(t1)
    if span == 0:
        raise InputError(f"the figures at {t1:g} and {t2:g} months are too close together to pin down a "
                         f"Weibull curve; use an exponential model")
    shape = (math.log(-math.log(p2)) - math.log(-math.log(p1))) / span
    low, high = SHAPE_RANGE
    if not low <= shape <= high:
        raise InputError(f"these figures need a Weibull curve of shape {shape:.3g}, outside {low:g}-{high:g}: "
                         f"a curve that {'steep' if shape > high else 'flat'} is not plausible for survival; "
                         f"check the figures or use an exponential model")
    return {"scale": t1 / (-math.log(p1)) ** (1 / shape), "shape": shape}


def _describe(figure: tuple[float, float, str]) -> str:
    months, survival, name = figure
    return f"a median of {months:g} months" if name == "the median" else f"survival {survival:g} at {months:g} months"


def arm_model(median_months=None, landmarks: Sequence = (), *, model: str = "auto") -> ArmModel:
    """A parametric survival curve through an arm's published median and landmark survival.

    Closed forms, not a fit to data (lifelines' fitters need patients): the curve passes exactly
    through the figures it uses.

    - one figure, or ``model="exponential"``: an exponential curve, rate = ln 2 / median, or
      rate = -ln(S) / t from a landmark S at t months. With two figures it uses the median (or
      the earlier landmark when there is no median), and its reason says what the curve predicts
      at the figure it leaves out;
    - two figures (``model="auto"`` or ``"weibull"``): the Weibull curve through both,
      S(t) = exp(-(t / scale) ** shape), with shape and scale solved exactly. A Weibull curve has
      two parameters, so more than two figures are refused.

    Parameters
    ----------
    median_months : float, optional
        Published median survival in months; None or NaN when not published.
    landmarks : sequence of (float, float)
        Published landmark survival as (months, survival) pairs, survival a proportion
        (0.419 for 41.9%). Pairs with both values missing are left out.
    model : {"auto", "exponential", "weibull"}
        ``"auto"`` takes a Weibull curve when two figures are given, else an exponential one.

    Returns
    -------
    ArmModel
        The model, its parameters and the reason for the choice.

    Raises
    ------
    mbcbook.errors.InputError
        When a figure is out of range (a median of 0 or below, survival outside (0, 1)), when
        the figures contradict each other (survival below 0.5 before the median), or when the
        chosen model cannot use them.

    Examples
    --------
    Tata's locoregional arm: median 19.2 months, 41.9% alive at 2 years.

    >>> arm = arm_model(19.2, [(24, 0.419)])
    >>> arm.model, round(arm.params["shape"], 3), round(arm.median(), 6), round(float(arm.survival(24)), 6)
    ('weibull', 1.018, 19.2, 0.419)
    >>> round(arm_model(19.2).params["rate"], 5)
    0.0361
    >>> arm_model(-3)
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: median survival must be above 0 months, got -3
    """
    if model not in MODELS:
        raise InputError(f"model must be one of {', '.join(MODELS)}; got {model!r}")
    figures = [(t, p, f"landmark {i}") for i, (t, p) in enumerate(_landmarks(landmarks), start=1)]
    if not is_missing(median_months):
        figures.insert(0, (_months(median_months, "median survival"), 0.5, "the median"))
    # the same figure given twice (a landmark of 0.5 at the median) counts once
    figures = [figure for i, figure in enumerate(figures) if figure[:2] not in [f[:2] for f in figures[:i]]]
    if not figures:
        raise InputError("give a median survival, a landmark survival, or both")
    if len(figures) > 2:
        raise InputError(f"a Weibull curve has two parameters: give at most two figures (a median and one "
                         f"landmark, or two landmarks), got {len(figures)}")
    if len(figures) == 2:
        _check_order(figures)
    if model == "weibull" and len(figures) < 2:
        raise InputError(f"a Weibull curve needs two figures (a median and a landmark, or two landmarks); "
                         f"only {_describe(figures[0])} is given")
    if model == "weibull" or (model == "auto" and len(figures) == 2):
        params = _weibull_through(figures)
        return ArmModel("weibull", params, f"Weibull: two published figures, {_describe(figures[0])} and "
                                           f"{_describe(figures[1])}, fix its shape and scale exactly")
    used = figures[0]
    months, survival, _ = used
    rate = -math.log(survival) / months
    reason = f"exponential: one figure, {_describe(used)}, fixes its rate"
    if len(figures) == 2:
        left_out = figures[1]
        predicted = math.exp(-rate * left_out[0])
        reason = (f"exponential (chosen): {_describe(used)} fixes its rate; {_describe(left_out)} is not used "
                  f"(the curve predicts {predicted:.3f} there)")
    return ArmModel("exponential", {"rate": rate}, reason)


def fit_arm_model(patients: pd.DataFrame, model: str = "weibull") -> ArmModel:
    """A parametric curve fitted by maximum likelihood to a patient table, with lifelines.

    ``"weibull"`` uses lifelines' ``WeibullFitter``, ``"exponential"`` its ``ExponentialFitter``.
    The table must hold one arm, with at least one death.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``) of one arm.
    model : {"weibull", "exponential"}
        The family to fit.

    Returns
    -------
    ArmModel
        The fitted curve, its reason naming the fitter and the numbers of patients and deaths.

    Examples
    --------
    >>> patients = simulate_arm(arm_model(20), 2000, accrual_months=24, follow_up_months=60)
    >>> fitted = fit_arm_model(patients, "exponential")
    >>> fitted.model, 19 < fitted.median() < 21
    ('exponential', True)
    """
    if model not in ("weibull", "exponential"):
        raise InputError(f"model must be weibull or exponential, got {model!r}")
    table = _patients(patients)
    arms = table["arm"].unique()
    if len(arms) != 1:
        raise InputError(f"fit one arm at a time; the table holds {len(arms)} arms: {', '.join(arms)}")
    deaths = int(table["event"].sum())  # pseudo-patient rows, not weighted: any row with a death allows a fit
    if deaths == 0:
        raise InputError("the table has no deaths: a curve cannot be fitted without any")
    durations = table["time_months"].clip(lower=1e-9)  # lifelines' parametric fitters refuse a time of 0
    reason = (f"fitted by maximum likelihood (lifelines {{}}) to {_whole(table['weight'].sum())} patients, "
              f"{_whole(table['weight'][table['event'] == 1].sum())} deaths")
    if model == "weibull":
        fitter = WeibullFitter().fit(durations, table["event"], weights=table["weight"])
        return ArmModel("weibull", {"scale": float(fitter.lambda_), "shape": float(fitter.rho_)},
                        reason.format("WeibullFitter"))
    fitter = ExponentialFitter().fit(durations, table["event"], weights=table["weight"])
    return ArmModel("exponential", {"rate": 1 / float(fitter.lambda_)}, reason.format("ExponentialFitter"))


# ---------------------------------------------------------------- pseudo-patients


def _arm_name(arm) -> str:
    if not isinstance(arm, str) or not arm.strip():
        raise InputError(f"the arm needs a name (text), got {arm!r}")
    return arm


def simulate_arm(model: ArmModel, n, *, accrual_months, follow_up_months, follow_up: str = "median",
                 arm: str = "arm", seed=DEFAULT_SEED, draws: str = "random", copies=1) -> pd.DataFrame:
    """Pseudo-patients for one arm: survival times drawn from ``model``, censored at the analysis.

    Patients enter at times spread uniformly over the accrual period; the analysis takes place
    at a fixed calendar time, and a patient alive then is censored (administrative censoring;
    nobody is lost to follow-up). When the analysis takes place:

    - ``follow_up="median"`` (the default; trials report a median follow-up):
      ``follow_up_months`` is the median follow-up. Under uniform accrual the potential
      follow-up of the patients runs evenly from the minimum follow-up F to F + accrual, so its
      median is F + accrual / 2: the analysis is at accrual / 2 + ``follow_up_months`` after the
      first patient entered. The median must exceed half the accrual period.
    - ``follow_up="minimum"``: ``follow_up_months`` is the follow-up of the last patient to
      enter; the analysis is at accrual + ``follow_up_months``.

    Draws are made with numpy's default generator seeded by ``seed`` and the arm's name, so the
    same call gives the same patients, and two arms with the same seed are independent draws.

    One random draw of a trial-sized arm wanders around its curve: with 45 patients the
    Kaplan-Meier median can miss the model's by 20%. A reconstruction that should show the
    published curve, not one chance sample of it, uses two remedies:

    - ``draws="stratified"``: the k-th of N patients draws its survival quantile and its entry
      time from the k-th of N equal slices of (0, 1), in independent random orders, so the
      draws cover the curve and the accrual period evenly;
    - ``copies=c``: the arm is drawn as c x n pseudo-patients, each with ``weight`` 1/c. The
      curve follows the model c times more closely, while the numbers at risk and the widths of
      confidence intervals (lifelines reads the weights as counts) stay those of n patients.

    Parameters
    ----------
    model : ArmModel
        The arm's survival curve (:func:`arm_model`).
    n : int
        Number of patients, from :data:`MIN_PATIENTS` to :data:`MAX_PATIENTS`.
    accrual_months : float
        Length of the accrual period, 0 (all enter at once) to 1,200 months.
    follow_up_months : float
        Median or minimum follow-up in months (see above): a median above 0, a minimum from 0
        (the analysis on the day accrual closes).
    follow_up : {"median", "minimum"}
        What ``follow_up_months`` is.
    arm : str
        The arm's name, written in the ``arm`` column.
    seed : int
        A whole number from 0; :data:`DEFAULT_SEED` unless given.
    draws : {"random", "stratified"}
        Independent uniform draws, or stratified ones (see above).
    copies : int
        Pseudo-patients drawn per patient, 1 to :data:`MAX_COPIES`; with more than 1 the table
        gains a ``weight`` column of 1 / ``copies``.

    Returns
    -------
    pandas.DataFrame
        One row per patient: ``time_months`` (from entry to death or censoring), ``event``
        (1 death, 0 censored) and ``arm``; and ``weight`` when ``copies`` is above 1.

    Examples
    --------
    MF07-01's 10-year update: median 46 months, 19% alive at 10 years; about 6 years of accrual,
    median follow-up 40 months in the 2018 report.

    >>> arm = arm_model(46, [(120, 0.19)])
    >>> patients = simulate_arm(arm, 138, accrual_months=72, follow_up_months=40, arm="lrt")
    >>> list(patients.columns), len(patients), float(patients["time_months"].max()) <= 72 / 2 + 40
    (['time_months', 'event', 'arm'], 138, True)
    >>> patients.equals(simulate_arm(arm, 138, accrual_months=72, follow_up_months=40, arm="lrt"))
    True

    Stratified draws of 20 copies, with ten years' follow-up for everyone, land on the model's
    median:

    >>> smooth = simulate_arm(arm, 138, accrual_months=72, follow_up_months=120, follow_up="minimum",
    ...                       arm="lrt", draws="stratified", copies=20)
    >>> len(smooth), round(float(smooth["weight"].sum()), 6), round(float(median_survival(smooth).iloc[0]), 1)
    (2760, 138.0, 46.0)
    """
    if not isinstance(model, ArmModel):
        raise InputError(f"model must be an ArmModel (from arm_model), got {model!r}")
    count = _count(n, "the number of patients in an arm", MIN_PATIENTS, MAX_PATIENTS)
    accrual = _months(accrual_months, "the accrual period", zero_allowed=True)
    if follow_up not in FOLLOW_UP_KINDS:
        raise InputError(f"follow_up must be 'median' or 'minimum', got {follow_up!r}")
    # A minimum follow-up of 0 is an analysis on the day accrual closes; a median follow-up is always above 0.
    follow = _months(follow_up_months, "the follow-up", zero_allowed=follow_up == "minimum")
    if accrual + follow == 0:
        raise InputError("with no accrual period the follow-up must be above 0 months: "
                         "otherwise the analysis takes place before anyone is followed")
    if follow_up == "median" and follow <= accrual / 2:
        raise InputError(f"a median follow-up of {follow:g} months is too short for {accrual:g} months of "
                         f"accrual: with uniform accrual it must be above half the accrual period "
                         f"({accrual / 2:g} months)")
    analysis = accrual + follow if follow_up == "minimum" else accrual / 2 + follow
    name = _arm_name(arm)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise InputError(f"the seed must be a whole number from 0, got {_show(seed)}")
    if draws not in DRAWS:
        raise InputError(f"draws must be 'random' or 'stratified', got {draws!r}")
    per_patient = _count(copies, "copies (pseudo-patients per patient)", 1, MAX_COPIES)
    rng = np.random.default_rng([int(seed), zlib.crc32(name.encode())])
    total = count * per_patient
    if draws == "random":
        entry = rng.uniform(0.0, accrual, total)
        unit = rng.standard_exponential(total)  # -log U: each model turns it into a survival time
    else:
        entry = accrual * _stratified(rng, total)
        unit = -np.log1p(-_stratified(rng, total))
    with np.errstate(over="ignore", divide="ignore"):
        if model.model == "exponential":
            death = unit / model.params["rate"]
        else:
            death = model.params["scale"] * unit ** (1 / model.params["shape"])
    censor = analysis - entry
    patients = pd.DataFrame({"time_months": np.minimum(death, censor),
                             "event": (death <= censor).astype(int),
                             "arm": name})
    if per_patient > 1:
        patients["weight"] = 1 / per_patient
    return patients


def _stratified(rng: np.random.Generator, total: int) -> np.ndarray:
    """One uniform draw from each of ``total`` equal slices of (0, 1), in a random order."""
    return (rng.permutation(total) + rng.uniform(size=total)) / total


# ---------------------------------------------------------------- Kaplan-Meier and Cox on lifelines


def _patients(patients) -> pd.DataFrame:
    """A patient table, checked: columns time_months (0 or more), event (0 or 1), arm and an optional weight.

    At least one row. The checked table always has a ``weight`` column (1 where none was given).
    """
    if not isinstance(patients, pd.DataFrame):
        raise InputError(f"the patients must be a table (a pandas DataFrame) with columns "
                         f"{', '.join(PATIENT_COLUMNS)}, got {type(patients).__name__}")
    missing = [column for column in PATIENT_COLUMNS if column not in patients.columns]
    if missing:
        raise InputError(f"the patient table lacks the column(s) {', '.join(missing)}; "
                         f"it needs {', '.join(PATIENT_COLUMNS)}")
    if patients.empty:
        raise InputError("the patient table has no rows")
    times = pd.to_numeric(patients["time_months"], errors="coerce").astype(float).to_numpy()
    bad = ~(np.isfinite(times) & (times >= 0) & (times <= MAX_MONTHS))
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(f"time_months must be a number of months from 0 to {MAX_MONTHS:,.0f}; "
                         f"patient {row + 1} has {_show(patients['time_months'].iloc[row])}")
    events = patients["event"].to_numpy()
    bad = ~np.isin(events, (0, 1))
    if bad.any():
        row = int(np.argmax(bad))
        raise InputError(f"event must be 1 (death observed) or 0 (censored); "
                         f"patient {row + 1} has {_show(events[row])}")
    weights = np.ones(len(times))
    if "weight" in patients.columns:
        weights = pd.to_numeric(patients["weight"], errors="coerce").astype(float).to_numpy()
        bad = ~(np.isfinite(weights) & (weights > 0))
        if bad.any():
            row = int(np.argmax(bad))
            raise InputError(f"weight must be a number above 0 (how many patients the row stands for: 1/copies "
                             f"for a pseudo-patient); patient {row + 1} has {_show(patients['weight'].iloc[row])}")
    return pd.DataFrame({"time_months": times, "event": events.astype(int),
                         "arm": patients["arm"].astype(str).to_numpy(), "weight": weights})


def _arms(table: pd.DataFrame):
    """Each arm's rows, in the order the arms first appear."""
    for name in table["arm"].unique():
        yield name, table[table["arm"] == name]


def _km(rows: pd.DataFrame, ci_level: float = 0.95) -> KaplanMeierFitter:
    with warnings.catch_warnings():
        # Weights of 1/copies are counts of pseudo-patients, not propensity scores: lifelines'
        # warning about non-integer weights does not apply.
        warnings.simplefilter("ignore", StatisticalWarning)
        return KaplanMeierFitter(alpha=1 - ci_level).fit(rows["time_months"], rows["event"],
                                                         weights=rows["weight"])


def kaplan_meier(patients: pd.DataFrame, ci_level=0.95) -> pd.DataFrame:
    """Each arm's Kaplan-Meier curve (lifelines' ``KaplanMeierFitter``) as a tidy table.

    One row per arm and time at which something happens (0, each death, each censoring):
    survival just after that time, its pointwise confidence interval (lifelines' default, the
    exponential Greenwood interval), and the number at risk just before that time.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``).
    ci_level : {0.95, 0.90}
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_months``, ``survival``, ``ci_low``, ``ci_high``, ``at_risk``, ``arm``;
        arms in the order they first appear in ``patients``.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"time_months": [2, 4, 4, 6, 9], "event": [1, 1, 0, 1, 0], "arm": "a"})
    >>> print(kaplan_meier(patients)[["time_months", "survival", "at_risk", "arm"]].to_string(index=False))
     time_months  survival  at_risk arm
             0.0       1.0        5   a
             2.0       0.8        5   a
             4.0       0.6        4   a
             6.0       0.3        2   a
             9.0       0.3        1   a
    """
    level = _ci_level(ci_level)
    pieces = []
    for name, rows in _arms(_patients(patients)):
        fitter = _km(rows, level)
        curve = fitter.survival_function_.iloc[:, 0]
        bounds = fitter.confidence_interval_survival_function_.reindex(curve.index)
        pieces.append(pd.DataFrame({
            "time_months": curve.index.to_numpy(dtype=float),
            "survival": curve.to_numpy(),
            "ci_low": bounds.iloc[:, 0].to_numpy(),
            "ci_high": bounds.iloc[:, 1].to_numpy(),
            "at_risk": _whole(fitter.event_table["at_risk"].reindex(curve.index).to_numpy()),
            "arm": name,
        }))
    return pd.concat(pieces, ignore_index=True)


def _times(times, name: str = "times") -> list[float]:
    if isinstance(times, (str, bytes)) or not isinstance(times, (Sequence, np.ndarray, pd.Series)):
        raise InputError(f"{name} must be a list of times in months, got {times!r}")
    return [_months(t, f"each of the {name}", zero_allowed=True) for t in times]


def number_at_risk(patients: pd.DataFrame, times) -> pd.DataFrame:
    """How many patients of each arm are at risk at each of ``times``, as printed under a Kaplan-Meier plot.

    At risk at t: still followed and event-free just before t (``time_months >= t``), the
    convention of lifelines' event table and of Guyot's reconstruction
    (:mod:`mbcbook.analysis.guyot`).

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table.
    times : sequence of float
        Times in months, from 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``arm``, ``time_months``, ``n_at_risk``; for each arm, one row per time in the
        order given.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"time_months": [2, 4, 4, 6, 9], "event": [1, 1, 0, 1, 0], "arm": "a"})
    >>> number_at_risk(patients, [0, 4, 6, 12])["n_at_risk"].tolist()
    [5, 4, 2, 0]
    """
    def at_risk(rows: pd.DataFrame, points: list[float]) -> np.ndarray:
        durations, weights = rows["time_months"].to_numpy(), rows["weight"].to_numpy()
        return _whole([weights[durations >= t].sum() for t in points])

    return _each_arm_at(patients, times, "n_at_risk", at_risk)


def median_survival(patients: pd.DataFrame) -> pd.Series:
    """Each arm's Kaplan-Meier median survival in months (lifelines); infinite where not reached.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table.

    Returns
    -------
    pandas.Series
        Medians, indexed by arm, named ``median_months``.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"time_months": [2, 4, 4, 6, 9, 1], "event": [1, 1, 0, 1, 0, 0],
    ...                          "arm": ["a"] * 5 + ["b"]})
    >>> median_survival(patients).to_dict()
    {'a': 6.0, 'b': inf}
    """
    medians = {name: float(_km(rows).median_survival_time_) for name, rows in _arms(_patients(patients))}
    return pd.Series(medians, name="median_months", dtype=float).rename_axis("arm")


def survival_at(patients: pd.DataFrame, times) -> pd.DataFrame:
    """Each arm's Kaplan-Meier survival (lifelines) at each of ``times``: landmark survival.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``, optionally ``weight``).
    times : sequence of float
        The landmarks, in months from randomisation (0 or more).

    Returns
    -------
    pandas.DataFrame
        Columns ``arm``, ``time_months``, ``survival``.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"time_months": [2, 4, 4, 6, 9], "event": [1, 1, 0, 1, 0], "arm": "a"})
    >>> survival_at(patients, [1, 3, 24])["survival"].round(2).tolist()
    [1.0, 0.8, 0.3]
    """
    return _each_arm_at(patients, times, "survival",
                        lambda rows, points: np.asarray(_km(rows).predict(points), dtype=float))


def _each_arm_at(patients: pd.DataFrame, times, column: str, values_at) -> pd.DataFrame:
    """A tidy table of ``values_at(rows, times)`` for each arm's rows: columns arm, time_months, ``column``."""
    points = _times(times)
    pieces = [pd.DataFrame({"arm": name, "time_months": points, column: values_at(rows, points)})
              for name, rows in _arms(_patients(patients))]
    return pd.concat(pieces, ignore_index=True)


def _whole(counts) -> np.ndarray:
    """Numbers at risk as whole patients: sums of pseudo-patients' weights (1/copies each), rounded."""
    return np.rint(np.asarray(counts, dtype=float)).astype(int)


def median_with_ci(patients: pd.DataFrame, ci_level=0.95) -> pd.DataFrame:
    """Each arm's Kaplan-Meier median survival and its confidence interval, in months (lifelines).

    The interval is read where the pointwise band of the curve crosses 0.5
    (``lifelines.utils.median_survival_times`` on the fitter's ``confidence_interval_``, the
    method of Brookmeyer and Crowley). A limit the band never reaches is infinite: "not reached".

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table (``time_months``, ``event``, ``arm``).
    ci_level : {0.95, 0.90}
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        Indexed by arm (in the order the arms first appear): ``median_months``, ``ci_low``,
        ``ci_high``, ``ci_level``, ``n`` (patients) and ``events``.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"time_months": [2, 4, 4, 6, 9, 12, 15, 20], "event": [1, 1, 0, 1, 0, 1, 1, 0],
    ...                          "arm": "a"})
    >>> row = median_with_ci(patients).loc["a"]
    >>> float(row["median_months"]), int(row["events"]), float(row["ci_high"])
    (12.0, 5, inf)
    """
    from lifelines.utils import median_survival_times

    level = _ci_level(ci_level)
    rows = {}
    for name, arm_rows in _arms(_patients(patients)):
        fitter = _km(arm_rows, level)
        bounds = median_survival_times(fitter.confidence_interval_)
        rows[name] = {"median_months": float(fitter.median_survival_time_),
                      "ci_low": float(bounds.iloc[0, 0]), "ci_high": float(bounds.iloc[0, 1]),
                      "ci_level": level, "n": int(round(arm_rows["weight"].sum())),
                      "events": int(round(arm_rows.loc[arm_rows["event"] == 1, "weight"].sum()))}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("arm")


@dataclass(frozen=True)
class LogRank:
    """A log-rank test of two arms (lifelines' ``logrank_test``): a chi-square on 1 degree of freedom.

    ``p_value`` is two-sided: it asks whether the curves differ, in either direction.
    """

    statistic: float
    p_value: float
    treatment_arm: str
    reference_arm: str


def logrank(patients: pd.DataFrame, treatment_arm: str, reference_arm: str) -> LogRank:
    """The log-rank test of ``treatment_arm`` against ``reference_arm`` (lifelines' ``logrank_test``).

    At each time of an event, the events seen in each arm are compared with those expected if both
    arms shared one hazard; the test adds the differences over time. It has no direction (the
    chi-square is the same both ways round) and no estimate of size: a hazard ratio gives that.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table holding both arms.
    treatment_arm, reference_arm : str
        The two arms compared.

    Returns
    -------
    LogRank
        The chi-square statistic and its two-sided p-value.

    Examples
    --------
    >>> import pandas as pd
    >>> patients = pd.DataFrame({"time_months": [1, 2, 3, 4, 5, 6, 7, 8], "event": 1,
    ...                          "arm": ["a"] * 4 + ["b"] * 4})
    >>> result = logrank(patients, "a", "b")
    >>> round(result.statistic, 2), round(result.p_value, 4)
    (7.34, 0.0067)
    """
    from lifelines.statistics import logrank_test

    table = _patients(patients)
    _check_two_arms(table, treatment_arm, reference_arm)
    a, b = (table[table["arm"] == name] for name in (treatment_arm, reference_arm))
    result = logrank_test(a["time_months"], b["time_months"], a["event"], b["event"],
                          weights_A=a["weight"], weights_B=b["weight"])
    return LogRank(statistic=float(result.test_statistic), p_value=float(result.p_value),
                   treatment_arm=treatment_arm, reference_arm=reference_arm)


def _check_two_arms(table: pd.DataFrame, treatment_arm: str, reference_arm: str) -> None:
    present = list(table["arm"].unique())
    for role, name in (("treatment_arm", treatment_arm), ("reference_arm", reference_arm)):
        if name not in present:
            raise InputError(f"{role} {name!r} is not an arm of the table; its arms are {', '.join(present)}")
    if treatment_arm == reference_arm:
        raise InputError(f"treatment_arm and reference_arm are both {treatment_arm!r}: compare two different arms")


def cox_summary(table: pd.DataFrame, covariates: Sequence[str], ci_level=0.95) -> pd.DataFrame:
    """A Cox model (lifelines' ``CoxPHFitter``) of ``time_months`` and ``event`` on ``covariates``.

    Each hazard ratio is exp(coefficient): the hazard multiplies by it for one unit more of the
    covariate (a year of age, a node; for a 0/1 covariate, the group coded 1 against the group
    coded 0), the other covariates held fixed. Efron's method for ties and a Wald interval at
    ``ci_level``, lifelines' defaults (R's ``coxph`` gives the same).

    Parameters
    ----------
    table : pandas.DataFrame
        ``time_months`` (from 0), ``event`` (0 or 1) and each covariate, numeric with no gaps.
    covariates : sequence of str
        The columns to put in the model, at least one.
    ci_level : {0.95, 0.90}
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per covariate, in the order given: ``hr``, ``ci_low``, ``ci_high``, ``ci_level``,
        ``p_value`` (two-sided Wald test) and ``coef`` (the log hazard ratio).

    Examples
    --------
    >>> a = simulate_arm(arm_model(30), 300, accrual_months=24, follow_up_months=48, arm="surgery")
    >>> b = simulate_arm(arm_model(20), 300, accrual_months=24, follow_up_months=48, arm="none")
    >>> both = pd.concat([a, b], ignore_index=True)
    >>> both["surgery"] = (both["arm"] == "surgery").astype(int)
    >>> row = cox_summary(both, ["surgery"], ci_level=0.90).loc["surgery"]
    >>> bool(row["ci_low"] < row["hr"] < row["ci_high"] < 1), float(row["ci_level"])
    (True, 0.9)
    """
    level = _ci_level(ci_level)
    if isinstance(covariates, str) or not isinstance(covariates, Sequence) or not covariates:
        raise InputError(f"covariates must be a list of column names, at least one, got {covariates!r}")
    missing = [name for name in ("time_months", "event", *covariates) if name not in table.columns]
    if missing:
        raise InputError(f"the table lacks the column(s) {', '.join(missing)}")
    checked = _patients(table.assign(arm="all")[["time_months", "event", "arm"]])
    data = pd.DataFrame({"time_months": checked["time_months"].to_numpy(), "event": checked["event"].to_numpy()})
    for name in covariates:
        values = pd.to_numeric(table[name], errors="coerce")
        if values.isna().any():
            raise InputError(f"covariate {name!r} must be numeric with no gaps (code a group as 0 or 1); "
                             f"row {int(np.argmax(values.isna().to_numpy())) + 1} is not")
        data[name] = values.astype(float).to_numpy()
    if data["event"].sum() == 0:
        raise InputError("the table has no events: a Cox model needs at least one")
    fitter = CoxPHFitter(alpha=1 - level).fit(data, "time_months", "event")
    bounds = np.exp(fitter.confidence_intervals_.loc[list(covariates)].to_numpy())
    return pd.DataFrame({"hr": np.exp(fitter.params_.loc[list(covariates)].to_numpy()),
                         "ci_low": bounds[:, 0], "ci_high": bounds[:, 1], "ci_level": level,
                         "p_value": fitter.summary.loc[list(covariates), "p"].to_numpy(),
                         "coef": fitter.params_.loc[list(covariates)].to_numpy()},
                        index=pd.Index(list(covariates), name="covariate"))


@dataclass(frozen=True)
class HazardRatio:
    """A hazard ratio from a Cox model, and which way round it compares the arms.

    ``hr`` is the hazard in ``treatment_arm`` divided by the hazard in ``reference_arm``: below
    1 favours ``treatment_arm``. ``ci_low`` and ``ci_high`` bound it at ``ci_level``.
    """

    hr: float
    ci_low: float
    ci_high: float
    ci_level: float
    p_value: float
    treatment_arm: str
    reference_arm: str

    @property
    def orientation(self) -> str:
        """The comparison in words."""
        return (f"hazard in {self.treatment_arm} relative to {self.reference_arm} "
                f"(below 1 favours {self.treatment_arm})")


def hazard_ratio(patients: pd.DataFrame, treatment_arm: str, reference_arm: str, ci_level=0.95) -> HazardRatio:
    """The hazard ratio of ``treatment_arm`` against ``reference_arm``, from lifelines' ``CoxPHFitter``.

    A Cox model with one covariate, 1 in ``treatment_arm`` and 0 in ``reference_arm`` (Efron's
    method for ties, lifelines' default); the interval is the Wald interval at ``ci_level``.
    Rows of other arms are left out.

    Parameters
    ----------
    patients : pandas.DataFrame
        A patient table holding both arms, each with at least one death.
    treatment_arm, reference_arm : str
        The arms compared: the ratio is treatment over reference.
    ci_level : {0.95, 0.90}
        Confidence level, as the trial published it (E2108 and JCOG1017 give 90% intervals).

    Returns
    -------
    HazardRatio
        The ratio, its interval and p-value, and the orientation.

    Examples
    --------
    >>> a = simulate_arm(arm_model(30), 400, accrual_months=24, follow_up_months=48, arm="surgery")
    >>> b = simulate_arm(arm_model(20), 400, accrual_months=24, follow_up_months=48, arm="none")
    >>> result = hazard_ratio(pd.concat([a, b]), "surgery", "none", ci_level=0.90)
    >>> result.ci_low < result.hr < result.ci_high, result.orientation
    (True, 'hazard in surgery relative to none (below 1 favours surgery)')
    """
    level = _ci_level(ci_level)
    table = _patients(patients)
    present = list(table["arm"].unique())
    for role, name in (("treatment_arm", treatment_arm), ("reference_arm", reference_arm)):
        if name not in present:
            raise InputError(f"{role} {name!r} is not an arm of the table; its arms are {', '.join(present)}")
    if treatment_arm == reference_arm:
        raise InputError(f"treatment_arm and reference_arm are both {treatment_arm!r}: compare two different arms")
    rows = table[table["arm"].isin([treatment_arm, reference_arm])]
    for name in (treatment_arm, reference_arm):
        if rows.loc[rows["arm"] == name, "event"].sum() == 0:
            raise InputError(f"arm {name!r} has no deaths: a Cox model cannot estimate a hazard ratio "
                             f"unless both arms have at least one")
    data = pd.DataFrame({"time_months": rows["time_months"], "event": rows["event"],
                         "treatment": (rows["arm"] == treatment_arm).astype(int), "weight": rows["weight"]})
    with warnings.catch_warnings():
        # Weights count pseudo-patients (see simulate_arm), so the model-based variance is the
        # right one and lifelines' advice to use a robust variance for non-integer weights does not apply.
        warnings.simplefilter("ignore", StatisticalWarning)
        fitter = CoxPHFitter(alpha=1 - level).fit(data, "time_months", "event", weights_col="weight")
    low, high = np.exp(fitter.confidence_intervals_.loc["treatment"].to_numpy())
    return HazardRatio(hr=float(np.exp(fitter.params_["treatment"])), ci_low=float(low), ci_high=float(high),
                       ci_level=level, p_value=float(fitter.summary.loc["treatment", "p"]),
                       treatment_arm=treatment_arm, reference_arm=reference_arm)
