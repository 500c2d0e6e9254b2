"""The real evidence tables, and corrupted copies of each that must be rejected precisely."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import DATA, only_problem
from mbcbook import evidence
from mbcbook.evidence.readme import render_readme
from mbcbook.evidence.schema import TABLES

NUMERIC = ("int", "float", "proportion")
# Entries without a DOI or PMID, and why; every other article must carry one.
NO_IDENTIFIER = {
    "sourcereview": "the review's bibliographic details could not be identified",
    "warschkow2016": "DOI and PMID not confirmed",
    "giordano2004": None,  # has a PMID; listed here only if it loses it
    "agbo2014": "journal without DOI in the checked record",
    "agodirin2025": "DOI not confirmed",
}


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_rows(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def test_real_tables_are_valid():
    ev = evidence.load()
    assert len(ev.trials) >= 6 and len(ev.effects) >= 10


def test_every_row_is_confirmed_or_unconfirmed_with_a_known_reference():
    ev = evidence.load()
    for table in TABLES:
        frame = ev.table(table.name)
        assert set(frame["status"]) <= {"confirmed", "unconfirmed"}
        assert set(frame["ref"]) <= set(ev.references), table.name


def test_articles_carry_a_doi_or_pmid_unless_explained():
    refs = evidence.load().references
    for key, ref in refs.items():
        if ref.entry_type == "article" and not (ref.doi or ref.pmid):
            assert NO_IDENTIFIER.get(key), f"{key} has neither DOI nor PMID; add one or explain why"


def test_dois_and_pmids_are_well_formed():
    for key, ref in evidence.load().references.items():
        if ref.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", ref.doi), key
        if ref.pmid:
            assert ref.pmid.isdigit(), key


def test_readme_documents_every_column_as_enforced():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme) == readme, "run: python -m mbcbook.evidence --readme"
    for table in TABLES:
        for col in table.columns:
            assert f"| `{col.name}` |" in readme, (table.file, col.name)


def test_review_corrections_are_in_the_data():
    """The figures evidence.md corrects are stored as the primary sources give them."""
    ev = evidence.load()
    assert ev.meta_analyses.loc["headon2016-os", "measure"] == "HR"
    assert ev.epidemiology.loc["us-seer", "share"] > ev.epidemiology.loc["us-seer", "review_share_high"]
    assert ev.epidemiology.loc["malaysia-national", "status"] == "unconfirmed"
    assert pd_isna(ev.arms.loc["tata-lrt", "n_randomised"])  # the review's 173/177 split is unconfirmed
    assert (ev.observational_results.query("study_id == 'seer-review'")["status"] == "unconfirmed").all()


def test_second_check_corrections_are_in_the_data():
    """The "Second check of data/" of evidence.md (November 2026), as the primary sources give it."""
    ev = evidence.load()
    meta = ev.meta_analyses
    # Cochrane, Summary of findings table 1: local PFS from 2 RCTs and 607 women; distant PFS is Tata alone.
    assert (meta.loc["tosello2018-lpfs", "n_studies"], meta.loc["tosello2018-lpfs", "n_patients"]) == (2, 607)
    assert (meta.loc["tosello2018-dpfs", "n_studies"], meta.loc["tosello2018-dpfs", "n_patients"]) == (1, 350)
    assert "Tata" in meta.loc["tosello2018-dpfs", "note"] and "2016" in meta.loc["tosello2018-os", "note"]
    assert meta.loc["tosello2018-toxicity", ["measure", "estimate", "n_studies"]].tolist() == ["RR", 0.99, 1]
    # MF07-01: the subgroup p-values printed in the 2018 abstract; randomised and analysed apart.
    p_values = ev.effects.query("trial_id == 'mf07-01' and analysis == 'unplanned_subgroup'")["p_value"]
    assert sorted(p_values) == [0.007, 0.01, 0.01, 0.04]
    assert (ev.trials.loc["mf07-01", "n_randomised"], ev.trials.loc["mf07-01", "n_analysed"]) == (278, 265)
    arms_2018 = ev.arms.loc[["mf07-01-2018-lrt", "mf07-01-2018-st"]]
    assert arms_2018["n_analysed"].tolist() == [138, 136] and arms_2018["n_randomised"].isna().all()
    # Values the tables left empty.
    assert ev.effects.loc["abcsg-28-ttdp", ["estimate", "ci_low", "ci_high", "p_value"]].tolist() == \
        [0.598, 0.343, 1.043, 0.0668]
    assert ev.effects.loc["jcog1017-os-asco", ["p_value", "p_sided"]].tolist() == [0.1283, "one_sided"]
    assert ev.arms.loc["mf07-01-2021-lrt", ["landmark_os", "landmark_os_ci_low", "landmark_os_ci_high"]].tolist() \
        == [0.19, 0.13, 0.28]
    assert ev.observational_results.loc["warschkow2016-csm", ["value", "ci_low", "ci_high"]].tolist() == \
        [0.51, 0.48, 0.54]
    assert meta.loc["villacampa-os", "status"] == "unconfirmed"  # journal and year not checked


def pd_isna(value):
    import pandas as pd

    return pd.isna(value)


# ---------------------------------------------------------------- corrupted copies


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_missing_column_is_located(table, data_copy):
    path = data_copy / table.file
    header, rows = read_rows(path)
    victim = next(c.name for c in table.columns[1:] if c.required)
    index = header.index(victim)
    write_rows(path, header[:index] + header[index + 1:], [r[:index] + r[index + 1:] for r in rows])
    problem = only_problem(data_copy)
    assert (problem.file.endswith(table.file), problem.row, problem.column) == (True, 1, victim)
    assert "missing" in problem.message


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_wrong_type_is_located(table, data_copy):
    path = data_copy / table.file
    header, rows = read_rows(path)
    # A rules table has no number column; its first rule's value is a number read by the rules.
    column = next((c.name for c in table.columns if c.kind in NUMERIC), table.rule_columns and table.rule_columns[2])
    rows[0][header.index(column)] = "about ten"
    write_rows(path, header, rows)
    problem = only_problem(data_copy)
    assert (problem.file.endswith(table.file), problem.row, problem.column) == (True, 2, column)
    assert ("expected a" in problem.message or "takes a number" in problem.message) and "'about ten'" in problem.message


INTERVAL_TABLES = [t for t in TABLES if any(iv.estimate for iv in t.intervals)]


@pytest.mark.parametrize("table", INTERVAL_TABLES, ids=lambda t: t.name)
def test_interval_not_containing_estimate_is_located(table, data_copy):
    path = data_copy / table.file
    header, rows = read_rows(path)
    for iv in (iv for iv in table.intervals if iv.estimate):
        col = {name: header.index(name) for name in (iv.estimate, iv.low, iv.high)}
        for number, row in enumerate(rows):
            if row[col[iv.estimate]]:
                # Give the row an interval that lies wholly above its estimate.
                estimate = float(row[col[iv.estimate]])
                ceiling = 1.0 if table.column(iv.estimate).kind == "proportion" else estimate * 3
                row[col[iv.low]] = f"{estimate + (ceiling - estimate) / 3:.6g}"
                row[col[iv.high]] = f"{estimate + 2 * (ceiling - estimate) / 3:.6g}"
                if iv.level:
                    row[header.index(iv.level)] = "0.95"
                write_rows(path, header, rows)
                problem = only_problem(data_copy)
                located = (problem.file.endswith(table.file), problem.row, problem.column)
                assert located == (True, number + 2, iv.estimate)
                assert "outside its interval" in problem.message
                return
    pytest.fail(f"{table.file} has no row with an interval to corrupt")


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_unknown_reference_key_is_located(table, data_copy):
    path = data_copy / table.file
    header, rows = read_rows(path)
    rows[-1][header.index("ref")] = "nobody2099"
    write_rows(path, header, rows)
    problem = only_problem(data_copy)
    assert (problem.file.endswith(table.file), problem.row, problem.column) == (True, len(rows) + 1, "ref")
    assert "nobody2099" in problem.message and "references.bib" in problem.message


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_duplicate_id_is_located(table, data_copy):
    path = data_copy / table.file
    header, rows = read_rows(path)
    write_rows(path, header, rows + [list(rows[0])])
    problem = only_problem(data_copy)
    assert (problem.file.endswith(table.file), problem.row, problem.column) == (True, len(rows) + 2, table.id_column)
    assert "duplicate id" in problem.message and "row 2" in problem.message


def test_dangling_foreign_key_is_located(data_copy):
    path = data_copy / "arms.csv"
    header, rows = read_rows(path)
    rows[1][header.index("trial_id")] = "no-such-trial"
    write_rows(path, header, rows)
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (3, "trial_id")
    assert "trials.csv" in problem.message


@pytest.mark.parametrize("column, value, expected", [
    ("ci_level", "0.99", "0.90 or 0.95"),            # a level other than the published ones
    ("ci_level", "", "needs its confidence level"),  # an interval without its level
    ("p_operator", "", "given together"),             # a p-value without = or <
])
def test_incomplete_or_unpublished_statistics_are_rejected(data_copy, column, value, expected):
    path = data_copy / "effects.csv"
    header, rows = read_rows(path)
    rows[0][header.index(column)] = value
    write_rows(path, header, rows)
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (2, column)
    assert expected in problem.message


def test_unknown_column_is_rejected(data_copy):
    path = data_copy / "trials.csv"
    header, rows = read_rows(path)
    write_rows(path, header + ["colour"], [r + ["blue"] for r in rows])
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (1, "colour")
    assert "schema.py" in problem.message
