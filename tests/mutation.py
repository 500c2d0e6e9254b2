"""Mutation testing of the evidence and computation layers: ``make mutate`` (not part of ``make test``).

Runs mutmut (configured under ``[tool.mutmut]`` in pyproject.toml) over every module of
``src/mbcbook/evidence/`` and ``src/mbcbook/analysis/``, then reports, module by module, how
many of its mutants the tests killed. Fails unless every module kills at least 85%: a check in
the code that no test notices is a check that can be deleted unseen. Surviving mutants are
listed in ``_build/mutation.json``; ``mutmut show NAME`` prints one.

    python tests/mutation.py            # run mutmut, then report
    python tests/mutation.py --report   # report on the last run only
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
THRESHOLD = 0.85
# mutmut's exit codes for a mutant: the tests failed (killed), passed (survived), or no test
# reached it (counted as survived: nothing would notice it).
KILLED, SURVIVED = 1, 0
TIMED_OUT = (-24, 24, 36)  # a mutant that makes the tests hang is caught by the time limit


def results(mutants: Path) -> dict[str, dict]:
    """Per module: counts of killed and surviving mutants, and the survivors' names."""
    report = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        module = meta.relative_to(mutants / "src").as_posix().removesuffix(".py.meta").replace("/", ".")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if not codes:
            continue
        killed = sum(1 for code in codes.values() if code == KILLED or code in TIMED_OUT)
        survivors = sorted(name for name, code in codes.items() if not (code == KILLED or code in TIMED_OUT))
        report[module] = {"mutants": len(codes), "killed": killed, "score": killed / len(codes),
                          "exit_codes": dict(Counter(map(str, codes.values()))), "survivors": survivors}
    return report


def main(argv: list[str]) -> int:
    if "--report" not in argv:
        subprocess.run([str(Path(sys.executable).parent / "mutmut"), "run", "--max-children", "2"],
                       cwd=REPO, check=True)
    report = results(REPO / "mutants")
    if not report:
        print("no mutation results: run `make mutate`")
        return 1
    out = REPO / "_build" / "mutation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"{'module':40} {'mutants':>8} {'killed':>7} {'score':>7}")
    for module, row in report.items():
        flag = "" if row["score"] >= THRESHOLD else "  BELOW 85%"
        print(f"{module:40} {row['mutants']:8d} {row['killed']:7d} {row['score']:7.1%}{flag}")
    below = [m for m, row in report.items() if row["score"] < THRESHOLD]
    print(f"survivors listed in {out}")
    return 1 if below else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
