"""Recurring Match Days: the schedule's slots, the partner's services on a schedule, and the
periodic tick's part (create, announce, curate, tell partners the review is waiting).

Every write checks permission first (the tick acts as the system) and records its audit
entry in the same transaction. The tick is safe to run twice, concurrently or after a crash
at any line:

* creating a Match Day and moving the schedule on to the next slot happen in one
  transaction, under a lock on the schedule row, and a unique constraint on
  (schedule, slot) refuses a second Match Day for the same slot whatever happens;
* announcing sends each message at most once (messages are idempotent per recipient and
  subject matter) and marks the Match Day announced at the end, so a rerun finishes a
  half-sent announcement;
* curation starts only for a Match Day that has never had a run.

Proposals of a recurring Match Day wait for human review like any other: the tick never
approves, opens the interest window or releases early (the release itself is the usual
release at ``release_at``).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.core.fields import clean_value
from matchday.core.permissions import ensure_partner
from matchday.core.services import fields_check, model_update
from matchday.matchdays.models import MatchDay, MatchDaySchedule

UNKNOWN_TIMEZONE = "Unknown time zone {name!r}."
EVERY_WEEKS_RANGE = "Choose between 1 and 8 weeks."
WINDOW_DAYS_RANGE = "The interest window lasts 1 to 14 days."
REVIEW_DAYS_RANGE = "Allow 0 to 14 days of review."
ANNOUNCE_DAYS_RANGE = "Announce 0 to 28 days before curation."
CAP_TOO_SMALL = "Caps must be at least 1."
SCHEDULE_ALREADY_PAUSED = "This schedule is already paused."
SCHEDULE_NOT_PAUSED = "This schedule is not paused."
NOTHING_TO_SKIP = "No Match Day is planned: the schedule is paused."
SKIP_NOTHING_SKIPPED = "No Match Day of this schedule is set to be skipped."

# What a partner may edit on a schedule (the rest is the schedule's own state).
EDITABLE = (
    "name", "weekday", "every_weeks", "release_time", "timezone", "starts_on", "interest_days",
    "review_days", "announce_days", "candidate_cap", "role_cap", "policy",
)  # fmt: skip


# -- slots ----------------------------------------------------------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"timezone": UNKNOWN_TIMEZONE.format(name=name)}) from None


def _first_day(starts_on: date, weekday: int) -> date:
    return starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)


def slot(schedule: MatchDaySchedule, k: int) -> datetime:
    """The ``k``-th release (0-based) as an aware UTC datetime; local wall time is kept
    across daylight-saving changes (10:00 Berlin stays 10:00 Berlin).

    >>> from datetime import date, time
    >>> s = MatchDaySchedule(weekday=1, every_weeks=2, release_time=time(10),
    ...     timezone="Europe/Berlin", starts_on=date(2026, 3, 1))
    >>> [slot(s, k).isoformat() for k in (0, 1, 2)]
    ['2026-03-03T09:00:00+00:00', '2026-03-17T09:00:00+00:00', '2026-03-31T08:00:00+00:00']
    """
    day = _first_day(schedule.starts_on, schedule.weekday) + timedelta(
        weeks=schedule.every_weeks * k
    )
    local = datetime.combine(day, schedule.release_time, tzinfo=_zone(schedule.timezone))
    return local.astimezone(zoneinfo.ZoneInfo("UTC"))


def curate_lead(schedule: MatchDaySchedule) -> timedelta:
    """From curation to release: the review days, then the interest window."""
    return timedelta(days=schedule.interest_days + schedule.review_days)


def create_lead(schedule: MatchDaySchedule) -> timedelta:
    """From creation (and announcement) to release."""
    return curate_lead(schedule) + timedelta(days=schedule.announce_days)


def first_slot_after(schedule: MatchDaySchedule, moment: datetime) -> datetime:
    """The first release whose curation is still ahead of ``moment``: the next Match Day
    that can still get its review days and interest window in full."""
    period = 7 * schedule.every_weeks
    first = _first_day(schedule.starts_on, schedule.weekday)
    k = max(0, (moment.date() - first).days // period - 1)
    while slot(schedule, k) - curate_lead(schedule) <= moment:
        k += 1
    return slot(schedule, k)


def next_slot(schedule: MatchDaySchedule, after: datetime) -> datetime:
    """The first release strictly after ``after``."""
    period = 7 * schedule.every_weeks
    first = _first_day(schedule.starts_on, schedule.weekday)
    k = max(0, (after.date() - first).days // period - 1)
    while slot(schedule, k) <= after:
        k += 1
    return slot(schedule, k)


def upcoming(schedule: MatchDaySchedule, n: int = 4) -> list[datetime]:
    """The next ``n`` releases not yet created, from ``next_release_at``."""
    out = [schedule.next_release_at]
    while len(out) < n:
        out.append(next_slot(schedule, out[-1]))
    return out


@dataclass(frozen=True)
class PlannedMatchDay:
    """One upcoming slot and when each of its steps happens."""

    release_at: datetime
    created_at: datetime  # created and announced
    curate_at: datetime
    interest_opens_at: datetime
    skipped: bool


def plan(schedule: MatchDaySchedule, n: int = 4) -> list[PlannedMatchDay]:
    """The next ``n`` Match Days the tick will create (none while paused)."""
    if not schedule.active:
        return []
    return [
        PlannedMatchDay(
            release_at=at,
            created_at=at - create_lead(schedule),
            curate_at=at - curate_lead(schedule),
            interest_opens_at=at - timedelta(days=schedule.interest_days),
            skipped=at == schedule.skip_release_at,
        )
        for at in upcoming(schedule, n)
    ]


def _check(values: dict[str, Any]) -> None:
    for field in ("name", "candidate_cap", "role_cap"):  # bounded as the model bounds them
        values[field] = clean_value(MatchDaySchedule, field, values[field])
    _zone(values["timezone"])
    if not 1 <= values["every_weeks"] <= 8:
        raise ValidationError({"every_weeks": EVERY_WEEKS_RANGE})
    if not 1 <= values["interest_days"] <= 14:
        raise ValidationError({"interest_days": WINDOW_DAYS_RANGE})
    if not 0 <= values["review_days"] <= 14:
        raise ValidationError({"review_days": REVIEW_DAYS_RANGE})
    if not 0 <= values["announce_days"] <= 28:
        raise ValidationError({"announce_days": ANNOUNCE_DAYS_RANGE})
    if values["candidate_cap"] < 1 or values["role_cap"] < 1:
        raise ValidationError(CAP_TOO_SMALL)


def _next_after_created(schedule: MatchDaySchedule, now: datetime) -> datetime:
    """The next slot to plan: curation still ahead, and later than any slot already made."""
    nxt = first_slot_after(schedule, now)
    last = (
        schedule.matchdays.exclude(scheduled_release_at=None)
        .order_by("-scheduled_release_at")
        .values_list("scheduled_release_at", flat=True)
        .first()
    )
    while last is not None and nxt <= last:
        nxt = next_slot(schedule, nxt)
    return nxt


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# -- the partner's services -------------------------------------------------------------------


@transaction.atomic
def schedule_create(*, by, now: datetime | None = None, **values: Any) -> MatchDaySchedule:
    """A recurring Match Day. ``values`` are the fields in ``EDITABLE``."""
    ensure_partner(by)
    now = now or timezone.now()
    values = {key: values[key] for key in EDITABLE}
    _check(values)
    schedule = MatchDaySchedule(created_by=by, **values)
    schedule.next_release_at = first_slot_after(schedule, now)
    schedule.save()
    audit_record(
        actor=by,
        action="schedule.create",
        target=schedule,
        now=now,
        data={k: _iso(v) for k, v in values.items()}
        | {"next_release_at": schedule.next_release_at.isoformat()},
    )
    return schedule


def _locked(schedule: MatchDaySchedule) -> MatchDaySchedule:
    return MatchDaySchedule.objects.select_for_update().get(pk=schedule.pk)


@transaction.atomic
def schedule_update(
    *, schedule: MatchDaySchedule, by, now: datetime | None = None, **values: Any
) -> MatchDaySchedule:
    """Change the cadence, times, windows, caps or policy. Match Days already created keep
    theirs; the next one is planned from the new cadence (a skip still applies if that
    slot is unchanged)."""
    ensure_partner(by)
    now = now or timezone.now()
    schedule = _locked(schedule)
    fields_check(values, EDITABLE, what="schedule")
    values = {key: values[key] for key in EDITABLE}
    _check(values)
    changed = {
        k: {"from": _iso(getattr(schedule, k)), "to": _iso(v)}
        for k, v in values.items()
        if getattr(schedule, k) != v
    }
    if not changed:
        return schedule

    def replan(s: MatchDaySchedule) -> None:
        s.next_release_at = _next_after_created(s, now)
        if s.skip_release_at != s.next_release_at:
            s.skip_release_at = None

    model_update(
        schedule,
        data=values,
        allowed=EDITABLE,
        what="schedule",
        prepare=replan,
        derived=["next_release_at", "skip_release_at"],
        clean_exclude=["created_by"],
    )
    audit_record(
        actor=by,
        action="schedule.update",
        target=schedule,
        now=now,
        data=changed | {"next_release_at": schedule.next_release_at.isoformat()},
    )
    return schedule


@transaction.atomic
def schedule_pause(
    *, schedule: MatchDaySchedule, by, reason: str = "", now: datetime | None = None
) -> MatchDaySchedule:
    """No new Match Days until resumed (Match Days already created go on)."""
    ensure_partner(by)
    schedule = _locked(schedule)
    if not schedule.active:
        raise ValidationError(SCHEDULE_ALREADY_PAUSED)
    schedule.active = False
    schedule.save(update_fields=["active", "updated_at"])
    audit_record(actor=by, action="schedule.pause", target=schedule, reason=reason.strip(), now=now)
    return schedule


@transaction.atomic
def schedule_resume(
    *, schedule: MatchDaySchedule, by, now: datetime | None = None
) -> MatchDaySchedule:
    """Plan again from the next slot that still has its curation ahead: the slots missed
    while paused are not made up."""
    ensure_partner(by)
    now = now or timezone.now()
    schedule = _locked(schedule)
    if schedule.active:
        raise ValidationError(SCHEDULE_NOT_PAUSED)
    schedule.active = True
    schedule.next_release_at = _next_after_created(schedule, now)
    schedule.skip_release_at = None
    schedule.save()
    audit_record(
        actor=by,
        action="schedule.resume",
        target=schedule,
        now=now,
        data={"next_release_at": schedule.next_release_at.isoformat()},
    )
    return schedule


@transaction.atomic
def schedule_skip_next(
    *, schedule: MatchDaySchedule, by, reason: str = "", now: datetime | None = None
) -> MatchDaySchedule:
    """Skip the next planned Match Day once (a holiday week); the one after goes ahead."""
    ensure_partner(by)
    schedule = _locked(schedule)
    if not schedule.active:
        raise ValidationError(NOTHING_TO_SKIP)
    schedule.skip_release_at = schedule.next_release_at
    schedule.save(update_fields=["skip_release_at", "updated_at"])
    audit_record(
        actor=by,
        action="schedule.skip",
        target=schedule,
        reason=reason.strip(),
        now=now,
        data={"release_at": schedule.skip_release_at.isoformat()},
    )
    return schedule


@transaction.atomic
def schedule_unskip(
    *, schedule: MatchDaySchedule, by, now: datetime | None = None
) -> MatchDaySchedule:
    ensure_partner(by)
    schedule = _locked(schedule)
    if schedule.skip_release_at is None:
        raise ValidationError(SKIP_NOTHING_SKIPPED)
    skipped = schedule.skip_release_at
    schedule.skip_release_at = None
    schedule.save(update_fields=["skip_release_at", "updated_at"])
    audit_record(
        actor=by,
        action="schedule.unskip",
        target=schedule,
        now=now,
        data={"release_at": skipped.isoformat()},
    )
    return schedule


# -- the tick's part ---------------------------------------------------------------------------


def _local(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(_zone(zone)):%A %d %B %Y, %H:%M} ({zone})"


def _create_due(schedule_id: int, now: datetime) -> list[str]:
    """Create (or skip) every slot of one schedule whose creation time has come, each with
    the move to the next slot in the same transaction. Returns what happened, for the log."""
    done: list[str] = []
    while True:
        with transaction.atomic():
            schedule = MatchDaySchedule.objects.select_for_update().get(pk=schedule_id)
            at = schedule.next_release_at
            if not schedule.active or now < at - create_lead(schedule):
                return done
            schedule.next_release_at = next_slot(schedule, at)
            if schedule.skip_release_at == at:
                schedule.skip_release_at = None
                action = "schedule.skipped"
            elif now >= at - timedelta(days=schedule.interest_days):
                # The tick was down past the moment the window should have opened: too late
                # for a Match Day with a review and a full window. Recorded, not made up.
                action = "schedule.missed"
            else:
                action = "schedule.created"
            schedule.save(update_fields=["next_release_at", "skip_release_at", "updated_at"])
            if action == "schedule.created":
                md = _create_matchday(schedule, at, now)
                data = {"release_at": at.isoformat(), "matchday": md.pk if md else None}
            else:
                data = {"release_at": at.isoformat()}
            audit_record(actor=None, action=action, target=schedule, data=data, now=now)
            done.append(f"{action}:{at.isoformat()}")


def _create_matchday(schedule: MatchDaySchedule, at: datetime, now: datetime) -> MatchDay | None:
    local_day = at.astimezone(_zone(schedule.timezone))
    try:
        with transaction.atomic():  # a savepoint: the slot may exist already
            md = MatchDay.objects.create(
                name=f"{schedule.name} · {local_day:%a %d %b %Y}"[:120],
                release_at=at,
                release_timezone=schedule.timezone,
                interest_deadline=at,
                candidate_cap=schedule.candidate_cap,
                role_cap=schedule.role_cap,
                policy=schedule.policy,
                schedule=schedule,
                scheduled_release_at=at,
                curate_at=at - curate_lead(schedule),
                interest_opens_at=at - timedelta(days=schedule.interest_days),
            )
    except IntegrityError:
        return None  # created by an earlier run of the tick: one Match Day per slot
    audit_record(
        actor=None,
        action="matchday.create",
        target=md,
        now=now,
        data={
            "schedule": schedule.pk,
            "release_at": at.isoformat(),
            "interest_deadline": at.isoformat(),
            "candidate_cap": md.candidate_cap,
            "role_cap": md.role_cap,
            "policy": md.policy,
            "curate_at": md.curate_at.isoformat(),
        },
    )
    return md


def matchday_announce(*, matchday: MatchDay, now: datetime) -> int:
    """Tell active candidates and the members of vetted companies (or, for a Match Day with
    chosen candidates and roles, those) that a Match Day is coming and when each step
    happens. Idempotent per recipient; returns how many messages were new."""
    from matchday.accounts.models import User
    from matchday.companies.models import Company
    from matchday.notifications import messages
    from matchday.talent.models import CandidateProfile

    md = matchday
    if md.release_at <= now:
        return 0  # too late to say it is coming (a task that ran late, the demo's past days)
    candidates = User.objects.filter(
        is_active=True,
        persona=User.Persona.CANDIDATE,
        candidate_profile__status=CandidateProfile.Status.ACTIVE,
    )
    if md.candidates.exists():
        candidates = candidates.filter(candidate_profile__in=md.candidates.all())
    members = User.objects.filter(
        is_active=True,
        persona=User.Persona.COMPANY,
        company__vetting_status=Company.VettingStatus.VETTED,
    )
    if md.roles.exists():
        members = members.filter(company__in=md.roles.values("company_id"))
    new = messages.matchday_announced(
        md,
        candidates=candidates.order_by("pk").iterator(chunk_size=2000),
        members=members.order_by("pk").iterator(chunk_size=2000),
    )
    with transaction.atomic():
        if MatchDay.objects.filter(pk=md.pk, announced_at=None).update(announced_at=now):
            audit_record(
                actor=None,
                action="matchday.announce",
                target=md,
                now=now,
                data={"candidates": candidates.count(), "members": members.count()},
            )
    return new


def _tell_partners_review_waits(md: MatchDay) -> int:
    from matchday.notifications import messages

    pending = md.proposals.filter(status="pending").count()
    opens = _local(md.interest_opens_at or md.interest_deadline, md.release_timezone)
    return messages.review_waits(md, pending=pending, opens=opens)


def schedules_run_due(*, now: datetime) -> dict[str, Any]:
    """The tick's part: create (or skip) due Match Days, announce them, start curation at
    ``curate_at``, and tell partners when a recurring Match Day's review is waiting."""
    from matchday.matchdays.services import curation_start

    created: list[str] = []
    due = MatchDaySchedule.objects.filter(active=True).values_list("pk", flat=True)
    for pk in list(due):
        created += _create_due(pk, now)

    announced = 0
    waiting = MatchDay.objects.filter(
        schedule__isnull=False,
        announced_at=None,
        stopped_at=None,
        status__in=[MatchDay.Status.DRAFT, MatchDay.Status.CURATING, MatchDay.Status.REVIEW],
    ).order_by("pk")
    for md in waiting:
        matchday_announce(matchday=md, now=now)
        announced += 1

    curated = []
    to_curate = MatchDay.objects.filter(
        curate_at__lte=now, status=MatchDay.Status.DRAFT, stopped_at=None, runs=None
    ).order_by("curate_at", "pk")
    for md in to_curate:
        try:
            curation_start(matchday=md, by=None, scheduled=True)
        except ValidationError:
            continue  # stopped or started since the query: nothing to do
        curated.append(md.pk)

    told = 0
    for md in MatchDay.objects.filter(
        Q(interest_opens_at__gt=now - timedelta(days=14)),
        schedule__isnull=False,
        status=MatchDay.Status.REVIEW,
        stopped_at=None,
    ).order_by("pk"):
        told += _tell_partners_review_waits(md)
    return {"created": created, "announced": announced, "curated": curated, "told": told}
