"""Forest plots: one hazard ratio per row, drawn as a point and its confidence interval as a line.

Each builder takes the evidence table it draws and returns an Altair chart whose
``description`` is its text alternative; the matching ``*_alt_table`` gives the data table
that goes under it. Charts are registered, with their source table and caption, in
:mod:`mbcbook.charts.registry`.

The rows are laid out as the bar charts of :mod:`~mbcbook.charts.bars` lay theirs out, so that a
360 px wide phone holds them: each row's label on its own lines above its point, wrapped at
:data:`~mbcbook.charts.bars.LABEL_CHARS` characters. The label gives the hazard ratio with its
interval and the interval's confidence level as published ("HR 0.86 (90% CI 0.69–1.07)"), so
that a 90% interval is never read as a 95% one; a row whose interval is not published (or not
confirmed) is drawn as a point alone and says so. The x axis is logarithmic (an HR of 0.5 lies
as far below 1 as 2 lies above it), and a dashed rule marks an HR of 1, no difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import altair as alt
import pandas as pd

from ..errors import ChartError
from ..evidence import text
from .bars import (
    FIT_WIDTH,
    LINE_HEIGHT,
    _bar_y,
    _described,
    _fade_unconfirmed,
    _require_rows,
    _row_labels,
    _with_rows,
    _x_encoding,
    wrap_label,
)
from .theme import BACKGROUND, PALETTE, TEXT_COLOUR

#: Where a hazard-ratio axis may end, and the ticks it shows between its ends.
LOG_TICKS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20)
#: What a row says in place of an interval that was not published, or could not be confirmed.
NO_INTERVAL = "CI not published/confirmed"
POINT_SIZE = 80
PANEL_TITLE = {"anchor": "start", "fontSize": 13, "offset": 6}
BELOW_ONE = "below 1: lower hazard with surgery of the primary"
#: Longest line of a panel title (13 px) or an axis title (12 px, bold): about 300 px, so that the
#: column of a 360 px wide phone holds it.
TITLE_CHARS = 38


def title_lines(title: str | list[str] | None) -> list[str] | None:
    """A panel or axis title broken into lines that fit a phone's column, between words.

    Examples
    --------
    >>> title_lines(["Hazard ratio (log scale)", "below 1: lower hazard with locoregional treatment"])
    ['Hazard ratio (log scale)', 'below 1: lower hazard with', 'locoregional treatment']
    >>> title_lines(None) is None
    True
    """
    if title is None:
        return None
    lines = [title] if isinstance(title, str) else title
    return [part for line in lines for part in wrap_label(line, TITLE_CHARS)]


def has_interval(row: pd.Series) -> bool:
    """Whether a row of an HR table gives both confidence limits.

    Examples
    --------
    >>> has_interval(pd.Series({"ci_low": 0.58, "ci_high": 0.70})), has_interval(pd.Series({"ci_low": None}))
    (True, False)
    """
    return bool(pd.notna(row.get("ci_low")) and pd.notna(row.get("ci_high")))


def hazard_ratio(row: pd.Series) -> str:
    """A row's hazard ratio with its interval and confidence level, or the words :data:`NO_INTERVAL`.

    Parameters
    ----------
    row : pandas.Series
        A row with ``estimate``, ``ci_low``, ``ci_high`` and ``ci_level``.

    Returns
    -------
    str
        "HR 0.86 (90% CI 0.69–1.07)", or "HR 0.69 (CI not published/confirmed)".

    Examples
    --------
    >>> hazard_ratio(pd.Series({"estimate": 0.86, "ci_low": 0.69, "ci_high": 1.07, "ci_level": 0.9}))
    'HR 0.86 (90% CI 0.69–1.07)'
    >>> hazard_ratio(pd.Series({"estimate": 0.69, "ci_low": None, "ci_high": None, "ci_level": None}))
    'HR 0.69 (CI not published/confirmed)'
    """
    if not has_interval(row):
        return f"HR {text.number(row['estimate'])} ({NO_INTERVAL})"
    return text.estimate_with_ci("HR", row["estimate"], row["ci_low"], row["ci_high"], row["ci_level"])


def confidence_interval(row: pd.Series) -> str:
    """A row's interval with its level, for a data table: "90% CI 0.69–1.07", or :data:`NO_INTERVAL`.

    Examples
    --------
    >>> confidence_interval(pd.Series({"estimate": 0.63, "ci_low": 0.58, "ci_high": 0.7, "ci_level": 0.95}))
    '95% CI 0.58–0.70'
    """
    if not has_interval(row):
        return NO_INTERVAL
    digits = text.ratio_digits(row.get("estimate"), row["ci_low"], row["ci_high"])
    limits = text.interval(row["ci_low"], row["ci_high"], lambda value: text.number(value, digits))
    return f"{text.level(row['ci_level'])} CI {limits}"


def log_domain(values: Iterable[float]) -> tuple[list[float], list[float]]:
    """Ends and ticks of a log-scaled hazard-ratio axis that holds every value, with 1 inside.

    Parameters
    ----------
    values : iterable of float
        The estimates and confidence limits to draw; missing values (NaN) are left out.

    Returns
    -------
    domain : list of float
        The axis's two ends: the nearest of :data:`LOG_TICKS` below the smallest value (and
        below 1), and the nearest above the largest (and above 1).
    ticks : list of float
        The ticks of :data:`LOG_TICKS` between the ends, ends included.

    Examples
    --------
    >>> log_domain([0.63, 0.58, 1.58, float("nan")])
    ([0.5, 2], [0.5, 0.7, 1, 1.5, 2])
    >>> log_domain([0.42, 0.72])
    ([0.3, 1.5], [0.3, 0.5, 0.7, 1, 1.5])
    """
    present = [float(v) for v in values if pd.notna(v)] + [1.0]
    low, high = min(present), max(present)
    start = max((t for t in LOG_TICKS if t <= low and t < 1), default=low)
    end = min((t for t in LOG_TICKS if t >= high and t > 1), default=high)
    return [start, end], [t for t in LOG_TICKS if start <= t <= end]


def _hr_x(field: str, domain: list[float], ticks: list[float], title: str | list[str] | None) -> alt.X:
    """The log-scaled x of a forest panel; every layer gives the same, so that they share it."""
    return alt.X(f"{field}:Q", title=title_lines(title), scale=alt.Scale(type="log", domain=domain, nice=False),
                 axis=alt.Axis(values=ticks, format="~g", titleAnchor="start", grid=True))


def _label_halo(base: alt.Chart) -> alt.Chart:
    """A white outline under each row's label, so that the rule at HR 1 and the grid pass behind it."""
    halo = _row_labels(base)
    halo.mark = alt.MarkDef(type="text", align="left", baseline="top", lineHeight=LINE_HEIGHT, color=BACKGROUND,
                            stroke=BACKGROUND, strokeWidth=4, strokeJoin="round", aria=False)
    return halo


