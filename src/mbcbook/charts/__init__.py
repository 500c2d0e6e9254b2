"""Charts of the book, built with Altair: one theme, one registry, a text alternative for each.

>>> from mbcbook import charts, evidence
>>> charts.enable()
>>> chart = charts.REGISTRY["stage-iv-share"].chart(evidence.load())

In a chapter, ``charts.draw("stage-iv-share", ev)`` displays a registered chart with its text
alternative. Modules, by kind: :mod:`~mbcbook.charts.theme` (colours, fonts, renderer),
:mod:`~mbcbook.charts.alt_text` (description and data table), :mod:`~mbcbook.charts.bars`
(horizontal bar charts), :mod:`~mbcbook.charts.forest` (forest plots of hazard ratios) and
:mod:`~mbcbook.charts.registry` (every chart the book draws) and :mod:`~mbcbook.charts.survival`
(the survival explorer: curves reconstructed from published summaries, chosen in the page);
:mod:`~mbcbook.charts.km` draws Kaplan-Meier curves of real patients and
:mod:`~mbcbook.charts.exponential` the survival primer's implied-hazard-ratio figure.
Charts never import ipywidgets or the widgets; they need no kernel.
"""

from .alt_text import TextAlternative, alt_text_html, show
from .registry import FIGURE_MIME, FIGURES, REGISTRY, Figure, GluedFigure, draw, figure, glue_figure
from .theme import BACKGROUND, NOTEBOOK_WIDTH, PALETTE, TEXT_COLOUR, enable, notebook_spec, render, theme

__all__ = [
    "BACKGROUND", "FIGURES", "FIGURE_MIME", "Figure", "GluedFigure", "NOTEBOOK_WIDTH", "PALETTE", "REGISTRY",
    "TEXT_COLOUR", "TextAlternative", "alt_text_html", "draw", "enable", "figure", "glue_figure", "notebook_spec",
    "render", "show", "show_survival_explorer", "theme",
]


def __getattr__(name: str):
    # The survival explorer needs lifelines (about a second to import): only chapters that draw
    # it pay for it.
    if name == "show_survival_explorer":
        from .survival import show_explorer

        return show_explorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
