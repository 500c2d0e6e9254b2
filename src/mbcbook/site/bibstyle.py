"""Bibliography labels that match the in-text citations: "Kadys et al., 2023".

The text cites author and year (``bibtex_reference_style: author_year``); pybtex's built-in
styles label the reference list with numbers, so a reader would not find "(Kadys et al., 2023)"
in a list of [1], [2], ... This style labels each entry as it is cited. It is registered by
:mod:`mbcbook.site` and selected with ``bibtex_default_style: mbcbook`` in ``_config.yml``.
"""

from __future__ import annotations

import re
from collections import Counter

from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _surname(person) -> str:
    # Braces protect a corporate name from being split into first and last names; not shown.
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def author_year(entry) -> str:
    """'Badwe et al., 2015'; 'Petrelli and Barni, 2012'; title words for an entry without authors."""
    persons = entry.persons.get("author", [])
    others = any(str(p) == "others" for p in persons)
    named = [p for p in persons if str(p) != "others"]
    year = entry.fields.get("year", "n.d.")
    if not named:  # a trial registration is known by its number; anything else by its title
        registration = re.search(r"\bNCT\d{8}\b", entry.fields.get("howpublished", ""))
        if registration:
            return f"{registration.group(0)}, {year}"
        words = entry.fields.get("title", entry.key).replace("{", "").replace("}", "").split()
        return f"{' '.join(words[:4])}..., {year}"
    if len(named) == 1 and not others:
        who = _surname(named[0])
    elif len(named) == 2 and not others:
        who = f"{_surname(named[0])} and {_surname(named[1])}"
    else:
        who = f"{_surname(named[0])} et al."
    return f"{who}, {year}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """pybtex label style: each entry labelled as the text cites it (see :func:`author_year`)."""

    def format_labels(self, sorted_entries):
        """Label the entries in order; a label shared by two entries gets a letter: 2015a, 2015b.

        Parameters
        ----------
        sorted_entries : iterable of pybtex.database.Entry
            The bibliography's entries, sorted.

        Yields
        ------
        str
            One label per entry, in the same order.
        """
        entries = list(sorted_entries)
        labels = [author_year(entry) for entry in entries]
        counts = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if counts[label] > 1:  # two papers, same first author and year: 2015a, 2015b
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class Style(PlainStyle):
    """pybtex's plain formatting style with author-year labels, registered as ``mbcbook``."""

    default_label_style = AuthorYearLabelStyle


def register() -> None:
    """Register :class:`Style` with pybtex as the formatting style ``mbcbook``."""
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", "mbcbook", Style)
