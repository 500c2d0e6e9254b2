"""The eligibility checker of the web book: a form and a results table that work with no kernel.

:func:`checker_html` writes the form (one labelled control per profile field of
:mod:`mbcbook.evidence.rules`) and, as JSON in the page, the rules of ``data/eligibility_rules.csv``
with their values already read by :func:`mbcbook.evidence.rules.parse_value` and the fields'
definitions. The site's ``mbcbook-checker.js`` evaluates those rules as
:mod:`mbcbook.analysis.eligibility` does, whenever a control changes; no rule is copied by hand,
and a browser test compares both on hundreds of profiles.
"""

from __future__ import annotations

import json
from html import escape

import pandas as pd

from ..evidence import rules as vocabulary

CHECKER_MARKER = "data-mbcbook-checker"
REVIEW_NAME = "The review's candidate profile"


def source_names(trials: pd.DataFrame | None) -> dict[str, str]:
    """Every source of rules, in the order the results show them, with its name.

    The review's profile first, then the trials in the order of ``data/trials.csv``, named as
    there; so a trial added to ``trials.csv``, with rules, appears in every checker.

    Examples
    --------
    >>> import pandas as pd
    >>> source_names(pd.DataFrame({"name": ["Tata Memorial"]}, index=pd.Index(["tata"], name="trial_id")))
    {'review': "The review's candidate profile", 'tata': 'Tata Memorial'}
    """
    names = {"review": REVIEW_NAME}
    if trials is not None:
        names.update({trial_id: str(name) for trial_id, name in trials["name"].items()})
    return names


def checker_data(rules: pd.DataFrame, references: dict, sources=None, trials: pd.DataFrame | None = None) -> dict:
    """What the page's script needs: fields, rules (values read), sources and where each rule comes from.

    ``trials`` (the trials table) names the trials; without it, each is shown by its id.
    """
    names = source_names(trials)
    names.update({s: s for s in dict.fromkeys(rules["source"]) if s not in names})
    chosen = [s for s in names if s in set(rules["source"]) and (sources is None or s in sources)]
    fields = [{"name": f.name, "label": f.label, "kind": f.kind, "minimum": f.minimum, "maximum": f.maximum,
               "allowed": list(f.allowed), "allowed_text": f.allowed_text()} for f in vocabulary.FIELDS]
    listed = []
    for rule_id, rule in rules[rules["source"].isin(chosen)].iterrows():
        value = vocabulary.parse_value(rule["field"], rule["operator"], rule["value"])
        reference = references.get(rule["ref"])
        link = None
        if reference is not None and reference.doi:
            link = f"https://doi.org/{reference.doi}"
        elif reference is not None and reference.pmid:
            link = f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
        listed.append({"id": rule_id, "source": rule["source"], "fields": rule["field"].split("|"),
                       "operator": rule["operator"], "value": list(value) if isinstance(value, tuple) else value,
                       "text": rule["text"], "ref": rule["ref"], "link": link, "status": rule["status"]})
    return {"fields": fields, "rules": listed, "sources": [{"id": s, "name": names[s]} for s in chosen]}


def _control(field: vocabulary.Field, prefix: str) -> str:
    name = f"{prefix}-{field.name}"
    label = escape(field.label) + (f" ({escape(field.unit)})" if field.unit else "")
    if field.kind in ("int", "float"):
        step = "1" if field.kind == "int" else "any"
        return (f'<label for="{name}">{label}</label><input id="{name}" data-field="{field.name}" type="number" '
                f'step="{step}" inputmode="decimal" aria-describedby="{name}-hint">'
                f'<small id="{name}-hint">{escape(field.allowed_text())}; empty if not known</small>')
    if field.kind == "set":
        boxes = "".join(f'<label><input type="checkbox" data-field="{field.name}" value="{escape(v)}"> '
                        f'{escape(v.replace("_", " "))}</label>' for v in field.allowed)
        return f'<fieldset><legend>{label} (none ticked: not known)</legend>{boxes}</fieldset>'
    options = [("", "not known")] + ([("yes", "yes"), ("no", "no")] if field.kind == "flag"
                                     else [(v, v) for v in field.allowed])
    choices = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return f'<label for="{name}">{label}</label><select id="{name}" data-field="{field.name}">{choices}</select>'


def checker_html(rules: pd.DataFrame, references: dict, sources=None, prefix: str = "checker",
                 trials: pd.DataFrame | None = None) -> str:
    """The checker as HTML: the form, an alert line for bad input, the results, and the rules as JSON.

    Parameters
    ----------
    rules : pandas.DataFrame
        The ``eligibility_rules`` evidence table.
    references : dict
        ``Evidence.references``, for the link of each rule to its source.
    sources : iterable of str, optional
        The sources to show (all by default): ``["review"]`` for chapter 7's candidate profile.
    prefix : str
        Prefix of the controls' ids, unique in the page.
    trials : pandas.DataFrame, optional
        The ``trials`` evidence table, whose ``name`` column names each trial.
    """
    data = checker_data(rules, references, sources, trials)
    controls = "".join(f'<div class="mbcbook-checker-field">{_control(f, prefix)}</div>' for f in vocabulary.FIELDS)
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<div class="mbcbook-checker" {CHECKER_MARKER} id="{prefix}">'
        '<p class="mbcbook-checker-warning"><strong>Teaching material, not a clinical decision tool.</strong> '
        "It shows how the review and the trials chose their patients; it says nothing about how to treat "
        "anyone.</p>"
        f'<form class="mbcbook-checker-form" aria-label="Patient profile">{controls}</form>'
        '<p class="mbcbook-checker-error" role="alert"></p>'
        '<div class="mbcbook-checker-results" aria-live="polite"></div>'
        f'<script type="application/json" class="mbcbook-checker-data">{payload}</script>'
        "</div>"
    )


class CheckerHTML:
    """The checker as a notebook output: HTML for the web book, a sentence for any other reader."""

    def __init__(self, html: str):
        self.html = html

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.html,
                "text/plain": "Eligibility checker (works in the web book; in a notebook, use the live checker)."}


def show_checker(ev, sources=None, prefix: str = "checker") -> CheckerHTML:
    """The web book's checker for ``ev``'s rules, as a cell's output."""
    return CheckerHTML(checker_html(ev.eligibility_rules, ev.references, sources, prefix, ev.trials))
