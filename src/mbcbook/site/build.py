"""Build the book with warnings as errors and check that every chapter produced a page.

``python -m mbcbook.site.build [OUTPUT]`` builds the repository (the current folder by default) into
``OUTPUT/_build/html`` with Jupyter Book 1, and fails, with the reason, when the build fails or
a table-of-contents entry has no page. ``make book`` and the tests use it.

It is ``jupyter-book build --warningiserror --keep-going`` with one difference: Sphinx reads
(and so executes) the notebooks on every core, which the ``jupyter-book`` command cannot ask for.
``jupyter-book build .`` still works, one notebook at a time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml


def default_jobs() -> int:
    """Processes that read (and execute) pages: three per core.

    Sphinx hands each process a fixed slice of the pages; with one process per core the slice
    holding the heaviest notebook finishes long after the others. Kernels spend part of their
    start-up waiting, so more, smaller slices keep both cores busy (measured on 2 cores:
    10.6 s with 2 processes, 9.0 s with 6).
    """
    return 3 * (os.cpu_count() or 1)


def toc_files(source: Path) -> list[str]:
    """Every document named in ``_toc.yml``, root first, without extension."""
    toc = yaml.safe_load((Path(source) / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def missing_pages(source: Path, html_dir: Path) -> list[str]:
    """Documents of ``_toc.yml`` that have no page in ``html_dir``.

    Parameters
    ----------
    source : Path
        The repository root, with ``_toc.yml``.
    html_dir : Path
        The built site.

    Returns
    -------
    list of str
        The documents without a page (without extension); empty when every page was built.
    """
    return [f for f in toc_files(source) if not (html_dir / f"{f}.html").is_file()]


def run_sphinx(source: Path, output: Path, jobs: int, execution_cache: Path | None = None) -> int:
    """Jupyter Book's own configuration and Sphinx call, in this process, on ``jobs`` cores.

    With ``execution_cache``, a notebook is executed only if that jupyter-cache folder holds no
    run of the same code yet, and its outputs are kept there (myst-nb's ``cache`` mode); the
    book's own setting, every notebook executed on every build, applies otherwise.
    """
    from jupyter_book.cli.main import build as jupyter_book_build
    from jupyter_book.sphinx import build_sphinx

    path_config, source_folder, overrides = jupyter_book_build.callback(
        path_source=str(source), path_output=str(output), config=None, toc=None, warningiserror=True,
        nitpick=False, keep_going=True, freshenv=False, builder="html", custom_builder=None, verbose=0,
        quiet=0, individualpages=False, get_config_only=True)
    if execution_cache is not None:
        from jupyter_cache import get_cache

        # The cache's database is made here, once: the processes that read the pages would
        # otherwise race to create its tables.
        get_cache(str(execution_cache)).db  # noqa: B018 (the property creates the database)
        overrides.update(nb_execution_mode="cache", nb_execution_cache_path=str(execution_cache))
    result = build_sphinx(source_folder, Path(output) / "_build" / "html", use_external_toc=True, noconfig=True,
                          path_config=path_config, confoverrides=overrides, builder="html",
                          warningiserror=True, keep_going=True, jobs=jobs)
    code = 1 if isinstance(result, Exception) else int(result or 0)
    if isinstance(result, Exception):
        print(f"ERROR: {result!r}", file=sys.stderr)
    if code != 0:
        forget_environment(Path(output) / "_build")
    return code


def forget_environment(build_dir: Path) -> None:
    """Drop Sphinx's saved environment after a failed build, so that the next build reads every page again.

    Sphinx saves what it has read, warnings aside: without this, building again after a failure
    would skip the page that failed (it has not changed) and report success over the same problem.
    """
    (Path(build_dir) / ".doctrees" / "environment.pickle").unlink(missing_ok=True)


def build(source: Path, output: Path, quiet: bool = False, jobs: int | None = None,
          execution_cache: Path | None = None) -> float:
    """Build into ``output/_build/html`` in a fresh process; return the seconds it took.

    ``execution_cache`` keeps executed notebooks in that folder and reuses them (see
    :func:`run_sphinx`). Raises RuntimeError with the warnings, errors and failing cells'
    tracebacks on failure.
    """
    start = time.perf_counter()
    command = [sys.executable, "-m", "mbcbook.site.build", str(output), "--source", str(source),
               "--jobs", str(jobs or default_jobs()), "--no-check"]
    if execution_cache is not None:
        command += ["--execution-cache", str(execution_cache)]
    result = subprocess.run(command, capture_output=quiet, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        log = ""
        if quiet:  # the output was captured: keep every warning and error, and the end of the log
            printed = (result.stdout or "") + (result.stderr or "")
            flagged = [line for line in printed.splitlines()
                       if ("WARNING" in line or "ERROR" in line or "Error" in line) and "IPKernelApp" not in line]
            log = "\n".join(flagged[:200]) + "\n...\n" + printed[-3000:]
        # A failing cell's traceback goes to a report file; show it, so the reason is on screen.
        for report in sorted((Path(output) / "_build" / "html" / "reports").rglob("*.err.log")):
            log += f"\n--- {report.name} ---\n" + report.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise RuntimeError(f"the book did not build (exit {result.returncode})\n{log}")
    missing = missing_pages(source, Path(output) / "_build" / "html")
    if missing:
        raise RuntimeError(f"no page was built for: {', '.join(missing)}")
    return seconds


def copy_reader_notebooks(html_dir: Path, folder: Path) -> list[str]:
    """Copy the reader notebooks of a built book into ``folder`` (``notebooks/``); return their names.

    Notebooks in ``folder`` that the build no longer makes (a chapter dropped from ``_toc.yml``)
    are removed, so that the launch buttons never open a stale chapter.
    """
    folder.mkdir(parents=True, exist_ok=True)
    made = {path.name: path for path in sorted((Path(html_dir) / "_sources").rglob("*.ipynb"))}
    for stale in folder.glob("*.ipynb"):
        if stale.name not in made:
            stale.unlink()
    for name, path in made.items():
        (folder / name).write_bytes(path.read_bytes())
    return sorted(made)


def main(argv: list[str] | None = None) -> int:
    """Command line: build the book, check that every page exists; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m mbcbook.site.build", description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default=".", help="folder that receives _build/html (default: .)")
    parser.add_argument("--source", default=".", help="repository root with _config.yml (default: .)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="processes reading notebooks")
    parser.add_argument("--execution-cache", type=Path, default=None,
                        help="jupyter-cache folder: execute only notebooks whose code it has not run yet")
    parser.add_argument("--reader-notebooks", type=Path, default=None, metavar="DIR",
                        help="also copy the chapters' reader notebooks into DIR (make book: notebooks/)")
    parser.add_argument("--no-check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    source, output = Path(args.source).resolve(), Path(args.output).resolve()
    start = time.perf_counter()
    code = run_sphinx(source, output, args.jobs, args.execution_cache)
    if args.no_check:  # called by build(), which checks and reports itself
        return code
    if code != 0:
        print("BUILD FAILED (see the warnings and errors above; failing cells' tracebacks are in "
              f"{output / '_build' / 'html' / 'reports'})", file=sys.stderr)
        return code
    missing = missing_pages(source, output / "_build" / "html")
    if missing:
        print(f"BUILD FAILED: no page was built for {', '.join(missing)}", file=sys.stderr)
        return 1
    if args.reader_notebooks is not None:
        names = copy_reader_notebooks(output / "_build" / "html", args.reader_notebooks.resolve())
        print(f"wrote {len(names)} reader notebooks into {args.reader_notebooks}")
    print(f"built {len(toc_files(source))} pages into {output / '_build' / 'html'} "
          f"in {time.perf_counter() - start:.1f} s with {args.jobs} processes on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
