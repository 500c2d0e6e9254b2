"""Self-checks for the "Your turn" cells: a resident's answer judged against the data, never revealed.

Each notebook chapter ends with a cell in which the resident changes an input (a setting, a trial,
a patient, a group of women), writes an answer in ``answer`` and runs the cell. The cell calls one
of the named checks below, which computes the expected value from ``data/`` with the evidence layer
and the other analysis modules, and returns a :class:`Verdict`: "Right", or "Not yet" with a hint
(too high, too low, the units, a known mistake). The expected value never appears in a verdict.

Two rules keep the checks predictable:

* **Answers are judged, never refused.** No answer yet (``None``) asks for one; text where a number
  is due, a value that is not a number (NaN) or an answer in the wrong units gets a verdict that
  says what to fix. A "Your turn" cell therefore runs without error whatever is typed in ``answer``.
* **Settings are checked.** An exercise's inputs (a setting, a trial, a patient profile) that the
  data cannot answer raise :class:`mbcbook.errors.InputError`, with a message that names the input
  and what it may be, as every tool of the package does.

>>> check_number(None, 12.5, tolerance=0.1).message
'Write your answer in `answer` and run the cell again.'
>>> print(check_number(13, 12.5, tolerance=0.1))
Not yet: your answer is slightly too high.
>>> check_number(12.5, 12.5, tolerance=0.1).correct
True
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import norm

from .. import evidence
from ..errors import InputError
from . import eligibility, epidemiology, gbsg2, pooling, survival

#: What every check says while ``answer`` is still None.
WRITE_YOUR_ANSWER = "Write your answer in `answer` and run the cell again."
RIGHT = "Right."
#: How much further than the tolerance a wrong answer may lie and still be called "slightly" off.
SLIGHTLY = 5


@dataclass(frozen=True)
class Verdict:
    """Whether an answer is right, and what to tell the resident; shown in a notebook as its message.

    ``correct`` is False for a wrong answer and for no answer yet; ``message`` never contains the
    expected value.

    >>> Verdict(True, "Right.")._repr_markdown_()
    'Right.'
    """

    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message

    def _repr_markdown_(self) -> str:
        return self.message


def _not_yet(hint: str) -> Verdict:
    return Verdict(False, f"Not yet: {hint}")


def _right(then: str) -> Verdict:
    return Verdict(True, f"{RIGHT} {then}".strip())


def _ev(ev):
    return evidence.load() if ev is None else ev


def _number(answer) -> float | Verdict:
    """The answer as a finite float, or the verdict that says why it is not one."""
    if answer is None:
        return Verdict(False, WRITE_YOUR_ANSWER)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return _not_yet("give your answer as a number, without quotes (text or a list cannot be checked).")
    if math.isnan(answer):
        return _not_yet("your answer is NaN (not a number); give a number.")
    if math.isinf(answer):
        return _not_yet("your answer is infinite; give a finite number.")
    return float(answer)


def _near(answer: float, value: float, tolerance: float) -> bool:
    return abs(answer - value) <= tolerance + 1e-9 * max(1.0, abs(value))


def check_number(answer, expected: float, *, tolerance: float, whole: str = "", minimum: float | None = None,
                 maximum: float | None = None, out_of_range: str = "", mistakes: Sequence = (),
                 then: str = "") -> Verdict:
    """Judge a numeric answer against ``expected``, within ``tolerance``, without revealing it.

    The checks run in order: no answer yet; not a number; not whole where ``whole`` names what is
    counted; right; one of the known ``mistakes``; outside ``minimum``-``maximum`` (the verdict is
    ``out_of_range``, typically about units); too high or too low ("slightly" when within
    :data:`SLIGHTLY` times the tolerance).

    Parameters
    ----------
    answer : object
        What the resident wrote; None while nothing is written.
    expected : float
        The right value.
    tolerance : float
        How far an answer may lie from ``expected`` and be right (rounding), 0 or more.
    whole : str, optional
        If given, the answer must be a whole number of these ("patients").
    minimum, maximum : float, optional
        The range any sensible answer lies in (0 and 1 for a proportion).
    out_of_range : str, optional
        The hint for an answer outside that range.
    mistakes : sequence of (float, str)
        Values a known mistake gives, each with its hint: an answer within ``tolerance`` of one of
        them (and not of ``expected``) gets that hint.
    then : str, optional
        What to try next, added to "Right.".

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        When ``expected`` or ``tolerance`` is not a finite number (a fault of the exercise, not of
        the answer).

    Examples
    --------
    >>> print(check_number(0.4, 0.2, tolerance=0.005))
    Not yet: your answer is too high.
    >>> print(check_number(20, 0.2, tolerance=0.005, minimum=0, maximum=1,
    ...                    out_of_range="check the units: give a proportion between 0 and 1, not a percentage."))
    Not yet: check the units: give a proportion between 0 and 1, not a percentage.
    >>> print(check_number(2.5, 3, tolerance=0, whole="patients"))
    Not yet: give a whole number of patients.
    """
    for value, name in ((expected, "the expected value"), (tolerance, "the tolerance")):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise InputError(f"{name} of a check must be a finite number, got {value!r}")
    if tolerance < 0:
        raise InputError(f"the tolerance of a check must be 0 or more, got {tolerance!r}")
    number = _number(answer)
    if isinstance(number, Verdict):
        return number
    if whole and not number.is_integer():
        return _not_yet(f"give a whole number of {whole}.")
    if _near(number, expected, tolerance):
        return _right(then)
    for value, hint in mistakes:
        if _near(number, value, tolerance):
            return _not_yet(hint)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return _not_yet(out_of_range or "your answer lies outside the range any answer to this question can take.")
    size = "slightly " if _near(number, expected, SLIGHTLY * tolerance) else ""
    return _not_yet(f"your answer is {size}{'too high' if number > expected else 'too low'}.")


def _words(value: str) -> str:
    """Text compared loosely: lower case, single spaces, no surrounding quotes or full stop."""
    return re.sub(r"\s+", " ", value.strip().strip("'\".").lower())


def check_choice(answer, expected: str, choices: Mapping[str, Sequence[str]], *,
                 hints: Mapping[str, str] | None = None, then: str = "") -> Verdict:
    """Judge an answer that is one of a few words (``choices``: each option with the spellings accepted).

    Parameters
    ----------
    answer : object
        What the resident wrote; None while nothing is written.
    expected : str
        The right option, a key of ``choices``.
    choices : mapping of str to sequence of str
        Each option, with other spellings that mean it (compared in lower case).
    hints : mapping of str to str, optional
        For a wrong option, the hint to give; never name the right option in it.
    then : str, optional
        What to try next, added to "Right.".

    Returns
    -------
    Verdict

    Examples
    --------
    >>> options = {"below": ["below one"], "above": ["above one"], "includes": ["includes one"]}
    >>> print(check_choice("Below one", "below", options))
    Right.
    >>> print(check_choice("sideways", "below", options))
    Not yet: answer with one of 'below', 'above' or 'includes'.
    """
    if expected not in choices:
        raise InputError(f"the expected answer {expected!r} is not one of the choices {', '.join(choices)}")
    if answer is None:
        return Verdict(False, WRITE_YOUR_ANSWER)
    names = [f"'{name}'" for name in choices]
    listed = f"{', '.join(names[:-1])} or {names[-1]}"
    if not isinstance(answer, str):
        return _not_yet(f"answer with words in quotes, one of {listed}.")
    spelled = {_words(spelling): name for name, spellings in choices.items() for spelling in (name, *spellings)}
    chosen = spelled.get(_words(answer))
    if chosen is None:
        return _not_yet(f"answer with one of {listed}.")
    if chosen == expected:
        return _right(then)
    return _not_yet((hints or {}).get(chosen, "look again at the data."))


# ---------------------------------------------------------------- chapter 1: expected stage IV cases


def stage_iv_cases(answer, setting: str, annual_diagnoses, ev=None) -> Verdict:
    """Chapter 1: how many of ``annual_diagnoses`` new breast cancers a setting's share would make stage IV.

    The expected count is :func:`mbcbook.analysis.epidemiology.expected_stage_iv_cases` on the
    setting's row of ``data/epidemiology.csv``; an answer within one patient of it is right (the
    product may be rounded either way).

    Parameters
    ----------
    answer : object
        The resident's count of patients.
    setting : str
        A ``figure_id`` of ``data/epidemiology.csv`` with a published share.
    annual_diagnoses : int
        New breast cancers a year (checked as the chapter's calculator checks it).
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For an unknown setting, a setting with no single share, or a count out of range.

    Examples
    --------
    >>> stage_iv_cases(None, "england", 1000).message
    'Write your answer in `answer` and run the cell again.'
    >>> print(stage_iv_cases(1000, "england", 1000))
    Not yet: your answer is too high.
    """
    table = _ev(ev).epidemiology
    if setting not in table.index:
        raise InputError(f"unknown setting {setting!r}; data/epidemiology.csv has {', '.join(table.index)}")
    row = table.loc[setting]
    result = epidemiology.expected_stage_iv_cases(annual_diagnoses, row["share"], row["share_low"], row["share_high"])
    if result.expected is None:
        raise InputError(f"{setting} publishes a range, not a single share; choose another setting")
    return check_number(answer, result.expected, tolerance=1, whole="patients", minimum=0,
                        maximum=result.annual_diagnoses,
                        out_of_range="the count lies between none and all of the new breast cancers; check the "
                                     "units (a share is a percentage divided by a hundred).",
                        then="Try a setting from another kind of source: a registry, a hospital or pooled studies.")


# ---------------------------------------------------------------- chapter 2: where an interval lies

#: The three places an interval can lie relative to one, with other spellings accepted.
SIDES = {
    "below": ("below one", "below 1", "wholly below one", "under one", "lower"),
    "above": ("above one", "above 1", "wholly above one", "over one", "higher"),
    "includes": ("includes one", "includes 1", "include", "contains one", "contains 1", "crosses one", "crosses 1",
                 "overlaps one"),
}


def _effect(ev, effect_id: str):
    effects = _ev(ev).effects
    if effect_id not in effects.index:
        raise InputError(f"unknown effect {effect_id!r}; data/effects.csv has {', '.join(effects.index)}")
    return effects.loc[effect_id]


def interval_side(answer, effect_id: str, ev=None) -> Verdict:
    """Chapter 2: whether a published interval lies wholly ``below`` one, wholly ``above`` one, or includes one.

    Parameters
    ----------
    answer : object
        ``"below"``, ``"above"`` or ``"includes"`` (or a spelling of :data:`SIDES`).
    effect_id : str
        A row of ``data/effects.csv``.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For an unknown effect.

    Examples
    --------
    >>> print(interval_side("includes", "tata-os"))
    Right. Now say what the position means, and whether the report states which arm is the reference.
    """
    row = _effect(ev, effect_id)
    expected = "below" if row["ci_high"] < 1 else "above" if row["ci_low"] > 1 else "includes"
    hints = {
        "below": "an interval lies wholly below one only if its upper limit does; check the upper limit.",
        "above": "an interval lies wholly above one only if its lower limit does; check the lower limit.",
        "includes": "is one really between the two limits? Compare each limit with one.",
    }
    return check_choice(answer, expected, SIDES, hints=hints,
                        then="Now say what the position means, and whether the report states which arm is the "
                             "reference.")


# ---------------------------------------------------------------- chapter 3: number needed to treat


def number_needed_to_treat(treated: float, control: float) -> int:
    """Patients to treat for one more of them to have the good outcome: 1 / difference, rounded up.

    Parameters
    ----------
    treated, control : float
        The proportion with the good outcome (alive, free of progression) in each arm.

    Returns
    -------
    int
        The reciprocal of ``treated - control``, rounded up to a whole patient.

    Raises
    ------
    mbcbook.errors.InputError
        When a proportion is outside 0-1 or the treated arm does not do better.

    Examples
    --------
    >>> number_needed_to_treat(0.19, 0.05)
    8
    >>> number_needed_to_treat(0.75, 0.5)
    4
    """
    for value, name in ((treated, "the treated arm's proportion"), (control, "the control arm's proportion")):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
            raise InputError(f"{name} must be a proportion between 0 and 1, got {value!r}")
    difference = treated - control
    if difference <= 0:
        raise InputError("the treated arm does not do better than the control arm, so no number of patients "
                         "treated gives one more good outcome")
    # 1 / 0.25 comes out as 4.000000000000001 in floating point: round before rounding up.
    return math.ceil(round(1 / difference, 9))


def _landmarks(ev, trial: str) -> tuple[float, float, float]:
    """A trial's share alive at its landmark with and without locoregional treatment, and the landmark."""
    arms = _ev(ev).arms
    rows = arms[(arms["trial_id"] == trial) & arms["landmark_os"].notna()]
    by_arm = rows.set_index("arm")
    with_landmark = sorted(set(arms.loc[arms["landmark_os"].notna(), "trial_id"]))
    if not {"lrt", "st"} <= set(by_arm.index) or rows["report"].nunique() != 1:
        raise InputError(f"{trial!r} has no single report with the share alive at a landmark in both arms; "
                         f"data/arms.csv has one for {', '.join(with_landmark)}")
    return (float(by_arm.loc["lrt", "landmark_os"]), float(by_arm.loc["st", "landmark_os"]),
            float(by_arm.loc["lrt", "landmark_months"]))


def landmark_number_needed_to_treat(answer, trial: str, ev=None) -> Verdict:
    """Chapter 3: women to treat with locoregional treatment for one more to be alive at the trial's landmark.

    The expected number is :func:`number_needed_to_treat` on the shares alive at the landmark in
    ``data/arms.csv``, rounded up to a whole patient.

    Parameters
    ----------
    answer : object
        The resident's number of patients.
    trial : str
        A ``trial_id`` with the share alive at a landmark published for both arms.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For a trial without landmarks in both arms, or one in which fewer women were alive with
        locoregional treatment (there is then no number needed to treat).

    Examples
    --------
    >>> print(landmark_number_needed_to_treat(7, "mf07-01"))
    Not yet: a number needed to treat is rounded up, to a whole patient.
    """
    treated, control, _ = _landmarks(ev, trial)
    if treated <= control:
        raise InputError(f"in {trial} no more women were alive at the landmark with locoregional treatment than "
                         f"without, so there is no number needed to treat; choose another trial")
    expected = number_needed_to_treat(treated, control)
    exact = 1 / (treated - control)
    # Where the reciprocal is whole, rounding it down gives the right answer, which is judged first.
    mistakes = [(math.floor(exact), "a number needed to treat is rounded up, to a whole patient."),
                (round((treated - control) * 100), "that is the difference in percentage points; the number "
                 "needed to treat is its reciprocal, taken as a proportion.")]
    return check_number(answer, expected, tolerance=0, whole="patients", minimum=1,
                        out_of_range="at least one woman must be treated.", mistakes=mistakes,
                        then="Compare it with another trial's, and say what it does not count.")


# ---------------------------------------------------------------- chapter 4: a hazard ratio as a change


def hazard_change(answer, result_id: str, ev=None) -> Verdict:
    """Chapter 4: a pooled hazard ratio as a relative change in the hazard, one minus the HR (negative: higher).

    Parameters
    ----------
    answer : object
        The resident's proportion: 0.2 for a hazard a fifth lower, -0.1 for one a tenth higher.
    result_id : str
        A row of ``data/meta_analyses.csv`` whose measure is a hazard ratio.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For an unknown row, or one that is not a hazard ratio.

    Examples
    --------
    >>> print(hazard_change(0.66, "sidiropoulou2023-obs"))
    Not yet: that is the hazard ratio itself; subtract it from one.
    """
    table = _ev(ev).meta_analyses
    hazard_ratios = table.index[table["measure"] == "HR"]
    if result_id not in hazard_ratios:
        raise InputError(f"{result_id!r} is not a hazard ratio of data/meta_analyses.csv; choose one of "
                         f"{', '.join(hazard_ratios)}")
    hr = float(table.loc[result_id, "estimate"])
    expected = 1 - hr
    return check_number(answer, expected, tolerance=0.005, maximum=1,
                        out_of_range="check the units: give a proportion, a share of one, not a percentage.",
                        mistakes=[(hr, "that is the hazard ratio itself; subtract it from one."),
                                  (-expected, "check the sign: a hazard ratio below one is a lower hazard, a "
                                              "positive change.")],
                        then="Now do the same for a meta-analysis of the other design and compare the two.")


# ---------------------------------------------------------------- chapter 5: an interval at another level


def interval_at(effect_id: str, level: float, ev=None) -> tuple[float, float]:
    """The interval a published hazard ratio would have at another confidence ``level``, from the same data.

    The standard error of the log hazard ratio comes from the published interval at its own level
    (:func:`mbcbook.analysis.pooling.oriented`); the limits keep the published orientation.

    Parameters
    ----------
    effect_id : str
        A row of ``data/effects.csv``.
    level : {0.90, 0.95}
        The confidence level wanted.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    tuple of float
        The lower and upper limits.

    Examples
    --------
    >>> [round(limit, 2) for limit in interval_at("jcog1017-os", 0.95)]
    [0.66, 1.12]
    """
    row = _effect(ev, effect_id)
    if isinstance(level, bool) or level not in pooling.CI_LEVELS:
        raise InputError(f"the level must be 0.90 or 0.95, got {level!r}")
    # The standard error does not depend on the orientation: any reading serves for a ratio without one.
    study = pooling.oriented(effect_id, row["estimate"], row["ci_low"], row["ci_high"], row["ci_level"],
                             row["treatment_arm"], row["reference_arm"], reading=("lrt", "st"))
    z = norm.ppf(1 - (1 - level) / 2)
    log_hr = math.log(row["estimate"])
    return math.exp(log_hr - z * study.se), math.exp(log_hr + z * study.se)


def interval_at_level(answer, effect_id: str, level: float = 0.95, ev=None) -> Verdict:
    """Chapter 5: the interval the same data give at another confidence level, each limit to two decimals.

    Parameters
    ----------
    answer : object
        A pair ``(lower, upper)``.
    effect_id : str
        A row of ``data/effects.csv``.
    level : {0.90, 0.95}
        The level to convert to.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For an unknown effect or level.

    Examples
    --------
    >>> print(interval_at_level((0.69, 1.07), "jcog1017-os", 0.95))
    Not yet: that is the published interval; convert it to the other level.
    """
    low, high = interval_at(effect_id, level, ev)
    if answer is None:
        return Verdict(False, WRITE_YOUR_ANSWER)
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Sequence) or len(answer) != 2:
        return _not_yet("give the interval as two numbers in brackets, the lower limit first.")
    if any(given is None for given in answer):
        return _not_yet("give both limits as numbers.")
    row = _effect(ev, effect_id)
    limits = (("lower", low, row["ci_low"]), ("upper", high, row["ci_high"]))
    verdicts = {name: check_number(answer[index], limit, tolerance=0.01, minimum=0,
                                   out_of_range=f"your {name} limit must be above zero.",
                                   mistakes=[(printed, f"your {name} limit is the published one.")])
                for index, (name, limit, printed) in enumerate(limits)}
    if all(v.correct for v in verdicts.values()):
        return _right("Is the new interval wider or narrower than the published one, and why?")
    if all(v.message.endswith("the published one.") for v in verdicts.values()):
        return _not_yet("that is the published interval; convert it to the other level.")
    parts = [v.message.removeprefix("Not yet: ").replace("your answer", f"your {name} limit")
             for name, v in verdicts.items() if not v.correct]
    return _not_yet(" ".join([parts[0], *(part[0].upper() + part[1:] for part in parts[1:])]))


