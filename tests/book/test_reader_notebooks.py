"""The reader notebooks in notebooks/: what residents open on Binder, a JupyterHub or Colab.

They must be what the build makes from the chapters today (a change to data/ or a chapter
without `make book` fails here), read like the web book when rendered as plain Markdown (Colab's
path; JupyterLab's is tested in a real browser by test_live_notebooks.py), and be what the web
book's launch and download buttons open.
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest
import yaml

from conftest import RAW_MYST, REPO, rendered_text
from mbcbook.site.notebooks import notebooks
from mbcbook.site.readers import glued_values

READERS = REPO / "notebooks"
CHAPTERS = [p for p in notebooks(REPO / "book") if p.parent == REPO / "book"]


def _config() -> dict:
    return yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))


def test_every_chapter_notebook_has_a_reader_notebook_and_nothing_else_is_there():
    assert sorted(p.name for p in READERS.glob("*.ipynb")) == sorted(p.name for p in CHAPTERS)


def test_the_reader_notebooks_are_what_the_build_makes_from_today_s_chapters(built_book):
    stale = [p.name for p in CHAPTERS
             if (built_book / "_sources" / "book" / p.name).read_bytes() != (READERS / p.name).read_bytes()]
    assert not stale, (f"notebooks/ is out of date for {', '.join(stale)}: run `make book` and commit "
                       "notebooks/ (the reader notebooks are made from book/ and data/)")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_a_reader_notebook_rendered_as_markdown_shows_no_myst_and_every_glued_figure(path, built_book):
    source = nbformat.read(path, as_version=4)
    reader = nbformat.read(READERS / path.name, as_version=4)
    glued = reader.metadata["mbcbook"]["glued"]
    # Every figure the chapter pastes is recorded, with the value the build glued.
    pasted = set(re.findall(r"\{glue:text\}`([^`]+)`", "\n".join(c.source for c in source.cells
                                                                   if c.cell_type == "markdown")))
    assert set(glued) == pasted
    built = glued_values(built_book.parent / "jupyter_execute" / "book" / f"{path.stem}.glue.json")
    assert {key: built[key].text for key in glued} == glued
    cells = [c.source for c in reader.cells if c.cell_type == "markdown"]
    shown = [rendered_text(cell) for cell in cells]
    for markdown, text in zip(cells, shown, strict=True):
        assert not RAW_MYST.search(markdown), RAW_MYST.search(markdown).group(0)
        assert not RAW_MYST.search(text), text[:300]
    everything = " ".join(shown)
    missing = [value for value in glued.values() if " ".join(value.split()) not in everything]
    assert not missing, f"glued figures not shown: {missing[:5]}"
    # Each solution folded, each box a quote; the reader knows what it is and that it teaches only.
    solutions = len(re.findall(r"\{solution(?:-start)?\} ", "\n".join(c.source for c in source.cells)))
    folded = set(re.findall(r"<summary>Solution to (Exercise [\d.]+)", "\n".join(cells)))
    folded |= {m for c in reader.cells if c.cell_type == "code" and c.metadata.get("jupyter", {}).get("source_hidden")
               for m in re.findall(r"^# @title Solution to (Exercise [\d.]+)", c.source)}
    assert len(folded) == solutions
    assert "Teaching material, not a clinical decision tool" in everything
    assert reader.metadata["mbcbook"]["source"] == f"book/{path.name}"


def test_code_cells_are_the_chapter_s_own_after_the_install_cell_and_have_no_outputs():
    for path in CHAPTERS:
        source = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        install, *reader = [c for c in nbformat.read(READERS / path.name, as_version=4).cells if c.cell_type == "code"]
        assert install.id == "mbcbook-reader-install"
        assert [re.sub(r"^# @title [^\n]*\n", "", c.source) for c in reader] == source, path.name
        assert all(c.outputs == [] and c.execution_count is None for c in reader), path.name


def test_the_launch_and_download_buttons_open_the_reader_notebooks(built_book):
    repository = _config()["repository"]["url"].rstrip("/")
    owner_name = repository.removeprefix("https://github.com/")
    branch = _config()["repository"]["branch"]
    for path in CHAPTERS:
        page = (built_book / "book" / f"{path.stem}.html").read_text(encoding="utf-8")
        links = {html.unescape(link) for link in re.findall(r'href="([^"]+)"', page)}
        reader = f"notebooks/{path.name}"
        assert f"https://mybinder.org/v2/gh/{owner_name}/{branch}?urlpath=lab/tree/{reader}" in links
        assert f"https://colab.research.google.com/github/{owner_name}/blob/{branch}/{reader}" in links
        assert (f"#mbcbook-jupyterhub?repo={repository}&branch={branch}"
                f"&urlpath=lab/tree/{owner_name.split('/')[1]}/{reader}") in links
        assert f"../_sources/book/{path.name}" in links
        assert not [link for link in links if f"book/{path.name}" in link and "_sources" not in link], \
            "a launch button still opens the MyST source"
        assert (REPO / reader).is_file()
