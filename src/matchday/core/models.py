"""Rows the whole product shares."""

from django.db import models


class PeriodicTick(models.Model):
    """The one chain of self-rescheduling ``followup.tasks.tick`` tasks: a single row
    (``pk=1``, made by the migration) locked whenever the chain is started or continued, so
    scheduling the tick twice — two deploys, two machines, a retry — never starts two chains.

    ``token`` names the task run the chain expects next; a tick task holding another token
    belongs to a superseded chain and stops without rescheduling."""

    SINGLETON = 1

    token = models.CharField(max_length=32, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"tick chain, next run {self.next_run_at}"
