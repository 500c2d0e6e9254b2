"""Text alternatives: every chart of the book is shown with its description and a data table.

The description is the chart's Vega-Lite ``description`` (the web book puts it on the SVG as
its accessible name); the table sits under the chart, folded, and holds the same figures.
"""

from __future__ import annotations

import re
from html import escape

import altair as alt
import pandas as pd

from ..errors import ChartError


def alt_text_html(description: str, table: pd.DataFrame, caption: str) -> str:
    """A folded text alternative: the chart's description and a table of its data.

    Parameters
    ----------
    description : str
        The chart's description, in words.
    table : pandas.DataFrame
        The chart's data, formatted for reading; one row per row of the chart's data.
    caption : str
        Caption of the table; names the file the figures come from.

    Returns
    -------
    str
        HTML: a ``<details>`` element holding the description and the table, all text escaped.
    """
    table_html = table.to_html(index=False, border=0, escape=True, na_rep="")
    # pandas writes its own <table ...> tag; ours adds the caption that names the data.
    table_html = re.sub(r"<table[^>]*>", f'<table class="table"><caption>{escape(caption)}</caption>',
                        table_html, count=1)
    return (
        '<details class="mbcbook-alt"><summary>Text alternative: description and data table</summary>'
        f"<p>{escape(description)}</p>{table_html}</details>"
    )


class TextAlternative:
    """Displays as the folded description-and-table block in notebooks and in the book.

    Parameters
    ----------
    description : str
        The chart's description, in words.
    table : pandas.DataFrame
        The chart's data, formatted for reading.
    caption : str
        Caption of the table; names the file the figures come from.
    """

    def __init__(self, description: str, table: pd.DataFrame, caption: str):
        self.description, self.table, self.caption = description, table, caption

    def _repr_html_(self) -> str:
        return alt_text_html(self.description, self.table, self.caption)

    def __repr__(self) -> str:
        return f"{self.description}\n\n{self.table.to_string(index=False)}"


def show(chart: alt.TopLevelMixin, table: pd.DataFrame, caption: str) -> None:
    """Display ``chart`` followed by its text alternative (description and data table).

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart; its ``description`` is its text alternative.
    table : pandas.DataFrame
        The chart's data, formatted for reading.
    caption : str
        Caption of the table; names the file the figures come from.

    Raises
    ------
    ChartError
        When the chart has no description.
    """
    from IPython.display import display

    description = description_of(chart.to_dict())
    display(chart)
    display(TextAlternative(description, table, caption))


def description_of(spec: dict) -> str:
    """A chart's description (its text alternative), from its Vega-Lite ``spec``.

    Raises
    ------
    ChartError
        When the chart has no description.

    Examples
    --------
    >>> description_of({"description": "Bar chart of shares."})
    'Bar chart of shares.'
    """
    description = spec.get("description")
    if not description:
        raise ChartError("every chart of the book needs a description (its text alternative)")
    return description
