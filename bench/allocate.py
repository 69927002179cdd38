"""Benchmark: Match Day allocation, end to end and like for like against its peers.

Run: ``.venv/bin/python bench/allocate.py [--seed 0] [--repeat 3] [--skip-matching]``

Every ratio compares two clocks that cover the same work, from the same input to the same
output (stated beside each figure); CPU seconds are printed beside wall time, which on a
shared machine is mostly waiting.

* **Optimal, end to end, vs OR-Tools direct** (20,000 candidates x 4,000 roles, 50 eligible
  roles each, 1 M pairs, K = 5, M = 20; goal <= 1.2x). Both clocks start from the same
  columns (string ids, scores, fits) and end with the chosen (candidate id, role id, score)
  pairs: the engine's ``AllocationInput.from_pairs`` + ``allocate_optimal`` (validation,
  ids, ranks, flow, proposals) against a minimal direct build of the same min-cost flow
  (ids factorised with numpy, arcs added as arrays, the same integer costs, solve, flows
  read back to id pairs). ``allocate_optimal`` alone is printed beside it (one-sided).
* **Stable, end to end, vs `matching`** (5,000 x 1,000, 20 roles each, K = 1, M = 5; goal
  >= 100x, identical matchings). Both clocks start from the same preference dicts and end
  with the matched pairs: ``from_preferences`` + ``allocate_stable`` against
  ``HospitalResident.create_from_dictionaries`` + ``solve``. The solve-only ratio is
  printed beside it (one-sided: the input building left out).
* **CLI vs in-process** (the 1 M-pair file; goal <= 1.5x): the wall time of
  ``python -m matchday.engine allocate FILE`` (interpreter start, imports, reading and
  parsing the file, validation, allocation, writing the output) against the in-process
  ``read_json`` + ``parse_input`` + ``build_output`` of the same file in this process.
* The policy trade-off: stable total score as a share of the optimum, and blocking pairs.

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


def in_deep_thread(fn: Callable[[], Any]) -> Any:
    """`matching` deep-copies recursively (its issue #139): raise the limits, use a thread."""
    out: list[Any] = []
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def direct_ortools(
    cid: np.ndarray, rid: np.ndarray, score: np.ndarray, k: int, m: int
) -> list[tuple[str, str, float]]:
    """The same min-cost flow as ``allocate_optimal``, built and solved directly."""
    from ortools.graph.python import min_cost_flow

    cands, ci = np.unique(cid, return_inverse=True)
    roles, ri = np.unique(rid, return_inverse=True)
    n_c, n_r, n_e = len(cands), len(roles), len(ci)
    weight = np.maximum(np.rint(score / (score.max() / float(1 << 30))), 1).astype(np.int64)
    cap_c = np.minimum(k, np.bincount(ci, minlength=n_c))
    cap_r = np.minimum(m, np.bincount(ri, minlength=n_r))
    flow = int(min(cap_c.sum(), cap_r.sum()))
    src, sink = n_c + n_r, n_c + n_r + 1
    tails = np.concatenate([np.full(n_c, src), ci, n_c + np.arange(n_r), [src]]).astype(np.int32)
    heads = np.concatenate([np.arange(n_c), n_c + ri, np.full(n_r, sink), [sink]]).astype(np.int32)
    capacity = np.concatenate([cap_c, np.ones(n_e, np.int64), cap_r, [flow]]).astype(np.int64)
    cost = np.concatenate([np.zeros(n_c, np.int64), -weight, np.zeros(n_r + 1, np.int64)])
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, cost)
    supply = np.zeros(n_c + n_r + 2, dtype=np.int64)
    supply[src], supply[sink] = flow, -flow
    solver.set_nodes_supplies(np.arange(n_c + n_r + 2, dtype=np.int32), supply)
    assert solver.solve() == solver.OPTIMAL
    used = solver.flows(np.arange(n_c, n_c + n_e, dtype=np.int32)) > 0
    return list(
        zip(cands[ci[used]].tolist(), roles[ri[used]].tolist(), score[used].tolist(), strict=True)
    )


