"""Zip the built book for readers without a network: ``python -m mbcbook.site.bundle HTML_DIR ZIP``.

The zip holds the site under one folder, ``mbcbook/``, with a short README on how to open it.
Every page works from a local web server with no network; most also work when ``index.html``
is opened directly from the disk (search needs the server).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

FOLDER = "mbcbook"
README = """\
mbcbook: surgery for de novo stage IV breast cancer (offline copy)
===================================================================

Teaching material, not a clinical decision tool.

This folder is the whole web book. It needs no internet connection.

  * Quickest: open index.html in a web browser.
  * Full features (search included): from this folder run a local web server, for example
        python3 -m http.server --bind 127.0.0.1 8000
    and open http://127.0.0.1:8000 in the browser.
"""


def make_bundle(html_dir: Path, zip_path: Path) -> Path:
    html_dir, zip_path = Path(html_dir), Path(zip_path)
    if not (html_dir / "index.html").is_file():
        raise FileNotFoundError(f"{html_dir} holds no built book (index.html missing); run `make book` first")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in html_dir.rglob("*") if p.is_file() and p.suffix != ".map")
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{FOLDER}/README.txt", README)
        for path in files:
            # A fixed date keeps the zip identical from build to build.
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(html_dir).as_posix()}", (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mbcbook.site.bundle", description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", nargs="?", default="_build/html")
    parser.add_argument("zip_path", nargs="?", default="_build/mbcbook-offline.zip")
    args = parser.parse_args(argv)
    try:
        path = make_bundle(Path(args.html_dir), Path(args.zip_path))
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
