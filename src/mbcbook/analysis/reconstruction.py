"""Each trial's overall-survival curves rebuilt from its published summaries, and checked against them.

A row of ``data/reconstructions.csv`` names a trial, the report whose arm medians and landmarks
(``data/arms.csv``) fix each arm's curve, the published hazard ratio to check against
(``data/effects.csv``), and the trial's arm sizes, accrual and follow-up, each marked
``published`` or ``assumed``. :func:`reconstruct` turns that row into pseudo-patients:

1. each arm gets a parametric curve through its published figures (:func:`~mbcbook.analysis.survival.arm_model`:
   Weibull through a median and a landmark, exponential from a median alone);
2. each arm is drawn as :data:`COPIES` stratified copies of its patients, weighing 1/:data:`COPIES`
   each (:func:`~mbcbook.analysis.survival.simulate_arm`), entering evenly over the accrual period
   and censored at the analysis;
3. Kaplan-Meier curves, numbers at risk and a Cox hazard ratio come from lifelines.

:func:`self_consistency` then sets the reconstruction beside what was published: each arm's
median and landmark survival, and each trial's hazard ratio at the trial's own confidence level.
The curves are reconstructions from summaries, not the trials' data, and every chart of them
says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from lifelines.utils import median_survival_times

from ..errors import InputError
from ..evidence.loader import Evidence
from . import survival
from .survival import ArmModel, HazardRatio

#: Pseudo-patients per patient: enough that the curve follows the model (medians within about 2%),
#: few enough that a trial rebuilds in well under a second.
COPIES = 40
#: Arms in the order the book shows them: locoregional treatment, then systemic therapy alone.
ARMS = ("lrt", "st")
#: How far a reconstructed median may sit from the published one and still count as consistent.
MEDIAN_TOLERANCE = 0.05
#: How far (in survival, absolute) a reconstructed landmark may sit from the published one: two percentage points.
LANDMARK_TOLERANCE = 0.02
#: Spacing of the tidy curves handed to charts, in months (the curves are step functions read on this grid).
GRID_MONTHS = 1.0
#: Width of the follow-up bins the Cox model groups pseudo-patients into (a quarter of a month, about a week):
#: the hazard ratio moves in its fourth decimal, and the fit takes half the time.
COX_BIN_MONTHS = 0.25
#: Times at which the numbers at risk are counted, every this many months.
AT_RISK_EVERY = 12


@dataclass(frozen=True)
class Arm:
    """One arm of a reconstruction: its published figures and the curve fitted through them."""

    arm: str
    label: str
    n: int
    median_months: float | None
    landmarks: tuple[tuple[float, float], ...]
    model: ArmModel


@dataclass(frozen=True)
class Settings:
    """Size, accrual and follow-up of a reconstructed trial, with where each came from."""

    n: dict
    accrual_months: float
    follow_up_months: float
    follow_up_kind: str
    basis: dict


@dataclass(frozen=True)
class Reconstruction:
    """A trial rebuilt from its published summaries: arms, pseudo-patients and the published HR.

    ``patients`` is a weighted patient table (see :func:`mbcbook.analysis.survival.simulate_arm`)
    with arms ``lrt`` and ``st``. ``published`` is the row of ``data/effects.csv`` it is checked
    against.
    """

    reconstruction_id: str
    trial_name: str
    arms: dict
    settings: Settings
    patients: pd.DataFrame
    published: pd.Series

    @property
    def model_label(self) -> str:
        """The models in words, for the chart's title: "Weibull, both arms" or "Weibull (lrt), exponential (st)"."""
        names = {"weibull": "Weibull", "exponential": "exponential"}
        models = [names[self.arms[arm].model.model] for arm in ARMS]
        if models[0] == models[1]:
            return f"{models[0]}, both arms"
        return ", ".join(f"{model} ({arm})" for model, arm in zip(models, ARMS, strict=True))

    @cached_property
    def kaplan_meier(self) -> pd.DataFrame:
        """Each arm's Kaplan-Meier curve at every event time, with 95% limits (fitted once, then kept)."""
        return survival.kaplan_meier(self.patients, 0.95)

    @cached_property
    def medians(self) -> dict:
        """Each arm's Kaplan-Meier median in months (infinite when the curve stays above one half)."""
        table = self.kaplan_meier
        return {arm: float(median_survival_times(
            table.loc[table["arm"] == arm].set_index("time_months")[["survival"]]))
            for arm in ARMS}

    def curves(self, grid_months: float = GRID_MONTHS) -> pd.DataFrame:
        """Each arm's Kaplan-Meier curve read every ``grid_months``: tidy, ready for a chart.

        Columns ``arm``, ``label``, ``time_months``, ``survival``, ``ci_low``, ``ci_high`` (95%);
        from 0 to the last time anyone is followed.
        """
        end = float(self.patients["time_months"].max())
        last = math.floor(end / grid_months) * grid_months  # the curve is not drawn beyond anyone's follow-up
        grid = np.round(np.arange(0.0, last + grid_months / 2, grid_months), 6)
        pieces = []
        for arm in ARMS:
            picked = self.read(arm, grid)
            pieces.append(pd.DataFrame({
                "arm": arm, "label": self.arms[arm].label, "time_months": grid,
                "survival": picked["survival"].to_numpy(), "ci_low": picked["ci_low"].to_numpy(),
                "ci_high": picked["ci_high"].to_numpy(),
            }))
        return pd.concat(pieces, ignore_index=True)

    def read(self, arm: str, times) -> pd.DataFrame:
        """The Kaplan-Meier rows of ``arm`` in force at each of ``times`` (months from 0): survival and its limits.

        A Kaplan-Meier curve is a step function: its value at t is the one set at the last event
        time at or before t, which is what lifelines' ``predict`` returns too.
        """
        rows = self.kaplan_meier[self.kaplan_meier["arm"] == arm]
        at = np.searchsorted(rows["time_months"].to_numpy(), np.asarray(times, dtype=float), side="right") - 1
        return rows.iloc[at]

    def at_risk(self, every: float = AT_RISK_EVERY) -> pd.DataFrame:
        """Numbers at risk every ``every`` months, as printed under a Kaplan-Meier plot."""
        end = float(self.patients["time_months"].max())
        return survival.number_at_risk(self.patients, list(np.arange(0.0, end, every)))

    def hazard_ratio(self, treatment_arm: str = "lrt", reference_arm: str = "st", ci_level=None) -> HazardRatio:
        """Cox hazard ratio (lifelines) at the published confidence level unless another is given.

        The Cox model is fitted to the pseudo-patients grouped by arm, outcome and
        :data:`COX_BIN_MONTHS` of follow-up, their weights summed: the same patients as
        far as the model can tell (ties are handled by Efron's method), in a table several
        times shorter, so that the live explorer answers at once.
        """
        level = float(self.published["ci_level"]) if ci_level is None else ci_level
        return survival.hazard_ratio(grouped(self.patients), treatment_arm, reference_arm, level)


