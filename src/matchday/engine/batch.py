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
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from matchday.engine.scoring import (
    ACCEPTED_POLICIES,
    PairScore,
    ScoringWeights,
    SkillGraph,
    TextEncoder,
    candidate_preference_weights,
    role_component_weights,
    score_pair_vectors,
    skill_targets,
)
from matchday.engine.types import LEVELS, LOCATION_POLICIES, Candidate, Rates, Role

__all__ = ["BatchResult", "RankedPair", "score_batch", "score_matrix"]

F32 = npt.NDArray[np.float32]
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


@dataclass
class _Prepared:
    n: int
    m: int
    order: npt.NDArray[np.intp]  # internal role position -> original role index
    group: npt.NDArray[np.int8]
    # categorical pack
    r_single: U64
    r_notaccept: U64
    c_single: U64
    c_notaccept: U64
    # geography
    c_reach: U64
    c_ca: U64
    c_auth: U64
    c_has_ca: Bool
    c_cities: U64
    r_countries: U64
    r_cities: U64
    c_tz: npt.NDArray[np.float64]
    r_tz_lo: npt.NDArray[np.float64]
    r_tz_hi: npt.NDArray[np.float64]
    # pay
    c_min: npt.NDArray[np.float64]
    c_db_pay: Bool
    any_db_pay: bool
    r_bmax: npt.NDArray[np.float64]
    r_bmin: npt.NDArray[np.float64]
    r_bmax32: F32
    c_pay_a: F32
    c_pay_b: F32
    # domain / stage / size
    c_dom: U64
    r_dom: U64
    c_db_dom: Bool
    any_db_dom: bool
    c_stage: U64
    r_stage: U64
    c_size: U64
    r_size: U64
    # experience
    c_years: F32
    r_inv_min: F32
    r_off_min: F32
    r_ymax: F32
    r_has_max: Bool
    cut_cap: float
    inv_over: float
    # coefficients
    r_a_exp: F32
    r_a_text: F32
    c_role_share: F32
    c_b_dom: F32
    c_b_stage: F32
    c_b_size: F32
    c_b_pay: F32
    # skills and text
    w_skills: sp.csr_matrix
    credit_chunks: list[F32]
    chunk_candidates: int
    c_emb: F32
    r_emb: F32
    c_sentinel: F32


