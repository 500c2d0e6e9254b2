"""The selection-bias lab in a notebook: any setting of the sliders, any cohort size, any seed.

The web book's lab chooses among settings computed at build time; here every change simulates
the cohort again (:func:`mbcbook.analysis.selection.lab`) and redraws the same chart
(:func:`mbcbook.charts.selection.lab_setting_chart`). Bad input (a cohort size out of range, a
seed that is not a whole number) is explained in place of the result; the other inputs keep
their values and the last good chart stays.
"""

from __future__ import annotations

from html import escape

import altair as alt
import ipywidgets as widgets

from ..analysis import selection as lab_model
from ..charts.selection import estimate_label, lab_setting_chart
from ..charts.theme import NOTEBOOK_WIDTH
from ..errors import InputError
from .calculators import _error_html, typed_number

_STYLE = {"description_width": "16rem"}
_WIDE = widgets.Layout(width="34rem")


def answer_html(result: lab_model.Lab) -> str:
    """The four estimates in words, and how many patients were operated."""
    items = "".join(f"<li>{escape(estimate_label(row))}</li>" for _, row in result.estimates.iterrows())
    return (f"<p role='status'>{result.operated:,} of {result.patients:,} simulated patients operated; the true "
            f"hazard ratio of surgery is 1.</p><ul>{items}</ul>")


def selection_lab() -> widgets.VBox:
    """The live lab.

    Returns
    -------
    ipywidgets.VBox
        The app; ``app.inputs`` holds its controls (``selection``, ``hidden``, ``patients``,
        ``seed``), ``app.answer`` the estimates (or the message about the input), ``app.chart``
        the chart, ``app.update()`` simulates again.
    """
    inputs = {
        "selection": widgets.FloatSlider(value=0.5, min=0, max=1, step=0.05, continuous_update=False, style=_STYLE,
                                         layout=_WIDE, description="Selection of the fitter patients"),
        "hidden": widgets.FloatSlider(value=0.0, min=0, max=1, step=0.05, continuous_update=False, style=_STYLE,
                                      layout=_WIDE, description="Unmeasured confounder"),
        "patients": widgets.Text(value=str(lab_model.DEFAULT_PATIENTS), continuous_update=False, style=_STYLE,
                                 description="Patients in the cohort (200-20,000)"),
        "seed": widgets.Text(value=str(lab_model.DEFAULT_SEED), continuous_update=False, style=_STYLE,
                             description="Seed of the simulation"),
    }
    answer = widgets.HTML()
    first = lab_model.lab(inputs["selection"].value, inputs["hidden"].value)
    chart = alt.JupyterChart(lab_setting_chart(first, NOTEBOOK_WIDTH))

    def update(*_):
        try:
            result = lab_model.lab(inputs["selection"].value, inputs["hidden"].value,
                                   patients=typed_number(inputs["patients"].value, "the number of patients",
                                                         whole=True, required=True),
                                   seed=typed_number(inputs["seed"].value, "the seed", whole=True, required=True))
        except InputError as error:
            answer.value = _error_html(str(error))
            return
        answer.value = answer_html(result)
        chart.chart = lab_setting_chart(result, NOTEBOOK_WIDTH)

    for control in inputs.values():
        control.observe(update, names="value")
    answer.value = answer_html(first)
    app = widgets.VBox([widgets.HTML("<strong>The selection-bias lab</strong> (simulated patients; teaching "
                                     "material, not a clinical decision tool)"), *inputs.values(), answer, chart])
    app.inputs, app.answer, app.chart, app.update = inputs, answer, chart, update
    return app
