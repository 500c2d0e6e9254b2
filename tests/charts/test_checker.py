"""The web book's eligibility checker: its form and the rules it carries come from data/."""

from __future__ import annotations

import json
import re

from mbcbook.charts import checker
from mbcbook.evidence import rules as vocabulary


def _data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" class="mbcbook-checker-data">(.*?)</script>',
                                html, re.DOTALL).group(1).replace("<\\/", "</"))


def test_the_page_carries_every_rule_with_its_value_read(evidence_tables):
    html = checker.checker_html(evidence_tables.eligibility_rules, evidence_tables.references)
    data = _data(html)
    assert [rule["id"] for rule in data["rules"]] == list(evidence_tables.eligibility_rules.index)
    by_id = {rule["id"]: rule for rule in data["rules"]}
    assert by_id["e2108-therapy-length"]["value"] == [16, 32]
    assert by_id["review-hormone-receptor"]["fields"] == ["er", "pgr"]
    assert by_id["tata-untreated"]["value"] is None
    assert by_id["jcog1017-performance"]["status"] == "unconfirmed"
    assert by_id["tata-age"]["link"] == "https://doi.org/10.1016/S1470-2045(15)00135-7"
    assert [s["id"] for s in data["sources"]] == ["review", "tata", "mf07-01", "jcog1017", "e2108", "abcsg-28"]
    assert [f["name"] for f in data["fields"]] == [f.name for f in vocabulary.FIELDS]


def test_a_labelled_control_for_every_field_and_the_warning(evidence_tables):
    html = checker.checker_html(evidence_tables.eligibility_rules, evidence_tables.references, prefix="p")
    for field in vocabulary.FIELDS:
        assert f'data-field="{field.name}"' in html
        if field.kind != "set":
            assert f'<label for="p-{field.name}">' in html and f'id="p-{field.name}"' in html
    assert "Teaching material, not a clinical decision tool." in html
    assert 'aria-live="polite"' in html and 'role="alert"' in html and checker.CHECKER_MARKER in html


def test_a_choice_of_sources(evidence_tables):
    data = _data(checker.checker_html(evidence_tables.eligibility_rules, evidence_tables.references,
                                      sources=["review"]))
    assert {rule["source"] for rule in data["rules"]} == {"review"}
    assert data["sources"] == [{"id": "review", "name": "The review's candidate profile"}]


def test_a_script_end_tag_in_a_rule_cannot_break_the_page(evidence_tables):
    rules = evidence_tables.eligibility_rules.copy()
    rules.loc["tata-age", "text"] = "</script><b>"
    html = checker.checker_html(rules, evidence_tables.references)
    assert html.count("</script>") == 1 and _data(html)["rules"][5]["text"] == "</script><b>"


def test_show_checker_is_html_for_the_book_and_words_elsewhere(evidence_tables):
    bundle = checker.show_checker(evidence_tables, prefix="x")._repr_mimebundle_()
    assert bundle["text/html"].startswith('<div class="mbcbook-checker" data-mbcbook-checker id="x">')
    assert "live checker" in bundle["text/plain"]
