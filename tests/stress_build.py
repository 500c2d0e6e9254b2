"""Build the book N times in a row with parallel reading, and count the failures and the pages
that differ from the first build's: ``make stress``.

Not a test (it takes minutes): it is the evidence that the parallel build cannot fail by
chance, and that every build from scratch, notebooks executed anew, gives the same bytes (the
reproducibility test of ``make test`` reuses the executed notebooks of its first build).
Before kernels talked over Unix sockets (mbcbook.site.kernels), one fresh-clone run in
five failed with "Address already in use" as kernels raced for TCP ports.

    python tests/stress_build.py [RUNS]     # default 20; exit 1 if any build failed
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    from mbcbook.site.build import build

    runs = int(argv[0]) if argv else 20
    failures, seconds, first = [], [], None
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory() as output:
            start = time.perf_counter()
            try:
                build(REPO, Path(output), quiet=True)
                files = pages(Path(output) / "_build" / "html")
                first = first if first is not None else files
                differing = sorted(name for name in first.keys() | files.keys() if first.get(name) != files.get(name))
                outcome = "ok" if not differing else f"DIFFERS from build 1: {', '.join(differing[:5])}"
                if differing:
                    failures.append((run, "files that differ from build 1: " + ", ".join(differing)))
            except RuntimeError as error:
                failures.append((run, str(error)))
                outcome = "FAILED: " + str(error).splitlines()[0]
            seconds.append(time.perf_counter() - start)
        print(f"build {run:2d}/{runs}: {seconds[-1]:5.1f} s  {outcome}", flush=True)
    print(f"{runs - len(failures)} of {runs} parallel builds passed and matched the first; "
          f"{min(seconds):.1f}-{max(seconds):.1f} s each")
    for run, error in failures:
        print(f"\n--- build {run} ---\n{error[-3000:]}")
    return 1 if failures else 0


def pages(html: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site."""
    return {str(p.relative_to(html)): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
