"""Every write of a Match Day's first half: creation, curation runs, human review, stop,
and the companies' blind interest decisions.

Each service checks permission first, runs in one transaction and writes its audit entry
inside it. The curation pipeline itself (:func:`curation_run_execute`) is what the
``run_curation`` task calls; it commits its progress in small transactions of its own so
the run page can show it while the run is going.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import socket
import threading
import time
import zoneinfo
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.companies.models import Company, Role
from matchday.core.bulk import insert_rows
from matchday.core.fields import clean_value
from matchday.core.permissions import ensure_member_of, ensure_partner
from matchday.embeddings.selectors import run_embeddings
from matchday.engine import ENGINE_VERSION
from matchday.engine.encoder import get_encoder
from matchday.engine.io import dump_json
from matchday.engine.io import input_hash as engine_input_hash
from matchday.engine.pipeline import curate, pair_document
from matchday.engine.scoring import PairScore
from matchday.matchdays import adapters
from matchday.matchdays.models import (
    Alternate,
    BlindTerm,
    CurationRun,
    Interest,
    MatchDay,
    Proposal,
)
from matchday.matchdays.selectors import ACTIVE_PROPOSAL, MISSING_NONE, ReviewFilters
from matchday.matchdays.weights import current_scoring_weights
from matchday.talent.models import CandidateProfile

logger = logging.getLogger(__name__)

# -- messages (asserted verbatim in tests) -----------------------------------------------
DEADLINE_AFTER_RELEASE = "The interest deadline must be on or before the release time."
RELEASE_NOT_AWARE = "Give the release time with its time zone."
UNKNOWN_TIMEZONE = "Unknown time zone {name!r}."
CAP_TOO_SMALL = "Caps must be at least 1."
ROLE_NOT_ELIGIBLE = "Only open roles of vetted companies can take part ({role})."
CANDIDATE_NOT_ELIGIBLE = "Only active candidates can take part (candidate {pk})."
MATCHDAY_STOPPED = "This Match Day has been stopped."
MATCHDAY_ALREADY_STOPPED = "This Match Day was already stopped."
CURATION_NOT_ALLOWED = "Curation can only run before the interest window opens (now: {status})."
CURATION_ALREADY_ACTIVE = "A curation run is already queued or running."
RUN_NOT_ACTIVE = "Only a queued or running curation run can be cancelled."
REASON_REQUIRED = "Give a reason."
REVIEW_NOT_ALLOWED = "Proposals can only be reviewed during review or the interest window."
PROPOSAL_ALREADY_REVIEWED = "This proposal has already been reviewed ({status})."
SWAP_NOT_ALLOWED = "Only a pending or approved proposal without a company decision can be swapped."
SWAP_SAME_CANDIDATE = "Choose a different candidate to swap in."
SWAP_ALREADY_PROPOSED = "That candidate is already proposed for this role in this Match Day."
SWAP_CANDIDATE_INACTIVE = "Only an active candidate can be swapped in."
SWAP_CANDIDATE_HID_COMPANY = "That candidate has hidden this company."
SWAP_CANDIDATE_UNUSABLE = "That candidate's profile cannot be scored yet ({reason})."
SWAP_NOT_ELIGIBLE = "That candidate does not meet the role's hard requirements: {reasons}."
SWAP_ONE_SIDE = "Swap either the candidate or the role of a proposal, not both."
SWAP_SAME_ROLE = "Choose a different role to swap in."
SWAP_CANDIDATE_NOT_PARTICIPATING = "That candidate does not take part in this Match Day."
SWAP_ROLE_NOT_PARTICIPATING = "That role does not take part in this Match Day."
SWAP_CANDIDATE_AT_CAP = (
    "That candidate already has {n} active proposals in this Match Day (at most K = {k})."
)
SWAP_ROLE_AT_CAP = "That role already has {n} active proposals in this Match Day (at most M = {m})."
UNDO_NOT_DECIDED = "Only an approved or rejected proposal can be undone (this one is {status})."
UNDO_AFTER_COMPANY_DECISION = "The company has already decided on this proposal; it stays."
BULK_UNKNOWN_ACTION = "Unknown bulk action {action!r}."
BULK_COUNT_CHANGED = (
    "The selection changed since you confirmed: it now holds {n} pending proposal{s}. "
    "Check and confirm again."
)
OPEN_INTEREST_NOT_ALLOWED = "The interest window opens after review (now: {status})."
OPEN_INTEREST_UNREVIEWED = (
    "{n} proposal{s} still await review: approve them, reject them, or leave them out."
)
RELEASE_IN_PAST = "The release time must be in the future."
DEADLINE_IN_PAST = "The interest deadline must be in the future."
RELEASE_PASSED = "The release time has passed; it can no longer move."
DEADLINE_PASSED = "The interest deadline has passed; it can no longer move."
RESCHEDULE_NOT_ALLOWED = "A Match Day in the phase “{status}” can no longer be rescheduled."
INTEREST_WINDOW_NOT_OPEN = "The interest window is not open."
INTEREST_DEADLINE_PASSED = "The interest deadline has passed; decisions can no longer change."
PROPOSAL_NOT_APPROVED = "Only approved proposals can be decided on."
CANDIDATE_NOT_AVAILABLE = "This candidate is no longer available to your company."
INTEREST_WITHDRAWN_REASON = "The candidate is no longer available to this company."
SALARY_REQUIRED = "Give the salary you would offer."
SALARY_OUTSIDE_BAND = "The offered salary must be within the role's band ({low}–{high} {currency})."

# How many scored-but-not-chosen pairs a run keeps for the swap picker (see Alternate).
ALTERNATES_PER_ROLE = 10
ALTERNATES_PER_CANDIDATE = 3
BLIND_TERM_EMPTY = "Give a word or phrase (letters or digits)."
BLIND_TERM_TOO_LONG = "A term can be at most {limit} characters."
BLIND_TERM_TOO_MANY = "A candidate can have at most {limit} blind-text corrections."
BLIND_TERM_EXISTS = "“{term}” is already in this candidate's list."

CANCELLED_MESSAGE = "Cancelled."
STOPPED_MESSAGE = "Stopped with the Match Day."
FAILED_MESSAGE = "Failed."
LEASE_EXPIRED = (
    "The worker running this curation stopped (no sign of life for over {seconds} s), so the "
    "run was marked failed and nothing from it was kept. Run curation again."
)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _reason(model: type[Model], field: str, reason: str | None, *, required: bool = True) -> str:
    """``reason`` cleaned and bounded by the model field it is stored in (see
    ``core.fields.clean_value``); refused when empty and ``required``."""
    reason = clean_value(model, field, reason, key="reason")
    if required and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


def _ensure_not_stopped(matchday: MatchDay) -> None:
    if matchday.is_stopped:
        raise ValidationError(MATCHDAY_STOPPED)


# -- Match Days ---------------------------------------------------------------------------


@transaction.atomic
def matchday_create(
    *,
    by,
    name: str,
    release_at: datetime,
    interest_deadline: datetime,
    release_timezone: str = "UTC",
    candidate_cap: int = 3,
    role_cap: int = 10,
    policy: str = MatchDay.Policy.OPTIMAL,
    roles: list[Role] | None = None,
    candidates: list[CandidateProfile] | None = None,
    now: datetime | None = None,
) -> MatchDay:
    """A new Match Day in draft. No roles/candidates means all eligible ones at run time.
    Both times must be in the future."""
    ensure_partner(by)
    name = clean_value(MatchDay, "name", name)
    candidate_cap = clean_value(MatchDay, "candidate_cap", candidate_cap)
    role_cap = clean_value(MatchDay, "role_cap", role_cap)
    try:
        zoneinfo.ZoneInfo(release_timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"release_timezone": UNKNOWN_TIMEZONE.format(name=release_timezone)}
        ) from None
    if timezone.is_naive(release_at) or timezone.is_naive(interest_deadline):
        raise ValidationError({"release_at": RELEASE_NOT_AWARE})
    when = _now(now)
    _check_future("release_at", release_at, when, RELEASE_IN_PAST)
    _check_future("interest_deadline", interest_deadline, when, DEADLINE_IN_PAST)
    if interest_deadline > release_at:
        raise ValidationError({"interest_deadline": DEADLINE_AFTER_RELEASE})
    if candidate_cap < 1 or role_cap < 1:
        raise ValidationError(CAP_TOO_SMALL)
    for role in roles or ():
        if role.status != Role.Status.OPEN or (
            role.company.vetting_status != Company.VettingStatus.VETTED
        ):
            raise ValidationError({"roles": ROLE_NOT_ELIGIBLE.format(role=role)})
    for profile in candidates or ():
        if profile.status != CandidateProfile.Status.ACTIVE:
            raise ValidationError({"candidates": CANDIDATE_NOT_ELIGIBLE.format(pk=profile.pk)})
    md = MatchDay.objects.create(
        name=name,
        release_at=release_at,
        release_timezone=release_timezone,
        interest_deadline=interest_deadline,
        candidate_cap=candidate_cap,
        role_cap=role_cap,
        policy=policy,
        created_by=by,
    )
    if roles:
        md.roles.set(roles)
    if candidates:
        md.candidates.set(candidates)
    audit_record(
        actor=by,
        action="matchday.create",
        target=md,
        data={
            "release_at": release_at.isoformat(),
            "interest_deadline": interest_deadline.isoformat(),
            "candidate_cap": candidate_cap,
            "role_cap": role_cap,
            "policy": policy,
            "roles": sorted(r.pk for r in roles or ()),
            "candidates": sorted(c.pk for c in candidates or ()),
        },
    )
    transaction.on_commit(lambda: _enqueue_announcement(md.pk), robust=True)
    return md


def _enqueue_announcement(matchday_id: int) -> None:
    from matchday.matchdays.tasks import announce_matchday

    announce_matchday.enqueue(matchday_id=matchday_id)


@transaction.atomic
def matchday_stop(*, matchday: MatchDay, by, reason: str, now: datetime | None = None) -> MatchDay:
    """Halt a Match Day at any phase: no further curation, interest or release."""
    ensure_partner(by)
    reason = _reason(MatchDay, "stop_reason", reason)
    md = MatchDay.objects.select_for_update().get(pk=matchday.pk)
    if md.is_stopped:
        raise ValidationError(MATCHDAY_ALREADY_STOPPED)
    md.stopped_at, md.stopped_by, md.stop_reason = _now(now), by, reason
    md.save(update_fields=["stopped_at", "stopped_by", "stop_reason", "updated_at"])
    active = md.runs.filter(status__in=[CurationRun.Status.QUEUED, CurationRun.Status.RUNNING])
    active.filter(status=CurationRun.Status.QUEUED).update(
        status=CurationRun.Status.CANCELLED,
        finished_at=md.stopped_at,
        progress_message=STOPPED_MESSAGE,
        cancel_requested=True,
    )
    active.update(cancel_requested=True)
    # A running run stops at its worker's next checkpoint; one whose worker is gone, now.
    _expire_stale_runs(md, now=md.stopped_at)
    if md.status == MatchDay.Status.CURATING and not active.exists():
        md.status = _status_after_run(md)
        md.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="matchday.stop", target=md, reason=reason, now=md.stopped_at)
    return md


UNREVIEWED_APPROVE, UNREVIEWED_REJECT, UNREVIEWED_LEAVE_OUT = "approve", "reject", "leave_out"
UNREVIEWED_CHOICES = (UNREVIEWED_APPROVE, UNREVIEWED_REJECT, UNREVIEWED_LEAVE_OUT)


@transaction.atomic
def matchday_open_interest(
    *,
    matchday: MatchDay,
    by,
    unreviewed: str | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> MatchDay:
    """Open the blind interest window: companies now see their approved proposals.

    Proposals still awaiting review need an explicit choice, ``unreviewed``: approve them
    all, reject them all (with ``reason``), or leave them out (they stay pending: companies
    do not see them unless a partner approves them later). Without pending proposals no
    choice is needed.
    """
    ensure_partner(by)
    reason = _reason(Proposal, "review_reason", reason, required=False)
    md = MatchDay.objects.select_for_update().get(pk=matchday.pk)
    _ensure_not_stopped(md)
    if md.status != MatchDay.Status.REVIEW:
        raise ValidationError(OPEN_INTEREST_NOT_ALLOWED.format(status=md.get_status_display()))
    if _now(now) >= md.interest_deadline:
        raise ValidationError(INTEREST_DEADLINE_PASSED)
    pending = md.proposals.filter(status=Proposal.Status.PENDING).count()
    if pending and unreviewed not in UNREVIEWED_CHOICES:
        raise ValidationError(
            {
                "unreviewed": OPEN_INTEREST_UNREVIEWED.format(
                    n=pending, s="" if pending == 1 else "s"
                )
            }
        )
    if pending and unreviewed in (UNREVIEWED_APPROVE, UNREVIEWED_REJECT):
        proposals_bulk_decide(
            matchday=md,
            by=by,
            action=unreviewed,
            filters=ReviewFilters(),
            reason=reason,
            expected=pending,
            now=now,
        )
    md.status = MatchDay.Status.INTEREST
    md.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="matchday.open_interest",
        target=md,
        reason=reason,
        now=now,
        data={"pending": pending, "unreviewed": unreviewed if pending else None},
    )
    from matchday.notifications import messages

    messages.shortlist_ready(md, _roles_by_company(md))
    return md


def _roles_by_company(md: MatchDay) -> dict[Company, list[Role]]:
    """{company: [role, …]} of the roles with approved proposals in ``md``."""
    roles = (
        Role.objects.filter(proposals__matchday=md, proposals__status=Proposal.Status.APPROVED)
        .select_related("company")
        .distinct()
        .order_by("company_id", "pk")
    )
    out: dict[Company, list[Role]] = {}
    for role in roles:
        out.setdefault(role.company, []).append(role)
    return out


def _check_future(field: str, when: datetime, now: datetime, message: str) -> None:
    if timezone.is_naive(when):
        raise ValidationError({field: RELEASE_NOT_AWARE})
    if when <= now:
        raise ValidationError({field: message})


@transaction.atomic
def matchday_reschedule(
    *,
    matchday: MatchDay,
    by,
    release_at: datetime,
    interest_deadline: datetime,
    now: datetime | None = None,
) -> MatchDay:
    """Move the release time and/or the interest deadline, each only before it has passed and
    only to a moment in the future (deadline on or before release). Audited with both
    values; companies deciding in an open window are told when their deadline moves."""
    ensure_partner(by)
    when = _now(now)
    md = MatchDay.objects.select_for_update().get(pk=matchday.pk)
    _ensure_not_stopped(md)
    if md.status in {MatchDay.Status.RELEASED, MatchDay.Status.CLOSED}:
        raise ValidationError(RESCHEDULE_NOT_ALLOWED.format(status=md.get_status_display()))
    changes: dict[str, dict[str, str]] = {}
    for field, new, passed, past in (
        ("release_at", release_at, RELEASE_PASSED, RELEASE_IN_PAST),
        ("interest_deadline", interest_deadline, DEADLINE_PASSED, DEADLINE_IN_PAST),
    ):
        old = getattr(md, field)
        if new == old:
            continue
        if old <= when:
            raise ValidationError({field: passed})
        _check_future(field, new, when, past)
        changes[field] = {"from": old.isoformat(), "to": new.isoformat()}
    if interest_deadline > release_at:
        raise ValidationError({"interest_deadline": DEADLINE_AFTER_RELEASE})
    if not changes:
        return md
    md.release_at, md.interest_deadline = release_at, interest_deadline
    md.save(update_fields=["release_at", "interest_deadline", "updated_at"])
    audit_record(actor=by, action="matchday.reschedule", target=md, data=changes, now=when)
    if md.status == MatchDay.Status.INTEREST and "interest_deadline" in changes:
        _tell_companies_the_deadline_moved(md)
    return md


def _tell_companies_the_deadline_moved(md: MatchDay) -> None:
    from matchday.accounts.models import User
    from matchday.notifications import messages

    companies = md.proposals.filter(status=Proposal.Status.APPROVED).values("role__company_id")
    members = User.objects.filter(
        company_id__in=companies, persona=User.Persona.COMPANY, is_active=True
    ).order_by("pk")
    messages.interest_deadline_moved(md, members)


# -- curation runs ------------------------------------------------------------------------


def _enqueue_curation(run_id: int) -> None:
    from matchday.matchdays.tasks import run_curation

    result = run_curation.enqueue(run_id=run_id)
    CurationRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


@transaction.atomic
def curation_start(*, matchday: MatchDay, by, scheduled: bool = False) -> CurationRun:
    """Queue a curation run; the task starts once this transaction commits.

    ``scheduled=True`` (with ``by=None``) is the periodic tick starting a recurring Match
    Day's curation at its ``curate_at``; the audit entry then has no actor.
    """
    if not (scheduled and by is None):
        ensure_partner(by)
    md = MatchDay.objects.select_for_update().get(pk=matchday.pk)
    _ensure_not_stopped(md)
    _expire_stale_runs(md, now=timezone.now())  # a dead worker's run does not block a re-run
    if md.status not in {MatchDay.Status.DRAFT, MatchDay.Status.REVIEW}:
        raise ValidationError(CURATION_NOT_ALLOWED.format(status=md.get_status_display()))
    if md.runs.filter(status__in=[CurationRun.Status.QUEUED, CurationRun.Status.RUNNING]).exists():
        raise ValidationError(CURATION_ALREADY_ACTIVE)
    run = CurationRun.objects.create(matchday=md, requested_by=by, progress_message="Queued")
    md.status = MatchDay.Status.CURATING
    md.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="curation.start",
        target=run,
        data={"scheduled": True, "schedule": md.schedule_id} if scheduled else None,
    )
    transaction.on_commit(lambda: _enqueue_curation(run.pk))
    return run


def _status_after_run(md: MatchDay) -> str:
    return MatchDay.Status.REVIEW if md.proposals.exists() else MatchDay.Status.DRAFT


@transaction.atomic
def curation_cancel(*, run: CurationRun, by, now: datetime | None = None) -> CurationRun:
    """Cancel a queued run at once; ask a running one to stop at its next checkpoint. A running
    run whose worker has stopped (its lease expired) is cancelled at once too."""
    ensure_partner(by)
    when = _now(now)
    md = MatchDay.objects.select_for_update().get(pk=run.matchday_id)  # lock order: Match Day,
    run = CurationRun.objects.select_for_update().get(pk=run.pk)  # then its run
    if run.status == CurationRun.Status.RUNNING:
        run.cancel_requested = True
        run.save(update_fields=["cancel_requested"])
        if _lease_expired(run, when):
            run = _end_run(
                run, md, status=CurationRun.Status.CANCELLED, message=CANCELLED_MESSAGE, now=when
            )
    elif run.status == CurationRun.Status.QUEUED:
        run.cancel_requested = True
        run = _end_run(
            run, md, status=CurationRun.Status.CANCELLED, message=CANCELLED_MESSAGE, now=when
        )
    else:
        raise ValidationError(RUN_NOT_ACTIVE)
    audit_record(actor=by, action="curation.cancel", target=run, now=now)
    return run


class _Cancelled(Exception):
    pass


class _LeaseLost(Exception):
    """The run is no longer this worker's: its lease expired and it was marked failed (or it
    was ended otherwise). The worker leaves it alone and keeps nothing."""


def _end_run(
    run: CurationRun,
    md: MatchDay,
    *,
    status: str,
    message: str,
    error: str = "",
    now: datetime | None = None,
) -> CurationRun:
    """Finish ``run`` as ``status`` and move its (locked) Match Day out of curation."""
    run.status, run.finished_at = status, _now(now)
    run.progress_message, run.error = message, error[:4000]
    run.save(
        update_fields=["status", "finished_at", "progress_message", "error", "cancel_requested"]
    )
    md.status = _status_after_run(md)
    md.save(update_fields=["status", "updated_at"])
    return run


# -- the lease of a running run -----------------------------------------------------------


def lease_seconds() -> int:
    """How long a running run may go without a heartbeat before it counts as abandoned."""
    return int(settings.MATCHDAY_CURATION_LEASE_SECONDS)


def _lease_expired(run: CurationRun, now: datetime) -> bool:
    last = run.heartbeat_at or run.started_at or run.created_at
    return last < now - timedelta(seconds=lease_seconds())


def curation_run_heartbeat(*, run_id: int, now: datetime | None = None, **fields: Any) -> bool:
    """Renew a running run's lease (and update ``fields`` in the same statement, e.g. its
    progress). ``False`` when the run is no longer running: its lease expired, or it was
    ended otherwise; the worker must then stop and keep nothing."""
    updated = CurationRun.objects.filter(pk=run_id, status=CurationRun.Status.RUNNING).update(
        heartbeat_at=_now(now), **fields
    )
    return bool(updated)


class RunLease:
    """The worker's hold on a running run: a daemon thread renews the heartbeat every
    ``MATCHDAY_CURATION_HEARTBEAT_SECONDS`` while the block runs, so a long step without
    progress reports (loading, allocation, storing) keeps the lease, and a killed worker stops
    renewing it. ``lost`` turns true once the run is no longer running.

    >>> with RunLease(run.pk) as lease:      # doctest: +SKIP
    ...     work()
    ...     if lease.lost: raise _LeaseLost

    An interval of 0 starts no thread (the tests run curation inline, in the test's
    transaction); progress reports still renew the lease.
    """

    def __init__(self, run_id: int, *, interval: float | None = None) -> None:
        self.run_id = run_id
        self.interval = (
            float(settings.MATCHDAY_CURATION_HEARTBEAT_SECONDS) if interval is None else interval
        )
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RunLease:
        if self.interval > 0:
            self._thread = threading.Thread(
                target=self._beat, name=f"curation-run-{self.run_id}-lease", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    if not curation_run_heartbeat(run_id=self.run_id):
                        self.lost = True
                        return
                except DatabaseError:  # the database is away: try again at the next beat
                    logger.warning("curation run %s: heartbeat failed", self.run_id, exc_info=True)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection


def _stale_runs(now: datetime) -> QuerySet[CurationRun]:
    cutoff = now - timedelta(seconds=lease_seconds())
    return CurationRun.objects.filter(status=CurationRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )


def _expire_stale_runs(md: MatchDay, *, now: datetime) -> list[CurationRun]:
    """End the abandoned runs of ``md``, which the caller has locked: failed, or cancelled
    when a cancel or stop was asked for. Audited with no actor."""
    ended = []
    for run in _stale_runs(now).filter(matchday=md).select_for_update().order_by("pk"):
        seconds = lease_seconds()
        if run.cancel_requested or md.is_stopped:
            message = STOPPED_MESSAGE if md.is_stopped else CANCELLED_MESSAGE
            run = _end_run(run, md, status=CurationRun.Status.CANCELLED, message=message, now=now)
            audit_record(actor=None, action="curation.cancelled", target=run, now=now)
        else:
            error = LEASE_EXPIRED.format(seconds=seconds)
            run = _end_run(
                run,
                md,
                status=CurationRun.Status.FAILED,
                message=FAILED_MESSAGE,
                error=error,
                now=now,
            )
            audit_record(
                actor=None,
                action="curation.failed",
                target=run,
                reason=error,
                now=now,
                data={
                    "lease_seconds": seconds,
                    "worker": run.worker,
                    "heartbeat_at": run.heartbeat_at and run.heartbeat_at.isoformat(),
                },
            )
        ended.append(run)
    return ended


def curation_runs_expire(
    *, matchday: MatchDay | None = None, now: datetime | None = None
) -> list[CurationRun]:
    """Fail every running run (of ``matchday``, or of all Match Days) whose worker stopped
    renewing its lease for ``MATCHDAY_CURATION_LEASE_SECONDS``: a killed worker never leaves
    a Match Day stuck in curation. Cheap when nothing is stale (one query); the tick, the Match
    Day page and the curation services call it. Returns the runs it ended."""
    when = _now(now)
    stale = _stale_runs(when)
    if matchday is not None:
        stale = stale.filter(matchday=matchday)
    ended: list[CurationRun] = []
    for md_id in sorted(set(stale.values_list("matchday_id", flat=True))):
        with transaction.atomic():
            md = MatchDay.objects.select_for_update().get(pk=md_id)
            ended += _expire_stale_runs(md, now=when)
    return ended


class _Progress:
    """Progress written in its own tiny transactions, renewing the run's lease; cancellation
    and the loss of the lease are checked at each step."""

    def __init__(self, run_pk: int, matchday_pk: int) -> None:
        self.run_pk, self.matchday_pk = run_pk, matchday_pk

    def __call__(self, percent: float, message: str) -> None:
        if not curation_run_heartbeat(
            run_id=self.run_pk,
            progress=max(0, min(99, int(percent))),
            progress_message=message[:200],
        ):
            raise _LeaseLost
        self.check()

    def check(self) -> None:
        run = CurationRun.objects.filter(pk=self.run_pk).values("status", "cancel_requested")[0]
        if run["status"] != CurationRun.Status.RUNNING:
            raise _LeaseLost
        if run["cancel_requested"]:
            raise _Cancelled
        if MatchDay.objects.filter(pk=self.matchday_pk, stopped_at__isnull=False).exists():
            raise _Cancelled


def curation_run_execute(
    *,
    run_id: int,
    encoder: Any = None,
    chunk_roles: int | None = None,
    now: datetime | None = None,
    in_process: bool = False,
) -> CurationRun:
    """Run one curation: load rows, score, explain, allocate, store the proposals.

    Safe to run twice: only a queued run is claimed, so a finished (or running) run is not
    redone. Re-running curation replaces the Match Day's pending proposals only; reviewed
    pairs are neither touched nor proposed again, and approved ones use up capacity.

    A Match Day with more roles than ``MATCHDAY_CURATION_CHUNK_ROLES`` is scored in chunks
    of roles by any number of workers (:mod:`matchday.matchdays.chunks`): this call then
    stores the run input, queues the chunks and returns with the run still running, unless
    ``in_process`` (a caller that needs the proposals before it goes on, such as the demo's
    story): then every role is scored here.
    """
    when = _now(now)
    claimed = CurationRun.objects.filter(pk=run_id, status=CurationRun.Status.QUEUED).update(
        status=CurationRun.Status.RUNNING,
        started_at=when,
        heartbeat_at=when,
        worker=f"{socket.gethostname()}:{os.getpid()}"[:100],
        progress=0,
        progress_message="Loading candidates and roles",
    )
    run = CurationRun.objects.select_related("matchday").get(pk=run_id)
    if not claimed:
        return run
    with curation_guard(run_id):
        _curate(run, encoder=encoder, chunk_roles=chunk_roles, in_process=in_process)
    run.refresh_from_db()
    return run


def _finish_run(run_id: int, *, status: str, action: str, error: str = "") -> None:
    """The worker ends its own run as cancelled or failed, unless it is no longer running."""
    with transaction.atomic():
        md_id = CurationRun.objects.values_list("matchday_id", flat=True).get(pk=run_id)
        md = MatchDay.objects.select_for_update().get(pk=md_id)
        run = CurationRun.objects.select_for_update().get(pk=run_id)
        if run.status != CurationRun.Status.RUNNING:
            return  # its lease expired meanwhile: already ended
        if status == CurationRun.Status.CANCELLED:
            message = STOPPED_MESSAGE if md.is_stopped else CANCELLED_MESSAGE
        else:
            message = FAILED_MESSAGE
        run = _end_run(run, md, status=status, message=message, error=error)
        audit_record(actor=None, action=action, target=run, reason=run.error)


class curation_guard:
    """Holds the run's lease while the block runs (h9-recovery's :class:`RunLease`) and ends
    the run as cancelled (a cancel or a stop came) or failed (anything raised); a lost lease
    leaves the run alone. The one-task run and each chunk task of a chunked run use it."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.lease = RunLease(run_id)

    def __enter__(self) -> RunLease:
        return self.lease.__enter__()

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.lease.__exit__(exc_type, exc, tb)
        if exc_type is None:
            return False
        if issubclass(exc_type, _LeaseLost):
            logger.warning("curation run %s: lease lost (the run was ended elsewhere)", self.run_id)
            return True
        if issubclass(exc_type, _Cancelled):
            _finish_run(
                self.run_id, status=CurationRun.Status.CANCELLED, action="curation.cancelled"
            )
            return True
        if issubclass(exc_type, Exception):
            logger.exception("curation run %s failed", self.run_id, exc_info=exc)
            _finish_run(
                self.run_id,
                status=CurationRun.Status.FAILED,
                action="curation.failed",
                error=f"{type(exc).__name__}: {exc}",
            )
            return True
        return False