# ---------------------------------------------------------------- chapter 6: a share from registry counts


def _count(table, result_id: str) -> tuple[float, str]:
    counts = table.index[table["measure"] == "count"]
    if result_id not in counts:
        raise InputError(f"{result_id!r} is not a count of data/observational_results.csv; choose one of "
                         f"{', '.join(counts)}")
    return float(table.loc[result_id, "value"]), table.loc[result_id, "study_id"]


def registry_share(answer, part: str, whole: str, ev=None) -> Verdict:
    """Chapter 6: the share that one count of a study makes of another, as a proportion.

    Parameters
    ----------
    answer : object
        The resident's proportion, between 0 and 1.
    part, whole : str
        Rows of ``data/observational_results.csv`` whose measure is a count, from the same study,
        ``part`` no larger than ``whole``.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For rows that are not counts, come from different studies, or a part larger than the whole.

    Examples
    --------
    >>> print(registry_share(92.7, "tbcrc013-rs-scored", "tbcrc013-tissue"))
    Not yet: check the units: give a proportion between 0 and 1, not a percentage.
    """
    table = _ev(ev).observational_results
    numerator, study = _count(table, part)
    denominator, other = _count(table, whole)
    if study != other:
        raise InputError(f"{part} comes from {study} and {whole} from {other}: a share needs counts of one study")
    if numerator > denominator:
        raise InputError(f"{part} counts more patients than {whole}: the part comes first, then the whole")
    expected = numerator / denominator
    return check_number(answer, expected, tolerance=0.005, minimum=0, maximum=1,
                        out_of_range="check the units: give a proportion between 0 and 1, not a percentage.",
                        mistakes=[(denominator / numerator, "you divided the whole by the part; divide the part "
                                   "by the whole.")],
                        then="Now choose another part or another whole, and say which patients the share describes.")


