"""Kill a real ``db_worker`` mid-curation on PostgreSQL: the run's lease expires, the run is
failed, the partner re-runs, and the proposals equal an uninterrupted run's.

Needs the PostgreSQL test database (CI's PostgreSQL pass, or ``DATABASE_URL=postgres://…``):
the worker is a separate process that must see the rows this test commits."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from matchday.accounts.models import User
from matchday.demo.generate import demo_generate
from matchday.matchdays import services
from matchday.matchdays.models import CurationRun, MatchDay, Proposal
from tests.workers import (
    DB_TASKS,
    start_worker,
    stop,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs the PostgreSQL test database (runs in CI's PostgreSQL pass)",
    ),
]


LEASE = 2


def proposals_of(md: MatchDay) -> list[tuple]:
    return list(
        Proposal.objects.filter(matchday=md)
        .order_by("candidate_id", "role_id")
        .values_list(
            "candidate_id",
            "role_id",
            "score",
            "role_fit",
            "candidate_fit",
            "candidate_rank",
            "role_rank",
            "sentences",
            "input_hash",
            "status",
        )
    )


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_worker_killed_mid_run_leaves_a_failed_run_and_the_rerun_equals_an_uninterrupted_one(
    tmp_path,
):
    demo_generate()  # the demo marketplace: 300 candidates, 40 companies, 120 roles
    partner = User.objects.get(email="partner@demo.matchday.dev")
    now = timezone.now()
    md = services.matchday_create(
        by=partner,
        name="Kill-the-worker Match Day",
        release_at=now + timedelta(days=9),
        interest_deadline=now + timedelta(days=8),
        candidate_cap=3,
        role_cap=10,
    )

    # The reference: an uninterrupted run (the immediate backend runs it in this process).
    reference = services.curation_start(matchday=md, by=partner)
    reference.refresh_from_db()
    assert reference.status == CurationRun.Status.SUCCEEDED, reference.error
    expected = proposals_of(md)
    assert len(expected) > 100

    # A real worker takes the next run; it is killed while the engine works.
    with override_settings(TASKS=DB_TASKS):
        victim = start_worker(tmp_path, "killed")
        try:
            run = services.curation_start(matchday=md, by=partner)
            wait_for(
                lambda: CurationRun.objects.filter(
                    pk=run.pk, status=CurationRun.Status.RUNNING, progress__gte=5
                ).exists(),
                timeout=120,
                what="the worker to start the engine",
                worker=victim,
            )
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
        finally:
            stop(victim)
    run.refresh_from_db()
    md.refresh_from_db()
    assert run.status == CurationRun.Status.RUNNING  # killed mid-run, nothing ended it
    assert 5 <= run.progress < 100
    assert run.worker.endswith(f":{victim.pid}")
    assert run.heartbeat_at >= run.started_at
    assert md.status == MatchDay.Status.CURATING
    assert proposals_of(md) == expected  # the killed run stored nothing

    # Within the lease nothing is decided; once it has passed, the run is failed.
    if timezone.now() < run.heartbeat_at + timedelta(seconds=LEASE - 0.5):
        assert services.curation_runs_expire(matchday=md) == []
    time.sleep(max(0.0, (run.heartbeat_at - timezone.now()).total_seconds() + LEASE + 0.1))
    assert [r.pk for r in services.curation_runs_expire(matchday=md)] == [run.pk]
    run.refresh_from_db()
    md.refresh_from_db()
    assert run.status == CurationRun.Status.FAILED
    assert run.error == services.LEASE_EXPIRED.format(seconds=LEASE)
    assert md.status == MatchDay.Status.REVIEW  # the earlier run's proposals are still there

    # The partner re-runs on a fresh worker: the same proposals as the uninterrupted run.
    with override_settings(TASKS=DB_TASKS):
        worker = start_worker(tmp_path, "rerun")
        try:
            rerun = services.curation_start(matchday=md, by=partner)
            wait_for(
                lambda: CurationRun.objects.filter(
                    pk=rerun.pk,
                    status__in=[CurationRun.Status.SUCCEEDED, CurationRun.Status.FAILED],
                ).exists(),
                timeout=120,
                what="the re-run to finish",
                worker=worker,
            )
        finally:
            stop(worker)
    rerun.refresh_from_db()
    md.refresh_from_db()
    assert rerun.status == CurationRun.Status.SUCCEEDED, rerun.error
    assert md.status == MatchDay.Status.REVIEW
    assert rerun.input_hash == reference.input_hash
    assert rerun.stats["output_hash"] == reference.stats["output_hash"]
    assert proposals_of(md) == expected
    assert worker.returncode == 0  # SIGTERM: the worker finished gracefully


def test_the_lease_thread_renews_the_heartbeat_while_the_run_works():
    from tests import factories

    partner = factories.PartnerFactory()
    now = timezone.now()
    md = services.matchday_create(
        by=partner,
        name="Lease",
        release_at=now + timedelta(days=9),
        interest_deadline=now + timedelta(days=8),
    )
    run = CurationRun.objects.create(
        matchday=md, status=CurationRun.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    with services.RunLease(run.pk, interval=0.05) as lease:
        time.sleep(0.5)  # a long step with no progress report
    run.refresh_from_db()
    assert run.heartbeat_at > now + timedelta(seconds=0.3)
    assert not lease.lost
    CurationRun.objects.filter(pk=run.pk).update(status=CurationRun.Status.FAILED)
    with services.RunLease(run.pk, interval=0.05) as lease:
        wait_for(lambda: lease.lost, timeout=5, what="the lease to be lost")
