"""Free text is bounded on every path, by the model field it is stored in: the services
refuse more (pages, API and tasks all go through them), nothing oversized reaches a row or
the append-only audit log; names and titles stay on one line (a CR/LF in a company name
broke every later e-mail); out-of-range integers in paths, query strings and forms give a
4xx, never a 500."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.audits.services import audit_record
from matchday.companies import services as company_services
from matchday.companies.models import Company
from matchday.core.fields import clean_value, fit
from matchday.followup import services as followup
from matchday.followup.models import PipelineStep
from matchday.matchdays import services
from matchday.matchdays.models import Interest, MatchDay, Proposal
from matchday.notifications.models import Message
from matchday.notifications.services import message_queue
from matchday.talent import services as talent_services
from matchday.talent.models import Achievement, CandidateProfile
from tests import factories
from tests.followup_factories import company_member_of, released_intro
from tests.market import (
    BEFORE_DEADLINE,
    build_market,
    create_matchday,
    run_curation,
)

pytestmark = pytest.mark.django_db


def too_long(limit: int) -> str:
    return f"Ensure this value has at most {limit} characters (it has {limit + 1})."


@pytest.fixture
def window(django_capture_on_commit_callbacks):
    market = build_market()
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run_curation(market, md, django_capture_on_commit_callbacks)
    services.proposals_bulk_approve(matchday=md, by=market.partner)
    services.matchday_open_interest(matchday=md, by=market.partner, now=BEFORE_DEADLINE)
    return market, md, md.proposals.filter(role=market.role_a1).order_by("pk").first()


# -- the reported paths: interest note and pass reason, through the page -------------------------


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("matchdays:interest", {"offered_salary": "110000", "note": "x" * 2_400_000}),
        ("matchdays:pass", {"reason": "x" * 2_400_000}),
    ],
    ids=["interest-note", "pass-reason"],
)
def test_a_2_4_mb_note_is_refused_and_nothing_is_stored_or_logged(client, window, url_name, data):
    market, _md, p = window
    client.force_login(market.member_a)
    before = AuditEntry.objects.count()
    response = client.post(reverse(url_name, args=[p.pk]), data, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        too_long(2000).replace("2001", "2400000")
    ]
    assert not Interest.objects.filter(proposal=p).exists()
    assert AuditEntry.objects.count() == before


def test_a_note_at_the_limit_is_kept_whole(window):
    market, _md, p = window
    note = "n" * Interest._meta.get_field("note").max_length
    interest = services.interest_express(
        proposal=p, by=market.member_a, offered_salary=110_000, note=note, now=BEFORE_DEADLINE
    )
    assert interest.note == note


# -- every service that stores a reason or a note ----------------------------------------------


def _review(window, reason):
    market, _md, p = window
    Proposal.objects.filter(pk=p.pk).update(status=Proposal.Status.PENDING)
    services.proposal_reject(proposal=p, by=market.partner, reason=reason, now=BEFORE_DEADLINE)


def _stop(window, reason):
    market, md, _p = window
    services.matchday_stop(matchday=md, by=market.partner, reason=reason)


def _pass(window, reason):
    market, _md, p = window
    services.interest_pass(proposal=p, by=market.member_a, reason=reason, now=BEFORE_DEADLINE)


@pytest.mark.parametrize(
    ("act", "model", "field", "key"),
    [
        (_review, Proposal, "review_reason", "reason"),
        (_stop, MatchDay, "stop_reason", "reason"),
        (_pass, Interest, "pass_reason", "reason"),
    ],
    ids=["review", "stop", "pass"],
)
def test_matchday_reasons_are_bounded_by_their_field(window, act, model, field, key):
    limit = model._meta.get_field(field).max_length
    with pytest.raises(ValidationError) as info:
        act(window, "r" * (limit + 1))
    assert info.value.message_dict == {key: [too_long(limit)]}


def test_vetting_reasons_are_bounded(partner):
    profile = factories.CandidateProfileFactory(complete=True, status="submitted")
    with pytest.raises(ValidationError) as info:
        talent_services.candidate_reject(profile=profile, by=partner, reason="r" * 2001)
    assert info.value.message_dict == {"reason": [too_long(2000)]}
    company = factories.CompanyFactory()
    with pytest.raises(ValidationError) as info:
        company_services.company_reject(company=company, by=partner, notes="n" * 2001)
    assert info.value.message_dict == {"notes": [too_long(2000)]}


def test_follow_up_reasons_notes_and_places_are_bounded():
    intro = released_intro()
    candidate = intro.candidate.user
    with pytest.raises(ValidationError) as info:
        followup.intro_decline(intro=intro, by=candidate, reason="r" * 2001)
    assert info.value.message_dict == {"reason": [too_long(2000)]}
    followup.intro_accept(intro=intro, by=candidate)
    member = company_member_of(intro)
    step = intro.steps.filter(status__in=followup.ACTIVE_STEP).first()
    with pytest.raises(ValidationError) as info:
        followup.step_schedule(
            step=step,
            by=member,
            scheduled_at=timezone.now() + timedelta(days=3),
            location="l" * 301,
        )
    assert info.value.message_dict == {"location": [too_long(300)]}
    with pytest.raises(ValidationError) as info:
        followup.step_update(step=step, by=member, notes="n" * 4001)
    assert info.value.message_dict == {"notes": [too_long(4000)]}
    with pytest.raises(ValidationError) as info:
        followup.pipeline_close(intro=intro, by=member, reason="r" * 2001)
    assert info.value.message_dict == {"reason": [too_long(2000)]}


def test_text_fields_enforce_their_max_length_in_full_clean(candidate):
    profile = candidate.candidate_profile
    data = {"title": "t", "problem": "p" * 2001, "result": "r"}
    with pytest.raises(ValidationError) as info:
        talent_services.achievement_save(profile=profile, by=candidate, data=data)
    assert info.value.message_dict == {"problem": [too_long(2000)]}
    assert not Achievement.objects.filter(problem=data["problem"]).exists()


def test_the_audit_log_never_stores_more_than_its_field_holds(partner):
    entry = audit_record(actor=partner, action="test", target=partner, reason="r" * 5000)
    entry.refresh_from_db()
    assert len(entry.reason) == 2000
    assert entry.reason.endswith("…")


def test_control_characters_leave_multi_line_text_and_line_endings_are_normalised():
    assert clean_value(Interest, "note", "Keen\r\nto talk\x07\x1b[31m") == "Keen\nto talk[31m"


# -- names and titles stay on one line -----------------------------------------------------------


def test_a_company_name_with_crlf_is_stored_on_one_line(partner):
    member = factories.CompanyMemberFactory(company__vetted=True)
    company = company_services.company_update(
        company=member.company, by=member, data={"name": "Evil\r\nBcc: all@example.org"}
    )
    company.refresh_from_db()
    assert company.name == "Evil Bcc: all@example.org"


def test_a_name_saved_past_the_forms_is_still_saved_on_one_line():
    role = factories.RoleFactory(title="Staff\nEngineer\r\n")
    role.refresh_from_db()
    assert role.title == "Staff Engineer"


def test_mail_carrying_a_stored_crlf_name_still_sends():
    company = factories.CompanyFactory()
    Company.objects.filter(pk=company.pk).update(name="Evil\r\nCorp")  # as stored before
    company.refresh_from_db()
    user = factories.CandidateProfileFactory().user
    message, _ = message_queue(
        recipient=user,
        kind="intro",
        about="crlf-test",
        subject=f"Intro from {company.name}",
        body="Hello",
    )
    from matchday.notifications.services import message_deliver

    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.subject, message.last_error, message.sent_at is not None) == (
        "Intro from Evil Corp",
        "",
        True,
    )
    assert mail.outbox[-1].subject == "Intro from Evil Corp"


def test_names_stored_before_are_put_on_one_line_by_the_migrations():
    company = factories.CompanyFactory()
    Company.objects.filter(pk=company.pk).update(name="Evil\r\nCorp")
    role = factories.RoleFactory(company=company)
    from matchday.companies.models import Role

    Role.objects.filter(pk=role.pk).update(title="A\tB")
    user = factories.UserFactory()
    type(user).objects.filter(pk=user.pk).update(full_name="Ada\nLovelace")
    message = Message.objects.create(
        recipient=user, to_email=user.email, kind="x", about="y", subject="s", body="b"
    )
    Message.objects.filter(pk=message.pk).update(subject="Hi\r\nthere")
    for module in (
        "matchday.companies.migrations.0004_text_limits",
        "matchday.accounts.migrations.0003_names_on_one_line",
        "matchday.notifications.migrations.0002_names_on_one_line",
    ):
        importlib.import_module(module).names_on_one_line(apps, None)
    company.refresh_from_db(), role.refresh_from_db(), user.refresh_from_db()
    message.refresh_from_db()
    assert (company.name, role.title, user.full_name, message.subject) == (
        "Evil Corp",
        "A B",
        "Ada Lovelace",
        "Hi there",
    )


def test_fit_cuts_system_text_to_its_field():
    assert len(fit(Message, "subject", "x" * 500)) == 200


# -- out-of-range integers ------------------------------------------------------------------------

HUGE = str(2**70)
HUGE_QUERY = {
    name: HUGE
    for name in (
        "page",
        "role",
        "candidate",
        "limit",
        "offset",
        "matchday",
        "company",
        "proposal",
        "target_id",
        "min_score",
        "max_score",
        "expected",
        "id",
    )
}
PARAM_RE = re.compile(r"<(?:\w+:)?\w+>")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif not route.startswith(("admin/", "static/", "media/")):
            yield route


def test_every_url_with_a_huge_id_or_query_integer_answers_4xx_or_a_page_never_500(client):
    """A sweep over the URL conf: every path parameter set to 2**70, every GET with the
    query parameters the pages read set to 2**70, for each persona."""
    routes = sorted(set(_routes(get_resolver().url_patterns)))
    users = [
        factories.PartnerFactory(),
        factories.CandidateProfileFactory(complete=True).user,
        factories.CompanyMemberFactory(company__vetted=True),
    ]
    failures = []
    for user in users:
        client.force_login(user)
        for route in routes:
            path = "/" + PARAM_RE.sub(HUGE, route)
            for method, data in (("get", HUGE_QUERY), ("post", HUGE_QUERY)):
                status = getattr(client, method)(path, data).status_code
                if status >= 500 or (PARAM_RE.search(route) and method == "get" and status == 200):
                    failures.append((user.persona, method, route, status))
    assert failures == []


def test_matchday_caps_beyond_the_model_bound_are_refused_on_the_page_and_in_the_service(
    client, partner
):
    client.force_login(partner)
    soon = timezone.now() + timedelta(days=3)
    times = {"release_at": soon + timedelta(days=1), "interest_deadline": soon}
    response = client.post(
        reverse("matchdays:create"),
        {
            "name": "Big",
            "release_timezone": "UTC",
            "candidate_cap": str(2**40),
            "role_cap": "10",
            "policy": "optimal",
            **{k: v.strftime("%Y-%m-%dT%H:%M") for k, v in times.items()},
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 50." in response.content.decode()
    with pytest.raises(ValidationError) as info:
        services.matchday_create(by=partner, name="Big", candidate_cap=2**40, **times)
    assert info.value.message_dict == {
        "candidate_cap": ["Ensure this value is less than or equal to 50."]
    }
    assert not MatchDay.objects.filter(name="Big").exists()


def test_step_notes_are_bounded_by_the_model_not_a_hand_written_number():
    assert PipelineStep._meta.get_field("notes").max_length == 4000
    with pytest.raises(ValidationError) as info:
        clean_value(PipelineStep, "notes", "n" * 4001)
    assert info.value.message_dict == {"notes": [too_long(4000)]}


def test_a_profile_headline_is_one_line(candidate):
    profile = talent_services.profile_update(
        profile=candidate.candidate_profile, by=candidate, data={"headline": "ML\r\nEngineer"}
    )
    assert CandidateProfile.objects.get(pk=profile.pk).headline == "ML Engineer"
