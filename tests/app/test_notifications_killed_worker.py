"""A real ``db_worker`` killed with SIGKILL in the middle of sending an email: the message is
not lost, and running again delivers it exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUEUE = """
from django.db import transaction
from matchday.notifications.services import message_queue
from tests import factories
user = factories.CandidateProfileFactory().user
with transaction.atomic():
    message, _ = message_queue(recipient=user, kind="other", about="kill-test", subject="Hello",
                               body="Body")
print(message.pk)
"""


def _row(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select status, attempts, send_count from notifications_message"
        ).fetchone()


@pytest.mark.slow
def test_a_worker_killed_mid_send_loses_nothing_and_a_rerun_sends_once(tmp_path):
    db, maildir = tmp_path / "mail.sqlite3", tmp_path / "mail"
    maildir.mkdir()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.worker_mail_settings",
        DATABASE_URL=f"sqlite:///{db}",
        MATCHDAY_VAR_DIR=str(tmp_path),
        MATCHDAY_TEST_MAIL_DIR=str(maildir),
        MATCHDAY_MAIL_LEASE_SECONDS="2",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(args: list[str]) -> str:
        done = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, timeout=300)
        assert done.returncode == 0, (args[2:], done.stderr.decode()[-4000:])
        return done.stdout.decode()

    worker_once = [*manage, "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"]
    run([*manage, "migrate", "--no-input"])
    run([*manage, "shell", "-c", QUEUE])
    assert _row(db) == ("pending", 0, 0)

    (maildir / "block").touch()
    worker = subprocess.Popen(worker_once, env=env, cwd=tmp_path, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not (maildir / "entered").exists():
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the worker never started sending"
            time.sleep(0.1)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert _row(db) == ("sending", 1, 0)  # claimed, not sent, not lost
    assert not (maildir / "outbox.txt").exists()

    (maildir / "block").unlink()
    time.sleep(2.5)  # past the lease: the tick enqueues it again, a worker sends it
    outs = []
    for _ in range(2):  # and running everything again sends nothing twice
        outs.append(run([*manage, "matchday_tick"]))
        run(worker_once)
        assert _row(db) == ("sent", 2, 1)
        [line] = (maildir / "outbox.txt").read_text().splitlines()
        assert line.endswith("|Hello")
    assert "1 email(s) enqueued again" in outs[0]
    assert "enqueued again" not in outs[1]
