"""What each page of the static book loads, and what it must not.

Pages with charts get Vega and the drawing script; pages without charts load neither. What a
static, offline page cannot use is dropped: the Thebe launcher (it loads from unpkg and
declares ``THEBE_JS_URL`` twice), the ipywidgets state and loader scripts (widget cells are
removed from the HTML; their live versions run in Binder, JupyterHub or Colab).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from docutils import nodes

from ..paths import BIB_FILE, DATA_ENV_VAR, PACKAGE, STATIC_BUILD_ENV
from .vega import CHART_MARKER

STATIC = PACKAGE / "site" / "static"
TEMPLATES = PACKAGE / "site" / "templates"
VEGA_SCRIPT = "vendor/vega-6.2.0/vega.min.js"
CHART_SCRIPT = "mbcbook-charts.js"
SEARCH_SCRIPT = "mbcbook-search.js"
FACT_SCRIPT = "mbcbook-facts.js"
CHECKER_SCRIPT = "mbcbook-checker.js"
#: Written by mbcbook.charts.checker on the eligibility checker's container (the site does not import charts).
CHECKER_MARKER = "data-mbcbook-checker"
TABLE_SCRIPT = "mbcbook-table.js"
#: Written by mbcbook.charts.trials on a table the reader filters and sorts.
TABLE_MARKER = "data-mbcbook-table"
# The site's icon: an open book with a bookmark, drawn for mbcbook (32 x 32 pixels). Without it
# every page's browser asks the host for /favicon.ico and logs the 404 as a console error.
FAVICON = STATIC / "favicon.png"

# sphinx-design's style sheet and script, which only pages with its components (tabs, cards,
# grids, dropdowns: classes "sd-...") need.
_DESIGN_FILES = ("sphinx-design.min.css", "design-tabs.js")
_DESIGN_MARKER = re.compile(r'class="[^"]*\bsd-')
# The launch menu's Colab logo is a 7.6 kB PNG; Font Awesome's Google icon (from the icon font
# the site already ships, cut to the icons used) says the same for a few hundred bytes.
_LAUNCH_ICONS = {"_static/images/logo_colab.png": "fab fa-google"}

# Scripts and styles that must not reach a page of the static book, matched on file name.
_DROPPED_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")
# Inline scripts dropped, matched on their type or body.
_DROPPED_SCRIPT_TYPES = ("application/vnd.jupyter.widget-state+json", "text/x-thebe-config")
_DROPPED_SCRIPT_BODIES = ("THEBE_JS_URL", "thebe_selector", "initThebe")


def declare_multitoc_parallel_safe(app, config) -> None:
    """Let Sphinx read (and so execute) the notebooks on all cores.

    sphinx-external-toc always loads sphinx-multitoc-numbering, which does not declare itself
    parallel-safe, so Sphinx falls back to one process. All that extension does is replace
    TocTreeCollector.assign_section_numbers, which Sphinx calls once, in the main process,
    after every document has been read; reading in parallel does not touch it.
    """
    extension = app.extensions.get("sphinx_multitoc_numbering")
    if extension is not None:
        extension.parallel_read_safe = True
        extension.parallel_write_safe = True


def configure(app, config) -> None:
    """Set up a build of the book (Sphinx ``config-inited``).

    Adds the site's static files and templates, renders math to MathML, gives the pages the
    site's icon (unless the book names its own), and sets the environment variables that the
    notebooks' kernels read.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The Sphinx application building the book.
    config : sphinx.config.Config
        Its configuration, changed in place.
    """
    # Notebooks executed for this build read this book's own data/ (kernels inherit the
    # environment), even when the mbcbook package was installed from another checkout.
    book_data = Path(app.confdir) / "data"
    if DATA_ENV_VAR not in os.environ and (book_data / BIB_FILE).is_file():
        os.environ[DATA_ENV_VAR] = str(book_data)
    # Tells mbcbook.charts.enable() in the kernels to emit plain Vega-Lite for the static site.
    os.environ[STATIC_BUILD_ENV] = "1"
    config.html_static_path.append(str(STATIC))
    config.templates_path.insert(0, str(TEMPLATES))
    config.html_math_renderer = "mathml"
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def _lighten_launch_icons(buttons: list) -> None:
    """Swap heavy image icons of the header's buttons (and their menus) for icon-font ones."""
    for button in buttons:
        if isinstance(button, dict):
            if button.get("icon") in _LAUNCH_ICONS:
                button["icon"] = _LAUNCH_ICONS[button["icon"]]
            _lighten_launch_icons(button.get("buttons", []))


