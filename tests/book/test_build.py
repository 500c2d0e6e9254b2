"""The book builds with warnings as errors, every page exists, and the pages keep their promises."""

from __future__ import annotations

import datetime
import json
import re
import shutil

import nbformat
import pytest

from conftest import REPO
from mbcbook import evidence
from mbcbook.evidence import text
from mbcbook.site.build import build, toc_files
from mbcbook.site.offline import remote_loads

pytestmark = pytest.mark.build
GLUE = re.compile(r"\{glue:text\}`([^`]+)`")
DISCLAIMER = "Teaching material, not a clinical decision tool"


def pages(html_dir):
    return {doc: (html_dir / f"{doc}.html").read_text(encoding="utf-8") for doc in toc_files(REPO)}


def test_every_toc_entry_has_a_page(built_book):
    for doc in toc_files(REPO):
        assert (built_book / f"{doc}.html").is_file(), doc
    assert (built_book / "index.html").is_file()


def test_every_page_says_it_is_teaching_material(built_book):
    for doc, html in pages(built_book).items():
        assert DISCLAIMER in html, doc


def test_nothing_is_loaded_from_another_host(built_book):
    assert remote_loads(built_book) == []


def test_vega_is_loaded_only_on_pages_that_draw_charts(built_book):
    for doc, html in pages(built_book).items():
        has_chart = "data-mbcbook-chart=" in html
        assert bool(re.search(r'<script[^>]+src="[^"]*vega\.min\.js', html)) == has_chart, doc
        assert bool(re.search(r'<script[^>]+src="[^"]*mbcbook-charts\.js', html)) == has_chart, doc


def test_pages_do_not_load_what_a_static_book_cannot_use(built_book):
    for doc, html in pages(built_book).items():
        for unwanted in ("fontawesome.js", "sphinx-thebe", "THEBE_JS_URL", "x-thebe-config", "require.min.js",
                         "embed-amd.js", "widget-state+json", "mathjax@", "tex-mml-chtml"):
            assert unwanted not in html, f"{doc} loads {unwanted}"


def test_live_widgets_are_not_in_the_web_book(built_book):
    html = (built_book / "book" / "01-introduction.html").read_text(encoding="utf-8")
    assert "stage_iv_calculator" not in html and "jupyter-widgets" not in html
    assert "rocket icon" in html  # the note that replaces them


def test_math_is_rendered_to_mathml(built_book):
    html = (built_book / "book" / "a1-survival-primer.html").read_text(encoding="utf-8")
    assert "<math" in html and "\\frac" not in html


def expected_fact(ev, key: str) -> text.Fact:
    """The fact a pasted key stands for: from data/, or, for GBSG2 (the survival primer), computed from lifelines."""
    if key.startswith("gbsg2."):
        from mbcbook.analysis import gbsg2

        return gbsg2.facts()[key]
    return text.fact(ev, key)


def test_glued_figures_reach_the_pages_from_the_data(built_book):
    """Every {glue:text} in a chapter becomes, in order, exactly the fact from data/."""
    import html as html_lib

    ev = evidence.load()
    checked = 0
    for path in sorted((REPO / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        keys = [k for c in nb.cells if c.cell_type == "markdown" for k in GLUE.findall(c.source)]
        page = (built_book / "book" / f"{path.stem}.html").read_text(encoding="utf-8")
        pasted = [html_lib.unescape(t) for t in re.findall(r'<span class="pasted-text">(.*?)</span>', page)]
        assert pasted == [str(expected_fact(ev, key)) for key in keys], path.name
        checked += len(keys)
    assert checked >= 20


def test_corrections_are_visible(built_book):
    html = (built_book / "book" / "01-introduction.html").read_text(encoding="utf-8")
    assert html.count("Correction:") >= 3
    assert "(unconfirmed)" in html


def test_references_page_lists_sources_with_identifiers(built_book):
    html = (built_book / "book" / "a3-references.html").read_text(encoding="utf-8")
    for key_text in ("10.1016/S1470-2045(15)00135-7", "34995128", "10.1038/s41416-025-03097-z"):
        assert key_text in html


def _copy_repo(target):
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__",
                                                                  ".pytest_cache", ".hypothesis"))
    return target


