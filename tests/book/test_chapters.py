"""Notebooks: committed clean, thin, and consistent with the book's conventions.

(Running them is nbval's job: ``pytest`` collects ``book/*.ipynb`` with ``--nbval-lax``.)
"""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import REPO
from mbcbook.site.notebooks import notebooks, problems, strip

NOTEBOOKS = notebooks(REPO / "book")
GLUE = re.compile(r"\{glue:text\}`([^`]+)`")


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 9


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_or_widget_state(path):
    assert problems(path) == []


def test_the_check_catches_outputs_and_widget_state(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, path)
    found = problems(path)
    assert any("has outputs" in p for p in found) and any("widget state" in p for p in found)
    assert strip(path) and problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glued_fact_is_declared_in_the_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    used = {key for cell in nb.cells if cell.cell_type == "markdown" for key in GLUE.findall(cell.source)}
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    missing = sorted(key for key in used if f'"{key}"' not in code)
    assert not missing, f"glued in the text but never glued in code: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_live_widget_cells_are_removed_from_the_web_book_and_announced(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "widgets." in cell.source and "calculator" in cell.source:
            assert "remove-cell" in cell.metadata.get("tags", []), f"cell {index + 1} shows a live widget in HTML"
            before = nb.cells[index - 1]
            assert before.cell_type == "markdown" and "rocket" in before.source, \
                f"cell {index + 1}: the note before a live tool must point to the launch button"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outline_chapters_say_so(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    has_code = any(cell.cell_type == "code" for cell in nb.cells)
    if not has_code:
        assert "This chapter is an outline" in text or "is an outline" in text, path.name
