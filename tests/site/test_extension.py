"""The Sphinx extension mbcbook.site on a small book, built in seconds.

``roots/basic`` holds one page with a chart, an equation and a citation (``book/chart.ipynb``,
outputs stored, not executed) and one page without a chart (``index.md``). Each test checks one
part of the extension on that build; the whole book's build (tests/book/test_build.py) stays the
integration test.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent / "roots" / "basic"
CHART_PAGE = "book/chart.html"
PAGES_WITHOUT_CHARTS = ("index.html", "search.html", "genindex.html")


@contextlib.contextmanager
def _environment_kept():
    """The extension sets environment variables for the notebooks' kernels; undo them."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        os.environ.update(saved)


def build(source: Path, output: Path) -> Path:
    """Build ``source`` with Sphinx, in this process, warnings as errors; return the HTML folder."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    html = output / "html"
    with _environment_kept(), patch_docutils(source), docutils_namespace():
        app = Sphinx(str(source), str(source), str(html), str(output / "doctrees"), "html",
                     status=None, warning=io.StringIO(), freshenv=True, warningiserror=True)
        app.build()
    return html


def copy_root(target: Path) -> Path:
    """A copy of the root whose notebook holds its stored outputs and widget state.

    The committed notebook is clean, as every notebook of the project is; the chart output and
    widget state it would have after running are in ``chart-outputs.json`` and put back here,
    so the build needs no kernel.
    """
    root = Path(shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns("_build", "__pycache__",
                                                                            "chart-outputs.json")))
    stored = json.loads((ROOT / "chart-outputs.json").read_text(encoding="utf-8"))
    notebook = root / "book" / "chart.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = next(cell for cell in nb["cells"] if cell["cell_type"] == "code")
    code["outputs"], code["execution_count"] = stored["outputs"], 1
    nb["metadata"]["widgets"] = stored["widgets"]
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The small book, built once for this module."""
    work = tmp_path_factory.mktemp("extension")
    return build(copy_root(work / "source"), work / "out")


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html)


def test_vegalite_output_becomes_a_chart_figure_with_an_inline_vega_spec(site):
    html = read(site, CHART_PAGE)
    figures = re.findall(r"<figure\b[^>]*\bdata-mbcbook-chart=[^>]*>", html)
    assert len(figures) == 1 and 'data-mbcbook-state="pending"' in figures[0]
    payload = re.search(r'<script type="application/json" class="mbcbook-chart-spec">(.*?)</script>', html, re.S)
    spec = json.loads(payload.group(1))
    assert "/schema/vega/v" in spec["$schema"]  # Vega, compiled at build time, not Vega-Lite
    values = [row for dataset in spec["data"] for row in dataset.get("values", [])]
    assert {row["arm"] for row in values} == {"Surgery", "No surgery"}  # data inline, not by URL
    assert spec["description"].startswith("Bar chart of patients per arm")
    assert "alt.Chart(...)" not in html  # the chart, not the text fallback of the output


def test_only_pages_with_a_chart_load_vega_and_the_drawing_script(site):
    chart_scripts = " ".join(scripts(read(site, CHART_PAGE)))
    assert re.search(r'src="\.\./_static/vendor/vega-[\d.]+/vega\.min\.js', chart_scripts)
    assert re.search(r'src="\.\./_static/mbcbook-charts\.js', chart_scripts)
    assert any((site / "_static" / "vendor").glob("vega-*/vega.min.js"))
    assert (site / "_static" / "mbcbook-charts.js").is_file()
    for page in PAGES_WITHOUT_CHARTS:
        html = read(site, page)
        assert "data-mbcbook-chart" not in html
        assert "vega.min.js" not in html and "mbcbook-charts.js" not in html, page


def test_math_is_mathml_and_no_page_loads_mathjax(site):
    html = read(site, CHART_PAGE)
    assert html.count("<math ") == 2  # inline and display
    assert 'display="block"' in html and "<mfrac>" in html
    assert "\\frac" not in html and "\\hat" not in html
    for page in (CHART_PAGE, *PAGES_WITHOUT_CHARTS):
        loaded = " ".join(scripts(read(site, page))).lower()
        assert "mathjax" not in loaded and "tex-mml" not in loaded, page


def test_thebe_and_widget_scripts_are_dropped(site):
    # The root loads sphinx-thebe and carries widget state, so both would reach the pages.
    assert (site / "_static" / "sphinx-thebe.js").is_file()
    assert "widget-state+json" in (ROOT / "chart-outputs.json").read_text(encoding="utf-8")
    for page in (CHART_PAGE, *PAGES_WITHOUT_CHARTS):
        html = read(site, page)
        for unwanted in ("sphinx-thebe", "THEBE_JS_URL", "thebe_selector", "x-thebe-config", "kernelName =",
                         "widget-state+json", "require.min.js", "embed-amd.js"):
            assert unwanted not in html, f"{page} still holds {unwanted}"


