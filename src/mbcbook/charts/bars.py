"""Horizontal bar charts: one bar per row of an evidence table, unconfirmed rows faded.

Each builder takes the evidence table it draws and returns an Altair chart whose
``description`` is its text alternative; the matching ``*_alt_table`` gives the data table
that goes under it. Charts are registered, with their source table and caption, in
:mod:`mbcbook.charts.registry`.

Every chart takes its width from the page column (``width="container"``, fitted with its
padding) and puts each row's label on its own lines above its bar: beside the bar, a long label
("United States (SEER 18 registries), 2007-2013") would leave no room for the bar in the
column of a phone. Labels are wrapped at :data:`LABEL_CHARS` characters, so that the longest
line fits a 360 px wide phone at 12 px; the rows are stacked, in pixels, by :func:`stack_rows`.
Each row of a chart's data carries its shown ``label`` and its ``status``.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from ..analysis.epidemiology import ROUNDING_EXPRESSION
from ..errors import ChartError
from ..evidence import text
from .theme import PALETTE, TEXT_COLOUR

#: Longest line of a row label: at 12 px, 45 characters take about 280 px (300 at most), and the
#: column of a 360 px wide phone is 328 px.
LABEL_CHARS = 45
LINE_HEIGHT = 15  # px between the lines of a label (12 px text)
LABEL_GAP = 3  # px between a label and its bar
BAR_HEIGHT = 14
ROW_GAP = 13  # px between a bar and the next row's label
FADED = 0.45  # opacity of the bars of unconfirmed rows
#: Fit the chart to the width of its container, padding (axes, legend) included.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _x_encoding(field: str, title: str | list[str], axis_format: str, domain: list[float], room: int) -> alt.X:
    """The x axis of a bar chart, leaving ``room`` px at the right of the plot for bar labels.

    Labels beyond the plot would make Vega narrow the plot to fit them in the column, which
    moves them, so that it never settles; kept inside the plot, they cannot stick out.
    """
    span = f"max(width - {room}, 60)"
    return alt.X(f"{field}:Q", title=title, scale=alt.Scale(domain=domain, range=[0, {"expr": span}]),
                 axis=alt.Axis(format=axis_format, titleAnchor="start",
                               tickCount={"expr": f"max(2, floor(({span}) / 55))"}))


def wrap_label(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A row label broken into lines of at most ``width`` characters, between words.

    Parameters
    ----------
    label : str
        The label as it is read, on one line.
    width : int, default :data:`LABEL_CHARS`
        The longest line, in characters.

    Returns
    -------
    list of str
        Its lines; joined with spaces they give ``label`` back.

    Examples
    --------
    >>> wrap_label("Giordano et al. 2004: recurrent, 1974-1979 (unconfirmed)")
    ['Giordano et al. 2004: recurrent, 1974-1979', '(unconfirmed)']
    """
    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [label]


def stack_rows(labels: Iterable[str]) -> tuple[pd.DataFrame, int]:
    """Vertical positions, in pixels from the top of the plot, of rows labelled above their bars.

    Parameters
    ----------
    labels : iterable of str
        The rows' labels, top row first.

    Returns
    -------
    rows : pandas.DataFrame
        One row per label: ``label`` (its lines, see :func:`wrap_label`), ``label_y`` (top of
        its first line), ``bar_top``, ``bar_mid`` and ``bar_bottom``.
    height : int
        Height of the plot that holds them.
    """
    rows, top = [], 0
    for label in labels:
        lines = wrap_label(label)
        bar_top = top + len(lines) * LINE_HEIGHT + LABEL_GAP
        rows.append({"label": lines, "label_y": top, "bar_top": bar_top,
                     "bar_mid": bar_top + BAR_HEIGHT / 2, "bar_bottom": bar_top + BAR_HEIGHT})
        top = bar_top + BAR_HEIGHT + ROW_GAP
    return pd.DataFrame(rows), max(top - ROW_GAP + LABEL_GAP, 0)


def _with_rows(data: pd.DataFrame, label_column: str) -> tuple[pd.DataFrame, int]:
    rows, height = stack_rows(data[label_column])
    return pd.concat([data.reset_index(drop=True), rows], axis=1), height


