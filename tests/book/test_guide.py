"""The guide for educators and the chapter template: what they name exists, and their examples work.

Cheap checks, with no build of the book: every ``make`` target the guide names is in the Makefile,
every file it names is in the repository, every configuration key it names is in _config.yml, its
worked examples (rows for data/) pass the evidence loader on a copy of data/ and reach the code
that draws and pools the trials; and the template notebook opens and closes as a written chapter
must (tests/book/test_prose.py::test_a_written_chapter_follows_the_model).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import REPO
from mbcbook import evidence
from mbcbook.analysis import pooling, reconstruction
from mbcbook.charts import checker, forest, trials

GUIDE = REPO / "book" / "a4-for-educators.md"
TEMPLATE = REPO / "book" / "templates" / "chapter.ipynb"
# A worked example for a file of data/: ```{code-block} text, then :caption: data/<file>, a blank
# line and the lines to append to that file.
EXAMPLE = re.compile(r"^```\{code-block\} text\n:caption: (data/[\w.]+)\n\n(.*?)\n```$", re.MULTILINE | re.DOTALL)
# Files the guide names that are not in the repository: build outputs, files inside the offline
# zip, and files it says are not needed (Binder) or to create (GitHub Pages).
NOT_IN_THE_REPOSITORY = {".venv", ".nojekyll", "environment.yml", "postBuild", "README.txt", "index.html",
                         "_static", "_static/"}


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def code_spans(text: str) -> set[str]:
    """The inline code of the prose: fenced blocks and double-backtick spans (which show a role) left out."""
    text = re.sub(r"^(```|~~~).*?^\1", " ", text, flags=re.MULTILINE | re.DOTALL)
    text = re.sub(r"``.+?``", " ", text)
    return {span.strip() for span in re.findall(r"`([^`\n]+)`", text)}


# ---------------------------------------------------------------- what the guide names exists


def test_every_make_target_the_guide_names_exists():
    named = set(re.findall(r"\bmake (\w+)", guide()))
    targets = set(re.findall(r"^([\w-]+):", (REPO / "Makefile").read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert {"book", "test", "bundle", "serve"} <= named
    assert not named - targets, f"the guide names make targets the Makefile lacks: {sorted(named - targets)}"


def named_paths(text: str) -> set[str]:
    """Code spans that are file or folder names: with a slash, or a file name with an extension."""
    extensions = (".yml", ".txt", ".cff", ".md", ".toml", ".csv", ".bib", ".ipynb", ".py", ".js", ".zip", ".html")
    return {span for span in code_spans(text)
            if re.fullmatch(r"[\w.<>-]+(?:/[\w.<>-]*)*", span) and not span.startswith(("mbcbook.", "python"))
            and ("/" in span or span.endswith(extensions))}


def exists(name: str) -> bool:
    """In the repository: from its root, from the package, or a module of the package by its file name."""
    name = name.rstrip("/")
    package = REPO / "src" / "mbcbook"
    roots = (REPO, REPO / "src", package, package / "site" / "static")
    return any((root / name).exists() for root in roots) or ("/" not in name and any(package.rglob(name)))


def test_every_file_the_guide_names_exists():
    named = named_paths(guide())
    assert {"runtime.txt", "requirements.txt", "CITATION.cff", "book/templates/chapter.ipynb",
            "data/eligibility_rules.csv"} <= named
    missing = sorted(name for name in named
                     if name not in NOT_IN_THE_REPOSITORY and not name.startswith("_build/")
                     and "<" not in name and not exists(name))
    assert not missing, f"the guide names files that are not in the repository: {missing}"


def test_the_path_check_finds_paths_and_can_fail():
    named = named_paths("Edit `data/trials.csv`, `schema.py` and `_config.yml`; run `make book`; "
                        "`python -m mbcbook.evidence`; `mbcbook.analysis.survival`; `lrt`.")
    assert named == {"data/trials.csv", "schema.py", "_config.yml"}
    assert exists("schema.py") and exists("charts/") and exists("vendor/vega-6.2.0/vega.min.js")
    assert not exists("data/no-such-table.csv") and not exists("no_such_module.py")


def config_keys(text: str) -> set[str]:
    return {span for span in code_spans(text)
            if re.fullmatch(r"(?:repository|launch_buttons|sphinx|html|execute|parse)(?:\.\w+)+", span)}


def has_key(config: dict, dotted: str) -> bool:
    node = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def test_every_config_key_the_guide_names_is_in_config():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    named = config_keys(guide())
    assert {"repository.url", "repository.branch", "sphinx.config.hide_solutions"} <= named
    missing = sorted(key for key in named if not has_key(config, key))
    assert not missing, f"the guide names keys that _config.yml lacks: {missing}"
    assert not has_key(config, "sphinx.config.no_such_key")


# ---------------------------------------------------------------- the worked examples work


def examples(text: str) -> list[tuple[str, str]]:
    """The guide's worked examples: (file of data/, lines to append), in the guide's order."""
    return [(name, body) for name, body in EXAMPLE.findall(text)]


def test_the_guide_gives_an_example_for_each_file_a_trial_needs():
    files = [name for name, _ in examples(guide())]
    assert {"data/references.bib", "data/trials.csv", "data/arms.csv", "data/effects.csv",
            "data/eligibility_rules.csv", "data/reconstructions.csv"} <= set(files)


def appended(tmp_path: Path, text: str) -> Path:
    """A copy of data/ with the guide's examples appended; the copy's folder."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    for name, body in examples(text):
        path = tmp_path / name
        existing = path.read_text(encoding="utf-8")
        path.write_text(existing + ("" if existing.endswith("\n") else "\n") + body.strip("\n") + "\n",
                        encoding="utf-8")
    return data


