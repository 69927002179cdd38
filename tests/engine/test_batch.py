"""Batch scoring equals the per-pair reference path (hypothesis), and top-k is exact."""

import random
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchday.engine import batch
from matchday.engine.batch import (
    NDIGITS,
    encode_texts,
    merge_shortlists,
    score_batch,
    score_matrix,
    shortlist,
)
from matchday.engine.scoring import ScoringWeights, score_pair
from matchday.engine.types import (
    Candidate,
    Money,
    RequiredSkill,
    Role,
    SkillClaim,
)
from tests.engine.instances import (
    RATES,
    TAX,
    Cancelled,
    HashEncoder,
    random_instance,
)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10**6), n=st.integers(1, 14), m=st.integers(1, 8), chunk=st.integers(1, 6)
)
def test_batch_matrix_equals_per_pair_scores_and_eligibility(seed, n, m, chunk):
    cands, roles = random_instance(random.Random(seed), n, m)
    enc = HashEncoder()
    eligible, scores = score_matrix(
        cands, roles, taxonomy=TAX, encoder=enc, rates=RATES, chunk_candidates=chunk
    )
    for i, c in enumerate(cands):
        for j, r in enumerate(roles):
            ps = score_pair(c, r, taxonomy=TAX, encoder=enc, rates=RATES)
            assert ps.eligible == bool(eligible[i, j])
            assert abs(ps.score - float(scores[i, j])) < 1e-6


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 20),
    m=st.integers(1, 8),
    k_role=st.integers(0, 5),
    k_cand=st.integers(0, 4),
    chunk_roles=st.integers(1, 4),
    chunk_cands=st.integers(1, 7),
    jobs=st.integers(1, 2),
)
def test_batch_top_k_and_explanations_equal_the_per_pair_path(
    seed, n, m, k_role, k_cand, chunk_roles, chunk_cands, jobs
):
    cands, roles = random_instance(random.Random(seed), n, m)
    enc = HashEncoder()
    ref = {
        (c.id, r.id): score_pair(c, r, taxonomy=TAX, encoder=enc, rates=RATES)
        for c in cands
        for r in roles
    }
    res = score_batch(
        cands,
        roles,
        taxonomy=TAX,
        encoder=enc,
        rates=RATES,
        top_k_per_role=k_role,
        top_k_per_candidate=k_cand,
        chunk_roles=chunk_roles,
        chunk_candidates=chunk_cands,
        n_jobs=jobs,
    )
    assert res.eligible_pairs == sum(ps.eligible for ps in ref.values())
    for r in roles:
        want = sorted(
            (ps.score for (_, rid), ps in ref.items() if rid == r.id and ps.eligible), reverse=True
        )[:k_role]
        got = [p.score for p in res.top_by_role[r.id]]
        assert len(got) == len(want)
        assert all(abs(a - b) < 1e-6 for a, b in zip(got, want, strict=True))
    for c in cands:
        want = sorted(
            (ps.score for (cid, _), ps in ref.items() if cid == c.id and ps.eligible), reverse=True
        )[:k_cand]
        got = [p.score for p in res.top_by_candidate[c.id]]
        assert len(got) == len(want)
        assert all(abs(a - b) < 1e-6 for a, b in zip(got, want, strict=True))
    assert set(res.explained) == set(res.returned_pairs())
    for key, ps in res.explained.items():
        assert ps.explanation == ref[key].explanation


