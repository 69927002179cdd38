"""Benchmark: the demo-data generator (``manage.py demo_seed``) at several sizes.

Run: ``.venv/bin/python bench/demo_generate.py [--quick] [--seed 42] [--batch-size 1000]``

Each size runs in a fresh process against a throwaway SQLite file (migrated first, not
timed), and — when ``DATABASE_URL`` points at PostgreSQL — again against a throwaway
database created on that server and dropped afterwards. Prints, per size: wall time of the
generation, rows written (all tables), rows/s, candidates/s, the rate as a ratio of the
smallest size's rate in the same run, CPU seconds (less sensitive to a busy machine than
wall time), and the process's peak RSS. The last size is the full
100,000 candidates + 10,000 roles + 2,000 companies (skipped with ``--quick``).

This is a benchmark, not a test: the figures vary with machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = [  # (candidates, companies, roles)
    (1_000, 100, 100),
    (10_000, 400, 1_000),
    (100_000, 2_000, 10_000),
]


def child(args: argparse.Namespace) -> None:
    """Migrate the database named by DATABASE_URL, then time the generator; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchday.config.settings.base")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from matchday.demo.generate import demo_generate

    call_command("migrate", verbosity=0)
    started, cpu_started = time.perf_counter(), time.process_time()
    counts = demo_generate(
        seed=args.seed,
        candidates=args.candidates,
        companies=args.companies,
        roles=args.roles,
        batch_size=args.batch_size,
    )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps({"counts": counts, "seconds": seconds, "cpu": cpu, "peak_mib": peak_kib / 1024})
    )


def run_one(
    database_url: str, size: tuple[int, int, int], seed: int, batch: int
) -> dict[str, object]:
    candidates, companies, roles = size
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"}
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--seed",
        str(seed),
        "--batch-size",
        str(batch),
        "--candidates",
        str(candidates),
        "--companies",
        str(companies),
        "--roles",
        str(roles),
    ]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def postgres_database(url: str) -> tuple[str, Callable[[], None]]:
    """Create a throwaway database next to the one in ``url``; return its URL and a dropper."""
    import psycopg

    name = f"matchday_bench_{uuid.uuid4().hex[:8]}"
    base, _, _ = url.rpartition("/")
    admin_url = f"{base}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Skip the 100,000-candidate run.")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--candidates", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--companies", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--roles", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0

    sizes = SIZES[:-1] if args.quick else SIZES
    backends = ["sqlite"]
    pg_url = os.environ.get("DATABASE_URL", "")
    if pg_url.startswith(("postgres://", "postgresql://")):
        backends.append("postgresql")
    print(f"demo generator, seed {args.seed}, batch size {args.batch_size}, cpus {os.cpu_count()}")
    header = (
        f"{'backend':<10} {'candidates':>10} {'companies':>9} {'roles':>7} {'rows':>10} "
        f"{'wall s':>7} {'cpu s':>6} {'rows/s':>7} {'rows/cpu-s':>10} {'cand/s':>7} "
        f"{'rate vs smallest':>16} {'peak MiB':>9}"
    )
    print(header)
    for backend in backends:
        baseline = None
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="matchday-bench-") as tmp:
                if backend == "sqlite":
                    url, drop = f"sqlite:///{tmp}/bench.sqlite3", (lambda: None)
                else:
                    url, drop = postgres_database(pg_url)
                try:
                    result = run_one(url, size, args.seed, args.batch_size)
                finally:
                    drop()
            rows = sum(result["counts"].values())
            rate = rows / result["seconds"]
            baseline = baseline or rate
            print(
                f"{backend:<10} {size[0]:>10,} {size[1]:>9,} {size[2]:>7,} {rows:>10,} "
                f"{result['seconds']:>7.1f} {result['cpu']:>6.1f} {rate:>7,.0f} "
                f"{rows / result['cpu']:>10,.0f} {size[0] / result['seconds']:>7,.0f} "
                f"{rate / baseline:>15.2f}x {result['peak_mib']:>9.0f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
