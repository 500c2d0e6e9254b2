"""The "Your turn" checks: right answers pass, wrong ones get the right hint, and no verdict gives the answer away.

Each expected value is computed here from data/ by its own arithmetic (or, for pooling and
Kaplan-Meier, by the module the book already tests), not by asking self_check.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from conftest import says
from mbcbook.analysis import gbsg2, pooling, self_check, survival
from mbcbook.analysis.self_check import WRITE_YOUR_ANSWER, Verdict, check_choice, check_number
from mbcbook.errors import InputError

PROFILE = dict(age=58, ecog=1, t_stage="T3", er="positive", pgr="positive", her2="negative", metastasis_count=3)


def spellings(value: float) -> set[str]:
    """Ways a verdict could write ``value``."""
    forms = {repr(value), f"{value:g}", f"{value:.2f}", f"{value:.3f}", f"{value * 100:.1f}", f"{value * 100:.0f}%"}
    if abs(value) >= 1:
        forms |= {f"{value:.1f}", str(round(value))}
    return forms


def assert_hidden(verdict: Verdict, value: float) -> None:
    leaked = {form for form in spellings(value) if form in verdict.message}
    assert not leaked, f"{verdict.message!r} shows the expected value as {leaked}"


# ---------------------------------------------------------------- the verdict and the generic checks


def test_a_verdict_shows_its_message_in_a_notebook_and_as_text():
    verdict = Verdict(False, "Not yet: your answer is too high.")
    assert str(verdict) == verdict._repr_markdown_() == "Not yet: your answer is too high."
    with pytest.raises(AttributeError):
        verdict.correct = True  # frozen


@pytest.mark.parametrize("answer, correct, message", [
    (None, False, WRITE_YOUR_ANSWER),
    (12.5, True, "Right."),
    (12.6, True, "Right."),
    (12.4, True, "Right."),
    (12.8, False, "Not yet: your answer is slightly too high."),
    (12.2, False, "Not yet: your answer is slightly too low."),
    (13.0, False, "Not yet: your answer is slightly too high."),
    (13.1, False, "Not yet: your answer is too high."),
    (11.9, False, "Not yet: your answer is too low."),
    (1, False, "Not yet: your answer is too low."),
])
def test_a_number_is_right_within_the_tolerance_and_otherwise_too_high_or_too_low(answer, correct, message):
    verdict = check_number(answer, 12.5, tolerance=0.1)
    assert (verdict.correct, verdict.message) == (correct, message)
    assert_hidden(verdict, 12.5)


@pytest.mark.parametrize("answer, hint", [
    ("12.5", "give your answer as a number, without quotes"),
    ([12.5], "give your answer as a number, without quotes"),
    (True, "give your answer as a number, without quotes"),
    (math.nan, "your answer is NaN (not a number)"),
    (math.inf, "your answer is infinite"),
    (-math.inf, "your answer is infinite"),
])
def test_an_answer_that_is_not_a_number_gets_a_verdict_not_an_error(answer, hint):
    verdict = check_number(answer, 12.5, tolerance=0.1)
    assert not verdict.correct and verdict.message.startswith(f"Not yet: {hint}")


def test_whole_numbers_ranges_and_known_mistakes_get_their_own_hints():
    assert check_number(2.5, 3, tolerance=0, whole="patients").message == "Not yet: give a whole number of patients."
    assert check_number(3.0, 3, tolerance=0, whole="patients").correct
    units = "check the units: give a proportion between 0 and 1, not a percentage."
    assert check_number(20, 0.2, tolerance=0.005, minimum=0, maximum=1, out_of_range=units).message == \
        f"Not yet: {units}"
    assert check_number(-0.2, 0.2, tolerance=0.005, minimum=0, maximum=1, out_of_range=units).message == \
        f"Not yet: {units}"
    assert check_number(-0.2, 0.2, tolerance=0.005, minimum=0).message.startswith("Not yet: your answer lies outside")
    assert check_number(5, 0.2, tolerance=0.005, mistakes=[(5, "you gave the odds.")]).message == \
        "Not yet: you gave the odds."
    # A mistake that comes out right is not a mistake; the range is checked after the mistakes.
    assert check_number(5, 5, tolerance=0.1, mistakes=[(5, "you gave the odds.")]).correct
    assert check_number(5, 0.2, tolerance=0.1, maximum=1, out_of_range="units.",
                        mistakes=[(5, "you gave the odds.")]).message == "Not yet: you gave the odds."
    assert check_number(5, 5, tolerance=0, then="Try another.").message == "Right. Try another."


@pytest.mark.parametrize("expected, tolerance", [(math.nan, 0.1), (1, -0.1), ("1", 0.1), (1, math.inf), (True, 0)])
def test_a_check_built_wrongly_is_an_error_of_the_exercise(expected, tolerance):
    with pytest.raises(InputError, match=says("...of a check must be")):
        check_number(1, expected, tolerance=tolerance)


OPTIONS = {"below": ("below one",), "above": ("above one",), "includes": ("includes one",)}


@pytest.mark.parametrize("answer, message", [
    (None, WRITE_YOUR_ANSWER),
    ("below", "Right."),
    ("  Below One. ", "Right."),
    ("above", "Not yet: look again at the data."),
    ("sideways", "Not yet: answer with one of 'below', 'above' or 'includes'."),
    (1, "Not yet: answer with words in quotes, one of 'below', 'above' or 'includes'."),
])
def test_a_choice_accepts_its_spellings_and_names_the_options_when_lost(answer, message):
    assert check_choice(answer, "below", OPTIONS).message == message


def test_a_choice_gives_the_hint_of_the_wrong_option_and_refuses_an_impossible_expectation():
    assert check_choice("above", "below", OPTIONS, hints={"above": "check the lower limit."}).message == \
        "Not yet: check the lower limit."
    with pytest.raises(InputError, match=says("the expected answer 'left' is not one of the choices")):
        check_choice("below", "left", OPTIONS)


# ---------------------------------------------------------------- chapter 1


def test_stage_iv_cases(evidence_tables):
    share = evidence_tables.epidemiology.loc["nigeria-multicentre", "share"]
    exact = share * 2500
    expected = math.floor(exact + 0.5)
    right = self_check.stage_iv_cases(expected, "nigeria-multicentre", 2500, ev=evidence_tables)
    assert right.correct and right.message.startswith("Right.")
    assert self_check.stage_iv_cases(math.floor(exact), "nigeria-multicentre", 2500).correct  # rounded down
    high = self_check.stage_iv_cases(expected + 40, "nigeria-multicentre", 2500)
    low = self_check.stage_iv_cases(expected - 40, "nigeria-multicentre", 2500)
    assert high.message == "Not yet: your answer is too high." and low.message == "Not yet: your answer is too low."
    assert self_check.stage_iv_cases(expected + 3, "nigeria-multicentre", 2500).message == \
        "Not yet: your answer is slightly too high."
    as_percent = self_check.stage_iv_cases(expected * 100, "nigeria-multicentre", 2500)
    assert "check the units" in as_percent.message
    assert self_check.stage_iv_cases(expected + 0.5, "nigeria-multicentre", 2500).message == \
        "Not yet: give a whole number of patients."
    assert self_check.stage_iv_cases(None, "nigeria-multicentre", 2500).message == WRITE_YOUR_ANSWER
    for verdict in (high, low, as_percent):
        assert_hidden(verdict, expected)


@pytest.mark.parametrize("setting, count, error", [
    ("atlantis", 1000, "unknown setting 'atlantis'; data/epidemiology.csv has us-seer"),
    ("england", 0, "The number of new breast cancers a year must be between 1"),
    ("england", -5, "The number of new breast cancers a year must be between 1"),
    ("england", "many", "The number of new breast cancers a year must be a whole number"),
    ("england", math.nan, "The number of new breast cancers a year must be a whole number"),
])
def test_stage_iv_cases_refuses_a_setting_the_data_cannot_answer(setting, count, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.stage_iv_cases(None, setting, count)


def test_stage_iv_cases_needs_a_single_share(evidence_tables):
    evidence_tables.epidemiology.loc["england", "share"] = math.nan
    evidence_tables.epidemiology.loc["england", ["share_low", "share_high"]] = [0.05, 0.07]
    with pytest.raises(InputError, match=says("england publishes a range, not a single share")):
        self_check.stage_iv_cases(60, "england", 1000, ev=evidence_tables)


# ---------------------------------------------------------------- chapter 2


@pytest.mark.parametrize("effect_id", ["jcog1017-lrfs", "tata-dpfs", "tata-os", "abcsg-28-os", "mf07-01-2018-os"])
def test_interval_side(evidence_tables, effect_id):
    row = evidence_tables.effects.loc[effect_id]
    expected = "below" if row["ci_high"] < 1 else "above" if row["ci_low"] > 1 else "includes"
    assert self_check.interval_side(expected, effect_id).correct
    assert self_check.interval_side(f"{expected.capitalize()} one", effect_id).correct
    for wrong in {"below", "above", "includes"} - {expected}:
        verdict = self_check.interval_side(wrong, effect_id)
        assert not verdict.correct and verdict.message.startswith("Not yet:")
        assert expected not in verdict.message.lower()
    assert self_check.interval_side(None, effect_id).message == WRITE_YOUR_ANSWER


def test_interval_side_hints_at_the_limit_to_look_at():
    assert "check the upper limit" in self_check.interval_side("below", "tata-os").message
    assert "check the lower limit" in self_check.interval_side("above", "tata-os").message
    assert "Compare each limit with one" in self_check.interval_side("includes", "tata-dpfs").message
    with pytest.raises(InputError, match=says("unknown effect 'tata'; data/effects.csv has tata-os")):
        self_check.interval_side("below", "tata")


# ---------------------------------------------------------------- chapter 3


@pytest.mark.parametrize("treated, control, expected", [(0.19, 0.05, 8), (0.75, 0.5, 4), (0.684, 0.679, 200),
                                                        (0.398, 0.163, 5), (1, 0, 1), (0.3, 0.1, 5)])
def test_number_needed_to_treat_rounds_up_and_survives_floating_point(treated, control, expected):
    assert self_check.number_needed_to_treat(treated, control) == expected


@pytest.mark.parametrize("treated, control, error", [
    (0.4, 0.43, "the treated arm does not do better"), (0.4, 0.4, "the treated arm does not do better"),
    (19, 5, "the treated arm's proportion must be a proportion between 0 and 1"),
    (0.2, -0.1, "the control arm's proportion must be a proportion between 0 and 1"),
    ("0.2", 0.1, "the treated arm's proportion must be"), (True, 0.1, "the treated arm's proportion must be"),
])
def test_number_needed_to_treat_refuses_what_has_none(treated, control, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.number_needed_to_treat(treated, control)


@pytest.mark.parametrize("trial", ["mf07-01", "e2108"])
def test_landmark_number_needed_to_treat(evidence_tables, trial):
    arms = evidence_tables.arms
    alive = arms[(arms["trial_id"] == trial) & arms["landmark_os"].notna()].set_index("arm")["landmark_os"]
    difference = alive["lrt"] - alive["st"]
    expected = math.ceil(round(1 / difference, 6))
    assert self_check.landmark_number_needed_to_treat(expected, trial).correct
    high = self_check.landmark_number_needed_to_treat(expected * 3, trial)
    low = self_check.landmark_number_needed_to_treat(expected - 1, trial)
    assert high.message == "Not yet: your answer is too high."
    assert low.message in ("Not yet: your answer is too low.",
                           "Not yet: a number needed to treat is rounded up, to a whole patient.")
    assert self_check.landmark_number_needed_to_treat(0, trial).message == \
        "Not yet: at least one woman must be treated."
    for verdict in (high, low):
        assert_hidden(verdict, expected)


def test_landmark_number_needed_to_treat_hints_at_rounding_and_at_percentage_points():
    # MF07-01: 1 / 0.14 is a little over 7: rounded down gives 7.
    assert self_check.landmark_number_needed_to_treat(7, "mf07-01").message == \
        "Not yet: a number needed to treat is rounded up, to a whole patient."
    assert "percentage points" in self_check.landmark_number_needed_to_treat(14, "mf07-01").message
    assert self_check.landmark_number_needed_to_treat(None, "e2108").message == WRITE_YOUR_ANSWER


@pytest.mark.parametrize("trial, error", [
    ("tata", "in tata no more women were alive at the landmark with locoregional treatment"),
    ("jcog1017", "'jcog1017' has no single report with the share alive at a landmark in both arms; "
                 "data/arms.csv has one for e2108, mf07-01, tata"),
    ("nowhere", "'nowhere' has no single report"),
])
def test_landmark_number_needed_to_treat_refuses_trials_without_one(trial, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.landmark_number_needed_to_treat(5, trial)


# ---------------------------------------------------------------- chapter 4


@pytest.mark.parametrize("result_id", ["sidiropoulou2023-obs", "sidiropoulou2023-rct", "headon2016-os"])
def test_hazard_change(evidence_tables, result_id):
    hr = evidence_tables.meta_analyses.loc[result_id, "estimate"]
    expected = 1 - hr
    assert self_check.hazard_change(round(expected, 2), result_id).correct
    high = self_check.hazard_change(expected + 0.1, result_id)
    low = self_check.hazard_change(expected - 0.1, result_id)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    assert self_check.hazard_change(hr, result_id).message == \
        "Not yet: that is the hazard ratio itself; subtract it from one."
    assert self_check.hazard_change(-expected, result_id).message.startswith("Not yet: check the sign")
    assert self_check.hazard_change(expected * 100 + 50, result_id).message.startswith("Not yet: check the units")
    for verdict in (high, low):
        assert_hidden(verdict, expected)


def test_hazard_change_needs_a_hazard_ratio():
    with pytest.raises(InputError, match=says("'tosello2018-toxicity' is not a hazard ratio")):
        self_check.hazard_change(0.1, "tosello2018-toxicity")
    assert self_check.hazard_change(None, "headon2016-os").message == WRITE_YOUR_ANSWER


# ---------------------------------------------------------------- chapter 5


def interval_by_hand(row, level):
    z_published = norm.ppf(0.5 + row["ci_level"] / 2)
    se = (math.log(row["ci_high"]) - math.log(row["ci_low"])) / (2 * z_published)
    z = norm.ppf(0.5 + level / 2)
    return math.exp(math.log(row["estimate"]) - z * se), math.exp(math.log(row["estimate"]) + z * se)


@pytest.mark.parametrize("effect_id, level", [("tata-os", 0.90), ("e2108-os", 0.95), ("jcog1017-os", 0.95),
                                              ("abcsg-28-os", 0.90), ("tata-os", 0.95)])
def test_interval_at_level(evidence_tables, effect_id, level):
    low, high = interval_by_hand(evidence_tables.effects.loc[effect_id], level)
    assert self_check.interval_at(effect_id, level) == pytest.approx((low, high))
    assert self_check.interval_at_level((round(low, 2), round(high, 2)), effect_id, level).correct
    assert self_check.interval_at_level([round(low, 2), round(high, 2)], effect_id, level).correct
    wrong = self_check.interval_at_level((low + 0.1, high - 0.1), effect_id, level)
    assert wrong.message == "Not yet: your lower limit is too high. Your upper limit is too low."
    half = self_check.interval_at_level((low, high + 0.1), effect_id, level)
    assert half.message == "Not yet: your upper limit is too high."
    for verdict in (wrong, half):
        assert_hidden(verdict, low)
        assert_hidden(verdict, high)


@pytest.mark.parametrize("answer, message", [
    (None, WRITE_YOUR_ANSWER),
    ("0.8-1.3", "Not yet: give the interval as two numbers in brackets, the lower limit first."),
    (0.8, "Not yet: give the interval as two numbers in brackets, the lower limit first."),
    ((0.8, 1.1, 1.3), "Not yet: give the interval as two numbers in brackets, the lower limit first."),
    ((None, 1.3), "Not yet: give both limits as numbers."),
    ((0.81, 1.34), "Not yet: that is the published interval; convert it to the other level."),
    ((-0.8, 1.28), "Not yet: your lower limit must be above zero."),
])
def test_interval_at_level_explains_an_answer_it_cannot_judge(answer, message):
    assert self_check.interval_at_level(answer, "tata-os", 0.90).message == message


def test_interval_at_level_refuses_other_levels():
    with pytest.raises(InputError, match=says("the level must be 0.90 or 0.95, got 0.99")):
        self_check.interval_at_level(None, "tata-os", 0.99)
    with pytest.raises(InputError, match=says("the level must be 0.90 or 0.95, got True")):
        self_check.interval_at("tata-os", True)


# ---------------------------------------------------------------- chapter 6


@pytest.mark.parametrize("part, whole", [("tbcrc013-rs-scored", "tbcrc013-tissue"),
                                         ("tbcrc013-rs-high", "tbcrc013-tissue"),
                                         ("tbcrc013-rs-low", "tbcrc013-rs-scored")])
def test_registry_share(evidence_tables, part, whole):
    values = evidence_tables.observational_results["value"]
    expected = values[part] / values[whole]
    assert self_check.registry_share(round(expected, 3), part, whole).correct
    high = self_check.registry_share(expected + 0.05, part, whole)
    low = self_check.registry_share(expected - 0.05, part, whole)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    percent = self_check.registry_share(expected * 100, part, whole)
    assert percent.message == "Not yet: check the units: give a proportion between 0 and 1, not a percentage."
    inverted = self_check.registry_share(values[whole] / values[part], part, whole)
    assert inverted.message == "Not yet: you divided the whole by the part; divide the part by the whole."
    for verdict in (high, low, percent, inverted):
        assert_hidden(verdict, expected)


@pytest.mark.parametrize("part, whole, error", [
    ("tbcrc013-os", "tbcrc013-tissue", "'tbcrc013-os' is not a count of data/observational_results.csv"),
    ("tbcrc013-tissue", "tbcrc013-rs-scored", "tbcrc013-tissue counts more patients than tbcrc013-rs-scored"),
])
def test_registry_share_refuses_counts_that_make_no_share(part, whole, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.registry_share(0.5, part, whole)


def test_registry_share_needs_one_study(evidence_tables):
    evidence_tables.observational_results.loc["tbcrc013-rs-low", "study_id"] = "other"
    with pytest.raises(InputError, match=says("tbcrc013-rs-low comes from other and tbcrc013-tissue from tbcrc013")):
        self_check.registry_share(0.2, "tbcrc013-rs-low", "tbcrc013-tissue", ev=evidence_tables)


# ---------------------------------------------------------------- chapter 7


def test_failing_rule_accepts_the_rule_not_met_by_id_or_text(evidence_tables):
    rules = evidence_tables.eligibility_rules
    assert rules.loc["review-small-primary", "field"] == "t_stage"  # the rule PROFILE's T3 fails
    right = self_check.failing_rule("review-small-primary", PROFILE)
    assert right.correct and right.message == "Right."
    assert self_check.failing_rule(rules.loc["review-small-primary", "text"].upper(), PROFILE).correct
    assert self_check.failing_rule(None, PROFILE).message == WRITE_YOUR_ANSWER


@pytest.mark.parametrize("answer, message", [
    ("review-performance", "Not yet: she meets that rule."),
    ("none", "Not yet: at least one rule of this source is not met."),
    ("tata-age", "Not yet: that rule belongs to another source; look at the rules of the one asked about."),
    ("review-everything", "Not yet: that is not a rule of data/eligibility_rules.csv; copy its rule_id, "
                          "or write 'none'."),
    (3, "Not yet: give a rule id in quotes, as in data/eligibility_rules.csv, or 'none'."),
])
def test_failing_rule_hints_without_naming_the_rule(answer, message):
    verdict = self_check.failing_rule(answer, PROFILE)
    assert verdict.message == message
    assert "small-primary" not in verdict.message and "T1" not in verdict.message


def test_failing_rule_tells_unknown_from_failed_and_counts_every_failure():
    some_known = {"ecog": 1, "her2": "negative"}
    assert self_check.failing_rule("review-oligometastatic", some_known).message.startswith(
        "Not yet: that rule cannot be judged from the profile")
    open_verdict = self_check.failing_rule("none", some_known)
    assert open_verdict.correct and "cannot be judged" in open_verdict.message
    full = dict(PROFILE, t_stage="T2")
    assert self_check.failing_rule("none", full).message == "Right. She meets every rule of this source."
    two = dict(PROFILE, her2="positive")
    assert self_check.failing_rule("review-her2-negative", two).message == \
        "Right. She fails another rule of it too."
    assert self_check.failing_rule("tata-age", dict(PROFILE, age=70), source="tata").correct


@pytest.mark.parametrize("profile, source, error", [
    (PROFILE, "nice", "unknown source 'nice'; data/eligibility_rules.csv has review, tata"),
    ({"ecog": 7}, "review", "ECOG performance status must be 0-4, got 7"),
    ({"colour": "blue"}, "review", "unknown field 'colour'"),
    (["ecog", 1], "review", "the profile must be a dict of the patient's fields, got list"),
])
def test_failing_rule_refuses_a_profile_the_checker_cannot_read(profile, source, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.failing_rule("none", profile, source)


# ---------------------------------------------------------------- chapter 8


@pytest.fixture(scope="module")
def studies(evidence_tables):
    return pooling.trial_studies(evidence_tables.effects, "st-lrt")


@pytest.mark.parametrize("left_out", ["mf07-01", "tata", "abcsg-28"])
def test_pooled_without(studies, left_out):
    expected = pooling.pool([s for trial, s in studies.items() if trial != left_out], "random").hr
    assert self_check.pooled_without(round(expected, 2), left_out).correct
    high = self_check.pooled_without(expected + 0.1, left_out)
    low = self_check.pooled_without(expected - 0.1, left_out)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    for verdict in (high, low):
        assert_hidden(verdict, expected)


def test_pooled_without_names_the_usual_slips(studies):
    everything = pooling.pool(list(studies.values()), "random").hr
    assert self_check.pooled_without(everything, "mf07-01").message == \
        "Not yet: that is the pooled result of every trial; leave one out."
    kept = [s for trial, s in studies.items() if trial != "mf07-01"]
    fixed, random = pooling.pool(kept, "fixed").hr, pooling.pool(kept, "random").hr
    if abs(fixed - random) > 0.02:
        assert "the other method" in self_check.pooled_without(fixed, "mf07-01").message
    assert self_check.pooled_without(fixed, "mf07-01", method="fixed").correct
    assert self_check.pooled_without(-1, "mf07-01").message == "Not yet: a hazard ratio is above zero."
    with pytest.raises(InputError, match=says("'submit' is not among the pooled trials: tata, mf07-01")):
        self_check.pooled_without(1, "submit")
    with pytest.raises(InputError, match=says("method must be 'fixed' or 'random'")):
        self_check.pooled_without(1, "tata", method="bayes")


# ---------------------------------------------------------------- the primer


@pytest.fixture(scope="module")
def women():
    return gbsg2.load()


@pytest.mark.parametrize("group", [{"menopause": "pre"}, {"grade": "III"}, {"menopause": "post", "arm": "hormonal"}])
def test_gbsg2_median(women, group):
    from lifelines import KaplanMeierFitter

    chosen = women
    for column, value in group.items():
        chosen = chosen[chosen[column] == value]
    expected = KaplanMeierFitter().fit(chosen["time_months"], chosen["event"]).median_survival_time_
    assert self_check.gbsg2_median(round(expected, 1), group).correct
    high = self_check.gbsg2_median(expected + 3, group)
    low = self_check.gbsg2_median(expected - 3, group)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    naive = self_check.gbsg2_median(float(chosen["time_months"].median()), group)
    assert naive.message.startswith("Not yet: that median counts every censored time as an event")
    events_only = self_check.gbsg2_median(float(chosen.loc[chosen["event"] == 1, "time_months"].median()), group)
    assert events_only.message.startswith("Not yet: that median leaves the censored women out")
    assert self_check.gbsg2_median("not reached", group).message.startswith("Not yet: more than half")
    for verdict in (high, low, naive, events_only):
        assert_hidden(verdict, expected)


def test_gbsg2_median_not_reached_is_an_answer():
    grade_one = {"grade": "I"}
    assert math.isinf(survival.median_survival(
        gbsg2.load().query("grade == 'I'").assign(arm="I")[["time_months", "event", "arm"]]).iloc[0])
    assert self_check.gbsg2_median("Not reached", grade_one).correct
    assert "write 'not reached'" in self_check.gbsg2_median(80, grade_one).message
    assert self_check.gbsg2_median(None, grade_one).message == WRITE_YOUR_ANSWER
    assert self_check.gbsg2_median(math.nan, grade_one).message.startswith("Not yet: your answer is NaN")
    assert self_check.gbsg2_median("soon", grade_one).message == \
        "Not yet: give months as a number, or the words 'not reached'."
    assert self_check.gbsg2_median(None, {"menopause": "pre"}).message == WRITE_YOUR_ANSWER


@pytest.mark.parametrize("group, error", [
    ({}, "the group must be a dict of GBSG2 columns and values"),
    ("pre", "the group must be a dict of GBSG2 columns and values"),
    ({"stage": "IV"}, "GBSG2 has no column 'stage'"),
    ({"grade": "IV"}, "no woman of GBSG2 is in the group {'grade': 'IV'}"),
])
def test_gbsg2_median_refuses_a_group_it_cannot_find(group, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.gbsg2_median(50, group)
