"""The offline zip: unzipped anywhere and served locally with no network, the book works."""

from __future__ import annotations

import zipfile

import pytest

from conftest import serve
from mbcbook.site.bundle import FOLDER, make_bundle

pytestmark = pytest.mark.browser


def test_bundle_refuses_a_folder_without_a_book(tmp_path):
    with pytest.raises(FileNotFoundError, match="make book"):
        make_bundle(tmp_path, tmp_path / "out.zip")


def test_bundle_is_reproducible(built_book, tmp_path):
    first = make_bundle(built_book, tmp_path / "a.zip").read_bytes()
    second = make_bundle(built_book, tmp_path / "b.zip").read_bytes()
    assert first == second


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
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else (blocked.append(r.request.url), r.abort()))
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
