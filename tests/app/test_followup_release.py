from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.followup import services, tasks
from matchday.followup.models import Intro
from matchday.matchdays.models import MatchDay, Proposal
from matchday.notifications.models import Message
from matchday.notifications.services import message_resend
from tests import factories
from tests.followup_factories import (
    RELEASE_AT,
    InterestFactory,
    MatchDayFactory,
    ProposalFactory,
    interested_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def md():
    return MatchDayFactory()


def test_release_creates_one_intro_per_approved_interested_proposal(md):
    wanted = interested_proposal(matchday=md, offered_salary=120000)
    passed = ProposalFactory(matchday=md)
    InterestFactory(proposal=passed, decision="passed", offered_salary=None, pass_reason="No.")
    ProposalFactory(matchday=md, status=Proposal.Status.PENDING)  # never reviewed
    ProposalFactory(matchday=md)  # approved, but the company never answered

    intros = services.matchday_release(matchday=md, now=RELEASE_AT)

    assert [(i.proposal_id, i.offered_salary, i.released_at) for i in intros] == [
        (wanted.pk, 120000, RELEASE_AT)
    ]
    md.refresh_from_db()
    assert (md.status, md.released_at) == (MatchDay.Status.RELEASED, RELEASE_AT)


def test_running_release_twice_creates_nothing_twice(md, django_capture_on_commit_callbacks):
    interested_proposal(matchday=md)
    interested_proposal(matchday=md)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.matchday_release(matchday=md, now=RELEASE_AT)
        second = services.matchday_release(matchday=md, now=RELEASE_AT + timedelta(hours=1))
    assert (len(first), second) == (2, [])
    assert Intro.objects.count() == 2
    assert Message.objects.filter(kind=Message.Kind.DIGEST).count() == 2
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="matchday.release").count() == 1


def test_release_is_one_transaction_nothing_persists_when_it_fails(md, monkeypatch):
    interested_proposal(matchday=md)
    interested_proposal(matchday=md)
    real = services.audit_record
    calls = []

    def failing_audit(**kwargs):
        calls.append(kwargs["action"])
        if calls.count("intro.release") == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", failing_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        services.matchday_release(matchday=md, now=RELEASE_AT)
    md.refresh_from_db()
    assert (Intro.objects.count(), md.status, md.released_at) == (0, "interest", None)
    assert not AuditEntry.objects.filter(action__in=["matchday.release", "intro.release"]).exists()
    assert not Message.objects.exists()


