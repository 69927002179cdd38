"""Writes of the imports app: applying a confirmed draft, and publishing a role publicly.

A draft (see ``matchday.imports.resume``) touches nothing until the candidate confirms it;
``profile_import_apply`` then writes it in one transaction through the talent services,
so every rule of the profile editor (validation, the achievement cap) holds for imports too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from matchday.audits.services import audit_record
from matchday.core.permissions import ensure_can_edit_profile, ensure_can_edit_role
from matchday.talent import services as talent_services
from matchday.talent.models import (
    Achievement,
    CandidateProfile,
    CandidateSkill,
    Education,
    Experience,
    Link,
)

TOO_MANY_ACHIEVEMENTS = (
    "Your profile holds {existing} achievement(s) and takes at most {cap}; "
    "keep at most {room} of the imported ones."
)
ROLE_NOT_PUBLISHABLE = "Only an open role of a vetted company can be published."
DRAFT_INVALID = "The file holds values a Matchday profile cannot take: {problems}."
MAX_PROBLEMS_SHOWN = 5


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _profile_fields(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft's profile fields that would replace the current ones (those with a value)."""
    fields = {
        k: v
        for k, v in (draft.get("profile") or {}).items()
        if k in talent_services.PROFILE_FIELDS and not _empty(v)
    }
    if "years_experience" in fields:
        try:
            fields["years_experience"] = Decimal(str(fields["years_experience"]))
        except InvalidOperation:
            raise ValidationError({"years_experience": "Enter a number of years."}) from None
    return fields


def _draft_rows(draft: dict[str, Any]) -> Iterator[tuple[str, Callable[[], None]]]:
    """``(label, check)`` for every row of the draft: each check builds the unsaved row the
    confirmation would write and runs the model's own validation on it."""
    parts = ("title", "problem", "constraints", "options", "decision", "result")
    for i, row in enumerate(draft.get("skills") or []):
        skill = CandidateSkill(
            level=row.get("level"), years=row.get("years") or 0, evidence=row.get("evidence", "")
        )
        yield f"skills.{i}", partial(skill.full_clean, exclude=["candidate", "skill"])
    for i, row in enumerate(draft.get("links") or []):
        link = Link(kind=row.get("kind") or "other", title=row.get("title", ""), url=row.get("url"))
        yield f"links.{i}", partial(link.full_clean, exclude=["candidate"])
    for i, row in enumerate(draft.get("achievements") or []):
        achievement = Achievement(**{f: row.get(f, "") for f in parts})
        yield f"achievements.{i}", partial(achievement.full_clean, exclude=["candidate"])
    for i, row in enumerate(draft.get("experiences") or []):

        def experience(row: dict[str, Any] = row) -> None:
            Experience(
                employer=row.get("employer", ""),
                title=row.get("title", ""),
                start=talent_services.iso_date(row.get("start")),
                end=talent_services.iso_date(row.get("end")),
                description=row.get("description", ""),
            ).full_clean(exclude=["candidate"])

        yield f"experiences.{i}", experience
    for i, row in enumerate(draft.get("education") or []):
        education = Education(
            school=row.get("school", ""),
            degree=row.get("degree", ""),
            field=row.get("field", ""),
            end_year=row.get("end_year") or None,
        )
        yield f"education.{i}", partial(education.full_clean, exclude=["candidate"])


def draft_check(*, profile: CandidateProfile, by, draft: dict[str, Any]) -> None:
    """Refuse a draft holding any value its confirmation could not write, with one message
    naming each problem: the profile fields go through ``talent.services.profile_check``
    (the editor's and the API's validation), every row through its model's validation.
    Nothing is written."""
    ensure_can_edit_profile(user=by, profile=profile)
    checks: list[tuple[str, Callable[[], None]]] = [
        (
            "profile",
            lambda: talent_services.profile_check(
                profile=profile, by=by, data=_profile_fields(draft)
            ),
        ),
        *_draft_rows(draft),
    ]
    problems: list[str] = []
    for label, check in checks:
        try:
            check()
        except ValidationError as exc:
            items = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
            for field, messages in items:
                where = label if field in ("", NON_FIELD_ERRORS) else f"{label}.{field}"
                problems.append(f"{where}: {' '.join(messages)}")
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        raise ValidationError(
            DRAFT_INVALID.format(problems=shown + (f"; and {more} more" if more > 0 else ""))
        )