def _credit_chunks(
    candidates: Sequence[Candidate],
    roles: Sequence[Role],
    taxonomy: SkillGraph,
    w: ScoringWeights,
    chunk: int,
) -> tuple[dict[tuple[str, int], int], list[F32]]:
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
    e_credit = (e_strength * np.maximum(0.0, 1.0 - w.level_step * short)).astype(np.float32)
    n = len(candidates)
    chunks: list[F32] = []
    bounds = np.searchsorted(e_cand, np.arange(0, n + chunk, chunk).clip(max=n))
    for start_i, c0 in enumerate(range(0, n, chunk)):
        c1 = min(n, c0 + chunk)
        lo, hi = int(bounds[start_i]), int(bounds[start_i + 1])
        block = np.zeros((n_k, c1 - c0), dtype=np.float32)
        np.maximum.at(block, (e_col[lo:hi], e_cand[lo:hi] - c0), e_credit[lo:hi])
        chunks.append(block)
    return columns, chunks


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
    n, m = len(candidates), len(roles)

    def geo_group(r: Role) -> int:
        if r.location_policy == "remote":
            return _REMOTE_LIMITED if r.allowed_countries else _REMOTE_ANYWHERE
        return _ONSITE_CITIES if r.cities else _ONSITE_COUNTRIES

    groups_orig = np.fromiter((geo_group(r) for r in roles), np.int8, m)
    order = np.argsort(groups_orig, kind="stable")
    roles = [roles[int(j)] for j in order]
    group = groups_orig[order]

    # categorical pack: role-single fields (type, policy, stage, size) vs candidate sets,
    # candidate-single field (level) vs role sets
    type_vocab = {t: k for k, t in enumerate(sorted({r.role_type for r in roles}))}
    stage_vocab = {t: k for k, t in enumerate(sorted({r.company_stage for r in roles}))}
    size_vocab = {t: k for k, t in enumerate(sorted({r.company_size for r in roles}))}
    off_type = 0
    off_policy = off_type + len(type_vocab)
    off_stage = off_policy + len(LOCATION_POLICIES)
    off_size = off_stage + len(stage_vocab)
    off_level = off_size + len(size_vocab)
    n_cat = _words(off_level + len(LEVELS))
    all_type = ((1 << len(type_vocab)) - 1) << off_type
    all_stage = ((1 << len(stage_vocab)) - 1) << off_stage
    all_size = ((1 << len(size_vocab)) - 1) << off_size
    full = (1 << (WORD * n_cat)) - 1

    r_single, r_notaccept = [], []
    for r in roles:
        r_single.append(
            (1 << (off_type + type_vocab[r.role_type]))
            | (1 << (off_policy + LOCATION_POLICIES.index(r.location_policy)))
            | (1 << (off_stage + stage_vocab[r.company_stage]))
            | (1 << (off_size + size_vocab[r.company_size]))
        )
        accept = 0
        for level in r.allowed_levels:
            accept |= 1 << (off_level + LEVELS.index(level))
        r_notaccept.append(full ^ accept)
    c_single, c_notaccept = [], []
    for c in candidates:
        c_single.append(1 << (off_level + LEVELS.index(c.level)))
        accept = _bits(c.role_types, type_vocab) << off_type if c.role_types else all_type
        for policy in ACCEPTED_POLICIES[c.remote_preference]:
            accept |= 1 << (off_policy + LOCATION_POLICIES.index(policy))
        if "company_stage" in c.dealbreakers and c.company_stages:
            accept |= _bits(c.company_stages, stage_vocab) << off_stage
        else:
            accept |= all_stage
        if "company_size" in c.dealbreakers and c.company_sizes:
            accept |= _bits(c.company_sizes, size_vocab) << off_size
        else:
            accept |= all_size
        c_notaccept.append(full ^ accept)

    # geography
    country_vocab = {
        t: k for k, t in enumerate(sorted(set().union(*(r.allowed_countries for r in roles))))
    }
    city_vocab = {t: k for k, t in enumerate(sorted(set().union(*(r.cities for r in roles))))}
    n_country, n_city = _words(len(country_vocab)), _words(len(city_vocab))
    reach = [c.reachable_countries for c in candidates]
    auth = [c.authorized_countries for c in candidates]
    ca = [a & b for a, b in zip(reach, auth, strict=True)]
    tz_lo = np.full(m, -np.inf)
    tz_hi = np.full(m, np.inf)
    for j, r in enumerate(roles):
        if r.location_policy == "remote" and r.timezone_range is not None:
            tz_lo[j], tz_hi[j] = r.timezone_range

    # pay
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

    # domain, stage, size
    dom_vocab = {t: k for k, t in enumerate(sorted(set().union(*(r.domains for r in roles))))}
    n_dom = _words(len(dom_vocab))
    c_db_dom = np.fromiter(
        ("domain" in c.dealbreakers and bool(c.domains) for c in candidates), np.bool_, n
    )

    # experience
    years_min = np.fromiter((r.years_min for r in roles), np.float64, m)
    inv_min = np.where(years_min > 0, 1.0 / np.where(years_min > 0, years_min, 1.0), 0.0)
    off_min = np.where(years_min > 0, 0.0, 1.0)
    r_has_max = np.fromiter((r.years_max is not None for r in roles), np.bool_, m)
    r_ymax = np.fromiter(
        (np.inf if r.years_max is None else r.years_max for r in roles), np.float64, m
    )

    # coefficients
    a_exp = np.zeros(m)
    a_text = np.zeros(m)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    columns, credit = _credit_chunks(candidates, roles, taxonomy, w, chunk_candidates)
    for j, r in enumerate(roles):
        rw = role_component_weights(r, w)
        total = sum(rw.values())
        a_exp[j] = rw.get("experience", 0.0) / total
        a_text[j] = rw.get("text_similarity", 0.0) / total
        for name, reqs in (
            ("required_skills", r.required_skills),
            ("nice_to_have", r.nice_to_have),
        ):
            if name not in rw:
                continue
            req_total = sum(q.weight for q in reqs)
            for q in reqs:
                rows.append(j)
                cols.append(columns[(q.skill_id, q.min_level)])
                vals.append(rw[name] / total * q.weight / req_total)
    w_skills = sp.csr_matrix(
        (np.asarray(vals, np.float32), (rows, cols)), shape=(m, max(1, len(columns)))
    )
    role_share = np.zeros(n)
    b = {name: np.zeros(n) for name in ("domain", "company_stage", "company_size", "pay")}
    for i, c in enumerate(candidates):
        cw = candidate_preference_weights(c, w)
        ctotal = sum(cw.values())
        side_c = w.candidate_side if ctotal > 0 else 0.0
        role_share[i] = w.role_side / (w.role_side + side_c)
        cand_share = side_c / (w.role_side + side_c)
        for name, weight in cw.items():
            b[name][i] = cand_share * weight / ctotal

    if embeddings is None:
        if encoder is None:
            raise ValueError("score_batch needs an encoder or precomputed embeddings")
        c_emb = np.asarray(encoder.encode([c.achievements_text for c in candidates]), np.float32)
        r_emb = np.asarray(encoder.encode([r.description for r in roles]), np.float32)
    else:
        c_emb = np.asarray(embeddings[0], np.float32)
        r_emb = np.asarray(embeddings[1], np.float32)[order]

    f32 = np.float32
    return _Prepared(
        n=n,
        m=m,
        order=order,
        group=group,
        r_single=_pack(r_single, n_cat),
        r_notaccept=_pack(r_notaccept, n_cat),
        c_single=_pack(c_single, n_cat),
        c_notaccept=_pack(c_notaccept, n_cat),
        c_reach=_pack([_bits(s, country_vocab) for s in reach], n_country),
        c_ca=_pack([_bits(s, country_vocab) for s in ca], n_country),
        c_auth=_pack([_bits(s, country_vocab) for s in auth], n_country),
        c_has_ca=np.fromiter((bool(s) for s in ca), np.bool_, n),
        c_cities=_pack([_bits(c.reachable_cities, city_vocab) for c in candidates], n_city),
        r_countries=_pack([_bits(r.allowed_countries, country_vocab) for r in roles], n_country),
        r_cities=_pack([_bits(r.cities, city_vocab) for r in roles], n_city),
        c_tz=np.fromiter((c.timezone for c in candidates), np.float64, n),
        r_tz_lo=tz_lo,
        r_tz_hi=tz_hi,
        c_min=c_min,
        c_db_pay=c_db_pay,
        any_db_pay=bool(c_db_pay.any()),
        r_bmax=r_bmax,
        r_bmin=r_bmin,
        r_bmax32=r_bmax.astype(f32),
        c_pay_a=pay_a.astype(f32),
        c_pay_b=pay_b.astype(f32),
        c_dom=_pack([_bits(c.domains, dom_vocab) for c in candidates], n_dom),
        r_dom=_pack([_bits(r.domains, dom_vocab) for r in roles], n_dom),
        c_db_dom=c_db_dom,
        any_db_dom=bool(c_db_dom.any()),
        c_stage=_pack(
            [_bits(c.company_stages, stage_vocab) for c in candidates], _words(len(stage_vocab))
        ),
        r_stage=_pack([1 << stage_vocab[r.company_stage] for r in roles], _words(len(stage_vocab))),
        c_size=_pack(
            [_bits(c.company_sizes, size_vocab) for c in candidates], _words(len(size_vocab))
        ),
        r_size=_pack([1 << size_vocab[r.company_size] for r in roles], _words(len(size_vocab))),
        c_years=np.fromiter((c.years_experience for c in candidates), np.float64, n).astype(f32),
        r_inv_min=inv_min.astype(f32),
        r_off_min=off_min.astype(f32),
        r_ymax=r_ymax.astype(f32),
        r_has_max=r_has_max,
        cut_cap=1.0 - w.overqualified_floor,
        inv_over=1.0 / w.overqualified_years,
        r_a_exp=a_exp.astype(f32),
        r_a_text=a_text.astype(f32),
        c_role_share=role_share.astype(f32),
        c_b_dom=b["domain"].astype(f32),
        c_b_stage=b["company_stage"].astype(f32),
        c_b_size=b["company_size"].astype(f32),
        c_b_pay=b["pay"].astype(f32),
        w_skills=w_skills,
        credit_chunks=credit,
        chunk_candidates=chunk_candidates,
        c_emb=c_emb,
        r_emb=r_emb,
        c_sentinel=-(3.0 + np.arange(n, dtype=np.float32)),
    )


