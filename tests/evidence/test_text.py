"""Figures formatted for prose."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from IPython.lib.pretty import pretty

from mbcbook import evidence
from mbcbook.evidence import text


@pytest.fixture(scope="module")
def ev():
    return evidence.load()


@pytest.mark.parametrize("value, expected", [(0.06, "6%"), (0.153, "15.3%"), (0.419, "41.9%"), (0.44, "44%")])
def test_percent_keeps_the_published_precision(value, expected):
    assert text.percent(value) == expected


def test_numbers_get_thousands_separators():
    assert text.number(2881) == "2,881"
    assert text.number(39.2) == "39.2"


def test_hazard_ratio_phrase_uses_the_published_level(ev):
    assert str(text.fact(ev, "effects.jcog1017-os")) == "HR 0.86 (90% CI 0.69\u20131.07)"
    assert str(text.fact(ev, "effects.tata-os")) == "HR 1.04 (95% CI 0.81\u20131.34)"


def test_a_figure_without_interval_is_shown_alone(ev):
    assert str(text.fact(ev, "meta_analyses.petrelli2012-os")) == "HR 0.69"


def test_unconfirmed_figures_say_so_wherever_they_go(ev):
    assert str(text.fact(ev, "epidemiology.malaysia-national")) == "10% (unconfirmed)"
    assert str(text.fact(ev, "survival_trends.giordano2004-1974")) == "15 months (unconfirmed)"
    # A label of an unconfirmed row is not itself a figure.
    assert str(text.fact(ev, "survival_trends.giordano2004-1974.cohort")) == "1974-1979"


def test_cells_are_formatted_by_their_unit(ev):
    assert str(text.fact(ev, "survival_trends.dawood2010-recurrent.n_patients")) == "2,881"
    assert str(text.fact(ev, "arms.tata-lrt.landmark_os")) == "41.9%"
    assert str(text.fact(ev, "arms.e2108-lrt.median_os_months")) == "54.9 months"


def test_fact_carries_its_reference_and_status(ev):
    fact = text.fact(ev, "effects.e2108-os")
    assert (fact.ref, fact.status) == ("khan2022", "confirmed")


def test_facts_reach_the_page_unchanged_through_glue(ev):
    """myst-nb's {glue:text} literal-evaluates text/plain: "2,881" must not become (2, 881)."""
    from myst_nb.core.variables import format_plain_text

    for key in ("survival_trends.dawood2010-recurrent.n_patients", "effects.jcog1017-os", "epidemiology.us-seer"):
        fact = text.fact(ev, key)
        assert format_plain_text(pretty(fact), "") == str(fact)


@pytest.mark.parametrize("key, message", [
    ("effects", "fact keys look like"),
    ("nosuch.tata-os", "fact keys look like"),
    ("effects.no-such-row", "no row 'no-such-row' in effects.csv"),
    ("trials.tata.colour", "no column 'colour'"),
    ("trials.tata.n_enrolled", "empty for this row"),
])
def test_bad_fact_keys_are_explained(ev, key, message):
    with pytest.raises(KeyError, match=message):
        text.fact(ev, key)


def test_no_formatted_fact_of_any_shipped_row_says_nan(ev):
    """Every row and every cell of every table formats as words, or is refused with a reason."""
    from mbcbook.evidence.schema import TABLES

    formatted = refused = 0
    for table in TABLES:
        frame = ev.table(table.name)
        for row_id in frame.index:
            for key in [f"{table.name}.{row_id}"] + [f"{table.name}.{row_id}.{c.name}" for c in table.columns[1:]]:
                try:
                    words = str(text.fact(ev, key))
                except KeyError as refusal:
                    assert "empty" in str(refusal) or "no standard phrase" in str(refusal) \
                        or "no published median" in str(refusal), key
                    refused += 1
                    continue
                assert not re.search(r"\bnan\b|\bNaN\b|<NA>|None", words), f"{key}: {words}"
                formatted += 1
    assert formatted > 500 and refused > 0


def test_an_arm_without_a_median_is_quoted_by_its_landmark_or_refused(ev):
    arms = ev.arms
    no_median = arms[arms["median_os_months"].isna()]
    assert len(no_median) > 0
    for arm_id, row in no_median.iterrows():
        if pd.notna(row["landmark_os"]):
            assert "alive at" in str(text.fact(ev, f"arms.{arm_id}"))
        else:
            with pytest.raises(KeyError, match="no published median or landmark"):
                text.fact(ev, f"arms.{arm_id}")