def _forest_panel(rows: pd.DataFrame, colour: alt.Color | alt.ColorValue, title: str,
                  axis_title: str | list[str] | None, domain: tuple[list[float], list[float]]) -> alt.LayerChart:
    """One panel of a forest plot, each of its ``rows`` labelled above its point.

    ``rows`` has ``row_label``, ``estimate``, ``ci_low``, ``ci_high``, ``direction_stated``,
    ``status`` and ``ref``. A row whose direction is not stated is drawn hollow, its interval dashed.
    """
    placed, height = _with_rows(rows, "row_label")
    base = alt.Chart(placed)
    ends, ticks = domain
    middle = alt.Y("bar_mid:Q", scale=None)
    # One rule at HR 1 for the panel, whatever its number of rows.
    no_difference = base.transform_aggregate(rows="count()").mark_rule(
        color=PALETTE["grey"], strokeDash=[4, 3], aria=False).encode(x=alt.X(datum=1, scale=alt.Scale(type="log")))
    intervals = _described(base.mark_rule(strokeWidth=2), "datum.row_label + ': confidence limits ' + "
                           "format(datum.ci_low, '~g') + ' to ' + format(datum.ci_high, '~g')").encode(
        x=_hr_x("ci_low", ends, ticks, axis_title), x2="ci_high:Q", y=middle, color=colour,
        opacity=_fade_unconfirmed(),
        strokeDash=alt.condition("datum.direction_stated", alt.value([1, 0]), alt.value([4, 2])),
    ).transform_filter("isValid(datum.ci_low) && isValid(datum.ci_high)")
    source = "citation" if "citation" in rows else "ref"  # a citation in words where the rows carry one
    tooltip = [alt.Tooltip("row_label:N", title="Result"), alt.Tooltip(f"{source}:N", title="Source")]
    description = "'Hazard ratio ' + format(datum.estimate, '~g') + '; ' + datum.row_label"
    point = _described(base.mark_point(filled=True, size=POINT_SIZE, strokeWidth=2, shape="square"), description)
    where = {"x": _hr_x("estimate", ends, ticks, axis_title), "y": middle, "opacity": _fade_unconfirmed(),
             "tooltip": tooltip}
    filled = point.encode(color=colour, **where).transform_filter("datum.direction_stated")
    # Hollow: filled with the background, so that its interval does not show through it.
    hollow = point.encode(fill=alt.value(BACKGROUND), stroke=colour, **where).transform_filter(
        "!datum.direction_stated")
    # A layer is drawn only if it has rows: Vega gives an empty layer a mark container with an
    # image role and no text, which screen readers announce as an unlabelled image.
    has_interval = rows["ci_low"].notna() & rows["ci_high"].notna()
    stated = rows["direction_stated"].astype(bool)
    wanted = [(intervals, has_interval.any()), (filled, stated.any()), (hollow, (~stated).any())]
    layers = alt.layer(no_difference, *[layer for layer, present in wanted if present], _label_halo(base),
                       _row_labels(base))
    return layers.properties(width="container", height=height, title=alt.Title(title_lines(title), **PANEL_TITLE))