def _curate(
    run: CurationRun, *, encoder: Any, chunk_roles: int | None, in_process: bool = False
) -> None:
    """Load rows, call the engine's pipeline, store its output. Nothing else decides here:
    ``python -m matchday.engine curate`` on the stored input gives the stored output."""
    from matchday.matchdays import chunks

    md = run.matchday
    progress = _Progress(run.pk, md.pk)
    clock, cpu = time.perf_counter(), time.process_time()

    # 1. rows -> engine data and options; the exact run input, stored for replay
    data = adapters.load_engine_data(md)
    options = adapters.curation_options(
        md,
        data,
        alternates_per_role=ALTERNATES_PER_ROLE,
        alternates_per_candidate=ALTERNATES_PER_CANDIDATE,
    )
    weights_version, weights = current_scoring_weights()
    doc = adapters.run_input_json(data, options, weights=weights, weights_version=weights_version)
    ihash = engine_input_hash(doc)
    run.engine_input.save(
        f"matchday-{md.pk}-run-{run.pk}.json.gz", ContentFile(_gzip(dump_json(doc))), save=False
    )
    CurationRun.objects.filter(pk=run.pk).update(
        engine_input=run.engine_input.name, input_hash=ihash, engine_version=ENGINE_VERSION
    )
    del doc
    timings = {"load": time.perf_counter() - clock}
    cpu_s = {"load": time.process_time() - cpu}
    base_stats = {
        **data.skipped_stats(),
        "timings_s": timings,
        "cpu_s": cpu_s,
        "excluded_pairs": len(options.excluded_pairs),
        "weights_version": weights_version,
        # the taxonomy the rows were read with and the run scores with (chunks too)
        "taxonomy_version": data.skill_graph().version,
    }
    if not in_process and chunks.split_run(run, n_roles=len(data.roles), base_stats=base_stats):
        progress.check()
        return  # the chunks' workers score it; the last one queues the allocation

    # 2. the engine: score, shortlist, allocate, explain (progress and cancellation through
    #    its one callback)
    tax = data.skill_graph()  # the taxonomy the rows were read with
    enc = encoder if encoder is not None else get_encoder()
    # text vectors stored when profiles and roles were saved, computed here where missing or
    # stale: the same bits either way, so the output (and its replay) does not depend on them
    clock, cpu = time.perf_counter(), time.process_time()
    embeddings, base_stats["text_vectors"] = run_embeddings(data, enc)
    timings["vectors"] = time.perf_counter() - clock
    cpu_s["vectors"] = time.process_time() - cpu
    result = curate(
        data.candidates,
        data.roles,
        taxonomy=tax,
        rates=data.rates,
        options=options,
        weights=weights,
        encoder=enc,
        embeddings=embeddings,
        progress=lambda fraction, message: progress(5 + 85 * fraction, message),
        chunk_roles=chunk_roles or 64,
    )
    store_curation_result(
        run,
        result,
        ihash=ihash,
        encoder=enc,
        taxonomy=tax,
        base_stats=base_stats,
        chunk_roles=chunk_roles or 64,
        progress=progress,
    )


