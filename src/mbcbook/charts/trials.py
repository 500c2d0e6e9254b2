"""The randomised trials side by side: a table the reader filters and sorts, and a forest plot.

:func:`comparison_table` gives one row per trial of ``data/trials.csv``: when surgery came
relative to systemic therapy, country, patients randomised, who was eligible, the overall-survival
result with the confidence level it was published with, the local-control result, and how accrual
ended. :func:`comparison_html` writes it for the web book with a filter (timing of surgery, or
any word) and sortable columns, run by the site's ``mbcbook-table.js`` with no kernel; with no
script, the whole table still reads.

:func:`trial_forest_chart` draws each trial's overall-survival hazard ratio grouped by the timing
of surgery, every row labelled with its interval's level (90% or 95%, as published), and, in a
panel of their own in another colour, the pooled estimates of the observational studies, so
that the two kinds of evidence are never read as one series. Its tooltips give the citation.
"""

from __future__ import annotations

from html import escape

import altair as alt
import pandas as pd

from ..errors import ChartError
from ..evidence import text
from .bars import FIT_WIDTH, _require_rows
from .forest import (
    BELOW_ONE,
    DIRECTION_NOT_STATED,
    confidence_interval,
    direction_stated,
    hazard_ratio,
    outcome_words,
    stacked_panels,
)
from .theme import PALETTE

#: Written on the table's container; the site loads ``mbcbook-table.js`` only where it finds it
#: (mbcbook.site.pages keeps its own copy: the site does not import the charts).
TABLE_MARKER = "data-mbcbook-table"
TIMINGS = {"before_systemic": "Surgery first, then systemic therapy",
           "after_systemic": "Surgery after a response to systemic therapy"}
OBSERVATIONAL = "Pooled observational studies (not randomised)"
PANEL_COLOURS = {TIMINGS["before_systemic"]: PALETTE["blue"], TIMINGS["after_systemic"]: PALETTE["green"],
                 OBSERVATIONAL: PALETTE["vermillion"]}
#: Outcomes counted as local control, from data/effects.csv (hazard ratios) and data/arm_outcomes.csv.
LOCAL_OUTCOMES = ("local_relapse_free_survival", "local_progression_free_survival", "locoregional_progression",
                  "locoregional_progression_free_survival")
ACCRUAL = {"completed": "completed", "stopped_early": "stopped early for poor accrual"}


def citation(references: dict, key: str) -> str:
    """A short citation for a reference key: "Badwe et al. 2015, Lancet Oncology".

    Examples
    --------
    >>> from mbcbook import evidence
    >>> citation(evidence.load().references, "badwe2015")
    'Badwe et al. 2015, Lancet Oncology'
    """
    reference = references.get(key)
    if reference is None:
        return key
    fields, authors = reference.fields, reference.authors
    who = (authors[0] + (" et al." if len(authors) > 1 else "")) if authors else key
    where = fields.get("journal") or fields.get("booktitle") or fields.get("howpublished") or ""
    return f"{who} {fields.get('year', '')}".strip() + (f", {where.replace('{', '').replace('}', '')}"
                                                          if where else "")


def _report_name(trial: str, row: pd.Series) -> str:
    report = "" if row["report"] == "primary" else f", {row['report']}"
    return f"{trial}{report}" + ("" if direction_stated(row) else f" {DIRECTION_NOT_STATED}")


