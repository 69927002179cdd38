"""A candidate's data rights: download everything Matchday holds about them, and delete
their account.

Deletion erases personal data and keeps aggregate records without identity: proposals,
interest decisions, intros, pipeline steps and response records stay (they feed counts,
fairness reports and companies' responsiveness) but point at an emptied profile whose user
is ``deleted-<id>@invalid`` with no name; free text written by or about the candidate on
those records is erased. The audit log keeps every entry (who decided what, when) with the
candidate's name and email replaced in its labels: this is the one place that rewrites
audit rows, deliberately, because erasure is a legal duty.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from matchday.accounts.permissions import NOT_YOUR_PROFILE, ensure_candidate
from matchday.audits.models import AuditEntry
from matchday.audits.services import audit_record
from matchday.talent.models import CandidateProfile, Demographics
from matchday.talent.services import PROFILE_FIELDS

EXPORT_FORMAT = "matchday-data-export"
EXPORT_VERSION = 1
DELETED_LABEL = "Deleted candidate"
ERASED = "[erased]"


def deleted_email(user_id: int) -> str:
    return f"deleted-{user_id}@invalid"


def _ensure_self(*, user, by) -> None:
    ensure_candidate(by)
    if by.pk != user.pk:
        raise PermissionDenied(NOT_YOUR_PROFILE)


def _values(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
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


def _decisions_released(matchday) -> bool:
    """Companies decide blind and candidates learn the outcome on Match Day, all at once: before
    release the export says a decision is withheld, never what it is (nor whether one exists)."""
    from matchday.matchdays.models import MatchDay

    return matchday.status in {MatchDay.Status.RELEASED, MatchDay.Status.CLOSED}


def candidate_data_export(*, user, by, now: datetime | None = None) -> dict[str, Any]:
    """Everything Matchday stores about ``user``, as JSON-ready data (dates and decimals are
    serialised by ``DjangoJSONEncoder``). Other candidates' data never appears; staff are
    named by role, not by email."""
    from matchday.api.models import ApiKey
    from matchday.matchdays.models import Intro, Proposal
    from matchday.notifications.models import Message

    _ensure_self(user=user, by=by)
    profile = CandidateProfile.objects.get(user=user)

    def who(actor_id: int | None, label: str) -> str:
        if actor_id == user.pk:
            return "you"
        return "system" if label == "system" else "Matchday staff or a company member"

    proposals = (
        Proposal.objects.filter(candidate=profile)
        .select_related("matchday", "role__company", "interest")
        .order_by("created_at", "pk")
    )
    intros = (
        Intro.objects.filter(candidate=profile)
        .select_related("role__company", "matchday")
        .prefetch_related("steps")
        .order_by("released_at", "pk")
    )
    demographics = Demographics.objects.filter(candidate=profile).first()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now or timezone.now(),
        "account": _values(user, ["email", "full_name", "persona", "date_joined", "last_login"]),
        "profile": {
            **_values(profile, list(PROFILE_FIELDS)),
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
            _values(a, ["title", "problem", "constraints", "options", "decision", "result"])
            for a in profile.achievements.all()
        ],
        "links": [_values(link, ["kind", "title", "url"]) for link in profile.links.all()],
        "experience": [
            _values(e, ["employer", "title", "start", "end", "description"])
            for e in profile.experiences.all()
        ],
        "education": [
            _values(e, ["school", "degree", "field", "end_year"]) for e in profile.education.all()
        ],
        "demographics": (
            _values(demographics, ["sex", "race_ethnicity", "updated_at"]) if demographics else None
        ),
        "proposals": [
            {
                "matchday": p.matchday.name,
                "role": p.role.title,
                "company": p.role.company.name,
                "created_at": p.created_at,
                "score": p.score,
                "explanation": p.sentences,
                "review": {
                    "status": p.status,
                    "reviewed_at": p.reviewed_at,
                    "reason": p.review_reason,
                },
                "company_decision": (
                    {
                        "decision": p.interest.decision,
                        "offered_salary": p.interest.offered_salary,
                        "note": p.interest.note,
                        "pass_reason": p.interest.pass_reason,
                        "decided_at": p.interest.decided_at,
                    }
                    if hasattr(p, "interest") and _decisions_released(p.matchday)
                    else None
                ),
                "company_decision_withheld": not _decisions_released(p.matchday),
            }
            for p in proposals
        ],
        "intros": [
            {
                "matchday": i.matchday.name,
                "role": i.role.title,
                "company": i.role.company.name,
                "offered_salary": i.offered_salary,
                "currency": i.role.pay_currency,
                "status": i.status,
                "released_at": i.released_at,
                "decided_at": i.decided_at,
                "decline_reason": i.decline_reason,
                "close_reason": i.close_reason,
                "pipeline": [
                    _values(
                        s,
                        [
                            "position",
                            "kind",
                            "name",
                            "status",
                            "due_at",
                            "scheduled_at",
                            "location",
                            "notes",
                            "close_reason",
                            "completed_at",
                        ],
                    )
                    for s in i.steps.all()
                ],
            }
            for i in intros
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
        "messages": [
            _values(m, ["kind", "subject", "body", "created_at", "sent_at"])
            for m in Message.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
        "api_keys": [
            _values(k, ["name", "prefix", "created_at", "last_used_at", "revoked_at"])
            for k in ApiKey.objects.filter(user=user)
        ],
    }


def _scrub(qs: models.QuerySet, fields: list[str], pairs: list[tuple[str, str]]) -> None:
    """Replace each (old, new) string in ``fields`` of every row of ``qs``, in SQL."""
    for old, new in pairs:
        if not old:
            continue
        updates = {f: Replace(f, Value(old), Value(new)) for f in fields}
        # Bypass AuditEntry's append-only queryset guard: erasure is the one exception.
        models.QuerySet.update(qs, **updates)


@transaction.atomic
def candidate_account_delete(*, user, by, now: datetime | None = None) -> None:
    """Erase ``user``'s personal data and deactivate the account (see the module docstring)."""
    from matchday.api.models import ApiKey
    from matchday.matchdays.models import BlindTerm, Interest, Intro, PipelineStep, Proposal
    from matchday.notifications.models import Message

    _ensure_self(user=user, by=by)
    profile = CandidateProfile.objects.select_for_update().get(user=user)
    name, email, anon = user.full_name.strip(), user.email, deleted_email(user.pk)
    identity = [(email, anon), (name, DELETED_LABEL)]

    # The profile's own rows go; the profile row stays, emptied, for aggregate records.
    for related in ("skills", "achievements", "links", "experiences", "education"):
        getattr(profile, related).all().delete()
    Demographics.objects.filter(candidate=profile).delete()
    BlindTerm.objects.filter(candidate=profile).delete()  # partners' terms about them
    profile.hidden_companies.clear()
    blank = {f: CandidateProfile._meta.get_field(f).get_default() for f in PROFILE_FIELDS}
    CandidateProfile.objects.filter(pk=profile.pk).update(
        **blank, vetting_reason="", status=CandidateProfile.Status.PAUSED
    )

    # Match Day records: kept for counts and responsiveness; free text about them erased.
    proposals = Proposal.objects.filter(candidate=profile)
    proposals.update(explanation={}, sentences=[])
    proposals.filter(status=Proposal.Status.REJECTED).update(review_reason=ERASED)
    proposals.exclude(status=Proposal.Status.REJECTED).update(review_reason="")
    interests = Interest.objects.filter(proposal__candidate=profile)
    interests.update(note="")
    interests.filter(decision=Interest.Decision.PASSED).update(pass_reason=ERASED)
    intros = Intro.objects.filter(candidate=profile)
    intro_ids = list(intros.values_list("pk", flat=True))
    intros.update(decline_reason="", close_reason="")
    steps = PipelineStep.objects.filter(intro__in=intro_ids)
    step_ids = list(steps.values_list("pk", flat=True))
    steps.update(notes="", location="", close_reason="")

    # Messages: theirs are deleted; others' messages about their intros lose their identity.
    Message.objects.filter(recipient=user).delete()
    about = Q(to_email=email)
    for intro_id in intro_ids:
        about |= Q(about__startswith=f"matchdays.intro:{intro_id}:") | Q(
            about=f"matchdays.intro:{intro_id}"
        )
    for step_id in step_ids:
        about |= Q(about__startswith=f"matchdays.pipelinestep:{step_id}:")
    about |= Q(subject__contains=email) | Q(body__contains=email)
    _scrub(Message.objects.filter(about), ["subject", "body"], identity)

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
    _scrub(entries, ["actor_label", "target_label", "reason"], identity)
    models.QuerySet.update(
        AuditEntry.objects.filter(subject_user=user).exclude(reason=""), reason=ERASED
    )
    # Partners' blind-text corrections quote the candidate's words.
    models.QuerySet.update(
        AuditEntry.objects.filter(subject_user=user, action__startswith="blind_term."), data={}
    )
    _scrub(LogEntry.objects.filter(object_repr__contains=email), ["object_repr"], identity)

    # Sign-in traces and keys: API keys, email addresses, second factors.
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    ApiKey.objects.filter(user=user).delete()
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
