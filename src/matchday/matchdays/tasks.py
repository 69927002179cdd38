"""Background work of a Match Day's curation. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.tasks import task

from matchday.matchdays import services


@task
def run_curation(run_id: int) -> str:
    """Score, explain, allocate and store the proposals of one curation run.

    A run that is no longer queued (finished, cancelled or already running) is left alone.
    Returns the run's final status.
    """
    return str(services.curation_run_execute(run_id=run_id).status)


@task
def announce_matchday(matchday_id: int) -> int:
    """Tell candidates and companies that a Match Day a partner created is coming (once per
    person; running it again sends nothing new). Returns how many messages were new."""
    from django.utils import timezone

    from matchday.matchdays.models import MatchDay
    from matchday.matchdays.schedules import matchday_announce

    md = MatchDay.objects.filter(pk=matchday_id, stopped_at=None).first()
    if md is None:
        return 0
    return matchday_announce(matchday=md, now=timezone.now())


@task
def score_curation_chunk(chunk_id: int) -> str:
    """Score one chunk of a run's roles (any worker, any host); the last chunk stored queues
    the allocation. A chunk already done, or running on a live worker, is left alone."""
    from matchday.matchdays import chunks

    return str(chunks.score_chunk(chunk_id))


@task
def allocate_curation(run_id: int) -> str:
    """Merge the chunks' shortlists, allocate, explain and store a chunked run's proposals."""
    from matchday.matchdays import chunks

    return str(chunks.allocate(run_id))
