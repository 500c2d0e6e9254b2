"""hide_solutions for an exam (mbcbook.site.exams): the book takes the setting over from sphinx-exercise,
so that gated solutions are built, merged, then removed with the others. The whole path is built
by tests/book/test_adaptation.py."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes
from docutils.utils import new_document
from sphinx_exercise.nodes import solution_node

from mbcbook.site.exams import HideSolutions, take_over_hide_solutions


def test_the_setting_is_taken_over_only_when_on():
    on = SimpleNamespace(hide_solutions=True, mbcbook_hide_solutions=False)
    take_over_hide_solutions(None, on)
    assert (on.hide_solutions, on.mbcbook_hide_solutions) == (False, True)
    off = SimpleNamespace(hide_solutions=False, mbcbook_hide_solutions=False)
    take_over_hide_solutions(None, off)
    assert (off.hide_solutions, off.mbcbook_hide_solutions) == (False, False)


def _page_with_solutions():
    document = new_document("page")
    section = nodes.section()
    section += nodes.paragraph(text="Exercise")
    for text in ("answer one", "answer two"):
        solution = solution_node()
        solution += nodes.paragraph(text=text)
        section += solution
    document += section
    return document


def _apply(document, hide: bool) -> str:
    transform = HideSolutions(document)
    transform.document.settings.env = SimpleNamespace(config=SimpleNamespace(mbcbook_hide_solutions=hide))
    transform.apply()
    return document.astext()


def test_every_solution_leaves_the_page_when_hidden_and_stays_otherwise():
    assert _apply(_page_with_solutions(), hide=True) == "Exercise"
    assert "answer one" in _apply(_page_with_solutions(), hide=False)
