"""Sphinx extension that makes the built book self-contained, light and honest.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. It

* draws Altair charts with the book's own pinned copy of Vega (no CDN): the myst-nb
  mime renderer :class:`VegaLiteMimeRenderer` compiles each Vega-Lite output to Vega at
  build time, and pages with charts get ``vega.min.js`` and ``mbcbook-charts.js``; pages
  without charts load neither;
* renders math to MathML at build time, so no page needs MathJax;
* drops what a static, offline page cannot use: the Thebe launcher (it loads from unpkg and
  declares ``THEBE_JS_URL`` twice), the ipywidgets state and loader scripts (widget cells are
  removed from the HTML; their live versions run in Binder, JupyterHub or Colab), and
  Font Awesome's 1.5 MB JavaScript (the theme's CSS web font draws the same icons);
* after the build, cuts the theme's icon fonts down to the icons the book shows
  (:mod:`mbcbook.icons`) and fails the build if any page would load anything from another host.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html import escape
from pathlib import Path

from docutils import nodes

from .paths import BIB_FILE, DATA_ENV_VAR, PACKAGE, STATIC_BUILD_ENV, data_dir

STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE / "templates"
VEGA_SCRIPT = "vendor/vega-6.2.0/vega.min.js"
CHART_SCRIPT = "mbcbook-charts.js"
CHART_MARKER = "data-mbcbook-chart"
VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v(\d+)\+json$")

# Scripts and styles that must not reach a page of the static book, matched on file name.
_DROPPED_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")
# Inline scripts dropped, matched on their type or body.
_DROPPED_SCRIPT_TYPES = ("application/vnd.jupyter.widget-state+json", "text/x-thebe-config")
_DROPPED_SCRIPT_BODIES = ("THEBE_JS_URL", "thebe_selector", "initThebe")


# ---------------------------------------------------------------- charts


class ChartError(ValueError):
    """A chart cannot be drawn in the static book."""


def vegalite_to_vega(spec: dict) -> dict:
    """Compile a Vega-Lite spec to Vega with vl-convert (pinned), without any network."""
    import vl_convert

    schema = spec.get("$schema", "")
    match = re.search(r"/v(\d+)\.(\d+)", schema)
    if not match:
        raise ChartError(f"chart spec has no Vega-Lite version in $schema: {schema!r}")
    version = f"{match.group(1)}.{match.group(2)}"
    available = vl_convert.get_vegalite_versions()
    if version not in available:
        raise ChartError(f"chart uses Vega-Lite {version}, but the pinned vl-convert-python "
                         f"compiles only {', '.join(available)}")
    return vl_convert.vegalite_to_vega(spec, vl_version=version)


def _check_inline_data(vega_spec: dict) -> None:
    for dataset in vega_spec.get("data", []):
        if "url" in dataset:
            raise ChartError(f"chart data {dataset.get('name')!r} is loaded from {dataset['url']!r}; "
                             "the static book must inline its data")


def chart_html(vegalite_spec: dict) -> str:
    """The HTML of one chart: a container and its Vega spec, drawn by ``mbcbook-charts.js``.

    The text alternative is in the spec's ``description`` (Vega puts it on the SVG as its
    accessible name); the data table sits beside the chart in the page, as a folded table.
    """
    vega_spec = vegalite_to_vega(vegalite_spec)
    _check_inline_data(vega_spec)
    payload = json.dumps(vega_spec, sort_keys=True, separators=(",", ":"))
    # "</" would end the script element early; JSON allows the escaped form.
    payload = payload.replace("</", "<\\/")
    chart_id = "mbcbook-chart-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    description = vegalite_spec.get("description") or ""
    height = vega_spec.get("height")
    # Reserve the space the chart will take, so that text does not jump when it is drawn.
    style = f' style="min-height:{int(height) + 60}px"' if isinstance(height, (int, float)) else ""
    return (
        f'<figure class="mbcbook-chart" id="{chart_id}" {CHART_MARKER}="" '
        f'data-mbcbook-state="pending">'
        f'<div class="mbcbook-chart-view"{style}></div>'
        f'<div class="mbcbook-chart-controls"></div>'
        f'<noscript><p>This chart needs JavaScript. {escape(description)} '
        f'The table below holds the same data.</p></noscript>'
        f'<script type="application/json" class="mbcbook-chart-spec">{payload}</script>'
        f"</figure>"
    )


class VegaLiteMimeRenderer:
    """myst-nb mime renderer plugin (entry point ``myst_nb.mime_renderers``).

    While the web book is built, :func:`mbcbook.charts.enable` emits each chart as a Vega-Lite
    mime bundle; this plugin turns it into a chart drawn by the site's own Vega. (In a live
    notebook the same call picks Altair's offline widget instead, so this plugin is not involved.)
    """

    mime_priority_overrides = [("html", f"application/vnd.vegalite.v{v}+json", 1) for v in (5, 6)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if not VEGALITE_MIME.match(data.mime_type):
            return None
        content = data.content
        if isinstance(content, str):
            content = json.loads(content)
        return [nodes.raw("", chart_html(content), format="html")]


# ---------------------------------------------------------------- math


def _mathml(latex: str, display: str) -> str:
    from latex2mathml.converter import convert

    return convert(latex, display=display)


def _visit_inline_math(self, node) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_mathml(node.astext(), "inline"))
    self.body.append("</span>")
    raise nodes.SkipNode


def _visit_block_math(self, node) -> None:
    if node.get("nowrap") is False and node.get("number") is None and not node.astext().strip():
        raise nodes.SkipNode
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        number = self.builder.env.get_domain("math").get_equation_number_for(node["label"])
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    self.body.append(_mathml(node.astext(), "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


# ---------------------------------------------------------------- page assets


def _declare_multitoc_parallel_safe(app, config) -> None:
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


def _configure(app, config) -> None:
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


def _keep_script(script) -> bool:
    filename = getattr(script, "filename", None) or ""
    attributes = getattr(script, "attributes", {}) or {}
    if any(filename.endswith(name) for name in _DROPPED_FILES):
        return False
    if attributes.get("type") in _DROPPED_SCRIPT_TYPES:
        return False
    body = attributes.get("body", "") or ""
    return not any(marker in body for marker in _DROPPED_SCRIPT_BODIES)


def _page_assets(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"][:] = [s for s in context["script_files"] if _keep_script(s)]
    if "css_files" in context:
        context["css_files"][:] = [
            c for c in context["css_files"]
            if not any((getattr(c, "filename", None) or str(c)).endswith(n) for n in _DROPPED_FILES)
        ]
    if 'role="doc-biblioentry"' in context.get("body", ""):
        # Sphinx marks citations as doc-biblioentry inside role="list", which assistive technology
        # (and axe-core) reject: a list must hold list items.
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')
    if CHART_MARKER in context.get("body", ""):
        # Only pages that draw charts pay for Vega (177 kB compressed).
        app.add_js_file(VEGA_SCRIPT, priority=600, defer="defer")
        app.add_js_file(CHART_SCRIPT, priority=601, defer="defer")


# ---------------------------------------------------------------- offline check

_REMOTE = re.compile(
    r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b(?=[^>]*\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|shortcut icon|manifest|prefetch))[^>]*\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


def remote_loads(html_dir: Path) -> list[str]:
    """Every place in the built site that would load something from another host."""
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


def _finish_site(app, exception) -> None:
    """Shrink the icon fonts to the icons used, then make sure nothing loads from elsewhere."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.errors import ExtensionError

    from .icons import subset_icon_fonts

    subset_icon_fonts(Path(app.outdir))

    remote = remote_loads(Path(app.outdir))
    if remote:
        listing = "\n  ".join(remote[:20])
        raise ExtensionError(f"the built book would load {len(remote)} resource(s) from other hosts "
                             f"(the site must work offline):\n  {listing}")


