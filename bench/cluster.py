"""The multi-host shape on one machine: a Match Day end to end, each phase timed.

Starts, all on 127.0.0.1 and each in its own working directory (no shared disk):

- moto's S3-compatible server (``--s3-port``) with a fresh bucket: run inputs and outputs;
- ``gunicorn -c python:matchday.config.gunicorn`` with ``--web-workers`` workers on
  PostgreSQL (``--database-url``), production settings, Redis (``--redis-url``) as the
  shared cache and rate-limit store, Prometheus multiprocess metrics;
- ``--db-workers`` ``manage.py db_worker`` processes (two or more), curation in chunks of
  ``--chunk-roles`` roles.

Then seeds the demo marketplace if the database is empty (``--candidates``, ``--roles``),
waits for ``/readyz``, and runs a Match Day: the partner creates it and starts curation
through the API (HTTP, session + CSRF as the pages do); the workers curate it in chunks; the
partner bulk-approves every proposal, opens the interest window, each proposal's company
expresses interest at the band's minimum, and the partner releases (these four call the
same services the pages call, from this process, on the same database). Prints each
phase's wall time, the run's own phase timings and chunk count, and stops everything.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/md_cluster \\
      .venv/bin/python bench/cluster.py --candidates 10000 --roles 1000 --db-workers 2

Not a test: figures depend on the machine (2 shared cores here: every process shares them).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANAGE = [sys.executable, str(REPO / "manage.py")]


def _wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz" if what == "gunicorn" else "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{what} did not answer within {timeout} s")


class Http:
    """A signed-in session against gunicorn: cookie, CSRF token, JSON."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.cookies = port, {"sessionid": session}

    def request(self, method: str, path: str, payload=None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        origin = f"http://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if method != "GET":
            headers |= {
                "Origin": origin,
                "Referer": origin + "/",
                "Content-Type": "application/json",
            }
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            body = json.dumps(payload or {}).encode()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        try:
            return response.status, json.loads(data) if data else {}
        except ValueError:
            return response.status, {}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--candidates", type=int, default=2000, help="demo size when seeding")
    parser.add_argument("--roles", type=int, default=200, help="demo roles when seeding")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--db-workers", type=int, default=2)
    parser.add_argument("--chunk-roles", type=int, default=100)
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--s3-port", type=int, default=8171)
    parser.add_argument("--timeout", type=float, default=3600, help="curation wait, seconds")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url (or DATABASE_URL) must name a PostgreSQL database")
    if args.db_workers < 2:
        parser.error("--db-workers: at least two (the point is more than one)")
    root = Path(tempfile.mkdtemp(prefix="matchday-cluster-"))
    bucket = f"matchday-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_SETTINGS_MODULE": "matchday.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "MATCHDAY_SITE_URL": f"http://127.0.0.1:{args.port}",
        "MATCHDAY_REQUEST_LOG_LEVEL": "WARNING",
        "MATCHDAY_CURATION_CHUNK_ROLES": str(args.chunk_roles),
        "MATCHDAY_S3_BUCKET": bucket,
        "MATCHDAY_S3_ENDPOINT_URL": f"http://127.0.0.1:{args.s3_port}",
        "MATCHDAY_S3_REGION": "us-east-1",
        "MATCHDAY_S3_ACCESS_KEY_ID": "bench",
        "MATCHDAY_S3_SECRET_ACCESS_KEY": "bench",
        "MATCHDAY_S3_ADDRESSING_STYLE": "path",
        "PYTHONPATH": str(REPO / "src"),
        "OMP_NUM_THREADS": "1",
    }
    procs: dict[str, subprocess.Popen] = {}
    phases: list[tuple[str, float]] = []

    def timed(name: str, started: float) -> None:
        phases.append((name, time.monotonic() - started))
        print(f"  {name}: {phases[-1][1]:.1f} s", flush=True)

    try:
        procs["s3"] = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(args.s3_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
        )  # fmt: skip
        _wait_port(args.s3_port, procs["s3"], "moto")
        import boto3

        boto3.client(
            "s3", endpoint_url=env["MATCHDAY_S3_ENDPOINT_URL"], region_name="us-east-1",
            aws_access_key_id="bench", aws_secret_access_key="bench",
        ).create_bucket(Bucket=bucket)  # fmt: skip
        clock = time.monotonic()
        subprocess.run([*MANAGE, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run(
            [*MANAGE, "demo_seed", "--if-empty", "--candidates", str(args.candidates),
             "--roles", str(args.roles), "--companies", str(max(40, args.roles // 5))],
            env=env, check=True,
        )  # fmt: skip
        timed("migrate + seed (skipped when not empty)", clock)
        subprocess.run(
            [*MANAGE, "collectstatic", "--no-input", "-v", "0"], env=env, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        metrics_dir = root / "prometheus"
        metrics_dir.mkdir()
        web_dir = root / "web"
        web_dir.mkdir()
        procs["gunicorn"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:matchday.config.gunicorn",
             "matchday.config.wsgi", "--access-logfile", "/dev/null", "--log-level", "warning"],
            env=env | {"GUNICORN_BIND": f"127.0.0.1:{args.port}",
                       "WEB_CONCURRENCY": str(args.web_workers),
                       "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                       "MATCHDAY_VAR_DIR": str(web_dir / "var")},
            cwd=web_dir,
        )  # fmt: skip
        for i in range(args.db_workers):
            wd = root / f"worker-{i}"
            wd.mkdir()
            procs[f"db_worker {i}"] = subprocess.Popen(
                [*MANAGE, "db_worker", "--queue-name", "*", "--interval", "0.5", "--no-reload"],
                env=env | {"MATCHDAY_VAR_DIR": str(wd / "var")}, cwd=wd,
                stdout=(wd / "log").open("w"), stderr=subprocess.STDOUT,
            )  # fmt: skip
        _wait_port(args.port, procs["gunicorn"], "gunicorn")
        os.environ.update(env)
        sys.path.insert(0, str(REPO / "src"))
        import django

        django.setup()
        from django.test import Client

        from matchday.accounts.models import User
        from matchday.demo.logins import DEMO_LOGINS
        from matchday.talent.models import CandidateProfile

        partner = User.objects.get(email=DEMO_LOGINS["partner"])
        c = Client()
        c.force_login(partner)
        web = Http(args.port, c.cookies["sessionid"].value)
        status, ready = web.request("GET", "/readyz")
        print(f"/readyz {status}: {json.dumps(ready['checks'])}", flush=True)
        if status != 200:
            raise SystemExit("not ready")
        web.request("GET", "/matchdays/")  # the CSRF cookie, as a page load gives it
        drain_queue(timed)
        n_cand = CandidateProfile.objects.filter(status=CandidateProfile.Status.ACTIVE).count()
        print(
            f"active candidates {n_cand:,}; {args.web_workers} gunicorn workers, "
            f"{args.db_workers} db_workers, chunks of {args.chunk_roles} roles",
            flush=True,
        )

        run_matchday(web, partner, phases, timed, args, procs)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)
    return 0


def drain_queue(timed, timeout: float = 3600) -> None:
    """Let the workers finish what was queued before (a fresh demo queues its emails), so
    the curation phase times the curation, not a backlog."""
    from django_tasks_db.models import DBTaskResult

    clock = time.monotonic()
    waiting = DBTaskResult.objects.ready().count()
    while DBTaskResult.objects.ready().exists() and time.monotonic() - clock < timeout:
        time.sleep(2)
    timed(f"workers drain the queued backlog ({waiting:,} tasks)", clock)


def run_matchday(web: Http, partner, phases, timed, args, procs) -> None:
    """Create, curate (API + workers), approve, open interest, express interest, release."""
    from django.utils import timezone

    from matchday.accounts.models import User
    from matchday.followup.services import matchday_release
    from matchday.matchdays import services
    from matchday.matchdays.models import CurationRun, MatchDay, Proposal

    clock = time.monotonic()
    now = timezone.now()
    status, md = web.request("POST", "/api/v1/matchdays", {
        "name": f"Cluster bench {secrets.token_hex(3)}",
        "release_at": (now + timedelta(days=9)).isoformat(),
        "interest_deadline": (now + timedelta(days=8)).isoformat(),
    })  # fmt: skip
    if status != 201:
        raise SystemExit(f"creating the Match Day answered {status}: {md}")
    status, run = web.request("POST", f"/api/v1/matchdays/{md['id']}/curation", {})
    if status != 202:
        raise SystemExit(f"starting curation answered {status}: {run}")
    deadline = time.monotonic() + args.timeout
    while True:
        status, state = web.request("GET", f"/api/v1/matchdays/{md['id']}")
        latest = state.get("latest_run") or {}
        if latest.get("status") == "succeeded":
            break
        if latest.get("status") in {"failed", "cancelled"} or time.monotonic() > deadline:
            raise SystemExit(f"curation ended {latest.get('status')}: {latest}")
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise SystemExit(f"{name} exited with {proc.returncode}")
        time.sleep(1)
    timed("curation (API start -> workers -> proposals stored)", clock)
    matchday = MatchDay.objects.get(pk=md["id"])
    run = CurationRun.objects.filter(matchday=matchday).order_by("-pk").first()
    workers = sorted(set(run.chunks.values_list("worker", flat=True)))

    clock = time.monotonic()
    approved = services.proposals_bulk_approve(matchday=matchday, by=partner)
    timed(f"review: bulk approve ({approved:,} proposals)", clock)

    clock = time.monotonic()
    services.matchday_open_interest(matchday=matchday, by=partner)
    timed("open the interest window", clock)

    clock = time.monotonic()
    members: dict[int, User] = {}
    expressed = 0
    for p in Proposal.objects.filter(
        matchday=matchday, status=Proposal.Status.APPROVED
    ).select_related("role"):
        member = members.get(p.role.company_id)
        if member is None:
            member = members[p.role.company_id] = (
                User.objects.filter(company_id=p.role.company_id, is_active=True)
                .order_by("pk")
                .first()
            )
        if member is None:
            continue
        services.interest_express(proposal=p, by=member, offered_salary=p.role.pay_min)
        expressed += 1
    timed(f"interest: each company expresses interest ({expressed:,})", clock)

    clock = time.monotonic()
    intros = matchday_release(matchday=matchday, by=partner, early=True)
    timed(f"release ({len(intros):,} intros)", clock)

    print()
    print(f"{'phase':<58} {'wall s':>8}")
    for name, seconds in phases:
        print(f"{name:<58} {seconds:>8.1f}")
    stats = run.stats
    print(
        f"run: {stats.get('candidates'):,} candidates x {stats.get('roles'):,} roles, "
        f"{stats.get('chunks', 1)} chunks by {len(workers)} worker processes, "
        f"{stats.get('proposals'):,} proposals"
    )
    print("run timings (s):", json.dumps(stats.get("timings_s")))
    status, _ = web.request("GET", f"/matchdays/{md['id']}/")
    print(f"Match Day page after release: {status}")


if __name__ == "__main__":
    sys.exit(main())
