"""Impact ratios (NYC Local Law 144 method), scoring rates and the funnel audit."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate

from matchday.engine.fairness import (
    FUNNEL_STAGES,
    RACE_ETHNICITY_CATEGORIES,
    SEX_CATEGORIES,
    FunnelPerson,
    funnel_audit,
    impact_ratios,
    impact_report,
    scoring_outcomes,
    scoring_report,
)
from matchday.engine.io import EngineInputError

# --- the worked example published with the NYC rules ---------------------------------------
#
# Source: NYC Department of Consumer and Worker Protection, Notice of Adoption of Final Rule,
# "Use of Automated Employment Decision Tools" (April 2023), 6 RCNY § 5-301(b), the example
# of a bias audit of an AEDT that screens resumes. Counts are "# of Applicants" and
# "# Selected"; rates and ratios are given there to the precision kept below.

NYC_SEX = [
    # category, applicants, selected, selection rate (%), impact ratio
    ("Male", 1390, 667, 48, 1.000),
    ("Female", 1181, 555, 47, 0.979),
]

NYC_RACE = [
    ("Hispanic or Latino", 408, 204, 50, 0.97),
    ("White", 797, 412, 52, 1.00),
    ("Black or African American", 390, 170, 44, 0.84),
    ("Native Hawaiian or Other Pacific Islander", 119, 52, 44, 0.85),
    ("Asian", 616, 302, 49, 0.95),
    ("Native American or Alaska Native", 41, 18, 44, 0.85),
    ("Two or More Races", 213, 96, 45, 0.87),
]

NYC_INTERSECTIONAL = [
    # sex, race/ethnicity, applicants, selected, selection rate (%, 1 dp), impact ratio
    ("Male", "Hispanic or Latino", 205, 90, 43.9, 0.841),
    ("Female", "Hispanic or Latino", 190, 82, 43.2, 0.827),
    ("Male", "White", 412, 215, 52.2, 1.000),
    ("Male", "Black or African American", 226, 95, 42.0, 0.806),
    ("Male", "Native Hawaiian or Other Pacific Islander", 87, 37, 42.5, 0.815),
    ("Male", "Asian", 321, 167, 52.0, 0.997),
    ("Male", "Native American or Alaska Native", 24, 11, 45.8, 0.878),
    ("Male", "Two or More Races", 115, 52, 45.2, 0.866),
    ("Female", "White", 385, 197, 51.2, 0.981),
    ("Female", "Black or African American", 164, 75, 45.7, 0.876),
    ("Female", "Native Hawaiian or Other Pacific Islander", 32, 15, 46.9, 0.898),
    ("Female", "Asian", 295, 135, 45.8, 0.877),
    ("Female", "Native American or Alaska Native", 17, 7, 41.2, 0.789),
    ("Female", "Two or More Races", 98, 44, 44.9, 0.860),
]


def expand(table: list[tuple[str, int, int, float, float]]) -> tuple[list[str], list[bool]]:
    """One record per applicant: the first ``selected`` of each category are selected."""
    categories: list[str] = []
    outcomes: list[bool] = []
    for name, applicants, selected, _, _ in table:
        categories += [name] * applicants
        outcomes += [True] * selected + [False] * (applicants - selected)
    return categories, outcomes


@pytest.mark.parametrize(("table", "ratio_places"), [(NYC_SEX, 3), (NYC_RACE, 2)])
def test_nyc_rules_worked_example_is_reproduced_to_the_published_precision(table, ratio_places):
    """DCWP Notice of Adoption of Final Rule (April 2023), 6 RCNY § 5-301(b) example tables."""
    categories, outcomes = expand(table)
    result = impact_ratios(categories, outcomes)
    assert [row.category for row in result.rows] == [name for name, *_ in table]
    for name, applicants, selected, rate_pct, ratio in table:
        row = result.row(name)
        assert (row.count, row.selected) == (applicants, selected)
        assert round(row.rate * 100) == rate_pct
        assert round(row.impact_ratio, ratio_places) == ratio
        assert row.adverse_impact is False
    assert result.unknown == 0


def test_nyc_rules_worked_intersectional_example_is_reproduced_to_the_published_precision():
    """DCWP Notice of Adoption of Final Rule (April 2023), 6 RCNY § 5-301(b), the
    intersectional table (sex x ethnicity x race); its totals are the sex table's."""
    sex: list[str] = []
    race: list[str] = []
    selected: list[bool] = []
    for s, r, applicants, chosen, _, _ in NYC_INTERSECTIONAL:
        sex += [s] * applicants
        race += [r] * applicants
        selected += [True] * chosen + [False] * (applicants - chosen)
    report = impact_report(sex, race, selected)
    for s, r, applicants, chosen, rate_pct, ratio in NYC_INTERSECTIONAL:
        row = report.intersectional.row(f"{s} / {r}")
        assert (row.count, row.selected) == (applicants, chosen)
        assert round(row.rate * 100, 1) == rate_pct
        assert round(row.impact_ratio, 3) == ratio
        assert row.adverse_impact == (ratio < 0.8)
    adverse = report.intersectional.adverse_categories
    assert adverse == ("Female / Native American or Alaska Native",)
    assert [(r.category, r.count, r.selected) for r in report.sex.rows] == [
        ("Male", 1390, 667),
        ("Female", 1181, 555),
    ]


