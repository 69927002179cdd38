"""Open vocabulary: skill names outside the taxonomy are kept and matched, not rejected.

Real résumés and postings name tools the taxonomy does not know (Zustand, KaTeX, Netlify).
Dropping them erases the very requirements that tell roles apart, so the engine keeps
them: an unknown skill's id is its name as given (whitespace collapsed, see
:func:`clean_name`), and an :class:`OpenVocabulary` built over one run's candidates and
roles decides what each unknown name gives credit to:

* **by name**: unknown names equal after :func:`~matchday.engine.taxonomy.name_key`
  ("Zustand", "zustand") are the same skill (match ``"name"``, full credit);
* **linked by meaning**: an unknown name whose text embedding is at least
  :data:`LINK_THRESHOLD` from its nearest taxonomy skill is linked to it, both ways, with
  the similarity as the credit's strength (match ``"meaning"``, explained as "matched by
  meaning: Zustand ≈ Redux, similarity 0.71");
* **by meaning against the other side's unknown names**: a candidate's unknown name and a
  role's unknown name at least :data:`PAIR_THRESHOLD` apart match at their similarity.

The same object carries the run's **skill frequencies** (:class:`SkillFrequencies`): how
many of the run's candidates and roles name each skill. A requirement counts by how
informative it is (:meth:`OpenVocabulary.informativeness`): a skill nearly everyone lists
(Python, Git, SQL) is down-weighted, with a floor, so a role asking only for such skills
cannot reach a near-perfect skill fit.

Every link depends on the two names only (never on which other names are in the run), so
scoring one pair, a chunk of roles or the whole run gives the same numbers. Similarities
are computed per pair in float64 (:func:`~matchday.engine.scoring.similarity_rows`'s
arithmetic) and rounded to :data:`SIMILARITY_DIGITS` decimals: they are part of the score.

>>> from matchday.engine.taxonomy import load_taxonomy
>>> clean_name("  Zustand   (state) "), is_unknown(load_taxonomy(), "pytorch")
('Zustand (state)', False)
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from matchday.engine.taxonomy import name_key

if TYPE_CHECKING:
    from matchday.engine.scoring import SkillGraph, TextEncoder
    from matchday.engine.types import Candidate, Role

__all__ = [
    "GENERIC_FLOOR",
    "GENERIC_MEAN",
    "LINK_THRESHOLD",
    "PAIR_THRESHOLD",
    "SIMILARITY_DIGITS",
    "OpenSkill",
    "OpenVocabulary",
    "SkillFrequencies",
    "base_targets",
    "clean_name",
    "informativeness",
    "is_unknown",
    "open_vocabulary",
]

#: Similarity from which an unknown name is linked to its nearest taxonomy skill.
LINK_THRESHOLD = 0.75
#: Similarity from which a candidate's and a role's unknown names match each other.
PAIR_THRESHOLD = 0.75
#: Decimals of every similarity used as a strength.
SIMILARITY_DIGITS = 4
#: Informativeness never falls below this: a generic requirement still counts a little.
GENERIC_FLOOR = 0.25
#: A role whose requirements' mean informativeness (by weight) is below this has its
#: skill coverage capped at that mean divided by this: generic-only roles cannot reach a
#: near-perfect skill fit.
GENERIC_MEAN = 0.5
#: A skill named by this share of the run's profiles and roles or fewer is fully specific.
SPECIFIC_SHARE = 0.05
#: Pseudo-documents at ``SPECIFIC_SHARE`` added to the counts: a small run (a handful of
#: profiles) down-weights nothing much; frequencies speak once there are many documents.
PRIOR_DOCUMENTS = 20
#: Below this many documents a run says nothing about which skills are generic: every
#: requirement counts fully (a swap in a Match Day of five profiles down-weights nothing).
MIN_DOCUMENTS = 20
_SCREEN = 0.02  # float32 screen margin below a threshold before the exact float64 check
_BLOCK = 2048

Targets = dict[str, tuple[float, str]]


def clean_name(name: str) -> str:
    """The id an unknown skill name gets: NFKC, whitespace collapsed, case kept."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def is_unknown(taxonomy: SkillGraph, skill_id: str) -> bool:
    """Whether ``skill_id`` is a name outside the taxonomy."""
    return skill_id not in taxonomy.by_id


