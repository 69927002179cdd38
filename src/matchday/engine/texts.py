"""The texts the engine compares, by field, and their one combined vector per side.

A candidate's texts: achievements, summary (headline and summary), experience (titles,
employers, job descriptions) and skills (the claimed skills' names); a role's: its
description (title, description, responsibilities) and requirements (the required and
nice-to-have skills' names). Each field is embedded on its own; the side's vector is the
**normalised sum of its fields' unit vectors** (empty fields add nothing), so the cosine of
a candidate's and a role's vectors weighs every field pair at once and costs one dot
product, as one field did. Issue 13's benchmark: the shipped encoder's role NDCG@10 of
cosine alone goes from 0.365 (achievements vs. description) to 0.86 with the fields
combined (``docs/benchmarks.md``).

Both paths (:func:`~matchday.engine.scoring.score_pair` and the batch path) build vectors
with :func:`combined_vectors`: the same row operations whatever the number of rows, so a
pair's similarity is the same bits in both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matchday.engine.scoring import TextEncoder
    from matchday.engine.types import Candidate, Role

__all__ = [
    "CANDIDATE_FIELDS",
    "ROLE_FIELDS",
    "StoredVector",
    "candidate_texts",
    "combined_vectors",
    "encoder_version",
    "reuse_or_combine",
    "role_texts",
    "stored_for",
    "text_digest",
    "vector_from_bytes",
    "vector_to_bytes",
]

CANDIDATE_FIELDS: tuple[str, ...] = ("achievements", "summary", "experience", "skills")
ROLE_FIELDS: tuple[str, ...] = ("description", "requirements")


def _skill_names(ids: Sequence[str]) -> str:
    # taxonomy ids read as words ("deep-learning-frameworks"); other names are names
    return ", ".join(i.replace("-", " ") for i in ids)


def candidate_texts(c: Candidate) -> list[str]:
    """The candidate's texts in :data:`CANDIDATE_FIELDS` order."""
    return [
        c.achievements_text,
        c.summary_text,
        c.experience_text,
        _skill_names([s.skill_id for s in c.skills]),
    ]


def role_texts(r: Role) -> list[str]:
    """The role's texts in :data:`ROLE_FIELDS` order."""
    return [
        r.description,
        _skill_names([q.skill_id for q in (*r.required_skills, *r.nice_to_have)]),
    ]


def combined_vectors(
    encoder: TextEncoder, fields: Sequence[Sequence[str]]
) -> npt.NDArray[np.float32]:
    """One unit vector per item from its fields' texts (``fields[i]`` = item i's texts).

    All texts are encoded in one call; each item's field vectors are added in field order
    (float32) and the sum is L2-normalised. An item whose texts are all empty gets zeros.
    """
    if not fields:
        return np.zeros((0, 1), np.float32)
    k = len(fields[0])
    flat = [t for item in fields for t in item]
    vecs = np.asarray(encoder.encode(flat), np.float32)
    vecs = vecs.reshape(len(fields), k, vecs.shape[1])
    out = vecs[:, 0, :].copy()
    for f in range(1, k):
        out += vecs[:, f, :]
    wide = out.astype(np.float64)
    # each row reduced on its own (as scoring.similarity_rows): the same bits for any rows
    norms = np.sqrt((wide * wide).sum(axis=1))
    scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0)
    return (wide * scale[:, None]).astype(np.float32)


# -- stored vectors -------------------------------------------------------------------------
# An application may compute a side's combined vector when the profile or role is saved and
# hand it back at curation time. A stored vector is used only where its digest is the digest
# of the texts the run compares (and the caller's encoder version is the one it was computed
# with), so a run's numbers are the same bits whether its vectors were stored or computed.


def encoder_version(encoder: Any) -> str:
    """What a stored vector was computed with: the encoder's ``version`` (name and a digest
    of its weights) when it has one, else its ``name``."""
    return str(
        getattr(encoder, "version", None) or getattr(encoder, "name", type(encoder).__name__)
    )


def text_digest(texts: Sequence[str]) -> str:
    """The sha256 (hex) of one item's field texts, each length-prefixed (no two field lists
    share a digest by moving text across a boundary).

    >>> text_digest(["a", "b"]) == text_digest(["a", "b"]), text_digest(["ab", ""]) == text_digest(["a", "b"])
    (True, False)
    """
    h = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def vector_to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    """A 1-D vector as little-endian float32 bytes (what an application stores)."""
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def vector_from_bytes(data: bytes, dim: int) -> npt.NDArray[np.float32] | None:
    """The float32 vector of :func:`vector_to_bytes`, or ``None`` when ``data`` does not hold
    exactly ``dim`` floats (a row of another encoder is never used)."""
    if len(data) != 4 * dim:
        return None
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


@dataclass(frozen=True)
class StoredVector:
    """A combined vector computed earlier, and the digest of the texts it was computed from."""

    digest: str
    vector: npt.NDArray[np.float32]


def reuse_or_combine(
    encoder: TextEncoder,
    fields: Sequence[Sequence[str]],
    stored: Sequence[StoredVector | None],
) -> tuple[npt.NDArray[np.float32], int]:
    """:func:`combined_vectors` of ``fields``, taking ``stored[i]`` for item i where its
    digest is that of ``fields[i]`` (and its length the encoder's). Returns the vectors and
    how many were reused; the others are computed in one call.

    Equal to ``combined_vectors(encoder, fields)`` bit for bit when the stored vectors were
    computed by :func:`combined_vectors` with the same encoder (its rows do not depend on
    the other rows of the call).
    """
    if len(stored) != len(fields):
        raise ValueError("one stored entry (or None) per item")
    if not fields:
        return combined_vectors(encoder, fields), 0
    reuse: dict[int, npt.NDArray[np.float32]] = {}
    for i, (texts, item) in enumerate(zip(fields, stored, strict=True)):
        if item is not None and item.vector.ndim == 1 and item.digest == text_digest(texts):
            reuse[i] = item.vector
    missing = [i for i in range(len(fields)) if i not in reuse]
    computed = combined_vectors(encoder, [fields[i] for i in missing]) if missing else None
    dim = computed.shape[1] if computed is not None else next(iter(reuse.values())).shape[0]
    if any(v.shape[0] != dim for v in reuse.values()):
        # a stored vector of another dimension: another encoder's; compute everything
        return combined_vectors(encoder, fields), 0
    out = np.empty((len(fields), dim), np.float32)
    for i, v in reuse.items():
        out[i] = v
    if computed is not None:
        out[missing] = computed
    return out, len(reuse)


def stored_for(
    ids: Sequence[str], stored: Mapping[str, StoredVector] | None
) -> list[StoredVector | None]:
    """``stored``'s entry for each id, in order (``None`` where it has none)."""
    if not stored:
        return [None] * len(ids)
    return [stored.get(i) for i in ids]
