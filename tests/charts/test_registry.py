"""Every registered chart held to the same rules: one parametrised set of checks over FIGURES.

A chart added to :data:`mbcbook.charts.FIGURES` gets these checks without a new test: a text
alternative, inline data only, a Vega compilation (and a drawing) with no network, one row of
the text-alternative table per row of the chart's data, unconfirmed rows labelled, counted and
faded, a caption naming its data file, a real source table, and a width taken from the page.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pytest
import vl_convert

from mbcbook import charts, evidence
from mbcbook.errors import ChartError
from mbcbook.evidence.schema import TABLES_BY_NAME
from mbcbook.site.vega import chart_html, vegalite_to_vega

UNCONFIRMED = "(unconfirmed)"
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _nodes(node) -> Iterator[dict]:
    """Every dict in a nested spec, the spec itself first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _chart_part(spec: dict) -> dict:
    """The spec without its top-level datasets (data rows are not chart structure)."""
    return {key: value for key, value in spec.items() if key != "datasets"}


def data_rows(spec: dict) -> list[dict]:
    """Every row of data the chart draws: its named datasets and any inline ``data.values``."""
    rows = [row for values in spec.get("datasets", {}).values() for row in values]
    for node in _nodes(_chart_part(spec)):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            rows.extend(data["values"])
    return rows


def shown_label(row: dict) -> str:
    label = row["label"]
    return " ".join(label) if isinstance(label, list) else str(label)


def faded_when_unconfirmed(spec: dict) -> list[dict]:
    """The opacity encodings that lower the opacity of rows whose status is unconfirmed."""
    found = []
    for node in _nodes(_chart_part(spec)):
        opacity = node.get("opacity")
        if not isinstance(opacity, dict):
            continue
        conditions = opacity.get("condition", [])
        for condition in conditions if isinstance(conditions, list) else [conditions]:
            test = str(condition.get("test", ""))
            if ("datum.status" in test or "datum['status']" in test or 'datum["status"]' in test) \
                    and "'unconfirmed'" in test and condition.get("value", 1) < opacity.get("value", 1):
                found.append(opacity)
    return found


@dataclass
class Drawn:
    """One registered chart, drawn from the evidence once for all the checks."""

    figure: charts.Figure
    table: pd.DataFrame
    spec: dict
    alt_table: pd.DataFrame


@pytest.fixture(scope="module")
def ev():
    charts.enable()
    return evidence.load()


@pytest.fixture(scope="module", params=charts.FIGURES, ids=lambda figure: figure.name)
def figure(request) -> charts.Figure:
    return request.param


@pytest.fixture(scope="module")
def drawn(figure, ev) -> Drawn:
    tables = figure.tables(ev)
    return Drawn(figure, tables[0], figure.build(*tables).to_dict(), figure.alt_table(*tables))


