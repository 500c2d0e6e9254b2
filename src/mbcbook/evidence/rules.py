"""The vocabulary of ``data/eligibility_rules.csv``: the patient fields a rule may test, and its operators.

A rule tests one field of a patient profile (or several joined by ``|``, met when any of them
meets it) with one operator and a value written as text in the CSV. This module says which
fields and operators exist and turns a rule's value text into a value, so that the loader can
reject a malformed rule with its file, row and column, and the eligibility module
(:mod:`mbcbook.analysis.eligibility`), the browser's checker and the live checker all read the
same definitions.

>>> parse_value("ecog", "at_most", "2")
2
>>> parse_value("her2", "one_of", "negative")
('negative',)
>>> parse_value("ecog", "at_most", "7")
Traceback (most recent call last):
...
ValueError: ECOG performance status must be 0-4, got 7
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Field:
    """One field of a patient profile.

    ``kind`` is ``int`` or ``float`` (a number from ``minimum`` to ``maximum``), ``category``
    (one of ``allowed``), ``set`` (any number of ``allowed``, such as the sites of metastases)
    or ``flag`` (yes or no).
    """

    name: str
    label: str
    kind: str
    description: str
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] = ()
    unit: str = ""

    def allowed_text(self) -> str:
        """The values the field accepts, in words: "0-4", "positive or negative", "yes or no"."""
        if self.kind in ("int", "float"):
            return f"{self.minimum:g}-{self.maximum:g}" + (f" {self.unit}" if self.unit else "")
        if self.kind == "flag":
            return "yes or no"
        return ", ".join(self.allowed[:-1]) + f" or {self.allowed[-1]}" if len(self.allowed) > 1 else self.allowed[0]


RESPONSES = ("progression", "stable", "partial", "complete")
SITES = ("bone", "lung", "liver", "brain", "distant_nodes", "skin_soft_tissue", "other")

FIELDS: tuple[Field, ...] = (
    Field("age", "Age", "int", "Age in years.", 0, 120, unit="years"),
    Field("sex", "Sex", "category", "Sex.", allowed=("female", "male")),
    Field("ecog", "ECOG performance status", "int", "ECOG performance status (0 fully active ... 4 bedbound).", 0, 4),
    Field("tumour_size_cm", "Primary tumour size", "float", "Largest diameter of the primary tumour.", 0, 30,
          unit="cm"),
    Field("t_stage", "Clinical T stage", "category", "Clinical T stage of the primary tumour.",
          allowed=("T1", "T2", "T3", "T4")),
    Field("n_stage", "Clinical N stage", "category", "Clinical stage of the regional nodes.",
          allowed=("N0", "N1", "N2", "N3")),
    Field("er", "Oestrogen receptor (ER)", "category", "Oestrogen receptor status.", allowed=("positive", "negative")),
    Field("pgr", "Progesterone receptor (PgR)", "category", "Progesterone receptor status.",
          allowed=("positive", "negative")),
    Field("her2", "HER2", "category", "HER2 status.", allowed=("positive", "negative")),
    Field("metastasis_count", "Number of metastases", "int", "Number of distant metastatic lesions.", 1, 100),
    Field("metastatic_sites", "Sites of metastases", "set", "Organs with distant metastases.", allowed=SITES),
    Field("brain_metastases", "Brain metastases", "flag", "Metastases in the brain."),
    Field("untreated", "Untreated at presentation", "flag",
          "No treatment for the cancer before it was found to be metastatic (de novo, untreated)."),
    Field("therapy_weeks", "Weeks of systemic therapy", "float",
          "Weeks of first-line systemic therapy received so far (0 if none).", 0, 520, unit="weeks"),
    Field("response", "Response to systemic therapy", "category",
          "Best response so far to first-line systemic therapy.", allowed=RESPONSES),
    Field("symptomatic_local_disease", "Symptomatic local disease", "flag",
          "Bleeding, ulceration, necrosis or pain from the breast or axilla needing local treatment now."),
    Field("resectable", "Margin-free resection possible", "flag",
          "The primary tumour can be removed with clear margins."),
    Field("fit_for_surgery", "Fit for surgery", "flag", "Fit for an operation under general anaesthesia."),
    Field("inflammatory", "Inflammatory cancer", "flag", "Inflammatory breast cancer."),
    Field("second_cancer", "Another cancer", "flag",
          "A synchronous contralateral breast cancer, or another cancer, previous or untreated."),
    Field("projected_survival_months", "Projected survival", "float", "Expected survival.", 0, 600,
          unit="months"),
    Field("pregnant", "Pregnant or breastfeeding", "flag", "Pregnant or breastfeeding."),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}

#: Operators, by the kind of value they take: a number, two numbers ("16|32"), a list of
#: categories ("partial|complete"), or none.
NUMBER_OPERATORS = ("at_least", "at_most", "above", "below", "equals")
OPERATORS = (*NUMBER_OPERATORS, "between", "one_of", "none_of", "is_true", "is_false")
#: Words for the operators, as the checker says what a rule asks.
OPERATOR_WORDS = {"at_least": "at least", "at_most": "at most", "above": "above", "below": "below",
                  "equals": "exactly", "between": "between", "one_of": "one of", "none_of": "none of",
                  "is_true": "yes", "is_false": "no"}


def fields_of(text: str) -> list[Field]:
    """The fields a rule tests: one name, or several joined by ``|`` (met when any of them is)."""
    names = [name.strip() for name in str(text).split("|")]
    unknown = [name for name in names if name not in FIELDS_BY_NAME]
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS_BY_NAME)}")
    kinds = {FIELDS_BY_NAME[name].kind for name in names}
    if len(names) > 1 and len(kinds) > 1:
        raise ValueError(f"fields joined by | must be of one kind; {text!r} mixes {', '.join(sorted(kinds))}")
    return [FIELDS_BY_NAME[name] for name in names]


def _check_number(field: Field, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{field.label} must be a number ({field.allowed_text()}), got {value!r}")
    if field.kind == "int" and not float(value).is_integer():
        raise ValueError(f"{field.label} must be a whole number ({field.allowed_text()}), got {value:g}")
    if not field.minimum <= value <= field.maximum:
        raise ValueError(f"{field.label} must be {field.allowed_text()}, got {value:g}")
    return int(value) if field.kind == "int" else float(value)


def check_field_value(field: Field, value):
    """A profile's value for ``field``, checked; None (not known) passes.

    ValueError names the field and what it allows.
    """
    if value is None:
        return None
    if field.kind in ("int", "float"):
        return _check_number(field, value)
    if field.kind == "flag":
        if not isinstance(value, bool):
            raise ValueError(f"{field.label} must be yes or no (True or False), got {value!r}")
        return value
    if field.kind == "set":
        items = (value,) if isinstance(value, str) else tuple(value)
        wrong = [item for item in items if item not in field.allowed]
        if wrong:
            raise ValueError(f"{field.label} must be among {field.allowed_text()}, got {wrong[0]!r}")
        # No site given is not known (a metastatic cancer has at least one site), as in the page's checker.
        return tuple(sorted(set(items), key=field.allowed.index)) or None
    if value not in field.allowed:
        raise ValueError(f"{field.label} must be {field.allowed_text()}, got {value!r}")
    return value


def _number_value(field: Field, operator: str, text: str):
    if field.kind not in ("int", "float"):
        raise ValueError(f"{operator} compares numbers; {field.name} is a {field.kind} field")
    parts = text.split("|")
    if len(parts) != (2 if operator == "between" else 1):
        wanted = "two numbers such as 16|32" if operator == "between" else "one number"
        raise ValueError(f"{operator} takes {wanted}, got {text!r}")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ValueError(f"{operator} takes a number, got {text!r}") from None
    values = tuple(check_field_value(field, int(n) if n.is_integer() and field.kind == "int" else n)
                   for n in numbers)
    if operator == "between" and values[0] > values[1]:
        raise ValueError(f"between needs the lower limit first, got {text!r}")
    return values if operator == "between" else values[0]


def _category_value(field: Field, operator: str, text: str) -> tuple[str, ...]:
    if field.kind not in ("category", "set"):
        raise ValueError(f"{operator} picks among categories; {field.name} is a {field.kind} field")
    items = tuple(part.strip() for part in text.split("|")) if text else ()
    if not items:
        raise ValueError(f"{operator} needs at least one value, such as {field.allowed[0]}")
    for item in items:
        if item not in field.allowed:
            raise ValueError(f"{item!r} is not a value of {field.name}; it takes {field.allowed_text()}")
    return items


def parse_value(field_text: str, operator: str, text):
    """A rule's value, read from its CSV text and checked against its fields and operator.

    Numbers for number operators (within the field's range), two numbers joined by ``|`` for
    ``between``, categories joined by ``|`` for ``one_of`` and ``none_of``, nothing for
    ``is_true`` and ``is_false`` (an empty cell). ValueError says what is wrong.
    """
    fields = fields_of(field_text)
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text).strip()
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}; the operators are {', '.join(OPERATORS)}")
    if operator in ("is_true", "is_false"):
        if fields[0].kind != "flag":
            raise ValueError(f"{operator} tests a yes-or-no field, not {fields[0].name} ({fields[0].kind})")
        if text:
            raise ValueError(f"{operator} takes no value, got {text!r}")
        return None
    if operator in (*NUMBER_OPERATORS, "between"):
        return _number_value(fields[0], operator, text)
    return _category_value(fields[0], operator, text)
