"""Curation across workers: a Match Day's roles scored in chunks by any number of worker
processes, in any order, a chunk run twice or its worker killed — the same proposals."""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from matchday.matchdays import chunks, services
from matchday.matchdays.models import CurationChunk, CurationRun, MatchDay
from tests import factories
from tests.market import build_market, create_matchday, make_person, run_curation
from tests.processes import manage, needs_shared_database, python


def _more_roles(market, n: int = 3) -> None:
    for i in range(n):
        factories.RoleFactory(company=market.member_b.company, open=True, title=f"ML Eng {i}")


def _more_people(n: int = 10) -> None:
    """Enough profiles that the run counts skill frequencies (engine.vocabulary's 20
    documents): PyTorch, which the roles ask for and almost everyone has, is down-weighted
    as generic in the whole run; one role's chunk among these profiles would count fewer."""
    for i in range(n):
        make_person(40 + i, skills={"python": 4, "pytorch": 2 + i % 4})


def _generic_down_weighted(md: MatchDay) -> bool:
    return any(
        s.get("informativeness", 1.0) < 1.0
        for e in md.proposals.values_list("explanation", flat=True)
        for key in ("matched", "adjacent", "missing")
        for s in e.get(key, [])
    )


def _proposals(md: MatchDay) -> list[tuple]:
    return sorted(
        md.proposals.values_list(
            "candidate_id",
            "role_id",
            "score",
            "role_fit",
            "candidate_fit",
            "candidate_rank",
            "role_rank",
            "sentences",
        )
    )


def _reference(market, md, capture) -> tuple[str, str, list[tuple]]:
    """One process, no chunks: the run every chunked run must equal."""
    from django.test import override_settings

    with override_settings(MATCHDAY_CURATION_CHUNK_ROLES=0):
        run = run_curation(market, md, capture)
    assert run.status == CurationRun.Status.SUCCEEDED, run.error
    assert "chunks" not in run.stats
    return run.input_hash, run.stats["output_hash"], _proposals(md)


@pytest.fixture
def market(db):
    m = build_market()
    _more_roles(m)
    return m


@pytest.fixture
def specific_market(db):
    """A run of 16 profiles and 6 roles: large enough that specificity weighs requirements."""
    m = build_market()
    _more_roles(m)
    _more_people()
    return m


def test_a_chunked_run_gives_the_one_process_output_byte_for_byte(
    specific_market, settings, django_capture_on_commit_callbacks
):
    market = specific_market
    md = create_matchday(market, candidate_cap=3, role_cap=4)
    ihash, ohash, proposals = _reference(market, md, django_capture_on_commit_callbacks)
    assert _generic_down_weighted(md)  # the run's specificity is in play
    settings.MATCHDAY_CURATION_CHUNK_ROLES = 2
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == CurationRun.Status.SUCCEEDED, run.error
    assert run.stats["chunks"] == 3 == run.chunks.count()
    assert run.stats["roles"] == 6
    assert (run.input_hash, run.stats["output_hash"]) == (ihash, ohash)
    assert _proposals(md) == proposals
    assert {"load", "score_chunks", "merge", "allocate", "explain", "store"} <= set(
        run.stats["timings_s"]
    )
    assert not any(c.result for c in run.chunks.all())  # merged, then freed


def test_chunks_count_specificity_over_the_whole_run_not_their_own_roles(
    specific_market, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The equivalence above holds because every chunk gets the skill graph of all
    candidates and roles: a graph built over one chunk's roles alone gives other proposals."""
    from matchday.engine import pipeline

    market = specific_market
    md = create_matchday(market, candidate_cap=3, role_cap=4)
    _, ohash, proposals = _reference(market, md, django_capture_on_commit_callbacks)
    settings.MATCHDAY_CURATION_CHUNK_ROLES = 1
    monkeypatch.setattr(
        chunks,
        "skill_graph",
        lambda tax, cands, roles, enc: pipeline.skill_graph(tax, cands, roles[:1], enc),
    )
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == CurationRun.Status.SUCCEEDED, run.error
    assert run.stats["output_hash"] != ohash
    assert _proposals(md) != proposals


def _split(market, md, settings, capture) -> CurationRun:
    """Start a chunked run whose chunk tasks are not run (their enqueues are dropped)."""
    settings.MATCHDAY_CURATION_CHUNK_ROLES = 1
    with capture(execute=False):
        run = services.curation_start(matchday=md, by=market.partner)
    with capture(execute=False):
        run = services.curation_run_execute(run_id=run.pk)
    assert run.status == CurationRun.Status.RUNNING
    return run


def test_chunks_in_any_order_and_a_chunk_run_twice_give_the_same_output(
    specific_market, settings, django_capture_on_commit_callbacks
):
    market = specific_market
    md = create_matchday(market, candidate_cap=3, role_cap=4)
    _, ohash, proposals = _reference(market, md, django_capture_on_commit_callbacks)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)
    ids = list(run.chunks.order_by("-index").values_list("pk", flat=True))
    assert len(ids) == 6
    queued = []
    for pk in ids:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert chunks.score_chunk(pk) == CurationChunk.Status.DONE
        queued.append(len(callbacks))
    assert queued == [0, 0, 0, 0, 0, 1]  # only the last chunk in queues the allocation
    first = CurationChunk.objects.get(pk=ids[0])
    assert chunks.score_chunk(ids[0]) == CurationChunk.Status.DONE  # done: not redone
    assert CurationChunk.objects.get(pk=ids[0]).attempts == first.attempts == 1
    assert chunks.allocate(run.pk) == CurationRun.Status.SUCCEEDED
    run.refresh_from_db()
    assert run.stats["output_hash"] == ohash
    assert _proposals(md) == proposals
    assert chunks.allocate(run.pk) == CurationRun.Status.SUCCEEDED  # a second time: no-op
    assert _proposals(md) == proposals