def grouped(patients: pd.DataFrame, bin_months: float = None) -> pd.DataFrame:
    """Pseudo-patients grouped by arm, event and follow-up rounded up to ``bin_months``, weights summed.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"time_months": [0.01, 0.02, 0.3, 0.3], "event": [1, 1, 0, 1], "arm": "a",
    ...                       "weight": 0.5})
    >>> grouped(table, 0.1).to_dict("list")
    {'arm': ['a', 'a', 'a'], 'event': [0, 1, 1], 'time_months': [0.3, 0.1, 0.3], 'weight': [0.5, 1.0, 0.5]}
    """
    step = COX_BIN_MONTHS if bin_months is None else bin_months
    table = patients.assign(time_months=np.round(np.ceil(patients["time_months"] / step - 1e-9) * step, 6))
    if "weight" not in table.columns:
        table["weight"] = 1.0
    return table.groupby(["arm", "event", "time_months"], as_index=False, sort=True)["weight"].sum()[
        ["arm", "event", "time_months", "weight"]]


def _arm_rows(ev: Evidence, row: pd.Series, reconstruction_id: str) -> dict:
    arms = ev.arms[(ev.arms["trial_id"] == row["trial_id"]) & (ev.arms["report"] == row["arms_report"])]
    found = {arm: arms[arms["arm"] == arm] for arm in ARMS}
    for arm, rows in found.items():
        if len(rows) != 1:
            raise InputError(f"reconstruction {reconstruction_id!r}: data/arms.csv needs exactly one {arm} arm of "
                             f"trial {row['trial_id']!r} in report {row['arms_report']!r}, found {len(rows)}")
    return {arm: rows.iloc[0] for arm, rows in found.items()}


