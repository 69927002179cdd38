"""Every write to a candidate's profile, and vetting decisions about it."""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from matchday.accounts.models import User
from matchday.accounts.services import check_new_user, user_create
from matchday.audits.services import audit_record
from matchday.core.fields import clean_value
from matchday.core.money import validate_currency
from matchday.core.permissions import ensure_can_edit_profile, ensure_partner
from matchday.core.services import model_update
from matchday.core.text_changes import profile_texts_changed
from matchday.notifications import messages
from matchday.talent.models import (
    Achievement,
    CandidateProfile,
    CandidateSkill,
    Education,
    Experience,
    Link,
    PartnerNote,
)
from matchday.taxonomy.models import Skill
from matchday.taxonomy.services import check_open_skills, skill_ensure

MAX_ACHIEVEMENTS = 3
# Work history and education: a career, not a list (the import's review page keeps as many).
MAX_EXPERIENCES = 40
MAX_EDUCATION = 20
TOO_MANY_EXPERIENCES = f"A profile holds at most {MAX_EXPERIENCES} jobs; remove one first."
TOO_MANY_EDUCATION = f"A profile holds at most {MAX_EDUCATION} degrees; remove one first."
MIN_ACHIEVEMENTS_TO_SUBMIT = 2
MIN_SKILLS_TO_SUBMIT = 3
DUPLICATE_SKILL = "{skill} is already on your profile; edit its level instead."
TOO_MANY_ACHIEVEMENTS = "A profile holds at most 3 achievements; edit or remove one first."
REJECT_NEEDS_REASON = "Give the candidate a reason."
CANNOT_SUBMIT_FROM = "A profile that is {status} cannot be submitted for vetting."
NOT_SUBMITTED = "Only a submitted profile can be vetted (this one is {status})."
NOT_VETTED_YET = "Only a vetted profile can be activated (this one is {status})."
NOT_ACTIVE = "Only an active profile can be paused (this one is {status})."
INCOMPLETE = "Complete your profile before submitting: {missing}."
NEGATIVE_YEARS = "Years cannot be negative."
END_BEFORE_START = "The end is before the start."

# What each update service may set (``core.services.model_update`` refuses anything else).
ACHIEVEMENT_FIELDS = ("title", "problem", "constraints", "options", "decision", "result")
EXPERIENCE_FIELDS = ("employer", "title", "description", "start", "end")
EDUCATION_FIELDS = ("school", "degree", "field", "end_year")
NOTE_FIELDS = ("topic", "body")
PROFILE_FIELDS = (
    "headline", "summary", "country", "city", "timezone", "remote_preference",
    "acceptable_countries", "acceptable_cities", "work_authorization", "years_experience",
    "level", "role_types", "domains", "company_stages", "company_sizes", "min_pay_amount",
    "min_pay_currency", "min_pay_period", "dealbreakers", "preference_weights",
)  # fmt: skip


def missing_for_submission(profile: CandidateProfile) -> list[str]:
    """What a profile still lacks before it can be submitted, in the candidate's words."""
    missing = []
    if not profile.headline:
        missing.append("a headline")
    if not profile.level:
        missing.append("your level")
    if not profile.country:
        missing.append("your country")
    if not profile.role_types:
        missing.append("the role types you want")
    if profile.min_pay_amount is None:
        missing.append("your minimum pay")
    if profile.skills.count() < MIN_SKILLS_TO_SUBMIT:
        missing.append(f"at least {MIN_SKILLS_TO_SUBMIT} skills")
    if profile.achievements.count() < MIN_ACHIEVEMENTS_TO_SUBMIT:
        missing.append(f"at least {MIN_ACHIEVEMENTS_TO_SUBMIT} achievements")
    return missing


def _profile_prepare(profile: CandidateProfile) -> None:
    if profile.min_pay_amount is not None:
        profile.min_pay_currency = validate_currency(profile.min_pay_currency)


def _profile_update(profile: CandidateProfile, data: dict[str, Any], *, save: bool) -> list[str]:
    """Set ``data`` on ``profile`` and check the result as every write path must."""
    return model_update(
        profile,
        data=data,
        allowed=PROFILE_FIELDS,
        what="profile",
        prepare=_profile_prepare,
        clean_exclude=["user", "vetted_by"],
        save=save,
    )


