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
from ..errors import InputError
from ..evidence import text


def _error_html(message: str) -> str:
    return f'<p class="mbcbook-error" role="alert"><strong>Check the input:</strong> {escape(message)}</p>'


def stage_iv_answer(epidemiology: pd.DataFrame, figure_id: str, annual_diagnoses) -> str:
    """The calculator's answer as HTML; bad input gives a message for the reader, not a traceback.

    Parameters
    ----------
    epidemiology : DataFrame
        ``data/epidemiology.csv`` as loaded by :func:`mbcbook.evidence.load`.
    figure_id : str
        The row (setting) chosen.
    annual_diagnoses : int
        New breast cancers a year, as the reader typed it.

    Returns
    -------
    str
        HTML: the count with its source, or the reason there is none.
    """
    if figure_id not in epidemiology.index:
        return _error_html(f"no setting {figure_id!r} in data/epidemiology.csv")
    row = epidemiology.loc[figure_id]
    try:
        result = expected_stage_iv_cases(annual_diagnoses, row["share"], row["share_low"], row["share_high"])
    except InputError as error:
        return _error_html(str(error))
    share = text.phrase("epidemiology", row)
    if result.expected is None:  # the source publishes a range only
        count = f"between <strong>{result.low:,}</strong> and <strong>{result.high:,}</strong>"
        span = ""
    else:
        count = f"about <strong>{result.expected:,}</strong>"
        span = (f" (between {result.low:,} and {result.high:,} using the published limits)"
                if result.low is not None else "")
    unconfirmed = ("<br><em>This figure is unconfirmed: it is printed in the review, "
                   "but no primary source was found.</em>" if row["status"] == "unconfirmed" else "")
    return (
        f"<p>The share reported for <strong>{escape(row['setting'])}</strong> ({escape(share)}) of "
        f"<strong>{result.annual_diagnoses:,}</strong> new breast cancers is {count} "
        f"with stage IV disease at diagnosis{span}.<br>"
        f"<small>Arithmetic on a published share, not an estimate for any other place. Source: "
        f"<code>{escape(row['ref'])}</code> in <code>data/references.bib</code>.</small>{unconfirmed}</p>"
    )


def stage_iv_calculator(epidemiology: pd.DataFrame, annual_diagnoses: int = 1000) -> widgets.VBox:
    """Live version of chapter 1's tool: any number of diagnoses, any setting in the table.

    Parameters
    ----------
    epidemiology : DataFrame
        ``data/epidemiology.csv`` as loaded by :func:`mbcbook.evidence.load`.
    annual_diagnoses : int, optional
        The number shown when the tool opens.

    Returns
    -------
    ipywidgets.VBox
        The tool; ``app.inputs`` holds its controls and ``app.answer`` its answer.

    Raises
    ------
    mbcbook.errors.InputError
        When the table has no rows (there is nothing to choose from).
    """
    if len(epidemiology) == 0:
        raise InputError("the epidemiology table has no rows: there is no setting to choose")
    options = [(text.with_status(row["setting"], row["status"]), figure_id)
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
