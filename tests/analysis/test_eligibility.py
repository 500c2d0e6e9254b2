"""The eligibility rules as data: a profile checked rule by rule; unknown is never eligible."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbcbook.analysis import eligibility as elig
from mbcbook.errors import InputError
from mbcbook.evidence import rules as vocabulary

#: A profile that meets every rule of every source except where the trials disagree with each
#: other (timing of systemic therapy); built from the field definitions, not typed per rule.
CANDIDATE = dict(age=52, sex="female", ecog=0, tumour_size_cm=2.5, t_stage="T2", n_stage="N1", er="positive",
                 pgr="positive", her2="negative", metastasis_count=2, metastatic_sites=("bone",),
                 brain_metastases=False, untreated=True, therapy_weeks=0, response="partial",
                 symptomatic_local_disease=False, resectable=True, fit_for_surgery=True, inflammatory=False,
                 second_cancer=False, projected_survival_months=36, pregnant=False)


@pytest.fixture(scope="module")
def rules(evidence_tables):
    return evidence_tables.eligibility_rules


def test_the_rules_file_has_at_least_25_rules_over_six_sources(rules):
    assert len(rules) >= 25
    assert set(rules["source"]) >= {"review", "tata", "mf07-01", "jcog1017", "e2108", "abcsg-28"}
    assert (rules["status"] == "unconfirmed").any()  # shown as such by the checkers


def test_a_full_candidate_profile(rules):
    result = elig.check(elig.make_profile(**CANDIDATE), rules)
    assert list(result.columns) == list(elig.RESULT_COLUMNS)
    verdicts = elig.verdicts(result)
    assert verdicts["review"] == verdicts["abcsg-28"] == verdicts["mf07-01"] == "eligible"
    # E2108 randomised after 16-32 weeks of therapy: a patient before any therapy could not yet enter it.
    assert verdicts["e2108"] == "not eligible"
    failing = result[(result["source"] == "e2108") & (result["verdict"] == "not met")]
    assert list(failing["rule_id"]) == ["e2108-therapy-length"]


def test_a_missing_field_is_unknown_and_never_eligible(rules):
    partial = {k: v for k, v in CANDIDATE.items() if k != "her2"}
    result = elig.check(elig.make_profile(**partial), rules)
    assert result.loc[result["rule_id"] == "review-her2-negative", "verdict"].item() == "unknown"
    assert elig.verdicts(result)["review"] == "unknown"
    assert elig.verdicts(elig.check({}, rules)) == {source: "unknown" for source in rules["source"].unique()}


@pytest.mark.parametrize("weeks, verdict", [(15.9, "not met"), (16, "met"), (24, "met"), (32, "met"),
                                            (32.1, "not met")])
def test_e2108_counts_16_and_32_weeks_in(rules, weeks, verdict):
    result = elig.check(elig.make_profile(therapy_weeks=weeks), rules)
    assert result.loc[result["rule_id"] == "e2108-therapy-length", "verdict"].item() == verdict


@pytest.mark.parametrize("age, tata, e2108", [(65, "met", "met"), (66, "not met", "met"), (18, "met", "met"),
                                              (17, "met", "not met")])
def test_ages_at_the_limits(rules, age, tata, e2108):
    result = elig.check(elig.make_profile(age=age), rules).set_index("rule_id")["verdict"]
    assert (result["tata-age"], result["e2108-adult"]) == (tata, e2108)


@pytest.mark.parametrize("ecog, review, abcsg", [(1, "met", "met"), (2, "not met", "met"), (3, "not met", "not met")])
def test_performance_status_at_the_limits(rules, ecog, review, abcsg):
    result = elig.check(elig.make_profile(ecog=ecog), rules).set_index("rule_id")["verdict"]
    assert (result["review-performance"], result["abcsg-28-performance"]) == (review, abcsg)


@pytest.mark.parametrize("operator, value, given, expected", [
    ("at_least", 18, 18, "met"), ("at_least", 18, 17, "not met"), ("at_most", 65, 65, "met"),
    ("at_most", 65, 66, "not met"), ("above", 6, 6, "not met"), ("above", 6, 6.5, "met"),
    ("below", 6, 6, "not met"), ("below", 6, 5, "met"), ("equals", 0, 0, "met"), ("equals", 0, 1, "not met"),
    ("between", (16, 32), 16, "met"), ("between", (16, 32), 33, "not met"),
])
def test_number_operators(operator, value, given, expected):
    assert elig.evaluate("therapy_weeks", operator, value, {"therapy_weeks": given}) == expected


def test_category_flag_and_set_operators():
    assert elig.evaluate("her2", "one_of", ("negative",), {"her2": "negative"}) == "met"
    assert elig.evaluate("response", "none_of", ("progression",), {"response": "progression"}) == "not met"
    assert elig.evaluate("response", "none_of", ("progression",), {"response": "stable"}) == "met"
    assert elig.evaluate("pregnant", "is_false", None, {"pregnant": False}) == "met"
    assert elig.evaluate("pregnant", "is_true", None, {"pregnant": False}) == "not met"
    sites = "metastatic_sites"
    assert elig.evaluate(sites, "one_of", ("bone", "lung"), {sites: ("liver", "bone")}) == "met"
    assert elig.evaluate(sites, "none_of", ("brain",), {sites: ("liver", "brain")}) == "not met"
    assert elig.evaluate(sites, "none_of", ("brain",), {sites: ("liver",)}) == "met"


def test_several_fields_meet_a_rule_when_any_does():
    rule = ("er|pgr", "one_of", ("positive",))
    assert elig.evaluate(*rule, {"er": "positive"}) == "met"
    assert elig.evaluate(*rule, {"er": "negative", "pgr": "negative"}) == "not met"
    assert elig.evaluate(*rule, {"pgr": "negative"}) == "unknown"


@pytest.mark.parametrize("values, message", [
    ({"age": 250}, "Age must be 0-120 years, got 250"),
    ({"ecog": 7}, "ECOG performance status must be 0-4, got 7"),
    ({"ecog": 1.5}, "ECOG performance status must be a whole number (0-4), got 1.5"),
    ({"tumour_size_cm": -1}, "Primary tumour size must be 0-30 cm, got -1"),
    ({"her2": "maybe"}, "HER2 must be positive or negative, got 'maybe'"),
    ({"pregnant": "no"}, "Pregnant or breastfeeding must be yes or no (True or False), got 'no'"),
    ({"metastatic_sites": ["bone", "spleen"]}, "Sites of metastases must be among bone, lung, liver, brain, "
                                               "distant_nodes, skin_soft_tissue or other, got 'spleen'"),
    ({"age": "fifty"}, "Age must be a number (0-120 years), got 'fifty'"),
    ({"weight": 60}, "unknown field 'weight'; a profile has age, sex, ecog"),
])
def test_bad_profiles_are_explained(values, message):
    with pytest.raises(InputError) as caught:
        elig.make_profile(**values)
    assert str(caught.value).startswith(message)


def test_values_at_their_limits_are_accepted():
    profile = elig.make_profile(age=0, ecog=4, tumour_size_cm=30, therapy_weeks=0, metastatic_sites="bone",
                                er=None)
    assert profile == {"age": 0, "ecog": 4, "tumour_size_cm": 30.0, "therapy_weeks": 0.0,
                       "metastatic_sites": ("bone",)}


@pytest.mark.parametrize("field, operator, value, message", [
    ("ecog", "at_most", "7", "ECOG performance status must be 0-4, got 7"),
    ("ecog", "at_most", "two", "at_most takes a number, got 'two'"),
    ("therapy_weeks", "between", "32|16", "between needs the lower limit first"),
    ("therapy_weeks", "between", "16", "between takes two numbers such as 16|32"),
    ("her2", "one_of", "maybe", "'maybe' is not a value of her2; it takes positive or negative"),
    ("her2", "one_of", "", "one_of needs at least one value"),
    ("her2", "at_least", "1", "at_least compares numbers; her2 is a category field"),
    ("age", "one_of", "old", "one_of picks among categories; age is a int field"),
    ("pregnant", "is_false", "no", "is_false takes no value"),
    ("age", "is_true", "", "is_true tests a yes-or-no field"),
    ("weight", "at_most", "90", "unknown field 'weight'"),
    ("er|age", "one_of", "positive", "fields joined by | must be of one kind"),
    ("age", "roughly", "50", "unknown operator 'roughly'"),
])
def test_bad_rule_values_are_explained(field, operator, value, message):
    with pytest.raises(ValueError, match=message.replace("|", r"\|").replace("(", r"\(")):
        vocabulary.parse_value(field, operator, value)


def test_a_malformed_rule_row_is_located(data_copy):
    from conftest import only_problem
    path = data_copy / "eligibility_rules.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tata-age,tata,age,at_most,65,", "tata-age,tata,age,at_most,650,"), encoding="utf-8")
    problem = only_problem(data_copy)
    assert (problem.file.endswith("eligibility_rules.csv"), problem.row, problem.column) == (True, 7, "value")
    assert problem.message == "Age must be 0-120 years, got 650"


def test_an_unknown_field_in_a_rule_row_is_located(data_copy):
    from conftest import only_problem
    path = data_copy / "eligibility_rules.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tata-age,tata,age,", "tata-age,tata,agee,"), encoding="utf-8")
    problem = only_problem(data_copy)
    assert (problem.row, problem.column) == (7, "field")
    assert problem.message.startswith("unknown field 'agee'; the fields are age, sex")


VALUES = {
    "int": st.one_of(st.integers(-5, 300), st.none(), st.text(max_size=3), st.floats(allow_nan=True)),
    "float": st.one_of(st.floats(-5, 700), st.just(float("nan")), st.none(), st.text(max_size=3)),
    "category": st.one_of(st.sampled_from(["positive", "negative", "T1", "N0", "female", "stable", "maybe"]),
                          st.none(), st.integers()),
    "set": st.one_of(st.lists(st.sampled_from([*vocabulary.SITES, "spleen"]), max_size=3), st.none()),
    "flag": st.one_of(st.booleans(), st.none(), st.sampled_from(["yes", 1])),
}


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({}, optional={f.name: VALUES[f.kind] for f in vocabulary.FIELDS}))
def test_any_profile_gives_verdicts_or_an_input_error(evidence_tables, values):
    try:
        profile = elig.make_profile(**values)
    except InputError:
        return
    result = elig.check(profile, evidence_tables.eligibility_rules)
    assert set(result["verdict"]) <= {"met", "not met", "unknown"}
    for source, verdict in elig.verdicts(result).items():
        rows = result[result["source"] == source]["verdict"]
        assert verdict != "eligible" or set(rows) == {"met"}
