"""Stored text vectors: compute them when a profile or role is saved, refresh stale ones.

Every function here is idempotent and crash-safe: a row is written in one upsert, only when
it is missing or stale (another encoder version, or texts whose digest changed), so a task
killed half-way is simply run again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from matchday.companies.models import Role
from matchday.embeddings.models import ProfileVector, RoleVector
from matchday.engine.encoder import get_encoder
from matchday.engine.texts import (
    candidate_texts,
    combined_vectors,
    encoder_version,
    role_texts,
    text_digest,
    vector_to_bytes,
)
from matchday.matchdays import adapters
from matchday.talent.models import CandidateProfile

__all__ = [
    "profile_vectors_refresh",
    "role_vectors_refresh",
    "schedule_profile_vector",
    "schedule_role_vector",
    "schedule_vector",
    "vectors_refresh_all",
]

logger = logging.getLogger(__name__)

CHUNK = 1000  # rows per query, encoder call and upsert


def _chunks(qs: QuerySet[Any], size: int) -> Iterator[list[int]]:
    pks = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), size):
        yield pks[start : start + size]


def _refresh(
    *,
    model: type[Model],
    key: str,
    items: Sequence[tuple[int, list[str]]],
    encoder: Any,
) -> dict[str, int]:
    """Store the vectors of ``items`` ((pk, field texts)) whose row is missing or stale."""
    version = encoder_version(encoder)
    digests = {pk: text_digest(texts) for pk, texts in items}
    current = {
        pk
        for pk, enc, digest in model.objects.filter(  # type: ignore[attr-defined]
            **{f"{key}_id__in": list(digests)}
        ).values_list(f"{key}_id", "encoder", "digest")
        if enc == version and digest == digests[pk]
    }
    stale = [(pk, texts) for pk, texts in items if pk not in current]
    if stale:
        vectors = combined_vectors(encoder, [texts for _, texts in stale])
        rows = [
            model(
                **{f"{key}_id": pk},
                encoder=version,
                digest=digests[pk],
                dim=int(vectors.shape[1]),
                vector=vector_to_bytes(vectors[i]),
            )
            for i, (pk, _) in enumerate(stale)
        ]
        model.objects.bulk_create(  # type: ignore[attr-defined]
            rows,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=["encoder", "digest", "dim", "vector", "updated_at"],
        )
    return {"stored": len(stale), "unchanged": len(current)}


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for k, v in part.items():
        total[k] = total.get(k, 0) + v


def profile_vectors_refresh(
    *, profiles: QuerySet[CandidateProfile], encoder: Any = None, chunk: int = CHUNK
) -> dict[str, int]:
    """Compute and store the text vectors of ``profiles`` that are missing or stale.

    Returns counts: ``stored`` (new or recomputed), ``unchanged`` (already current) and
    ``skipped`` (profiles the engine cannot take yet, e.g. without a level: no vector until
    they are saved again).
    """
    enc = encoder if encoder is not None else get_encoder()
    total = {"stored": 0, "unchanged": 0, "skipped": 0}
    for pks in _chunks(profiles, chunk):
        data = adapters.engine_items(candidates=CandidateProfile.objects.filter(pk__in=pks))
        items = [(adapters.candidate_pk(c.id), candidate_texts(c)) for c in data.candidates]
        _add(total, _refresh(model=ProfileVector, key="profile", items=items, encoder=enc))
        total["skipped"] += len(data.skipped_rows)
    return total


def role_vectors_refresh(
    *, roles: QuerySet[Role], encoder: Any = None, chunk: int = CHUNK
) -> dict[str, int]:
    """:func:`profile_vectors_refresh` for roles."""
    enc = encoder if encoder is not None else get_encoder()
    total = {"stored": 0, "unchanged": 0, "skipped": 0}
    for pks in _chunks(roles, chunk):
        data = adapters.engine_items(roles=Role.objects.filter(pk__in=pks))
        items = [(adapters.role_pk(r.id), role_texts(r)) for r in data.roles]
        _add(total, _refresh(model=RoleVector, key="role", items=items, encoder=enc))
        total["skipped"] += len(data.skipped_rows)
    return total


def vectors_refresh_all(*, encoder: Any = None, chunk: int = CHUNK) -> dict[str, dict[str, int]]:
    """Every profile's and role's vector brought up to date: what runs after the encoder
    changed (all rows of the old version are stale) and catches rows saved by paths that
    enqueue nothing (bulk imports, the demo seed)."""
    enc = encoder if encoder is not None else get_encoder()
    return {
        "profiles": profile_vectors_refresh(
            profiles=CandidateProfile.objects.all(), encoder=enc, chunk=chunk
        ),
        "roles": role_vectors_refresh(roles=Role.objects.all(), encoder=enc, chunk=chunk),
    }


@dataclass(frozen=True)
class _Enqueue:
    """The on-commit callback that enqueues one row's vector task (equal for the same row,
    so a transaction that saves a profile's skills one by one enqueues it once)."""

    kind: str  # "profile" | "role"
    pk: int

    def __call__(self) -> None:
        from matchday.embeddings.tasks import embed_profile, embed_role

        (embed_profile if self.kind == "profile" else embed_role).enqueue(self.pk)


def _schedule(callback: _Enqueue) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(item[1] == callback for item in connection.run_on_commit):
        return
    transaction.on_commit(callback)


def schedule_vector(kind: str, pk: int) -> None:
    """After the current transaction commits, compute the vector of the profile or role
    (``kind``) in the background (the listener of :mod:`matchday.core.text_changes`)."""
    _schedule(_Enqueue(kind, pk))


def schedule_profile_vector(*, profile_id: int) -> None:
    """After the current transaction commits, compute the profile's vector in the background."""
    _schedule(_Enqueue("profile", profile_id))


def schedule_role_vector(*, role_id: int) -> None:
    """After the current transaction commits, compute the role's vector in the background."""
    _schedule(_Enqueue("role", role_id))
