"""Live pooling of the trials in a notebook: tick trials, change any figure, read the pooled result.

Each trial's row starts with its published overall-survival hazard ratio, interval and level
(``data/effects.csv``); the reader may tick it in or out, or type other figures (another report,
a trial of their own). Every change pools again with :func:`mbcbook.analysis.pooling.pool`. Bad
input (an HR of 0, an interval that leaves out its estimate, a level other than 0.90 or 0.95) is
explained in place of the result, named by its trial, and the other inputs keep their values.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..analysis import pooling
from ..charts.pooling import result_lines
from ..errors import InputError
from .calculators import _error_html, typed_number

_LAYOUT = widgets.Layout(width="6.5rem")


def studies_html(studies: list, result: pooling.Pooled) -> str:
    """The trials pooled, each with its HR of surgery against none, its standard error and its weight."""
    variances = [s.se ** 2 + (result.tau2 if result.method == "random" else 0.0) for s in studies]
    weights = [1 / v for v in variances]
    total = sum(weights)
    rows = "".join(f"<tr><th>{escape(s.name)}</th><td>{s.hr:.2f}</td><td>{s.se:.3f}</td><td>{w / total:.0%}</td>"
                   f"<td>{escape(s.orientation)}</td></tr>" for s, w in zip(studies, weights, strict=True))
    return ("<table><caption>Trials pooled</caption><thead><tr><th>Trial</th><th>HR, surgery against none</th>"
            "<th>SE of log HR</th><th>Weight</th><th>Orientation</th></tr></thead><tbody>" + rows + "</tbody></table>")


def pooling_app(ev, names: dict) -> widgets.VBox:
    """The live pooling app for the trials of ``ev`` (each trial's primary overall-survival report).

    Returns
    -------
    ipywidgets.VBox
        The app; ``app.rows`` holds each trial's controls (``ticked``, ``hr``, ``low``, ``high``,
        ``level``) by trial id, ``app.method`` and ``app.reading`` the choices, ``app.answer`` the
        result (or the message about the input), ``app.update()`` pools again.
    """
    reports = pooling.overall_survival_reports(ev.effects)
    rows, lines = {}, []
    for _, report in reports.iterrows():
        trial = report["trial_id"]
        controls = {
            "ticked": widgets.Checkbox(value=True, description=names.get(trial, trial), indent=False,
                                       layout=widgets.Layout(width="14rem")),
            "hr": widgets.Text(value=f"{report['estimate']:g}", description="HR", layout=_LAYOUT,
                               continuous_update=False),
            "low": widgets.Text(value=f"{report['ci_low']:g}", description="from", layout=_LAYOUT,
                                continuous_update=False),
            "high": widgets.Text(value=f"{report['ci_high']:g}", description="to", layout=_LAYOUT,
                                 continuous_update=False),
            "level": widgets.Text(value=f"{report['ci_level']:g}", description="level", layout=_LAYOUT,
                                  continuous_update=False),
        }
        controls["arms"] = (report["treatment_arm"], report["reference_arm"])
        rows[trial] = controls
        lines.append(widgets.HBox([controls[k] for k in ("ticked", "hr", "low", "high", "level")]))
    method = widgets.Dropdown(options=[("random effects (DerSimonian-Laird)", "random"), ("fixed effect", "fixed")],
                              value="random", description="Pooling")
    reading = widgets.Dropdown(options=[(words, key) for key, words in pooling.READING_WORDS.items()],
                               value=next(iter(pooling.READINGS)), description="Unstated HR read as",
                               style={"description_width": "initial"})
    answer = widgets.HTML()

    def update(*_):
        try:
            studies = []
            for trial, controls in rows.items():
                if not controls["ticked"].value:
                    continue
                name = names.get(trial, trial)
                try:
                    figures = [typed_number(controls[key].value, what, required=True) for key, what in (
                        ("hr", "the hazard ratio"), ("low", "the lower limit"), ("high", "the upper limit"),
                        ("level", "the confidence level"))]
                    studies.append(pooling.oriented(name, *figures, *controls["arms"],
                                                    pooling.READINGS[reading.value]))
                except InputError as error:
                    message = str(error)
                    raise InputError(message if message.startswith(name) else f"{name}: {message}") from None
            if len(studies) < 2:
                answer.value = f"<p role='status'>{escape(pooling.nothing_to_pool([s.name for s in studies]))}</p>"
                return
            result = pooling.pool(studies, method.value)
            row = {"method": result.method, "k": len(studies), "hr": result.hr, "ci_low": result.ci_low,
                   "ci_high": result.ci_high, "i2": result.i2, "tau2": result.tau2, "q": result.q, "message": None}
            answer.value = (f"<p role='status'><strong>{escape(' '.join(result_lines(row)))}</strong></p>"
                            + studies_html(studies, result))
        except InputError as error:
            answer.value = _error_html(str(error))

    for controls in rows.values():
        for key in ("ticked", "hr", "low", "high", "level"):
            controls[key].observe(update, names="value")
    method.observe(update, names="value")
    reading.observe(update, names="value")
    update()
    app = widgets.VBox([widgets.HTML("<strong>Pool the trials</strong> (teaching material, not a clinical "
                                     "decision tool)"), *lines, method, reading, answer])
    app.rows, app.method, app.reading, app.answer, app.update = rows, method, reading, answer, update
    return app
