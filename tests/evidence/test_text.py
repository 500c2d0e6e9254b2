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
