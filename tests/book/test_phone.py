"""The built book's charts on a phone: at 360 px wide every chart fits its column, unscrolled and uncut.

For every page with charts, opened at 360 x 740 (a small phone): no horizontal scroll, every
chart's SVG inside its figure's content box, no label truncated with an ellipsis, every text of
the chart inside the SVG, and no text smaller than 11 px as drawn. A screenshot of each page
goes to ``_build/screens/phone-<page>.png``. The charts follow the window when it is resized.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

import pytest

from conftest import REPO, SCREENS
from mbcbook.site.build import toc_files
from mbcbook.site.vega import CHART_MARKER

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PAGES = [f"{doc}.html" for doc in toc_files(REPO)]


def _draws_charts(doc: str) -> bool:
    """Whether a code cell of the page draws a chart (``charts.draw``, ``charts.show...``, ``charts.glue_figure``,
    or a chart module's ``show_...``)."""
    notebook, markdown = REPO / f"{doc}.ipynb", REPO / f"{doc}.md"
    if notebook.is_file():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    elif markdown.is_file():
        code = re.findall(r"```\{code-cell\}.*?```", markdown.read_text(encoding="utf-8"), flags=re.S)
    else:
        code = []
    # charts.draw, charts.glue_figure, charts.show_survival_explorer, and a chart module's show_...
    # (pooling_charts.show_pooling, selection_charts.show_lab).
    return any(re.search(r"\b\w*charts\.(draw|show\w*|glue_figure)\(", cell) for cell in code)


#: Pages whose source draws charts; test_chart_pages_are_all_checked holds this to the built book.
CHART_PAGES = [f"{doc}.html" for doc in toc_files(REPO) if _draws_charts(doc)]
MIN_FONT_PX = 11
SLACK = 0.5  # px: sub-pixel rounding of bounding boxes

WAIT_DRAWN = f"""() => [...document.querySelectorAll('[{CHART_MARKER}]')]
    .every(f => f.dataset.mbcbookState === 'drawn' || f.dataset.mbcbookState === 'error')"""

# For every chart: its figure's content box, its SVG's box and every text of the SVG as drawn.
MEASURE = f"""() => [...document.querySelectorAll('[{CHART_MARKER}]')].map(figure => {{
    const box = figure.getBoundingClientRect(), style = getComputedStyle(figure);
    const column = {{left: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
                    right: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth)}};
    const svg = figure.querySelector('svg');
    if (!svg) return {{id: figure.id, state: figure.dataset.mbcbookState, svg: null, texts: []}};
    const frame = svg.getBoundingClientRect();
    const scale = frame.width / (svg.width.baseVal.value || frame.width);
    const texts = [...svg.querySelectorAll('text')].filter(t => t.getBBox().width > 0).map(t => {{
        const r = t.getBoundingClientRect();
        const lines = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')].map(s => s.textContent)
                                                          : [t.textContent];
        return {{text: t.textContent, lines, left: r.left, right: r.right,
                font: parseFloat(getComputedStyle(t).fontSize) * scale}};
    }});
    return {{id: figure.id, state: figure.dataset.mbcbookState, column,
            svg: {{left: frame.left, right: frame.right, width: frame.width}}, texts}};
}})"""


def _open(browser, site: str, page_name: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site + "/")
               else route.abort())
    page.goto(f"{site}/{page_name}", wait_until="load")
    page.wait_for_function(WAIT_DRAWN, timeout=20_000)
    return context, page


def _layout_problems(page) -> list[str]:
    problems = []
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        problems.append(f"the page scrolls sideways: {scroll} px of content in a {inner} px window")
    for chart in page.evaluate(MEASURE):
        name = chart["id"]
        if chart["state"] != "drawn" or chart["svg"] is None:
            problems.append(f"{name} was not drawn ({chart['state']})")
            continue
        svg, column = chart["svg"], chart["column"]
        if svg["left"] < column["left"] - SLACK or svg["right"] > column["right"] + SLACK:
            problems.append(f"{name}: the chart ({svg['left']:.0f}-{svg['right']:.0f} px) is wider than its "
                            f"column ({column['left']:.0f}-{column['right']:.0f} px)")
        for text in chart["texts"]:
            if any(line.rstrip().endswith("\u2026") for line in text["lines"]):
                problems.append(f"{name}: label cut short: {text['text']!r}")
            if text["left"] < svg["left"] - SLACK or text["right"] > svg["right"] + SLACK:
                problems.append(f"{name}: label outside the chart ({text['left']:.0f}-{text['right']:.0f} px, "
                                f"chart {svg['left']:.0f}-{svg['right']:.0f} px): {text['text']!r}")
            if text["font"] < MIN_FONT_PX - 0.05:
                problems.append(f"{name}: label drawn at {text['font']:.1f} px: {text['text']!r}")
    return problems


