"""Reads of stored text vectors: a run's embeddings, stored where current, computed where not."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from matchday.embeddings.models import ProfileVector, RoleVector
from matchday.engine.batch import encode_texts
from matchday.engine.texts import StoredVector, encoder_version, vector_from_bytes
from matchday.engine.types import Candidate, Role
from matchday.matchdays import adapters
from matchday.matchdays.adapters import EngineData

__all__ = ["embeddings_for", "run_embeddings"]

F32 = npt.NDArray[np.float32]
QUERY_CHUNK = 10_000  # ids per query


def _stored(
    model: Any, key: str, pks: list[int], version: str, dim: int | None, prefix: str
) -> Iterable[tuple[str, StoredVector]]:
    for start in range(0, len(pks), QUERY_CHUNK):
        rows = model.objects.filter(
            **{f"{key}_id__in": pks[start : start + QUERY_CHUNK]}, encoder=version
        ).values_list(f"{key}_id", "digest", "dim", "vector")
        for pk, digest, row_dim, data in rows.iterator(chunk_size=2000):
            vector = vector_from_bytes(bytes(data), dim if dim is not None else row_dim)
            if vector is not None:
                yield f"{prefix}{pk}", StoredVector(digest, vector)


def run_embeddings(data: EngineData, encoder: Any) -> tuple[tuple[F32, F32], dict[str, int]]:
    """The ``(candidate, role)`` embeddings of a run: each profile's and role's stored vector
    where it is of this encoder version and of the texts the run compares, computed here
    otherwise (the same bits either way: :func:`matchday.engine.batch.encode_texts`).
    Returns them and the counts ``reused`` / ``computed``."""
    return embeddings_for(data.candidates, data.roles, encoder)


def embeddings_for(
    candidates: Sequence[Candidate], roles: Sequence[Role], encoder: Any
) -> tuple[tuple[F32, F32], dict[str, int]]:
    """:func:`run_embeddings` for engine candidates and roles read back from a stored run
    input (a curation chunk's worker has the input, not the rows)."""
    version = encoder_version(encoder)
    dim = getattr(encoder, "dim", None)
    stored = dict(
        _stored(
            ProfileVector,
            "profile",
            [adapters.candidate_pk(c.id) for c in candidates],
            version,
            dim,
            "c",
        )
    )
    stored.update(
        _stored(RoleVector, "role", [adapters.role_pk(r.id) for r in roles], version, dim, "r")
    )
    counts: dict[str, int] = {}
    embeddings = encode_texts(encoder, candidates, roles, stored=stored, counts=counts)
    return embeddings, counts
