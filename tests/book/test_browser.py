"""The built book in a real browser (Debian's Chromium, headless) with the network cut off.

For every page: no console error, no request to any host but the local server (each is
recorded and blocked), every chart drawn with marks, every bound control operated from the
keyboard and shown to change its chart, axe-core with no serious or critical violation, a text
alternative for every chart, and a full-page screenshot in ``_build/screens/`` to look at.
A summary of what was measured is written to ``_build/screens/summary.json``.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import REPO, SCREENS
from mbcbook import evidence
from mbcbook.analysis import eligibility as elig
from mbcbook.analysis.epidemiology import expected_stage_iv_cases
from mbcbook.charts import survival as survival_charts
from mbcbook.site.build import toc_files

pytestmark = pytest.mark.browser
PAGES = [f"{doc}.html" for doc in toc_files(REPO)] + ["search.html", "genindex.html"]
# Budget for the first view of any page, all files gzip-compressed (fonts as they are).
FIRST_VIEW_BUDGET = 350_000
SUMMARY: dict[str, dict] = {}


def _axe_script() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def gzip_size(path: Path) -> int:
    data = path.read_bytes()
    if path.suffix in (".woff2", ".woff", ".png", ".jpg", ".gif"):
        return len(data)  # already compressed; servers send them as they are
    return len(gzip.compress(data, 6))


class Visit:
    """One page opened in a fresh browser context, with everything it did recorded."""

    def __init__(self, browser, site: str, page_name: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.local: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed request: {r.url}")
                     if r.url.startswith(site) else None)
        # A missing page, image, script, style or font answers 404: an error, even if the page looks right.
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}")
                     if r.status >= 400 and r.url.startswith(site) else None)
        self.page.on("requestfinished", lambda r: self.local.append(r.url) if r.url.startswith(site) else None)

        def route(request_route):
            url = request_route.request.url
            if url.startswith(site + "/") or url.startswith("data:") or url.startswith("blob:"):
                request_route.continue_()
            else:
                self.blocked.append(url)
                request_route.abort()

        self.page.route("**/*", route)
        self.page.goto(f"{site}/{page_name}", wait_until="load")
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('[data-mbcbook-chart]')]"
            ".every(f => f.dataset.mbcbookState !== 'pending')", timeout=20_000)
        self._check_tab_icon(site)

    def _check_tab_icon(self, site: str) -> None:
        """Chromium fetches the tab icon by itself, unseen by the page's events: the page's
        ``<link rel="icon">``, else /favicon.ico at the host's root. Fetch it the same way here."""
        icon = self.page.evaluate("() => (document.querySelector('link[rel~=icon]') || {}).href || null")
        icon = icon or f"{site}/favicon.ico"
        if icon.startswith(site + "/"):
            status = self.context.request.get(icon).status
            if status >= 400:
                self.errors.append(f"HTTP {status}: {icon} (the tab icon)")

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visits(browser, site):
    opened = {}

    def visit(name: str) -> Visit:
        # Each page is opened once per module (setdefault would open it again on every call).
        if name not in opened:
            opened[name] = Visit(browser, site, name)
        return opened[name]

    yield visit
    for visit in opened.values():
        visit.close()


@pytest.fixture(scope="module", autouse=True)
def write_summary():
    yield
    if SUMMARY:
        SCREENS.mkdir(parents=True, exist_ok=True)
        (SCREENS / "summary.json").write_text(json.dumps(SUMMARY, indent=2, sort_keys=True))


