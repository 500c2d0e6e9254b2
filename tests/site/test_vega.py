"""Charts in the static book: Vega-Lite compiled to Vega at build time, with inline data only."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

from mbcbook import charts, evidence
from mbcbook.errors import ChartError
from mbcbook.site import VegaLiteMimeRenderer
from mbcbook.site.vega import chart_html, vegalite_to_vega


@pytest.fixture(scope="module")
def ev():
    charts.enable()
    return evidence.load()


def test_static_chart_html_holds_a_vega_spec(ev):
    spec = charts.REGISTRY["stage-iv-share"].build(ev.epidemiology).to_dict()
    html = chart_html(spec)
    assert html.startswith('<figure class="mbcbook-chart"') and "data-mbcbook-chart" in html
    payload = html.split('class="mbcbook-chart-spec">', 1)[1].rsplit("</script>", 1)[0]
    vega = json.loads(payload.replace("<\\/", "</"))
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
    assert {s["name"] for s in vega["signals"] if "bind" in s} == {"annual_diagnoses", "show_review"}


def test_static_chart_html_is_reproducible(ev):
    spec = charts.REGISTRY["survival-trends"].build(ev.survival_trends).to_dict()
    assert chart_html(spec) == chart_html(spec)


def test_script_end_tags_in_data_cannot_break_the_page():
    spec = alt.Chart(pd.DataFrame({"x": ["</script><b>"]})).mark_point().encode(x="x").to_dict()
    html = chart_html(spec)
    assert html.count("</script>") == 1


def test_charts_with_remote_data_are_refused():
    spec = alt.Chart(alt.UrlData("https://example.org/data.csv")).mark_point().encode(x="x:Q").to_dict()
    with pytest.raises(ChartError, match="must inline its data"):
        chart_html(spec)


def test_unknown_vegalite_version_is_explained():
    with pytest.raises(ChartError, match="compiles only"):
        vegalite_to_vega({"$schema": "https://vega.github.io/schema/vega-lite/v1.0.0.json"})


def test_mime_plugin_takes_only_vegalite():
    class Data:
        def __init__(self, mime_type, content):
            self.mime_type, self.content = mime_type, content

    assert VegaLiteMimeRenderer.handle_mime(None, Data("text/html", "<p>"), False) is None
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x").to_dict()
    nodes = VegaLiteMimeRenderer.handle_mime(None, Data("application/vnd.vegalite.v6+json", spec), False)
    assert "data-mbcbook-chart" in nodes[0].astext()