def test_the_worked_examples_pass_the_loader_and_reach_the_charts_and_pooling(tmp_path):
    ev = evidence.load(appended(tmp_path, guide()))
    assert ev.trials.loc["demo-trial", "name"] == "DEMO (made-up example)"
    assert set(ev.arms[ev.arms["trial_id"] == "demo-trial"]["arm"]) == {"lrt", "st"}
    demo = ev.effects.loc["demo-trial-os"]
    assert demo["ci_level"] in (0.90, 0.95) and demo["p_sided"] == "two_sided"
    assert "fictional" in ev.references["demo2099"].fields["note"].lower()
    # Every row of the example is marked unconfirmed, as the guide asks of new figures.
    for table in ("trials", "arms", "effects", "eligibility_rules", "reconstructions"):
        rows = ev.table(table)
        assert set(rows[rows["ref"] == "demo2099"]["status"]) == {"unconfirmed"}, table
    # The code paths the guide says pick the trial up.
    assert "demo-trial-os" in pooling.overall_survival_reports(ev.effects).index
    assert "demo-trial" in pooling.trial_studies(ev.effects, "st-lrt")
    assert "demo-trial-os" in set(trials.forest_rows(ev.effects, ev.trials, ev.meta_analyses, ev.references)["row_id"])
    assert "demo-trial-os" in set(forest.local_versus_distant_table(ev.effects)["effect_id"])
    table = trials.comparison_table(ev.trials, ev.effects, ev.arms, ev.arm_outcomes, ev.references)
    assert table["Trial"].str.startswith("DEMO (made-up example)").any()
    rules = checker.checker_data(ev.eligibility_rules, ev.references, ["review"])["rules"]
    assert "review-demo-age" in {rule["id"] for rule in rules}
    # The trial's own rules, under its own name, in the checker of every trial (chapter 5's).
    listed = checker.checker_data(ev.eligibility_rules, ev.references, ev.trials.index, ev.trials)
    assert {"id": "demo-trial", "name": "DEMO (made-up example)"} in listed["sources"]
    assert {"demo-trial-untreated", "demo-trial-performance"} <= {rule["id"] for rule in listed["rules"]}
    # And its curves in the survival explorer, rebuilt from its rows.
    rebuilt = reconstruction.reconstruct(ev, "demo-trial", copies=1)
    assert rebuilt.trial_name == "DEMO (made-up example)" and rebuilt.settings.n == {"lrt": 100, "st": 100}


def test_a_broken_example_fails_the_loader(tmp_path):
    """The check above can fail: an example row with a cell too few is refused, with its file named."""
    broken = guide().replace(",two_sided,lrt,st,48,", ",two_sided,lrt,st,")
    with pytest.raises(evidence.EvidenceError, match="effects.csv"):
        evidence.load(appended(tmp_path, broken))


# ---------------------------------------------------------------- the chapter template


def markdown_and_code(path: Path) -> tuple[str, str]:
    nb = nbformat.read(path, as_version=4)
    return ("\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown"),
            "\n".join(c.source for c in nb.cells if c.cell_type == "code"))


def test_the_template_opens_and_closes_as_a_written_chapter():
    markdown, code = markdown_and_code(TEMPLATE)
    opening = ["Teaching material, not a clinical decision tool", "**Overview.**", "**Prerequisites.**",
               "**Time to learn.**", "## Learning objectives"]
    closing = ["{admonition} Key points", "## Exercises", "## Your turn", "## What comes next", "## Sources"]
    positions = [markdown.find(marker) for marker in opening + closing]
    assert -1 not in positions, [m for m, p in zip(opening + closing, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "the sections are out of order"
    assert re.match(r"\(chapter-[\w-]+\)=\n# ", markdown), "a label line, then the title"
    assert "This chapter is an outline" not in markdown


def test_the_template_has_the_cells_every_chapter_has():
    nb = nbformat.read(TEMPLATE, as_version=4)
    markdown, code = markdown_and_code(TEMPLATE)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert "hide-cell" in setup.metadata.get("tags", []) and "text.glue_facts(ev" in setup.source
    assert "{glue:text}`" in markdown
    # One numbered figure, glued in a removed cell and cited by its number.
    figures = re.findall(r"\{glue:figure\} fig-(\S+)\s*\n:name: (\S+)", markdown)
    assert figures
    for key, label in figures:
        assert label.startswith(f"fig-{key}") and f'charts.glue_figure("{key}", ev)' in code
        assert f"{{numref}}`{label}`" in markdown
    glue_cell = next(c for c in nb.cells if "charts.glue_figure(" in c.source)
    assert "remove-cell" in glue_cell.metadata.get("tags", [])
    # Exercises with folded solutions, one gated with code that reads the data.
    exercises = re.findall(r"\{exercise\}\s*\n:label: (\S+)", markdown)
    solutions = re.findall(r"\{solution(?:-start)?\} (\S+)\s*\n:class: dropdown", markdown)
    assert len(exercises) >= 2 and set(exercises) == set(solutions)
    assert "{solution-start}" in markdown and "{solution-end}" in markdown and 'ev.table("effects")' in code
    # Placeholders say what to write.
    assert markdown.count("Replace") >= 10


def test_the_template_sits_where_the_notebook_tests_find_it_and_the_book_does_not():
    from mbcbook.site.notebooks import notebooks

    assert TEMPLATE in notebooks(REPO / "book")  # run by nbval, checked by test_chapters.py
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    assert "templates/" not in toc
    assert yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["only_build_toc_files"] is True
