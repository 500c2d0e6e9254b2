"""Reader notebooks (mbcbook.site.readers): every MyST construct the chapters use, turned into
Markdown that JupyterLab and Colab render, on a small made-up chapter."""

from __future__ import annotations

import json

import nbformat
import pytest

from conftest import RAW_MYST, rendered_text
from mbcbook.errors import BookBuildError
from mbcbook.site.readers import BookIndex, Glued, glued_values, read_glossary, reader_notebook

INDEX = BookIndex(
    titles={"book/05-trials": "The randomised trials", "book/04-registries": "Registries",
            "book/a2-glossary": "Appendix: glossary"},
    chapter_numbers={"book/05-trials": "5"},
    section_numbers={"book/05-trials": {"": "5", "#key-points": "5.1", "#tata-memorial-mumbai": "5.1.1"}},
    numbers={"fig-forest": "Figure 5.1", "ex-5-1": "Exercise 5.1", "ex-5-2": "Exercise 5.2"},
    labels={"chapter-registries": ("book/04-registries", "Registries"),
            "checker": ("book/05-trials", "Which trials could she enter?")},
    left_out={"chapter-registry": "Prospective registries", "book/06-registry": "Prospective registries"},
    readers=frozenset({"book/05-trials", "book/04-registries"}),
    glossary={"hazard ratio": ("Hazard ratio", "The ratio of two hazards; see {term}`Censoring`."),
              "censoring": ("Censoring", "Incomplete follow-up {cite:p}`kaplan1958`.")},
    citations={"badwe2015": ("Badwe et al., 2015", "Badwe R. Lancet Oncol 2015."),
               "kaplan1958": ("Kaplan and Meier, 1958", "Kaplan EL, Meier P. JASA 1958.")},
    repository="https://github.com/mbcbook/mbcbook", branch="main")

GLUED = {"effects.tata-os": Glued("HR 1.04 (95% CI 0.81–1.34)", "Source: Badwe et al., 2015 · confirmed"),
         "computed.n": Glued("686")}


def chapter(*cells) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    for kind, source in cells:
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source))
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def convert(*cells, index=INDEX) -> dict:
    return reader_notebook(chapter(*cells), "book/05-trials", GLUED, index)


def markdown_of(reader: dict) -> str:
    return "\n\n".join(c["source"] for c in reader["cells"] if c["cell_type"] == "markdown")


def test_a_glued_figure_is_its_value_with_its_source_as_a_tooltip():
    reader = convert(("md", "Survival: {glue:text}`effects.tata-os`, in {glue:text}`computed.n` women."))
    markdown = markdown_of(reader)
    assert '<span title="Source: Badwe et al., 2015 · confirmed">HR 1.04 (95% CI 0.81–1.34)</span>' in markdown
    assert "in 686 women" in markdown  # no provenance: plain text
    assert reader["metadata"]["mbcbook"]["glued"] == {"computed.n": "686",
                                                      "effects.tata-os": GLUED["effects.tata-os"].text}
    assert "HR 1.04 (95% CI 0.81–1.34)" in rendered_text(markdown)


def test_a_figure_never_glued_stops_the_build_naming_the_chapter():
    with pytest.raises(BookBuildError, match=r"book/05-trials: .*'effects\.nowhere'"):
        convert(("md", "{glue:text}`effects.nowhere`"))


def test_terms_read_as_words_and_are_defined_at_the_end_with_the_terms_their_definitions_use():
    markdown = markdown_of(convert(("md", "A {term}`hazard ratio <Hazard ratio>` compares.")))
    assert "A hazard ratio compares." in markdown
    terms = markdown.split("## Terms used in this chapter")[1]
    assert "- **Hazard ratio**: The ratio of two hazards; see Censoring." in terms
    assert "- **Censoring**: Incomplete follow-up (Kaplan and Meier, 1958)." in terms  # named by a definition
    assert "Kaplan EL, Meier P. JASA 1958." in markdown  # cited by that definition: listed


def test_citations_read_author_year_and_are_listed_at_the_end():
    markdown = markdown_of(convert(("md", "No benefit {cite:p}`badwe2015,kaplan1958`; {cite:t}`badwe2015` showed.")))
    assert "No benefit (Badwe et al., 2015; Kaplan and Meier, 1958); Badwe et al. (2015) showed." in markdown
    references = markdown.split("## References cited in this chapter")[1]
    assert references.index("Badwe et al., 2015.") < references.index("Kaplan and Meier, 1958.")


def test_an_unknown_citation_stops_the_build():
    with pytest.raises(BookBuildError, match="'smith2099'"):
        convert(("md", "{cite:p}`smith2099`"))


