"""Every chart the book draws, registered once: its builder, its text alternative, its source.

A chapter shows a chart by name, never by calling a builder directly: as a numbered figure
(``charts.glue_figure("stage-iv-share", ev)`` in a code cell, then a ``{glue:figure}`` directive
with the caption and the label that the text cites as "Figure 1.1"), or in place
(``charts.draw("stage-iv-share", ev)``). Either way, so that every chart in the book is held to the same tests
(``tests/charts/test_registry.py``): a description, inline data, a Vega compilation with no
network, one row of the text-alternative table per row of the chart's data, unconfirmed rows
marked, and a width taken from the page column (``tests/book/test_phone.py`` then checks, in a
browser, that it fits a 360 px wide phone). A new chart gets those checks by being added to
:data:`FIGURES`; each row of its data carries its shown ``label`` and its ``status``.

>>> from mbcbook import charts, evidence
>>> figure = charts.REGISTRY["stage-iv-share"]
>>> figure.source
'epidemiology'
>>> spec = figure.chart(evidence.load()).to_dict()
>>> spec["description"].startswith("Horizontal bar chart")
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ..errors import ChartError
from ..paths import FIGURE_MIME, STATIC_BUILD_ENV
from . import bars, exponential, forest, trials
from .alt_text import TextAlternative, description_of, show

#: A figure named ``stage-iv-share`` is glued, and labelled in the text, as ``fig-stage-iv-share``.
FIGURE_KEY_PREFIX = "fig-"


@dataclass(frozen=True)
class Figure:
    """One chart of the book.

    Parameters
    ----------
    name : str
        The name chapters draw it by (lowercase words joined by hyphens).
    source : str
        The evidence table it draws (a name in :data:`mbcbook.evidence.schema.TABLES_BY_NAME`).
    build : callable
        Takes that table, returns the Altair chart (its ``description`` is its text alternative).
    alt_table : callable
        Takes that table, returns the data table shown under the chart, one row per data row.
    caption : str
        Caption of the data table; names the file the figures come from.
    extra : tuple of str, optional
        Further evidence tables the chart reads, after ``source`` (``"references"`` for the
        bibliography); ``build`` and ``alt_table`` take them as further arguments, in this order.
    """

    name: str
    source: str
    build: Callable[..., alt.TopLevelMixin]
    alt_table: Callable[..., pd.DataFrame]
    caption: str
    extra: tuple[str, ...] = ()

    def tables(self, ev) -> tuple:
        """What ``build`` and ``alt_table`` take: the source table, then each ``extra`` one."""
        return tuple(ev.references if name == "references" else ev.table(name)
                     for name in (self.source, *self.extra))

    def chart(self, ev) -> alt.TopLevelMixin:
        """The chart, drawn from the evidence.

        Parameters
        ----------
        ev : mbcbook.evidence.Evidence
            The evidence tables, as :func:`mbcbook.evidence.load` returns them.

        Returns
        -------
        altair.TopLevelMixin
            The Altair chart; its ``description`` is its text alternative.
        """
        return self.build(*self.tables(ev))

    def text_alternative(self, ev) -> TextAlternative:
        """The chart's description and data table.

        Parameters
        ----------
        ev : mbcbook.evidence.Evidence
            The evidence tables.

        Returns
        -------
        TextAlternative
            The description, the data table (one row per row of the chart's data) and its caption.
        """
        description = self.chart(ev).to_dict().get("description", "")
        return TextAlternative(description, self.alt_table(*self.tables(ev)), self.caption)


FIGURES: tuple[Figure, ...] = (
    Figure("stage-iv-share", "epidemiology", bars.stage_iv_share_chart, bars.stage_iv_alt_table,
           "Share of breast cancers that are stage IV at diagnosis (data/epidemiology.csv)"),
    Figure("survival-trends", "survival_trends", bars.survival_trends_chart, bars.survival_trends_alt_table,
           "Survival of metastatic breast cancer by era and by presentation (data/survival_trends.csv)"),
    Figure("observational-vs-randomised", "meta_analyses", forest.observational_vs_randomised_chart,
           forest.observational_vs_randomised_alt_table,
           "Pooled hazard ratios of overall survival, observational studies against randomised trials "
           "(data/meta_analyses.csv)"),
    Figure("local-versus-distant", "effects", forest.local_versus_distant_chart, forest.local_versus_distant_alt_table,
           "Hazard ratios of the randomised trials for overall survival, local control and distant progression "
           "(data/effects.csv)"),
    Figure("seer-operated-share", "observational_results", forest.seer_operated_share_chart,
           forest.seer_operated_share_alt_table,
           "Share of patients operated and year-specific hazard ratios in SEER, Warschkow et al. 2016 "
           "(data/observational_results.csv)"),
    Figure("trials-by-timing", "effects", trials.trial_forest_chart, trials.trial_forest_alt_table,
           "Overall survival in each randomised trial by timing of surgery, and the pooled observational "
           "studies (data/effects.csv, data/trials.csv, data/meta_analyses.csv, data/references.bib)",
           extra=("trials", "meta_analyses", "references")),
    Figure("recurrence-score-groups", "observational_results", bars.recurrence_score_groups_chart,
           bars.recurrence_score_groups_alt_table,
           "21-gene Recurrence Score groups of the patients scored in TBCRC 013, King et al. 2016: counts, shares "
           "computed from them and shares as published (data/observational_results.csv)"),
    Figure("mf07-01-subgroups", "effects", forest.subgroups_chart, forest.subgroups_alt_table,
           "MF07-01, 2018 report: hazard ratio of death for the whole trial and for its unplanned subgroups "
           "(data/effects.csv)"),
    Figure("median-implied-hr", "arms", exponential.implied_hr_chart, exponential.implied_hr_alt_table,
           "Hazard ratios implied by two published medians under an exponential model, beside the published "
           "hazard ratios (data/arms.csv, data/effects.csv)", extra=("effects",)),
)
REGISTRY: dict[str, Figure] = {figure.name: figure for figure in FIGURES}
if len(REGISTRY) != len(FIGURES):  # a name registered twice would silently hide a chart
    raise ChartError("two charts in mbcbook.charts.registry.FIGURES share a name")


def figure(name: str) -> Figure:
    """The registered chart called ``name``.

    Parameters
    ----------
    name : str
        A name in :data:`REGISTRY`, such as ``"stage-iv-share"``.

    Returns
    -------
    Figure
        The registered chart.

    Raises
    ------
    ChartError
        When no chart has that name; the message lists the registered names.
    """
    if name not in REGISTRY:
        raise ChartError(f"no chart called {name!r}; the registered charts are: {', '.join(REGISTRY)}")
    return REGISTRY[name]


def draw(name: str, ev) -> None:
    """Display a registered chart and its text alternative (description and data table).

    Parameters
    ----------
    name : str
        The chart's name in :data:`REGISTRY`.
    ev : mbcbook.evidence.Evidence
        The evidence tables it is drawn from.

    Raises
    ------
    ChartError
        When no chart has that name, or the chart has no description.
    """
    entry = figure(name)
    tables = entry.tables(ev)
    show(entry.build(*tables), entry.alt_table(*tables), caption=entry.caption)


class GluedFigure:
    """A chart and its text alternative as one output, for ``{glue:figure}``.

    Its mime bundle holds both under :data:`FIGURE_MIME`, so that the web book draws the chart
    and its folded description-and-table together inside the numbered figure, and a plain-text
    description for any other reader.

    Parameters
    ----------
    spec : dict
        The chart's Vega-Lite spec.
    alternative : TextAlternative
        Its description and data table.

    Examples
    --------
    >>> from mbcbook import charts, evidence
    >>> ev = evidence.load()
    >>> entry = charts.figure("stage-iv-share")
    >>> bundle = GluedFigure(entry.chart(ev).to_dict(), entry.text_alternative(ev))._repr_mimebundle_()
    >>> sorted(bundle[FIGURE_MIME])
    ['alternative_html', 'chart']
    >>> bundle["text/plain"].startswith("Horizontal bar chart")
    True
    """

    def __init__(self, spec: dict, alternative: TextAlternative):
        self.spec, self.alternative = spec, alternative

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {
            FIGURE_MIME: {"chart": self.spec, "alternative_html": self.alternative._repr_html_()},
            "text/plain": self.alternative.description,
        }


def glue_figure(name: str, ev) -> GluedFigure:
    """Glue a registered chart as ``fig-<name>``, for a numbered ``{glue:figure}`` in the chapter.

    In a live notebook the chart is also displayed where the cell runs (the ``{glue:figure}``
    directive is only read by the web book); while the web book is built it is not, since the
    figure appears where the text places it.

    Parameters
    ----------
    name : str
        The chart's name in :data:`REGISTRY`.
    ev : mbcbook.evidence.Evidence
        The evidence tables it is drawn from.

    Returns
    -------
    GluedFigure
        What was glued.

    Raises
    ------
    ChartError
        When no chart has that name, or the chart has no description.
    """
    import os

    from myst_nb import glue

    entry = figure(name)
    tables = entry.tables(ev)
    chart = entry.build(*tables)
    spec = chart.to_dict()  # once: the glued figure and its description both come from it
    glued = GluedFigure(spec, TextAlternative(description_of(spec), entry.alt_table(*tables), entry.caption))
    glue(FIGURE_KEY_PREFIX + name, glued, display=False)
    if not os.environ.get(STATIC_BUILD_ENV):
        show(chart, glued.alternative.table, caption=entry.caption)
    return glued
