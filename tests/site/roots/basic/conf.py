"""A small book for the tests of the mbcbook.site extension: one page with a chart, an equation
and a citation (book/chart.ipynb, outputs stored, not executed), and one page without a chart.

Plain Sphinx with the extensions and settings of the real book that the extension works with.
"""

project = "mbcbook.site test root"
extensions = ["myst_nb", "sphinxcontrib.bibtex", "sphinx_thebe", "mbcbook.site"]
html_theme = "sphinx_book_theme"
html_theme_options = {"use_download_button": True}
html_context = {"default_mode": "light"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath"]
nb_execution_mode = "off"
# As in _config.yml: no widget manager from a CDN; the page still carries the widget state.
nb_ipywidgets_js = {}
# Jupyter Book loads sphinx-thebe even with Thebe off; the extension must strip what it adds.
thebe_config = {"repository_url": "https://github.com/mbcbook/mbcbook", "repository_branch": "main"}
bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "mbcbook"