def stacked_panels(data: pd.DataFrame, column: str, colours: dict, axis_title: list[str],
                   titles: dict | None = None) -> tuple[alt.VConcatChart, list]:
    """Forest panels one above the other, one per group of ``data[column]`` present, on one log axis range.

    ``colours`` gives the groups in order and each one's colour; ``titles`` each one's panel title
    (the group itself by default). Only the last panel shows the axis title. Returns the stacked
    panels and the groups drawn.
    """
    domain = log_domain(pd.concat([data["estimate"], data["ci_low"], data["ci_high"]]))
    groups = [group for group in colours if (data[column] == group).any()]
    panels = [_forest_panel(data[data[column] == group], alt.value(colours[group]), (titles or {}).get(group, group),
                            axis_title if group == groups[-1] else None, domain)
              for group in groups]
    return alt.vconcat(*panels, spacing=22).resolve_scale(x="independent"), groups


# ------------------------------------------------------------------ observational against randomised

DESIGNS = {"observational": "Pooled observational studies", "randomised": "Pooled randomised trials"}
DESIGN_COLOURS = {"observational": PALETTE["vermillion"], "randomised": PALETTE["blue"]}
PUBLICATIONS = {"journal_article": "journal article", "preprint": "preprint", "conference_abstract":
                "conference abstract"}


def observational_vs_randomised_table(meta_analyses: pd.DataFrame) -> pd.DataFrame:
    """Rows of the forest plot of pooled overall-survival HRs, observational studies first.

    Parameters
    ----------
    meta_analyses : pandas.DataFrame
        The ``meta_analyses`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per pooled HR of overall survival, observational then randomised, each in the
        order of ``meta_analyses.csv``: its ``name`` (marked "(preprint)" and "(unconfirmed)"
        where it is), the one-line ``row_label`` (name and HR with its interval), the figures,
        the design, the status and the reference.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table has no rows, or no pooled hazard ratio of overall survival.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> rows = observational_vs_randomised_table(evidence.load().meta_analyses).set_index("result_id")
    >>> rows.loc["headon2016-os", "row_label"]
    'Headon et al. 2016: HR 0.63 (95% CI 0.58–0.70)'
    """
    _require_rows(meta_analyses, "meta_analyses")
    pooled = meta_analyses[(meta_analyses["outcome"] == "overall_survival") & (meta_analyses["measure"] == "HR")]
    if len(pooled) == 0:
        raise ChartError("the meta_analyses table has no pooled hazard ratio of overall survival: nothing to draw")
    rows = []
    for design in DESIGNS:
        for result_id, row in pooled[pooled["study_design"] == design].iterrows():
            preprint = " (preprint)" if row["publication"] == "preprint" else ""
            name = text.with_status(f"{row['analysis']}{preprint}", row["status"])
            rows.append({
                "result_id": result_id,
                "name": name,
                "row_label": text.with_status(f"{row['analysis']}{preprint}: {hazard_ratio(row)}", row["status"]),
                "design": design,
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "ci_level": row["ci_level"],
                "interval": confidence_interval(row),
                "n_studies": row["n_studies"],
                "n_patients": row["n_patients"],
                "publication": PUBLICATIONS[row["publication"]],
                "direction_stated": True,
                "status": row["status"],
                "ref": row["ref"],
            })
    return pd.DataFrame(rows)


def _range(values: pd.Series) -> str:
    """'from 0.63 to 0.69', or '0.83' for a single value."""
    low, high = values.min(), values.max()
    return text.number(low) if low == high else f"from {text.number(low)} to {text.number(high)}"


