"""The default-size demo marketplace (generated once for this module) is valid and believable."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from matchday.accounts.models import User
from matchday.companies.models import Company, Role, RoleSkill
from matchday.core.choices import Level
from matchday.demo import catalog
from matchday.demo.generate import accepted_levels, demo_generate, pay_for_period
from matchday.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from matchday.talent.models import CandidateProfile, CandidateSkill
from matchday.taxonomy.models import Skill

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def marketplace(django_db_setup, django_db_blocker):
    """The default sizes (300 candidates, 40 companies, 120 roles), rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = demo_generate(seed=4, now=NOW)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def demo(marketplace, db):
    return marketplace


def test_every_company_has_one_to_four_members(demo):
    for company in Company.objects.all():
        assert 1 <= company.members.count() <= 4, company


def test_pay_uses_several_currencies_and_periods(demo):
    currencies = set(CandidateProfile.objects.values_list("min_pay_currency", flat=True))
    assert {"USD", "EUR", "GBP", "CHF", "CAD", "SGD", "INR"} <= currencies
    assert currencies <= set(settings.MATCHDAY_CURRENCY_RATES_TO_USD)
    periods = set(CandidateProfile.objects.values_list("min_pay_period", flat=True))
    assert {"year", "month"} <= periods
    assert len(set(Role.objects.values_list("pay_currency", flat=True))) >= 5
    countries = set(CandidateProfile.objects.values_list("country", flat=True))
    continents = {p.continent for p in catalog.PLACES if p.country in countries}
    assert len(continents) >= 5


def test_skill_levels_are_1_to_5_and_every_skill_id_exists(demo):
    known = set(Skill.objects.filter(retired=False).values_list("id", flat=True))
    used = set(CandidateSkill.objects.values_list("skill_id", flat=True))
    used |= set(RoleSkill.objects.values_list("skill_id", flat=True))
    assert used <= known
    levels = set(CandidateSkill.objects.values_list("level", flat=True))
    levels |= set(RoleSkill.objects.values_list("min_level", flat=True))
    assert levels <= {1, 2, 3, 4, 5}


def test_roles_of_unvetted_companies_are_drafts_and_only_vetted_companies_have_open_roles(demo):
    unvetted = Role.objects.exclude(company__vetting_status=Company.VettingStatus.VETTED)
    assert unvetted.exists()
    assert set(unvetted.values_list("status", flat=True)) == {Role.Status.DRAFT}
    assert Role.objects.filter(status=Role.Status.OPEN).exists()
    opened = Role.objects.exclude(status=Role.Status.DRAFT)
    assert not opened.filter(published_at__isnull=True).exists()


def test_roles_are_open_to_neighbouring_levels_as_real_postings_are(demo):
    """Only levels next to the role's own; many senior roles also take staff people."""
    order = list(Level.values)
    rows = list(Role.objects.values_list("level", "accepted_levels", "description"))
    for level, accepted, description in rows:
        assert accepted == [v for v in order if v in accepted] and level not in accepted
        assert all(abs(order.index(v) - order.index(level)) == 1 for v in accepted)
        if accepted:
            assert description.endswith(f" We would also hire at {' or '.join(accepted)} level.")
    senior = [accepted for level, accepted, _ in rows if level == "senior"]
    assert 0.3 <= sum("staff" in a for a in senior) / len(senior) <= 0.6
    assert 0.25 <= sum(bool(a) for _, a, _ in rows) / len(rows) <= 0.6
    assert any(a for level, a, _ in rows if level == "mid")


def test_accepted_levels_draw_once_per_chance_so_the_stream_stays_aligned():
    rng = random.Random(7)
    drawn = [accepted_levels(rng, "senior") for _ in range(3)]
    again = random.Random(7)
    for expected in drawn:
        assert accepted_levels(again, "senior") == expected
    spent = random.Random(7)
    for _ in range(3 * len(catalog.ACCEPTED_LEVEL_CHANCE["senior"])):
        spent.random()
    assert spent.random() == rng.random()


def test_statuses_are_mixed_and_rejections_carry_reasons(demo):
    statuses = set(CandidateProfile.objects.values_list("status", flat=True))
    assert statuses == set(CandidateProfile.Status.values)
    assert CandidateProfile.objects.filter(status="active").count() > 150
    assert not CandidateProfile.objects.filter(status="rejected", vetting_reason="").exists()
    vetting = set(Company.objects.values_list("vetting_status", flat=True))
    assert vetting == set(Company.VettingStatus.values)
    assert not Company.objects.filter(vetting_status="rejected", vetting_notes="").exists()


def test_candidate_skills_match_their_role_type_and_years_match_their_level(demo):
    for profile in CandidateProfile.objects.prefetch_related("skills"):
        role_type = profile.role_types[0]
        core = set(catalog.ROLE_PROFILES[role_type].core)
        skills = {s.skill_id for s in profile.skills.all()}
        assert len(skills & core) >= 2, (role_type, skills)
        low, high = catalog.LEVEL_YEARS[profile.level]
        assert Decimal(str(low)) <= profile.years_experience <= Decimal(str(high))
        assert all(s.years <= profile.years_experience for s in profile.skills.all())


def test_role_requirements_come_from_the_role_type(demo):
    for role in Role.objects.prefetch_related("skills"):
        prof = catalog.ROLE_PROFILES[role.role_type]
        required = [s for s in role.skills.all() if s.kind == RoleSkill.Kind.REQUIRED]
        assert 3 <= len(required) <= 6
        assert {s.skill_id for s in required} <= set(prof.core) | set(prof.common)
        assert role.years_max is None or role.years_max >= role.years_min
        assert role.title.split()[0] in {"Junior", "Senior", "Staff", "Principal"} | {
            t.split()[0] for t in prof.titles
        }


