"""Writes after review: release, the candidate's answer, the follow-up pipeline, reminders and
escalation, and the candidate's controls. Every service checks permission first and records
its decision in the audit log inside the same transaction; emails go out after commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from matchday.accounts.models import User
from matchday.audits.models import AuditEntry
from matchday.audits.services import audit_record
from matchday.companies.models import InterviewStep
from matchday.core.fields import clean_value
from matchday.core.money import format_amount, format_band, format_pay, validate_currency
from matchday.core.permissions import (
    ensure_can_edit_profile,
    ensure_member_of,
    ensure_partner,
)
from matchday.core.services import model_update
from matchday.core.site import absolute_url
from matchday.core.timezones import format_in, format_local
from matchday.followup.models import Intro, Offer, PipelineStep, ResponseRecord
from matchday.followup.prep import prep_text
from matchday.followup.responsiveness import escalation_time, response_deadline
from matchday.matchdays.models import Interest, MatchDay, Proposal
from matchday.matchdays.services import interests_withdraw_hidden
from matchday.notifications import messages
from matchday.notifications.models import Message
from matchday.notifications.services import about_key
from matchday.talent.models import CandidateProfile, Demographics
from matchday.talent.services import candidate_pause_hired

RELEASE_STOPPED = "This Match Day was stopped; nothing can be released."
RELEASE_TOO_EARLY = (
    "This Match Day releases at {at}; it is not time yet. To release now, confirm releasing early."
)
RELEASE_NOT_READY = "A Match Day in the phase “{status}” cannot be released."
INTRO_NOT_YOURS = "This intro is not yours."
INTRO_ALREADY_ANSWERED = "This intro was already answered ({status})."
NOT_IN_PIPELINE = "Only an accepted intro has a pipeline (this one is {status})."
STEP_NOT_OPEN = "This step is {status}; only an open or scheduled step can change."
STEP_NOT_SCHEDULABLE = "Only screens and interviews are scheduled; record the {kind} instead."
STEP_NEEDS_TIME = "Choose when the {name} takes place."
OWNER_NOT_MEMBER = "The owner must be a member of {company}."
CLOSE_NEEDS_REASON = "Give the candidate a reason for closing."
WITHDRAW_NOT_IN_PIPELINE = (
    "You can only withdraw from a pipeline in progress (this intro is {status})."
)
STEP_NOT_HELD_YET = (
    "The {name} is scheduled for {when}; record its outcome once it has taken place."
)
OFFER_NEEDS_TERMS = "Make the offer with its terms; the candidate then accepts or declines it."
HIRE_NEEDS_ACCEPTANCE = "A hire is recorded only after the candidate has accepted an offer."
OFFER_NOT_OFFER_STEP = "An offer is made on the offer step (this is the {name})."
OFFER_OUTSIDE_BAND = (
    "{amount} is outside the role's band ({band}); give the candidate a reason to go outside it."
)
OFFER_EXPIRY_PAST = "The offer must stay open for at least {hours} hours."
OFFER_EXPIRY_NEEDS_ZONE = "Give the expiry with its UTC offset."
OFFER_EXPIRY_TOO_FAR = "The offer may stay open for at most {days} days."
OFFER_START_PAST = "The start date cannot be in the past."
OFFER_START_TOO_FAR = "The start date may be at most {days} days ahead."
OFFER_NOT_YOURS = "This offer is not yours."
OFFER_NOT_OPEN = "This offer is {status}; only an offer awaiting an answer can be answered."
OFFER_EXPIRED = "This offer expired on {when}."
OFFER_MIN_HOURS = 24
OFFER_MAX_DAYS = 30
OFFER_START_MAX_DAYS = 366

RELEASABLE = {MatchDay.Status.REVIEW, MatchDay.Status.INTEREST}
SCHEDULABLE = {PipelineStep.Kind.SCREEN, PipelineStep.Kind.INTERVIEW}
ACTIVE_STEP = [PipelineStep.Status.OPEN, PipelineStep.Status.SCHEDULED]


def _money(amount: int, role) -> str:
    return format_pay(amount, role.pay_currency, role.pay_period)


def _when(moment: datetime, user) -> str:
    """A moment in ``user``'s own zone, zone named: ``Monday 2 March 2026, 10:00 Europe/Berlin``."""
    return format_local(moment, user, "%A %-d %B %Y, %H:%M")


# --- permission helpers ------------------------------------------------------------------


def ensure_intro_candidate(*, user, intro: Intro) -> None:
    if not (
        user is not None
        and user.is_authenticated
        and user.is_candidate
        and intro.candidate.user_id == user.pk
    ):
        raise PermissionDenied(INTRO_NOT_YOURS)


def ensure_intro_company(*, user, intro: Intro) -> None:
    ensure_member_of(user=user, company=intro.role.company)


def _company_members(company) -> list[User]:
    return list(
        User.objects.filter(company=company, is_active=True, persona=User.Persona.COMPANY).order_by(
            "pk"
        )
    )


def _default_owner(intro: Intro) -> User | None:
    creator = intro.role.created_by
    if creator is not None and creator.is_active and creator.company_id == intro.role.company_id:
        return creator
    members = _company_members(intro.role.company)
    return members[0] if members else None


def _ensure_owner(owner, intro: Intro) -> None:
    if owner is not None and not (
        owner.is_company_member and owner.is_active and owner.company_id == intro.role.company_id
    ):
        raise ValidationError({"owner": OWNER_NOT_MEMBER.format(company=intro.role.company)})


# --- release ------------------------------------------------------------------------------


