"""Allocation under capacities: the optimal and the stable policy, checked against peers.

Peers: an independent LP (scipy ``linprog``; the constraint matrix is totally unimodular,
so the LP optimum is the integer optimum), a plain sequential deferred acceptance written
here, a brute-force blocking-pair check, and the ``matching`` package's hospital/residents
solver for K = 1.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import sys
import threading
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from matchday.engine import allocate as allocate_module
from matchday.engine.allocate import (
    Allocation,
    AllocationInput,
    allocate_optimal,
    allocate_stable,
    blocking_pairs,
)
from matchday.engine.io import EngineInputError

# ---------------------------------------------------------------- instance helpers


@st.composite
def pair_inputs(draw: st.DrawFn, max_candidates: int = 7, max_roles: int = 5) -> AllocationInput:
    """Small random instances: coarse scores (ties happen), fits, caps with overrides."""
    n_c = draw(st.integers(1, max_candidates))
    n_r = draw(st.integers(1, max_roles))
    cells = list(itertools.product(range(n_c), range(n_r)))
    chosen = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    level = st.integers(-2, 10).map(lambda x: x / 10)
    scores = [draw(level) for _ in chosen]
    cfit = [draw(st.one_of(st.none(), level)) for _ in chosen]
    rfit = [draw(st.one_of(st.none(), level)) for _ in chosen]
    k, m = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    cand_ids = sorted({f"c{c}" for c, _ in chosen})
    role_ids = sorted({f"r{r}" for _, r in chosen})
    c_over = draw(st.dictionaries(st.sampled_from(cand_ids), st.integers(0, 3))) if chosen else {}
    r_over = draw(st.dictionaries(st.sampled_from(role_ids), st.integers(0, 3))) if chosen else {}
    return AllocationInput.from_pairs(
        [f"c{c}" for c, _ in chosen],
        [f"r{r}" for _, r in chosen],
        scores,
        cfit,
        rfit,
        candidate_cap=k,
        role_cap=m,
        candidate_caps=c_over,
        role_caps=r_over,
    )


def random_pairs(n_c: int, n_r: int, degree: int, seed: int, *, k: int, m: int) -> AllocationInput:
    """Seeded instance: each candidate has ``degree`` roles, popularity-skewed."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_r + 1) ** 0.7
    cands, roles = [], []
    for c in range(n_c):
        picked = rng.choice(n_r, size=min(degree, n_r), replace=False, p=weights / weights.sum())
        cands += [f"c{c:05d}"] * len(picked)
        roles += [f"r{r:04d}" for r in picked]
    n = len(cands)
    cfit, rfit = rng.random(n), rng.random(n)
    return AllocationInput.from_pairs(
        cands, roles, (cfit + rfit) / 2, cfit, rfit, candidate_cap=k, role_cap=m
    )


def pairs_of(alloc: Allocation) -> set[tuple[str, str]]:
    return {(p.candidate_id, p.role_id) for p in alloc.proposals}


def input_pairs(inp: AllocationInput) -> dict[tuple[str, str], int]:
    return {
        (inp.candidate_ids[c], inp.role_ids[r]): e
        for e, (c, r) in enumerate(zip(inp.pair_candidate, inp.pair_role, strict=True))
    }


def caps_of(inp: AllocationInput) -> tuple[dict[str, int], dict[str, int]]:
    c = dict(zip(inp.candidate_ids, inp.candidate_capacities().tolist(), strict=True))
    r = dict(zip(inp.role_ids, inp.role_capacities().tolist(), strict=True))
    return c, r


