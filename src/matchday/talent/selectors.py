"""Reads of candidate profiles, scoped to what the requesting user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from matchday.accounts.permissions import ensure_candidate, ensure_partner
from matchday.talent.models import CandidateProfile


def own_profile(*, user) -> CandidateProfile:
    ensure_candidate(user)
    return (
        CandidateProfile.objects.select_related("user")
        .prefetch_related("skills__skill", "achievements", "links")
        .get(user=user)
    )


def profiles_for_partner(*, user, status: str | None = None) -> QuerySet[CandidateProfile]:
    ensure_partner(user)
    qs = CandidateProfile.objects.select_related("user").order_by("submitted_at", "pk")
    if status:
        qs = qs.filter(status=status)
    return qs
