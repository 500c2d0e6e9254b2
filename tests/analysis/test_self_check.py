"""The "Your turn" checks: right answers pass, wrong ones get the right hint, and no verdict gives the answer away.

Each expected value is computed here from data/ by its own arithmetic (or, for pooling and
Kaplan-Meier, by the module the book already tests), not by asking self_check.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from conftest import says
from mbcbook import evidence
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


@pytest.fixture
def own_tables():
    """Evidence tables of this test's own, to change (the session's evidence_tables are shared)."""
    return evidence.load()


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


def test_the_ends_of_a_range_are_inside_it():
    units = "check the units."
    # 0 and 1 are proportions: too low or too high, not in the wrong units.
    assert check_number(0, 0.2, tolerance=0.005, minimum=0, maximum=1, out_of_range=units).message == \
        "Not yet: your answer is too low."
    assert check_number(1, 0.2, tolerance=0.005, minimum=0, maximum=1, out_of_range=units).message == \
        "Not yet: your answer is too high."


@pytest.mark.parametrize("answer, expected, correct", [
    (0.1 + 0.2, 0.3, True),  # floating point is forgiven ...
    (sum([0.1] * 10) * 1e7, 1e7, True),  # ... in proportion to the value
    (1 + 2e-9, 1, False),  # ... and nothing more
    (1e7 + 0.1, 1e7, False),
])
def test_a_check_with_no_tolerance_forgives_only_floating_point(answer, expected, correct):
    assert check_number(answer, expected, tolerance=0).correct is correct


@pytest.mark.parametrize("expected, tolerance, error", [
    (math.nan, 0.1, "the expected value of a check must be a finite number, got nan"),
    (1, -0.1, "the tolerance of a check must be 0 or more, got -0.1"),
    ("1", 0.1, "the expected value of a check must be a finite number, got '1'"),
    (1, math.inf, "the tolerance of a check must be a finite number, got inf"),
    (True, 0, "the expected value of a check must be a finite number, got True"),
])
def test_a_check_built_wrongly_is_an_error_of_the_exercise(expected, tolerance, error):
    with pytest.raises(InputError, match=says(error)):
        check_number(1, expected, tolerance=tolerance)


OPTIONS = {"below": ("below one",), "above": ("above one",), "includes": ("includes one",)}


@pytest.mark.parametrize("answer, message", [
    (None, WRITE_YOUR_ANSWER),
    ("below", "Right."),
    ("  Below One. ", "Right."),
    ("'below  one'", "Right."),
    ("below\tone", "Right."),
    ("above", "Not yet: look again at the data."),
    ("sideways", "Not yet: answer with one of 'below', 'above' or 'includes'."),
    (1, "Not yet: answer with words in quotes, one of 'below', 'above' or 'includes'."),
])
def test_a_choice_accepts_its_spellings_and_names_the_options_when_lost(answer, message):
    assert check_choice(answer, "below", OPTIONS).message == message


def test_a_choice_gives_the_hint_of_the_wrong_option_and_refuses_an_impossible_expectation():
    assert check_choice("above", "below", OPTIONS, hints={"above": "check the lower limit."}).message == \
        "Not yet: check the lower limit."
    with pytest.raises(InputError, match=says("the expected answer 'left' is not one of the choices below, above, "
                                              "includes")):
        check_choice("below", "left", OPTIONS)


# ---------------------------------------------------------------- chapter 1


def test_stage_iv_cases(evidence_tables):
    share = evidence_tables.epidemiology.loc["nigeria-multicentre", "share"]
    exact = share * 2500
    expected = math.floor(exact + 0.5)
    right = self_check.stage_iv_cases(expected, "nigeria-multicentre", 2500, ev=evidence_tables)
    assert right.message == \
        "Right. Try a setting from another kind of source: a registry, a hospital or pooled studies."
    assert self_check.stage_iv_cases(math.floor(exact), "nigeria-multicentre", 2500).correct  # rounded down
    high = self_check.stage_iv_cases(expected + 40, "nigeria-multicentre", 2500)
    low = self_check.stage_iv_cases(expected - 40, "nigeria-multicentre", 2500)
    assert high.message == "Not yet: your answer is too high." and low.message == "Not yet: your answer is too low."
    assert self_check.stage_iv_cases(expected + 3, "nigeria-multicentre", 2500).message == \
        "Not yet: your answer is slightly too high."
    # Within one patient of the rounded count is right, and no further.
    assert self_check.stage_iv_cases(expected + 1, "nigeria-multicentre", 2500).correct
    assert self_check.stage_iv_cases(expected + 2, "nigeria-multicentre", 2500).message == \
        "Not yet: your answer is slightly too high."
    assert self_check.stage_iv_cases(expected - 2, "nigeria-multicentre", 2500).message == \
        "Not yet: your answer is slightly too low."
    # None is a count (too low); fewer than none is not.
    assert self_check.stage_iv_cases(0, "nigeria-multicentre", 2500).message == "Not yet: your answer is too low."
    assert self_check.stage_iv_cases(-expected, "nigeria-multicentre", 2500).message == \
        "Not yet: the count lies between none and all of the new breast cancers; check the units (a share is a " \
        "percentage divided by a hundred)."
    as_percent = self_check.stage_iv_cases(expected * 100, "nigeria-multicentre", 2500)
    assert "check the units" in as_percent.message
    assert self_check.stage_iv_cases(expected + 0.5, "nigeria-multicentre", 2500).message == \
        "Not yet: give a whole number of patients."
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


def test_stage_iv_cases_names_every_setting_when_one_is_unknown(evidence_tables):
    settings = ", ".join(evidence_tables.epidemiology.index)
    with pytest.raises(InputError, match=says(f"unknown setting 'atlantis'; data/epidemiology.csv has {settings}")):
        self_check.stage_iv_cases(None, "atlantis", 1000)


def test_stage_iv_cases_needs_a_single_share(own_tables):
    own_tables.epidemiology.loc["england", "share"] = math.nan
    own_tables.epidemiology.loc["england", ["share_low", "share_high"]] = [0.05, 0.07]
    with pytest.raises(InputError, match=says("england publishes a range, not a single share")):
        self_check.stage_iv_cases(60, "england", 1000, ev=own_tables)


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


def test_interval_side_hints_at_the_limit_to_look_at(evidence_tables):
    assert self_check.interval_side("includes", "tata-os").message == \
        "Right. Now say what the position means, and whether the report states which arm is the reference."
    assert self_check.interval_side("below", "tata-os").message == \
        "Not yet: an interval lies wholly below one only if its upper limit does; check the upper limit."
    assert self_check.interval_side("above", "tata-os").message == \
        "Not yet: an interval lies wholly above one only if its lower limit does; check the lower limit."
    assert self_check.interval_side("includes", "tata-dpfs").message == \
        "Not yet: is one really between the two limits? Compare each limit with one."
    effects = ", ".join(evidence_tables.effects.index)
    with pytest.raises(InputError, match=says(f"unknown effect 'tata'; data/effects.csv has {effects}")):
        self_check.interval_side("below", "tata")


@pytest.mark.parametrize("estimate, low, high, side", [(0.7, 0.5, 0.9, "below"), (0.8, 0.6, 1.0, "includes"),
                                                       (1.2, 1.0, 1.5, "includes"), (1.3, 1.1, 1.5, "above")])
def test_interval_side_reads_the_tables_given_and_a_limit_at_one_includes_it(own_tables, estimate, low, high, side):
    own_tables.effects.loc["tata-os", ["estimate", "ci_low", "ci_high"]] = [estimate, low, high]
    assert self_check.interval_side(side, "tata-os", ev=own_tables).correct


# ---------------------------------------------------------------- chapter 3


@pytest.mark.parametrize("treated, control, expected", [(0.19, 0.05, 8), (0.75, 0.5, 4), (0.684, 0.679, 200),
                                                        (0.398, 0.163, 5), (1, 0, 1), (0.3, 0.1, 5)])
def test_number_needed_to_treat_rounds_up_and_survives_floating_point(treated, control, expected):
    assert self_check.number_needed_to_treat(treated, control) == expected


@pytest.mark.parametrize("treated, control, error", [
    (0.4, 0.43, "the treated arm does not do better than the control arm, so no number of patients treated "
                "gives one more good outcome"),
    (0.4, 0.4, "the treated arm does not do better"),
    (19, 5, "the treated arm's proportion must be a proportion between 0 and 1"),
    (1.5, 0.1, "the treated arm's proportion must be a proportion between 0 and 1, got 1.5"),
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
    assert self_check.landmark_number_needed_to_treat(expected, trial).message == \
        "Right. Compare it with another trial's, and say what it does not count."
    assert self_check.landmark_number_needed_to_treat(expected + 0.5, trial).message == \
        "Not yet: give a whole number of patients."
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
    assert self_check.landmark_number_needed_to_treat(14, "mf07-01").message == \
        "Not yet: that is the difference in percentage points; the number needed to treat is its reciprocal, " \
        "taken as a proportion."
    # One woman is a possible number needed to treat: too low, not out of range.
    assert self_check.landmark_number_needed_to_treat(1, "mf07-01").message == "Not yet: your answer is too low."


def landmark_rows(tables, trial):
    arms = tables.arms
    return arms.index[(arms["trial_id"] == trial) & arms["landmark_os"].notna()]


def test_landmark_number_needed_to_treat_reads_the_tables_given(own_tables):
    rows = landmark_rows(own_tables, "mf07-01")
    arms = own_tables.arms.loc[rows, "arm"]
    # 1 / 0.134 = 7.46: 8 women; 13 percentage points (not 14).
    own_tables.arms.loc[arms.index[arms == "lrt"], "landmark_os"] = 0.334
    own_tables.arms.loc[arms.index[arms == "st"], "landmark_os"] = 0.2
    assert self_check.landmark_number_needed_to_treat(8, "mf07-01", ev=own_tables).correct
    assert "percentage points" in self_check.landmark_number_needed_to_treat(13, "mf07-01", ev=own_tables).message
    assert self_check.landmark_number_needed_to_treat(14, "mf07-01", ev=own_tables).message == \
        "Not yet: your answer is too high."


def test_landmark_number_needed_to_treat_needs_a_difference_and_both_arms(own_tables):
    rows = landmark_rows(own_tables, "mf07-01")
    own_tables.arms.loc[rows, "landmark_os"] = 0.3
    with pytest.raises(InputError, match=says("in mf07-01 no more women were alive at the landmark with "
                                              "locoregional treatment than without")):
        self_check.landmark_number_needed_to_treat(5, "mf07-01", ev=own_tables)
    own_tables.arms.loc[rows[own_tables.arms.loc[rows, "arm"] == "st"], "landmark_os"] = math.nan
    with pytest.raises(InputError, match=says("'mf07-01' has no single report with the share alive")):
        self_check.landmark_number_needed_to_treat(5, "mf07-01", ev=own_tables)


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
    assert self_check.hazard_change(round(expected, 2), result_id).message == \
        "Right. Now do the same for a meta-analysis of the other design and compare the two."
    high = self_check.hazard_change(expected + 0.1, result_id)
    low = self_check.hazard_change(expected - 0.1, result_id)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    assert self_check.hazard_change(hr, result_id).message == \
        "Not yet: that is the hazard ratio itself; subtract it from one."
    assert self_check.hazard_change(-expected, result_id).message == \
        "Not yet: check the sign: a hazard ratio below one is a lower hazard, a positive change."
    # A hazard cannot fall by more than all of it: a change above one is in the wrong units.
    assert self_check.hazard_change(1.5, result_id).message == \
        "Not yet: check the units: give a proportion, a share of one, not a percentage."
    assert self_check.hazard_change(expected * 100 + 50, result_id).message.startswith("Not yet: check the units")
    for verdict in (high, low):
        assert_hidden(verdict, expected)


def test_hazard_change_needs_a_hazard_ratio(evidence_tables):
    table = evidence_tables.meta_analyses
    ratios = ", ".join(table.index[table["measure"] == "HR"])
    with pytest.raises(InputError, match=says(f"'tosello2018-toxicity' is not a hazard ratio of "
                                              f"data/meta_analyses.csv; choose one of {ratios}")):
        self_check.hazard_change(0.1, "tosello2018-toxicity")


def test_hazard_change_reads_the_tables_given(own_tables):
    own_tables.meta_analyses.loc["headon2016-os", "estimate"] = 0.6
    assert self_check.hazard_change(0.4, "headon2016-os", ev=own_tables).correct


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
    assert self_check.interval_at_level((round(low, 2), round(high, 2)), effect_id, level).message == \
        "Right. Is the new interval wider or narrower than the published one, and why?"
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


def test_interval_at_level_converts_to_95_percent_unless_told(evidence_tables):
    low, high = interval_by_hand(evidence_tables.effects.loc["jcog1017-os"], 0.95)
    assert self_check.interval_at_level((round(low, 2), round(high, 2)), "jcog1017-os").correct


def test_interval_at_level_reads_the_tables_given(own_tables):
    own_tables.effects.loc["tata-os", ["estimate", "ci_low", "ci_high"]] = [0.8, 0.5, 1.28]
    row = own_tables.effects.loc["tata-os"]
    low, high = interval_by_hand(row, 0.90)
    assert self_check.interval_at("tata-os", 0.90, ev=own_tables) == pytest.approx((low, high))
    assert self_check.interval_at_level((round(low, 2), round(high, 2)), "tata-os", 0.90, ev=own_tables).correct
    assert self_check.interval_at_level((0.5, 1.28), "tata-os", 0.90, ev=own_tables).message == \
        "Not yet: that is the published interval; convert it to the other level."
    own_tables.effects.loc["tata-os", "estimate"] = 1.5
    with pytest.raises(InputError, match=says("tata-os: the interval 0.5-1.28 does not contain its hazard ratio 1.5")):
        self_check.interval_at("tata-os", 0.90, ev=own_tables)


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
    assert self_check.registry_share(round(expected, 3), part, whole).message == \
        "Right. Now choose another part or another whole, and say which patients the share describes."
    high = self_check.registry_share(expected + 0.05, part, whole)
    low = self_check.registry_share(expected - 0.05, part, whole)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    percent = self_check.registry_share(expected * 100, part, whole)
    assert percent.message == "Not yet: check the units: give a proportion between 0 and 1, not a percentage."
    units = "Not yet: check the units: give a proportion between 0 and 1, not a percentage."
    assert self_check.registry_share(-expected, part, whole).message == units
    assert self_check.registry_share(1.5, part, whole).message == units
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


def test_registry_share_names_every_count_and_takes_a_whole_of_itself(evidence_tables):
    table = evidence_tables.observational_results
    counts = ", ".join(table.index[table["measure"] == "count"])
    with pytest.raises(InputError, match=says(f"'tbcrc013-os' is not a count of data/observational_results.csv; "
                                              f"choose one of {counts}")):
        self_check.registry_share(0.5, "tbcrc013-os", "tbcrc013-tissue")
    assert self_check.registry_share(1, "tbcrc013-tissue", "tbcrc013-tissue").correct


def test_registry_share_needs_one_study(own_tables):
    own_tables.observational_results.loc["tbcrc013-rs-low", "study_id"] = "other"
    with pytest.raises(InputError, match=says("tbcrc013-rs-low comes from other and tbcrc013-tissue from tbcrc013")):
        self_check.registry_share(0.2, "tbcrc013-rs-low", "tbcrc013-tissue", ev=own_tables)


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
    assert self_check.failing_rule("review-oligometastatic", some_known).message == \
        "Not yet: that rule cannot be judged from the profile (a field is empty), and a rule that cannot be judged " \
        "never counts as failed."
    assert self_check.failing_rule("none", some_known) == \
        Verdict(True, "Right. No rule is failed, but some cannot be judged yet: the verdict stays open.")
    full = dict(PROFILE, t_stage="T2")
    assert self_check.failing_rule("none", full).message == "Right. She meets every rule of this source."
    two = dict(PROFILE, her2="positive")
    assert self_check.failing_rule("review-her2-negative", two).message == \
        "Right. She fails another rule of it too."
    assert self_check.failing_rule("tata-age", dict(PROFILE, age=70), source="tata").correct


def test_failing_rule_reads_the_tables_given(own_tables):
    own_tables.eligibility_rules = own_tables.eligibility_rules.drop("review-small-primary")
    assert self_check.failing_rule("none", PROFILE, ev=own_tables).message == \
        "Right. She meets every rule of this source."


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
    assert self_check.pooled_without(round(expected, 2), left_out).message == \
        "Right. Leave out another trial: which one moves the pooled result most, and why?"
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


def pooled(studies, method, left_out=None):
    return pooling.pool([s for trial, s in studies.items() if trial != left_out], method).hr


@pytest.mark.parametrize("left_out, method, other", [("tata", "random", "fixed"), ("jcog1017", "fixed", "random")])
def test_pooled_without_judges_the_method_asked_for(studies, left_out, method, other):
    # Leaving out TATA or JCOG1017, the two methods differ by more than rounding.
    right, wrong = pooled(studies, method, left_out), pooled(studies, other, left_out)
    assert abs(right - wrong) > 0.03
    assert self_check.pooled_without(right, left_out, method=method).correct
    assert self_check.pooled_without(wrong, left_out, method=method).message == \
        "Not yet: that is the result of the other method; check which one the cell asks for."


def test_pooled_without_names_the_pooled_result_of_every_trial_for_the_method_asked_for(studies):
    assert self_check.pooled_without(pooled(studies, "fixed"), "tata", method="fixed").message == \
        "Not yet: that is the pooled result of every trial; leave one out."


def test_pooled_without_names_a_slip_only_where_it_stands_apart(studies):
    # Leaving out E2108, the other method lies within 0.02 of the right result: an answer near it is
    # judged by its distance from the right one, not taken for that slip.
    random, fixed = pooled(studies, "random", "e2108"), pooled(studies, "fixed", "e2108")
    assert 0.01 < random - fixed < 0.02
    assert self_check.pooled_without(fixed - 0.007, "e2108").message == "Not yet: your answer is slightly too low."


def test_pooled_without_reads_the_tables_given(own_tables):
    own_tables.effects[["estimate", "ci_low", "ci_high"]] *= 0.5
    expected = pooled(pooling.trial_studies(own_tables.effects, "st-lrt"), "random", "tata")
    assert self_check.pooled_without(expected, "tata", ev=own_tables).correct


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
    assert self_check.gbsg2_median(round(expected, 1), group).message == \
        "Right. Now choose another group and compare the two medians with their intervals."
    high = self_check.gbsg2_median(expected + 3, group)
    low = self_check.gbsg2_median(expected - 3, group)
    assert (high.message, low.message) == ("Not yet: your answer is too high.", "Not yet: your answer is too low.")
    naive = self_check.gbsg2_median(float(chosen["time_months"].median()), group)
    assert naive.message == "Not yet: that median counts every censored time as an event; use Kaplan-Meier."
    events_only = self_check.gbsg2_median(float(chosen.loc[chosen["event"] == 1, "time_months"].median()), group)
    assert events_only.message == "Not yet: that median leaves the censored women out; use Kaplan-Meier."
    # Half a month is a time, too short; a negative one is not a time at all.
    assert self_check.gbsg2_median(0.5, group).message == "Not yet: your answer is too low."
    assert self_check.gbsg2_median(-expected, group).message == "Not yet: a median time is above zero."
    assert self_check.gbsg2_median("not reached", group).message.startswith("Not yet: more than half")
    for verdict in (high, low, naive, events_only):
        assert_hidden(verdict, expected)


def test_gbsg2_median_not_reached_is_an_answer():
    grade_one = {"grade": "I"}
    assert math.isinf(survival.median_survival(
        gbsg2.load().query("grade == 'I'").assign(arm="I")[["time_months", "event", "arm"]]).iloc[0])
    assert self_check.gbsg2_median("Not reached", grade_one).message == \
        "Right. Say why: what share of these women had a recurrence during follow-up?"
    assert self_check.gbsg2_median(80, grade_one).message == \
        "Not yet: does the curve of this group cross one half before follow-up ends? If not, write 'not reached'."
    assert self_check.gbsg2_median(None, grade_one).message == WRITE_YOUR_ANSWER
    assert self_check.gbsg2_median(math.nan, grade_one).message.startswith("Not yet: your answer is NaN")
    assert self_check.gbsg2_median("soon", grade_one).message == \
        "Not yet: give months as a number, or the words 'not reached'."
    assert self_check.gbsg2_median(None, {"menopause": "pre"}).message == WRITE_YOUR_ANSWER


@pytest.mark.parametrize("group, error", [
    ({}, "the group must be a dict of GBSG2 columns and values"),
    ("pre", "the group must be a dict of GBSG2 columns and values"),
    ({"stage": "IV"}, "GBSG2 has no column 'stage'; it has " + ", ".join(gbsg2.load().columns)),
    ({"grade": "IV"}, "no woman of GBSG2 is in the group {'grade': 'IV'}"),
])
def test_gbsg2_median_refuses_a_group_it_cannot_find(group, error):
    with pytest.raises(InputError, match=says(error)):
        self_check.gbsg2_median(50, group)


# ---------------------------------------------------------------- every check


@pytest.mark.parametrize("check", [
    lambda: check_number(None, 1, tolerance=0),
    lambda: check_choice(None, "below", OPTIONS),
    lambda: self_check.stage_iv_cases(None, "england", 1000),
    lambda: self_check.interval_side(None, "tata-os"),
    lambda: self_check.landmark_number_needed_to_treat(None, "e2108"),
    lambda: self_check.hazard_change(None, "headon2016-os"),
    lambda: self_check.interval_at_level(None, "tata-os", 0.90),
    lambda: self_check.registry_share(None, "tbcrc013-rs-low", "tbcrc013-tissue"),
    lambda: self_check.failing_rule(None, PROFILE),
    lambda: self_check.pooled_without(None, "tata"),
    lambda: self_check.gbsg2_median(None, {"menopause": "pre"}),
    lambda: self_check.gbsg2_median(None, {"grade": "I"}),
])
def test_no_answer_yet_asks_for_one_and_is_not_right(check):
    assert check() == Verdict(False, WRITE_YOUR_ANSWER)