def test_release_refuses_a_stopped_matchday(md):
    interested_proposal(matchday=md)
    MatchDay.objects.filter(pk=md.pk).update(stopped_at=RELEASE_AT - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        services.matchday_release(matchday=md, now=RELEASE_AT)
    assert exc.value.messages == [services.RELEASE_STOPPED]
    assert not Intro.objects.exists()


def test_release_refuses_before_its_release_time(md):
    interested_proposal(matchday=md)
    with pytest.raises(ValidationError) as exc:
        services.matchday_release(matchday=md, now=RELEASE_AT - timedelta(seconds=1))
    assert exc.value.messages == [
        "This Match Day releases at Mon 2 Mar 2026, 09:00 UTC; it is not time yet. "
        "To release now, confirm releasing early."
    ]


def test_release_refuses_a_matchday_still_curating():
    md = MatchDayFactory(status=MatchDay.Status.CURATING)
    with pytest.raises(ValidationError) as exc:
        services.matchday_release(matchday=md, now=RELEASE_AT)
    assert exc.value.messages == ["A Match Day in the phase “Curation running” cannot be released."]


def test_release_skips_a_company_the_candidate_hid_after_review(md):
    kept = interested_proposal(matchday=md)
    hidden = interested_proposal(matchday=md)
    hidden.candidate.hidden_companies.add(hidden.role.company)
    intros = services.matchday_release(matchday=md, now=RELEASE_AT)
    assert [i.proposal_id for i in intros] == [kept.pk]
    entry = AuditEntry.objects.get(action="matchday.release")
    assert entry.data == {
        "intros": 1,
        "skipped_hidden": 1,
        "early": False,
        "scheduled_release_at": RELEASE_AT.isoformat(),
    }
    assert entry.actor_label == "system"


def test_release_by_a_company_member_is_forbidden(md, company_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.matchday_release(matchday=md, now=RELEASE_AT, by=company_member)


def test_digest_lists_every_intro_of_the_candidate_and_is_emailed_once(
    md, django_capture_on_commit_callbacks
):
    first = interested_proposal(matchday=md, offered_salary=120000)
    role2 = factories.RoleFactory(open=True, title="Staff Infra Engineer")
    interested_proposal(matchday=md, candidate=first.candidate, role=role2, offered_salary=125000)
    with django_capture_on_commit_callbacks(execute=True):
        services.matchday_release(matchday=md, now=RELEASE_AT)
    message = Message.objects.get(kind=Message.Kind.DIGEST)
    assert message.recipient == first.candidate.user
    assert message.about == f"matchdays.matchday:{md.pk}"
    assert message.subject == f"{md.name}: 2 introductions for you"
    assert (
        f"- Senior ML Engineer at {first.role.company.name}: offered 120,000 EUR per year "
        "(band 100,000–130,000 EUR)"
    ) in message.body
    assert f"- Staff Infra Engineer at {role2.company.name}: offered 125,000 EUR" in message.body
    assert "http://127.0.0.1:8000/me/matchday/" in message.body
    assert [m.to for m in mail.outbox] == [[first.candidate.user.email]]
    assert mail.outbox[0].body == message.body
    message.refresh_from_db()
    assert message.send_count == 1 and message.sent_at is not None


def test_partner_resends_a_stored_digest(md, partner, django_capture_on_commit_callbacks):
    interested_proposal(matchday=md)
    with django_capture_on_commit_callbacks(execute=True):
        services.matchday_release(matchday=md, now=RELEASE_AT)
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        message_resend(message=message, by=partner)
    message.refresh_from_db()
    assert message.send_count == 2
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == message.subject
    assert AuditEntry.objects.filter(action="message.resend", actor=partner).count() == 1


def test_release_due_task_releases_only_due_unstopped_matchdays():
    due = MatchDayFactory()
    interested_proposal(matchday=due)
    future = MatchDayFactory(release_at=RELEASE_AT + timedelta(days=7))
    interested_proposal(matchday=future)
    stopped = MatchDayFactory(stopped_at=RELEASE_AT - timedelta(days=1))
    interested_proposal(matchday=stopped)

    result = tasks.release_due_matchdays.enqueue(now_iso=RELEASE_AT.isoformat())

    assert result.return_value == {str(due.pk): 1}
    assert list(Intro.objects.values_list("matchday_id", flat=True)) == [due.pk]


def test_tick_command_releases_and_reports(md):
    interested_proposal(matchday=md)
    out = StringIO()
    call_command("matchday_tick", now=RELEASE_AT.isoformat(), stdout=out)
    assert out.getvalue() == (
        "Released 1 Match Day(s) with 1 intro(s); 0 reminder(s), 0 escalation(s); "
        "0 offer(s) about to expire, 0 expired.\n"
        "Lifecycle: 0 interest-deadline message(s), 0 intro reminder(s), 0 intro(s) expired, "
        "0 digest email(s).\n"
    )
    call_command("matchday_tick", now=RELEASE_AT.isoformat(), stdout=out)
    assert Intro.objects.count() == 1


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
    MATCHDAY_TICK_SECONDS=120,
)
def test_tick_task_reschedules_itself_one_interval_later():
    from django.tasks import default_task_backend

    before = timezone.now()
    tasks.tick.call()
    [queued] = default_task_backend.results
    assert queued.task.name == "tick"
    assert before + timedelta(seconds=120) <= queued.task.run_after
    assert queued.task.run_after <= timezone.now() + timedelta(seconds=120)