def _count(n: int, noun: str) -> str:
    """'1 hazard ratio', '3 hazard ratios'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _of(part: int, whole: int, noun: str, verb: tuple[str, str, str]) -> str:
    """How many of ``whole`` things do something; ``verb`` is its singular, plural and negative forms.

    Examples
    --------
    >>> includes = ("includes 1", "include 1", "does not include 1")
    >>> _of(0, 1, "interval", includes), _of(0, 3, "interval", includes), _of(2, 5, "interval", includes)
    ('its interval does not include 1', 'none of the 3 intervals includes 1', '2 of the 5 intervals include 1')
    """
    singular, plural, negative = verb
    if whole == 0:
        return f"no {noun} is published"
    if whole == 1:
        return f"its {noun} {singular if part else negative}"
    if part == 0:
        return f"none of the {whole} {noun}s {singular}"
    return f"{part} of the {whole} {noun}s {singular if part == 1 else plural}"


INCLUDES_ONE = ("includes 1", "include 1", "does not include 1")
BELOW_ONE_ENTIRELY = ("lies entirely below 1", "lie entirely below 1", "does not lie entirely below 1")


def _design_sentence(data: pd.DataFrame, design: str) -> str:
    rows = data[data["design"] == design]
    with_ci = rows[rows["ci_low"].notna()]
    across = int(((with_ci["ci_low"] <= 1) & (with_ci["ci_high"] >= 1)).sum())
    return (f"{DESIGNS[design]}: {_count(len(rows), 'pooled hazard ratio')}, {_range(rows['estimate'])} "
            f"({'; '.join(rows['row_label'])}); {_of(across, len(with_ci), 'published interval', INCLUDES_ONE)}")


def observational_vs_randomised_chart(meta_analyses: pd.DataFrame) -> alt.VConcatChart:
    """Pooled hazard ratios of overall survival with surgery of the primary: observational against randomised.

    Parameters
    ----------
    meta_analyses : pandas.DataFrame
        The ``meta_analyses`` evidence table.

    Returns
    -------
    altair.VConcatChart
        One panel per study design, one above the other, as wide as their container; the
        chart's ``description`` is its text alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> spec = observational_vs_randomised_chart(evidence.load().meta_analyses).to_dict()
    >>> spec["description"].startswith("Forest plot")
    True
    """
    data = observational_vs_randomised_table(meta_analyses)
    stacked, designs = stacked_panels(data, "design", DESIGN_COLOURS, ["Hazard ratio of death (log scale)",
                                                                       BELOW_ONE], DESIGNS)
    observational, randomised = (data.loc[data["design"] == d, "estimate"] for d in DESIGNS)
    apart = len(observational) and len(randomised) and observational.max() < randomised.min()
    return stacked.properties(
        autosize=FIT_WIDTH,
        title=alt.Title(
            "Overall survival with surgery of the primary: pooled observational studies against pooled trials",
            subtitle=["Squares: pooled hazard ratios; lines: their confidence intervals (level as published); "
                      "a square alone: no interval published or confirmed.",
                      "Dashed line: HR 1, no difference. Faded rows are unconfirmed figures."],
        ),
        description=(
            "Forest plot of pooled hazard ratios of death with surgery of the primary tumour against none "
            "(below 1 favours surgery), on a log scale. "
            + ". ".join(_design_sentence(data, design) for design in designs) + "."
            + (" Every observational estimate lies below every randomised one." if apart else "")
        ),
    )


def observational_vs_randomised_alt_table(meta_analyses: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`observational_vs_randomised_chart`, formatted for reading.

    Parameters
    ----------
    meta_analyses : pandas.DataFrame
        The ``meta_analyses`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per row of the chart, in the same order.
    """
    data = observational_vs_randomised_table(meta_analyses)
    return pd.DataFrame({
        "Meta-analysis": data["name"],
        "Pooled studies": [DESIGNS[d].removeprefix("Pooled ") for d in data["design"]],
        "Studies pooled": [text.number(n) if pd.notna(n) else "" for n in data["n_studies"]],
        "Patients": [text.number(n) if pd.notna(n) else "" for n in data["n_patients"]],
        "Hazard ratio": [text.number(v) for v in data["estimate"]],
        "Confidence interval": data["interval"],
        "Publication": data["publication"],
        "Status": data["status"],
        "Reference": data["ref"],
    })


# ------------------------------------------------------------------ local against distant control

#: The panels of :func:`local_versus_distant_chart`: the outcomes each holds, and its title.
OUTCOME_PANELS = {
    "Overall survival": ("overall_survival",),
    "Local or locoregional control": ("local_relapse_free_survival", "local_progression_free_survival",
                                      "locoregional_progression", "locoregional_progression_free_survival"),
    "Distant progression": ("distant_progression_free_survival", "time_to_distant_progression"),
}
PANEL_COLOURS = dict(zip(OUTCOME_PANELS, (PALETTE["blue"], PALETTE["green"], PALETTE["vermillion"]), strict=True))
DIRECTION_NOT_STATED = "(direction not stated)"


def trial_name(trial_id: str) -> str:
    """A trial's short name from its id: an acronym in capitals, a word with a capital.

    Examples
    --------
    >>> [trial_name(t) for t in ("jcog1017", "abcsg-28", "tata")]
    ['JCOG1017', 'ABCSG-28', 'Tata']
    """
    return trial_id.upper() if any(c.isdigit() for c in trial_id) else trial_id.title()


def direction_stated(row: pd.Series) -> bool:
    """Whether a row of ``effects.csv`` says which arm its hazard ratio compares with which.

    Examples
    --------
    >>> direction_stated(pd.Series({"treatment_arm": "lrt", "reference_arm": "st"}))
    True
    >>> direction_stated(pd.Series({"treatment_arm": "not_stated", "reference_arm": "not_stated"}))
    False
    """
    return "not_stated" not in (row["treatment_arm"], row["reference_arm"])


def outcome_words(outcome: str) -> str:
    """An outcome category in words.

    Examples
    --------
    >>> outcome_words("local_relapse_free_survival")
    'local relapse-free survival'
    """
    return outcome.replace("_free", "-free").replace("_", " ")


