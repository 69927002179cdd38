"""Email delivery in the background (see ``notifications.services`` for the send API)."""

from __future__ import annotations

from django.tasks import task

from matchday.notifications import services


@task
def deliver_message(message_id: int) -> str:
    """One delivery attempt for a stored message; safe to run twice or after a crash.
    Returns the message's status afterwards, or ``"skipped"`` when there was nothing to do
    (already sent, failed, not due yet, or claimed by another worker)."""
    message = services.message_deliver(message_id=message_id)
    return message.status if message is not None else "skipped"
