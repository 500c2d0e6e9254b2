"""The example messages in data/README.md ("What the loader rejects") are what the loader says."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from test_malformed import CASES, rewrite
from test_row_checks import CHECKS, edit

from conftest import DATA
from mbcbook import evidence
from mbcbook.evidence import EvidenceError


def drop_column(text: bytes, column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(text.decode())))
    index = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(r[:index] + r[index + 1:] for r in rows)
    return out.getvalue().encode()


def first_row_with(path: Path, word: str) -> str:
    return next(r[0] for r in csv.reader(path.open(encoding="utf-8")) if word in r)


def corruptions():
    """Every corruption of the loader's tests, as a function that breaks a copy of data/."""
    for file, corrupt, *_ in CASES.values():
        yield lambda d, file=file, corrupt=corrupt: rewrite(d / file, corrupt)
    for file, row_id, cells, *_ in CHECKS.values():
        def check(d, file=file, row_id=row_id, cells=cells):
            edit(d / file, row_id or first_row_with(d / file, "cumulative_incidence"), **cells)
        yield check
    yield lambda d: rewrite(d / "effects.csv", lambda b: drop_column(b, "estimate"))
    yield lambda d: rewrite(d / "trials.csv", lambda b: b + b.split(b"\n")[1] + b"\n")
    yield lambda d: edit(d / "arms.csv", d.joinpath("arms.csv").read_text().split("\n")[2].split(",")[0],
                         trial_id="no-such-trial")
    yield lambda d: edit(d / "effects.csv", d.joinpath("effects.csv").read_text().strip().split("\n")[-1]
                         .split(",")[0], ref="nobody2099")
    yield lambda d: rewrite(d / "references.bib", lambda b: b.replace(b"@article", b"@artcle", 1))


@pytest.fixture(scope="module")
def messages(tmp_path_factory):
    said = set()
    for number, corrupt in enumerate(corruptions()):
        copy = tmp_path_factory.mktemp(f"data{number}") / "data"
        shutil.copytree(DATA, copy)
        corrupt(copy)
        with pytest.raises(EvidenceError) as caught:
            evidence.load(copy)
        for problem in caught.value.problems:
            said.add(str(problem).replace(str(copy), "data"))
    return said


def readme_examples() -> list[str]:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What the loader rejects", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\|[^|]+\| `(.+)` \|$", section, flags=re.MULTILINE)


def test_the_readme_lists_examples():
    assert len(readme_examples()) >= 25


@pytest.mark.parametrize("example", readme_examples())
def test_each_example_message_is_what_the_loader_says(messages, example):
    assert example in messages, f"the loader never says: {example}"
