"""A candidate's data rights: download everything Matchday holds about them, and delete
their account.

The export includes talent partners' notes about the candidate (``PartnerNote``): they never
reach companies or the candidate's pages, but they are the candidate's personal data.

Deletion erases personal data (partners' notes included) and keeps aggregate records without identity: proposals,
interest decisions, intros, pipeline steps and response records stay (they feed counts,
fairness reports and companies' responsiveness) but point at an emptied profile whose user
is ``deleted-<id>@invalid`` with no name; free text written by or about the candidate on
those records is erased. The audit log keeps every entry (who decided what, when) with the
candidate's name and email replaced in its labels: this is the one place that rewrites
audit rows, deliberately, because erasure is a legal duty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.audits.services import audit_record
from matchday.core.erasure import scrub
from matchday.core.permissions import NOT_YOUR_PROFILE, ensure_candidate
from matchday.notifications import rights as message_rights
from matchday.talent.models import CandidateProfile, Demographics, PartnerNote
from matchday.talent.services import PROFILE_FIELDS

EXPORT_FORMAT = "matchday-data-export"
EXPORT_VERSION = 1
DELETED_LABEL = "Deleted candidate"
ERASED = "[erased]"


def deleted_email(user_id: int) -> str:
    return f"deleted-{user_id}@invalid"


@dataclass(frozen=True)
class Erasure:
    """What every app's eraser needs to know about the person being erased."""

    user: Any
    profile: CandidateProfile
    email: str
    identity: list[tuple[str, str]]  # (their words, what replaces them) in kept text
    now: datetime | None


@dataclass(frozen=True)
class RightsPart:
    """One app's share of a candidate's data rights: the export sections it adds (name →
    function of the user and profile) and how it erases its own rows. Apps above ``talent``
    register theirs in ``AppConfig.ready()``, so this module knows no other app's tables."""

    export: dict[str, Callable[[Any, CandidateProfile], Any]]
    erase: Callable[[Erasure], None] | None = None


_PARTS: dict[str, RightsPart] = {}


def rights_part_register(app_label: str, part: RightsPart) -> None:
    _PARTS[app_label] = part


def _ensure_self(*, user, by) -> None:
    ensure_candidate(by)
    if by.pk != user.pk:
        raise PermissionDenied(NOT_YOUR_PROFILE)


def values(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "code"):  # a django_countries Country
            value = value.code
        elif (
            isinstance(value, list | tuple) or type(value).__name__ == "MultipleCountriesDescriptor"
        ):
            value = [getattr(v, "code", v) for v in value]
        out[name] = value
    return out


def candidate_data_export(*, user, by, now: datetime | None = None) -> dict[str, Any]:
    """Everything Matchday stores about ``user``, as JSON-ready data (dates and decimals are
    serialised by ``DjangoJSONEncoder``). Other candidates' data never appears; staff are
    named by role, not by email."""
    _ensure_self(user=user, by=by)
    profile = CandidateProfile.objects.get(user=user)

    def who(actor_id: int | None, label: str) -> str:
        if actor_id == user.pk:
            return "you"
        return "system" if label == "system" else "Matchday staff or a company member"

    demographics = Demographics.objects.filter(candidate=profile).first()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now or timezone.now(),
        "account": values(user, ["email", "full_name", "persona", "date_joined", "last_login"]),
        "profile": {
            **values(profile, list(PROFILE_FIELDS)),
            "status": profile.status,
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
            "hidden_companies": list(profile.hidden_companies.values_list("name", flat=True)),
        },
        "vetting": {
            "status": profile.status,
            "submitted_at": profile.submitted_at,
            "decided_at": profile.vetted_at,
            "reason": profile.vetting_reason,
        },
        "skills": [
            {
                "skill": row.skill_id,
                "label": row.skill.label,
                "level": row.level,
                "years": row.years,
                "evidence": row.evidence,
            }
            for row in profile.skills.select_related("skill")
        ],
        "achievements": [
            values(a, ["title", "problem", "constraints", "options", "decision", "result"])
            for a in profile.achievements.all()
        ],
        "links": [values(link, ["kind", "title", "url"]) for link in profile.links.all()],
        "experience": [
            values(e, ["employer", "title", "start", "end", "description"])
            for e in profile.experiences.all()
        ],
        "education": [
            values(e, ["school", "degree", "field", "end_year"]) for e in profile.education.all()
        ],
        "demographics": (
            values(demographics, ["sex", "race_ethnicity", "updated_at"]) if demographics else None
        ),
        # Talent partners' notes about them: private from companies, but their personal data.
        "partner_notes": [
            {**values(n, ["topic", "body", "created_at", "updated_at"]), "by": "a talent partner"}
            for n in PartnerNote.objects.filter(candidate=profile).order_by("created_at", "pk")
        ],
        "audit": [
            {
                "at": e.created_at,
                "by": who(e.actor_id, e.actor_label),
                "action": e.action,
                "target": f"{e.target_type}:{e.target_id}",
                "reason": e.reason,
                "data": e.data,
            }
            for e in AuditEntry.objects.filter(subject_user=user).order_by("created_at", "pk")
        ],
        "messages": message_rights.messages_export(user),
        "inbox": message_rights.inbox_export(user),
        **{
            name: section(user, profile)
            for part in _PARTS.values()
            for name, section in part.export.items()
        },
    }


