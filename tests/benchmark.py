"""Measure the book against its budgets (a report, not a test): ``make bench``.

1. Bare execution: every notebook run once, in order, each in a fresh kernel (nbclient),
   with nothing else: the cost the build cannot avoid.
2. Cold build: the whole book built into an empty folder, with warnings as errors.
   Budget: at most 1.3 times the bare execution.
3. Reproducibility: a second cold build; every page compared with the first.
4. First view of each page in headless Chromium: bytes transferred, gzip-compressed (fonts
   and images as they are). Budget: the heaviest page at most 0.35 MB.
5. Live widget updates: chapter 1's calculator, and chapter 5's survival explorer with two
   600-patient arms (simulate, Kaplan-Meier, chart spec and Cox model). Budget: 50 ms.
6. Redraw after a control change in headless Chromium: every bound control of every chart,
   from the input event to the chart drawn again; and every control of every eligibility
   checker, to its results table rewritten and painted. Budget: 100 ms.

Results are printed and written to _build/benchmark.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent / "book")]

BUILD_RATIO_BUDGET = 1.3
PAGE_BUDGET = 350_000
WIDGET_BUDGET_MS = 50.0
REDRAW_BUDGET_MS = 100.0
LAB_GRID_BUDGET_S = 30.0  # the selection-bias lab's grid, computed while the book builds

# Inside the page: change a bound control as the reader would (its input event), and time until
# Vega has drawn the chart again. Sliders move across their range; checkboxes toggle.
REDRAW_SCRIPT = """async () => {
  const times = [];
  for (const figure of document.querySelectorAll('[data-mbcbook-chart]')) {
    for (const input of figure.querySelectorAll('.mbcbook-chart-controls input, .mbcbook-chart-controls select')) {
      for (let i = 0; i < 20; i++) {
        const before = figure.querySelector('svg').outerHTML;
        const start = performance.now();
        if (input.tagName === 'SELECT') {
          input.selectedIndex = (input.selectedIndex + 1) % input.options.length;
          input.dispatchEvent(new Event('change', {bubbles: true}));
          input.dispatchEvent(new Event('input', {bubbles: true}));
        } else if (input.type === 'range') {
          const min = +input.min, max = +input.max;
          input.value = min + ((i * 7 + 1) % 20) * (max - min) / 20;
          input.dispatchEvent(new Event('input', {bubbles: true}));
        } else {
          input.click();
        }
        await figure.mbcbookView.runAsync();
        const elapsed = performance.now() - start;
        // A change that redrew nothing would time nothing: count only real redraws.
        if (figure.querySelector('svg').outerHTML !== before) times.push(elapsed);
      }
    }
  }
  return times;
}"""


# Inside the page: change each control of each eligibility checker as the reader would (its input
# event) and time until the results table has been rewritten.
CHECKER_SCRIPT = """async () => {
  const times = [];
  for (const root of document.querySelectorAll('[data-mbcbook-checker]')) {
    const results = root.querySelector('.mbcbook-checker-results');
    for (const control of root.querySelectorAll('input, select')) {
      for (let i = 0; i < 4; i++) {
        const start = performance.now();
        if (control.tagName === 'SELECT') {
          control.selectedIndex = (control.selectedIndex + 1) % control.options.length;
        } else if (control.type === 'checkbox') {
          control.checked = !control.checked;
        } else {
          control.value = String(i * 7);
        }
        results.innerHTML = '';
        control.dispatchEvent(new Event('input', {bubbles: true}));
        await new Promise(requestAnimationFrame);  // the results drawn on screen
        if (results.innerHTML !== '') times.push(performance.now() - start);
      }
      // Back to "not known", so that an out-of-range number does not block the next controls.
      if (control.tagName !== 'SELECT' && control.type !== 'checkbox') control.value = '';
      control.dispatchEvent(new Event('input', {bubbles: true}));
    }
  }
  return times;
}"""


def bare_execution() -> float:
    import nbformat
    from nbclient import NotebookClient

    from mbcbook.site.build import toc_files

    notebooks = [REPO / f"{doc}.ipynb" for doc in toc_files(REPO) if (REPO / f"{doc}.ipynb").is_file()]
    start = time.perf_counter()
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        resources = {"metadata": {"path": str(path.parent)}}
        NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()
    return time.perf_counter() - start


def cold_build(output: Path) -> float:
    from mbcbook.site.build import build

    return build(REPO, output, quiet=True)


def compare_builds(first: Path, second: Path) -> list[str]:
    differing = []
    for page in sorted(first.rglob("*.html")):
        other = second / page.relative_to(first)
        if not other.is_file() or other.read_bytes() != page.read_bytes():
            differing.append(str(page.relative_to(first)))
    return differing


def page_weights(html_dir: Path) -> dict[str, dict]:
    from urllib.parse import unquote, urlparse

    from playwright.sync_api import sync_playwright
    from test_browser import gzip_size

    from conftest import CHROMIUM, CHROMIUM_ARGS, serve
    from mbcbook.site.build import toc_files

    server, url = serve(html_dir)
    weights = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for doc in toc_files(REPO):
            context = browser.new_context()
            page = context.new_page()
            loaded: list[str] = []
            page.on("requestfinished", lambda r, loaded=loaded: loaded.append(r.url))
            page.goto(f"{url}/{doc}.html")
            page.wait_for_load_state("networkidle")
            files = {html_dir / unquote(urlparse(u).path).lstrip("/") for u in loaded if u.startswith(url)}
            weights[doc] = {"gzip_bytes": sum(gzip_size(f) for f in files), "requests": len(files),
                            "vega": any(f.name == "vega.min.js" for f in files)}
            context.close()
        browser.close()
    server.shutdown()
    return weights


def redraw_ms(html_dir: Path) -> dict[str, float]:
    """Milliseconds from a control's input event to its chart redrawn, over every chart page."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, serve
    from mbcbook.site.build import toc_files

    server, url = serve(html_dir)
    timings: list[float] = []
    checker_timings = CHECKER_TIMINGS
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for doc in toc_files(REPO):
            page = browser.new_page()
            page.goto(f"{url}/{doc}.html")
            page.wait_for_function("() => [...document.querySelectorAll('[data-mbcbook-chart]')]"
                                   ".every(f => f.dataset.mbcbookState !== 'pending')")
            timings += page.evaluate(REDRAW_SCRIPT)
            checker_timings.extend(page.evaluate(CHECKER_SCRIPT))
            page.close()
        browser.close()
    server.shutdown()
    timings.sort()
    return {"changes": len(timings), "median": statistics.median(timings),
            "p95": timings[int(len(timings) * 0.95)], "max": timings[-1]}