def local_versus_distant_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Rows of the forest plot of trial HRs by outcome: overall survival, local control, distant progression.

    Only the primary and secondary analyses of all randomised (or all analysed) patients are
    drawn, not unplanned subgroups; a trial with several reports has a row for each.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per HR, panel by panel (see :data:`OUTCOME_PANELS`), each in the order of
        ``effects.csv``: ``name`` (trial and report, with "(direction not stated)" where the
        report does not say which arm is the reference, and "(unconfirmed)"), the one-line
        ``row_label``, the outcome, the figures, the status and the reference.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table has no rows, or none of those analyses.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> rows = local_versus_distant_table(evidence.load().effects).set_index("effect_id")
    >>> rows.loc["e2108-os", "row_label"]
    'E2108, primary report: HR 1.11 (90% CI 0.82–1.52)'
    """
    _require_rows(effects, "effects")
    chosen = effects[effects["analysis"].isin(["primary", "secondary"]) & effects["population"].str.startswith("All")
                     & (effects["measure"] == "HR")]
    rows = []
    for panel, outcomes in OUTCOME_PANELS.items():
        for effect_id, row in chosen[chosen["outcome"].isin(outcomes)].iterrows():
            stated = direction_stated(row)
            report = "primary report" if row["report"] == "primary" else row["report"]
            name = f"{trial_name(row['trial_id'])}, {report}" + ("" if stated else f" {DIRECTION_NOT_STATED}")
            measure = "" if panel == "Overall survival" else f"{outcome_words(row['outcome'])}, "
            rows.append({
                "effect_id": effect_id,
                "trial": trial_name(row["trial_id"]),
                "name": text.with_status(name, row["status"]),
                "row_label": text.with_status(f"{name}: {measure}{hazard_ratio(row)}", row["status"]),
                "panel": panel,
                "outcome": outcome_words(row["outcome"]),
                "population": row["population"],
                "analysis": f"{row['analysis']} end point",
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "ci_level": row["ci_level"],
                "interval": confidence_interval(row),
                "direction_stated": stated,
                "status": row["status"],
                "ref": row["ref"],
            })
    if not rows:
        raise ChartError("the effects table has no primary or secondary analysis of all randomised patients: "
                         "nothing to draw")
    return pd.DataFrame(rows)


def _panel_sentence(rows: pd.DataFrame, panel: str) -> str:
    with_ci = rows[rows["ci_high"].notna()]
    below = int((with_ci["ci_high"] < 1).sum())
    return (f"{panel}: {_count(len(rows), 'hazard ratio')}, {_range(rows['estimate'])} "
            f"({'; '.join(rows['row_label'])}); {_of(below, len(with_ci), 'interval', BELOW_ONE_ENTIRELY)}")


def local_versus_distant_chart(effects: pd.DataFrame) -> alt.VConcatChart:
    """Hazard ratios of the randomised trials for overall survival, local control and distant progression.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.

    Returns
    -------
    altair.VConcatChart
        One panel per kind of outcome, one above the other, as wide as their container; the
        chart's ``description`` is its text alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> spec = local_versus_distant_chart(evidence.load().effects).to_dict()
    >>> "90%" in spec["description"]
    True
    """
    data = local_versus_distant_table(effects)
    axis_title = ["Hazard ratio (log scale)", "below 1: lower hazard with locoregional treatment"]
    stacked, panels = stacked_panels(data, "panel", PANEL_COLOURS, axis_title)
    # Trials, once each, in the order drawn: dict.fromkeys keeps the order (a set would not).
    nineties = list(dict.fromkeys(data.loc[data["ci_level"] < 0.95, "trial"]))
    unstated = list(dict.fromkeys(data.loc[~data["direction_stated"], "trial"]))
    return stacked.properties(
        autosize=FIT_WIDTH,
        title=alt.Title(
            "Randomised trials: overall survival, local control and distant progression",
            subtitle=["Squares: hazard ratios, locoregional treatment against systemic therapy alone; lines: "
                      "their confidence intervals, at the level each trial published.",
                      "Dashed line: HR 1, no difference. Hollow square, dashed interval: the report does not say "
                      "which arm is the reference."],
        ),
        description=(
            "Forest plot of hazard ratios from the randomised trials (all randomised or all analysed patients), "
            "on a log scale; below 1, a lower hazard with locoregional treatment. "
            + ". ".join(_panel_sentence(data[data["panel"] == panel], panel) for panel in panels) + ". "
            + (f"{' and '.join(nineties)} published 90% confidence intervals, the others 95%. " if nineties else "")
            + (f"{' and '.join(unstated)} did not say which arm is the reference, so the direction of "
               "its hazard ratios is not interpreted." if unstated else "")
        ).strip(),
    )


def local_versus_distant_alt_table(effects: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`local_versus_distant_chart`, formatted for reading.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per row of the chart, in the same order.
    """
    data = local_versus_distant_table(effects)
    return pd.DataFrame({
        "Trial and report": data["name"],
        "Outcome": data["outcome"],
        "Patients": data["population"],
        "Analysis": data["analysis"],
        "Hazard ratio": [text.number(v) for v in data["estimate"]],
        "Confidence interval": data["interval"],
        "Compared": ["locoregional treatment against systemic therapy alone" if stated else "not stated"
                     for stated in data["direction_stated"]],
        "Status": data["status"],
        "Reference": data["ref"],
    })


