"""A Match Day cycle: curation run → proposals → human review → blind interest → release →
intros → follow-up pipeline, with response deadlines so nobody is ghosted."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from matchday.core.fields import BoundedTextField, LineField

# Capacities a Match Day may set (the engine allocates over every pair: keep them human).
MAX_CANDIDATE_CAP = 50
MAX_ROLE_CAP = 500


class MatchDay(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CURATING = "curating", "Curation running"
        REVIEW = "review", "Human review"
        INTEREST = "interest", "Interest window open"
        RELEASED = "released", "Released"
        CLOSED = "closed", "Closed"

    class Policy(models.TextChoices):
        OPTIMAL = "optimal", "Optimal (maximum total fit)"
        STABLE = "stable", "Stable (no blocking pairs)"

    name = LineField(max_length=120)
    release_at = models.DateTimeField(help_text="When every intro is released at once.")
    release_timezone = models.CharField(max_length=64, default="UTC")
    interest_deadline = models.DateTimeField(help_text="Companies decide before this moment.")
    candidate_cap = models.PositiveSmallIntegerField(
        "K: proposals per candidate",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CANDIDATE_CAP)],
    )
    role_cap = models.PositiveSmallIntegerField(
        "M: proposals per role",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROLE_CAP)],
    )
    policy = models.CharField(max_length=8, choices=Policy.choices, default=Policy.OPTIMAL)
    # Empty means the default: all open roles of vetted companies / all active candidates.
    roles = models.ManyToManyField("companies.Role", blank=True, related_name="+")
    candidates = models.ManyToManyField("talent.CandidateProfile", blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stop_reason = BoundedTextField(blank=True, max_length=2000)
    released_at = models.DateTimeField(null=True, blank=True)
    # Recurring Match Days: the schedule and the slot it was created for (the slot stays even
    # when the release time is moved), when the tick curates it, when the interest window is
    # planned to open, and when it was announced.
    schedule = models.ForeignKey(
        "MatchDaySchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matchdays",
    )
    scheduled_release_at = models.DateTimeField(null=True, blank=True)
    curate_at = models.DateTimeField(null=True, blank=True)
    interest_opens_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-release_at", "-pk"]
        constraints = [
            # The tick creating the same slot twice (a crash, two workers) cannot make two.
            models.UniqueConstraint(
                fields=["schedule", "scheduled_release_at"],
                condition=Q(schedule__isnull=False),
                name="matchday_once_per_schedule_slot",
            ),
            models.CheckConstraint(
                condition=Q(interest_deadline__lte=models.F("release_at")),
                name="matchday_deadline_before_release",
            ),
            models.CheckConstraint(condition=Q(candidate_cap__gte=1), name="matchday_k_positive"),
            models.CheckConstraint(condition=Q(role_cap__gte=1), name="matchday_m_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("matchdays:detail", args=[self.pk])

    @property
    def is_stopped(self) -> bool:
        return self.stopped_at is not None


class MatchDaySchedule(models.Model):
    """A recurring Match Day: the product's rhythm (e.g. every second Tuesday at 10:00
    Europe/Berlin). The periodic tick creates and announces each Match Day ahead of its
    release, starts its curation at the right moment, and leaves the review to people.

    Timeline of one Match Day releasing at R (days are calendar days):
    created and announced at R - (interest + review + announce); curated at
    R - (interest + review); the interest window should open at R - interest and closes at R.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    name = LineField(max_length=100, help_text="Each Match Day is named after it and its date.")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    every_weeks = models.PositiveSmallIntegerField(default=2)
    release_time = models.TimeField(help_text="Local time of the release, in the time zone below.")
    timezone = models.CharField(max_length=64)
    starts_on = models.DateField(
        help_text="The first release is on the first such weekday from here."
    )
    interest_days = models.PositiveSmallIntegerField(default=3)
    review_days = models.PositiveSmallIntegerField(default=2)
    announce_days = models.PositiveSmallIntegerField(default=7)
    candidate_cap = models.PositiveSmallIntegerField(
        "K: proposals per candidate",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CANDIDATE_CAP)],
    )
    role_cap = models.PositiveSmallIntegerField(
        "M: proposals per role",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROLE_CAP)],
    )
    policy = models.CharField(
        max_length=8, choices=MatchDay.Policy.choices, default=MatchDay.Policy.OPTIMAL
    )
    active = models.BooleanField(default=True)
    # The next release slot not yet turned into a Match Day (or skipped).
    next_release_at = models.DateTimeField()
    # One slot the partner chose to skip (it is passed over once, then cleared).
    skip_release_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_weeks__gte=1) & Q(every_weeks__lte=8),
                name="schedule_every_1_to_8_weeks",
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday_valid"),
            models.CheckConstraint(condition=Q(interest_days__gte=1), name="schedule_window_days"),
            models.CheckConstraint(condition=Q(candidate_cap__gte=1), name="schedule_k_positive"),
            models.CheckConstraint(condition=Q(role_cap__gte=1), name="schedule_m_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("matchdays:schedule", args=[self.pk])


class CurationRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    matchday = models.ForeignKey(MatchDay, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    cancel_requested = models.BooleanField(default=False)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    # The lease of a running run: the worker renews ``heartbeat_at`` while it works (see
    # ``services.RunLease``); a run whose heartbeat is older than
    # ``MATCHDAY_CURATION_LEASE_SECONDS`` is marked failed (``services.curation_runs_expire``).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True, help_text="host:pid of the worker.")
    engine_version = models.CharField(max_length=20, blank=True)
    input_hash = models.CharField(max_length=80, blank=True)
    # The exact engine input (gzip JSON), downloadable to replay with the engine's CLI.
    engine_input = models.FileField(upload_to="curation-inputs/", blank=True)
    # The engine's output (gzip JSON): `python -m matchday.engine curate` on the input gives
    # these bytes; the run's proposals were stored from it.
    engine_output = models.FileField(upload_to="curation-outputs/", blank=True)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.matchday} ({self.status})"


class CurationChunk(models.Model):
    """One chunk of a run's roles, scored by whichever ``db_worker`` claims it (any host).

    The scoring result (the chunk's shortlist, see ``engine.batch.shortlist``) is stored
    here, so the run is allocated once every chunk is in, wherever each ran. A chunk is
    claimed only when queued or when its worker stopped sending heartbeats (it died): a
    chunk run twice stores the same bytes, since a chunk's result depends on the stored run
    input alone.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    run = models.ForeignKey(CurationRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    # The roles [role_start, role_end) of the run input, in its order.
    role_start = models.PositiveIntegerField()
    role_end = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    # The chunk's shortlist (numpy .npz, compressed).
    result = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="curation_chunk_once")]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="chunk_status_beat")]

    def __str__(self) -> str:
        return f"Chunk {self.index} of run {self.run_id} ({self.status})"


class Proposal(models.Model):
    """The engine's proposal of one candidate for one role, and the human decision on it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SWAPPED_OUT = "swapped_out", "Swapped out"

    class Source(models.TextChoices):
        ENGINE = "engine", "Proposed by the engine"
        SWAP = "swap", "Swapped in by a talent partner"

    matchday = models.ForeignKey(MatchDay, on_delete=models.CASCADE, related_name="proposals")
    run = models.ForeignKey(
        CurationRun, on_delete=models.SET_NULL, null=True, related_name="proposals"
    )
    candidate = models.ForeignKey(
        "talent.CandidateProfile", on_delete=models.CASCADE, related_name="proposals"
    )
    role = models.ForeignKey("companies.Role", on_delete=models.CASCADE, related_name="proposals")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ENGINE)
    # The AI's side, stored as computed.
    score = models.FloatField()
    role_fit = models.FloatField()
    candidate_fit = models.FloatField()
    explanation = models.JSONField(default=dict)
    sentences = models.JSONField(default=list)
    missing_required = models.PositiveSmallIntegerField(default=0)
    candidate_rank = models.PositiveIntegerField(null=True, blank=True)
    role_rank = models.PositiveIntegerField(null=True, blank=True)
    engine_version = models.CharField(max_length=20)
    input_hash = models.CharField(max_length=80)
    # The human side.
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = BoundedTextField(blank=True, max_length=2000)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role_id", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matchday", "candidate", "role"], name="proposal_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_reason=""),
                name="proposal_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["matchday", "status"]),
            models.Index(fields=["role", "status"]),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk}: candidate {self.candidate_id} for role {self.role_id}"


