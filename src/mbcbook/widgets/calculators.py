"""ipywidgets apps for the live notebooks (Binder, JupyterHub, Colab).

They need a running kernel, so the static book hides their cells and shows the chapter's
Altair version instead. Each app's logic lives in a plain function of the package (tested on
its own); the app only reads inputs, calls it and writes the answer, so an update is fast.
"""

from __future__ import annotations

import math
from html import escape

import ipywidgets as widgets
import pandas as pd

from ..analysis.epidemiology import MAX_ANNUAL_DIAGNOSES, expected_stage_iv_cases
from ..errors import InputError
from ..evidence import text


def typed_number(raw: str, what: str, *, whole: bool = False, required: bool = False):
    """A number typed in a text box, or an InputError that says what was typed.

    An empty box gives None (a figure not known), or, when ``required``, an InputError.

    Examples
    --------
    >>> typed_number(" 2.5 ", "the median"), typed_number("", "the median"), typed_number("400", "n", whole=True)
    (2.5, None, 400)
    >>> typed_number("2.5", "the number of patients", whole=True)
    Traceback (most recent call last):
    ...
    mbcbook.errors.InputError: the number of patients must be a whole number, got '2.5'
    """
    cleaned = raw.strip()
    if not cleaned:
        if required:
            raise InputError(f"{what} is empty: type a number")
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(f"{what} must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise InputError(f"{what} must be a finite number, got {raw!r}")
    if whole:
        if not value.is_integer():
            raise InputError(f"{what} must be a whole number, got {raw!r}")
        return int(value)
    return value


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
