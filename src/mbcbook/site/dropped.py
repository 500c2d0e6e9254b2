"""Chapters left out of ``_toc.yml``: links into them become plain text, not broken links.

An educator drops a chapter by deleting its line from ``_toc.yml``; the file stays, but it is no
longer built (``only_build_toc_files``). Other chapters still link to it, or to its sections and
figures, and Sphinx would warn about each such link, which fails the build (warnings are errors).
This module reads the labels and titles the dropped files define, and answers Sphinx's
``missing-reference`` event for them with the link's text (its explicit text, or the section's or
chapter's title) and a note in the build log. A link to something that no file defines, a typo,
still fails the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes

#: ``(label)=`` before a heading, ``:label:`` of an exercise, ``:name:`` of a figure.
_LABEL = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$|^\s*:(?:label|name):\s*(?P<option>\S+)\s*$", re.M)
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*$", re.M)
SOURCE_SUFFIXES = (".ipynb", ".md")


@dataclass(frozen=True)
class DroppedDocument:
    """A source file that ``_toc.yml`` leaves out: its title and the labels it defines."""

    docname: str
    title: str
    labels: dict[str, str]


def _markdown_text(path: Path) -> str:
    """The Markdown of a MyST page, or of a notebook's Markdown cells."""
    if path.suffix == ".ipynb":
        import nbformat

        notebook = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def read_dropped(path: Path, docname: str) -> DroppedDocument:
    r"""Title and labels of one left-out source file.

    Each label is paired with the title it would show: the heading after a ``(label)=`` line,
    otherwise the document's title.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "06-x.md").write_text("(chapter-x)=\n# Registries\n\n(sec-y)=\n## Design\n")
    >>> dropped = read_dropped(folder / "06-x.md", "book/06-x")
    >>> dropped.title, dropped.labels
    ('Registries', {'chapter-x': 'Registries', 'sec-y': 'Design'})
    """
    text = _markdown_text(path)
    first = _HEADING.search(text)
    title = first.group("title") if first else docname.rsplit("/", 1)[-1]
    labels = {}
    for match in _LABEL.finditer(text):
        label = match.group("label") or match.group("option")
        heading = _HEADING.match(text, match.end() + 1) if match.group("label") else None
        labels[label] = heading.group("title") if heading else title
    return DroppedDocument(docname, title, labels)


def dropped_documents(srcdir: Path, built: set[str], folders: set[str]) -> dict[str, DroppedDocument]:
    """Every source file in the book's folders that is not built, by document name.

    Parameters
    ----------
    srcdir : Path
        The book's source folder (the repository root).
    built : set of str
        The documents Sphinx reads (those of ``_toc.yml``).
    folders : set of str
        Folders, relative to ``srcdir``, that hold built documents (``{"book"}``).

    Returns
    -------
    dict of str to DroppedDocument
    """
    found = {}
    for folder in sorted(folders):
        for path in sorted((Path(srcdir) / folder).glob("*")):
            docname = f"{folder}/{path.stem}" if folder else path.stem
            if path.suffix in SOURCE_SUFFIXES and docname not in built:
                found[docname] = read_dropped(path, docname)
    return found


def _dropped(app) -> dict[str, DroppedDocument]:
    env = app.env
    cached = getattr(env, "_mbcbook_dropped", None)
    if cached is None:
        built = set(env.found_docs)
        folders = {d.rsplit("/", 1)[0] if "/" in d else "" for d in built}
        cached = env._mbcbook_dropped = dropped_documents(Path(app.srcdir), built, folders)
    return cached


def dropped_labels(app) -> dict[str, str]:
    """Label -> title, for every label defined only in a left-out file."""
    return {label: title for doc in _dropped(app).values() for label, title in doc.labels.items()}


def resolve_docname(target: str, refdoc: str) -> str:
    """The document a ``{doc}`` target names, from the document that links to it.

    Examples
    --------
    >>> resolve_docname("06-prospective-studies", "book/05-clinical-trials")
    'book/06-prospective-studies'
    >>> resolve_docname("/book/a2-glossary", "book/05-clinical-trials")
    'book/a2-glossary'
    """
    if target.startswith("/"):
        return target.lstrip("/")
    folder = refdoc.rsplit("/", 1)[0] if "/" in refdoc else ""
    return f"{folder}/{target}" if folder else target


def link_to_dropped(app, env, node, contnode):
    """``missing-reference``: a link into a left-out chapter becomes its text; anything else is left alone.

    Returns None (Sphinx then warns, and the build fails) when the target is not defined in a
    left-out file either.
    """
    from sphinx.util import logging

    reftype, target = node.get("reftype"), node.get("reftarget", "")
    dropped = _dropped(app)
    if reftype == "doc":
        document = dropped.get(resolve_docname(target, node.get("refdoc", "")))
        title = document.title if document else None
    elif reftype in ("ref", "numref"):
        labels = dropped_labels(app)
        title = labels.get(target.lower()) or labels.get(target)
    else:
        return None
    if title is None:
        return None
    logging.getLogger(__name__).info(
        f"{node.get('refdoc')}: link to '{target}', left out of _toc.yml, shown as plain text")
    text = contnode.astext() if node.get("refexplicit") else title
    if reftype == "numref":  # no number to give: the figure is not in this edition
        text = re.sub(r"\s*(\{number\}|%s)", "", text) if node.get("refexplicit") else f"a figure of “{title}”"
    return nodes.inline(text, text, classes=["mbcbook-left-out"])
