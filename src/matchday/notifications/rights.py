"""The messages' share of a person's data rights: what their export lists, and erasure."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q

from matchday.core.erasure import scrub
from matchday.notifications.models import InboxItem, Message
from matchday.notifications.services import about_key

EXPORTED_FIELDS = ("kind", "subject", "body", "created_at", "sent_at")
INBOX_FIELDS = ("event", "category", "subject", "body", "link", "created_at", "read_at")


def messages_export(user) -> list[dict[str, Any]]:
    return [
        {name: getattr(m, name) for name in EXPORTED_FIELDS}
        for m in Message.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def inbox_export(user) -> list[dict[str, Any]]:
    return [
        {name: getattr(i, name) for name in INBOX_FIELDS}
        for i in InboxItem.objects.filter(recipient=user).order_by("created_at", "pk")
    ]


def messages_erase(
    *, user, email: str, identity: list[tuple[str, str]], about: list[Model] = ()
) -> None:
    """Their own messages and inbox go; other people's messages and inbox entries that name
    them, or are about one of ``about`` (their profile: a partner's "awaits vetting"), lose
    their identity."""
    Message.objects.filter(recipient=user).delete()
    InboxItem.objects.filter(recipient=user).delete()
    # Account emails written to their address before it had an account (or after).
    Message.objects.filter(recipient__isnull=True, to_email__iexact=email).delete()
    naming = Q(subject__contains=email) | Q(body__contains=email)
    scrub(Message.objects.filter(naming | Q(to_email=email)), ["subject", "body"], identity)
    scrub(InboxItem.objects.filter(naming), ["subject", "body"], identity)
    if about:
        messages_scrub_about(list(about), identity)


def messages_scrub_about(objects: list[Model], identity: list[tuple[str, str]]) -> None:
    """Erase ``identity`` from every message about one of ``objects`` (their intros, …)."""
    about = Q(pk__in=[])
    for obj in objects:
        key = about_key(obj)
        about |= Q(about=key) | Q(about__startswith=f"{key}:")
    scrub(Message.objects.filter(about), ["subject", "body"], identity)
    scrub(InboxItem.objects.filter(about), ["subject", "body"], identity)
