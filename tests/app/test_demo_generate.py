"""The demo generator: deterministic, the sizes asked for, bands within the ratio."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from matchday.accounts.models import User
from matchday.companies.models import Company, InterviewStep, Role, RoleSkill
from matchday.demo.generate import demo_generate, nice_round, pay_for_period
from matchday.demo.logins import DEMO_LOGINS
from matchday.talent.models import (
    Achievement,
    CandidateProfile,
    CandidateSkill,
    Demographics,
    Education,
    Experience,
    Link,
)

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SMALL = {"candidates": 40, "companies": 12, "roles": 30}

PROFILE_FIELDS = (
    "user__email", "headline", "summary", "country", "city", "timezone", "remote_preference",
    "acceptable_countries", "acceptable_cities", "work_authorization", "years_experience",
    "level", "role_types", "domains", "company_stages", "company_sizes", "min_pay_amount",
    "min_pay_currency", "min_pay_period", "dealbreakers", "preference_weights", "status",
    "submitted_at", "vetted_at", "vetting_reason",
)  # fmt: skip
COMPANY_FIELDS = (
    "name", "website", "size", "stage", "domains", "description", "vetting_status",
    "vetting_checklist", "vetting_notes", "vetted_at",
)  # fmt: skip
ROLE_FIELDS = (
    "company__name", "title", "level", "accepted_levels", "role_type", "description",
    "location_policy",
    "allowed_countries", "allowed_timezones", "cities", "years_min", "years_max", "pay_min",
    "pay_max", "pay_currency", "pay_period", "status", "published_at", "created_by__email",
)  # fmt: skip


def _snapshot() -> dict[str, list[tuple]]:
    """Every generated row's content (not its primary key), in creation order."""
    return {
        "users": list(
            User.objects.order_by("pk").values_list("email", "full_name", "persona", "is_staff")
        ),
        "profiles": list(CandidateProfile.objects.order_by("pk").values_list(*PROFILE_FIELDS)),
        "skills": list(
            CandidateSkill.objects.order_by("pk").values_list(
                "candidate__user__email", "skill_id", "level", "years", "evidence"
            )
        ),
        "achievements": list(
            Achievement.objects.order_by("pk").values_list(
                "candidate__user__email", "position", "title", "problem", "result"
            )
        ),
        "links": list(Link.objects.order_by("pk").values_list("kind", "url")),
        "companies": list(Company.objects.order_by("pk").values_list(*COMPANY_FIELDS)),
        "roles": list(Role.objects.order_by("pk").values_list(*ROLE_FIELDS)),
        "role_skills": list(
            RoleSkill.objects.order_by("pk").values_list("skill_id", "kind", "min_level", "weight")
        ),
        "steps": list(
            InterviewStep.objects.order_by("pk").values_list("position", "name", "duration_minutes")
        ),
        "experiences": list(
            Experience.objects.order_by("pk").values_list(
                "candidate__user__email", "employer", "title", "start", "end", "description"
            )
        ),
        "education": list(
            Education.objects.order_by("pk").values_list(
                "candidate__user__email", "school", "degree", "field", "end_year"
            )
        ),
        "demographics": list(
            Demographics.objects.order_by("pk").values_list(
                "candidate__user__email", "sex", "race_ethnicity"
            )
        ),
    }


def _generate_and_snapshot(seed: int) -> dict[str, list[tuple]]:
    """Generate into an empty database, read everything back, then roll it all back."""
    with transaction.atomic():
        demo_generate(seed=seed, now=NOW, **SMALL)
        snap = _snapshot()
        transaction.set_rollback(True)
    assert not User.objects.exists()
    return snap


@pytest.fixture
def demo(db):
    return demo_generate(seed=3, now=NOW, **SMALL)


def test_same_seed_produces_identical_rows_in_fresh_databases(db):
    first, second = _generate_and_snapshot(11), _generate_and_snapshot(11)
    assert first == second
    assert len(first["profiles"]) == SMALL["candidates"]


def test_different_seeds_produce_different_marketplaces(db):
    a, b = _generate_and_snapshot(1), _generate_and_snapshot(2)
    assert a["profiles"] != b["profiles"]
    assert a["roles"] != b["roles"]
    assert a["companies"] != b["companies"]


