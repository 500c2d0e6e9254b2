"""Launch buttons that open a chapter's reader notebook on Binder, a JupyterHub or Colab.

sphinx-book-theme builds the rocket menu's links from ``_config.yml`` (``repository.url`` and
``.branch``, ``launch_buttons``) to the chapter's source in ``book/``, which shows raw MyST in
any Jupyter. This module points them at the chapter's reader notebook in ``notebooks/``
(:mod:`.readers`) instead. Without a ``launch_buttons.jupyterhub_url``, a "JupyterHub" entry
asks readers for their own hub's address (kept in the browser) and opens the reader notebook
there through nbgitpuller, so residents on a hospital or university hub can launch too.
"""

from __future__ import annotations

from urllib.parse import urlencode

#: The folder of the repository that holds the reader notebooks (``make book`` writes it).
READER_FOLDER = "notebooks"
#: The JupyterHub entry's link when no hub is configured: the launch script reads it.
ASK_FOR_HUB = "#mbcbook-jupyterhub?"
LAUNCH_SCRIPT = "mbcbook-launch.js"


def reader_path(pagename: str) -> str:
    """Where a chapter's reader notebook is in the repository.

    Examples
    --------
    >>> reader_path("book/05-clinical-trials")
    'notebooks/05-clinical-trials.ipynb'
    """
    return f"{READER_FOLDER}/{pagename.rsplit('/', 1)[-1]}.ipynb"


def hub_link(repository: str, branch: str, pagename: str, hub: str = "") -> str:
    """An nbgitpuller link that opens the chapter's reader notebook on a JupyterHub.

    nbgitpuller clones the repository into a folder named after it, then opens the notebook.

    Examples
    --------
    >>> hub_link("https://github.com/mbcbook/mbcbook", "main", "book/05-clinical-trials", "https://hub.example.org")
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https://github.com/mbcbook/mbcbook&branch=main&urlpath=lab/tree/mbcbook/notebooks/05-clinical-trials.ipynb'
    """
    folder = repository.rstrip("/").rsplit("/", 1)[-1]
    query = urlencode({"repo": repository, "branch": branch,
                       "urlpath": f"lab/tree/{folder}/{reader_path(pagename)}"}, safe="/:")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}" if hub else f"{ASK_FOR_HUB}{query}"


def _launch_menu(buttons: list) -> dict | None:
    for button in buttons:
        if isinstance(button, dict) and any("Launch on" in b.get("tooltip", "") for b in button.get("buttons", [])):
            return button
    return None


def point_launch_buttons(app, pagename, templatename, context, doctree) -> None:
    """Sphinx ``html-page-context``, after the theme: the launch menu opens the reader notebook.

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application building the book.
    pagename, templatename : str
        The page being written and its template.
    context : dict
        The page's template context; its launch menu is changed in place.
    doctree : docutils.nodes.document or None
        The page's document tree.
    """
    menu = _launch_menu(context.get("header_buttons", []))
    if menu is None:
        return
    source, reader = f"{pagename}.ipynb", reader_path(pagename)
    for button in menu["buttons"]:
        button["url"] = button.get("url", "").replace(source, reader)
    options = app.config.html_theme_options
    if not app.config.html_theme_options.get("launch_buttons", {}).get("jupyterhub_url"):
        url = hub_link(options.get("repository_url", ""), options.get("repository_branch") or "main", pagename)
        position = 1 if menu["buttons"] and menu["buttons"][0].get("text") == "Binder" else 0
        menu["buttons"].insert(position, {
            "type": "link", "text": "JupyterHub", "tooltip": "Launch on your own JupyterHub (asks for its address)",
            "icon": "_static/images/logo_jupyterhub.svg", "url": url})
    app.add_js_file(LAUNCH_SCRIPT, priority=605, defer="defer")
