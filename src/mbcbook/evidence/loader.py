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

import copy
import csv
import difflib
import io
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import EvidenceError, Problem
from ..paths import BIB_FILE
from . import rules
from .schema import BIB_ENTRY_TYPES, CI_LEVELS, TABLES, TABLES_BY_NAME, AnyOf, Column, Interval, Table

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Reference:
    """One entry of ``references.bib``: its key, type (``article``, ``misc``, ...) and fields."""

    key: str
    entry_type: str
    fields: dict[str, str]
    #: The authors' family names, in order (BibTeX keeps them apart from the other fields).
    authors: tuple[str, ...] = ()

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
    reconstructions: pd.DataFrame
    eligibility_rules: pd.DataFrame
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


def _bib_line(text: str, key: str) -> int | None:
    """The line where the entry ``key`` starts, for messages."""
    match = re.search(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)
    return text[: match.start()].count("\n") + 1 if match else None


def load_references(directory: Path | None = None) -> dict[str, Reference]:
    """Parse ``references.bib`` into references by key.

    Raises
    ------
    EvidenceError
        When the file is missing, empty or not valid BibTeX, holds a key twice, or an entry of a
        type that is not in :data:`~mbcbook.evidence.schema.BIB_ENTRY_TYPES` (a misspelt type
        such as ``@artcle`` would escape the checks on articles).
    """
    # pybtex's BibTeX parser itself: parse_string would look the parser up among the installed
    # packages' entry points first, a fifth of the time of loading every table.
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexError

    path = Path(directory or data_dir()) / BIB_FILE
    if not path.is_file():
        raise EvidenceError([Problem(str(path), None, None, "file not found")])
    text, problems = _decode(path.read_bytes(), str(path))
    if problems:
        raise EvidenceError(problems)
    try:
        bib = Parser().parse_string(text)
    except PybtexError as exc:  # includes duplicate keys and syntax errors
        raise EvidenceError([Problem(str(path), None, None, str(exc))]) from None
    if not bib.entries:
        raise EvidenceError([Problem(str(path), None, None, "the file holds no entries: every table cites it")])
    refs, problems = {}, []
    for key, entry in bib.entries.items():
        entry_type = entry.type.lower()
        if entry_type not in BIB_ENTRY_TYPES:
            problems.append(Problem(str(path), _bib_line(text, key), key,
                                    f"unknown entry type @{entry.type}; use one of "
                                    + ", ".join(f"@{t}" for t in BIB_ENTRY_TYPES)))
        fields = {name.lower(): str(value) for name, value in entry.fields.items()}
        authors = tuple(" ".join(person.last_names).replace("{", "").replace("}", "")
                        for person in entry.persons.get("author", []))
        refs[key] = Reference(key, entry_type, fields, authors)
    if problems:
        raise EvidenceError(problems)
    return refs


# ---------------------------------------------------------------- cells

Cell = tuple[object, str | None]  # (value, problem message or None)


# Plain decimal numbers as a spreadsheet writes them. Python's float() also takes "3_50",
# "1e400", "inf" and full-width digits, none of which belongs in a table of published figures.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _parse_number(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
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
    if text in col.also:
        return text, None
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
    if message is None and col.maximum is not None and value > col.maximum:
        return None, f"must be at most {col.maximum:,.10g}, got {text}"
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
# Each check takes one row's values and returns (column, message) pairs. A check is skipped
# where one of its cells was already reported as invalid, so that one mistake gives one message.


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
    if table.rule_columns:
        checks.append((table.rule_columns, lambda row: _rule_value_problems(table.rule_columns, row)))
    return checks


def _rule_value_problems(columns: tuple[str, str, str], row: dict) -> list[tuple[str, str]]:
    """An eligibility rule whose fields, operator and value do not fit together (mbcbook.evidence.rules)."""
    field_column, operator_column, value_column = columns
    try:
        rules.fields_of(row.get(field_column))
    except ValueError as error:
        return [(field_column, str(error))]
    try:
        rules.parse_value(row.get(field_column), row.get(operator_column), row.get(value_column))
    except ValueError as error:
        return [(value_column, str(error))]
    return []


def _row_problems(table: Table, values: list[dict], invalid: dict[int, set[str]], path: str,
                  lines: list[int]) -> list[Problem]:
    """Checks that involve several cells of a row (declared in the schema).

    ``invalid`` maps a row's index to its columns already reported as invalid.
    """
    problems = []
    checks = _row_checks(table)
    for index, row in enumerate(values):
        bad = invalid.get(index, set())
        for columns, check in checks:
            if bad.intersection(columns):
                continue
            problems.extend(Problem(path, lines[index], column, message) for column, message in check(row))
    return problems


