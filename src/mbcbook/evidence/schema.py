"""The schema of every evidence table in ``data/``.

This module is the single description of the tables: the loader validates against it and
``data/README.md`` is generated from it (``python -m mbcbook.evidence --readme``), so the
documentation cannot drift from what is enforced.

To add a column, add a :class:`Column` to its table here, add the column to the CSV and
regenerate the README; ``tests/test_data.py`` fails until all three agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUS_VALUES = ("confirmed", "unconfirmed")
#: Upper bounds of count columns: more than any registry or meta-analysis holds, so a typo
#: (an extra digit, a pasted phone number) is caught, and every count fits a 64-bit integer.
MAX_PATIENTS = 10_000_000
MAX_STUDIES = 10_000
#: BibTeX entry types that references.bib may use (a misspelt type would escape the checks).
BIB_ENTRY_TYPES = ("article", "book", "inbook", "incollection", "inproceedings", "manual", "misc",
                   "phdthesis", "techreport", "unpublished")
CI_LEVELS = (0.90, 0.95)
P_OPERATORS = ("=", "<")
P_SIDED = ("one_sided", "two_sided", "not_stated")
ARMS = ("lrt", "st")
OUTCOMES = (
    "overall_survival",
    "distant_progression_free_survival",
    "local_progression_free_survival",
    "local_relapse_free_survival",
    "locoregional_progression",
    "locoregional_progression_free_survival",
    "time_to_distant_progression",
    "toxicity_of_local_therapy",
)


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is one of:
    ``id`` (unique slug of lowercase letters, digits and hyphens), ``text``, ``category``
    (one of ``allowed``), ``int`` (whole number), ``float``, ``proportion`` (a fraction
    strictly between 0 and 1), ``ci_level`` (0.90 or 0.95), ``ref`` (a key of
    ``data/references.bib``) or ``foreign`` (an id of the table named in ``references``, or one
    of the values in ``also``).
    """

    name: str
    kind: str
    description: str
    required: bool = True
    unit: str = ""
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    minimum_inclusive: bool = True
    maximum: float | None = None
    references: str | None = None
    also: tuple[str, ...] = ()

    def type_label(self) -> str:
        """The column's type, in words, for ``data/README.md``."""
        labels = {
            "id": "text (unique id)",
            "text": "text",
            "category": "category",
            "int": "integer",
            "float": "number",
            "proportion": "number in (0, 1)",
            "ci_level": "number",
            "ref": "bib key",
            "foreign": f"id in {self.references}.csv" + "".join(f" or `{v}`" for v in self.also),
        }
        return labels[self.kind]

    def allowed_label(self) -> str:
        """The values the column accepts, in words, for ``data/README.md``."""
        if self.kind == "category":
            return ", ".join(f"`{v}`" for v in self.allowed)
        if self.kind == "ci_level":
            return "`0.90`, `0.95`"
        if self.kind == "proportion":
            return "0 < x < 1"
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:,.10g} to {self.maximum:,.10g}"
        if self.minimum is not None:
            sign = ">=" if self.minimum_inclusive else ">"
            return f"{sign} {self.minimum:g}"
        if self.kind == "id":
            return "`a-z`, `0-9`, `-`"
        if self.kind == "ref":
            return "key in references.bib"
        return ""


@dataclass(frozen=True)
class Interval:
    """A point estimate with its confidence interval (all four columns in one table)."""

    estimate: str | None  # None for a range with no point inside it
    low: str
    high: str
    level: str | None  # None for a published range that is not a confidence interval


@dataclass(frozen=True)
class AnyOf:
    """At least one of ``columns`` is given in every row (``column`` is where a miss is reported)."""

    columns: tuple[str, ...]
    message: str

    @property
    def column(self) -> str:
        """The column a row that gives none of them is reported in."""
        return self.columns[0]


