"""The machinery that builds the web book: a Sphinx extension and the commands around it.

Listed in ``_config.yml`` under ``sphinx.extra_extensions`` as ``mbcbook.site``. The
extension makes the built book self-contained, light and honest:

* charts compiled to Vega at build time and drawn by the site's own Vega (:mod:`.vega`);
* every figure pasted from ``data/`` shows its source and status on hover and focus (:mod:`.facts`);
* math rendered to MathML at build time, so no page needs MathJax (:mod:`.mathml`);
* each page loads only what it uses, and nothing a static page cannot use (:mod:`.pages`);
* after the build, the icon fonts cut to the icons shown (:mod:`.icons`), the theme's style
  sheets to the rules that can apply (:mod:`.styles`), and a site that would load anything
  from another host refused (:mod:`.offline`);
* every chapter also written as a reader notebook in plain Markdown, for any Jupyter or Colab
  (:mod:`.readers`); links into a chapter left out of ``_toc.yml`` printed as text (:mod:`.dropped`);
* every page rebuilt when ``data/`` or the package changed;
* notebooks executed by kernels that talk over Unix sockets, so that the kernels of parallel
  readers cannot race for TCP ports (:mod:`.kernels`).

Commands: ``python -m mbcbook.site.build`` (the book), ``python -m mbcbook.site.bundle`` (the
offline zip), ``python -m mbcbook.site.notebooks`` (notebook hygiene), ``python -m
mbcbook.site.vendor`` (the vendored scripts). Nothing here is teaching logic: it imports only
:mod:`mbcbook.paths` and :mod:`mbcbook.errors` from the rest of the package.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..paths import PACKAGE, data_dir
from .vega import VegaLiteMimeRenderer

__all__ = ["VegaLiteMimeRenderer", "setup"]


def _inputs_fingerprint() -> str:
    """Hash of everything the pages depend on besides their own sources.

    That is data/ and this package (its code, scripts, styles and templates).
    """
    digest = hashlib.sha256()
    for folder in (data_dir(), PACKAGE):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _rebuild_when_inputs_change(app, env, added, changed, removed):
    """Rebuild (and re-execute) every page when data/ or the package changed.

    Sphinx rebuilds only pages whose source changed; this way no page shows a stale figure,
    chart or style.
    """
    fingerprint = _inputs_fingerprint()
    if getattr(env, "mbcbook_inputs", None) == fingerprint:
        return []
    env.mbcbook_inputs = fingerprint
    return sorted(env.found_docs)


def setup(app):
    """Register the extension with Sphinx (called by Sphinx, not by readers).

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application that loads the extension.

    Returns
    -------
    dict
        The extension's version, and that it is safe for parallel reading and writing.
    """
    from .. import __version__
    from .bibstyle import register as register_bibliography_style
    from .dropped import link_to_dropped
    from .exams import HideSolutions, take_over_hide_solutions
    from .facts import register as register_fact_provenance
    from .kernels import use_ipc_kernels
    from .launch import point_launch_buttons
    from .mathml import visit_block_math, visit_inline_math
    from .offline import finish_site
    from .pages import configure, declare_multitoc_parallel_safe, drop_thebe_nodes, page_assets, place_exercise_style
    from .readers import write_reader_notebooks

    register_bibliography_style()
    register_fact_provenance(app)
    app.add_html_math_renderer("mathml", (visit_inline_math, None), (visit_block_math, None))
    app.connect("config-inited", configure)
    # For an exam: every solution removed, the gated ones too (sphinx-exercise misses those).
    app.add_config_value("mbcbook_hide_solutions", False, "env")
    app.connect("config-inited", take_over_hide_solutions)
    app.add_transform(HideSolutions)
    # Before Sphinx forks the processes that execute the notebooks, so that they inherit it.
    app.connect("config-inited", use_ipc_kernels)
    app.connect("config-inited", declare_multitoc_parallel_safe)
    app.connect("builder-inited", place_exercise_style)
    # After sphinx-book-theme (priority 501) has made the launch menu, before page_assets.
    app.connect("html-page-context", point_launch_buttons, priority=550)
    # After sphinx-book-theme (priority 500) has put the launch buttons in the page context.
    app.connect("html-page-context", page_assets, priority=600)
    # After sphinx-thebe (priority 500) has added its nodes.
    app.connect("doctree-resolved", drop_thebe_nodes, priority=900)
    # After the other extensions' build-finished handlers (priority 500): myst-nb writes its style
    # sheet, which finish_site trims, and sphinx-external-toc the root page, which it checks.
    app.connect("build-finished", finish_site, priority=900)
    # Each chapter as a notebook that any Jupyter or Colab shows as the web book does.
    app.connect("build-finished", write_reader_notebooks, priority=800)
    # A link into a chapter left out of _toc.yml is printed as text instead of failing the build.
    app.connect("missing-reference", link_to_dropped)
    app.connect("env-get-outdated", _rebuild_when_inputs_change)
    app.add_css_file("mbcbook.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
