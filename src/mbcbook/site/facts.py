"""Provenance on every number: a figure pasted with ``{glue:text}`` shows where it comes from.

A chapter pastes each figure from ``data/`` with ``{glue:text}``; the figure was glued by
:func:`mbcbook.evidence.text.glue_facts` together with its provenance (the mime type
:data:`mbcbook.paths.FACT_MIME`: table, row, column, reference key and status). This module
replaces myst-nb's ``glue:text`` role by one that keeps that provenance on the pasted text, and
writes it in the web page as a small note that appears when the reader hovers over the number
or moves to it with the keyboard (it is focusable, and the note is its accessible description):

    HR 1.04 (95% CI 0.81-1.34)   ->   Badwe et al., 2015 · data/effects.csv, row tata-os · confirmed

Glued values without provenance (anything not glued by ``glue_facts``) are pasted as before.
"""

from __future__ import annotations

import functools
from html import escape

from docutils import nodes
from myst_nb.core.variables import RetrievalError
from myst_nb.ext.glue.roles import PasteTextRole
from myst_nb.ext.glue.utils import retrieve_glue_data

from ..paths import BIB_FILE, FACT_MIME, data_dir
from .bibstyle import author_year

#: How each status is said in the note.
STATUS_WORDS = {
    "confirmed": "confirmed against the primary source",
    "unconfirmed": "unconfirmed: not found in a primary source",
    "computed": "computed from these data when the page was built",
}


class fact(nodes.inline):
    """A pasted figure that carries its provenance (``ref``, ``table``, ``row``, ``column``, ``status``)."""


@functools.lru_cache(maxsize=4)
def _citations(bib_path: str) -> dict[str, str]:
    """Reference key -> "Badwe et al., 2015", as the text cites it."""
    from pybtex.database import parse_file

    return {key: author_year(entry) for key, entry in parse_file(bib_path).entries.items()}


def citation(ref: str) -> str:
    """The in-text label of a reference key, or the key itself if the bibliography lacks it.

    Examples
    --------
    >>> citation("badwe2015")
    'Badwe et al., 2015'
    """
    return _citations(str(data_dir() / BIB_FILE)).get(ref, ref)


def provenance_text(provenance: dict) -> str:
    """The note shown on a figure: reference, table, row (and column), status.

    Examples
    --------
    >>> provenance_text({"ref": "badwe2015", "table": "effects", "row": "tata-os", "column": "",
    ...                  "status": "confirmed"})
    'Source: Badwe et al., 2015 · data/effects.csv, row tata-os · confirmed against the primary source'
    >>> provenance_text({"ref": "badwe2015", "source": "lifelines.datasets.load_gbsg2()", "status": "computed"})
    'Source: Badwe et al., 2015 · lifelines.datasets.load_gbsg2() · computed from these data when the page was built'
    """
    if provenance.get("source"):  # computed from a public data set, not read from data/
        where = provenance["source"]
    else:
        where = f"data/{provenance['table']}.csv, row {provenance['row']}"
        if provenance.get("column"):
            where += f", column {provenance['column']}"
    status = STATUS_WORDS.get(provenance["status"], provenance["status"])
    return f"Source: {citation(provenance['ref'])} · {where} · {status}"


class FactTextRole(PasteTextRole):
    """myst-nb's ``{glue:text}``, keeping the provenance of a figure glued by ``glue_facts``."""

    def run(self):
        """Paste the text as myst-nb does; wrap it in a :class:`fact` node when it has provenance."""
        pasted, messages = super().run()
        key = self.text.rsplit(":", 1)[0] if self.text.count(":") else self.text
        if len(pasted) != 1 or not isinstance(pasted[0], nodes.inline) or "::" in key:
            return pasted, messages
        try:
            provenance = retrieve_glue_data(self.document, key).data.get(FACT_MIME)
        except RetrievalError:
            return pasted, messages
        if not isinstance(provenance, dict):
            return pasted, messages
        node = fact("", "", *pasted, classes=["mbcbook-fact"], **{
            name: str(provenance.get(name, "")) for name in ("ref", "table", "row", "column", "status")})
        node["note"] = provenance_text(provenance)
        self.set_source_info(node)
        return [node], messages


def visit_fact_html(translator, node: fact) -> None:
    """Open the focusable figure; its note follows it inside, described to assistive technology."""
    number = getattr(translator, "_mbcbook_facts", 0) + 1
    translator._mbcbook_facts = number
    node["note_id"] = f"mbcbook-fact-{number}"
    status = escape(node["status"])
    translator.body.append(
        f'<span class="mbcbook-fact mbcbook-fact-{status}" tabindex="0" '
        f'aria-describedby="{node["note_id"]}">')


def depart_fact_html(translator, node: fact) -> None:
    """Close the figure after its note (shown on hover and focus by ``mbcbook.css``)."""
    translator.body.append(
        f'<span class="mbcbook-fact-note" role="tooltip" id="{node["note_id"]}">{escape(node["note"])}</span>'
        "</span>")


def _visit_plain(translator, node) -> None:
    translator.visit_inline(node)


def _depart_plain(translator, node) -> None:
    translator.depart_inline(node)


def register(app) -> None:
    """Replace myst-nb's ``glue:text`` role and teach the writers the :class:`fact` node."""
    plain = (_visit_plain, _depart_plain)
    app.add_node(fact, html=(visit_fact_html, depart_fact_html), latex=plain, text=plain, man=plain,
                 texinfo=plain)
    app.add_role_to_domain("glue", "text", FactTextRole(), override=True)
