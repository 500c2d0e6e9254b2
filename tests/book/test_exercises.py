"""Exercises and solutions (sphinx-exercise): one line of _config.yml hides every solution for an exam."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import yaml

from conftest import REPO

CHAPTER = """\
# A chapter

:::{exercise}
:label: ex-9-1

What is a hazard ratio?
:::

:::{solution} ex-9-1
:class: dropdown

The ratio of two hazards: THE-SOLUTION-TEXT.
:::
"""


def build_chapter(tmp_path, hide_solutions: bool) -> str:
    """Build one page with the book's exercise settings, solutions hidden or not; return its HTML.

    Each build runs in its own process: Sphinx registers its node classes once per process.
    """
    source = tmp_path / "source"
    source.mkdir()
    (source / "index.md").write_text(CHAPTER, encoding="utf-8")
    (source / "conf.py").write_text(textwrap.dedent("""\
        extensions = ["myst_parser", "sphinx_exercise"]
        myst_enable_extensions = ["colon_fence"]
        """), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", "-D",
                    f"hide_solutions={int(hide_solutions)}", str(source), str(tmp_path / "html")], check=True)
    return (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("hide", [False, True], ids=["course", "exam"])
def test_hide_solutions_removes_every_solution_and_keeps_the_exercises(tmp_path, hide):
    html = build_chapter(tmp_path, hide)
    assert "What is a hazard ratio?" in html
    assert ("THE-SOLUTION-TEXT" in html) is not hide


def test_the_book_sets_the_switch_in_its_config_and_shows_solutions():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert "sphinx_exercise" in config["sphinx"]["extra_extensions"]
    assert config["sphinx"]["config"]["hide_solutions"] is False
