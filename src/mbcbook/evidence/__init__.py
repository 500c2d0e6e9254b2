"""The evidence layer: the tables of ``data/``, validated, and their figures formatted for prose.

>>> from mbcbook import evidence
>>> ev = evidence.load()
>>> float(ev.effects.loc["jcog1017-os", "ci_level"])  # E2108 and JCOG1017 report 90% intervals
0.9
>>> from mbcbook.evidence import text
>>> str(text.fact(ev, "effects.jcog1017-os"))
'HR 0.86 (90% CI 0.69–1.07)'

Modules: :mod:`~mbcbook.evidence.schema` (what each table holds and what is enforced),
:mod:`~mbcbook.evidence.loader` (read and validate), :mod:`~mbcbook.evidence.text` (figures
for prose, glued into the chapters) and :mod:`~mbcbook.evidence.readme` (the column
documentation of ``data/README.md``). This layer imports nothing from the layers above it.
"""

from ..errors import EvidenceError, Problem
from .loader import Evidence, Reference, data_dir, load, load_references, read_table

__all__ = ["Evidence", "EvidenceError", "Problem", "Reference", "data_dir", "load", "load_references",
           "read_table"]