def lp_optimum(inp: AllocationInput) -> float:
    """Independent max-weight b-matching by LP (integral: bipartite, totally unimodular)."""
    n_e = inp.n_pairs
    if n_e == 0:
        return 0.0
    n_c, n_r = len(inp.candidate_ids), len(inp.role_ids)
    rows = np.concatenate([inp.pair_candidate, n_c + inp.pair_role])
    cols = np.concatenate([np.arange(n_e), np.arange(n_e)])
    a_ub = coo_matrix((np.ones(2 * n_e), (rows, cols)), shape=(n_c + n_r, n_e)).tocsr()
    b_ub = np.concatenate([inp.candidate_capacities(), inp.role_capacities()])
    assert inp.score is not None
    res = linprog(-inp.score, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    assert res.status == 0
    return float(-res.fun)


def naive_blocking(inp: AllocationInput, alloc: Allocation) -> set[tuple[str, str]]:
    """Blocking pairs straight from the definition, one pair at a time."""
    chosen = pairs_of(alloc)
    cap_c, cap_r = caps_of(inp)
    rank_c: dict[tuple[str, str], int] = {}
    rank_r: dict[tuple[str, str], int] = {}
    for (c, r), e in input_pairs(inp).items():
        rank_c[c, r], rank_r[c, r] = int(inp.candidate_rank[e]), int(inp.role_rank[e])
    out = set()
    for c, r in rank_c:
        if (c, r) in chosen:
            continue
        mine = [rank_c[c, r2] for c2, r2 in chosen if c2 == c]
        theirs = [rank_r[c2, r] for c2, r2 in chosen if r2 == r]
        c_wants = len(mine) < cap_c[c] or any(rank_c[c, r] < x for x in mine)
        r_wants = len(theirs) < cap_r[r] or any(rank_r[c, r] < x for x in theirs)
        if c_wants and r_wants:
            out.add((c, r))
    return out


def sequential_deferred_acceptance(inp: AllocationInput) -> set[tuple[str, str]]:
    """Textbook candidate-proposing DA, one proposal at a time (reference implementation)."""
    cap_c, cap_r = caps_of(inp)
    prefs: dict[str, list[str]] = {c: [] for c in inp.candidate_ids}
    rank_r: dict[tuple[str, str], int] = {}
    for (c, r), e in sorted(input_pairs(inp).items(), key=lambda kv: inp.candidate_rank[kv[1]]):
        prefs[c].append(r)
        rank_r[c, r] = int(inp.role_rank[e])
    nxt = dict.fromkeys(prefs, 0)
    held: dict[str, list[str]] = {r: [] for r in inp.role_ids}
    count = dict.fromkeys(prefs, 0)
    free = list(reversed(inp.candidate_ids))
    while free:
        c = free.pop()
        while count[c] < cap_c[c] and nxt[c] < len(prefs[c]):
            r = prefs[c][nxt[c]]
            nxt[c] += 1
            held[r].append(c)
            count[c] += 1
            if len(held[r]) > cap_r[r]:
                worst = max(held[r], key=lambda x, r=r: rank_r[x, r])
                held[r].remove(worst)
                count[worst] -= 1
                if worst != c:
                    free.append(worst)
    return {(c, r) for r, cs in held.items() for c in cs}


# ------------------------------------------------------------------ small examples


def test_optimal_prefers_the_larger_total_over_the_greedy_first_pick():
    inp = AllocationInput.from_pairs(
        ["a", "a", "b", "b"],
        ["x", "y", "x", "y"],
        [0.9, 0.8, 0.85, 0.1],
        candidate_cap=1,
        role_cap=1,
    )
    alloc = allocate_optimal(inp)
    assert pairs_of(alloc) == {("a", "y"), ("b", "x")}
    assert alloc.total_score == pytest.approx(1.65)


def test_optimal_leaves_a_slot_empty_rather_than_propose_a_non_positive_pair():
    inp = AllocationInput.from_pairs(
        ["a", "b", "c"], ["x", "x", "x"], [0.5, 0.0, -0.3], candidate_cap=1, role_cap=3
    )
    assert pairs_of(allocate_optimal(inp)) == {("a", "x")}
    assert pairs_of(allocate_stable(inp)) == {("a", "x")}
    assert inp.warnings == ("2 pair(s) with a score <= 0 treated as unacceptable",)


def test_stable_follows_each_sides_fit_not_the_combined_score():
    # Ana prefers ML (candidate_fit) though infra scores higher; ML ranks Bo first.
    inp = AllocationInput.from_pairs(
        ["ana", "ana", "bo"],
        ["infra", "ml", "ml"],
        [0.9, 0.6, 0.7],
        candidate_fit=[0.2, 0.9, 0.8],
        role_fit=[0.9, 0.5, 0.6],
        candidate_cap=1,
        role_cap=1,
    )
    stable = allocate_stable(inp)
    assert pairs_of(stable) == {("ana", "infra"), ("bo", "ml")}
    assert [(p.candidate_rank, p.role_rank) for p in stable.proposals] == [(2, 1), (1, 1)]


def test_ranks_break_ties_by_the_other_sides_id():
    inp = AllocationInput.from_pairs(
        ["c1", "c1", "c1"], ["r3", "r1", "r2"], [0.5, 0.5, 0.9], candidate_cap=3, role_cap=1
    )
    ranks = {
        inp.role_ids[r]: int(k) for r, k in zip(inp.pair_role, inp.candidate_rank, strict=True)
    }
    assert ranks == {"r2": 1, "r1": 2, "r3": 3}


def test_caps_overrides_replace_the_defaults_for_the_named_ids():
    inp = AllocationInput.from_pairs(
        ["a", "b", "c", "a"],
        ["x", "x", "x", "y"],
        [0.9, 0.8, 0.7, 0.6],
        candidate_cap=1,
        role_cap=1,
        role_caps={"x": 2},
        candidate_caps={"a": 2},
    )
    assert pairs_of(allocate_optimal(inp)) == {("a", "x"), ("b", "x"), ("a", "y")}


def test_zero_caps_propose_nothing():
    inp = AllocationInput.from_pairs(["a"], ["x"], [1.0], candidate_cap=0, role_cap=5)
    assert allocate_optimal(inp).proposals == ()
    assert allocate_stable(inp).proposals == ()


def test_an_input_without_pairs_gives_an_empty_allocation():
    inp = AllocationInput.from_pairs([], [], [], candidate_cap=1, role_cap=1)
    for policy in (allocate_optimal, allocate_stable):
        alloc = policy(inp)
        assert alloc.proposals == ()
        assert alloc.total_score == 0.0


# -------------------------------------------------------------------- exclusions


def test_exclusion_names_role_capacity_when_the_role_is_full_with_better_pairs():
    inp = AllocationInput.from_pairs(
        ["a", "b", "b"], ["x", "x", "y"], [0.9, 0.8, 0.3], candidate_cap=1, role_cap=1
    )
    alloc = allocate_optimal(inp, explain_exclusions=True)
    assert pairs_of(alloc) == {("a", "x"), ("b", "y")}
    assert alloc.exclusions is not None
    assert [(e.candidate_id, e.role_id, e.reasons) for e in alloc.exclusions] == [
        ("b", "x", ("role capacity",))
    ]


def test_exclusion_names_candidate_capacity_when_the_candidate_is_full_with_better_pairs():
    inp = AllocationInput.from_pairs(
        ["a", "a", "b"], ["x", "y", "y"], [0.9, 0.8, 0.3], candidate_cap=1, role_cap=1
    )
    alloc = allocate_stable(inp, explain_exclusions=True)
    assert pairs_of(alloc) == {("a", "x"), ("b", "y")}
    assert alloc.exclusions is not None
    assert [(e.candidate_id, e.role_id, e.reasons) for e in alloc.exclusions] == [
        ("a", "y", ("candidate capacity",))
    ]


def test_exclusion_names_both_capacities_when_the_optimum_trades_one_pair_for_two():
    # (b, x) beats both chosen pairs of its sides, but a-x + b-y is worth more than b-x.
    inp = AllocationInput.from_pairs(
        ["a", "b", "b"], ["x", "x", "y"], [0.6, 0.9, 0.5], candidate_cap=1, role_cap=1
    )
    alloc = allocate_optimal(inp, explain_exclusions=True)
    assert pairs_of(alloc) == {("a", "x"), ("b", "y")}
    assert alloc.exclusions is not None
    assert [(e.candidate_id, e.role_id, e.reasons) for e in alloc.exclusions] == [
        ("b", "x", ("role capacity", "candidate capacity"))
    ]


@settings(max_examples=80, deadline=None)
@given(pair_inputs())
def test_every_stable_exclusion_is_explained_by_a_side_full_with_pairs_it_prefers(inp):
    alloc = allocate_stable(inp, explain_exclusions=True)
    assert alloc.exclusions is not None
    chosen = pairs_of(alloc)
    cap_c, cap_r = caps_of(inp)
    index = input_pairs(inp)
    for ex in alloc.exclusions:
        assert (ex.candidate_id, ex.role_id) not in chosen
        assert ex.reasons
        if "role capacity" in ex.reasons:
            held = [c for c, r in chosen if r == ex.role_id]
            assert len(held) >= cap_r[ex.role_id]
            assert all(inp.role_rank[index[c, ex.role_id]] < ex.role_rank for c in held)
        if "candidate capacity" in ex.reasons:
            held = [r for c, r in chosen if c == ex.candidate_id]
            assert len(held) >= cap_c[ex.candidate_id]
            assert all(
                inp.candidate_rank[index[ex.candidate_id, r]] < ex.candidate_rank for r in held
            )


# -------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair_inputs(), st.sampled_from(["optimal", "stable"]))
def test_capacities_are_respected_and_only_acceptable_pairs_are_proposed(inp, policy):
    alloc = allocate_optimal(inp) if policy == "optimal" else allocate_stable(inp)
    cap_c, cap_r = caps_of(inp)
    chosen = pairs_of(alloc)
    assert len(chosen) == len(alloc.proposals)
    acceptable = input_pairs(inp)
    assert inp.score is not None
    assert all(p in acceptable and inp.score[acceptable[p]] > 0 for p in chosen)
    for c, cap in cap_c.items():
        assert sum(1 for x, _ in chosen if x == c) <= cap
    for r, cap in cap_r.items():
        assert sum(1 for _, y in chosen if y == r) <= cap


@settings(max_examples=60, deadline=None)
@given(pair_inputs())
def test_stable_output_has_no_blocking_pairs(inp):
    alloc = allocate_stable(inp)
    assert blocking_pairs(inp, alloc) == []
    assert naive_blocking(inp, alloc) == set()


@settings(max_examples=60, deadline=None)
@given(pair_inputs())
def test_blocking_pair_checker_agrees_with_the_definition_on_the_optimal_result(inp):
    alloc = allocate_optimal(inp)
    assert set(blocking_pairs(inp, alloc)) == naive_blocking(inp, alloc)


@settings(max_examples=60, deadline=None)
@given(pair_inputs())
def test_optimal_total_equals_the_lp_optimum(inp):
    alloc = allocate_optimal(inp)
    assert alloc.total_score == pytest.approx(lp_optimum(inp), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(pair_inputs())
def test_stable_equals_sequential_deferred_acceptance(inp):
    assert pairs_of(allocate_stable(inp)) == sequential_deferred_acceptance(inp)


@pytest.mark.parametrize("seed", range(5))
def test_optimal_and_stable_are_invariant_to_the_order_of_the_pairs(seed):
    # Many exact ties (scores on a grid of 0.1), so an order-dependent tie-break would show.
    rng = random.Random(seed)
    rows = [
        (f"c{c}", f"r{r}", rng.randint(1, 3) / 10, rng.randint(1, 3) / 10)
        for c in range(40)
        for r in range(12)
        if rng.random() < 0.5
    ]

    def build(rows):
        cands, roles, scores, fits = zip(*rows, strict=True)
        return AllocationInput.from_pairs(
            cands, roles, scores, fits, scores, candidate_cap=2, role_cap=3
        )

    shuffled = rows[:]
    rng.shuffle(shuffled)
    for policy in (allocate_optimal, allocate_stable):
        assert policy(build(rows)).to_dict() == policy(build(shuffled)).to_dict()


@pytest.mark.parametrize("seed", range(3))
def test_optimal_total_equals_the_lp_optimum_on_a_mid_sized_instance(seed):
    inp = random_pairs(400, 60, 8, seed, k=2, m=6)
    assert allocate_optimal(inp).total_score == pytest.approx(lp_optimum(inp), abs=1e-6)


@pytest.mark.parametrize(("k", "m"), [(1, 3), (2, 5), (3, 2)])
def test_vectorised_rounds_and_proposal_by_proposal_tail_give_the_same_result(monkeypatch, k, m):
    inp = random_pairs(1200, 120, 10, seed=k * 10 + m, k=k, m=m)
    expected = sequential_deferred_acceptance(inp)
    monkeypatch.setattr(allocate_module, "_TAIL_PROPOSALS", 0)  # rounds only
    assert pairs_of(allocate_stable(inp)) == expected
    monkeypatch.setattr(allocate_module, "_TAIL_PROPOSALS", 10**9)  # tail only
    assert pairs_of(allocate_stable(inp)) == expected


# ------------------------------------------------------------- peer: `matching`


def solve_with_matching_package(inp: AllocationInput) -> set[tuple[str, str]]:
    """Resident-optimal HR matching from the ``matching`` package (K = 1)."""
    residents: dict[str, list[tuple[int, str]]] = {}
    hospitals: dict[str, list[tuple[int, str]]] = {}
    for (c, r), e in input_pairs(inp).items():
        residents.setdefault(c, []).append((int(inp.candidate_rank[e]), r))
        hospitals.setdefault(r, []).append((int(inp.role_rank[e]), c))
    _, cap_r = caps_of(inp)
    game = HospitalResident.create_from_dictionaries(
        {c: [r for _, r in sorted(v)] for c, v in residents.items()},
        {r: [c for _, c in sorted(v)] for r, v in hospitals.items()},
        {r: cap_r[r] for r in hospitals},
    )
    solution = game.solve(optimal="resident")
    return {(res.name, hosp.name) for hosp, rs in solution.items() for res in rs}


def run_with_deep_stack(fn: Callable[[], set[tuple[str, str]]]) -> set[tuple[str, str]]:
    """``matching`` deep-copies recursively (its issue #139): give it room, in a thread."""
    out: list[set[tuple[str, str]]] = []
    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(100_000)
    threading.stack_size(512 * 1024 * 1024)
    try:
        thread = threading.Thread(target=lambda: out.append(fn()))
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    return out[0]


@settings(max_examples=60, deadline=None)
@given(pair_inputs(max_candidates=9, max_roles=5))
def test_k1_stable_equals_the_matching_packages_resident_optimal_solution(inp):
    # K = 1 and every role open (the package wants capacities >= 1).
    inp = dataclasses.replace(
        inp,
        candidate_cap=1,
        candidate_caps={},
        role_cap=max(1, inp.role_cap),
        role_caps={r: max(1, cap) for r, cap in inp.role_caps.items()},
    )
    assert pairs_of(allocate_stable(inp)) == solve_with_matching_package(inp)


@pytest.mark.parametrize("seed", range(3))
def test_k1_stable_equals_the_matching_package_on_a_few_hundred_players(seed):
    inp = random_pairs(300, 60, 12, seed, k=1, m=4)
    expected = run_with_deep_stack(lambda: solve_with_matching_package(inp))
    assert pairs_of(allocate_stable(inp)) == expected


# --------------------------------------------------------------- preference lists


def test_preference_lists_drop_one_sided_entries_with_a_warning():
    inp = AllocationInput.from_preferences(
        {"c1": ["r1", "r2"], "c2": ["r1"]},
        {"r1": ["c2", "c1"], "r2": ["c2"]},
        candidate_cap=1,
        role_cap=1,
    )
    assert inp.warnings == (
        "candidate 'c1' ranks role 'r2', who does not rank it back: treated as unacceptable",
        "role 'r2' ranks candidate 'c2', who does not rank it back: treated as unacceptable",
    )
    alloc = allocate_stable(inp)
    assert pairs_of(alloc) == {("c2", "r1")}
    assert alloc.total_score is None
    assert alloc.warnings == inp.warnings


def test_preference_lists_give_the_resident_optimal_matching():
    # Classic instance with two stable matchings; candidates get their first choices.
    inp = AllocationInput.from_preferences(
        {"c1": ["r1", "r2"], "c2": ["r2", "r1"]},
        {"r1": ["c2", "c1"], "r2": ["c1", "c2"]},
        candidate_cap=1,
        role_cap=1,
    )
    assert pairs_of(allocate_stable(inp)) == {("c1", "r1"), ("c2", "r2")}


def test_optimal_policy_refuses_preference_lists_which_carry_no_scores():
    inp = AllocationInput.from_preferences({"c": ["r"]}, {"r": ["c"]}, candidate_cap=1, role_cap=1)
    with pytest.raises(EngineInputError) as err:
        allocate_optimal(inp)
    assert str(err.value) == (
        "the optimal policy needs scores; preference lists carry none "
        "(use --policy stable, or give scored pairs)"
    )


# ------------------------------------------------------------------ bad input


def _pairs(**overrides):
    kwargs = {
        "candidate_ids": ["a", "b"],
        "role_ids": ["x", "x"],
        "scores": [0.5, 0.4],
        "candidate_cap": 1,
        "role_cap": 1,
    }
    kwargs.update(overrides)
    return AllocationInput.from_pairs(**kwargs)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: _pairs(candidate_ids=["a", "a"]),
            "duplicate pair: candidate 'a', role 'x'",
        ),
        (
            lambda: _pairs(scores=[0.5, float("nan")]),
            "pair (candidate 'b', role 'x'): score is nan, not a finite number",
        ),
        (
            lambda: _pairs(scores=[float("inf"), 0.4]),
            "pair (candidate 'a', role 'x'): score is inf, not a finite number",
        ),
        (
            lambda: _pairs(role_fit=[0.1, float("-inf")]),
            "pair (candidate 'b', role 'x'): role_fit is -inf, not a finite number",
        ),
        (
            lambda: _pairs(candidate_cap=-1),
            "candidate cap is -1: it must be a non-negative integer",
        ),
        (
            lambda: _pairs(role_caps={"x": -2}),
            "role_caps['x'] is -2: it must be a non-negative integer",
        ),
        (
            lambda: _pairs(candidate_caps={"zed": 1}),
            "candidate_caps names unknown candidate 'zed'",
        ),
        (
            lambda: _pairs(scores=[0.5]),
            "score has 1 entries, expected 2 (one per pair)",
        ),
        (
            lambda: AllocationInput.from_preferences(
                {"c1": ["r1", "r1"]}, {"r1": ["c1"]}, candidate_cap=1, role_cap=1
            ),
            "preference list of candidate 'c1' repeats role 'r1'",
        ),
        (
            lambda: AllocationInput.from_preferences(
                {"c1": ["r1"]}, {"r1": ["c1", "c9"]}, candidate_cap=1, role_cap=1
            ),
            "preference list of role 'r1' names unknown candidate 'c9'",
        ),
        (
            lambda: AllocationInput.from_preferences(
                {"c1": ["r1"]}, {"r1": ["c1"]}, candidate_cap=1, role_cap=1, role_caps={"r2": 1}
            ),
            "role_caps names unknown role 'r2'",
        ),
    ],
    ids=[
        "duplicate-pair",
        "nan-score",
        "infinite-score",
        "infinite-fit",
        "negative-default-cap",
        "negative-cap-override",
        "unknown-id-in-caps",
        "length-mismatch",
        "repeated-preference",
        "unknown-id-in-preferences",
        "unknown-id-in-preference-caps",
    ],
)
def test_bad_input_raises_a_message_naming_the_offending_entry(build, message):
    with pytest.raises(EngineInputError) as err:
        build()
    assert str(err.value) == message


def test_blocking_pairs_refuses_an_allocation_that_proposes_an_unknown_pair():
    inp = _pairs()
    other = allocate_stable(
        AllocationInput.from_pairs(["q"], ["x"], [1.0], candidate_cap=1, role_cap=1)
    )
    with pytest.raises(EngineInputError) as err:
        blocking_pairs(inp, other)
    assert str(err.value) == (
        "allocation proposes pair (candidate 'q', role 'x'), "
        "which is not an acceptable pair of the input"
    )


@settings(max_examples=60, deadline=None)
@given(pair_inputs())
def test_every_optimal_exclusion_names_only_sides_that_are_full(inp):
    alloc = allocate_optimal(inp, explain_exclusions=True)
    assert alloc.exclusions is not None
    chosen = pairs_of(alloc)
    cap_c, cap_r = caps_of(inp)
    for ex in alloc.exclusions:
        assert ex.reasons
        if "role capacity" in ex.reasons:
            assert sum(1 for _, r in chosen if r == ex.role_id) >= cap_r[ex.role_id]
        if "candidate capacity" in ex.reasons:
            assert sum(1 for c, _ in chosen if c == ex.candidate_id) >= cap_c[ex.candidate_id]