def profile_check(*, profile: CandidateProfile, by, data: dict[str, Any]) -> None:
    """Raise the ``ValidationError`` that ``profile_update`` would raise for ``data``,
    without changing ``profile`` or writing anything (imports check drafts with it)."""
    ensure_can_edit_profile(user=by, profile=profile)
    _profile_update(copy.copy(profile), data, save=False)


@transaction.atomic
def profile_update(*, profile: CandidateProfile, by, data: dict[str, Any]) -> CandidateProfile:
    ensure_can_edit_profile(user=by, profile=profile)
    _profile_update(profile, data, save=True)
    profile_texts_changed(profile_id=profile.pk)
    audit_record(
        actor=by,
        action="profile.update",
        target=profile,
        subject_user=profile.user,
        data={"fields": sorted(data)},
    )
    return profile


@transaction.atomic
def candidate_skill_set(
    *,
    profile: CandidateProfile,
    by,
    skill_id: str,
    level: int,
    years: Decimal | float = 0,
    evidence: str = "",
    create_only: bool = False,
) -> CandidateSkill:
    """Add a skill, or update its level/years/evidence. ``create_only`` refuses duplicates.

    ``skill_id`` is a taxonomy id or any typed skill name: a name the taxonomy does not know
    is kept as an open skill (``taxonomy.services.skill_ensure``), at most
    ``MAX_OPEN_SKILLS`` per profile."""
    ensure_can_edit_profile(user=by, profile=profile)
    try:
        skill = skill_ensure(skill_id)
    except ValidationError as exc:
        raise ValidationError({"skill": exc.messages}) from None
    if Decimal(str(years)) < 0:
        raise ValidationError({"years": NEGATIVE_YEARS})
    CandidateProfile.objects.select_for_update().filter(pk=profile.pk).first()
    row = CandidateSkill.objects.filter(candidate=profile, skill=skill).first()
    if row is not None and create_only:
        raise ValidationError({"skill": DUPLICATE_SKILL.format(skill=skill.label)})
    if row is None and skill.is_open:
        n = CandidateSkill.objects.filter(candidate=profile, skill__source=Skill.Source.OPEN)
        try:
            check_open_skills(n.count() + 1, owner="profile")
        except ValidationError as exc:
            raise ValidationError({"skill": exc.message_dict["skills"]}) from None
    row = row or CandidateSkill(candidate=profile, skill=skill)
    row.level, row.years, row.evidence = level, Decimal(str(years)), evidence
    row.full_clean(exclude=["candidate", "skill"])
    row.save()
    profile_texts_changed(profile_id=profile.pk)
    return row


@transaction.atomic
def candidate_skill_remove(*, profile: CandidateProfile, by, skill_id: str) -> None:
    ensure_can_edit_profile(user=by, profile=profile)
    CandidateSkill.objects.filter(candidate=profile, skill_id=skill_id).delete()
    profile_texts_changed(profile_id=profile.pk)


def candidate_skill_counts(skill_ids: list[str]) -> dict[str, int]:
    """How many profiles name each of ``skill_ids`` (for the partners' unmapped-names page)."""
    rows = (
        CandidateSkill.objects.filter(skill_id__in=skill_ids)
        .values("skill_id")
        .annotate(n=Count("candidate", distinct=True))
        .values_list("skill_id", "n")
    )
    return dict(rows)


@transaction.atomic
def candidate_skills_relink(old: str, new: str) -> int:
    """Move every profile's claim of skill ``old`` onto ``new``: a partner mapped the open
    name ``old`` into the taxonomy (``taxonomy.services.skill_name_map``, which checked the
    permission). A profile that claims ``new`` already keeps one row with the higher level,
    the more years and both evidences. Returns the number of profiles moved."""
    rows = list(CandidateSkill.objects.select_for_update().filter(skill_id=old))
    has_new = {
        r.candidate_id: r
        for r in CandidateSkill.objects.select_for_update().filter(
            skill_id=new, candidate_id__in=[r.candidate_id for r in rows]
        )
    }
    limit = CandidateSkill._meta.get_field("evidence").max_length or 2000
    for row in rows:
        other = has_new.get(row.candidate_id)
        if other is None:
            continue
        other.level = max(other.level, row.level)
        other.years = max(other.years, row.years)
        joined = "\n".join(e for e in (other.evidence, row.evidence) if e)
        other.evidence = joined[:limit]
        other.save(update_fields=["level", "years", "evidence"])
        row.delete()
    CandidateSkill.objects.filter(skill_id=old).update(skill_id=new)
    return len(rows)