@pytest.mark.parametrize(
    ("role_type", "expected"),
    [
        ("infra-sre", {"kubernetes", "terraform"}),
        ("llm-engineer", {"large-language-models", "rag"}),
        ("data-engineer", {"python", "sql"}),
    ],
)
def test_people_of_a_role_type_have_its_signature_skills(demo, role_type, expected):
    people = CandidateProfile.objects.filter(role_types__0=role_type)
    assert people.count() >= 5
    for profile in people:
        assert expected <= set(profile.skills.values_list("skill_id", flat=True))


def test_achievements_have_every_part_and_a_measured_result(demo):
    for profile in CandidateProfile.objects.prefetch_related("achievements"):
        stories = list(profile.achievements.all())
        assert 2 <= len(stories) <= 3
        for story in stories:
            assert all([story.problem, story.constraints, story.options, story.decision])
            assert re.search(r"\d", story.result), story.result
            assert "{" not in story.text


def test_demo_logins_exist_with_the_right_personas(demo):
    candidate = User.objects.get(email=DEMO_LOGINS["candidate"])
    profile = candidate.candidate_profile
    assert profile.status == CandidateProfile.Status.ACTIVE
    assert profile.skills.count() >= 3 and profile.achievements.count() >= 2
    assert profile.min_pay_amount and profile.level and profile.role_types

    member = User.objects.get(email=DEMO_LOGINS["company"])
    assert member.persona == User.Persona.COMPANY
    assert member.company.is_vetted
    assert member.company.roles.filter(status=Role.Status.OPEN).count() >= 3

    partner = User.objects.get(email=DEMO_LOGINS["partner"])
    assert partner.persona == User.Persona.PARTNER and partner.is_staff


@pytest.mark.parametrize("persona", sorted(DEMO_LOGINS))
def test_each_demo_login_can_sign_in_through_the_login_page(demo, client, persona):
    from matchday.demo.logins import DEMO_TOTP_SECRET, totp_now

    response = client.post(
        reverse("accounts:login"), {"login": DEMO_LOGINS[persona], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    if persona in ("company", "partner"):  # they must use two factors: the demo app's code
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        response = client.post(response["Location"], {"code": totp_now(DEMO_TOTP_SECRET)})
        assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=DEMO_LOGINS[persona]).pk)


def test_generated_users_share_one_password_hash(demo):
    hashes = set(
        User.objects.exclude(persona=User.Persona.PARTNER).values_list("password", flat=True)
    )
    assert len(hashes) == 1
    user = User.objects.filter(persona=User.Persona.CANDIDATE).last()
    assert user.check_password(DEMO_PASSWORD)


def test_pay_matches_the_place_and_the_level(demo):
    """Minimum pay and office roles' bands follow the city's anchor salary, the level and the
    period; minimum pay spreads up to 30% above the anchor (some people ask for more than a
    local band pays)."""
    by_city = {p.city: p for p in catalog.PLACES}

    def expected(city: str, level: str, period: str) -> float:
        place = by_city[city]
        return pay_for_period(place.senior_pay * catalog.LEVEL_PAY_FACTOR[level], period)

    for city, level, period, currency, amount in CandidateProfile.objects.values_list(
        "city", "level", "min_pay_period", "min_pay_currency", "min_pay_amount"
    ):
        assert currency == by_city[city].currency
        assert 0.79 <= amount / expected(city, level, period) <= 1.31, (city, level, amount)
    located = Role.objects.exclude(location_policy="remote")
    assert located.count() > 20
    for cities, level, period, currency, pay_min in located.values_list(
        "cities", "level", "pay_period", "pay_currency", "pay_min"
    ):
        assert currency == by_city[cities[0]].currency
        assert 0.8 <= pay_min / expected(cities[0], level, period) <= 1.02, (cities, level)


def _codes(value) -> list[str]:
    """A multiple CountryField read with ``values_list`` is a comma-separated string."""
    return [c for c in (value.split(",") if isinstance(value, str) else value or []) if c]


def test_remote_roles_reach_one_country_a_region_or_anywhere_and_global_ones_pay_in_usd(demo):
    remote = [
        (_codes(countries), zones, currency)
        for countries, zones, currency in Role.objects.filter(location_policy="remote").values_list(
            "allowed_countries", "allowed_timezones", "pay_currency"
        )
    ]
    assert len(remote) > 40
    reach = {min(len(countries), 2) for countries, _, _ in remote}
    assert reach == {0, 1, 2}  # anywhere, one country, several
    zones_of = {}
    for place in catalog.PLACES:
        zones_of.setdefault(place.country, set()).add(place.timezone)
    for countries, zones, currency in remote:
        if not countries:
            assert zones == [] and currency == "USD"
        else:
            assert set(zones) == set().union(*(zones_of[c] for c in countries))


def test_office_roles_list_their_headquarters_first_and_office_countries(demo):
    by_city = {p.city: p for p in catalog.PLACES}
    located = Role.objects.exclude(location_policy="remote")
    assert located.filter(cities__1__isnull=False).exists()  # some have a second office
    for cities, countries in located.values_list("cities", "allowed_countries"):
        assert set(_codes(countries)) == {by_city[c].country for c in cities}
        assert len({catalog.region_of(by_city[c]) for c in cities}) == 1
