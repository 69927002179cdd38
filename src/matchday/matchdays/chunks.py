"""Curation across workers: a run's roles split into chunks, each scored by whichever
``db_worker`` claims it, on any host; the run is allocated once every chunk is in.

1. The run's task stores the run input (object storage) and creates one
   :class:`CurationChunk` per ``MATCHDAY_CURATION_CHUNK_ROLES`` roles, each queued as a
   ``score_curation_chunk`` task.
2. A chunk task reads the stored run input (never the live rows: every chunk sees the same
   input), builds the run's skill graph over all its candidates and roles (the requirements'
   specificity is the whole run's: ``engine.pipeline.skill_graph``), scores its roles
   against every candidate (``engine.batch.shortlist``) and stores the chunk's shortlist in
   its row. Its progress callback is its heartbeat and checks for
   cancellation. The task that stores the last chunk queues the allocation, once (under the
   run's row lock).
3. ``allocate_curation`` merges the chunks' shortlists (``engine.batch.merge_shortlists``:
   the same shortlist as all roles at once, whatever the chunks or their order), allocates
   and explains (``engine.pipeline.curate_shortlist``) and stores the output and proposals
   exactly as a one-process run does: the output is the same bytes.

Crash safety: a chunk is claimed only while queued, or while running with a heartbeat older
than ``MATCHDAY_CURATION_CHUNK_LEASE_S`` (its worker died). :func:`recover_stale_chunks`
(run by the tick) queues such chunks again. A chunk scored twice stores the same bytes; the
allocation stores proposals only while the run is still running.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import socket
import time
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from matchday.embeddings.selectors import embeddings_for
from matchday.engine.batch import Shortlist, merge_shortlists, shortlist
from matchday.engine.cli_score import parse_input
from matchday.engine.encoder import get_encoder
from matchday.engine.io import parse_json
from matchday.engine.pipeline import CurationOptions, curate_shortlist, skill_graph
from matchday.matchdays.models import CurationChunk, CurationRun
from matchday.taxonomy.services import taxonomy_at

logger = logging.getLogger(__name__)

_ARRAYS = (
    "candidate",
    "role",
    "score",
    "role_fit",
    "candidate_fit",
    "missing_required",
    "rank_in_role",
    "rank_for_candidate",
)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


# -- 1. split -------------------------------------------------------------------------------


def split_run(run: CurationRun, *, n_roles: int, base_stats: dict[str, Any]) -> bool:
    """Queue the run's chunks when it has more roles than one chunk; False: run it here."""
    per_chunk = settings.MATCHDAY_CURATION_CHUNK_ROLES
    if not per_chunk or n_roles <= per_chunk:
        return False
    bounds = [(a, min(a + per_chunk, n_roles)) for a in range(0, n_roles, per_chunk)]
    with transaction.atomic():
        CurationChunk.objects.filter(run=run).delete()
        made = CurationChunk.objects.bulk_create(
            CurationChunk(run=run, index=i, role_start=a, role_end=b)
            for i, (a, b) in enumerate(bounds)
        )
        CurationRun.objects.filter(pk=run.pk).update(
            progress=5,
            progress_message=f"Scoring {n_roles:,} roles in {len(made)} chunks",
            stats={**base_stats, "chunks": len(made)},
        )
        ids = [c.pk for c in CurationChunk.objects.filter(run=run).order_by("index")]
        transaction.on_commit(lambda: _enqueue_chunks(ids))
    return True


def _enqueue_chunks(chunk_ids: list[int]) -> None:
    from matchday.matchdays.tasks import score_curation_chunk

    for pk in chunk_ids:
        score_curation_chunk.enqueue(chunk_id=pk)


# -- 2. score a chunk -----------------------------------------------------------------------


def _claim(chunk_id: int, now) -> bool:
    lease = timedelta(seconds=settings.MATCHDAY_CURATION_CHUNK_LEASE_S)
    with transaction.atomic():
        chunk = (
            CurationChunk.objects.select_for_update(of=("self",))
            .select_related("run")
            .filter(pk=chunk_id)
            .first()
        )
        if chunk is None or chunk.run.status != CurationRun.Status.RUNNING:
            return False
        alive = chunk.heartbeat_at is not None and chunk.heartbeat_at > now - lease
        if chunk.status == CurationChunk.Status.DONE or (
            chunk.status == CurationChunk.Status.RUNNING and alive
        ):
            return False
        chunk.status, chunk.heartbeat_at = CurationChunk.Status.RUNNING, now
        chunk.attempts += 1
        chunk.worker = _worker_name()
        chunk.save(update_fields=["status", "heartbeat_at", "attempts", "worker"])
        return True