def published_arm(row: pd.Series, n: int, model: str = "auto") -> Arm:
    """An :class:`Arm` from a row of ``data/arms.csv``: its median and landmark, and the curve through them."""
    median = None if survival.is_missing(row["median_os_months"]) else float(row["median_os_months"])
    landmarks = ()
    if not survival.is_missing(row["landmark_months"]):
        landmarks = ((float(row["landmark_months"]), float(row["landmark_os"])),)
    return Arm(arm=row["arm"], label=row["label"], n=n, median_months=median, landmarks=landmarks,
               model=survival.arm_model(median, list(landmarks), model=model))


def settings_of(row: pd.Series) -> Settings:
    """The :class:`Settings` of a row of ``data/reconstructions.csv``."""
    return Settings(
        n={"lrt": int(row["n_lrt"]), "st": int(row["n_st"])},
        accrual_months=float(row["accrual_months"]),
        follow_up_months=float(row["follow_up_months"]),
        follow_up_kind=row["follow_up_kind"],
        basis={"n": row["n_basis"], "accrual": row["accrual_basis"], "follow_up": row["follow_up_basis"]},
    )


def simulate_trial(arms: dict, settings: Settings, *, seed=survival.DEFAULT_SEED, copies=COPIES) -> pd.DataFrame:
    """Weighted pseudo-patients of both arms (``lrt`` then ``st``) under ``settings``.

    Examples
    --------
    >>> from mbcbook.analysis.survival import arm_model
    >>> arms = {"lrt": Arm("lrt", "surgery", 100, 30.0, (), arm_model(30)),
    ...         "st": Arm("st", "none", 100, 20.0, (), arm_model(20))}
    >>> plan = Settings({"lrt": 100, "st": 100}, 24, 60, "median", {})
    >>> patients = simulate_trial(arms, plan, copies=10)
    >>> len(patients), sorted(patients["arm"].unique()), round(float(patients["weight"].sum()))
    (2000, ['lrt', 'st'], 200)
    """
    pieces = []
    for arm in ARMS:
        try:
            pieces.append(survival.simulate_arm(
                arms[arm].model, settings.n[arm], accrual_months=settings.accrual_months,
                follow_up_months=settings.follow_up_months, follow_up=settings.follow_up_kind,
                arm=arm, seed=seed, draws="stratified", copies=copies))
        except InputError as error:
            raise InputError(f"{arms[arm].label}: {error}") from None
    return pd.concat(pieces, ignore_index=True)


