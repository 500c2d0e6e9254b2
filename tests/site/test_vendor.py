"""The scripts the site ships from its own folder match their pinned hashes."""

from __future__ import annotations


def test_vendored_scripts_match_their_pinned_hashes():
    from mbcbook.site import vendor

    for entry in vendor.manifest():
        assert entry["licence"] and entry["source"].startswith("https://registry.npmjs.org/")
        assert vendor.verify(entry) == []