@dataclass(frozen=True)
class Table:
    """One CSV file of ``data/``: its columns and the checks that involve several cells of a row.

    The first column is the table's id. Row checks are declared here, not written as special
    cases in the loader: ``intervals`` (an estimate inside its interval, both limits given, a
    confidence level with every interval), ``p_values`` (a p-value with its operator),
    ``value_ranges`` (the range of ``value_column`` depends on ``measure_column``) and
    ``any_of`` (at least one of some columns is given) and ``rule_columns`` (an eligibility
    rule's value suits its field and operator).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    intervals: tuple[Interval, ...] = ()
    # (p-value column, operator column): an operator is given exactly when a p-value is.
    p_values: tuple[tuple[str, str], ...] = ()
    # measure column -> {measure value: (low, high, low_inclusive, high_inclusive)} for "value"
    value_ranges: dict[str, tuple[float | None, float | None, bool, bool]] = field(
        default_factory=dict
    )
    measure_column: str | None = None
    value_column: str | None = None
    any_of: tuple[AnyOf, ...] = ()
    # (field column, operator column, value column) of a rules table: the value must suit the
    # field and the operator (mbcbook.evidence.rules).
    rule_columns: tuple[str, str, str] | None = None

    @property
    def file(self) -> str:
        """The table's file name in ``data/``."""
        return f"{self.name}.csv"

    @property
    def id_column(self) -> str:
        """The name of the id column (the first one)."""
        return self.columns[0].name

    def column(self, name: str) -> Column:
        """The column called ``name``; KeyError when the table has none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def _ref() -> Column:
    return Column("ref", "ref", "Key of the source in `references.bib`.")


def _status() -> Column:
    return Column(
        "status",
        "category",
        "`confirmed`: checked against the primary source; `unconfirmed`: shown only "
        "with this status visible.",
        allowed=STATUS_VALUES,
    )


def _note() -> Column:
    return Column("note", "text", "What a reader should know about this row.", required=False)


def _provenance() -> tuple[Column, ...]:
    """The last three columns of every table: where the row comes from and how sure it is."""
    return (_ref(), _status(), _note())


def _hazard_ratio(estimate_description: str, level_description: str,
                  measures: tuple[str, ...] = ("HR",)) -> tuple[Column, ...]:
    """Measure, estimate, its confidence interval and the published p-value."""
    return (
        Column("measure", "category", "Effect measure: `HR` hazard ratio"
               + ("; `RR` risk ratio (of an adverse event)." if "RR" in measures else "."), allowed=measures),
        Column("estimate", "float", estimate_description, minimum=0, minimum_inclusive=False),
        Column("ci_low", "float", "Lower confidence limit.", False, minimum=0, minimum_inclusive=False),
        Column("ci_high", "float", "Upper confidence limit.", False, minimum=0, minimum_inclusive=False),
        Column("ci_level", "ci_level", level_description, False),
        *_p_columns(),
    )


_HAZARD_RATIO_CHECKS = {
    "intervals": (Interval("estimate", "ci_low", "ci_high", "ci_level"),),
    "p_values": (("p_value", "p_operator"),),
}


def _interval_columns(prefix: str, unit: str, what: str, required: bool = False) -> tuple[Column, ...]:
    """Estimate-free CI columns: ``<prefix>_ci_low``, ``_ci_high`` and ``_ci_level``."""
    return (
        Column(f"{prefix}ci_low", "float", f"Lower confidence limit of {what}.", False, unit, minimum=0),
        Column(f"{prefix}ci_high", "float", f"Upper confidence limit of {what}.", False, unit, minimum=0),
        Column(f"{prefix}ci_level", "ci_level", "Confidence level of that interval, as published.", False),
    )


def _p_columns() -> tuple[Column, ...]:
    return (
        Column("p_value", "float", "P-value as published.", False, minimum=0, minimum_inclusive=False),
        Column(
            "p_operator",
            "category",
            "`=` for an exact p-value, `<` for a bound such as p<0.001.",
            False,
            allowed=P_OPERATORS,
        ),
    )


TRIALS = Table(
    "trials",
    "One row per randomised trial of surgery of the primary tumour.",
    (
        Column("trial_id", "id", "Short id used by the other tables."),
        Column("name", "text", "Name the trial is known by."),
        Column("registry_id", "text", "Trial registry number (ClinicalTrials.gov, UMIN).", False),
        Column("country", "text", "Country where the trial ran."),
        Column("centres", "category", "Single-centre or multicentre.", allowed=("single", "multi")),
        Column("design", "text", "Who was randomised, when and to what."),
        Column(
            "surgery_timing",
            "category",
            "Surgery of the primary before any systemic therapy, or after a response or "
            "stable disease on systemic therapy.",
            allowed=("before_systemic", "after_systemic"),
        ),
        Column("n_enrolled", "int", "Patients enrolled, where published.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("n_randomised", "int", "Patients randomised, where published.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("n_analysed", "int", "Patients in the analysis of the row's report, where the report "
               "counts them apart from those randomised.", False, "patients", minimum=1, maximum=MAX_PATIENTS),
        Column("n_planned", "int", "Planned sample size, for trials stopped early.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("accrual", "category", "Whether accrual finished.", allowed=("completed", "stopped_early")),
        *_provenance(),
    ),
)

ARMS_TABLE = Table(
    "arms",
    "One row per arm of a trial, per report (a trial's 10-year update is a second report).",
    (
        Column("arm_id", "id", "Short id of the arm in this report."),
        Column("trial_id", "foreign", "The trial.", references="trials"),
        Column("report", "text", "Which publication of the trial (`primary`, `10-year update`, ...)."),
        Column("arm", "category", "`lrt`: locoregional treatment of the primary (surgery, with "
               "radiotherapy where given); `st`: systemic therapy without it.", allowed=ARMS),
        Column("label", "text", "What the arm received, in words."),
        Column("n_randomised", "int", "Patients randomised to the arm, where published.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("n_analysed", "int", "Patients of the arm in this report's analysis, where the report "
               "gives that count rather than the number randomised.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("median_os_months", "float", "Median overall survival.", False, "months",
               minimum=0, minimum_inclusive=False),
        *_interval_columns("median_os_", "months", "the median"),
        Column("landmark_months", "float", "Time point of the landmark survival below.", False, "months",
               minimum=0, minimum_inclusive=False),
        Column("landmark_os", "proportion", "Proportion alive at the landmark.", False, "proportion"),
        *_interval_columns("landmark_os_", "proportion", "the landmark survival"),
        *_provenance(),
    ),
    intervals=(
        Interval("median_os_months", "median_os_ci_low", "median_os_ci_high", "median_os_ci_level"),
        Interval("landmark_os", "landmark_os_ci_low", "landmark_os_ci_high", "landmark_os_ci_level"),
    ),
)

ARM_OUTCOMES = Table(
    "arm_outcomes",
    "Arm-level results other than overall survival (local control, for instance).",
    (
        Column("outcome_id", "id", "Short id of the result."),
        Column("arm_id", "foreign", "The arm.", references="arms"),
        Column("outcome", "category", "What was measured.", allowed=OUTCOMES),
        Column("measure", "category", "`median_months`: median time to the event; "
               "`cumulative_incidence`: proportion with the event by `time_months`.",
               allowed=("median_months", "cumulative_incidence")),
        Column("time_months", "float", "Time point, for cumulative incidences.", False, "months",
               minimum=0, minimum_inclusive=False),
        Column("value", "float", "The result.", unit="months or proportion", minimum=0, minimum_inclusive=False),
        *_interval_columns("", "as value", "the value"),
        *_provenance(),
    ),
    intervals=(Interval("value", "ci_low", "ci_high", "ci_level"),),
    measure_column="measure",
    value_column="value",
    value_ranges={"cumulative_incidence": (0, 1, False, False)},
)

EFFECTS = Table(
    "effects",
    "One row per published comparison between the arms of a trial (hazard ratios).",
    (
        Column("effect_id", "id", "Short id of the comparison."),
        Column("trial_id", "foreign", "The trial.", references="trials"),
        Column("report", "text", "Which publication of the trial."),
        Column("outcome", "category", "The outcome compared.", allowed=OUTCOMES),
        Column("population", "text", "Who is compared (all randomised, or a subgroup)."),
        Column("analysis", "category", "Primary end point, secondary end point, or a subgroup "
               "analysis that was not planned.",
               allowed=("primary", "secondary", "unplanned_subgroup")),
        *_hazard_ratio("Point estimate: below 1 favours `treatment_arm`.",
                       "Confidence level as published (E2108 and JCOG1017 report 90%)."),
        Column("p_sided", "category", "Whether the published p-value is one- or two-sided.", False, allowed=P_SIDED),
        Column("treatment_arm", "category", "Arm in the numerator of the HR.", allowed=ARMS + ("not_stated",)),
        Column("reference_arm", "category", "Arm in the denominator of the HR.", allowed=ARMS + ("not_stated",)),
        Column("median_follow_up_months", "float", "Median follow-up at this report.", False, "months",
               minimum=0, minimum_inclusive=False),
        *_provenance(),
    ),
    **_HAZARD_RATIO_CHECKS,
)

META_ANALYSES = Table(
    "meta_analyses",
    "One row per pooled result of a meta-analysis.",
    (
        Column("result_id", "id", "Short id of the pooled result."),
        Column("analysis", "text", "The meta-analysis, in words."),
        Column("study_design", "category", "Design of the pooled studies.", allowed=("observational", "randomised")),
        Column("publication", "category", "Kind of publication.",
               allowed=("journal_article", "preprint", "conference_abstract")),
        Column("n_studies", "int", "Studies pooled.", False, "studies", minimum=1, maximum=MAX_STUDIES),
        Column("n_patients", "int", "Patients pooled.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("outcome", "category", "Outcome pooled.", allowed=OUTCOMES),
        *_hazard_ratio("Pooled estimate: below 1 favours surgery of the primary (for `RR`, fewer "
                       "adverse events with it).", "Confidence level.", measures=("HR", "RR")),
        Column("certainty", "text", "Certainty of evidence (GRADE), where rated.", False),
        *_provenance(),
    ),
    **_HAZARD_RATIO_CHECKS,
)

OBSERVATIONAL_STUDIES = Table(
    "observational_studies",
    "One row per non-randomised study (registries, prospective cohorts).",
    (
        Column("study_id", "id", "Short id of the study."),
        Column("name", "text", "Name the study is known by."),
        Column("design", "category", "Study design.", allowed=("retrospective_registry", "prospective_registry")),
        Column("data_source", "text", "Where the data came from."),
        Column("period", "text", "Years of diagnosis covered, where published.", False),
        Column("n_patients", "int", "Patients in the study.", unit="patients",
               minimum=1, maximum=MAX_PATIENTS),
        *_provenance(),
    ),
)

OBSERVATIONAL_RESULTS = Table(
    "observational_results",
    "One row per figure reported by a non-randomised study.",
    (
        Column("result_id", "id", "Short id of the figure."),
        Column("study_id", "foreign", "The study.", references="observational_studies"),
        Column("result", "text", "What the figure is."),
        Column("group", "text", "Which patients or which comparison."),
        Column("measure", "category", "Kind of number in `value`.",
               allowed=("HR", "median_months", "proportion", "count", "p_value")),
        Column("value", "float", "The figure (unit given by `measure`).", minimum=0, minimum_inclusive=False),
        *_interval_columns("", "as value", "the value"),
        *_p_columns(),
        *_provenance(),
    ),
    intervals=(Interval("value", "ci_low", "ci_high", "ci_level"),),
    p_values=(("p_value", "p_operator"),),
    measure_column="measure",
    value_column="value",
    value_ranges={"proportion": (0, 1, False, False), "p_value": (0, 1, False, True)},
)

EPIDEMIOLOGY = Table(
    "epidemiology",
    "Share of breast cancers that are stage IV (metastatic) at diagnosis, by setting.",
    (
        Column("figure_id", "id", "Short id of the figure."),
        Column("setting", "text", "Country or place."),
        Column("scope", "category", "What the figure describes.",
               allowed=("national", "multicentre", "single_centre", "meta_analysis")),
        Column("period", "text", "Years of diagnosis, where known.", False),
        Column("share", "proportion", "Share stage IV at diagnosis (point value).", False, "proportion"),
        Column("share_low", "proportion", "Lower end, where the source gives a range.", False, "proportion"),
        Column("share_high", "proportion", "Upper end, where the source gives a range.", False, "proportion"),
        Column("review_printed", "text", "What the review printed for this setting, if anything.", False),
        Column("review_share_low", "proportion", "The review's figure as a number (lower end of its range).",
               False, "proportion"),
        Column("review_share_high", "proportion", "Upper end of the review's range (equal to the lower end "
               "for a single figure).", False, "proportion"),
        *_provenance(),
    ),
    intervals=(Interval("share", "share_low", "share_high", None),
               Interval(None, "review_share_low", "review_share_high", None)),
    any_of=(AnyOf(("share", "share_low"), "give a share, or a range in share_low and share_high"),),
)

SURVIVAL_TRENDS = Table(
    "survival_trends",
    "Survival of metastatic breast cancer over calendar time, and de novo against recurrent disease.",
    (
        Column("result_id", "id", "Short id of the figure."),
        Column("study", "text", "The study, in words."),
        Column("population", "category", "`de_novo`: metastatic at diagnosis (first presentation); "
               "`synchronous`: metastatic at diagnosis, as the paper calls it; `recurrent`: "
               "metastatic after earlier treatment of localised disease.",
               allowed=("de_novo", "synchronous", "recurrent")),
        Column("cohort", "text", "Years of diagnosis of the cohort."),
        Column("n_patients", "int", "Patients in the cohort, where published.", False, "patients",
               minimum=1, maximum=MAX_PATIENTS),
        Column("measure", "category", "`median_os_months`: median overall survival; `os_3y`: "
               "proportion alive at 3 years; `hr_recurrent_vs_de_novo`: hazard ratio of death.",
               allowed=("median_os_months", "os_3y", "hr_recurrent_vs_de_novo")),
        Column("value", "float", "The figure (unit given by `measure`).", minimum=0, minimum_inclusive=False),
        *_interval_columns("", "as value", "the value"),
        *_provenance(),
    ),
    intervals=(Interval("value", "ci_low", "ci_high", "ci_level"),),
    measure_column="measure",
    value_column="value",
    value_ranges={"os_3y": (0, 1, False, False)},
)

_BASIS = ("published", "assumed")


def _setting(name: str, kind: str, description: str, unit: str, **limits) -> tuple[Column, ...]:
    """A reconstruction setting and its basis: published by the trial, or assumed by the book (note says why)."""
    return (
        Column(name, kind, description, unit=unit, **limits),
        Column(f"{name.removesuffix('_months')}_basis", "category",
               "`published`: the trial report gives it; `assumed`: the book chose it, and `note` says why.",
               allowed=_BASIS),
    )


RECONSTRUCTIONS = Table(
    "reconstructions",
    "One row per trial whose overall-survival curves the book rebuilds from published summaries "
    "(`mbcbook.analysis.reconstruction`): which report's arms to use, the published hazard ratio "
    "to check against, and the trial's size, accrual and follow-up, each marked published or assumed.",
    (
        Column("reconstruction_id", "id", "Short id of the reconstruction."),
        Column("trial_id", "foreign", "The trial.", references="trials"),
        Column("arms_report", "text", "The `report` of `arms.csv` whose medians and landmarks fix the curves."),
        Column("effect_id", "foreign", "The published overall-survival hazard ratio the reconstruction is "
               "checked against.", references="effects"),
        Column("n_lrt", "int", "Patients in the locoregional-treatment arm.", unit="patients",
               minimum=2, maximum=MAX_PATIENTS),
        Column("n_st", "int", "Patients in the systemic-therapy arm.", unit="patients",
               minimum=2, maximum=MAX_PATIENTS),
        Column("n_basis", "category", "`published` or `assumed` (the arm sizes).", allowed=_BASIS),
        *_setting("accrual_months", "float", "Length of the accrual period; patients enter evenly over it.",
                  "months", minimum=0, maximum=1200),
        *_setting("follow_up_months", "float", "Follow-up at the analysis, of the kind in `follow_up_kind`.",
                  "months", minimum=0, maximum=1200),
        Column("follow_up_kind", "category", "`median`: the median follow-up (the analysis is half the "
               "accrual period after the middle of accrual plus this); `minimum`: the follow-up of the "
               "last patient to enter.", allowed=("median", "minimum")),
        Column("deaths", "int", "Deaths at the analysis, where published (shown beside the "
               "reconstruction's expected deaths).", False, "patients", minimum=0, maximum=MAX_PATIENTS),
        *_provenance(),
    ),
)

ELIGIBILITY_RULES = Table(
    "eligibility_rules",
    "One row per rule of the review's candidate profile for surgery or of a trial's eligibility "
    "criteria, as the checker of chapters 5 and 7 evaluates it (the fields and operators are "
    "listed in `mbcbook.evidence.rules`).",
    (
        Column("rule_id", "id", "Short id of the rule."),
        Column("source", "foreign", "Whose rule: `review` (its candidate profile for surgery) or a trial's id "
               "(a trial added to `trials.csv` can have rules at once).", references="trials", also=("review",)),
        Column("field", "text", "The profile field tested, or several joined by `|` (met when any is): "
               "age, sex, ecog, tumour_size_cm, t_stage, n_stage, er, pgr, her2, metastasis_count, "
               "metastatic_sites, brain_metastases, untreated, therapy_weeks, response, "
               "symptomatic_local_disease, resectable, fit_for_surgery, inflammatory, second_cancer, "
               "projected_survival_months, pregnant."),
        Column("operator", "category", "How the field is tested.", allowed=(
            "at_least", "at_most", "above", "below", "equals", "between", "one_of", "none_of", "is_true",
            "is_false")),
        Column("value", "text", "What it is tested against: a number, two numbers for `between` (`16|32`), "
               "values joined by `|` for `one_of` and `none_of`, empty for `is_true` and `is_false`.",
               required=False),
        Column("text", "text", "The rule in plain words, as the checker shows it."),
        *_provenance(),
    ),
    rule_columns=("field", "operator", "value"),
)

#: Every table, in the order they are loaded (a table's foreign keys point to earlier ones).
TABLES: tuple[Table, ...] = (
    TRIALS,
    ARMS_TABLE,
    ARM_OUTCOMES,
    EFFECTS,
    META_ANALYSES,
    OBSERVATIONAL_STUDIES,
    OBSERVATIONAL_RESULTS,
    EPIDEMIOLOGY,
    SURVIVAL_TRENDS,
    RECONSTRUCTIONS,
    ELIGIBILITY_RULES,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
