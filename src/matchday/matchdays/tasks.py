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