def reconstruct(ev: Evidence, reconstruction_id: str, *, model: str = "auto", seed=survival.DEFAULT_SEED,
                copies=COPIES) -> Reconstruction:
    """Rebuild one trial from ``data/`` (a row of ``reconstructions.csv``).

    Parameters
    ----------
    ev : Evidence
        The loaded tables (:func:`mbcbook.evidence.load`).
    reconstruction_id : str
        A ``reconstruction_id`` of ``data/reconstructions.csv``.
    model : {"auto", "exponential", "weibull"}
        The curve family for both arms (see :func:`mbcbook.analysis.survival.arm_model`).
    seed, copies
        Passed to :func:`mbcbook.analysis.survival.simulate_arm`.

    Returns
    -------
    Reconstruction

    Examples
    --------
    >>> from mbcbook.evidence import load
    >>> tata = reconstruct(load(), "tata")
    >>> tata.trial_name, tata.arms["lrt"].model.model, tata.settings.basis["n"]
    ('Tata Memorial', 'weibull', 'assumed')
    >>> round(tata.medians["lrt"], 1)  # published: 19.2
    19.0
    """
    table = ev.reconstructions
    if reconstruction_id not in table.index:
        raise InputError(f"no reconstruction called {reconstruction_id!r}; data/reconstructions.csv has "
                         f"{', '.join(table.index)}")
    row = table.loc[reconstruction_id]
    settings = settings_of(row)
    arms = {arm: published_arm(arm_row, settings.n[arm], model)
            for arm, arm_row in _arm_rows(ev, row, reconstruction_id).items()}
    return Reconstruction(
        reconstruction_id=reconstruction_id,
        trial_name=ev.trials.loc[row["trial_id"], "name"],
        arms=arms,
        settings=settings,
        patients=simulate_trial(arms, settings, seed=seed, copies=copies),
        published=ev.effects.loc[row["effect_id"]],
    )


def rebuild(base: Reconstruction, figures: dict, settings: Settings, *, model: str = "auto",
            seed=survival.DEFAULT_SEED, copies=COPIES) -> Reconstruction:
    """``base`` rebuilt from other figures or settings: the live explorer's "what if".

    Parameters
    ----------
    base : Reconstruction
        The trial being changed; its name, arm labels and published HR are kept.
    figures : dict
        For each arm (``"lrt"``, ``"st"``), a dict with ``median_months`` (None when not
        given) and ``landmarks`` (a sequence of (months, survival) pairs).
    settings : Settings
        Arm sizes, accrual and follow-up.
    model, seed, copies
        As for :func:`reconstruct`.

    Returns
    -------
    Reconstruction

    Raises
    ------
    mbcbook.errors.InputError
        With the arm's name in front of what is wrong with its figures ("Locoregional
        treatment: median survival must be above 0 months, got -3"), or what is wrong with a
        setting.

    Examples
    --------
    >>> from mbcbook.evidence import load
    >>> tata = reconstruct(load(), "tata")
    >>> longer = rebuild(tata, {"lrt": {"median_months": 30, "landmarks": []},
    ...                         "st": {"median_months": 20.5, "landmarks": []}}, tata.settings)
    >>> round(longer.hazard_ratio().hr, 1)
    0.7
    """
    arms = {}
    for arm in ARMS:
        given = figures[arm]
        try:
            curve = survival.arm_model(given.get("median_months"), list(given.get("landmarks", ())), model=model)
        except InputError as error:
            raise InputError(f"{base.arms[arm].label}: {error}") from None
        arms[arm] = Arm(arm=arm, label=base.arms[arm].label, n=settings.n[arm],
                        median_months=given.get("median_months"),
                        landmarks=tuple(tuple(pair) for pair in given.get("landmarks", ())), model=curve)
    return Reconstruction(base.reconstruction_id, base.trial_name, arms, settings,
                          simulate_trial(arms, settings, seed=seed, copies=copies), base.published)


def reconstruct_all(ev: Evidence, **options) -> dict:
    """Every reconstruction of ``data/reconstructions.csv``, by id, in the file's order."""
    return {rid: reconstruct(ev, rid, **options) for rid in ev.reconstructions.index}


def orientations(published: pd.Series) -> list[tuple[str, str]]:
    """The (treatment, reference) readings of a published HR: its own, or both when the paper does not say."""
    if published["treatment_arm"] in ARMS and published["reference_arm"] in ARMS:
        return [(published["treatment_arm"], published["reference_arm"])]
    return [("lrt", "st"), ("st", "lrt")]