@pytest.fixture(scope="module")
def chart_pages(built_book) -> list[str]:
    """Every page of the built book that holds a chart."""
    return [p for p in PAGES if CHART_MARKER in (built_book / p).read_text(encoding="utf-8")]


def test_chart_pages_are_all_checked(chart_pages):
    assert chart_pages, "no page of the book has a chart: the phone tests would check nothing"
    assert chart_pages == CHART_PAGES, "pages with charts in the built book differ from those tested below"


@pytest.mark.parametrize("page_name", CHART_PAGES)
def test_charts_fit_a_phone(browser, site, page_name):
    context, page = _open(browser, site, page_name, PHONE)
    try:
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"phone-{PurePosixPath(page_name).stem}.png"), full_page=True)
        problems = _layout_problems(page)
    finally:
        context.close()
    assert problems == [], f"{page_name} at {PHONE['width']} px:\n" + "\n".join(problems)


def test_charts_follow_the_window_when_it_is_resized(browser, site, chart_pages):
    """Drawn for a phone, widened to a desktop, narrowed again: the charts grow, then fit again."""
    context, page = _open(browser, site, chart_pages[0], PHONE)
    try:
        svg_widths = ("() => [...document.querySelectorAll('[data-mbcbook-chart] svg')]"
                      ".map(s => s.getBoundingClientRect().width)")
        narrow = page.evaluate(svg_widths)
        page.set_viewport_size(DESKTOP)
        page.wait_for_function(f"() => ({svg_widths})().every((w, i) => w > {narrow}[i] + 100)", timeout=5_000)
        page.set_viewport_size(PHONE)
        page.wait_for_function(f"() => ({svg_widths})().every((w, i) => Math.abs(w - {narrow}[i]) < 1)", timeout=5_000)
        assert _layout_problems(page) == []
    finally:
        context.close()


def test_chart_controls_work_from_the_keyboard_on_a_phone(browser, site, chart_pages):
    """Every bound control is inside the window, reached with Tab, and changes its chart."""
    context, page = _open(browser, site, chart_pages[0], PHONE)
    try:
        controls = page.locator(".mbcbook-chart-controls input, .mbcbook-chart-controls select")
        assert controls.count() > 0
        for index in range(controls.count()):
            control = controls.nth(index)
            box = control.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
            assert box[0] >= 0 and box[1] <= PHONE["width"], f"control {index} sticks out of the window: {box}"
        page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
        reached = set()
        for _ in range(400):
            page.keyboard.press("Tab")
            index = page.evaluate("""() => [...document.querySelectorAll(
                '.mbcbook-chart-controls input, .mbcbook-chart-controls select')].indexOf(document.activeElement)""")
            if index >= 0:
                reached.add(index)
                figure = page.evaluate("() => document.activeElement.closest('[data-mbcbook-chart]').id")
                before = page.evaluate(f"() => document.getElementById('{figure}').querySelector('svg').outerHTML")
                kind = page.evaluate("() => document.activeElement.type")
                page.keyboard.press({"range": "End", "checkbox": "Space"}.get(kind, "ArrowDown"))
                page.evaluate(f"() => document.getElementById('{figure}').mbcbookView.runAsync().then(() => true)")
                after = page.evaluate(f"() => document.getElementById('{figure}').querySelector('svg').outerHTML")
                assert after != before, f"control {index} ({kind}) changed nothing at {PHONE['width']} px"
            if len(reached) == controls.count():
                break
        assert len(reached) == controls.count(), f"Tab reached controls {sorted(reached)} of {controls.count()}"
        assert _layout_problems(page) == [], "operating the controls pushed a chart out of its column"
    finally:
        context.close()


def test_the_visible_buttons_open_the_contents_on_a_phone(browser, site):
    """The table of contents and the page's outline open from the buttons a reader sees.

    pydata-sphinx-theme 0.17 binds the first such button of the page, which sphinx-book-theme
    hides; mbcbook's header template removes the hidden ones (see templates/sections/header.html).
    """
    context, page = _open(browser, site, "book/01-introduction.html", PHONE)
    try:
        for kind, modal in (("primary", "pst-primary-sidebar-modal"), ("secondary", "pst-secondary-sidebar-modal")):
            buttons = page.locator(f"button.{kind}-toggle")
            assert buttons.count() == 1, f"{buttons.count()} {kind} toggles: the theme's script binds only the first"
            buttons.first.click()
            page.wait_for_function(f"() => document.getElementById('{modal}').open", timeout=5_000)
            assert page.locator(f"#{modal} a").count() > 3, f"the {kind} sidebar opened empty"
            page.keyboard.press("Escape")
            page.wait_for_function(f"() => !document.getElementById('{modal}').open", timeout=5_000)
    finally:
        context.close()
