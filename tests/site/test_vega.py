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


# Run in fresh interpreters, each with its own hash seed: a set or dict order that leaked into a
# spec would differ between them (one process comparing its output with itself would not see it).
CHART_HTML_SCRIPT = """
import hashlib, json
from mbcbook import charts, evidence
from mbcbook.site.vega import chart_html
charts.enable()
ev = evidence.load()
print(json.dumps({f.name: hashlib.sha256(chart_html(f.chart(ev).to_dict()).encode()).hexdigest()
                  for f in charts.FIGURES}))
"""


def test_static_chart_html_is_the_same_in_every_process():
    import os
    import subprocess
    import sys

    # Two processes with different hash seeds, side by side: a chart whose spec depends on the
    # order of a set or a dict of strings comes out differently in them.
    processes = [subprocess.Popen([sys.executable, "-c", CHART_HTML_SCRIPT], stdout=subprocess.PIPE, text=True,
                                  env={**os.environ, "PYTHONHASHSEED": seed, "MBCBOOK_STATIC_BUILD": "1"})
                 for seed in ("1", "2")]
    outputs = []
    for process in processes:
        stdout, _ = process.communicate()
        assert process.returncode == 0
        outputs.append(json.loads(stdout))
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == set(charts.REGISTRY)


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


class Data:
    def __init__(self, mime_type, content):
        self.mime_type, self.content = mime_type, content


def test_mime_plugin_takes_only_vegalite():
    assert VegaLiteMimeRenderer.handle_mime(None, Data("text/html", "<p>"), False) is None
    assert VegaLiteMimeRenderer.handle_mime(None, Data("application/json", "{not json"), False) is None
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x").to_dict()
    nodes = VegaLiteMimeRenderer.handle_mime(None, Data("application/vnd.vegalite.v6+json", spec), False)
    assert "data-mbcbook-chart" in nodes[0].astext()



@pytest.mark.parametrize("as_text", [False, True], ids=["parsed", "json text"])
def test_a_numbered_figure_is_its_chart_then_its_text_alternative(ev, as_text):
    from mbcbook.charts.registry import GluedFigure
    from mbcbook.paths import FIGURE_MIME

    entry = charts.figure("stage-iv-share")
    content = GluedFigure(entry.chart(ev).to_dict(), entry.text_alternative(ev))._repr_mimebundle_()[FIGURE_MIME]
    nodes = VegaLiteMimeRenderer.handle_mime(None, Data(FIGURE_MIME, json.dumps(content) if as_text else content),
                                             False)
    html = nodes[0].astext()
    assert html.startswith('<figure class="mbcbook-chart"') and html.endswith("</details>")
    assert html.index("data-mbcbook-chart") < html.index('class="mbcbook-alt"')
