"""Text alternatives: a description and a data table under every chart."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from mbcbook import charts
from mbcbook.errors import ChartError


def test_show_refuses_a_chart_without_description():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x")
    with pytest.raises(ChartError, match="needs a description"):
        charts.show(chart, pd.DataFrame({"x": [1]}), caption="c")


def test_text_alternative_holds_description_and_table():
    html = charts.alt_text_html("A <b> description", pd.DataFrame({"Setting": ["A & B"], "Share": ["6%"]}), "Cap")
    assert html.startswith('<details class="mbcbook-alt">')
    assert "A &lt;b&gt; description" in html and "A &amp; B" in html and "<caption>Cap</caption>" in html