@transaction.atomic
def matchday_release(
    *, matchday: MatchDay, now: datetime | None = None, by=None, early: bool = False
) -> list[Intro]:
    """Release every intro of a Match Day at once, in one transaction.

    An intro is created for each approved proposal whose company expressed interest (with
    its offered salary), except where the candidate has since hidden that company. Running
    it again after a release creates nothing and returns an empty list. ``by`` is the
    talent partner who pressed the button, or ``None`` for the scheduled task. Before the
    release time only a partner who confirmed releasing early (``early=True``) may release;
    that also ends an open interest window.
    """
    now = now or timezone.now()
    if by is not None or early:
        ensure_partner(by)
    md = MatchDay.objects.select_for_update().get(pk=matchday.pk)
    if md.is_stopped:
        raise ValidationError(RELEASE_STOPPED)
    if md.status == MatchDay.Status.RELEASED:
        return []
    if md.status not in RELEASABLE:
        raise ValidationError(RELEASE_NOT_READY.format(status=md.get_status_display()))
    released_early = now < md.release_at
    if released_early and not early:
        raise ValidationError(
            RELEASE_TOO_EARLY.format(at=format_in(md.release_at, md.release_timezone))
        )
    # Lock order everywhere: the Match Day (above), then its proposals in pk order. A company's
    # decision in flight holds its proposal's lock: release waits for it, then reads it below
    # (a new statement sees it committed); a decision that comes after finds the Match Day
    # released. Nothing decided is lost, and neither side waits for the other in a cycle.
    list(
        Proposal.objects.select_for_update(of=("self",))
        .filter(matchday=md, status=Proposal.Status.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    proposals = list(
        Proposal.objects.filter(
            matchday=md,
            status=Proposal.Status.APPROVED,
            interest__decision=Interest.Decision.INTERESTED,
            intro__isnull=True,
        )
        .select_related("interest", "role__company", "candidate__user")
        .order_by("pk")
    )
    hidden = set(
        CandidateProfile.hidden_companies.through.objects.filter(
            candidateprofile_id__in={p.candidate_id for p in proposals}
        ).values_list("candidateprofile_id", "company_id")
    )
    intros = [
        Intro(
            matchday=md,
            proposal=p,
            candidate=p.candidate,
            role=p.role,
            offered_salary=p.interest.offered_salary,
            released_at=now,
        )
        for p in proposals
        if (p.candidate_id, p.role.company_id) not in hidden
    ]
    Intro.objects.bulk_create(intros)
    md.status = MatchDay.Status.RELEASED
    md.released_at = now
    md.save(update_fields=["status", "released_at", "updated_at"])
    audit_record(
        actor=by,
        action="matchday.release",
        target=md,
        now=now,
        data={
            "intros": len(intros),
            "skipped_hidden": len(proposals) - len(intros),
            "early": released_early,
            "scheduled_release_at": md.release_at.isoformat(),
        },
    )
    for intro in intros:
        audit_record(
            actor=by,
            action="intro.release",
            target=intro,
            subject_user=intro.candidate.user,
            now=now,
            data={"offered_salary": intro.offered_salary, "proposal": intro.proposal_id},
        )
    messages.intros_released(md, intros)
    return intros


# --- the candidate's answer ---------------------------------------------------------------


def _plan(intro: Intro) -> list[tuple[str, str, int, InterviewStep | None]]:
    """The pipeline's steps in order: (kind, name, duration in minutes, interview step)."""
    K = PipelineStep.Kind
    steps: list[tuple[str, str, int, InterviewStep | None]] = [(K.SCREEN.value, "Screen", 30, None)]
    steps += [
        (K.INTERVIEW.value, s.name, s.duration_minutes, s) for s in intro.role.interview_steps.all()
    ]
    steps += [(K.OFFER.value, "Offer", 60, None), (K.HIRED.value, "Hire", 60, None)]
    return steps


def _open_step(intro: Intro, position: int, now: datetime) -> PipelineStep:
    kind, name, minutes, interview_step = _plan(intro)[position]
    step = PipelineStep.objects.create(
        intro=intro,
        position=position,
        kind=kind,
        name=name,
        owner=_default_owner(intro),
        duration_minutes=minutes,
        due_at=response_deadline(now),
        interview_step=interview_step,
    )
    ResponseRecord.objects.create(
        company=intro.role.company, intro=intro, step=step, opened_at=now, due_at=step.due_at
    )
    return step


def _respond(step: PipelineStep, now: datetime) -> None:
    ResponseRecord.objects.filter(step=step, responded_at__isnull=True).update(responded_at=now)


def _notify_members(
    intro: Intro, *, kind: str, about: str, subject: str, body, event: str = "pipeline_update"
) -> None:
    """Every member gets an inbox entry and email; ``body`` may be a function of the member
    (times in their zone)."""
    for member in _company_members(intro.role.company):
        text = body(member) if callable(body) else body
        messages.pipeline_message(
            member,
            event=event,
            about=about,
            subject=subject,
            body=text,
            kind=kind,
            link=reverse("followup:pipeline_intro", args=[intro.pk]),
        )


def _notify_candidate(
    intro: Intro, *, about: str, subject: str, body: str, event: str = "pipeline_update"
) -> None:
    messages.pipeline_message(
        intro.candidate.user,
        event=event,
        about=about,
        subject=subject,
        body=body,
        link=reverse("followup:my_matchday"),
    )


def _locked_intro(intro: Intro) -> Intro:
    return (
        Intro.objects.select_for_update()
        .select_related("role__company", "candidate__user")
        .get(pk=intro.pk)
    )


@transaction.atomic
def intro_accept(*, intro: Intro, by, now: datetime | None = None) -> Intro:
    """The candidate accepts: their identity is revealed to this company and a pipeline
    opens with a screen the company must act on within the response window."""
    now = now or timezone.now()
    ensure_intro_candidate(user=by, intro=intro)
    intro = _locked_intro(intro)
    if intro.status != Intro.Status.RELEASED:
        raise ValidationError(
            INTRO_ALREADY_ANSWERED.format(status=intro.get_status_display().lower())
        )
    intro.status = Intro.Status.ACCEPTED
    intro.decided_at = now
    intro.save(update_fields=["status", "decided_at"])
    step = _open_step(intro, 0, now)
    audit_record(actor=by, action="intro.accept", target=intro, subject_user=by, now=now)
    messages.intro_accepted(intro, step)
    return intro


@transaction.atomic
def intro_decline(*, intro: Intro, by, reason: str = "", now: datetime | None = None) -> Intro:
    """The candidate declines, optionally saying why; the company never learns who it was."""
    now = now or timezone.now()
    ensure_intro_candidate(user=by, intro=intro)
    reason = clean_value(Intro, "decline_reason", reason, key="reason")
    intro = _locked_intro(intro)
    if intro.status != Intro.Status.RELEASED:
        raise ValidationError(
            INTRO_ALREADY_ANSWERED.format(status=intro.get_status_display().lower())
        )
    intro.status = Intro.Status.DECLINED
    intro.decided_at = now
    intro.decline_reason = reason
    intro.save(update_fields=["status", "decided_at", "decline_reason"])
    audit_record(
        actor=by,
        action="intro.decline",
        target=intro,
        subject_user=by,
        reason=intro.decline_reason,
        now=now,
    )
    messages.intro_declined(intro)
    return intro


@transaction.atomic
def intro_withdraw(*, intro: Intro, by, reason: str = "", now: datetime | None = None) -> Intro:
    """The candidate leaves a pipeline: open steps are cancelled and the company is told."""
    now = now or timezone.now()
    ensure_intro_candidate(user=by, intro=intro)
    reason = clean_value(Intro, "close_reason", reason, key="reason")
    intro = _locked_intro(intro)
    if intro.status != Intro.Status.ACCEPTED:
        raise ValidationError(
            WITHDRAW_NOT_IN_PIPELINE.format(status=intro.get_status_display().lower())
        )
    open_steps = intro.steps.filter(status__in=ACTIVE_STEP)
    # The company owes no answer on a cancelled step, unless its deadline had already passed.
    ResponseRecord.objects.filter(
        step__in=open_steps, responded_at__isnull=True, due_at__gt=now
    ).delete()
    open_steps.update(
        status=PipelineStep.Status.CANCELLED, close_reason="Withdrawn by the candidate."
    )
    _withdraw_open_offers(intro, now)
    intro.status = Intro.Status.WITHDRAWN
    intro.close_reason = reason
    intro.save(update_fields=["status", "close_reason"])
    audit_record(
        actor=by, action="intro.withdraw", target=intro, subject_user=by, reason=reason, now=now
    )
    messages.intro_withdrawn(intro, reason)
    return intro


# --- the company's pipeline ----------------------------------------------------------------


def _active_step_for_company(step: PipelineStep, by) -> PipelineStep:
    ensure_intro_company(user=by, intro=step.intro)
    return _locked_active_step(step)


def _locked_active_step(step: PipelineStep) -> PipelineStep:
    """The step, locked, if its pipeline is in progress and it is open or scheduled."""
    # Lock the step row only: the optional owner is an outer join, which PostgreSQL cannot lock.
    step = (
        PipelineStep.objects.select_for_update(of=("self",))
        .select_related("intro__role__company", "intro__candidate__user", "owner")
        .get(pk=step.pk)
    )
    if step.intro.status != Intro.Status.ACCEPTED:
        raise ValidationError(
            NOT_IN_PIPELINE.format(status=step.intro.get_status_display().lower())
        )
    if step.status not in ACTIVE_STEP:
        raise ValidationError(STEP_NOT_OPEN.format(status=step.get_status_display().lower()))
    return step


@transaction.atomic
def step_update(*, step: PipelineStep, by, owner=None, notes: str | None = None) -> PipelineStep:
    """Assign an owner (a member of the company) or edit the company's notes."""
    step = _active_step_for_company(step, by)
    _ensure_owner(owner, step.intro)
    data = {"owner": owner} if owner is not None else {}
    if notes is not None:
        data["notes"] = notes
    fields = model_update(
        step,
        data=data,
        allowed=("owner", "notes"),
        what="step",
        clean_exclude=["intro", "interview_step"],
    )
    if fields:
        audit_record(
            actor=by,
            action="step.update",
            target=step,
            subject_user=step.intro.candidate.user,
            data={"fields": fields, "owner": step.owner_id},
        )
    return step


@transaction.atomic
def step_schedule(
    *,
    step: PipelineStep,
    by,
    scheduled_at: datetime | None,
    duration_minutes: int | None = None,
    location: str = "",
    owner=None,
    notes: str | None = None,
    now: datetime | None = None,
) -> PipelineStep:
    """Schedule (or reschedule) a screen or interview; this answers the step in time if
    done by its deadline. The outcome is then due within the window after the interview."""
    now = now or timezone.now()
    step = _active_step_for_company(step, by)
    if step.kind not in SCHEDULABLE:
        raise ValidationError(STEP_NOT_SCHEDULABLE.format(kind=step.get_kind_display().lower()))
    if scheduled_at is None:
        raise ValidationError({"scheduled_at": STEP_NEEDS_TIME.format(name=step.name.lower())})
    _ensure_owner(owner, step.intro)
    location = clean_value(PipelineStep, "location", location)
    if notes is not None:
        notes = clean_value(PipelineStep, "notes", notes)
    moved_from = (
        step.scheduled_at
        if step.status == PipelineStep.Status.SCHEDULED and step.scheduled_at != scheduled_at
        else None
    )
    step.scheduled_at = scheduled_at
    if duration_minutes:
        step.duration_minutes = duration_minutes
    step.location = location
    if owner is not None:
        step.owner = owner
    if notes is not None:
        step.notes = notes
    step.status = PipelineStep.Status.SCHEDULED
    step.due_at = response_deadline(scheduled_at + timedelta(minutes=step.duration_minutes))
    step.reminded_at = step.escalated_at = None
    step.save()
    _respond(step, now)
    audit_record(
        actor=by,
        action="step.schedule",
        target=step,
        subject_user=step.intro.candidate.user,
        now=now,
        data={"scheduled_at": scheduled_at.isoformat(), "owner": step.owner_id},
    )
    messages.step_scheduled(step, moved_from=moved_from, prep=_prep_section(step))
    return step


def _prep_section(step: PipelineStep) -> str:
    prep = prep_text(step.intro.role, step.interview_step)
    return f"\n\nHow to prepare\n{prep}" if prep else ""


@transaction.atomic
def step_complete(
    *, step: PipelineStep, by, notes: str | None = None, now: datetime | None = None
) -> PipelineStep:
    """The candidate passed this step: it is done and the next one opens (or, for the
    hire step, the intro is marked hired and the candidate paused). Returns the next step,
    or this one if last. A scheduled step is passed only after its time; the offer step is
    passed by the candidate accepting an offer (:func:`offer_make`, :func:`offer_accept`),
    and the hire needs that acceptance."""
    now = now or timezone.now()
    step = _active_step_for_company(step, by)
    if step.kind == PipelineStep.Kind.OFFER:
        raise ValidationError(OFFER_NEEDS_TERMS)
    if (
        step.kind == PipelineStep.Kind.HIRED
        and not step.intro.offers.filter(status=Offer.Status.ACCEPTED).exists()
    ):
        raise ValidationError(HIRE_NEEDS_ACCEPTANCE)
    if step.scheduled_at is not None and step.scheduled_at > now:
        raise ValidationError(
            STEP_NOT_HELD_YET.format(
                name=step.name.lower(), when=format_local(step.scheduled_at, by)
            )
        )
    if notes is not None:
        notes = clean_value(PipelineStep, "notes", notes)
    return _pass_step(step, by=by, notes=notes, now=now)


def _pass_step(step: PipelineStep, *, by, notes: str | None, now: datetime) -> PipelineStep:
    step.status = PipelineStep.Status.DONE
    step.completed_at = now
    if notes is not None:
        step.notes = notes
    step.save(update_fields=["status", "completed_at", "notes"])
    _respond(step, now)
    intro = step.intro
    audit_record(
        actor=by,
        action="step.complete",
        target=step,
        subject_user=intro.candidate.user,
        now=now,
        data={"kind": step.kind},
    )
    if step.kind == PipelineStep.Kind.HIRED:
        _hire(intro, by=by, now=now)
        return step
    nxt = _open_step(intro, step.position + 1, now)
    if step.kind != PipelineStep.Kind.OFFER:  # an accepted offer has its own message
        _step_passed_message(intro, step, nxt)
    return nxt


def _step_passed_message(intro: Intro, step: PipelineStep, nxt: PipelineStep) -> None:
    company = intro.role.company.name
    user = intro.candidate.user
    _notify_candidate(
        intro,
        event="step_passed",
        about=about_key(nxt, "opened"),
        subject=f"{intro.role.title} at {company}: next step, {nxt.name.lower()}",
        body=f"{company} moved you past the {step.name.lower()} for {intro.role.title}. "
        f"Next: {nxt.name.lower()}; they will act on it by {format_local(nxt.due_at, user)}.",
    )


def _hire(intro: Intro, *, by, now: datetime) -> None:
    """Mark the intro hired and pause the candidate, so no Match Day proposes them again
    until they resume; they are told how."""
    intro.status = Intro.Status.HIRED
    intro.save(update_fields=["status"])
    audit_record(
        actor=by, action="intro.hired", target=intro, subject_user=intro.candidate.user, now=now
    )
    paused = candidate_pause_hired(profile=intro.candidate, intro_id=intro.pk, now=now)
    _hired_message(intro, paused=paused)


def _hired_message(intro: Intro, *, paused: bool) -> None:
    company = intro.role.company.name
    body = f"{company} recorded your hire as {intro.role.title}. Congratulations!"
    if paused:
        body += (
            "\n\nWe paused your search, so you are not part of the next Match Days. To be "
            "matched again, resume it any time from your controls:\n"
            + absolute_url(reverse("followup:controls"))
        )
    _notify_candidate(
        intro,
        event="hired",
        about=about_key(intro, "hired"),
        subject=f"Welcome to {company}",
        body=body,
    )


# --- the offer ------------------------------------------------------------------------------


def ensure_offer_candidate(*, user, offer: Offer) -> None:
    if not (
        user is not None
        and user.is_authenticated
        and user.is_candidate
        and offer.intro.candidate.user_id == user.pk
    ):
        raise PermissionDenied(OFFER_NOT_YOURS)


@transaction.atomic
def offer_make(
    *,
    step: PipelineStep,
    by,
    amount: int,
    start_date: date,
    expires_at: datetime,
    currency: str = "",
    notes: str = "",
    outside_band_reason: str = "",
    now: datetime | None = None,
) -> Offer:
    """The company makes a written offer on the offer step: amount (inside the role's band,
    or with a reason to go outside it; another currency than the band's also needs one),
    start date, expiry and notes. A previous offer still awaiting an answer is withdrawn.
    Making it answers the step in time; the candidate accepts or declines by the expiry."""
    now = now or timezone.now()
    step = _active_step_for_company(step, by)
    if step.kind != PipelineStep.Kind.OFFER:
        raise ValidationError(OFFER_NOT_OFFER_STEP.format(name=step.name.lower()))
    intro = step.intro
    role = intro.role
    errors: dict[str, str] = {}
    currency = validate_currency(currency or role.pay_currency)
    if not isinstance(amount, int) or amount <= 0:
        errors["amount"] = "Give the offered amount."
    outside_band_reason = clean_value(Offer, "outside_band_reason", outside_band_reason)
    notes = clean_value(Offer, "notes", notes)
    in_band = currency == role.pay_currency and role.pay_min <= amount <= role.pay_max
    if "amount" not in errors and not in_band and not outside_band_reason:
        errors["outside_band_reason"] = OFFER_OUTSIDE_BAND.format(
            amount=format_amount(amount, currency),
            band=format_band(role.pay_min, role.pay_max, role.pay_currency),
        )
    if timezone.is_naive(expires_at):
        errors["expires_at"] = OFFER_EXPIRY_NEEDS_ZONE
    elif expires_at < now + timedelta(hours=OFFER_MIN_HOURS):
        errors["expires_at"] = OFFER_EXPIRY_PAST.format(hours=OFFER_MIN_HOURS)
    elif expires_at > now + timedelta(days=OFFER_MAX_DAYS):
        errors["expires_at"] = OFFER_EXPIRY_TOO_FAR.format(days=OFFER_MAX_DAYS)
    today = timezone.localdate(now)
    if start_date < today:
        errors["start_date"] = OFFER_START_PAST
    elif start_date > today + timedelta(days=OFFER_START_MAX_DAYS):
        errors["start_date"] = OFFER_START_TOO_FAR.format(days=OFFER_START_MAX_DAYS)
    if errors:
        raise ValidationError(errors)
    previous = list(intro.offers.select_for_update().filter(status=Offer.Status.MADE))
    for old in previous:
        old.status = Offer.Status.WITHDRAWN
        old.answered_at = now
        old.save(update_fields=["status", "answered_at"])
    offer = Offer.objects.create(
        intro=intro,
        step=step,
        amount=amount,
        currency=currency,
        pay_period=role.pay_period,
        start_date=start_date,
        expires_at=expires_at,
        notes=notes,
        outside_band_reason=outside_band_reason,
        made_by=by,
        made_at=now,
    )
    _respond(step, now)
    # The company owes nothing while the candidate decides; it acts again after the expiry.
    step.due_at = response_deadline(expires_at)
    step.reminded_at = step.escalated_at = None
    step.save(update_fields=["due_at", "reminded_at", "escalated_at"])
    audit_record(
        actor=by,
        action="offer.make",
        target=offer,
        subject_user=intro.candidate.user,
        now=now,
        reason=outside_band_reason,
        data={
            "amount": amount,
            "currency": currency,
            "start_date": start_date.isoformat(),
            "expires_at": expires_at.isoformat(),
            "in_band": in_band,
            "replaces": [o.pk for o in previous],
        },
    )
    _offer_made_message(offer)
    return offer


def _offer_terms(offer: Offer) -> str:
    return (
        f"{format_pay(offer.amount, offer.currency, offer.pay_period)}, "
        f"starting {offer.start_date.day} {offer.start_date:%B %Y}"
    )


def _offer_made_message(offer: Offer) -> None:
    intro = offer.intro
    user = intro.candidate.user
    company = intro.role.company.name
    _notify_candidate(
        intro,
        event="offer_made",
        about=about_key(offer, "made"),
        subject=f"Offer from {company}: {intro.role.title}",
        body=(
            f"{company} offers you the {intro.role.title} role: {_offer_terms(offer)}."
            + (f"\nTheir note: {offer.notes}" if offer.notes else "")
            + (
                f"\nWhy outside the band: {offer.outside_band_reason}"
                if offer.outside_band_reason
                else ""
            )
            + f"\nPlease accept or decline by {format_local(offer.expires_at, user)}."
        ),
    )


def _locked_open_offer(offer: Offer, now: datetime) -> Offer:
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("intro__role__company", "intro__candidate__user", "step")
        .get(pk=offer.pk)
    )
    if offer.status != Offer.Status.MADE:
        raise ValidationError(OFFER_NOT_OPEN.format(status=offer.get_status_display().lower()))
    if offer.intro.status != Intro.Status.ACCEPTED:
        raise ValidationError(
            NOT_IN_PIPELINE.format(status=offer.intro.get_status_display().lower())
        )
    if offer.expires_at <= now:
        raise ValidationError(
            OFFER_EXPIRED.format(when=format_local(offer.expires_at, offer.intro.candidate.user))
        )
    return offer


@transaction.atomic
def offer_accept(*, offer: Offer, by, now: datetime | None = None) -> Offer:
    """The candidate accepts the offer: the offer step is passed and the hire step opens
    for the company to record."""
    now = now or timezone.now()
    ensure_offer_candidate(user=by, offer=offer)
    offer = _locked_open_offer(offer, now)
    offer.status = Offer.Status.ACCEPTED
    offer.answered_at = now
    offer.save(update_fields=["status", "answered_at"])
    audit_record(actor=by, action="offer.accept", target=offer, subject_user=by, now=now)
    step = PipelineStep.objects.select_for_update(of=("self",)).get(pk=offer.step_id)
    if step.status in ACTIVE_STEP:
        _pass_step(step, by=by, notes=None, now=now)
    _offer_answered_message(offer)
    return offer


@transaction.atomic
def offer_decline(*, offer: Offer, by, reason: str = "", now: datetime | None = None) -> Offer:
    """The candidate declines the offer, optionally saying why; the company may make another
    or close the process, within its response window."""
    now = now or timezone.now()
    ensure_offer_candidate(user=by, offer=offer)
    reason = clean_value(Offer, "decline_reason", reason, key="reason")
    offer = _locked_open_offer(offer, now)
    offer.status = Offer.Status.DECLINED
    offer.answered_at = now
    offer.decline_reason = reason
    offer.save(update_fields=["status", "answered_at", "decline_reason"])
    _reopen_for_company(offer.step_id, now)
    audit_record(
        actor=by, action="offer.decline", target=offer, subject_user=by, reason=reason, now=now
    )
    _offer_answered_message(offer)
    return offer


def _reopen_for_company(step_id: int, now: datetime) -> None:
    """After a declined or expired offer the company must act again (a new offer, or close
    with a reason) within the response window."""
    step = PipelineStep.objects.select_for_update(of=("self",)).get(pk=step_id)
    if step.status not in ACTIVE_STEP:
        return
    step.due_at = response_deadline(now)
    step.reminded_at = step.escalated_at = None
    step.save(update_fields=["due_at", "reminded_at", "escalated_at"])
    # A miss already recorded on this step stays in the company's record.
    ResponseRecord.objects.filter(step=step, missed=False).update(
        opened_at=now, due_at=step.due_at, responded_at=None
    )


def _offer_answered_message(offer: Offer) -> None:
    intro = offer.intro
    name = intro.candidate.user.full_name
    verbs: dict[str, str] = {
        Offer.Status.ACCEPTED: "accepted",
        Offer.Status.DECLINED: "declined",
        Offer.Status.EXPIRED: "did not answer",
    }
    verb = verbs[offer.status]
    if offer.status == Offer.Status.ACCEPTED:
        nxt = "Record the hire once the contract is signed."
    else:
        nxt = "Make a new offer, or close the process with a reason."
    body = f"{name} {verb} your offer for {intro.role.title} ({_offer_terms(offer)})."
    if offer.decline_reason:
        body += f"\nTheir reason: {offer.decline_reason}"
    _notify_members(
        intro,
        kind=Message.Kind.OTHER,
        about=about_key(offer, offer.status),
        event=f"offer_{offer.status}",
        subject=f"{name} {verb} your offer for {intro.role.title}",
        body=body + f"\n{nxt}",
    )


@dataclass(frozen=True)
class OfferRun:
    reminded: int
    expired: int


OFFER_REMIND_BEFORE = timedelta(hours=24)


def offers_remind_and_expire(*, now: datetime | None = None) -> OfferRun:
    """Tell the candidate a day before an offer expires, and expire it when its time has
    passed (both sides are told). Safe to run any number of times."""
    now = now or timezone.now()
    reminded = expired = 0
    soon = Offer.objects.filter(
        status=Offer.Status.MADE,
        reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + OFFER_REMIND_BEFORE,
    ).values_list("pk", flat=True)
    for pk in list(soon):
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update(of=("self",))
                .select_related("intro__role__company", "intro__candidate__user")
                .get(pk=pk)
            )
            if offer.status != Offer.Status.MADE or offer.reminded_at is not None:
                continue
            offer.reminded_at = now
            offer.save(update_fields=["reminded_at"])
            _offer_expiring_message(offer)
            reminded += 1
    due = Offer.objects.filter(status=Offer.Status.MADE, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update(of=("self",))
                .select_related("intro__role__company", "intro__candidate__user")
                .get(pk=pk)
            )
            if offer.status != Offer.Status.MADE or offer.expires_at > now:
                continue
            offer.status = Offer.Status.EXPIRED
            offer.save(update_fields=["status"])
            _reopen_for_company(offer.step_id, now)
            audit_record(
                actor=None,
                action="offer.expire",
                target=offer,
                subject_user=offer.intro.candidate.user,
                now=now,
            )
            _offer_expired_messages(offer)
            expired += 1
    return OfferRun(reminded=reminded, expired=expired)


