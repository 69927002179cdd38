"""`make run`: migrate the embedded SQLite database, load demo data if it is empty, start one
background worker (django-tasks-db's ``db_worker``) and the web server, and print the URL and
one demo login per persona. A small clock runs ``manage.py matchday_tick`` every minute (what
cron does in production: releases due Match Days, sends reminders and escalations).
Ctrl-C stops everything."""

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


def main() -> int:
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    manage("migrate", "--no-input", "-v", "0")
    manage("demo_seed", "--if-empty")
    worker = subprocess.Popen(
        [*MANAGE, "db_worker", "--interval", "0.5", "--no-reload", "--queue-name", "*"], cwd=ROOT
    )
    server = subprocess.Popen([*MANAGE, "runserver", f"{host}:{port}", "--noreload"], cwd=ROOT)

    wait_until_listening(host, int(port), server)
    sys.path.insert(0, str(ROOT / "src"))
    from matchday.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET

    print(
        f"\nMatchday is running at http://{host}:{port}/  (worker pid {worker.pid})\n"
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
        for proc in (server, worker):
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while server.poll() is None and worker.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for proc in (server, worker):
            proc.wait(timeout=20)
    return server.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
