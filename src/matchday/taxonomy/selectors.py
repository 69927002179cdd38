"""Reads of the skill vocabulary: the unmapped names partners map into the taxonomy."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from matchday.core.permissions import ensure_partner
from matchday.engine.taxonomy import Taxonomy
from matchday.taxonomy.models import Skill, TaxonomyChange
from matchday.taxonomy.services import current_taxonomy, skill_uses

#: Names listed on the partner's page (most used first).
MAX_LISTED = 100


@dataclass(frozen=True)
class UnmappedName:
    """One open skill name: how many profiles and roles name it, and the taxonomy skill
    nearest in meaning (the encoder's suggestion, shown pre-filled, never applied alone)."""

    skill_id: str
    label: str
    uses: dict[str, int]
    total: int
    nearest_id: str | None
    nearest_label: str | None
    nearest_category: str
    similarity: float


@functools.lru_cache(maxsize=4)
def _label_vectors(taxonomy: Taxonomy, encoder: Any) -> tuple[list[str], np.ndarray]:
    ids = [s.id for s in taxonomy.skills]
    vecs = np.asarray(encoder.encode([s.label for s in taxonomy.skills]), np.float32)
    return ids, vecs


def _nearest(labels: list[str], taxonomy: Taxonomy, encoder: Any) -> list[tuple[str | None, float]]:
    if not labels:
        return []
    ids, tax_vecs = _label_vectors(taxonomy, encoder)
    vecs = np.asarray(encoder.encode(labels), np.float32)
    sims = vecs @ tax_vecs.T
    out: list[tuple[str | None, float]] = []
    for i in range(len(labels)):
        if not float(np.abs(vecs[i]).sum()):
            out.append((None, 0.0))
            continue
        j = int(np.argmax(sims[i]))
        out.append((ids[j], round(float(sims[i, j]), 2)))
    return out


def unmapped_skill_names(*, by, encoder: Any = None, limit: int = MAX_LISTED) -> list[UnmappedName]:
    """Open skill names in use, most used first (profiles plus roles; ties by name), each
    with its nearest taxonomy skill. Partners only."""
    ensure_partner(by)
    open_ids = list(
        Skill.objects.filter(source=Skill.Source.OPEN, retired=False).values_list("pk", "label")
    )
    labels = dict(open_ids)
    counts: dict[str, dict[str, int]] = {sid: {} for sid in labels}
    for uses in skill_uses().values():
        for sid, n in uses.count(list(labels)).items():
            if n:
                counts[sid][uses.noun] = n
    ranked = sorted(
        (sid for sid in labels if counts[sid]),
        key=lambda sid: (-sum(counts[sid].values()), labels[sid].casefold(), sid),
    )[:limit]
    taxonomy = current_taxonomy()
    if encoder is None:
        from matchday.engine.encoder import get_encoder

        encoder = get_encoder()
    nearest = _nearest([labels[sid] for sid in ranked], taxonomy, encoder)
    return [
        UnmappedName(
            skill_id=sid,
            label=labels[sid],
            uses=counts[sid],
            total=sum(counts[sid].values()),
            nearest_id=near,
            nearest_label=None if near is None else taxonomy.by_id[near].label,
            nearest_category="" if near is None else taxonomy.by_id[near].category,
            similarity=sim,
        )
        for sid, (near, sim) in zip(ranked, nearest, strict=True)
    ]


def taxonomy_changes(*, by, limit: int = 20) -> list[TaxonomyChange]:
    """The latest partner changes to the taxonomy, newest first. Partners only."""
    ensure_partner(by)
    return list(TaxonomyChange.objects.select_related("created_by").order_by("-pk")[:limit])