def test_links_go_to_reader_notebooks_sections_by_title_figures_and_exercises_by_number():
    markdown = markdown_of(convert(("md", "\n".join([
        "See {doc}`04-registries`, {doc}`the registries <04-registries>` and {doc}`a2-glossary`.",
        "{ref}`chapter-registries`, {ref}`checker`, {numref}`fig-forest`, {numref}`Fig. {number} <fig-forest>`,",
        "{ref}`ex-5-2`; dropped: {doc}`06-registry` and {ref}`chapter-registry`."]))))
    assert "See [Registries](04-registries.ipynb), [the registries](04-registries.ipynb) and " \
           "[Appendix: glossary](https://github.com/mbcbook/mbcbook/blob/main/book/a2-glossary.md)." in markdown
    assert "[Registries](04-registries.ipynb), “Which trials could she enter?”, Figure 5.1, Fig. 5.1," in markdown
    assert "Exercise 5.2; dropped: Prospective registries and Prospective registries." in markdown


@pytest.mark.parametrize("role", ["{ref}`no-such-label`", "{doc}`no-such-page`", "{abbr}`MBC (metastatic)`"])
def test_a_reference_to_nothing_or_an_unknown_role_stops_the_build(role):
    with pytest.raises(BookBuildError, match="book/05-trials: the reader notebook cannot show"):
        convert(("md", f"Text {role}."))


def test_headings_are_numbered_as_the_web_book_numbers_them():
    markdown = markdown_of(convert(("md", "# Trials\n\n## Key points\n\n### Tata Memorial (Mumbai)\n\n## Unnumbered")))
    assert "# 5. Trials\n\n## 5.1. Key points\n\n### 5.1.1. Tata Memorial (Mumbai)\n\n## Unnumbered" in markdown
    assert "```python\n# not a heading\n```" in markdown_of(convert(("md", "```python\n# not a heading\n```")))


def test_inline_code_is_kept_as_written():
    markdown = markdown_of(convert(("md", "Paste with `` {glue:text}`key` `` and read `data/trials.csv`.")))
    assert "`` {glue:text}`key` ``" in markdown and "`data/trials.csv`" in markdown


def test_admonitions_exercises_and_labels_become_quoted_boxes():
    markdown = markdown_of(convert(("md", "\n".join([
        "(chapter-trials)=", "# Trials", "", ":::{admonition} Key points", ":class: tip",
        "- one {term}`Hazard ratio`", ":::", "", "::::{exercise}", ":label: ex-5-1", "",
        "Compute it.", "", ":::{note}", "Inside.", ":::", "::::"]))))
    assert "(chapter-trials)=" not in markdown and markdown.startswith("> **Chapter 5 of")
    assert "> **Key points**\n>\n> - one Hazard ratio" in markdown
    assert "> **Exercise 5.1**\n>\n> Compute it.\n>\n> > **Note**\n> >\n> > Inside." in markdown
    assert not RAW_MYST.search(markdown)


def test_a_solution_is_folded_and_a_gated_solution_folds_its_code_cells():
    reader = convert(
        ("md", ":::{exercise}\n:label: ex-5-1\nAsk.\n:::\n\n:::{solution} ex-5-1\n:class: dropdown\nAnswer.\n:::"),
        ("md", ":::{exercise}\n:label: ex-5-2\nAsk again.\n:::\n\n"
               ":::{solution-start} ex-5-2\n:class: dropdown\n:::\nWork:"),
        ("code", "x = 1"),
        ("md", "So x is one.\n\n:::{solution-end}\n:::\n\n## Next"),
        ("code", "y = 2"))
    markdown = markdown_of(reader)
    assert "<details>\n<summary>Solution to Exercise 5.1</summary>\n\nAnswer.\n\n</details>" in markdown
    assert "<summary>Solution to Exercise 5.2</summary>\n\nWork:" in markdown
    assert ("<summary>Solution to Exercise 5.2 (continued)</summary>\n\nSo x is one.\n\n</details>\n\n## Next"
            in markdown)
    code = [c for c in reader["cells"] if c["cell_type"] == "code"][1:]  # after the install cell
    assert code[0]["metadata"]["jupyter"] == {"source_hidden": True}
    assert code[0]["metadata"]["cellView"] == "form"
    assert code[0]["source"].startswith("# @title Solution to Exercise 5.2") and code[0]["source"].endswith("x = 1")
    assert code[1]["source"] == "y = 2" and "jupyter" not in code[1]["metadata"]  # after the solution
    assert "Answer." in rendered_text(markdown) and not RAW_MYST.search(markdown)


