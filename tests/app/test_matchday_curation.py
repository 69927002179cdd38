"""Curation runs end to end on a small seeded marketplace, through the real task path."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from matchday.audits.models import AuditEntry
from matchday.engine import ENGINE_VERSION
from matchday.engine.io import input_hash
from matchday.matchdays import services
from matchday.matchdays.models import CurationRun, MatchDay, Proposal
from matchday.matchdays.tasks import run_curation as run_curation_task
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(db):
    return build_market()


def test_curation_run_stores_allocated_explained_proposals(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == CurationRun.Status.SUCCEEDED
    assert run.progress == 100
    assert md.status == MatchDay.Status.REVIEW
    proposals = list(md.proposals.all())
    assert proposals
    assert all(p.status == Proposal.Status.PENDING for p in proposals)
    assert all(p.engine_version == ENGINE_VERSION for p in proposals)
    assert {p.input_hash for p in proposals} == {run.input_hash}
    assert all(p.explanation["eligible"] and p.sentences for p in proposals)
    assert all(p.sentences[0].startswith(f"Score {p.score:.3f}") for p in proposals)
    per_candidate = Counter(p.candidate_id for p in proposals)
    per_role = Counter(p.role_id for p in proposals)
    assert max(per_candidate.values()) <= md.candidate_cap
    assert max(per_role.values()) <= md.role_cap


def test_curation_never_proposes_paused_hidden_or_unvetted(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market, role_cap=10, candidate_cap=3)
    run_curation(market, md, django_capture_on_commit_callbacks)
    pairs = set(md.proposals.values_list("candidate_id", "role_id"))
    assert not any(c == market.paused.pk for c, _ in pairs)
    assert not any(r == market.role_pending.pk for _, r in pairs)
    hidden_roles = {market.role_a1.pk, market.role_a2.pk}
    assert not any(c == market.hider.pk and r in hidden_roles for c, r in pairs)
    assert (market.hider.pk, market.role_b1.pk) in pairs


def test_curation_stores_the_exact_engine_input_and_its_hash(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    with run.engine_input.open("rb") as fh:
        doc = json.loads(gzip.decompress(fh.read()))
    assert input_hash(doc) == run.input_hash
    assert len(doc["candidates"]) == run.stats["candidates"] == 6
    assert len(doc["roles"]) == run.stats["roles"] == 3
    assert run.engine_version == ENGINE_VERSION


def test_rerun_replaces_pending_and_keeps_reviewed_proposals(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run_curation(market, md, django_capture_on_commit_callbacks)
    approved, rejected, *pending = list(md.proposals.order_by("-score", "pk"))
    services.proposal_approve(proposal=approved, by=market.partner)
    services.proposal_reject(proposal=rejected, by=market.partner, reason="Weak evidence.")
    old_pending = {p.pk for p in pending}

    run2 = run_curation(market, md, django_capture_on_commit_callbacks)

    assert run2.status == CurationRun.Status.SUCCEEDED
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert (approved.status, approved.run_id) == (Proposal.Status.APPROVED, approved.run_id)
    assert (rejected.status, rejected.review_reason) == (Proposal.Status.REJECTED, "Weak evidence.")
    current = list(md.proposals.filter(status=Proposal.Status.PENDING))
    assert not old_pending & {p.pk for p in current}
    assert {p.run_id for p in current} == {run2.pk}
    pairs = Counter(md.proposals.values_list("candidate_id", "role_id"))
    assert max(pairs.values()) == 1
    per_candidate = Counter(
        md.proposals.exclude(status="rejected").values_list("candidate_id", flat=True)
    )
    assert max(per_candidate.values()) <= md.candidate_cap
    assert run2.stats["pending_replaced"] == len(old_pending)


def test_running_the_task_twice_does_not_redo_a_finished_run(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    before = list(md.proposals.values_list("pk", flat=True))
    result = run_curation_task.call(run_id=run.pk)
    assert result == CurationRun.Status.SUCCEEDED
    assert list(md.proposals.values_list("pk", flat=True)) == before


def test_cancelling_a_queued_run_cancels_it_before_it_starts(market):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)  # on_commit never fires
    services.curation_cancel(run=run, by=market.partner)
    run.refresh_from_db()
    md.refresh_from_db()
    assert (run.status, run.progress_message) == (CurationRun.Status.CANCELLED, "Cancelled.")
    assert md.status == MatchDay.Status.DRAFT
    services.curation_run_execute(run_id=run.pk)
    assert not md.proposals.exists()


def test_a_running_run_stops_at_its_next_checkpoint_when_cancelled(market):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)
    CurationRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    run = services.curation_run_execute(run_id=run.pk)
    md.refresh_from_db()
    assert run.status == CurationRun.Status.CANCELLED
    assert not md.proposals.exists()
    assert md.status == MatchDay.Status.DRAFT
    assert AuditEntry.objects.filter(action="curation.cancelled", target_id=str(run.pk)).exists()


def test_cancel_requested_while_the_engine_scores_stops_the_run_from_inside_it(market, monkeypatch):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)
    engine_calls, reports = [], []
    real_curate = services.curate

    def curate(*args, progress, **kwargs):
        engine_calls.append(kwargs["chunk_roles"])

        def cancel_once_scoring(fraction, message):
            reports.append(message)
            if message.startswith("Scored"):
                CurationRun.objects.filter(pk=run.pk).update(cancel_requested=True)
            progress(fraction, message)

        return real_curate(*args, progress=cancel_once_scoring, **kwargs)

    monkeypatch.setattr(services, "curate", curate)
    run = services.curation_run_execute(run_id=run.pk, chunk_roles=1)
    assert run.status == CurationRun.Status.CANCELLED
    assert engine_calls == [1]  # one engine call for every role, cancelled after its first chunk
    assert reports[-1] == "Scored 1 of 3 roles"
    assert not md.proposals.exists()
    assert not run.engine_output


def test_one_engine_call_scores_every_role_and_its_progress_reaches_the_run(
    market, monkeypatch, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    messages = []
    real_call = services._Progress.__call__

    def record(self, percent, message):
        messages.append(message)
        real_call(self, percent, message)

    monkeypatch.setattr(services._Progress, "__call__", record)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == CurationRun.Status.SUCCEEDED
    assert [m for m in messages if m.startswith("Scored")] == ["Scored 3 of 3 roles"]
    assert (
        set(run.stats["cpu_s"])
        == set(run.stats["timings_s"])
        == {
            "load",
            "vectors",
            "score",
            "allocate",
            "explain",
            "store",
        }
    )


def test_cancelling_a_finished_run_is_refused(market, django_capture_on_commit_callbacks):
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        services.curation_cancel(run=run, by=market.partner)
    assert exc.value.messages == [services.RUN_NOT_ACTIVE]


def test_a_second_run_cannot_start_while_one_is_queued(market):
    md = create_matchday(market)
    services.curation_start(matchday=md, by=market.partner)
    with pytest.raises(ValidationError) as exc:
        services.curation_start(matchday=md, by=market.partner)
    assert exc.value.messages == [services.CURATION_NOT_ALLOWED.format(status="Curation running")]


def test_stop_halts_curation_and_everything_after(market, django_capture_on_commit_callbacks):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)
    services.matchday_stop(matchday=md, by=market.partner, reason="Data problem found.")
    run.refresh_from_db()
    md.refresh_from_db()
    assert run.status == CurationRun.Status.CANCELLED
    assert md.is_stopped and md.stop_reason == "Data problem found."
    with pytest.raises(ValidationError) as exc:
        services.curation_start(matchday=md, by=market.partner)
    assert exc.value.messages == [services.MATCHDAY_STOPPED]
    with pytest.raises(ValidationError) as exc:
        services.matchday_stop(matchday=md, by=market.partner, reason="Again.")
    assert exc.value.messages == [services.MATCHDAY_ALREADY_STOPPED]


def test_stop_requires_a_reason(market):
    md = create_matchday(market)
    with pytest.raises(ValidationError) as exc:
        services.matchday_stop(matchday=md, by=market.partner, reason="  ")
    assert exc.value.message_dict == {"reason": [services.REASON_REQUIRED]}


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"interest_deadline": "after"}, {"interest_deadline": [services.DEADLINE_AFTER_RELEASE]}),
        (
            {"release_timezone": "Mars/Olympus"},
            {"release_timezone": [services.UNKNOWN_TIMEZONE.format(name="Mars/Olympus")]},
        ),
    ],
)
def test_matchday_create_validates_its_schedule(market, kwargs, errors):
    from tests.market import RELEASE

    if kwargs.get("interest_deadline") == "after":
        kwargs["interest_deadline"] = RELEASE.replace(hour=10)
    with pytest.raises(ValidationError) as exc:
        create_matchday(market, **kwargs)
    assert exc.value.message_dict == errors


def test_matchday_create_refuses_a_role_of_an_unvetted_company(market):
    with pytest.raises(ValidationError) as exc:
        create_matchday(market, roles=[market.role_pending])
    assert exc.value.message_dict == {
        "roles": [services.ROLE_NOT_ELIGIBLE.format(role=market.role_pending)]
    }


def test_matchday_with_chosen_roles_only_curates_those(market, django_capture_on_commit_callbacks):
    md = create_matchday(market, roles=[market.role_b1])
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.stats["roles"] == 1
    assert set(md.proposals.values_list("role_id", flat=True)) == {market.role_b1.pk}
