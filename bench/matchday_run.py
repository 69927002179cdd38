"""Wall time of a Match Day curation run through the real task path, and web latency during it.

Seeds a throwaway SQLite database with the demo generator (``manage.py demo_seed``), creates a
Match Day and queues its curation run through the service (as the page does), then runs the
queue with a real ``manage.py db_worker --batch`` subprocess. While the worker runs, this
process keeps requesting the Match Day's page and the run's progress partial (Django test
client, same database) and reports their latencies against a baseline taken before the run.

Prints wall time per phase (from the run's own stats: load rows + store the input, encode
texts, score and shortlist, allocate, explain the chosen pairs, store the output and the
proposals) and per-phase CPU seconds; the worker's CPU seconds (user + system, all threads:
on this shared machine wall time is mostly waiting), its peak RSS, and the latency ratios.

    .venv/bin/python bench/matchday_run.py                     # demo size (300 x 120)
    .venv/bin/python bench/matchday_run.py --candidates 100000 --roles 10000 --companies 2000

The embedded default's settings with ``DEBUG`` off (``DJANGO_DEBUG=0``), as a production
worker runs. Tasks the seed and the Match Day's creation queued (emails, the announcement) are
dropped before the timed worker starts, so its clock covers the curation run only.

Not a test: figures depend on the machine (2 shared, noisy cores here).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(db: Path, var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="matchday.config.settings.dev",
        DJANGO_DEBUG="0",  # as in production: no query log, no SQL quoting per query
        DATABASE_URL=f"sqlite:///{db}",
        MATCHDAY_VAR_DIR=str(var),
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


def _manage(env: dict[str, str], *args: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=300)
    parser.add_argument("--roles", type=int, default=120)
    parser.add_argument("--companies", type=int, default=40)
    parser.add_argument("--candidate-cap", type=int, default=3)
    parser.add_argument("--role-cap", type=int, default=10)
    parser.add_argument("--policy", default="optimal", choices=("optimal", "stable"))
    parser.add_argument("--workdir", help="keep the database here (default: a temp dir)")
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="matchday-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.sqlite3"
    env = _env(db, work)
    fresh = not db.exists()
    print(f"workdir {work} ({'fresh' if fresh else 'reusing the seeded database'})")
    t_migrate = _manage(env, "migrate", "--no-input", cwd=work)  # a reused database too
    print(f"migrate {t_migrate:.1f} s")
    if fresh:
        t_seed = _manage(
            env,
            "demo_seed",
            "--candidates",
            str(args.candidates),
            "--roles",
            str(args.roles),
            "--companies",
            str(args.companies),
            cwd=work,
        )
        print(f"demo_seed {t_seed:.1f} s")

    # Text vectors are computed when a profile or role is saved (a background task, dropped
    # below with the seed's other queued tasks); stored up front here, timed apart.
    t_embed = _manage(env, "embed_texts", cwd=work)
    print(f"embed_texts (stored vectors, not part of the curation) {t_embed:.1f} s")

    os.environ.update(env)
    os.chdir(work)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from matchday.accounts.models import User
    from matchday.matchdays import services
    from matchday.matchdays.models import CurationRun
    from matchday.talent.models import CandidateProfile

    partner = User.objects.filter(persona=User.Persona.PARTNER).first() or (
        User.objects.create_user(
            email="bench-partner@example.org",
            full_name="Bench Partner",
            persona=User.Persona.PARTNER,
        )
    )
    active = CandidateProfile.objects.filter(status=CandidateProfile.Status.ACTIVE).count()
    release = timezone.now() + timedelta(days=14)
    md = services.matchday_create(
        by=partner,
        name=f"Bench {timezone.now():%H:%M:%S}",
        release_at=release,
        interest_deadline=release - timedelta(days=3),
        candidate_cap=args.candidate_cap,
        role_cap=args.role_cap,
        policy=args.policy,
    )
    run = services.curation_start(matchday=md, by=partner)  # autocommit: enqueued now
    # The timed worker runs the curation only: the seed's queued emails and this Match Day's
    # announcement (a message to every active candidate) are other work, so they are dropped
    # from this throwaway database's queue rather than timed with the curation.
    from django_tasks_db.models import DBTaskResult

    run.refresh_from_db()
    other = DBTaskResult.objects.filter(status="READY").exclude(id=run.task_id)
    print(f"dropped {other.delete()[0]:,} queued tasks that are not the curation (untimed)")
    connection.close()

    client = Client(HTTP_HOST="localhost")
    client.force_login(partner)
    pages = [md.get_absolute_url(), reverse("matchdays:run_progress", args=[run.pk])]
    baseline = [_timed_get(client, u) for _ in range(5) for u in pages]

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = (work / "worker.log").open("w")  # a file, not a pipe: a full pipe would stall the worker
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    start = time.perf_counter()
    during: list[float] = []
    last = ""
    while worker.poll() is None:
        for u in pages:
            during.append(_timed_get(client, u))
        r = CurationRun.objects.get(pk=run.pk)
        note = f"{r.progress:3d}% {r.progress_message}"
        if note != last:
            print(f"  {time.perf_counter() - start:7.1f} s  {note}", flush=True)
            last = note
        time.sleep(1.0)
    wall = time.perf_counter() - start
    log.close()
    stderr = (work / "worker.log").read_text()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mib = after.ru_maxrss / 1024
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run.refresh_from_db()
    if run.status != CurationRun.Status.SUCCEEDED:
        print(stderr[-3000:])
        print(f"run ended {run.status}: {run.error}")
        return 1

    s = run.stats
    print(
        f"\n{s['candidates']:,} candidates ({active:,} active) x {s['roles']:,} roles, "
        f"policy {args.policy}, K={args.candidate_cap}, M={args.role_cap}"
    )
    print(
        f"pairs scored {s['pairs_scored']:,}, eligible {s['eligible_pairs']:,}, shortlisted "
        f"{s['pairs_shortlisted']:,}, allocated from {s['pairs_allocated_from']:,}, "
        f"proposals (explained) {s['proposals']:,}"
    )
    print("phase wall times (s):", ", ".join(f"{k} {v:.1f}" for k, v in s["timings_s"].items()))
    print(
        f"worker wall time (start -> exit, includes Django start-up) {wall:.1f} s, "
        f"CPU {cpu_s:.1f} s (user + system, all threads)"
    )
    if "cpu_s" in s:
        print("phase CPU times (s):", ", ".join(f"{k} {v:.1f}" for k, v in s["cpu_s"].items()))
    print(f"worker peak RSS {peak_mib:,.0f} MiB")
    print(f"load average at the end (1/5/15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    med_b, med_d = statistics.median(baseline), statistics.median(during or [0.0])
    p95_d = sorted(during)[int(0.95 * (len(during) - 1))] if during else 0.0
    print(
        f"web page latency: baseline median {1000 * med_b:.0f} ms; during the run median "
        f"{1000 * med_d:.0f} ms (x{med_d / med_b:.1f}), p95 {1000 * p95_d:.0f} ms, "
        f"max {1000 * max(during or [0]):.0f} ms over {len(during)} requests"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
