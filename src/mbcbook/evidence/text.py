"""Numbers from the evidence tables, formatted for prose, and glued into the chapters.

A chapter never types a figure: it names the facts it uses and pastes them with
``{glue:text}`` (myst-nb). A fact is addressed as ``table.row_id`` (the row's standard
phrase, such as ``HR 0.86 (90% CI 0.69-1.07)``) or ``table.row_id.column`` (one cell).

>>> from mbcbook import evidence
>>> from mbcbook.evidence import text
>>> ev = evidence.load()
>>> str(text.fact(ev, "effects.jcog1017-os"))
'HR 0.86 (90% CI 0.69–1.07)'

Every fact from a row whose status is ``unconfirmed`` carries the words "(unconfirmed)", so
that status stays visible wherever the number goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .loader import Evidence
from .schema import TABLES_BY_NAME

UNCONFIRMED = " (unconfirmed)"
DASH = "\u2013"  # en dash for ranges, as in print


@dataclass(frozen=True)
class Fact:
    """A formatted figure, its reference key and status, ready to glue into prose."""

    key: str
    text: str
    ref: str
    status: str

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer, cycle) -> None:
        # As a string literal: {glue:text} passes text/plain through ast.literal_eval, which
        # would turn "2,881" into the tuple (2, 881); a quoted string comes back unchanged.
        printer.text(repr(self.text))


def number(value: float, digits: int | None = None) -> str:
    """A number as published: no trailing zeros unless ``digits`` is given; thousands commas."""
    if digits is not None:
        return f"{value:,.{digits}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:.6g}"


def percent(proportion: float) -> str:
    """0.153 -> '15.3%'; 0.06 -> '6%'. Keeps the precision the source gave."""
    value = round(proportion * 100, 6)
    return f"{number(value)}%"


def level(ci_level: float) -> str:
    """A confidence level as printed: 0.9 -> '90%'."""
    return f"{round(ci_level * 100):d}%"


def months(value: float) -> str:
    """A duration in months: 54.9 -> '54.9 months'."""
    return f"{number(value)} months"


def interval(low: float, high: float, fmt=number) -> str:
    """Two limits joined by an en dash, each formatted with ``fmt``: '0.69–1.07'."""
    return f"{fmt(low)}{DASH}{fmt(high)}"


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA


def estimate_with_ci(measure: str, estimate: float, low, high, ci_level) -> str:
    """'HR 0.86 (90% CI 0.69–1.07)', or 'HR 0.69' when no interval is published."""
    head = f"{measure} {number(estimate)}"
    if _present(low) and _present(high):
        return f"{head} ({level(ci_level)} CI {interval(low, high)})"
    return head


def _cell(table: str, column: str, value) -> str:
    col = TABLES_BY_NAME[table].column(column)
    if not _present(value):
        raise KeyError(f"{table}.{column} is empty for this row; the chapter cannot cite it")
    if col.kind == "proportion":
        return percent(value)
    if col.unit == "months":
        return months(value)
    if col.kind in ("int", "float"):
        return number(value)
    return str(value)


def _hazard_ratio_phrase(row: pd.Series) -> str:
    return estimate_with_ci(row["measure"], row["estimate"], row["ci_low"], row["ci_high"], row["ci_level"])


def _share_phrase(row: pd.Series) -> str:
    if _present(row["share"]) and _present(row["share_low"]):
        return f"{percent(row['share'])} ({interval(row['share_low'], row['share_high'], percent)})"
    if _present(row["share"]):
        return percent(row["share"])
    return interval(row["share_low"], row["share_high"], percent)


#: How a ``value`` is written, by the row's ``measure`` (tables with measure and value columns).
_MEASURE_FORMATS = {
    "median_os_months": months,
    "median_months": months,
    "os_3y": percent,
    "proportion": percent,
    "cumulative_incidence": percent,
    "count": number,
    "p_value": lambda value: f"p={number(value)}",
}


def _measured_value_phrase(row: pd.Series) -> str:
    fmt = _MEASURE_FORMATS.get(row["measure"])
    if fmt is not None:
        return fmt(row["value"])
    return estimate_with_ci("HR", row["value"], row["ci_low"], row["ci_high"], row["ci_level"])


#: Each table's standard phrase for a whole row (its main figure, with its interval).
_ROW_PHRASES = {
    "effects": _hazard_ratio_phrase,
    "meta_analyses": _hazard_ratio_phrase,
    "epidemiology": _share_phrase,
    "survival_trends": _measured_value_phrase,
    "observational_results": _measured_value_phrase,
    "arm_outcomes": _measured_value_phrase,
    "arms": lambda row: months(row["median_os_months"]),
}


def _row_phrase(table: str, row: pd.Series) -> str:
    """The standard phrase for a row: its main figure, with its interval where published."""
    if table not in _ROW_PHRASES:
        raise KeyError(f"{table} rows have no standard phrase; name a column, as in {table}.<id>.<column>")
    return _ROW_PHRASES[table](row)


def fact(ev: Evidence, key: str) -> Fact:
    """The fact ``table.row_id`` or ``table.row_id.column``, formatted for prose."""
    table, _, rest = key.partition(".")
    if table not in TABLES_BY_NAME or not rest:
        raise KeyError(f"fact keys look like 'effects.tata-os' or 'trials.tata.n_randomised', got {key!r}")
    frame = ev.table(table)
    row_id, column = rest, None
    if row_id not in frame.index and "." in rest:
        row_id, _, column = rest.rpartition(".")
    if row_id not in frame.index:
        raise KeyError(f"no row {row_id!r} in {table}.csv (fact {key!r})")
    row = frame.loc[row_id]
    if column is not None and column not in row.index:
        raise KeyError(f"{table}.csv has no column {column!r} (fact {key!r})")
    return Fact(key, phrase(table, row, column), row["ref"], row["status"])


def phrase(table: str, row: pd.Series, column: str | None = None) -> str:
    """A row's standard phrase, or one of its cells, marked when the row is unconfirmed.

    Only figures carry the marker; a label such as a cohort's years does not.
    """
    words = _cell(table, column, row[column]) if column else _row_phrase(table, row)
    is_figure = column is None or TABLES_BY_NAME[table].column(column).kind in ("int", "float", "proportion")
    if row["status"] == "unconfirmed" and is_figure:
        words += UNCONFIRMED
    return words


def glue_facts(ev: Evidence, keys: list[str]) -> dict[str, Fact]:
    """Glue each fact under its own key for ``{glue:text}`` and return them.

    Inside a notebook the facts are also returned, so a reader running it sees them.
    """
    from myst_nb import glue

    facts = {key: fact(ev, key) for key in keys}
    for key, value in facts.items():
        glue(key, value, display=False)
    return facts
