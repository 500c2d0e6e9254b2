"""The GBSG2 patients of the survival primer, and the survival tools it teaches with them.

Reference values, each from a source independent of this package:

* R's survival package on the same data (``TH.data::GBSG2``), as printed in Everitt and Hothorn,
  *A Handbook of Statistical Analyses Using R*, chapter "Survival Analysis: Glioma Treatment and
  Breast Cancer Survival": ``coxph(Surv(time, cens) ~ ., data = GBSG2)`` gives the coefficient
  -0.346 for ``horThyes`` (HR 0.707) and 0.0488 for ``pnodes``; R uses Efron's method for ties, as
  lifelines does, and the coding of grade does not change the other coefficients.
* ``survdiff(Surv(time, cens) ~ horTh, data = GBSG2)`` in R: chi-square 8.6 on 1 degree of
  freedom, p = 0.0034.
* ``data/digitised/README.md``: the real patients' medians by arm (50.2 months without hormonal
  therapy, 66.3 with) and HR 0.69 (0.54-0.89), checked there against the Guyot reconstruction.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import says
from mbcbook.analysis import gbsg2, survival
from mbcbook.analysis.guyot import DAYS_PER_MONTH
from mbcbook.errors import InputError
from mbcbook.paths import FACT_MIME


@pytest.fixture(scope="module")
def table():
    return gbsg2.load()


@pytest.fixture(scope="module")
def arms(table):
    return table[["time_months", "event", "arm"]]


def test_load_gives_the_686_women_in_months(table):
    from lifelines.datasets import load_gbsg2

    raw = load_gbsg2()
    assert len(table) == 686 and int(table["event"].sum()) == 299
    assert table["arm"].value_counts().to_dict() == {"no-hormonal": 440, "hormonal": 246}
    assert np.allclose(table["time_months"] * DAYS_PER_MONTH, raw["time"])
    assert DAYS_PER_MONTH == 365.25 / 12
    assert set(table["grade"]) == {"I", "II", "III"}
    assert (table["grade_ii"] + table["grade_iii"] <= 1).all()
    assert table["hormonal"].sum() == 246 and set(table["menopause"]) == {"pre", "post"}


def test_medians_match_the_real_patients(arms):
    medians = survival.median_with_ci(arms)
    assert medians.loc["no-hormonal", "median_months"] == pytest.approx(50.2, abs=0.05)
    assert medians.loc["hormonal", "median_months"] == pytest.approx(66.3, abs=0.05)
    assert medians.loc["no-hormonal", "ci_low"] < 50.2 < medians.loc["no-hormonal", "ci_high"]
    assert math.isinf(medians.loc["hormonal", "ci_high"])  # the band never falls below one half
    assert medians["events"].to_dict() == {"no-hormonal": 205, "hormonal": 94}


def test_the_log_rank_test_matches_r(arms):
    result = survival.logrank(arms, "hormonal", "no-hormonal")
    assert result.statistic == pytest.approx(8.56, abs=0.01)
    assert result.p_value == pytest.approx(0.0034, abs=0.0001)
    # No direction: the same both ways round.
    assert survival.logrank(arms, "no-hormonal", "hormonal").statistic == pytest.approx(result.statistic)


def test_the_cox_model_matches_r(table):
    crude = survival.cox_summary(table, ["hormonal"]).loc["hormonal"]
    assert (round(crude["hr"], 2), round(crude["ci_low"], 2), round(crude["ci_high"], 2)) == (0.69, 0.54, 0.89)
    adjusted = survival.cox_summary(table, list(gbsg2.ADJUSTED))
    assert adjusted.loc["hormonal", "coef"] == pytest.approx(-0.346, abs=0.001)
    assert adjusted.loc["positive_nodes", "coef"] == pytest.approx(0.0488, abs=0.0001)
    assert list(adjusted.index) == list(gbsg2.ADJUSTED)


def test_a_90_percent_interval_is_narrower_with_the_same_estimate_and_p(table):
    wide, narrow = (survival.cox_summary(table, ["hormonal"], ci_level=level).loc["hormonal"] for level in (0.95, 0.9))
    assert wide["hr"] == pytest.approx(narrow["hr"]) and wide["p_value"] == pytest.approx(narrow["p_value"])
    assert wide["ci_low"] < narrow["ci_low"] < narrow["hr"] < narrow["ci_high"] < wide["ci_high"]


def test_cox_summary_agrees_with_hazard_ratio_for_one_covariate(table, arms):
    by_arm = survival.hazard_ratio(arms, "hormonal", "no-hormonal", ci_level=0.9)
    row = survival.cox_summary(table, ["hormonal"], ci_level=0.9).loc["hormonal"]
    assert row["hr"] == pytest.approx(by_arm.hr) and row["ci_high"] == pytest.approx(by_arm.ci_high)


def test_cox_summary_refuses_bad_input(table):
    with pytest.raises(InputError, match=says("...lacks the column(s) nope")):
        survival.cox_summary(table, ["nope"])
    with pytest.raises(InputError, match=says("...must be numeric with no gaps")):
        survival.cox_summary(table, ["grade"])
    with pytest.raises(InputError, match=says("...a list of column names")):
        survival.cox_summary(table, "hormonal")
    with pytest.raises(InputError, match=says("...0.90 or 0.95")):
        survival.cox_summary(table, ["hormonal"], ci_level=0.8)
    with pytest.raises(InputError, match=says("...no events")):
        survival.cox_summary(table.assign(event=0), ["hormonal"])


def test_logrank_refuses_unknown_or_equal_arms(arms):
    with pytest.raises(InputError, match=says("...'nope' is not an arm")):
        survival.logrank(arms, "nope", "hormonal")
    with pytest.raises(InputError, match=says("...compare two different arms")):
        survival.logrank(arms, "hormonal", "hormonal")


def test_ignoring_censoring_biases_the_median_downwards(table, arms):
    km = survival.median_with_ci(arms.assign(arm="all")).loc["all", "median_months"]
    as_events = table["time_months"].median()
    events_only = table.loc[table["event"] == 1, "time_months"].median()
    assert events_only < as_events < km


def test_censoring_marks_sit_on_the_curves(arms):
    marks = gbsg2.censoring_marks(arms)
    assert len(marks) == int((arms["event"] == 0).sum())
    curves = survival.kaplan_meier(arms)
    for arm, rows in marks.groupby("arm"):
        curve = curves[curves["arm"] == arm]
        at = np.searchsorted(curve["time_months"].to_numpy(), rows["time_months"].to_numpy(), side="right") - 1
        assert np.allclose(curve["survival"].to_numpy()[at], rows["survival"])


def test_facts_carry_their_source_and_are_those_of_the_text():
    # Computed afresh here: the figures are cached for the chapters, and a cache filled before
    # the test (mutation testing forks its workers from a process that has run it) would hide
    # a change in the code that computes them.
    gbsg2._facts.cache_clear()
    facts = gbsg2.facts()
    assert str(facts["gbsg2.women"]) == "686" and str(facts["gbsg2.events"]) == "299"
    assert str(facts["gbsg2.hr-hormonal-95"]) == "HR 0.69 (95% CI 0.54\u20130.89)"
    assert str(facts["gbsg2.hr-hormonal-adjusted"]).startswith("HR 0.71 (95% CI")
    assert str(facts["gbsg2.logrank-p"]) == "p=0.0034"
    assert str(facts["gbsg2.median-no-hormonal"]).startswith("50.2 months (95% CI")
    assert str(facts["gbsg2.median-hormonal"]).endswith("to not reached)")
    for key, fact in facts.items():
        provenance = fact._repr_mimebundle_()[FACT_MIME]
        assert provenance["status"] == "computed" and provenance["ref"] == gbsg2.REF == "schumacher1994"
        assert "load_gbsg2" in provenance["source"] and provenance["key"] == key
    assert gbsg2.facts() is not gbsg2.facts()  # a copy: a caller cannot change the cached figures


def test_the_reference_is_in_the_bibliography():
    from mbcbook import evidence

    assert gbsg2.REF in evidence.load().references


@pytest.mark.parametrize("p, words", [(0.0034272, "p=0.0034"), (0.31, "p=0.31"), (0.05, "p=0.05"),
                                      (0.00099, "p<0.001"), (1.0, "p=1")])
def test_p_values_are_written_as_journals_print_them(p, words):
    assert gbsg2.p_value(p) == words


def test_a_median_not_reached_is_said_in_words():
    row = pd.Series({"median_months": np.inf, "ci_low": 40.0, "ci_high": np.inf, "ci_level": 0.9})
    assert gbsg2.months_with_ci(row) == "not reached (90% CI 40.0 to not reached)"


def test_a_median_with_a_finite_interval_is_written_with_a_dash():
    row = pd.Series({"median_months": 66.26, "ci_low": 51.6, "ci_high": 83.94, "ci_level": 0.95})
    assert gbsg2.months_with_ci(row) == "66.3 months (95% CI 51.6\u201383.9)"


def test_a_p_value_of_exactly_one_in_a_thousand_is_printed_as_such():
    assert gbsg2.p_value(0.001) == "p=0.001"


def test_counts_and_indicators_are_whole_numbers(table):
    for column in ("event", "age", "tumour_size_mm", "positive_nodes", "progesterone_receptor",
                   "oestrogen_receptor", "hormonal", "premenopausal", "grade_ii", "grade_iii"):
        assert table[column].dtype.kind == "i", column


def test_censoring_marks_keep_the_arms_in_the_order_given_and_a_fresh_index():
    patients = pd.DataFrame({"time_months": [3, 5, 7, 2, 4, 8], "event": [0, 1, 0, 1, 0, 0],
                             "arm": ["surgery"] * 3 + ["alone"] * 3})
    marks = gbsg2.censoring_marks(patients)
    assert marks["arm"].tolist() == ["surgery", "surgery", "alone", "alone"]
    assert marks.index.tolist() == [0, 1, 2, 3]
    assert marks["time_months"].dtype.kind == "f" and marks["time_months"].tolist() == [3.0, 7.0, 4.0, 8.0]
