"""Reads of candidate profiles, scoped to what the requesting user may see."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from matchday.core.permissions import ensure_candidate, ensure_partner
from matchday.talent.models import (
    Achievement,
    CandidateProfile,
    CandidateSkill,
    Education,
    Experience,
    Link,
    PartnerNote,
)


def _with_details(qs: QuerySet[CandidateProfile]) -> QuerySet[CandidateProfile]:
    return qs.select_related("user", "vetted_by").prefetch_related(
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill")),
        "achievements",
        "links",
        "experiences",
        "education",
    )


def own_profile(*, user) -> CandidateProfile:
    ensure_candidate(user)
    return _with_details(CandidateProfile.objects.all()).get(user=user)


def own_achievement(*, user, achievement_id: int) -> Achievement:
    """One of the candidate's own achievements; anybody else's is not found (404)."""
    ensure_candidate(user)
    return get_object_or_404(
        Achievement.objects.select_related("candidate"), pk=achievement_id, candidate__user=user
    )


def own_experience(*, user, experience_id: int) -> Experience:
    """One job of the candidate's own work history; anybody else's is not found (404)."""
    ensure_candidate(user)
    return get_object_or_404(
        Experience.objects.select_related("candidate"), pk=experience_id, candidate__user=user
    )


def own_education(*, user, education_id: int) -> Education:
    ensure_candidate(user)
    return get_object_or_404(
        Education.objects.select_related("candidate"), pk=education_id, candidate__user=user
    )


def own_link(*, user, link_id: int) -> Link:
    ensure_candidate(user)
    return get_object_or_404(
        Link.objects.select_related("candidate"), pk=link_id, candidate__user=user
    )


def profiles_for_partner(*, user, status: str | None = None) -> QuerySet[CandidateProfile]:
    ensure_partner(user)
    qs = CandidateProfile.objects.select_related("user").order_by("submitted_at", "pk")
    if status:
        qs = qs.filter(status=status)
    return qs


def profile_for_partner(*, user, profile_id: int) -> CandidateProfile:
    """The full profile a talent partner reviews."""
    ensure_partner(user)
    return get_object_or_404(_with_details(CandidateProfile.objects.all()), pk=profile_id)


def search_profiles(
    *,
    user,
    skill_id: str = "",
    level: str = "",
    country: str = "",
    status: str = "",
    note: str = "",
) -> QuerySet[CandidateProfile]:
    """Candidates matching every given filter, newest first, with their skills prefetched
    and partners' notes summed up (``note_count``, ``latest_note`` and its ``latest_note_at``).

    ``skill_id`` is a taxonomy id (the search form resolves aliases); ``level`` is the
    candidate's overall level; ``country`` an ISO code; ``status`` a profile status;
    ``note`` words in a partner's note about them.
    """
    ensure_partner(user)
    qs = CandidateProfile.objects.all()
    if skill_id:
        qs = qs.filter(skills__skill_id=skill_id)
    if level:
        qs = qs.filter(level=level)
    if country:
        qs = qs.filter(country=country)
    if status:
        qs = qs.filter(status=status)
    if note:
        qs = qs.filter(pk__in=PartnerNote.objects.filter(body__icontains=note).values("candidate"))
    latest = PartnerNote.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-pk")
    counts = (
        PartnerNote.objects.filter(candidate=OuterRef("pk"))
        .order_by()
        .values("candidate")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("user")
        .prefetch_related(
            Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill"))
        )
        .annotate(
            latest_note=Subquery(latest.values("body")[:1]),
            latest_note_at=Subquery(latest.values("created_at")[:1]),
            note_count=Subquery(counts),
        )
        .order_by("-updated_at", "-pk")
        .distinct()
    )


# --- talent partners' notes ----------------------------------------------------------------


def notes_for_partner(*, user, profile_id: int) -> QuerySet[PartnerNote]:
    """A candidate's notes, newest first (partners only)."""
    ensure_partner(user)
    return PartnerNote.objects.filter(candidate_id=profile_id).select_related("author")


def note_for_partner(*, user, note_id: int) -> PartnerNote:
    ensure_partner(user)
    return get_object_or_404(PartnerNote.objects.select_related("candidate__user"), pk=note_id)


def participation_counts(*, user) -> dict[str, int]:
    """How many candidates take part in a new Match Day (active) and how many do not:
    vetted but not active, paused, and waiting for vetting. For the partner creating one."""
    ensure_partner(user)
    S = CandidateProfile.Status
    rows = dict(
        CandidateProfile.objects.filter(
            status__in=[S.ACTIVE, S.VETTED, S.PAUSED, S.SUBMITTED], user__is_active=True
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "active": rows.get(S.ACTIVE, 0),
        "vetted_inactive": rows.get(S.VETTED, 0),
        "paused": rows.get(S.PAUSED, 0),
        "submitted": rows.get(S.SUBMITTED, 0),
    }
