"""Load on the persona pages and API lists: gunicorn on PostgreSQL, clients on loopback.

Seeds the demo marketplace into ``--database-url`` when it is empty (``demo_seed
--candidates N``), starts ``gunicorn`` (``--workers``) on 127.0.0.1:``--port`` with the
production settings (HTTPS redirect off, loopback only), signs the demo candidate, company
member and partner in (server-side sessions made in this process, same database) and, for
each endpoint in turn, runs ``--clients`` concurrent keep-alive clients for ``--duration``
seconds. Prints per endpoint: requests, errors (non-2xx or transport), p50/p95/max latency
and the server's CPU milliseconds per request (user+system time of gunicorn's processes
from /proc, before and after the endpoint's run).

Bounded by construction: at most 50 clients, at most 60 s per endpoint, loopback only.
The API's rate limits (120 requests a minute per account) answer most API requests with 429
under load; ``--lift-api-limits`` runs the server with them lifted (bench/load_settings.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/md_load \\
      .venv/bin/python bench/load.py --candidates 2000 --clients 20 --duration 15

Not a test: figures depend on the machine (2 shared cores here, client beside the server);
``uptime`` is printed beside them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_CLIENTS, MAX_DURATION = 50, 60.0


def _env(args) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": (
            "load_settings" if args.lift_api_limits else "matchday.config.settings.production"
        ),
        "DJANGO_SECRET_KEY": args.secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "MATCHDAY_SITE_URL": f"http://127.0.0.1:{args.port}",
        "MATCHDAY_REQUEST_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "bench")]),
    }


def _setup_django(args) -> None:
    os.environ.update(_env(args))
    sys.path[:0] = [str(REPO / "src"), str(REPO / "bench")]
    import django

    django.setup()


def _session_cookie(email: str) -> str:
    from django.test import Client

    from matchday.accounts.models import User

    c = Client()
    c.force_login(User.objects.get(email=email))
    return c.cookies["sessionid"].value


def _endpoints() -> list[tuple[str, str, str]]:
    """(name, persona, path) of the pages and API lists under load."""
    from django.urls import reverse

    from matchday.accounts.models import User
    from matchday.demo.logins import DEMO_LOGINS
    from matchday.matchdays.models import MatchDay

    member = User.objects.get(email=DEMO_LOGINS["company"])
    md = MatchDay.objects.order_by("-pk").first()
    role = member.company.roles.order_by("pk").first()
    pages = [
        ("candidate profile", "candidate", reverse("talent:profile")),
        ("candidate Match Day", "candidate", reverse("followup:my_matchday")),
        ("company shortlists", "company", reverse("matchdays:shortlists")),
        ("company pipeline", "company", reverse("followup:pipeline")),
        ("partner vetting queue", "partner", reverse("talent:vetting_queue")),
        ("partner search", "partner", reverse("talent:candidate_search") + "?q=python"),
        ("API Match Days", "partner", "/api/v1/matchdays"),
        ("API roles", "company", "/api/v1/roles"),
        ("API intros", "candidate", "/api/v1/intros"),
        ("API candidates to vet", "partner", "/api/v1/vetting/candidates"),
    ]
    if role is not None:
        pages.insert(
            3, ("company shortlist", "company", reverse("matchdays:shortlist", args=[role.pk]))
        )
    if md is not None:
        pages.insert(6, ("Match Day", "partner", md.get_absolute_url()))
        pages.insert(7, ("review", "partner", reverse("matchdays:review", args=[md.pk])))
    return pages


def _cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _gunicorn_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    kids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [master, *kids]


def _run(port: int, path: str, cookie: str, clients: int, duration: float):
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request(
                    "GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
                )
                response = conn.getresponse()
                response.read()
                if not 200 <= response.status < 300:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--candidates", type=int, default=2000, help="demo size when seeding")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per endpoint")
    parser.add_argument("--port", type=int, default=18810)
    parser.add_argument("--only", help="run only endpoints whose name contains this")
    parser.add_argument(
        "--lift-api-limits", action="store_true",
        help="lift the API's rate limits (bench/load_settings.py): measure the lists, not the 429s",
    )  # fmt: skip
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("--database-url (or DATABASE_URL) must name a PostgreSQL database")
    args.clients = max(1, min(args.clients, MAX_CLIENTS))
    args.duration = max(1.0, min(args.duration, MAX_DURATION))
    args.secret = secrets.token_hex(32)
    env = _env(args)
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run(
        [*manage, "demo_seed", "--if-empty", "--candidates", str(args.candidates),
         "--roles", str(max(120, args.candidates // 10)), "--companies", str(max(40, args.candidates // 50))],
        env=env, check=True,
    )  # fmt: skip
    subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
    _setup_django(args)
    from matchday.demo.logins import DEMO_LOGINS

    cookies = {p: _session_cookie(e) for p, e in DEMO_LOGINS.items()}
    endpoints = [e for e in _endpoints() if not args.only or args.only in e[0]]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "matchday.config.wsgi", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--access-logfile", "/dev/null", "--log-level", "warning"],
        env=env, cwd=REPO,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/healthz"
                )
                break
            except OSError:
                time.sleep(0.3)
        time.sleep(1.0)
        from matchday.talent.models import CandidateProfile

        print(f"candidates: {CandidateProfile.objects.count():,}; gunicorn workers: {args.workers}; "
              f"clients: {args.clients}; {args.duration:.0f} s per endpoint")  # fmt: skip
        print(f"{'endpoint':<24} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'max ms':>7} {'CPU ms/req':>10}")  # fmt: skip
        for name, persona, path in endpoints:
            _run(args.port, path, cookies[persona], 2, 1.0)  # warm up every worker
            pids = _gunicorn_pids(server.pid)
            cpu = _cpu_seconds(pids)
            lat, errors = _run(args.port, path, cookies[persona], args.clients, args.duration)
            cpu = _cpu_seconds(pids) - cpu
            lat.sort()
            p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
            print(f"{name:<24} {len(lat):>8} {errors:>6} {statistics.median(lat) * 1000:>7.0f} "
                  f"{p95 * 1000:>7.0f} {lat[-1] * 1000:>7.0f} {cpu * 1000 / max(1, len(lat)):>10.1f}")  # fmt: skip
        print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
