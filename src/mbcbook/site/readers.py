"""Reader notebooks: each chapter as a notebook that reads like the web book in any Jupyter or Colab.

The chapters in ``book/`` are written in MyST: figures pasted with ``{glue:text}``, glossary
terms, citations, cross-references, admonitions, numbered exercises with folded solutions.
Only Jupyter Book understands that markup; JupyterLab, Notebook, Colab or a hospital's
JupyterHub would show it raw. While the book is built, this module writes, for every chapter
notebook, a *reader notebook* in plain Markdown and HTML that every one of them renders:

* each glued figure replaced by its value, with its source as a tooltip (``<span title>``);
* glossary terms as plain words, defined again at the end of the notebook;
* citations as "(Badwe et al., 2015)", with the chapter's references listed at the end;
* links to other chapters as links to their reader notebooks; references to figures and
  exercises by number ("Figure 5.1"); ``(label)=`` lines dropped;
* admonitions and exercises as block quotes with a bold title; solutions folded in
  ``<details>``, their code cells' input collapsed (none at all with ``hide_solutions``);
* the code cells as they are, so the live tools work once the cells run.

Why this and not ``jupyterlab-myst``: one file works everywhere, including Colab and hubs where
a reader cannot install an extension, and the figures in its text need no kernel.

The notebooks replace the copies Sphinx puts in ``_sources/`` (the download button and the
offline zip), and ``python -m mbcbook.site.build --reader-notebooks notebooks`` (``make book``)
copies them to ``notebooks/``, which the launch buttons open. A markup this module cannot turn
into plain text stops the build with the chapter and the markup named.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..errors import BookBuildError

#: A role with its content (`{cite:p}`key``), or a plain inline code span, which is kept as it is.
_INLINE = re.compile(r"(?P<role>\{[\w:-]+\})?(?P<ticks>`+)(?P<body>.+?)(?P=ticks)", re.S)
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})(?:\{(?P<name>[\w:-]+)\})?\s*(?P<args>.*?)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
_LABEL_LINE = re.compile(r"^\(\S+\)=\s*$")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>.+?)[ \t]*$", re.M)

ADMONITIONS = {"admonition", "note", "tip", "hint", "important", "warning", "caution", "attention",
               "danger", "error", "seealso"}
#: The first cell of a reader notebook and the cells added at its end have fixed ids, so that two
#: builds write the same bytes.
HEADER_ID, INSTALL_ID = "mbcbook-reader-header", "mbcbook-reader-install"
TERMS_ID, REFERENCES_ID = "mbcbook-reader-terms", "mbcbook-reader-references"
FOLDED_TAGS = {"hide-cell", "hide-input"}


@dataclass(frozen=True)
class BookIndex:
    """What a reader notebook needs to know about the whole book, taken from the built book.

    Attributes
    ----------
    titles : dict
        Document name -> title, for every built page.
    chapter_numbers : dict
        Document name -> its number in the table of contents ("5"), numbered chapters only.
    section_numbers : dict
        Document name -> {section id: "5.4.1"}, numbered chapters only (as the web book numbers them).
    numbers : dict
        Label of a figure or exercise -> "Figure 5.1" / "Exercise 5.1".
    labels : dict
        Label -> (document name, title of what it labels).
    left_out : dict
        Label or document name defined only in a chapter left out of ``_toc.yml`` -> its title.
    readers : frozenset
        Documents that get a reader notebook (the built notebooks).
    glossary : dict
        Term, lower case -> (term as written, definition in MyST).
    citations : dict
        Reference key -> (in-text label "Badwe et al., 2015", the full reference).
    repository, branch : str
        Where the book's sources are (``repository.url`` and ``.branch`` of ``_config.yml``).
    hide_solutions : bool
        Leave every solution out (``hide_solutions`` in ``_config.yml``, for an exam).
    """

    titles: dict[str, str]
    chapter_numbers: dict[str, str] = field(default_factory=dict)
    section_numbers: dict[str, dict[str, str]] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)
    readers: frozenset[str] = frozenset()
    glossary: dict[str, tuple[str, str]] = field(default_factory=dict)
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)
    repository: str = ""
    branch: str = "main"
    hide_solutions: bool = False


@dataclass(frozen=True)
class Glued:
    """A value glued by a chapter: its text as pasted, and its source note (empty if none)."""

    text: str
    note: str = ""


def glued_values(glue_json: Path) -> dict[str, Glued]:
    """The values a chapter glued, as myst-nb saved them beside the executed notebook.

    Parameters
    ----------
    glue_json : Path
        ``_build/jupyter_execute/<chapter>.glue.json``.

    Returns
    -------
    dict of str to Glued
        Only values with a text form (figures glued as charts are drawn by their code cell).
    """
    from ..paths import FACT_MIME
    from .facts import provenance_text

    values = {}
    for key, output in json.loads(Path(glue_json).read_text(encoding="utf-8")).items():
        data = output.get("data", {})
        if "text/plain" not in data:
            continue
        text = "".join(data["text/plain"]) if isinstance(data["text/plain"], list) else data["text/plain"]
        try:  # a string is glued as its repr, quotes and all; myst-nb pastes it without them
            literal = ast.literal_eval(text)
            text = literal if isinstance(literal, str) else text
        except (ValueError, SyntaxError):
            pass
        provenance = data.get(FACT_MIME)
        values[key] = Glued(text, provenance_text(provenance) if isinstance(provenance, dict) else "")
    return values


class _Chapter:
    """Turns one chapter's cells into a reader notebook's cells, remembering terms and citations."""

    def __init__(self, docname: str, glued: dict[str, Glued], index: BookIndex):
        self.docname, self.glued, self.index = docname, glued, index
        self.terms: dict[str, None] = {}  # in order of first use
        self.cited: dict[str, None] = {}
        self.pasted: dict[str, str] = {}
        self.gate: str | None = None  # the exercise whose gated solution is open

    def fail(self, what: str) -> BookBuildError:
        return BookBuildError(f"{self.docname}: the reader notebook cannot show {what}")

    # ---------------------------------------------------------------- inline markup
    def inline(self, text: str) -> str:
        """Roles to plain Markdown; inline code spans kept as they are."""
        def replace(match: re.Match) -> str:
            if not match.group("role"):
                return match.group(0)
            return self.role(match.group("role")[1:-1], " ".join(match.group("body").split()))

        return _INLINE.sub(replace, text)

    def role(self, name: str, body: str) -> str:
        explicit = _EXPLICIT.match(body)
        text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, body)
        if name in ("glue:text", "glue"):
            return self.paste(body)
        if name == "term":
            self.terms.setdefault((target or "").lower())
            return text or target
        if name in ("cite:p", "cite:t"):
            return self.cite(name, body)
        if name == "doc":
            return self.doc(target, text)
        if name in ("ref", "numref"):
            return self.ref(name, target, text)
        if name == "math":
            return f"${body}$"
        raise self.fail(f"the role {{{name}}} (in `{body}`)")

    def paste(self, body: str) -> str:
        key, _, spec = body.partition(":") if body.count(":") and "::" not in body else (body, "", "")
        if key not in self.glued:
            raise self.fail(f"the figure {key!r}: it was not glued when the chapter ran")
        value = self.glued[key]
        text = format(float(value.text), spec) if spec else value.text
        self.pasted[body] = text
        shown = escape(text, quote=False)
        return f'<span title="{escape(value.note)}">{shown}</span>' if value.note else shown

    def cite(self, name: str, body: str) -> str:
        labels = []
        for key in (k.strip() for k in body.split(",")):
            if key not in self.index.citations:
                raise self.fail(f"the citation {key!r}: no such key in the bibliography")
            self.cited.setdefault(key)
            labels.append(self.index.citations[key][0])
        if name == "cite:p":
            return "(" + "; ".join(labels) + ")"
        return "; ".join(f"{who} ({year})" for who, _, year in (label.rpartition(", ") for label in labels))

    def doc(self, target: str, text: str | None) -> str:
        from .dropped import resolve_docname

        docname = resolve_docname(target, self.docname)
        title = text or self.index.titles.get(docname) or self.index.left_out.get(docname)
        if title is None:
            raise self.fail(f"a link to {target!r}: no such page")
        return self.link(docname, title)

    def link(self, docname: str, text: str) -> str:
        """A link to another chapter's reader notebook, the source of a page, or plain text."""
        if docname == self.docname:
            return f"“{text}”"  # a section of this notebook
        if docname not in self.index.titles:
            return text  # a chapter left out of this edition
        if docname in self.index.readers:
            return f"[{text}]({docname.rsplit('/', 1)[-1]}.ipynb)"
        return f"[{text}]({self.index.repository}/blob/{self.index.branch}/{docname}.md)"

    def ref(self, name: str, label: str, text: str | None) -> str:
        label = label.lower()
        if label in self.index.numbers:
            number = self.index.numbers[label]
            if text:
                return text.replace("{number}", number.split()[-1]).replace("%s", number.split()[-1])
            return number
        if label in self.index.labels:
            docname, title = self.index.labels[label]
            return self.link(docname, text or title)
        if label in self.index.left_out:
            return text or self.index.left_out[label]
        raise self.fail(f"the reference {{{name}}}`{label}`: no such label")

    # ---------------------------------------------------------------- blocks
    def markdown(self, source: str) -> str:
        return "\n".join(self.blocks(source.split("\n"))).strip("\n")

    def blocks(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        prose: list[str] = []

        def flush():
            if prose:
                out.extend(_HEADING.sub(self.numbered, self.inline("\n".join(prose))).split("\n"))
                prose.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            fence = _FENCE.match(line)
            if _LABEL_LINE.match(line):
                i += 1
                continue
            if not fence:
                prose.append(line)
                i += 1
                continue
            flush()
            end = _closing(lines, i, fence.group("fence"))
            converted, finished = self.fenced(fence, lines[i + 1:end], lines[end + 1:])
            out.extend(converted)
            if finished:  # the fence took the rest of the cell with it (a gated solution)
                return out
            i = end + 1
        flush()
        return out

    def numbered(self, heading: re.Match) -> str:
        """A heading with its number as the web book shows it: "## 5.4. Surgery after a response"."""
        from docutils.nodes import make_id

        title = heading.group("title")
        numbers = self.index.section_numbers.get(self.docname, {})
        number = numbers.get("" if heading.group("hashes") == "#" else f"#{make_id(title)}")
        return f"{heading.group('hashes')} {number}. {title}" if number else heading.group(0)

    def fenced(self, fence: re.Match, body: list[str], rest: list[str]) -> tuple[list[str], bool]:
        """One fenced block: code as written, a directive converted; True when it converted ``rest`` too."""
        name = fence.group("name")
        if name is None:
            if fence.group("fence").startswith(":"):
                raise self.fail(f"a ':::' fence with no directive ({fence.group(0).strip()!r})")
            opening = fence.group(0)
            return [opening, *body, fence.group("indent") + fence.group("fence")], False
        options, body = _options(body)
        if name == "solution-start":
            # The rest of this cell, and the cells up to {solution-end}, are the solution.
            end_at = _solution_end(rest)
            self.gate = self.exercise_number(fence.group("args"))
            return self.solution(self.gate, self.blocks(rest[:end_at])) + self.blocks(rest[end_at:]), True
        if name == "solution-end":
            if self.gate is None:
                raise self.fail("a {solution-end} with no {solution-start} before it")
            self.gate = None
            return self.blocks(rest), True
        return self.directive(name, fence.group("args"), options, body), False

    def directive(self, name: str, args: str, options: dict[str, str], body: list[str]) -> list[str]:
        if name in ADMONITIONS:
            title = self.inline(args) if args else name.capitalize()
            return _quote(f"**{title}**", self.blocks(body))
        if name == "exercise":
            number = self.index.numbers.get(options.get("label", "").lower())
            if number is None:
                raise self.fail(f"an exercise with no number (label {options.get('label')!r})")
            title = f"**{number}**" + (f" ({self.inline(args)})" if args else "")
            return _quote(title, self.blocks(body))
        if name == "solution":
            return self.solution(self.exercise_number(args), self.blocks(body))
        if name == "glue:figure":
            label = options.get("name", args).lower()
            number = self.index.numbers.get(label)
            if number is None:
                raise self.fail(f"the figure {args!r}: it has no number")
            caption = " ".join(self.blocks(body)).strip()
            return [f"**{number}.** {caption} *(The chart is drawn by the code cell above when it runs.)*"]
        if name == "bibliography":
            return []  # the notebook lists the references it cites at its end
        if name in ("math", "code-block", "code"):
            opening = "$$" if name == "math" else f"```{args}"
            return [opening, *body, "$$" if name == "math" else "```"]
        raise self.fail(f"the directive {{{name}}}")

    def exercise_number(self, label: str) -> str:
        number = self.index.numbers.get(label.strip().lower())
        if number is None:
            raise self.fail(f"a solution to {label!r}: no exercise has that label")
        return number

    def solution(self, exercise: str, body: list[str], continued: bool = False) -> list[str]:
        """A solution folded in ``<details>``; nothing at all when solutions are hidden."""
        if self.index.hide_solutions or not any(line.strip() for line in body):
            return []
        while not body[-1].strip():
            body = body[:-1]
        summary = f"Solution to {exercise}" + (" (continued)" if continued else "")
        return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>"]

    # ---------------------------------------------------------------- cells
    def cell(self, cell) -> list[dict]:
        """The reader's version of one cell (none, for a cell that only held a label)."""
        if cell.cell_type == "markdown":
            if self.gate is None:
                text = self.markdown(cell.source)
            else:  # a Markdown cell inside a gated solution, after the cell that opened it
                lines = cell.source.split("\n")
                end_at = _solution_end(lines)
                folded = self.solution(self.gate, self.blocks(lines[:end_at]), continued=True)
                text = "\n".join(folded + self.blocks(lines[end_at:])).strip("\n")
            if not text.strip():
                return []
            return [{"cell_type": "markdown", "id": cell.get("id"), "metadata": {}, "source": text}]
        if cell.cell_type != "code":
            return []
        metadata = {"tags": cell.metadata["tags"]} if "tags" in cell.metadata else {}
        source = cell.source
        if self.gate is not None:
            if self.index.hide_solutions:
                return []
            metadata["jupyter"] = {"source_hidden": True}
            # Colab folds a cell that starts with a form title.
            metadata["cellView"] = "form"
            source = f"# @title Solution to {self.gate} (code)\n{source}"
        elif FOLDED_TAGS & set(cell.metadata.get("tags", [])):
            metadata["jupyter"] = {"source_hidden": True}
        return [{"cell_type": "code", "id": cell.get("id"), "metadata": metadata, "source": source,
                 "outputs": [], "execution_count": None}]


def _closing(lines: list[str], start: int, fence: str) -> int:
    """Index of the line that closes the fence opened at ``start`` (the last line if none does)."""
    char = fence[0]
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= len(fence):
            return j
    return len(lines)


def _solution_end(lines: list[str]) -> int:
    """Index of the line that opens ``{solution-end}`` (``len(lines)`` when none does)."""
    return next((j for j, line in enumerate(lines) if "{solution-end}" in line), len(lines))


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    options = {}
    while body and _OPTION.match(body[0]):
        match = _OPTION.match(body[0])
        options[match.group("key")] = match.group("value")
        body = body[1:]
    return options, body


def _quote(title: str, body: list[str]) -> list[str]:
    """A block quote with a bold title: how every Markdown renderer shows a box."""
    while body and not body[0].strip():
        body = body[1:]
    return [f"> {title}", ">", *[f"> {line}" if line.strip() else ">" for line in body]]


def reader_notebook(notebook, docname: str, glued: dict[str, Glued], index: BookIndex) -> dict:
    """The reader's version of one chapter notebook (an nbformat 4 notebook, as a dict).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The chapter as written in ``book/``.
    docname : str
        Its document name, ``book/05-clinical-trials``.
    glued : dict of str to Glued
        What the chapter glued when it ran (:func:`glued_values`).
    index : BookIndex
        Titles, numbers, labels, glossary and citations of the built book.

    Returns
    -------
    dict
        The notebook, with no outputs; ``metadata.mbcbook`` records its source and the text of
        every figure pasted into its prose (a test checks that a reader sees each one).

    Raises
    ------
    mbcbook.errors.BookBuildError
        When the chapter uses markup with no plain equivalent, or pastes a figure it never glued.
    """
    chapter = _Chapter(docname, glued, index)
    cells = [cell for source_cell in notebook.cells for cell in chapter.cell(source_cell)]
    if chapter.gate is not None:
        raise chapter.fail(f"the solution to {chapter.gate}: it has no {{solution-end}}")
    cells = [_header(docname, index), install_cell(index), *cells, *_terms(chapter), *_references(chapter)]
    metadata = {key: notebook.metadata[key] for key in ("kernelspec", "language_info") if key in notebook.metadata}
    metadata["mbcbook"] = {"source": f"{docname}.ipynb", "glued": dict(sorted(chapter.pasted.items()))}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def _header(docname: str, index: BookIndex) -> dict:
    number = index.chapter_numbers.get(docname)
    which = f"Chapter {number}" if number else "Appendix"
    text = "\n".join([
        f"> **{which} of *Surgery for de novo stage IV breast cancer*, the reader's notebook**",
        ">",
        "> Teaching material, not a clinical decision tool. Run the cells from the top (in JupyterLab,",
        "> *Run > Run All Cells*; in Colab, *Runtime > Run all*): the charts and the live tools then",
        "> appear. The figures in the text were computed from the book's data when this notebook was made.",
        ">",
        f"> Made by `make book` from `{docname}.ipynb` in [the book's repository]({index.repository});",
        "> change that file, not this one. Text CC BY 4.0, code MIT.",
    ])
    return {"cell_type": "markdown", "id": HEADER_ID, "metadata": {}, "source": text}


def install_cell(index: BookIndex) -> dict:
    """The reader notebook's first code cell: the book's package from ``repository.url``, where it is missing.

    The repository is named here and nowhere else in the notebooks, so a fork that changes
    ``_config.yml`` gets install cells that install its own package.
    """
    source = "\n".join([
        "# Colab, or a JupyterHub without the book's package: install it, with its data, from the book's",
        "# repository. Where the package is installed already (Binder, a local copy) this cell does nothing.",
        "import importlib.util",
        "import sys",
        "",
        'if importlib.util.find_spec("mbcbook") is None:',
        f'    %pip install --quiet "mbcbook @ git+{index.repository}@{index.branch}"',
        'if "google.colab" in sys.modules:  # Colab shows ipywidgets 8 only through its own widget manager',
        "    from google.colab import output",
        "",
        "    output.enable_custom_widget_manager()",
    ])
    return {"cell_type": "code", "id": INSTALL_ID, "metadata": {}, "source": source, "outputs": [],
            "execution_count": None}


def _terms(chapter: _Chapter) -> list[dict]:
    """The glossary entries of the terms the chapter uses, in the order it first uses them.

    A definition that names another term adds that term's entry too, after the others.
    """
    entries = []
    done: set[str] = set()
    while len(done) < len(chapter.terms):
        term = next(t for t in chapter.terms if t not in done)
        done.add(term)
        if term not in chapter.index.glossary:
            raise chapter.fail(f"the term {term!r}: the glossary does not define it")
        written, definition = chapter.index.glossary[term]
        entries.append(f"- **{written}**: " + " ".join(chapter.inline(definition).split()))
    if not entries:
        return []
    text = "\n".join(["## Terms used in this chapter", "", *entries])
    return [{"cell_type": "markdown", "id": TERMS_ID, "metadata": {}, "source": text}]


def _references(chapter: _Chapter) -> list[dict]:
    """The references the chapter cites (its terms' definitions included), by their labels."""
    keys = sorted(chapter.cited, key=lambda key: chapter.index.citations[key][0])
    if not keys:
        return []
    entries = [f"- {chapter.index.citations[key][0]}. {chapter.index.citations[key][1]}" for key in keys]
    text = "\n".join(["## References cited in this chapter", "", *entries])
    return [{"cell_type": "markdown", "id": REFERENCES_ID, "metadata": {}, "source": text}]


def read_glossary(path: Path) -> dict[str, tuple[str, str]]:
    r"""Term (lower case) -> (term as written, definition), from the book's glossary page.

    Examples
    --------
    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "glossary.md"
    >>> _ = page.write_text("```{glossary}\nHazard ratio\n  The ratio of two hazards.\n```\n")
    >>> read_glossary(page)
    {'hazard ratio': ('Hazard ratio', 'The ratio of two hazards.')}
    """
    text = Path(path).read_text(encoding="utf-8")
    match = re.search(r"^(`{3,}|:{3,})\{glossary\}[^\n]*\n(?P<body>.*?)^\1\s*$", text, re.S | re.M)
    if not match:
        return {}
    entries: dict[str, tuple[str, str]] = {}
    pending: list[str] = []  # consecutive term lines share the definition that follows them
    definition: list[str] = []

    def close():
        for term in pending:
            entries[term.lower()] = (term, " ".join(definition))

    for line in match.group("body").split("\n"):
        if line.strip() and not line[0].isspace():
            if definition:
                close()
                pending, definition = [], []
            pending.append(line.strip())
        elif line.strip():
            definition.append(line.strip())
    close()
    return entries


def read_citations(bib_paths: list[Path]) -> dict[str, tuple[str, str]]:
    """Reference key -> (label as the text cites it, the full reference as plain text).

    Parameters
    ----------
    bib_paths : list of Path
        The book's BibTeX files (``bibtex_bibfiles`` of ``_config.yml``).
    """
    from pybtex.database import parse_file

    from .bibstyle import Style, author_year

    citations = {}
    for bib_path in bib_paths:
        entries = parse_file(str(bib_path)).entries
        formatted = {entry.key: entry.text.render_as("text")
                     for entry in Style().format_entries(entries.values())}
        citations.update({key: (author_year(entry), formatted[key]) for key, entry in entries.items()})
    return citations


def book_index(app) -> BookIndex:
    """The :class:`BookIndex` of a finished Sphinx build of the book."""
    from .dropped import _dropped, dropped_labels

    env = app.env
    numbers = {}
    for fignumbers in env.toc_fignumbers.values():
        for kind, labelled in fignumbers.items():
            for label, number in labelled.items():
                numbers[label] = f"{kind.capitalize()} {'.'.join(map(str, number))}"
    std = env.get_domain("std")
    labels = {label: (docname, title) for label, (docname, _, title) in std.labels.items()}
    titles = {docname: env.titles[docname].astext() for docname in env.found_docs}
    section_numbers = {docname: {anchor: ".".join(map(str, number)) for anchor, number in numbered.items()}
                       for docname, numbered in env.toc_secnumbers.items()}
    chapter_numbers = {docname: numbered[""] for docname, numbered in section_numbers.items() if numbered.get("")}
    left_out = {**dropped_labels(app), **{d: doc.title for d, doc in _dropped(app).items()}}
    readers = frozenset(d for d in env.found_docs if Path(env.doc2path(d)).suffix == ".ipynb")
    glossary_doc = next((d for d in sorted(env.found_docs) if "glossary" in Path(d).name), None)
    glossary = read_glossary(Path(env.doc2path(glossary_doc))) if glossary_doc else {}
    repository = app.config.html_theme_options.get("repository_url", "").rstrip("/")
    branch = app.config.html_theme_options.get("repository_branch", "main") or "main"
    return BookIndex(titles=titles, chapter_numbers=chapter_numbers, section_numbers=section_numbers,
                     numbers=numbers, labels=labels,
                     left_out=left_out, readers=readers, glossary=glossary,
                     citations=read_citations([Path(app.srcdir) / bib for bib in app.config.bibtex_bibfiles]),
                     repository=repository, branch=branch,
                     hide_solutions=bool(app.config.mbcbook_hide_solutions))


def write_reader_notebooks(app, exception) -> None:
    """``build-finished``: write every chapter's reader notebook over its copy in ``_sources/``.

    The download button of each chapter then gives the reader notebook, and so does the offline
    zip. Does nothing after a failed build or for a builder other than HTML.
    """
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    index = book_index(app)
    executed = Path(app.outdir).parent / "jupyter_execute"
    for docname in sorted(index.readers):
        notebook = nbformat.read(app.env.doc2path(docname), as_version=4)
        glue_file = executed / f"{docname}.glue.json"
        glued = glued_values(glue_file) if glue_file.is_file() else {}
        reader = nbformat.from_dict(reader_notebook(notebook, docname, glued, index))
        target = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(reader) + "\n", encoding="utf-8")