def _offer_expiring_message(offer: Offer) -> None:
    intro = offer.intro
    user = intro.candidate.user
    company = intro.role.company.name
    _notify_candidate(
        intro,
        event="offer_expiring",
        about=about_key(offer, "expiring"),
        subject=f"Your offer from {company} expires soon",
        body=(
            f"{company}'s offer for {intro.role.title} ({_offer_terms(offer)}) expires on "
            f"{format_local(offer.expires_at, user)}. Accept or decline it before then."
        ),
    )


def _offer_expired_messages(offer: Offer) -> None:
    intro = offer.intro
    company = intro.role.company.name
    _notify_candidate(
        intro,
        event="offer_expired",
        about=about_key(offer, "expired"),
        subject=f"Your offer from {company} expired",
        body=(
            f"{company}'s offer for {intro.role.title} expired without an answer. They may make "
            "a new one or close the process."
        ),
    )
    _offer_answered_message(offer)


def _withdraw_open_offers(intro: Intro, now: datetime) -> None:
    Offer.objects.filter(intro=intro, status=Offer.Status.MADE).update(
        status=Offer.Status.WITHDRAWN, answered_at=now
    )


def _close_intro(intro: Intro, reason: str, now: datetime) -> None:
    """Cancel the open steps and close the intro with ``reason`` (the candidate reads it)."""
    _withdraw_open_offers(intro, now)
    intro.steps.filter(status__in=ACTIVE_STEP).update(
        status=PipelineStep.Status.CANCELLED, close_reason=reason
    )
    intro.status = Intro.Status.CLOSED
    intro.close_reason = reason
    intro.save(update_fields=["status", "close_reason"])


