"""Batch scoring: every (candidate, role) pair of N x M, vectorised and chunked.

The batch path computes exactly the model of :mod:`matchday.engine.scoring` with numpy:

* hard constraints become boolean masks from small integer codes: one packed bitset word
  per side for the categorical checks (role type, remote arrangement, level, and the
  company stage/size dealbreakers), country and city bitsets for location and work
  authorisation, floats in a common currency and period for pay, offsets for timezones;
* skills become a dense ``K x N`` "credit" matrix over the (skill, minimum level) columns
  the roles ask for (credit after ancestor/adjacency propagation x level factor, the
  maximum over the candidate's skills), so required and nice-to-have coverage for a chunk
  of roles is one sparse x dense product;
* text similarity is a float32 ``roles x 128 @ 128 x candidates`` product.

Roles are processed in chunks (memory stays at ``chunk_roles x N`` floats per worker
plus the credit matrix), candidates in sub-chunks that fit the CPU cache, on ``n_jobs``
threads (numpy, BLAS and scipy release the GIL). The top-k candidates per role and the
top-k roles per candidate are kept; explanations are built, with the per-pair reference
path, only for the pairs returned. Scores agree with :func:`~matchday.engine.scoring.
score_pair` to ~1e-6 (float32) and eligibility agrees exactly (tested with hypothesis).

>>> from matchday.engine.taxonomy import load_taxonomy
>>> from matchday.engine.types import Candidate, Money, Rates, Role, RequiredSkill, SkillClaim
>>> cands = [Candidate(f"c{i}", (SkillClaim("pytorch", 1 + i),), 5.0, "senior", "DE")
...     for i in range(3)]
>>> role = Role("r1", "co1", "MLE", "senior", "mle", Money(1, "EUR"), Money(2, "EUR"),
...     (RequiredSkill("pytorch", 3),))
>>> class Blank:
...     def encode(self, texts): return np.zeros((len(texts), 4), np.float32)
>>> res = score_batch(cands, [role], taxonomy=load_taxonomy(), encoder=Blank(),
...     rates=Rates("EUR"), top_k_per_role=2)
>>> [p.candidate_id for p in res.top_by_role["r1"]]
['c2', 'c1']
"""

from __future__ import annotations

import math
import os
import queue
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from matchday.engine.scoring import (
    ACCEPTED_POLICIES,
    CANDIDATE_COMPONENTS,
    GATED_COMPONENTS,
    ROLE_COMPONENTS,
    PairScore,
    ScoringWeights,
    SkillGraph,
    TextEncoder,
    add_in_order,
    candidate_preference_weights,
    role_component_weights,
    score_pair_vectors,
    seniority_fit,
    similarity_rows,
    skill_targets,
    specificity_cap,
)
from matchday.engine.texts import (
    StoredVector,
    candidate_texts,
    reuse_or_combine,
    role_texts,
    stored_for,
)
from matchday.engine.types import LEVELS, LOCATION_POLICIES, Candidate, Rates, RequiredSkill, Role
from matchday.engine.vocabulary import SkillFrequencies, informativeness, open_vocabulary

__all__ = [
    "NDIGITS",
    "SCREEN_MARGIN",
    "BatchResult",
    "RankedPair",
    "Shortlist",
    "encode_texts",
    "merge_shortlists",
    "score_batch",
    "score_matrix",
    "shortlist",
    "top_k_ranks",
]

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint32]
Bool = npt.NDArray[np.bool_]

_REMOTE_ANYWHERE, _REMOTE_LIMITED, _ONSITE_CITIES, _ONSITE_COUNTRIES = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class RankedPair:
    """A returned pair with its batch score (float32 precision) and rank on that side."""

    candidate_id: str
    role_id: str
    score: float
    rank: int


@dataclass(frozen=True)
class BatchResult:
    """Top-k per role and per candidate, with per-pair explanations when requested.

    ``explained`` maps ``(candidate_id, role_id)`` to the reference :class:`PairScore`
    (with its explanation) for every pair in either top-k list, when ``explain=True``.
    """

    top_by_role: dict[str, tuple[RankedPair, ...]]
    top_by_candidate: dict[str, tuple[RankedPair, ...]]
    pairs_scored: int
    eligible_pairs: int
    explained: dict[tuple[str, str], PairScore] = field(default_factory=dict)

    def returned_pairs(self) -> list[tuple[str, str]]:
        """Every (candidate_id, role_id) in either top-k list, sorted."""
        keys = {(p.candidate_id, p.role_id) for ps in self.top_by_role.values() for p in ps}
        keys |= {(p.candidate_id, p.role_id) for ps in self.top_by_candidate.values() for p in ps}
        return sorted(keys)


# -- preparation -----------------------------------------------------------------------


WORD = 32  # bitset word size: uint32 outer ops are ~3x faster than uint64 in numpy


