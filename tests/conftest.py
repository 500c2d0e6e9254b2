"""Shared fixtures: the repository, one build of the book per test session, a local web server
for it, and a headless Chromium with the network cut off."""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: Markup only Jupyter Book understands; none of it may reach a reader of a reader notebook.
RAW_MYST = re.compile(r"\{[\w:-]+\}`|^\s*:{3,}|`{3,}\{|^\(\S+\)=\s*$|^\s*:(class|label|name):|\{solution", re.M)


def rendered_text(markdown: str) -> str:
    """What a reader sees of Markdown: CommonMark (with tables) rendered, tags removed, entities read.

    How Colab and JupyterLab show a Markdown cell, give or take styling.
    """
    import html

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
DATA = REPO / "data"
CHROMIUM = Path(os.environ.get("MBCBOOK_CHROMIUM", "/usr/bin/chromium"))
SCREENS = REPO / "_build" / "screens"
# Flags needed for headless Chromium as root on a closed network; the resolver rule cuts the
# network for every host but the local server, so a stray request fails instead of leaking.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def only_problem(directory):
    """The one problem that loading ``directory`` reports (fails if it loads, or reports more)."""
    from mbcbook import evidence
    from mbcbook.evidence import EvidenceError

    with pytest.raises(EvidenceError) as caught:
        evidence.load(directory)
    problems = caught.value.problems
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Build the book once per run, with warnings as errors, into a temporary folder.

    ``make test`` runs two pytest-xdist workers, and a session fixture is made once per worker:
    the first worker that needs the book builds it into the run's shared temporary folder, under
    a lock, and the other waits for it and uses the same pages. Executed notebooks are kept in
    ``execution-cache`` next to them, for the reproducibility test's second build.
    """
    from mbcbook.site.build import build

    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a worker's folder sits inside the run's
        run_folder = run_folder.parent
    output = run_folder / "built-book"
    with open(output.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (output / "built").is_file():
            build(REPO, output, quiet=True, execution_cache=output / "execution-cache")
            (output / "built").touch()
    return output / "_build" / "html"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 at a free port; returns (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site(built_book):
    server, url = serve(built_book)
    yield url
    server.shutdown()


def _browser_missing_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. In CI a missing browser fails the tests."""
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def says(message: str) -> str:
    """A pattern for an error message: the whole start of it, or, after "...", any part of it."""
    return re.escape(message[3:]) if message.startswith("...") else "^" + re.escape(message)


@pytest.fixture(scope="session")
def evidence_tables():
    """The evidence tables of data/, loaded once for the session (tests that change them load their own)."""
    from mbcbook import evidence
    return evidence.load()


@pytest.fixture(scope="session")
def reconstructions():
    """Every trial of data/reconstructions.csv rebuilt once for the session (they take a few seconds)."""
    from mbcbook import evidence
    from mbcbook.analysis import reconstruction
    return reconstruction.reconstruct_all(evidence.load())

