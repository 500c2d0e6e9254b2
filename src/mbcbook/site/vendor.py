"""The scripts the site ships from its own folder: verify them, or fetch them again.

    python -m mbcbook.site.vendor           # check the committed files against the manifest's hashes
    python -m mbcbook.site.vendor --fetch   # download the pinned tarballs from the npm registry again,
                                       # check their integrity, rewrite the files

The manifest is src/mbcbook/site/static/vendor/manifest.json. To move to another version, change
its version, source and integrity (from `npm view vega@X dist`), then run --fetch.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"


def fetch(entry: dict) -> None:
    """Download one package's pinned tarball, check its integrity, and rewrite its files.

    Parameters
    ----------
    entry : dict
        The package's entry in the manifest; its files' hashes are updated in place.
    """
    with urllib.request.urlopen(entry["source"], timeout=60) as response:
        tarball = response.read()
    algorithm, expected = entry["integrity"].split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{entry['name']}: tarball integrity mismatch ({digest} != {expected})")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        for target in entry["files"]:
            name = Path(target).name
            member = next(m for m in archive.getmembers() if m.name.endswith(f"/{name}") and
                          m.name.count("/") <= 2)
            path = VENDOR / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.extractfile(member).read())
            entry["files"][target] = hashlib.sha256(path.read_bytes()).hexdigest()


def manifest() -> list[dict]:
    """The entries of ``static/vendor/manifest.json``: one per vendored package."""
    return json.loads((VENDOR / "manifest.json").read_text())


def verify(entry: dict) -> list[str]:
    """The files of one manifest entry whose SHA-256 differs from the manifest's; empty when all match."""
    return [f"{target}: sha256 differs from the manifest"
            for target, sha in entry["files"].items()
            if hashlib.sha256((VENDOR / target).read_bytes()).hexdigest() != sha]


def main() -> int:
    """Command line: verify the vendored files (after fetching them again with ``--fetch``)."""
    entries = manifest()
    if "--fetch" in sys.argv:
        for entry in entries:
            fetch(entry)
        (VENDOR / "manifest.json").write_text(json.dumps(entries, indent=2) + "\n")
    problems = [p for entry in entries for p in verify(entry)]
    print("\n".join(problems) or "vendored files match the manifest")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