def test_bibliography_labels_are_author_year_and_entries_are_list_items(site):
    html = read(site, CHART_PAGE)
    label = re.search(r'<span class="label">.*?</span></span>', html).group(0)
    assert "Smith et al., 2020" in label
    assert 'role="doc-biblioentry"' not in html and 'role="listitem"' in html


def test_icon_fonts_are_cut_to_the_icons_the_site_shows(site):
    from fontTools.ttLib import TTFont
    from pydata_sphinx_theme import __file__ as theme_init

    from mbcbook.site.icons import FONT_DIR, used_code_points

    theme_fonts = Path(theme_init).parent / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome"
    original = theme_fonts / "webfonts" / "fa-solid-900.woff2"
    solid = site / FONT_DIR / "fa-solid-900.woff2"
    assert solid.stat().st_size < original.stat().st_size / 10
    wanted = used_code_points(site)
    assert 0xF0C3 in wanted  # fa-flask, shown on the chart page only
    covered = set()
    for path in (site / FONT_DIR).glob("*.woff2"):
        covered |= set(TTFont(path).getBestCmap())
    assert wanted <= covered, sorted(hex(c) for c in wanted - covered)
    assert len(set(TTFont(solid).getBestCmap())) < len(set(TTFont(original).getBestCmap())) / 10


def test_the_theme_style_sheet_keeps_only_rules_that_can_apply(site):
    import gzip
    import hashlib

    from pydata_sphinx_theme import __file__ as theme_init

    original = (Path(theme_init).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles"
                / "pydata-sphinx-theme.css").read_bytes()
    sheet = (site / "_static" / "styles" / "pydata-sphinx-theme.css").read_bytes()
    assert len(gzip.compress(sheet)) < len(gzip.compress(original)) / 2
    text = sheet.decode("utf-8")
    assert ".bd-sidebar-primary" in text and ".fa-flask:before" in text  # on the pages
    assert ".collapsing" in text and ".dropdown-menu-dark" in text  # added by scripts
    assert ".accordion-button" not in text and ".fa-address-book" not in text  # in no page nor script
    assert "@font-face" in text and "@keyframes" in text and "--pst-color-primary" in text
    digest = hashlib.sha256(sheet).hexdigest()[:20]
    for page in (CHART_PAGE, *PAGES_WITHOUT_CHARTS):
        assert f'pydata-sphinx-theme.css?digest={digest}"' in read(site, page), page


def test_every_page_links_the_site_icon_with_a_relative_url(site):
    from PIL import Image

    icon = site / "_static" / "favicon.png"
    with Image.open(icon) as image:
        assert image.format == "PNG" and image.size == (32, 32)
    for page in (CHART_PAGE, *PAGES_WITHOUT_CHARTS):
        links = re.findall(r'<link rel="icon" href="([^"]+)"', read(site, page))
        assert len(links) == 1, page
        href = links[0]
        assert not re.match(r"(?:[a-z]+:)?/", href), f"{page}: {href} is not relative"
        assert ((site / page).parent / href).resolve() == icon.resolve(), page


def test_a_page_that_loads_from_another_host_fails_the_build(tmp_path):
    from sphinx.errors import ExtensionError

    source = copy_root(tmp_path / "source")
    index = source / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n```{raw} html\n"
                     '<script src="https://cdn.example.org/library.js"></script>\n```\n', encoding="utf-8")
    with pytest.raises(ExtensionError, match=r"load 1 resource\(s\) from other hosts") as caught:
        build(source, tmp_path / "out")
    assert "index.html: https://cdn.example.org/library.js" in str(caught.value)


@pytest.mark.parametrize("markup, url", [
    ('<script src="https://cdn.example.org/a.js"></script>', "https://cdn.example.org/a.js"),
    ("<img alt='' src=//cdn.example.org/a.png>", "//cdn.example.org/a.png"),
    ('<link href="https://cdn.example.org/a.css" rel="stylesheet">', "https://cdn.example.org/a.css"),
    ('<link rel="icon" href="http://cdn.example.org/favicon.ico">', "http://cdn.example.org/favicon.ico"),
    ("<style>@import 'https://cdn.example.org/a.css';</style>", "https://cdn.example.org/a.css"),
    ('<div style="background: url(https://cdn.example.org/a.png)"></div>', "https://cdn.example.org/a.png"),
])
def test_remote_loads_finds_each_kind_of_remote_load(tmp_path, markup, url):
    from mbcbook.site.offline import remote_loads

    (tmp_path / "page.html").write_text(markup, encoding="utf-8")
    assert remote_loads(tmp_path) == [f"page.html: {url}"]


def test_remote_loads_leaves_local_loads_and_plain_links_alone(tmp_path):
    from mbcbook.site.offline import remote_loads

    (tmp_path / "page.html").write_text(
        '<script src="_static/a.js"></script><link rel="icon" href="_static/favicon.png">'
        '<a href="https://example.org/paper">a paper</a><link rel="canonical" href="https://example.org/">',
        encoding="utf-8")
    (tmp_path / "style.css").write_text("body { background: url(images/a.png) }", encoding="utf-8")
    assert remote_loads(tmp_path) == []
