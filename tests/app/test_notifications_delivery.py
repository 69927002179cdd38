"""Email is delivered by a background task after commit, retried with backoff, never lost,
and failures are shown to partners with a re-send button."""

from __future__ import annotations

import select
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from matchday.audits.models import AuditEntry
from matchday.notifications import services
from matchday.notifications.models import Message
from matchday.notifications.services import message_deliver, message_queue
from tests.followup_factories import company_member_of, released_intro
from tests.workers import run_worker_here

pytestmark = pytest.mark.django_db

BROKEN = {"default": {"BACKEND": "tests.app.test_notifications_delivery.BrokenBackend"}}
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_db_worker():
    """A ``db_worker --batch`` on the database task backend, in this process."""
    with override_settings(TASKS=DB_TASKS):
        run_worker_here(verbosity=0)


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP down")


def queue(user, about="matchdays.matchday:1", kind=Message.Kind.DIGEST):
    return message_queue(recipient=user, kind=kind, about=about, subject="Hi", body="Body")[0]


def test_a_queued_message_is_sent_by_the_task_after_commit(
    candidate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue(candidate)
    assert (message.status, mail.outbox) == ("pending", [])
    with override_settings(TASKS=DB_TASKS):
        callbacks[0]()
    [task] = DBTaskResult.objects.all()
    assert (task.task_path, task.args_kwargs["args"]) == (
        "matchday.notifications.tasks.deliver_message",
        [message.pk],
    )
    assert mail.outbox == []  # nothing sent until a worker runs the task
    run_db_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.send_count) == ("sent", 1, 1)
    assert [m.to for m in mail.outbox] == [[candidate.email]]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<matchday.message.{message.pk}.")


def test_a_failure_is_recorded_and_retried_later_with_backoff(candidate):
    message = queue(candidate)
    now = timezone.now()
    with override_settings(MAILERS=BROKEN):
        message_deliver(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error, message.send_count) == (
        "pending",
        1,
        "ConnectionRefusedError: SMTP down",
        0,
    )
    assert message.next_attempt_at == now + timedelta(seconds=60)
    # Not due yet: a second task (or the tick) does nothing.
    assert message_deliver(message_id=message.pk, now=now + timedelta(seconds=30)) is None
    with override_settings(MAILERS=BROKEN):
        message_deliver(message_id=message.pk, now=now + timedelta(seconds=60))
    message.refresh_from_db()
    assert message.next_attempt_at == now + timedelta(seconds=60 + 120)
    message_deliver(message_id=message.pk, now=now + timedelta(seconds=180))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error, len(mail.outbox)) == (
        "sent",
        3,
        "",
        1,
    )


def test_the_retry_is_a_deferred_task_on_the_database_queue(candidate):
    message = queue(candidate)
    now = timezone.now()
    with override_settings(MAILERS=BROKEN, TASKS=DB_TASKS):
        message_deliver(message_id=message.pk, now=now)
    [retry] = DBTaskResult.objects.all()
    assert (retry.args_kwargs["args"], retry.run_after) == (
        [message.pk],
        now + timedelta(minutes=1),
    )


def test_backoff_doubles_up_to_the_cap(settings):
    settings.MATCHDAY_MAIL_RETRY_BASE_SECONDS = 60
    settings.MATCHDAY_MAIL_RETRY_MAX_SECONDS = 3600
    delays = [services.retry_delay(n).total_seconds() / 60 for n in range(1, 9)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60]


def test_after_the_last_attempt_the_message_is_failed(candidate, settings):
    settings.MATCHDAY_MAIL_MAX_ATTEMPTS = 2
    message = queue(candidate)
    now = timezone.now()
    with override_settings(MAILERS=BROKEN):
        message_deliver(message_id=message.pk, now=now)
        message_deliver(message_id=message.pk, now=now + timedelta(hours=1))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("failed", 2, None)
    assert message_deliver(message_id=message.pk, now=now + timedelta(days=1)) is None
    assert services.messages_requeue_due(now=now + timedelta(days=1)) == 0