def base_targets(taxonomy: SkillGraph, skill_id: str) -> Targets:
    """The taxonomy's own credit of ``skill_id``: itself, its ancestors, related skills."""
    out: Targets = {}
    if skill_id in taxonomy.by_id:
        for target, strength in taxonomy.related(skill_id).items():
            out[target] = (float(strength), "adjacent")
        for target in taxonomy.ancestors(skill_id):
            out[target] = (1.0, "child")
    out[skill_id] = (1.0, "exact")
    return out


def frequency_key(skill_id: str, taxonomy: SkillGraph) -> str:
    """Taxonomy ids count as themselves; unknown names by :func:`name_key` (same name)."""
    base = taxonomy.taxonomy if isinstance(taxonomy, OpenVocabulary) else taxonomy
    return skill_id if skill_id in base.by_id else "~" + name_key(skill_id)


@dataclass(frozen=True)
class SkillFrequencies:
    """How many of a run's documents (candidates and roles) name each skill.

    ``counts`` maps :func:`frequency_key` to the number of documents; a candidate counts
    its claims, a role its required and nice-to-have skills, each skill once.

    >>> f = SkillFrequencies(100, {"python": 60, "kaldi": 2})
    >>> f.informativeness("python"), f.informativeness("kaldi"), f.informativeness("cuda")
    (0.25, 1.0, 1.0)
    """

    documents: int
    counts: Mapping[str, int]

    @classmethod
    def of(
        cls, taxonomy: SkillGraph, candidates: Sequence[Candidate], roles: Sequence[Role]
    ) -> SkillFrequencies:
        counts: dict[str, int] = {}
        docs: list[Iterable[str]] = [[s.skill_id for s in c.skills] for c in candidates]
        docs += [[q.skill_id for q in (*r.required_skills, *r.nice_to_have)] for r in roles]
        for ids in docs:
            for key in {frequency_key(i, taxonomy) for i in ids}:
                counts[key] = counts.get(key, 0) + 1
        return cls(len(candidates) + len(roles), dict(sorted(counts.items())))

    def informativeness(self, key: str) -> float:
        """``log(1/p) / log(1/SPECIFIC_SHARE)`` clipped to ``[GENERIC_FLOOR, 1]``, where ``p``
        is the skill's smoothed share of documents; rounded to 4 decimals. 1 when the run
        has fewer than :data:`MIN_DOCUMENTS` documents."""
        if self.documents < MIN_DOCUMENTS:
            return 1.0
        n = self.counts.get(key, 0)
        share = (n + PRIOR_DOCUMENTS * SPECIFIC_SHARE) / (self.documents + PRIOR_DOCUMENTS)
        value = math.log(1.0 / share) / math.log(1.0 / SPECIFIC_SHARE)
        return round(min(1.0, max(GENERIC_FLOOR, value)), SIMILARITY_DIGITS)

    def share(self, key: str) -> float:
        """The skill's raw share of documents (for explanations)."""
        return self.counts.get(key, 0) / self.documents if self.documents else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "counts": dict(self.counts)}


def informativeness(taxonomy: SkillGraph, skill_id: str) -> float:
    """How much a requirement of ``skill_id`` counts: 1 unless the graph carries the run's
    frequencies and the skill is common in it."""
    if isinstance(taxonomy, OpenVocabulary):
        return taxonomy.informativeness(skill_id)
    return 1.0


@dataclass(frozen=True, slots=True)
class OpenSkill:
    """An unknown skill name of a run: its nearest taxonomy skill and how close it is.

    ``link`` is that skill's id when ``similarity`` reaches :data:`LINK_THRESHOLD`, else
    ``None`` (``nearest`` is kept either way: the taxonomy page shows it as a suggestion).
    """

    id: str
    label: str
    nearest: str | None
    nearest_label: str | None
    similarity: float
    link: str | None