def _load_input(run: CurationRun) -> dict[str, Any]:
    with run.engine_input.open("rb") as fh:
        return parse_json(gzip.decompress(fh.read()), run.engine_input.name or "run input")


class _Beat:
    """The chunk's progress callback: heartbeat, and the run's cancellation check."""

    def __init__(self, chunk: CurationChunk) -> None:
        from matchday.matchdays.services import _Progress

        self.chunk_pk, self.run_pk = chunk.pk, chunk.run_id
        self.check = _Progress(chunk.run_id, chunk.run.matchday_id).check

    def __call__(self, done: int = 0, total: int = 0) -> None:
        from matchday.matchdays.services import _LeaseLost, curation_run_heartbeat

        CurationChunk.objects.filter(pk=self.chunk_pk).update(heartbeat_at=timezone.now())
        if not curation_run_heartbeat(run_id=self.run_pk):
            raise _LeaseLost
        self.check()


def score_chunk(chunk_id: int, *, encoder: Any = None) -> str:
    """Score one chunk (if it is this worker's to score); returns the chunk's status."""
    from matchday.matchdays.services import curation_guard

    if not _claim(chunk_id, timezone.now()):
        chunk = CurationChunk.objects.filter(pk=chunk_id).first()
        return chunk.status if chunk else "missing"
    chunk = CurationChunk.objects.select_related("run__matchday").get(pk=chunk_id)
    run = chunk.run
    with curation_guard(run.pk):
        beat = _Beat(chunk)
        clock = time.perf_counter()
        doc = _load_input(run)
        tax = taxonomy_at(run.stats.get("taxonomy_version"))  # the run's, not today's
        candidates, roles, rates, weights = parse_input(doc, tax)
        options = CurationOptions.from_dict(doc["curation"])
        del doc
        beat()
        enc = encoder if encoder is not None else get_encoder()
        # The run's skill graph over ALL its candidates and roles, not this chunk's: the
        # requirements' specificity is the whole run's, so every chunk scores as one
        # process would (engine.pipeline.skill_graph).
        graph = skill_graph(tax, candidates, roles, enc)
        part_roles = roles[chunk.role_start : chunk.role_end]
        (cand_emb, role_emb), _ = embeddings_for(candidates, part_roles, enc)
        beat()
        part = shortlist(
            candidates,
            part_roles,
            taxonomy=graph,
            rates=rates,
            embeddings=(cand_emb, role_emb),
            weights=weights,
            top_k_per_role=options.k_role,
            top_k_per_candidate=options.k_candidate,
            progress=beat,
        )
        beat()
        _store_chunk(chunk, part, seconds=time.perf_counter() - clock)
        return CurationChunk.Status.DONE
    # curation_guard ended the run (cancelled or failed): this chunk is moot.
    return CurationChunk.objects.get(pk=chunk_id).status


def _pack(part: Shortlist) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        **{name: getattr(part, name) for name in _ARRAYS},
        candidate_ids=np.array(part.candidate_ids, dtype=str),
        role_ids=np.array(part.role_ids, dtype=str),
        meta=np.array(
            [part.top_k_per_role, part.top_k_per_candidate, part.pairs_scored, part.eligible_pairs],
            dtype=np.int64,
        ),
    )
    return buf.getvalue()


def _unpack(data: bytes | memoryview | None) -> Shortlist:
    if data is None:
        raise ValueError("a chunk marked done has no stored result")
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as z:
        k_role, k_cand, scored, eligible = (int(v) for v in z["meta"])
        return Shortlist(
            candidate_ids=tuple(z["candidate_ids"].tolist()),
            role_ids=tuple(z["role_ids"].tolist()),
            **{name: z[name] for name in _ARRAYS},
            top_k_per_role=k_role,
            top_k_per_candidate=k_cand,
            pairs_scored=scored,
            eligible_pairs=eligible,
        )


def _store_chunk(chunk: CurationChunk, part: Shortlist, *, seconds: float) -> None:
    packed = _pack(part)
    with transaction.atomic():
        run = CurationRun.objects.select_for_update().get(pk=chunk.run_id)
        if run.status != CurationRun.Status.RUNNING:
            return
        CurationChunk.objects.filter(pk=chunk.pk).update(
            status=CurationChunk.Status.DONE,
            result=packed,
            finished_at=timezone.now(),
            seconds=round(seconds, 3),
            heartbeat_at=timezone.now(),
        )
        chunks = CurationChunk.objects.filter(run=run)
        total = chunks.count()
        done = chunks.filter(status=CurationChunk.Status.DONE).count()
        run.progress = 5 + int(80 * done / total)
        run.progress_message = f"Scored {done} of {total} chunks"
        fields = ["progress", "progress_message"]
        if done == total and not run.stats.get("allocation_queued"):
            run.stats = {**run.stats, "allocation_queued": True}
            fields.append("stats")
            run_pk = run.pk
            transaction.on_commit(lambda: _enqueue_allocation(run_pk))
        run.save(update_fields=fields)


