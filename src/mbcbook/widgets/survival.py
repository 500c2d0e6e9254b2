"""The live survival explorer: change a trial's figures, size, accrual or follow-up and see its curves.

The static book draws every reconstruction with :func:`mbcbook.charts.survival.explorer_chart`;
this app, for a running kernel, rebuilds one trial from whatever the reader types
(:func:`mbcbook.analysis.reconstruction.rebuild`) and redraws its chart and hazard ratio. Input
that cannot be used is explained in place of the answer, and every input keeps what the reader
typed.
"""

from __future__ import annotations

from html import escape

import altair as alt
import ipywidgets as widgets

from ..analysis import reconstruction as recon
from ..charts.survival import ARM_NAMES, trial_chart, trial_spec
from ..charts.theme import NOTEBOOK_WIDTH
from ..errors import InputError
from ..evidence import text
from .calculators import _error_html, typed_number

#: Pseudo-patients per patient in the live app: fewer than the book's reconstructions, so that an
#: update stays under 50 ms; medians still land within about 3% of the model's.
LIVE_COPIES = 8
_WIDE = {"description_width": "13rem"}


def read_inputs(values: dict) -> tuple[dict, recon.Settings, str]:
    """The figures, settings and model the reader typed, checked.

    ``values`` maps each input's name to its text: ``n_lrt``, ``median_lrt``,
    ``landmark_months_lrt``, ``landmark_survival_lrt`` (and the same for ``st``),
    ``accrual_months``, ``follow_up_months``, ``follow_up_kind`` and ``model``. A landmark needs
    both its time and its survival.
    """
    figures, n = {}, {}
    for arm in recon.ARMS:
        name = ARM_NAMES[arm]
        n[arm] = typed_number(values[f"n_{arm}"], f"{name}: the number of patients", whole=True)
        if n[arm] is None:
            raise InputError(f"{name}: give the number of patients")
        months = typed_number(values[f"landmark_months_{arm}"], f"{name}: the landmark time")
        alive = typed_number(values[f"landmark_survival_{arm}"], f"{name}: the landmark survival")
        if (months is None) != (alive is None):
            raise InputError(f"{name}: a landmark needs both its time in months and the proportion alive then")
        figures[arm] = {"median_months": typed_number(values[f"median_{arm}"], f"{name}: the median"),
                        "landmarks": [] if months is None else [(months, alive)]}
    accrual = typed_number(values["accrual_months"], "the accrual period")
    follow_up = typed_number(values["follow_up_months"], "the follow-up")
    if accrual is None or follow_up is None:
        raise InputError("give the accrual period and the follow-up, in months")
    return figures, recon.Settings(n, accrual, follow_up, values["follow_up_kind"], {}), values["model"]


def summary_html(rec: recon.Reconstruction) -> str:
    """The reconstruction's medians and hazard ratio, beside the published one, as HTML."""
    medians = rec.medians
    pub = rec.published
    readings = recon.orientations(pub)
    treatment, reference = readings[0]
    hr = rec.hazard_ratio(treatment, reference)
    level = text.level(hr.ci_level)
    published = text.estimate_with_ci("HR", pub["estimate"], pub["ci_low"], pub["ci_high"], pub["ci_level"])
    orientation = ("" if len(readings) == 1 else
                   " The paper does not say which arm is its reference; here locoregional treatment is "
                   "compared with systemic therapy alone.")
    lines = [f"{ARM_NAMES[arm]}: reconstructed median {text.number(round(float(medians[arm]), 1))} months "
             f"({escape(rec.arms[arm].model.label)})" for arm in recon.ARMS]
    return ("<p>" + "<br>".join(lines) + "<br>"
            f"Reconstructed hazard ratio, {escape(ARM_NAMES[treatment].lower())} against "
            f"{escape(ARM_NAMES[reference].lower())}: <strong>{text.number(round(hr.hr, 2))}</strong> "
            f"({level} CI {text.number(round(hr.ci_low, 2))}–{text.number(round(hr.ci_high, 2))}). "
            f"Published: {escape(published)}.{escape(orientation)}<br>"
            "<small>Curves reconstructed from published summaries, not the trial's patients. "
            "Teaching material, not a clinical decision tool.</small></p>")