def test_categories_under_two_percent_are_flagged_and_keep_their_ratio_by_default():
    categories, outcomes = expand(NYC_RACE)
    table = impact_ratios(categories, outcomes)
    small = [row.category for row in table.rows if row.small]
    assert small == ["Native American or Alaska Native"]  # 41 of 2584 = 1.59%
    row = table.row("Native American or Alaska Native")
    assert row.excluded is False
    assert round(row.impact_ratio, 2) == 0.85


def test_excluding_small_categories_drops_only_their_ratio_and_keeps_count_and_rate():
    categories, outcomes = expand(NYC_RACE)
    table = impact_ratios(categories, outcomes, exclude_small=True)
    row = table.row("Native American or Alaska Native")
    assert (row.count, row.selected, row.excluded, row.impact_ratio) == (41, 18, True, None)
    assert row.rate == 18 / 41
    assert table.reference_category == "White"
    assert round(table.row("Black or African American").impact_ratio, 2) == 0.84


def test_excluded_small_category_cannot_be_the_reference():
    # "C" has the highest rate but 1 person in 100 (1%): excluded, "A" becomes the reference.
    categories = ["A"] * 50 + ["B"] * 49 + ["C"]
    outcomes = [True] * 40 + [False] * 10 + [True] * 20 + [False] * 29 + [True]
    kept = impact_ratios(categories, outcomes)
    assert kept.reference_category == "C"
    dropped = impact_ratios(categories, outcomes, exclude_small=True)
    assert dropped.reference_category == "A"
    assert dropped.row("B").impact_ratio == pytest.approx((20 / 49) / (40 / 50))
    assert dropped.row("C").impact_ratio is None


def test_two_percent_boundary_is_not_small():
    categories = ["A"] * 98 + ["B"] * 2  # B is exactly 2%
    table = impact_ratios(categories, [True] * 100)
    assert table.row("B").small is False


def test_unknown_categories_are_counted_and_left_out_of_the_ratios():
    categories = ["Male", None, "Female", "", "  ", "Male"]
    outcomes = [True, True, False, True, True, False]
    table = impact_ratios(categories, outcomes)
    assert table.unknown == 3
    assert table.total == 3
    assert [(r.category, r.count, r.selected) for r in table.rows] == [
        ("Male", 2, 1),
        ("Female", 1, 0),
    ]


def test_intersection_is_unknown_when_either_part_is_unknown():
    report = impact_report(["Male", None, "Female"], ["Asian", "White", None], [True] * 3)
    assert (report.sex.unknown, report.race_ethnicity.unknown, report.intersectional.unknown) == (
        1,
        1,
        2,
    )
    assert [r.category for r in report.intersectional.rows] == ["Male / Asian"]


@pytest.mark.parametrize(
    ("selected_b", "adverse"),
    [(79, True), (80, False), (81, False)],
)
def test_ratio_under_four_fifths_is_flagged_and_exactly_four_fifths_is_not(selected_b, adverse):
    categories = ["A"] * 100 + ["B"] * 100
    outcomes = [True] * 100 + [True] * selected_b + [False] * (100 - selected_b)
    table = impact_ratios(categories, outcomes)
    assert table.row("B").impact_ratio == selected_b / 100
    assert table.row("B").adverse_impact is adverse