def store_curation_result(
    run: CurationRun,
    result: Any,
    *,
    ihash: str,
    encoder: Any,
    taxonomy: Any,
    base_stats: dict[str, Any],
    chunk_roles: int,
    progress: _Progress,
) -> None:
    """Store the output document (what a replay must reproduce) and the proposal rows, and
    end the run as succeeded."""
    md = run.matchday
    timings = dict(base_stats["timings_s"]) | result.wall_s
    cpu_s = dict(base_stats["cpu_s"]) | result.cpu_s
    clock, cpu = time.perf_counter(), time.process_time()
    progress(92, f"Storing {len(result.proposals):,} proposals")
    out = result.to_dict(
        input_hash=ihash,
        encoder=str(getattr(encoder, "name", type(encoder).__name__)),
        taxonomy_version=str(getattr(taxonomy, "version", "")),
    )
    output = dump_json(out)
    run.engine_output.save(
        f"matchday-{md.pk}-run-{run.pk}-output.json.gz", ContentFile(_gzip(output)), save=False
    )
    output_hash = "sha256:" + hashlib.sha256(output).hexdigest()
    del output
    rows = adapters.proposal_rows(
        matchday=md,
        run_pk=run.pk,
        items=out["proposals"],
        engine_version=ENGINE_VERSION,
        input_hash=ihash,
    )
    # Alternates first, outside the final transaction and renewing the lease between batches:
    # the swap picker reads only the latest succeeded run's, so a run that fails after this
    # leaves rows nobody reads (the next success deletes them), and the Match Day stays
    # unlocked for the longest insert.
    items = out["alternates"]
    for start in range(0, len(items), ALTERNATES_BATCH):
        batch = items[start : start + ALTERNATES_BATCH]
        insert_rows(adapters.alternate_rows(run_pk=run.pk, items=batch))
        done = (start + len(batch)) / len(items)
        progress(92 + 6 * done, f"Storing {len(rows):,} proposals and {len(items):,} alternates")
    with transaction.atomic():
        locked = MatchDay.objects.select_for_update().get(pk=md.pk)
        progress.check()  # under the Match Day's lock: a run whose lease expired stores nothing
        replaced, _ = locked.proposals.filter(status=Proposal.Status.PENDING).delete()
        insert_rows(rows)
        # The swap picker reads the latest run's alternates only; older runs' are dead weight.
        Alternate.objects.filter(run__matchday=locked).exclude(run_id=run.pk).delete()
        timings["store"] = time.perf_counter() - clock
        cpu_s["store"] = time.process_time() - cpu
        stats = {
            **out["counts"],
            **{k: v for k, v in base_stats.items() if k not in {"timings_s", "cpu_s"}},
            "pending_replaced": replaced,
            "total_score": out["total_score"],
            "allocation_warnings": out["warnings"],
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
            "cpu_s": {k: round(v, 3) for k, v in cpu_s.items()},
            "options": {**out["options"], "chunk_roles": chunk_roles},
            "output_hash": output_hash,
        }
        del stats["options"]["excluded_pairs"]  # in the stored input; can be long
        CurationRun.objects.filter(pk=run.pk).update(
            status=CurationRun.Status.SUCCEEDED,
            progress=100,
            progress_message=f"Done: {len(rows):,} proposals.",
            finished_at=timezone.now(),
            stats=stats,
            engine_output=run.engine_output.name,
        )
        locked.status = MatchDay.Status.REVIEW
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=None,
            action="curation.succeeded",
            target=run,
            data={k: stats[k] for k in ("candidates", "roles", "proposals", "pending_replaced")}
            | {"input_hash": ihash, "output_hash": output_hash, "engine_version": ENGINE_VERSION}
            | {"weights_version": stats["weights_version"]},
        )


