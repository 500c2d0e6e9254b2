"""Cut the theme's style sheets down to the rules that can apply to the built book.

Every page loads pydata-sphinx-theme's style sheet, 66 kB gzip-compressed, most of it Bootstrap
components (cards, carousels, toasts, ...) and Font Awesome's catalogue of two thousand icons,
which no page of the book uses. After the build, :func:`trim_style_sheets` rewrites it (and the
other style sheets in :data:`STYLE_SHEETS`) without the style rules that cannot match anything.

A rule goes only when *every* selector of its list names, outside any parentheses, a class or an
id that occurs nowhere in the built site: not in the class or id attribute of any page, and not
as a word anywhere in a script (the pages' own, and every ``.js`` file the site ships: scripts
add classes at run time, such as Bootstrap's ``show`` and ``collapsing``), nor in the
:data:`SAFELIST`. Everything else stays as it was: at-rules that hold no selectors
(``@font-face``, ``@keyframes``, ``@charset``, ...), rules on elements, attributes and
pseudo-classes (``:root``, ``html[data-theme=dark]``), and the licence comments. ``@media``,
``@supports``, ``@container`` and ``@layer`` blocks are trimmed inside, and go when nothing is
left in them. The output depends only on the built site, so two builds give the same bytes.

A trimmed file keeps its name; the pages' ``?digest=`` or ``?v=`` query on it becomes a hash of
the trimmed content, so a browser that cached the sheet of an earlier build fetches it again
when the rules kept change.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

#: Style sheets cut to the rules used, relative to ``_static``.
STYLE_SHEETS = (
    "styles/pydata-sphinx-theme.css",  # 66 kB gzip-compressed before, 20 kB after
    "mystnb.*.css",  # myst-nb's, named after a hash of its untrimmed content: 6.0 kB before, 2.5 kB after
    "basic.css",  # Sphinx's, imported by the theme's theme.css: 3.6 kB before, 2.3 kB after
    "styles/sphinx-book-theme.css",  # 3.6 kB before, 2.8 kB after
    "sphinx-design.min.css",  # on pages with tabs, cards, grids or dropdowns only: 8.0 kB before, 1.2 kB after
)

#: Class names kept although they occur in no page and, as whole words, in no script.
SAFELIST = frozenset({
    # Bootstrap's tooltips (the theme gives one to every header button) put the class
    # "bs-tooltip-auto" on the tooltip, built from parts: `bs-${this.constructor.NAME}-auto`.
    "bs-tooltip-auto", "bs-tooltip-top", "bs-tooltip-bottom", "bs-tooltip-start", "bs-tooltip-end",
    "bs-popover-auto", "bs-popover-top", "bs-popover-bottom", "bs-popover-start", "bs-popover-end",
})

# At-rules whose block holds style rules, trimmed inside; any other at-rule is kept as it is.
_GROUPING = frozenset({"media", "supports", "container", "layer"})
_SCRIPT_WORD = re.compile(r"[\w-]+")
_SOURCE_MAP = re.compile(r"^\s*[#@]\s*sourceMappingURL=", re.ASCII)


class _Names(HTMLParser):
    """Collects the class and id tokens of a page, and the words of its inline scripts."""

    def __init__(self, names: set[str]):
        super().__init__(convert_charrefs=True)
        self.names = names
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("class", "id"):
                self.names.update(value.split())
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.names.update(_SCRIPT_WORD.findall(data))


def used_names(html_dir: Path) -> set[str]:
    """Every class or id name the built site can give an element, lower-cased.

    That is the ``class`` and ``id`` tokens of every HTML file, every word of their inline
    scripts and of every ``.js`` file of the site, and :data:`SAFELIST`.
    """
    names: set[str] = set(SAFELIST)
    for path in sorted(Path(html_dir).rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".html":
            parser = _Names(names)
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parser.close()
        elif path.suffix == ".js":
            names.update(_SCRIPT_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return {name.lower() for name in names}


def _named_in(selector: list) -> list[str]:
    """Classes and ids that a compound selector names at its top level (outside any parentheses)."""
    from tinycss2.ast import HashToken, IdentToken, LiteralToken

    named = []
    for index, token in enumerate(selector):
        if isinstance(token, HashToken) and token.is_identifier:
            named.append(token.value)
        elif (isinstance(token, LiteralToken) and token.value == "." and index + 1 < len(selector)
              and isinstance(selector[index + 1], IdentToken)):
            named.append(selector[index + 1].value)
    return named


def can_apply(prelude: list, used: set[str]) -> bool:
    """Whether any selector of a rule's selector list could match an element of the site.

    A selector cannot match when it names, outside parentheses, a class or id not in ``used``.
    Anything inside ``:not()``, ``:is()``, ``:has()`` or ``[...]`` is not looked at.
    """
    from tinycss2.ast import LiteralToken

    selectors, current = [], []
    for token in prelude:
        if isinstance(token, LiteralToken) and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return any(all(name.lower() in used for name in _named_in(selector)) for selector in selectors)


def _offsets(text: str):
    """A function from a tinycss2 node's (line, column) to its offset in ``text``."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    return lambda node: starts[node.source_line - 1] + node.source_column - 1