def test_a_message_being_sent_is_not_claimed_twice_until_its_lease_is_over(candidate, settings):
    settings.MATCHDAY_MAIL_LEASE_SECONDS = 600
    message = queue(candidate)
    claimed_at = timezone.now() - timedelta(minutes=15)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=claimed_at)
    # A worker claimed it and died (SIGKILL) before recording anything.
    assert services._claim(message.pk, claimed_at) == 1
    five_later = claimed_at + timedelta(minutes=5)
    assert message_deliver(message_id=message.pk, now=five_later) is None
    assert services.messages_requeue_due(now=five_later) == 0
    assert mail.outbox == []
    # Past the lease, the tick enqueues it again (the immediate test backend runs it now).
    assert services.messages_requeue_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == ("sent", 2, 1)
    assert services.messages_requeue_due(now=timezone.now() + timedelta(days=1)) == 0
    assert message_deliver(message_id=message.pk, now=timezone.now() + timedelta(days=1)) is None
    assert len(mail.outbox) == 1


def test_a_message_whose_task_was_lost_is_enqueued_by_the_tick(candidate):
    # Stored, but the transaction's on-commit enqueue never ran (queue down, crash).
    message = queue(candidate)
    assert mail.outbox == []
    assert services.messages_requeue_due(now=timezone.now()) == 0  # not overdue yet
    from matchday.followup.tasks import run_tick

    result = run_tick(now=timezone.now() + timedelta(minutes=2))
    assert result["mail_requeued"] == 1
    message.refresh_from_db()
    assert (message.status, len(mail.outbox)) == ("sent", 1)


def test_requeueing_is_bounded_per_tick(candidate, monkeypatch):
    monkeypatch.setattr(services, "REQUEUE_BATCH", 3)
    for n in range(5):
        queue(candidate, about=f"x:{n}")
    assert services.messages_requeue_due(now=timezone.now() + timedelta(minutes=2)) == 3
    assert Message.objects.filter(status="sent").count() == 3


# --- an SMTP server that accepts and never answers -----------------------------------------


