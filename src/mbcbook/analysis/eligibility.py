"""Which rules a patient profile meets: the review's candidate profile and the trials' criteria.

Teaching material, not a decision tool: it shows how the trial populations were selected.

A profile is a dict of the fields of :data:`mbcbook.evidence.rules.FIELDS` (age, ECOG
performance status, receptor status, ...); a field left out is not known. :func:`check`
evaluates every rule of ``data/eligibility_rules.csv`` against it and says, rule by rule, whether
the rule is met, not met or unknown. A field that is not known makes a rule unknown, never met,
and :func:`verdicts` never calls a source "eligible" while any of its rules is unknown.

>>> from mbcbook.evidence import load
>>> result = check(make_profile(age=70, ecog=1), load().eligibility_rules)
>>> result.loc[result["rule_id"] == "tata-age", "verdict"].item()
'not met'
>>> verdicts(result)["tata"]
'not eligible'
>>> verdicts(result)["review"]
'unknown'
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError
from ..evidence import rules as vocabulary

MET, NOT_MET, UNKNOWN = "met", "not met", "unknown"
ELIGIBLE, NOT_ELIGIBLE = "eligible", "not eligible"
#: Columns of :func:`check`'s table.
RESULT_COLUMNS = ("source", "rule_id", "text", "field", "operator", "value", "verdict", "ref", "status")


def make_profile(**values) -> dict:
    """A patient profile, every value checked; a field left out (or None) is not known.

    Raises
    ------
    mbcbook.errors.InputError
        Naming the field and the values it allows: "ECOG performance status must be 0-4, got 7".

    Examples
    --------
    >>> make_profile(age=52, her2="negative", metastatic_sites=["bone"])
    {'age': 52, 'her2': 'negative', 'metastatic_sites': ('bone',)}
    >>> make_profile(her2="maybe")
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: HER2 must be positive or negative, got 'maybe'
    """
    profile = {}
    for name, value in values.items():
        if name not in vocabulary.FIELDS_BY_NAME:
            raise InputError(f"unknown field {name!r}; a profile has {', '.join(vocabulary.FIELDS_BY_NAME)}")
        try:
            checked = vocabulary.check_field_value(vocabulary.FIELDS_BY_NAME[name], value)
        except ValueError as error:
            raise InputError(str(error)) from None
        if checked is not None:
            profile[name] = checked
    return profile


def _one_field(field: vocabulary.Field, operator: str, value, given) -> str:
    """Whether one known value meets a rule (``met`` or ``not met``); ``unknown`` when not known."""
    if given is None:
        return UNKNOWN
    if field.kind == "set":
        overlap = bool(set(given) & set(value))
        met = overlap if operator == "one_of" else not overlap
    elif operator == "one_of":
        met = given in value
    elif operator == "none_of":
        met = given not in value
    elif operator == "is_true":
        met = given is True
    elif operator == "is_false":
        met = given is False
    elif operator == "between":
        met = value[0] <= given <= value[1]
    else:
        met = {"at_least": given >= value, "at_most": given <= value, "above": given > value,
               "below": given < value, "equals": given == value}[operator]
    return MET if met else NOT_MET


def evaluate(field_text: str, operator: str, value, profile: dict) -> str:
    """One rule against a profile: ``met``, ``not met`` or ``unknown``.

    A rule on several fields (``er|pgr``) is met when any of them meets it, not met when every
    one of them is known and fails it, and unknown otherwise.

    >>> evaluate("er|pgr", "one_of", ("positive",), {"er": "negative"})
    'unknown'
    >>> evaluate("er|pgr", "one_of", ("positive",), {"er": "negative", "pgr": "positive"})
    'met'
    """
    answers = {_one_field(field, operator, value, profile.get(field.name))
               for field in vocabulary.fields_of(field_text)}
    if MET in answers:
        return MET
    return UNKNOWN if UNKNOWN in answers else NOT_MET


def check(profile: dict, rules: pd.DataFrame) -> pd.DataFrame:
    """Every rule of ``rules`` (``data/eligibility_rules.csv``) against ``profile``, in the file's order.

    Parameters
    ----------
    profile : dict
        From :func:`make_profile`.
    rules : pandas.DataFrame
        The ``eligibility_rules`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per rule: the columns of :data:`RESULT_COLUMNS`; ``verdict`` is ``met``,
        ``not met`` or ``unknown``.
    """
    rows = []
    for rule_id, rule in rules.iterrows():
        value = vocabulary.parse_value(rule["field"], rule["operator"], rule["value"])
        rows.append({"source": rule["source"], "rule_id": rule_id, "text": rule["text"], "field": rule["field"],
                     "operator": rule["operator"], "value": value,
                     "verdict": evaluate(rule["field"], rule["operator"], value, profile),
                     "ref": rule["ref"], "status": rule["status"]})
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def verdicts(result: pd.DataFrame) -> dict:
    """Each source's verdict, by source in the file's order.

    ``not eligible`` if any rule is not met; else ``unknown`` if any is unknown; else ``eligible``.
    """
    answer = {}
    for source, rows in result.groupby("source", sort=False):
        found = set(rows["verdict"])
        answer[source] = NOT_ELIGIBLE if NOT_MET in found else UNKNOWN if UNKNOWN in found else ELIGIBLE
    return answer
