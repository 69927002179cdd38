"""The review page of a Match Day with 10,000 proposals: server time, queries and Chromium.

Goal (issue 11): the review page renders in < 300 ms of server time and < 1 s in Chromium.

Seeds a throwaway SQLite database with the demo generator (``manage.py demo_seed``), runs a
real curation in this process, and keeps exactly ``--proposals`` of its proposals (the
lowest-scored pending ones beyond that are deleted; the run's alternates stay). Then:

* **Server time**: the Django test client in this process (same database, settings with
  DEBUG off and the cached template loader), ``--runs`` requests per view: wall and CPU
  milliseconds of the whole request through the middleware (median and max), the number
  of SQL queries, the HTML size. Views: the default page (best score first), a filtered
  page (pending, no missing requirement), sorted by candidate name, the last page, a
  per-role view with its alternatives, a per-candidate view.
* **Baseline, like for like (server)**: the same view, template and queries with every
  proposal on one page (what the page did before it had pages): same clock (the whole
  request through the middleware).
* **Chromium** (Debian's ``/usr/bin/chromium`` through Playwright) against a gunicorn
  (one worker) serving the same database on ``--port``: navigation to ``load`` from the
  browser's Navigation Timing (``loadEventEnd``), on a warmed-up server: the first load with
  the browser's cache cold (stylesheets and scripts fetched too) and the median of the loads
  after it; plus ``responseStart`` (the server's part as the browser sees it).
* **Baseline, like for like (Chromium)**: the paginated page's HTML and the all-on-one-page
  HTML, each fulfilled from memory (no server, no network), so only the browser's work of
  parsing, styling, laying out and running the page's scripts is timed on both sides (the
  second of two loads each).

    .venv/bin/python bench/review_page.py                        # 10,000 proposals
    .venv/bin/python bench/review_page.py --workdir /tmp/rp      # keep and reuse the data

Not a test: figures depend on the machine (2 shared, noisy cores here); ``uptime`` is printed
beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("MATCHDAY_CHROMIUM", "/usr/bin/chromium")
GOAL_SERVER_MS, GOAL_BROWSER_MS = 300, 1000

SETTINGS = """
from matchday.config.settings.base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STATIC_ROOT = {static!r}
MATCHDAY_SITE_URL = "http://127.0.0.1:{port}"
MAILERS = {{"default": {{"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}}}
TASKS = {{"default": {{"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}}}
"""


def _env(work: Path, port: int) -> dict[str, str]:
    (work / "bench_settings.py").write_text(
        textwrap.dedent(SETTINGS.format(static=str(work / "static"), port=port))
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MATCHDAY_VAR_DIR=str(work),
        PYTHONPATH=os.pathsep.join([str(work), str(ROOT / "src")]),
    )
    return env


def _manage(env: dict[str, str], *args: str, cwd: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _seed(args, work: Path) -> int:
    """A curated Match Day with exactly ``args.proposals`` proposals; returns its id."""
    from datetime import timedelta

    from allauth.mfa.models import Authenticator
    from django.utils import timezone

    from matchday.accounts.models import User
    from matchday.matchdays import services
    from matchday.matchdays.models import MatchDay, Proposal

    md = MatchDay.objects.filter(name="Bench review").first()
    if md is not None and md.proposals.count() == args.proposals:
        return md.pk
    partner = User.objects.filter(email="bench-partner@example.org").first()
    if partner is None:
        partner = User.objects.create_user(
            "bench-partner@example.org",
            "bench-password-1",
            full_name="Bench Partner",
            persona=User.Persona.PARTNER,
        )
        Authenticator.objects.create(user=partner, type=Authenticator.Type.TOTP, data={})
    release = timezone.now() + timedelta(days=10)
    md = services.matchday_create(
        by=partner,
        name="Bench review",
        release_at=release,
        interest_deadline=release - timedelta(days=2),
        candidate_cap=args.candidate_cap,
        role_cap=args.role_cap,
    )
    run = services.curation_start(matchday=md, by=partner)  # immediate backend: runs now
    run.refresh_from_db()
    total = md.proposals.count()
    print(
        f"curation: run {run.status}, {total:,} proposals, {run.stats.get('alternates')} alternates"
    )
    if total < args.proposals:
        raise SystemExit(
            f"only {total:,} proposals; seed more (--candidates/--roles) or raise the caps"
        )
    extra = md.proposals.order_by("score", "-pk").values_list("pk", flat=True)[
        : total - args.proposals
    ]
    Proposal.objects.filter(pk__in=list(extra)).delete()
    return md.pk


def _client():
    from django.test import Client

    from matchday.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="bench-partner@example.org"))
    return client


def _time_view(client, url: str, runs: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, queries, size = [], [], 0, 0
    for i in range(runs + 1):
        with CaptureQueriesContext(connection) as ctx:
            w, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall, cpu = time.perf_counter() - w, time.process_time() - c
        assert response.status_code == 200, (url, response.status_code)
        if i == 0:  # the first request warms caches (templates, the encoder); not counted
            continue
        walls.append(wall * 1000)
        cpus.append(cpu * 1000)
        queries, size = len(ctx.captured_queries), len(response.content)
    return {
        "wall_median": statistics.median(walls),
        "wall_max": max(walls),
        "cpu_median": statistics.median(cpus),
        "queries": queries,
        "kb": size / 1024,
    }


def _full_table_html(client, md_id: int) -> tuple[bytes, dict[str, float]]:
    """The baseline: the same view with every proposal on one page."""
    from matchday.matchdays import selectors

    defaults = selectors.review_page.__kwdefaults__
    original = defaults["per_page"]
    defaults["per_page"] = 10**9
    try:
        stats = _time_view(client, f"/matchdays/{md_id}/review/", 3)
        html = client.get(f"/matchdays/{md_id}/review/").content
    finally:
        defaults["per_page"] = original
    return html, stats


def _serve(html: bytes):
    def handler(route, request) -> None:
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    return handler


def _print_served(s: dict, port: int) -> None:
    print(f"\nChromium ({CHROMIUM}), through gunicorn on port {port}, {s['rows']} rows")
    print(
        f"load (navigationStart -> loadEventEnd): cold {s['cold_load']:.0f} ms, warm median "
        f"{s['warm_load_median']:.0f} ms (max {s['warm_load_max']:.0f}); responseStart median "
        f"{s['response_start_median']:.0f} ms"
    )


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _browser(args, env, work: Path, md_id: int, client, pages: dict[str, bytes]) -> dict:
    from playwright.sync_api import sync_playwright

    _manage(env, "collectstatic", "--no-input", cwd=work)
    if not _port_free(args.port):
        raise SystemExit(f"port {args.port} is taken; choose another with --port")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "matchday.config.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=work,
    )
    base = f"http://127.0.0.1:{args.port}"
    out: dict = {}
    try:
        for _ in range(60):  # until gunicorn answers
            if not _port_free(args.port):
                break
            time.sleep(0.5)
        cookie = client.cookies["sessionid"].value
        # A fresh gunicorn worker imports and compiles on its first request; like the server
        # figures above, the browser's are taken on a warmed-up server (its cache is cold).
        from urllib.request import Request, urlopen

        warm = Request(
            f"{base}/matchdays/{md_id}/review/", headers={"Cookie": f"sessionid={cookie}"}
        )
        for _ in range(2):
            urlopen(warm, timeout=120).read()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            page = context.new_page()
            url = f"{base}/matchdays/{md_id}/review/"
            loads, responses = [], []
            for _ in range(args.runs + 1):
                page.goto(url, wait_until="load")
                entry = json.loads(
                    page.evaluate(
                        "JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())"
                    )
                )
                loads.append(entry["loadEventEnd"])
                responses.append(entry["responseStart"])
            rows = page.locator("#review-table tbody tr").count()
            out["served"] = {
                "cold_load": loads[0],
                "warm_load_median": statistics.median(loads[1:]),
                "warm_load_max": max(loads[1:]),
                "response_start_median": statistics.median(responses[1:]),
                "rows": rows,
            }
            # Like for like: both HTML documents from memory, only the browser's work timed.
            _print_served(out["served"], args.port)
            for name, html in pages.items():
                route_url = f"{base}/bench-{name}/"
                page.route(route_url, _serve(html))
                times = []
                for _ in range(2):  # the second load is counted (the first warms Chromium)
                    page.goto(route_url, wait_until="load", timeout=600_000)
                    times.append(
                        page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                    )
                out[name] = {"load_median": statistics.median(times[1:]), "kb": len(html) / 1024}
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--candidates", type=int, default=14_000)
    parser.add_argument("--roles", type=int, default=1_500)
    parser.add_argument("--companies", type=int, default=300)
    parser.add_argument("--candidate-cap", type=int, default=3)
    parser.add_argument("--role-cap", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--port", type=int, default=8851)
    parser.add_argument("--workdir", help="keep the database here (default: a temp dir)")
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="matchday-review-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = _env(work, args.port)
    fresh = not (work / "bench.sqlite3").exists()
    print(f"workdir {work} ({'fresh' if fresh else 'reusing the seeded database'})")
    if fresh:
        start = time.perf_counter()
        _manage(env, "migrate", "--no-input", cwd=work)
        _manage(
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
        print(f"seeded in {time.perf_counter() - start:.0f} s")
    os.environ.update(env)
    sys.path[:0] = [str(work), str(ROOT / "src")]
    import django

    django.setup()
    md_id = _seed(args, work)
    client = _client()

    from matchday.matchdays.models import MatchDay

    md = MatchDay.objects.get(pk=md_id)
    role = md.proposals.values_list("role_id", flat=True).order_by("role_id").first()
    candidate = md.proposals.values_list("candidate_id", flat=True).order_by("-pk").first()
    pages_n = -(-md.proposals.count() // 50)
    views = {
        "default (best score first)": f"/matchdays/{md_id}/review/",
        "pending, none missing": f"/matchdays/{md_id}/review/?status=pending&missing=none",
        "sorted by candidate": f"/matchdays/{md_id}/review/?sort=candidate",
        "last page": f"/matchdays/{md_id}/review/?page={pages_n}",
        "per role + alternatives": f"/matchdays/{md_id}/review/?role={role}",
        "per candidate + alternatives": f"/matchdays/{md_id}/review/?candidate={candidate}",
    }
    print(f"\nMatch Day {md_id}: {md.proposals.count():,} proposals; load: {os.getloadavg()}")
    print(f"\nServer (Django test client, whole request, {args.runs} runs after a warm-up)")
    print(f"{'view':32} {'wall ms':>9} {'max ms':>8} {'CPU ms':>8} {'queries':>8} {'KB':>7}")
    results = {}
    for name, url in views.items():
        r = _time_view(client, url, args.runs)
        results[name] = r
        print(
            f"{name:32} {r['wall_median']:9.1f} {r['wall_max']:8.1f} {r['cpu_median']:8.1f}"
            f" {r['queries']:8d} {r['kb']:7.0f}"
        )
    full_html, full = _full_table_html(client, md_id)
    print(
        f"{'baseline: all on one page':32} {full['wall_median']:9.1f} {full['wall_max']:8.1f}"
        f" {full['cpu_median']:8.1f} {full['queries']:8d} {full['kb']:7.0f}"
    )
    default = results["default (best score first)"]
    print(
        f"paged / all-on-one-page: {default['wall_median'] / full['wall_median']:.3f}x wall, "
        f"{default['cpu_median'] / full['cpu_median']:.3f}x CPU "
        f"(both: the whole request through the middleware)"
    )
    worst = max(r["wall_median"] for r in results.values())
    print(
        f"goal < {GOAL_SERVER_MS} ms server time: worst view median {worst:.1f} ms -> "
        f"{'met' if worst < GOAL_SERVER_MS else 'NOT met'}"
    )

    paged_html = client.get(views["default (best score first)"]).content
    chrome = _browser(args, env, work, md_id, client, {"paged": paged_html, "all": full_html})
    s = chrome["served"]
    print(
        f"like for like, HTML from memory (browser work only): paged {chrome['paged']['load_median']:.0f} ms "
        f"({chrome['paged']['kb']:.0f} KB) vs all on one page {chrome['all']['load_median']:.0f} ms "
        f"({chrome['all']['kb']:.0f} KB): {chrome['paged']['load_median'] / chrome['all']['load_median']:.3f}x"
    )
    slowest = max(s["cold_load"], s["warm_load_median"])
    print(
        f"goal < {GOAL_BROWSER_MS} ms in Chromium: {slowest:.0f} ms -> "
        f"{'met' if slowest < GOAL_BROWSER_MS else 'NOT met'}"
    )
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
