"""ipywidgets apps for the live notebooks (Binder, JupyterHub, Colab).

They need a running kernel, so the static book hides their cells and shows the chapter's
Altair version instead. Each app's logic lives in a plain function of the package (tested on
its own); the app only reads inputs, calls it and writes the answer, so an update is fast.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from ..analysis.epidemiology import MAX_ANNUAL_DIAGNOSES, expected_stage_iv_cases
from ..evidence import text


def _optional(value) -> float | None:
    return None if pd.isna(value) else float(value)


def stage_iv_answer(epidemiology: pd.DataFrame, figure_id: str, annual_diagnoses) -> str:
    """The calculator's answer as HTML; bad input gives a message for the reader, not a traceback."""
    try:
        row = epidemiology.loc[figure_id]
        result = expected_stage_iv_cases(annual_diagnoses, float(row["share"]),
                                         _optional(row["share_low"]), _optional(row["share_high"]))
    except (ValueError, KeyError) as error:
        message = error.args[0] if error.args else str(error)
        return f'<p class="mbcbook-error" role="alert"><strong>Check the input:</strong> {escape(str(message))}</p>'
    share = text.phrase("epidemiology", row)
    span = (f" (between {result.low:,} and {result.high:,} using the published limits)"
            if result.low is not None else "")
    unconfirmed = ("<br><em>This figure is unconfirmed: it is printed in the review, "
                   "but no primary source was found.</em>" if row["status"] == "unconfirmed" else "")
    return (
        f"<p>The share reported for <strong>{escape(row['setting'])}</strong> ({escape(share)}) of "
        f"<strong>{result.annual_diagnoses:,}</strong> new breast cancers is about "
        f"<strong>{result.expected:,}</strong> with stage IV disease at diagnosis{span}.<br>"
        f"<small>Arithmetic on a published share, not an estimate for any other place. Source: "
        f"<code>{escape(row['ref'])}</code> in <code>data/references.bib</code>.</small>{unconfirmed}</p>"
    )


def stage_iv_calculator(epidemiology: pd.DataFrame, annual_diagnoses: int = 1000) -> widgets.VBox:
    """Live version of chapter 1's tool: any number of diagnoses, any setting in the table."""
    options = [(row["setting"] + (text.UNCONFIRMED if row["status"] == "unconfirmed" else ""), figure_id)
               for figure_id, row in epidemiology.iterrows()]
    setting = widgets.Dropdown(options=options, value=options[0][1], description="Setting",
                               layout=widgets.Layout(width="32rem"), style={"description_width": "10rem"})
    diagnoses = widgets.IntText(value=annual_diagnoses, description="New breast cancers",
                                style={"description_width": "10rem"})
    hint = widgets.HTML(f"<small>Any whole number from 1 to {MAX_ANNUAL_DIAGNOSES:,}.</small>")
    answer = widgets.HTML()

    def update(_change=None) -> None:
        answer.value = stage_iv_answer(epidemiology, setting.value, diagnoses.value)

    setting.observe(update, names="value")
    diagnoses.observe(update, names="value")
    update()
    app = widgets.VBox([setting, diagnoses, hint, answer])
    app.inputs = {"setting": setting, "annual_diagnoses": diagnoses}
    app.answer = answer
    return app