# ------------------------------------------------------------------ SEER: fewer operated, larger benefit

#: The rows of :func:`seer_operated_share_chart` (Warschkow et al. 2016), earlier time point first:
#: the shares operated, then the year-specific hazard ratios at the same two time points.
SEER_SHARES = ("warschkow2016-operated-early", "warschkow2016-operated-late")
SEER_HAZARD_RATIOS = ("warschkow2016-hr-1998", "warschkow2016-hr-2009")
TIME_COLOURS = [PALETTE["blue"], PALETTE["vermillion"]]


def seer_operated_share_table(results: pd.DataFrame) -> pd.DataFrame:
    """Rows of the SEER chart: the share operated and the year-specific HR, at two time points.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``observational_results`` evidence table.

    Returns
    -------
    pandas.DataFrame
        The rows :data:`SEER_SHARES` then :data:`SEER_HAZARD_RATIOS`, each with its ``panel``
        (``share`` or ``hr``), its ``time_point`` (the share's group, "Start of the study
        period", given to the hazard ratio of the same time point), its one-line ``row_label``,
        its value, interval, status and reference.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table has no rows, or lacks one of those rows.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> rows = seer_operated_share_table(evidence.load().observational_results)
    >>> rows[["panel", "time_point"]].values.tolist()[1:3]
    [['share', 'End of the study period'], ['hr', 'Start of the study period']]
    """
    _require_rows(results, "observational_results")
    missing = [row_id for row_id in SEER_SHARES + SEER_HAZARD_RATIOS if row_id not in results.index]
    if missing:
        raise ChartError(f"the observational_results table has no row {', '.join(missing)}: nothing to draw")
    rows = []
    for panel, ids in (("share", SEER_SHARES), ("hr", SEER_HAZARD_RATIOS)):
        for row_id, time_point in zip(ids, results.loc[list(SEER_SHARES), "group"], strict=True):
            row = results.loc[row_id]
            figure = text.percent(row["value"]) if panel == "share" else hazard_ratio(row.rename({"value": "estimate"}))
            rows.append({
                "result_id": row_id,
                "panel": panel,
                "time_point": time_point,
                "group": row["group"],
                "result": row["result"],
                "row_label": text.with_status(row["group"] if panel == "share" else
                                              f"{row['group']} ({time_point[0].lower()}{time_point[1:]}): {figure}",
                                              row["status"]),
                "figure": figure,
                "value": row["value"],
                "estimate": row["value"] if panel == "hr" else math.nan,
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "ci_level": row["ci_level"],
                "interval": "" if panel == "share" else confidence_interval(row),
                "direction_stated": True,
                "status": row["status"],
                "ref": row["ref"],
            })
    return pd.DataFrame(rows)


def _share_panel(data: pd.DataFrame, colour: alt.Color, title: str) -> alt.LayerChart:
    placed, height = _with_rows(data, "row_label")
    base = alt.Chart(placed)
    bars = _described(base.mark_bar(), "'Primary resected: ' + datum.figure + '; ' + datum.row_label").encode(
        x=_x_encoding("value", None, "%", [0, 1], room=50), x2=alt.datum(0),
        **_bar_y(), color=colour, opacity=_fade_unconfirmed(),
        tooltip=[alt.Tooltip("row_label:N", title="Time point"), alt.Tooltip("figure:N", title="Share"),
                 alt.Tooltip("ref:N", title="Source")],
    )
    values = base.mark_text(align="left", baseline="middle", dx=4, color=TEXT_COLOUR).transform_calculate(
        mark_description="datum.row_label + ': ' + datum.figure",
    ).encode(x="value:Q", y=alt.Y("bar_mid:Q", scale=None), text="figure:N", description="mark_description:N")
    return alt.layer(bars, _label_halo(base), _row_labels(base), values).properties(
        width="container", height=height, title=alt.Title(title_lines(title), **PANEL_TITLE))


def _seer_trend(shares: pd.DataFrame, ratios: pd.DataFrame) -> tuple[str, str]:
    """The chart's title and the description's last sentence, from the direction the figures took."""
    (first_share, last_share), (first_hr, last_hr) = shares["value"], ratios["estimate"]
    share_moved = "fell" if last_share < first_share else "rose" if last_share > first_share else "stayed"
    hr_moved = ("moved further below 1" if last_hr < first_hr < 1 else "moved closer to 1" if first_hr < last_hr <= 1
                else "moved")
    sentence = (f"As the share operated {share_moved} from {shares['figure'].iloc[0]} to {shares['figure'].iloc[-1]}, "
                f"the hazard ratio {hr_moved}, from {text.number(first_hr)} to {text.number(last_hr)}")
    if share_moved == "fell" and hr_moved == "moved further below 1":
        return ("Fewer patients operated, a larger apparent benefit of surgery",
                sentence + ": the fewer patients operated, the larger the apparent benefit, as expected if surgery "
                "went more and more to patients who would have done better anyway.")
    return "How often the primary was operated on, and the hazard ratio of surgery", sentence + "."