@pytest.fixture
def offline(monkeypatch):
    """No network for Python code in the test: any connection attempt fails it."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a chart tried to use the network: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_has_a_text_alternative(drawn, ev):
    description = drawn.spec.get("description") or ""
    assert len(description.strip()) > 40, f"{drawn.figure.name}: no real description (its text alternative)"
    assert drawn.figure.text_alternative(ev).description == description


def test_all_data_are_inline(drawn, offline):
    for node in _nodes(drawn.spec):
        data = node.get("data")
        assert not (isinstance(data, dict) and "url" in data), f"{drawn.figure.name} loads data from {data['url']}"
    assert data_rows(drawn.spec), f"{drawn.figure.name} has no inline data"
    html = chart_html(drawn.spec)  # refuses Vega data loaded from a URL
    assert "data-mbcbook-chart" in html


def test_compiles_to_vega_and_draws_offline(drawn, offline):
    vega = vegalite_to_vega(drawn.spec)
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
    for dataset in vega.get("data", []):
        assert "url" not in dataset, f"{drawn.figure.name}: Vega data {dataset['name']} has a url"
    svg = vl_convert.vega_to_svg(vega)  # Vega parses and runs the spec, without a browser
    assert svg.startswith("<svg") and "<text" in svg


def test_alt_table_has_one_row_per_data_row(drawn):
    rows = data_rows(drawn.spec)
    assert len(drawn.alt_table) == len(rows), (
        f"{drawn.figure.name}: {len(rows)} rows of data drawn, {len(drawn.alt_table)} in its text alternative")
    assert len(drawn.alt_table) > 0


def test_every_data_row_has_a_shown_label_and_a_status(drawn):
    for row in data_rows(drawn.spec):
        assert shown_label(row).strip(), f"{drawn.figure.name}: a row without a label: {row}"
        assert row.get("status") in ("confirmed", "unconfirmed"), f"{drawn.figure.name}: row status {row.get('status')}"


def test_unconfirmed_rows_are_labelled_counted_and_faded(drawn):
    rows = data_rows(drawn.spec)
    for row in rows:
        marked = UNCONFIRMED in shown_label(row)
        assert marked == (row["status"] == "unconfirmed"), (
            f"{drawn.figure.name}: label {shown_label(row)!r} does not match its status {row['status']!r}")
    unconfirmed = sum(row["status"] == "unconfirmed" for row in rows)
    marked_in_table = int(drawn.alt_table.astype(str).apply(
        lambda column: column.str.contains("unconfirmed", regex=False)).any(axis=1).sum())
    assert marked_in_table == unconfirmed, (
        f"{drawn.figure.name}: {unconfirmed} unconfirmed rows drawn, {marked_in_table} marked in the table")
    assert faded_when_unconfirmed(drawn.spec), (
        f"{drawn.figure.name}: no opacity condition on datum.status == 'unconfirmed' fades them")


def test_caption_names_the_data_file(figure):
    assert f"data/{figure.source}.csv" in figure.caption, f"{figure.name}: caption {figure.caption!r}"
    for name in figure.extra:
        data_file = "data/references.bib" if name == "references" else f"data/{name}.csv"
        assert data_file in figure.caption, f"{figure.name}: caption {figure.caption!r} does not name {data_file}"


def test_source_is_an_evidence_table(figure):
    assert figure.source in TABLES_BY_NAME, f"{figure.name}: no evidence table called {figure.source!r}"
    for name in figure.extra:
        assert name in TABLES_BY_NAME or name == "references", f"{figure.name}: no evidence table called {name!r}"


def test_width_comes_from_the_page_column(drawn):
    """Vega-Lite width "container", fitted: Vega sizes the chart to its column and follows resizes."""
    vega = vegalite_to_vega(drawn.spec)
    autosize = vega.get("autosize") or {}
    assert autosize.get("type") in ("fit", "fit-x") and autosize.get("contains") == "padding", (
        f"{drawn.figure.name}: autosize {autosize} does not fit the chart, padding included, to its container")
    width = next((s for s in vega.get("signals", []) if s["name"] == "width"), {})
    assert "containerSize()" in str(width.get("init", "")), f"{drawn.figure.name}: width not taken from its container"
    assert any(e.get("events") == "window:resize" for e in width.get("on", [])), f"{drawn.figure.name}: not resized"


def test_names_are_unique_and_well_formed():
    names = [figure.name for figure in charts.FIGURES]
    assert len(set(names)) == len(names), f"names registered twice: {names}"
    assert all(NAME.match(name) for name in names), names
    assert set(charts.REGISTRY) == set(names)
    for figure in charts.FIGURES:
        assert charts.figure(figure.name) is figure


def test_an_unknown_name_is_refused_with_the_list_of_names():
    with pytest.raises(ChartError) as error:
        charts.figure("nope")
    assert "'nope'" in str(error.value)
    for figure in charts.FIGURES:
        assert figure.name in str(error.value)


@pytest.mark.parametrize("static_build", [True, False], ids=["web book", "live notebook"])
def test_glue_figure_glues_chart_and_alternative_and_shows_them_only_in_a_notebook(monkeypatch, static_build):
    import myst_nb

    from mbcbook.charts import registry
    from mbcbook.paths import FIGURE_MIME, STATIC_BUILD_ENV

    glued, shown = {}, []
    monkeypatch.setattr(myst_nb, "glue", lambda key, value, display: glued.update({key: (value, display)}))
    monkeypatch.setattr(registry, "show", lambda *args, **kwargs: shown.append(args))
    if static_build:
        monkeypatch.setenv(STATIC_BUILD_ENV, "1")
    else:
        monkeypatch.delenv(STATIC_BUILD_ENV, raising=False)
    registry.glue_figure("survival-trends", evidence.load())
    value, display = glued["fig-survival-trends"]
    assert display is False and list(glued) == ["fig-survival-trends"]
    bundle = value._repr_mimebundle_()[FIGURE_MIME]
    assert bundle["chart"]["description"] == value.alternative.description
    assert '<details class="mbcbook-alt">' in bundle["alternative_html"]
    assert len(shown) == (0 if static_build else 1)


def test_glue_figure_refuses_an_unknown_name():
    from mbcbook.charts import registry

    with pytest.raises(ChartError, match="no chart called 'nope'"):
        registry.glue_figure("nope", evidence.load())


def test_glue_figure_refuses_a_chart_without_a_description(monkeypatch):
    """In the web book nothing else would notice: glue_figure then displays nothing by itself."""
    from mbcbook.charts import registry
    from mbcbook.paths import STATIC_BUILD_ENV

    monkeypatch.setenv(STATIC_BUILD_ENV, "1")
    stage = registry.figure("stage-iv-share")
    silent = registry.Figure("silent", stage.source, lambda table: stage.build(table).properties(description=""),
                             stage.alt_table, stage.caption)
    monkeypatch.setitem(registry.REGISTRY, "silent", silent)
    with pytest.raises(ChartError, match="needs a description"):
        registry.glue_figure("silent", evidence.load())