@transaction.atomic
def achievement_save(
    *, profile: CandidateProfile, by, achievement: Achievement | None = None, data: dict[str, str]
) -> Achievement:
    ensure_can_edit_profile(user=by, profile=profile)
    if achievement is None:
        if profile.achievements.count() >= MAX_ACHIEVEMENTS:
            raise ValidationError(TOO_MANY_ACHIEVEMENTS)
        achievement = Achievement(candidate=profile, position=profile.achievements.count())
    elif achievement.candidate_id != profile.pk:
        ensure_can_edit_profile(user=by, profile=achievement.candidate)
    model_update(
        achievement,
        data=data,
        allowed=ACHIEVEMENT_FIELDS,
        what="achievement",
        clean_exclude=["candidate"],
    )
    profile_texts_changed(profile_id=achievement.candidate_id)
    return achievement


@transaction.atomic
def achievement_delete(*, achievement: Achievement, by) -> None:
    ensure_can_edit_profile(user=by, profile=achievement.candidate)
    profile_texts_changed(profile_id=achievement.candidate_id)
    achievement.delete()


def iso_date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD).") from None


@transaction.atomic
def experience_save(
    *, profile: CandidateProfile, by, experience: Experience | None = None, data: dict[str, Any]
) -> Experience:
    """Add a job to the candidate's work history (at most ``MAX_EXPERIENCES``), or change
    one. Employers are identity: only the candidate and talent partners see them."""
    ensure_can_edit_profile(user=by, profile=profile)
    if experience is None:
        locked = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.experiences.count() >= MAX_EXPERIENCES:
            raise ValidationError(TOO_MANY_EXPERIENCES)
        experience = Experience(candidate=profile)
    elif experience.candidate_id != profile.pk:
        ensure_can_edit_profile(user=by, profile=experience.candidate)
    values = {
        field: iso_date(value) if field in ("start", "end") else value or ""
        for field, value in data.items()
    }
    model_update(
        experience,
        data=values,
        allowed=EXPERIENCE_FIELDS,
        what="work history",
        prepare=_experience_dates,
        clean_exclude=["candidate"],
    )
    return experience


def _experience_dates(experience: Experience) -> None:
    if experience.start and experience.end and experience.end < experience.start:
        raise ValidationError({"end": END_BEFORE_START})


@transaction.atomic
def experience_delete(*, experience: Experience, by) -> None:
    ensure_can_edit_profile(user=by, profile=experience.candidate)
    experience.delete()


@transaction.atomic
def education_save(
    *, profile: CandidateProfile, by, education: Education | None = None, data: dict[str, Any]
) -> Education:
    """Add a degree (at most ``MAX_EDUCATION``), or change one."""
    ensure_can_edit_profile(user=by, profile=profile)
    if education is None:
        locked = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.education.count() >= MAX_EDUCATION:
            raise ValidationError(TOO_MANY_EDUCATION)
        education = Education(candidate=profile)
    elif education.candidate_id != profile.pk:
        ensure_can_edit_profile(user=by, profile=education.candidate)
    values = {
        field: (value or None) if field == "end_year" else value or ""
        for field, value in data.items()
    }
    model_update(
        education,
        data=values,
        allowed=EDUCATION_FIELDS,
        what="education",
        clean_exclude=["candidate"],
    )
    return education


@transaction.atomic
def education_delete(*, education: Education, by) -> None:
    ensure_can_edit_profile(user=by, profile=education.candidate)
    education.delete()


@transaction.atomic
def link_save(*, profile: CandidateProfile, by, kind: str, url: str, title: str = "") -> Link:
    ensure_can_edit_profile(user=by, profile=profile)
    link = Link(candidate=profile, kind=kind, url=url, title=title)
    link.full_clean(exclude=["candidate"])
    link.save()
    return link


@transaction.atomic
def link_delete(*, link: Link, by) -> None:
    ensure_can_edit_profile(user=by, profile=link.candidate)
    link.delete()


