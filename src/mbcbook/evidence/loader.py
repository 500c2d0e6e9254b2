"""Load and validate the evidence tables in ``data/``.

>>> from mbcbook import evidence
>>> ev = evidence.load()
>>> ev.effects.loc["jcog1017-os", "ci_level"]
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
from .schema import CI_LEVELS, TABLES, TABLES_BY_NAME, Column, Table

_SKIP = object()  # marks a cell already reported as invalid
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Reference:
    key: str
    entry_type: str
    fields: dict[str, str]

    @property
    def doi(self) -> str | None:
        return self.fields.get("doi")

    @property
    def pmid(self) -> str | None:
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


def _parse_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _check_cell(col: Column, text: str, ref_keys: set[str], foreign_ids: dict[str, set[str]]) -> tuple[object, str | None]:
    """Convert one non-empty cell; return (value, problem message or None)."""
    kind = col.kind
    if kind in ("text",):
        return text, None
    if kind == "id":
        if not _ID_PATTERN.match(text):
            return None, f"ids use lowercase letters, digits and single hyphens, got {text!r}"
        return text, None
    if kind == "category":
        if text not in col.allowed:
            return None, f"must be one of {', '.join(col.allowed)}; got {text!r}"
        return text, None
    if kind == "ref":
        if text not in ref_keys:
            return None, f"reference key {text!r} is not in {BIB_FILE}"
        return text, None
    if kind == "foreign":
        if col.references not in foreign_ids:
            return text, None  # that table could not be read; its own problem is reported
        if text not in foreign_ids[col.references]:
            return None, f"{text!r} is not an id in {col.references}.csv"
        return text, None
    if kind == "int":
        try:
            value = _parse_number(text)
        except ValueError:
            return None, f"expected a whole number, got {text!r}"
        if value != int(value):
            return None, f"expected a whole number, got {text!r}"
        value = int(value)
    else:
        try:
            value = _parse_number(text)
        except ValueError:
            return None, f"expected a number, got {text!r}"
    if kind == "proportion" and not 0 < value < 1:
        hint = f"; write {value / 100:g} for {value:g}%" if 1 < value < 100 else ""
        return None, f"expected a proportion strictly between 0 and 1, got {text}{hint}"
    if kind == "ci_level" and not any(math.isclose(value, level) for level in CI_LEVELS):
        return None, f"confidence level must be 0.90 or 0.95 (as published), got {text}"
    if col.minimum is not None:
        too_small = value < col.minimum if col.minimum_inclusive else value <= col.minimum
        if too_small:
            sign = "at least" if col.minimum_inclusive else "greater than"
            return None, f"must be {sign} {col.minimum:g}, got {text}"
    return value, None


def _dtype(col: Column):
    if col.kind == "category":
        return pd.CategoricalDtype(list(col.allowed))
    if col.kind == "int":
        return "Int64"
    if col.kind in ("float", "proportion", "ci_level"):
        return "float64"
    return "string"


# ---------------------------------------------------------------- rows


def _row_problems(table: Table, values: list[dict], invalid: set[tuple[int, str]], path: str) -> list[Problem]:
    """Checks that involve several cells of a row.

    A check is skipped where one of its cells was already reported as invalid, so that one
    mistake gives one message.
    """
    problems = []
    for index, row in enumerate(values):
        line = index + 2
        bad = {col for (i, col) in invalid if i == index}
        if bad:
            row = {name: value for name, value in row.items() if name not in bad}
            row.update({name: _SKIP for name in bad})
        for iv in table.intervals:
            if _SKIP in (row.get(iv.estimate), row.get(iv.low), row.get(iv.high), row.get(iv.level)):
                continue
            est, low, high = row.get(iv.estimate), row.get(iv.low), row.get(iv.high)
            level = row.get(iv.level) if iv.level else None
            if (low is None) != (high is None):
                missing = iv.high if high is None else iv.low
                problems.append(Problem(path, line, missing, "an interval needs both its limits"))
                continue
            if low is None:
                if iv.level and level is not None:
                    problems.append(Problem(path, line, iv.level, "a confidence level is given without an interval"))
                continue
            if iv.level and level is None:
                problems.append(Problem(path, line, iv.level,
                                        "an interval needs its confidence level (0.90 or 0.95, as published)"))
            if low > high:
                problems.append(Problem(path, line, iv.high, f"upper limit {high:g} is below lower limit {low:g}"))
            elif est is not None and not low <= est <= high:
                problems.append(Problem(path, line, iv.estimate,
                                        f"{est:g} lies outside its interval {low:g}-{high:g} "
                                        f"({iv.low}, {iv.high})"))
        if table.name == "epidemiology" and row.get("share") is None and row.get("share_low") is None:
            problems.append(Problem(path, line, "share", "give a share, or a range in share_low and share_high"))
        for p_col, op_col in table.p_values:
            if _SKIP in (row.get(p_col), row.get(op_col)):
                continue
            if (row.get(p_col) is None) != (row.get(op_col) is None):
                missing = op_col if row.get(op_col) is None else p_col
                problems.append(Problem(path, line, missing, f"{p_col} and {op_col} are given together or not at all"))
            elif row.get(p_col) is not None and row[p_col] > 1:
                problems.append(Problem(path, line, p_col, f"a p-value is at most 1, got {row[p_col]:g}"))
        if table.value_ranges and table.measure_column:
            bounds = table.value_ranges.get(row.get(table.measure_column))
            value = row.get(table.value_column)
            if bounds and value is not None and value is not _SKIP:
                lo, hi, lo_inc, hi_inc = bounds
                ok = (value >= lo if lo_inc else value > lo) and (value <= hi if hi_inc else value < hi)
                if not ok:
                    problems.append(Problem(path, line, table.value_column,
                                            f"a {row[table.measure_column]} must lie in "
                                            f"{'[' if lo_inc else '('}{lo:g}, {hi:g}{']' if hi_inc else ')'}, got {value:g}"))
    return problems


def read_table(table: Table, directory: Path, ref_keys: set[str],
               foreign_ids: dict[str, set[str]]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one CSV and check it cell by cell and row by row.

    Returns the typed DataFrame (indexed by the id column) and the problems found; the
    DataFrame is None when the file cannot be read at all.
    """
    path = Path(directory) / table.file
    shown = str(path)
    if not path.is_file():
        return None, [Problem(shown, None, None, "file not found")]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, None, None, f"not a readable CSV file: {exc}")]

    problems: list[Problem] = []
    expected = [c.name for c in table.columns]
    for name in expected:
        if name not in raw.columns:
            problems.append(Problem(shown, 1, name, "required column is missing from the header"))
    for name in raw.columns:
        if name not in expected:
            problems.append(Problem(shown, 1, name, "unknown column: add it to mbcbook/schema.py first, "
                                                     "or remove it"))
    if problems:
        return None, problems

    values: list[dict] = [{} for _ in range(len(raw))]
    invalid: set[tuple[int, str]] = set()
    for col in table.columns:
        seen: dict[str, int] = {}
        for index, text in enumerate(raw[col.name]):
            line = index + 2
            text = text.strip()
            if not text:
                if col.required:
                    problems.append(Problem(shown, line, col.name, "required value is empty"))
                values[index][col.name] = None
                continue
            value, message = _check_cell(col, text, ref_keys, foreign_ids)
            if message:
                problems.append(Problem(shown, line, col.name, message))
                invalid.add((index, col.name))
            if col.kind == "id" and message is None:
                if text in seen:
                    problems.append(Problem(shown, line, col.name,
                                            f"duplicate id {text!r} (first used in row {seen[text]})"))
                else:
                    seen[text] = line
            values[index][col.name] = value
    problems.extend(_row_problems(table, values, invalid, shown))

    frame = pd.DataFrame(
        {col.name: pd.Series([row[col.name] for row in values], dtype=_dtype(col)) for col in table.columns}
    )
    frame = frame.set_index(table.id_column)
    return frame, problems


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