# -- one block -------------------------------------------------------------------------


def _block(p: _Prepared, r0: int, r1: int, ci: int) -> tuple[F32, int]:
    """Scores of roles ``r0:r1`` x candidate chunk ``ci`` (negative where ineligible)."""
    c0 = ci * p.chunk_candidates
    c1 = min(p.n, c0 + p.chunk_candidates)
    cs, rs = slice(c0, c1), slice(r0, r1)

    # hard constraints
    ok = p.r_single[0, rs][:, None] & p.c_notaccept[0, cs][None, :]
    ok |= p.c_single[0, cs][None, :] & p.r_notaccept[0, rs][:, None]
    for wd in range(1, p.r_single.shape[0]):
        ok |= p.r_single[wd, rs][:, None] & p.c_notaccept[wd, cs][None, :]
        ok |= p.c_single[wd, cs][None, :] & p.r_notaccept[wd, rs][:, None]
    elig = ok == 0
    if p.any_db_pay:
        pay = np.where(
            p.c_db_pay[None, cs],
            p.c_min[None, cs] <= p.r_bmin[rs, None],
            p.c_min[None, cs] <= p.r_bmax[rs, None],
        )
    else:
        pay = p.c_min[None, cs] <= p.r_bmax[rs, None]
    elig &= pay
    groups = p.group[rs]
    cuts = np.flatnonzero(np.diff(groups)) + 1
    for g0, g1 in zip(np.r_[0, cuts], np.r_[cuts, len(groups)], strict=True):
        g = int(groups[g0])
        seg = slice(r0 + int(g0), r0 + int(g1))
        if g == _REMOTE_ANYWHERE:
            geo = np.broadcast_to(p.c_has_ca[None, cs], (int(g1 - g0), c1 - c0))
        elif g == _REMOTE_LIMITED:
            geo = _meet(p.r_countries[:, seg], p.c_ca[:, cs])
        elif g == _ONSITE_CITIES:
            geo = _meet(p.r_countries[:, seg], p.c_auth[:, cs])
            geo &= _meet(p.r_cities[:, seg], p.c_cities[:, cs])
        else:
            geo = _meet(p.r_countries[:, seg], p.c_auth[:, cs])
            geo &= _meet(p.r_countries[:, seg], p.c_reach[:, cs])
        if g in (_REMOTE_ANYWHERE, _REMOTE_LIMITED) and np.isfinite(p.r_tz_lo[seg]).any():
            tz = p.c_tz[None, cs]
            geo = geo & (tz >= p.r_tz_lo[seg, None]) & (tz <= p.r_tz_hi[seg, None])
        elig[int(g0) : int(g1)] &= geo
    dom = _meet(p.r_dom[:, rs], p.c_dom[:, cs])
    if p.any_db_dom:
        elig &= dom | ~p.c_db_dom[None, cs]
    n_elig = int(np.count_nonzero(elig))

    # role side
    rf: F32 = p.w_skills[rs] @ p.credit_chunks[ci]
    rf = np.asarray(rf, dtype=np.float32)
    sim = p.r_emb[rs] @ p.c_emb[cs].T
    np.maximum(sim, 0.0, out=sim)
    sim *= p.r_a_text[rs, None]
    rf += sim
    years = p.c_years[None, cs]
    exp = years * p.r_inv_min[rs, None]
    exp += p.r_off_min[rs, None]
    np.minimum(exp, np.float32(1.0), out=exp)
    if p.r_has_max[rs].any():
        over = years - p.r_ymax[rs, None]
        np.maximum(over, np.float32(0.0), out=over)
        over *= np.float32(p.inv_over)
        np.minimum(over, np.float32(p.cut_cap), out=over)
        exp *= np.float32(1.0) - over
    exp *= p.r_a_exp[rs, None]
    rf += exp
    rf *= p.c_role_share[None, cs]

    # candidate side
    score = rf
    score += dom * p.c_b_dom[None, cs]
    stage = _meet(p.r_stage[:, rs], p.c_stage[:, cs])
    score += stage * p.c_b_stage[None, cs]
    size = _meet(p.r_size[:, rs], p.c_size[:, cs])
    score += size * p.c_b_size[None, cs]
    head = p.r_bmax32[rs, None] * p.c_pay_a[None, cs]
    head -= p.c_pay_b[None, cs]
    np.clip(head, np.float32(0.0), np.float32(1.0), out=head)
    head *= p.c_b_pay[None, cs]
    score += head
    # ineligible pairs get distinct negative sentinels (-3 - candidate index + score):
    # eligible scores are >= 0, and distinct values keep argpartition fast
    np.logical_not(elig, out=elig)
    score += elig * p.c_sentinel[None, cs]
    return score, n_elig