def seer_operated_share_chart(results: pd.DataFrame) -> alt.VConcatChart:
    """Warschkow et al. 2016 (SEER): fewer patients operated, and a larger apparent benefit of surgery.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``observational_results`` evidence table.

    Returns
    -------
    altair.VConcatChart
        Two panels, one above the other, sharing their two time points (one colour each): the
        share of patients whose primary was resected, and the hazard ratio of death with surgery
        among the patients diagnosed in the first and in the last year; the chart's
        ``description`` is its text alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> spec = seer_operated_share_chart(evidence.load().observational_results).to_dict()
    >>> "HR 0.42" in spec["description"]
    True
    """
    data = seer_operated_share_table(results)
    shares, ratios = data[data["panel"] == "share"], data[data["panel"] == "hr"]
    # No legend: each row's label names its time point; the colour only links the two panels.
    colour = alt.Color("time_point:N", scale=alt.Scale(domain=list(shares["time_point"]), range=TIME_COLOURS),
                       legend=None)
    share_panel = _share_panel(shares, colour, shares["result"].iloc[0])
    hr_panel = _forest_panel(ratios, colour, "Hazard ratio of death with surgery, year by year",
                             ["Hazard ratio (log scale)", BELOW_ONE], log_domain(ratios["estimate"]))
    title, trend = _seer_trend(shares, ratios)
    return alt.vconcat(share_panel, hr_panel, spacing=22).resolve_scale(color="shared", x="independent").properties(
        autosize=FIT_WIDTH,
        title=alt.Title(
            f"SEER (Warschkow et al. 2016): {title[0].lower()}{title[1:]}",
            subtitle=["Top: share of patients whose primary tumour was resected. Bottom: hazard ratio of death, "
                      "surgery against none, among the patients diagnosed that year.",
                      "One colour per time point, in both panels."],
        ),
        description=(
            "Two charts from a SEER registry study (Warschkow et al. 2016). Top, share of patients whose primary "
            "tumour was resected: " + "; ".join(f"{g}: {f}" for g, f in zip(shares["row_label"], shares["figure"],
                                                                           strict=True))
            + ". Bottom, hazard ratio of death with surgery against none, year by year: "
            + "; ".join(ratios["row_label"]) + ". " + trend
        ),
    )