@transaction.atomic
def candidate_submit(
    *, profile: CandidateProfile, by, now: datetime | None = None
) -> CandidateProfile:
    ensure_can_edit_profile(user=by, profile=profile)
    if profile.status not in {CandidateProfile.Status.DRAFT, CandidateProfile.Status.REJECTED}:
        raise ValidationError(
            CANNOT_SUBMIT_FROM.format(status=profile.get_status_display().lower())
        )
    missing = missing_for_submission(profile)
    if missing:
        raise ValidationError(INCOMPLETE.format(missing=", ".join(missing)))
    profile.status = CandidateProfile.Status.SUBMITTED
    profile.submitted_at = now or timezone.now()
    profile.vetting_reason = ""
    profile.save(update_fields=["status", "submitted_at", "vetting_reason", "updated_at"])
    audit_record(actor=by, action="candidate.submit", target=profile, subject_user=profile.user)
    messages.profile_submitted(profile)
    return profile


@transaction.atomic
def candidate_approve(
    *, profile: CandidateProfile, by, reason: str = "", now: datetime | None = None
) -> CandidateProfile:
    ensure_partner(by)
    reason = clean_value(CandidateProfile, "vetting_reason", reason, key="reason")
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != CandidateProfile.Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED.format(status=profile.get_status_display().lower()))
    # Approval activates: a vetted candidate takes part in the next Match Day without having
    # to find a button first (they can pause any time).
    profile.status = CandidateProfile.Status.ACTIVE
    profile.vetted_by, profile.vetted_at, profile.vetting_reason = by, now or timezone.now(), reason
    profile.save(update_fields=["status", "vetted_by", "vetted_at", "vetting_reason", "updated_at"])
    audit_record(
        actor=by,
        action="candidate.vet.approve",
        target=profile,
        subject_user=profile.user,
        reason=reason,
        data={"activated": True},
    )
    messages.candidate_vetted(profile)
    return profile


@transaction.atomic
def candidate_reject(
    *, profile: CandidateProfile, by, reason: str, now: datetime | None = None
) -> CandidateProfile:
    ensure_partner(by)
    reason = clean_value(CandidateProfile, "vetting_reason", reason, key="reason")
    if not reason:
        raise ValidationError({"reason": REJECT_NEEDS_REASON})
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != CandidateProfile.Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED.format(status=profile.get_status_display().lower()))
    profile.status = CandidateProfile.Status.REJECTED
    profile.vetted_by, profile.vetted_at = by, now or timezone.now()
    profile.vetting_reason = reason
    profile.save(update_fields=["status", "vetted_by", "vetted_at", "vetting_reason", "updated_at"])
    audit_record(
        actor=by,
        action="candidate.vet.reject",
        target=profile,
        subject_user=profile.user,
        reason=reason,
    )
    messages.candidate_vetted(profile)
    return profile


@transaction.atomic
def candidate_activate(*, profile: CandidateProfile, by) -> CandidateProfile:
    """A vetted (or paused) candidate starts or resumes receiving matches."""
    ensure_can_edit_profile(user=by, profile=profile)
    if profile.status not in {CandidateProfile.Status.VETTED, CandidateProfile.Status.PAUSED}:
        raise ValidationError(NOT_VETTED_YET.format(status=profile.get_status_display().lower()))
    profile.status = CandidateProfile.Status.ACTIVE
    profile.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="candidate.activate", target=profile, subject_user=profile.user)
    return profile


@transaction.atomic
def candidate_pause_hired(
    *, profile: CandidateProfile, intro_id: int, now: datetime | None = None
) -> bool:
    """A hired candidate leaves the next Match Days at once (curation takes active profiles
    only); they resume from their controls. Called by the hire service after its own
    permission check. Returns whether the profile was paused (it may not have been active)."""
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != CandidateProfile.Status.ACTIVE:
        return False
    profile.status = CandidateProfile.Status.PAUSED
    profile.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=None,
        action="candidate.pause_hired",
        target=profile,
        subject_user=profile.user,
        now=now,
        data={"intro": intro_id},
    )
    return True


