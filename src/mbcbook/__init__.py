"""mbcbook: the shared logic of the textbook on surgery for de novo stage IV breast cancer.

Modules: :mod:`~mbcbook.evidence` (load and validate ``data/``), :mod:`~mbcbook.text`
(figures formatted for prose), :mod:`~mbcbook.charts` (Altair theme, renderer and chart
builders), :mod:`~mbcbook.widgets` (live ipywidgets apps), :mod:`~mbcbook.epidemiology`,
and :mod:`~mbcbook.site` (the Sphinx extension that builds the offline book).

Teaching material, not a clinical decision tool.
"""

__version__ = "0.1.0"