def _words(n_bits: int) -> int:
    return max(1, (n_bits + WORD - 1) // WORD)


def _pack(rows: Sequence[int], n_words: int) -> U64:
    """Python-int bitsets -> ``(n_words, len(rows))`` uint32 (word-major, contiguous)."""
    mask = (1 << WORD) - 1
    out = np.empty((n_words, len(rows)), dtype=np.uint32)
    for w in range(n_words):
        out[w] = np.fromiter(((r >> (WORD * w)) & mask for r in rows), np.uint32, len(rows))
    return out


def _bits(values: Iterable[str], vocab: dict[str, int]) -> int:
    acc = 0
    for v in values:
        b = vocab.get(v)
        if b is not None:
            acc |= 1 << b
    return acc


def _meet(rbits: U64, cbits: U64) -> Bool:
    """``(W, Rc)`` x ``(W, Nc)`` bitsets -> ``Rc x Nc`` "the sets intersect"."""
    acc = rbits[0][:, None] & cbits[0][None, :]
    for w in range(1, rbits.shape[0]):
        acc |= rbits[w][:, None] & cbits[w][None, :]
    return np.asarray(acc != 0, dtype=np.bool_)


@dataclass(frozen=True)
class _Vocabularies:
    """Bit positions of the values the roles use (sorted, so the packing is deterministic)."""

    role_type: dict[str, int]
    stage: dict[str, int]
    size: dict[str, int]
    country: dict[str, int]
    city: dict[str, int]
    domain: dict[str, int]

    @classmethod
    def of(cls, roles: Sequence[Role]) -> _Vocabularies:
        def vocab(values: Iterable[str]) -> dict[str, int]:
            return {t: k for k, t in enumerate(sorted(set(values)))}

        return cls(
            role_type=vocab(r.role_type for r in roles),
            stage=vocab(r.company_stage for r in roles),
            size=vocab(r.company_size for r in roles),
            country=vocab(c for r in roles for c in r.allowed_countries),
            city=vocab(c for r in roles for c in r.cities),
            domain=vocab(d for r in roles for d in r.domains),
        )


@dataclass(frozen=True)
class _Categorical:
    """Role type, remote arrangement, level and the stage/size dealbreakers as one packed
    bitset word per side: a pair is ineligible where one side's single values meet the
    other side's refused set (role-single fields vs candidate sets, the candidate's level
    vs the role's allowed levels)."""

    r_single: U64
    r_notaccept: U64
    c_single: U64
    c_notaccept: U64


@dataclass(frozen=True)
class _Geography:
    """Countries and cities as bitsets over the roles' vocabularies; timezone windows."""

    c_reach: U64  # reachable countries
    c_ca: U64  # reachable and authorised
    c_auth: U64  # authorised
    c_has_ca: Bool
    c_cities: U64
    r_countries: U64
    r_cities: U64
    c_tz: F64
    r_tz_lo: F64  # -inf/+inf: no window
    r_tz_hi: F64


@dataclass(frozen=True)
class _Pay:
    """Annual base pay in the common currency, and the pay-headroom line ``a x band - b``."""

    c_min: F64  # -inf: no minimum stated
    c_db_pay: Bool
    any_db_pay: bool
    r_bmax: F64
    r_bmin: F64
    r_bmax32: F32
    c_pay_a: F32
    c_pay_b: F32


@dataclass(frozen=True)
class _Company:
    """Domain, company stage and size as bitsets (dealbreaker and preference matches)."""

    c_dom: U64
    r_dom: U64
    c_db_dom: Bool
    any_db_dom: bool
    c_stage: U64
    r_stage: U64
    c_size: U64
    r_size: U64


@dataclass(frozen=True)
class _Experience:
    """Years of experience against each role's range: float32 for the screen, float64 for
    the exact path."""

    c_years: F32
    r_inv_min: F32  # 1 / years_min, 0 when no minimum
    r_off_min: F32  # 1 when no minimum (the fit is then 1), else 0
    r_ymax: F32
    r_has_max: Bool
    cut_cap: float
    inv_over: float
    r_ymin: F64
    r_ymax64: F64  # +inf when no maximum
    c_years64: F64


@dataclass(frozen=True)
class _Seniority:
    """Seniority fit by level difference, the reference's function tabulated."""

    r_level: npt.NDArray[np.intp]
    c_level: npt.NDArray[np.intp]
    sen_table: F64  # fit by (candidate level - role level + levels - 1)
    c_sen: F32  # (levels, n): each candidate's fit for a role of each level


@dataclass(frozen=True)
class _Credits:
    """Skill credit per (candidate, used (skill, minimum level) column)."""

    columns: dict[tuple[str, int], int]
    chunks: list[F32]  # dense K x chunk float32 blocks for the screen
    keys: npt.NDArray[np.int64]  # candidate x n_k + column, sorted: the exact path's credits
    vals: F64
    n_k: int


@dataclass(frozen=True)
class _RoleWeights:
    """Each role's component weights, as the screen's coefficients and the exact path's
    tables."""

    r_a_exp: F32
    r_a_sen: F32
    r_a_text: F32
    any_sen: bool
    # (m, K) per credit column: the required skills' coverage coefficients (the coverage is
    # also the gate of the context components; its weight r_a_req is applied in the block)
    # and the nice-to-have ones' coefficients of the role fit
    w_req: sp.csr_matrix
    w_nice: sp.csr_matrix
    any_nice: bool
    r_a_req: F32
    r_no_req: F32  # 1 for a role without required skills: nothing to gate by (gate 1)
    any_no_req: bool
    # required / nice: columns, effective weights (m x R), effective totals, specificity caps
    req: tuple[npt.NDArray[np.int64], F64, F64, F64]
    nice: tuple[npt.NDArray[np.int64], F64, F64, F64]
    r_present: Bool  # (4, m): which ROLE_COMPONENTS each role has
    r_total: F64


@dataclass(frozen=True)
class _CandidateWeights:
    """Each candidate's share of the score for the role side and its preference weights."""

    c_role_share: F32
    c_b_dom: F32
    c_b_stage: F32
    c_b_size: F32
    c_b_pay: F32
    c_cw: F64  # (4, n): weight of each CANDIDATE_COMPONENTS the candidate expressed, else 0
    c_expr: Bool
    c_ctotal: F64
    c_role_share64: F64
    c_cand_share64: F64


@dataclass(frozen=True)
class _Texts:
    """L2-normalised text embeddings, roles in internal order."""

    c_emb: F32
    r_emb: F32


@dataclass(frozen=True)
class _Prepared:
    """Everything the blocks and the exact path read, in roles' internal (geography-grouped)
    order."""

    n: int
    m: int
    order: npt.NDArray[np.intp]  # internal role position -> original role index
    group: npt.NDArray[np.int8]
    chunk_candidates: int
    w: ScoringWeights
    cat: _Categorical
    geo: _Geography
    pay: _Pay
    company: _Company
    exp: _Experience
    sen: _Seniority
    credit: _Credits
    roles_w: _RoleWeights
    cands_w: _CandidateWeights
    c_sentinel: F32
    text: _Texts


def _credit_chunks(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    taxonomy: SkillGraph,
    w: ScoringWeights,
    chunk: int,
) -> _Credits:
    columns: dict[tuple[str, int], int] = {}
    for role in roles:
        for req in (*role.required_skills, *role.nice_to_have):
            columns.setdefault((req.skill_id, req.min_level), len(columns))
    levels_of: dict[str, list[tuple[int, int]]] = {}
    for (skill, level), col in columns.items():
        levels_of.setdefault(skill, []).append((level, col))
    # per claimed skill: the used columns it reaches, with strength and minimum level
    reach: dict[str, tuple[npt.NDArray[np.intp], npt.NDArray[np.float64], npt.NDArray[np.int64]]]
    reach = {}
    claim_cand: list[int] = []
    claim_skill: list[str] = []
    claim_level: list[int] = []
    for i, cand in enumerate(candidates):
        for claim in cand.skills:
            claim_cand.append(i)
            claim_skill.append(claim.skill_id)
            claim_level.append(claim.level)
    for skill in set(claim_skill):
        cols: list[int] = []
        strengths: list[float] = []
        mins: list[int] = []
        for target, (strength, _match) in skill_targets(taxonomy, skill).items():
            for level, col in levels_of.get(target, ()):
                cols.append(col)
                strengths.append(strength)
                mins.append(level)
        reach[skill] = (
            np.asarray(cols, dtype=np.intp),
            np.asarray(strengths, dtype=np.float64),
            np.asarray(mins, dtype=np.int64),
        )
    n_k = max(1, len(columns))
    counts = np.fromiter((len(reach[s][0]) for s in claim_skill), np.intp, len(claim_skill))
    total = int(counts.sum())
    e_cand = np.repeat(np.asarray(claim_cand, dtype=np.intp), counts)
    e_level = np.repeat(np.asarray(claim_level, dtype=np.int64), counts)
    if total:
        e_col = np.concatenate([reach[s][0] for s in claim_skill])
        e_strength = np.concatenate([reach[s][1] for s in claim_skill])
        e_min = np.concatenate([reach[s][2] for s in claim_skill])
    else:
        e_col = np.empty(0, np.intp)
        e_strength = np.empty(0, np.float64)
        e_min = np.empty(0, np.int64)
    # the same arithmetic as scoring.level_factor, element-wise
    short = np.maximum(0, e_min - e_level).astype(np.float64)
    e_credit64 = e_strength * np.maximum(0.0, 1.0 - w.level_step * short)
    e_credit = e_credit64.astype(np.float32)
    n = len(candidates)
    # exact credits for the float64 path: the best claim per (candidate, column), sorted by key
    key = e_cand.astype(np.int64) * n_k + e_col
    order = np.argsort(key, kind="stable")
    key, best = key[order], e_credit64[order]
    if key.shape[0]:
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        credit_keys, credit_vals = key[starts], np.maximum.reduceat(best, starts)
    else:
        credit_keys, credit_vals = np.empty(0, np.int64), np.empty(0, np.float64)
    chunks: list[F32] = []
    bounds = np.searchsorted(e_cand, np.arange(0, n + chunk, chunk).clip(max=n))
    for start_i, c0 in enumerate(range(0, n, chunk)):
        c1 = min(n, c0 + chunk)
        lo, hi = int(bounds[start_i]), int(bounds[start_i + 1])
        block = np.zeros((n_k, c1 - c0), dtype=np.float32)
        np.maximum.at(block, (e_col[lo:hi], e_cand[lo:hi] - c0), e_credit[lo:hi])
        chunks.append(block)
    return _Credits(columns, chunks, credit_keys, credit_vals, n_k)


def _geography_order(roles: Sequence[Role]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int8]]:
    """Roles sorted (stably) by geography group, so a block checks each group in one run."""

    def geo_group(r: Role) -> int:
        if r.location_policy == "remote":
            return _REMOTE_LIMITED if r.allowed_countries else _REMOTE_ANYWHERE
        return _ONSITE_CITIES if r.cities else _ONSITE_COUNTRIES

    groups = np.fromiter((geo_group(r) for r in roles), np.int8, len(roles))
    order = np.argsort(groups, kind="stable")
    return order, groups[order]


def _categorical(
    candidates: Sequence[Candidate], roles: Sequence[Role], vocab: _Vocabularies
) -> _Categorical:
    off_type = 0
    off_policy = off_type + len(vocab.role_type)
    off_stage = off_policy + len(LOCATION_POLICIES)
    off_size = off_stage + len(vocab.stage)
    off_level = off_size + len(vocab.size)
    n_cat = _words(off_level + len(LEVELS))
    all_type = ((1 << len(vocab.role_type)) - 1) << off_type
    all_stage = ((1 << len(vocab.stage)) - 1) << off_stage
    all_size = ((1 << len(vocab.size)) - 1) << off_size
    full = (1 << (WORD * n_cat)) - 1

    r_single, r_notaccept = [], []
    for r in roles:
        r_single.append(
            (1 << (off_type + vocab.role_type[r.role_type]))
            | (1 << (off_policy + LOCATION_POLICIES.index(r.location_policy)))
            | (1 << (off_stage + vocab.stage[r.company_stage]))
            | (1 << (off_size + vocab.size[r.company_size]))
        )
        accept = 0
        for level in r.allowed_levels:
            accept |= 1 << (off_level + LEVELS.index(level))
        r_notaccept.append(full ^ accept)
    c_single, c_notaccept = [], []
    for c in candidates:
        # an inferred level sets no bit: it never meets a role's refused levels
        c_single.append(0 if c.level_inferred else 1 << (off_level + LEVELS.index(c.level)))
        accept = _bits(c.role_types, vocab.role_type) << off_type if c.role_types else all_type
        for policy in ACCEPTED_POLICIES[c.remote_preference]:
            accept |= 1 << (off_policy + LOCATION_POLICIES.index(policy))
        if "company_stage" in c.dealbreakers and c.company_stages:
            accept |= _bits(c.company_stages, vocab.stage) << off_stage
        else:
            accept |= all_stage
        if "company_size" in c.dealbreakers and c.company_sizes:
            accept |= _bits(c.company_sizes, vocab.size) << off_size
        else:
            accept |= all_size
        c_notaccept.append(full ^ accept)
    return _Categorical(
        r_single=_pack(r_single, n_cat),
        r_notaccept=_pack(r_notaccept, n_cat),
        c_single=_pack(c_single, n_cat),
        c_notaccept=_pack(c_notaccept, n_cat),
    )


