"""Diagnostic: how matchable is the demo marketplace? Which hard constraints reject pairs?

Run: ``.venv/bin/python bench/demo_eligibility.py [--seed 42] [--candidates 300]
[--companies 40] [--roles 120] [--score]``

Seeds the demo into a throwaway SQLite file (migrated first, not timed), builds the engine's
data through ``matchdays.adapters`` (the participants a Match Day would take: active
candidates, open roles of vetted companies), runs the engine's ``check_constraints`` on
every pair and prints, per constraint, the share of pairs it rejects (as the *first*
failing check, in the engine's order, and as *any* failing check), the eligible share, the
share of candidates with at least one eligible role and of roles with at least one eligible
candidate, and eligibility per role type. With ``--score`` it also runs ``score_batch`` and
prints how many pairs it returns. Also prints the generator's wall time.

A diagnostic, not a test: the generator and the engine are deterministic, so the shares
are the same on every run (only the times vary with machine load).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _kind(role: object) -> str:
    policy = role.location_policy  # type: ignore[attr-defined]
    if policy != "remote":
        return policy
    countries = role.allowed_countries  # type: ignore[attr-defined]
    if not countries:
        return "remote, anywhere"
    return f"remote, {'1 country' if len(countries) == 1 else f'{len(countries)} countries'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--companies", type=int, default=40)
    parser.add_argument("--roles", type=int, default=120)
    parser.add_argument("--score", action="store_true", help="Also run score_batch.")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="matchday-elig-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/elig.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchday.config.settings.base")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from datetime import UTC, datetime

    from django.core.management import call_command

    from matchday.demo.generate import demo_generate
    from matchday.engine.scoring import check_constraints
    from matchday.matchdays.adapters import load_engine_data
    from matchday.matchdays.models import MatchDay

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_generate(
        seed=args.seed, candidates=args.candidates, companies=args.companies, roles=args.roles
    )
    gen_seconds = time.perf_counter() - started

    data = load_engine_data(MatchDay(release_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC)))
    cands, roles, rates = data.candidates, data.roles, data.rates
    pairs = len(cands) * len(roles)
    first: Counter[str] = Counter()
    anyf: Counter[str] = Counter()
    order: list[str] = []
    eligible = 0
    cand_ok: set[str] = set()
    role_ok: set[str] = set()
    by_type_pairs: Counter[str] = Counter()
    by_type_ok: Counter[str] = Counter()
    fit_pairs = 0  # pairs whose role type and level fit: what else rejects them?
    fit_any: Counter[str] = Counter()
    kind_pairs: Counter[str] = Counter()  # ... and by the role's location policy and reach
    kind_ok: Counter[str] = Counter()
    kind_any: dict[str, Counter[str]] = {}
    only: Counter[str] = Counter()  # pairs that fail one kind of constraint only
    geography = {"remote", "location", "timezone", "work_authorization"}
    dealbreakers = {"domain", "company_stage", "company_size"}
    for c in cands:
        for r in roles:
            checks = check_constraints(c, r, rates)
            if not order:
                order = [k.name for k in checks]
            failed = [k.name for k in checks if not k.passed]
            by_type_pairs[r.role_type] += 1
            if not {"role_type", "level"} & set(failed):
                fit_pairs += 1
                fit_any.update(set(failed))
                kind = _kind(r)
                kind_pairs[kind] += 1
                kind_ok[kind] += not failed
                kind_any.setdefault(kind, Counter()).update(set(failed))
            kinds = {
                "geography" if n in geography else "dealbreaker" if n in dealbreakers else n
                for n in failed
            }
            if len(kinds) == 1:
                only[kinds.pop()] += 1
            if failed:
                first[failed[0]] += 1
                anyf.update(set(failed))
            else:
                eligible += 1
                cand_ok.add(c.id)
                role_ok.add(r.id)
                by_type_ok[r.role_type] += 1

    print(
        f"seed {args.seed}: {args.candidates} candidates / {args.companies} companies / "
        f"{args.roles} roles generated in {gen_seconds:.1f} s"
    )
    print(f"participants: {len(cands)} active candidates x {len(roles)} open roles = {pairs} pairs")
    if data.skipped:
        print(f"skipped by the adapters: {data.skipped}")
    print(
        f"\n{'constraint':<20} {'first failing':>14} {'any failing':>12} "
        f"{'any, of pairs with role type + level fitting':>46}"
    )
    names = order + sorted((set(first) | set(anyf)) - set(order))
    for name in names:
        print(
            f"{name:<20} {first[name] / pairs:>13.1%} {anyf[name] / pairs:>11.1%} "
            f"{fit_any[name] / max(1, fit_pairs):>46.1%}"
        )
    print(f"pairs whose role type and level fit: {fit_pairs} ({fit_pairs / pairs:.1%})")
    shown = [n for n in names if n not in ("role_type", "level")]
    print("\nof pairs with role type + level fitting, by the role's location policy (any failing)")
    print(f"{'policy':<22} {'pairs':>6} {'eligible':>9} " + " ".join(f"{n[:9]:>9}" for n in shown))
    for kind in sorted(kind_pairs):
        n = kind_pairs[kind]
        print(
            f"{kind:<22} {n:>6} {kind_ok[kind] / n:>9.1%} "
            + " ".join(f"{kind_any[kind][x] / n:>9.1%}" for x in shown)
        )
    print(
        "pairs failing one kind of constraint only: "
        + ", ".join(f"{k} {v} ({v / pairs:.2%})" for k, v in only.most_common())
    )
    print(f"\neligible pairs: {eligible} of {pairs} ({eligible / pairs:.2%})")
    print(
        f"candidates with >= 1 eligible role: {len(cand_ok)} of {len(cands)} "
        f"({len(cand_ok) / max(1, len(cands)):.1%})"
    )
    print(
        f"roles with >= 1 eligible candidate: {len(role_ok)} of {len(roles)} "
        f"({len(role_ok) / max(1, len(roles)):.1%})"
    )
    # What if every role also accepted the next level up, on top of the levels its company
    # already accepts (Role.accepted_levels)?
    levels = ("junior", "mid", "senior", "staff", "principal")
    widened = [
        dataclasses.replace(
            r,
            allowed_levels=tuple(
                lv
                for lv in levels
                if lv in (r.allowed_levels or (r.level,))
                or lv == levels[min(levels.index(r.level) + 1, len(levels) - 1)]
            ),
        )
        for r in roles
    ]
    wide_ok = sum(
        all(k.passed for k in check_constraints(c, r, rates)) for c in cands for r in widened
    )
    print(f"what-if every role also accepted the next level up: {wide_ok / pairs:.2%} eligible")
    wanted = Counter(t for c in cands for t in c.role_types)
    print(f"\n{'role type':<20} {'open roles':>10} {'cands want':>10} {'eligible':>9}")
    for rt in sorted(set(by_type_pairs) | set(wanted)):
        n_roles = sum(1 for r in roles if r.role_type == rt)
        share = by_type_ok[rt] / by_type_pairs[rt] if by_type_pairs[rt] else 0.0
        print(f"{rt:<20} {n_roles:>10} {wanted[rt]:>10} {share:>9.1%}")

    if args.score:  # the vectorised path must find the same pairs
        import numpy as np

        from matchday.engine.batch import score_batch
        from matchday.engine.taxonomy import load_taxonomy

        unit = np.full((1, 4), 0.5, np.float32)  # text similarity plays no part in eligibility
        started = time.perf_counter()
        result = score_batch(
            cands,
            roles,
            taxonomy=load_taxonomy(),
            rates=rates,
            embeddings=(np.repeat(unit, len(cands), 0), np.repeat(unit, len(roles), 0)),
            explain=False,
        )
        with_intro = sum(1 for top in result.top_by_candidate.values() if top)
        print(
            f"\nscore_batch: {time.perf_counter() - started:.2f} s, {result.eligible_pairs} "
            f"eligible pairs, {with_intro} candidates with a returned pair"
        )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
