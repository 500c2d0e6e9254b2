"""The chapters as residents use them: JupyterLab in a real browser, with the network cut off.

A local JupyterLab serves the reader notebooks (notebooks/, what the launch buttons open);
Chromium opens each one, runs all cells, and checks that no cell failed, that every chart was
drawn (by Altair's offline widget), that the live tools answer when their inputs change, and that
the rendered text reads like the web book: no MyST markup, every glued figure shown as text with
its source, solutions folded.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import RAW_MYST, REPO
from mbcbook.site.notebooks import notebooks

pytestmark = pytest.mark.browser
TOKEN = "mbcbook-test"
READERS = REPO / "notebooks"
WITH_CODE = [p for p in notebooks(READERS) if any(c.cell_type == "code" for c in nbformat.read(p, as_version=4).cells)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """A copy of the reader notebooks: JupyterLab saves what it runs, and the repository must stay clean."""
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(READERS, root / READERS.name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


@pytest.fixture(scope="module")
def lab(tmp_path_factory, lab_root):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "MBCBOOK_STATIC_BUILD"}
    env["JUPYTER_CONFIG_DIR"] = str(tmp_path_factory.mktemp("jupyter-config"))  # no user settings
    # Start the notebook's own kernel without asking, and do not offer news (a dialog and a popup
    # that would otherwise sit in front of the notebook).
    settings = tmp_path_factory.mktemp("lab-settings")
    for plugin, values in {"@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
                           "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"}}.items():
        target = settings / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    env["MBCBOOK_DATA"] = str(REPO / "data")  # the copied chapters read this checkout's tables
    log = open(tmp_path_factory.mktemp("lab") / "lab.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={lab_root}",
         "--allow-root", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=log, env=env)
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.terminate()
        pytest.fail("JupyterLab did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(20)


class Run:
    """One chapter open in its own browser tab, its cells started from the keyboard."""

    def __init__(self, browser, lab: str, path: Path):
        self.path, self.blocked = path, []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((lab, "data:", "blob:"))
                        else (self.blocked.append(r.request.url), r.abort()))
        # A workspace of its own, reset: JupyterLab would otherwise reopen the chapters of the tests
        # before, and their cells would mix with this one's.
        self.page.goto(f"{lab}/lab/workspaces/{path.stem}/tree/{path.relative_to(REPO).as_posix()}"
                       f"?reset&token={TOKEN}")

    def start(self) -> None:
        page = self.page
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        # The kernel is up when the status bar says so.
        page.wait_for_function(r"""() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
            .some(e => /\|\s*Idle/.test(e.textContent))""", timeout=90_000)
        # Run every cell from the keyboard: command mode, select all cells, run them.
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+a")
        page.keyboard.press("Control+Enter")  # run the selected cells, in place


@pytest.fixture(scope="module")
def runs(browser, lab):
    """Every chapter opened and started before any is checked: their kernels start and run side by
    side (most of a chapter's time is spent waiting for its kernel), instead of one after another."""
    opened = {path: Run(browser, lab, path) for path in WITH_CODE}
    for run in opened.values():
        run.start()
    yield opened
    for run in opened.values():
        run.context.close()


@pytest.mark.parametrize("path", WITH_CODE, ids=lambda p: p.name)
def test_notebook_runs_live_with_charts_and_tools(runs, path):
    nb = nbformat.read(path, as_version=4)
    # A numbered figure (charts.glue_figure) is drawn where its cell runs, as charts.draw draws in place.
    chart_cells = sum(c.source.count("charts.draw(") + c.source.count("charts.glue_figure(")
                      + c.source.count("charts.show_survival_explorer(") + c.source.count("survival_explorer(ev")
                      + c.source.count("show_pooling(") + c.source.count("show_lab(")
                      + c.source.count("widgets.selection_lab(")
                      for c in nb.cells if c.cell_type == "code")
    run = runs[path]
    page = run.page
    try:
        # Every code cell has finished when no prompt shows "[*]" and each has a number. A cell
        # whose code is folded (the setup cell, a solution's) shows no prompt: count the others,
        # and the code cells, which are all there.
        code = [c for c in nb.cells if c.cell_type == "code"]
        page.wait_for_function("""([cells, visible]) => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent).filter(t => t.trim() !== '');
            return document.querySelectorAll('.jp-CodeCell').length === cells && prompts.length >= visible
                && prompts.every(t => /\\[\\d+\\]/.test(t));
        }""", arg=[len(code), sum(not c.metadata.get("jupyter", {}).get("source_hidden") for c in code)],
            timeout=180_000)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, errors.first.inner_text()[:2000]
        page.wait_for_function("(n) => document.querySelectorAll('.jp-OutputArea svg.marks').length >= n",
                               arg=chart_cells, timeout=60_000)
        # Drawn and readable: a chart sized from a container that a notebook does not give it is 0 px wide.
        widths = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea svg.marks')]"
                               ".map(svg => svg.getBoundingClientRect().width)")
        assert all(width >= 300 for width in widths), f"charts too narrow to read: {widths}"
        if "stage_iv_calculator" in "".join(c.source for c in nb.cells):
            number = page.locator(".jp-OutputArea .widget-text input").first
            number.scroll_into_view_if_needed()
            number.fill("20000")
            number.press("Enter")
            answer = page.locator(".jp-OutputArea .widget-html-content").last
            page.wait_for_function("(el) => el.textContent.includes('1,200')", arg=answer.element_handle(),
                                   timeout=10_000)
            number.fill("-5")
            number.press("Enter")
            page.wait_for_function("(el) => /got -5/.test(el.textContent)", arg=answer.element_handle(), timeout=10_000)
        if "widgets.survival_explorer(" in "".join(c.source for c in nb.cells):
            _exercise_survival_explorer(page)
        if "widgets.eligibility_checker(" in "".join(c.source for c in nb.cells):
            _exercise_eligibility_checker(page)
        if "widgets.selection_lab(" in "".join(c.source for c in nb.cells):
            _type_into_a_tool(page, "Seed of the simulation", "Patients in the cohort", "400",
                              "of 400 simulated patients operated", "50",
                              "the number of patients must be between 200 and 20,000, got 50")
        if "widgets.pooling_app(" in "".join(c.source for c in nb.cells):
            _type_into_a_tool(page, "Pool the trials", "HR", "1.1", "Tata Memorial1\\.10",
                              "0", "Tata Memorial: the hazard ratio must be a number above 0, got 0")
        _reads_like_the_book(page, nb)
        assert run.blocked == [], f"the live notebook asked other hosts for {run.blocked}"
    except Exception:
        page.screenshot(path=str(REPO / "_build" / "screens" / f"live-{path.stem}-failure.png"))
        raise