def test_more_roles_leave_candidates_and_companies_unchanged(db):
    """Each kind of row has its own random stream."""

    def run(roles: int) -> dict[str, list[tuple]]:
        with transaction.atomic():
            demo_generate(seed=5, now=NOW, candidates=15, companies=6, roles=roles)
            snap = _snapshot()
            transaction.set_rollback(True)
        return snap

    few, many = run(5), run(25)
    assert few["profiles"] == many["profiles"]
    assert few["companies"] == many["companies"]
    assert few["roles"] == many["roles"][:5]


def test_counts_are_exactly_the_sizes_asked_for(demo):
    assert CandidateProfile.objects.count() == SMALL["candidates"]
    assert Company.objects.count() == SMALL["companies"]
    assert Role.objects.count() == SMALL["roles"]
    # candidates + company members + the partner
    members = User.objects.filter(persona=User.Persona.COMPANY).count()
    assert User.objects.count() == SMALL["candidates"] + members + 1
    assert demo["candidates"] == SMALL["candidates"]
    assert demo["company_members"] == members
    assert demo["candidate_skills"] == CandidateSkill.objects.count()
    assert demo["role_skills"] == RoleSkill.objects.count()
    # Work history, education and voluntary demographics for the candidates.
    assert demo["experiences"] == Experience.objects.count() >= SMALL["candidates"]
    assert demo["education"] == Education.objects.count() >= SMALL["candidates"]
    assert demo["demographics"] == Demographics.objects.count()
    assert 0.6 * SMALL["candidates"] <= demo["demographics"] < SMALL["candidates"]


def test_work_history_adds_up_to_the_profiles_years_and_the_latest_job_is_current(demo):
    for profile in CandidateProfile.objects.prefetch_related("experiences")[:20]:
        jobs = list(profile.experiences.all())  # newest first
        assert jobs[0].end is None and all(j.end is not None for j in jobs[1:])
        years = (NOW.date() - jobs[-1].start).days / 365.25
        assert abs(years - float(profile.years_experience)) < 0.2, profile.pk


@pytest.mark.parametrize("ratio", [1.5, 1.25, 1.05])
def test_every_pay_band_is_within_the_configured_ratio(db, settings, ratio):
    settings.MATCHDAY_MAX_BAND_RATIO = ratio
    demo_generate(seed=9, now=NOW, candidates=0, companies=10, roles=60)
    for min_, max_, currency in Role.objects.values_list("pay_min", "pay_max", "pay_currency"):
        assert 0 < min_ <= max_ <= min_ * ratio
        assert currency in settings.MATCHDAY_CURRENCY_RATES_TO_USD


def test_a_second_seed_adds_to_the_database_without_duplicating_demo_logins(demo):
    demo_generate(seed=4, now=NOW, **SMALL)
    assert CandidateProfile.objects.count() == 2 * SMALL["candidates"]
    assert Company.objects.count() == 2 * SMALL["companies"]
    for email in DEMO_LOGINS.values():
        assert User.objects.filter(email=email).count() == 1
    assert Company.objects.values("website").distinct().count() == Company.objects.count()


def test_the_same_seed_twice_is_refused(demo):
    with pytest.raises(RuntimeError, match="seed 3 already exist"):
        demo_generate(seed=3, now=NOW, **SMALL)


@pytest.mark.parametrize(
    ("value", "down", "expected"),
    [
        (185_432, False, 185_000),
        (4_216_000, False, 4_220_000),
        (118.6, False, 119),
        (1_499, True, 1_490),
        (0.4, False, 1),
    ],
)
def test_nice_round_keeps_three_significant_figures(value, down, expected):
    assert nice_round(value, down=down) == expected


@given(st.floats(min_value=10, max_value=1e9, allow_nan=False))
def test_rounding_down_never_rounds_up_and_stays_within_one_percent(value):
    rounded = nice_round(value, down=True)
    assert rounded <= value
    assert rounded >= value * 0.99


@pytest.mark.parametrize(
    ("period", "expected"), [("year", 132_000), ("month", 11_000), ("day", 810), ("hour", 101.25)]
)
def test_pay_for_period_converts_a_yearly_salary(period, expected):
    assert pay_for_period(132_000, period) == pytest.approx(expected)