# ---------------------------------------------------------------- chapter 7: which rule keeps a patient out


def failing_rule(answer, profile: Mapping, source: str = "review", ev=None) -> Verdict:
    """Chapter 7: which rule of a source (the review's profile, or a trial) the patient does not meet.

    Parameters
    ----------
    answer : object
        A ``rule_id`` of ``data/eligibility_rules.csv`` (or the rule's text), or ``"none"`` when
        no rule of the source is clearly not met.
    profile : mapping
        The patient's fields, as :func:`mbcbook.analysis.eligibility.make_profile` takes them.
    source : str
        ``review`` or a trial id of the rules.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict
        Any rule that is not met is a right answer; a rule that is met, or cannot be judged, or
        belongs to another source, gets a hint.

    Raises
    ------
    mbcbook.errors.InputError
        For an unknown source or a profile the checker does not accept.

    Examples
    --------
    >>> print(failing_rule("none", {"ecog": 1, "her2": "positive"}))
    Not yet: at least one rule of this source is not met.
    """
    rules = _ev(ev).eligibility_rules
    if source not in set(rules["source"]):
        raise InputError(f"unknown source {source!r}; data/eligibility_rules.csv has "
                         f"{', '.join(dict.fromkeys(rules['source']))}")
    if not isinstance(profile, Mapping):
        raise InputError(f"the profile must be a dict of the patient's fields, got {type(profile).__name__}")
    result = eligibility.check(eligibility.make_profile(**profile), rules).set_index("rule_id")
    own = result[result["source"] == source]
    failing = set(own.index[own["verdict"] == eligibility.NOT_MET])
    if answer is None:
        return Verdict(False, WRITE_YOUR_ANSWER)
    if not isinstance(answer, str):
        return _not_yet("give a rule id in quotes, as in data/eligibility_rules.csv, or 'none'.")
    return _judge_rule(_words(answer), result, own, failing)