class Alternate(models.Model):
    """An eligible pair a curation run scored but did not propose: the swap picker's pool.

    Only the numbers are stored (no explanation): the picker explains the few alternates it
    shows by scoring them again through the engine, which also re-checks that they are still
    eligible. Kept per run: the top alternates per role and per candidate.
    """

    run = models.ForeignKey(CurationRun, on_delete=models.CASCADE, related_name="alternates")
    candidate = models.ForeignKey(
        "talent.CandidateProfile", on_delete=models.CASCADE, related_name="+"
    )
    role = models.ForeignKey("companies.Role", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    role_fit = models.FloatField()
    candidate_fit = models.FloatField()
    missing_required = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "candidate", "role"], name="alternate_unique_pair"
            ),
        ]
        indexes = [
            models.Index(fields=["run", "role", "-score"], name="alternate_by_role"),
            models.Index(fields=["run", "candidate", "-score"], name="alternate_by_candidate"),
        ]

    def __str__(self) -> str:
        return f"Alternate: candidate {self.candidate_id} for role {self.role_id} ({self.score})"


class Interest(models.Model):
    """A company's blind decision on an approved proposal, inside the interest window."""

    class Decision(models.TextChoices):
        INTERESTED = "interested", "Interested"
        PASSED = "passed", "Passed"

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="interest")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    offered_salary = models.PositiveIntegerField(null=True, blank=True)
    note = BoundedTextField(blank=True, max_length=2000)
    pass_reason = BoundedTextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(decision="interested") & Q(offered_salary__isnull=False))
                | (Q(decision="passed") & ~Q(pass_reason="")),
                name="interest_salary_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on proposal {self.proposal_id}"


class BlindTerm(models.Model):
    """A talent partner's correction to one candidate's blind text: a term to redact that
    the redactor missed, or a false positive to show. Applied wherever a blind card is built."""

    class Action(models.TextChoices):
        REDACT = "redact", "Redact"
        KEEP = "keep", "Show (not identifying)"

    candidate = models.ForeignKey(
        "talent.CandidateProfile", on_delete=models.CASCADE, related_name="blind_terms"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    term = LineField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "term", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("term"),
                "candidate",
                "action",
                name="blind_term_unique_per_candidate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.term}"


class ScoringWeightsVersion(models.Model):
    """A version of the score's weights that a talent partner adopted (``matchdays.weights``).

    The engine's defaults are version 0 and have no row; the highest ``number`` is what every
    curation run and swap scores with, and each run's stored input names it
    (``weights_version``) beside the weights themselves, so a replay uses the same ones.
    """

    number = models.PositiveIntegerField(unique=True)
    # Overrides of the engine's ScoringWeights (the weights a fit learns); the rest default.
    weights = models.JSONField()
    reason = BoundedTextField(max_length=2000)
    # What produced it, e.g. "weights fit 3" (the learning app's proposal it came from).
    source = models.CharField(max_length=200, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    adopted_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gt=0), name="weights_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Scoring weights v{self.number}"
