"""One bad row never sinks a Match Day: a candidate or role whose stored values the engine
refuses is left out, counted in the run's stats and listed on the partner's page with the
reason; every other row is matched as usual."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from matchday.companies.models import Role
from matchday.matchdays import adapters
from matchday.matchdays.models import CurationRun, MatchDay
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.adapter_data import SUMMER
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db


def _store(model, pk: int, **values) -> None:
    """Write values past every validator, as rows stored before them were."""
    model.objects.filter(pk=pk).update(**values)


def _load():
    return adapters.load_engine_data(MatchDay(release_at=SUMMER, interest_deadline=SUMMER))


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (
            {"preference_weights": {"pay": -1}},
            "preference weight 'pay' must not be negative, got -1.0",
        ),
        (
            {"preference_weights": {"pay": "high"}},
            "preference weight 'pay' must be a number, got 'high'",
        ),
        ({"preference_weights": [1]}, "preference_weights must be an object, got [1]"),
        ({"role_types": 5}, "role_types must be a list, got 5"),
        ({"domains": ["health", 7]}, "domains must hold only text, got 7"),
        ({"dealbreakers": "pay"}, "dealbreakers must be a list, got 'pay'"),
        (
            {"level": "wizard"},
            "level must be one of ('junior', 'mid', 'senior', 'staff', 'principal'), got 'wizard'",
        ),
        (
            {"remote_preference": "moon"},
            "remote_preference must be one of ('remote', 'hybrid', 'onsite'), got 'moon'",
        ),
    ],
)
def test_a_candidate_the_engine_refuses_is_skipped_with_the_reason(values, reason):
    good = factories.CandidateProfileFactory(active=True)
    bad = factories.CandidateProfileFactory(active=True)
    _store(CandidateProfile, bad.pk, **values)
    data = _load()
    assert [c.id for c in data.candidates] == [adapters.candidate_id(good.pk)]
    assert data.skipped == {adapters.SKIP_INVALID: 1}
    assert data.skipped_rows == [adapters.SkippedRow("candidate", bad.pk, reason)]


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"allowed_timezones": 5}, "allowed_timezones must be a list, got 5"),
        ({"cities": [None]}, "cities must hold only text, got None"),
        (
            {"level": "wizard"},
            "level must be one of ('junior', 'mid', 'senior', 'staff', 'principal'), got 'wizard'",
        ),
    ],
)
def test_a_role_the_engine_refuses_is_skipped_with_the_reason(values, reason):
    good = factories.RoleFactory(open=True)
    bad = factories.RoleFactory(open=True, pay_min=100_000, pay_max=120_000, pay_currency="EUR")
    _store(Role, bad.pk, **values)
    data = _load()
    assert [r.id for r in data.roles] == [adapters.role_id(good.pk)]
    [row] = data.skipped_rows
    assert (row.kind, row.pk) == ("role", bad.pk)
    assert row.reason == reason


def test_the_existing_reasons_are_listed_row_by_row_too():
    no_level = factories.CandidateProfileFactory(status="active", level="")
    data = _load()
    assert data.skipped == {adapters.SKIP_NO_LEVEL: 1}
    assert data.skipped_rows == [
        adapters.SkippedRow("candidate", no_level.pk, "no seniority level")
    ]


def test_curation_succeeds_around_bad_rows_and_the_partner_sees_them(
    client, django_capture_on_commit_callbacks
):
    market = build_market()
    weighted, listless = market.people[0].profile, market.people[1].profile
    _store(CandidateProfile, weighted.pk, preference_weights={"pay": -1})
    _store(CandidateProfile, listless.pk, role_types=5)
    _store(Role, market.role_b1.pk, allowed_timezones="Europe/Berlin")
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)

    assert run.status == CurationRun.Status.SUCCEEDED
    assert run.stats["skipped"] == {adapters.SKIP_INVALID: 3}
    assert run.stats["skipped_total"] == 3
    assert run.stats["skipped_rows"] == [
        {
            "kind": "candidate",
            "pk": weighted.pk,
            "reason": "preference weight 'pay' must not be negative, got -1.0",
        },
        {"kind": "candidate", "pk": listless.pk, "reason": "role_types must be a list, got 5"},
        {
            "kind": "role",
            "pk": market.role_b1.pk,
            "reason": "allowed_timezones must be a list, got 'Europe/Berlin'",
        },
    ]
    pairs = set(md.proposals.values_list("candidate_id", "role_id"))
    assert pairs, "the other rows were matched"
    assert not {c for c, _ in pairs} & {weighted.pk, listless.pk}
    assert market.role_b1.pk not in {r for _, r in pairs}

    client.force_login(market.partner)
    html = client.get(reverse("matchdays:detail", args=[md.pk])).content.decode()
    assert "3 left out of this run:" in html
    assert "3 with data the engine cannot take" in html
    candidate_url = reverse("talent:candidate_detail", args=[weighted.pk])
    assert (
        f'<a href="{candidate_url}">Candidate #{weighted.pk}</a>: preference weight '
        "&#x27;pay&#x27; must not be negative, got -1.0" in html
    )
    role_url = reverse("companies:role_detail", args=[market.role_b1.pk])
    assert f'<a href="{role_url}">Role #{market.role_b1.pk}</a>' in html


def test_a_run_lists_a_bounded_number_of_skipped_rows_but_counts_all(monkeypatch):
    monkeypatch.setattr(adapters, "MAX_SKIPPED_LISTED", 2)
    for _ in range(3):
        factories.CandidateProfileFactory(status="active", level="")
    stats = _load().skipped_stats()
    assert (stats["skipped_total"], len(stats["skipped_rows"])) == (3, 2)
    assert stats["skipped"] == {adapters.SKIP_NO_LEVEL: 3}


def test_swapping_in_an_unusable_candidate_names_the_reason():
    from django.core.exceptions import ValidationError

    from matchday.matchdays import services

    role = factories.RoleFactory(open=True)
    bad = factories.CandidateProfileFactory(active=True, years_experience=Decimal("3"))
    _store(CandidateProfile, bad.pk, preference_weights={"domain": -2})
    md = MatchDay(release_at=SUMMER, interest_deadline=SUMMER)
    with pytest.raises(ValidationError) as info:
        services.score_single_pair(matchday=md, candidate=bad, role=role)
    assert info.value.messages == [
        "That candidate's profile cannot be scored yet "
        "(preference weight 'domain' must not be negative, got -2.0)."
    ]
