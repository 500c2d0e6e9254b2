"""The offline zip: unzipped anywhere, opened from the disk or served locally with no network,
the book works; and the same site always gives the same zip."""

from __future__ import annotations

import zipfile

import pytest

from conftest import serve
from mbcbook.site.bundle import FIXED_DATE, FOLDER, make_bundle

pytestmark = pytest.mark.browser


def test_bundle_refuses_a_folder_without_a_book(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        make_bundle(tmp_path, tmp_path / "out.zip")


def test_bundle_is_the_same_on_another_day_and_machine(built_book, tmp_path, monkeypatch):
    """Neither the clock, nor the files' dates, nor the umask reaches the zip."""
    import os
    import shutil
    import time

    first = make_bundle(built_book, tmp_path / "a.zip").read_bytes()
    site = tmp_path / "site"
    shutil.copytree(built_book, site)
    for path in site.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        if path.is_file():
            path.chmod(0o600)
    later = time.time() + 3 * 86_400
    monkeypatch.setattr(time, "time", lambda: later)
    second = make_bundle(site, tmp_path / "b.zip").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {FIXED_DATE}


def test_unzipped_bundle_works_offline(built_book, browser, tmp_path):
    archive = make_bundle(built_book, tmp_path / "mbcbook-offline.zip")
    elsewhere = tmp_path / "usb-stick"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(elsewhere)
    root = elsewhere / FOLDER
    assert (root / "README.txt").is_file() and not list(root.rglob("*.map"))
    server, url = serve(root)
    context = browser.new_context()
    page = context.new_page()
    errors, blocked = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url)
               else (blocked.append(r.request.url), r.abort()))
    try:
        page.goto(f"{url}/index.html")
        page.wait_for_url("**/book/00-preface.html")
        page.goto(f"{url}/book/01-introduction.html")
        page.wait_for_function("() => [...document.querySelectorAll('[data-mbcbook-chart]')]"
                               ".every(f => f.dataset.mbcbookState === 'drawn')", timeout=20_000)
        assert page.locator("[data-mbcbook-chart] svg .role-mark").count() > 0
    finally:
        context.close()
        server.shutdown()
    assert errors == [] and blocked == []


def test_unzipped_bundle_works_from_the_disk(built_book, browser, tmp_path):
    """As the README says to use it: unzipped and index.html opened from the disk (file://)."""
    from conftest import REPO
    from mbcbook.site.build import toc_files

    with zipfile.ZipFile(make_bundle(built_book, tmp_path / "offline.zip")) as zipped:
        zipped.extractall(tmp_path / "usb-stick")
    root = (tmp_path / "usb-stick" / FOLDER).resolve()
    context = browser.new_context()
    page = context.new_page()
    errors, remote = [], []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: uncaught {e}"))
    # Going on to the next page cancels what the last one still had in flight (its favicon, say):
    # Chromium reports that as net::ERR_ABORTED. A file missing from the bundle fails with
    # net::ERR_FILE_NOT_FOUND, and that is an error.
    page.on("requestfailed", lambda r: errors.append(f"failed request: {r.url} ({r.failure})")
            if r.failure != "net::ERR_ABORTED" else None)
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    charts = 0
    try:
        page.goto(root.joinpath("index.html").as_uri())
        page.wait_for_url("**/book/00-preface.html")
        for doc in toc_files(REPO):
            page.goto(root.joinpath(f"{doc}.html").as_uri(), wait_until="load")
            page.wait_for_function("() => [...document.querySelectorAll('[data-mbcbook-chart]')]"
                                   ".every(f => f.dataset.mbcbookState !== 'pending')", timeout=20_000)
            states = page.evaluate("() => [...document.querySelectorAll('[data-mbcbook-chart]')].map(f => "
                                   "f.dataset.mbcbookState + ':' + f.querySelectorAll('svg .role-mark').length)")
            assert all(s.startswith("drawn:") and not s.endswith(":0") for s in states), f"{doc}: {states}"
            charts += len(states)
        page.goto(root.joinpath("search.html").as_uri() + "?q=surgery")
        page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=20_000)
        results = page.locator("#search-results li").count()
    finally:
        context.close()
    assert charts >= 2 and results >= 3
    assert errors == [] and remote == []


def test_the_zip_holds_every_reader_notebook(built_book, tmp_path):
    """Students with Jupyter get the chapters as reader notebooks from the zip too (the download button's files)."""
    import json

    from conftest import REPO

    with zipfile.ZipFile(make_bundle(built_book, tmp_path / "offline.zip")) as archive:
        held = {name.rsplit("/", 1)[-1]: name for name in archive.namelist() if name.endswith(".ipynb")}
        assert set(held) == {p.name for p in (REPO / "notebooks").glob("*.ipynb")}
        for name, path in held.items():
            assert archive.read(path) == (REPO / "notebooks" / name).read_bytes()
            assert json.loads(archive.read(path))["metadata"]["mbcbook"]["source"] == f"book/{name}"