@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_offline_without_errors(visits, built_book, page_name):
    visit = visits(page_name)
    page = visit.page
    SCREENS.mkdir(parents=True, exist_ok=True)
    # The first view, as a reader sees it on opening the page (a full-page shot of a long chapter
    # takes a second or more; tests/book/test_phone.py keeps phone-sized shots of the charts).
    page.screenshot(path=str(SCREENS / (page_name.replace("/", "_").replace(".html", ".png"))))
    weight = sum(gzip_size(built_book / unquote(urlparse(u).path).lstrip("/")) for u in set(visit.local))
    charts = page.evaluate("""() => [...document.querySelectorAll('[data-mbcbook-chart]')].map(f => ({
        id: f.id, state: f.dataset.mbcbookState,
        marks: f.querySelectorAll('svg .role-mark > *').length,
        label: (f.querySelector('svg') || {getAttribute: () => ''}).getAttribute('aria-label') || ''}))""")
    SUMMARY.setdefault(page_name, {}).update({
        "console_errors": list(visit.errors), "blocked_requests": list(visit.blocked),
        "requests": len(set(visit.local)), "first_view_gzip_bytes": weight,
        "charts": len(charts), "charts_drawn": sum(c["state"] == "drawn" and c["marks"] > 0 for c in charts)})
    assert visit.errors == [], f"console errors on {page_name}: {visit.errors}"
    assert visit.blocked == [], f"{page_name} asked other hosts for: {visit.blocked}"
    for chart in charts:
        assert chart["state"] == "drawn" and chart["marks"] > 0, f"{page_name}: chart {chart['id']} not drawn"
        assert len(chart["label"]) > 40, f"{page_name}: chart {chart['id']} has no accessible description"
    assert weight <= FIRST_VIEW_BUDGET, f"{page_name}: first view {weight / 1e6:.3f} MB gzip"


@pytest.mark.parametrize("page_name", PAGES)
def test_page_has_no_serious_accessibility_violations(visits, page_name):
    page = visits(page_name).page
    page.add_script_tag(path=str(_axe_script()))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    SUMMARY.setdefault(page_name, {}).update({
        "axe_violations": {v["id"]: v["impact"] for v in result["violations"]},
        "axe_passes": len(result.get("passes", []))})
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("page_name", PAGES)
def test_every_chart_has_a_text_alternative_and_no_dead_controls(visits, page_name):
    page = visits(page_name).page
    figures = page.evaluate("""() => [...document.querySelectorAll('[data-mbcbook-chart]')].map(f => {
        let next = f.parentElement;
        while (next && !next.querySelector('details.mbcbook-alt')) next = next.nextElementSibling;
        const alt = next ? next.querySelector('details.mbcbook-alt') : null;
        return {id: f.id, rows: alt ? alt.querySelectorAll('tbody tr').length : 0,
                text: alt ? alt.querySelector('p').textContent.length : 0};
    })""")
    for figure in figures:
        assert figure["rows"] > 0 and figure["text"] > 40, f"{page_name}: {figure['id']} lacks its text alternative"
    # Every input in the article belongs to a chart (so it changes something); ipywidgets never appear.
    stray = page.evaluate("""() => [...document.querySelectorAll('article input, article select, article textarea')]
        .filter(e => !e.closest('.mbcbook-chart-controls, .mbcbook-checker-form, .mbcbook-table-controls'))
        .map(e => e.outerHTML.slice(0, 80))""")
    assert stray == [], f"{page_name}: controls that no chart or checker owns: {stray}"
    assert page.locator(".jupyter-widgets, .widget-area").count() == 0


CONTROL_PAGES = [p for p in PAGES if p.startswith(("book/01-", "book/04-", "book/05-", "book/08-"))]


@pytest.mark.parametrize("page_name", CONTROL_PAGES)
def test_every_bound_control_changes_its_chart_from_the_keyboard(visits, page_name):
    page = visits(page_name).page
    controls = page.locator(".mbcbook-chart-controls input, .mbcbook-chart-controls select")
    assert controls.count() > 0
    exercised = 0
    for index in range(controls.count()):
        control = controls.nth(index)
        figure_id = control.evaluate("e => e.closest('[data-mbcbook-chart]').id")
        svg = f"document.getElementById('{figure_id}').querySelector('svg').outerHTML"
        before = page.evaluate(f"() => {svg}")
        control.focus()
        kind = control.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        page.keyboard.press({"range": "End", "checkbox": "Space", "select": "ArrowDown", "radio": "ArrowRight"}[kind])
        page.evaluate(f"() => document.getElementById('{figure_id}').mbcbookView.runAsync().then(() => true)")
        after = page.evaluate(f"() => {svg}")
        assert after != before, f"{page_name}: control {index} ({kind}) of {figure_id} changed nothing"
        exercised += 1
    SUMMARY.setdefault(page_name, {})["controls_exercised"] = exercised