class _Labels(Mapping[str, Any]):
    """``by_id`` of an open vocabulary: the taxonomy's skills, then the unknown ones."""

    def __init__(self, base: Mapping[str, Any], extra: Mapping[str, OpenSkill]) -> None:
        self._base, self._extra = base, extra

    def __getitem__(self, key: str) -> Any:
        if key in self._base:
            return self._base[key]
        return self._extra[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        yield from (k for k in self._extra if k not in self._base)

    def __len__(self) -> int:
        return len(self._base) + sum(1 for k in self._extra if k not in self._base)

    def __contains__(self, key: object) -> bool:
        return key in self._base or key in self._extra


class OpenVocabulary:
    """The taxonomy plus one run's unknown skill names and their links (a ``SkillGraph``).

    Build it with :func:`open_vocabulary`. ``unknown`` maps each unknown id to its
    :class:`OpenSkill`; ``pairs`` holds the candidate-name x role-name matches by meaning
    as ``{claimed: {required: similarity}}``.
    """

    def __init__(
        self,
        taxonomy: SkillGraph,
        unknown: Mapping[str, OpenSkill],
        pairs: Mapping[str, Mapping[str, float]],
        frequencies: SkillFrequencies | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.frequencies = frequencies
        self.version = str(getattr(taxonomy, "version", ""))
        self.unknown = dict(unknown)
        self.pairs = {k: dict(v) for k, v in pairs.items()}
        self.by_id: Mapping[str, Any] = _Labels(taxonomy.by_id, self.unknown)
        self._same_name: dict[str, list[str]] = {}
        for skill_id in self.unknown:
            self._same_name.setdefault(name_key(skill_id), []).append(skill_id)
        self._linked_to: dict[str, list[OpenSkill]] = {}
        for skill in self.unknown.values():
            if skill.link is not None:
                self._linked_to.setdefault(skill.link, []).append(skill)
        self._cache: dict[str, Targets] = {}

    def informativeness(self, skill_id: str) -> float:
        """How much a requirement of ``skill_id`` counts (1 without frequencies)."""
        if self.frequencies is None:
            return 1.0
        return self.frequencies.informativeness(frequency_key(skill_id, self.taxonomy))

    def share(self, skill_id: str) -> float:
        """The share of the run's documents that name ``skill_id`` (0 without frequencies)."""
        if self.frequencies is None:
            return 0.0
        return self.frequencies.share(frequency_key(skill_id, self.taxonomy))

    def ancestors(self, skill_id: str) -> frozenset[str]:
        if skill_id in self.unknown:
            return frozenset()
        return self.taxonomy.ancestors(skill_id)

    def related(self, skill_id: str) -> Mapping[str, float]:
        if skill_id in self.unknown:
            return {}
        return self.taxonomy.related(skill_id)

    def targets(self, skill_id: str) -> Targets:
        """What a claim of ``skill_id`` gives credit to: ``{target: (strength, match)}``."""
        cached = self._cache.get(skill_id)
        if cached is not None:
            return cached
        out = base_targets(self.taxonomy, skill_id)
        skill = self.unknown.get(skill_id)
        if skill is None:
            for linked in self._linked_to.get(skill_id, ()):
                _offer(out, linked.id, linked.similarity, "meaning")
        else:
            if skill.link is not None:
                _offer(out, skill.link, skill.similarity, "meaning")
            for other, similarity in self.pairs.get(skill_id, {}).items():
                _offer(out, other, similarity, "meaning")
            for other in self._same_name.get(name_key(skill_id), ()):
                if other != skill_id:
                    _offer(out, other, 1.0, "name")
        self._cache[skill_id] = out
        return out


_RANK = {"exact": 0, "name": 1, "child": 2, "adjacent": 3, "meaning": 4}


def _offer(out: Targets, target: str, strength: float, match: str) -> None:
    """Keep the stronger credit for ``target`` (on a tie, the more direct match)."""
    have = out.get(target)
    if have is None or (strength, -_RANK[match]) > (have[0], -_RANK[have[1]]):
        out[target] = (strength, match)


def _label(taxonomy: SkillGraph, skill_id: str) -> str:
    skill = taxonomy.by_id.get(skill_id)
    return str(getattr(skill, "label", skill_id))


def _exact_similarity(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
    """One pair's cosine of unit vectors in float64, rounded: independent of batch shape."""
    prod = np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64)
    return round(float(prod[None, :].sum(axis=1)[0]), SIMILARITY_DIGITS)


def _close_pairs(
    left: npt.NDArray[np.float32], right: npt.NDArray[np.float32], threshold: float
) -> Iterator[tuple[int, int, float]]:
    """``(i, j, similarity)`` of every row pair at ``threshold`` or above (exact check)."""
    for start in range(0, left.shape[0], _BLOCK):
        block = left[start : start + _BLOCK] @ right.T
        rows, cols = np.nonzero(block >= threshold - _SCREEN)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            sim = _exact_similarity(left[start + i], right[j])
            if sim >= threshold:
                yield start + i, j, sim


def _unknown_names(taxonomy: SkillGraph, items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(s for s in items if s not in taxonomy.by_id))


def open_vocabulary(
    taxonomy: SkillGraph,
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    encoder: TextEncoder | None,
    *,
    frequencies: SkillFrequencies | None = None,
    link_threshold: float = LINK_THRESHOLD,
    pair_threshold: float = PAIR_THRESHOLD,
) -> SkillGraph:
    """The skill graph to score ``candidates`` x ``roles`` with.

    The taxonomy itself when every skill id is in it and no ``frequencies`` are given
    (nothing changes, nothing is computed); otherwise an :class:`OpenVocabulary` with each
    unknown name linked by meaning where the encoder's similarity reaches the thresholds
    (without an encoder, unknown names match by name only) and requirements weighted by
    ``frequencies``. Given an :class:`OpenVocabulary`, its frequencies are kept unless
    others are given (so one pair is scored with its run's frequencies).
    """
    if isinstance(taxonomy, OpenVocabulary):
        base = taxonomy.taxonomy
        frequencies = frequencies if frequencies is not None else taxonomy.frequencies
    else:
        base = taxonomy
    claimed = _unknown_names(base, (s.skill_id for c in candidates for s in c.skills))
    required = _unknown_names(
        base, (q.skill_id for r in roles for q in (*r.required_skills, *r.nice_to_have))
    )
    names = list(dict.fromkeys([*claimed, *required]))
    if not names and frequencies is None:
        return base
    unknown: dict[str, OpenSkill] = {}
    pairs: dict[str, dict[str, float]] = {}
    if encoder is None:
        for name in names:
            unknown[name] = OpenSkill(name, name, None, None, 0.0, None)
        return OpenVocabulary(base, unknown, pairs, frequencies)
    if not names:
        return OpenVocabulary(base, unknown, pairs, frequencies)
    tax_ids = [k for k in base.by_id]
    tax_vecs = np.asarray(encoder.encode([_label(base, k) for k in tax_ids]), np.float32)
    vecs = np.asarray(encoder.encode(names), np.float32)
    at = {name: i for i, name in enumerate(names)}
    sims = vecs @ tax_vecs.T if tax_ids else np.zeros((len(names), 0), np.float32)
    for i, name in enumerate(names):
        nearest: str | None = None
        similarity = 0.0
        if tax_ids and float(np.abs(vecs[i]).sum()) > 0:
            # the float32 best few, then the exact float64 best among them (ties: file order)
            top = np.argsort(-sims[i], kind="stable")[:5]
            exact = [(_exact_similarity(vecs[i], tax_vecs[j]), -int(j)) for j in top.tolist()]
            similarity, neg_j = max(exact)
            nearest = tax_ids[-neg_j]
        link = nearest if nearest is not None and similarity >= link_threshold else None
        unknown[name] = OpenSkill(
            name,
            name,
            nearest,
            None if nearest is None else _label(base, nearest),
            similarity,
            link,
        )
    if claimed and required:
        left = vecs[[at[n] for n in claimed]]
        right = vecs[[at[n] for n in required]]
        for i, j, sim in _close_pairs(left, right, pair_threshold):
            if claimed[i] != required[j]:
                pairs.setdefault(claimed[i], {})[required[j]] = sim
    return OpenVocabulary(base, unknown, pairs, frequencies)
