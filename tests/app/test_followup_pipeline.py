"""The follow-up pipeline: screen → interviews → offer → hire, or closed; withdrawal; invites."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from matchday.followup import services
from matchday.followup.ics import step_invite
from matchday.followup.models import PipelineStep, ResponseRecord
from matchday.notifications.models import Message
from tests import factories
from tests.followup_factories import RELEASE_AT, released_intro

pytestmark = pytest.mark.django_db
ACCEPTED_AT = RELEASE_AT + timedelta(hours=1)  # Monday 10:00 UTC
SLOT = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # Wednesday 14:00 UTC


@pytest.fixture
def role():
    role = factories.RoleFactory(open=True)
    factories.InterviewStepFactory(role=role, name="System design", duration_minutes=90)
    return role


@pytest.fixture
def member(role):
    return factories.CompanyMemberFactory(company=role.company, full_name="Hana Hiring")


@pytest.fixture
def intro(role, member):
    intro = released_intro(role=role)
    services.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    intro.refresh_from_db()
    return intro


def current(intro):
    return intro.steps.filter(status__in=["open", "scheduled"]).get()


def test_full_pipeline_screen_interview_offer_hire(intro, member):
    now = ACCEPTED_AT
    kinds = []
    for _ in range(4):
        step = current(intro)
        kinds.append((step.kind, step.name))
        now += timedelta(days=1)
        if step.kind == "offer":  # made by the company, accepted by the candidate
            offer = services.offer_make(
                step=step,
                by=member,
                amount=120000,
                start_date=date(2026, 5, 1),
                expires_at=now + timedelta(days=5),
                now=now,
            )
            services.offer_accept(offer=offer, by=intro.candidate.user, now=now)
        else:
            services.step_complete(step=step, by=member, now=now)
    intro.refresh_from_db()
    assert kinds == [
        ("screen", "Screen"),
        ("interview", "System design"),
        ("offer", "Offer"),
        ("hired", "Hire"),
    ]
    assert intro.status == "hired"
    assert list(intro.steps.values_list("status", flat=True)) == ["done"] * 4
    assert ResponseRecord.objects.filter(intro=intro, responded_at__isnull=True).count() == 0
    subjects = list(
        Message.objects.filter(recipient=intro.candidate.user, kind="other")
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    company = intro.role.company.name
    assert subjects == [
        f"Senior ML Engineer at {company}: next step, system design",
        f"Senior ML Engineer at {company}: next step, offer",
        f"Offer from {company}: Senior ML Engineer",
        f"Welcome to {company}",
    ]


def test_scheduling_answers_the_step_and_moves_the_deadline_after_the_interview(intro, member):
    step = current(intro)
    answered = ACCEPTED_AT + timedelta(hours=5)
    services.step_schedule(
        step=step,
        by=member,
        scheduled_at=SLOT,
        duration_minutes=45,
        location="https://meet.example.org/abc",
        now=answered,
    )
    step.refresh_from_db()
    assert (step.status, step.scheduled_at, step.duration_minutes) == ("scheduled", SLOT, 45)
    # Wednesday 14:45 + 5 business days = next Wednesday 14:45.
    assert step.due_at == SLOT + timedelta(days=7, minutes=45)
    record = ResponseRecord.objects.get(step=step)
    assert (record.responded_at, record.due_at) == (answered, ACCEPTED_AT + timedelta(days=7))
    message = Message.objects.get(recipient=intro.candidate.user, kind="other")
    # in the candidate's own zone (their profile says Europe/Berlin), named
    assert message.subject == (
        f"Screen with {intro.role.company.name} scheduled: Wed 4 Mar 2026, 15:00 Europe/Berlin"
    )


def test_offer_and_hire_steps_cannot_be_scheduled(intro, member):
    services.step_complete(step=current(intro), by=member, now=ACCEPTED_AT)
    services.step_complete(step=current(intro), by=member, now=ACCEPTED_AT)
    with pytest.raises(ValidationError) as exc:
        services.step_schedule(step=current(intro), by=member, scheduled_at=SLOT)
    assert exc.value.messages == [
        "Only screens and interviews are scheduled; record the offer instead."
    ]


def test_closing_needs_a_reason_and_cancels_the_open_step(intro, member):
    with pytest.raises(ValidationError) as exc:
        services.pipeline_close(intro=intro, by=member, reason="  ")
    assert exc.value.messages == [services.CLOSE_NEEDS_REASON]
    services.pipeline_close(intro=intro, by=member, reason="Role filled internally.")
    intro.refresh_from_db()
    assert (intro.status, intro.close_reason) == ("closed", "Role filled internally.")
    assert list(intro.steps.values_list("status", "close_reason")) == [
        ("cancelled", "Role filled internally.")
    ]
    assert ResponseRecord.objects.get(intro=intro).responded_at is not None
    body = Message.objects.get(recipient=intro.candidate.user, kind="other").body
    assert "Their reason: Role filled internally." in body


def test_a_closed_pipeline_cannot_advance(intro, member):
    step = current(intro)
    services.pipeline_close(intro=intro, by=member, reason="Filled.")
    with pytest.raises(ValidationError) as exc:
        services.step_complete(step=step, by=member)
    assert exc.value.messages == ["Only an accepted intro has a pipeline (this one is closed)."]


def test_withdrawing_cancels_open_steps_and_tells_the_company(intro, member):
    services.intro_withdraw(
        intro=intro,
        by=intro.candidate.user,
        reason="Took another offer.",
        now=ACCEPTED_AT + timedelta(days=1),
    )
    intro.refresh_from_db()
    assert intro.status == "withdrawn"
    assert list(intro.steps.values_list("status", flat=True)) == ["cancelled"]
    # The company owed nothing on a step cancelled before its deadline.
    assert not ResponseRecord.objects.filter(intro=intro).exists()
    message = Message.objects.get(recipient=member, about__endswith=":withdrawn")
    assert message.subject == f"{intro.candidate.user.full_name} withdrew from Senior ML Engineer"
    assert "Their reason: Took another offer.\n" in message.body


def test_withdrawing_keeps_a_deadline_the_company_had_already_missed(intro):
    services.intro_withdraw(
        intro=intro, by=intro.candidate.user, now=ACCEPTED_AT + timedelta(days=10)
    )
    record = ResponseRecord.objects.get(intro=intro)
    assert record.responded_at is None


def test_another_company_cannot_touch_the_pipeline(intro):
    stranger = factories.CompanyMemberFactory(company__vetted=True)
    with pytest.raises(PermissionDenied):
        services.step_complete(step=current(intro), by=stranger)
    with pytest.raises(PermissionDenied):
        services.pipeline_close(intro=intro, by=stranger, reason="x")


def test_owner_must_belong_to_the_company(intro, member):
    outsider = factories.CompanyMemberFactory(company__vetted=True)
    with pytest.raises(ValidationError) as exc:
        services.step_update(step=current(intro), by=member, owner=outsider)
    assert exc.value.message_dict == {
        "owner": [f"The owner must be a member of {intro.role.company.name}."]
    }


def test_invite_is_a_valid_utc_vevent_with_a_stable_uid(intro, member):
    step = current(intro)
    services.step_schedule(
        step=step, by=member, scheduled_at=SLOT, duration_minutes=45, location="Room 4"
    )
    step.refresh_from_db()
    raw = step_invite(step)
    first = Calendar.from_ical(raw)
    services.step_schedule(step=step, by=member, scheduled_at=SLOT + timedelta(days=1))
    step.refresh_from_db()
    second = Calendar.from_ical(step_invite(step))
    [event] = first.walk("VEVENT")
    [moved] = second.walk("VEVENT")
    assert first["VERSION"] == "2.0" and first["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"matchday-step-{step.pk}@127.0.0.1" == str(moved["UID"])
    assert event.decoded("DTSTART") == SLOT and event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == SLOT + timedelta(minutes=45)
    assert moved.decoded("DTSTART") == SLOT + timedelta(days=1)
    assert str(event["ORGANIZER"]) == f"mailto:{member.email}"
    attendees = [str(a) for a in event["ATTENDEE"]]
    assert f"mailto:{intro.candidate.user.email}" in attendees
    assert str(event["LOCATION"]) == "Room 4"
    assert b"BEGIN:VCALENDAR" in raw and b"DTSTART:20260304T140000Z" in raw


def test_candidate_and_company_download_the_invite_others_cannot(client, intro, member):
    step = current(intro)
    services.step_schedule(step=step, by=member, scheduled_at=SLOT)
    for user, name, start in (
        (intro.candidate.user, "candidate_invite", b"DTSTART;TZID=Europe/Berlin:20260304T150000"),
        (member, "company_invite", b"DTSTART:20260304T140000Z"),  # the member's zone is UTC
    ):
        client.force_login(user)
        response = client.get(reverse(f"followup:{name}", args=[step.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert start in response.content
    client.force_login(factories.CandidateProfileFactory(active=True).user)
    assert client.get(reverse("followup:candidate_invite", args=[step.pk])).status_code == 404
    client.force_login(factories.CompanyMemberFactory(company__vetted=True))
    assert client.get(reverse("followup:company_invite", args=[step.pk])).status_code == 404


def test_company_schedules_through_the_page(client, intro, member):
    step = current(intro)
    client.force_login(member)
    response = client.post(
        reverse("followup:step_schedule", args=[step.pk]),
        {"scheduled_at": "2026-03-04T14:00", "duration_minutes": "30", "location": "Video"},
        follow=True,
    )
    assert "Screen scheduled; the candidate has been told." in response.content.decode()
    step.refresh_from_db()
    assert (step.status, step.scheduled_at) == ("scheduled", SLOT)


def test_candidate_sees_the_status_of_every_step(client, intro, member):
    services.step_schedule(step=current(intro), by=member, scheduled_at=SLOT)
    client.force_login(intro.candidate.user)
    html = client.get(reverse("followup:my_matchday")).content.decode()
    assert "Screen —" in html and "on Wed 4 Mar 2026, 15:00 Europe/Berlin" in html
    assert "Download calendar invite" in html
    assert "System design —\n      ahead" in html


def test_pipeline_step_kinds_match_the_model():
    assert {PipelineStep.Kind.SCREEN, PipelineStep.Kind.INTERVIEW} == services.SCHEDULABLE