def _geography(
    candidates: Sequence[Candidate], roles: Sequence[Role], vocab: _Vocabularies
) -> _Geography:
    n, m = len(candidates), len(roles)
    n_country, n_city = _words(len(vocab.country)), _words(len(vocab.city))
    reach = [c.reachable_countries for c in candidates]
    auth = [c.authorized_countries for c in candidates]
    ca = [a & b for a, b in zip(reach, auth, strict=True)]
    tz_lo = np.full(m, -np.inf)
    tz_hi = np.full(m, np.inf)
    for j, r in enumerate(roles):
        if r.location_policy == "remote" and r.timezone_range is not None:
            tz_lo[j], tz_hi[j] = r.timezone_range
    return _Geography(
        c_reach=_pack([_bits(s, vocab.country) for s in reach], n_country),
        c_ca=_pack([_bits(s, vocab.country) for s in ca], n_country),
        c_auth=_pack([_bits(s, vocab.country) for s in auth], n_country),
        c_has_ca=np.fromiter((bool(s) for s in ca), np.bool_, n),
        c_cities=_pack([_bits(c.reachable_cities, vocab.city) for c in candidates], n_city),
        r_countries=_pack([_bits(r.allowed_countries, vocab.country) for r in roles], n_country),
        r_cities=_pack([_bits(r.cities, vocab.city) for r in roles], n_city),
        c_tz=np.fromiter((c.timezone for c in candidates), np.float64, n),
        r_tz_lo=tz_lo,
        r_tz_hi=tz_hi,
    )


def _pay(
    candidates: Sequence[Candidate], roles: Sequence[Role], rates: Rates, w: ScoringWeights
) -> _Pay:
    n, m = len(candidates), len(roles)
    c_min = np.full(n, -np.inf)
    pay_a = np.zeros(n, np.float64)
    pay_b = np.zeros(n, np.float64)
    for i, c in enumerate(candidates):
        if c.min_pay is not None:
            want = rates.annual_base(c.min_pay)
            c_min[i] = want
            if want <= 0:
                pay_b[i] = -1.0
            else:
                pay_a[i] = 1.0 / (w.pay_headroom_full * want)
                pay_b[i] = 1.0 / w.pay_headroom_full
    r_bmax = np.fromiter((rates.annual_base(r.pay_band_max) for r in roles), np.float64, m)
    r_bmin = np.fromiter((rates.annual_base(r.pay_band_min) for r in roles), np.float64, m)
    c_db_pay = np.fromiter(("pay" in c.dealbreakers for c in candidates), np.bool_, n)
    return _Pay(
        c_min=c_min,
        c_db_pay=c_db_pay,
        any_db_pay=bool(c_db_pay.any()),
        r_bmax=r_bmax,
        r_bmin=r_bmin,
        r_bmax32=r_bmax.astype(np.float32),
        c_pay_a=pay_a.astype(np.float32),
        c_pay_b=pay_b.astype(np.float32),
    )


def _company(
    candidates: Sequence[Candidate], roles: Sequence[Role], vocab: _Vocabularies
) -> _Company:
    n_dom, n_stage, n_size = (
        _words(len(vocab.domain)),
        _words(len(vocab.stage)),
        _words(len(vocab.size)),
    )
    c_db_dom = np.fromiter(
        ("domain" in c.dealbreakers and bool(c.domains) for c in candidates),
        np.bool_,
        len(candidates),
    )
    return _Company(
        c_dom=_pack([_bits(c.domains, vocab.domain) for c in candidates], n_dom),
        r_dom=_pack([_bits(r.domains, vocab.domain) for r in roles], n_dom),
        c_db_dom=c_db_dom,
        any_db_dom=bool(c_db_dom.any()),
        c_stage=_pack([_bits(c.company_stages, vocab.stage) for c in candidates], n_stage),
        r_stage=_pack([1 << vocab.stage[r.company_stage] for r in roles], n_stage),
        c_size=_pack([_bits(c.company_sizes, vocab.size) for c in candidates], n_size),
        r_size=_pack([1 << vocab.size[r.company_size] for r in roles], n_size),
    )


def _experience(
    candidates: Sequence[Candidate], roles: Sequence[Role], w: ScoringWeights
) -> _Experience:
    n, m = len(candidates), len(roles)
    years_min = np.fromiter((r.years_min for r in roles), np.float64, m)
    inv_min = np.where(years_min > 0, 1.0 / np.where(years_min > 0, years_min, 1.0), 0.0)
    off_min = np.where(years_min > 0, 0.0, 1.0)
    r_ymax = np.fromiter(
        (np.inf if r.years_max is None else r.years_max for r in roles), np.float64, m
    )
    c_years64 = np.fromiter((c.years_experience for c in candidates), np.float64, n)
    return _Experience(
        c_years=c_years64.astype(np.float32),
        r_inv_min=inv_min.astype(np.float32),
        r_off_min=off_min.astype(np.float32),
        r_ymax=r_ymax.astype(np.float32),
        r_has_max=np.fromiter((r.years_max is not None for r in roles), np.bool_, m),
        cut_cap=1.0 - w.overqualified_floor,
        inv_over=1.0 / w.overqualified_years,
        r_ymin=years_min,
        r_ymax64=r_ymax,
        c_years64=c_years64,
    )


def _seniority(
    candidates: Sequence[Candidate], roles: Sequence[Role], w: ScoringWeights
) -> _Seniority:
    n_lv = len(LEVELS)
    sen_table = np.array([seniority_fit(g, 0, w) for g in range(-(n_lv - 1), n_lv)])
    c_level = np.fromiter((LEVELS.index(c.level) for c in candidates), np.intp, len(candidates))
    c_sen = sen_table[(c_level[None, :] - np.arange(n_lv)[:, None]) + n_lv - 1]
    return _Seniority(
        r_level=np.fromiter((LEVELS.index(r.level) for r in roles), np.intp, len(roles)),
        c_level=c_level,
        sen_table=sen_table,
        c_sen=c_sen.astype(np.float32).copy(),
    )


def _skill_entries(
    reqs: Sequence[RequiredSkill], taxonomy: SkillGraph, columns: dict[tuple[str, int], int]
) -> list[tuple[int, float, float]]:
    """Skills as (column, weight, weight x informativeness), for the exact path's tables."""
    return [
        (
            columns[(q.skill_id, q.min_level)],
            float(q.weight),
            float(q.weight) * informativeness(taxonomy, q.skill_id),
        )
        for q in reqs
    ]


def _skill_coefficients(
    share: float,
    reqs: Sequence[RequiredSkill],
    taxonomy: SkillGraph,
    columns: dict[tuple[str, int], int],
) -> list[tuple[int, float]]:
    """Each skill's (column, coefficient) in the screen's ``w_req`` / ``w_nice``: the component's
    ``share`` of the role's weights, spread by weight x informativeness, capped by
    specificity."""
    req_total = sum(q.weight for q in reqs)
    eff_total = sum(q.weight * informativeness(taxonomy, q.skill_id) for q in reqs)
    cap = specificity_cap(eff_total, req_total)
    return [
        (
            columns[(q.skill_id, q.min_level)],
            share * q.weight * informativeness(taxonomy, q.skill_id) / eff_total * cap,
        )
        for q in reqs
    ]