@transaction.atomic
def profile_import_apply(*, profile: CandidateProfile, by, draft: dict[str, Any]) -> dict[str, int]:
    """Write a confirmed draft to the profile; returns how many rows of each kind were added.

    Profile fields with a value replace the current ones (empty draft fields leave them
    alone); experience, education and links are added unless already there; skills are
    added or updated; achievements the candidate kept (``keep``, true unless given) are added
    within the profile's cap.
    """
    ensure_can_edit_profile(user=by, profile=profile)
    # Drafted stories are suggestions: only those the candidate kept take a slot.
    achievements = [a for a in draft.get("achievements") or [] if a.get("keep", True)]
    existing = profile.achievements.count()
    cap = talent_services.MAX_ACHIEVEMENTS
    if existing + len(achievements) > cap:
        raise ValidationError(
            TOO_MANY_ACHIEVEMENTS.format(existing=existing, cap=cap, room=max(cap - existing, 0))
        )
    counts = dict.fromkeys(("experiences", "education", "skills", "links", "achievements"), 0)

    fields = _profile_fields(draft)
    if fields:
        profile = talent_services.profile_update(profile=profile, by=by, data=fields)

    have_exp = {(e.employer, e.title, e.start) for e in profile.experiences.all()}
    for row in draft.get("experiences") or []:
        key = (
            row.get("employer", ""),
            row.get("title", ""),
            talent_services.iso_date(row.get("start")),
        )
        if key in have_exp:
            continue
        talent_services.experience_save(profile=profile, by=by, data=row)
        have_exp.add(key)
        counts["experiences"] += 1

    have_edu = {(e.school, e.degree, e.field) for e in profile.education.all()}
    for row in draft.get("education") or []:
        key = (row.get("school", ""), row.get("degree", ""), row.get("field", ""))
        if key in have_edu:
            continue
        talent_services.education_save(profile=profile, by=by, data=row)
        have_edu.add(key)
        counts["education"] += 1

    for row in draft.get("skills") or []:
        talent_services.candidate_skill_set(
            profile=profile,
            by=by,
            skill_id=row["skill_id"],
            level=int(row.get("level") or 3),
            years=Decimal(str(row.get("years") or "0")),
            evidence=row.get("evidence", ""),
        )
        counts["skills"] += 1

    have_urls = set(profile.links.values_list("url", flat=True))
    for row in draft.get("links") or []:
        if row["url"] in have_urls:
            continue
        talent_services.link_save(
            profile=profile,
            by=by,
            kind=row.get("kind") or "other",
            url=row["url"],
            title=row.get("title", ""),
        )
        have_urls.add(row["url"])
        counts["links"] += 1

    for row in achievements:
        story = {k: v for k, v in row.items() if k in talent_services.ACHIEVEMENT_FIELDS}
        talent_services.achievement_save(profile=profile, by=by, data=story)
        counts["achievements"] += 1

    audit_record(
        actor=by,
        action="profile.import",
        target=profile,
        subject_user=profile.user,
        data={"source": draft.get("source", ""), "added": counts},
    )
    return counts


@transaction.atomic
def role_set_public(*, role, by, public: bool):
    """A company member publishes (or withdraws) an open role's public page."""
    ensure_can_edit_role(user=by, role=role)
    if public and not (role.status == role.Status.OPEN and role.company.is_vetted):
        raise ValidationError(ROLE_NOT_PUBLISHABLE)
    role.public = public
    role.save(update_fields=["public", "updated_at"])
    audit_record(actor=by, action="role.public" if public else "role.private", target=role)
    return role
