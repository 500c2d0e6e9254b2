"""The selection-bias lab on the page: two sliders over a precomputed grid of simulated cohorts.

:func:`lab_chart` draws, for the setting the sliders choose, the naive Kaplan-Meier curves of
operated and not operated patients (what a registry study sees), and under them the four
estimates of :mod:`mbcbook.analysis.selection` side by side, on a log scale with the true
effect, a hazard ratio of 1, marked. Every setting of the grid is in the page, computed at
build time (:func:`mbcbook.analysis.selection.grid`); the sliders only choose among them.
The same chart draws one setting for the live notebook (:func:`lab_setting_chart`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..analysis import selection as lab_model
from ..evidence import text
from .bars import FIT_WIDTH, _row_labels, stack_rows
from .forest import _hr_x, _label_halo, log_domain, title_lines
from .theme import BACKGROUND, PALETTE, TEXT_COLOUR

GROUP_COLOURS = {"operated": PALETTE["vermillion"], "not operated": PALETTE["blue"]}
METHOD_COLOURS = {"naive": PALETTE["vermillion"], "adjusted": PALETTE["purple"],
                  "propensity": PALETTE["blue"], "randomised": PALETTE["green"]}
CURVE_HEIGHT = 190
#: How close a slider's value must be to a setting of the grid to choose it. A grid's values are
#: at least 0.1 apart (at most 11 from 0 to 1), and a step of 1/3 reaches 0.3333333 on the page
#: where the data hold 0.3333: a tolerance of 0.001 tells the settings apart and absorbs that.
MATCH = 1e-3


def estimate_label(row: pd.Series | dict) -> str:
    """An estimate's row label: "Naive: surgery alone, ...: HR 0.66 (95% CI 0.60–0.73)".

    Examples
    --------
    >>> estimate_label({"label": "Naive", "hr": 0.6612, "ci_low": 0.6, "ci_high": 0.7311})
    'Naive: HR 0.66 (95% CI 0.60–0.73)'
    """
    return (f"{row['label']}: HR {text.number(row['hr'], 2)} (95% CI {text.number(row['ci_low'], 2)}–"
            f"{text.number(row['ci_high'], 2)})")


def _estimate_rows(estimates: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Each estimate with its label, stacked as the book's forest plots stack their rows.

    Every setting has the same four methods; rows are placed by the longest label of each method
    over all settings, so that the rows stay put while the sliders move.
    """
    frame = estimates.copy()
    frame["label_text"] = [estimate_label(r) for _, r in frame.iterrows()]
    longest = frame.assign(length=frame["label_text"].str.len()).sort_values("length").groupby(
        "method", sort=False).tail(1).set_index("method").loc[list(lab_model.METHODS), "label_text"]
    placed, height = stack_rows(longest)
    placed.index = list(lab_model.METHODS)
    frame["label"] = [stack_rows([t])[0]["label"].iloc[0] for t in frame["label_text"]]
    for column in ("label_y", "bar_mid"):
        frame[column] = frame["method"].map(placed[column])
    return frame, height


def _chart(estimates: pd.DataFrame, curves: pd.DataFrame, params: list, where: str, description: str,
           width: int | str) -> alt.VConcatChart:
    rows, height = _estimate_rows(estimates)
    domain, ticks = log_domain(pd.concat([rows["ci_low"], rows["ci_high"]]))
    colour = alt.Color("group:N", title=None, scale=alt.Scale(domain=list(GROUP_COLOURS),
                                                              range=list(GROUP_COLOURS.values())),
                       legend=alt.Legend(orient="top", direction="horizontal"))
    # Only the columns the chart reads: every setting of the grid is in the page.
    curve_data = curves[["selection", "hidden", "time_months", "survival", "group"]].assign(
        selection=curves["selection"].round(4), hidden=curves["hidden"].round(4),
        survival=curves["survival"].astype(float).round(3))
    survival = alt.Chart(curve_data).transform_filter(where).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=alt.X("time_months:Q", title="Months since diagnosis", scale=alt.Scale(domain=[0, 60], nice=False),
                axis=alt.Axis(values=list(range(0, 61, 12)))),
        # The survival axis's labels sit inside the plot, with no title (the panel's title says what
        # it is): an axis outside would push both panels right, and the rows' labels off a phone.
        y=alt.Y("survival:Q", title=None, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", values=[0.25, 0.5, 0.75, 1], labelAlign="left", labelPadding=-28,
                              labelBaseline="bottom", ticks=False, domain=False)),
        color=colour, strokeDash=alt.StrokeDash("group:N", legend=None, scale=alt.Scale(
            domain=list(GROUP_COLOURS), range=[[1, 0], [6, 3]])),
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("time_months:Q", title="Months"),
                 alt.Tooltip("survival:Q", title="Alive", format=".0%")],
    ).properties(width=width, height=CURVE_HEIGHT, title=alt.Title(
        title_lines("What a registry sees: share alive, operated and not operated patients"), fontSize=13,
        anchor="start"))

    rows = rows[["selection", "hidden", "method", "hr", "ci_low", "ci_high", "label", "label_text", "label_y",
                 "bar_mid", "operated_share"]].assign(
        selection=rows["selection"].round(4), hidden=rows["hidden"].round(4), hr=rows["hr"].round(4),
        ci_low=rows["ci_low"].round(4), ci_high=rows["ci_high"].round(4),
        operated_share=rows["operated_share"].round(3))
    base = alt.Chart(rows).transform_filter(where)

    axis_title = ["Hazard ratio of death, operated against not operated", "(log scale); the truth here is 1"]

    def x(field: str) -> alt.X:
        return _hr_x(field, domain, ticks, axis_title)

    method_colour = alt.Color("method:N", legend=None, scale=alt.Scale(domain=list(METHOD_COLOURS),
                                                                       range=list(METHOD_COLOURS.values())))
    truth = alt.Chart(rows).transform_aggregate(n="count()").mark_rule(
        color=TEXT_COLOUR, strokeWidth=1.5, aria=False).encode(x=alt.X(datum=1, scale=alt.Scale(type="log")))
    labels = _row_labels(base)
    halo = _label_halo(base)  # so that the line of the truth passes behind the labels
    intervals = base.mark_rule(strokeWidth=2).encode(x=x("ci_low"), x2="ci_high:Q", y=alt.Y("bar_mid:Q", scale=None),
                                                     color=method_colour)
    points = base.mark_point(shape="square", filled=True, size=80).encode(
        x=x("hr"), y=alt.Y("bar_mid:Q", scale=None), color=method_colour,
        description=alt.Description("label_text:N"),
        tooltip=[alt.Tooltip("label_text:N", title="Estimate"),
                 alt.Tooltip("operated_share:Q", title="Share operated", format=".0%")])
    forest = alt.layer(truth, intervals, points, halo, labels).properties(
        width=width, height=height, title=alt.Title(title_lines("The same patients, four analyses"), fontSize=13,
                                                    anchor="start"))
    # Two colour scales (groups above, analyses below): independent, or Vega-Lite merges them into one.
    return alt.vconcat(survival, forest, spacing=24).resolve_scale(color="independent").add_params(
        *params).properties(
        autosize=FIT_WIDTH, background=BACKGROUND,
        title=alt.Title("A surgery that does nothing, in a simulated cohort", subtitle=[
            "Simulated patients (not data from any study): surgery has no effect, but the fitter patients "
            "are more likely to be operated.",
            "The sliders set how strongly; the black line marks the truth, a hazard ratio of 1."]),
        description=description,
    )


