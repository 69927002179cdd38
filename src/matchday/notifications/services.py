"""Every email Matchday sends: stored first, then delivered by a background task.

The send API (the only way the product sends email):

* :func:`message_queue` — a product message about something (idempotent per recipient,
  kind and ``about``). Call it inside the transaction that made the change.
* :func:`message_queue_email` — an email with no idempotency key (account emails from
  django-allauth go through ``notifications.account_mail.AccountAdapter``).

Both store a :class:`Message` row and, once the surrounding transaction commits, enqueue
``notifications.tasks.deliver_message``. The request never talks to the mail server.

The task runs :func:`message_deliver`: it claims the row (``pending`` -> ``sending``, one
worker only, with a lease), sends through ``MAILERS["default"]`` (SMTP with a timeout in
production), and records the outcome. A failure goes back to ``pending`` with an
exponential backoff and a deferred task (``run_after``); after
``MATCHDAY_MAIL_MAX_ATTEMPTS`` it is ``failed`` and shown on the partners' failed-mail page.
A worker killed mid-send leaves the row ``sending``; once its lease is over,
:func:`messages_requeue_due` (run by every tick) enqueues it again. A message is sent twice
only if the worker dies after the mail server accepted it and before the row was marked.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.core.fields import fit
from matchday.core.permissions import ensure_partner
from matchday.notifications.models import Message

logger = logging.getLogger(__name__)

ABOUT_REQUIRED = "A stored message needs an 'about' key so it is sent only once."
RESEND_SECRET_GONE = (
    "This account email held a one-time link and its text was removed once it was sent; "
    "ask the person to request a new one."
)
RESEND_BUSY = "This message is being sent right now; try again in a few minutes."
# At most this many overdue messages are enqueued again per tick (bounded work).
REQUEUE_BATCH = 500

Status = Message.Status


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("MATCHDAY_MAIL_MAX_ATTEMPTS", 8)


def lease() -> timedelta:
    """How long a worker owns a message it is sending; past it, the send counts as stuck."""
    return timedelta(seconds=_setting("MATCHDAY_MAIL_LEASE_SECONDS", 600))


def retry_delay(attempt: int) -> timedelta:
    """Backoff after failed attempt ``attempt`` (1-based): base, 2 x base, 4 x base, ...
    capped. With the defaults (60 s, cap 1 h): 1, 2, 4, 8, 16, 32, 60 minutes."""
    base = _setting("MATCHDAY_MAIL_RETRY_BASE_SECONDS", 60)
    cap = _setting("MATCHDAY_MAIL_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** (attempt - 1)))


def about_key(obj, *suffix: object) -> str:
    """``"followup.intro:12"`` (plus ``":"``-joined parts): what a message is about."""
    return ":".join([obj._meta.label_lower, str(obj.pk), *(str(s) for s in suffix)])[:100]


# --- queueing -------------------------------------------------------------------------------


def message_queue(
    *, recipient, kind: str, about: str, subject: str, body: str
) -> tuple[Message, bool]:
    """Store a message and deliver it in the background once the surrounding transaction
    commits.

    Idempotent: a second call with the same recipient, kind and ``about`` returns the
    stored message (``created`` is ``False``) and sends nothing.
    """
    if not about:
        raise ValueError(ABOUT_REQUIRED)
    message, created = Message.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        about=about,
        defaults={
            "to_email": recipient.email,
            "subject": fit(Message, "subject", subject),
            "body": body,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _enqueue_on_commit(message.pk)
    return message, created


def message_queue_email(
    *, to_email: str, subject: str, body: str, html_body: str = "", kind: str, recipient=None
) -> Message:
    """Store an email with no idempotency key and deliver it in the background on commit."""
    message = Message.objects.create(
        recipient=recipient,
        to_email=to_email,
        kind=kind,
        subject=fit(Message, "subject", subject),
        body=body,
        html_body=html_body,
        next_attempt_at=timezone.now(),
    )
    _enqueue_on_commit(message.pk)
    return message


def _enqueue_on_commit(message_id: int) -> None:
    transaction.on_commit(lambda: message_enqueue(message_id=message_id), robust=True)


def message_enqueue(*, message_id: int, run_after: datetime | None = None) -> None:
    """Enqueue ``deliver_message``; never raises (a message whose task could not be enqueued
    stays ``pending`` and the next tick enqueues it)."""
    from matchday.notifications.tasks import deliver_message

    try:
        if run_after is None:
            deliver_message.enqueue(message_id)
        elif deliver_message.get_backend().supports_defer:
            deliver_message.using(run_after=run_after).enqueue(message_id)
        # else: a backend that cannot defer (tests' immediate backend): the tick retries.
    except Exception:
        logger.exception("could not enqueue delivery of message %s", message_id)


# --- delivery -------------------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    due = Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stuck = Q(status=Status.SENDING, claimed_at__lt=now - lease())
    return due | stuck


def _claim(message_id: int, now: datetime) -> int | None:
    """Take the message for this worker: the attempt number, or ``None`` when it is sent,
    failed, not due yet or being sent by another worker (compare-and-set on ``attempts``,
    so two workers never both claim it)."""
    row = Message.objects.filter(_claimable(now), pk=message_id).values("attempts").first()
    if row is None:
        return None
    attempt = row["attempts"] + 1
    claimed = Message.objects.filter(
        _claimable(now), pk=message_id, attempts=row["attempts"]
    ).update(status=Status.SENDING, attempts=attempt, claimed_at=now, last_attempt_at=now)
    return attempt if claimed == 1 else None


def _message_id_header(message: Message) -> str:
    """The same Message-ID on every attempt, so a receiving server can tell a repeat."""
    host = urlparse(settings.MATCHDAY_SITE_URL).hostname or "matchday.invalid"
    return f"<matchday.message.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{host}>"


def _send(message: Message) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": _message_id_header(message)},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    email.send()  # MAILERS["default"]


def message_deliver(*, message_id: int, now: datetime | None = None) -> Message | None:
    """One delivery attempt (what ``deliver_message`` runs); safe to run any number of
    times. ``None`` when there was nothing to do (sent, failed, not due, or another worker
    holds it); otherwise the message as stored after the attempt. Never raises for a
    mail-server error: it is recorded in ``last_error`` and retried later."""
    now = now or timezone.now()
    attempt = _claim(message_id, now)
    if attempt is None:
        return None
    message = Message.objects.get(pk=message_id)
    try:
        _send(message)
    except Exception as exc:
        _record_failure(message, attempt, exc, now)
    else:
        _record_sent(message, attempt)
    message.refresh_from_db()
    return message


def _record_sent(message: Message, attempt: int) -> None:
    fields = dict(
        status=Status.SENT,
        sent_at=timezone.now(),
        send_count=F("send_count") + 1,
        last_error="",
        claimed_at=None,
        next_attempt_at=None,
    )
    if message.holds_secret:
        fields.update(body="", html_body="")  # the one-time link is not kept
    Message.objects.filter(pk=message.pk).update(**fields)


def _record_failure(message: Message, attempt: int, exc: Exception, now: datetime) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning(
        "message %s to %s failed (attempt %s): %s", message.pk, message.to_email, attempt, error
    )
    final = attempt >= max_attempts()
    next_at = None if final else now + retry_delay(attempt)
    updated = Message.objects.filter(pk=message.pk, status=Status.SENDING, attempts=attempt).update(
        status=Status.FAILED if final else Status.PENDING,
        last_error=error,
        claimed_at=None,
        next_attempt_at=next_at,
    )
    if updated and next_at is not None:
        message_enqueue(message_id=message.pk, run_after=next_at)


def messages_requeue_due(*, now: datetime | None = None) -> int:
    """Enqueue delivery again for messages whose task was lost: ``pending`` past their time
    by more than a minute (the queue was down, a backend that cannot defer) and ``sending``
    past the lease (the worker died mid-send). Run by every tick; at most
    ``REQUEUE_BATCH`` per run. Enqueuing a message twice is harmless (one claim wins)."""
    now = now or timezone.now()
    overdue = Q(status=Status.PENDING, next_attempt_at__lte=now - timedelta(minutes=1)) | Q(
        status=Status.PENDING, next_attempt_at__isnull=True
    )
    stuck = Q(status=Status.SENDING, claimed_at__lt=now - lease())
    ids = list(
        Message.objects.filter(overdue | stuck)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for pk in ids:
        message_enqueue(message_id=pk)
    return len(ids)


# --- the partners' side ---------------------------------------------------------------------


def needs_attention(now: datetime | None = None) -> Q:
    """Failed, retrying after an error, overdue, or stuck in ``sending`` past the lease."""
    now = now or timezone.now()
    return (
        Q(status=Status.FAILED)
        | Q(status=Status.PENDING, attempts__gt=0)
        | Q(status=Status.PENDING, next_attempt_at__lte=now - timedelta(minutes=5))
        | Q(status=Status.SENDING, claimed_at__lt=now - lease())
    )


def message_is_stuck(message: Message, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return message.status == Status.SENDING and (
        message.claimed_at is None or message.claimed_at < now - lease()
    )


def message_resend(*, message: Message, by, now: datetime | None = None) -> Message:
    """A talent partner sends a stored message again (after a failure or a bounce): audited,
    back to ``pending`` with a fresh set of attempts, delivered in the background."""
    ensure_partner(by)
    now = now or timezone.now()
    message.refresh_from_db()
    if message.status == Status.SENDING and not message_is_stuck(message, now):
        raise ValidationError(RESEND_BUSY)
    if message.holds_secret and not message.body:
        raise ValidationError(RESEND_SECRET_GONE)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="message.resend",
            target=message,
            subject_user=message.recipient,
            data={"status": message.status, "attempts": message.attempts},
            now=now,
        )
        Message.objects.filter(pk=message.pk).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
        )
        _enqueue_on_commit(message.pk)
    message.refresh_from_db()
    return message
