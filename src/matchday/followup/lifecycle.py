"""The periodic tick's lifecycle messages: nobody is left waiting in silence.

- Companies that have not decided on every candidate of an open interest window hear 48 and
  24 hours before the deadline (each once; inside 24 hours only the 24-hour one).
- A candidate who has not answered an intro is reminded after 2 and 4 business days; after 5
  the intro expires and both sides are told.

Every function is safe to run any number of times (state on the rows, messages once per
person and event); the tick calls them with its ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.followup.models import Intro
from matchday.followup.responsiveness import add_business_days
from matchday.matchdays.models import MatchDay, Proposal
from matchday.notifications import messages

DEADLINE_REMINDER_HOURS = (48, 24)


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "MATCHDAY_INTRO_REMINDER_BUSINESS_DAYS", (2, 4)))


def expiry_days() -> int:
    return getattr(settings, "MATCHDAY_INTRO_EXPIRY_BUSINESS_DAYS", 5)


def intro_expires_at(intro: Intro) -> datetime:
    return add_business_days(intro.released_at, expiry_days())


def interest_deadline_reminders(*, now: datetime | None = None) -> int:
    """Members of companies with undecided candidates, 48 h and 24 h before the deadline.
    Returns how many messages were new."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=max(DEADLINE_REMINDER_HOURS))
    new = 0
    open_windows = MatchDay.objects.filter(
        status=MatchDay.Status.INTEREST,
        stopped_at=None,
        interest_deadline__gt=now,
        interest_deadline__lte=horizon,
    ).order_by("pk")
    for md in open_windows:
        left = md.interest_deadline - now
        hours = min(h for h in DEADLINE_REMINDER_HOURS if left <= timedelta(hours=h))
        undecided = (
            Proposal.objects.filter(matchday=md, status=Proposal.Status.APPROVED, interest=None)
            .values("role__company")
            .annotate(n=Count("pk"))
            .order_by("role__company")
        )
        from matchday.companies.models import Company

        companies = Company.objects.in_bulk([row["role__company"] for row in undecided])
        for row in undecided:
            new += messages.interest_deadline_near(
                md, company=companies[row["role__company"]], undecided=row["n"], hours=hours
            )
    return new


@dataclass(frozen=True)
class IntroRun:
    reminded: int
    expired: int


def intro_reminders(*, now: datetime | None = None) -> IntroRun:
    """Remind candidates of unanswered intros and expire the ones past their time."""
    now = now or timezone.now()
    days = reminder_days()
    first = min(days) if days else expiry_days()
    # No intro younger than ``first`` calendar days can be due (business days are longer).
    candidates = Intro.objects.filter(
        status=Intro.Status.RELEASED, released_at__lte=now - timedelta(days=first)
    ).values_list("pk", flat=True)
    reminded = expired = 0
    for pk in list(candidates.order_by("released_at", "pk")):
        with transaction.atomic():
            intro = (
                Intro.objects.select_for_update(of=("self",))
                .select_related("candidate__user", "role__company", "matchday")
                .get(pk=pk)
            )
            if intro.status != Intro.Status.RELEASED:
                continue  # answered since the query
            if now >= intro_expires_at(intro):
                _expire(intro, now)
                expired += 1
                continue
            due = sum(1 for d in days if now >= add_business_days(intro.released_at, d))
            if due > intro.reminders_sent:
                messages.intro_reminder(intro, number=due, expires_at=intro_expires_at(intro))
                intro.reminders_sent = due
                intro.save(update_fields=["reminders_sent"])
                reminded += 1
    return IntroRun(reminded=reminded, expired=expired)


def _expire(intro: Intro, now: datetime) -> None:
    intro.status = Intro.Status.EXPIRED
    intro.decided_at = now
    intro.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=None,
        action="intro.expire",
        target=intro,
        subject_user=intro.candidate.user,
        now=now,
        data={"released_at": intro.released_at.isoformat(), "reminders_sent": intro.reminders_sent},
    )
    messages.intro_expired(intro)