#: Filled by redraw_ms, which visits every page once: the eligibility checkers' update times.
CHECKER_TIMINGS: list[float] = []


def widget_update_ms() -> dict[str, float]:
    from mbcbook import evidence, widgets

    app = widgets.stage_iv_calculator(evidence.load().epidemiology)
    diagnoses, setting = app.inputs["annual_diagnoses"], app.inputs["setting"]
    options = [value for _, value in setting.options]
    timings = []
    for i in range(300):
        start = time.perf_counter()
        if i % 2:
            setting.value = options[i % len(options)]
        else:
            diagnoses.value = 100 + i
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(len(timings) * 0.95)], "max": timings[-1]}


def survival_update_ms(patients_per_arm: int = 600) -> dict[str, float]:
    """The live survival explorer with two 600-patient arms: one input changed, the app redrawn.

    The budget covers what redraws the curves: simulate both arms, fit their Kaplan-Meier
    curves, build the chart's spec. The app then fits the Cox model for the hazard ratio it
    shows under the chart; the whole update, with it, is reported beside.
    """
    from mbcbook import charts, evidence, widgets
    from mbcbook.analysis import reconstruction
    from mbcbook.charts import survival as survival_charts
    from mbcbook.widgets import survival as survival_widget

    charts.enable()
    app = widgets.survival_explorer(evidence.load())
    app.inputs["n_lrt"].value = app.inputs["n_st"].value = str(patients_per_arm)
    whole, curves = [], []
    for i in range(60):
        start = time.perf_counter()
        app.inputs["median_lrt"].value = f"{18 + (i % 20) * 0.1:.1f}"
        whole.append((time.perf_counter() - start) * 1000)
    if "reconstructed median" not in app.answer.value:
        raise RuntimeError(f"the survival explorer did not answer: {app.answer.value}")
    # The part the budget names, as the app runs it before the hazard ratio: simulate both arms,
    # fit their Kaplan-Meier curves and build the chart's spec.
    base = reconstruction.reconstruct(evidence.load(), "tata", copies=survival_widget.LIVE_COPIES)
    figures, plan, model = survival_widget.read_inputs({name: box.value for name, box in app.inputs.items()
                                                        if name != "trial"})
    for i in range(60):
        figures["lrt"]["median_months"] = 18 + (i % 20) * 0.1
        start = time.perf_counter()
        rebuilt = reconstruction.rebuild(base, figures, plan, model=model, copies=survival_widget.LIVE_COPIES)
        survival_charts.trial_spec(rebuilt, charts.NOTEBOOK_WIDTH)
        curves.append((time.perf_counter() - start) * 1000)
    whole.sort()
    curves.sort()
    return {"median": statistics.median(curves), "p95": curves[int(len(curves) * 0.95)], "max": curves[-1],
            "with_hazard_ratio_median": statistics.median(whole),
            "with_hazard_ratio_p95": whole[int(len(whole) * 0.95)]}


