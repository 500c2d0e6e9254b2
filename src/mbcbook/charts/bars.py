"""Horizontal bar charts: one bar per row of an evidence table, unconfirmed rows faded.

Each builder takes the evidence table it draws and returns an Altair chart whose
``description`` is its text alternative; the matching ``*_alt_table`` gives the data table
that goes under it. Charts are registered, with their source table and caption, in
:mod:`mbcbook.charts.registry`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..analysis.epidemiology import ROUNDING_EXPRESSION
from ..evidence import text
from .theme import PALETTE, TEXT_COLOUR


def _with_status(label: str, status: str) -> str:
    return label + (text.UNCONFIRMED if status == "unconfirmed" else "")


SCOPE_LABELS = {
    "national": "National figure",
    "multicentre": "Several hospitals",
    "single_centre": "One hospital",
    "meta_analysis": "Pooled studies",
}


def stage_iv_share_table(epidemiology: pd.DataFrame) -> pd.DataFrame:
    """Rows of the stage IV share chart, in the order of ``epidemiology.csv``."""
    rows = []
    for figure_id, row in epidemiology.iterrows():
        period = f", {row['period']}" if isinstance(row["period"], str) else ""
        rows.append({
            "figure_id": figure_id,
            "setting": _with_status(f"{row['setting']}{period}", row["status"]),
            "scope": SCOPE_LABELS[row["scope"]],
            "share": row["share"],
            "share_low": row["share_low"],
            "share_high": row["share_high"],
            "review_printed": row["review_printed"] if isinstance(row["review_printed"], str) else "",
            "review_share_low": row["review_share_low"],
            "review_share_high": row["review_share_high"],
            "status": row["status"],
            "ref": row["ref"],
        })
    return pd.DataFrame(rows)


def stage_iv_share_chart(epidemiology: pd.DataFrame, annual_diagnoses: int = 1000) -> alt.LayerChart:
    """Share of breast cancers that are stage IV at diagnosis, by setting, with two controls.

    A slider sets a number of new breast cancers; each bar is labelled with how many of them its
    share would be (arithmetic, not a local estimate; same rounding as
    :func:`mbcbook.analysis.epidemiology.expected_stage_iv_cases`). A checkbox overlays what the
    review printed for the same settings.
    """
    data = stage_iv_share_table(epidemiology)
    order = list(data["setting"])
    national = data.loc[(data["scope"] == SCOPE_LABELS["national"]) & (data["status"] == "confirmed"), "share"]
    diagnoses = alt.param(
        name="annual_diagnoses", value=annual_diagnoses,
        bind=alt.binding_range(min=100, max=20000, step=100, name="Number of new breast cancers "),
    )
    show_review = alt.param(
        name="show_review", value=False,
        bind=alt.binding_checkbox(name="Show what the review printed "),
    )
    y = alt.Y("setting:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(data).encode(y=y)
    tooltip = [alt.Tooltip("setting:N", title="Setting"), alt.Tooltip("share:Q", format=".1%", title="Share"),
               alt.Tooltip("ref:N", title="Source")]
    bars = base.mark_bar(height={"band": 0.6}).encode(
        x=alt.X("share:Q", title="Stage IV at diagnosis (% of new breast cancers)",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 0.5])),
        color=alt.Color("scope:N", title="Source of the figure",
                        scale=alt.Scale(domain=list(SCOPE_LABELS.values()),
                                        range=[PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"], PALETTE["purple"]])),
        opacity=alt.condition(alt.datum.status == "unconfirmed", alt.value(0.45), alt.value(1.0)),
        tooltip=tooltip,
    )
    intervals = base.mark_rule(color=TEXT_COLOUR, strokeWidth=1.5).encode(
        x="share_low:Q", x2="share_high:Q",
    ).transform_filter("isValid(datum.share_low)")
    expected = base.mark_text(align="left", dx=6).transform_calculate(
        expected=ROUNDING_EXPRESSION.format(share="datum.share", diagnoses="annual_diagnoses"),
        label="'\u2248 ' + format(datum.expected, ',') + ' of ' + format(annual_diagnoses, ',')",
        label_x="isValid(datum.share_high) ? datum.share_high : datum.share",
    ).encode(x="label_x:Q", text="label:N")
    review = base.mark_point(shape="diamond", size=110, filled=True, color=TEXT_COLOUR).encode(
        x="review_share_low:Q",
        opacity=alt.condition(show_review, alt.value(1.0), alt.value(0.0)),
        tooltip=[alt.Tooltip("review_printed:N", title="The review printed")],
    ).transform_filter("isValid(datum.review_share_low)")
    review_range = base.mark_rule(color=TEXT_COLOUR, strokeWidth=3, strokeDash=[4, 2]).encode(
        x="review_share_low:Q", x2="review_share_high:Q",
        opacity=alt.condition(show_review, alt.value(1.0), alt.value(0.0)),
    ).transform_filter("isValid(datum.review_share_low) && datum.review_share_high > datum.review_share_low")
    return (bars + intervals + expected + review + review_range).add_params(diagnoses, show_review).properties(
        width=420,
        height=alt.Step(26),
        title=alt.Title(
            "How many breast cancers are already stage IV at diagnosis",
            subtitle=["Bars: share of new diagnoses; black lines: confidence limits of pooled estimates; "
                      "labels: that share of the number chosen below (arithmetic, not a local estimate).",
                      "Faded bars are unconfirmed figures. Diamonds (when shown): what the review printed."],
        ),
        description=(
            "Horizontal bar chart of the share of new breast cancers that are stage IV at diagnosis: "
            + "; ".join(f"{s}: {text.percent(v)}" for s, v in zip(data["setting"], data["share"]))
            + f". Confirmed national registries report between {text.percent(national.min())} and "
              f"{text.percent(national.max())}; hospital series report more, and a single hospital's "
              "figure is not a national one."
        ),
    )


def stage_iv_alt_table(epidemiology: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`stage_iv_share_chart`, formatted for reading."""
    data = stage_iv_share_table(epidemiology)
    return pd.DataFrame({
        "Setting": data["setting"],
        "Source of the figure": data["scope"],
        "Stage IV at diagnosis": [text.percent(v) for v in data["share"]],
        "95% confidence limits": [text.interval(lo, hi, text.percent) if pd.notna(lo) else ""
                                  for lo, hi in zip(data["share_low"], data["share_high"])],
        "The review printed": data["review_printed"],
        "Status": data["status"],
        "Reference": data["ref"],
    })


