"""Boot Matchday the way an operator deploys it, and use it over HTTP (``make prod-smoke``).

Production settings from the environment (a random secret key, the allowed host, the public
site URL; HTTPS redirect off because gunicorn is reached directly, with the
``X-Forwarded-Proto: https`` header a TLS-terminating proxy adds), then on a fresh PostgreSQL
database: ``check``, ``collectstatic``, ``migrate``, ``demo_seed``; gunicorn and a
``db_worker`` start; each demo persona logs in (the partner and the company member with
their second factor, the public demo TOTP secret) and loads its start page, every page its
navigation links to, and every stylesheet and script those pages use; the partner creates a
Match Day through the API and the worker curates it. Any 5xx, any page that does not answer
200, or a worker that does not finish fails the run. Everything started is stopped.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/matchday_smoke python scripts/prod_smoke.py

The database named in ``DATABASE_URL`` is dropped and created again (``--keep-db`` reuses
it). Bounded: every wait has a timeout, and the whole run takes about a minute.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from matchday.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402

MANAGE = [sys.executable, str(ROOT / "manage.py")]
SKIP_LINKS = ("/accounts/logout/",)  # a page must not log the crawler out
TIMEOUT = 120  # seconds per request: generous for a loaded CI machine


class Failure(Exception):
    pass


# -- the server's environment and processes -------------------------------------------------


def fresh_database(url: str) -> None:
    """Drop and create the database ``url`` names (its server's ``postgres`` database)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise Failure(f"refusing to recreate a database named {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def production_env(*, database_url: str, port: int, var_dir: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "matchday.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "MATCHDAY_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "MATCHDAY_VAR_DIR": var_dir,
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> None:
    print(f"$ manage.py {' '.join(args)}", flush=True)
    clock = time.monotonic()
    done = subprocess.run([*MANAGE, *args], cwd=ROOT, env=env, timeout=timeout, check=False)
    if done.returncode:
        raise Failure(f"manage.py {args[0]} exited with {done.returncode}")
    print(f"  ({time.monotonic() - clock:.1f} s)", flush=True)


def free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise Failure(f"no free port from {start}")


def wait_until_up(port: int, procs: dict[str, subprocess.Popen], timeout: float = 120) -> None:
    """Until the landing page answers 200 (the app is loaded), or a process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise Failure(f"{name} exited with {proc.returncode} while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
            if status >= 500:
                raise Failure(f"the landing page answered {status}")
        except OSError:
            pass
        time.sleep(0.5)
    raise Failure(f"gunicorn did not answer on port {port} within {timeout} s")


def stop(procs: dict[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for name, proc in procs.items():
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop on SIGTERM; killing it", flush=True)
            proc.kill()
            proc.wait()


# -- a small HTTP client, as a browser behind the TLS proxy ----------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.pages.append(a["href"] or "")
        elif tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.assets.append(a["href"] or "")
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"] or "")


class Browser:
    """Cookies (also the ``Secure`` ones: the proxy speaks HTTPS to the browser), redirects,
    the CSRF token, and a record of every response."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"  # what the browser sees, behind the proxy
        self.cookies: dict[str, str] = {}
        self.seen: list[tuple[int, str, str]] = []  # (status, method, path)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        hdrs = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "matchday-prod-smoke",
        }
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            hdrs |= {"Origin": self.origin, "Referer": self.origin + path}
            if "csrftoken" in self.cookies:
                hdrs["X-CSRFToken"] = self.cookies["csrftoken"]
        hdrs |= headers or {}
        try:
            conn.request(method, path, body=body, headers=hdrs)
            response = conn.getresponse()
            data = response.read()
        except OSError as exc:
            raise Failure(f"{method} {path}: {exc}") from exc
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.seen.append((response.status, method, path))
        if response.status >= 500:
            raise Failure(f"{method} {path} answered {response.status}: {data[:300]!r}")
        return response.status, dict(response.getheaders()), data

    def get(self, path: str, *, follow: int = 10) -> tuple[str, bytes]:
        """GET ``path``, following redirects; returns the final path and body (200 only)."""
        for _ in range(follow):
            status, headers, data = self.request("GET", path)
            if status in (301, 302, 303, 307, 308):
                path = self._local(urljoin(path, headers["Location"]))
                continue
            if status != 200:
                raise Failure(f"GET {path} answered {status}")
            return path, data
        raise Failure(f"GET {path}: too many redirects")

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[str, bytes]:
        _, page = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise Failure(f"no CSRF token on {path}")
        body = urlencode(fields | {"csrfmiddlewaretoken": token.group(1).decode()}).encode()
        status, headers, data = self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status in (302, 303):
            return self.get(self._local(urljoin(path, headers["Location"])))
        if status != 200:
            raise Failure(f"POST {path} answered {status}")
        return path, data

    def post_json(self, path: str, payload: dict) -> tuple[int, dict]:
        status, _, data = self.request(
            "POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"}
        )
        return status, json.loads(data)

    def get_json(self, path: str) -> dict:
        status, _, data = self.request("GET", path)
        if status != 200:
            raise Failure(f"GET {path} answered {status}")
        return json.loads(data)

    def _local(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != f"127.0.0.1:{self.port}":
            raise Failure(f"redirected off the site: {url}")
        return parts.path + (f"?{parts.query}" if parts.query else "")


def totp(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 (30-second steps, six digits, SHA-1), as an authenticator app computes it."""
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


# -- what each persona does ------------------------------------------------------------------


def log_in(browser: Browser, email: str) -> str:
    path, page = browser.post_form("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    if path.startswith("/accounts/2fa/authenticate/"):
        path, page = browser.post_form(path, {"code": totp(DEMO_TOTP_SECRET)})
    if b"Log out" not in page:
        raise Failure(f"{email} is not logged in after the log-in form (at {path})")
    return path


def crawl(browser: Browser, start: str) -> None:
    """Load ``start`` (as reached after log-in), every same-site page it links to, and every
    stylesheet and script of those pages."""
    _, html = browser.get(start)
    links = Links()
    links.feed(html.decode())
    pages = []
    for href in links.pages:
        parts = urlsplit(urljoin(start, href))
        if parts.netloc or not parts.path.startswith("/") or parts.path in SKIP_LINKS:
            continue
        if parts.path not in pages:
            pages.append(parts.path)
    assets = set(links.assets)
    for page in pages:
        _, html = browser.get(page)
        more = Links()
        more.feed(html.decode())
        assets |= set(more.assets)
    for asset in sorted(assets):
        if urlsplit(asset).netloc:
            raise Failure(f"a page loads {asset} from another site")
        browser.get(asset)


def check_health(port: int) -> None:
    """Liveness and readiness as a load balancer probes them: plain HTTP (no forwarded
    proto), no session; readiness checks the database, the cache and the storage."""
    for path in ("/healthz", "/readyz"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            response = conn.getresponse()
            body = response.read()
        except OSError as exc:
            raise Failure(f"GET {path}: {exc}") from exc
        finally:
            conn.close()
        if response.status != 200 or json.loads(body).get("status") != "ok":
            raise Failure(f"GET {path} answered {response.status}: {body[:300]!r}")
        if not response.getheader("X-Request-ID"):
            raise Failure(f"GET {path} carried no X-Request-ID")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/metrics", headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200 or b"matchday_tasks_queued" not in body:
        raise Failure(f"GET /metrics answered {response.status}: {body[:300]!r}")
    print("/healthz, /readyz and /metrics answer 200 over plain HTTP", flush=True)


def curate_through_the_worker(browser: Browser, timeout: float = 120) -> int:
    """The partner creates a Match Day and starts its curation through the API (session and
    CSRF token, as the page's scripts would); the db_worker curates it."""
    now = datetime.now(UTC)
    status, md = browser.post_json(
        "/api/v1/matchdays",
        {
            "name": "Smoke-test Match Day",
            "release_at": (now + timedelta(days=9)).isoformat(),
            "interest_deadline": (now + timedelta(days=8)).isoformat(),
        },
    )
    if status != 201:
        raise Failure(f"creating a Match Day answered {status}: {md}")
    status, run = browser.post_json(f"/api/v1/matchdays/{md['id']}/curation", {})
    if status != 202:
        raise Failure(f"starting curation answered {status}: {run}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        md = browser.get_json(f"/api/v1/matchdays/{md['id']}")
        latest = md["latest_run"] or {}
        if latest.get("status") == "succeeded":
            browser.get(f"/matchdays/{md['id']}/")
            browser.get(f"/matchdays/{md['id']}/review/")
            return md["id"]
        if latest.get("status") in {"failed", "cancelled"}:
            raise Failure(f"the curation run ended {latest['status']}: {latest}")
        time.sleep(0.5)
    raise Failure(f"the worker did not finish curating within {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "18200")))
    parser.add_argument("--keep-db", action="store_true", help="do not recreate the database")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL (or --database-url) to a PostgreSQL database URL.")
    started = time.monotonic()
    port = free_port(args.port)
    procs: dict[str, subprocess.Popen] = {}
    with tempfile.TemporaryDirectory(prefix="matchday-smoke-") as var_dir:
        env = production_env(database_url=args.database_url, port=port, var_dir=var_dir)
        try:
            if not args.keep_db:
                fresh_database(args.database_url)
            manage(env, "check")
            manage(env, "collectstatic", "--no-input", "-v", "0")
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "demo_seed")
            procs["gunicorn"] = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "matchday.config.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
                 "--preload", "--no-control-socket", "--access-logfile", "-",
                 "--pythonpath", str(ROOT / "src")],
                cwd=ROOT, env=env,
            )  # fmt: skip
            procs["db_worker"] = subprocess.Popen(
                [*MANAGE, "db_worker", "--queue-name", "*", "--interval", "0.5", "--no-reload"],
                cwd=ROOT, env=env,
            )  # fmt: skip
            clock = time.monotonic()
            wait_until_up(port, procs)
            print(f"gunicorn answers ({time.monotonic() - clock:.1f} s)", flush=True)
            check_health(port)
            clock = time.monotonic()
            for persona, email in DEMO_LOGINS.items():
                browser = Browser(port)
                crawl(browser, log_in(browser, email))
                browser.get_json("/api/v1/me")
                if persona == "partner":
                    curate_through_the_worker(browser)
                print(
                    f"{persona}: logged in, {len(browser.seen)} responses, no 5xx "
                    f"({time.monotonic() - clock:.1f} s)",
                    flush=True,
                )
                clock = time.monotonic()
            for proc_name, proc in procs.items():
                if proc.poll() is not None:
                    raise Failure(f"{proc_name} exited with {proc.returncode}")
        except Failure as exc:
            print(f"PRODUCTION SMOKE TEST FAILED: {exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            stop(procs)
    print(
        f"Production smoke test passed in {time.monotonic() - started:.0f} s: "
        f"three personas, every response below 500.",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