@transaction.atomic
def candidate_account_delete(*, user, by, now: datetime | None = None) -> None:
    """Erase ``user``'s personal data and deactivate the account (see the module docstring)."""
    _ensure_self(user=user, by=by)
    profile = CandidateProfile.objects.select_for_update().get(user=user)
    name, email, anon = user.full_name.strip(), user.email, deleted_email(user.pk)
    identity = [(email, anon), (name, DELETED_LABEL)]

    # The profile's own rows go; the profile row stays, emptied, for aggregate records.
    for related in ("skills", "achievements", "links", "experiences", "education"):
        getattr(profile, related).all().delete()
    Demographics.objects.filter(candidate=profile).delete()
    PartnerNote.objects.filter(candidate=profile).delete()  # partners' notes about them
    profile.hidden_companies.clear()
    blank = {f: CandidateProfile._meta.get_field(f).get_default() for f in PROFILE_FIELDS}
    CandidateProfile.objects.filter(pk=profile.pk).update(
        **blank, vetting_reason="", status=CandidateProfile.Status.PAUSED
    )

    # Each app erases its own rows (Match Day records, API keys, …); messages last, so the
    # apps can first name the records whose messages lose the person's identity.
    erasure = Erasure(user=user, profile=profile, email=email, identity=identity, now=now)
    for part in _PARTS.values():
        if part.erase is not None:
            part.erase(erasure)
    message_rights.messages_erase(user=user, email=email, identity=identity, about=[profile])

    # Audit: every entry stays; labels that named them now say who they were not.
    concerning = (
        Q(actor=user)
        | Q(subject_user=user)
        | Q(target_type="talent.candidateprofile", target_id=str(profile.pk))
        | Q(target_type="accounts.user", target_id=str(user.pk))
        | Q(actor_label=email)
        | Q(target_label__contains=email)
    )
    entries = AuditEntry.objects.filter(concerning)
    scrub(entries, ["actor_label", "target_label", "reason"], identity)
    models.QuerySet.update(
        AuditEntry.objects.filter(subject_user=user).exclude(reason=""), reason=ERASED
    )
    # Partners' blind-text corrections quote the candidate's words.
    models.QuerySet.update(
        AuditEntry.objects.filter(subject_user=user, action__startswith="blind_term."), data={}
    )
    scrub(LogEntry.objects.filter(object_repr__contains=email), ["object_repr"], identity)

    # Sign-in traces and keys: API keys, email addresses, second factors.
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    try:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    except ImportError:  # pragma: no cover - axes is installed in every configuration
        pass
    else:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=email).delete()

    user.email, user.full_name = anon, ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    profile.refresh_from_db()
    audit_record(actor=None, action="candidate.erase", target=profile, now=now)
