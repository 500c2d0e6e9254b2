"""The computation layer: display-free arithmetic and statistics behind the book's tools.

Modules here take plain values and return plain values (numbers, dataclasses, DataFrames).
They never import Altair, ipywidgets or the chart and widget modules, so they run and are
tested without a screen; the charts and widgets build on them.

* :mod:`~mbcbook.analysis.epidemiology`: how many patients present with stage IV disease.
* :mod:`~mbcbook.analysis.survival`: parametric curves through published figures, seeded
  pseudo-patients, and Kaplan-Meier and Cox summaries (lifelines underneath).
* :mod:`~mbcbook.analysis.guyot`: individual patient data rebuilt from a digitised Kaplan-Meier
  figure and its numbers at risk (Guyot et al. 2012), and the CSV format for digitised curves.
* :mod:`~mbcbook.analysis.reconstruction`: each trial of ``data/reconstructions.csv`` rebuilt
  from its published summaries, and checked against them.
* :mod:`~mbcbook.analysis.eligibility`: a patient profile checked against the rules of
  ``data/eligibility_rules.csv`` (met, not met or unknown).
* :mod:`~mbcbook.analysis.pooling`: fixed- and random-effects pooling of trials' hazard ratios
  (statsmodels), each read at its own confidence level and oriented as surgery against none.
* :mod:`~mbcbook.analysis.selection`: the selection-bias lab, a simulated cohort in which surgery
  does nothing but the fitter patients get it, analysed naively, adjusted, weighted and randomised.
* :mod:`~mbcbook.analysis.gbsg2`: the survival primer's real patients (GBSG2, shipped with
  lifelines) as a tidy table, and the figures the primer quotes from them, with their source.
* :mod:`~mbcbook.analysis.exponential`: the hazard ratio two medians imply under constant hazards,
  beside each trial's published one.
* :mod:`~mbcbook.analysis.self_check`: the checks of the chapters' "Your turn" cells: a resident's
  answer judged against the data ("Right", or "Not yet" with a hint), the expected value never shown.
"""
