from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField

from matchday.core.choices import Level, PayPeriod, RemotePreference, skill_level_label
from matchday.core.fields import BoundedTextField, LineField
from matchday.talent import preferences
from matchday.talent.preferences import ChoiceListValidator


class CandidateProfile(models.Model):
    """One structured profile per candidate user."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for vetting"
        VETTED = "vetted", "Vetted"
        REJECTED = "rejected", "Not accepted"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    headline = LineField(max_length=160, blank=True)
    summary = BoundedTextField(blank=True, max_length=4000)

    country = CountryField(blank=True)
    city = LineField(max_length=100, blank=True)
    timezone = models.CharField(
        max_length=64,
        blank=True,
        help_text="IANA name, e.g. Europe/Berlin",
        validators=[preferences.validate_timezone],
    )
    remote_preference = models.CharField(
        max_length=8, choices=RemotePreference.choices, default=RemotePreference.REMOTE
    )
    acceptable_countries = CountryField(multiple=True, blank=True)
    acceptable_cities = models.JSONField(
        default=list, blank=True, validators=[preferences.validate_cities]
    )
    work_authorization = CountryField(multiple=True, blank=True)

    years_experience = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    level = models.CharField(max_length=16, choices=Level.choices, blank=True)
    role_types = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator("role_types")]
    )
    domains = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator("domains")]
    )
    company_stages = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator("company_stages")]
    )
    company_sizes = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator("company_sizes")]
    )

    # Pay expectations only; Matchday never asks for pay history. Whole currency units.
    min_pay_amount = models.PositiveIntegerField(null=True, blank=True)
    min_pay_currency = models.CharField(max_length=3, blank=True)
    min_pay_period = models.CharField(
        max_length=8, choices=PayPeriod.choices, default=PayPeriod.YEAR
    )

    # Preferences (keys of core.choices.Preference) that exclude a role outright when unmet;
    # every other preference is a weighted wish with the weight below (0–3, default 1).
    dealbreakers = models.JSONField(
        default=list, blank=True, validators=[ChoiceListValidator("dealbreakers")]
    )
    preference_weights = models.JSONField(
        default=dict, blank=True, validators=[preferences.validate_weights]
    )

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    vetted_at = models.DateTimeField(null=True, blank=True)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    vetting_reason = BoundedTextField(blank=True, max_length=2000)
    # Candidate control: companies that never see this candidate.
    hidden_companies = models.ManyToManyField("companies.Company", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(years_experience__gte=0), name="profile_years_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(min_pay_amount__isnull=True) | ~Q(min_pay_currency=""),
                name="profile_min_pay_has_currency",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(vetting_reason=""),
                name="profile_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "country"])]

    def __str__(self) -> str:
        return f"{self.user.full_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("talent:profile")

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        """Preference values stored before the validators existed read as their valid part
        (``talent.preferences.readable``): no page, export or API response fails on them."""
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        for name in preferences.READABLE_FIELDS:
            if name in instance.__dict__:
                instance.__dict__[name] = preferences.readable(name, instance.__dict__[name])
        return instance

    @property
    def is_editable(self) -> bool:
        return self.status in {
            self.Status.DRAFT,
            self.Status.REJECTED,
            self.Status.VETTED,
            self.Status.ACTIVE,
            self.Status.PAUSED,
        }


class CandidateSkill(models.Model):
    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    years = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    evidence = BoundedTextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-level", "skill_id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill"], name="candidate_skill_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="candidate_skill_level_1_5"
            ),
            models.CheckConstraint(condition=Q(years__gte=0), name="candidate_skill_years_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} (level {self.level})"

    @property
    def level_label(self) -> str:
        """``"4 — advanced"``: the level on the one scale every page uses."""
        return skill_level_label(self.level)


class Achievement(models.Model):
    """A problem → constraints → options → decision → measured result story."""

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="achievements"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = LineField(max_length=160)
    problem = BoundedTextField(max_length=2000)
    constraints = BoundedTextField(max_length=2000, blank=True)
    options = BoundedTextField("options considered", max_length=2000, blank=True)
    decision = BoundedTextField(max_length=2000, blank=True)
    result = BoundedTextField("measured result", max_length=2000)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return "\n".join(
            p
            for p in (
                self.title,
                self.problem,
                self.constraints,
                self.options,
                self.decision,
                self.result,
            )
            if p
        )


class Link(models.Model):
    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", "Portfolio"
        TALK = "talk", "Talk"
        PUBLICATION = "publication", "Publication"
        CODE = "code", "Code"
        OTHER = "other", "Other"

    candidate = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PORTFOLIO)
    title = LineField(max_length=160, blank=True)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class Demographics(models.Model):
    """Optional, self-reported, voluntary. Used only for bias measurement: never shown to
    companies and never given to the matching engine."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Another sex / intersex"

    class RaceEthnicity(models.TextChoices):
        # EEO-1 categories.
        HISPANIC = "hispanic_latino", "Hispanic or Latino"
        WHITE = "white", "White"
        BLACK = "black", "Black or African American"
        NHPI = "nhpi", "Native Hawaiian or Other Pacific Islander"
        ASIAN = "asian", "Asian"
        AIAN = "aian", "Native American or Alaska Native"
        TWO_OR_MORE = "two_or_more", "Two or More Races"

    candidate = models.OneToOneField(
        CandidateProfile, on_delete=models.CASCADE, related_name="demographics"
    )
    sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(max_length=16, choices=RaceEthnicity.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "demographics"

    def __str__(self) -> str:
        return f"Self-reported demographics of candidate {self.candidate_id}"


class Experience(models.Model):
    """Work history. Employer names are identity: never shown to companies before an intro
    is accepted, and redacted from achievement text in blind views."""

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="experiences"
    )
    employer = LineField(max_length=160)
    title = LineField(max_length=160, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True, help_text="Empty while current.")
    description = BoundedTextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="experience_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.employer}"


class Education(models.Model):
    """Schools are identity too: hidden from companies like employers."""

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="education"
    )
    school = LineField(max_length=160)
    degree = LineField(max_length=160, blank=True)
    field = LineField(max_length=160, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-end_year", "pk"]
        verbose_name_plural = "education"

    def __str__(self) -> str:
        return f"{self.degree} {self.school}".strip()


class PartnerNote(models.Model):
    """A talent partner's private, dated note about a candidate: their goals, constraints
    heard in a call, the direction they want their career to take.

    Partners only: never shown to companies nor on the candidate's own pages. It is the
    candidate's personal data, so it is in their data export and deleted with their account.
    """

    class Topic(models.TextChoices):
        GOALS = "goals", "Goals"
        CONSTRAINTS = "constraints", "Constraints"
        DIRECTION = "direction", "Career direction"
        OTHER = "other", "Other"

    candidate = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="partner_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(max_length=12, choices=Topic.choices, default=Topic.GOALS)
    body = BoundedTextField(max_length=4000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["candidate", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="partner_note_has_body"),
        ]

    def __str__(self) -> str:
        # Audit labels copy this: the note's words never leave the note.
        return f"{self.get_topic_display()} note #{self.pk} on candidate {self.candidate_id}"
