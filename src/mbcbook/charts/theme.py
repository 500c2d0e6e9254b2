"""The book's chart theme and renderer: one look for every chart, the right renderer for each place.

:func:`enable` selects the theme (colour-blind-safe colours with enough contrast on white)
and the renderer, which emits the standard Vega-Lite mime bundle while the web book is built
(:mod:`mbcbook.site` turns it into a chart drawn by the site's own Vega) and Altair's offline
widget in a live notebook.
"""

from __future__ import annotations

import copy
import os
import sys
import textwrap
from collections.abc import Callable

import altair as alt

from ..paths import STATIC_BUILD_ENV

#: Okabe & Ito (2008) colour-blind-safe colours, restricted to those with at least 3:1
#: contrast on white (WCAG 2.1, non-text contrast). Orange, sky blue and yellow are left out.
PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#B3578C",  # Okabe-Ito reddish purple darkened from #CC79A7 to pass 3:1
    "grey": "#595959",
}
TEXT_COLOUR = "#1a1a1a"
BACKGROUND = "#ffffff"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#: Width of a chart, in px, in a live notebook. A chart takes its width from its container (the
#: web book's column), but Altair's notebook widget gives it none to measure: there it gets this.
NOTEBOOK_WIDTH = 680


def theme() -> dict:
    """Vega-Lite config shared by every chart of the book.

    No text is smaller than 12 px (11 px is the least a phone's reader is asked to read).

    Returns
    -------
    dict
        ``{"config": {...}}``, for ``altair.theme.register``.
    """
    return {
        "config": {
            "background": BACKGROUND,
            "font": FONT,
            "view": {"stroke": None},
            "range": {"category": list(PALETTE.values())},
            "title": {"color": TEXT_COLOUR, "fontSize": 15, "anchor": "start", "subtitleColor": "#404040",
                      "subtitleFontSize": 12, "offset": 12},
            "axis": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "labelFontSize": 12,
                     "titleFontSize": 12, "gridColor": "#e3e3e3", "domainColor": "#595959",
                     "tickColor": "#595959"},
            "legend": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "labelFontSize": 12,
                       "titleFontSize": 12, "orient": "bottom", "labelLimit": 0},
            "header": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
            "text": {"color": TEXT_COLOUR, "fontSize": 12},
        }
    }


def _mime_type() -> str:
    major = alt.SCHEMA_VERSION.lstrip("v").split(".")[0]
    return f"application/vnd.vegalite.v{major}+json"


def render(spec: dict, **metadata) -> dict:
    """Altair renderer: the Vega-Lite mime bundle and a plain-text stand-in.

    Parameters
    ----------
    spec : dict
        The chart's Vega-Lite spec.
    **metadata
        Ignored (Altair passes renderer options).

    Returns
    -------
    dict
        The mime bundle: the spec under the Vega-Lite mime type, and ``text/plain``.
    """
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return {_mime_type(): spec, "text/plain": f"<chart: {title or spec.get('description', 'untitled')}>"}


def notebook_spec(spec: dict, width: int = NOTEBOOK_WIDTH) -> dict:
    """A chart's spec as a live notebook draws it: ``width`` px wide, its title wrapped to fit.

    In the web book a chart takes the width of the page column (``width="container"``) and its
    title becomes HTML text; in a notebook, Altair's widget has no width to give it, and Vega
    does not wrap a title, so both are fixed here.

    Parameters
    ----------
    spec : dict
        The chart's Vega-Lite spec; left unchanged.
    width : int, default :data:`NOTEBOOK_WIDTH`
        Width, in px, given to every view whose width is ``"container"``.

    Returns
    -------
    dict
        A copy of the spec with those widths set, and title and subtitle lines wrapped at about
        ``width`` px.
    """
    spec = copy.deepcopy(spec)
    pending: list = [spec]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("width") == "container":
                node["width"] = width
            pending.extend(value for key, value in node.items() if key not in ("data", "datasets"))
        elif isinstance(node, list):
            pending.extend(node)
    title = spec.get("title")
    if isinstance(title, dict):
        # About 9 px a character in the 15 px bold title, 7 px in the 12 px subtitle.
        for key, chars in (("text", width // 9), ("subtitle", width // 7)):
            if isinstance(title.get(key), str | list):
                lines = [title[key]] if isinstance(title[key], str) else title[key]
                title[key] = [part for line in lines for part in textwrap.wrap(line, chars) or [line]]
    return spec


def _with_notebook_width(renderer: Callable[..., dict]) -> Callable[..., dict]:
    def render_in_notebook(spec: dict, **metadata) -> dict:
        return renderer(notebook_spec(spec), **metadata)

    return render_in_notebook


def enable() -> None:
    """Use the book's theme, and the renderer that fits where the notebook runs.

    * Building the web book (:mod:`mbcbook.site` sets ``$MBCBOOK_STATIC_BUILD``): the plain
      Vega-Lite mime bundle, which the build turns into a chart drawn by the site's own Vega.
    * Colab: Altair's Colab renderer (Colab has a network connection for Altair's scripts).
    * JupyterLab, Notebook, Binder, any JupyterHub: Altair's widget renderer in offline mode,
      which draws with the Vega bundled in vl-convert-python, so it needs no network. (JupyterLab
      does not draw Vega-Lite 6 mime bundles by itself.)

    In both notebooks, charts are drawn :data:`NOTEBOOK_WIDTH` px wide (see :func:`notebook_spec`).
    """
    if "mbcbook" not in alt.theme.names():
        alt.theme.register("mbcbook", enable=False)(theme)
    alt.theme.enable("mbcbook")
    if os.environ.get(STATIC_BUILD_ENV):
        alt.renderers.register("mbcbook", render)
        alt.renderers.enable("mbcbook")
    else:
        # Colab or Altair's widget, each given charts of a fixed width (see notebook_spec).
        name, options = ("colab", {}) if "google.colab" in sys.modules else ("jupyter", {"offline": True})
        alt.renderers.enable(name, **options)
        alt.renderers.register(f"mbcbook-{name}", _with_notebook_width(alt.renderers.get()))
        alt.renderers.enable(f"mbcbook-{name}", **options)
