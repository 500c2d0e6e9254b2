"""Every chart the book draws, registered once: its builder, its text alternative, its source.

A chapter draws a chart by name (``charts.draw("stage-iv-share", ev)``), never by calling a
builder directly, so that every chart in the book is held to the same tests
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
from . import bars
from .alt_text import TextAlternative, show


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
    """

    name: str
    source: str
    build: Callable[[pd.DataFrame], alt.TopLevelMixin]
    alt_table: Callable[[pd.DataFrame], pd.DataFrame]
    caption: str

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
        return self.build(ev.table(self.source))

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
        return TextAlternative(description, self.alt_table(ev.table(self.source)), self.caption)


FIGURES: tuple[Figure, ...] = (
    Figure("stage-iv-share", "epidemiology", bars.stage_iv_share_chart, bars.stage_iv_alt_table,
           "Share of breast cancers that are stage IV at diagnosis (data/epidemiology.csv)"),
    Figure("survival-trends", "survival_trends", bars.survival_trends_chart, bars.survival_trends_alt_table,
           "Survival of metastatic breast cancer by era and by presentation (data/survival_trends.csv)"),
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
    table = ev.table(entry.source)
    show(entry.build(table), entry.alt_table(table), caption=entry.caption)
