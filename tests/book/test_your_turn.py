"""Every notebook chapter ends with a "Your turn" cell whose check knows the answer the data give.

The cell is run here as a resident runs it (no notebook kernel: its statements are executed in a
fresh namespace), first as committed, with ``answer = None``, then with the right answer, computed
below from data/ by the test's own arithmetic, and with a wrong one. A chapter whose cell calls
the wrong check, or checks the wrong inputs, fails.
"""

from __future__ import annotations

import ast
import math

import nbformat
import pytest
from lifelines import KaplanMeierFitter
from scipy.stats import norm

from conftest import REPO
from mbcbook.analysis import eligibility, gbsg2, pooling
from mbcbook.analysis.self_check import WRITE_YOUR_ANSWER, Verdict
from mbcbook.site.notebooks import notebooks

NOTEBOOKS = notebooks(REPO / "book")


def your_turn(path):
    """The "Your turn" markdown cell, the code cell after it, and their positions."""
    cells = nbformat.read(path, as_version=4).cells
    found = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Your turn")]
    assert len(found) == 1, f"{path.name}: one markdown cell opening with '## Your turn', found {len(found)}"
    index = found[0]
    assert index + 1 < len(cells) and cells[index + 1].cell_type == "code", f"{path.name}: no code cell after it"
    return cells, index


def run(source: str, answer=None) -> tuple[dict, Verdict]:
    """Run a cell's statements, with ``answer`` set as given, and return its namespace and last value."""
    tree = ast.parse(source)
    *body, last = tree.body
    assert isinstance(last, ast.Expr), "the cell ends with the call to the check, whose verdict it shows"
    namespace: dict = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), "<your turn>", "exec"), namespace)  # noqa: S102
    if answer is not None:
        namespace["answer"] = answer
    return namespace, eval(compile(ast.Expression(last.value), "<your turn>", "eval"), namespace)  # noqa: S307


# ---------------------------------------------------------------- each chapter's answer, from data/


def stage_iv(ns, ev):
    right = math.floor(ev.epidemiology.loc[ns["setting"], "share"] * ns["annual_diagnoses"] + 0.5)
    return right, right + 10 + right // 2


def side(ns, ev):
    row = ev.effects.loc[ns["effect_id"]]
    right = "below" if row["ci_high"] < 1 else "above" if row["ci_low"] > 1 else "includes"
    return right, "above" if right != "above" else "below"


def needed(ns, ev):
    arms = ev.arms[(ev.arms["trial_id"] == ns["trial"]) & ev.arms["landmark_os"].notna()].set_index("arm")
    right = math.ceil(round(1 / (arms.loc["lrt", "landmark_os"] - arms.loc["st", "landmark_os"]), 6))
    return right, 2 * right


def change(ns, ev):
    right = 1 - ev.meta_analyses.loc[ns["result_id"], "estimate"]
    return round(right, 3), right + 0.2


def converted(ns, ev):
    row = ev.effects.loc[ns["effect_id"]]
    se = (math.log(row["ci_high"]) - math.log(row["ci_low"])) / (2 * norm.ppf(0.5 + row["ci_level"] / 2))
    z = norm.ppf(0.5 + ns["level"] / 2)
    low, high = (math.exp(math.log(row["estimate"]) + sign * z * se) for sign in (-1, 1))
    return (round(low, 2), round(high, 2)), (low - 0.1, high + 0.1)


def share(ns, ev):
    values = ev.observational_results["value"]
    right = values[ns["part"]] / values[ns["whole"]]
    return round(right, 3), right - 0.1


def rule(ns, ev):
    result = eligibility.check(eligibility.make_profile(**ns["profile"]), ev.eligibility_rules)
    own = result[result["source"] == ns["source"]]
    return (own.loc[own["verdict"] == "not met", "rule_id"].iloc[0],
            own.loc[own["verdict"] == "met", "rule_id"].iloc[0])


def pooled(ns, ev):
    studies = pooling.trial_studies(ev.effects, "st-lrt")
    right = pooling.pool([s for trial, s in studies.items() if trial != ns["left_out"]], ns["method"]).hr
    return round(right, 2), right + 0.2


def median(ns, ev):
    women = gbsg2.load()
    for column, value in ns["group"].items():
        women = women[women[column] == value]
    right = KaplanMeierFitter().fit(women["time_months"], women["event"]).median_survival_time_
    return round(right, 1), right + 10


ANSWERS = {
    "01-introduction.ipynb": stage_iv,
    "02-contraindications.ipynb": side,
    "chapter.ipynb": side,  # book/templates/: the pattern a new chapter copies
    "03-indications.ipynb": needed,
    "04-retrospective-studies.ipynb": change,
    "05-clinical-trials.ipynb": converted,
    "06-prospective-studies.ipynb": share,
    "07-conclusions.ipynb": rule,
    "08-since-the-review.ipynb": pooled,
    "a1-survival-primer.ipynb": median,
}


def test_every_notebook_chapter_has_an_answer_here():
    assert {p.name for p in NOTEBOOKS} == set(ANSWERS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chapter_ends_with_a_your_turn_section_before_what_comes_next(path):
    cells, index = your_turn(path)
    code = cells[index + 1].source
    assert "self_check." in code and "\nanswer = None" in code
    later = "\n".join(c.source for c in cells[index + 2:] if c.cell_type == "markdown")
    earlier = "\n".join(c.source for c in cells[:index] if c.cell_type == "markdown")
    assert "## What comes next" in later and "## What comes next" not in earlier
    assert "## Exercises" in earlier
    assert "right" in cells[index].source, "the text says that the check tells whether the answer is right"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_cell_as_committed_runs_and_asks_for_an_answer(path):
    cells, index = your_turn(path)
    _, verdict = run(cells[index + 1].source)
    assert isinstance(verdict, Verdict) and not verdict.correct
    assert verdict.message == WRITE_YOUR_ANSWER


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_check_accepts_the_answer_of_the_data_and_refuses_a_wrong_one(path, evidence_tables):
    cells, index = your_turn(path)
    source = cells[index + 1].source
    namespace, _ = run(source)
    right, wrong = ANSWERS[path.name](namespace, evidence_tables)
    _, verdict = run(source, right)
    assert verdict.correct, f"{path.name}: {right!r} is the data's answer, but the check says {verdict.message!r}"
    _, verdict = run(source, wrong)
    assert not verdict.correct and verdict.message.startswith("Not yet"), verdict.message


def test_the_runner_sees_a_cell_that_checks_the_wrong_thing(evidence_tables):
    # The chapter 1 cell, pointed at another setting: the answer computed for the original is refused.
    path = REPO / "book" / "01-introduction.ipynb"
    cells, index = your_turn(path)
    source = cells[index + 1].source
    namespace, _ = run(source)
    right, _ = stage_iv(namespace, evidence_tables)
    changed = source.replace(f'setting = "{namespace["setting"]}"', 'setting = "japan"')
    assert changed != source
    assert not run(changed, right)[1].correct
