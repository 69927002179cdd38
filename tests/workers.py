"""Real db_worker processes for the crash and outage tests: start, wait, stop; and the worker
run in the test's own process and transaction (``run_worker_here``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url(*, port: int | None = None) -> str:
    """The test database's URL, for another process (through ``port`` when given)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{port or s['PORT'] or 5432}/{s['NAME']}"


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def start_worker(tmp_path: Path, name: str, *, port: int | None = None) -> subprocess.Popen:
    """``manage.py db_worker`` on the test database, logging to ``tmp_path/<name>.log``."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "matchday.config.settings.base",
        "DATABASE_URL": database_url(port=port),
        "MATCHDAY_VAR_DIR": str(tmp_path),
        "MATCHDAY_CURATION_HEARTBEAT_SECONDS": "0.2",
    }
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--queue-name",
            "*",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, *, timeout: float, what: str, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) while waiting for {what}")
        time.sleep(0.005)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run_worker_here(**options) -> str:
    """What ``manage.py db_worker --batch`` does, in this process and inside the test's
    transaction: run every task that is due, then return (with what the worker printed).

    Two things of a worker process are left out. Its recycling of old connections
    (``close_old_connections``) closes a connection it finds inside a transaction, and here
    that is the test's own: on PostgreSQL every later query of the test then fails with "the
    connection is closed" (SQLite's in-memory database ignores the close, so it passed
    there). And the signal handlers it installs are put back afterwards.
    """
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    out = StringIO()
    try:
        with mock.patch.object(db_worker, "close_old_connections", lambda: None):
            call_command(
                "db_worker", batch=True, startup_delay=False, interval=0, stdout=out, **options
            )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return out.getvalue()