def _n_chunks(p: _Prepared) -> int:
    return max(1, math.ceil(p.n / p.chunk_candidates))


# -- top-k bookkeeping -----------------------------------------------------------------


class _CandidateTop:
    """Running top-k roles per candidate: a threshold and a pool of (cand, role, score)."""

    def __init__(self, n: int, k: int) -> None:
        self.n, self.k = n, k
        self.thr = np.full(n, -0.5, dtype=np.float32)  # below any eligible score
        self.cand: list[npt.NDArray[np.intp]] = []
        self.role: list[npt.NDArray[np.intp]] = []
        self.score: list[F32] = []
        self.pending = 0

    def add(self, buf: F32, r0: int) -> None:
        rr, cc = np.nonzero(buf > self.thr[None, :])
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
        sel = rank < self.k
        cand, role, score, rank = cand[sel], role[sel], score[sel], rank[sel]
        full = rank == self.k - 1
        self.thr[cand[full]] = score[full]
        self.cand, self.role, self.score = [cand], [role], [score]
        self.pending = 0
        return cand, role, score


def _work(
    p: _Prepared,
    chunks: list[tuple[int, int]],
    k_role: int,
    k_cand: int,
    on_chunk: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32]], _CandidateTop, int]:
    per_role: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32]] = []
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
            if k_role < p.n:
                idx = np.argpartition(buf, p.n - k_role, axis=1)[:, p.n - k_role :]
            else:
                idx = np.broadcast_to(np.arange(p.n), buf.shape)
            vals = np.take_along_axis(buf, idx, axis=1)
            rr, kk = np.nonzero(vals >= 0)
            per_role.append((rr + r0, idx[rr, kk], vals[rr, kk]))
        if k_cand > 0:
            ctop.add(buf, r0)
        if on_chunk is not None:
            on_chunk(r1 - r0)
    return per_role, ctop, n_elig


