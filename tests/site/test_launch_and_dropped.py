"""Launch buttons pointed at the reader notebooks (mbcbook.site.launch), and links into chapters
left out of _toc.yml printed as text (mbcbook.site.dropped)."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes

from mbcbook.site.dropped import dropped_documents, link_to_dropped
from mbcbook.site.launch import ASK_FOR_HUB, point_launch_buttons

REPOSITORY = "https://github.com/mbcbook/mbcbook"


def _app(launch_buttons: dict):
    added = []
    config = SimpleNamespace(html_theme_options={"repository_url": REPOSITORY, "repository_branch": "main",
                                                 "launch_buttons": launch_buttons})
    return SimpleNamespace(config=config, add_js_file=lambda name, **kw: added.append(name)), added


def _context():
    binder = {"type": "link", "text": "Binder", "tooltip": "Launch on Binder",
              "url": "https://mybinder.org/v2/gh/mbcbook/mbcbook/main?urlpath=lab/tree/book/05-trials.ipynb"}
    colab = {"type": "link", "text": "Colab", "tooltip": "Launch on Colab",
             "url": "https://colab.research.google.com/github/mbcbook/mbcbook/blob/main/book/05-trials.ipynb"}
    return {"header_buttons": [{"type": "link", "url": "../_sources/book/05-trials.ipynb"},
                               {"type": "group", "buttons": [binder, colab]}]}


def test_the_launch_menu_opens_the_reader_notebook_and_asks_for_a_hub_when_none_is_set():
    app, scripts = _app({"binderhub_url": "https://mybinder.org"})
    context = _context()
    point_launch_buttons(app, "book/05-trials", "page.html", context, None)
    menu = context["header_buttons"][1]["buttons"]
    assert [b["text"] for b in menu] == ["Binder", "JupyterHub", "Colab"]
    assert menu[0]["url"].endswith("urlpath=lab/tree/notebooks/05-trials.ipynb")
    assert menu[2]["url"].endswith("/blob/main/notebooks/05-trials.ipynb")
    assert menu[1]["url"] == (f"{ASK_FOR_HUB}repo={REPOSITORY}&branch=main"
                              "&urlpath=lab/tree/mbcbook/notebooks/05-trials.ipynb")
    assert scripts == ["mbcbook-launch.js"]
    assert context["header_buttons"][0]["url"] == "../_sources/book/05-trials.ipynb"  # the download: untouched


def test_a_configured_hub_keeps_the_theme_s_own_entry():
    app, _ = _app({"jupyterhub_url": "https://hub.example.org"})
    context = _context()
    point_launch_buttons(app, "book/05-trials", "page.html", context, None)
    assert [b["text"] for b in context["header_buttons"][1]["buttons"]] == ["Binder", "Colab"]


def test_a_page_without_a_launch_menu_is_left_alone():
    app, scripts = _app({})
    context = {"header_buttons": [{"type": "link", "url": "x"}]}
    point_launch_buttons(app, "book/a2-glossary", "page.html", context, None)
    assert context == {"header_buttons": [{"type": "link", "url": "x"}]} and scripts == []


def _book(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "05-trials.md").write_text("# Trials\n")
    (tmp_path / "book" / "06-registry.md").write_text(
        "(chapter-registry)=\n# Prospective registries\n\n"
        "```{glue:figure} fig-scores\n:name: fig-scores\n\nScores.\n```\n")
    built = {"book/05-trials"}
    env = SimpleNamespace(found_docs=built)
    return SimpleNamespace(env=env, srcdir=str(tmp_path))


def _reference(reftype, target, explicit=None):
    node = nodes.Element(reftype=reftype, reftarget=target, refdoc="book/05-trials", refexplicit=bool(explicit))
    return node, nodes.inline(explicit or target, explicit or target)


def test_only_files_left_out_of_the_toc_are_dropped(tmp_path):
    app = _book(tmp_path)
    dropped = dropped_documents(tmp_path, {"book/05-trials"}, {"book"})
    assert list(dropped) == ["book/06-registry"]
    assert dropped["book/06-registry"].labels == {"chapter-registry": "Prospective registries",
                                                  "fig-scores": "Prospective registries"}
    assert app.env.found_docs == {"book/05-trials"}


def test_links_into_a_dropped_chapter_become_text_and_others_stay_missing(tmp_path):
    app = _book(tmp_path)
    cases = {("doc", "06-registry", None): "Prospective registries",
             ("doc", "06-registry", "the registry"): "the registry",
             ("ref", "chapter-registry", None): "Prospective registries",
             ("numref", "fig-scores", None): "a figure of “Prospective registries”",
             ("numref", "fig-scores", "Figure {number}"): "Figure"}
    for (reftype, target, explicit), expected in cases.items():
        node, content = _reference(reftype, target, explicit)
        resolved = link_to_dropped(app, app.env, node, content)
        assert resolved.astext() == expected and "mbcbook-left-out" in resolved["classes"]
    for reftype, target in (("doc", "07-typo"), ("ref", "no-such-label"), ("term", "Hazard ratio")):
        node, content = _reference(reftype, target)
        assert link_to_dropped(app, app.env, node, content) is None  # Sphinx warns: the build fails