def _role_weights(
    roles: Sequence[Role],
    taxonomy: SkillGraph,
    w: ScoringWeights,
    columns: dict[tuple[str, int], int],
) -> _RoleWeights:
    m = len(roles)
    a_exp, a_sen, a_text = np.zeros(m), np.zeros(m), np.zeros(m)
    a_req, no_req = np.zeros(m), np.zeros(m)
    # per matrix (required, nice): rows, columns, values
    parts: dict[str, tuple[list[int], list[int], list[float]]] = {
        "required_skills": ([], [], []),
        "nice_to_have": ([], [], []),
    }
    r_present = np.zeros((len(ROLE_COMPONENTS), m), dtype=np.bool_)
    r_total = np.zeros(m)
    required: list[list[tuple[int, float, float]]] = []
    nice: list[list[tuple[int, float, float]]] = []
    for j, r in enumerate(roles):
        rw = role_component_weights(r, w)
        total = sum(rw.values())
        r_total[j] = add_in_order(rw.values())
        for k, name in enumerate(ROLE_COMPONENTS):
            r_present[k, j] = name in rw
        required.append(_skill_entries(r.required_skills, taxonomy, columns))
        nice.append(_skill_entries(r.nice_to_have, taxonomy, columns))
        a_exp[j] = rw.get("experience", 0.0) / total
        a_sen[j] = rw.get("seniority", 0.0) / total
        a_text[j] = rw.get("text_similarity", 0.0) / total
        a_req[j] = rw.get("required_skills", 0.0) / total
        no_req[j] = 0.0 if "required_skills" in rw else 1.0
        for name, reqs in (
            ("required_skills", r.required_skills),
            ("nice_to_have", r.nice_to_have),
        ):
            if name in rw:
                # the required skills' matrix gives the coverage itself (share 1)
                share = 1.0 if name == "required_skills" else rw[name] / total
                rows, cols, vals = parts[name]
                for col, val in _skill_coefficients(share, reqs, taxonomy, columns):
                    rows.append(j)
                    cols.append(col)
                    vals.append(val)

    def matrix(name: str) -> sp.csr_matrix:
        rows, cols, vals = parts[name]
        return sp.csr_matrix(
            (np.asarray(vals, np.float32), (rows, cols)), shape=(m, max(1, len(columns)))
        )

    return _RoleWeights(
        r_a_exp=a_exp.astype(np.float32),
        r_a_sen=a_sen.astype(np.float32),
        r_a_text=a_text.astype(np.float32),
        any_sen=bool(a_sen.any()),
        w_req=matrix("required_skills"),
        w_nice=matrix("nice_to_have"),
        any_nice=bool(parts["nice_to_have"][2]),
        r_a_req=a_req.astype(np.float32),
        r_no_req=no_req.astype(np.float32),
        any_no_req=bool(no_req.any()),
        req=_padded(required),
        nice=_padded(nice),
        r_present=r_present,
        r_total=r_total,
    )


def _candidate_weights(candidates: Sequence[Candidate], w: ScoringWeights) -> _CandidateWeights:
    n = len(candidates)
    role_share = np.zeros(n)
    b = {name: np.zeros(n) for name in ("domain", "company_stage", "company_size", "pay")}
    c_cw = np.zeros((len(CANDIDATE_COMPONENTS), n))
    c_ctotal = np.zeros(n)
    cand_share64 = np.zeros(n)
    for i, c in enumerate(candidates):
        cw = candidate_preference_weights(c, w)
        c_ctotal[i] = add_in_order(cw.values())
        for k, name in enumerate(CANDIDATE_COMPONENTS):
            c_cw[k, i] = cw.get(name, 0.0)
        ctotal = sum(cw.values())
        side_c = w.candidate_side if ctotal > 0 else 0.0
        role_share[i] = w.role_side / (w.role_side + side_c)
        cand_share = side_c / (w.role_side + side_c)
        cand_share64[i] = cand_share
        for name, weight in cw.items():
            b[name][i] = cand_share * weight / ctotal
    return _CandidateWeights(
        c_role_share=role_share.astype(np.float32),
        c_b_dom=b["domain"].astype(np.float32),
        c_b_stage=b["company_stage"].astype(np.float32),
        c_b_size=b["company_size"].astype(np.float32),
        c_b_pay=b["pay"].astype(np.float32),
        c_cw=c_cw,
        c_expr=c_cw > 0,
        c_ctotal=c_ctotal,
        c_role_share64=role_share,
        c_cand_share64=cand_share64,
    )


def _texts(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    encoder: TextEncoder | None,
    embeddings: tuple[F32, F32] | None,
    order: npt.NDArray[np.intp],
) -> _Texts:
    """Text embeddings: encoded here (``roles`` already in internal order), or the given
    ones with the roles' rows put in internal order."""
    if embeddings is not None:
        c_emb = np.asarray(embeddings[0], np.float32)
        return _Texts(c_emb, np.asarray(embeddings[1], np.float32)[order])
    if encoder is None:
        raise ValueError("score_batch needs an encoder or precomputed embeddings")
    return _Texts(*encode_texts(encoder, candidates, roles))


def _prepare(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    taxonomy: SkillGraph,
    encoder: TextEncoder | None,
    rates: Rates,
    w: ScoringWeights,
    embeddings: tuple[F32, F32] | None,
    chunk_candidates: int,
) -> _Prepared:
    """Both sides' arrays for the blocks and the exact path, one named step per part of the
    model; roles are put in internal (geography-grouped) order first."""
    order, group = _geography_order(roles)
    roles = [roles[int(j)] for j in order]
    vocab = _Vocabularies.of(roles)
    credit = _credit_chunks(candidates, roles, taxonomy, w, chunk_candidates)
    return _Prepared(
        n=len(candidates),
        m=len(roles),
        order=order,
        group=group,
        chunk_candidates=chunk_candidates,
        w=w,
        cat=_categorical(candidates, roles, vocab),
        geo=_geography(candidates, roles, vocab),
        pay=_pay(candidates, roles, rates, w),
        company=_company(candidates, roles, vocab),
        exp=_experience(candidates, roles, w),
        sen=_seniority(candidates, roles, w),
        credit=credit,
        roles_w=_role_weights(roles, taxonomy, w, credit.columns),
        cands_w=_candidate_weights(candidates, w),
        c_sentinel=-(3.0 + np.arange(len(candidates), dtype=np.float32)),
        text=_texts(candidates, roles, encoder, embeddings, order),
    )


def _padded(
    per_role: list[list[tuple[int, float, float]]],
) -> tuple[npt.NDArray[np.int64], F64, F64, F64]:
    """Each role's (column, weight, weight x informativeness) list as ``m x R`` arrays of
    columns and effective weights (column -1 and weight 0 pad), with per role the total of
    the effective weights and the specificity cap, computed as the reference's
    ``_coverage`` does (sums in order)."""
    width = max((len(items) for items in per_role), default=0)
    cols = np.full((len(per_role), width), -1, dtype=np.int64)
    weights = np.zeros((len(per_role), width))
    totals = np.zeros(len(per_role))
    caps = np.zeros(len(per_role))
    for j, items in enumerate(per_role):
        for q, (col, _, effective) in enumerate(items):
            cols[j, q], weights[j, q] = col, effective
        total = add_in_order(weight for _, weight, _ in items)
        totals[j] = add_in_order(effective for _, _, effective in items)
        caps[j] = specificity_cap(totals[j], total) if total > 0 and totals[j] > 0 else 0.0
    return cols, weights, totals, caps


# -- one block -------------------------------------------------------------------------


