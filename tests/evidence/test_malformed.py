"""Files broken the ways people break them: each gives one located problem, never a traceback.

Each case corrupts one file of a private copy of data/ and names the row (as a spreadsheet
shows it: the header is row 1, blank rows count), the column where there is one, and words of
the message the reader sees.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import only_problem
from mbcbook import evidence
from mbcbook.evidence.__main__ import main as evidence_main


def rewrite(path, change):
    path.write_bytes(change(path.read_bytes()))


def set_cell(text: bytes, row: int, column: str, value: str) -> bytes:
    """``text`` with the cell at spreadsheet ``row`` (header = 1) and ``column`` replaced."""
    rows = list(csv.reader(io.StringIO(text.decode())))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def add_column_copy(text: bytes, column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(text.decode())))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(r + [r[index]] for r in rows)
    return out.getvalue().encode()


# (file, corruption, expected row, expected column, words of the message)
CASES = {
    "empty file": ("effects.csv", lambda b: b"", None, None, "the file is empty"),
    "only newlines": ("epidemiology.csv", lambda b: b"\n\n\n", None, None, "the file is empty"),
    "header only": ("survival_trends.csv", lambda b: b.split(b"\n")[0] + b"\n", None, None, "no rows of data"),
    "trials header only": ("trials.csv", lambda b: b.split(b"\n")[0] + b"\n", None, None, "no rows of data"),
    "underscore in a number": ("epidemiology.csv", lambda b: set_cell(b, 2, "share", "0.0_6"), 2, "share",
                               "expected a number, got '0.0_6'"),
    "underscore in a count": ("trials.csv", lambda b: set_cell(b, 2, "n_randomised", "3_50"), 2, "n_randomised",
                              "expected a whole number, got '3_50'"),
    "full-width digits": ("trials.csv", lambda b: set_cell(b, 2, "n_randomised", "\uff13\uff15\uff10"), 2,
                          "n_randomised", "expected a whole number"),
    "infinity": ("effects.csv", lambda b: set_cell(b, 2, "estimate", "inf"), 2, "estimate", "expected a number"),
    "count beyond 2**63": ("trials.csv", lambda b: set_cell(b, 2, "n_randomised", str(2**63)), 2, "n_randomised",
                           "must be at most 10,000,000"),
    "blank row before a bad cell": ("trials.csv",
                                    lambda b: set_cell(b.replace(b"\n", b"\n\n", 1), 3, "centres", "many"),
                                    3, "centres", "must be one of single, multi"),
    "trailing comma on every row": ("effects.csv",
                                    lambda b: b"\n".join(line + b"," if i and line else line
                                                         for i, line in enumerate(b.split(b"\n"))),
                                    2, None, "extra empty cell (a trailing comma?)"),
    "trailing comma on every line": ("effects.csv",
                                     lambda b: b"\n".join(line + b"," if line else line for line in b.split(b"\n")),
                                     1, None, "has no name (a trailing comma?)"),
    "duplicated column": ("effects.csv", lambda b: add_column_copy(b, "estimate"), 1, "estimate",
                          "more than once (columns 8, 21)"),
    "semicolons": ("arms.csv", lambda b: b.replace(b",", b";"), 1, None, "separated by semicolons"),
    "unbalanced quote swallowing rows": ("trials.csv", lambda b: b.replace(b',single,"Open', b',single,""Open', 1),
                                         2, None, "an unbalanced quote"),
    "unbalanced quote at the end": ("trials.csv", lambda b: b + b'extra,"never closed\n', 8, None,
                                    "not a readable CSV file"),
    "not UTF-8": ("trials.csv", lambda b: b.replace(b",Turkey,", b",T\xfcrkiye,"), 3, None, "not UTF-8 text"),
    "an extra cell with text": ("trials.csv", lambda b: b.replace(b",Turkey,", b",Turkey,Ankara,"), 3, None,
                                "an unquoted comma in a text cell?"),
    "a missing cell": ("trials.csv", lambda b: b.replace(b",Turkey,multi,", b",Turkey,"), 3, None,
                       "a missing comma?"),
    "misspelt column": ("trials.csv", lambda b: b.replace(b"n_randomised", b"n_randomized", 1), 1, "n_randomized",
                        "did you mean 'n_randomised'?"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_file_gives_one_located_problem(data_copy, case):
    file, corrupt, row, column, words = CASES[case]
    rewrite(data_copy / file, corrupt)
    problem = only_problem(data_copy)
    assert problem.file.endswith(file)
    assert (problem.row, problem.column) == (row, column), str(problem)
    assert words in problem.message, str(problem)


@pytest.mark.parametrize("case", CASES)
def test_every_corruption_changes_its_file(data_copy, case):
    """A corruption that leaves the file as it was would prove nothing."""
    file, corrupt = CASES[case][:2]
    before = (data_copy / file).read_bytes()
    assert corrupt(before) != before


def test_empty_bib_file_is_named(data_copy):
    (data_copy / "references.bib").write_text("% nothing here\n", encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.file.endswith("references.bib") and "holds no entries" in problem.message


def test_misspelt_bib_entry_type_is_located(data_copy):
    bib = data_copy / "references.bib"
    text = bib.read_text(encoding="utf-8")
    line = text[: text.index("@article")].count("\n") + 1
    bib.write_text(text.replace("@article", "@artcle", 1), encoding="utf-8")
    problem = only_problem(data_copy)
    assert problem.row == line and "unknown entry type @artcle" in problem.message


def test_load_returns_references_that_callers_may_edit():
    first = evidence.load()
    key = next(iter(first.references))
    first.references[key].fields["title"] = "edited"
    assert evidence.load().references[key].fields.get("title") != "edited"


def test_readme_option_on_a_folder_without_readme_says_so(data_copy, capsys):
    (data_copy / "README.md").unlink(missing_ok=True)
    assert evidence_main([str(data_copy), "--readme"]) == 1
    assert "no README to update" in capsys.readouterr().err


def test_readme_without_markers_says_so(data_copy, capsys):
    (data_copy / "README.md").write_text("# notes\n", encoding="utf-8")
    assert evidence_main([str(data_copy), "--readme"]) == 1
    assert "must contain the markers" in capsys.readouterr().err