@pytest.fixture(scope="module")
def changed_and_broken(tmp_path_factory):
    """One build of a copy with a changed table cell, a broken page reference and a failing cell.

    Sphinx keeps going after an error, so one build serves both tests below: the page that quotes
    the changed cell is written with the new value, and the build fails with both problems in
    its log.
    """
    tmp_path = tmp_path_factory.mktemp("changed")
    source = _copy_repo(tmp_path / "repo")
    csv = source / "data" / "epidemiology.csv"
    before, after = "england,England,national,2012,0.06,", "england,England,national,2012,0.07,"
    csv.write_text(csv.read_text().replace(before, after), encoding="utf-8")
    preface = source / "book" / "00-preface.md"
    preface.write_text(preface.read_text() + "\nSee {doc}`a page that does not exist <no-such-page>`.\n")
    nb_path = source / "book" / "02-contraindications.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('a broken cell')"))
    nbformat.write(nb, nb_path)
    # An educator's new eligibility rule: one row, no code.
    rules_csv = source / "data" / "eligibility_rules.csv"
    rules_csv.write_text(rules_csv.read_text(encoding="utf-8") + NEW_RULE + "\n", encoding="utf-8")
    # Of the notebooks, only chapters 1, 2 and 7 are built: the build fails anyway, so the references
    # to the chapters left out only add warnings, and it takes half the time.
    toc = source / "_toc.yml"
    kept = [line for line in toc.read_text().splitlines()
            if "- file: book/" not in line or not (source / f"{line.split('file: ')[1]}.ipynb").is_file()
            or any(f"book/{n}" in line for n in ("01-", "02-", "07-"))]
    toc.write_text("\n".join(kept) + "\n")
    try:
        build(source, tmp_path / "out", quiet=True)
    except RuntimeError as error:
        return tmp_path / "out" / "_build" / "html", str(error)
    return tmp_path / "out" / "_build" / "html", None


NEW_RULE = ("tata-not-pregnant,tata,pregnant,is_false,,Not pregnant (a rule added by a test),badwe2015,"
            "unconfirmed,Added on a temporary copy by tests/book/test_build.py.")


