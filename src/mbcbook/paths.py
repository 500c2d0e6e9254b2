"""Where the evidence tables live, and the environment variables that steer the package.

Kept free of heavy imports: the Sphinx extension reads it at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Folder of the evidence tables, when set (the build sets it to the book's own data/).
DATA_ENV_VAR = "MBCBOOK_DATA"
#: Set while the web book is built: charts are then emitted for the static site.
STATIC_BUILD_ENV = "MBCBOOK_STATIC_BUILD"
BIB_FILE = "references.bib"
#: Mime type of a numbered figure glued by :func:`mbcbook.charts.glue_figure` (the chart's Vega-Lite
#: spec and its text alternative), which the web book draws with :mod:`mbcbook.site.vega`.
FIGURE_MIME = "application/vnd.mbcbook.figure+json"
#: Mime type of a fact glued by :func:`mbcbook.evidence.text.glue_facts`: its source and status,
#: which the web book shows when a reader hovers over or focuses the number.
FACT_MIME = "application/vnd.mbcbook.fact+json"

PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Where the tables are read from.

    In order: the folder named by ``$MBCBOOK_DATA``; the ``data/`` folder of a source
    checkout (an editable install); the copy shipped inside the installed wheel.
    """
    override = os.environ.get(DATA_ENV_VAR)
    if override:
        return Path(override)
    checkout = PACKAGE.parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "data" / BIB_FILE).is_file():
        return checkout / "data"
    packaged = PACKAGE / "_data"
    if (packaged / BIB_FILE).is_file():
        return packaged
    raise FileNotFoundError(f"no evidence tables found in {checkout / 'data'} or {packaged}: "
                            f"set {DATA_ENV_VAR} to the data folder")