def _judge_rule(given: str, result, own, failing: set) -> Verdict:
    by_text = {_words(text): rule_id for rule_id, text in result["text"].items()}
    rule_id = given if given in result.index else by_text.get(given)
    if given == "none":
        if failing:
            return _not_yet("at least one rule of this source is not met.")
        unknown = (own["verdict"] == eligibility.UNKNOWN).any()
        return _right("No rule is failed, but some cannot be judged yet: the verdict stays open." if unknown
                      else "She meets every rule of this source.")
    if rule_id is None:
        return _not_yet("that is not a rule of data/eligibility_rules.csv; copy its rule_id, or write 'none'.")
    if rule_id not in own.index:
        return _not_yet("that rule belongs to another source; look at the rules of the one asked about.")
    if rule_id in failing:
        more = "She fails another rule of it too." if len(failing) > 1 else ""
        return _right(more)
    if own.loc[rule_id, "verdict"] == eligibility.UNKNOWN:
        return _not_yet("that rule cannot be judged from the profile (a field is empty), and a rule that cannot "
                        "be judged never counts as failed.")
    return _not_yet("she meets that rule.")


# ---------------------------------------------------------------- chapter 8: pooling with a trial left out


def pooled_without(answer, left_out: str, method: str = "random", reading: str = "st-lrt", ev=None) -> Verdict:
    """Chapter 8: the pooled hazard ratio of the trials' primary reports with one trial left out.

    The studies are :func:`mbcbook.analysis.pooling.trial_studies` (each trial's primary report of
    overall survival, at its own confidence level), pooled by :func:`mbcbook.analysis.pooling.pool`.

    Parameters
    ----------
    answer : object
        The resident's pooled hazard ratio, to two decimals.
    left_out : str
        The ``trial_id`` to leave out.
    method : {"random", "fixed"}
        Random effects (DerSimonian-Laird) or fixed effect.
    reading : {"st-lrt", "lrt-st"}
        How to read a hazard ratio whose report does not name its reference arm.
    ev : mbcbook.evidence.Evidence, optional
        The evidence tables; loaded from ``data/`` when not given.

    Returns
    -------
    Verdict

    Raises
    ------
    mbcbook.errors.InputError
        For a trial that is not pooled, or an unknown method or reading.

    Examples
    --------
    >>> pooled_without(None, "mf07-01").message
    'Write your answer in `answer` and run the cell again.'
    """
    studies = pooling.trial_studies(_ev(ev).effects, reading)
    if left_out not in studies:
        raise InputError(f"{left_out!r} is not among the pooled trials: {', '.join(studies)}")
    kept = [study for trial, study in studies.items() if trial != left_out]
    expected = pooling.pool(kept, method).hr
    everything = pooling.pool(list(studies.values()), method).hr
    other = pooling.pool(kept, "fixed" if method == "random" else "random").hr
    mistakes = [(everything, "that is the pooled result of every trial; leave one out."),
                (other, "that is the result of the other method; check which one the cell asks for.")]
    return check_number(answer, expected, tolerance=0.01, minimum=0, out_of_range="a hazard ratio is above zero.",
                        mistakes=[(value, hint) for value, hint in mistakes if abs(value - expected) > 0.02],
                        then="Leave out another trial: which one moves the pooled result most, and why?")


