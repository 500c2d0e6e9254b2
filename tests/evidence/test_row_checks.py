"""Each check of the loader, one at a time: a table broken in exactly the way it guards against.

Every check named here has a case that fails if the check is removed (mutation testing, `make
mutate`, keeps that promise for the whole evidence layer).
"""

from __future__ import annotations

import csv
import io

import pytest

from mbcbook import evidence
from mbcbook.evidence import EvidenceError


def edit(path, row_id, **cells):
    """Set cells of the row ``row_id``; return that row's number as a spreadsheet shows it."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    spreadsheet_row = [r[0] for r in rows].index(row_id) + 1
    for row in rows[1:]:
        if row[0] == row_id:
            for column, value in cells.items():
                row[header.index(column)] = value
            break
    else:
        raise AssertionError(f"no row {row_id} in {path.name}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return spreadsheet_row


# (file, row id, cells to set, column reported, words of the message)
CHECKS = {
    "swapped interval": ("effects.csv", "tata-os", {"ci_low": "1.34", "ci_high": "0.81"}, "ci_high",
                         "upper limit 0.81 is below lower limit 1.34"),
    "estimate outside its interval": ("effects.csv", "tata-os", {"estimate": "2.5"}, "estimate",
                                      "2.5 lies outside its interval 0.81-1.34"),
    "only one limit": ("effects.csv", "tata-os", {"ci_high": ""}, "ci_high", "needs both its limits"),
    "only the other limit": ("effects.csv", "tata-os", {"ci_low": ""}, "ci_low", "needs both its limits"),
    "level without interval": ("meta_analyses.csv", "petrelli2012-os", {"ci_level": "0.95"}, "ci_level",
                               "a confidence level is given without an interval"),
    "interval without level": ("effects.csv", "tata-os", {"ci_level": ""}, "ci_level", "needs its confidence level"),
    "unpublished level": ("effects.csv", "tata-os", {"ci_level": "0.99"}, "ci_level", "0.90 or 0.95"),
    "p above 1": ("effects.csv", "tata-os", {"p_value": "1.5"}, "p_value", "a p-value is at most 1, got 1.5"),
    "p without operator": ("effects.csv", "tata-os", {"p_operator": ""}, "p_operator", "given together"),
    "operator without p": ("effects.csv", "tata-os", {"p_value": ""}, "p_value", "given together"),
    "incidence above 1": ("arm_outcomes.csv", None, {"value": "1.2"}, "value", "must lie in (0, 1), got 1.2"),
    "neither share nor range": ("epidemiology.csv", "england", {"share": ""}, "share",
                                "give a share, or a range in share_low and share_high"),
    "id with capitals": ("effects.csv", "tata-dpfs", {"effect_id": "Tata-DPFS"}, "effect_id",
                         "ids use lowercase letters, digits and single hyphens, got 'Tata-DPFS'"),
    "id with a double hyphen": ("effects.csv", "tata-dpfs", {"effect_id": "tata--dpfs"}, "effect_id",
                                "ids use lowercase letters"),
    "below the minimum": ("trials.csv", "tata", {"n_randomised": "0"}, "n_randomised", "must be at least 1, got 0"),
    "zero where it must be positive": ("effects.csv", "tata-os", {"estimate": "0"}, "estimate",
                                       "must be greater than 0, got 0"),
    "above the maximum": ("trials.csv", "tata", {"n_randomised": "10000001"}, "n_randomised",
                          "must be at most 10,000,000"),
    "not a whole number": ("trials.csv", "tata", {"n_randomised": "350.5"}, "n_randomised",
                           "expected a whole number, got '350.5'"),
    "a proportion written as a percentage": ("epidemiology.csv", "england", {"share": "6"}, "share",
                                             "write 0.06 for 6%"),
    "a required value missing": ("trials.csv", "tata", {"country": " "}, "country", "required value is empty"),
    "an unknown category": ("trials.csv", "tata", {"accrual": "ongoing"}, "accrual",
                            "must be one of completed, stopped_early; got 'ongoing'"),
}


@pytest.mark.parametrize("check", CHECKS)
def test_each_check_reports_its_problem(data_copy, check):
    file, row_id, cells, column, words = CHECKS[check]
    path = data_copy / file
    if row_id is None:  # the first row whose measure is a cumulative incidence
        row_id = next(r[0] for r in csv.reader(path.open(encoding="utf-8")) if "cumulative_incidence" in r)
    row = edit(path, row_id, **cells)
    with pytest.raises(EvidenceError) as caught:
        evidence.load(data_copy)
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    assert (problems[0].row, problems[0].column) == (row, column), str(problems[0])
    assert words in problems[0].message, str(problems[0])


def test_whitespace_around_a_value_is_not_part_of_it(data_copy):
    edit(data_copy / "trials.csv", "tata", centres="  single ", n_randomised=" 350 ", accrual="completed ")
    trials = evidence.load(data_copy).trials
    assert trials.loc["tata", "centres"] == "single"
    assert trials.loc["tata", "n_randomised"] == 350


def test_a_percentage_hint_is_given_only_where_it_fits(data_copy):
    edit(data_copy / "epidemiology.csv", "england", share="150")
    with pytest.raises(EvidenceError) as caught:
        evidence.load(data_copy)
    assert "write" not in caught.value.problems[0].message


# Values exactly at a limit: accepted where the limit is inclusive, refused where it is not.
AT_THE_LIMIT = {
    "estimate equal to its lower limit": ("effects.csv", "tata-os", {"estimate": "0.81"}, None),
    "estimate equal to its upper limit": ("effects.csv", "tata-os", {"estimate": "1.34"}, None),
    "an interval of one point": ("effects.csv", "tata-os", {"estimate": "1", "ci_low": "1", "ci_high": "1"}, None),
    "a p-value of exactly 1": ("effects.csv", "tata-os", {"p_value": "1"}, None),
    "a count at the maximum": ("trials.csv", "tata", {"n_randomised": "10000000"}, None),
    "a count at the minimum": ("trials.csv", "tata", {"n_randomised": "1"}, None),
    "a proportion of exactly 1": ("epidemiology.csv", "england", {"share": "1"},
                                  "expected a proportion strictly between 0 and 1, got 1"),
    "a proportion of 1.5 gets the percentage hint": ("epidemiology.csv", "england", {"share": "1.5"},
                                                     "got 1.5; write 0.015 for 1.5%"),
    "a proportion of 100 gets no hint": ("epidemiology.csv", "england", {"share": "100"},
                                         "strictly between 0 and 1, got 100"),
    "an incidence of exactly 1": ("arm_outcomes.csv", None, {"value": "1"}, "must lie in (0, 1), got 1"),
    "a share on its range's limit": ("epidemiology.csv", "nigeria-meta-2018", {"share": "0.09"}, None),
}


@pytest.mark.parametrize("case", AT_THE_LIMIT)
def test_values_at_the_limits(data_copy, case):
    file, row_id, cells, refused = AT_THE_LIMIT[case]
    path = data_copy / file
    if row_id is None:
        row_id = next(r[0] for r in csv.reader(path.open(encoding="utf-8")) if "cumulative_incidence" in r)
    edit(path, row_id, **cells)
    if refused is None:
        evidence.load(data_copy)
        return
    with pytest.raises(EvidenceError) as caught:
        evidence.load(data_copy)
    messages = [p.message for p in caught.value.problems]
    assert any(m.endswith(refused) for m in messages), messages


def test_a_header_that_is_not_the_first_row_is_refused(data_copy):
    path = data_copy / "trials.csv"
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        evidence.load(data_copy)
    problem = caught.value.problems[0]
    assert (problem.row, problem.column, problem.message) == (1, None, "the header must be the first row")
    assert problem.file == str(path)


def test_loaded_evidence_knows_its_folder(data_copy):
    assert evidence.load(data_copy).directory == data_copy