def test_a_new_rule_row_reaches_both_checkers_with_no_code_change(changed_and_broken):
    from mbcbook import evidence
    from mbcbook.analysis import eligibility
    from mbcbook.widgets.eligibility import eligibility_checker

    html_dir, _ = changed_and_broken
    page = (html_dir / "book" / "07-conclusions.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'class="mbcbook-checker-data">(.*?)</script>', page, re.DOTALL).group(1))
    added = [rule for rule in data["rules"] if rule["id"] == "tata-not-pregnant"]
    assert added == [{"id": "tata-not-pregnant", "source": "tata", "fields": ["pregnant"], "operator": "is_false",
                      "value": None, "text": "Not pregnant (a rule added by a test)", "ref": "badwe2015",
                      "link": added[0]["link"], "status": "unconfirmed"}]
    copied = evidence.load(html_dir.parent.parent.parent / "repo" / "data")
    result = eligibility.check(eligibility.make_profile(pregnant=True), copied.eligibility_rules)
    assert result.set_index("rule_id").loc["tata-not-pregnant", "verdict"] == "not met"
    app = eligibility_checker(copied)
    app.inputs["pregnant"].value = True
    assert "Not met: Not pregnant (a rule added by a test) (unconfirmed rule)" in app.answer.value


def test_a_changed_table_changes_the_page(changed_and_broken):
    """Change one CSV cell, rebuild, and the page that quotes it changes."""
    html_dir, _ = changed_and_broken
    html = (html_dir / "book" / "01-introduction.html").read_text(encoding="utf-8")
    words = re.sub(r"<[^>]+>", "", re.sub(r'<span class="mbcbook-fact-note".*?</span>', "", html))
    assert "7% in England" in words


def test_warnings_and_cell_errors_fail_the_build(changed_and_broken):
    _, log = changed_and_broken
    assert log is not None, "the build passed with a broken reference and a failing cell"
    assert "no-such-page" in log and "a broken cell" in log


def test_icon_fonts_hold_every_icon_the_site_shows_and_little_else(built_book):
    from fontTools.ttLib import TTFont

    from mbcbook.site.icons import FONT_DIR, used_code_points

    wanted = used_code_points(built_book)
    assert len(wanted) >= 15  # navigation, launch, download, theme and admonition icons
    solid = built_book / FONT_DIR / "fa-solid-900.woff2"
    assert solid.stat().st_size < 20_000  # the full font is 156 kB
    covered = set()
    for path in (built_book / FONT_DIR).glob("*.woff2"):
        covered |= set(TTFont(path).getBestCmap())
    assert wanted <= covered, sorted(hex(c) for c in wanted - covered)


def test_a_second_build_gives_identical_pages_with_no_date_in_them(built_book, tmp_path):
    """Reproducible builds: the same sources built again, elsewhere and later, give the same
    bytes; and no page carries today's date in any usual form, so another day gives them too.

    The second build takes the executed notebooks from the first build's execution cache, so it
    checks everything after execution (pages, charts compiled to Vega, icon fonts, search index)
    without running every notebook a fourth time in one test run (nbval, the first build and the
    live-notebook test run them). That the notebooks themselves give the same outputs run after run
    rests on seeded randomness (tests/analysis), charts compiled alike in every process
    (tests/site/test_vega.py) and tables with fixed ids (test_tables_in_chapters_have_fixed_ids);
    ``make stress`` builds the book from scratch again and again and compares the pages.
    """
    build(REPO, tmp_path / "again", quiet=True, execution_cache=built_book.parent.parent / "execution-cache")
    again = tmp_path / "again" / "_build" / "html"
    # Every file: pages, scripts, style sheets, the cut icon fonts (fontTools would stamp them
    # with the time), the offline search index.
    first = sorted(p.relative_to(built_book) for p in built_book.rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    differing = [str(p) for p in first if (built_book / p).read_bytes() != (again / p).read_bytes()]
    assert differing == []
    # The exercises' style sheet is linked with its checksum, as a rebuild would link it.
    assert "exercise.css?v=" in (built_book / "book" / "01-introduction.html").read_text(encoding="utf-8")
    today = datetime.date.today()
    dates = {today.isoformat(), today.strftime("%d %B %Y"), today.strftime("%B %d, %Y"),
             today.strftime("%b %d, %Y"), f"{today:%B} {today.day}, {today.year}",
             f"{today.day} {today:%B} {today.year}", today.strftime("%d/%m/%Y")}
    for doc, html in pages(built_book).items():
        assert "Last updated" not in html, doc
        assert not [d for d in dates if d in html], doc


def test_only_the_search_page_loads_the_search_index(built_book):
    """The theme would load the whole index on every page; it grows with every chapter."""
    for doc, html in pages(built_book).items():
        assert "searchindex.js" not in html and "searchtools.js" not in html, doc
    search = (built_book / "search.html").read_text(encoding="utf-8")
    assert "searchindex.js" in search and "searchtools.js" in search and "mbcbook-search.js" in search


def test_sphinx_design_loads_only_where_its_components_are(built_book):
    for doc, html in pages(built_book).items():
        uses_design = bool(re.search(r'class="[^"]*\bsd-', html))
        assert ("sphinx-design.min.css" in html) == uses_design, doc
        assert ("design-tabs.js" in html) == uses_design, doc


def test_launch_menu_draws_colab_with_the_icon_font(built_book):
    html = (built_book / "book" / "01-introduction.html").read_text(encoding="utf-8")
    assert "colab.research.google.com" in html and "fa-google" in html and "logo_colab.png" not in html


def test_every_pasted_figure_carries_its_source_and_status(built_book):
    """Each figure pasted from data/ is focusable and described by its reference, table, row and status."""
    import html as html_lib

    from mbcbook.site.facts import provenance_text

    ev = evidence.load()
    fact_span = re.compile(r'<span class="mbcbook-fact mbcbook-fact-(\w+)" tabindex="0" aria-describedby="([\w-]+)">'
                           r'<span class="pasted-text">(.*?)</span><span class="mbcbook-fact-note" role="tooltip" '
                           r'id="([\w-]+)">(.*?)</span></span>')
    checked = 0
    for path in sorted((REPO / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        keys = [k for c in nb.cells if c.cell_type == "markdown" for k in GLUE.findall(c.source)]
        page = (built_book / "book" / f"{path.stem}.html").read_text(encoding="utf-8")
        found = fact_span.findall(page)
        assert len(found) == len(keys), f"{path.name}: {len(found)} figures with a source, {len(keys)} pasted"
        for key, (status, described_by, shown, note_id, note) in zip(keys, found, strict=True):
            fact = expected_fact(ev, key)
            assert html_lib.unescape(shown) == str(fact) and status == fact.status
            assert described_by == note_id
            provenance = {"ref": fact.ref, "table": fact.table, "row": fact.row, "column": fact.column,
                          "status": fact.status}
            if fact.source:  # computed from a public data set (GBSG2), not read from data/
                provenance["source"] = fact.source
            assert html_lib.unescape(note) == provenance_text(provenance)
            where = fact.source or f"data/{fact.table}.csv, row {fact.row}"
            assert where in html_lib.unescape(note)
        ids = [note_id for *_, note_id, _ in found]
        assert len(ids) == len(set(ids)), f"{path.name}: two notes share an id"
        checked += len(keys)
    assert checked >= 100


def test_figures_and_exercises_are_numbered_by_chapter(built_book):
    """A chapter's figures read "Figure 4.1, 4.2 ..." and its exercises "Exercise 4.1 ..."; nothing unnumbered."""
    for path in sorted((REPO / "book").glob("0*.ipynb")):
        chapter = int(path.name[:2])
        source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        page = (built_book / "book" / f"{path.stem}.html").read_text(encoding="utf-8")
        for kind, directive in (("Figure", "{glue:figure}"), ("Exercise", "{exercise}")):
            expected = [f"{kind} {chapter}.{n}" for n in range(1, source.count(directive) + 1)]
            shown = re.findall(rf'<span class="caption-number">({kind} \d+\.\d+)', page)
            assert shown == expected, f"{path.name}: {shown} against {expected}"
        # Every numbered figure holds its chart, then the chart's text alternative, then its caption.
        for start in re.finditer(r'<figure class="align-default" id="fig-[\w-]+">', page):
            figure = page[start.end():page.index("<figcaption>", start.end())]
            assert figure.lstrip().startswith('<figure class="mbcbook-chart"'), path.name
            assert figure.rstrip().endswith("</details>") and 'class="mbcbook-alt"' in figure, path.name


def test_tables_in_chapters_have_fixed_ids():
    """A pandas Styler names its table with a random id unless given one: a page would then
    differ from build to build. Every Styler a chapter shows sets its id (set_uuid)."""
    for path in sorted((REPO / "book").glob("*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        for styled in re.findall(r"\.style\b.*", code):
            assert "set_uuid(" in styled, f"{path.name}: {styled.strip()}"