def within(difference: float, tolerance: float) -> bool:
    """Whether a difference counts as consistent: at most ``tolerance`` either way, the limit included.

    >>> within(0.05, 0.05), within(-0.0501, 0.05)
    (True, False)
    """
    return bool(abs(difference) <= tolerance)


def inside(value: float, low: float, high: float) -> bool:
    """Whether ``value`` lies in the interval from ``low`` to ``high``, both limits included.

    >>> inside(0.69, 0.69, 1.07), inside(1.0701, 0.69, 1.07)
    (True, False)
    """
    return bool(low <= value <= high)


def arm_checks(reconstructions: dict) -> pd.DataFrame:
    """Each arm's published median and landmark survival beside the reconstruction's.

    Columns: ``reconstruction_id``, ``trial``, ``arm``, ``label``, ``figure`` (``median`` or
    ``landmark``), ``time_months`` (the landmark's time; for a median, the published median),
    ``published``, ``reconstructed``, ``difference`` (relative for medians, absolute for
    landmarks), ``consistent`` (a median within :data:`MEDIAN_TOLERANCE` of the published one, a
    landmark within :data:`LANDMARK_TOLERANCE`), and ``model``.
    """
    rows = []
    for rid, rec in reconstructions.items():
        medians = rec.medians
        for arm in ARMS:
            spec = rec.arms[arm]
            common = {"reconstruction_id": rid, "trial": rec.trial_name, "arm": arm, "label": spec.label,
                      "model": spec.model.label}
            if spec.median_months is not None:
                got = float(medians[arm])
                difference = got / spec.median_months - 1
                rows.append({**common, "figure": "median", "time_months": spec.median_months,
                             "published": spec.median_months, "reconstructed": got, "difference": difference,
                             "consistent": within(difference, MEDIAN_TOLERANCE)})
            for months, value in spec.landmarks:
                got = float(rec.read(arm, [months])["survival"].iloc[0])
                rows.append({**common, "figure": "landmark", "time_months": months, "published": value,
                             "reconstructed": got, "difference": got - value,
                             "consistent": within(got - value, LANDMARK_TOLERANCE)})
    return pd.DataFrame(rows)


def hazard_ratio_checks(reconstructions: dict) -> pd.DataFrame:
    """Each trial's published hazard ratio beside the reconstruction's, read in each possible orientation.

    Columns: ``reconstruction_id``, ``trial``, ``effect_id``, ``published_hr``, ``ci_low``,
    ``ci_high``, ``ci_level``, ``orientation_stated`` (whether the paper names its reference
    arm), ``treatment_arm``, ``reference_arm``, ``reconstructed_hr``, its interval
    (``reconstructed_low``, ``reconstructed_high``, at the published level) and ``inside``
    (the reconstructed HR lies within the published interval).
    """
    rows = []
    for rid, rec in reconstructions.items():
        pub = rec.published
        readings = orientations(pub)
        for treatment, reference in readings:
            hr = rec.hazard_ratio(treatment, reference)
            rows.append({
                "reconstruction_id": rid, "trial": rec.trial_name, "effect_id": pub.name,
                "published_hr": float(pub["estimate"]), "ci_low": float(pub["ci_low"]),
                "ci_high": float(pub["ci_high"]), "ci_level": float(pub["ci_level"]),
                "orientation_stated": len(readings) == 1, "treatment_arm": treatment, "reference_arm": reference,
                "reconstructed_hr": hr.hr, "reconstructed_low": hr.ci_low, "reconstructed_high": hr.ci_high,
                "inside": inside(hr.hr, float(pub["ci_low"]), float(pub["ci_high"])),
            })
    return pd.DataFrame(rows)


def expected_deaths(rec: Reconstruction) -> float:
    """Deaths among the pseudo-patients, counted in patients (weights summed)."""
    patients = rec.patients
    return float(patients.loc[patients["event"] == 1, "weight"].sum())