_Result = tuple[list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32]], _CandidateTop, int]


def _work_in_pool(
    p: _Prepared,
    parts: list[list[tuple[int, int]]],
    k_role: int,
    k_cand: int,
    progress: Callable[[int, int], None] | None,
) -> list[_Result]:
    """Run ``parts`` on threads; ``progress`` is called on this (the caller's) thread."""
    if progress is None:
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            return list(pool.map(lambda ch: _work(p, ch, k_role, k_cand), parts))
    done: queue.SimpleQueue[int | None] = queue.SimpleQueue()
    stop = threading.Event()

    def work(chunks: list[tuple[int, int]]) -> _Result:
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


def _run(
    p: _Prepared,
    chunk_roles: int,
    k_role: int,
    k_cand: int,
    n_jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[
    tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32],
    tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], F32],
    int,
]:
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
    role_parts = [x for res in results for x in res[0]]
    if role_parts:
        by_role = (
            np.concatenate([x[0] for x in role_parts]),
            np.concatenate([x[1] for x in role_parts]),
            np.concatenate([x[2] for x in role_parts]),
        )
    else:
        empty = np.empty(0, np.intp)
        by_role = (empty, empty, np.empty(0, np.float32))
    merged = _CandidateTop(p.n, k_cand)
    for res in results:
        c, r, s = res[1].reduce()
        merged.cand.append(c)
        merged.role.append(r)
        merged.score.append(s)
    by_cand = merged.reduce()
    return by_role, by_cand, sum(res[2] for res in results)


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
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float32]]:
    """All N x M batch scores, for small inputs and tests: ``(eligible, score)``.

    ``score`` is 0 where the pair is ineligible, as in :func:`score_pair`.
    """
    w = weights or ScoringWeights()
    p = _prepare(
        candidates,
        roles,
        taxonomy=taxonomy,
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
) -> BatchResult:
    """Score every pair of ``candidates`` x ``roles``; keep the top-k on both sides.

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
        Worker threads (default: the CPU count, at most 2 per 2 cores).
    explain
        Build the reference explanation for each returned pair (``BatchResult.explained``).
    embeddings
        Precomputed ``(candidate, role)`` text embeddings, instead of ``encoder``.
    progress
        Called as ``progress(roles_scored, roles_total)`` on the calling thread as role
        chunks complete (at most once per chunk, always once at the end). An exception
        raised from it stops the workers before their next chunk and propagates: use it
        to report progress and to cancel a long run.

    Returns
    -------
    BatchResult
    """
    if top_k_per_role < 0 or top_k_per_candidate < 0:
        raise ValueError("top-k values must not be negative")
    if chunk_roles < 1 or chunk_candidates < 1:
        raise ValueError("chunk sizes must be positive")
    w = weights or ScoringWeights()
    p = _prepare(
        candidates,
        roles,
        taxonomy=taxonomy,
        encoder=encoder,
        rates=rates,
        w=w,
        embeddings=embeddings,
        chunk_candidates=chunk_candidates,
    )
    if p.n == 0 or p.m == 0:
        return BatchResult({r.id: () for r in roles}, {c.id: () for c in candidates}, 0, 0)
    jobs = n_jobs if n_jobs is not None else (os.cpu_count() or 1)
    (rr, rc, rs), (cc, cr, cs), n_elig = _run(
        p, chunk_roles, top_k_per_role, top_k_per_candidate, jobs, progress
    )
    role_ids = [roles[int(j)].id for j in p.order]
    top_by_role = _rank(
        rr, rc, rs, key_ids=role_ids, other_ids=[c.id for c in candidates], key_is_role=True
    )
    top_by_candidate = _rank(
        cc, cr, cs, key_ids=[c.id for c in candidates], other_ids=role_ids, key_is_role=False
    )
    for r in roles:
        top_by_role.setdefault(r.id, ())
    for c in candidates:
        top_by_candidate.setdefault(c.id, ())
    result = BatchResult(top_by_role, top_by_candidate, p.n * p.m, n_elig)
    if explain:
        cand_pos = {c.id: i for i, c in enumerate(candidates)}
        role_pos = {r.id: j for j, r in enumerate(roles)}
        inv = np.empty_like(p.order)
        inv[p.order] = np.arange(p.m)
        for cid, rid in result.returned_pairs():
            i, j = cand_pos[cid], role_pos[rid]
            result.explained[(cid, rid)] = score_pair_vectors(
                candidates[i],
                roles[j],
                p.c_emb[i],
                p.r_emb[int(inv[j])],
                taxonomy=taxonomy,
                rates=rates,
                weights=w,
            )
    return result


def _rank(
    key: npt.NDArray[np.intp],
    other: npt.NDArray[np.intp],
    score: F32,
    *,
    key_ids: list[str],
    other_ids: list[str],
    key_is_role: bool,
) -> dict[str, tuple[RankedPair, ...]]:
    groups: dict[str, list[tuple[float, str]]] = {}
    for k, o, s in zip(key.tolist(), other.tolist(), score.tolist(), strict=True):
        groups.setdefault(key_ids[k], []).append((float(s), other_ids[o]))
    out: dict[str, tuple[RankedPair, ...]] = {}
    for kid, items in groups.items():
        items.sort(key=lambda t: (-t[0], t[1]))
        out[kid] = tuple(
            RankedPair(o if key_is_role else kid, kid if key_is_role else o, s, rank)
            for rank, (s, o) in enumerate(items, start=1)
        )
    return out
