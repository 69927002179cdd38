"""Benchmark: Match Day allocation (optimal and stable policies) and the `matching` package.

Run: ``.venv/bin/python bench/allocate.py [--seed 0] [--repeat 3] [--skip-matching]``

Prints, from one run on this machine:
  * wall time of each policy at 20,000 candidates x 4,000 roles, 50 eligible roles per
    candidate (synthetic, seeded, popularity-skewed), K = 5, M = 20 (goals: optimal < 2 s,
    stable < 1 s);
  * the `matching` package's resident-optimal HospitalResident solve on a 5,000 x 1,000,
    K = 1, M = 5 instance against ``allocate_stable`` on the same instance, the speed ratio
    (goal >= 100x) and whether both matchings are identical;
  * the policy trade-off: stable total score as a share of the optimum, and the number of
    blocking pairs in the optimal result, at 20,000 x 4,000 and at 2,000 x 400.

This is a benchmark, not a test: the figures vary with machine load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from matchday.engine.allocate import (
    Allocation,
    AllocationInput,
    allocate_optimal,
    allocate_stable,
    blocking_pairs,
)


def synthetic_pairs(
    n_candidates: int, n_roles: int, degree: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each candidate gets ``degree`` distinct roles, drawn by popularity (Zipf-like, 0.7).

    Fits: a role's candidate_fit mixes the role's general appeal with the candidate's own
    taste; role_fit mixes the candidate's strength with the role's taste; the score is their
    mean. Returns candidate ids, role ids (strings), score, candidate_fit, role_fit.
    """
    rng = np.random.default_rng(seed)
    log_pop = np.log(1.0 / np.arange(1, n_roles + 1) ** 0.7)
    cands, roles = [], []
    for lo in range(0, n_candidates, 1000):  # Gumbel top-k = weighted sample w/o replacement
        hi = min(lo + 1000, n_candidates)
        keys = log_pop[None, :] + rng.gumbel(size=(hi - lo, n_roles))
        top = np.argpartition(-keys, degree - 1, axis=1)[:, :degree]
        cands.append(np.repeat(np.arange(lo, hi), degree))
        roles.append(top.ravel())
    c, r = np.concatenate(cands), np.concatenate(roles)
    appeal, strength = rng.random(n_roles), rng.random(n_candidates)
    cfit = 0.5 * appeal[r] + 0.5 * rng.random(c.size)
    rfit = 0.5 * strength[c] + 0.5 * rng.random(c.size)
    score = (cfit + rfit) / 2
    width_c, width_r = len(str(n_candidates)), len(str(n_roles))
    cid = np.char.add("c", np.char.zfill(c.astype(str), width_c))
    rid = np.char.add("r", np.char.zfill(r.astype(str), width_r))
    return cid, rid, score, cfit, rfit


def build(n_c: int, n_r: int, degree: int, seed: int, k: int, m: int) -> AllocationInput:
    cid, rid, score, cfit, rfit = synthetic_pairs(n_c, n_r, degree, seed)
    return AllocationInput.from_pairs(cid, rid, score, cfit, rfit, candidate_cap=k, role_cap=m)


CPU: dict[int, list[float]] = {}  # id(wall-times list) -> CPU times of the same runs


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    """Run ``fn`` ``repeat`` times; wall times returned, CPU (process) times kept in CPU."""
    times: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[id(times)] = cpu
    return result, times


def fmt(times: list[float]) -> str:
    runs = ", ".join(f"{t:.3f}" for t in times)
    cpu = CPU.get(id(times), [])
    cpu_part = f"; CPU median {statistics.median(cpu):.3f} s" if cpu else ""
    return f"wall median {statistics.median(times):6.3f} s (runs: {runs}){cpu_part}"


def median_cpu(times: list[float]) -> float:
    return statistics.median(CPU[id(times)])


def tradeoff(inp: AllocationInput, label: str) -> tuple[Allocation, Allocation]:
    opt, stab = allocate_optimal(inp), allocate_stable(inp)
    assert opt.total_score is not None and stab.total_score is not None
    n_opt = len(blocking_pairs(inp, opt))
    n_stab = len(blocking_pairs(inp, stab))
    c_rank = lambda a: statistics.mean(p.candidate_rank for p in a.proposals)  # noqa: E731
    print(f"  {label}: {inp.n_pairs:,} pairs")
    print(
        f"    optimal: total {opt.total_score:12.2f}, {len(opt.proposals):6,} proposals, "
        f"{n_opt:7,} blocking pairs ({n_opt / max(inp.n_pairs, 1):.1%} of pairs), "
        f"mean candidate rank {c_rank(opt):.2f}"
    )
    print(
        f"    stable : total {stab.total_score:12.2f}, {len(stab.proposals):6,} proposals, "
        f"{n_stab:7,} blocking pairs, mean candidate rank {c_rank(stab):.2f}"
    )
    print(f"    stable total / optimal total = {stab.total_score / opt.total_score:.4f}")
    return opt, stab


