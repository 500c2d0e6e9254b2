"""The schema: shared columns are the same wherever they are used, and its labels are as documented."""

from __future__ import annotations

import pytest

from mbcbook.evidence import schema
from mbcbook.evidence.schema import TABLES, TABLES_BY_NAME, Column


def columns(table: str, first: str, count: int) -> tuple[Column, ...]:
    declared = TABLES_BY_NAME[table].columns
    start = [c.name for c in declared].index(first)
    return declared[start:start + count]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_table_ends_with_its_provenance(table):
    assert table.columns[-3:] == schema._provenance()
    assert [c.name for c in table.columns[-3:]] == ["ref", "status", "note"]
    assert [c.required for c in table.columns[-3:]] == [True, True, False]


@pytest.mark.parametrize("table, estimate, level, measures", [
    ("effects", "Point estimate: below 1 favours `treatment_arm`.",
     "Confidence level as published (E2108 and JCOG1017 report 90%).", ("HR",)),
    ("meta_analyses", "Pooled estimate: below 1 favours surgery of the primary (for `RR`, fewer adverse events "
     "with it).", "Confidence level.", ("HR", "RR")),
])
def test_hazard_ratio_columns_are_shared(table, estimate, level, measures):
    shared = schema._hazard_ratio(estimate, level, measures)
    assert columns(table, "measure", 7) == shared
    assert shared[0].allowed == measures and ("`RR`" in shared[0].description) is ("RR" in measures)
    assert shared[-2:] == schema._p_columns()
    by_name = {c.name: c for c in shared}
    assert by_name["estimate"].minimum == 0 and not by_name["estimate"].minimum_inclusive
    assert not by_name["ci_low"].required and by_name["ci_level"].kind == "ci_level"


@pytest.mark.parametrize("table, prefix, unit, what", [
    ("arms", "median_os_", "months", "the median"),
    ("arms", "landmark_os_", "proportion", "the landmark survival"),
    ("arm_outcomes", "", "as value", "the value"),
    ("observational_results", "", "as value", "the value"),
    ("survival_trends", "", "as value", "the value"),
])
def test_interval_columns_are_shared(table, prefix, unit, what):
    shared = schema._interval_columns(prefix, unit, what)
    assert columns(table, f"{prefix}ci_low", 3) == shared
    assert [c.name for c in shared] == [f"{prefix}ci_low", f"{prefix}ci_high", f"{prefix}ci_level"]
    assert all(not c.required for c in shared) and shared[0].unit == unit


@pytest.mark.parametrize("column, type_label, allowed", [
    (Column("n", "int", "", minimum=1, maximum=10_000_000), "integer", "1 to 10,000,000"),
    (Column("x", "float", "", minimum=0, minimum_inclusive=False), "number", "> 0"),
    (Column("x", "float", "", minimum=0), "number", ">= 0"),
    (Column("p", "proportion", ""), "number in (0, 1)", "0 < x < 1"),
    (Column("l", "ci_level", ""), "number", "`0.90`, `0.95`"),
    (Column("c", "category", "", allowed=("a", "b")), "category", "`a`, `b`"),
    (Column("i", "id", ""), "text (unique id)", "`a-z`, `0-9`, `-`"),
    (Column("r", "ref", ""), "bib key", "key in references.bib"),
    (Column("f", "foreign", "", references="trials"), "id in trials.csv", ""),
    (Column("t", "text", ""), "text", ""),
])
def test_labels_of_the_readme(column, type_label, allowed):
    assert (column.type_label(), column.allowed_label()) == (type_label, allowed)


def test_table_properties():
    trials = TABLES_BY_NAME["trials"]
    assert (trials.file, trials.id_column) == ("trials.csv", "trial_id")
    assert trials.column("country").name == "country"
    with pytest.raises(KeyError, match="colour"):
        trials.column("colour")
    rule = TABLES_BY_NAME["epidemiology"].any_of[0]
    assert rule.column == "share" and rule.columns == ("share", "share_low")
