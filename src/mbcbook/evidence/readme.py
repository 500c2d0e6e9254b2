"""The column documentation of ``data/README.md``, generated from the schema.

``python -m mbcbook.evidence --readme`` rewrites the part of the README between the two
markers below, so that the documentation cannot drift from what the loader enforces.
"""

from __future__ import annotations

from .schema import TABLES

README_BEGIN = "<!-- BEGIN GENERATED: python -m mbcbook.evidence --readme -->"
README_END = "<!-- END GENERATED -->"


def _interval_rule(iv) -> str:
    what = "confidence interval" if iv.level else "range"
    inside = f"`{iv.low}` <= `{iv.estimate}` <= `{iv.high}`" if iv.estimate else f"`{iv.low}` <= `{iv.high}`"
    return f"{inside} when the {what} is given" + (f", and then `{iv.level}` is required" if iv.level else "")


def _row_checks(table) -> list[str]:
    checks = [_interval_rule(iv) for iv in table.intervals]
    checks += [f"`{p_col}` and `{op_col}` are given together; a p-value is at most 1"
               for p_col, op_col in table.p_values]
    for measure, (lo, hi, lo_inc, hi_inc) in table.value_ranges.items():
        checks.append(f"when `{table.measure_column}` is `{measure}`, `{table.value_column}` lies in "
                      f"{'[' if lo_inc else '('}{lo:g}, {hi:g}{']' if hi_inc else ')'}")
    checks += [f"at least one of {', '.join(f'`{c}`' for c in rule.columns)} is given" for rule in table.any_of]
    return checks


def readme_tables() -> str:
    """Markdown documentation of every column, generated from the schema.

    Returns
    -------
    str
        One section per table: its description, a table of its columns and its row checks.
    """
    parts = []
    for table in TABLES:
        parts.append(f"### `{table.file}`\n\n{table.description}\n")
        parts.append("| column | type | unit | allowed values | required | description |")
        parts.append("|---|---|---|---|---|---|")
        for col in table.columns:
            desc = col.description.replace("|", "\\|")
            parts.append(f"| `{col.name}` | {col.type_label()} | {col.unit} | {col.allowed_label()} | "
                         f"{'yes' if col.required else 'no'} | {desc} |")
        checks = _row_checks(table)
        if checks:
            parts.append("\nRow checks: " + "; ".join(checks) + ".")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def render_readme(current: str) -> str:
    """``current`` with its generated section replaced by :func:`readme_tables`.

    Raises
    ------
    ValueError
        When ``current`` lacks the two markers that delimit the generated section.
    """
    start, end = current.find(README_BEGIN), current.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"data/README.md must contain the markers {README_BEGIN} and {README_END}")
    return current[: start + len(README_BEGIN)] + "\n\n" + readme_tables() + "\n" + current[end:]
