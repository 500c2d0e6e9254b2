"""mbcbook: the shared logic of the textbook on surgery for de novo stage IV breast cancer.

The package is in layers; each imports only from the layers listed before it (a test holds
it to that, see ``[tool.importlinter]`` in ``pyproject.toml``):

* :mod:`~mbcbook.errors` and :mod:`~mbcbook.paths`: the package's errors, where the data live;
* :mod:`~mbcbook.evidence`: the tables of ``data/``, validated, and their figures for prose;
* :mod:`~mbcbook.analysis`: display-free computation (epidemiology today);
* :mod:`~mbcbook.charts`: Altair charts, one theme and one registry;
* :mod:`~mbcbook.widgets`: live ipywidgets tools for the notebooks.

Apart from them, :mod:`~mbcbook.site` is the machinery that builds the web book (the Sphinx
extension, icon fonts, bibliography style, build, offline zip, vendored scripts, notebook
hygiene). An educator adapts ``data/``, the computation and the charts; ``site`` is how the
book is built.

Teaching material, not a clinical decision tool.
"""

__version__ = "0.1.0"