def test_ties_and_few_eligible_pairs_return_only_eligible_ones():
    cand = Candidate("c0", (SkillClaim("pytorch", 3),), 5.0, "senior", "DE")
    roles = [
        Role(
            f"r{j}",
            "co",
            "t",
            "senior",
            "mle",
            Money(1, "USD"),
            Money(2, "USD"),
            (RequiredSkill("pytorch", 3),),
            allowed_levels=("senior",) if j else ("mid",),
        )
        for j in range(3)
    ]
    res = score_batch(
        [
            cand,
            cand.__class__(
                **{**{f: getattr(cand, f) for f in cand.__dataclass_fields__}, "id": "c1"}
            ),
        ],
        roles,
        taxonomy=TAX,
        encoder=HashEncoder(),
        rates=RATES,
        top_k_per_role=5,
    )
    assert res.top_by_role["r0"] == ()
    assert [p.candidate_id for p in res.top_by_role["r1"]] == ["c0", "c1"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_reported_on_the_calling_thread_and_changes_nothing(jobs):
    cands, roles = random_instance(random.Random(5), 30, 23)
    kwargs = dict(
        taxonomy=TAX,
        encoder=HashEncoder(),
        rates=RATES,
        top_k_per_role=3,
        top_k_per_candidate=2,
        chunk_roles=4,
        n_jobs=jobs,
        explain=False,
    )
    calls = []
    threads = set()

    def progress(done, total):
        calls.append((done, total))
        threads.add(threading.get_ident())

    with_progress = score_batch(cands, roles, progress=progress, **kwargs)
    assert with_progress == score_batch(cands, roles, **kwargs)
    assert threads == {threading.get_ident()}
    assert calls[-1] == (23, 23)
    assert all(total == 23 for _, total in calls)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})
    assert len(calls) == 6  # one per chunk of 4 roles (the last one has 3)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_from_progress_stops_the_run_and_propagates(jobs):
    cands, roles = random_instance(random.Random(6), 20, 40)
    calls = []

    def progress(done, total):
        calls.append(done)
        raise Cancelled

    with pytest.raises(Cancelled):
        score_batch(
            cands,
            roles,
            taxonomy=TAX,
            encoder=HashEncoder(),
            rates=RATES,
            chunk_roles=2,
            n_jobs=jobs,
            explain=False,
            progress=progress,
        )
    assert len(calls) == 1


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 14), m=st.integers(1, 8))
def test_the_exact_batch_numbers_are_the_per_pair_numbers_bit_for_bit(seed, n, m):
    cands, roles = random_instance(random.Random(seed), n, m)
    emb = encode_texts(HashEncoder(), cands, roles)
    p = batch._prepare(
        cands,
        roles,
        taxonomy=TAX,
        encoder=None,
        rates=RATES,
        w=ScoringWeights(),
        embeddings=emb,
        chunk_candidates=3,
    )
    inv = np.empty_like(p.order)
    inv[p.order] = np.arange(len(roles))
    pairs = [(i, j) for i in range(n) for j in range(m)]
    ci = np.array([i for i, _ in pairs], dtype=np.intp)
    rj = inv[np.array([j for _, j in pairs], dtype=np.intp)]
    score, role_fit, cand_fit, missing = batch._exact(p, ci, rj)
    for k, (i, j) in enumerate(pairs):
        ps = score_pair(cands[i], roles[j], taxonomy=TAX, encoder=HashEncoder(), rates=RATES)
        if ps.eligible:  # the exact path runs on eligible pairs only
            assert missing[k] == sum(1 for s in ps.explanation.missing if s.kind == "required")
            assert (score[k], role_fit[k], cand_fit[k]) == (
                ps.score,
                ps.role_fit,
                ps.candidate_fit,
            )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 20),
    m=st.integers(1, 8),
    k_role=st.integers(0, 5),
    k_cand=st.integers(0, 4),
    chunk_roles=st.integers(1, 4),
    chunk_cands=st.integers(1, 7),
    jobs=st.integers(1, 2),
)
def test_shortlist_holds_the_exact_top_k_on_the_final_rounded_per_pair_numbers(
    seed, n, m, k_role, k_cand, chunk_roles, chunk_cands, jobs
):
    cands, roles = random_instance(random.Random(seed), n, m)
    enc = HashEncoder()
    sl = shortlist(
        cands,
        roles,
        taxonomy=TAX,
        rates=RATES,
        embeddings=encode_texts(enc, cands, roles),
        top_k_per_role=k_role,
        top_k_per_candidate=k_cand,
        chunk_roles=chunk_roles,
        chunk_candidates=chunk_cands,
        n_jobs=jobs,
    )
    ref = {
        (c.id, r.id): score_pair(c, r, taxonomy=TAX, encoder=enc, rates=RATES)
        for c in cands
        for r in roles
    }
    rounded = {k: round(ps.score, NDIGITS) for k, ps in ref.items() if ps.eligible}
    got = {}
    for i in range(len(sl)):
        key = (sl.candidate_ids[sl.candidate[i]], sl.role_ids[sl.role[i]])
        ps = ref[key]
        assert (float(sl.score[i]), float(sl.role_fit[i]), float(sl.candidate_fit[i])) == (
            round(ps.score, NDIGITS),
            round(ps.role_fit, NDIGITS),
            round(ps.candidate_fit, NDIGITS),
        )
        got[key] = (int(sl.rank_in_role[i]), int(sl.rank_for_candidate[i]))
    want: dict[tuple[str, str], list[int]] = {}
    for r in roles:
        best = sorted((-s, cid) for (cid, rid), s in rounded.items() if rid == r.id)[:k_role]
        for rank, (_, cid) in enumerate(best, start=1):
            want.setdefault((cid, r.id), [0, 0])[0] = rank
    for c in cands:
        best = sorted((-s, rid) for (cid, rid), s in rounded.items() if cid == c.id)[:k_cand]
        for rank, (_, rid) in enumerate(best, start=1):
            want.setdefault((c.id, rid), [0, 0])[1] = rank
    assert got == {k: tuple(v) for k, v in want.items()}


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 20), m=st.integers(2, 9), data=st.data())
def test_shortlists_of_chunks_of_roles_merge_into_the_shortlist_of_all_roles(seed, n, m, data):
    cands, roles = random_instance(random.Random(seed), n, m)
    enc = HashEncoder()
    kwargs = dict(taxonomy=TAX, rates=RATES, top_k_per_role=2, top_k_per_candidate=2)
    whole = shortlist(cands, roles, embeddings=encode_texts(enc, cands, roles), **kwargs)
    cuts = sorted(data.draw(st.sets(st.integers(1, m - 1), max_size=3)))
    chunks = [roles[a:b] for a, b in zip([0, *cuts], [*cuts, m], strict=True)]
    chunks = data.draw(st.permutations(chunks))
    parts = [
        shortlist(cands, ch, embeddings=encode_texts(enc, cands, ch), **kwargs) for ch in chunks
    ]
    assert merge_shortlists(parts).equals(whole)
