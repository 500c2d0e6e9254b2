"""The theme's style sheets cut to the rules that can apply (mbcbook.site.styles), on small sites
written by each test; the whole book's sheet is checked by tests/site/test_extension.py."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from mbcbook.site.styles import SAFELIST, trim_css, trim_style_sheets, used_names

SHEET = "styles/pydata-sphinx-theme.css"


def make_site(root: Path, css: str, html: str = '<p class="used" id="main">x</p>', js: str | None = None,
              sheet: str = SHEET) -> Path:
    """A built site in miniature: one page linking one style sheet, and a script if ``js``."""
    static = root / "_static"
    (static / sheet).parent.mkdir(parents=True, exist_ok=True)
    (static / sheet).write_text(css, encoding="utf-8")
    link = f'<link href="_static/{sheet}?digest=0123456789abcdef0123" rel="stylesheet" />'
    (root / "page.html").write_text(f"<!DOCTYPE html><html><head>{link}</head><body>{html}</body></html>",
                                    encoding="utf-8")
    if js is not None:
        (static / "app.js").write_text(js, encoding="utf-8")
    return root


def trimmed(root: Path, sheet: str = SHEET) -> str:
    trim_style_sheets(root)
    return (root / "_static" / sheet).read_text(encoding="utf-8")


def test_a_rule_on_a_class_of_a_page_stays_and_a_rule_on_a_class_of_no_page_goes(tmp_path):
    site = make_site(tmp_path, ".used{color:red}.unused{color:blue}#main{top:0}#nowhere{top:1px}")
    assert trimmed(site) == ".used{color:red}#main{top:0}"


def test_a_rule_stays_when_any_selector_of_its_list_can_match(tmp_path):
    css = ".unused,.used p{margin:0}.unused,.gone{margin:1px}p.used.unused{margin:2px}"
    assert trim_css(css, {"used"}) == ".unused,.used p{margin:0}"


def test_rules_without_a_class_or_id_outside_parentheses_stay():
    css = ("p{margin:0}html[data-theme=dark]{--x:1}a:hover{color:red}*{box-sizing:border-box}"
           ":not(.unused)>p{top:0}[class*=unused]{top:1px}:is(.unused,p){top:2px}")
    assert trim_css(css, set()) == css


def test_font_faces_keyframes_custom_properties_and_licences_stay():
    css = ('@charset "UTF-8";\n/*! Bootstrap, MIT licence */:root,[data-bs-theme=light]{--bs-blue:#0d6efd}'
           '@font-face{font-family:"Font Awesome 6 Free";src:url(../webfonts/fa-solid-900.woff2) format("woff2")}'
           "@keyframes fa-spin{0%{transform:rotate(0)}to{transform:rotate(1turn)}}"
           '.unused:before{content:"\\f0c9"}@page{margin:1cm}')
    assert trim_css(css, set()) == css[:css.index(".unused")] + "@page{margin:1cm}"


def test_media_blocks_are_trimmed_inside_and_go_when_emptied():
    css = ("@media (min-width:960px){.used{top:0}.unused{top:1px}}"
           "@media print{.unused{display:none}}@supports (display:grid){.unused{top:2px}}"
           "@media (prefers-reduced-motion:reduce){@supports (x:y){.unused{top:3px}}p{top:4px}}")
    assert trim_css(css, {"used"}) == ("@media (min-width:960px){.used{top:0}}"
                                       "@media (prefers-reduced-motion:reduce){p{top:4px}}")


def test_kept_rules_keep_their_bytes_and_the_source_map_comment_goes():
    css = ('.used:before {\r\n  content: "\\f0c9"; /* bars */\n}\n.unused { color: red }\n'
           "/*# sourceMappingURL=pydata-sphinx-theme.css.map*/")
    assert trim_css(css, {"used"}) == '.used:before {\n  content: "\\f0c9"; /* bars */\n}\n\n'


def test_a_rule_whose_class_only_a_script_adds_stays(tmp_path):
    css = ".collapsing{height:0}.dropdown-menu-dark{color:#fff}.never{top:0}"
    without_script = make_site(tmp_path / "a", css)
    assert trimmed(without_script) == ""
    with_script = make_site(tmp_path / "b", css, js='e.classList.add("collapsing");const d="dropdown-menu-dark"')
    assert trimmed(with_script) == ".collapsing{height:0}.dropdown-menu-dark{color:#fff}"
    inline = make_site(tmp_path / "c", css, html="<script>document.body.classList.add('collapsing')</script>")
    assert trimmed(inline) == ".collapsing{height:0}"


def test_names_come_from_class_and_id_attributes_however_written(tmp_path):
    """Lower-cased: a page in quirks mode matches class names without regard to case."""
    (tmp_path / "page.html").write_text("<div class='A  b\tc' id=d></div><svg><g class=\"e\"></g></svg>"
                                        "<p data-class=\"f\">g h</p>", encoding="utf-8")
    names = used_names(tmp_path) - {name.lower() for name in SAFELIST}
    assert names == {"a", "b", "c", "d", "e"}


def test_bootstrap_tooltips_keep_their_rules(tmp_path):
    """Bootstrap builds the class as `bs-${this.constructor.NAME}-auto`: no script holds it whole."""
    css = ".bs-tooltip-auto[data-popper-placement^=top] .tooltip-arrow,.bs-tooltip-top .tooltip-arrow{bottom:0}"
    site = make_site(tmp_path, css, js='const t=`bs-${this.constructor.NAME}-auto`,a=\'<div class="tooltip-arrow">\'')
    assert trimmed(site) == css


def test_the_pages_query_on_a_trimmed_sheet_is_a_hash_of_its_new_content(tmp_path):
    site = make_site(tmp_path, ".used{top:0}.unused{top:1px}")
    (site / "book").mkdir()
    (site / "book" / "ch.html").write_text('<link rel="stylesheet" href="../_static/basic.css" />'
                                           '<link href="../_static/styles/pydata-sphinx-theme.css?digest=0123" />'
                                           '<a href="../_static/basic.css?v=1">basic.css?v=1</a>', encoding="utf-8")
    (site / "_static" / "basic.css").write_text("p{top:0}.unused{top:1px}", encoding="utf-8")
    (site / "_static" / "styles" / "theme.css").write_text('@import "../basic.css";', encoding="utf-8")
    (site / "page.html").write_text((site / "page.html").read_text(encoding="utf-8").replace(
        "</head>", '<link href="_static/styles/theme.css?digest=0123456789abcdef0123" rel="stylesheet" /></head>'),
        encoding="utf-8")
    trim_style_sheets(site)
    sheet = (site / "_static" / SHEET).read_bytes()
    digest = hashlib.sha256(sheet).hexdigest()[:20]
    basic_v = format(zlib.crc32(b"p{top:0}"), "08x")
    theme = (site / "_static" / "styles" / "theme.css").read_bytes()
    assert theme == f'@import "../basic.css?v={basic_v}";'.encode()
    page = (site / "page.html").read_text(encoding="utf-8")
    assert f'href="_static/{SHEET}?digest={digest}"' in page
    assert f'href="_static/styles/theme.css?digest={hashlib.sha256(theme).hexdigest()[:20]}"' in page
    chapter = (site / "book" / "ch.html").read_text(encoding="utf-8")
    assert f'href="../_static/basic.css?v={basic_v}"' in chapter  # a link without a query gets one
    assert f'href="../_static/{SHEET}?digest={digest}"' in chapter
    assert '<a href="../_static/basic.css?v=1">basic.css?v=1</a>' in chapter  # not a <link>: left alone


def test_trimming_again_changes_nothing_and_other_classes_give_another_digest(tmp_path):
    site = make_site(tmp_path / "a", ".used{top:0}.other{top:1px}.unused{top:2px}")
    trim_style_sheets(site)
    first = {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    trim_style_sheets(site)
    assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == first
    other = make_site(tmp_path / "b", ".used{top:0}.other{top:1px}.unused{top:2px}", html='<p class="used other">')
    trim_style_sheets(other)
    digests = [re.search(r"\?digest=(\w+)", (root / "page.html").read_text(encoding="utf-8"))[1]
               for root in (site, other)]
    assert digests[0] != digests[1] and "0123456789abcdef0123" not in digests


def test_the_output_is_the_same_in_every_process(tmp_path):
    """Sets of names and dictionaries are iterated in an order that changes with the process's hash
    seed; the trimmed sheet and pages must not depend on it."""
    from pydata_sphinx_theme import __file__ as theme_init

    theme_sheet = (Path(theme_init).parent / "theme" / "pydata_sphinx_theme" / "static" / "styles"
                   / "pydata-sphinx-theme.css")
    html = '<nav class="bd-sidebar navbar nav-link active"><i class="fa-solid fa-bars"></i></nav>'
    sites = []
    for seed in ("1", "2", "3"):
        site = make_site(tmp_path / seed, theme_sheet.read_text(encoding="utf-8"), html=html,
                         js='x.classList.add("show","collapsing")')
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", f"from mbcbook.site.styles import trim_style_sheets; "
                        f"trim_style_sheets({str(site)!r})"], check=True, env=env)
        sites.append({p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()})
    assert sites[0] == sites[1] == sites[2]
    assert len(gzip.compress(sites[0][Path("_static") / SHEET])) < len(gzip.compress(theme_sheet.read_bytes())) / 3


def test_a_cut_that_is_not_one_whole_rule_is_refused(monkeypatch):
    """Offsets computed wrongly would cut the sheet in the middle of a rule: refused, not written."""
    from mbcbook.site import styles

    monkeypatch.setattr(styles, "_offsets", lambda text: lambda node: node.source_column)  # one off
    with pytest.raises(ValueError, match="is not one whole rule"):
        trim_css("p{top:0}.unused{top:1px}.used{top:2px}", {"used"})


def test_a_site_without_the_sheets_is_left_alone(tmp_path):
    site = make_site(tmp_path, ".unused{top:0}", sheet="other.css")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert trim_style_sheets(site) == {}
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    shutil.rmtree(site / "_static")
    assert trim_style_sheets(site) == {}
