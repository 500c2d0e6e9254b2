"""Zip the built book for readers without a network: ``python -m mbcbook.site.bundle HTML_DIR ZIP``.

The zip holds the site under one folder, ``mbcbook/``, with a short README on how to open it.
Every page works with no network, opened from the disk (``file://``) or from a local web server.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

FOLDER = "mbcbook"
FIXED_DATE = (2020, 1, 1, 0, 0, 0)
README = """\
mbcbook: surgery for de novo stage IV breast cancer (offline copy)
===================================================================

Teaching material, not a clinical decision tool.

This folder is the whole web book. It needs no internet connection.

  * Open index.html in a web browser. Everything works from the disk, search included
    (results are listed by title; their summaries need a web server).
  * Or, from this folder, run a local web server, for example
        python3 -m http.server --bind 127.0.0.1 8000
    and open http://127.0.0.1:8000 in the browser.
"""


def make_bundle(html_dir: Path, zip_path: Path) -> Path:
    """Zip a built book into ``zip_path``, byte for byte the same from the same site.

    Parameters
    ----------
    html_dir : Path
        The built site (holding ``index.html``).
    zip_path : Path
        The zip to write; its folder is created if needed.

    Returns
    -------
    Path
        ``zip_path``.

    Raises
    ------
    FileNotFoundError
        When ``html_dir`` holds no built book.
    """
    html_dir, zip_path = Path(html_dir), Path(zip_path)
    if not (html_dir / "index.html").is_file():
        raise FileNotFoundError(f"{html_dir} holds no built book (index.html missing); run `make book` first")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in html_dir.rglob("*") if p.is_file() and p.suffix != ".map")
    entries = [("README.txt", README.encode("utf-8"))]
    entries += [(path.relative_to(html_dir).as_posix(), path.read_bytes()) for path in files]
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in entries:
            archive.writestr(_entry(f"{FOLDER}/{name}"), content)
    return zip_path


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date and permissions, so the zip is the same from build to build."""
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # rw-r--r--, whatever the umask of the machine that zipped it
    return info


def main(argv: list[str] | None = None) -> int:
    """Command line: zip the built book; return the exit status."""
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