@transaction.atomic
def candidate_pause(*, profile: CandidateProfile, by) -> CandidateProfile:
    ensure_can_edit_profile(user=by, profile=profile)
    if profile.status != CandidateProfile.Status.ACTIVE:
        raise ValidationError(NOT_ACTIVE.format(status=profile.get_status_display().lower()))
    profile.status = CandidateProfile.Status.PAUSED
    profile.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="candidate.pause", target=profile, subject_user=profile.user)
    return profile


@transaction.atomic
def candidate_sign_up(*, email: str, password: str, full_name: str) -> User:
    """A new candidate: their account and an empty draft profile."""
    email = check_new_user(email=email, password=password, full_name=full_name)
    user = user_create(
        email=email, password=password, full_name=full_name, persona=User.Persona.CANDIDATE
    )
    CandidateProfile.objects.create(user=user)
    audit_record(actor=user, action="candidate.sign_up", target=user, subject_user=user)
    messages.account_created(user)
    return user


# --- talent partners' notes on a candidate's goals -----------------------------------------

MAX_PARTNER_NOTES = 200
TOO_MANY_NOTES = f"A candidate holds at most {MAX_PARTNER_NOTES} notes; edit or delete one first."
NOTE_NEEDS_BODY = "Write the note."
NOTE_ON_ERASED = "This candidate deleted their account; no note can be kept about them."


def _note_fields(*, topic: str | None, body: str | None) -> dict[str, str]:
    fields = {}
    if topic is not None:
        fields["topic"] = clean_value(PartnerNote, "topic", topic)
    if body is not None:
        if not PartnerNote._meta.get_field("body").to_python(body):
            raise ValidationError({"body": NOTE_NEEDS_BODY})
        fields["body"] = clean_value(PartnerNote, "body", body)
    return fields


def _note_audit(note: PartnerNote, *, by, action: str, now: datetime, fields=None) -> None:
    # The note's words stay in the note: the audit keeps who, when, which note and topic.
    data = {"candidate": note.candidate_id, "topic": note.topic}
    if fields is not None:
        data["fields"] = sorted(fields)
    audit_record(
        actor=by,
        action=action,
        target=note,
        subject_user=note.candidate.user,
        now=now,
        data=data,
    )


@transaction.atomic
def partner_note_add(
    *,
    profile: CandidateProfile,
    by,
    body: str,
    topic: str = PartnerNote.Topic.GOALS,
    now: datetime | None = None,
) -> PartnerNote:
    """A talent partner's dated note on ``profile`` (partners only; see ``PartnerNote``)."""
    ensure_partner(by)
    now = now or timezone.now()
    fields = _note_fields(topic=topic, body=body)
    if "body" not in fields:
        raise ValidationError({"body": NOTE_NEEDS_BODY})
    profile = CandidateProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if not profile.user.is_active:
        raise ValidationError(NOTE_ON_ERASED)
    if PartnerNote.objects.filter(candidate=profile).count() >= MAX_PARTNER_NOTES:
        raise ValidationError(TOO_MANY_NOTES)
    note = PartnerNote.objects.create(
        candidate=profile, author=by, created_at=now, updated_at=now, **fields
    )
    _note_audit(note, by=by, action="partner_note.add", now=now)
    return note


@transaction.atomic
def partner_note_update(
    *,
    note: PartnerNote,
    by,
    body: str | None = None,
    topic: str | None = None,
    now: datetime | None = None,
) -> PartnerNote:
    """Edit a note (any partner may: notes are the team's shared memory of the candidate)."""
    ensure_partner(by)
    now = now or timezone.now()
    fields = _note_fields(topic=topic, body=body)
    note = PartnerNote.objects.select_for_update().select_related("candidate__user").get(pk=note.pk)
    changed = model_update(
        note,
        data=fields,
        allowed=NOTE_FIELDS,
        what="note",
        touch={"updated_at": now},
        clean_exclude=["candidate", "author"],
    )
    if changed:
        _note_audit(note, by=by, action="partner_note.update", now=now, fields=fields)
    return note


@transaction.atomic
def partner_note_delete(*, note: PartnerNote, by, now: datetime | None = None) -> None:
    ensure_partner(by)
    note = PartnerNote.objects.select_for_update().select_related("candidate__user").get(pk=note.pk)
    _note_audit(note, by=by, action="partner_note.delete", now=now or timezone.now())
    note.delete()
