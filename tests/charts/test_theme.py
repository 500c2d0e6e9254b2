"""The chart theme: colours that read for colour-blind readers and in grey, and the renderer."""

from __future__ import annotations

import importlib
import itertools

import altair as alt
import numpy as np
import pandas as pd
import pytest

from mbcbook import charts


def _linear(hex_colour):
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def contrast(a, b):
    """WCAG 2.1 contrast ratio of two sRGB colours."""
    weights = np.array([0.2126, 0.7152, 0.0722])
    la, lb = sorted((float(_linear(a) @ weights), float(_linear(b) @ weights)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Machado, Oliveira & Fernandes (2009), full severity, applied to linear RGB.
DICHROMACY = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _lab(linear_rgb):
    srgb_to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = srgb_to_xyz @ np.clip(linear_rgb, 0, 1)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_every_chart_colour_has_3_to_1_contrast_on_white():
    for name, colour in charts.PALETTE.items():
        assert contrast(colour, charts.BACKGROUND) >= 3.0, name


def test_text_colour_has_4_5_to_1_contrast():
    assert contrast(charts.TEXT_COLOUR, charts.BACKGROUND) >= 4.5


@pytest.mark.parametrize("kind", DICHROMACY)
def test_category_colours_stay_distinct_for_colour_blind_readers(kind):
    colours = list(charts.PALETTE.values())
    simulated = {c: _lab(DICHROMACY[kind] @ _linear(c)) for c in colours}
    for a, b in itertools.combinations(colours, 2):
        delta_e = float(np.linalg.norm(simulated[a] - simulated[b]))
        assert delta_e >= 12, f"{a} and {b} look alike with {kind} (Delta E {delta_e:.1f})"


def test_theme_is_applied_by_enable():
    charts.enable()
    spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x").to_dict()
    assert spec["config"]["range"]["category"] == list(charts.PALETTE.values())


def test_renderer_emits_the_vegalite_mime_bundle():
    charts.enable()
    bundle = charts.render({"$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
                            "title": "A title"})
    assert set(bundle) == {"application/vnd.vegalite.v6+json", "text/plain"}
    assert bundle["text/plain"] == "<chart: A title>"



def test_notebooks_draw_charts_at_a_fixed_width_with_wrapped_titles():
    """Altair's widget gives a chart no container to measure: a notebook gets a fixed width."""
    layer = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x").properties(width="container")
    spec = alt.vconcat(layer, layer).properties(
        title=alt.Title("A title", subtitle=["A subtitle line " * 12, "Short."])).to_dict()
    fixed = charts.notebook_spec(spec, width=350)
    assert [view["width"] for view in fixed["vconcat"]] == [350, 350]
    assert [view["width"] for view in spec["vconcat"]] == ["container", "container"]  # left unchanged
    assert all(len(line) <= 350 // 7 for line in fixed["title"]["subtitle"])
    assert " ".join(fixed["title"]["subtitle"]).split() == " ".join(spec["title"]["subtitle"]).split()


def test_notebook_renderer_fixes_the_width(monkeypatch):
    monkeypatch.delenv("MBCBOOK_STATIC_BUILD", raising=False)
    charts.enable()
    assert alt.renderers.active == "mbcbook-jupyter"
    seen = {}
    theme_module = importlib.import_module("mbcbook.charts.theme")
    wrapped = theme_module._with_notebook_width(lambda spec, **metadata: seen.update(spec=spec) or {})
    wrapped(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().properties(width="container").to_dict())
    assert seen["spec"]["width"] == charts.NOTEBOOK_WIDTH