def forest_rows(effects: pd.DataFrame, trials: pd.DataFrame, meta_analyses: pd.DataFrame,
                references: dict) -> pd.DataFrame:
    """Rows of :func:`trial_forest_chart`: each trial's overall-survival HRs by timing, then observational pools.

    Every report of a trial's whole population is drawn (a later update, a conference report),
    not its unplanned subgroups.

    Parameters
    ----------
    effects, trials, meta_analyses : pandas.DataFrame
        The evidence tables of the same names.
    references : dict
        The bibliography (:attr:`mbcbook.evidence.Evidence.references`), for the tooltips' citations.

    Returns
    -------
    pandas.DataFrame
        One row per hazard ratio: ``row_id``, ``panel``, ``name``, ``row_label`` (name and HR with
        its interval and level), the figures, ``level`` ("95%", "90%" or "not published"),
        ``direction_stated``, ``status``, ``ref`` and ``citation``.

    Raises
    ------
    mbcbook.errors.ChartError
        When no trial has an overall-survival hazard ratio.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> rows = forest_rows(ev.effects, ev.trials, ev.meta_analyses, ev.references).set_index("row_id")
    >>> rows.loc["jcog1017-os", ["panel", "row_label"]].tolist()
    ['Surgery after a response to systemic therapy', 'JCOG1017 (PRIM-BC): HR 0.86 (90% CI 0.69–1.07)']
    """
    _require_rows(effects, "effects")
    survival = effects[(effects["outcome"] == "overall_survival") & (effects["measure"] == "HR")
                       & (effects["analysis"] == "primary")]
    rows = []
    for timing, panel in TIMINGS.items():
        for trial_id, trial in trials[trials["surgery_timing"] == timing].iterrows():
            for effect_id, row in survival[survival["trial_id"] == trial_id].iterrows():
                name = _report_name(trial["name"], row)
                rows.append(_row(effect_id, panel, name, row, direction_stated(row), references))
    if not rows:
        raise ChartError("no trial has an overall-survival hazard ratio in data/effects.csv: nothing to draw")
    pooled = meta_analyses[(meta_analyses["outcome"] == "overall_survival") & (meta_analyses["measure"] == "HR")
                           & (meta_analyses["study_design"] == "observational")]
    for result_id, row in pooled.iterrows():
        rows.append(_row(result_id, OBSERVATIONAL, row["analysis"], row, True, references))
    return pd.DataFrame(rows)


def _row(row_id: str, panel: str, name: str, row: pd.Series, stated: bool, references: dict) -> dict:
    return {
        "row_id": row_id, "panel": panel,
        "name": text.with_status(name, row["status"]),
        "row_label": text.with_status(f"{name}: {hazard_ratio(row)}", row["status"]),
        "estimate": row["estimate"], "ci_low": row["ci_low"], "ci_high": row["ci_high"],
        "ci_level": row["ci_level"], "interval": confidence_interval(row),
        "level": text.level(row["ci_level"]) if pd.notna(row["ci_level"]) else "not published",
        "direction_stated": stated, "status": row["status"], "ref": row["ref"],
        "citation": citation(references, row["ref"]),
    }


def trial_forest_chart(effects: pd.DataFrame, trials: pd.DataFrame, meta_analyses: pd.DataFrame,
                       references: dict) -> alt.VConcatChart:
    """Overall survival in each randomised trial, grouped by the timing of surgery, with the observational pools apart.

    Parameters
    ----------
    effects, trials, meta_analyses : pandas.DataFrame
        The evidence tables of the same names.
    references : dict
        The bibliography, for the tooltips' citations.

    Returns
    -------
    altair.VConcatChart
        One panel per timing of surgery, then one of pooled observational studies, as wide as
        the page; its ``description`` is its text alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> spec = trial_forest_chart(ev.effects, ev.trials, ev.meta_analyses, ev.references).to_dict()
    >>> spec["description"].startswith("Forest plot of overall survival")
    True
    """
    data = forest_rows(effects, trials, meta_analyses, references)
    stacked, panels = stacked_panels(data, "panel", PANEL_COLOURS, ["Hazard ratio of death (log scale)", BELOW_ONE])
    sentences = []
    for panel in panels:
        rows = data[data["panel"] == panel]
        sentences.append(f"{panel}: " + "; ".join(rows["row_label"]))
    unstated = data.loc[~data["direction_stated"], "name"].tolist()
    return stacked.properties(
        autosize=FIT_WIDTH,
        title=alt.Title(
            "Overall survival in the randomised trials, by timing of surgery, and the observational studies apart",
            subtitle=["Squares: hazard ratios of death, surgery of the primary against none; lines: confidence "
                      "intervals at the level each source published (90% or 95%, written on each row).",
                      "Dashed line: HR 1, no difference. Hollow square: the report does not say which arm is "
                      "the reference. The observational pools are not randomised comparisons."],
        ),
        description=(
            "Forest plot of overall survival: hazard ratios of death with surgery of the primary tumour against "
            "none (below 1 favours surgery), on a log scale, randomised trials grouped by when surgery came, and "
            "pooled observational studies in a separate panel. " + ". ".join(sentences) + "."
            + (f" {' and '.join(unstated)}: the report does not say which arm is the reference, so the direction "
               "is not interpreted." if unstated else "")
        ),
    )


