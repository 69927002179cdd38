"""Benchmark batch scoring: pairs per second and peak memory, against the per-pair path.

What each clock covers: **batch** = ``score_batch(..., explain=False)``: every pair scored
(float32 screen), the shortlisted pairs scored exactly (float64) and both sides' top-k
taken, no explanations built; **per-pair** = the reference path
(``score_pair_vectors``) on every pair, which computes each pair's explanation on the way
(it has no cheaper mode), then the same top-k. The ratio is therefore an upper bound of what
vectorising buys for scoring alone; text embeddings are inputs on both sides.

    .venv/bin/python bench/score.py            # 10k x 1k, 100k x 10k, and the per-pair sample
    .venv/bin/python bench/score.py --quick    # 10k x 1k and the per-pair sample only

Inputs are synthetic and deterministic (seeded): 8-15 skills per candidate drawn from the
real taxonomy with a skewed popularity, 4-8 required and 0-3 nice-to-have skills per role,
8 countries, 4 currencies, a mix of remote/hybrid/on-site roles. Text embeddings are
seeded random unit vectors of dimension 128 (the encoder's cost is not part of scoring).
Each size runs in a fresh process so its peak RSS (``resource.getrusage``) is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from matchday.engine.batch import score_batch
from matchday.engine.scoring import ScoringWeights, score_pair_vectors
from matchday.engine.taxonomy import load_taxonomy
from matchday.engine.types import (
    LEVELS,
    Candidate,
    Money,
    Rates,
    RequiredSkill,
    Role,
    SkillClaim,
)

COUNTRIES = ["US", "CA", "GB", "DE", "NL", "PL", "IN", "BR"]
COUNTRY_P = [0.3, 0.08, 0.12, 0.12, 0.06, 0.08, 0.16, 0.08]
CITIES = {c: [f"{c}-city-{k}" for k in range(2)] for c in COUNTRIES}
TZ = {"US": -6.0, "CA": -5.0, "GB": 0.0, "DE": 1.0, "NL": 1.0, "PL": 1.0, "IN": 5.5, "BR": -3.0}
CURRENCY = {
    "US": "USD",
    "CA": "USD",
    "GB": "GBP",
    "DE": "EUR",
    "NL": "EUR",
    "PL": "EUR",
    "IN": "INR",
    "BR": "USD",
}
RATES = Rates("USD", {"EUR": 1.08, "GBP": 1.27, "INR": 0.012})
PAY_USD = {
    "US": 170000,
    "CA": 130000,
    "GB": 110000,
    "DE": 100000,
    "NL": 100000,
    "PL": 60000,
    "IN": 35000,
    "BR": 50000,
}
ROLE_TYPES = [
    "ml_engineering",
    "research_engineering",
    "infrastructure",
    "sre",
    "data_engineering",
    "product",
    "data_science",
]
DOMAINS = [
    "ai-infra",
    "health",
    "fintech",
    "e-commerce",
    "saas",
    "robotics",
    "edtech",
    "legal-tech",
    "devtools",
    "foundation-models",
    "security",
    "climate",
]
STAGES = ["seed", "series-a", "series-b", "series-c", "public"]
SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"]


def _money_local(usd: float, country: str) -> Money:
    cur = CURRENCY[country]
    return Money(int(round(usd / RATES.to_base[cur], -3)), cur, "year")


def generate(n: int, m: int, seed: int = 7) -> tuple[list[Candidate], list[Role]]:
    rng = np.random.default_rng(seed)
    tax = load_taxonomy()
    skill_ids = [s.id for s in tax.skills]
    pop = 1.0 / np.arange(1, len(skill_ids) + 1) ** 0.8
    pop /= pop.sum()
    candidates = []
    for i in range(n):
        country = COUNTRIES[rng.choice(len(COUNTRIES), p=COUNTRY_P)]
        k = int(rng.integers(8, 16))
        picks = rng.choice(len(skill_ids), size=k, replace=False, p=pop)
        levels = rng.integers(1, 6, size=k)
        years = float(rng.gamma(2.0, 3.0))
        pref = ["remote", "hybrid", "onsite"][int(rng.choice(3, p=[0.5, 0.35, 0.15]))]
        candidates.append(
            Candidate(
                id=f"c{i}",
                skills=tuple(
                    SkillClaim(skill_ids[s], int(lv), float(rng.integers(0, 8)))
                    for s, lv in zip(picks, levels, strict=True)
                ),
                years_experience=round(years, 1),
                level=LEVELS[min(4, int(years // 3))],
                country=country,
                city=CITIES[country][int(rng.integers(0, 2))],
                timezone=TZ[country],
                remote_preference=pref,  # type: ignore[arg-type]
                acceptable_countries=frozenset(rng.choice(COUNTRIES, size=int(rng.integers(0, 2)))),
                work_authorization=frozenset({country})
                | frozenset(rng.choice(COUNTRIES, size=int(rng.integers(0, 2)))),
                role_types=frozenset(rng.choice(ROLE_TYPES, size=int(rng.integers(1, 4)))),
                domains=frozenset(rng.choice(DOMAINS, size=int(rng.integers(0, 3)))),
                company_stages=frozenset(rng.choice(STAGES, size=int(rng.integers(0, 3)))),
                min_pay=_money_local(PAY_USD[country] * rng.uniform(0.7, 1.3), country),
                dealbreakers=frozenset(
                    rng.choice(["domain", "company_stage", "pay"], size=int(rng.integers(0, 2)))
                ),
                preference_weights={"pay": float(rng.uniform(0.5, 2.0))},
            )
        )
    roles = []
    for j in range(m):
        country = COUNTRIES[rng.choice(len(COUNTRIES), p=COUNTRY_P)]
        policy = ["remote", "hybrid", "onsite"][int(rng.choice(3, p=[0.6, 0.25, 0.15]))]
        k = int(rng.integers(4, 9))
        picks = rng.choice(len(skill_ids), size=k + 3, replace=False, p=pop)
        level = int(rng.integers(0, 5))
        mid = PAY_USD[country] * rng.uniform(0.8, 1.4)
        ymin = float(rng.integers(0, 8))
        roles.append(
            Role(
                id=f"r{j}",
                company_id=f"co{j // 3}",
                title=f"role {j}",
                level=LEVELS[level],
                allowed_levels=tuple(LEVELS[max(0, level - 1) : level + 2]),
                role_type=str(rng.choice(ROLE_TYPES)),
                pay_band_min=_money_local(mid * 0.85, country),
                pay_band_max=_money_local(mid * 1.15, country),
                required_skills=tuple(
                    RequiredSkill(
                        skill_ids[s], int(rng.integers(2, 5)), float(rng.choice([0.5, 1.0, 2.0]))
                    )
                    for s in picks[:k]
                ),
                nice_to_have=tuple(
                    RequiredSkill(skill_ids[s], int(rng.integers(1, 4)))
                    for s in picks[k : k + int(rng.integers(0, 4))]
                ),
                domains=frozenset(rng.choice(DOMAINS, size=int(rng.integers(1, 3)))),
                company_stage=str(rng.choice(STAGES)),
                company_size=str(rng.choice(SIZES)),
                location_policy=policy,  # type: ignore[arg-type]
                allowed_countries=frozenset({country})
                | (frozenset(rng.choice(COUNTRIES, size=2)) if policy == "remote" else frozenset()),
                timezone_range=(TZ[country] - 4, TZ[country] + 4) if policy == "remote" else None,
                cities=frozenset({CITIES[country][int(rng.integers(0, 2))]})
                if policy != "remote"
                else frozenset(),
                years_min=ymin,
                years_max=None if rng.random() < 0.7 else ymin + 8,
            )
        )
    return candidates, roles


def embeddings(n: int, m: int, seed: int = 11) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for k in (n, m):
        e = rng.standard_normal((k, 128)).astype(np.float32)
        e /= np.linalg.norm(e, axis=1, keepdims=True)
        out.append(e)
    return out[0], out[1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n: int, m: int, k: int) -> dict[str, float]:
    t0 = time.perf_counter()
    cands, roles = generate(n, m)
    emb = embeddings(n, m)
    t_gen = time.perf_counter() - t0
    tax = load_taxonomy()
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    res = score_batch(
        cands,
        roles,
        taxonomy=tax,
        rates=RATES,
        embeddings=emb,
        top_k_per_role=k,
        top_k_per_candidate=10,
        explain=False,
    )
    t_score = time.perf_counter() - t0
    return {
        "n": n,
        "m": m,
        "generate_s": t_gen,
        "score_s": t_score,
        "pairs": res.pairs_scored,
        "eligible": res.eligible_pairs,
        "pairs_per_s": res.pairs_scored / t_score,
        "peak_rss_mb": peak_rss_mb(),
        "rss_before_scoring_mb": rss_before,
    }


def run_per_pair(n: int, m: int) -> dict[str, float]:
    cands, roles = generate(n, m)
    ce, re_ = embeddings(n, m)
    tax = load_taxonomy()
    w = ScoringWeights()
    t0 = time.perf_counter()
    res = score_batch(
        cands,
        roles,
        taxonomy=tax,
        rates=RATES,
        embeddings=(ce, re_),
        top_k_per_role=50,
        top_k_per_candidate=10,
        explain=False,
    )
    t_batch = time.perf_counter() - t0
    t0 = time.perf_counter()
    worst = 0.0
    best = {r.id: [] for r in roles}
    for i, c in enumerate(cands):
        for j, r in enumerate(roles):
            ps = score_pair_vectors(c, r, ce[i], re_[j], taxonomy=tax, rates=RATES, weights=w)
            if ps.eligible:
                best[r.id].append(ps.score)
    t_pair = time.perf_counter() - t0
    for r in roles:
        top = sorted((round(x, 6) for x in best[r.id]), reverse=True)[:50]
        got = sorted((p.score for p in res.top_by_role[r.id]), reverse=True)
        worst = max([worst, *(abs(a - b) for a, b in zip(top, got, strict=True))])
        assert len(top) == len(got)
    return {
        "n": n,
        "m": m,
        "per_pair_s": t_pair,
        "batch_s": t_batch,
        "per_pair_pairs_per_s": n * m / t_pair,
        "batch_pairs_per_s": n * m / t_batch,
        "max_top50_score_diff": worst,
    }


def _child(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", nargs=3, type=int, metavar=("N", "M", "K"))
    parser.add_argument("--per-pair", nargs=2, type=int, metavar=("N", "M"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(*args.child)))
        return
    if args.per_pair:
        print(json.dumps(run_per_pair(*args.per_pair)))
        return
    pp = _child(["--per-pair", "1000", "100"])
    print(
        f"per-pair path, 1,000 x 100: {pp['per_pair_s']:.2f} s = "
        f"{pp['per_pair_pairs_per_s']:,.0f} pairs/s; batch on the same sample "
        f"{pp['batch_s']:.3f} s = {pp['batch_pairs_per_s']:,.0f} pairs/s "
        f"(max |top-50 score diff| after rounding to 6 decimals: "
        f"{pp['max_top50_score_diff']:.1e}; 0 = the same numbers)"
    )
    sizes = [(10_000, 1_000)] if args.quick else [(10_000, 1_000), (100_000, 10_000)]
    for n, m in sizes:
        r = _child(["--child", str(n), str(m), "50"])
        print(
            f"batch {n:,} x {m:,} (top-50 per role, top-10 per candidate): "
            f"{r['score_s']:.2f} s = {r['pairs_per_s']:,.0f} pairs/s, "
            f"eligible {r['eligible'] / r['pairs']:.1%}, peak RSS {r['peak_rss_mb']:,.0f} MB "
            f"(inputs alone {r['rss_before_scoring_mb']:,.0f} MB; generating inputs "
            f"{r['generate_s']:.1f} s, not timed); "
            f"speed-up vs per-pair path {r['pairs_per_s'] / pp['per_pair_pairs_per_s']:,.0f}x"
        )


if __name__ == "__main__":
    main()
