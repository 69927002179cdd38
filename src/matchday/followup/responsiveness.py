"""Response windows in business days, and each company's responsiveness record.

A company answers a pipeline step when it first acts on it (schedules it, records its
outcome, or closes the pipeline with a reason). Every step it had to answer is one
``ResponseRecord``; the record is *due* once its deadline has passed or it was answered.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from matchday.followup.models import ResponseRecord

ROLLING_DAYS = 90
SATURDAY = 5


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` weekdays (Monday–Friday), same time of day.

    Weekends are skipped; a start on a weekend counts from the following Monday, so five
    business days from Saturday 10:00 is Friday 10:00.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < SATURDAY:
            remaining -= 1
    return current


def response_deadline(start: datetime) -> datetime:
    """When a company must have answered something that opened at ``start``."""
    return add_business_days(start, settings.MATCHDAY_RESPONSE_WINDOW_BUSINESS_DAYS)


def escalation_time(due_at: datetime) -> datetime:
    """When a missed deadline goes to the talent partners."""
    return add_business_days(due_at, settings.MATCHDAY_ESCALATION_GRACE_BUSINESS_DAYS)


@dataclass(frozen=True)
class Responsiveness:
    """A company's record over the rolling window ending at ``as_of``.

    ``due`` counts the steps whose deadline has passed or that were answered; ``in_time``
    those answered by their deadline. ``median_response_hours`` is over answered steps only.
    ``share_in_time`` and the median are ``None`` when there is nothing to measure yet.
    """

    as_of: datetime
    days: int
    due: int
    in_time: int
    missed: int
    answered: int
    median_response_hours: float | None

    @property
    def share_in_time(self) -> float | None:
        return None if self.due == 0 else self.in_time / self.due

    @property
    def percent_in_time(self) -> int | None:
        share = self.share_in_time
        return None if share is None else round(100 * share)


def company_responsiveness(company, now: datetime | None = None) -> Responsiveness:
    """Share of steps answered in time and median response time over the last 90 days.

    Records opened in the 90 days up to ``now`` count; a record not answered and not yet
    due is left out (the company still has time).
    """
    now = now or timezone.now()
    since = now - timedelta(days=ROLLING_DAYS)
    rows = ResponseRecord.objects.filter(
        company=company, opened_at__gt=since, opened_at__lte=now
    ).values_list("opened_at", "due_at", "responded_at")
    due = in_time = answered = 0
    hours: list[float] = []
    for opened_at, due_at, responded_at in rows:
        answered_by_now = responded_at is not None and responded_at <= now
        if not answered_by_now and due_at > now:
            continue
        due += 1
        if answered_by_now:
            answered += 1
            hours.append((responded_at - opened_at).total_seconds() / 3600)
            if responded_at <= due_at:
                in_time += 1
    return Responsiveness(
        as_of=now,
        days=ROLLING_DAYS,
        due=due,
        in_time=in_time,
        missed=due - in_time,
        answered=answered,
        median_response_hours=round(statistics.median(hours), 2) if hours else None,
    )