def _enqueue_allocation(run_id: int) -> None:
    from matchday.matchdays.tasks import allocate_curation

    allocate_curation.enqueue(run_id=run_id)


# -- 3. allocate ----------------------------------------------------------------------------


def allocate(run_id: int, *, encoder: Any = None) -> str:
    """Merge the chunks' shortlists, allocate, explain and store (the one-process result)."""
    from matchday.matchdays.services import _Progress, curation_guard, store_curation_result

    run = CurationRun.objects.select_related("matchday").get(pk=run_id)
    if run.status != CurationRun.Status.RUNNING:
        return run.status
    chunks = list(CurationChunk.objects.filter(run=run).order_by("index"))
    if not chunks or any(c.status != CurationChunk.Status.DONE for c in chunks):
        return run.status  # not all in: the last chunk queues this again
    with curation_guard(run_id):
        progress = _Progress(run.pk, run.matchday_id)
        clock, cpu = time.perf_counter(), time.process_time()
        progress(86, f"Merging {len(chunks)} chunks")
        merged = merge_shortlists([_unpack(c.result) for c in chunks])
        doc = _load_input(run)
        tax = taxonomy_at(run.stats.get("taxonomy_version"))  # the run's, not today's
        candidates, roles, rates, weights = parse_input(doc, tax)
        options = CurationOptions.from_dict(doc["curation"])
        del doc
        enc = encoder if encoder is not None else get_encoder()
        graph = skill_graph(tax, candidates, roles, enc)  # the same graph every chunk used
        embeddings, vector_counts = embeddings_for(candidates, roles, enc)
        merge_wall, merge_cpu = time.perf_counter() - clock, time.process_time() - cpu
        result = curate_shortlist(
            merged,
            candidates,
            roles,
            taxonomy=graph,
            rates=rates,
            options=options,
            weights=weights,
            embeddings=embeddings,
            progress=lambda fraction, message: progress(5 + 85 * fraction, message),
        )
        base = dict(run.stats)
        base.pop("allocation_queued", None)
        base["timings_s"] = {
            **base.get("timings_s", {}),
            "score_chunks": round(sum(c.seconds or 0 for c in chunks), 3),
            "merge": merge_wall,
        }
        base["cpu_s"] = {**base.get("cpu_s", {}), "merge": merge_cpu}
        base["chunk_attempts"] = sum(c.attempts for c in chunks)
        base["text_vectors"] = vector_counts
        store_curation_result(
            run,
            result,
            ihash=run.input_hash,
            encoder=enc,
            taxonomy=tax,
            base_stats=base,
            chunk_roles=settings.MATCHDAY_CURATION_CHUNK_ROLES,
            progress=progress,
        )
        CurationChunk.objects.filter(run=run).update(result=None)  # merged: free the space
    return CurationRun.objects.get(pk=run_id).status


# -- crash recovery -------------------------------------------------------------------------


def recover_stale_chunks(*, now=None) -> int:
    """Queue again every chunk of a running run whose worker stopped sending heartbeats
    (it died mid-chunk); returns how many. Run by the tick; safe to run anywhere, any time."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.MATCHDAY_CURATION_CHUNK_LEASE_S)
    stale = list(
        CurationChunk.objects.filter(
            run__status=CurationRun.Status.RUNNING,
            status=CurationChunk.Status.RUNNING,
            heartbeat_at__lt=now - lease,
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        logger.warning("curation chunk %s lost its worker: queued again", pk)
    if stale:
        CurationChunk.objects.filter(pk__in=stale).update(status=CurationChunk.Status.QUEUED)
    # A run whose chunks wait for a worker is not abandoned: renew its lease.
    waiting = CurationChunk.objects.filter(
        run__status=CurationRun.Status.RUNNING, status=CurationChunk.Status.QUEUED
    ).values("run_id")
    CurationRun.objects.filter(pk__in=waiting).update(heartbeat_at=now)
    if stale:
        _enqueue_chunks(stale)
    return len(stale)
