"""The book's chart theme and renderer: one look for every chart, and the right renderer for
where the notebook runs.

:func:`enable` selects the theme (colour-blind-safe colours with enough contrast on white)
and the renderer, which emits the standard Vega-Lite mime bundle while the web book is built
(:mod:`mbcbook.site` turns it into a chart drawn by the site's own Vega) and Altair's offline
widget in a live notebook.
"""

from __future__ import annotations

import os
import sys

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


def theme() -> dict:
    """Vega-Lite config shared by every chart of the book."""
    return {
        "config": {
            "background": BACKGROUND,
            "font": FONT,
            "view": {"stroke": None},
            "range": {"category": list(PALETTE.values())},
            "title": {"color": TEXT_COLOUR, "fontSize": 15, "anchor": "start", "subtitleColor": "#404040"},
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
    """Altair renderer: the Vega-Lite mime bundle and a plain-text stand-in."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    return {_mime_type(): spec, "text/plain": f"<chart: {title or spec.get('description', 'untitled')}>"}


def enable() -> None:
    """Use the book's theme, and the renderer that fits where the notebook runs.

    * Building the web book (:mod:`mbcbook.site` sets ``$MBCBOOK_STATIC_BUILD``): the plain
      Vega-Lite mime bundle, which the build turns into a chart drawn by the site's own Vega.
    * Colab: Altair's Colab renderer (Colab has a network connection for Altair's scripts).
    * JupyterLab, Notebook, Binder, any JupyterHub: Altair's widget renderer in offline mode,
      which draws with the Vega bundled in vl-convert-python, so it needs no network. (JupyterLab
      does not draw Vega-Lite 6 mime bundles by itself.)
    """
    if "mbcbook" not in alt.theme.names():
        alt.theme.register("mbcbook", enable=False)(theme)
    alt.theme.enable("mbcbook")
    if os.environ.get(STATIC_BUILD_ENV):
        alt.renderers.register("mbcbook", render)
        alt.renderers.enable("mbcbook")
    elif "google.colab" in sys.modules:
        alt.renderers.enable("colab")
    else:
        alt.renderers.enable("jupyter", offline=True)
