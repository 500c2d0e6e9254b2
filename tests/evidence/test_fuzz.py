"""Whole files corrupted at random: the loader answers with an EvidenceError or loads, never crashes.

Hypothesis picks a file of data/ and a way to break it (a cell replaced by random text, random
bytes spliced in, the file truncated, a line deleted or doubled), then runs ``load()`` on the
result. Any exception other than :class:`EvidenceError` fails, and so does an EvidenceError
whose problems do not name the file that was broken.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from mbcbook import evidence
from mbcbook.evidence import EvidenceError

FILES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".csv", ".bib"))
ORIGINAL = {name: (DATA / name).read_bytes() for name in FILES}
CELL_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["", "nan", "-1", "1e309", "0.95", "3_50", "１",
                                                             '"', ",", "\n", "tata", "NA", "2" * 25]))


@st.composite
def corrupted(draw):
    name = draw(st.sampled_from(FILES))
    data = ORIGINAL[name]
    lines = data.split(b"\n")
    how = draw(st.sampled_from(["cell", "splice", "truncate", "delete_line", "double_line"]))
    if how == "cell":
        index = draw(st.integers(0, len(lines) - 1))
        cells = lines[index].split(b",")
        position = draw(st.integers(0, len(cells) - 1))
        cells[position] = draw(CELL_TEXT).encode("utf-8", "surrogatepass")
        lines[index] = b",".join(cells)
        data = b"\n".join(lines)
    elif how == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif how == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif how == "delete_line":
        del lines[draw(st.integers(0, len(lines) - 1))]
        data = b"\n".join(lines)
    else:
        index = draw(st.integers(0, len(lines) - 1))
        lines.insert(index, lines[index])
        data = b"\n".join(lines)
    return name, data


# 500 corruptions, about 45 for each file and way of breaking it: each one loads every table (about
# 50 ms), and the whole run must stay inside make test's time budget.
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted())
def test_no_corruption_crashes_the_loader(case):
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "data"
        shutil.copytree(DATA, copy)
        (copy / name).write_bytes(data)
        try:
            evidence.load(copy)
        except EvidenceError as error:
            assert error.problems and all(str(p) for p in error.problems)
            named = {Path(p.file).name for p in error.problems}
            # A broken file is named; a broken id may also surface where another table cites it.
            assert name in named or named & set(FILES), str(error)
