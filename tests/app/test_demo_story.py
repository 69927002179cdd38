"""The demo tells the whole story: Match Days in every phase, intros in every pipeline
stage, work history, education and voluntary demographics, messages — so that each demo
login lands on pages full of content, and the fairness report has numbers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from matchday.accounts.models import User
from matchday.demo.logins import DEMO_LOGINS
from matchday.followup.models import Intro, PipelineStep
from matchday.matchdays.models import MatchDay
from matchday.notifications.models import Message
from matchday.talent.models import CandidateProfile, Demographics

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """``manage.py demo_seed`` at a reduced size, once for the module (rolled back after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command(
            "demo_seed", "--candidates", "160", "--companies", "20", "--roles", "60", stdout=out
        )
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return {persona: User.objects.get(email=email) for persona, email in DEMO_LOGINS.items()}


def test_three_match_days_one_finished_one_in_its_window_one_upcoming(demo, seeded):
    now = timezone.now()
    finished, window, upcoming = MatchDay.objects.order_by("release_at")
    assert finished.status == MatchDay.Status.RELEASED and finished.release_at < now
    assert window.status == MatchDay.Status.INTEREST
    assert window.interest_deadline > now > window.proposals.first().reviewed_at
    assert upcoming.status == MatchDay.Status.DRAFT and upcoming.release_at > now
    assert "Demo story:" in seeded


def test_the_finished_match_day_has_intros_in_every_stage(demo):
    finished = MatchDay.objects.order_by("release_at").first()
    statuses = set(finished.intros.values_list("status", flat=True))
    # released, accepted, declined, withdrawn, closed, hired; an intro expires only after days
    # without an answer (the tick, tests/app/test_lifecycle_messages.py), not in the demo.
    assert statuses == set(Intro.Status.values) - {Intro.Status.EXPIRED}
    steps = PipelineStep.objects.filter(intro__matchday=finished)
    for kind, status in [
        ("screen", "scheduled"),
        ("screen", "done"),
        ("interview", "scheduled"),
        ("interview", "done"),
        ("offer", "open"),
        ("hired", "done"),
        ("interview", "cancelled"),
    ]:
        assert steps.filter(kind=kind, status=status).exists(), (kind, status)
    assert steps.filter(escalated_at__isnull=False).exists()
    assert Message.objects.filter(kind=Message.Kind.REMINDER).exists()
    assert Message.objects.filter(kind=Message.Kind.ESCALATION, recipient=demo["partner"]).exists()
    # Rejections and passes carry their reasons.
    assert finished.proposals.filter(status="rejected").exclude(review_reason="").exists()
    assert finished.proposals.filter(interest__decision="passed").exists()


def test_companies_have_decided_on_some_candidates_in_the_open_window(demo):
    window = MatchDay.objects.get(status=MatchDay.Status.INTEREST)
    approved = window.proposals.filter(status="approved", role__company=demo["company"].company)
    decided = approved.filter(interest__isnull=False).count()
    assert 0 < decided < approved.count()


def test_most_candidates_have_demographics_and_all_have_work_history_and_education(demo):
    candidates = CandidateProfile.objects.count()
    assert Demographics.objects.count() >= 0.7 * candidates
    assert not CandidateProfile.objects.filter(experiences__isnull=True).exists()
    assert not CandidateProfile.objects.filter(education__isnull=True).exists()


def test_story_messages_are_dated_when_they_happened(demo):
    finished = MatchDay.objects.order_by("release_at").first()
    digest = Message.objects.filter(kind=Message.Kind.DIGEST).order_by("created_at").first()
    assert abs(digest.created_at - finished.release_at).total_seconds() < 60
    assert digest.status == Message.Status.SENT and digest.sent_at == digest.created_at


def _content(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_the_candidate_login_lands_on_full_pages(client, demo):
    user = demo["candidate"]
    page = _content(client, user, "followup:my_matchday")
    assert "No intros yet" not in page
    intro = Intro.objects.filter(candidate__user=user, status="accepted").first()
    assert intro is not None and intro.role.company.name in page
    profile = _content(client, user, "talent:profile")
    assert "No jobs yet." not in profile and "No education yet." not in profile
    assert user.candidate_profile.experiences.first().employer in profile
    assert Message.objects.filter(recipient=user).count() >= 2


def test_the_company_login_lands_on_full_pages(client, demo):
    user = demo["company"]
    pipeline = _content(client, user, "followup:pipeline")
    assert "No intros yet." not in pipeline
    assert pipeline.count("<tr") > 5
    shortlists = _content(client, user, "matchdays:shortlists")
    assert "No shortlist yet" not in shortlists
    assert Message.objects.filter(recipient=user).exists()


def test_the_partner_login_lands_on_full_pages_and_a_report_with_numbers(client, demo):
    user = demo["partner"]
    assert "No Match Day yet." not in _content(client, user, "matchdays:list")
    oversight = _content(client, user, "followup:oversight")
    assert "No intro matches." not in oversight
    finished = MatchDay.objects.order_by("release_at").first()
    report = _content(client, user, "followup:report", finished.pk)
    assert "No one with a known category." not in report
    assert "Female" in report and "Male" in report
    assert '<mark class="small-sample">fewer than 10 people</mark>' in report  # counts shown


@pytest.mark.parametrize("persona", ["candidate", "company", "partner"])
def test_every_demo_login_has_messages_in_its_inbox(client, demo, persona):
    from matchday.notifications.models import InboxItem

    user = demo[persona]
    items = InboxItem.objects.filter(recipient=user)
    assert items.exists(), persona
    page = _content(client, user, "inbox:list")
    assert "No messages yet." not in page
    newest = items.order_by("-created_at", "-pk").first()
    assert escape(newest.subject) in page