def _block(p: _Prepared, r0: int, r1: int, ci: int) -> tuple[F32, int]:
    """Scores of roles ``r0:r1`` x candidate chunk ``ci`` (negative where ineligible)."""
    c0 = ci * p.chunk_candidates
    c1 = min(p.n, c0 + p.chunk_candidates)
    cs, rs = slice(c0, c1), slice(r0, r1)

    # hard constraints
    ok = p.cat.r_single[0, rs][:, None] & p.cat.c_notaccept[0, cs][None, :]
    ok |= p.cat.c_single[0, cs][None, :] & p.cat.r_notaccept[0, rs][:, None]
    for wd in range(1, p.cat.r_single.shape[0]):
        ok |= p.cat.r_single[wd, rs][:, None] & p.cat.c_notaccept[wd, cs][None, :]
        ok |= p.cat.c_single[wd, cs][None, :] & p.cat.r_notaccept[wd, rs][:, None]
    elig = ok == 0
    if p.pay.any_db_pay:
        pay = np.where(
            p.pay.c_db_pay[None, cs],
            p.pay.c_min[None, cs] <= p.pay.r_bmin[rs, None],
            p.pay.c_min[None, cs] <= p.pay.r_bmax[rs, None],
        )
    else:
        pay = p.pay.c_min[None, cs] <= p.pay.r_bmax[rs, None]
    elig &= pay
    groups = p.group[rs]
    cuts = np.flatnonzero(np.diff(groups)) + 1
    for g0, g1 in zip(np.r_[0, cuts], np.r_[cuts, len(groups)], strict=True):
        g = int(groups[g0])
        seg = slice(r0 + int(g0), r0 + int(g1))
        if g == _REMOTE_ANYWHERE:
            geo = np.broadcast_to(p.geo.c_has_ca[None, cs], (int(g1 - g0), c1 - c0))
        elif g == _REMOTE_LIMITED:
            geo = _meet(p.geo.r_countries[:, seg], p.geo.c_ca[:, cs])
        elif g == _ONSITE_CITIES:
            geo = _meet(p.geo.r_countries[:, seg], p.geo.c_auth[:, cs])
            geo &= _meet(p.geo.r_cities[:, seg], p.geo.c_cities[:, cs])
        else:
            geo = _meet(p.geo.r_countries[:, seg], p.geo.c_auth[:, cs])
            geo &= _meet(p.geo.r_countries[:, seg], p.geo.c_reach[:, cs])
        if g in (_REMOTE_ANYWHERE, _REMOTE_LIMITED) and np.isfinite(p.geo.r_tz_lo[seg]).any():
            tz = p.geo.c_tz[None, cs]
            geo = geo & (tz >= p.geo.r_tz_lo[seg, None]) & (tz <= p.geo.r_tz_hi[seg, None])
        elig[int(g0) : int(g1)] &= geo
    dom = _meet(p.company.r_dom[:, rs], p.company.c_dom[:, cs])
    if p.company.any_db_dom:
        elig &= dom | ~p.company.c_db_dom[None, cs]
    n_elig = int(np.count_nonzero(elig))

    # role side: the required skills' coverage is also the gate of the context components
    gate: F32 = np.asarray(p.roles_w.w_req[rs] @ p.credit.chunks[ci], dtype=np.float32)
    rf = gate * p.roles_w.r_a_req[rs, None]
    if p.roles_w.any_no_req:
        gate += p.roles_w.r_no_req[rs, None]
    if p.roles_w.any_nice:
        rf += np.asarray(p.roles_w.w_nice[rs] @ p.credit.chunks[ci], dtype=np.float32)
    sim = p.text.r_emb[rs] @ p.text.c_emb[cs].T
    np.maximum(sim, 0.0, out=sim)
    sim *= p.roles_w.r_a_text[rs, None]
    rf += sim
    years = p.exp.c_years[None, cs]
    exp = years * p.exp.r_inv_min[rs, None]
    exp += p.exp.r_off_min[rs, None]
    np.minimum(exp, np.float32(1.0), out=exp)
    if p.exp.r_has_max[rs].any():
        over = years - p.exp.r_ymax[rs, None]
        np.maximum(over, np.float32(0.0), out=over)
        over *= np.float32(p.exp.inv_over)
        np.minimum(over, np.float32(p.exp.cut_cap), out=over)
        exp *= np.float32(1.0) - over
    exp *= p.roles_w.r_a_exp[rs, None]
    ctx = exp  # the context components (scoring.GATED_COMPONENTS), gated below
    if p.roles_w.any_sen:
        sen = p.sen.c_sen[:, cs][p.sen.r_level[rs]]
        sen *= p.roles_w.r_a_sen[rs, None]
        ctx += sen
    rf *= p.cands_w.c_role_share[None, cs]
    ctx *= p.cands_w.c_role_share[None, cs]

    # candidate side (context too)
    ctx += dom * p.cands_w.c_b_dom[None, cs]
    stage = _meet(p.company.r_stage[:, rs], p.company.c_stage[:, cs])
    ctx += stage * p.cands_w.c_b_stage[None, cs]
    size = _meet(p.company.r_size[:, rs], p.company.c_size[:, cs])
    ctx += size * p.cands_w.c_b_size[None, cs]
    head = p.pay.r_bmax32[rs, None] * p.pay.c_pay_a[None, cs]
    head -= p.pay.c_pay_b[None, cs]
    np.clip(head, np.float32(0.0), np.float32(1.0), out=head)
    head *= p.cands_w.c_b_pay[None, cs]
    ctx += head
    ctx *= gate
    score = rf
    score += ctx
    # ineligible pairs get distinct negative sentinels (-3 - candidate index + score):
    # eligible scores are >= 0, and distinct values keep argpartition fast
    np.logical_not(elig, out=elig)
    score += elig * p.c_sentinel[None, cs]
    return score, n_elig


def _n_chunks(p: _Prepared) -> int:
    return max(1, math.ceil(p.n / p.chunk_candidates))


# -- screening: float32 top-k with a margin ----------------------------------------------

#: How far below a float32 k-th best score a pair is still kept for the exact float64 pass.
#: The float32 block differs from the exact score by ~1e-6 at most (a few dozen float32
#: operations on values in [0, 1]); any pair of the exact top-k is within 2 x that error
#: (plus the 5e-7 of rounding to 6 decimals) of the float32 k-th best, so 1e-4 keeps every
#: one of them with room to spare, at the cost of a few extra exact evaluations.
SCREEN_MARGIN = 1e-4


class _CandidateTop:
    """Running screen of the best roles per candidate: every pair within the margin of the
    candidate's float32 k-th best so far (a threshold per candidate, a pool of pairs)."""

    def __init__(self, n: int, k: int) -> None:
        self.n, self.k = n, k
        self.thr = np.full(n, -0.5, dtype=np.float32)  # below any eligible score
        self.cand: list[npt.NDArray[np.intp]] = []
        self.role: list[npt.NDArray[np.intp]] = []
        self.score: list[F32] = []
        self.pending = 0

    def add(self, buf: F32, r0: int) -> None:
        rr, cc = np.nonzero(buf >= self.thr[None, :])
        if len(rr) == 0:
            return
        self.cand.append(cc)
        self.role.append(rr + r0)
        self.score.append(buf[rr, cc])
        self.pending += len(rr)
        if self.pending > max(2 * self.n * self.k, 1 << 16):
            self.reduce()

    def reduce(self) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32]:
        if not self.cand:
            empty = np.empty(0, np.intp)
            return empty, empty, np.empty(0, np.float32)
        cand = np.concatenate(self.cand)
        role = np.concatenate(self.role)
        score = np.concatenate(self.score)
        keep = np.lexsort((role, -score, cand))
        cand, role, score = cand[keep], role[keep], score[keep]
        starts = np.flatnonzero(np.r_[True, cand[1:] != cand[:-1]])
        counts = np.diff(np.r_[starts, len(cand)])
        rank = np.arange(len(cand)) - np.repeat(starts, counts)
        kth = np.full(self.n, -np.inf, dtype=np.float32)
        full = rank == self.k - 1
        kth[cand[full]] = score[full] - np.float32(SCREEN_MARGIN)
        sel = (rank < self.k) | (score >= kth[cand])
        cand, role, score = cand[sel], role[sel], score[sel]
        np.maximum(self.thr, kth, out=self.thr)
        self.cand, self.role, self.score = [cand], [role], [score]
        self.pending = 0
        return cand, role, score


_Screened = tuple[list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]], _CandidateTop, int]


def _work(
    p: _Prepared,
    chunks: list[tuple[int, int]],
    k_role: int,
    k_cand: int,
    on_chunk: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> _Screened:
    per_role: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]] = []
    ctop = _CandidateTop(p.n, k_cand)
    n_elig = 0
    buf = np.empty((0, 0), np.float32)
    for r0, r1 in chunks:
        if stop is not None and stop.is_set():
            break
        if buf.shape[0] != r1 - r0:
            buf = np.empty((r1 - r0, p.n), dtype=np.float32)
        for ci in range(_n_chunks(p)):
            block, e = _block(p, r0, r1, ci)
            c0 = ci * p.chunk_candidates
            buf[:, c0 : c0 + block.shape[1]] = block
            n_elig += e
        if k_role > 0:
            k = min(k_role, p.n)
            kth = np.partition(buf, p.n - k, axis=1)[:, p.n - k]
            floor = np.maximum(kth - np.float32(SCREEN_MARGIN), np.float32(0.0))
            rr, cc = np.nonzero(buf >= floor[:, None])
            per_role.append((rr + r0, cc))
        if k_cand > 0:
            ctop.add(buf, r0)
        if on_chunk is not None:
            on_chunk(r1 - r0)
    return per_role, ctop, n_elig


def _work_in_pool(
    p: _Prepared,
    parts: list[list[tuple[int, int]]],
    k_role: int,
    k_cand: int,
    progress: Callable[[int, int], None] | None,
) -> list[_Screened]:
    """Run ``parts`` on threads; ``progress`` is called on this (the caller's) thread."""
    if progress is None:
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            return list(pool.map(lambda ch: _work(p, ch, k_role, k_cand), parts))
    done: queue.SimpleQueue[int | None] = queue.SimpleQueue()
    stop = threading.Event()

    def work(chunks: list[tuple[int, int]]) -> _Screened:
        try:
            return _work(p, chunks, k_role, k_cand, done.put, stop)
        finally:
            done.put(None)  # this worker has ended (finished, stopped or failed)

    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        futures = [pool.submit(work, ch) for ch in parts]
        running, scored = len(parts), 0
        try:
            while running:
                item = done.get()
                if item is None:
                    running -= 1
                else:
                    scored += item
                    progress(scored, p.m)
        except BaseException:
            stop.set()  # workers stop before their next chunk; the pool waits for them
            raise
        return [f.result() for f in futures]


