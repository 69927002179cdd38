"""Background work: release due Match Days, remind and escalate, and the periodic tick.

Tasks take plain values, call services, and are safe to run twice. The tick re-enqueues
itself with ``run_after`` on backends that support deferral (the database backend does);
``manage.py matchday_tick`` runs the same work once, for cron.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from matchday.followup import services
from matchday.matchdays import schedules
from matchday.matchdays.models import MatchDay
from matchday.matchdays.services import curation_runs_expire
from matchday.notifications.services import messages_requeue_due

logger = logging.getLogger(__name__)

DEFAULT_TICK_SECONDS = 300


def _parse(now_iso: str | None) -> datetime:
    return datetime.fromisoformat(now_iso) if now_iso else timezone.now()


def release_due(*, now: datetime) -> dict[int, int]:
    """Release every Match Day whose time has come; {matchday id: intros created}."""
    due = MatchDay.objects.filter(
        Q(status__in=services.RELEASABLE), release_at__lte=now, stopped_at__isnull=True
    ).order_by("release_at", "pk")
    released = {}
    for md in due:
        try:
            released[md.pk] = len(services.matchday_release(matchday=md, now=now))
        except ValidationError as exc:  # stopped or changed phase since the query
            logger.warning("Match Day %s not released: %s", md.pk, "; ".join(exc.messages))
    return released


@task
def release_due_matchdays(now_iso: str | None = None) -> dict[str, int]:
    return {str(k): v for k, v in release_due(now=_parse(now_iso)).items()}


@task
def send_reminders(now_iso: str | None = None) -> dict[str, int]:
    run = services.send_reminders(now=_parse(now_iso))
    return {"reminded": run.reminded, "escalated": run.escalated}


def run_tick(*, now: datetime) -> dict[str, object]:
    """One tick: end curation runs whose worker died, recurring Match Days (create, announce,
    curate), release what is due, remind and escalate, remind candidates of tomorrow's
    interviews (with their prep), remind about or expire offers, then enqueue again any email
    whose delivery task was lost."""
    expired = curation_runs_expire(now=now)  # runs whose worker died: their Match Day moves on
    recurring = schedules.schedules_run_due(now=now)
    released = release_due(now=now)
    reminders = services.send_reminders(now=now)
    upcoming = services.remind_candidates_upcoming(now=now)
    offers = services.offers_remind_and_expire(now=now)
    return {
        "expired_runs": [run.pk for run in expired],
        "schedules": recurring,
        "released": released,
        "reminded": reminders.reminded,
        "escalated": reminders.escalated,
        "candidates_reminded": upcoming,
        "offers_reminded": offers.reminded,
        "offers_expired": offers.expired,
        "mail_requeued": messages_requeue_due(now=now),
    }


def tick_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "MATCHDAY_TICK_SECONDS", DEFAULT_TICK_SECONDS))


def schedule_tick(*, now: datetime | None = None):
    """Enqueue the next tick after one interval; ``None`` if the backend cannot defer."""
    if not default_task_backend.supports_defer:
        return None
    run_after = (now or timezone.now()) + tick_interval()
    return tick.using(run_after=run_after).enqueue()


@task
def tick() -> dict[str, object]:
    """The periodic task: release + reminders, then schedule the next tick."""
    now = timezone.now()
    result = run_tick(now=now)
    schedule_tick(now=now)
    return {**result, "released": {str(k): v for k, v in result["released"].items()}}