def _row_labels(base: alt.Chart) -> alt.Chart:
    """Each row's label, on its lines, above its bar at the left edge of the plot."""
    # Hidden from screen readers: the bar's own description names its row.
    return base.mark_text(align="left", baseline="top", lineHeight=LINE_HEIGHT, color=TEXT_COLOUR,
                          aria=False).encode(
        x=alt.value(0), y=alt.Y("label_y:Q", scale=None), text=alt.Text("label:N"),
    )


def _bar_y() -> dict:
    return {"y": alt.Y("bar_top:Q", scale=None), "y2": alt.Y2("bar_bottom:Q")}


def _described(layer: alt.Chart, expression: str) -> alt.Chart:
    """``layer`` with each mark's accessible description given by a Vega ``expression``.

    Without it, Vega-Lite would describe each mark by its encoded fields, pixel positions included.
    """
    return layer.transform_calculate(mark_description=expression).encode(description="mark_description:N")


def _fade_unconfirmed() -> alt.OpacityValue:
    return alt.condition(alt.datum.status == "unconfirmed", alt.value(FADED), alt.value(1.0))


SCOPE_LABELS = {
    "national": "National figure",
    "multicentre": "Several hospitals",
    "single_centre": "One hospital",
    "meta_analysis": "Pooled studies",
}


def _require_rows(table: pd.DataFrame, name: str) -> None:
    if len(table) == 0:
        raise ChartError(f"the {name} table has no rows: there is nothing to draw")


def _shares(data: pd.DataFrame) -> list[str]:
    """Each setting's share in words; a source that publishes only a range gives its range."""
    return [text.percent(share) if pd.notna(share) else text.interval(low, high, text.percent)
            for share, low, high in zip(data["share"], data["share_low"], data["share_high"], strict=True)]