def _screen(
    p: _Prepared,
    chunk_roles: int,
    k_role: int,
    k_cand: int,
    n_jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], int]:
    """Every pair that may be in an exact top-k: ``(candidate, internal role, eligible)``."""
    spans = [(r0, min(p.m, r0 + chunk_roles)) for r0 in range(0, p.m, chunk_roles)]
    n_jobs = max(1, min(n_jobs, len(spans)))
    parts = [spans[t::n_jobs] for t in range(n_jobs)]
    # small GEMMs are several times slower with OpenBLAS's own threads; parallelism
    # comes from our workers instead
    with threadpool_limits(limits=1, user_api="blas"):
        if n_jobs == 1:
            scored = 0

            def tick(n_roles: int) -> None:
                nonlocal scored
                scored += n_roles
                if progress is not None:
                    progress(scored, p.m)

            results = [_work(p, parts[0], k_role, k_cand, tick)]
        else:
            results = _work_in_pool(p, parts, k_role, k_cand, progress)
    roles = [x[0] for res in results for x in res[0]]
    cands = [x[1] for res in results for x in res[0]]
    merged = _CandidateTop(p.n, k_cand)
    for res in results:
        c, r, s = res[1].reduce()
        merged.cand.append(c)
        merged.role.append(r)
        merged.score.append(s)
    c, r, _ = merged.reduce()
    key = np.concatenate(
        [*(ri * p.n + ci for ri, ci in zip(roles, cands, strict=True)), r * p.n + c]
    )
    key = np.unique(key.astype(np.int64))
    return (key % p.n).astype(np.intp), (key // p.n).astype(np.intp), sum(x[2] for x in results)


# -- the exact float64 numbers ------------------------------------------------------------

_EXACT_BLOCK = 1 << 16  # pairs per block: bounds the (pairs x 128) float64 similarity product


def _exact(
    p: _Prepared, ci: npt.NDArray[np.intp], rj: npt.NDArray[np.intp]
) -> tuple[F64, F64, F64, npt.NDArray[np.int64]]:
    """Score, role fit and candidate fit of eligible pairs, float64, bit for bit the numbers
    of :func:`~matchday.engine.scoring.score_pair_vectors` (same operations, same order),
    and the number of required skills each pair misses.

    ``ci`` are candidate positions, ``rj`` internal (group-sorted) role positions.
    """
    out = [np.empty(ci.shape[0]) for _ in range(3)]
    missing = np.empty(ci.shape[0], dtype=np.int64)
    for b0 in range(0, ci.shape[0], _EXACT_BLOCK):
        sl = slice(b0, b0 + _EXACT_BLOCK)
        score, role_fit, cand_fit, miss = _exact_block(p, ci[sl], rj[sl])
        out[0][sl], out[1][sl], out[2][sl], missing[sl] = score, role_fit, cand_fit, miss
    return out[0], out[1], out[2], missing


def _coverage_rows(
    p: _Prepared,
    ci: npt.NDArray[np.intp],
    rj: npt.NDArray[np.intp],
    table: tuple[npt.NDArray[np.int64], F64, F64, F64],
) -> tuple[F64, npt.NDArray[np.int64]]:
    """Weighted coverage of each pair's requirements, and how many it misses (no credit)."""
    cols, weights, totals, caps = table
    acc = np.zeros(ci.shape[0])
    missing = np.zeros(ci.shape[0], dtype=np.int64)
    keys, vals = p.credit.keys, p.credit.vals
    last = max(keys.shape[0] - 1, 0)
    for q in range(cols.shape[1]):
        col = cols[rj, q]
        key = ci.astype(np.int64) * p.credit.n_k + col
        at = np.minimum(np.searchsorted(keys, key), last)
        found = (col >= 0) & (keys[at] == key) if keys.shape[0] else np.zeros(key.shape, bool)
        credit = np.where(found, vals[at] if keys.shape[0] else 0.0, 0.0)
        acc += weights[rj, q] * credit
        missing += (col >= 0) & (credit <= 0)
    total = totals[rj]
    return np.where(total > 0, acc / np.where(total > 0, total, 1.0) * caps[rj], 0.0), missing


def _meet_pairs(rbits: U64, cbits: U64, rj: npt.NDArray[np.intp], ci: npt.NDArray[np.intp]) -> Bool:
    acc = rbits[0, rj] & cbits[0, ci]
    for wd in range(1, rbits.shape[0]):
        acc |= rbits[wd, rj] & cbits[wd, ci]
    return np.asarray(acc != 0, dtype=np.bool_)


def _exact_block(
    p: _Prepared, ci: npt.NDArray[np.intp], rj: npt.NDArray[np.intp]
) -> tuple[F64, F64, F64, npt.NDArray[np.int64]]:
    w = p.w
    required, missing = _coverage_rows(p, ci, rj, p.roles_w.req)
    values: dict[str, F64] = {
        "required_skills": required,
        "nice_to_have": _coverage_rows(p, ci, rj, p.roles_w.nice)[0],
    }
    years, ymin = p.exp.c_years64[ci], p.exp.r_ymin[rj]
    below = np.where(ymin <= 0, 1.0, np.minimum(1.0, years / np.where(ymin > 0, ymin, 1.0)))
    over = np.maximum(0.0, years - p.exp.r_ymax64[rj])  # years_max None is +inf: over is 0
    cut = np.minimum(1.0 - w.overqualified_floor, over / w.overqualified_years)
    values["experience"] = below * (1.0 - cut)
    values["text_similarity"] = similarity_rows(p.text.c_emb[ci], p.text.r_emb[rj])
    role_weight = {
        "required_skills": w.required_skills,
        "nice_to_have": w.nice_to_have,
        "experience": w.experience,
        "seniority": w.seniority,
        "text_similarity": w.text_similarity,
    }
    values["seniority"] = p.sen.sen_table[p.sen.c_level[ci] - p.sen.r_level[rj] + len(LEVELS) - 1]
    want, bmax = p.pay.c_min[ci], p.pay.r_bmax[rj]
    with np.errstate(divide="ignore", invalid="ignore"):
        head = np.minimum(1.0, np.maximum(0.0, (bmax - want) / (w.pay_headroom_full * want)))
    values["domain"] = _meet_pairs(p.company.r_dom, p.company.c_dom, rj, ci).astype(np.float64)
    values["company_stage"] = _meet_pairs(p.company.r_stage, p.company.c_stage, rj, ci).astype(
        np.float64
    )
    values["company_size"] = _meet_pairs(p.company.r_size, p.company.c_size, rj, ci).astype(
        np.float64
    )
    values["pay"] = np.where(want <= 0, 1.0, head)

    r_total = p.roles_w.r_total[rj]
    fit = np.zeros(ci.shape[0])
    score = np.zeros(ci.shape[0])
    role_share = p.cands_w.c_role_share64[ci]
    # context gating (scoring.GATED_COMPONENTS): the required skills' coverage, or 1
    gate = np.where(
        p.roles_w.r_present[ROLE_COMPONENTS.index("required_skills"), rj], required, 1.0
    )
    for k, name in enumerate(ROLE_COMPONENTS):
        present = p.roles_w.r_present[k, rj]
        fit += np.where(present, role_weight[name] * values[name], 0.0)
        share = role_share * role_weight[name] / r_total
        part = share * values[name] * gate if name in GATED_COMPONENTS else share * values[name]
        score += np.where(present, part, 0.0)
    role_fit = fit / r_total
    c_total = p.cands_w.c_ctotal[ci]
    has = c_total > 0
    safe_total = np.where(has, c_total, 1.0)
    cfit = np.zeros(ci.shape[0])
    cand_share = p.cands_w.c_cand_share64[ci]
    for k, name in enumerate(CANDIDATE_COMPONENTS):
        expressed = p.cands_w.c_expr[k, ci]
        weight = p.cands_w.c_cw[k, ci]
        cfit += np.where(expressed, weight * values[name], 0.0)
        share = cand_share * weight / safe_total
        score += np.where(expressed, share * values[name] * gate, 0.0)
    candidate_fit = np.where(has, cfit / safe_total, 1.0)
    return score, role_fit, candidate_fit, missing


# -- public API --------------------------------------------------------------------------


def score_matrix(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    taxonomy: SkillGraph,
    encoder: TextEncoder | None = None,
    rates: Rates,
    weights: ScoringWeights | None = None,
    embeddings: tuple[F32, F32] | None = None,
    chunk_candidates: int = 4096,
    frequencies: SkillFrequencies | None = None,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float32]]:
    """All N x M batch scores, for small inputs and tests: ``(eligible, score)``.

    ``score`` is 0 where the pair is ineligible, as in :func:`score_pair`.
    """
    w = weights or ScoringWeights()
    p = _prepare(
        candidates,
        roles,
        taxonomy=open_vocabulary(taxonomy, candidates, roles, encoder, frequencies=frequencies),
        encoder=encoder,
        rates=rates,
        w=w,
        embeddings=embeddings,
        chunk_candidates=chunk_candidates,
    )
    out = np.empty((p.m, p.n), dtype=np.float32)
    for ci in range(_n_chunks(p)):
        c0 = ci * p.chunk_candidates
        block, _ = _block(p, 0, p.m, ci)
        out[:, c0 : c0 + block.shape[1]] = block
    scores = np.empty_like(out)
    scores[p.order] = out
    eligible = scores >= 0
    return eligible.T.copy(), np.where(eligible, scores, np.float32(0.0)).T.copy()