def test_static_chart_and_python_give_the_same_counts(visits):
    """The slider's labels in the browser equal mbcbook.analysis.epidemiology answers."""
    page = visits("book/01-introduction.html").page
    slider = page.locator(".mbcbook-chart-controls input[type=range]").first
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(19):  # from the minimum, 19 steps of 100
        page.keyboard.press("ArrowRight")
    diagnoses = int(slider.input_value())
    assert diagnoses == 2000
    figure_id = slider.evaluate("e => e.closest('[data-mbcbook-chart]').id")
    page.evaluate(f"() => document.getElementById('{figure_id}').mbcbookView.runAsync().then(() => true)")
    labels = set(page.evaluate(f"""() => [...document.getElementById('{figure_id}')
        .querySelectorAll('svg .mark-text text')].map(t => t.textContent)"""))
    epidemiology = evidence.load().epidemiology
    for figure, row in epidemiology.iterrows():
        expected = expected_stage_iv_cases(diagnoses, float(row["share"])).expected
        assert f"\u2248 {expected:,} of {diagnoses:,}" in labels, figure


def test_survival_explorer_reads_python_s_survival_and_follows_its_controls(visits, reconstructions):
    """The explorer in the page shows Python's reconstruction: the cursor's readout, the trial's title."""
    page = visits("book/05-clinical-trials.html").page
    select = page.locator(".mbcbook-chart-controls select")
    figure_id = select.evaluate("e => e.closest('[data-mbcbook-chart]').id")
    figure = f"document.getElementById('{figure_id}')"
    redraw = f"() => {figure}.mbcbookView.runAsync().then(() => true)"
    # Each line of a multi-line title is a <tspan>; other labels are a <text> alone.
    texts = (f"() => [...{figure}.querySelectorAll('svg text')].flatMap(t => t.querySelector('tspan') ?"
             " [...t.querySelectorAll('tspan')].map(s => s.textContent) : [t.textContent])")
    trials = reconstructions
    # Earlier tests may have moved the controls: set the cursor to two years.
    page.locator(".mbcbook-chart-controls input[type=range]").evaluate(
        "e => { e.value = 24; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    for rid in ("e2108", "abcsg-28"):
        select.select_option(rid)
        page.evaluate(redraw)
        shown = page.evaluate(texts)
        assert shown[:len(title := survival_charts.caption_lines(trials[rid]))] == title or all(
            line in shown for line in title), (rid, shown[:6])
        assert "from published summaries" in shown
        cursor = float(page.locator(".mbcbook-chart-controls input[type=range]").input_value())
        for arm in trials[rid].arms:
            expected = float(trials[rid].read(arm, [cursor])["survival"].iloc[0])
            assert f"{expected:.1%}" in shown, (rid, arm, cursor)
    bands = (f"() => [...{figure}.querySelectorAll('svg .mark-area path')]"
             ".map(p => [p.getAttribute('opacity'), p.getAttribute('fill-opacity')].join())")
    checkbox = page.locator(".mbcbook-chart-controls input[type=checkbox]")
    if not checkbox.is_checked():
        checkbox.click()
        page.evaluate(redraw)
    before = page.evaluate(bands)
    checkbox.click()
    page.evaluate(redraw)
    assert page.evaluate(bands) != before, "the checkbox did not hide the confidence bands"


def test_chart_controls_are_reached_with_the_tab_key(visits):
    page = visits("book/01-introduction.html").page
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
    page.locator("body").focus()
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.mbcbook-chart-controls')"):
            return
    pytest.fail("no chart control can be reached with the Tab key")


#: Chapters that paste figures from data/ (outlines paste none).
FACT_PAGES = [f"{doc}.html" for doc in toc_files(REPO)
              if (REPO / f"{doc}.ipynb").is_file() and "{glue:text}" in (REPO / f"{doc}.ipynb").read_text("utf-8")]


def test_the_chapters_written_so_far_paste_figures_from_data():
    assert len(FACT_PAGES) >= 4


@pytest.mark.parametrize("page_name", FACT_PAGES)
def test_a_figure_from_data_shows_its_source_on_focus_and_hides_it_on_escape(visits, page_name):
    """Tab to a pasted figure: its note (reference, table, row, status) shows; Escape hides it."""
    page = visits(page_name).page
    # The keyboard only: Tab from the top of the page until a figure has the focus.
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.locator("body").focus()
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('mbcbook-fact')"):
            break
    fact = page.locator(".mbcbook-fact:focus")
    assert fact.count() == 1, "no figure from data/ can be reached with the Tab key"
    note = fact.locator(".mbcbook-fact-note")
    assert note.is_visible()
    # A figure of data/ names its table and row; one computed from a public data set (the primer's GBSG2) says so.
    assert ("data/" in note.inner_text() and "row" in note.inner_text()) or "computed" in note.inner_text()
    box, width = note.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the note runs off the window"
    described = page.evaluate("() => document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                              ".textContent")
    assert described == note.inner_text()
    page.keyboard.press("Escape")
    assert not note.is_visible()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert note.is_visible(), "the note comes back when the figure has the focus again"
    shown = page.evaluate("() => [...document.querySelectorAll('.mbcbook-fact-note')].filter(n => n.checkVisibility())"
                          ".length")
    assert shown == 1, "one note at a time"


# ---------------------------------------------------------------- the eligibility checker (issue 10)
# Over a grid of 240 profiles, with the edge values (age exactly 18, 65 and 66; ECOG exactly 2;
# 16 and 32 weeks of therapy) and fields left unknown, the page's evaluator (mbcbook-checker.js,
# reading the rules the build wrote from data/eligibility_rules.csv) and
# mbcbook.analysis.eligibility agree rule by rule and source by source. The form itself is then
# driven, and bad input is explained with Python's own message.

CHECKER_PAGE = "book/05-clinical-trials.html"


def profiles() -> list[dict]:
    """240 profiles: every combination of the edge values below, other fields drawn (seeded)."""
    rng = random.Random(20261127)
    grid = itertools.product([17, 18, 65, 66, None], [0, 2, 3, None], [0, 16, 32, 33], [None, "stable", "progression"],
                             [True, None])
    out = []
    for age, ecog, weeks, response, untreated in grid:
        profile = {"age": age, "ecog": ecog, "therapy_weeks": weeks, "response": response, "untreated": untreated,
                   "her2": rng.choice(["positive", "negative", None]), "er": rng.choice(["positive", "negative", None]),
                   "pgr": rng.choice(["positive", "negative", None]), "t_stage": rng.choice(["T1", "T3", None]),
                   "metastasis_count": rng.choice([1, 5, 6, None]),
                   "metastatic_sites": rng.choice([("bone",), ("liver", "brain"), None]),
                   "brain_metastases": rng.choice([True, False, None]),
                   "projected_survival_months": rng.choice([6, 6.5, 12, None]),
                   "symptomatic_local_disease": rng.choice([True, False, None]),
                   "resectable": rng.choice([True, False, None]), "second_cancer": rng.choice([False, None]),
                   "pregnant": rng.choice([False, True, None]), "fit_for_surgery": rng.choice([True, None]),
                   "inflammatory": rng.choice([False, True, None])}
        out.append(elig.make_profile(**profile))
    return out[:240]


def test_browser_and_python_give_identical_verdicts(visits, evidence_tables):
    page = visits(CHECKER_PAGE).page
    cases = profiles()
    assert len(cases) >= 200
    data = page.evaluate("() => document.getElementById('trials').mbcbookCheckerData")
    shown = {rule["source"] for rule in data["rules"]}
    rules = evidence_tables.eligibility_rules[evidence_tables.eligibility_rules["source"].isin(shown)]
    browser = page.evaluate("""([data, cases]) => cases.map(p => window.mbcbookChecker.check(data, p))""",
                            [data, [{k: list(v) if isinstance(v, tuple) else v for k, v in p.items()} for p in cases]])
    kinds = set()
    for profile, answer in zip(cases, browser, strict=True):
        python = elig.check(profile, rules)
        assert [r["verdict"] for r in answer["rules"]] == list(python["verdict"]), profile
        assert answer["verdicts"] == elig.verdicts(python), profile
        kinds |= set(answer["verdicts"].values())
    assert kinds == {"eligible", "not eligible", "unknown"}  # the grid reaches every verdict


def test_the_form_updates_the_results_and_explains_bad_input(visits):
    page = visits(CHECKER_PAGE).page
    root = "#trials"
    age = page.locator(f"{root} input[data-field=age]")
    age.fill("66")
    verdict = page.locator(f"{root} tr[data-source=tata]")
    assert verdict.get_attribute("data-verdict") == "not eligible"
    assert "Not met: Aged 65 or younger" in verdict.inner_text()
    page.locator(f"{root} select[data-field=pregnant]").select_option("yes")
    age.fill("250")
    alert = page.locator(f"{root} .mbcbook-checker-error")
    assert alert.inner_text() == "Age must be 0-120 years, got 250"
    assert age.get_attribute("aria-invalid") == "true"
    assert page.locator(f"{root} select[data-field=pregnant]").input_value() == "yes"  # the other inputs stay
    age.fill("65")
    assert alert.inner_text() == ""
    assert page.locator(f"{root} tr[data-source=e2108]").get_attribute("data-verdict") == "not eligible"
    results = page.locator(f"{root} .mbcbook-checker-results")
    assert results.get_attribute("aria-live") == "polite"


def test_the_checker_works_from_the_keyboard(visits):
    page = visits("book/07-conclusions.html").page
    age = page.locator("#candidate input[data-field=age]")
    age.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("70")
    assert page.locator("#candidate tr[data-source=tata]").get_attribute("data-verdict") == "not eligible"
    page.keyboard.press("Tab")  # to the next control, sex
    assert page.evaluate("() => document.activeElement.dataset.field") == "sex"
    her2 = page.locator("#candidate select[data-field=her2]")
    her2.focus()
    page.keyboard.press("ArrowDown")  # "not known" -> "positive"
    assert her2.input_value() == "positive"
    review = page.locator("#candidate tr[data-source=review]")
    assert review.get_attribute("data-verdict") == "not eligible" and "Not met: HER2 negative" in review.inner_text()


# ------------------------------------------------------------------ pooling and the trials side by side

def test_pooling_in_the_page_gives_python_s_result_for_every_subset(visits, evidence_tables):
    """Each selection of trials, ticked in the page, shows what mbcbook.analysis.pooling computes."""
    import itertools

    from mbcbook.analysis import pooling
    from mbcbook.charts.pooling import result_lines

    page = visits("book/08-since-the-review.html").page
    boxes = page.locator(".mbcbook-chart-controls input[type=checkbox]")
    figure_id = boxes.first.evaluate("e => e.closest('[data-mbcbook-chart]').id")
    figure = f"document.getElementById('{figure_id}')"
    names = evidence_tables.trials["name"].to_dict()
    studies = pooling.trial_studies(evidence_tables.effects, "st-lrt", names)
    trials = list(studies)
    assert boxes.count() == len(trials)
    page.locator(f"#{figure_id} input[type=radio][value=random]").check()
    page.locator(f"#{figure_id} input[type=radio][value=st-lrt]").check()
    shown_text = (f"() => {figure}.mbcbookView.runAsync().then(() => [...{figure}.querySelectorAll("
                  "'svg .pooled_result_marks text')].map(t => t.querySelector('tspan') ? "
                  "[...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ') : t.textContent).join(' '))")
    for picks in itertools.product((False, True), repeat=len(trials)):
        boxes.evaluate_all("(boxes, picks) => boxes.forEach((b, i) => { if (b.checked !== picks[i]) b.click(); })",
                           list(picks))
        chosen = [studies[t] for t, p in zip(trials, picks, strict=True) if p]
        if len(chosen) < 2:
            expected = pooling.nothing_to_pool([s.name for s in chosen])
        else:
            result = pooling.pool(chosen, "random")
            expected = " ".join(result_lines({"method": "random", "k": len(chosen), "hr": result.hr,
                                              "ci_low": result.ci_low, "ci_high": result.ci_high, "i2": result.i2,
                                              "tau2": result.tau2, "q": result.q, "message": None}))
        assert page.evaluate(shown_text) == expected, picks


def test_the_trials_table_filters_sorts_and_says_so(visits, evidence_tables):
    page = visits("book/05-clinical-trials.html").page
    box = "#trials-comparison"
    rows = f"{box} tbody tr:not([hidden])"
    status = page.locator(f"{box} .mbcbook-table-status")
    total = len(evidence_tables.trials)
    assert page.locator(rows).count() == total and status.inner_text() == f"Showing {total} of {total} trials."
    page.locator(f"{box} select[data-filter=timing]").select_option("before_systemic")
    before = (evidence_tables.trials["surgery_timing"] == "before_systemic").sum()
    assert page.locator(rows).count() == before
    assert status.inner_text() == f"Showing {before} of {total} trials."
    page.locator(f"{box} select[data-filter=timing]").select_option("")
    page.locator(f"{box} input[data-filter=words]").fill("Japan")
    assert page.locator(rows).all_inner_texts()[0].startswith("JCOG1017")
    assert page.locator(rows).count() == 1
    page.locator(f"{box} input[data-filter=words]").fill("")
    # Sorting from the keyboard: the heading is a button.
    heading = page.locator(f"{box} button[data-sort-key='Overall survival']")
    heading.focus()
    page.keyboard.press("Enter")
    first_cells = f"() => [...document.querySelectorAll('{rows} th[data-column=Trial]')].map(c => c.textContent)"
    table = evidence_tables.effects
    hrs = {"Tata Memorial": 1.04, "MF07-01": 0.66, "JCOG1017 (PRIM-BC)": 0.86, "ECOG-ACRIN E2108": 1.11,
           "ABCSG-28 POSYTIVE": 0.691}
    assert set(hrs.values()) <= set(table["estimate"])
    ascending = sorted(hrs, key=hrs.get)
    assert page.evaluate(first_cells) == ascending + ["SUBMIT (unconfirmed)"]
    assert heading.evaluate("b => b.parentNode.getAttribute('aria-sort')") == "ascending"
    page.keyboard.press("Enter")
    assert page.evaluate(first_cells) == ascending[::-1] + ["SUBMIT (unconfirmed)"]  # no result sorts last both ways
    assert status.inner_text() == f"Showing {total} of {total} trials, sorted by Overall survival (descending)."


def test_the_selection_lab_shows_python_s_estimates_at_the_sliders_setting(visits):
    """Sliders at strong selection and at a strong hidden factor: the page shows mbcbook.analysis.selection."""
    from mbcbook.analysis import selection
    from mbcbook.charts.selection import estimate_label

    page = visits("book/04-retrospective-studies.html").page
    sliders = page.locator(".mbcbook-chart-controls input[type=range]")
    figure_id = sliders.first.evaluate("e => e.closest('[data-mbcbook-chart]').id")
    figure = f"document.getElementById('{figure_id}')"
    labels = (f"() => {figure}.mbcbookView.runAsync().then(() => [...{figure}.querySelectorAll("
              "'svg .mark-text text')].filter(t => t.querySelector('tspan'))"
              ".map(t => [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ')))")
    for selection_key, hidden_key, setting in (("End", "Home", (1.0, 0.0)), ("Home", "End", (0.0, 1.0))):
        sliders.nth(0).focus()
        page.keyboard.press(selection_key)
        sliders.nth(1).focus()
        page.keyboard.press(hidden_key)
        shown = page.evaluate(labels)
        expected = selection.lab(*setting).estimates
        for _, row in expected.iterrows():
            assert estimate_label(row) in shown, (setting, row["method"], shown)


def test_the_jupyterhub_entry_asks_for_the_hub_once_and_opens_the_reader_notebook(visits):
    """With no hub in _config.yml, the launch menu's JupyterHub entry asks for the reader's hub,
    refuses an address that is not one, remembers a good one, and opens nbgitpuller's link there."""
    page = visits("book/05-clinical-trials.html").page
    entry = page.locator(".dropdown-launch-buttons a", has_text="JupyterHub")
    answers = iter(["hub.example.org", "https://hub.example.org/", None])
    dialogs = []

    def answer(dialog):
        dialogs.append((dialog.type, dialog.message, dialog.default_value))
        if dialog.type == "prompt":
            reply = next(answers)
            dialog.accept(reply) if reply is not None else dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", answer)
    page.evaluate("() => { window.opened = []; window.open = (url, target) => window.opened.push([url, target]); }")
    try:
        for _ in range(3):
            page.locator(".dropdown-launch-buttons button").click()
            entry.click()
    finally:
        page.remove_listener("dialog", answer)
    assert [d[0] for d in dialogs] == ["prompt", "alert", "prompt", "prompt"]
    assert "starts with https://" in dialogs[1][1]  # the bad address explained
    assert dialogs[3][2] == "https://hub.example.org"  # remembered from the good one
    assert page.evaluate("() => window.opened") == [[
        "https://hub.example.org/hub/user-redirect/git-pull?repo=https://github.com/mbcbook/mbcbook&branch=main"
        "&urlpath=lab/tree/mbcbook/notebooks/05-clinical-trials.ipynb", "_blank"]]
    assert page.url.endswith("05-clinical-trials.html")  # the page itself stays
