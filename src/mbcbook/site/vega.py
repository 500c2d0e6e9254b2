"""Charts in the static book: each Altair output compiled to Vega at build time.

They are drawn by the site's own pinned copy of Vega (no CDN, no Vega-Lite in the browser).

While the web book is built, :func:`mbcbook.charts.enable` makes each chart cell emit a
Vega-Lite mime bundle; the myst-nb mime renderer :class:`VegaLiteMimeRenderer` (entry point
``myst_nb.mime_renderers``) turns it into the HTML of :func:`chart_html`, which
``static/mbcbook-charts.js`` draws in the page.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape

from docutils import nodes

from ..errors import ChartError
from ..paths import FIGURE_MIME

CHART_MARKER = "data-mbcbook-chart"
VEGALITE_MIME = re.compile(r"^application/vnd\.vegalite\.v(\d+)\+json$")


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

    mime_priority_overrides = [("html", f"application/vnd.vegalite.v{v}+json", 1) for v in (5, 6)] + [
        ("html", FIGURE_MIME, 0)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        """Render one output as a chart when it is a Vega-Lite mime bundle.

        Parameters
        ----------
        renderer : myst_nb.core.render.NbElementRenderer
            The myst-nb renderer of the notebook (unused).
        data : myst_nb.core.render.MimeData
            The output: its mime type and content.
        inline : bool
            Whether the output is rendered inline (unused).

        Returns
        -------
        list of docutils.nodes.Node or None
            The chart's HTML, or None to leave any other mime type to myst-nb.
        """
        is_figure = data.mime_type == FIGURE_MIME
        if not is_figure and not VEGALITE_MIME.match(data.mime_type):
            return None
        content = data.content
        if isinstance(content, str):
            content = json.loads(content)
        if is_figure:  # a numbered figure: the chart, then its text alternative
            return [nodes.raw("", chart_html(content["chart"]) + content["alternative_html"], format="html")]
        return [nodes.raw("", chart_html(content), format="html")]