def test_allocation_waits_for_every_chunk(market, settings, django_capture_on_commit_callbacks):
    md = create_matchday(market)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)
    first = run.chunks.order_by("index").first()
    chunks.score_chunk(first.pk)
    assert chunks.allocate(run.pk) == CurationRun.Status.RUNNING
    assert not md.proposals.exists()


def test_cancel_stops_a_chunked_run_at_the_next_chunk(
    market, settings, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)
    ids = list(run.chunks.values_list("pk", flat=True))
    chunks.score_chunk(ids[0])
    services.curation_cancel(run=run, by=market.partner)
    chunks.score_chunk(ids[1])  # sees the cancel at its first heartbeat
    run.refresh_from_db()
    md.refresh_from_db()
    assert run.status == CurationRun.Status.CANCELLED
    assert md.status == MatchDay.Status.DRAFT
    assert chunks.score_chunk(ids[2]) == CurationChunk.Status.QUEUED  # never claimed
    assert not md.proposals.exists()


def test_a_failing_chunk_fails_the_run(
    market, settings, monkeypatch, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(chunks, "shortlist", broken)
    chunks.score_chunk(run.chunks.first().pk)
    run.refresh_from_db()
    assert run.status == CurationRun.Status.FAILED
    assert run.error == "RuntimeError: disk on fire"


def test_progress_shows_chunks_scored(market, settings, django_capture_on_commit_callbacks):
    md = create_matchday(market)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)
    assert run.progress_message == "Scoring 6 roles in 6 chunks"
    for pk in list(run.chunks.values_list("pk", flat=True))[:3]:
        chunks.score_chunk(pk)
    run.refresh_from_db()
    assert run.progress_message == "Scored 3 of 6 chunks"
    assert run.progress == 5 + 40


def test_a_chunk_whose_worker_died_is_queued_again_and_only_then(
    market, settings, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)
    dead, alive, *_ = run.chunks.order_by("index")
    now = timezone.now()
    lease = timedelta(seconds=settings.MATCHDAY_CURATION_CHUNK_LEASE_S)
    CurationChunk.objects.filter(pk=dead.pk).update(
        status="running", heartbeat_at=now - lease - timedelta(seconds=1), attempts=1
    )
    CurationChunk.objects.filter(pk=alive.pk).update(
        status="running", heartbeat_at=now - timedelta(seconds=5), attempts=1
    )
    assert chunks.score_chunk(alive.pk) == "running"  # its worker is alive: not taken over
    assert chunks.recover_stale_chunks(now=now) == 1  # queued again (run at once here)
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.attempts) == (CurationChunk.Status.DONE, 2)
    assert (alive.status, alive.attempts) == (CurationChunk.Status.RUNNING, 1)
    assert chunks.recover_stale_chunks(now=now) == 0


# -- separate worker processes on PostgreSQL ------------------------------------------------


