"""Background work: release due Match Days, remind and escalate, and the periodic tick.

Tasks take plain values, call services, and are safe to run twice. The tick re-enqueues
itself with ``run_after`` on backends that support deferral (the database backend does),
also after a failed run, as one chain however often it is scheduled (``core.PeriodicTick``);
``manage.py matchday_tick`` runs the same work once, for cron.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from matchday.core.models import PeriodicTick
from matchday.followup import lifecycle, services
from matchday.matchdays import schedules
from matchday.matchdays.models import MatchDay
from matchday.matchdays.services import curation_runs_expire
from matchday.notifications.inbox import digests_send
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


class TickFailed(Exception):
    """A step of the tick failed; every other step still ran and the next tick is scheduled."""


def _reminders(now: datetime) -> dict[str, int]:
    run = services.send_reminders(now=now)
    return {"reminded": run.reminded, "escalated": run.escalated}


def _offers(now: datetime) -> dict[str, int]:
    run = services.offers_remind_and_expire(now=now)
    return {"offers_reminded": run.reminded, "offers_expired": run.expired}


def _intros(now: datetime) -> dict[str, int]:
    run = lifecycle.intro_reminders(now=now)
    return {"intros_reminded": run.reminded, "intros_expired": run.expired}


def _recover_chunks() -> int:
    from matchday.matchdays.chunks import recover_stale_chunks

    return recover_stale_chunks()  # heartbeats are real time, whatever ``now`` says


def _tick_steps(now: datetime):
    # Curation chunks whose worker died first (a chunked run waiting for one is renewed, not
    # expired), then runs whose worker died: their Match Day moves on.
    yield "recovered_chunks", _recover_chunks
    yield "expired_runs", lambda: [run.pk for run in curation_runs_expire(now=now)]
    yield "schedules", lambda: schedules.schedules_run_due(now=now)
    yield "deadline_reminders", lambda: lifecycle.interest_deadline_reminders(now=now)
    yield "released", lambda: release_due(now=now)
    yield "reminders", lambda: _reminders(now)
    yield "candidates_reminded", lambda: services.remind_candidates_upcoming(now=now)
    yield "offers", lambda: _offers(now)
    yield "intros", lambda: _intros(now)
    yield "digests", lambda: digests_send(now=now)
    yield "mail_requeued", lambda: messages_requeue_due(now=now)


def run_tick(*, now: datetime) -> dict[str, Any]:
    """One tick: end curation runs whose worker died, recurring Match Days (create, announce,
    curate), interest deadlines coming, release what is due, remind and escalate, remind
    candidates of tomorrow's interviews (with their prep) and of unanswered intros (and expire
    those), remind about or expire offers, send the email digests that are due, then enqueue
    again any email whose delivery task was lost.

    Each step runs even when an earlier one failed (each is safe to run again); if any
    failed, :class:`TickFailed` names them once all have run."""
    done: dict[str, Any] = {}
    failed: list[str] = []
    for name, step in _tick_steps(now):
        try:
            done[name] = step()
        except Exception:
            logger.exception("tick step %s failed", name)
            failed.append(name)
    if failed:
        raise TickFailed(f"tick step(s) failed: {', '.join(failed)}")
    reminders, offers, intros = done.pop("reminders"), done.pop("offers"), done.pop("intros")
    return {**done, **reminders, **offers, **intros}


def tick_interval() -> timedelta:
    return timedelta(seconds=getattr(settings, "MATCHDAY_TICK_SECONDS", DEFAULT_TICK_SECONDS))


def _chain_is_dead_after() -> timedelta:
    """A chain whose next run is this much overdue died (its worker was killed mid-tick,
    the task was lost): scheduling the tick again starts a new chain."""
    return tick_interval() + timedelta(minutes=10)


def schedule_tick(*, now: datetime | None = None, token: str = ""):
    """Start the self-rescheduling tick, or continue it (``token``: the running tick's).

    One chain at most, however many processes call this at once: the ``PeriodicTick`` row is
    locked, and a start while a chain is alive (its next run not long overdue) does nothing.
    A tick continues the chain only while its token is the current one. Returns the
    enqueued task result, or ``None`` (backend cannot defer, chain alive, or superseded)."""
    if not tick.get_backend().supports_defer:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        PeriodicTick.objects.get_or_create(pk=PeriodicTick.SINGLETON)
        chain = PeriodicTick.objects.select_for_update().get(pk=PeriodicTick.SINGLETON)
        if token:
            if token != chain.token:
                return None
        elif chain.next_run_at and now < chain.next_run_at + _chain_is_dead_after():
            return None
        chain.token = uuid.uuid4().hex
        chain.next_run_at = now + tick_interval()
        chain.save(update_fields=["token", "next_run_at"])
        # Enqueued inside the transaction: on the database task backend the task row
        # commits together with the chain row, or neither does.
        return tick.using(run_after=chain.next_run_at).enqueue(token=chain.token)


def tick_chain_is_current(token: str) -> bool:
    return PeriodicTick.objects.filter(pk=PeriodicTick.SINGLETON, token=token).exists()


@task
def tick(token: str = "") -> dict[str, Any]:
    """The periodic task: one tick, then the next one an interval later, also when this one
    failed (the failure is recorded on the chain and re-raised). A tick of a superseded chain
    does nothing."""
    if token and not tick_chain_is_current(token):
        return {"skipped": "superseded"}
    now = timezone.now()
    error = ""
    try:
        result = run_tick(now=now)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        PeriodicTick.objects.filter(pk=PeriodicTick.SINGLETON).update(
            last_started_at=now, last_finished_at=timezone.now(), last_error=error
        )
        schedule_tick(now=now, token=token)
    return {**result, "released": {str(k): v for k, v in result["released"].items()}}
