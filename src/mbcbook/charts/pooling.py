"""Live pooling in the web book: tick trials, see their pooled hazard ratio, its interval and I².

The page cannot compute, so :func:`pooling_chart` carries every answer:
:func:`mbcbook.analysis.pooling.every_subset` pools each selection of trials at build time (by
method, and by reading of ABCSG-28's unstated orientation), and the chart's checkboxes and
radio buttons look the reader's choice up. Each trial's row shows its hazard ratio of surgery
against no surgery, with its interval at the level the trial published; a trial left out is
faded. The pooled result is drawn as a diamond under them, with its 95% interval and the
heterogeneity (Q, I², tau²); fewer than two trials give, in its place, the reason there is
nothing to pool.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from ..analysis import pooling
from ..evidence import text
from .bars import FIT_WIDTH, LINE_HEIGHT, _row_labels, stack_rows, wrap_label
from .forest import _hr_x, _label_halo, log_domain
from .theme import BACKGROUND, PALETTE, TEXT_COLOUR

METHOD_WORDS = {"random": "random effects (DerSimonian-Laird)", "fixed": "fixed effect"}
FADED_ROW = 0.25
DIAMOND_SIZE = 220


def trial_rows(ev, names: dict) -> pd.DataFrame:
    """Each trial's row, under each reading: its HR of surgery against none, with its published interval.

    A ratio published (or read) the other way round is inverted, and its interval with it.
    """
    rows = []
    reports = pooling.overall_survival_reports(ev.effects)
    for reading in pooling.READINGS:
        studies = pooling.trial_studies(ev.effects, reading, names)
        for index, (trial, study) in enumerate(studies.items()):
            row = reports[reports["trial_id"] == trial].iloc[0]
            low, high = float(row["ci_low"]), float(row["ci_high"])
            inverted = study.orientation.endswith("inverted")
            if inverted:
                low, high = 1 / high, 1 / low
            if study.orientation.startswith("read as"):
                how = f" (read as {pooling.READING_WORDS[reading]})"
            else:
                how = " (published the other way round, inverted)" if inverted else ""
            label = (f"{names.get(trial, trial)}{how}: HR {text.number(study.hr, 2)} "
                     f"({text.level(row['ci_level'])} CI {text.number(low, 2)}–{text.number(high, 2)})")
            rows.append({"i": index, "trial": trial, "reading": reading, "hr": study.hr, "low": low, "high": high,
                         "level": text.level(row["ci_level"]), "label_text": label, "ref": row["ref"]})
    frame = pd.DataFrame(rows)
    # Each reading's rows stacked as the book's other forest plots stack theirs: a label on its
    # lines, then its point (columns label, label_y, bar_mid, ...).
    placed = [pd.concat([part.reset_index(drop=True), stack_rows(part["label_text"])[0]], axis=1)
              for _, part in frame.groupby("reading", sort=False)]
    return pd.concat(placed, ignore_index=True)


def result_lines(row: pd.Series | dict) -> list[str]:
    """A pooled result (or why there is none) in words, wrapped for a phone's column.

    Examples
    --------
    >>> result_lines({"message": "Nothing to pool: no trial is chosen.", "hr": float("nan")})
    ['Nothing to pool: no trial is chosen.']
    >>> result_lines({"method": "random", "k": 2, "hr": 0.834, "ci_low": 0.534, "ci_high": 1.302,
    ...               "i2": 0.81, "tau2": 0.09, "q": 5.27, "message": None})[2:]
    ['HR 0.83 (95% CI 0.53–1.30); I² 81%, tau²', '0.090, Q 5.27 on 1 df']
    """
    if isinstance(row.get("message"), str):
        return wrap_label(row["message"])
    head = f"Pooled, {int(row['k'])} trials, {METHOD_WORDS[row['method']]}:"
    body = (f"HR {text.number(row['hr'], 2)} (95% CI {text.number(row['ci_low'], 2)}–"
            f"{text.number(row['ci_high'], 2)}); I² {round(100 * row['i2'])}%, "
            f"tau² {row['tau2']:.3f}, Q {row['q']:.2f} on {int(row['k']) - 1} df")
    return wrap_label(head) + wrap_label(body)


def pooled_rows(ev, names: dict) -> pd.DataFrame:
    """Every subset's pooled result, with its words, for the page to look up."""
    grid = pooling.every_subset({r: pooling.trial_studies(ev.effects, r, names) for r in pooling.READINGS})
    grid["lines"] = [result_lines(row) for _, row in grid.iterrows()]
    return grid