def test_no_one_selected_gives_no_ratios_and_no_flags():
    table = impact_ratios(["A", "B"], [False, False])
    assert table.reference_category is None
    assert [(r.impact_ratio, r.adverse_impact) for r in table.rows] == [(None, False)] * 2


def test_reference_ties_go_to_the_first_category_in_table_order():
    table = impact_ratios(["Female", "Male"], [True, True])
    assert table.reference_category == "Male"


def test_mismatched_lengths_name_the_dimension():
    with pytest.raises(EngineInputError, match="sex: 2 categories but 1 outcomes"):
        impact_ratios(["A", "B"], [True], dimension="sex")


def test_results_are_plain_python_numbers():
    table = impact_ratios(["A", "B", "B"], np.array([True, True, False]))
    row = table.row("B")
    assert type(row.rate) is float
    assert type(row.impact_ratio) is float
    assert type(row.count) is int
    assert type(row.selected) is int


# --- agreement with Fairlearn ---------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_rates_and_ratios_agree_with_fairlearn_metricframe(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    sexes = [*SEX_CATEGORIES, None]
    races = [*RACE_ETHNICITY_CATEGORIES[: int(rng.integers(2, 8))], None]
    sex = [sexes[i] for i in rng.integers(0, len(sexes), n)]
    race = [races[i] for i in rng.integers(0, len(races), n)]
    p = rng.uniform(0.05, 0.95)
    selected = (rng.random(n) < p).astype(int)
    report = impact_report(sex, race, selected.astype(bool).tolist())

    frame = pd.DataFrame({"sex": sex, "race": race, "y": selected})
    for table, columns in (
        (report.sex, ["sex"]),
        (report.race_ethnicity, ["race"]),
        (report.intersectional, ["sex", "race"]),
    ):
        known = frame.dropna(subset=columns)
        assert table.unknown == len(frame) - len(known)
        mf = MetricFrame(
            metrics=selection_rate,
            y_true=known["y"],
            y_pred=known["y"],
            sensitive_features=known[columns],
        )
        by_group = mf.by_group
        expected_rates = {
            (k if isinstance(k, str) else " / ".join(k)): float(v) for k, v in by_group.items()
        }
        ours = {row.category: row.rate for row in table.rows}
        assert ours == pytest.approx(expected_rates, rel=1e-12, abs=1e-15)
        top = float(by_group.max())
        if top > 0:
            expected_ratios = {k: v / top for k, v in expected_rates.items()}
            ratios = {row.category: row.impact_ratio for row in table.rows}
            assert ratios == pytest.approx(expected_ratios, rel=1e-12, abs=1e-15)
            assert min(ratios.values()) == pytest.approx(mf.ratio(method="between_groups"))


# --- scoring rates ------------------------------------------------------------------------


def test_scoring_rate_counts_only_scores_strictly_above_the_whole_sample_median():
    # Whole sample (unknown included): 3 4 5 5 6 7 8 9 10 -> median 6.
    sex = ["Male"] * 4 + ["Female"] * 4 + [None]
    race = ["White", "Asian", "White", "Asian", "White", "Asian", "White", "Asian", "White"]
    scores = [10, 8, 6, 4, 9, 5, 5, 3, 7]
    report = scoring_report(sex, race, scores)
    table = report.sex
    assert table.rate_kind == "scoring"
    assert table.median_score == 6.0
    assert (table.row("Male").selected, table.row("Male").rate) == (2, 0.5)  # 10, 8 (not 6)
    assert (table.row("Female").selected, table.row("Female").rate) == (1, 0.25)  # 9
    assert table.row("Female").impact_ratio == 0.5
    assert table.row("Female").adverse_impact is True
    assert table.unknown == 1
    # race: White 10, 6, 9, 5, 7 -> above 6: 10, 9, 7 = 3 of 5; Asian 8, 4, 5, 3 -> 1 of 4
    assert report.race_ethnicity.row("White").rate == 3 / 5
    assert report.race_ethnicity.row("Asian").impact_ratio == pytest.approx((1 / 4) / (3 / 5))


def test_scoring_outcomes_with_an_even_sample_use_the_mean_of_the_middle_pair():
    assert scoring_outcomes([1, 2, 3, 4]) == (2.5, [False, False, True, True])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_scores_are_refused(bad):
    with pytest.raises(EngineInputError, match="score #1 is not a finite number"):
        scoring_outcomes([1.0, bad])