# ---------------------------------------------------------------- the primer: a median from GBSG2

NOT_REACHED = "not reached"


def _group(group: Mapping):
    if not isinstance(group, Mapping) or not group:
        raise InputError("the group must be a dict of GBSG2 columns and values, such as {'menopause': 'pre'}")
    patients = gbsg2.load()
    chosen = patients
    for column, value in group.items():
        if column not in patients.columns:
            raise InputError(f"GBSG2 has no column {column!r}; it has {', '.join(patients.columns)}")
        chosen = chosen[chosen[column] == value]
    if chosen.empty:
        raise InputError(f"no woman of GBSG2 is in the group {dict(group)!r}")
    return chosen


def gbsg2_median(answer, group: Mapping) -> Verdict:
    """The primer: the Kaplan-Meier median recurrence-free survival of a group of GBSG2 women, in months.

    The expected median is :func:`mbcbook.analysis.survival.median_survival` on the women whose
    columns of :func:`mbcbook.analysis.gbsg2.load` equal the values of ``group``; an answer within
    a tenth of a month is right. Where the curve never crosses one half, the right answer is the
    words ``"not reached"``.

    Parameters
    ----------
    answer : object
        Months, or ``"not reached"``.
    group : mapping
        Column and value for each condition, all of which must hold: ``{"grade": "III"}``,
        ``{"menopause": "pre", "arm": "hormonal"}``.

    Returns
    -------
    Verdict
        Hints name the two wrong ways to ignore censoring, when the answer is one of them.

    Raises
    ------
    mbcbook.errors.InputError
        For an unknown column or a group with no women.

    Examples
    --------
    >>> print(gbsg2_median("not reached", {"grade": "I"}))
    Right. Say why: what share of these women had a recurrence during follow-up?
    """
    women = _group(group)
    median = float(survival.median_survival(women.assign(arm="group")[["time_months", "event", "arm"]]).iloc[0])
    reached = math.isfinite(median)
    if isinstance(answer, str):
        if _words(answer) != NOT_REACHED:
            return _not_yet("give months as a number, or the words 'not reached'.")
        if reached:
            return _not_yet("more than half of these women had the event, so the curve crosses one half.")
        return _right("Say why: what share of these women had a recurrence during follow-up?")
    if not reached:
        number = _number(answer)
        return number if isinstance(number, Verdict) else _not_yet(
            "does the curve of this group cross one half before follow-up ends? If not, write 'not reached'.")
    ignored = [(float(women["time_months"].median()), "that median counts every censored time as an event; use "
                "Kaplan-Meier."),
               (float(women.loc[women["event"] == 1, "time_months"].median()), "that median leaves the censored "
                "women out; use Kaplan-Meier.")]
    return check_number(answer, median, tolerance=0.1, minimum=0, out_of_range="a median time is above zero.",
                        mistakes=ignored,
                        then="Now choose another group and compare the two medians with their intervals.")
