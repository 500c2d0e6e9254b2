"""The computation layer: display-free arithmetic and statistics behind the book's tools.

Modules here take plain values and return plain values (numbers, dataclasses, DataFrames).
They never import Altair, ipywidgets or the chart and widget modules, so they run and are
tested without a screen; the charts and widgets build on them.

* :mod:`~mbcbook.analysis.epidemiology`: how many patients present with stage IV disease.
"""
