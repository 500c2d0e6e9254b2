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
    return f"{round(ci_level * 100):d}%"


def months(value: float) -> str:
    return f"{number(value)} months"


def interval(low: float, high: float, fmt=number) -> str:
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


def _row_phrase(table: str, row: pd.Series) -> str:
    """The standard phrase for a row: its main figure, with its interval where published."""
    if table in ("effects", "meta_analyses"):
        return estimate_with_ci(row["measure"], row["estimate"], row["ci_low"], row["ci_high"], row["ci_level"])
    if table == "epidemiology":
        if _present(row["share"]) and _present(row["share_low"]):
            return f"{percent(row['share'])} ({interval(row['share_low'], row['share_high'], percent)})"
        if _present(row["share"]):
            return percent(row["share"])
        return interval(row["share_low"], row["share_high"], percent)
    if table in ("survival_trends", "observational_results", "arm_outcomes"):
        measure = row["measure"]
        value = row["value"]
        if measure in ("median_os_months", "median_months"):
            return months(value)
        if measure in ("os_3y", "proportion", "cumulative_incidence"):
            return percent(value)
        if measure == "count":
            return number(value)
        if measure == "p_value":
            return f"p={number(value)}"
        label = "HR"
        return estimate_with_ci(label, value, row["ci_low"], row["ci_high"], row["ci_level"])
    if table == "arms":
        return months(row["median_os_months"])
    raise KeyError(f"{table} rows have no standard phrase; name a column, as in {table}.<id>.<column>")


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
