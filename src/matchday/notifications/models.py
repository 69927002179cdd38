from django.conf import settings
from django.db import models

from matchday.core.fields import LineField


class Message(models.Model):
    """Every email Matchday sends is stored first, then delivered by a background task
    (``notifications.tasks.deliver_message``), so it can be retried, shown and re-sent.

    ``status`` moves ``pending`` -> ``sending`` (claimed by one worker until
    ``claimed_at`` + the lease) -> ``sent``; a failed attempt goes back to ``pending`` with
    ``next_attempt_at`` later (exponential backoff), and after the last attempt to ``failed``
    (a partner can re-send it from the failed-mail page).
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", "Match Day digest"
        REMINDER = "reminder", "Response reminder"
        ESCALATION = "escalation", "Escalation to talent partners"
        INTRO_ACCEPTED = "intro_accepted", "Intro accepted"
        # Sign-up confirmation, password reset, security notices (django-allauth). Their
        # bodies carry one-time links: never shown to partners, emptied once sent.
        ACCOUNT = "account", "Account and security"
        UPDATES = "updates", "Several updates in one email"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # Empty for account emails to an address with no account (password reset of an unknown
    # address: allauth still writes so that nobody learns which addresses are registered).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    to_email = models.EmailField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = LineField(max_length=200)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    # What the message is about, e.g. "matchdays.matchday:12" — used for idempotency.
    about = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Delivery attempts since it was queued (or last re-sent by a partner).
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
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
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_email}: {self.subject}"

    @property
    def holds_secret(self) -> bool:
        """Account emails carry sign-in links: partners see that they exist, not their text."""
        return self.kind == self.Kind.ACCOUNT


class Category(models.TextChoices):
    """What a message is about, as people choose which emails they get. Account and security
    messages are always emailed (``REQUIRED``); every message is in the inbox regardless."""

    ACCOUNT = "account", "Your account"
    SECURITY = "security", "Security"
    VETTING = "vetting", "Vetting decisions"
    MATCHDAY = "matchday", "Match Days, shortlists and deadlines"
    INTROS = "intros", "Intros and answers to them"
    PIPELINE = "pipeline", "Interviews, offers and outcomes"


REQUIRED_CATEGORIES = frozenset({Category.ACCOUNT, Category.SECURITY})


class InboxItem(models.Model):
    """One lifecycle message to one person, shown in their inbox with a link to the page
    where they act. Its email goes out at once, joins a digest, or is off by preference."""

    class Email(models.TextChoices):
        PENDING = "pending", "Waiting to join a digest"
        QUEUED = "queued", "Emailed"
        OFF = "off", "Not emailed (turned off)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    event = models.CharField(max_length=40)
    category = models.CharField(max_length=12, choices=Category.choices)
    # What the message is about (``about_key``): with the event, once per recipient.
    about = models.CharField(max_length=100)
    subject = LineField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True, help_text="A path on this site.")
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=8, choices=Email.choices, default=Email.PENDING)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbox_items"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event", "about"], name="inbox_once_per_recipient_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email", "recipient"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.recipient_id})"


class EmailPreference(models.Model):
    """A person turned the emails of one category off (or back on). No row: emails on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    category = models.CharField(max_length=12, choices=Category.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {'email' if self.email else 'inbox only'} ({self.user_id})"
