from django.conf import settings
from django.db import models

from matchday.core.fields import LineField


class Message(models.Model):
    """Every email Matchday sends is also stored, so it can be shown and re-sent."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Match Day digest"
        REMINDER = "reminder", "Response reminder"
        ESCALATION = "escalation", "Escalation to talent partners"
        INTRO_ACCEPTED = "intro_accepted", "Intro accepted"
        OTHER = "other", "Other"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    to_email = models.EmailField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = LineField(max_length=200)
    body = models.TextField()
    # What the message is about, e.g. "matchdays.matchday:12" — used for idempotency.
    about = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "about"],
                condition=~models.Q(about=""),
                name="message_once_per_recipient_kind_about",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_email}: {self.subject}"
