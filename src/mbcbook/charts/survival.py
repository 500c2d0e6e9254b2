"""Survival curves rebuilt from published summaries: the explorer of every trial, and one trial's chart.

:func:`explorer_chart` draws every reconstruction of :mod:`mbcbook.analysis.reconstruction` in
one Vega-Lite spec that needs no kernel: a drop-down picks the trial, a checkbox shows or hides
the confidence bands, and a slider moves a time cursor that reads each arm's survival. Numbers
at risk sit under the curves, the published medians and landmarks are marked on them, and the
chart's own title says that the curves are reconstructed and with which model. Every trial's
curves are in the page; the controls only filter them, so the page redraws without a kernel.

:func:`trial_chart` draws one reconstruction the same way, without the drop-down, for the live
widget (:mod:`mbcbook.widgets.survival`).
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from ..analysis import reconstruction as recon
from ..evidence import text
from .alt_text import show
from .bars import FIT_WIDTH, _described
from .theme import PALETTE, TEXT_COLOUR

#: Arm colours (and dashes, so that the arms differ without colour too).
ARM_COLOURS = {"lrt": PALETTE["blue"], "st": PALETTE["vermillion"]}
ARM_DASHES = {"lrt": [1, 0], "st": [6, 3]}
ARM_NAMES = {"lrt": "Locoregional treatment", "st": "Systemic therapy alone"}
#: Short arm names for the rows of numbers at risk, where a phone leaves little room.
ARM_SHORT_NAMES = {"lrt": "Locoregional", "st": "Systemic only"}
CURVE_HEIGHT = 260
AT_RISK_ROW_HEIGHT = 22
#: Where the time cursor starts, in months (two years: a landmark most trials publish).
CURSOR_START = 24.0


def caption_lines(rec: recon.Reconstruction) -> list[str]:
    """The chart's title for one reconstruction: the trial, and that its curves are reconstructed (and how)."""
    # Lines short enough for a 360 px phone: the title stays in the chart, where text does not wrap.
    return [f"{rec.trial_name}:", "overall survival reconstructed", "from published summaries",
            f"(model: {rec.model_label})"]


def published_marks(rec: recon.Reconstruction) -> pd.DataFrame:
    """The published medians and landmarks of a reconstruction, as points on the curves."""
    rows = []
    for arm in recon.ARMS:
        spec = rec.arms[arm]
        if spec.median_months is not None:
            rows.append({"arm": arm, "time_months": spec.median_months, "survival": 0.5,
                         "what": f"{ARM_NAMES[arm]}: published median {text.number(spec.median_months)} months"})
        for months, value in spec.landmarks:
            rows.append({"arm": arm, "time_months": months, "survival": value,
                         "what": f"{ARM_NAMES[arm]}: published survival {text.percent(value)} at "
                                 f"{text.number(months)} months"})
    return pd.DataFrame(rows)


def _frames(reconstructions: dict) -> dict:
    """Tidy tables of every reconstruction (curves, published marks, numbers at risk), keyed by id."""
    curves, marks, at_risk = [], [], []
    for rid, rec in reconstructions.items():
        curves.append(rec.curves().assign(trial=rid).drop(columns=["label"]))
        marks.append(published_marks(rec).assign(trial=rid))
        at_risk.append(rec.at_risk().assign(trial=rid))
    rounded = {"survival": 3, "ci_low": 3, "ci_high": 3}  # a tenth of a percentage point: all a reader can see
    return {
        "curves": pd.concat(curves, ignore_index=True).round(rounded),
        "marks": pd.concat(marks, ignore_index=True),
        "at_risk": pd.concat(at_risk, ignore_index=True),
    }


def _lookup(values: dict) -> str:
    """A Vega expression that looks ``trial`` up in ``values`` (an object literal)."""
    return f"{json.dumps(values)}[trial]"