#: Decimals of every stored and compared number (scores, fits, explanation values).
NDIGITS = 6

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Shortlist:
    """Every pair in a role's top-k or a candidate's top-k, with its exact, rounded numbers.

    Columnar, in canonical order (candidate id, then role id). ``score``, ``role_fit`` and
    ``candidate_fit`` are the float64 numbers of the reference path rounded to
    :data:`NDIGITS` decimals: the numbers allocation uses, proposals store and a replay
    reproduces. Top-k lists are exact on these numbers, ties broken by the other side's id.
    ``rank_in_role`` / ``rank_for_candidate`` are 1-based, 0 when the pair is only in the
    other side's list. A shortlist of a chunk of roles merges with the others'
    (:func:`merge_shortlists`) into exactly the shortlist of all roles.
    """

    candidate_ids: tuple[str, ...]
    role_ids: tuple[str, ...]
    candidate: IntArray
    role: IntArray
    score: F64
    role_fit: F64
    candidate_fit: F64
    missing_required: IntArray
    rank_in_role: IntArray
    rank_for_candidate: IntArray
    top_k_per_role: int
    top_k_per_candidate: int
    pairs_scored: int
    eligible_pairs: int

    def __len__(self) -> int:
        return int(self.candidate.shape[0])

    def equals(self, other: Shortlist) -> bool:
        """Same ids, pairs, numbers, ranks and counts (arrays compared exactly)."""
        arrays = (
            "candidate",
            "role",
            "score",
            "role_fit",
            "candidate_fit",
            "missing_required",
            "rank_in_role",
            "rank_for_candidate",
        )
        return (
            self.candidate_ids == other.candidate_ids
            and [self.role_ids[r] for r in self.role.tolist()]
            == [other.role_ids[r] for r in other.role.tolist()]
            and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays[2:])
            and np.array_equal(self.candidate, other.candidate)
            and (self.top_k_per_role, self.top_k_per_candidate, self.pairs_scored)
            == (other.top_k_per_role, other.top_k_per_candidate, other.pairs_scored)
            and self.eligible_pairs == other.eligible_pairs
        )


def _id_order(ids: Sequence[str]) -> IntArray:
    """Each id's position in sorted order (the tie-break and canonical order)."""
    order = sorted(range(len(ids)), key=ids.__getitem__)
    key = np.empty(len(ids), dtype=np.int64)
    key[order] = np.arange(len(ids))
    return key


def _select(
    c: IntArray, r: IntArray, score: F64, k_role: int, k_cand: int, c_key: IntArray, r_key: IntArray
) -> tuple[IntArray, IntArray]:
    """1-based rank of each pair in its role's and its candidate's top-k (0 = outside)."""
    ranks = []
    for group, other_key, k in ((r, c_key[c], k_role), (c, r_key[r], k_cand)):
        rank = np.zeros(group.shape[0], dtype=np.int64)
        if group.shape[0]:
            order = np.lexsort((other_key, -score, group))
            g = group[order]
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            pos = np.arange(g.shape[0]) - np.repeat(starts, np.diff(np.r_[starts, g.shape[0]])) + 1
            rank[order] = np.where(pos <= k, pos, 0)
        ranks.append(rank)
    return ranks[0], ranks[1]


def top_k_ranks(
    c: IntArray,
    r: IntArray,
    score: F64,
    *,
    k_role: int,
    k_candidate: int,
    candidate_ids: Sequence[str],
    role_ids: Sequence[str],
) -> tuple[IntArray, IntArray]:
    """Rank of each pair ``(c[i], r[i])`` in its role's and in its candidate's top-k by
    ``score`` (higher first, ties by the other side's id); 0 = outside the top-k."""
    return _select(c, r, score, k_role, k_candidate, _id_order(candidate_ids), _id_order(role_ids))


def _round(values: F64) -> F64:
    # Python's round (correctly rounded decimal), not numpy's scale-and-round, which can
    # differ in the last digit: the reference path and the stored JSON use Python's.
    return np.array([round(v, NDIGITS) for v in values.tolist()], dtype=np.float64)


def _finish_shortlist(
    candidate_ids: tuple[str, ...],
    role_ids: tuple[str, ...],
    columns: tuple[IntArray, IntArray, F64, F64, F64, IntArray],
    k_role: int,
    k_cand: int,
    pairs_scored: int,
    eligible: int,
) -> Shortlist:
    c, r, score, role_fit, cand_fit, missing = columns
    c_key, r_key = _id_order(candidate_ids), _id_order(role_ids)
    in_role, for_cand = _select(c, r, score, k_role, k_cand, c_key, r_key)
    keep = np.flatnonzero((in_role > 0) | (for_cand > 0))
    keep = keep[np.lexsort((r_key[r[keep]], c_key[c[keep]]))]
    return Shortlist(
        candidate_ids=candidate_ids,
        role_ids=role_ids,
        candidate=c[keep],
        role=r[keep],
        score=score[keep],
        role_fit=role_fit[keep],
        candidate_fit=cand_fit[keep],
        missing_required=missing[keep],
        rank_in_role=in_role[keep],
        rank_for_candidate=for_cand[keep],
        top_k_per_role=k_role,
        top_k_per_candidate=k_cand,
        pairs_scored=pairs_scored,
        eligible_pairs=eligible,
    )