def stage_iv_share_table(epidemiology: pd.DataFrame) -> pd.DataFrame:
    """Rows of the stage IV share chart, in the order of ``epidemiology.csv``.

    Parameters
    ----------
    epidemiology : pandas.DataFrame
        The ``epidemiology`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per setting: its label ``setting`` (marked "(unconfirmed)" when it is), the
        source of the figure ``scope``, the shares, the status and the reference.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table has no rows.
    """
    _require_rows(epidemiology, "epidemiology")
    rows = []
    for figure_id, row in epidemiology.iterrows():
        period = f", {row['period']}" if isinstance(row["period"], str) else ""
        rows.append({
            "figure_id": figure_id,
            "setting": text.with_status(f"{row['setting']}{period}", row["status"]),
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

    Parameters
    ----------
    epidemiology : pandas.DataFrame
        The ``epidemiology`` evidence table.
    annual_diagnoses : int, default 1000
        Where the slider starts.

    Returns
    -------
    altair.LayerChart
        The chart, as wide as its container; its ``description`` is its text alternative.
    """
    data = stage_iv_share_table(epidemiology)
    national = data.loc[(data["scope"] == SCOPE_LABELS["national"]) & (data["status"] == "confirmed"), "share"]
    diagnoses = alt.param(
        name="annual_diagnoses", value=annual_diagnoses,
        bind=alt.binding_range(min=100, max=20000, step=100, name="Number of new breast cancers "),
    )
    show_review = alt.param(
        name="show_review", value=False,
        bind=alt.binding_checkbox(name="Show what the review printed "),
    )
    rows, height = _with_rows(data, "setting")
    base = alt.Chart(rows)
    tooltip = [alt.Tooltip("setting:N", title="Setting"), alt.Tooltip("share:Q", format=".1%", title="Share"),
               alt.Tooltip("ref:N", title="Source")]
    palette = [PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"], PALETTE["purple"]]
    bars = _described(base.mark_bar(), "'Stage IV at diagnosis (% of new breast cancers): ' + format(datum.share, '%')"
                      " + '; setting: ' + datum.setting + '; Source of the figure: ' + datum.scope"
                      " + '; Source: ' + datum.ref").encode(
        # Room for the longest count, "≈ 8,800 of 20,000", after the longest bar.
        x=_x_encoding("share", ["Stage IV at diagnosis", "(% of new breast cancers)"], "%", [0, 0.5], room=120),
        x2=alt.datum(0),
        **_bar_y(),
        color=alt.Color("scope:N", title="Source of the figure",
                        scale=alt.Scale(domain=list(SCOPE_LABELS.values()), range=palette),
                        legend=alt.Legend(columns={"expr": "width < 480 ? 2 : 4"})),
        opacity=_fade_unconfirmed(),
        tooltip=tooltip,
    )
    middle = alt.Y("bar_mid:Q", scale=None)
    intervals = _described(base.mark_rule(color=TEXT_COLOUR, strokeWidth=1.5),
                           "datum.setting + ': confidence limits ' + format(datum.share_low, '.1%') + ' to '"
                           " + format(datum.share_high, '.1%')").encode(
        x="share_low:Q", x2="share_high:Q", y=middle,
    ).transform_filter("isValid(datum.share_low)")
    count = ROUNDING_EXPRESSION.format(share="{}", diagnoses="annual_diagnoses")
    expected = base.mark_text(align="left", baseline="middle", dx=6).transform_calculate(
        # A source that publishes only a range gets the counts at its two limits.
        label_text=("'\u2248 ' + (isValid(datum.share) ? format(" + count.format("datum.share") + ", ',') : "
                    "format(" + count.format("datum.share_low") + ", ',') + '\u2013' + format("
                    + count.format("datum.share_high") + ", ',')) + ' of ' + format(annual_diagnoses, ',')"),
        label_x="isValid(datum.share_high) ? datum.share_high : datum.share",
        mark_description="datum.setting + ': ' + datum.label_text",
    ).encode(x="label_x:Q", y=middle, text="label_text:N", description="mark_description:N")
    review = _described(base.mark_point(shape="diamond", size=110, filled=True, color=TEXT_COLOUR),
                        "datum.setting + ': the review printed ' + datum.review_printed").encode(
        x="review_share_low:Q", y=middle,
        opacity=alt.condition(show_review, alt.value(1.0), alt.value(0.0)),
        tooltip=[alt.Tooltip("review_printed:N", title="The review printed")],
    ).transform_filter("isValid(datum.review_share_low)")
    review_range = base.mark_rule(color=TEXT_COLOUR, strokeWidth=3, strokeDash=[4, 2], aria=False).encode(
        x="review_share_low:Q", x2="review_share_high:Q", y=middle,
        opacity=alt.condition(show_review, alt.value(1.0), alt.value(0.0)),
    ).transform_filter("isValid(datum.review_share_low) && datum.review_share_high > datum.review_share_low")
    layers = bars + intervals + _row_labels(base) + expected + review + review_range
    return layers.add_params(diagnoses, show_review).properties(
        width="container",
        height=height,
        autosize=FIT_WIDTH,
        title=alt.Title(
            "How many breast cancers are already stage IV at diagnosis",
            subtitle=["Bars: share of new diagnoses; black lines: confidence limits of pooled estimates; "
                      "labels: that share of the number chosen below (arithmetic, not a local estimate).",
                      "Faded bars are unconfirmed figures. Diamonds (when shown): what the review printed."],
        ),
        description=(
            "Horizontal bar chart of the share of new breast cancers that are stage IV at diagnosis: "
            + "; ".join(f"{setting}: {share}" for setting, share in zip(data["setting"], _shares(data), strict=True))
            + (f". Confirmed national registries report between {text.percent(national.min())} and "
               f"{text.percent(national.max())}; hospital series report more, and a single hospital's "
               "figure is not a national one." if len(national) else ".")
        ),
    )


def stage_iv_alt_table(epidemiology: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`stage_iv_share_chart`, formatted for reading.

    Parameters
    ----------
    epidemiology : pandas.DataFrame
        The ``epidemiology`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per bar of the chart, in the same order.
    """
    data = stage_iv_share_table(epidemiology)
    return pd.DataFrame({
        "Setting": data["setting"],
        "Source of the figure": data["scope"],
        "Stage IV at diagnosis": _shares(data),
        "95% confidence limits": [text.interval(lo, hi, text.percent) if pd.notna(lo) else ""
                                  for lo, hi in zip(data["share_low"], data["share_high"], strict=True)],
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
    """Rows of the survival trends chart: one per cohort and survival measure.

    Parameters
    ----------
    trends : pandas.DataFrame
        The ``survival_trends`` evidence table.

    Returns
    -------
    pandas.DataFrame
        Its median and 3-year survival rows (hazard ratios left out), with the label ``cohort``
        (marked "(unconfirmed)" when it is), the presentation, the measure and its value.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table holds no median or 3-year survival (hazard ratios are not drawn).
    """
    rows = []
    for result_id, row in trends.iterrows():
        if row["measure"] == "hr_recurrent_vs_de_novo":
            continue
        rows.append({
            "result_id": result_id,
            "cohort": text.with_status(f"{row['study']}: {POPULATION_SHORT[row['population']]}, {row['cohort']}",
                                   row["status"]),
            "population": POPULATION_LABELS[row["population"]],
            "measure": row["measure"],
            "value": row["value"],
            "n_patients": row["n_patients"],
            "status": row["status"],
            "ref": row["ref"],
        })
    if not rows:
        raise ChartError("the survival_trends table has no median or 3-year survival to draw")
    return pd.DataFrame(rows)


def _survival_panel(data: pd.DataFrame, measure: str, title: str, axis_format: str, label_expr: str,
                    domain: list[float], colour: alt.Color) -> alt.LayerChart:
    rows, height = _with_rows(data[data["measure"] == measure], "cohort")
    base = alt.Chart(rows)
    bars = _described(base.mark_bar(), f"'{title}: ' + {label_expr} + '; cohort: ' + datum.cohort"
                      " + '; Presentation: ' + datum.population + '; Source: ' + datum.ref").encode(
        x=_x_encoding("value", title, axis_format, domain, room=50),
        x2=alt.datum(0),
        **_bar_y(),
        color=colour, opacity=_fade_unconfirmed(),
        tooltip=[alt.Tooltip("cohort:N", title="Cohort"), alt.Tooltip("value:Q", title=title),
                 alt.Tooltip("ref:N", title="Source")],
    )
    values = base.mark_text(align="left", baseline="middle", dx=4).transform_calculate(
        value_text=label_expr, mark_description="datum.cohort + ': ' + datum.value_text",
    ).encode(x="value:Q", y=alt.Y("bar_mid:Q", scale=None), text="value_text:N", description="mark_description:N")
    return (bars + _row_labels(base) + values).properties(width="container", height=height)


def survival_trends_chart(trends: pd.DataFrame) -> alt.VConcatChart:
    """Median survival and 3-year survival of metastatic breast cancer by era and presentation.

    Parameters
    ----------
    trends : pandas.DataFrame
        The ``survival_trends`` evidence table.

    Returns
    -------
    altair.VConcatChart
        Two panels, one above the other, as wide as their container; the chart's
        ``description`` is its text alternative.
    """
    data = survival_trends_table(trends)
    colour = alt.Color("population:N", title="Presentation",
                       scale=alt.Scale(domain=sorted(set(POPULATION_LABELS.values())),
                                       range=[PALETTE["blue"], PALETTE["vermillion"]]),
                       legend=alt.Legend(columns={"expr": "width < 480 ? 1 : 2"}))
    medians = _survival_panel(data, "median_os_months", "Median overall survival (months)", "d",
                              "format(datum.value, '.3~') + ' mo'", [0, 70], colour)
    three_year = _survival_panel(data, "os_3y", "Alive at 3 years", "%", "format(datum.value, '.0%')", [0, 1],
                                 colour)
    by_measure = list(zip(data["cohort"], data["value"], data["measure"], strict=True))
    return alt.vconcat(medians, three_year, spacing=24).resolve_scale(color="shared").properties(
        autosize=FIT_WIDTH,
        title=alt.Title("Survival with metastatic breast cancer, by era and by presentation",
                        subtitle=["Compare bars within a study, not across studies: the cohorts differ.",
                                  "Faded bars are unconfirmed figures (a secondary summary of a recurrent-disease "
                                  "cohort)."]),
        description=(
            "Two bar charts. Top, median overall survival in months: "
            + "; ".join(f"{c}: {text.number(v)} months" for c, v, m in by_measure if m == "median_os_months")
            + ". Bottom, proportion alive at 3 years: "
            + "; ".join(f"{c}: {text.percent(v)}" for c, v, m in by_measure if m == "os_3y")
            + ". Survival is longer in later eras, and longer for disease metastatic at diagnosis than "
              "for recurrent disease."
        ),
    )


def survival_trends_alt_table(trends: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`survival_trends_chart`, formatted for reading.

    Parameters
    ----------
    trends : pandas.DataFrame
        The ``survival_trends`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per bar of the chart: cohort, presentation, patients, figure, status, reference.
    """
    data = survival_trends_table(trends)
    return pd.DataFrame({
        "Cohort": data["cohort"],
        "Presentation": data["population"],
        "Patients": [text.number(n) if pd.notna(n) else "" for n in data["n_patients"]],
        "Figure": [text.months(v) if m == "median_os_months" else f"{text.percent(v)} alive at 3 years"
                   for v, m in zip(data["value"], data["measure"], strict=True)],
        "Status": data["status"],
        "Reference": data["ref"],
    })


# ------------------------------------------------------------------ TBCRC 013: Recurrence Score groups

#: The rows of :func:`recurrence_score_groups_chart` (TBCRC 013), lowest score first: the count of
#: each group, with the published share of the same group in the row ``<id>-share``.
RECURRENCE_SCORE_GROUPS = ("tbcrc013-rs-low", "tbcrc013-rs-intermediate", "tbcrc013-rs-high")
#: The row that counts the patients with a score (the denominator of the shares).
RECURRENCE_SCORE_SCORED = "tbcrc013-rs-scored"
SHARE_SUFFIX = "-share"
RISK_COLOURS = [PALETTE["blue"], PALETTE["purple"], PALETTE["vermillion"]]


def _worst(*statuses: str) -> str:
    """``unconfirmed`` when any of the figures a row combines is."""
    return "unconfirmed" if "unconfirmed" in statuses else "confirmed"


def recurrence_score_groups_table(results: pd.DataFrame) -> pd.DataFrame:
    """Rows of the Recurrence Score chart: each score group's count, its share and the published share.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``observational_results`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per group of :data:`RECURRENCE_SCORE_GROUPS`, lowest first: ``group``, ``count``,
        ``scored`` (patients with a score), ``share`` (count / scored, a proportion),
        ``published_share`` (NaN when the table has no ``<id>-share`` row), ``group_label`` (marked
        "(unconfirmed)" when any figure it combines is), ``status`` and ``ref``.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table has no rows, or lacks a group's count or the number of patients scored.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> rows = recurrence_score_groups_table(evidence.load().observational_results)
    >>> rows["group"].tolist(), int(rows["count"].sum()) == int(rows["scored"].iloc[0])
    (['Low', 'Intermediate', 'High'], True)
    """
    _require_rows(results, "observational_results")
    missing = [row_id for row_id in (*RECURRENCE_SCORE_GROUPS, RECURRENCE_SCORE_SCORED) if row_id not in results.index]
    if missing:
        raise ChartError(f"the observational_results table has no row {', '.join(missing)}: nothing to draw")
    scored = results.loc[RECURRENCE_SCORE_SCORED]
    rows = []
    for row_id in RECURRENCE_SCORE_GROUPS:
        row = results.loc[row_id]
        published = results.loc[row_id + SHARE_SUFFIX] if row_id + SHARE_SUFFIX in results.index else None
        status = _worst(row["status"], scored["status"], *([published["status"]] if published is not None else []))
        count, total = int(row["value"]), int(scored["value"])
        rows.append({
            "result_id": row_id,
            "group": row["group"],
            "count": count,
            "scored": total,
            "share": count / total,
            "published_share": published["value"] if published is not None else math.nan,
            "group_label": text.with_status(f"{row['group']} score: {count} of {total} patients", status),
            "status": status,
            "ref": row["ref"],
        })
    return pd.DataFrame(rows)


def _share_words(share: float) -> str:
    """A share computed from counts, to one decimal: 0.2178 -> '21.8%'."""
    return f"{share * 100:.1f}%"


def _published_words(published: float) -> str:
    return text.percent(published) if pd.notna(published) else "not published"


def recurrence_score_groups_chart(results: pd.DataFrame) -> alt.LayerChart:
    """TBCRC 013: how the patients with a 21-gene Recurrence Score fell into its three groups.

    Each bar is a group's share of the patients scored, computed from the counts; a diamond marks
    the percentage the paper published for the same group, so that a reader sees where the two
    differ.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``observational_results`` evidence table.

    Returns
    -------
    altair.LayerChart
        The chart, as wide as its container; its ``description`` is its text alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> spec = recurrence_score_groups_chart(evidence.load().observational_results).to_dict()
    >>> spec["description"].startswith("Horizontal bar chart of the 21-gene Recurrence Score groups")
    True
    """
    data = recurrence_score_groups_table(results)
    data["share_text"] = [_share_words(s) for s in data["share"]]
    data["published_text"] = [_published_words(p) for p in data["published_share"]]
    # The value is written after the bar or the diamond, whichever ends further right.
    data["text_x"] = data[["share", "published_share"]].max(axis=1, skipna=True)
    rows, height = _with_rows(data, "group_label")
    base = alt.Chart(rows)
    top = max(data["share"].max(), data["published_share"].max(skipna=True) if data["published_share"].notna().any()
              else 0)
    domain = [0, math.ceil(top * 10) / 10 + 0.1]
    colour = alt.Color("group:N", scale=alt.Scale(domain=list(data["group"]), range=RISK_COLOURS), legend=None)
    tooltip = [alt.Tooltip("group_label:N", title="Group"), alt.Tooltip("share_text:N", title="From the counts"),
               alt.Tooltip("published_text:N", title="Published"), alt.Tooltip("ref:N", title="Source")]
    bars = _described(base.mark_bar(), "datum.group_label + ': ' + datum.share_text + ' of the patients scored, "
                      "from the counts; published as ' + datum.published_text").encode(
        x=_x_encoding("share", ["Share of the patients with a score", "(% computed from the counts)"], "%",
                      domain, room=50),
        x2=alt.datum(0), **_bar_y(), color=colour, opacity=_fade_unconfirmed(), tooltip=tooltip,
    )
    middle = alt.Y("bar_mid:Q", scale=None)
    values = base.mark_text(align="left", baseline="middle", dx=9, color=TEXT_COLOUR).transform_calculate(
        mark_description="datum.group_label + ': ' + datum.share_text",
    ).encode(x="text_x:Q", y=middle, text="share_text:N", description="mark_description:N")
    published = _described(base.mark_point(shape="diamond", size=90, filled=True, color=TEXT_COLOUR, stroke="white",
                                            strokeWidth=1),
                           "datum.group_label + ': published as ' + datum.published_text").encode(
        x="published_share:Q", y=middle, opacity=_fade_unconfirmed(), tooltip=tooltip,
    ).transform_filter("isValid(datum.published_share)")
    layers = [bars, _row_labels(base), values]
    if data["published_share"].notna().any():  # an empty layer would be an unlabelled image to a screen reader
        layers.append(published)
    differences = (data["share"] - data["published_share"]).abs().dropna()
    if len(differences) and differences.max() >= 0.005:
        agreement = (f" Computed from the counts, the shares differ from the published percentages by up to "
                     f"{differences.max() * 100:.1f} percentage points.")
    elif len(differences):
        agreement = " The shares computed from the counts agree with the published percentages."
    else:
        agreement = ""
    largest = data.loc[data["share"].idxmax()]
    return alt.layer(*layers).properties(
        width="container",
        height=height,
        autosize=FIT_WIDTH,
        title=alt.Title(
            "TBCRC 013: 21-gene Recurrence Score groups",
            subtitle=[f"Patients with de novo stage IV breast cancer and a score ({int(data['scored'].iloc[0])}).",
                      "Bars: share computed from the counts; diamonds: percentage published.",
                      "A prognostic grouping: it says nothing about who benefits from surgery."],
        ),
        description=(
            "Horizontal bar chart of the 21-gene Recurrence Score groups of the patients with a score in the "
            "TBCRC 013 registry: "
            + "; ".join(f"{label}: {share} from the counts, published as {published}"
                        for label, share, published in zip(data["group_label"], data["share_text"],
                                                           data["published_text"], strict=True))
            + f". The largest group is the {largest['group'].lower()} score group." + agreement
        ),
    )


def recurrence_score_groups_alt_table(results: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`recurrence_score_groups_chart`, formatted for reading.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``observational_results`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per bar of the chart, in the same order.
    """
    data = recurrence_score_groups_table(results)
    return pd.DataFrame({
        "Score group": data["group_label"],
        "Patients": data["count"].map(text.number),
        "Patients with a score": data["scored"].map(text.number),
        "Share (from the counts)": data["share"].map(_share_words),
        "Share (as published)": data["published_share"].map(_published_words),
        "Status": data["status"],
        "Reference": data["ref"],
    })
