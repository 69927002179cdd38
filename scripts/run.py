"""`make run`: migrate the embedded SQLite database, load demo data if it is empty, start one
background worker (django-tasks-db's ``db_worker``) and the web server, and print the URL and
one demo login per persona. A small clock runs ``manage.py matchday_tick`` every minute (what
cron does in production: releases due Match Days, sends reminders and escalations).
The worker waits out a database restart itself; if it exits anyway, it is started again with
backoff, and the web server keeps running. Ctrl-C stops everything."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchday.config.settings.dev")
PY = sys.executable
MANAGE = [PY, str(ROOT / "manage.py")]


def manage(*args: str) -> None:
    subprocess.run([*MANAGE, *args], check=True, cwd=ROOT)


class Supervised:
    """A child process kept running: when it exits (say the worker, after the database went
    away for longer than it waits), it is started again after a backoff of ``first`` seconds,
    doubling up to ``most``; the web server is not taken down with it. A child that had been
    running for ``most`` seconds starts again after the short wait."""

    def __init__(self, args: list[str], *, name: str, first: float = 1.0, most: float = 30.0):
        self.args, self.name, self.first, self.most = args, name, first, most
        self.delay = first
        self.restarts = 0
        self.restart_at: float | None = None
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self, now: float | None = None) -> subprocess.Popen:
        self.proc = subprocess.Popen(self.args, cwd=ROOT)
        self.started_at = time.monotonic() if now is None else now
        return self.proc

    def check(self, now: float | None = None) -> None:
        """Call now and then: restarts the child once its backoff has passed."""
        assert self.proc is not None
        now = time.monotonic() if now is None else now
        if self.proc.poll() is None:
            return
        if self.restart_at is None:
            if now - self.started_at >= self.most:
                self.delay = self.first
            self.restart_at = now + self.delay
            print(
                f"{self.name} exited with {self.proc.returncode}; restarting in {self.delay:g} s",
                file=sys.stderr, flush=True,
            )  # fmt: skip
            self.delay = min(self.delay * 2, self.most)
        elif now >= self.restart_at:
            self.restart_at = None
            self.restarts += 1
            self.start(now)

    def stop(self, timeout: float = 20) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=timeout)


def wait_until_listening(host: str, port: int, server: subprocess.Popen) -> None:
    """Print the URL only once the server answers (its system checks take a few seconds)."""
    for _ in range(240):
        if server.poll() is not None:
            raise SystemExit(f"the web server exited with code {server.returncode}")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.5)


def site_url(host: str, port: str, env: dict[str, str] | os._Environ[str]) -> str:
    """Where emailed links point: ``MATCHDAY_SITE_URL`` when set, else this server's address
    (so ``make run PORT=8001`` emails links to port 8001)."""
    if env.get("MATCHDAY_SITE_URL"):
        return env["MATCHDAY_SITE_URL"]
    # A server on every interface is reached at the loopback address.
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def main() -> int:
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    # Inherited by the worker, the web server and the clock: every process renders links.
    os.environ["MATCHDAY_SITE_URL"] = site_url(host, port, os.environ)
    manage("migrate", "--no-input", "-v", "0")
    manage("demo_seed", "--if-empty")
    worker = Supervised(
        [*MANAGE, "db_worker", "--interval", "0.5", "--no-reload", "--queue-name", "*"],
        name="the worker",
    )
    worker.start()
    server = subprocess.Popen([*MANAGE, "runserver", f"{host}:{port}", "--noreload"], cwd=ROOT)

    wait_until_listening(host, int(port), server)
    sys.path.insert(0, str(ROOT / "src"))
    from matchday.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET

    print(
        f"\nMatchday is running at {os.environ['MATCHDAY_SITE_URL']}/  "
        f"(worker pid {worker.proc.pid})\n"
        f"Demo logins (password for all: {DEMO_PASSWORD}):\n"
        + "".join(f"  {persona:<10} {email}\n" for persona, email in DEMO_LOGINS.items())
        + "Partner and company logins also ask for a two-factor code: add the demo secret\n"
        f"  {DEMO_TOTP_SECRET} to an authenticator app, or run\n"
        "  .venv/bin/python manage.py demo_totp\n"
        "Press Ctrl-C to stop.\n",
        flush=True,
    )

    stopping = threading.Event()

    def clock() -> None:
        while not stopping.wait(60):
            subprocess.run([*MANAGE, "matchday_tick"], cwd=ROOT, check=False)

    threading.Thread(target=clock, daemon=True).start()

    def stop(*_: object) -> None:
        stopping.set()
        if server.poll() is None:
            server.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        # The web server is what runs; the worker is restarted whenever it exits.
        while server.poll() is None and not stopping.is_set():
            worker.check()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        worker.stop()
        server.wait(timeout=20)
    return server.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
