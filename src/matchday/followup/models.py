"""The follow-up's records: released intros, the pipeline after an accepted intro, written
offers, and whether companies answered in time.

These models were first defined in ``matchdays`` and moved here (``followup`` owns them now,
``matchdays`` knows nothing of them). They keep the tables they had (``matchdays_intro`` and
so on): the move changed Django's state only, no row moved. Records written before the move
name them ``matchdays.intro`` in the audit log; ``LEGACY_LABELS`` maps the labels so readers
find both.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from matchday.core.choices import PayPeriod
from matchday.core.fields import BoundedTextField, LineField


class Intro(models.Model):
    """A released introduction: what the candidate receives on Match Day."""

    class Status(models.TextChoices):
        RELEASED = "released", "Awaiting your answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn by the candidate"
        CLOSED = "closed", "Closed"
        HIRED = "hired", "Hired"
        EXPIRED = "expired", "Expired unanswered"

    matchday = models.ForeignKey(
        "matchdays.MatchDay", on_delete=models.CASCADE, related_name="intros"
    )
    proposal = models.OneToOneField(
        "matchdays.Proposal", on_delete=models.CASCADE, related_name="intro"
    )
    candidate = models.ForeignKey(
        "talent.CandidateProfile", on_delete=models.CASCADE, related_name="intros"
    )
    role = models.ForeignKey("companies.Role", on_delete=models.CASCADE, related_name="intros")
    offered_salary = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RELEASED)
    released_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = BoundedTextField(blank=True, max_length=2000)
    close_reason = BoundedTextField(blank=True, max_length=2000)
    # How many "waiting for your answer" reminders the candidate got (followup.lifecycle).
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "matchdays_intro"  # the table it had under matchdays (see the module docstring)
        ordering = ["-released_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matchday", "candidate", "role"], name="intro_unique_pair"
            )
        ]
        indexes = [models.Index(fields=["candidate", "status"])]

    def __str__(self) -> str:
        return f"Intro {self.pk}: {self.role} ({self.get_status_display()})"

    @property
    def identity_revealed(self) -> bool:
        return self.status in {self.Status.ACCEPTED, self.Status.HIRED, self.Status.CLOSED} and (
            self.decided_at is not None
        )


class PipelineStep(models.Model):
    """One step after an accepted intro, with an owner and a due date."""

    class Kind(models.TextChoices):
        SCREEN = "screen", "Screen"
        INTERVIEW = "interview", "Interview"
        OFFER = "offer", "Offer"
        HIRED = "hired", "Hired"
        CLOSED = "closed", "Closed"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    intro = models.ForeignKey(Intro, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = LineField(max_length=120)
    # The role's interview step this pipeline step runs (its prep material); interviews only.
    interview_step = models.ForeignKey(
        "companies.InterviewStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pipeline_steps",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(help_text="The company must act by then.")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = LineField(max_length=300, blank=True)
    notes = BoundedTextField(blank=True, max_length=4000)
    close_reason = BoundedTextField(blank=True, max_length=2000)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = (
            "matchdays_pipelinestep"  # the table it had under matchdays (see the module docstring)
        )
        ordering = ["intro_id", "position", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class Offer(models.Model):
    """A written offer on an intro's offer step: the terms, and the candidate's answer.

    At most one offer per intro awaits an answer; making a new one withdraws the previous.
    The hire step opens only once the candidate has accepted one.
    """

    class Status(models.TextChoices):
        MADE = "made", "Awaiting the candidate's answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    intro = models.ForeignKey(Intro, on_delete=models.CASCADE, related_name="offers")
    step = models.ForeignKey(PipelineStep, on_delete=models.CASCADE, related_name="offers")
    amount = models.PositiveIntegerField(help_text="Whole currency units.")
    currency = models.CharField(max_length=3)
    pay_period = models.CharField(max_length=8, choices=PayPeriod.choices, default=PayPeriod.YEAR)
    start_date = models.DateField()
    expires_at = models.DateTimeField(help_text="The candidate answers by then.")
    notes = BoundedTextField(blank=True, max_length=4000)
    outside_band_reason = BoundedTextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MADE)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = BoundedTextField(blank=True, max_length=2000)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "matchdays_offer"  # the table it had under matchdays (see the module docstring)
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="offer_amount_positive"),
            models.UniqueConstraint(
                fields=["intro"], condition=Q(status="made"), name="offer_one_open_per_intro"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Offer {self.pk}: {self.amount:,} {self.currency} ({self.get_status_display()})"


class ResponseRecord(models.Model):
    """Did the company answer in time? One row per thing it had to answer.

    Feeds each company's responsiveness: share answered in time and median response
    time over a rolling 90 days.
    """

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="responses"
    )
    intro = models.ForeignKey(Intro, on_delete=models.CASCADE, related_name="responses")
    step = models.OneToOneField(
        PipelineStep, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    missed = models.BooleanField(default=False)

    class Meta:
        db_table = "matchdays_responserecord"  # the table it had under matchdays (see the module docstring)
        ordering = ["-opened_at", "pk"]
        indexes = [models.Index(fields=["company", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.company}: due {self.due_at:%Y-%m-%d}"


# Audit entries recorded before the models moved here name them by their old label; the
# audit log is append-only, so readers ask for both (``labels_of``).
LEGACY_LABELS: dict[str, str] = {
    "followup.intro": "matchdays.intro",
    "followup.pipelinestep": "matchdays.pipelinestep",
    "followup.offer": "matchdays.offer",
    "followup.responserecord": "matchdays.responserecord",
}


def labels_of(model: type[models.Model]) -> list[str]:
    """The model's label and, for the moved models, the one older audit entries carry."""
    label = model._meta.label_lower
    return [label, LEGACY_LABELS[label]] if label in LEGACY_LABELS else [label]
