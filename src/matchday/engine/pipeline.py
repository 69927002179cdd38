"""One curation pipeline: candidates and roles in, scored, explained, allocated proposals out.

The web app's curation task and ``python -m matchday.engine curate`` both call
:func:`curate`, so a run stored by the app replays byte for byte from its input document.
The steps, each usable on its own:

1. :func:`~matchday.engine.batch.shortlist` scores every pair and keeps the exact top-k of
   each role and each candidate (final numbers: float64, rounded to 6 decimals). It can run
   per chunk of roles (on several workers) and the chunks merge exactly
   (:func:`~matchday.engine.batch.merge_shortlists`).
2. :func:`allocate_shortlist` removes the excluded pairs (hidden companies, pairs a person
   already reviewed) and allocates under the caps, with per-id overrides (capacity already
   used by approved proposals).
3. :func:`explain_pairs` builds the explanations of the chosen pairs only, with the
   reference per-pair path, and checks they carry exactly the shortlist's numbers.

:func:`curate` runs the three; :func:`curate_shortlist` runs 2 and 3 on a shortlist merged
from chunks of roles scored elsewhere, with the same result.

Weights and text embeddings are inputs (:class:`ScoringWeights`, ``embeddings=``), so a
caller may bring its own. ``progress(fraction, message)`` is the single hook for progress
reports, heartbeats and cancellation: it is called on the calling thread, and an exception
raised from it stops the run and propagates.

>>> from matchday.engine.taxonomy import load_taxonomy
>>> from matchday.engine.types import Candidate, Money, Rates, Role, RequiredSkill, SkillClaim
>>> cands = [Candidate(f"c{i}", (SkillClaim("pytorch", 2 + i),), 5.0, "senior", "DE")
...     for i in range(3)]
>>> role = Role("r1", "co1", "MLE", "senior", "mle", Money(1, "EUR"), Money(2, "EUR"),
...     (RequiredSkill("pytorch", 3),))
>>> zeros = (np.zeros((3, 4), np.float32), np.zeros((1, 4), np.float32))
>>> run = curate(cands, [role], taxonomy=load_taxonomy(), rates=Rates("EUR"),
...     embeddings=zeros, options=CurationOptions(candidate_cap=1, role_cap=2,
...     excluded_pairs=frozenset({("c2", "r1")})))
>>> [(p.candidate_id, p.score) for p in run.proposals]
[('c0', 0.6), ('c1', 0.8)]
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from matchday.engine import ENGINE_VERSION
from matchday.engine.allocate import AllocationInput, allocate, blocking_pairs
from matchday.engine.batch import NDIGITS, Shortlist, encode_texts, shortlist, top_k_ranks
from matchday.engine.explain import Explanation, render_sentences
from matchday.engine.io import EngineInputError
from matchday.engine.scoring import PairScore, ScoringWeights, SkillGraph, score_pair_vectors
from matchday.engine.types import Candidate, Rates, Role
from matchday.engine.vocabulary import SkillFrequencies, open_vocabulary

__all__ = [
    "CuratedProposal",
    "CurationOptions",
    "CurationResult",
    "Progress",
    "allocate_shortlist",
    "curate",
    "curate_shortlist",
    "explain_pairs",
    "pair_document",
    "skill_graph",
]

Policy = Literal["optimal", "stable"]
F32 = npt.NDArray[np.float32]
#: ``progress(fraction_done, message)``; raise from it to cancel.
Progress = Callable[[float, str], None]

UNKNOWN_CAP_ID = "{side}_caps names {id!r}, which is not a {side} of this run"
UNKNOWN_EXCLUDED = "excluded pair ({candidate!r}, {role!r}) names an unknown {side}"
NUMBERS_DIFFER = (
    "pair ({candidate!r}, {role!r}): the explanation's {field} {got!r} differs from the "
    "shortlist's {want!r}; the batch and per-pair paths must compute the same numbers"
)

# Shares of the whole run reported through ``progress``: scoring is most of the work.
_SCORED, _ALLOCATED = 0.85, 0.9


@dataclass(frozen=True)
class CurationOptions:
    """What a curation run is asked to do besides scoring: caps, exclusions, policy, top-k.

    ``candidate_caps`` / ``role_caps`` override ``candidate_cap`` / ``role_cap`` per id
    (e.g. what is left after approved proposals). ``excluded_pairs`` are never proposed
    (hidden companies, pairs a person already reviewed). ``top_k_per_role`` /
    ``top_k_per_candidate`` default to ``max(3 M, 10)`` and ``max(3 K, 5)``: the pairs
    allocation chooses from. ``alternates_per_role`` / ``alternates_per_candidate``: how
    many of the best shortlisted pairs that were not chosen (nor excluded) to return per
    role and per candidate (a reviewer's swap candidates).
    """

    policy: Policy = "optimal"
    candidate_cap: int = 3
    role_cap: int = 10
    candidate_caps: Mapping[str, int] = field(default_factory=dict)
    role_caps: Mapping[str, int] = field(default_factory=dict)
    excluded_pairs: frozenset[tuple[str, str]] = frozenset()
    top_k_per_role: int | None = None
    top_k_per_candidate: int | None = None
    alternates_per_role: int = 0
    alternates_per_candidate: int = 0

    def __post_init__(self) -> None:
        if self.policy not in ("optimal", "stable"):
            raise EngineInputError(
                f"unknown policy {self.policy!r}: expected 'optimal' or 'stable'"
            )
        for name in (
            "candidate_cap",
            "role_cap",
            "top_k_per_role",
            "top_k_per_candidate",
            "alternates_per_role",
            "alternates_per_candidate",
        ):
            value = getattr(self, name)
            if value is None and name.startswith("top_k"):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise EngineInputError(f"{name} must be a non-negative integer, got {value!r}")
        object.__setattr__(self, "candidate_caps", dict(sorted(self.candidate_caps.items())))
        object.__setattr__(self, "role_caps", dict(sorted(self.role_caps.items())))
        object.__setattr__(
            self, "excluded_pairs", frozenset((str(c), str(r)) for c, r in self.excluded_pairs)
        )

    @property
    def k_role(self) -> int:
        return (
            self.top_k_per_role if self.top_k_per_role is not None else max(3 * self.role_cap, 10)
        )

    @property
    def k_candidate(self) -> int:
        if self.top_k_per_candidate is not None:
            return self.top_k_per_candidate
        return max(3 * self.candidate_cap, 5)

    def to_dict(self) -> dict[str, Any]:
        """The ``curation`` object of a run input document (``docs/engine-format.md``)."""
        return {
            "policy": self.policy,
            "candidate_cap": self.candidate_cap,
            "role_cap": self.role_cap,
            "candidate_caps": dict(self.candidate_caps),
            "role_caps": dict(self.role_caps),
            "excluded_pairs": [list(p) for p in sorted(self.excluded_pairs)],
            "top_k_per_role": self.k_role,
            "top_k_per_candidate": self.k_candidate,
            "alternates_per_role": self.alternates_per_role,
            "alternates_per_candidate": self.alternates_per_candidate,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CurationOptions:
        """Parse the ``curation`` object of a run input document (checked by its schema)."""
        return cls(
            policy=data.get("policy", "optimal"),
            candidate_cap=data["candidate_cap"],
            role_cap=data["role_cap"],
            candidate_caps=dict(data.get("candidate_caps", {})),
            role_caps=dict(data.get("role_caps", {})),
            excluded_pairs=frozenset((c, r) for c, r in data.get("excluded_pairs", ())),
            top_k_per_role=data.get("top_k_per_role"),
            top_k_per_candidate=data.get("top_k_per_candidate"),
            alternates_per_role=data.get("alternates_per_role", 0),
            alternates_per_candidate=data.get("alternates_per_candidate", 0),
        )


@dataclass(frozen=True, slots=True)
class CuratedProposal:
    """A proposal with the numbers allocation used and its explanation.

    ``rank_in_role`` / ``rank_for_candidate``: place in the role's / candidate's exact
    top-k (``None`` when only in the other list); ``candidate_rank`` / ``role_rank``: place
    among the pairs allocation chose from (1 = first choice).
    """

    candidate_id: str
    role_id: str
    score: float
    role_fit: float
    candidate_fit: float
    rank_in_role: int | None
    rank_for_candidate: int | None
    candidate_rank: int
    role_rank: int
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "role_id": self.role_id,
            "score": self.score,
            "role_fit": self.role_fit,
            "candidate_fit": self.candidate_fit,
            "rank_in_role": self.rank_in_role,
            "rank_for_candidate": self.rank_for_candidate,
            "candidate_rank": self.candidate_rank,
            "role_rank": self.role_rank,
            "explanation": self.explanation.to_dict(NDIGITS),
            "sentences": render_sentences(self.explanation, "partner"),
        }


def pair_document(ps: PairScore) -> dict[str, Any]:
    """One scored pair outside a run (a partner's swap), in the form of a run's proposals:
    numbers rounded to :data:`NDIGITS`, the explanation and the partner's sentences."""
    return {
        "candidate_id": ps.candidate_id,
        "role_id": ps.role_id,
        "score": round(ps.score, NDIGITS),
        "role_fit": round(ps.role_fit, NDIGITS),
        "candidate_fit": round(ps.candidate_fit, NDIGITS),
        "rank_in_role": None,
        "rank_for_candidate": None,
        "explanation": ps.explanation.to_dict(NDIGITS),
        "sentences": render_sentences(ps.explanation, "partner"),
    }


@dataclass(frozen=True)
class CurationResult:
    """What a curation run produced: proposals (by candidate id, then role id) and counts.

    ``cpu_s`` / ``wall_s`` time each step (encode, score, allocate, explain) of this process;
    they are not part of the output document, which depends on the input only.
    """

    options: CurationOptions
    weights: ScoringWeights
    proposals: tuple[CuratedProposal, ...]
    total_score: float
    warnings: tuple[str, ...]
    counts: dict[str, int]
    alternates: tuple[dict[str, Any], ...] = ()
    cpu_s: dict[str, float] = field(default_factory=dict)
    wall_s: dict[str, float] = field(default_factory=dict)

    def to_dict(self, *, input_hash: str, encoder: str, taxonomy_version: str) -> dict[str, Any]:
        """The output document of ``curate`` (``kind: "curation"``): byte-identical JSON for
        the same input through :func:`matchday.engine.io.write_json`."""
        return {
            "kind": "curation",
            "engine_version": ENGINE_VERSION,
            "input_hash": input_hash,
            "encoder": encoder,
            "taxonomy_version": taxonomy_version,
            "weights": self.weights.to_dict(),
            "options": self.options.to_dict(),
            "counts": dict(self.counts),
            "total_score": self.total_score,
            "warnings": list(self.warnings),
            "proposals": [p.to_dict() for p in self.proposals],
            "alternates": list(self.alternates),
        }


def _check_ids(
    options: CurationOptions, candidate_ids: Iterable[str], role_ids: Iterable[str]
) -> None:
    cands, roles = set(candidate_ids), set(role_ids)
    for side, caps, known in (
        ("candidate", options.candidate_caps, cands),
        ("role", options.role_caps, roles),
    ):
        for key, cap in caps.items():
            if key not in known:
                raise EngineInputError(UNKNOWN_CAP_ID.format(side=side, id=key))
            if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
                raise EngineInputError(
                    f"{side}_caps[{key!r}] is {cap!r}: it must be a non-negative integer"
                )
    for c, r in sorted(options.excluded_pairs):
        if c not in cands or r not in roles:
            side = "candidate" if c not in cands else "role"
            raise EngineInputError(UNKNOWN_EXCLUDED.format(candidate=c, role=r, side=side))


def allocate_shortlist(
    sl: Shortlist, options: CurationOptions
) -> tuple[list[tuple[int, int, int]], float, tuple[str, ...], int, int]:
    """Allocate the shortlist's pairs, less the excluded ones, under the options' caps.

    Returns the chosen pairs as ``(shortlist row, candidate rank, role rank)``, in
    canonical order, the total score, the warnings, the number of pairs allocation chose
    from, and the number of blocking pairs.
    """
    c_ids, r_ids = sl.candidate_ids, sl.role_ids
    cand = [c_ids[c] for c in sl.candidate.tolist()]
    role = [r_ids[r] for r in sl.role.tolist()]
    keep = np.fromiter(
        ((c, r) not in options.excluded_pairs for c, r in zip(cand, role, strict=True)),
        dtype=bool,
        count=len(cand),
    )
    rows = np.flatnonzero(keep)
    cand = [cand[i] for i in rows.tolist()]
    role = [role[i] for i in rows.tolist()]
    if not rows.shape[0]:
        return [], 0.0, (), 0, 0
    present_c, present_r = set(cand), set(role)
    inp = AllocationInput.from_pairs(
        cand,
        role,
        sl.score[rows],
        sl.candidate_fit[rows],
        sl.role_fit[rows],
        candidate_cap=options.candidate_cap,
        role_cap=options.role_cap,
        candidate_caps={k: v for k, v in options.candidate_caps.items() if k in present_c},
        role_caps={k: v for k, v in options.role_caps.items() if k in present_r},
    )
    result = allocate(inp, options.policy)
    # inp holds the pairs in canonical (candidate id, role id) order, as does the shortlist
    n_r = max(len(inp.role_ids), 1)
    keys = inp.pair_candidate * n_r + inp.pair_role
    c_pos = {c: i for i, c in enumerate(inp.candidate_ids)}
    r_pos = {r: i for i, r in enumerate(inp.role_ids)}
    chosen_keys = np.fromiter(
        (c_pos[p.candidate_id] * n_r + r_pos[p.role_id] for p in result.proposals),
        dtype=np.int64,
        count=len(result.proposals),
    )
    at = np.searchsorted(keys, chosen_keys)
    # rows of the shortlist kept, in the same canonical order as inp's pairs (scores > 0)
    positive = rows[sl.score[rows] > 0]
    chosen = [
        (int(positive[a]), p.candidate_rank, p.role_rank)
        for a, p in zip(at.tolist(), result.proposals, strict=True)
    ]
    n_blocking = len(blocking_pairs(inp, result))
    return chosen, float(result.total_score or 0.0), result.warnings, inp.n_pairs, n_blocking


def explain_pairs(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    pairs: Sequence[tuple[int, int]],
    *,
    taxonomy: SkillGraph,
    rates: Rates,
    embeddings: tuple[F32, F32],
    weights: ScoringWeights | None = None,
    progress: Progress | None = None,
    chunk: int = 5000,
) -> list[PairScore]:
    """The reference :class:`PairScore` (with its explanation) of each ``(i, j)`` pair.

    ``i``/``j`` index ``candidates``/``roles``; ``embeddings`` are their text embeddings.
    ``progress(fraction, message)`` is called after each ``chunk`` pairs.
    """
    w = weights or ScoringWeights()
    c_emb, r_emb = embeddings
    out: list[PairScore] = []
    for start in range(0, len(pairs), chunk):
        for i, j in pairs[start : start + chunk]:
            out.append(
                score_pair_vectors(
                    candidates[i],
                    roles[j],
                    c_emb[i],
                    r_emb[j],
                    taxonomy=taxonomy,
                    rates=rates,
                    weights=w,
                )
            )
        if progress is not None:
            done = min(len(pairs), start + chunk)
            progress(done / len(pairs), f"Explained {done:,} of {len(pairs):,} proposals")
    return out


def skill_graph(
    taxonomy: SkillGraph,
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    encoder: Any = None,
    *,
    frequencies: SkillFrequencies | None = None,
) -> SkillGraph:
    """The skill graph a run scores with: the taxonomy, the run's names outside it
    (matched by name and meaning) and its skill frequencies (specificity).

    :func:`curate` builds it; a caller that scores chunks of roles itself (then merges the
    shortlists and calls :func:`curate_shortlist`) builds it **once** over all candidates
    and roles and passes it as ``taxonomy`` to every chunk's
    :func:`~matchday.engine.batch.shortlist` and to :func:`curate_shortlist`: the
    frequencies are the whole run's, so the result equals :func:`curate`'s.
    """
    if frequencies is None:
        frequencies = SkillFrequencies.of(taxonomy, candidates, roles)
    return open_vocabulary(taxonomy, candidates, roles, encoder, frequencies=frequencies)


def curate(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    taxonomy: SkillGraph,
    rates: Rates,
    options: CurationOptions,
    weights: ScoringWeights | None = None,
    embeddings: tuple[F32, F32] | None = None,
    encoder: Any = None,
    progress: Progress | None = None,
    chunk_roles: int = 64,
    n_jobs: int | None = None,
    frequencies: SkillFrequencies | None = None,
) -> CurationResult:
    """Score, shortlist, allocate and explain: one Match Day curation.

    Parameters
    ----------
    candidates, roles
        The engine inputs (ids unique, skill ids normalised).
    taxonomy, rates, weights
        As for :func:`~matchday.engine.scoring.score_pair`.
    options
        Caps (global and per id), excluded pairs, policy and top-k (:class:`CurationOptions`).
    embeddings, encoder
        The ``(candidate, role)`` text embeddings, or an encoder to compute them.
    progress
        ``progress(fraction, message)``, called on the calling thread; raising stops the run.
    chunk_roles, n_jobs
        Scoring block size and threads: they change neither the result nor its bytes.
    frequencies
        The skill frequencies requirements are weighted by (informativeness); ``None``:
        those of this run's candidates and roles (what a replay of the run input computes).

    Raises
    ------
    EngineInputError
        A cap override or an excluded pair naming an id that is not in the run.
    """
    w = weights or ScoringWeights()
    _check_ids(options, (c.id for c in candidates), (r.id for r in roles))
    clock = _Clock()
    taxonomy = skill_graph(taxonomy, candidates, roles, encoder, frequencies=frequencies)
    if embeddings is None:
        if encoder is None:
            raise ValueError("curate needs an encoder or precomputed embeddings")
        if progress is not None:
            progress(0.0, f"Encoding {len(candidates):,} candidates and {len(roles):,} roles")
        embeddings = encode_texts(encoder, candidates, roles)
        clock.lap("encode")

    def scored(done: int, total: int) -> None:
        if progress is not None:
            progress(_SCORED * done / total, f"Scored {done:,} of {total:,} roles")

    sl = shortlist(
        candidates,
        roles,
        taxonomy=taxonomy,
        rates=rates,
        embeddings=embeddings,
        weights=w,
        top_k_per_role=options.k_role,
        top_k_per_candidate=options.k_candidate,
        chunk_roles=chunk_roles,
        n_jobs=n_jobs,
        progress=scored,
    )
    clock.lap("score")
    return curate_shortlist(
        sl,
        candidates,
        roles,
        taxonomy=taxonomy,
        rates=rates,
        options=options,
        weights=w,
        embeddings=embeddings,
        progress=progress,
        clock=clock,
    )


def curate_shortlist(
    sl: Shortlist,
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    taxonomy: SkillGraph,
    rates: Rates,
    options: CurationOptions,
    embeddings: tuple[F32, F32],
    weights: ScoringWeights | None = None,
    progress: Progress | None = None,
    clock: _Clock | None = None,
) -> CurationResult:
    """Allocate and explain a shortlist: the rest of :func:`curate` once scoring is done.

    For scoring split across workers: each scores a chunk of roles with
    :func:`~matchday.engine.batch.shortlist`, the parts are merged with
    :func:`~matchday.engine.batch.merge_shortlists` (any order, any number of parts), and
    this function runs once on the merged shortlist, giving the same result as
    :func:`curate` on all roles at once. ``candidates``/``roles``/``embeddings`` are those
    the shortlist's ids index (the roles in the merged order).
    """
    w = weights or ScoringWeights()
    clock = clock or _Clock()
    if sl.candidate_ids != tuple(c.id for c in candidates) or sl.role_ids != tuple(
        r.id for r in roles
    ):
        raise ValueError("the shortlist must index exactly these candidates and roles")
    _check_ids(options, sl.candidate_ids, sl.role_ids)
    if progress is not None:
        progress(_SCORED, f"Allocating among {len(sl):,} shortlisted pairs")
    chosen, total, warnings, n_allocated, n_blocking = allocate_shortlist(sl, options)
    clock.lap("allocate")
    if progress is not None:
        progress(_ALLOCATED, f"Explaining {len(chosen):,} proposals")

    def explained(fraction: float, message: str) -> None:
        if progress is not None:
            progress(_ALLOCATED + (1 - _ALLOCATED) * fraction, message)

    rows = [row for row, _, _ in chosen]
    cand_index = sl.candidate[rows].tolist() if rows else []
    role_index = sl.role[rows].tolist() if rows else []
    scores = explain_pairs(
        candidates,
        roles,
        list(zip(cand_index, role_index, strict=True)),
        taxonomy=taxonomy,
        rates=rates,
        embeddings=embeddings,
        weights=w,
        progress=explained,
    )
    proposals = []
    for (row, c_rank, r_rank), ps in zip(chosen, scores, strict=True):
        numbers = {
            "score": float(sl.score[row]),
            "role_fit": float(sl.role_fit[row]),
            "candidate_fit": float(sl.candidate_fit[row]),
        }
        for name, want in numbers.items():
            got = round(getattr(ps, name), NDIGITS)
            if got != want:  # pragma: no cover - a defect, held off by the property tests
                raise RuntimeError(
                    NUMBERS_DIFFER.format(
                        candidate=ps.candidate_id, role=ps.role_id, field=name, got=got, want=want
                    )
                )
        proposals.append(
            CuratedProposal(
                candidate_id=ps.candidate_id,
                role_id=ps.role_id,
                score=numbers["score"],
                role_fit=numbers["role_fit"],
                candidate_fit=numbers["candidate_fit"],
                rank_in_role=int(sl.rank_in_role[row]) or None,
                rank_for_candidate=int(sl.rank_for_candidate[row]) or None,
                candidate_rank=c_rank,
                role_rank=r_rank,
                explanation=ps.explanation,
            )
        )
    clock.lap("explain")
    alternates = _alternates(sl, {row for row, _, _ in chosen}, options)
    counts = {
        "candidates": len(candidates),
        "roles": len(roles),
        "pairs_scored": sl.pairs_scored,
        "eligible_pairs": sl.eligible_pairs,
        "pairs_shortlisted": len(sl),
        "pairs_allocated_from": n_allocated,
        "proposals": len(proposals),
        "blocking_pairs": n_blocking,
        "alternates": len(alternates),
    }
    return CurationResult(
        options=options,
        weights=w,
        proposals=tuple(proposals),
        total_score=round(total, NDIGITS) if math.isfinite(total) else 0.0,
        warnings=tuple(warnings),
        counts=counts,
        alternates=tuple(alternates),
        cpu_s=clock.cpu,
        wall_s=clock.wall,
    )


def _alternates(sl: Shortlist, chosen: set[int], options: CurationOptions) -> list[dict[str, Any]]:
    """The best shortlisted pairs neither chosen nor excluded, per role and per candidate
    (their union, by candidate id then role id), with their numbers."""
    if not (options.alternates_per_role or options.alternates_per_candidate):
        return []
    c_ids, r_ids = sl.candidate_ids, sl.role_ids
    rows = np.fromiter(
        (
            i
            for i, (c, r) in enumerate(zip(sl.candidate.tolist(), sl.role.tolist(), strict=True))
            if i not in chosen and (c_ids[c], r_ids[r]) not in options.excluded_pairs
        ),
        dtype=np.int64,
    )
    in_role, for_cand = top_k_ranks(
        sl.candidate[rows],
        sl.role[rows],
        sl.score[rows],
        k_role=options.alternates_per_role,
        k_candidate=options.alternates_per_candidate,
        candidate_ids=c_ids,
        role_ids=r_ids,
    )
    return [
        {
            "candidate_id": c_ids[int(sl.candidate[i])],
            "role_id": r_ids[int(sl.role[i])],
            "score": float(sl.score[i]),
            "role_fit": float(sl.role_fit[i]),
            "candidate_fit": float(sl.candidate_fit[i]),
            "missing_required": int(sl.missing_required[i]),
        }
        for i in rows[(in_role > 0) | (for_cand > 0)].tolist()
    ]


class _Clock:
    """CPU seconds (this process, all threads) and wall seconds per step."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self._cpu, self._wall = time.process_time(), time.perf_counter()

    def lap(self, name: str) -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        self.cpu[name] = round(cpu - self._cpu, 3)
        self.wall[name] = round(wall - self._wall, 3)
        self._cpu, self._wall = cpu, wall
