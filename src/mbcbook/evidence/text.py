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
import numbers
from dataclasses import dataclass

import pandas as pd

from ..paths import FACT_MIME
from .loader import Evidence
from .schema import TABLES_BY_NAME

UNCONFIRMED = " (unconfirmed)"
DASH = "\u2013"  # en dash for ranges, as in print


def with_status(label: str, status: str) -> str:
    """``label``, marked "(unconfirmed)" when ``status`` is ``unconfirmed``.

    Examples
    --------
    >>> with_status("Malaysia", "unconfirmed"), with_status("Japan", "confirmed")
    ('Malaysia (unconfirmed)', 'Japan')
    """
    return label + (UNCONFIRMED if status == "unconfirmed" else "")


@dataclass(frozen=True)
class Fact:
    """A formatted figure, its reference key and status, ready to glue into prose.

    Glued, it carries its provenance (:data:`mbcbook.paths.FACT_MIME`): the table, row and
    column it was read from, its reference key and its status, which the web book shows when a
    reader hovers over or focuses the number.

    >>> from mbcbook import evidence
    >>> bundle = fact(evidence.load(), "effects.tata-os")._repr_mimebundle_()
    >>> bundle["text/plain"]
    "'HR 1.04 (95% CI 0.81–1.34)'"
    >>> bundle[FACT_MIME]["table"], bundle[FACT_MIME]["row"], bundle[FACT_MIME]["ref"]
    ('effects', 'tata-os', 'badwe2015')
    """

    key: str
    text: str
    ref: str
    status: str
    table: str = ""
    row: str = ""
    column: str = ""
    #: For a figure computed from a data set rather than read from a table: what it was computed
    #: from and how (see :func:`computed`); empty for a fact of ``data/``.
    source: str = ""

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer, cycle) -> None:
        # As a string literal: {glue:text} passes text/plain through ast.literal_eval, which
        # would turn "2,881" into the tuple (2, 881); a quoted string comes back unchanged.
        printer.text(repr(self.text))

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        provenance = {"key": self.key, "table": self.table, "row": self.row, "column": self.column,
                      "ref": self.ref, "status": self.status}
        if self.source:
            provenance["source"] = self.source
        return {"text/plain": repr(self.text), FACT_MIME: provenance}


def _present(value) -> bool:
    """True for a value a table really holds (not None, NaN or pandas' NA)."""
    if value is None or value is pd.NA:
        return False
    try:
        return not math.isnan(value)
    except TypeError:  # text
        return True


