"""Load and validate the evidence tables in ``data/``.

>>> from mbcbook import evidence
>>> ev = evidence.load()
>>> float(ev.effects.loc["jcog1017-os", "ci_level"])  # E2108 and JCOG1017 report 90% intervals
0.9

Every table is checked against :mod:`mbcbook.evidence.schema` before anything else sees it: required
columns, types, ranges, confidence intervals that contain their estimate, unique ids, ids
that other tables point to, and reference keys that exist in ``references.bib``. Every
problem found is reported at once, each with its file, row and column, in one
:class:`EvidenceError`. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import EvidenceError, Problem
from ..paths import BIB_FILE
from .schema import CI_LEVELS, TABLES, TABLES_BY_NAME, AnyOf, Column, Interval, Table

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Reference:
    """One entry of ``references.bib``: its key, type (``article``, ``misc``, ...) and fields."""

    key: str
    entry_type: str
    fields: dict[str, str]

    @property
    def doi(self) -> str | None:
        """The entry's DOI, or None."""
        return self.fields.get("doi")

    @property
    def pmid(self) -> str | None:
        """The entry's PubMed id, or None."""
        # BibTeX field "pubmed", which pybtex's styles print as a PubMed link.
        return self.fields.get("pubmed")


@dataclass
class Evidence:
    """Every validated table, indexed by its id column, plus the references."""

    directory: Path
    trials: pd.DataFrame
    arms: pd.DataFrame
    arm_outcomes: pd.DataFrame
    effects: pd.DataFrame
    meta_analyses: pd.DataFrame
    observational_studies: pd.DataFrame
    observational_results: pd.DataFrame
    epidemiology: pd.DataFrame
    survival_trends: pd.DataFrame
    references: dict[str, Reference] = field(repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (``"trials"``, ``"effects"``, ...); KeyError lists the names."""
        if name not in TABLES_BY_NAME:
            known = ", ".join(TABLES_BY_NAME)
            raise KeyError(f"No evidence table called {name!r}; the tables are: {known}")
        return getattr(self, name)


def data_dir() -> Path:
    """Where the tables are read from (see :func:`mbcbook.paths.data_dir`)."""
    try:
        return paths.data_dir()
    except FileNotFoundError as error:
        raise EvidenceError([Problem(str(paths.PACKAGE), None, None, str(error))]) from None


# ---------------------------------------------------------------- references


def load_references(directory: Path | None = None) -> dict[str, Reference]:
    """Parse ``references.bib``; a syntax error or duplicate key is an EvidenceError."""
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    path = Path(directory or data_dir()) / BIB_FILE
    if not path.is_file():
        raise EvidenceError([Problem(str(path), None, None, "file not found")])
    try:
        bib = parse_file(str(path), bib_format="bibtex")
    except PybtexError as exc:  # includes duplicate keys and syntax errors
        raise EvidenceError([Problem(str(path), None, None, str(exc))]) from None
    refs = {}
    for key, entry in bib.entries.items():
        fields = {name.lower(): str(value) for name, value in entry.fields.items()}
        refs[key] = Reference(key, entry.type.lower(), fields)
    return refs


# ---------------------------------------------------------------- cells

Cell = tuple[object, str | None]  # (value, problem message or None)


def _parse_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _as_text(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    return text, None


def _as_id(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    if not _ID_PATTERN.match(text):
        return None, f"ids use lowercase letters, digits and single hyphens, got {text!r}"
    return text, None


def _as_category(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    if text not in col.allowed:
        return None, f"must be one of {', '.join(col.allowed)}; got {text!r}"
    return text, None


def _as_ref(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    if text not in ref_keys:
        return None, f"reference key {text!r} is not in {BIB_FILE}"
    return text, None


def _as_foreign(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    if col.references not in foreign_ids:
        return text, None  # that table could not be read; its own problem is reported
    if text not in foreign_ids[col.references]:
        return None, f"{text!r} is not an id in {col.references}.csv"
    return text, None


def _as_int(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    try:
        value = _parse_number(text)
    except ValueError:
        return None, f"expected a whole number, got {text!r}"
    if value != int(value):
        return None, f"expected a whole number, got {text!r}"
    return int(value), None


def _as_float(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    try:
        return _parse_number(text), None
    except ValueError:
        return None, f"expected a number, got {text!r}"


def _as_proportion(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    value, message = _as_float(col, text, ref_keys, foreign_ids)
    if message is None and not 0 < value < 1:
        hint = f"; write {value / 100:g} for {value:g}%" if 1 < value < 100 else ""
        return None, f"expected a proportion strictly between 0 and 1, got {text}{hint}"
    return value, message


def _as_ci_level(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    value, message = _as_float(col, text, ref_keys, foreign_ids)
    if message is None and not any(math.isclose(value, level) for level in CI_LEVELS):
        return None, f"confidence level must be 0.90 or 0.95 (as published), got {text}"
    return value, message


#: How each kind of column turns a non-empty cell into a value (see :class:`Column`).
_PARSERS = {
    "text": _as_text,
    "id": _as_id,
    "category": _as_category,
    "ref": _as_ref,
    "foreign": _as_foreign,
    "int": _as_int,
    "float": _as_float,
    "proportion": _as_proportion,
    "ci_level": _as_ci_level,
}


def _check_cell(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> Cell:
    """Convert one non-empty cell; return (value, problem message or None)."""
    value, message = _PARSERS[col.kind](col, text, ref_keys, foreign_ids)
    if message is None and col.minimum is not None:
        too_small = value < col.minimum if col.minimum_inclusive else value <= col.minimum
        if too_small:
            sign = "at least" if col.minimum_inclusive else "greater than"
            return None, f"must be {sign} {col.minimum:g}, got {text}"
    return value, message


def _dtype(col: Column):
    if col.kind == "category":
        return pd.CategoricalDtype(list(col.allowed))
    if col.kind == "int":
        return "Int64"
    if col.kind in ("float", "proportion", "ci_level"):
        return "float64"
    return "string"


# ---------------------------------------------------------------- rows
# Each check takes the table, one row's values and returns (column, message) pairs. A check
# is skipped where one of its cells was already reported as invalid, so that one mistake
# gives one message.


def _bracket(lo: float, hi: float, lo_inc: bool, hi_inc: bool) -> str:
    return f"{'[' if lo_inc else '('}{lo:g}, {hi:g}{']' if hi_inc else ')'}"


def _interval_problems(iv: Interval, row: dict) -> list[tuple[str, str]]:
    est, low, high = row.get(iv.estimate), row.get(iv.low), row.get(iv.high)
    level = row.get(iv.level) if iv.level else None
    if (low is None) != (high is None):
        return [(iv.high if high is None else iv.low, "an interval needs both its limits")]
    if low is None:
        if iv.level and level is not None:
            return [(iv.level, "a confidence level is given without an interval")]
        return []
    found = []
    if iv.level and level is None:
        found.append((iv.level, "an interval needs its confidence level (0.90 or 0.95, as published)"))
    if low > high:
        found.append((iv.high, f"upper limit {high:g} is below lower limit {low:g}"))
    elif est is not None and not low <= est <= high:
        found.append((iv.estimate, f"{est:g} lies outside its interval {low:g}-{high:g} ({iv.low}, {iv.high})"))
    return found


def _p_value_problems(p_col: str, op_col: str, row: dict) -> list[tuple[str, str]]:
    if (row.get(p_col) is None) != (row.get(op_col) is None):
        missing = op_col if row.get(op_col) is None else p_col
        return [(missing, f"{p_col} and {op_col} are given together or not at all")]
    if row.get(p_col) is not None and row[p_col] > 1:
        return [(p_col, f"a p-value is at most 1, got {row[p_col]:g}")]
    return []


def _value_range_problems(table: Table, row: dict) -> list[tuple[str, str]]:
    bounds = table.value_ranges.get(row.get(table.measure_column))
    value = row.get(table.value_column)
    if not bounds or value is None:
        return []
    lo, hi, lo_inc, hi_inc = bounds
    if (value >= lo if lo_inc else value > lo) and (value <= hi if hi_inc else value < hi):
        return []
    return [(table.value_column,
             f"a {row[table.measure_column]} must lie in {_bracket(lo, hi, lo_inc, hi_inc)}, got {value:g}")]


def _any_of_problems(rule: AnyOf, row: dict) -> list[tuple[str, str]]:
    return [] if any(row.get(c) is not None for c in rule.columns) else [(rule.column, rule.message)]


def _row_checks(table: Table) -> list[tuple[tuple[str, ...], object]]:
    """Every declared row check of ``table``: (the columns it reads, the check)."""
    checks: list[tuple[tuple[str, ...], object]] = []
    for iv in table.intervals:
        columns = tuple(c for c in (iv.estimate, iv.low, iv.high, iv.level) if c)
        checks.append((columns, lambda row, iv=iv: _interval_problems(iv, row)))
    for p_col, op_col in table.p_values:
        checks.append(((p_col, op_col), lambda row, p=p_col, op=op_col: _p_value_problems(p, op, row)))
    if table.value_ranges:
        checks.append(((table.measure_column, table.value_column), lambda row: _value_range_problems(table, row)))
    for rule in table.any_of:
        checks.append((rule.columns, lambda row, rule=rule: _any_of_problems(rule, row)))
    return checks


def _row_problems(table: Table, values: list[dict], invalid: set[tuple[int, str]], path: str,
                  lines: list[int]) -> list[Problem]:
    """Checks that involve several cells of a row (declared in the schema)."""
    problems = []
    checks = _row_checks(table)
    for index, row in enumerate(values):
        bad = {col for (i, col) in invalid if i == index}
        for columns, check in checks:
            if bad.intersection(columns):
                continue
            problems.extend(Problem(path, lines[index], column, message) for column, message in check(row))
    return problems


def _header_problems(table: Table, header: list[str], path: str) -> list[Problem]:
    expected = [c.name for c in table.columns]
    problems = [Problem(path, 1, name, "required column is missing from the header")
                for name in expected if name not in header]
    problems += [Problem(path, 1, name, "unknown column: add it to mbcbook/evidence/schema.py first, or remove it")
                 for name in header if name not in expected]
    return problems


def _column_values(col: Column, cells, lines: list[int], path: str, ref_keys: set[str],
                   foreign_ids: dict[str, set[str]]) -> tuple[list, list[Problem], set[int]]:
    """One column's cells converted: (values, problems, indexes of invalid cells)."""
    values, problems, invalid = [], [], set()
    seen: dict[str, int] = {}
    for index, text in enumerate(cells):
        text = text.strip()
        if not text:
            if col.required:
                problems.append(Problem(path, lines[index], col.name, "required value is empty"))
            values.append(None)
            continue
        value, message = _check_cell(col, text, ref_keys, foreign_ids)
        if message:
            problems.append(Problem(path, lines[index], col.name, message))
            invalid.add(index)
        elif col.kind == "id":
            if text in seen:
                problems.append(Problem(path, lines[index], col.name,
                                        f"duplicate id {text!r} (first used in row {seen[text]})"))
            else:
                seen[text] = lines[index]
        values.append(value)
    return values, problems, invalid


def read_table(table: Table, directory: Path, ref_keys: set[str],
               foreign_ids: dict[str, set[str]]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV and check it cell by cell and row by row.

    Parameters
    ----------
    table : Table
        The table's schema.
    directory : Path
        The folder holding the CSV file.
    ref_keys : set of str
        The keys of ``references.bib``.
    foreign_ids : dict
        The ids of the tables read before this one, by table name.

    Returns
    -------
    tuple
        The typed DataFrame (indexed by the id column), or None when the file cannot be read
        at all; and the list of problems found.
    """
    path = Path(directory) / table.file
    shown = str(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, "file not found")]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, None, None, f"not a readable CSV file: {exc}")]
    problems = _header_problems(table, list(raw.columns), shown)
    if problems:
        return None, problems
    lines = [index + 2 for index in range(len(raw))]  # the header is row 1
    columns: dict[str, list] = {}
    invalid: set[tuple[int, str]] = set()
    for col in table.columns:
        values, found, bad = _column_values(col, raw[col.name], lines, shown, ref_keys, foreign_ids)
        columns[col.name] = values
        problems.extend(found)
        invalid.update((index, col.name) for index in bad)
    rows = [{name: columns[name][index] for name in columns} for index in range(len(raw))]
    problems.extend(_row_problems(table, rows, invalid, shown, lines))
    frame = pd.DataFrame({col.name: pd.Series(columns[col.name], dtype=_dtype(col)) for col in table.columns})
    return frame.set_index(table.id_column), problems


def _fingerprint(directory: Path) -> tuple:
    files = [directory / BIB_FILE, *(directory / t.file for t in TABLES)]
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) if f.is_file() else (f.name, None, None)
                 for f in files)


_cache: dict[tuple, Evidence] = {}


def _copy(ev: Evidence) -> Evidence:
    tables = {t.name: getattr(ev, t.name).copy() for t in TABLES}
    return Evidence(directory=ev.directory, references=dict(ev.references), **tables)


def load(directory: str | os.PathLike | None = None) -> Evidence:
    """Load and validate every table; raise :class:`EvidenceError` listing all problems.

    Results are cached until a file in the folder changes; each call returns fresh copies,
    so a notebook that edits a table does not change what the next call sees.
    """
    directory = Path(directory) if directory is not None else data_dir()
    key = (str(directory.resolve()), _fingerprint(directory))
    if key not in _cache:
        _cache.clear()
        _cache[key] = _load_uncached(directory)
    return _copy(_cache[key])


def _load_uncached(directory: Path) -> Evidence:
    references = load_references(directory)
    ref_keys = set(references)
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    foreign_ids: dict[str, set[str]] = {}
    for table in TABLES:
        frame, found = read_table(table, directory, ref_keys, foreign_ids)
        problems.extend(found)
        if frame is not None:
            frames[table.name] = frame
            foreign_ids[table.name] = set(frame.index.dropna())
    if problems:
        raise EvidenceError(problems)
    return Evidence(directory=directory, references=references, **frames)