def pooling_update_ms() -> dict[str, float]:
    """The live pooling app: a trial ticked in or out, or its hazard ratio retyped, and the result pooled again."""
    from mbcbook import evidence, widgets

    ev = evidence.load()
    app = widgets.pooling_app(ev, ev.trials["name"].to_dict())
    timings = []
    for i in range(200):
        start = time.perf_counter()
        if i % 2:
            box = app.rows["tata"]["ticked"]
            box.value = not box.value
        else:
            app.rows["mf07-01"]["hr"].value = f"{0.6 + (i % 20) * 0.01:.2f}"
        timings.append((time.perf_counter() - start) * 1000)
    if "Pooled" not in app.answer.value:
        raise RuntimeError(f"the pooling app did not answer: {app.answer.value}")
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(len(timings) * 0.95)], "max": timings[-1]}


def selection_lab_s() -> dict[str, float]:
    """The selection-bias lab: its grid for the web book (budget 30 s of build time), and one live setting."""
    from mbcbook.analysis import selection

    start = time.perf_counter()
    grid = selection.grid()
    grid_s = time.perf_counter() - start
    live = []
    for i in range(10):
        start = time.perf_counter()
        selection.lab(0.1 * i, 0.5)
        live.append((time.perf_counter() - start) * 1000)
    return {"grid_s": grid_s, "settings": len(grid.selections) * len(grid.hiddens),
            "live_setting_median_ms": statistics.median(live)}


