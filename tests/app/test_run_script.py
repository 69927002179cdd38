"""``scripts/run.py`` keeps its worker running: a worker that exits is started again with
backoff, instead of taking the web server down with it."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parents[2] / "scripts" / "run.py"


@pytest.fixture(scope="module")
def run_script():
    spec = importlib.util.spec_from_file_location("matchday_run_script", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_child_that_exits_is_restarted_with_growing_then_capped_backoff(run_script):
    child = run_script.Supervised(
        [sys.executable, "-c", "raise SystemExit(3)"], name="the worker", first=0.1, most=0.4
    )
    now = time.monotonic()
    child.start(now)
    child.proc.wait(timeout=30)
    waits = []
    for _ in range(5):
        child.check(now)  # notices the exit, schedules the restart
        waits.append(round(child.restart_at - now, 3))
        child.check(now + 0.05)
        assert child.restarts == len(waits) - 1  # not before its backoff has passed
        now = child.restart_at
        child.check(now)
        assert child.restarts == len(waits)
        child.proc.wait(timeout=30)
    assert waits == [0.1, 0.2, 0.4, 0.4, 0.4]
    assert child.proc.returncode == 3


def test_a_running_child_is_left_alone_and_stopped_on_request(run_script):
    child = run_script.Supervised(
        [sys.executable, "-c", "import time; time.sleep(60)"], name="the worker", first=0.1
    )
    proc = child.start()
    child.check()
    assert child.restart_at is None and child.restarts == 0
    child.stop()
    assert proc.poll() is not None


def test_a_child_that_ran_for_a_while_restarts_after_the_short_wait(run_script):
    child = run_script.Supervised(
        [sys.executable, "-c", "raise SystemExit(1)"], name="the worker", first=0.1, most=0.4
    )
    child.start()
    child.proc.wait(timeout=30)
    child.delay = 0.4  # it had backed off before
    child.check(child.started_at + 10)  # but then ran for longer than the longest wait
    assert child.restart_at == pytest.approx(child.started_at + 10.1)
