"""Every email Matchday sends: stored first (once per recipient, kind and subject matter),
delivered through Django's mail framework after the transaction commits, re-sendable."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.core.permissions import ensure_partner
from matchday.notifications.models import Message

logger = logging.getLogger(__name__)

ABOUT_REQUIRED = "A stored message needs an 'about' key so it is sent only once."


def about_key(obj, *suffix: object) -> str:
    """``"matchdays.intro:12"`` (plus ``":"``-joined parts): what a message is about."""
    return ":".join([obj._meta.label_lower, str(obj.pk), *(str(s) for s in suffix)])[:100]


def message_queue(
    *, recipient, kind: str, about: str, subject: str, body: str
) -> tuple[Message, bool]:
    """Store a message and deliver it once the surrounding transaction commits.

    Idempotent: a second call with the same recipient, kind and ``about`` returns the
    stored message (``created`` is ``False``) and sends nothing.
    """
    if not about:
        raise ValueError(ABOUT_REQUIRED)
    message, created = Message.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        about=about,
        defaults={"to_email": recipient.email, "subject": subject[:200], "body": body},
    )
    if created:
        transaction.on_commit(lambda: message_deliver_by_id(message_id=message.pk), robust=True)
    return message, created


def message_deliver_by_id(*, message_id: int) -> None:
    message = Message.objects.filter(pk=message_id).first()
    if message is not None and message.sent_at is None:
        message_deliver(message=message)


def message_deliver(*, message: Message, now: datetime | None = None) -> Message:
    """Send through ``EMAIL_BACKEND``; a failure is kept in ``last_error``, not raised."""
    try:
        send_mail(
            subject=message.subject,
            message=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[message.to_email],
        )
    except Exception as exc:
        logger.warning("message %s to %s failed: %s", message.pk, message.to_email, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.save(update_fields=["last_error"])
        return message
    message.sent_at = now or timezone.now()
    message.send_count += 1
    message.last_error = ""
    message.save(update_fields=["sent_at", "send_count", "last_error"])
    return message


def message_resend(*, message: Message, by, now: datetime | None = None) -> Message:
    """A talent partner sends a stored message again (for example after a bounce)."""
    ensure_partner(by)
    with transaction.atomic():
        audit_record(
            actor=by, action="message.resend", target=message, subject_user=message.recipient,
            now=now,
        )  # fmt: skip
    return message_deliver(message=message, now=now)