def main() -> int:
    # The kernels of the bare run see what the build's kernels see: this book's data, and the
    # static-site chart renderer (mbcbook.site sets both during a build).
    from mbcbook.paths import DATA_ENV_VAR, STATIC_BUILD_ENV

    os.environ.setdefault(DATA_ENV_VAR, str(REPO / "data"))
    os.environ[STATIC_BUILD_ENV] = "1"
    results: dict[str, object] = {"cores": os.cpu_count()}
    print("bare execution of the notebooks ...", flush=True)
    results["bare_execution_s"] = bare = bare_execution()
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        print("cold build ...", flush=True)
        results["cold_build_s"] = build_s = cold_build(Path(first))
        results["build_ratio"] = build_s / bare
        print("second cold build (reproducibility) ...", flush=True)
        results["second_build_s"] = cold_build(Path(second))
        html = Path(first) / "_build" / "html"
        results["pages_differing_between_builds"] = compare_builds(html, Path(second) / "_build" / "html")
        print("page weights in Chromium ...", flush=True)
        results["pages"] = weights = page_weights(html)
        print("control redraws in Chromium ...", flush=True)
        results["redraw_ms"] = redraw = redraw_ms(html)
        checker = sorted(CHECKER_TIMINGS)
        results["checker_update_ms"] = {"changes": len(checker), "median": statistics.median(checker),
                                        "p95": checker[int(len(checker) * 0.95)], "max": checker[-1]}
    results["widget_update_ms"] = widget = widget_update_ms()
    results["survival_update_ms"] = live_survival = survival_update_ms()
    results["pooling_update_ms"] = live_pooling = pooling_update_ms()
    results["selection_lab"] = lab = selection_lab_s()

    heaviest = max(weights, key=lambda d: weights[d]["gzip_bytes"])
    lines = [
        f"machine: {results['cores']} cores",
        f"bare execution of notebooks: {bare:6.1f} s",
        f"cold build:                  {build_s:6.1f} s  ratio {build_s / bare:.2f} (budget {BUILD_RATIO_BUDGET})",
        f"pages differing between two builds: {len(results['pages_differing_between_builds'])}",
        f"heaviest first view: {heaviest} {weights[heaviest]['gzip_bytes'] / 1e6:.3f} MB gzip "
        f"(budget {PAGE_BUDGET / 1e6:g})",
        f"widget update: median {widget['median']:.2f} ms, p95 {widget['p95']:.2f} ms (budget {WIDGET_BUDGET_MS:.0f})",
        f"survival explorer curves, two 600-patient arms: median {live_survival['median']:.1f} ms, "
        f"p95 {live_survival['p95']:.1f} ms (budget {WIDGET_BUDGET_MS:.0f} for the median); with the Cox "
        f"hazard ratio: median {live_survival['with_hazard_ratio_median']:.1f} ms",
        f"live pooling update: median {live_pooling['median']:.2f} ms, p95 {live_pooling['p95']:.2f} ms "
        f"(budget {WIDGET_BUDGET_MS:.0f})",
        f"selection-bias lab: grid of {lab['settings']} settings in {lab['grid_s']:.1f} s (budget "
        f"{LAB_GRID_BUDGET_S:.0f}); one live setting (four Cox fits of 2,000 patients): median "
        f"{lab['live_setting_median_ms']:.0f} ms",
        f"eligibility checker results after a control change ({results['checker_update_ms']['changes']} changes): "
        f"median {results['checker_update_ms']['median']:.1f} ms, p95 {results['checker_update_ms']['p95']:.1f} ms "
        f"(budget {REDRAW_BUDGET_MS:.0f})",
        f"chart redraw after a control change ({redraw['changes']} changes): median {redraw['median']:.1f} ms, "
        f"p95 {redraw['p95']:.1f} ms, max {redraw['max']:.1f} ms (budget {REDRAW_BUDGET_MS:.0f})",
        "",
        "page                                   gzip kB  requests  vega",
    ] + [f"{doc:38} {w['gzip_bytes'] / 1e3:8.1f}  {w['requests']:8d}  {'yes' if w['vega'] else 'no'}"
         for doc, w in weights.items()]
    print("\n".join(lines))
    out = REPO / "_build" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    within = (build_s / bare <= BUILD_RATIO_BUDGET and weights[heaviest]["gzip_bytes"] <= PAGE_BUDGET
              and widget["p95"] <= WIDGET_BUDGET_MS and live_survival["median"] <= WIDGET_BUDGET_MS
              and live_pooling["p95"] <= WIDGET_BUDGET_MS and lab["grid_s"] <= LAB_GRID_BUDGET_S
              and redraw["p95"] <= REDRAW_BUDGET_MS and results["checker_update_ms"]["p95"] <= REDRAW_BUDGET_MS
              and not results["pages_differing_between_builds"])
    print("all budgets met" if within else "OVER BUDGET (see above)")
    return 0 if within else 1


if __name__ == "__main__":
    raise SystemExit(main())
