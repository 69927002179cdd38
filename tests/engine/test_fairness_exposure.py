"""Exposure control: the exact MIP against brute force and an independent LP."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest
from scipy.optimize import linprog

from matchday.engine.fairness import allocate_with_exposure
from matchday.engine.io import EngineInputError


def random_instance(seed: int, max_pairs: int = 11):
    rng = np.random.default_rng(seed)
    candidates = [f"c{i}" for i in range(int(rng.integers(2, 6)))]
    roles = [f"r{j}" for j in range(int(rng.integers(1, 4)))]
    all_pairs = list(itertools.product(candidates, roles))
    rng.shuffle(all_pairs)
    chosen = all_pairs[: int(rng.integers(1, min(max_pairs, len(all_pairs)) + 1))]
    # a few non-positive scores, which must never be proposed
    pairs = [(c, r, round(float(rng.uniform(-0.2, 1.0)), 3)) for c, r in chosen]
    groups = {c: ("g1" if rng.random() < 0.6 else "g2") for c in candidates}
    share = float(rng.choice([0.0, 0.25, 1 / 3, 0.5, 0.75]))
    return pairs, groups, {"g2": share}, int(rng.integers(1, 3)), int(rng.integers(1, 3))


def brute_force(pairs, groups, min_share, k, m, *, with_shares=True):
    """Best total over every subset of positive pairs meeting caps (and shares)."""
    positive = [p for p in pairs if p[2] > 0]
    best = 0.0
    for size in range(len(positive) + 1):
        for subset in itertools.combinations(positive, size):
            if max(Counter(c for c, _, _ in subset).values(), default=0) > k:
                continue
            if max(Counter(r for _, r, _ in subset).values(), default=0) > m:
                continue
            if with_shares:
                per_group = Counter(groups[c] for c, _, _ in subset)
                if any(per_group[g] < s * size - 1e-12 for g, s in min_share.items()):
                    continue
            best = max(best, math.fsum(s for _, _, s in subset))
    return best


@pytest.mark.parametrize("seed", range(40))
def test_mip_optimum_equals_brute_force_and_meets_every_share(seed):
    pairs, groups, min_share, k, m = random_instance(seed)
    free_best = brute_force(pairs, groups, min_share, k, m, with_shares=False)
    best = brute_force(pairs, groups, min_share, k, m)
    if min_share["g2"] > 0 and not any(groups[c] == "g2" and s > 0 for c, _, s in pairs):
        with pytest.raises(EngineInputError, match="group 'g2' needs a share"):
            allocate_with_exposure(
                pairs, candidate_cap=k, role_cap=m, group_of_candidate=groups, min_share=min_share
            )
        return
    if best == 0.0 and free_best > 0.0:
        with pytest.raises(EngineInputError, match="can only be met by proposing no one"):
            allocate_with_exposure(
                pairs, candidate_cap=k, role_cap=m, group_of_candidate=groups, min_share=min_share
            )
        return
    result = allocate_with_exposure(
        pairs, candidate_cap=k, role_cap=m, group_of_candidate=groups, min_share=min_share
    )
    assert result.total_score == pytest.approx(best, abs=1e-9)
    assert result.unconstrained_total == pytest.approx(free_best, abs=1e-9)
    assert result.cost == pytest.approx(free_best - best, abs=1e-9)
    proposals = result.proposals
    assert all(s > 0 for _, _, s in proposals)
    assert set(proposals) <= set(pairs)
    assert max(Counter(c for c, _, _ in proposals).values(), default=0) <= k
    assert max(Counter(r for _, r, _ in proposals).values(), default=0) <= m
    per_group = Counter(groups[c] for c, _, _ in proposals)
    for g, share in min_share.items():
        assert per_group[g] >= share * len(proposals) - 1e-9


@pytest.mark.parametrize("seed", range(5))
def test_unconstrained_optimum_equals_an_independent_lp_optimum(seed):
    # Without shares the constraint matrix is a bipartite incidence matrix (totally
    # unimodular), so the LP relaxation solved by scipy's HiGHS is integral and optimal.
    rng = np.random.default_rng(100 + seed)
    n_c, n_r = 40, 12
    pairs = [
        (f"c{i}", f"r{j}", float(rng.uniform(-0.1, 1.0)))
        for i in range(n_c)
        for j in range(n_r)
        if rng.random() < 0.4
    ]
    k, m = 2, 5
    positive = [p for p in pairs if p[2] > 0]
    a_ub = np.zeros((n_c + n_r, len(positive)))
    for e, (c, r, _) in enumerate(positive):
        a_ub[int(c[1:]), e] = 1
        a_ub[n_c + int(r[1:]), e] = 1
    b_ub = np.array([k] * n_c + [m] * n_r)
    lp = linprog(
        -np.array([s for _, _, s in positive]), A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs"
    )
    groups = {f"c{i}": "g1" if i % 3 else "g2" for i in range(n_c)}
    result = allocate_with_exposure(
        pairs, candidate_cap=k, role_cap=m, group_of_candidate=groups, min_share={"g2": 0.5}
    )
    assert result.unconstrained_total == pytest.approx(-lp.fun, abs=1e-7)
    assert result.total_score <= result.unconstrained_total + 1e-9
    per_group = Counter(groups[c] for c, _, _ in result.proposals)
    assert per_group["g2"] >= 0.5 * len(result.proposals)


def test_share_forces_the_lower_scored_group_and_reports_the_cost():
    pairs = [("a1", "r", 0.9), ("a2", "r", 0.8), ("b", "r", 0.3)]
    groups = {"a1": "majority", "a2": "majority", "b": "minority"}
    result = allocate_with_exposure(
        pairs, candidate_cap=1, role_cap=2, group_of_candidate=groups, min_share={"minority": 0.5}
    )
    proposals, total, unconstrained = result
    assert proposals == (("a1", "r", 0.9), ("b", "r", 0.3))
    assert total == pytest.approx(1.2)
    assert unconstrained == pytest.approx(1.7)
    assert result.cost == pytest.approx(0.5)
    assert result.cost_share == pytest.approx(0.5 / 1.7)


def test_per_id_caps_are_respected():
    pairs = [("a", "r", 1.0), ("a", "s", 1.0), ("b", "r", 1.0)]
    result = allocate_with_exposure(
        pairs,
        candidate_cap={"a": 2, "b": 0},
        role_cap={"r": 1, "s": 1},
        group_of_candidate={},
        min_share={},
    )
    assert result.proposals == (("a", "r", 1.0), ("a", "s", 1.0))


def test_same_input_gives_the_same_proposals():
    pairs, groups, _, k, m = random_instance(7, max_pairs=12)
    runs = {
        allocate_with_exposure(
            list(reversed(pairs)) if i % 2 else pairs,
            candidate_cap=k,
            role_cap=m,
            group_of_candidate=groups,
            min_share={"g2": 0.25},
        ).proposals
        for i in range(4)
    }
    assert len(runs) == 1


@pytest.mark.parametrize(
    ("pairs", "kwargs", "message"),
    [
        (
            [("a", "r", 1.0), ("a", "r", 0.5)],
            {},
            r"pair \('a', 'r'\) appears more than once",
        ),
        ([("a", "r", float("nan"))], {}, r"pair \('a', 'r'\): score is not finite"),
        ([("a", "r", 1.0)], {"candidate_cap": -1}, "candidate 'a': cap must be a non-negative"),
        ([("a", "r", 1.0)], {"min_share": {"g": 1.5}}, "group 'g': min share must be in"),
        (
            [("a", "r", 1.0)],
            {"min_share": {"g": 0.6, "h": 0.6}},
            "infeasible shares: minimum shares sum to 1.2 > 1",
        ),
        ([("z", "r", 1.0)], {"min_share": {"g": 0.5}}, "candidate 'z': no group given"),
        (
            [("a", "r", 1.0), ("b", "r", -1.0)],
            {"min_share": {"h": 0.5}},
            "infeasible shares: group 'h' needs a share of 0.5",
        ),
    ],
)
def test_bad_exposure_input_is_refused_with_a_message_naming_the_entry(pairs, kwargs, message):
    options = {
        "candidate_cap": 1,
        "role_cap": 1,
        "group_of_candidate": {"a": "g", "b": "h"},
        "min_share": {},
    }
    options.update(kwargs)
    with pytest.raises(EngineInputError, match=message):
        allocate_with_exposure(pairs, **options)
