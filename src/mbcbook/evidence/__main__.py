"""``python -m mbcbook.evidence [FOLDER] [--readme]``: validate the evidence tables.

Prints one line per table, or every problem found (exit 1). ``make book`` runs it first, so
that a broken table stops the build with a located message before any notebook runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EvidenceError
from ..paths import BIB_FILE
from .loader import data_dir, load
from .readme import render_readme
from .schema import TABLES


def main(argv: list[str] | None = None) -> int:
    """Validate the tables (and rewrite the README with ``--readme``); return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m mbcbook.evidence",
                                     description="Validate the evidence tables in data/.")
    parser.add_argument("directory", nargs="?", help="data folder (default: the book's data/)")
    parser.add_argument("--readme", action="store_true",
                        help="rewrite the generated column tables in the folder's README.md")
    args = parser.parse_args(argv)
    try:
        directory = Path(args.directory) if args.directory else data_dir()
        if args.readme:
            readme = directory / "README.md"
            if not readme.is_file():
                print(f"{readme}: no README to update (copy data/README.md of the book, with its markers)",
                      file=sys.stderr)
                return 1
            readme.write_text(render_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
            print(f"updated {readme}")
        ev = load(directory)
    except (EvidenceError, ValueError) as exc:  # ValueError: a README without the generated section
        print(exc, file=sys.stderr)
        return 1
    for table in TABLES:
        print(f"{table.file:28} {len(getattr(ev, table.name)):3d} rows  ok")
    print(f"{BIB_FILE:28} {len(ev.references):3d} entries ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