POPULATION_SHORT = {"de_novo": "de novo", "synchronous": "synchronous", "recurrent": "recurrent"}
POPULATION_LABELS = {
    "de_novo": "Metastatic at diagnosis",
    "synchronous": "Metastatic at diagnosis",
    "recurrent": "Recurrence after earlier treatment",
}


def survival_trends_table(trends: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for result_id, row in trends.iterrows():
        if row["measure"] == "hr_recurrent_vs_de_novo":
            continue
        rows.append({
            "result_id": result_id,
            "cohort": _with_status(f"{row['study']}: {POPULATION_SHORT[row['population']]}, {row['cohort']}",
                                   row["status"]),
            "population": POPULATION_LABELS[row["population"]],
            "measure": row["measure"],
            "value": row["value"],
            "n_patients": row["n_patients"],
            "status": row["status"],
            "ref": row["ref"],
        })
    return pd.DataFrame(rows)


def survival_trends_chart(trends: pd.DataFrame) -> alt.VConcatChart:
    """Median survival and 3-year survival of metastatic breast cancer by era and presentation."""
    data = survival_trends_table(trends)
    colour = alt.Color("population:N", title="Presentation",
                       scale=alt.Scale(domain=sorted(set(POPULATION_LABELS.values())),
                                       range=[PALETTE["blue"], PALETTE["vermillion"]]))
    opacity = alt.condition(alt.datum.status == "unconfirmed", alt.value(0.45), alt.value(1.0))

    def panel(measure: str, title: str, axis_format: str, label_expr: str, domain) -> alt.LayerChart:
        subset = data[data["measure"] == measure]
        base = alt.Chart(subset).encode(y=alt.Y("cohort:N", sort=list(subset["cohort"]), title=None,
                                                axis=alt.Axis(labelLimit=400)))
        bars = base.mark_bar(height={"band": 0.6}).encode(
            x=alt.X("value:Q", title=title, axis=alt.Axis(format=axis_format), scale=alt.Scale(domain=domain)),
            color=colour, opacity=opacity,
            tooltip=[alt.Tooltip("cohort:N", title="Cohort"), alt.Tooltip("value:Q", title=title),
                     alt.Tooltip("ref:N", title="Source")],
        )
        labels = base.mark_text(align="left", dx=4).transform_calculate(label=label_expr).encode(
            x="value:Q", text="label:N")
        return (bars + labels).properties(width=360, height=alt.Step(30))

    medians = panel("median_os_months", "Median overall survival (months)", "d",
                    "format(datum.value, '.3~') + ' mo'", [0, 70])
    three_year = panel("os_3y", "Alive at 3 years", "%", "format(datum.value, '.0%')", [0, 1])
    return alt.vconcat(medians, three_year, spacing=24).resolve_scale(color="shared").properties(
        title=alt.Title("Survival with metastatic breast cancer, by era and by presentation",
                        subtitle=["Compare bars within a study, not across studies: the cohorts differ.",
                                  "Faded bars are unconfirmed figures (a secondary summary of a recurrent-disease cohort)."]),
        description=(
            "Two bar charts. Top, median overall survival in months: "
            + "; ".join(f"{c}: {text.number(v)} months" for c, v, m in
                        zip(data["cohort"], data["value"], data["measure"]) if m == "median_os_months")
            + ". Bottom, proportion alive at 3 years: "
            + "; ".join(f"{c}: {text.percent(v)}" for c, v, m in
                        zip(data["cohort"], data["value"], data["measure"]) if m == "os_3y")
            + ". Survival is longer in later eras, and longer for disease metastatic at diagnosis than "
              "for recurrent disease."
        ),
    )


def survival_trends_alt_table(trends: pd.DataFrame) -> pd.DataFrame:
    data = survival_trends_table(trends)
    return pd.DataFrame({
        "Cohort": data["cohort"],
        "Presentation": data["population"],
        "Patients": [text.number(n) if pd.notna(n) else "" for n in data["n_patients"]],
        "Figure": [text.months(v) if m == "median_os_months" else f"{text.percent(v)} alive at 3 years"
                   for v, m in zip(data["value"], data["measure"])],
        "Status": data["status"],
        "Reference": data["ref"],
    })