def _real(value, what: str) -> float:
    """``value`` as a finite float, or a ValueError that says what was expected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}: the cell may be empty")
    return float(value)


def number(value: float, digits: int | None = None) -> str:
    """A number as published: no trailing zeros unless ``digits`` is given; thousands commas.

    Examples
    --------
    >>> number(2881), number(39.2), number(0.5, digits=2)
    ('2,881', '39.2', '0.50')
    """
    value = _real(value, "a figure")
    if digits is not None:
        return f"{value:,.{digits}f}"
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:.6g}"


def percent(proportion: float) -> str:
    """A proportion as a percentage, keeping the precision the source gave.

    Examples
    --------
    >>> percent(0.153), percent(0.06)
    ('15.3%', '6%')
    """
    proportion = _real(proportion, "a proportion")
    if not 0 <= proportion <= 1:
        raise ValueError(f"a proportion lies between 0 and 1 (0.44 for 44%), got {proportion:g}")
    return f"{number(round(proportion * 100, 6))}%"


def level(ci_level: float) -> str:
    """A confidence level as printed.

    Examples
    --------
    >>> level(0.9)
    '90%'
    """
    ci_level = _real(ci_level, "a confidence level")
    if not 0 < ci_level < 1:
        raise ValueError(f"a confidence level is a proportion such as 0.95, got {ci_level:g}")
    return f"{round(ci_level * 100):d}%"


def months(value: float) -> str:
    """A duration in months: 54.9 -> '54.9 months'."""
    return f"{number(value)} months"


def interval(low: float, high: float, fmt=number) -> str:
    """Two limits joined by an en dash, each formatted with ``fmt``: '0.69–1.07'."""
    if _real(low, "a lower limit") > _real(high, "an upper limit"):
        raise ValueError(f"the lower limit {low:g} is above the upper limit {high:g}")
    return f"{fmt(low)}{DASH}{fmt(high)}"


def _decimals(value: float) -> int:
    """Decimal places of a number as :func:`number` writes it: 0.7 -> 1, 1.043 -> 3, 2 -> 0."""
    written = number(value)
    return len(written.partition(".")[2])


def ratio_digits(*values) -> int:
    """Decimals for a ratio and its limits, as journals print them: at least two, all alike.

    A table stores 0.70 as the number 0.7; printed alone it would read "0.58–0.7".

    Examples
    --------
    >>> ratio_digits(0.63, 0.58, 0.7), ratio_digits(0.598, 0.343, 1.043), ratio_digits(1)
    (2, 3, 2)
    """
    return max([2] + [_decimals(v) for v in values if _present(v)])


def estimate_with_ci(measure: str, estimate: float, low, high, ci_level) -> str:
    """'HR 0.86 (90% CI 0.69–1.07)', or 'HR 0.69' when no interval is published.

    The estimate and its limits share one number of decimals, two at least, as published:

    >>> estimate_with_ci("HR", 0.63, 0.58, 0.7, 0.95), estimate_with_ci("HR", 0.6, None, None, None)
    ('HR 0.63 (95% CI 0.58–0.70)', 'HR 0.60')

    Raises
    ------
    ValueError
        When only one limit is given, or an interval comes without its confidence level.
    """
    if _present(low) != _present(high):
        raise ValueError("an interval needs both its limits")
    digits = ratio_digits(estimate, low, high)
    head = f"{measure} {number(estimate, digits)}"
    if not _present(low):
        return head
    if not _present(ci_level):
        raise ValueError("an interval needs its confidence level (0.90 or 0.95, as published)")
    return f"{head} ({level(ci_level)} CI {interval(low, high, lambda v: number(v, digits))})"


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


def _arm_phrase(row: pd.Series) -> str:
    if _present(row["median_os_months"]):
        return months(row["median_os_months"])
    if _present(row["landmark_os"]):
        return f"{percent(row['landmark_os'])} alive at {months(row['landmark_months'])}"
    raise KeyError("this arm has no published median or landmark survival; name a column, as in "
                   "arms.<id>.n_randomised")


#: Each table's standard phrase for a whole row (its main figure, with its interval).
_ROW_PHRASES = {
    "effects": _hazard_ratio_phrase,
    "meta_analyses": _hazard_ratio_phrase,
    "epidemiology": _share_phrase,
    "survival_trends": _measured_value_phrase,
    "observational_results": _measured_value_phrase,
    "arm_outcomes": _measured_value_phrase,
    "arms": lambda row: _arm_phrase(row),
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
    return Fact(key, phrase(table, row, column), row["ref"], row["status"], table, row_id, column or "")


def phrase(table: str, row: pd.Series, column: str | None = None) -> str:
    """A row's standard phrase, or one of its cells, marked when the row is unconfirmed.

    Only figures carry the marker; a label such as a cohort's years does not.
    """
    words = _cell(table, column, row[column]) if column else _row_phrase(table, row)
    is_figure = column is None or TABLES_BY_NAME[table].column(column).kind in ("int", "float", "proportion")
    return with_status(words, row["status"]) if is_figure else words


def glue_facts(ev: Evidence, keys: list[str]) -> dict[str, Fact]:
    """Glue each fact, with its provenance, under its own key for ``{glue:text}``; return them.

    Inside a notebook the facts are also returned, so a reader running it sees them.
    """
    return glue_computed({key: fact(ev, key) for key in keys}, keys)


#: Status of a figure computed live from a public data set (not read from a row of ``data/``).
COMPUTED = "computed"


def computed(key: str, words: str, ref: str, source: str) -> Fact:
    """A figure computed from a public data set, with the provenance a fact of ``data/`` carries.

    Its ``status`` is :data:`COMPUTED`, its ``ref`` the data set's reference key in
    ``data/references.bib``, and its ``source`` says what it was computed from and with what.

    Examples
    --------
    >>> value = computed("gbsg2.women", "686", "schumacher1994", "lifelines.datasets.load_gbsg2()")
    >>> str(value), value._repr_mimebundle_()[FACT_MIME]["source"]
    ('686', 'lifelines.datasets.load_gbsg2()')
    """
    if not words or not ref or not source:
        raise ValueError(f"a computed figure needs its words, reference key and source, got {words!r}, {ref!r}, "
                         f"{source!r}")
    return Fact(key, words, ref, COMPUTED, source=source)


def glue_computed(facts: dict[str, Fact], keys: list[str]) -> dict[str, Fact]:
    """Glue the facts named by ``keys`` (from ``facts``, as computed) for ``{glue:text}``; return them.

    The keys are listed in the chapter's setup cell, as for :func:`glue_facts`, so that a test can
    check that every figure the text pastes is glued.
    """
    from myst_nb import glue

    unknown = [key for key in keys if key not in facts]
    if unknown:
        raise KeyError(f"no figure called {', '.join(map(repr, unknown))}; known: {', '.join(facts)}")
    chosen = {key: facts[key] for key in keys}
    for key, value in chosen.items():
        glue(key, value, display=False)
    return chosen
