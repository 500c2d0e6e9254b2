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

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm
from statsmodels.stats.meta_analysis import combine_effects

from ..errors import InputError

CI_LEVELS = (0.90, 0.95)
METHODS = ("fixed", "random")


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
        raise InputError(f"pooling needs at least two trials; {len(studies)} chosen")
    effects = np.array([s.log_hr for s in studies])
    variances = np.array([s.se ** 2 for s in studies])
    with np.errstate(divide="ignore", invalid="ignore"):  # a negative tau squared is handled below
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
                  ci_high=math.exp(row["ci_upp"]), q=float(result.q), i2=max(0.0, i2),
                  tau2=tau2, studies=tuple(s.name for s in studies))
