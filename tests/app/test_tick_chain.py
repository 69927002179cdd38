"""The self-rescheduling tick: one chain however often it is scheduled, and it reschedules
itself even when a run fails."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from matchday.core.models import PeriodicTick
from matchday.followup import tasks

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[2]


def _queued_ticks():
    return DBTaskResult.objects.filter(task_path="matchday.followup.tasks.tick", status="READY")


@override_settings(TASKS=DB_TASKS, MATCHDAY_TICK_SECONDS=120)
def test_scheduling_twice_starts_one_chain():
    now = timezone.now()
    first = tasks.schedule_tick(now=now)
    assert first is not None
    assert tasks.schedule_tick(now=now) is None
    assert tasks.schedule_tick(now=now + timedelta(minutes=5)) is None  # chain still alive
    [queued] = _queued_ticks()
    chain = PeriodicTick.objects.get()
    assert queued.args_kwargs["kwargs"] == {"token": chain.token}
    assert queued.run_after == chain.next_run_at == now + timedelta(seconds=120)


@override_settings(TASKS=DB_TASKS, MATCHDAY_TICK_SECONDS=120)
def test_a_failing_tick_still_schedules_the_next_one_and_runs_its_other_steps(monkeypatch):
    tasks.schedule_tick()
    token = PeriodicTick.objects.get().token
    ran = []

    def broken(*, now):
        raise RuntimeError("schedules broke")

    monkeypatch.setattr(tasks.schedules, "schedules_run_due", broken)
    monkeypatch.setattr(tasks, "release_due", lambda *, now: ran.append("release") or {})
    with pytest.raises(tasks.TickFailed, match="schedules"):
        tasks.tick.call(token=token)
    assert ran == ["release"]  # the other steps still ran
    chain = PeriodicTick.objects.get()
    assert chain.token != token and chain.last_error.startswith("TickFailed")
    assert [t.args_kwargs["kwargs"]["token"] for t in _queued_ticks()] == [token, chain.token]


@override_settings(TASKS=DB_TASKS, MATCHDAY_TICK_SECONDS=120)
def test_a_tick_of_a_superseded_chain_does_nothing(monkeypatch):
    tasks.schedule_tick()
    monkeypatch.setattr(tasks, "run_tick", lambda *, now: pytest.fail("must not run"))
    assert tasks.tick.call(token="not-the-current-chain") == {"skipped": "superseded"}
    assert _queued_ticks().count() == 1


@override_settings(TASKS=DB_TASKS, MATCHDAY_TICK_SECONDS=120)
def test_a_dead_chain_is_restarted_and_the_old_one_stops():
    now = timezone.now()
    tasks.schedule_tick(now=now - timedelta(hours=1))  # its worker died: never continued
    old = PeriodicTick.objects.get().token
    assert tasks.schedule_tick(now=now) is not None
    assert PeriodicTick.objects.get().token != old
    assert tasks.tick.call(token=old) == {"skipped": "superseded"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_processes_scheduling_at_once_start_one_chain(tmp_path):
    db = tmp_path / "tick.sqlite3"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="matchday.config.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        MATCHDAY_VAR_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [*manage, "migrate", "--no-input"],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    procs = [
        subprocess.Popen(
            [*manage, "matchday_tick", "--schedule"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        outs.append(out.decode())
    with sqlite3.connect(db) as conn:
        ticks = conn.execute(
            "select count(*) from django_tasks_database_dbtaskresult "
            "where task_path = 'matchday.followup.tasks.tick'"
        ).fetchone()[0]
    assert ticks == 1
    assert sum("Tick scheduled" in o for o in outs) == 1
    assert sum("already scheduled" in o for o in outs) == 2


def test_a_tick_reports_every_step():
    result = tasks.run_tick(now=timezone.now())
    assert set(result) == {
        "recovered_chunks", "expired_runs", "schedules", "released", "reminded", "escalated",
        "candidates_reminded",
        "offers_reminded", "offers_expired", "mail_requeued", "deadline_reminders",
        "intros_reminded", "intros_expired", "digests",
    }  # fmt: skip
