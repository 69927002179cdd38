"""The in-app inbox and the emails that carry it.

``notify`` is the one way a lifecycle message reaches a person: it stores an inbox entry
(once per person, event and subject matter) and then emails it, unless the person turned
that category off (account and security messages cannot be turned off).

Digest, don't spam: the first email of a category goes out at once; further messages of the
same category to the same person within ``MATCHDAY_EMAIL_DIGEST_MINUTES`` wait, and when the
window has passed ``digests_send`` puts everything waiting for that person into one email.
The periodic tick calls ``digests_send``; a digest is stored (``Message``) before it is sent,
so a crash between the two loses nothing and a second run sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from matchday.core.site import absolute_url
from matchday.notifications import services as mail
from matchday.notifications.models import (
    REQUIRED_CATEGORIES,
    Category,
    EmailPreference,
    InboxItem,
    Message,
)

NOT_A_PATH = "An inbox link must be a path on this site, not {link!r}."
MAX_DIGEST_ITEMS = 50  # one email lists at most this many; the rest go in the next one


def digest_window() -> timedelta:
    return timedelta(minutes=getattr(settings, "MATCHDAY_EMAIL_DIGEST_MINUTES", 15))


def wants_email(user, category: str) -> bool:
    if category in REQUIRED_CATEGORIES:
        return True
    pref = EmailPreference.objects.filter(user=user, category=category).first()
    return pref is None or pref.email


def _check_link(link: str) -> str:
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(NOT_A_PATH.format(link=link))
    return link


def email_body(*, body: str, link: str) -> str:
    """The email's text: the message, the page to act on, where to change email settings."""
    parts = [body.rstrip()]
    if link:
        parts += ["", absolute_url(link)]
    parts += ["", "—", "Your inbox and email settings: " + absolute_url(reverse("inbox:list"))]
    return "\n".join(parts)


def notify(
    *,
    recipient,
    event: str,
    category: str,
    about: str,
    subject: str,
    body: str,
    link: str = "",
    kind: str = Message.Kind.OTHER,
    now: datetime | None = None,
) -> tuple[InboxItem, bool]:
    """Put a message in ``recipient``'s inbox and email it (now, in a digest, or not at all,
    as above). Idempotent per recipient, event and ``about``: a second call returns the
    stored entry with ``created`` ``False`` and sends nothing. The stored email is unique per
    recipient, ``kind`` and ``about``, so two events one person gets about the same thing
    need different ``about`` keys."""
    if not about:
        raise ValueError("A message needs an 'about' key so it is sent only once.")
    now = now or timezone.now()
    # The entry and its email are stored together or not at all: a crash in between must
    # not leave an entry whose email a rerun would never send.
    with transaction.atomic():
        return _notify(
            recipient=recipient,
            event=event,
            category=category,
            about=about,
            subject=subject,
            body=body,
            link=link,
            kind=kind,
            now=now,
        )


def _notify(*, recipient, event, category, about, subject, body, link, kind, now):
    item, created = InboxItem.objects.get_or_create(
        recipient=recipient,
        event=event,
        about=about,
        defaults={
            "category": category,
            "subject": subject[:200],
            "body": body,
            "link": _check_link(link),
            "created_at": now,
        },
    )
    if not created:
        return item, False
    if not recipient.is_active or not wants_email(recipient, category):
        item.email = InboxItem.Email.OFF
    elif category in REQUIRED_CATEGORIES or not _recent_email(item, now):
        item.message, _ = mail.message_queue(
            recipient=recipient,
            kind=kind,
            about=about,
            subject=subject,
            body=email_body(body=body, link=item.link),
        )
        item.email = InboxItem.Email.QUEUED
    else:
        return item, True  # PENDING: the next digest carries it
    item.save(update_fields=["email", "message"])
    return item, True


def _recent_email(item: InboxItem, now: datetime) -> bool:
    """Did this person get (or are they about to get) an email of this category within the
    digest window?"""
    window = digest_window()
    if not window:
        return False
    return (
        InboxItem.objects.filter(recipient=item.recipient_id, category=item.category)
        .exclude(pk=item.pk)
        .filter(email__in=[InboxItem.Email.QUEUED, InboxItem.Email.PENDING])
        .filter(created_at__gt=now - window, created_at__lte=now)
        .exists()
    )


def digests_send(*, now: datetime | None = None) -> int:
    """Email every person whose oldest waiting message has waited a whole window: one
    email with everything waiting (a lone message goes out as itself). Returns how many
    emails were stored."""
    now = now or timezone.now()
    due = (
        InboxItem.objects.filter(
            email=InboxItem.Email.PENDING, created_at__lte=now - digest_window()
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    sent = 0
    for recipient_id in list(due):
        with transaction.atomic():
            items = list(
                InboxItem.objects.select_for_update()
                .filter(recipient_id=recipient_id, email=InboxItem.Email.PENDING)
                .select_related("recipient")
                .order_by("created_at", "pk")[:MAX_DIGEST_ITEMS]
            )
            if not items:
                continue
            message = _digest_message(items)
            InboxItem.objects.filter(pk__in=[i.pk for i in items]).update(
                email=InboxItem.Email.QUEUED, message=message
            )
            sent += 1
    return sent


def _digest_message(items: list[InboxItem]) -> Message:
    user = items[0].recipient
    if len(items) == 1:
        [item] = items
        subject, body = item.subject, email_body(body=item.body, link=item.link)
        kind = Message.Kind.UPDATES
    else:
        subject = f"{len(items)} updates from Matchday"
        sections = []
        for item in items:
            section = f"## {item.subject}\n\n{item.body.rstrip()}"
            if item.link:
                section += "\n" + absolute_url(item.link)
            sections.append(section)
        body = email_body(
            body=f"Hello {user.get_short_name()},\n\n" + "\n\n".join(sections), link=""
        )
        kind = Message.Kind.UPDATES
    message, _ = mail.message_queue(
        recipient=user,
        kind=kind,
        about=f"inbox:{items[0].pk}-{items[-1].pk}",
        subject=subject,
        body=body,
    )
    return message


# --- the person's own inbox ----------------------------------------------------------------


def inbox_for(user):
    """The person's own inbox (nobody else's)."""
    return InboxItem.objects.filter(recipient=user)


def unread_count(user) -> int:
    return InboxItem.objects.filter(recipient=user, read_at__isnull=True).count()


def item_mark_read(*, item: InboxItem, by, now: datetime | None = None) -> InboxItem:
    if item.recipient_id != getattr(by, "pk", None):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("This message is not yours.")
    if item.read_at is None:
        item.read_at = now or timezone.now()
        item.save(update_fields=["read_at"])
    return item


def inbox_mark_all_read(*, by, now: datetime | None = None) -> int:
    return InboxItem.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def preferences_for(user) -> list[tuple[str, str, bool, bool]]:
    """(category, label, emailed, required) for every category, in order."""
    off = set(
        EmailPreference.objects.filter(user=user, email=False).values_list("category", flat=True)
    )
    return [
        (
            value,
            label,
            value in REQUIRED_CATEGORIES or value not in off,
            value in REQUIRED_CATEGORIES,
        )
        for value, label in Category.choices
    ]


@transaction.atomic
def preferences_save(*, by, emailed: set[str]) -> None:
    """Email the optional categories in ``emailed``, not the others (required ones stay on)."""
    for value, _label in Category.choices:
        if value in REQUIRED_CATEGORIES:
            continue
        EmailPreference.objects.update_or_create(
            user=by, category=value, defaults={"email": value in emailed}
        )
