"""An educator adapts the book: adds a trial with data rows only, drops chapters from _toc.yml, and
hides the solutions for an exam.

On a temporary copy of the book, the made-up DEMO trial of the educators' guide is added exactly
as the guide shows it (its rows appended to data/ and its .bib entry), and every chapter the
test does not need is dropped from _toc.yml. The copy is then built with warnings as errors: the
build must pass (links into dropped chapters become plain text, none is broken), and the DEMO
trial must appear in the trials table, the forest plot, the survival explorer and the
eligibility checker of chapter 5, and in the pooling tool of chapter 8, in the web book and in the
reader notebooks. With ``hide_solutions: true`` (as the guide says, for an exam), no solution is
left in either.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from test_guide import appended, guide

from conftest import REPO

pytestmark = pytest.mark.build
DEMO = "DEMO (made-up example)"
KEPT = ["book/05-clinical-trials", "book/08-since-the-review", "book/a2-glossary", "book/a3-references"]


@pytest.fixture(scope="module")
def adapted(tmp_path_factory) -> Path:
    """The adapted copy, built; returns the copy's root (the site is in _build/html)."""
    root = tmp_path_factory.mktemp("adapted")
    shutil.copytree(REPO / "book", root / "book")
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["hide_solutions"] = True  # an exam
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    appended(root, guide())  # data/ copied, the guide's DEMO rows and .bib entry appended
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        part["chapters"] = [entry for entry in part["chapters"] if entry["file"] in KEPT]
    (root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "MBCBOOK_DATA": str(root / "data")}  # the kernels read the copy's tables
    result = subprocess.run([sys.executable, "-m", "mbcbook.site.build", str(root), "--source", str(root),
                             "--reader-notebooks", str(root / "notebooks")],
                            capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    return root


def specs(page: str) -> list[str]:
    """The JSON of every chart drawn on a built page."""
    return re.findall(r'<script type="application/json" class="mbcbook-chart-spec">(.*?)</script>', page, re.S)


def test_the_adapted_book_builds_without_the_dropped_chapters(adapted):
    html_dir = adapted / "_build" / "html"
    assert (html_dir / "book" / "05-clinical-trials.html").is_file()
    assert not (html_dir / "book" / "04-retrospective-studies.html").exists()
    page = (html_dir / "book" / "05-clinical-trials.html").read_text(encoding="utf-8")
    # Chapter 5 linked to chapters 4, 6 and 7: the links are plain text now, none broken.
    assert 'href="04-retrospective-studies.html' not in page and 'href="06-prospective-studies.html' not in page
    assert 'class="mbcbook-left-out"' in page
    assert sorted(p.name for p in (adapted / "notebooks").glob("*.ipynb")) == [
        "05-clinical-trials.ipynb", "08-since-the-review.ipynb"]


def test_the_new_trial_is_in_the_trials_table_forest_plot_explorer_and_checker(adapted):
    page = (adapted / "_build" / "html" / "book" / "05-clinical-trials.html").read_text(encoding="utf-8")
    table = re.search(r'data-mbcbook-table="trials".*?</table>', page, re.S)
    assert table and DEMO in html.unescape(table.group(0)), "the table of the trials side by side"
    charts = [json.loads(html.unescape(spec)) for spec in specs(page)]
    described = {chart.get("description", "")[:60]: DEMO in json.dumps(chart) for chart in charts}
    assert len(described) == 2 and all(described.values()), f"forest plot and explorer: {described}"
    checker = json.loads(html.unescape(re.search(
        r'<script type="application/json" class="mbcbook-checker-data">(.*?)</script>', page, re.S).group(1)))
    assert {"id": "demo-trial", "name": DEMO} in checker["sources"]
    assert {"demo-trial-untreated", "demo-trial-performance"} <= {rule["id"] for rule in checker["rules"]}


def test_the_new_trial_is_among_the_pooling_choices(adapted):
    page = (adapted / "_build" / "html" / "book" / "08-since-the-review.html").read_text(encoding="utf-8")
    pooling = [spec for spec in specs(page) if "pool" in html.unescape(spec).lower()]
    assert pooling and any(DEMO in html.unescape(spec) for spec in pooling)


def test_the_reader_notebooks_of_the_adapted_book_show_the_new_trial_and_no_broken_link(adapted):
    reader = nbformat.read(adapted / "notebooks" / "05-clinical-trials.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in reader.cells if c.cell_type == "markdown")
    assert "(04-retrospective-studies.ipynb)" not in markdown  # dropped: no link to a missing notebook
    assert "(08-since-the-review.ipynb)" in markdown
    code = "\n".join(c.source for c in reader.cells if c.cell_type == "code")
    assert "widgets.eligibility_checker(ev, sources=ev.trials.index)" in code  # every trial, DEMO included


def test_hidden_solutions_are_in_neither_the_web_book_nor_the_reader_notebooks(adapted):
    for name in ("05-clinical-trials", "08-since-the-review"):
        page = (adapted / "_build" / "html" / "book" / f"{name}.html").read_text(encoding="utf-8")
        assert re.search(r"Exercise \d\.1\b", page)  # the exercises stay (numbered anew: chapters were dropped)
        assert "Solution to" not in page and 'class="solution' not in page
        reader = nbformat.read(adapted / "notebooks" / f"{name}.ipynb", as_version=4)
        text = "\n".join(c.source for c in reader.cells)
        assert "Solution to" not in text and "<details>" not in text
        assert "Exercise" in text