def _wait(predicate, timeout: float, what: str, procs=()) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        for p in procs:
            if p.poll() is not None and p.returncode not in (0, -signal.SIGKILL):
                raise AssertionError(f"a worker exited: {p.stdout.read()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def _stop(procs) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(30)
        except Exception:
            p.kill()
            p.wait()


def _start_run(market, md, tmp_path, env) -> int:
    out = python(
        "from matchday.matchdays import services\n"
        "from matchday.matchdays.models import MatchDay\n"
        "from matchday.accounts.models import User\n"
        f"run = services.curation_start(matchday=MatchDay.objects.get(pk={md.pk}),\n"
        f"    by=User.objects.get(pk={market.partner.pk}))\n"
        "print(run.pk)\n",
        workdir=tmp_path / "web",
        extra=env,
    )
    return int(out.strip().splitlines()[-1])


def _workers(n: int, tmp_path, env, tag: str):
    return [
        manage(
            ["db_worker", "--interval", "0.1", "--no-startup-delay"],
            workdir=tmp_path / f"{tag}-worker-{i}",
            extra=env,
        )
        for i in range(n)
    ]


def _finished(run_pk: int):
    def done() -> bool:
        status = CurationRun.objects.get(pk=run_pk).status
        return status not in (CurationRun.Status.QUEUED, CurationRun.Status.RUNNING)

    return done


@needs_shared_database
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_two_and_four_worker_processes_give_the_same_proposals(
    s3_server, tmp_path, django_capture_on_commit_callbacks
):
    market = build_market()
    _more_roles(market, 5)
    _more_people()
    md = create_matchday(market, candidate_cap=3, role_cap=4)
    ihash, ohash, proposals = _reference(market, md, django_capture_on_commit_callbacks)
    assert _generic_down_weighted(md)
    env = {**s3_server.new_bucket(), "MATCHDAY_CURATION_CHUNK_ROLES": "1"}
    for n in (1, 2, 4):
        run_pk = _start_run(market, md, tmp_path / str(n), env)
        procs = _workers(n, tmp_path / str(n), env, "w")
        try:
            _wait(_finished(run_pk), 300, f"the run with {n} workers", procs)
        finally:
            _stop(procs)
        run = CurationRun.objects.get(pk=run_pk)
        assert run.status == CurationRun.Status.SUCCEEDED, run.error
        assert run.stats["chunks"] == 8
        assert (run.input_hash, run.stats["output_hash"]) == (ihash, ohash), n
        assert _proposals(MatchDay.objects.get(pk=md.pk)) == proposals
        workers = set(run.chunks.values_list("worker", flat=True))
        assert len(workers) >= min(n, 2), workers  # the chunks were spread over processes


@needs_shared_database
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_chunk_loses_nothing(
    s3_server, tmp_path, django_capture_on_commit_callbacks
):
    market = build_market()
    _more_roles(market, 1)
    _more_people()
    md = create_matchday(market, candidate_cap=3, role_cap=4)
    _, ohash, proposals = _reference(market, md, django_capture_on_commit_callbacks)
    assert _generic_down_weighted(md)
    env = {
        **s3_server.new_bucket(),
        "MATCHDAY_CURATION_CHUNK_ROLES": "1",
        "MATCHDAY_CURATION_CHUNK_LEASE_S": "3",
    }
    run_pk = _start_run(market, md, tmp_path, env)
    # A worker that hangs inside its first chunk's scoring, after claiming it.
    doomed = manage(
        [
            "shell",
            "-c",
            "import time\n"
            "from matchday.matchdays import chunks\n"
            "chunks.shortlist = lambda *a, **k: time.sleep(3600)\n"
            "from django.core.management import call_command\n"
            "call_command('db_worker', interval=0.1, startup_delay=False)\n",
        ],
        workdir=tmp_path / "doomed",
        extra=env,
    )
    pid = doomed.pid

    def claimed_by_doomed() -> bool:
        return CurationChunk.objects.filter(
            run_id=run_pk, status="running", worker__endswith=f":{pid}"
        ).exists()

    try:
        _wait(claimed_by_doomed, 180, "the doomed worker to claim a chunk", [doomed])
    finally:
        os.kill(pid, signal.SIGKILL)
        doomed.wait()
    lost = CurationChunk.objects.get(run_id=run_pk, worker__endswith=f":{pid}")
    procs = _workers(2, tmp_path, env, "rescue")
    try:
        # The others finish every other chunk; the lost one waits for its lease to expire.
        _wait(
            lambda: CurationChunk.objects.filter(run_id=run_pk, status="done").count() == 3,
            240,
            "the other chunks",
            procs,
        )
        assert CurationRun.objects.get(pk=run_pk).status == CurationRun.Status.RUNNING
        time.sleep(3.5)
        recovered = python(  # what the tick does, from any host
            "from matchday.matchdays import chunks\nprint(chunks.recover_stale_chunks())\n",
            workdir=tmp_path / "tick",
            extra=env,
        )
        assert recovered.strip().splitlines()[-1] == "1"
        _wait(_finished(run_pk), 240, "the run after recovery", procs)
    finally:
        _stop(procs)
    run = CurationRun.objects.get(pk=run_pk)
    assert run.status == CurationRun.Status.SUCCEEDED, run.error
    lost.refresh_from_db()
    assert lost.attempts == 2 and not lost.worker.endswith(f":{pid}")
    assert run.stats["output_hash"] == ohash
    assert _proposals(MatchDay.objects.get(pk=md.pk)) == proposals


def test_the_tick_queues_lost_chunks_again(market, settings, django_capture_on_commit_callbacks):
    from matchday.followup.tasks import run_tick

    md = create_matchday(market)
    run = _split(market, md, settings, django_capture_on_commit_callbacks)
    lost = run.chunks.order_by("index").first()
    CurationChunk.objects.filter(pk=lost.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    assert run_tick(now=timezone.now())["recovered_chunks"] == 1
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (CurationChunk.Status.DONE, 2)


def test_an_in_process_run_scores_every_role_here_whatever_the_chunk_size(
    market, settings, django_capture_on_commit_callbacks
):
    """The demo's story waits for its proposals: it curates in its own process."""
    md = create_matchday(market)
    settings.MATCHDAY_CURATION_CHUNK_ROLES = 1
    with django_capture_on_commit_callbacks(execute=False):
        run = services.curation_start(matchday=md, by=market.partner)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = services.curation_run_execute(run_id=run.pk, in_process=True)
    assert run.status == CurationRun.Status.SUCCEEDED, run.error
    assert not run.chunks.exists() and "chunks" not in run.stats
    assert queued == []  # no chunk task
    assert md.proposals.exists()
