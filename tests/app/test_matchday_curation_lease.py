"""A curation run's lease: a run whose worker stops heartbeating is ended, never left running.

The real thing (a ``db_worker`` process killed mid-run on PostgreSQL) is in
``test_curation_lease_pg.py``; these tests drive the same services with the clock as a
parameter.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.followup.tasks import run_tick
from matchday.matchdays import services
from matchday.matchdays.models import CurationRun, MatchDay
from tests.market import build_market, create_matchday

pytestmark = pytest.mark.django_db

LEASE = 120


@pytest.fixture
def market(db):
    return build_market()


def _running(market, **kwargs):
    """A run claimed by a worker that then died (nothing renews its heartbeat)."""
    md = create_matchday(market, **kwargs)
    run = services.curation_start(matchday=md, by=market.partner)  # on_commit never fires
    CurationRun.objects.filter(pk=run.pk).update(
        status=CurationRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker="host:4242",
        progress=43,
    )
    run.refresh_from_db()
    return md, run


def _after_lease(run, seconds=LEASE + 1):
    return run.heartbeat_at + timedelta(seconds=seconds)


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_run_whose_heartbeat_is_older_than_the_lease_is_failed_and_its_matchday_moves_on(
    market,
):
    md, run = _running(market)
    assert services.curation_runs_expire(now=_after_lease(run, LEASE - 1)) == []
    [ended] = services.curation_runs_expire(now=_after_lease(run))
    run.refresh_from_db()
    md.refresh_from_db()
    assert ended.pk == run.pk
    assert run.status == CurationRun.Status.FAILED
    assert run.error == services.LEASE_EXPIRED.format(seconds=LEASE)
    assert run.finished_at == _after_lease(run)
    assert md.status == MatchDay.Status.DRAFT
    entry = AuditEntry.objects.get(action="curation.failed", target_id=str(run.pk))
    assert entry.actor is None
    assert entry.data["worker"] == "host:4242"
    assert services.curation_runs_expire(now=_after_lease(run, 10 * LEASE)) == []  # once


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_progress_reports_renew_the_lease(market):
    md, run = _running(market)
    old = timezone.now() - timedelta(seconds=LEASE - 5)
    CurationRun.objects.filter(pk=run.pk).update(heartbeat_at=old)
    before = timezone.now()
    services._Progress(run.pk, md.pk)(50, "Scored 2 of 3 roles")
    run.refresh_from_db()
    assert run.heartbeat_at >= before
    assert (run.progress, run.progress_message) == (50, "Scored 2 of 3 roles")
    # Without the report the run would have expired at old + lease.
    assert services.curation_runs_expire(now=old + timedelta(seconds=LEASE + 1)) == []


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_rerun_after_the_worker_died_starts_without_waiting_for_anyone(market):
    md, run = _running(market)
    CurationRun.objects.filter(pk=run.pk).update(heartbeat_at=_after_lease(run, -LEASE - 1))
    rerun = services.curation_start(matchday=md, by=market.partner)
    run.refresh_from_db()
    assert run.status == CurationRun.Status.FAILED
    assert rerun.status == CurationRun.Status.QUEUED
    md.refresh_from_db()
    assert md.status == MatchDay.Status.CURATING


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_live_runs_matchday_still_refuses_a_second_run(market):
    md, _run = _running(market)
    with pytest.raises(ValidationError) as exc:
        services.curation_start(matchday=md, by=market.partner)
    assert exc.value.messages == [services.CURATION_NOT_ALLOWED.format(status="Curation running")]


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_cancel_ends_a_dead_workers_run_at_once_and_only_asks_a_live_one(market):
    md, run = _running(market)
    services.curation_cancel(run=run, by=market.partner, now=_after_lease(run, LEASE - 1))
    run.refresh_from_db()
    assert (run.status, run.cancel_requested) == (CurationRun.Status.RUNNING, True)
    services.curation_cancel(run=run, by=market.partner, now=_after_lease(run))
    run.refresh_from_db()
    md.refresh_from_db()
    assert (run.status, run.progress_message) == (CurationRun.Status.CANCELLED, "Cancelled.")
    assert md.status == MatchDay.Status.DRAFT


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_cancel_the_dead_worker_never_saw_ends_as_cancelled_when_the_lease_expires(market):
    md, run = _running(market)
    services.curation_cancel(run=run, by=market.partner)
    services.curation_runs_expire(now=_after_lease(run))
    run.refresh_from_db()
    md.refresh_from_db()
    assert (run.status, run.progress_message) == (CurationRun.Status.CANCELLED, "Cancelled.")
    assert md.status == MatchDay.Status.DRAFT
    assert AuditEntry.objects.filter(action="curation.cancelled", target_id=str(run.pk)).exists()


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_stop_ends_a_dead_workers_run_and_the_matchday_leaves_curating(market):
    md, run = _running(market)
    services.matchday_stop(matchday=md, by=market.partner, reason="Bad data", now=_after_lease(run))
    run.refresh_from_db()
    md.refresh_from_db()
    assert (run.status, run.progress_message) == (
        CurationRun.Status.CANCELLED,
        "Stopped with the Match Day.",
    )
    assert md.status == MatchDay.Status.DRAFT and md.is_stopped


def test_stop_with_a_queued_run_leaves_curating_too(market):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)
    services.matchday_stop(matchday=md, by=market.partner, reason="Wrong caps")
    run.refresh_from_db()
    md.refresh_from_db()
    assert run.status == CurationRun.Status.CANCELLED
    assert md.status == MatchDay.Status.DRAFT


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_worker_whose_lease_expired_mid_run_keeps_nothing(market, monkeypatch):
    """The worker was only paused (not dead): after its run was failed, it must not store."""
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)
    real_curate = services.curate

    def curate(*args, progress, **kwargs):
        def paused_past_the_lease(fraction, message):
            if message.startswith("Scored"):
                later = timezone.now() + timedelta(seconds=LEASE + 1)
                assert services.curation_runs_expire(now=later)
            progress(fraction, message)

        return real_curate(*args, progress=paused_past_the_lease, **kwargs)

    monkeypatch.setattr(services, "curate", curate)
    run = services.curation_run_execute(run_id=run.pk)
    md.refresh_from_db()
    assert run.status == CurationRun.Status.FAILED
    assert run.error == services.LEASE_EXPIRED.format(seconds=LEASE)
    assert not md.proposals.exists()
    assert md.status == MatchDay.Status.DRAFT


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_a_lease_lost_before_the_store_stores_nothing(market, monkeypatch):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)
    real_proposal_rows = services.adapters.proposal_rows

    def expire_then_build(**kwargs):
        assert services.curation_runs_expire(now=timezone.now() + timedelta(seconds=LEASE + 1))
        return real_proposal_rows(**kwargs)

    monkeypatch.setattr(services.adapters, "proposal_rows", expire_then_build)
    run = services.curation_run_execute(run_id=run.pk)
    assert run.status == CurationRun.Status.FAILED
    assert not md.proposals.exists()


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_the_tick_ends_dead_workers_runs(market):
    md, run = _running(market)
    result = run_tick(now=_after_lease(run))
    assert result["expired_runs"] == [run.pk]
    md.refresh_from_db()
    assert md.status == MatchDay.Status.DRAFT


@override_settings(MATCHDAY_CURATION_LEASE_SECONDS=LEASE)
def test_the_matchday_page_shows_the_failed_run_and_offers_a_rerun(client, market):
    md, run = _running(market)
    CurationRun.objects.filter(pk=run.pk).update(heartbeat_at=_after_lease(run, -LEASE - 1))
    client.force_login(market.partner)
    html = client.get(md.get_absolute_url()).content.decode()
    assert services.LEASE_EXPIRED.format(seconds=LEASE) in html
    assert reverse("matchdays:run_start", args=[md.pk]) in html
    assert 'id="phase">Draft<' in html