def shortlist(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    taxonomy: SkillGraph,
    rates: Rates,
    embeddings: tuple[F32, F32],
    weights: ScoringWeights | None = None,
    top_k_per_role: int = 50,
    top_k_per_candidate: int = 10,
    chunk_roles: int = 64,
    chunk_candidates: int = 4096,
    n_jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Shortlist:
    """Score every pair of ``candidates`` x ``roles`` and keep both sides' exact top-k.

    Every pair is scored in float32 blocks (eligibility exactly); the pairs within
    :data:`SCREEN_MARGIN` of a role's or a candidate's float32 k-th best are then scored
    again exactly, in float64 with the reference path's arithmetic, rounded to
    :data:`NDIGITS` decimals, and the top-k lists are taken on those numbers. The result
    does not depend on the chunk sizes or the number of threads; a shortlist of a subset
    of the roles merges with the others' into the shortlist of all (:func:`merge_shortlists`).

    ``embeddings`` are the ``(candidates x d, roles x d)`` L2-normalised text embeddings.
    ``progress(roles_scored, roles_total)`` is called on the calling thread between role
    chunks; an exception raised from it stops the workers and propagates (cancellation).

    >>> from matchday.engine.taxonomy import load_taxonomy
    >>> from matchday.engine.types import Candidate, Money, Rates, Role, RequiredSkill, SkillClaim
    >>> cands = [Candidate(f"c{i}", (SkillClaim("pytorch", 1 + i),), 5.0, "senior", "DE")
    ...     for i in range(3)]
    >>> role = Role("r1", "co1", "MLE", "senior", "mle", Money(1, "EUR"), Money(2, "EUR"),
    ...     (RequiredSkill("pytorch", 3),))
    >>> sl = shortlist(cands, [role], taxonomy=load_taxonomy(), rates=Rates("EUR"),
    ...     embeddings=(np.zeros((3, 4), np.float32), np.zeros((1, 4), np.float32)),
    ...     top_k_per_role=2, top_k_per_candidate=0)
    >>> [(sl.candidate_ids[c], s) for c, s in zip(sl.candidate.tolist(), sl.score.tolist())]
    [('c1', 0.6), ('c2', 0.8)]
    """
    if top_k_per_role < 0 or top_k_per_candidate < 0:
        raise ValueError("top-k values must not be negative")
    if chunk_roles < 1 or chunk_candidates < 1:
        raise ValueError("chunk sizes must be positive")
    candidate_ids = tuple(c.id for c in candidates)
    role_ids = tuple(r.id for r in roles)
    empty = np.empty(0, np.int64)
    if not candidates or not roles:
        none = (empty, empty, np.empty(0), np.empty(0), np.empty(0), empty)
        return _finish_shortlist(
            candidate_ids, role_ids, none, top_k_per_role, top_k_per_candidate, 0, 0
        )
    p = _prepare(
        candidates,
        roles,
        taxonomy=taxonomy,
        encoder=None,
        rates=rates,
        w=weights or ScoringWeights(),
        embeddings=embeddings,
        chunk_candidates=chunk_candidates,
    )
    jobs = n_jobs if n_jobs is not None else (os.cpu_count() or 1)
    ci, rj, n_elig = _screen(p, chunk_roles, top_k_per_role, top_k_per_candidate, jobs, progress)
    score, role_fit, cand_fit, missing = _exact(p, ci, rj)
    columns = (
        ci.astype(np.int64),
        p.order[rj].astype(np.int64),
        _round(score),
        _round(role_fit),
        _round(cand_fit),
        missing,
    )
    return _finish_shortlist(
        candidate_ids, role_ids, columns, top_k_per_role, top_k_per_candidate, p.n * p.m, n_elig
    )


def merge_shortlists(parts: Sequence[Shortlist]) -> Shortlist:
    """The shortlist of all roles from the shortlists of disjoint chunks of roles.

    Every part must cover the same candidates with the same top-k settings. Each role's
    top-k lies wholly in its part; a candidate's top-k over all roles is within the union
    of its per-part top-k lists, so selecting again on the union is exact, and the result
    equals :func:`shortlist` of all roles at once, whatever the chunks or their order.
    """
    if not parts:
        raise ValueError("nothing to merge")
    first = parts[0]
    for part in parts[1:]:
        if part.candidate_ids != first.candidate_ids:
            raise ValueError("shortlists to merge must cover the same candidates")
        if (part.top_k_per_role, part.top_k_per_candidate) != (
            first.top_k_per_role,
            first.top_k_per_candidate,
        ):
            raise ValueError("shortlists to merge must use the same top-k settings")
    role_ids = tuple(r for part in parts for r in part.role_ids)
    if len(set(role_ids)) != len(role_ids):
        raise ValueError("shortlists to merge must cover disjoint roles")
    offsets = np.cumsum([0] + [len(part.role_ids) for part in parts])
    columns = (
        np.concatenate([part.candidate for part in parts]),
        np.concatenate([part.role + off for part, off in zip(parts, offsets, strict=False)]),
        np.concatenate([part.score for part in parts]),
        np.concatenate([part.role_fit for part in parts]),
        np.concatenate([part.candidate_fit for part in parts]),
        np.concatenate([part.missing_required for part in parts]),
    )
    return _finish_shortlist(
        first.candidate_ids,
        role_ids,
        columns,
        first.top_k_per_role,
        first.top_k_per_candidate,
        sum(part.pairs_scored for part in parts),
        sum(part.eligible_pairs for part in parts),
    )


def encode_texts(
    encoder: TextEncoder,
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    stored: Mapping[str, StoredVector] | None = None,
    counts: dict[str, int] | None = None,
) -> tuple[F32, F32]:
    """The ``(candidate, role)`` text embeddings as float32 arrays: each side's fields
    combined into one unit vector (:mod:`matchday.engine.texts`).

    ``stored`` maps candidate and role ids to vectors computed earlier (when the profile or
    role was saved) by this encoder; each is used where its digest is that of the item's
    texts now, the rest are computed: the same bits either way. ``counts``, when given,
    receives how many vectors were ``reused`` and ``computed``.
    """
    dim = 1
    c_emb = r_emb = None
    reused = 0
    if candidates:
        c_emb, n = reuse_or_combine(
            encoder,
            [candidate_texts(c) for c in candidates],
            stored_for([c.id for c in candidates], stored),
        )
        reused += n
        dim = c_emb.shape[1]
    if roles:
        r_emb, n = reuse_or_combine(
            encoder, [role_texts(r) for r in roles], stored_for([r.id for r in roles], stored)
        )
        reused += n
        dim = r_emb.shape[1]
    if counts is not None:
        counts["reused"] = reused
        counts["computed"] = len(candidates) + len(roles) - reused
    return (
        np.zeros((0, dim), np.float32) if c_emb is None else c_emb,
        np.zeros((0, dim), np.float32) if r_emb is None else r_emb,
    )


def score_batch(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    *,
    taxonomy: SkillGraph,
    encoder: TextEncoder | None = None,
    rates: Rates,
    weights: ScoringWeights | None = None,
    top_k_per_role: int = 50,
    top_k_per_candidate: int = 10,
    chunk_roles: int = 64,
    chunk_candidates: int = 4096,
    n_jobs: int | None = None,
    explain: bool = True,
    embeddings: tuple[F32, F32] | None = None,
    progress: Callable[[int, int], None] | None = None,
    frequencies: SkillFrequencies | None = None,
) -> BatchResult:
    """Score every pair of ``candidates`` x ``roles``; keep the top-k on both sides.

    :func:`shortlist` with the top-k lists as :class:`RankedPair` tuples (scores are the
    exact numbers rounded to :data:`NDIGITS` decimals) and, with ``explain``, the reference
    :class:`PairScore` of every returned pair.

    Parameters
    ----------
    candidates, roles
        The engine inputs (skill ids already normalised).
    taxonomy, encoder, rates, weights
        As for :func:`~matchday.engine.scoring.score_pair`.
    top_k_per_role, top_k_per_candidate
        How many eligible pairs to keep per role and per candidate (0 keeps none).
    chunk_roles, chunk_candidates
        Block sizes: memory is about ``chunk_roles x N`` floats per worker, plus the
        ``K x N`` credit matrix (K = distinct (skill, minimum level) the roles ask for).
    n_jobs
        Worker threads (default: the CPU count).
    explain
        Build the reference explanation for each returned pair (``BatchResult.explained``).
    embeddings
        Precomputed ``(candidate, role)`` text embeddings, instead of ``encoder``.
    progress
        As for :func:`shortlist`.
    frequencies
        The run's skill frequencies: requirements count by their informativeness
        (:mod:`matchday.engine.vocabulary`); ``None``: every requirement counts fully.

    Returns
    -------
    BatchResult
    """
    w = weights or ScoringWeights()
    if embeddings is None:
        if encoder is None:
            raise ValueError("score_batch needs an encoder or precomputed embeddings")
        embeddings = encode_texts(encoder, candidates, roles)
    taxonomy = open_vocabulary(taxonomy, candidates, roles, encoder, frequencies=frequencies)
    sl = shortlist(
        candidates,
        roles,
        taxonomy=taxonomy,
        rates=rates,
        embeddings=embeddings,
        weights=w,
        top_k_per_role=top_k_per_role,
        top_k_per_candidate=top_k_per_candidate,
        chunk_roles=chunk_roles,
        chunk_candidates=chunk_candidates,
        n_jobs=n_jobs,
        progress=progress,
    )
    by_role: dict[str, list[tuple[int, RankedPair]]] = {r.id: [] for r in roles}
    by_cand: dict[str, list[tuple[int, RankedPair]]] = {c.id: [] for c in candidates}
    rows = zip(
        sl.candidate.tolist(),
        sl.role.tolist(),
        sl.score.tolist(),
        sl.rank_in_role.tolist(),
        sl.rank_for_candidate.tolist(),
        strict=True,
    )
    for c, r, score, in_role, for_cand in rows:
        cid, rid = sl.candidate_ids[c], sl.role_ids[r]
        if in_role:
            by_role[rid].append((in_role, RankedPair(cid, rid, score, in_role)))
        if for_cand:
            by_cand[cid].append((for_cand, RankedPair(cid, rid, score, for_cand)))
    result = BatchResult(
        {k: tuple(p for _, p in sorted(v)) for k, v in by_role.items()},
        {k: tuple(p for _, p in sorted(v)) for k, v in by_cand.items()},
        sl.pairs_scored,
        sl.eligible_pairs,
    )
    if explain:
        for c, r in zip(sl.candidate.tolist(), sl.role.tolist(), strict=True):
            ps = score_pair_vectors(
                candidates[c],
                roles[r],
                embeddings[0][c],
                embeddings[1][r],
                taxonomy=taxonomy,
                rates=rates,
                weights=w,
            )
            result.explained[(ps.candidate_id, ps.role_id)] = ps
    return result