def _compact(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows for the page, numbers rounded to 4 significant digits (the page shows 2 or 3)."""
    records = []
    for record in frame[columns].to_dict("records"):
        records.append({k: (float(f"{v:.4g}") if isinstance(v, float) and math.isfinite(v) else
                            (None if isinstance(v, float) else v)) for k, v in record.items()})
    return records


def pooling_chart(ev, names: dict, trials_order: list[str] | None = None) -> alt.LayerChart:
    """The pooling tool for the web book: a checkbox per trial, the method and the reading, all looked up.

    Parameters
    ----------
    ev : mbcbook.evidence.Evidence
        The evidence tables.
    names : dict
        Each trial's name, by trial id.

    Returns
    -------
    altair.LayerChart
        Its ``description`` is its text alternative.
    """
    rows = trial_rows(ev, names)
    grid = pooled_rows(ev, names)
    trials = list(dict.fromkeys(rows["trial"]))
    picks = [alt.param(name=f"pick_{i}", value=True, bind=alt.binding_checkbox(name=f"{names.get(t, t)} "))
             for i, t in enumerate(trials)]
    method = alt.param(name="method", value="random", bind=alt.binding_radio(
        options=list(pooling.METHODS[::-1]), labels=["random effects", "fixed effect"], name="Pooling "))
    readings = list(pooling.READINGS)
    reading = alt.param(name="reading", value=readings[0], bind=alt.binding_radio(
        options=readings, labels=[pooling.READING_WORDS[r] for r in readings],
        name="Read an HR with no stated reference as "))
    key = " + ".join(f"(pick_{i} ? '1' : '0')" for i in range(len(trials)))
    picked = " : ".join(f"datum.i == {i} ? pick_{i}" for i in range(len(trials))) + " : false"
    pooled_top = max(stack_rows(part["label_text"])[1] for _, part in rows.groupby("reading")) + 12
    lines = max(len(v) for v in grid["lines"])
    diamond_y = pooled_top + lines * LINE_HEIGHT + 10
    height = diamond_y + 16
    domain, ticks = log_domain(pd.concat([rows["low"], rows["high"], grid["ci_low"], grid["ci_high"]]))
    axis_title = ["Hazard ratio of death (log scale),", "surgery against none;", "below 1 favours surgery"]

    def x(field: str) -> alt.X:
        return _hr_x(field, domain, ticks, axis_title)

    trial_data = alt.Data(name="pooling_trials")
    base = alt.Chart(trial_data).transform_filter("datum.reading == reading").transform_calculate(picked=picked)
    opacity = alt.condition("datum.picked", alt.value(1.0), alt.value(FADED_ROW))
    labels = _row_labels(base).encode(opacity=opacity)
    halo = _label_halo(base)  # so that the rule at HR 1 passes behind the labels
    intervals = base.mark_rule(strokeWidth=2, color=PALETTE["blue"]).encode(
        x=x("low"), x2="high:Q",
        y=alt.Y("bar_mid:Q", scale=None), opacity=opacity)
    points = base.mark_point(shape="square", filled=True, size=80, color=PALETTE["blue"]).encode(
        x=x("hr"), y=alt.Y("bar_mid:Q", scale=None), opacity=opacity,
        tooltip=[alt.Tooltip("trial:N", title="Trial"), alt.Tooltip("hr:Q", title="HR", format=".2f"),
                 alt.Tooltip("level:N", title="Interval level"), alt.Tooltip("ref:N", title="Source")])
    no_difference = alt.Chart(trial_data).transform_aggregate(n="count()").mark_rule(
        color=PALETTE["grey"], strokeDash=[4, 3], aria=False).encode(x=alt.X(datum=1, scale=alt.Scale(type="log")))

    pooled_data = alt.Data(name="pooling_results")
    chosen = alt.Chart(pooled_data).transform_filter(
        f"datum.key == ({key}) && datum.method == method && datum.reading == reading")
    pooled_text = chosen.mark_text(align="left", baseline="top", lineHeight=LINE_HEIGHT, fontWeight="bold",
                                   color=TEXT_COLOUR).encode(
        x=alt.value(0), y=alt.value(pooled_top), text="lines:N").properties(name="pooled_result")
    pooled_halo = chosen.mark_text(align="left", baseline="top", lineHeight=LINE_HEIGHT, fontWeight="bold",
                                   color=BACKGROUND, stroke=BACKGROUND, strokeWidth=4, strokeJoin="round",
                                   aria=False).encode(x=alt.value(0), y=alt.value(pooled_top), text="lines:N")
    has_result = chosen.transform_filter("isValid(datum.hr)")
    pooled_ci = has_result.mark_rule(strokeWidth=2, color=PALETTE["vermillion"]).encode(
        x=x("ci_low"), x2="ci_high:Q",
        y=alt.value(diamond_y))
    pooled_point = has_result.mark_point(shape="diamond", filled=True, size=DIAMOND_SIZE,
                                         color=PALETTE["vermillion"]).encode(
        x=x("hr"), y=alt.value(diamond_y),
        tooltip=[alt.Tooltip("hr:Q", title="Pooled HR", format=".2f"),
                 alt.Tooltip("ci_low:Q", title="95% CI from", format=".2f"),
                 alt.Tooltip("ci_high:Q", title="95% CI to", format=".2f"),
                 alt.Tooltip("i2:Q", title="I²", format=".0%")])
    every = grid[(grid["k"] == len(trials)) & (grid["reading"] == readings[0])]
    summary = "; ".join(" ".join(result_lines(r)) for _, r in every.iterrows())
    return alt.layer(no_difference, intervals, points, halo, labels, pooled_ci, pooled_point, pooled_halo,
                     pooled_text).add_params(
        method, reading, *picks).properties(
        width="container", height=height, autosize=FIT_WIDTH, background=BACKGROUND,
        datasets={"pooling_trials": _compact(rows, ["i", "trial", "reading", "hr", "low", "high", "level", "label",
                                                    "label_y", "bar_mid", "ref"]),
                  "pooling_results": _compact(grid, ["key", "method", "reading", "k", "hr", "ci_low", "ci_high",
                                                     "lines"])},
        title=alt.Title("Pool the randomised trials yourself", subtitle=[
            "Tick the trials to pool; each row: a trial's HR of surgery against none,",
            "its interval at the level the trial published. Diamond: the pooled HR, 95% CI."]),
        description=(
            "Forest plot with a checkbox for each randomised trial, a choice of fixed-effect or random-effects "
            "pooling, and a choice of how to read a hazard ratio whose paper does not name its reference arm. "
            "Trials: " + "; ".join(rows.loc[rows["reading"] == readings[0], "label_text"])
            + f". With every trial ticked and an unstated orientation read as "
            f"{pooling.READING_WORDS[readings[0]]}: {summary}."
        ),
    )


def pooling_table(ev, names: dict) -> pd.DataFrame:
    """The text alternative's table: each trial's row, then every trial pooled, by method and reading."""
    rows = trial_rows(ev, names)
    grid = pooled_rows(ev, names)
    trial_part = [{"Row": r["label_text"], "Reading of an unstated orientation": pooling.READING_WORDS[
        r["reading"]]} for _, r in rows.iterrows()]
    every = grid[grid["k"] == grid["k"].max()]
    pooled_part = [{"Row": " ".join(result_lines(r)), "Reading of an unstated orientation": pooling.READING_WORDS[
        r["reading"]]} for _, r in every.iterrows()]
    return pd.DataFrame(trial_part + pooled_part)


def show_pooling(ev, names: dict) -> None:
    """Display the pooling tool with its text alternative (description and data table) under it."""
    from .alt_text import show

    show(pooling_chart(ev, names), pooling_table(ev, names),
         "Each trial's hazard ratio and every trial pooled (data/effects.csv; pooled with statsmodels)")