def _cuts(nodes: list, end: int, offset, used: set[str]) -> tuple[list[tuple[int, int, object]], bool]:
    """The (start, end, node) of each of ``nodes`` to cut, and whether a rule stays among them.

    ``nodes`` lie next to each other (whitespace and comments are nodes too) and the last of
    them ends at ``end``.
    """
    import tinycss2

    cuts, kept_rule = [], False
    bounds = [offset(node) for node in nodes] + [end]
    for node, start, stop in zip(nodes, bounds, bounds[1:], strict=False):
        if node.type == "qualified-rule":
            if can_apply(node.prelude, used):
                kept_rule = True
            else:
                cuts.append((start, stop, node))
        elif node.type == "at-rule" and node.lower_at_keyword in _GROUPING and node.content is not None:
            inner = tinycss2.parse_rule_list(node.content, skip_comments=False, skip_whitespace=False)
            # The block ends with the "}" just before the next node.
            inner_cuts, inner_kept = _cuts(inner, stop - 1, offset, used) if inner else ([], True)
            if inner_kept or not inner_cuts:
                kept_rule = True
                cuts.extend(inner_cuts)
            else:
                cuts.append((start, stop, node))
        elif node.type == "comment" and _SOURCE_MAP.match(node.value):
            cuts.append((start, stop, node))  # the source map describes the sheet before the cut
        elif node.type not in ("whitespace", "comment"):
            kept_rule = True  # other at-rules, and anything tinycss2 could not parse
    return cuts, kept_rule


def _check_cut(text: str, start: int, stop: int, node) -> None:
    """Refuse to cut a range that is not exactly ``node`` (a wrong offset would corrupt the sheet)."""
    import tinycss2

    piece = text[start:stop]
    nodes = tinycss2.parse_rule_list(piece, skip_comments=False, skip_whitespace=True)
    if len(nodes) != 1 or tinycss2.serialize(nodes) != tinycss2.serialize([node]):
        raise ValueError(f"style sheet trimming: {piece[:80]!r} at offset {start} is not one whole rule")


def trim_css(css: str, used: set[str]) -> str:
    """``css`` without the style rules that cannot match (see the module's description).

    Parameters
    ----------
    css : str
        A style sheet.
    used : set of str
        Every class and id name that can occur, lower-cased (:func:`used_names`).

    Returns
    -------
    str
        The style sheet with whole rules (and emptied grouping at-rules) cut out; what stays
        is as it was, character for character (but for line breaks, all written as line feeds).

    Examples
    --------
    >>> trim_css("@font-face{font-family:x}.a{color:red}.b,p{margin:0}.c{color:blue}", {"a"})
    '@font-face{font-family:x}.a{color:red}.b,p{margin:0}'
    >>> trim_css("@media print{.c{color:red}}.a:not(.c){top:0}", {"a"})
    '.a:not(.c){top:0}'
    """
    import tinycss2

    # tinycss2 counts lines and columns in the text with its line breaks made "\n".
    text = css.replace("\0", "\ufffd").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    nodes = tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False)
    cuts, _ = _cuts(nodes, len(text), _offsets(text), used)
    pieces, position = [], 0
    for start, stop, node in cuts:
        _check_cut(text, start, stop, node)
        pieces.append(text[position:start])
        position = stop
    pieces.append(text[position:])
    return "".join(pieces)