def _reads_like_the_book(page, nb) -> None:
    """The rendered Markdown cells: no raw MyST, every glued figure as text, sources on hover, solutions folded."""
    rendered = page.evaluate("""() => [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
        .map(cell => cell.textContent)""")
    assert len(rendered) == sum(c.cell_type == "markdown" for c in nb.cells), "every Markdown cell rendered"
    for text in rendered:
        assert not RAW_MYST.search(text), f"raw MyST shown: {RAW_MYST.search(text).group(0)!r} in {text[:200]!r}"
    shown = " ".join(" ".join(rendered).split())
    missing = [v for v in nb.metadata["mbcbook"]["glued"].values() if " ".join(v.split()) not in shown]
    assert not missing, f"glued figures not shown as text: {missing[:5]}"
    if nb.metadata["mbcbook"]["glued"]:
        assert page.locator(".jp-RenderedMarkdown span[title^='Source: ']").count() > 0, "a figure's source"
    details = page.locator(".jp-RenderedMarkdown details")
    assert details.count() > 0 and page.locator(".jp-RenderedMarkdown details[open]").count() == 0
    assert page.locator(".jp-RenderedMarkdown blockquote").count() > 0, "boxes drawn as quotes"


def _type_into_a_tool(page, tool_text: str, label: str, good: str, answer_to_good: str, bad: str,
                     answer_to_bad: str) -> None:
    """Type a good value, then a bad one, into the live tool whose output holds ``tool_text``.

    The tool's answer must follow the good value, explain the bad one, and keep it in its box.
    """
    app = page.locator(".jp-OutputArea .widget-vbox").filter(has_text=tool_text).last
    box = app.locator(".widget-text", has_text=label).first.locator("input")
    box.scroll_into_view_if_needed()
    answer = app.locator(".widget-html-content").last
    for typed, expected in ((good, answer_to_good), (bad, answer_to_bad)):
        box.fill(typed)
        box.press("Enter")
        page.wait_for_function("([el, pattern]) => new RegExp(pattern).test(el.textContent)",
                               arg=[answer.element_handle(), expected], timeout=15_000)
    assert box.input_value() == bad


def _exercise_survival_explorer(page) -> None:
    _type_into_a_tool(page, "Accrual period", "Locoregional treatment: median", "22", "median 22.0 months",
                      "-3", "median survival must be above 0 months, got -3")


def _exercise_eligibility_checker(page) -> None:
    _type_into_a_tool(page, "Pregnant or breastfeeding", "Age", "66", "Not met: Aged 65 or younger",
                      "250", "Age must be 0-120 years, got 250")
