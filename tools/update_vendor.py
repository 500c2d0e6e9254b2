"""Fetch a vendored script again from the npm registry and check it against its pinned integrity.

    python tools/update_vendor.py            # verify the committed files against the manifest
    python tools/update_vendor.py --fetch    # re-download the pinned tarballs and rewrite the files

The manifest is src/mbcbook/static/vendor/manifest.json. To move to another version, change
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

VENDOR = Path(__file__).resolve().parent.parent / "src" / "mbcbook" / "static" / "vendor"


def fetch(entry: dict) -> None:
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


def verify(entry: dict) -> list[str]:
    return [f"{target}: sha256 differs from the manifest"
            for target, sha in entry["files"].items()
            if hashlib.sha256((VENDOR / target).read_bytes()).hexdigest() != sha]


def main() -> int:
    manifest_path = VENDOR / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    if "--fetch" in sys.argv:
        for entry in manifest:
            fetch(entry)
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    problems = [p for entry in manifest for p in verify(entry)]
    print("\n".join(problems) or "vendored files match the manifest")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
