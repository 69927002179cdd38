"""Background computation of stored text vectors. Tasks take ids and are safe to run twice
(a current row is left alone; a stale or missing one is written in one upsert)."""

from __future__ import annotations

from django.tasks import task

from matchday.companies.models import Role
from matchday.embeddings import services
from matchday.talent.models import CandidateProfile


@task
def embed_profile(profile_id: int) -> dict[str, int]:
    """Compute and store one profile's text vector (nothing if it is current or gone)."""
    return services.profile_vectors_refresh(profiles=CandidateProfile.objects.filter(pk=profile_id))


@task
def embed_role(role_id: int) -> dict[str, int]:
    """Compute and store one role's text vector (nothing if it is current or gone)."""
    return services.role_vectors_refresh(roles=Role.objects.filter(pk=role_id))


@task
def embed_stale() -> dict[str, dict[str, int]]:
    """Bring every stored vector up to date (after an encoder change, or for rows saved by
    paths that enqueue nothing)."""
    return services.vectors_refresh_all()
