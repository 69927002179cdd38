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

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matchday.engine.scoring import TextEncoder
    from matchday.engine.types import Candidate, Role

__all__ = [
    "CANDIDATE_FIELDS",
    "ROLE_FIELDS",
    "candidate_texts",
    "combined_vectors",
    "role_texts",
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