def _describe(grid_estimates: pd.DataFrame, settings: list[tuple[float, float]]) -> str:
    parts = []
    for selection, hidden in settings:
        rows = grid_estimates[(grid_estimates["selection"] - selection).abs().lt(MATCH)
                              & (grid_estimates["hidden"] - hidden).abs().lt(MATCH)]
        found = "; ".join(f"{r['method']} HR {text.number(r['hr'], 2)}" for _, r in rows.iterrows())
        parts.append(f"at selection {selection:g} and hidden confounding {hidden:g}: {found}")
    return ("Simulated cohort in which surgery of the primary tumour has no effect on survival (true hazard "
            "ratio 1), with two sliders: how strongly the fitter patients are chosen for surgery on measured "
            "factors, and how strongly an unmeasured factor drives both surgery and survival. Top: Kaplan-Meier "
            "curves of operated and not operated patients; bottom: the hazard ratio of surgery from a naive "
            "comparison, a Cox model adjusted for the measured factors, propensity-score weighting, and a "
            "randomised comparison of the same patients. " + "; ".join(parts) + ".")


def lab_chart(result: lab_model.Grid) -> alt.VConcatChart:
    """The lab for the web book: sliders over every setting of ``result`` (:func:`mbcbook.analysis.selection.grid`).

    The sliders' steps are the grids' (evenly spaced from 0 to 1, such as 0, 0.25, ... 1).
    """
    def slider(name: str, values: tuple[float, ...], words: str) -> alt.Parameter:
        step = (max(values) - min(values)) / max(len(values) - 1, 1)
        return alt.param(name=name, value=values[0], bind=alt.binding_range(
            min=min(values), max=max(values), step=step, name=words))

    params = [slider("selection", result.selections, "Selection of the fitter patients (0 none, 1 strong) "),
              slider("hidden", result.hiddens, "Unmeasured confounder (0 none, 1 strong) ")]
    where = f"abs(datum.selection - selection) < {MATCH} && abs(datum.hidden - hidden) < {MATCH}"
    strongest = (max(result.selections), min(result.hiddens))
    hidden = (max(result.selections), max(result.hiddens))
    description = _describe(result.estimates, [(min(result.selections), min(result.hiddens)), strongest, hidden])
    return _chart(result.estimates, result.curves, params, where, description, "container")


def lab_setting_chart(result: lab_model.Lab, width: int | str = "container") -> alt.VConcatChart:
    """The lab at one setting (the live notebook's chart), from :func:`mbcbook.analysis.selection.lab`."""
    estimates = result.estimates.assign(selection=result.selection, hidden=result.hidden)
    curves = result.curves.assign(selection=result.selection, hidden=result.hidden)
    description = _describe(estimates, [(result.selection, result.hidden)])
    return _chart(estimates, curves, [], "true", description, width)


def lab_table(result: lab_model.Grid) -> pd.DataFrame:
    """The text alternative's table: every setting's four estimates, with the share operated."""
    frame = result.estimates
    return pd.DataFrame({
        "Selection": [f"{v:g}" for v in frame["selection"]],
        "Unmeasured confounder": [f"{v:.2g}" for v in frame["hidden"]],
        "Analysis": frame["label"],
        "Hazard ratio (95% CI)": [f"{text.number(r['hr'], 2)} ({text.number(r['ci_low'], 2)}–"
                                  f"{text.number(r['ci_high'], 2)})" for _, r in frame.iterrows()],
        "Share operated": [f"{v:.0%}" for v in frame["operated_share"]],
    })


def show_lab(result: lab_model.Grid) -> None:
    """Display the lab with its text alternative (description and data table) under it."""
    from .alt_text import show

    show(lab_chart(result), lab_table(result),
         "The selection-bias lab at every setting of its sliders (simulated with mbcbook.analysis.selection)")
