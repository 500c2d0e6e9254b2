"""After the build: cut the icon fonts and style sheets, and refuse a site that would load from another host.

The icon fonts are cut to the icons the site shows (:mod:`.icons`), the theme's style sheets to
the rules that can apply (:mod:`.styles`); then any page or style sheet that would load a
script, style, image, font or frame from another host fails the build.
"""

from __future__ import annotations

import re
from pathlib import Path

_REMOTE = re.compile(
    r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b(?=[^>]*\brel\s*=\s*["']?"""
    r"""(?:stylesheet|preload|modulepreload|icon|shortcut icon|manifest|prefetch))"""
    r"""[^>]*\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


def remote_loads(html_dir: Path) -> list[str]:
    """Every place in the built site that would load something from another host.

    Parameters
    ----------
    html_dir : Path
        The built site.

    Returns
    -------
    list of str
        ``"page: URL"`` for each remote script, image, frame, style sheet, icon, font or
        ``@import`` in the site's pages and style sheets; empty when the site works offline.
    """
    found = []
    # Pages and style sheets are what a browser loads by itself. Scripts are checked in a
    # real browser by the tests (tests/test_browser.py), which block and count every request.
    for path in sorted(Path(html_dir).rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _REMOTE.finditer(text):
            url = next(g for g in match.groups() if g)
            found.append(f"{path.relative_to(html_dir)}: {url}")
    return found


def finish_site(app, exception) -> None:
    """Shrink the icon fonts and style sheets to what is used, then make sure nothing loads from elsewhere.

    Connected to Sphinx's ``build-finished`` after the other extensions' handlers (myst-nb
    writes its style sheet then); does nothing after a failed build or for a builder other
    than HTML.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application that built the site.
    exception : Exception or None
        The exception that ended the build, if any.

    Raises
    ------
    sphinx.errors.ExtensionError
        When the built site would load anything from another host.
    """
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError

    from .icons import subset_icon_fonts
    from .styles import trim_style_sheets

    subset_icon_fonts(Path(app.outdir))
    # The theme's style sheet is most of a page's first view (66 kB gzip-compressed), mostly
    # Bootstrap components and icons that no page uses: keep only the rules that can apply.
    # After the icon fonts, which read the full icon catalogue of the same sheet.
    trim_style_sheets(Path(app.outdir))

    remote = remote_loads(Path(app.outdir))
    if remote:
        listing = "\n  ".join(remote[:20])
        raise ExtensionError(f"the built book would load {len(remote)} resource(s) from other hosts "
                             f"(the site must work offline):\n  {listing}")
