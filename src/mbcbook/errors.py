"""Every error the package raises on purpose, in one place.

Each is a :class:`ValueError`, so code that guards a call with ``except ValueError`` catches
them all; each message speaks to the reader ("the number of new breast cancers a year must
be between 1 and 10,000,000, got 0"), not to a programmer. Kept free of imports beyond the
standard library: every layer, the site machinery included, may import it.

>>> from mbcbook.errors import EvidenceError, Problem
>>> error = EvidenceError([Problem("data/trials.csv", 3, "centres", "must be one of single, multi; got 'many'")])
>>> print(error)
The evidence tables have 1 problem:
  - data/trials.csv, row 3, column 'centres': must be one of single, multi; got 'many'
>>> (error.file, error.row, error.column)
('data/trials.csv', 3, 'centres')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible.

    ``row`` is numbered as a spreadsheet shows it (the header is row 1); ``row`` and
    ``column`` are None where the problem concerns the whole file.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class EvidenceError(ValueError):
    """The evidence tables are not valid. ``problems`` lists every problem found.

    ``file``, ``row`` and ``column`` locate the first problem, for code that handles one.
    """

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("EvidenceError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        self.file, self.row, self.column = first.file, first.row, first.column
        count = len(self.problems)
        header = "The evidence tables have 1 problem:" if count == 1 else (
            f"The evidence tables have {count} problems:"
        )
        super().__init__("\n".join([header, *(f"  - {p}" for p in self.problems)]))


class InputError(ValueError):
    """A value given to a tool (a widget, or a function a reader calls) is out of range.

    The message names the input, what is allowed and what was given, so that a widget can
    show it in place of a result.
    """


class ChartError(ValueError):
    """A chart cannot be drawn in the book.

    For instance: remote data, an unknown Vega-Lite version, or a chart without the
    description that is its text alternative.
    """


class BookBuildError(ValueError):
    """A chapter cannot be turned into what the book publishes from it.

    For instance: a reader notebook asked to show a MyST role it does not know, or a figure that
    was never glued. The message names the chapter and the markup, and the build stops.
    """