def _named(asset, names: tuple[str, ...]) -> bool:
    """Whether a script or style sheet of the page context is one of the files ``names``."""
    filename = getattr(asset, "filename", None) or str(asset)
    return any(filename.endswith(name) for name in names)


def _keep_script(script, dropped: tuple[str, ...] = _DROPPED_FILES) -> bool:
    """Whether a script of the page context stays on a page of the static book."""
    attributes = getattr(script, "attributes", {}) or {}
    if getattr(script, "filename", None) and _named(script, dropped):
        return False
    if attributes.get("type") in _DROPPED_SCRIPT_TYPES:
        return False
    body = attributes.get("body", "") or ""
    return not any(marker in body for marker in _DROPPED_SCRIPT_BODIES)


def page_assets(app, pagename, templatename, context, doctree) -> None:
    """Decide what one page loads (Sphinx ``html-page-context``).

    Drops the Thebe and ipywidgets scripts and styles, and sphinx-design's where the page uses
    none of its components; swaps the launch menu's heavy image icons for icon-font ones; gives
    citations a list-item role; adds the file:// search fix to the search page; and adds Vega
    and the drawing script to pages that hold a chart, and only to those.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The Sphinx application building the book.
    pagename, templatename : str
        The page being written and its template.
    context : dict
        The template context of the page, changed in place.
    doctree : docutils.nodes.document or None
        The page's document tree (None for pages without a source, such as the search page).
    """
    dropped = _DROPPED_FILES
    if not _DESIGN_MARKER.search(context.get("body", "")):
        dropped = dropped + _DESIGN_FILES
    if "script_files" in context:
        context["script_files"][:] = [s for s in context["script_files"] if _keep_script(s, dropped)]
    if "css_files" in context:
        context["css_files"][:] = [c for c in context["css_files"] if not _named(c, dropped)]
    _lighten_launch_icons(context.get("header_buttons", []))
    if 'role="doc-biblioentry"' in context.get("body", ""):
        # Sphinx marks citations as doc-biblioentry inside role="list", which assistive technology
        # (and axe-core) reject: a list must hold list items.
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    if pagename == "search":
        # After documentation_options.js (priority 200), whose settings it changes.
        app.add_js_file(SEARCH_SCRIPT, priority=201)
    if CHART_MARKER in context.get("body", ""):
        # Only pages that draw charts pay for Vega (177 kB compressed).
        app.add_js_file(VEGA_SCRIPT, priority=600, defer="defer")
        app.add_js_file(CHART_SCRIPT, priority=601, defer="defer")
    if CHECKER_MARKER in context.get("body", ""):
        # The eligibility checker's evaluator (3 kB), only where a checker is.
        app.add_js_file(CHECKER_SCRIPT, priority=603, defer="defer")
    if TABLE_MARKER in context.get("body", ""):
        # Filtering and sorting of the trials' comparison table (1 kB), only where such a table is.
        app.add_js_file(TABLE_SCRIPT, priority=604, defer="defer")
    if 'class="mbcbook-fact ' in context.get("body", ""):
        # Escape hides a figure's provenance note (mbcbook.site.facts).
        app.add_js_file(FACT_SCRIPT, priority=602, defer="defer")


def drop_thebe_nodes(app, doctree, docname) -> None:
    """sphinx-thebe appends its configuration to every page; with Thebe off it is dead weight."""
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "text/x-thebe-config" in text or text.strip().startswith("<script>kernelName ="):
            node.parent.remove(node)


def place_exercise_style(app) -> None:
    """Put sphinx-exercise's style sheet in place before any page is written.

    sphinx-exercise copies ``exercise.css`` only when the build has finished. A page links a
    style sheet with a checksum of the file (``?v=...``) only if the file is already there, so a
    fresh build linked it without one and a rebuild with one: two builds of the same book gave
    different pages. With the file in place from the start, every build links it the same way.
    """
    if app.builder.format != "html":
        return
    try:
        import sphinx_exercise
    except ImportError:  # a book without exercises
        return
    source = Path(sphinx_exercise.__file__).parent / "assets" / "html" / "exercise.css"
    if source.is_file():
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, static / "exercise.css")