ALTERNATES_BATCH = 50_000  # rows inserted between two renewals of the run's lease


def _gzip(data: bytes) -> bytes:
    # Level 1: a Match Day's output is hundreds of MB of repetitive JSON; level 1 compresses it
    # about as well as the default 9 at several times the speed. mtime=0: same bytes, same file.
    return gzip.compress(data, compresslevel=1, mtime=0)


# -- human review -------------------------------------------------------------------------


def _lock_proposal(proposal: Proposal) -> Proposal:
    """Lock one proposal row, and only it, then read its Match Day afresh.

    One lock order everywhere: the Match Day, then its proposals (in pk order when several),
    then their interests and intros. A decision or review on one proposal locks that row alone
    (``of=("self",)``: never the Match Day, role or company rows a release or a review holds or
    references), so it cannot deadlock with a release holding the Match Day and taking the
    proposals. The Match Day is read in a statement of its own after the lock: a release that
    committed while we waited is seen (its status is no longer open).
    """
    p = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    p.matchday = MatchDay.objects.get(pk=p.matchday_id)
    return p


def _lock_for_review(proposal: Proposal) -> Proposal:
    p = _lock_proposal(proposal)
    _ensure_not_stopped(p.matchday)
    if p.matchday.status not in {MatchDay.Status.REVIEW, MatchDay.Status.INTEREST}:
        raise ValidationError(REVIEW_NOT_ALLOWED)
    return p