def _query_value(key: str, data: bytes) -> str:
    """The cache-busting value of a file: Sphinx's checksum for ``v``, a SHA-256 prefix else."""
    if key == "v":
        return format(zlib.crc32(data.translate(None, b"\r")), "08x")
    return hashlib.sha256(data).hexdigest()[:20]


def _with_queries(text: str, references: dict[str, bytes]) -> str:
    """``text`` (a page or a style sheet) with a fresh cache-busting query on each reference.

    ``references`` maps a regular expression for a reference, with one group, to the new
    content of the file it names. An existing ``?v=`` or ``?digest=`` keeps its key; a
    reference without a query gets ``?v=``.
    """
    for reference, data in references.items():
        text = re.sub(reference + r"(?:\?(v|digest)=[\w-]*)?(?=[\"'])",
                      lambda m, data=data: f"{m[1]}?{m[2] or 'v'}={_query_value(m[2] or 'v', data)}", text)
    return text


def _relative(target: Path, start: Path) -> str:
    return re.escape(Path(os.path.relpath(target, start)).as_posix())


def _refresh_imports(static: Path, changed: dict[Path, bytes]) -> None:
    """Refresh the query of every ``@import`` of a changed sheet; add the importers to ``changed``."""
    pending, rounds = dict(changed), 0
    while pending:
        rounds += 1
        if rounds > 5:
            raise ValueError(f"style sheets that import each other in a loop: {sorted(map(str, pending))}")
        importers = {}
        for sheet in sorted(static.rglob("*.css")):
            references = {r"(@import\s+(?:url\(\s*)?[\"']" + _relative(target, sheet.parent) + ")": data
                          for target, data in pending.items() if target != sheet}
            text = sheet.read_bytes().decode("utf-8")
            new = _with_queries(text, references)
            if new != text:
                sheet.write_bytes(new.encode("utf-8"))
                importers[sheet] = changed[sheet] = new.encode("utf-8")
        pending = importers


def _refresh_links(html_dir: Path, changed: dict[Path, bytes]) -> None:
    """Refresh the query of every page's ``<link>`` to a changed sheet."""
    static = html_dir / "_static"
    for page in sorted(html_dir.rglob("*.html")):
        if static in page.parents:
            continue
        references = {r"(<link\b[^>]*\bhref=[\"']" + _relative(target, page.parent) + ")": data
                      for target, data in changed.items()}
        html = page.read_bytes().decode("utf-8")
        new = _with_queries(html, references)
        if new != html:
            page.write_bytes(new.encode("utf-8"))


def trim_style_sheets(html_dir: Path, sheets: tuple[str, ...] = STYLE_SHEETS) -> dict[str, tuple[int, int]]:
    """Trim the style sheets of a built site in place; return {sheet: (bytes before, after)}.

    ``sheets`` are file names or glob patterns relative to ``_static``; those the site does not
    have are skipped. Every reference to a sheet that changed, in the pages' ``<link>`` tags and
    in other sheets' ``@import``, gets a query that is a hash of its new content (and so does,
    in turn, a sheet changed that way: the theme's theme.css, which imports basic.css).
    """
    html_dir = Path(html_dir)
    static = html_dir / "_static"
    paths = sorted({path for pattern in sheets for path in static.glob(pattern) if path.is_file()})
    if not paths:
        return {}
    used = used_names(html_dir)
    sizes, changed = {}, {}
    for path in paths:
        before = path.read_bytes()
        after = trim_css(before.decode("utf-8"), used).encode("utf-8")
        sizes[path.relative_to(static).as_posix()] = (len(before), len(after))
        if after != before:
            path.write_bytes(after)
            changed[path] = after
    _refresh_imports(static, changed)
    _refresh_links(html_dir, changed)
    return sizes