def trial_forest_alt_table(effects: pd.DataFrame, trials: pd.DataFrame, meta_analyses: pd.DataFrame,
                           references: dict) -> pd.DataFrame:
    """The data table of :func:`trial_forest_chart`, one row per row of the chart, in the same order."""
    data = forest_rows(effects, trials, meta_analyses, references)
    return pd.DataFrame({
        "Group": data["panel"],
        "Result": data["name"],
        "Hazard ratio": [text.number(v) for v in data["estimate"]],
        "Confidence interval": data["interval"],
        "Compared": ["surgery against no surgery" if s else "not stated" for s in data["direction_stated"]],
        "Status": data["status"],
        "Source": data["citation"],
    })


# ------------------------------------------------------------------ the comparison table

def _local_control(trial_id: str, effects: pd.DataFrame, arms: pd.DataFrame, arm_outcomes: pd.DataFrame) -> str:
    """The trial's local-control results in words, from effects.csv and arm_outcomes.csv."""
    parts = []
    local = effects[(effects["trial_id"] == trial_id) & effects["outcome"].isin(LOCAL_OUTCOMES)]
    for _, row in local.iterrows():
        parts.append(f"{outcome_words(row['outcome'])}: {hazard_ratio(row)}")
    trial_arms = arms[arms["trial_id"] == trial_id]
    outcomes = arm_outcomes[arm_outcomes["arm_id"].isin(trial_arms.index) & arm_outcomes["outcome"].isin(
        LOCAL_OUTCOMES)]
    for outcome, group in outcomes.groupby("outcome", sort=False, observed=True):
        values = []
        for _, row in group.iterrows():
            arm = "with surgery" if trial_arms.loc[row["arm_id"], "arm"] == "lrt" else "without"
            shown = text.percent(row["value"]) if row["measure"] == "cumulative_incidence" else (
                f"median {text.months(row['value'])}")
            values.append(f"{shown} {arm}")
        when = group["time_months"].iloc[0]
        at = f" at {text.number(when)} months" if pd.notna(when) else ""
        parts.append(f"{outcome_words(outcome)}{at}: {', '.join(values)}")
    return "; ".join(parts) if parts else "no local-control figure entered in data/"


def _overall_survival(trial_id: str, effects: pd.DataFrame) -> tuple[str, float | None]:
    rows = effects[(effects["trial_id"] == trial_id) & (effects["outcome"] == "overall_survival")
                   & (effects["analysis"] == "primary") & (effects["measure"] == "HR")]
    if rows.empty:
        return "no result published", None
    primary = rows[rows["report"] == "primary"]
    row = (primary if len(primary) else rows).iloc[0]
    return hazard_ratio(row) + ("" if direction_stated(row) else f" {DIRECTION_NOT_STATED}"), float(row["estimate"])


def comparison_table(trials: pd.DataFrame, effects: pd.DataFrame, arms: pd.DataFrame,
                     arm_outcomes: pd.DataFrame, references: dict) -> pd.DataFrame:
    """Every randomised trial side by side, one row each, in the order of ``data/trials.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``Trial``, ``Timing of surgery``, ``Country``, ``Randomised``, ``Population``,
        ``Overall survival``, ``Local control``, ``Accrual`` and ``Source``, and, for sorting,
        ``timing`` (the code), ``randomised_n`` and ``os_hr`` (missing where not published).

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> table = comparison_table(ev.trials, ev.effects, ev.arms, ev.arm_outcomes, ev.references).set_index("Trial")
    >>> table.loc["ECOG-ACRIN E2108", "Overall survival"]
    'HR 1.11 (90% CI 0.82–1.52)'
    """
    _require_rows(trials, "trials")
    rows = []
    for trial_id, trial in trials.iterrows():
        survival, hr = _overall_survival(trial_id, effects)
        n = trial["n_randomised"]
        if pd.notna(n):
            randomised = text.number(n)
        elif pd.notna(trial["n_enrolled"]):
            randomised = f"{text.number(trial['n_enrolled'])} enrolled"
        else:
            randomised = "not published"
        if trial["accrual"] == "stopped_early" and pd.notna(trial["n_planned"]):
            randomised += f" (of {text.number(trial['n_planned'])} planned)"
        rows.append({
            "Trial": text.with_status(trial["name"], trial["status"]),
            "Timing of surgery": TIMINGS[trial["surgery_timing"]],
            "Country": trial["country"],
            "Randomised": randomised,
            "Population": trial["design"],
            "Overall survival": survival,
            "Local control": _local_control(trial_id, effects, arms, arm_outcomes),
            "Accrual": ACCRUAL[trial["accrual"]],
            "Source": citation(references, trial["ref"]),
            "timing": trial["surgery_timing"],
            "randomised_n": n if pd.notna(n) else trial["n_enrolled"],
            "os_hr": hr,
        })
    return pd.DataFrame(rows)