@pytest.mark.parametrize("call, message", [
    (lambda: text.level(95), "a proportion such as 0.95, got 95"),
    (lambda: text.level(float("nan")), "finite number"),
    (lambda: text.percent(44), "between 0 and 1 (0.44 for 44%), got 44"),
    (lambda: text.percent(float("nan")), "finite number"),
    (lambda: text.percent(None), "must be a number, got None"),
    (lambda: text.percent("0.06"), "must be a number, got '0.06'"),
    (lambda: text.number(pd.NA), "must be a number"),
    (lambda: text.months(float("nan")), "finite number"),
    (lambda: text.interval(0.9, 0.5), "lower limit 0.9 is above the upper limit 0.5"),
    (lambda: text.estimate_with_ci("HR", 0.8, 0.6, None, 0.95), "both its limits"),
    (lambda: text.estimate_with_ci("HR", 0.8, 0.6, 1.1, None), "needs its confidence level"),
])
def test_formatting_refuses_what_it_cannot_write(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_numpy_scalars_format_like_python_numbers():
    import numpy as np

    assert text.number(np.int64(2881)) == "2,881"
    assert text.percent(np.float64(0.153)) == "15.3%"
    assert text.level(np.float32(0.9)) == "90%"


@pytest.mark.parametrize("value, digits, expected", [
    (3.0, None, "3"), (1234.5, None, "1,234.5"), (999.25, None, "999.25"), (0.000123, None, "0.000123"),
    (0.5, 2, "0.50"), (1234.5, 0, "1,234"), (-2, None, "-2"), (12345678, None, "12,345,678"),
])
def test_number_formats(value, digits, expected):
    assert text.number(value, digits) == expected


@pytest.mark.parametrize("value, expected", [(0, "0%"), (1, "100%"), (0.4195, "41.95%"), (0.1234567, "12.3457%")])
def test_percent_at_the_edges(value, expected):
    assert text.percent(value) == expected


@pytest.mark.parametrize("bad", [-0.01, 1.01, 0, 1])
def test_level_needs_a_proportion_strictly_inside(bad):
    with pytest.raises(ValueError, match="a confidence level is a proportion"):
        text.level(bad)


def test_percent_refuses_negative_proportions():
    with pytest.raises(ValueError, match="between 0 and 1"):
        text.percent(-0.1)


def test_interval_of_equal_limits_and_its_format():
    assert text.interval(0.5, 0.5) == "0.5\u20130.5"
    assert text.interval(0.09, 0.34, text.percent) == "9%\u201334%"
    assert text.months(6) == "6 months"


def _row(**cells):
    return pd.Series({"status": "confirmed", "ref": "x", **cells})


def test_share_phrases():
    nan = float("nan")
    assert text.phrase("epidemiology", _row(share=0.21, share_low=0.09, share_high=0.34)) == "21% (9%\u201334%)"
    assert text.phrase("epidemiology", _row(share=0.06, share_low=nan, share_high=nan)) == "6%"
    assert text.phrase("epidemiology", _row(share=nan, share_low=0.09, share_high=0.34)) == "9%\u201334%"


def test_arm_phrases():
    nan = float("nan")
    assert text.phrase("arms", _row(median_os_months=54.9, landmark_os=0.5, landmark_months=36)) == "54.9 months"
    assert text.phrase("arms", _row(median_os_months=nan, landmark_os=0.419, landmark_months=36)) == \
        "41.9% alive at 36 months"
    with pytest.raises(KeyError, match="no published median or landmark"):
        text.phrase("arms", _row(median_os_months=nan, landmark_os=nan, landmark_months=nan))


@pytest.mark.parametrize("measure, value, expected", [
    ("median_months", 63, "63 months"), ("median_os_months", 15, "15 months"), ("os_3y", 0.44, "44%"),
    ("proportion", 0.5, "50%"), ("cumulative_incidence", 0.163, "16.3%"), ("count", 2881, "2,881"),
    ("p_value", 0.005, "p=0.005"),
])
def test_measured_value_phrases(measure, value, expected):
    assert text.phrase("survival_trends", _row(measure=measure, value=value)) == expected


def test_a_hazard_ratio_value_keeps_its_interval():
    row = _row(measure="HR", value=0.7, ci_low=0.5, ci_high=0.9, ci_level=0.95)
    assert text.phrase("observational_results", row) == "HR 0.70 (95% CI 0.50\u20130.90)"  # decimals as printed


def test_the_unconfirmed_marker_goes_on_figures_only():
    row = _row(status="unconfirmed", measure="count", value=12, cohort="1974-1979", n_patients=40)
    assert text.phrase("survival_trends", row) == "12 (unconfirmed)"
    assert text.phrase("survival_trends", row, "n_patients") == "40 (unconfirmed)"
    assert text.phrase("survival_trends", row, "cohort") == "1974-1979"
    assert text.phrase("survival_trends", _row(measure="count", value=12)) == "12"


def test_a_table_without_a_standard_phrase_asks_for_a_column(ev):
    with pytest.raises(KeyError, match=r"trials rows have no standard phrase; name a column, as in trials\.<id>"):
        text.fact(ev, "trials.tata")


def test_glue_facts_returns_each_fact_under_its_key(ev, monkeypatch):
    glued = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda key, value, display: glued.update({key: (value, display)}))
    facts = text.glue_facts(ev, ["effects.tata-os", "trials.tata.n_randomised"])
    assert list(facts) == ["effects.tata-os", "trials.tata.n_randomised"]
    assert str(facts["trials.tata.n_randomised"]) == "350"
    assert glued == {key: (fact, False) for key, fact in facts.items()}


def test_a_fact_repr_is_a_string_literal(ev):
    fact = text.fact(ev, "survival_trends.dawood2010-recurrent.n_patients")
    assert pretty(fact) == "'2,881'" and fact.key == "survival_trends.dawood2010-recurrent.n_patients"


@pytest.mark.parametrize("values, digits", [
    ((0.63, 0.58, 0.7), 2), ((0.598, 0.343, 1.043), 3), ((1,), 2), ((0.5, None, float("nan")), 2),
    ((0.8571, 0.686, 1.072), 4), ((12.5,), 2),
])
def test_a_ratio_and_its_limits_share_their_decimals_two_at_least(values, digits):
    assert text.ratio_digits(*values) == digits


def test_a_ratio_alone_is_printed_with_two_decimals():
    assert text.estimate_with_ci("HR", 0.6, None, None, None) == "HR 0.60"
    assert text.estimate_with_ci("RR", 0.99, 0.14, 6.9, 0.95) == "RR 0.99 (95% CI 0.14\u20136.90)"
