"""No ghosting: deadlines in business days, reminders, escalation, recorded misses, and the
responsiveness figures candidates see."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from matchday.audits.models import AuditEntry
from matchday.followup import services
from matchday.followup.models import ResponseRecord
from matchday.followup.responsiveness import add_business_days, company_responsiveness
from matchday.notifications.models import Message
from tests import factories
from tests.followup_factories import RELEASE_AT, company_member_of, released_intro
from tests.reminder_times import (
    ACCEPTED_AT,
    DUE,
    ESCALATE,
)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 3, 2, 10, tzinfo=UTC), 5, datetime(2026, 3, 9, 10, tzinfo=UTC)),  # Mon
        (datetime(2026, 3, 6, 10, tzinfo=UTC), 1, datetime(2026, 3, 9, 10, tzinfo=UTC)),  # Fri
        (datetime(2026, 3, 7, 10, tzinfo=UTC), 5, datetime(2026, 3, 13, 10, tzinfo=UTC)),  # Sat
        (datetime(2026, 3, 4, 10, tzinfo=UTC), 0, datetime(2026, 3, 4, 10, tzinfo=UTC)),
        (datetime(2026, 3, 4, 10, tzinfo=UTC), 3, datetime(2026, 3, 9, 10, tzinfo=UTC)),  # Wed
    ],
)
def test_business_days_skip_weekends(start, days, expected):
    assert add_business_days(start, days) == expected


@pytest.fixture
def setup(db):
    intro = released_intro()
    owner = company_member_of(intro, full_name="Olga Owner")
    other_member = company_member_of(intro)
    partners = [factories.PartnerFactory(), factories.PartnerFactory()]
    services.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    step = intro.steps.get()
    assert (step.owner, step.due_at) == (owner, DUE)
    return intro, step, owner, other_member, partners


def kinds():
    return sorted(
        Message.objects.filter(kind__in=["reminder", "escalation"]).values_list(
            "kind", "recipient_id"
        )
    )


def test_nothing_happens_before_the_deadline(setup):
    run = services.send_reminders(now=DUE - timedelta(seconds=1))
    assert (run.reminded, run.escalated, kinds()) == (0, 0, [])


def test_company_missing_its_window_is_reminded_then_escalated_and_the_miss_recorded(setup):
    intro, step, owner, _other_member, partners = setup

    run = services.send_reminders(now=DUE)
    assert (run.reminded, run.escalated) == (1, 0)
    assert kinds() == [("reminder", owner.pk)]
    reminder = Message.objects.get(kind="reminder")
    name = intro.candidate.user.full_name
    assert reminder.subject == f"Overdue: Screen with {name} for Senior ML Engineer"
    assert reminder.body.startswith(
        f"The response window for {name} (Senior ML Engineer) closed on Monday 9 March 2026, "
        "10:00 UTC. Please schedule the screen (or close the process with a reason) now;"
    )
    record = ResponseRecord.objects.get(step=step)
    assert (record.missed, record.responded_at) == (True, None)
    assert (
        AuditEntry.objects.filter(action="step.deadline_missed", target_id=str(step.pk)).count()
        == 1
    )

    assert services.send_reminders(now=ESCALATE - timedelta(seconds=1)).escalated == 0
    run = services.send_reminders(now=ESCALATE)
    assert (run.reminded, run.escalated) == (0, 1)
    assert kinds() == sorted([("reminder", owner.pk)] + [("escalation", p.pk) for p in partners])
    escalation = Message.objects.filter(kind="escalation").first()
    assert escalation.subject == (
        f"Escalation: {intro.role.company.name} has not answered Screen for Senior ML Engineer"
    )
    step.refresh_from_db()
    assert (step.reminded_at, step.escalated_at) == (DUE, ESCALATE)


def test_running_reminders_twice_sends_nothing_twice(setup, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(now=ESCALATE)
        again = services.send_reminders(now=ESCALATE + timedelta(hours=1))
        later = services.send_reminders(now=ESCALATE + timedelta(days=30))
    assert (again.reminded, again.escalated, later.reminded, later.escalated) == (0, 0, 0, 0)
    assert len(kinds()) == 3  # one reminder, two partners escalated
    reminder_and_escalations = [
        m for m in mail.outbox if "Overdue" in m.subject or "Escalation" in m.subject
    ]
    assert len(reminder_and_escalations) == 3


def test_without_an_active_owner_every_member_is_reminded(setup):
    _intro, _step, owner, other_member, _partners = setup
    owner.is_active = False
    owner.save()
    services.send_reminders(now=DUE)
    assert kinds() == [("reminder", other_member.pk)]


def test_answering_in_time_means_no_reminder(setup):
    _intro, step, owner, *_ = setup
    services.step_schedule(
        step=step, by=owner, scheduled_at=DUE + timedelta(days=1), now=DUE - timedelta(hours=1)
    )
    assert services.send_reminders(now=DUE + timedelta(hours=1)).reminded == 0
    record = ResponseRecord.objects.get(step=step)
    assert (record.missed, record.responded_at) == (False, DUE - timedelta(hours=1))


def test_a_scheduled_interview_without_an_outcome_is_reminded_after_its_window(setup):
    _intro, step, owner, *_ = setup
    slot = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # Wednesday
    services.step_schedule(step=step, by=owner, scheduled_at=slot, duration_minutes=60, now=DUE)
    outcome_due = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
    assert services.send_reminders(now=outcome_due - timedelta(minutes=1)).reminded == 0
    assert services.send_reminders(now=outcome_due).reminded == 1
    body = Message.objects.get(kind="reminder").body
    assert "Please record the outcome of the screen held on 4 March 2026 UTC now;" in body


@override_settings(
    MATCHDAY_RESPONSE_WINDOW_BUSINESS_DAYS=2, MATCHDAY_ESCALATION_GRACE_BUSINESS_DAYS=1
)
def test_windows_come_from_settings(db):
    intro = released_intro()
    company_member_of(intro)
    services.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    step = intro.steps.get()
    assert step.due_at == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    assert services.send_reminders(now=datetime(2026, 3, 5, 10, 0, tzinfo=UTC)).escalated == 1


def test_responsiveness_on_a_hand_computed_case(db):
    intro = released_intro()
    company = intro.role.company
    day0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    now = day0 + timedelta(days=20)

    def record(opened_day, responded=None):
        opened = day0 + timedelta(days=opened_day)
        ResponseRecord.objects.create(
            company=company,
            intro=intro,
            opened_at=opened,
            due_at=opened + timedelta(days=7),
            responded_at=None if responded is None else opened + responded,
        )

    record(0, timedelta(hours=2))  # in time, 2 h
    record(1, timedelta(days=8))  # late, 192 h
    record(2)  # never answered, due on day 9: missed
    record(10, timedelta(hours=24))  # in time, 24 h
    record(18)  # not answered, due on day 25: still has time, left out
    record(-80, timedelta(hours=1))  # 100 days before now: outside the 90 days
    other = released_intro()
    ResponseRecord.objects.create(
        company=other.role.company, intro=other, opened_at=day0, due_at=day0, responded_at=None
    )

    r = company_responsiveness(company, now)
    assert (r.due, r.in_time, r.missed, r.answered) == (4, 2, 2, 3)
    assert (r.share_in_time, r.percent_in_time, r.median_response_hours) == (0.5, 50, 24.0)


def test_responsiveness_with_nothing_due_is_unknown_not_perfect(db):
    intro = released_intro()
    r = company_responsiveness(intro.role.company, RELEASE_AT)
    assert (r.due, r.share_in_time, r.median_response_hours) == (0, None, None)
