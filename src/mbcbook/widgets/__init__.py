"""Live tools for the notebooks (Binder, JupyterHub, Colab), built with ipywidgets.

They need a running kernel, so the web book hides their cells and shows each chapter's static
chart instead. Each tool's logic is a plain function of the computation layer; the widget only
reads inputs, calls it and writes the answer. Modules, by kind of tool:
:mod:`~mbcbook.widgets.calculators` (type a number, read an answer) and
:mod:`~mbcbook.widgets.survival` (the live survival explorer: type a trial's figures, see its curves) and
:mod:`~mbcbook.widgets.eligibility` (the live eligibility checker) and
:mod:`~mbcbook.widgets.pooling` (tick trials, change their figures, pool them) and
:mod:`~mbcbook.widgets.selection` (the selection-bias lab at any setting).
"""

from .calculators import stage_iv_answer, stage_iv_calculator

__all__ = ["eligibility_checker", "pooling_app", "selection_lab", "stage_iv_answer", "stage_iv_calculator",
           "survival_explorer"]


def __getattr__(name: str):
    # The survival explorer needs lifelines (about a second to import): only chapters that open it
    # pay for it.
    if name == "survival_explorer":
        from .survival import survival_explorer

        return survival_explorer
    if name == "eligibility_checker":
        from .eligibility import eligibility_checker

        return eligibility_checker
    if name == "pooling_app":
        from .pooling import pooling_app

        return pooling_app
    if name == "selection_lab":
        from .selection import selection_lab

        return selection_lab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