def preference_dicts(
    inp: AllocationInput,
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """The instance as plain preference lists (most preferred first) and role capacities."""
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
    return (
        {c: [r for _, r in sorted(v)] for c, v in residents.items()},
        {r: [c for _, c in sorted(v)] for r, v in hospitals.items()},
        {r: caps[r] for r in hospitals},
    )


def matching_create_and_solve(
    residents: dict[str, list[str]], hospitals: dict[str, list[str]], caps: dict[str, int]
) -> tuple[set[tuple[str, str]], float]:
    """`matching`'s resident-optimal solve from the dicts; also returns its solve-only CPU."""
    from matching.games import HospitalResident

    game = HospitalResident.create_from_dictionaries(residents, hospitals, caps)
    start = time.process_time()
    solution = game.solve(optimal="resident")
    solve_cpu = time.process_time() - start
    return {(res.name, hosp.name) for hosp, rs in solution.items() for res in rs}, solve_cpu


def ratio_line(label: str, ours: list[float], theirs: list[float], goal: str) -> None:
    wall = statistics.median(theirs) / statistics.median(ours)
    cpu = median_cpu(theirs) / median_cpu(ours)
    print(f"  {label}: wall {wall:,.2f}x, CPU {cpu:,.2f}x   ({goal})")


def cli_vs_in_process(cid, rid, score, cfit, rfit, repeat: int) -> None:
    import json
    import resource
    import subprocess
    import tempfile

    from matchday.engine import cli_allocate
    from matchday.engine.io import read_json

    pairs = [
        {"candidate_id": c, "role_id": r, "score": s, "candidate_fit": cf, "role_fit": rf}
        for c, r, s, cf, rf in zip(
            cid.tolist(), rid.tolist(), score.tolist(), cfit.tolist(), rfit.tolist(), strict=True
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pairs.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"kind": "pairs", "pairs": pairs}, fh)
        del pairs
        size = os.path.getsize(path) / 1e6

        def in_process() -> dict[str, Any]:
            data = read_json(path, allow_nan=True)
            inp = cli_allocate.parse_input(data, candidate_cap=5, role_cap=20)
            return cli_allocate.build_output(data, inp, policy="optimal")

        _, t_in = timed(in_process, repeat)
        cmd = [
            sys.executable,
            "-m",
            "matchday.engine",
            "allocate",
            path,
            "--candidate-cap",
            "5",
            "--role-cap",
            "20",
            "-o",
            os.path.join(tmp, "out.json"),
        ]
        t_cli: list[float] = []
        cpu_cli: list[float] = []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True)
            t_cli.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_cli.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        CPU[id(t_cli)] = cpu_cli
    print(f"  file: {size:,.0f} MB, 1,000,000 pairs")
    print(f"  in-process read_json + parse_input + build_output: {fmt(t_in)}")
    print(f"  CLI `python -m matchday.engine allocate` (start-up to exit): {fmt(t_cli)}")
    ratio_line("CLI / in-process", t_in, t_cli, "goal <= 1.5x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-matching", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, 1-minute load average {load:.2f} (wall > CPU = load)")
    print("== optimal, end to end: 20,000 x 4,000, 50 eligible roles each, K = 5, M = 20 ==")
    cid, rid, score, cfit, rfit = synthetic_pairs(20_000, 4_000, 50, args.seed)

    def engine_optimal() -> Allocation:
        inp = AllocationInput.from_pairs(cid, rid, score, cfit, rfit, candidate_cap=5, role_cap=20)
        return allocate_optimal(inp)

    ours, t_ours = timed(engine_optimal, args.repeat)
    theirs, t_direct = timed(lambda: direct_ortools(cid, rid, score, 5, 20), args.repeat)
    big = AllocationInput.from_pairs(cid, rid, score, cfit, rfit, candidate_cap=5, role_cap=20)
    _, t_opt = timed(lambda: allocate_optimal(big), args.repeat)
    _, t_stab = timed(lambda: allocate_stable(big), args.repeat)
    total_direct = sum(s for _, _, s in theirs)
    print(f"  engine from_pairs + allocate_optimal (columns -> proposals): {fmt(t_ours)}")
    print(f"  OR-Tools direct (columns -> factorise, arcs, solve -> pairs): {fmt(t_direct)}")
    ratio_line("engine / direct", t_direct, t_ours, "goal <= 1.2x")
    same = {(p.candidate_id, p.role_id) for p in ours.proposals} == {(c, r) for c, r, _ in theirs}
    print(
        f"  same total score: {abs((ours.total_score or 0) - total_direct) < 1e-6} "
        f"({total_direct:,.4f}); same pairs: {same}"
    )
    print(f"  one-sided, input already built: allocate_optimal {fmt(t_opt)}")
    print(f"  one-sided, input already built: allocate_stable  {fmt(t_stab)}")
    _, t_block = timed(lambda: blocking_pairs(big, allocate_stable(big)), 1)
    print(f"  blocking_pairs (after a stable run): {t_block[0]:.3f} s including the run")

    print("\n== policy trade-off ==")
    tradeoff(big, "20,000 x 4,000, K = 5, M = 20")
    tradeoff(build(2_000, 400, 50, args.seed, 5, 20), "2,000 x 400, 50 roles each, K = 5, M = 20")
    tradeoff(build(5_000, 1_000, 20, args.seed, 1, 5), "5,000 x 1,000, 20 roles each, K = 1, M = 5")

    if not args.skip_cli:
        print("\n== CLI vs in-process: the same 1 M-pair file, optimal, K = 5, M = 20 ==")
        cli_vs_in_process(cid, rid, score, cfit, rfit, args.repeat)

    if args.skip_matching:
        return
    print("\n== stable, end to end, vs `matching`: 5,000 x 1,000, 20 roles each, K = 1, M = 5 ==")
    small = build(5_000, 1_000, 20, args.seed, 1, 5)
    residents, hospitals, caps = preference_dicts(small)

    def engine_stable() -> Allocation:
        inp = AllocationInput.from_preferences(
            residents, hospitals, candidate_cap=1, role_cap=5, role_caps=caps
        )
        return allocate_stable(inp)

    ours_s, t_ours_s = timed(engine_stable, args.repeat)
    _, t_solve_s = timed(lambda: allocate_stable(small), args.repeat)
    (theirs_s, solve_cpu), t_theirs = timed(
        lambda: in_deep_thread(lambda: matching_create_and_solve(residents, hospitals, caps)), 1
    )
    same = {(p.candidate_id, p.role_id) for p in ours_s.proposals} == theirs_s
    print(f"  engine from_preferences + allocate_stable (dicts -> proposals): {fmt(t_ours_s)}")
    print(f"  matching create_from_dictionaries + solve (dicts -> pairs):    {fmt(t_theirs)}")
    ratio_line("matching / engine, end to end", t_ours_s, t_theirs, "goal >= 100x")
    print(
        f"  one-sided: matching solve only {solve_cpu:.2f} CPU-s vs allocate_stable alone "
        f"{median_cpu(t_solve_s):.3f} CPU-s = {solve_cpu / median_cpu(t_solve_s):,.0f}x "
        "(input building left out of both)"
    )
    print(f"  identical matchings: {same} ({len(theirs_s):,} pairs)")


if __name__ == "__main__":
    main()