def _initial_values(rec: recon.Reconstruction) -> dict:
    def shown(value) -> str:
        return "" if value is None else f"{value:g}"

    values = {"accrual_months": shown(rec.settings.accrual_months),
              "follow_up_months": shown(rec.settings.follow_up_months),
              "follow_up_kind": rec.settings.follow_up_kind, "model": "auto"}
    for arm in recon.ARMS:
        spec = rec.arms[arm]
        months, alive = spec.landmarks[0] if spec.landmarks else (None, None)
        values.update({f"n_{arm}": shown(rec.settings.n[arm]), f"median_{arm}": shown(spec.median_months),
                       f"landmark_months_{arm}": shown(months), f"landmark_survival_{arm}": shown(alive)})
    return values


def survival_explorer(ev, reconstruction_id: str | None = None) -> widgets.VBox:
    """The live survival explorer; see the module's description.

    Parameters
    ----------
    ev : mbcbook.evidence.Evidence
        The evidence tables.
    reconstruction_id : str, optional
        The trial shown first (the first row of ``data/reconstructions.csv`` by default).

    Returns
    -------
    ipywidgets.VBox
        The app; ``app.inputs`` holds its controls by name, ``app.chart`` the chart widget,
        ``app.answer`` the summary (or the message about the input), and ``app.update()`` redraws.
    """
    ids = list(ev.reconstructions.index)
    first = reconstruction_id or ids[0]
    bases = {first: recon.reconstruct(ev, first, copies=LIVE_COPIES)}
    trial = widgets.Dropdown(options=[(ev.trials.loc[ev.reconstructions.loc[r, "trial_id"], "name"], r) for r in ids],
                             value=first, description="Trial", style=_WIDE)
    labels = {"accrual_months": "Accrual period (months)", "follow_up_months": "Follow-up (months)"}
    for arm in recon.ARMS:
        labels.update({f"n_{arm}": f"{ARM_NAMES[arm]}: patients", f"median_{arm}": f"{ARM_NAMES[arm]}: median (months)",
                       f"landmark_months_{arm}": f"{ARM_NAMES[arm]}: landmark at (months)",
                       f"landmark_survival_{arm}": f"{ARM_NAMES[arm]}: alive then (0-1)"})
    inputs = {name: widgets.Text(description=label, style=_WIDE, continuous_update=False)
              for name, label in labels.items()}
    inputs["follow_up_kind"] = widgets.Dropdown(options=[("median follow-up", "median"),
                                                         ("minimum follow-up", "minimum")],
                                                description="Follow-up is the", style=_WIDE)
    inputs["model"] = widgets.Dropdown(options=[("automatic (Weibull if two figures)", "auto"),
                                                ("exponential", "exponential"), ("Weibull", "weibull")],
                                       description="Model", style=_WIDE)
    answer = widgets.HTML()
    chart = alt.JupyterChart(trial_chart(bases[first], width=NOTEBOOK_WIDTH))
    loading = {"busy": False}

    def update(_change=None) -> None:
        if loading["busy"]:
            return
        base = bases[trial.value]
        try:
            figures, settings, model = read_inputs({name: box.value for name, box in inputs.items()})
            rec = recon.rebuild(base, figures, settings, model=model, copies=LIVE_COPIES)
            chart.spec = trial_spec(rec, NOTEBOOK_WIDTH)
            answer.value = summary_html(rec)
        except InputError as error:  # the reader's inputs stay as typed; the message replaces the answer
            answer.value = _error_html(str(error))

    def load_trial(_change=None) -> None:
        if trial.value not in bases:
            bases[trial.value] = recon.reconstruct(ev, trial.value, copies=LIVE_COPIES)
        loading["busy"] = True
        for name, value in _initial_values(bases[trial.value]).items():
            inputs[name].value = value
        loading["busy"] = False
        update()

    trial.observe(load_trial, names="value")
    for box in inputs.values():
        box.observe(update, names="value")
    load_trial()
    arm_boxes = [widgets.VBox([inputs[f"{field}_{arm}"] for field in ("n", "median", "landmark_months",
                                                                      "landmark_survival")])
                 for arm in recon.ARMS]
    app = widgets.VBox([trial, widgets.HBox(arm_boxes, layout=widgets.Layout(flex_flow="row wrap")),
                        inputs["accrual_months"], inputs["follow_up_months"], inputs["follow_up_kind"],
                        inputs["model"], answer, chart])
    app.inputs = {"trial": trial, **inputs}
    app.chart, app.answer, app.update = chart, answer, update
    return app