def matching_package_solve(inp: AllocationInput) -> set[tuple[str, str]]:
    from matching.games import HospitalResident

    residents: dict[str, list[tuple[int, str]]] = {}
    hospitals: dict[str, list[tuple[int, str]]] = {}
    for c, r, cr, rr in zip(
        inp.pair_candidate.tolist(),
        inp.pair_role.tolist(),
        inp.candidate_rank.tolist(),
        inp.role_rank.tolist(),
        strict=True,
    ):
        residents.setdefault(inp.candidate_ids[c], []).append((cr, inp.role_ids[r]))
        hospitals.setdefault(inp.role_ids[r], []).append((rr, inp.candidate_ids[c]))
    caps = dict(zip(inp.role_ids, inp.role_capacities().tolist(), strict=True))
    game = HospitalResident.create_from_dictionaries(
        {c: [r for _, r in sorted(v)] for c, v in residents.items()},
        {r: [c for _, c in sorted(v)] for r, v in hospitals.items()},
        {r: caps[r] for r in hospitals},
    )
    solution = game.solve(optimal="resident")
    return {(res.name, hosp.name) for hosp, rs in solution.items() for res in rs}


def in_deep_thread(fn: Callable[[], Any]) -> Any:
    """`matching` deep-copies recursively (its issue #139): raise the limits, use a thread."""
    out: list[Any] = []
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-matching", action="store_true")
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, 1-minute load average {load:.2f} (wall > CPU = load)")
    print("== 20,000 candidates x 4,000 roles, 50 eligible roles each, K = 5, M = 20 ==")
    cid, rid, score, cfit, rfit = synthetic_pairs(20_000, 4_000, 50, args.seed)
    big, t_build = timed(
        lambda: AllocationInput.from_pairs(
            cid, rid, score, cfit, rfit, candidate_cap=5, role_cap=20
        ),
        1,
    )
    print(f"  input build (validate, ids, ranks): {t_build[0]:.3f} s, {big.n_pairs:,} pairs")
    _, t_opt = timed(lambda: allocate_optimal(big), args.repeat)
    _, t_stab = timed(lambda: allocate_stable(big), args.repeat)
    _, t_block = timed(lambda: blocking_pairs(big, allocate_stable(big)), 1)
    for name, times, goal in (("allocate_optimal", t_opt, 2.0), ("allocate_stable ", t_stab, 1.0)):
        wall_ok, cpu_ok = statistics.median(times) < goal, median_cpu(times) < goal
        print(f"  {name}: {fmt(times)}   goal < {goal:.0f} s: wall {wall_ok}, CPU {cpu_ok}")
    print(f"  blocking_pairs (after a stable run): {t_block[0]:.3f} s including the run")

    print("\n== policy trade-off ==")
    tradeoff(big, "20,000 x 4,000, K = 5, M = 20")
    tradeoff(build(2_000, 400, 50, args.seed, 5, 20), "2,000 x 400, 50 roles each, K = 5, M = 20")
    tradeoff(build(5_000, 1_000, 20, args.seed, 1, 5), "5,000 x 1,000, 20 roles each, K = 1, M = 5")

    if args.skip_matching:
        return
    print("\n== vs the `matching` package: 5,000 x 1,000, 20 roles each, K = 1, M = 5 ==")
    small = build(5_000, 1_000, 20, args.seed, 1, 5)
    ours, t_ours = timed(lambda: allocate_stable(small), args.repeat)
    theirs, t_theirs = timed(lambda: in_deep_thread(lambda: matching_package_solve(small)), 1)
    same = {(p.candidate_id, p.role_id) for p in ours.proposals} == theirs
    print(f"  allocate_stable          : {fmt(t_ours)}")
    print(f"  matching HospitalResident: {fmt(t_theirs)} (dicts -> game -> resident-optimal)")
    ratio = statistics.median(t_theirs) / statistics.median(t_ours)
    ratio_cpu = median_cpu(t_theirs) / median_cpu(t_ours)
    print(
        f"  speed ratio: wall {ratio:,.0f}x, CPU {ratio_cpu:,.0f}x   goal >= 100x: {ratio >= 100}"
    )
    print(f"  identical matchings: {same} ({len(theirs):,} pairs)")


if __name__ == "__main__":
    main()