#: The columns the reader sorts by, and the column whose value sorts each.
SORTABLE = {"Trial": "Trial", "Timing of surgery": "timing", "Country": "Country", "Randomised": "randomised_n",
            "Overall survival": "os_hr"}
SHOWN = ("Trial", "Timing of surgery", "Country", "Randomised", "Population", "Overall survival",
         "Local control", "Accrual", "Source")


def comparison_html(table: pd.DataFrame, prefix: str = "trials") -> str:
    """The comparison table for the web book: a filter by timing, a word filter, and sortable columns.

    ``prefix`` makes the controls' ids unique on a page. Every cell of a sortable column carries
    the value it sorts by (``data-sort``); a column with no value sorts last either way.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> ev = evidence.load()
    >>> html = comparison_html(comparison_table(ev.trials, ev.effects, ev.arms, ev.arm_outcomes, ev.references))
    >>> html.count("<tr data-timing=")
    6
    """
    options = "".join(f'<option value="{code}">{escape(words)}</option>' for code, words in TIMINGS.items())
    head = []
    for column in SHOWN:
        if column in SORTABLE:
            head.append(f'<th scope="col" aria-sort="none"><button type="button" data-sort-key="{escape(column)}">'
                        f'{escape(column)}<span aria-hidden="true"></span></button></th>')
        else:
            head.append(f'<th scope="col">{escape(column)}</th>')
    body = []
    for _, row in table.iterrows():
        cells = []
        for column in SHOWN:
            key = SORTABLE.get(column)
            sort = ""
            if key is not None:
                value = row[key]
                sort = f' data-sort="{"" if pd.isna(value) else escape(str(value))}"'
            tag = "th scope=\"row\"" if column == "Trial" else "td"
            cells.append(f'<{tag} data-column="{escape(column)}"{sort}>{escape(str(row[column]))}</{tag.split()[0]}>')
        body.append(f'<tr data-timing="{row["timing"]}">{"".join(cells)}</tr>')
    return (
        f'<div class="mbcbook-table" {TABLE_MARKER}="{prefix}" id="{prefix}-comparison">'
        f'<div class="mbcbook-table-controls" hidden>'
        f'<label for="{prefix}-timing">Timing of surgery</label>'
        f'<select id="{prefix}-timing" data-filter="timing"><option value="">all trials</option>{options}</select>'
        f'<label for="{prefix}-words">Rows containing</label>'
        f'<input id="{prefix}-words" type="search" data-filter="words" placeholder="a word, e.g. Japan">'
        f'<span>Choose a column\'s heading to sort by it; choose it again to reverse the order.</span>'
        f'</div>'
        f'<p class="mbcbook-table-status" role="status" aria-live="polite" hidden></p>'
        f'<div class="mbcbook-table-scroll" tabindex="0" role="region" aria-label="The randomised trials side by side">'
        f'<table><caption>The randomised trials side by side (data/trials.csv, data/effects.csv, '
        f'data/arm_outcomes.csv)</caption>'
        f'<thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody></table></div></div>'
    )


class ComparisonHTML:
    """The comparison table as notebook output: HTML for the web book and a notebook, text otherwise."""

    def __init__(self, html: str, table: pd.DataFrame):
        self.html, self.table = html, table

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.html, "text/plain": self.table[list(SHOWN)].to_string(index=False)}


def show_comparison(ev, prefix: str = "trials") -> ComparisonHTML:
    """The trials' comparison table for a chapter (the value of its last line is displayed)."""
    table = comparison_table(ev.trials, ev.effects, ev.arms, ev.arm_outcomes, ev.references)
    return ComparisonHTML(comparison_html(table, prefix), table)