@transaction.atomic
def pipeline_close(*, intro: Intro, by, reason: str, now: datetime | None = None) -> Intro:
    """The company ends the process with a reason the candidate sees; closing answers the
    open step."""
    now = now or timezone.now()
    ensure_intro_company(user=by, intro=intro)
    intro = _locked_intro(intro)
    if intro.status != Intro.Status.ACCEPTED:
        raise ValidationError(NOT_IN_PIPELINE.format(status=intro.get_status_display().lower()))
    reason = clean_value(Intro, "close_reason", reason, key="reason")
    if not reason:
        raise ValidationError({"reason": CLOSE_NEEDS_REASON})
    for step in intro.steps.filter(status__in=ACTIVE_STEP):
        _respond(step, now)
    _close_intro(intro, reason, now)
    audit_record(
        actor=by,
        action="intro.close",
        target=intro,
        subject_user=intro.candidate.user,
        reason=reason,
        now=now,
    )
    messages.pipeline_closed(intro, reason=reason)
    return intro


# --- no ghosting -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    reminded: int
    escalated: int


def send_reminders(*, now: datetime | None = None) -> ReminderRun:
    """Remind the owner (or every member) of each step past its deadline, record the miss,
    and escalate to talent partners after the grace period. Safe to run any number of times:
    each step is reminded and escalated once per deadline."""
    now = now or timezone.now()
    reminded = escalated = 0
    due = (
        PipelineStep.objects.filter(
            status__in=ACTIVE_STEP, due_at__lte=now, intro__status=Intro.Status.ACCEPTED
        )
        .filter(escalated_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for pk in list(due):
        with transaction.atomic():
            step = (
                PipelineStep.objects.select_for_update(of=("self",))
                .select_related(
                    "owner", "intro__role__company", "intro__candidate__user", "intro__matchday"
                )
                .get(pk=pk)
            )
            if step.status not in ACTIVE_STEP or step.due_at > now:
                continue
            if step.reminded_at is None:
                _remind(step, now)
                reminded += 1
            if step.escalated_at is None and now >= escalation_time(step.due_at):
                _escalate(step, now)
                escalated += 1
    return ReminderRun(reminded=reminded, escalated=escalated)


UPCOMING_HOURS = 24


def remind_candidates_upcoming(*, now: datetime | None = None) -> int:
    """Tell each candidate, in the day before a scheduled screen or interview, when and where
    it is and how to prepare (the step's prep material). Safe to run any number of times: one
    message per step and scheduled time (a rescheduled step is reminded again)."""
    now = now or timezone.now()
    upcoming = (
        PipelineStep.objects.filter(
            status=PipelineStep.Status.SCHEDULED,
            intro__status=Intro.Status.ACCEPTED,
            scheduled_at__gt=now,
            scheduled_at__lte=now + timedelta(hours=UPCOMING_HOURS),
        )
        .select_related("intro__role__company", "intro__candidate__user", "interview_step")
        .order_by("scheduled_at", "pk")
    )
    sent = 0
    for step in upcoming:
        sent += messages.step_upcoming(step, prep=_prep_section(step))
    return sent


def _what_is_due(step: PipelineStep, user) -> str:
    """What the company owes on ``step``, its times in ``user``'s zone."""
    if step.status == PipelineStep.Status.SCHEDULED:
        held = format_local(step.scheduled_at, user, "%-d %B %Y")
        return f"record the outcome of the {step.name.lower()} held on {held}"
    if step.kind in SCHEDULABLE:
        return f"schedule the {step.name.lower()} (or close the process with a reason)"
    return f"record the {step.name.lower()} (or close the process with a reason)"


def _remind(step: PipelineStep, now: datetime) -> None:
    intro = step.intro
    owner = step.owner
    if owner is not None and owner.is_active and owner.company_id == intro.role.company_id:
        recipients = [owner]
    else:
        recipients = _company_members(intro.role.company)
    messages.step_overdue(step, recipients, what=lambda u: _what_is_due(step, u))
    missed = ResponseRecord.objects.filter(
        step=step, responded_at__isnull=True, due_at__lte=now
    ).update(missed=True)
    step.reminded_at = now
    step.save(update_fields=["reminded_at"])
    audit_record(
        actor=None,
        action="step.deadline_missed",
        target=step,
        subject_user=intro.candidate.user,
        now=now,
        data={
            "due_at": step.due_at.isoformat(),
            "recorded_miss": bool(missed),
            "reminded": [u.pk for u in recipients],
        },
    )


def _escalate(step: PipelineStep, now: datetime) -> None:
    intro = step.intro
    company = intro.role.company
    partners = User.objects.filter(persona=User.Persona.PARTNER, is_active=True).order_by("pk")
    messages.step_escalated(step, partners, what=lambda u: _what_is_due(step, u))
    step.escalated_at = now
    step.save(update_fields=["escalated_at"])
    audit_record(
        actor=None,
        action="step.escalate",
        target=step,
        subject_user=intro.candidate.user,
        now=now,
        data={"company": company.pk, "partners": [p.pk for p in partners]},
    )


# --- partner oversight: acting on an escalation ------------------------------------------

STEP_OWNER_UNCHANGED = "{name} already owns this step."


def _active_step_for_partner(step: PipelineStep, by) -> PipelineStep:
    ensure_partner(by)
    return _locked_active_step(step)


def _step_recipients(step: PipelineStep) -> list[User]:
    owner = step.owner
    if owner is not None and owner.is_active and owner.company_id == step.intro.role.company_id:
        return [owner]
    return _company_members(step.intro.role.company)


@transaction.atomic
def step_nudge(
    *, step: PipelineStep, by, note: str = "", now: datetime | None = None
) -> PipelineStep:
    """A talent partner asks the step's owner (or, with no owner, every member) to act now,
    with an optional note; each nudge is its own message and audit entry."""
    now = now or timezone.now()
    step = _active_step_for_partner(step, by)
    intro = step.intro
    note = clean_value(AuditEntry, "reason", note, key="note")  # kept in the log and messages
    recipients = _step_recipients(step)
    messages.step_nudged(
        step, recipients, by=by, note=note, what=lambda u: _what_is_due(step, u), now=now
    )
    audit_record(
        actor=by,
        action="step.nudge",
        target=step,
        subject_user=intro.candidate.user,
        reason=note,
        now=now,
        data={"recipients": [u.pk for u in recipients]},
    )
    return step


@transaction.atomic
def step_reassign(
    *, step: PipelineStep, by, owner: User, now: datetime | None = None
) -> PipelineStep:
    """A talent partner gives the step to another member of the company, who is told."""
    now = now or timezone.now()
    step = _active_step_for_partner(step, by)
    intro = step.intro
    _ensure_owner(owner, intro)
    if owner.pk == step.owner_id:
        raise ValidationError({"owner": STEP_OWNER_UNCHANGED.format(name=owner.full_name)})
    previous = step.owner_id
    step.owner = owner
    step.save(update_fields=["owner"])
    messages.step_reassigned(step, owner, by=by, what=_what_is_due(step, owner), now=now)
    audit_record(
        actor=by,
        action="step.reassign",
        target=step,
        subject_user=intro.candidate.user,
        now=now,
        data={"from": previous, "to": owner.pk},
    )
    return step


@transaction.atomic
def intro_close_by_partner(*, intro: Intro, by, reason: str, now: datetime | None = None) -> Intro:
    """A talent partner ends a process the company let lapse, with a reason the candidate
    reads. Unlike the company's own close, this does not answer the open step: a deadline
    already missed stays missed, one still ahead is no longer owed."""
    now = now or timezone.now()
    ensure_partner(by)
    intro = _locked_intro(intro)
    if intro.status != Intro.Status.ACCEPTED:
        raise ValidationError(NOT_IN_PIPELINE.format(status=intro.get_status_display().lower()))
    reason = clean_value(Intro, "close_reason", reason, key="reason")
    if not reason:
        raise ValidationError({"reason": CLOSE_NEEDS_REASON})
    open_records = ResponseRecord.objects.filter(
        step__intro=intro, step__status__in=ACTIVE_STEP, responded_at__isnull=True
    )
    open_records.filter(due_at__lte=now).update(missed=True)
    open_records.filter(due_at__gt=now).delete()
    _close_intro(intro, reason, now)
    audit_record(
        actor=by,
        action="intro.close_by_partner",
        target=intro,
        subject_user=intro.candidate.user,
        reason=reason,
        now=now,
    )
    messages.pipeline_closed(intro, reason=reason, by_partner=True)
    return intro


# --- candidate controls --------------------------------------------------------------------


@transaction.atomic
def candidate_hide_company(
    *, profile: CandidateProfile, by, company, now: datetime | None = None
) -> None:
    """``company`` no longer sees this candidate, from this moment: the engine never proposes
    them to it, its shortlists in a Match Day under way drop them, it cannot decide on them,
    release skips the pair, and any decision it already made is withdrawn."""
    ensure_can_edit_profile(user=by, profile=profile)
    profile.hidden_companies.add(company)
    audit_record(
        actor=by,
        action="candidate.hide_company",
        target=profile,
        subject_user=by,
        data={"company": company.pk},
        now=now,
    )
    interests_withdraw_hidden(candidate=profile, company=company, now=now)


@transaction.atomic
def candidate_unhide_company(*, profile: CandidateProfile, by, company) -> None:
    ensure_can_edit_profile(user=by, profile=profile)
    profile.hidden_companies.remove(company)
    audit_record(
        actor=by,
        action="candidate.unhide_company",
        target=profile,
        subject_user=by,
        data={"company": company.pk},
    )


@transaction.atomic
def demographics_save(
    *, profile: CandidateProfile, by, sex: str = "", race_ethnicity: str = ""
) -> Demographics | None:
    """Store the candidate's voluntary self-report; two blanks delete it. The audit entry
    records that it changed, never the values."""
    ensure_can_edit_profile(user=by, profile=profile)
    if not sex and not race_ethnicity:
        Demographics.objects.filter(candidate=profile).delete()
        audit_record(actor=by, action="demographics.delete", target=profile, subject_user=by)
        return None
    row = Demographics(candidate=profile, sex=sex, race_ethnicity=race_ethnicity)
    row.full_clean(exclude=["candidate"], validate_unique=False)
    row, _ = Demographics.objects.update_or_create(
        candidate=profile, defaults={"sex": sex, "race_ethnicity": race_ethnicity}
    )
    audit_record(actor=by, action="demographics.update", target=profile, subject_user=by)
    return row