def test_hidden_solutions_leave_the_reader_notebook_too():
    index = BookIndex(**{**INDEX.__dict__, "hide_solutions": True})
    reader = convert(
        ("md", ":::{exercise}\n:label: ex-5-1\nAsk.\n:::\n\n:::{solution} ex-5-1\n:class: dropdown\nAnswer.\n:::"),
        ("md", ":::{solution-start} ex-5-2\n:class: dropdown\n:::\nWork:"), ("code", "x = 1"),
        ("md", ":::{solution-end}\n:::\nAfter."), index=index)
    markdown = markdown_of(reader)
    assert "Ask." in markdown and "After." in markdown
    assert "Answer." not in markdown and "Work:" not in markdown and "<details>" not in markdown
    assert [c["id"] for c in reader["cells"] if c["cell_type"] == "code"] == ["mbcbook-reader-install"]


def test_a_solution_start_without_its_end_stops_the_build():
    with pytest.raises(BookBuildError, match="no \\{solution-end\\}"):
        convert(("md", ":::{solution-start} ex-5-1\n:class: dropdown\n:::\nWork"), ("code", "x = 1"))


def test_a_numbered_figure_gets_its_number_and_caption():
    markdown = markdown_of(convert(("md", "```{glue:figure} fig-forest\n:name: fig-forest\n\nHazard ratios. "
                                          "Data: `data/effects.csv`.\n```")))
    assert "**Figure 5.1.** Hazard ratios. Data: `data/effects.csv`." in markdown


def test_folded_code_cells_stay_folded_and_cells_keep_no_outputs():
    notebook = chapter(("code", "import mbcbook"), ("code", "charts.draw('x', ev)"))
    notebook.cells[0].metadata["tags"] = ["hide-cell"]
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="old")]
    reader = reader_notebook(notebook, "book/05-trials", GLUED, INDEX)
    install, setup, chart = (c for c in reader["cells"] if c["cell_type"] == "code")
    assert '%pip install --quiet "mbcbook @ git+https://github.com/mbcbook/mbcbook@main"' in install["source"]
    assert setup["metadata"] == {"tags": ["hide-cell"], "jupyter": {"source_hidden": True}}
    assert chart["outputs"] == [] and chart["execution_count"] is None
    nbformat.validate(nbformat.from_dict(reader))


def test_an_unknown_directive_or_a_bare_colon_fence_stops_the_build():
    for source in (":::{figure} x.png\n:::", ":::\ntext\n:::"):
        with pytest.raises(BookBuildError):
            convert(("md", source))


def test_a_bibliography_gives_way_to_the_list_of_references_cited():
    source = "As shown {cite:p}`badwe2015`.\n\n```{bibliography}\n:filter: docname in docnames\n```"
    markdown = markdown_of(convert(("md", source)))
    assert "bibliography" not in markdown and "filter" not in markdown
    assert "## References cited in this chapter\n\n- Badwe et al., 2015. Badwe R. Lancet Oncol 2015." in markdown


def test_code_blocks_and_math_are_kept():
    markdown = markdown_of(convert(("md", "```python\nx = {glue:text}\n```\n\n$$\nS(t)\n$$\n\nInline $h(t)$.")))
    assert "```python\nx = {glue:text}\n```" in markdown and "$$\nS(t)\n$$" in markdown and "$h(t)$" in markdown


def test_glued_values_read_myst_nb_s_record(tmp_path):
    record = tmp_path / "ch.glue.json"
    fact = {"ref": "kadys2023", "table": "epidemiology", "row": "us", "column": "", "status": "confirmed"}
    record.write_text(json.dumps({"a": {"data": {"text/plain": "'6%'", "application/vnd.mbcbook.fact+json": fact}},
                                  "b": {"data": {"text/plain": ["12", "3"]}},
                                  "fig-x": {"data": {"application/vnd.mbcbook.figure+json": {}}}}))
    values = glued_values(record)
    assert values["a"].text == "6%" and "data/epidemiology.csv, row us" in values["a"].note
    assert values["b"] == Glued("123") and "fig-x" not in values


def test_the_glossary_page_is_read_with_shared_definitions(tmp_path):
    page = tmp_path / "g.md"
    page.write_text("# Glossary\n\n```{glossary}\nRCT\nRandomised trial\n  A trial in which\n  chance decides.\n"
                    "\nBias\n  Error.\n```\n")
    assert read_glossary(page) == {"rct": ("RCT", "A trial in which chance decides."),
                                   "randomised trial": ("Randomised trial", "A trial in which chance decides."),
                                   "bias": ("Bias", "Error.")}