# --- funnel -------------------------------------------------------------------------------


def people_for_funnel() -> list[FunnelPerson]:
    return [
        FunnelPerson("p1", "hired", "Female", "Asian"),
        FunnelPerson("p2", "offered", "Male", "White"),
        FunnelPerson("p3", "interviewed", "Female", "White"),
        FunnelPerson("p4", "approved", "Male", "Asian"),
        FunnelPerson("p5", "proposed", "Female", None),
        FunnelPerson("p6", "proposed", None, None),
        FunnelPerson("p7", "intro_accepted", "Male", "Black or African American"),
    ]


def test_funnel_counts_everyone_who_reached_each_stage():
    audit = funnel_audit(people_for_funnel())
    assert dict(audit.stage_counts) == {
        "proposed": 7,
        "approved": 5,
        "interest_received": 4,
        "intro_accepted": 4,
        "interviewed": 3,
        "offered": 2,
        "hired": 1,
    }


def test_funnel_has_one_transition_per_consecutive_pair_of_stages():
    audit = funnel_audit(people_for_funnel())
    assert [(t.from_stage, t.to_stage) for t in audit.transitions] == list(
        itertools.pairwise(FUNNEL_STAGES)
    )
    assert [(t.reached, t.advanced) for t in audit.transitions] == [
        (7, 5),
        (5, 4),
        (4, 4),
        (4, 3),
        (3, 2),
        (2, 1),
    ]


def test_funnel_transition_selects_those_who_reached_the_next_stage_among_those_who_reached_this():
    audit = funnel_audit(people_for_funnel())
    proposed = audit.transitions[0].report
    # proposed -> approved: Female p1 p3 advanced, p5 did not; Male p2 p4 p7 all advanced.
    assert (proposed.sex.row("Female").count, proposed.sex.row("Female").selected) == (3, 2)
    assert proposed.sex.row("Male").rate == 1.0
    assert proposed.sex.row("Female").impact_ratio == pytest.approx(2 / 3)
    assert proposed.sex.unknown == 1
    assert proposed.race_ethnicity.unknown == 2
    # interviewed -> offered: p1 (F, Asian) and p2 (M, White) advanced, p3 (F, White) did not.
    interviewed = audit.transitions[4].report
    assert interviewed.sex.row("Female").rate == 0.5
    assert interviewed.sex.row("Male").rate == 1.0
    assert interviewed.intersectional.row("Female / White").rate == 0.0


def test_funnel_scoring_report_appears_when_people_have_scores():
    people = [
        FunnelPerson("a", "proposed", "Male", "White", 0.9),
        FunnelPerson("b", "hired", "Female", "White", 0.1),
        FunnelPerson("c", "approved", "Female", "Asian", 0.5),
    ]
    audit = funnel_audit(people)
    assert audit.scoring is not None
    assert audit.scoring.sex.median_score == 0.5
    assert audit.scoring.sex.row("Male").rate == 1.0
    assert audit.scoring.sex.row("Female").rate == 0.0
    assert funnel_audit([FunnelPerson("a", "proposed")]).scoring is None


@pytest.mark.parametrize(
    ("people", "message"),
    [
        (
            [FunnelPerson("a", "proposed"), FunnelPerson("a", "hired")],
            "person 'a': duplicate person id",
        ),
        ([FunnelPerson("x", "shortlisted")], "person 'x': unknown stage 'shortlisted'"),
        (
            [FunnelPerson("a", "proposed", score=1.0), FunnelPerson("b", "proposed")],
            "person 'b': no score while other people have one",
        ),
    ],
)
def test_bad_funnel_input_names_the_offending_person(people, message):
    with pytest.raises(EngineInputError, match=message):
        funnel_audit(people)


def test_funnel_audit_text_and_dict_show_every_transition():
    audit = funnel_audit(people_for_funnel())
    text = audit.to_text()
    assert "proposed -> approved: 5 of 7 advanced" in text
    assert "offered -> hired: 1 of 2 advanced" in text
    data = audit.to_dict()
    assert [t["to_stage"] for t in data["transitions"]] == list(FUNNEL_STAGES[1:])
    assert data["transitions"][0]["sex"]["unknown"] == 1
