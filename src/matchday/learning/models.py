"""A proposal of new score weights, learned from the decisions people made, and its
comparison with the weights in use (``matchday.engine.learn``)."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class WeightsFit(models.Model):
    """One "propose new weights": the fit runs in the background; the result holds the
    learned and the current weights, their ranking quality on decisions held out by time,
    and the fairness check. Nothing changes until a partner adopts it (a new
    ``matchdays.ScoringWeightsVersion``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Ready to compare"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The weights version the proposal is compared against (and must still be current to adopt).
    base_version = models.PositiveIntegerField(default=0)
    examples = models.PositiveIntegerField(default=0, help_text="Decisions used.")
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    adopted_version = models.ForeignKey(
        "matchdays.ScoringWeightsVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Weights proposal {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("learning:fit", args=[self.pk])
