"""Keep the committed notebooks clean: no outputs, no execution counts, no widget state.

``python -m mbcbook.site.notebooks check book`` lists notebooks that break the rule (exit 1);
``python -m mbcbook.site.notebooks strip book`` fixes them in place.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat

VOLATILE_METADATA = ("widgets", "execution")


def problems(path: Path) -> list[str]:
    """What keeps one notebook from being clean.

    Parameters
    ----------
    path : Path
        The notebook.

    Returns
    -------
    list of str
        One line per problem (outputs, execution counts or timing, widget state); empty when clean.
    """
    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"{path}: cell {index} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"{path}: cell {index} has an execution count")
        if "execution" in cell.get("metadata", {}):
            found.append(f"{path}: cell {index} has execution timing metadata")
    for key in VOLATILE_METADATA:
        if key in nb.metadata:
            found.append(f"{path}: notebook metadata holds '{key}' (widget state or timing)")
    return found


def strip(path: Path) -> bool:
    """Remove outputs and volatile metadata; return True when the file changed."""
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    for key in VOLATILE_METADATA:
        nb.metadata.pop(key, None)
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
        return True
    return False


def notebooks(folder: Path) -> list[Path]:
    """Every notebook under ``folder``, sorted, checkpoints left out."""
    return sorted(p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str] | None = None) -> int:
    """Command line: check or strip the notebooks of a folder; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m mbcbook.site.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("check", "strip"))
    parser.add_argument("folder", nargs="?", default="book")
    args = parser.parse_args(argv)
    if args.action == "strip":
        for path in notebooks(Path(args.folder)):
            if strip(path):
                print(f"stripped {path}")
        return 0
    found = [p for path in notebooks(Path(args.folder)) for p in problems(path)]
    print("\n".join(found) or "all notebooks are clean")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