def _header_problems(table: Table, header: list[str], path: str) -> list[Problem]:
    expected = [c.name for c in table.columns]
    problems = []
    if len(header) == 1 and any(sep in header[0] for sep in ";\t"):
        separator = "semicolons" if ";" in header[0] else "tabs"
        return [Problem(path, 1, None, f"the header is one column: the file seems separated by {separator}; "
                                       "save it as CSV with commas (UTF-8)")]
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(path, 1, None, f"column {position} of the header has no name"
                                    + (" (a trailing comma?)" if position == len(header) else "")))
    for name in sorted({n for n in header if n and header.count(n) > 1}):
        places = ", ".join(str(i) for i, n in enumerate(header, start=1) if n == name)
        problems.append(Problem(path, 1, name, f"the header names this column more than once (columns {places})"))
    unknown = list(dict.fromkeys(n for n in header if n and n not in expected))
    missing = [name for name in expected if name not in header]
    for name in unknown:
        close = difflib.get_close_matches(name, missing, n=1)
        if close:  # a misspelt name: one problem, not "missing" plus "unknown"
            missing.remove(close[0])
            problems.append(Problem(path, 1, name, f"unknown column: did you mean '{close[0]}'?"))
        else:
            problems.append(Problem(path, 1, name, "unknown column: add it to mbcbook/evidence/schema.py first, "
                                                   "or remove it"))
    problems += [Problem(path, 1, name, "required column is missing from the header") for name in missing]
    return problems


def _decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, None, "not UTF-8 text (save the file as CSV UTF-8): "
                                                f"byte {data[exc.start]:#04x} at position {exc.start}")]


def _records(text: str, path: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Every non-blank record with its row number as a spreadsheet shows it (blank rows count).

    No cell of the tables holds a line break, so a record that spans lines is an unbalanced
    quote, which would otherwise swallow the rows up to the next quote without a word.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, end = [], 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if start != end:
                return [], [Problem(path, start, None, "a cell runs over several lines: an unbalanced "
                                                       "quote (\") in this row?")]
            if any(cell.strip() for cell in record):
                records.append((start, record))
    except csv.Error as exc:
        return [], [Problem(path, end + 1, None, f"not a readable CSV file: {exc} (an unbalanced quote?)")]
    return records, []


def _shape_problems(header: list[str], records: list[tuple[int, list[str]]], path: str) -> list[Problem]:
    """Rows with more or fewer cells than the header names; a trailing comma on many rows is one problem."""
    width = len(header)
    trailing = [row for row, cells in records if len(cells) > width and not any(c.strip() for c in cells[width:])]
    problems = []
    if trailing:
        shown = ", ".join(map(str, trailing[:5])) + (", ..." if len(trailing) > 5 else "")
        problems.append(Problem(path, trailing[0], None, f"{len(trailing)} row(s) end with an extra empty cell "
                                                         f"(a trailing comma?): rows {shown}; remove it"))
    for row, cells in records:
        if len(cells) > width and row not in trailing:
            problems.append(Problem(path, row, None, f"the row has {len(cells)} cells but the header names {width} "
                                                     "columns (an unquoted comma in a text cell?)"))
        elif len(cells) < width:
            problems.append(Problem(path, row, None, f"the row has {len(cells)} cells but the header names {width} "
                                                     "columns (a missing comma?)"))
    return problems


def _read_csv(path: Path) -> tuple[list[str] | None, list[tuple[int, list[str]]], list[Problem]]:
    """The header and the data records of a CSV file, or the problems that stop it being read."""
    shown = str(path)
    text, problems = _decode(path.read_bytes(), shown)
    if text is None:
        return None, [], problems
    records, problems = _records(text, shown)
    if problems:
        return None, [], problems
    if not records:
        return None, [], [Problem(shown, None, None, "the file is empty: it needs a header row and at least "
                                                     "one row of data")]
    (header_row, header), data = records[0], records[1:]
    if header_row != 1:
        return None, [], [Problem(shown, 1, None, "the header must be the first row")]
    header = [name.strip() for name in header]
    if not data:
        return None, [], [Problem(shown, None, None, "the file has a header but no rows of data")]
    return header, data, []


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
    header, records, problems = _read_csv(path)
    if header is None:
        return None, problems
    problems = _header_problems(table, header, shown) or _shape_problems(header, records, shown)
    if problems:
        return None, problems
    lines = [row for row, _ in records]
    position = {name: header.index(name) for name in header}
    columns: dict[str, list] = {}
    invalid: dict[int, set[str]] = {}
    for col in table.columns:
        cells = [record[position[col.name]] for _, record in records]
        values, found, bad = _column_values(col, cells, lines, shown, ref_keys, foreign_ids)
        columns[col.name] = values
        problems.extend(found)
        for index in bad:
            invalid.setdefault(index, set()).add(col.name)
    rows = [{name: columns[name][index] for name in columns} for index in range(len(records))]
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
    # Deep: a caller that edits a reference's fields must not change what the next call sees.
    return Evidence(directory=ev.directory, references=copy.deepcopy(ev.references), **tables)


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
