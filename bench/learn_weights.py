"""Figures: the score's weights learned from the demo's decision history vs the defaults.

Run: ``.venv/bin/python bench/learn_weights.py [--seed 42] [--reuse PATH.sqlite3]``

Seeds the demo (``manage.py demo_seed``: the marketplace and the story, whose partner and
companies decide with chance by ``demo.story.PEOPLE_TASTE``) into a throwaway SQLite file
(migrated first; ``--reuse`` keeps and reuses a seeded file), then does what a partner's
"propose new weights" does (``learning.services.weights_fit_execute``): derives the labelled
decisions from the stored rows, fits on the older ones, compares on the most recent ones
held out. Prints the decisions per stage, the default and the learned weights, NDCG and
precision@3 of both on the held-out decisions (overall and per stage), the scoring-rate
impact ratios under both, and the time to derive the examples and to fit.

A figure, not a test: the demo is deterministic for a seed apart from dates, and the fit is
deterministic, so the numbers repeat (only the times vary with machine load).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reuse", help="A SQLite file to seed once and reuse.")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="matchday-learn-")
    path = Path(args.reuse) if args.reuse else Path(tmp.name) / "learn.sqlite3"
    seeded = path.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchday.config.settings.base")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from matchday.accounts.models import User
    from matchday.demo.logins import DEMO_LOGINS
    from matchday.engine.learn import LEARNED_WEIGHTS, propose_weights
    from matchday.learning import selectors
    from matchday.matchdays.weights import current_scoring_weights

    if not seeded:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("demo_seed", seed=args.seed, verbosity=0)
        print(f"demo seeded in {time.perf_counter() - started:.1f} s (not part of the figures)")
    partner = User.objects.get(email=DEMO_LOGINS["partner"])

    clock, cpu = time.perf_counter(), time.process_time()
    found = selectors.decision_examples(user=partner)
    demographics = selectors.example_demographics(user=partner, examples=found.examples)
    derive = (time.perf_counter() - clock, time.process_time() - cpu)
    version, current = current_scoring_weights()
    clock, cpu = time.perf_counter(), time.process_time()
    comparison = propose_weights(found.examples, current, demographics=demographics)
    fit_t = (time.perf_counter() - clock, time.process_time() - cpu)
    r = comparison.to_dict()

    print(f"\nseed {args.seed}, {timezone.now():%Y-%m-%d}; weights in use: version {version}")
    positives = sum(e.label for e in found.examples)
    print(
        f"decisions: {len(found.examples)} ({positives} positive) — "
        + ", ".join(f"{k} {v}" for k, v in found.per_stage.items())
        + f"; limit {found.limit}{' (capped)' if found.capped else ''}"
    )
    print(f"fit on {r['train']} older decisions, compared on {r['test']} from {r['split_at'][:16]}")
    fit = r["fit"]
    print(
        f"fit: {fit['iterations']} iterations, converged {fit['converged']}, "
        f"slope {fit['slope']:.3f}, intercept {fit['intercept']:.3f}, loss {fit['loss']:.4f}"
    )
    print(f"\n{'weight':<18}{'default':>10}{'learned':>10}{'change':>10}")
    for k in LEARNED_WEIGHTS:
        a, b = r["current"][k], r["proposed"][k]
        print(f"{k:<18}{a:>10.4f}{b:>10.4f}{b - a:>+10.4f}")
    before, after = r["before"], r["after"]
    print(f"\n{'held out':<32}{'default':>10}{'learned':>10}")
    print(f"{'NDCG (whole ranking)':<32}{before['ndcg']:>10.4f}{after['ndcg']:>10.4f}")
    print(
        f"{'precision@' + str(before['k']):<32}{before['precision']:>10.4f}{after['precision']:>10.4f}"
    )
    print(f"{'rankings (mixed outcomes)':<32}{before['rankings']:>10}{after['rankings']:>10}")
    for stage, m in r["per_stage"].items():
        label = f"NDCG {stage} ({m['examples']} ex, {m['rankings']} rk)"
        print(f"{label:<32}{m['ndcg_current']:>10.4f}{m['ndcg_proposed']:>10.4f}")
    fairness = r["fairness"]
    if fairness:
        print(
            f"\nscoring-rate impact ratios ({fairness['people']} held-out decisions, "
            f"{fairness['unknown']} unknown); guard {'passed' if fairness['passed'] else 'FAILED'}"
        )
        for row in fairness["rows"]:
            cur = "—" if row["current"] is None else f"{row['current']:.3f}"
            new = "—" if row["proposed"] is None else f"{row['proposed']:.3f}"
            flag = "  WORSENED" if row["worsened"] else ""
            print(
                f"  {row['dimension']:<15}{row['category']:<45}{row['count']:>5}{cur:>8}{new:>8}{flag}"
            )
    print(
        f"\nderive examples: {derive[0]:.3f} s wall, {derive[1]:.3f} s CPU; "
        f"fit + compare: {fit_t[0]:.3f} s wall, {fit_t[1]:.3f} s CPU"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