def _ai_side(p: Proposal) -> dict[str, Any]:
    return {
        "score": p.score,
        "role_fit": p.role_fit,
        "candidate_fit": p.candidate_fit,
        "missing_required": p.missing_required,
        "engine_version": p.engine_version,
        "input_hash": p.input_hash,
        "source": p.source,
    }


def _decide(p: Proposal, *, by, status: str, reason: str, now: datetime | None) -> Proposal:
    if p.status != Proposal.Status.PENDING:
        raise ValidationError(PROPOSAL_ALREADY_REVIEWED.format(status=p.get_status_display()))
    p.status, p.reviewed_by, p.reviewed_at, p.review_reason = status, by, _now(now), reason
    p.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    audit_record(
        actor=by,
        action=f"proposal.{'approve' if status == Proposal.Status.APPROVED else 'reject'}",
        target=p,
        reason=reason,
        data=_ai_side(p),
        now=p.reviewed_at,
    )
    return p


@transaction.atomic
def proposal_approve(
    *, proposal: Proposal, by, reason: str = "", now: datetime | None = None
) -> Proposal:
    ensure_partner(by)
    reason = _reason(Proposal, "review_reason", reason, required=False)
    p = _lock_for_review(proposal)
    return _decide(p, by=by, status=Proposal.Status.APPROVED, reason=reason, now=now)