def seer_operated_share_alt_table(results: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`seer_operated_share_chart`, formatted for reading.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``observational_results`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per row of the chart, in the same order.
    """
    data = seer_operated_share_table(results)
    return pd.DataFrame({
        "Result": data["result"],
        "Group": data["group"],
        "Time point": data["time_point"],
        "Figure": [f if p == "share" else f"HR {text.number(v)}"
                   for f, p, v in zip(data["figure"], data["panel"], data["value"], strict=True)],
        "Confidence interval": data["interval"],
        "Status": data["status"],
        "Reference": data["ref"],
    })


# ------------------------------------------------------------------ MF07-01: whole trial and unplanned subgroups

#: The trial and report whose subgroups :func:`subgroups_chart` draws (the subgroups are from the 2018 report).
SUBGROUP_TRIAL, SUBGROUP_REPORT = "mf07-01", "primary"
#: The two panels of :func:`subgroups_chart`, by the ``analysis`` of ``effects.csv``, and their titles.
SUBGROUP_PANELS = {
    "primary": "Whole trial: the planned comparison of all randomised patients",
    "unplanned_subgroup": "Unplanned subgroups: hypotheses to test, not proof of benefit",
}
SUBGROUP_COLOURS = {"primary": PALETTE["blue"], "unplanned_subgroup": PALETTE["purple"]}
UNPLANNED = "unplanned subgroup"


def _p_value(row: pd.Series) -> str:
    """'p=0.005' as published, or '' when the report gives none."""
    if pd.isna(row.get("p_value")):
        return ""
    operator = row.get("p_operator") if isinstance(row.get("p_operator"), str) else "="
    return f"p{operator}{text.number(row['p_value'])}"


def subgroups_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Rows of the MF07-01 subgroup chart: the whole-trial HR of overall survival, then each unplanned subgroup.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per hazard ratio of overall survival in :data:`SUBGROUP_TRIAL`'s report
        :data:`SUBGROUP_REPORT`: the primary analysis first, then the unplanned subgroups, each
        in the order of ``effects.csv``. Each has its ``panel`` (its ``analysis``), its
        ``population``, the one-line ``row_label`` (a subgroup's says "unplanned subgroup"), the
        figures, the p-value as published, ``contains_whole`` (whether the row's interval holds
        the whole-trial estimate), the status and the reference.

    Raises
    ------
    mbcbook.errors.ChartError
        When the table has no rows, no whole-trial hazard ratio or no unplanned subgroup of that report.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> rows = subgroups_table(evidence.load().effects).set_index("effect_id")
    >>> rows.loc["mf07-01-2018-os-bone-only", "row_label"]
    'Solitary bone-only metastasis (unplanned subgroup): HR 0.47 (95% CI 0.23–0.98), p=0.04'
    """
    _require_rows(effects, "effects")
    mine = effects[(effects["trial_id"] == SUBGROUP_TRIAL) & (effects["report"] == SUBGROUP_REPORT)
                   & (effects["outcome"] == "overall_survival") & (effects["measure"] == "HR")]
    whole = mine[mine["analysis"] == "primary"]
    subgroups = mine[mine["analysis"] == "unplanned_subgroup"]
    if len(whole) == 0 or len(subgroups) == 0:
        raise ChartError(f"the effects table needs {trial_name(SUBGROUP_TRIAL)}'s whole-trial hazard ratio of "
                         "overall survival and at least one unplanned subgroup of the same report: nothing to draw")
    reference = whole["estimate"].iloc[0]
    rows = []
    for effect_id, row in pd.concat([whole, subgroups]).iterrows():
        unplanned = row["analysis"] == "unplanned_subgroup"
        name = row["population"] + (f" ({UNPLANNED})" if unplanned else "")
        figures = ", ".join(part for part in (hazard_ratio(row), _p_value(row)) if part)
        rows.append({
            "effect_id": effect_id,
            "panel": row["analysis"],
            "population": row["population"],
            "name": text.with_status(name, row["status"]),
            "row_label": text.with_status(f"{name}: {figures}", row["status"]),
            "estimate": row["estimate"],
            "ci_low": row["ci_low"],
            "ci_high": row["ci_high"],
            "ci_level": row["ci_level"],
            "interval": confidence_interval(row),
            "p_value": _p_value(row),
            "contains_whole": bool(has_interval(row) and row["ci_low"] <= reference <= row["ci_high"]),
            "direction_stated": direction_stated(row),
            "status": row["status"],
            "ref": row["ref"],
        })
    return pd.DataFrame(rows)


def subgroups_chart(effects: pd.DataFrame) -> alt.VConcatChart:
    """MF07-01's hazard ratio of overall survival for the whole trial, and for its unplanned subgroups.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.

    Returns
    -------
    altair.VConcatChart
        Two panels, one above the other on one axis range: the whole trial, then the unplanned
        subgroups, each row labelled as such; the chart's ``description`` is its text alternative.

    Examples
    --------
    >>> from mbcbook import evidence
    >>> spec = subgroups_chart(evidence.load().effects).to_dict()
    >>> "unplanned subgroup" in spec["description"]
    True
    """
    data = subgroups_table(effects)
    stacked, _ = stacked_panels(data, "panel", SUBGROUP_COLOURS, ["Hazard ratio of death (log scale)", BELOW_ONE],
                                SUBGROUP_PANELS)
    whole, subgroups = data[data["panel"] == "primary"], data[data["panel"] == "unplanned_subgroup"]
    holding = int(subgroups["contains_whole"].sum())
    trial = trial_name(SUBGROUP_TRIAL)
    return stacked.properties(
        autosize=FIT_WIDTH,
        title=alt.Title(
            f"{trial}: the whole trial and its unplanned subgroups",
            subtitle=["Squares: hazard ratios of death, locoregional treatment first against systemic therapy "
                      "alone; lines: their confidence intervals, at the level the report published.",
                      "Dashed line: HR 1, no difference. The subgroups were not planned: they suggest, they do not "
                      "show, who might benefit."],
        ),
        description=(
            f"Forest plot of hazard ratios of death in {trial} (2018 report), surgery of the primary first against "
            "systemic therapy alone, on a log scale; below 1 favours surgery. Whole trial: "
            + "; ".join(whole["row_label"]) + ". "
            + f"{_count(len(subgroups), UNPLANNED)}, {_range(subgroups['estimate'])}: "
            + "; ".join(subgroups["row_label"]) + ". "
            + ("Every subgroup interval holds" if holding == len(subgroups) else
               _of(holding, len(subgroups), "subgroup interval", ("holds", "hold", "does not hold")).capitalize())
            + " the whole-trial estimate. A subgroup's own interval does not show that its effect differs from "
              "that of the other patients; that needs a test of interaction."
        ),
    )


def subgroups_alt_table(effects: pd.DataFrame) -> pd.DataFrame:
    """The data table that goes with :func:`subgroups_chart`, formatted for reading.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` evidence table.

    Returns
    -------
    pandas.DataFrame
        One row per row of the chart, in the same order.
    """
    data = subgroups_table(effects)
    return pd.DataFrame({
        "Patients": data["name"],
        "Analysis": ["planned primary analysis" if p == "primary" else UNPLANNED for p in data["panel"]],
        "Hazard ratio": [text.number(v) for v in data["estimate"]],
        "Confidence interval": data["interval"],
        "p-value (as published)": data["p_value"],
        "Interval holds the whole-trial HR": ["(the whole trial)" if p == "primary" else "yes" if c else "no"
                                              for p, c in zip(data["panel"], data["contains_whole"], strict=True)],
        "Status": data["status"],
        "Reference": data["ref"],
    })