def _inputs_fingerprint() -> str:
    """Hash of everything the pages depend on besides their own sources: data/ and this package
    (its code, scripts, styles and templates)."""
    digest = hashlib.sha256()
    for folder in (data_dir(), PACKAGE):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _rebuild_when_inputs_change(app, env, added, changed, removed):
    """Sphinx rebuilds only pages whose source changed; rebuild (and re-execute) every page when
    data/ or the package changed, so that no page shows a stale figure, chart or style."""
    fingerprint = _inputs_fingerprint()
    if getattr(env, "mbcbook_inputs", None) == fingerprint:
        return []
    env.mbcbook_inputs = fingerprint
    return sorted(env.found_docs)


def _drop_thebe_nodes(app, doctree, docname) -> None:
    """sphinx-thebe appends its configuration to every page; with Thebe off it is dead weight."""
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if "text/x-thebe-config" in text or text.strip().startswith("<script>kernelName ="):
            node.parent.remove(node)


def setup(app):
    from . import __version__
    from .bibstyle import register as register_bibliography_style

    register_bibliography_style()
    app.add_html_math_renderer("mathml", (_visit_inline_math, None), (_visit_block_math, None))
    app.connect("config-inited", _configure)
    app.connect("config-inited", _declare_multitoc_parallel_safe)
    app.connect("html-page-context", _page_assets)
    # After sphinx-thebe (priority 500) has added its nodes.
    app.connect("doctree-resolved", _drop_thebe_nodes, priority=900)
    app.connect("build-finished", _finish_site)
    app.connect("env-get-outdated", _rebuild_when_inputs_change)
    app.add_css_file("mbcbook.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