class SilentSMTP:
    """A TCP server that accepts connections and never says a word (no SMTP greeting)."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.05)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            self._accept()

    def _accept(self) -> None:
        with self.lock:
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                return
            self.held.append(conn)

    def connections(self) -> int:
        """How many connections were made so far (the listen queue taken in first)."""
        while select.select([self.server], [], [], 0)[0]:
            self._accept()
        with self.lock:
            return len(self.held)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for conn in self.held:
            conn.close()
        self.server.close()


@pytest.fixture
def silent_smtp():
    server = SilentSMTP()
    yield server
    server.close()


SMTP_TIMEOUT = 1


def test_accepting_an_intro_returns_at_once_while_smtp_hangs_then_mail_is_retried(
    client, silent_smtp, django_capture_on_commit_callbacks
):
    intro = released_intro()
    company_member_of(intro)
    Message.objects.all().delete()
    smtp = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": silent_smtp.port, "timeout": SMTP_TIMEOUT},
        }
    }
    client.force_login(intro.candidate.user)
    with override_settings(MAILERS=smtp, TASKS=DB_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("followup:intro_accept", args=[intro.pk]))
        assert response.status_code == 302
        # The request never waited for the mail server: it did not even connect to it.
        assert silent_smtp.connections() == 0
        messages = list(Message.objects.order_by("pk"))
        assert messages and {m.status for m in messages} == {"pending"}
        assert DBTaskResult.objects.count() == len(messages)

        # The worker tries each, and gives up on the silent server after the timeout (else it
        # would wait for ever: the server never answers). The bound leaves room for a loaded
        # machine; the timeout's work is the return at all and the TimeoutErrors below.
        started = time.perf_counter()
        run_db_worker()
        assert time.perf_counter() - started < len(messages) * (SMTP_TIMEOUT + 10)
        assert silent_smtp.connections() == len(messages)
    for m in messages:
        m.refresh_from_db()
        assert (m.status, m.attempts, m.sent_at) == ("pending", 1, None)
        assert m.last_error.startswith(("TimeoutError", "SMTPServerDisconnected")), m.last_error
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == len(messages)
    assert all(r.run_after > timezone.now() for r in retries)
    # A minute later (moved forward here) the mail server answers (the test outbox): the
    # deferred tasks deliver.
    retries.update(run_after=timezone.now())
    Message.objects.update(next_attempt_at=timezone.now())
    run_db_worker()
    for m in messages:
        m.refresh_from_db()
        assert (m.status, m.attempts, m.send_count) == ("sent", 2, 1)
    assert sorted(e.to[0] for e in mail.outbox) == sorted(m.to_email for m in messages)


# --- account emails --------------------------------------------------------------------------


def test_account_emails_are_stored_sent_in_the_background_and_their_link_not_kept(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "nobody-here@example.org"}, follow=True
        )
    assert response.status_code == 200
    message = Message.objects.get(to_email="nobody-here@example.org")
    assert (message.kind, message.recipient, message.status) == ("account", None, "sent")
    assert message.body == "" and mail.outbox[0].to == ["nobody-here@example.org"]


def test_partners_never_see_an_account_emails_text(client, partner, candidate):
    message = services.message_queue_email(
        to_email=candidate.email,
        subject="Reset",
        body="https://x/reset/SECRET-KEY/",
        kind=Message.Kind.ACCOUNT,
        recipient=candidate,
    )
    client.force_login(partner)
    html = client.get(reverse("notifications:detail", args=[message.pk])).content.decode()
    assert "SECRET-KEY" not in html and "one-time sign-in link" in html


def test_a_sent_account_email_cannot_be_resent(client, partner, candidate):
    message = services.message_queue_email(
        to_email=candidate.email,
        subject="Reset",
        body="link",
        kind=Message.Kind.ACCOUNT,
        recipient=candidate,
    )
    message_deliver(message_id=message.pk)
    client.force_login(partner)
    response = client.post(reverse("notifications:resend", args=[message.pk]), follow=True)
    assert "one-time link" in response.content.decode()
    assert len(mail.outbox) == 1


# --- the partners' failed-mail page ----------------------------------------------------------


def test_partner_sees_failed_and_stuck_mail_and_resends_it(
    client, partner, candidate, settings, django_capture_on_commit_callbacks
):
    settings.MATCHDAY_MAIL_MAX_ATTEMPTS = 1
    failed, fine, stuck = (queue(candidate, about=f"m:{n}") for n in range(3))
    with override_settings(MAILERS=BROKEN):
        message_deliver(message_id=failed.pk)
    message_deliver(message_id=fine.pk)
    Message.objects.filter(pk=stuck.pk).update(
        status="sending", claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    client.force_login(partner)
    html = client.get(reverse("notifications:failed")).content.decode()
    assert f'id="message-{failed.pk}"' in html and "ConnectionRefusedError: SMTP down" in html
    assert f'id="message-{stuck.pk}"' in html and "stuck since" in html
    assert f'id="message-{fine.pk}"' not in html
    assert "2 failed or stuck" in client.get(reverse("notifications:list")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notifications:resend", args=[failed.pk]), {"back": "failed"}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("notifications:failed")
    assert f"Queued to be sent again to {candidate.email}." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.send_count) == ("sent", 1, 1)
    entry = AuditEntry.objects.get(action="message.resend")
    assert (entry.actor, entry.target_id, entry.data) == (
        partner,
        str(failed.pk),
        {"status": "failed", "attempts": 1},
    )


def test_a_message_being_sent_now_cannot_be_resent(client, partner, candidate):
    message = queue(candidate)
    services._claim(message.pk, timezone.now())
    client.force_login(partner)
    response = client.post(reverse("notifications:resend", args=[message.pk]), follow=True)
    assert "being sent right now" in response.content.decode()
    assert not AuditEntry.objects.filter(action="message.resend").exists()


@pytest.mark.parametrize("who", ["candidate", "company_member"])
def test_only_partners_see_the_failed_mail_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("notifications:failed")).status_code == 403
