"""The chapters' prose, read from the sources: no typed numbers, citations and glossary terms that
resolve, terms linked where they first appear, and every written chapter built like chapter 1.

(That the glued figures reach the pages is tested on the built book, in test_build.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_file

from conftest import DATA, REPO

BOOK = REPO / "book"
CHAPTERS = sorted(BOOK.glob("*.ipynb"))
PAGES = sorted(BOOK.glob("*.md"))

ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<content>[^`]*)`")
TERM = re.compile(r"\{term\}`(?:[^`<]*<)?(?P<term>[^`>]+)>?`")
CITE = re.compile(r"\{cite:\w+\}`(?P<keys>[^`]+)`")

# Digits a chapter may type. Everything else that is a number comes from data/ through
# {glue:text}. Each pattern is removed before the prose is searched for digits.
ALLOWED_NUMBERS = [
    r"\b(?:19|20)\d\d(?:s|\b)",  # years and decades: "2019", "the 1990s"
    # cross-references typed in words: "chapter 5", "section 4.2", "Figure 1.1", "Exercise 2.3"
    r"\b(?:[Cc]hapters?|[Ss]ections?|[Ff]igures?|[Ee]xercises?|[Tt]ables?|[Pp]art)\s+\d+(?:\.\d+)?"
    r"(?:\s*(?:,|and|to|-|–)\s*\d+(?:\.\d+)?)*",
    r"\b(?:JCOG1017|E2108|MF07-01|ABCSG-28|TBCRC 013|GBSG2|NCT\d+|UMIN\d+|CD\d+)\b",  # trials, records, data sets
    r"\bHER2\b|\b21-gene\b|\bstage IV\b",  # names of a receptor and a test
    r"\b(?:90|95)%",  # confidence levels, said in general ("a 90% interval is narrower than a 95% one")
    r"\b\d+-(?:year|month|week)\b",  # names of measures and reports: "2-year survival", "10-year update"
    r"\b\d+ (?:more )?minutes\b",  # time to learn
    r"^\s*\d+\.\s",  # a numbered list's markers
    r"\bECOG\b[^.]*",  # the ECOG scale is defined by its numbers (0 fully active ... 5 dead)
]
ALLOWED = re.compile("|".join(f"(?:{p})" for p in ALLOWED_NUMBERS), flags=re.MULTILINE)


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def without_code(markdown: str) -> str:
    """The markdown without code blocks and math (a figure's or exercise's directive body stays)."""
    text = re.sub(r"^(```|~~~).*?^\1", lambda m: _keep_directive_body(m.group(0)), markdown,
                  flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"``.+?``", " ", text)  # inline code that shows a role, as a guide does
    return re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.DOTALL)


def prose(markdown: str) -> str:
    """What a reader reads as words: no code, math, roles, labels, directive options or link targets."""
    text = ROLE.sub(" ", without_code(markdown))
    text = re.sub(r"`[^`]*`", " ", text)  # inline code: file names such as data/effects.csv
    text = re.sub(r"^\(\S+\)=\s*$", " ", text, flags=re.MULTILINE)  # labels
    text = re.sub(r"^:{3,}.*$|^:[\w-]+:.*$", " ", text, flags=re.MULTILINE)  # fences, options
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)


def _keep_directive_body(block: str) -> str:
    """A fenced ```{directive} block is prose (a figure's caption); a code block is not."""
    first, _, body = block.partition("\n")
    return body.rsplit("\n", 1)[0] if first.lstrip("`~").startswith("{") else " "


def typed_numbers(markdown: str) -> list[str]:
    """Each typed number left in the prose, with a little context."""
    text = ALLOWED.sub(" ", prose(markdown))
    return [text[max(0, m.start() - 30):m.end() + 10].replace("\n", " ") for m in re.finditer(r"\d", text)]


def test_the_check_finds_typed_numbers_and_spares_glued_ones():
    assert typed_numbers("Median survival was 19.2 months.")
    assert typed_numbers("The HR was {glue:text}`effects.tata-os` against 0.66 in MF07-01.")
    assert typed_numbers("Of 350 women, half were operated.")
    assert typed_numbers("A figure caption:\n```{glue:figure} fig-x\n:name: fig-x\n\nHR 0.5 here.\n```")
    assert not typed_numbers("The HR was {glue:text}`effects.tata-os` in 2015 (chapter 5, Figure 4.2).")
    assert not typed_numbers(":::{exercise}\n:label: ex-4-1\n\nSee `data/effects.csv`.\n:::")
    assert not typed_numbers("1. list the arguments;\n2. weigh them.\n\n**Time to learn.** About 40 minutes.")
    assert not typed_numbers("The median is $\\ln 2 / \\lambda$; a 90% interval is narrower than a 95% one.")
    assert not typed_numbers("```python\nev.table('effects').loc['tata-os', 'estimate'] > 1.0\n```")


# The chapters, the glossary and the preface. Not the references page (generated from
# references.bib) nor the guide for educators (software: versions, row numbers, file formats).
TEACHING_PAGES = CHAPTERS + [BOOK / "a2-glossary.md", BOOK / "00-preface.md"]


@pytest.mark.parametrize("path", TEACHING_PAGES, ids=lambda p: p.name)
def test_prose_types_no_number_that_is_not_from_data(path):
    found = typed_numbers(markdown_of(path))
    assert not found, f"typed numbers (take them from data/ with {{glue:text}}): {found[:8]}"


def bib_keys() -> set[str]:
    return set(parse_file(DATA / "references.bib").entries)


def glossary_terms() -> set[str]:
    text = (BOOK / "a2-glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return {line.strip() for line in block.splitlines() if line.strip() and not line.startswith((" ", "\t"))}


@pytest.mark.parametrize("path", CHAPTERS + PAGES, ids=lambda p: p.name)
def test_every_citation_key_is_in_the_bibliography(path):
    keys = {key.strip() for m in CITE.finditer(without_code(markdown_of(path))) for key in m.group("keys").split(",")}
    assert not keys - bib_keys(), f"cited but not in data/references.bib: {sorted(keys - bib_keys())}"


@pytest.mark.parametrize("path", CHAPTERS + PAGES, ids=lambda p: p.name)
def test_every_glossary_term_used_exists(path):
    known = {term.lower() for term in glossary_terms()}
    used = {m.group("term").strip() for m in TERM.finditer(markdown_of(path))}
    assert not {t for t in used if t.lower() not in known}, f"not in the glossary: {used}"


def test_the_glossary_has_at_least_thirty_terms():
    assert len(glossary_terms()) >= 30


def _plain_name(term: str) -> str:
    """'Hazard ratio (HR)' -> 'Hazard ratio': the words a chapter writes."""
    return re.sub(r"\s*\(.*\)$", "", term).strip()


def written_chapters() -> list[Path]:
    return [p for p in CHAPTERS if "This chapter is an outline" not in markdown_of(p)]


@pytest.mark.parametrize("path", written_chapters(), ids=lambda p: p.name)
def test_glossary_terms_are_linked_where_they_first_appear(path):
    """A term written in a chapter is linked at its first appearance, not later or never."""
    markdown = markdown_of(path)
    late = []
    for term in glossary_terms():
        name = _plain_name(term)
        if len(name) < 6 or "," in name:  # too short or compound to find reliably ("SEER"; "ER, PgR ...")
            continue
        # The first mention outside any role, and the first link to the term.
        unlinked = re.search(rf"\b{re.escape(name)}\b", ROLE.sub(" ", markdown), flags=re.IGNORECASE)
        if not unlinked:
            continue
        linked = [m for m in TERM.finditer(markdown) if m.group("term").strip().lower() == term.lower()]
        before = ROLE.sub(" ", markdown[:linked[0].start()]) if linked else None
        if before is None or re.search(rf"\b{re.escape(name)}\b", before, flags=re.IGNORECASE):
            late.append(term)
    assert not late, f"written before (or without) a {{term}} link: {sorted(late)}"


def narrative_words(markdown: str) -> int:
    """Words of the chapter's text, without exercises, solutions, key points and code."""
    body = re.sub(r"^:{3,}\{(exercise|solution)\}.*?^:{3,}\s*$", " ", markdown, flags=re.MULTILINE | re.DOTALL)
    return len(re.findall(r"[A-Za-z][A-Za-z'-]*", prose(body)))


def test_chapters_one_to_four_are_written():
    names = {p.name for p in written_chapters()}
    assert {"01-introduction.ipynb", "02-contraindications.ipynb", "03-indications.ipynb",
            "04-retrospective-studies.ipynb"} <= names


@pytest.mark.parametrize("path", written_chapters(), ids=lambda p: p.name)
def test_a_written_chapter_follows_the_model(path):
    markdown = markdown_of(path)
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "## Learning objectives" in markdown and "**Time to learn.**" in markdown
    assert "Teaching material, not a clinical decision tool" in markdown
    assert re.search(r"\{admonition\} Key points", markdown), "a key-points box"
    assert "## What comes next" in markdown or "this book ends" in markdown.lower()
    assert narrative_words(markdown) >= 1200, f"{narrative_words(markdown)} words of narrative"
    exercises = re.findall(r"\{exercise\}\s*\n:label: (\S+)", markdown)
    # A solution with code cells in it opens with {solution-start} (sphinx-exercise's gated form).
    solutions = re.findall(r"\{solution(?:-start)?\} (\S+)\s*\n:class: dropdown", markdown)
    assert len(exercises) >= 2 and set(exercises) == set(solutions), "every exercise has a folded solution"
    figures = re.findall(r"\{glue:figure\} (\S+)\s*\n:name: (\S+)", markdown)
    assert figures, "at least one numbered figure from data/"
    for key, label in figures:
        # The label is the glue key, or (a chart shown again in a later chapter) the key and a suffix.
        assert label.startswith(key), f"figure {key} is labelled {label}: name it after its chart"
        assert f'glue_figure("{key.removeprefix("fig-")}"' in code, f"{key} is never glued"
        assert f"{{numref}}`{label}`" in markdown, f"the text never cites {label} by its number"
