"""Separate OS processes against one database, as on several hosts: the S3-compatible
server (moto's server mode) and helpers to start ``manage.py`` processes (db_worker, a web
client) that share nothing with the test process but the database, the bucket and the cache.

Processes can share a database only on PostgreSQL (the SQLite test database lives in the
test process's memory), so these tests run in CI's PostgreSQL pass.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.workers import database_url

REPO = Path(__file__).resolve().parents[1]

needs_shared_database = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="processes share the database only on PostgreSQL (CI's PostgreSQL pass runs this)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_env(*, workdir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment of a Matchday process: test settings, tasks from the database, its own
    var directory (no shared disk) and the test database."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MATCHDAY_S3_", "COV_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="matchday.config.settings.test",
        DATABASE_URL=database_url(),
        MATCHDAY_TEST_TASKS="db",
        MATCHDAY_VAR_DIR=str(workdir / "var"),
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        OMP_NUM_THREADS="1",
    )
    env.update(extra or {})
    return env


def manage(args: list[str], *, workdir: Path, extra=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=workdir,
        env=process_env(workdir=workdir, extra=extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def python(code: str, *, workdir: Path, extra=None, timeout: float = 180) -> str:
    """Run ``code`` in a new process with Django set up; its stdout (fails on exit != 0)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=workdir.mkdir(parents=True, exist_ok=True) or workdir,
        env=process_env(workdir=workdir, extra=extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout


class S3Server:
    """moto's S3-compatible server in its own process on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.2)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def new_bucket(self) -> dict[str, str]:
        """A fresh bucket; the environment that points Matchday's storage at it."""
        name = f"matchday-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return {
            "MATCHDAY_S3_BUCKET": name,
            "MATCHDAY_S3_ENDPOINT_URL": self.endpoint,
            "MATCHDAY_S3_REGION": "us-east-1",
            "MATCHDAY_S3_ACCESS_KEY_ID": "testing",
            "MATCHDAY_S3_SECRET_ACCESS_KEY": "testing",
            "MATCHDAY_S3_ADDRESSING_STYLE": "path",
        }

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