@transaction.atomic
def proposal_reject(
    *, proposal: Proposal, by, reason: str, now: datetime | None = None
) -> Proposal:
    ensure_partner(by)
    reason = _reason(Proposal, "review_reason", reason)
    p = _lock_for_review(proposal)
    return _decide(p, by=by, status=Proposal.Status.REJECTED, reason=reason, now=now)


@transaction.atomic
def proposal_undo(*, proposal: Proposal, by, now: datetime | None = None) -> Proposal:
    """Take back an approval or rejection: the proposal awaits review again.

    Refused once the company has decided on it. The decision undone stays in the audit log.
    """
    ensure_partner(by)
    p = _lock_for_review(proposal)
    if p.status not in {Proposal.Status.APPROVED, Proposal.Status.REJECTED}:
        raise ValidationError(UNDO_NOT_DECIDED.format(status=p.get_status_display().lower()))
    if Interest.objects.filter(proposal=p).exists():
        raise ValidationError(UNDO_AFTER_COMPANY_DECISION)
    undone = {
        "status": p.status,
        "reviewed_by": p.reviewed_by_id,
        "reviewed_at": p.reviewed_at.isoformat() if p.reviewed_at else None,
        "review_reason": p.review_reason,
    }
    p.status, p.reviewed_by, p.reviewed_at, p.review_reason = (
        Proposal.Status.PENDING,
        None,
        None,
        "",
    )
    p.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    audit_record(
        actor=by, action="proposal.undo", target=p, data=_ai_side(p) | {"undone": undone}, now=now
    )
    return p


BULK_ACTIONS = {"approve": Proposal.Status.APPROVED, "reject": Proposal.Status.REJECTED}


def proposals_bulk_selection(*, matchday: MatchDay, filters: ReviewFilters) -> QuerySet[Proposal]:
    """The pending proposals a bulk action with ``filters`` would decide."""
    return filters.apply(matchday.proposals.filter(status=Proposal.Status.PENDING))