def _arm_colour() -> alt.Color:
    return alt.Color("arm_name:N", title=None, scale=alt.Scale(domain=[ARM_NAMES[a] for a in recon.ARMS],
                                                               range=[ARM_COLOURS[a] for a in recon.ARMS]),
                     legend=alt.Legend(orient="top", columns={"expr": "containerSize()[0] < 480 ? 1 : 2"}))


def _for_trial(dataset: str) -> alt.Chart:
    """A chart of the named dataset's rows for the trial chosen, with each arm's name (computed in the page)."""
    names = json.dumps(ARM_NAMES)
    return alt.Chart(alt.NamedData(dataset)).transform_filter("datum.trial == trial").transform_calculate(
        arm_name=f"{names}[datum.arm]")


def _curve_layers(x_scale: alt.Scale, bands, width) -> alt.LayerChart:
    x = alt.X("time_months:Q", title="Months from randomisation", scale=x_scale, axis=alt.Axis(tickMinStep=6))
    y = alt.Y("survival:Q", title="Overall survival", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    base = _for_trial("curves")
    band = base.mark_area(interpolate="step-after", aria=False).encode(
        x=x, y=alt.Y("ci_low:Q", scale=alt.Scale(domain=[0, 1])), y2="ci_high:Q", color=_arm_colour(),
        opacity=alt.condition(bands, alt.value(0.18), alt.value(0.0)),
    )
    line = base.mark_line(interpolate="step-after", strokeWidth=2, aria=False).encode(
        x=x, y=y, color=_arm_colour(),
        strokeDash=alt.StrokeDash("arm_name:N", scale=alt.Scale(domain=[ARM_NAMES[a] for a in recon.ARMS],
                                                                 range=[ARM_DASHES[a] for a in recon.ARMS]),
                                  legend=None),
    )
    published = _described(
        _for_trial("marks").mark_point(
            shape="diamond", size=90, filled=True, color=TEXT_COLOUR),
        "datum.what").encode(x=x, y=y, tooltip=[alt.Tooltip("what:N", title="Published")])
    at_cursor = base.transform_filter(f"abs(datum.time_months - cursor) < {recon.GRID_MONTHS / 2}")
    rule = at_cursor.mark_rule(color=TEXT_COLOUR, strokeDash=[2, 2], aria=False).encode(x=x)
    points = _described(at_cursor.mark_point(filled=True, size=60),
                        "datum.arm_name + ' at ' + format(datum.time_months, '.1f') + ' months: ' + "
                        "format(datum.survival, '.1%') + ' alive (reconstructed)'").encode(
        x=x, y=y, color=_arm_colour())
    readout = at_cursor.mark_text(align="left", dx=8, dy=alt.expr("datum.arm == 'lrt' ? -10 : 12"),
                                  fontWeight="bold", aria=False).encode(
        x=x, y=y, color=_arm_colour(), text=alt.Text("survival:Q", format=".1%"))
    return alt.layer(band, line, published, rule, points, readout).properties(height=CURVE_HEIGHT, width=width)


def _at_risk_panel(x_scale: alt.Scale, width) -> alt.Chart:
    short = json.dumps(ARM_SHORT_NAMES)
    return _described(
        # On a phone, every other count: twelve of them do not fit in 300 px.
        _for_trial("at_risk").transform_calculate(arm_short=f"{short}[datum.arm]").transform_filter(
            "containerSize()[0] >= 480 || datum.time_months % 24 == 0").mark_text(),
        "datum.arm_name + ', ' + format(datum.time_months, 'd') + ' months: ' + datum.n_at_risk + ' at risk'",
    ).encode(
        x=alt.X("time_months:Q", scale=x_scale, title="Number at risk",
                axis=alt.Axis(tickMinStep=6, grid=False)),
        y=alt.Y("arm_short:N", title=None, sort=[ARM_SHORT_NAMES[a] for a in recon.ARMS],
                axis=alt.Axis(labelLimit=110, labelPadding=16, domain=False, ticks=False)),
        text="n_at_risk:Q", color=alt.Color("arm_name:N", legend=None, scale=alt.Scale(
            domain=[ARM_NAMES[a] for a in recon.ARMS], range=[ARM_COLOURS[a] for a in recon.ARMS])),
    ).properties(height=AT_RISK_ROW_HEIGHT * len(recon.ARMS), width=width)


def _trial_values(reconstructions: dict) -> dict:
    """What changes with the data: the datasets, and each trial's last month and title, by trial id."""
    frames = _frames(reconstructions)
    curves = frames["curves"]
    return {
        "datasets": {name: frame.to_dict("records") for name, frame in frames.items()},
        "trial_end": {rid: float(curves.loc[curves["trial"] == rid, "time_months"].max()) for rid in reconstructions},
        "trial_title": {rid: caption_lines(rec) for rid, rec in reconstructions.items()},
    }


def _cursor_range(values: dict) -> tuple[float, float]:
    """Where the time cursor starts, and how far it goes: to the end of the longest follow-up."""
    longest = max(values["trial_end"].values())
    return min(CURSOR_START, longest), longest


def _survival_chart(reconstructions: dict, choose_trial: bool, description: str,
                    width: int | str = "container") -> alt.VConcatChart:
    values = _trial_values(reconstructions)
    first = next(iter(reconstructions))
    trial = alt.param(name="trial", value=first, bind=alt.binding_select(
        options=list(reconstructions), labels=[rec.trial_name for rec in reconstructions.values()],
        name="Trial ")) if choose_trial else alt.param(name="trial", value=first)
    bands = alt.param(name="bands", value=True, bind=alt.binding_checkbox(name="Confidence bands (95%) "))
    start, longest = _cursor_range(values)
    cursor = alt.param(name="cursor", value=start, bind=alt.binding_range(
        min=0, max=longest, step=recon.GRID_MONTHS, name="Time cursor (months) "))
    # Object-valued parameters: the live explorer swaps their values (and the datasets) without
    # rebuilding the chart (see trial_spec).
    ends = alt.param(name="trial_end", value=values["trial_end"])
    titles = alt.param(name="trial_title", value=values["trial_title"])
    x_scale = alt.Scale(domain=alt.ExprRef("[0, trial_end[trial]]"), nice=False, zero=True)
    return alt.vconcat(
        _curve_layers(x_scale, bands, width),
        _at_risk_panel(x_scale, width),
        spacing=14,
    ).add_params(trial, bands, cursor, ends, titles).properties(
        datasets=values["datasets"],
        # The title changes with the trial, so it stays in the chart (the site moves fixed titles
        # into the figure's caption); its lines are short enough for a phone.
        title=alt.Title(alt.ExprRef("trial_title[trial]"), fontSize=14, subtitle=[
            "Lines: Kaplan-Meier curves of pseudo-patients",
            "drawn from each arm's published figures.",
            "Diamonds: published medians and landmarks.",
        ]),
        autosize=FIT_WIDTH,
        description=description,
    )


def explorer_description(reconstructions: dict) -> str:
    """The explorer's text alternative: what it shows, and each trial's reconstructed medians."""
    parts = []
    for rec in reconstructions.values():
        medians = rec.medians
        parts.append(f"{rec.trial_name} ({rec.model_label}): reconstructed median "
                     f"{text.number(round(float(medians['lrt']), 1))} months with locoregional treatment and "
                     f"{text.number(round(float(medians['st']), 1))} months with systemic therapy alone")
    return ("Step chart of overall survival reconstructed from published summaries, two arms per trial, "
            "with a drop-down to choose the trial, a checkbox for the confidence bands, a time cursor that "
            "reads each arm's survival, and the numbers at risk underneath. " + "; ".join(parts) + ".")


def explorer_chart(reconstructions: dict) -> alt.VConcatChart:
    """Every reconstruction in one chart, chosen from a drop-down; see the module's description.

    Parameters
    ----------
    reconstructions : dict
        :func:`mbcbook.analysis.reconstruction.reconstruct_all` of the evidence.

    Returns
    -------
    altair.VConcatChart
        Curves over numbers at risk, as wide as the page; its ``description`` is its text alternative.
    """
    return _survival_chart(reconstructions, True, explorer_description(reconstructions))


_TEMPLATES: dict = {}


def trial_spec(rec: recon.Reconstruction, width: int | str = "container") -> dict:
    """The Vega-Lite spec of :func:`trial_chart`, fast: a kept template with this reconstruction's data.

    Building an Altair chart and validating it takes about 0.2 s; the live explorer redraws
    within 50 ms by building the chart once per width and then swapping only what depends on
    the data (the datasets, the description and the object-valued parameters).

    >>> from mbcbook.evidence import load
    >>> tata = recon.reconstruct(load(), "tata")
    >>> trial_spec(tata, 500) == trial_chart(tata, 500).to_dict()
    True
    """
    # Altair merges the active theme into the spec when it is written: a template kept from before
    # charts.enable() (or after a change of theme) would carry another theme's configuration.
    key = (width, alt.theme.active)
    if key not in _TEMPLATES:
        _TEMPLATES[key] = trial_chart(rec, width).to_dict()
    template = _TEMPLATES[key]
    values = _trial_values({rec.reconstruction_id: rec})
    spec = dict(template, datasets=values["datasets"], description=explorer_description({rec.reconstruction_id: rec}))
    start, longest = _cursor_range(values)
    changed = {"trial": {"value": rec.reconstruction_id}, "trial_end": {"value": values["trial_end"]},
               "trial_title": {"value": values["trial_title"]}}
    spec["params"] = []
    for param in template["params"]:
        param = dict(param, **changed.get(param["name"], {}))
        if param["name"] == "cursor":
            param = dict(param, value=start, bind=dict(param["bind"], max=longest))
        spec["params"].append(param)
    return spec


def trial_chart(rec: recon.Reconstruction, width: int | str = "container") -> alt.VConcatChart:
    """One reconstruction's curves, numbers at risk and published marks (the live widget's chart).

    ``width`` is the plot's width in px, or ``"container"`` to take the page column's.
    """
    return _survival_chart({rec.reconstruction_id: rec}, False, explorer_description({rec.reconstruction_id: rec}),
                           width)


def explorer_table(reconstructions: dict) -> pd.DataFrame:
    """The explorer's data table (its text alternative): per trial and arm, model, medians and yearly survival."""
    rows = []
    for rec in reconstructions.values():
        curves = rec.curves()
        medians = rec.medians
        for arm in recon.ARMS:
            spec, curve = rec.arms[arm], curves[curves["arm"] == arm]
            row = {"Trial": rec.trial_name, "Arm": ARM_NAMES[arm], "Patients": rec.settings.n[arm],
                   "Model": spec.model.label, "Why this model": spec.model.reason,
                   "Published median (months)": "" if spec.median_months is None else text.number(spec.median_months),
                   "Reconstructed median (months)": text.number(round(float(medians[arm]), 1))}
            for year in (1, 2, 3, 5):
                at = curve[curve["time_months"] == 12 * year]
                row[f"Survival at {year} year{'s' if year > 1 else ''}"] = (
                    f"{float(at['survival'].iloc[0]):.1%}" if len(at) else "beyond follow-up")
            rows.append(row)
    return pd.DataFrame(rows)


def show_explorer(reconstructions: dict) -> None:
    """Display the explorer with its text alternative (description and data table) under it."""
    show(explorer_chart(reconstructions), explorer_table(reconstructions),
         "Reconstructed overall survival of each trial: model, medians and yearly survival "
         "(data/reconstructions.csv, data/arms.csv)")


def settings_table(ev, reconstructions: dict) -> pd.DataFrame:
    """Each reconstruction's arm sizes, accrual and follow-up, each marked published or assumed, for the page."""
    rows = []
    for rid, rec in reconstructions.items():
        row, plan = ev.reconstructions.loc[rid], rec.settings
        deaths = row["deaths"]
        rows.append({
            "Trial": rec.trial_name,
            "Patients (locoregional / systemic)": f"{plan.n['lrt']:,} / {plan.n['st']:,} ({plan.basis['n']})",
            "Accrual (months)": f"{text.number(plan.accrual_months)} ({plan.basis['accrual']})",
            "Follow-up (months)": f"{plan.follow_up_kind} {text.number(plan.follow_up_months)} "
                                  f"({plan.basis['follow_up']})",
            "Deaths: published / reconstructed": (
                f"{'not entered' if pd.isna(deaths) else f'{int(deaths):,}'} / "
                f"{round(recon.expected_deaths(rec)):,}"),
        })
    return pd.DataFrame(rows)


def settings_notes(ev, reconstructions: dict) -> str:
    """Why each setting is what it is (the ``note`` of ``data/reconstructions.csv``), as a Markdown list."""
    return "\n".join(f"- **{rec.trial_name}.** {ev.reconstructions.loc[rid, 'note']}"
                      for rid, rec in reconstructions.items())


#: The last column of :func:`arm_check_table`: its header says how close counts as consistent.
CONSISTENT_COLUMN = (f"Consistent (a median within {recon.MEDIAN_TOLERANCE:.0%}, "
                     f"a landmark within {100 * recon.LANDMARK_TOLERANCE:.0f} points)")


def arm_check_table(reconstructions: dict) -> pd.DataFrame:
    """:func:`mbcbook.analysis.reconstruction.arm_checks`, worded for the page."""
    checks = recon.arm_checks(reconstructions)
    rows = []
    for _, check in checks.iterrows():
        median = check["figure"] == "median"
        shown = (lambda v: f"{text.number(round(v, 1))} months") if median else (lambda v: f"{v:.1%}")
        rows.append({
            "Trial": check["trial"], "Arm": ARM_NAMES[check["arm"]],
            "Figure": "median" if median else f"alive at {text.number(check['time_months'])} months",
            "Published": shown(check["published"]), "Reconstructed": shown(check["reconstructed"]),
            # + 0.0 turns a negative zero ("-0.0 points") into 0.0
            "Difference": (f"{round(check['difference'], 3) + 0.0:+.1%}" if median
                           else f"{round(100 * check['difference'], 1) + 0.0:+.1f} points"),
            CONSISTENT_COLUMN: "yes" if check["consistent"] else "no",
        })
    return pd.DataFrame(rows)


def hazard_ratio_check_table(reconstructions: dict) -> pd.DataFrame:
    """:func:`mbcbook.analysis.reconstruction.hazard_ratio_checks`, worded for the page."""
    checks = recon.hazard_ratio_checks(reconstructions)
    rows = []
    for _, check in checks.iterrows():
        level = text.level(check["ci_level"])
        rows.append({
            "Trial": check["trial"],
            "Published HR": text.estimate_with_ci("HR", check["published_hr"], check["ci_low"], check["ci_high"],
                                                  check["ci_level"]),
            "Compared": f"{ARM_NAMES[check['treatment_arm']].lower()} against "
                        f"{ARM_NAMES[check['reference_arm']].lower()}"
                        + ("" if check["orientation_stated"] else " (the paper does not say)"),
            "Reconstructed HR": f"{check['reconstructed_hr']:.2f} ({level} CI {check['reconstructed_low']:.2f}–"
                                f"{check['reconstructed_high']:.2f})",
            "Inside the published interval": "yes" if check["inside"] else "no",
        })
    return pd.DataFrame(rows)