@transaction.atomic
def proposals_bulk_decide(
    *,
    matchday: MatchDay,
    by,
    action: str,
    filters: ReviewFilters,
    reason: str = "",
    expected: int | None = None,
    now: datetime | None = None,
) -> int:
    """Approve or reject every pending proposal ``filters`` selects; returns how many.

    ``expected`` is the count the partner confirmed: if the selection has changed since
    (someone else reviewed some of it), nothing is decided and the partner confirms again.
    """
    ensure_partner(by)
    if action not in BULK_ACTIONS:
        raise ValidationError(BULK_UNKNOWN_ACTION.format(action=action))
    status = BULK_ACTIONS[action]
    reason = _reason(Proposal, "review_reason", reason, required=status == Proposal.Status.REJECTED)
    md = MatchDay.objects.select_for_update().get(pk=matchday.pk)
    _ensure_not_stopped(md)
    if md.status not in {MatchDay.Status.REVIEW, MatchDay.Status.INTEREST}:
        raise ValidationError(REVIEW_NOT_ALLOWED)
    rows = list(
        proposals_bulk_selection(matchday=md, filters=filters)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if expected is not None and len(rows) != expected:
        raise ValidationError(
            BULK_COUNT_CHANGED.format(n=len(rows), s="" if len(rows) == 1 else "s")
        )
    when = _now(now)
    Proposal.objects.filter(pk__in=[p.pk for p in rows]).update(
        status=status, reviewed_by=by, reviewed_at=when, review_reason=reason
    )
    bulk = {"bulk": True, "filters": asdict(filters) | {"ids": list(filters.ids)}}
    for p in rows:
        audit_record(
            actor=by,
            action=f"proposal.{action}",
            target=p,
            reason=reason,
            data=_ai_side(p) | bulk,
            now=when,
        )
    return len(rows)


def proposals_bulk_approve(
    *,
    matchday: MatchDay,
    by,
    min_score: float | None = None,
    no_missing_requirements: bool = False,
    role: Role | None = None,
    now: datetime | None = None,
) -> int:
    """Approve every pending proposal matching the filters; returns how many."""
    filters = ReviewFilters(
        min_score=min_score,
        missing=MISSING_NONE if no_missing_requirements else "",
        role_id=None if role is None else role.pk,
    )
    return proposals_bulk_decide(
        matchday=matchday, by=by, action="approve", filters=filters, now=now
    )


def score_single_pair(
    *, matchday: MatchDay, candidate: CandidateProfile, role: Role, encoder: Any = None
) -> tuple[PairScore, str]:
    """Score one pair through the adapter and the engine: ``(PairScore, input_hash)``."""
    scores, data, ihash = adapters.score_pairs(matchday, [(candidate.pk, role.pk)], encoder=encoder)
    if not scores:
        reason = "; ".join(row.reason for row in data.skipped_rows) or "not found"
        raise ValidationError(SWAP_CANDIDATE_UNUSABLE.format(reason=reason))
    return scores[(candidate.pk, role.pk)], ihash


def _active_count(md: MatchDay, **pair) -> int:
    return md.proposals.filter(status__in=ACTIVE_PROPOSAL, **pair).count()


def _check_swap_candidate(md: MatchDay, old: Proposal, candidate: CandidateProfile) -> None:
    if candidate.pk == old.candidate_id:
        raise ValidationError({"candidate": SWAP_SAME_CANDIDATE})
    if candidate.status != CandidateProfile.Status.ACTIVE:
        raise ValidationError({"candidate": SWAP_CANDIDATE_INACTIVE})
    if not adapters.participating_candidates(md).filter(pk=candidate.pk).exists():
        raise ValidationError({"candidate": SWAP_CANDIDATE_NOT_PARTICIPATING})
    used = _active_count(md, candidate=candidate)
    if used >= md.candidate_cap:
        raise ValidationError(
            {"candidate": SWAP_CANDIDATE_AT_CAP.format(n=used, k=md.candidate_cap)}
        )


def _check_swap_role(md: MatchDay, old: Proposal, role: Role) -> None:
    if role.pk == old.role_id:
        raise ValidationError({"role": SWAP_SAME_ROLE})
    if not adapters.participating_roles(md).filter(pk=role.pk).exists():
        raise ValidationError({"role": SWAP_ROLE_NOT_PARTICIPATING})
    used = _active_count(md, role=role)
    if used >= md.role_cap:
        raise ValidationError({"role": SWAP_ROLE_AT_CAP.format(n=used, m=md.role_cap)})


@transaction.atomic
def proposal_swap(
    *,
    proposal: Proposal,
    by,
    reason: str,
    candidate: CandidateProfile | None = None,
    role: Role | None = None,
    now: datetime | None = None,
    encoder: Any = None,
) -> Proposal:
    """Replace a proposal's candidate (same role) or its role (same candidate), scored now by
    the engine, within the Match Day's caps: the candidate swapped in stays at most K
    proposals, the role swapped in at most M.

    The new proposal is the partner's choice, so it is stored approved, with
    ``source="swap"`` and ``replaces=`` the old one, which becomes "swapped out".
    """
    ensure_partner(by)
    reason = _reason(Proposal, "review_reason", reason)
    if (candidate is None) == (role is None):
        raise ValidationError(SWAP_ONE_SIDE)
    # The Match Day first, then the proposal (the order bulk review takes too): two swaps
    # into the same candidate or role cannot both pass the cap check.
    md = MatchDay.objects.select_for_update().get(pk=proposal.matchday_id)
    old = _lock_for_review(proposal)
    if old.status not in {Proposal.Status.PENDING, Proposal.Status.APPROVED} or (
        Interest.objects.filter(proposal=old).exists()
    ):
        raise ValidationError(SWAP_NOT_ALLOWED)
    if candidate is not None:
        _check_swap_candidate(md, old, candidate)
        new_role = Role.objects.select_related("company").get(pk=old.role_id)
        new_candidate = candidate
    else:
        assert role is not None
        _check_swap_role(md, old, role)
        new_role = Role.objects.select_related("company").get(pk=role.pk)
        new_candidate = CandidateProfile.objects.get(pk=old.candidate_id)
    if new_candidate.hidden_companies.filter(pk=new_role.company_id).exists():
        raise ValidationError({"candidate": SWAP_CANDIDATE_HID_COMPANY})
    if Proposal.objects.filter(matchday=md, role=new_role, candidate=new_candidate).exists():
        raise ValidationError(
            {"candidate" if candidate is not None else "role": SWAP_ALREADY_PROPOSED}
        )
    ps, ihash = score_single_pair(
        matchday=md, candidate=new_candidate, role=new_role, encoder=encoder
    )
    if not ps.eligible:
        reasons = "; ".join(c.reason for c in ps.explanation.failed_constraints)
        raise ValidationError(
            {
                "candidate" if candidate is not None else "role": SWAP_NOT_ELIGIBLE.format(
                    reasons=reasons
                )
            }
        )
    when = _now(now)
    [new] = adapters.proposal_rows(
        matchday=md,
        run_pk=old.run_id,
        items=[pair_document(ps)],
        engine_version=ENGINE_VERSION,
        input_hash=ihash,
        source=Proposal.Source.SWAP,
    )
    new.status, new.reviewed_by, new.reviewed_at, new.review_reason = (
        Proposal.Status.APPROVED,
        by,
        when,
        reason,
    )
    new.replaces = old
    new.save()
    old.status, old.reviewed_by, old.reviewed_at, old.review_reason = (
        Proposal.Status.SWAPPED_OUT,
        by,
        when,
        reason,
    )
    old.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    audit_record(
        actor=by,
        action="proposal.swap",
        target=new,
        reason=reason,
        data={
            "replaces": old.pk,
            "swapped": "candidate" if candidate is not None else "role",
            "old": _ai_side(old),
            "new": _ai_side(new),
        },
        now=when,
    )
    return new


# -- blind interest -----------------------------------------------------------------------


def _lock_for_interest(proposal: Proposal, *, by, now: datetime | None) -> Proposal:
    p = _lock_proposal(proposal)
    p.role = Role.objects.select_related("company").get(pk=p.role_id)
    ensure_member_of(user=by, company=p.role.company)
    if p.status != Proposal.Status.APPROVED:
        raise PermissionDenied(PROPOSAL_NOT_APPROVED)
    if CandidateProfile.hidden_companies.through.objects.filter(
        candidateprofile_id=p.candidate_id, company_id=p.role.company_id
    ).exists():
        raise ValidationError(CANDIDATE_NOT_AVAILABLE)
    md = p.matchday
    _ensure_not_stopped(md)
    if md.status != MatchDay.Status.INTEREST:
        raise ValidationError(INTEREST_WINDOW_NOT_OPEN)
    if _now(now) >= md.interest_deadline:
        raise ValidationError(INTEREST_DEADLINE_PASSED)
    return p


def _check_salary(role: Role, offered: int | Decimal | None) -> int:
    if offered is None or offered == "":
        raise ValidationError({"offered_salary": SALARY_REQUIRED})
    offered = int(offered)
    if not role.pay_min <= offered <= role.pay_max:
        raise ValidationError(
            {
                "offered_salary": SALARY_OUTSIDE_BAND.format(
                    low=f"{role.pay_min:,}", high=f"{role.pay_max:,}", currency=role.pay_currency
                )
            }
        )
    return offered


@transaction.atomic
def interest_express(
    *,
    proposal: Proposal,
    by,
    offered_salary: int | None,
    note: str = "",
    now: datetime | None = None,
) -> Interest:
    """The company would like an intro, at a salary inside the role's band."""
    p = _lock_for_interest(proposal, by=by, now=now)
    note = clean_value(Interest, "note", note)
    salary = _check_salary(p.role, offered_salary)
    interest, _ = Interest.objects.update_or_create(
        proposal=p,
        defaults={
            "decision": Interest.Decision.INTERESTED,
            "offered_salary": salary,
            "note": note,
            "pass_reason": "",
            "decided_by": by,
            "decided_at": _now(now),
        },
    )
    audit_record(
        actor=by,
        action="interest.express",
        target=interest,
        data={"offered_salary": salary, "currency": p.role.pay_currency},
        now=now,
    )
    return interest


@transaction.atomic
def interest_pass(*, proposal: Proposal, by, reason: str, now: datetime | None = None) -> Interest:
    """The company passes on a candidate, with a reason."""
    p = _lock_for_interest(proposal, by=by, now=now)
    reason = _reason(Interest, "pass_reason", reason)
    interest, _ = Interest.objects.update_or_create(
        proposal=p,
        defaults={
            "decision": Interest.Decision.PASSED,
            "offered_salary": None,
            "note": "",
            "pass_reason": reason,
            "decided_by": by,
            "decided_at": _now(now),
        },
    )
    audit_record(actor=by, action="interest.pass", target=interest, reason=reason, now=now)
    return interest


@transaction.atomic
def interests_withdraw_hidden(
    *, candidate: CandidateProfile, company: Company, now: datetime | None = None
) -> int:
    """The candidate hid ``company``: its decisions on them in Match Days not yet released are
    withdrawn at once (deleted, each audited with what it was), and the members who made them
    are told the candidate is no longer available, without being told why. Returns how many.

    The candidate's own view never learns of this: the audit entries have no subject user, so
    the candidate's data export does not list them (a company's blind decision stays blind).
    Called by the candidate's hide service, which checks the permission.
    """
    from matchday.notifications import messages

    when = _now(now)
    interests = list(
        Interest.objects.select_for_update(of=("self",))
        .filter(
            proposal__candidate=candidate,
            proposal__role__company=company,
            proposal__matchday__status__in=[MatchDay.Status.REVIEW, MatchDay.Status.INTEREST],
        )
        .select_related("proposal__role", "proposal__matchday", "decided_by")
        .order_by("pk")
    )
    for interest in interests:
        p = interest.proposal
        audit_record(
            actor=None,
            action="interest.withdraw",
            target=p,
            reason=INTEREST_WITHDRAWN_REASON,
            data={
                "decision": interest.decision,
                "offered_salary": interest.offered_salary,
                "decided_by": interest.decided_by_id,
                "decided_at": interest.decided_at.isoformat(),
            },
            now=when,
        )
        member = interest.decided_by
        interest.delete()
        if member is not None and member.is_active and member.company_id == company.pk:
            messages.candidate_unavailable(p, member)
    return len(interests)


# -- blind text: a partner's corrections --------------------------------------------------


@transaction.atomic
def blind_term_add(
    *, candidate: CandidateProfile, by, term: str, action: str, now: datetime | None = None
) -> BlindTerm:
    """Redact ``term`` from this candidate's blind text too (``action="redact"``), or show it
    although the redactor took it for identity (``"keep"``). Audited with the term."""
    from matchday.matchdays.redaction import MAX_TERM_LENGTH, MAX_TERMS, tokenize

    ensure_partner(by)
    term = " ".join((term or "").split())
    if not tokenize(term):
        raise ValidationError({"term": BLIND_TERM_EMPTY})
    if len(term) > MAX_TERM_LENGTH:
        raise ValidationError({"term": BLIND_TERM_TOO_LONG.format(limit=MAX_TERM_LENGTH)})
    if action not in BlindTerm.Action.values:
        raise ValidationError({"action": f"Unknown action {action!r}."})
    CandidateProfile.objects.select_for_update().filter(pk=candidate.pk).first()
    terms = BlindTerm.objects.filter(candidate=candidate)
    if terms.count() >= MAX_TERMS:
        raise ValidationError(BLIND_TERM_TOO_MANY.format(limit=MAX_TERMS))
    if terms.filter(action=action, term__iexact=term).exists():
        raise ValidationError({"term": BLIND_TERM_EXISTS.format(term=term)})
    row = BlindTerm.objects.create(
        candidate=candidate, action=action, term=term, created_by=by, created_at=_now(now)
    )
    audit_record(
        actor=by,
        action=f"blind_term.{action}",
        target=candidate,
        subject_user=candidate.user,
        data={"term": term},
        now=row.created_at,
    )
    return row


@transaction.atomic
def blind_term_remove(*, blind_term: BlindTerm, by, now: datetime | None = None) -> None:
    ensure_partner(by)
    row = BlindTerm.objects.select_related("candidate__user").get(pk=blind_term.pk)
    audit_record(
        actor=by,
        action="blind_term.remove",
        target=row.candidate,
        subject_user=row.candidate.user,
        data={"term": row.term, "was": row.action},
        now=now,
    )
    row.delete()
