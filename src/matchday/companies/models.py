from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField

from matchday.core.choices import (
    CompanySize,
    CompanyStage,
    Level,
    PayPeriod,
    RemotePreference,
    RoleType,
)
from matchday.core.fields import BoundedTextField, LineField, validate_public_url
from matchday.core.timezones import validate_zone

# What a talent partner checks before a company may see anyone.
VETTING_CHECKLIST = {
    "legal_entity": "Registered legal entity verified",
    "website": "Website and product are real",
    "hiring_manager": "Hiring manager identified and reachable",
    "pay_practices": "Pays at least the bands it posts",
    "conduct": "No unresolved conduct complaints",
}


def role_levels(level: str, accepted: Iterable[str] | None) -> tuple[str, ...]:
    """The levels a role at ``level`` that also accepts ``accepted`` is open to, in order.

    >>> role_levels("senior", ["staff", "senior", "mid"])
    ('mid', 'senior', 'staff')
    """
    wanted = {level, *(accepted or ())}
    return tuple(value for value in Level.values if value in wanted)


class Company(models.Model):
    class VettingStatus(models.TextChoices):
        PENDING = "pending", "Pending review"
        VETTED = "vetted", "Vetted"
        REJECTED = "rejected", "Not accepted"

    name = LineField(max_length=120)
    website = models.URLField(max_length=300)
    size = models.CharField(max_length=10, choices=CompanySize.choices)
    stage = models.CharField(max_length=12, choices=CompanyStage.choices)
    domains = models.JSONField(default=list, blank=True)
    description = BoundedTextField(max_length=4000, blank=True)
    timezone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_zone],
        help_text="Your members' zone unless they choose their own (IANA name). Empty: UTC.",
    )

    vetting_status = models.CharField(
        max_length=10, choices=VettingStatus.choices, default=VettingStatus.PENDING
    )
    vetting_checklist = models.JSONField(default=dict, blank=True)
    vetting_notes = BoundedTextField(blank=True, max_length=2000)
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vetted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(vetting_status="rejected") | ~Q(vetting_notes=""),
                name="company_rejection_has_notes",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])

    @property
    def is_vetted(self) -> bool:
        return self.vetting_status == self.VettingStatus.VETTED


class Role(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="roles")
    title = LineField(max_length=160)
    level = models.CharField(max_length=16, choices=Level.choices)
    accepted_levels = models.JSONField(
        "also open to",
        default=list,
        blank=True,
        help_text="Other levels the role is also open to (empty: only its own level).",
    )
    role_type = models.CharField(max_length=24, choices=RoleType.choices)
    description = BoundedTextField(max_length=8000)
    responsibilities = BoundedTextField(max_length=4000, blank=True)

    location_policy = models.CharField(max_length=8, choices=RemotePreference.choices)
    allowed_countries = CountryField(multiple=True, blank=True)
    allowed_timezones = models.JSONField(
        default=list, blank=True, help_text="IANA time zone names remote hires may work from."
    )
    cities = models.JSONField(default=list, blank=True)

    years_min = models.PositiveSmallIntegerField(default=0)
    years_max = models.PositiveSmallIntegerField(null=True, blank=True)

    # The pay band is required; whole currency units.
    pay_min = models.PositiveIntegerField()
    pay_max = models.PositiveIntegerField()
    pay_currency = models.CharField(max_length=3)
    pay_period = models.CharField(max_length=8, choices=PayPeriod.choices, default=PayPeriod.YEAR)
    equity = BoundedTextField(max_length=2000, blank=True)
    benefits = BoundedTextField(max_length=4000, blank=True)
    # What candidates should know about the whole process; each step carries its own prep.
    interview_overview = BoundedTextField(
        "interview process overview",
        max_length=8000,
        blank=True,
        help_text="The process as a whole: what to expect, how long it takes, how to ask "
        "for adjustments. Candidates read it from the moment an intro is released.",
    )

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    # The company's choice to show an open role on a public page (/jobs/<id>/).
    public = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pay_min__gt=0), name="role_pay_min_positive"),
            models.CheckConstraint(
                condition=Q(pay_max__gte=F("pay_min")), name="role_pay_band_ordered"
            ),
            models.CheckConstraint(
                condition=Q(years_max__isnull=True) | Q(years_max__gte=F("years_min")),
                name="role_years_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "company"])]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("companies:role_detail", args=[self.pk])

    @property
    def levels(self) -> tuple[str, ...]:
        """Every level the role is open to: its own and the accepted ones, in ``Level`` order."""
        return role_levels(self.level, self.accepted_levels)

    @property
    def also_open_to(self) -> list[str]:
        """Display names of the accepted levels other than the role's own, in ``Level`` order."""
        labels = dict(Level.choices)
        return [labels[level] for level in self.levels if level != self.level]


class RoleSkill(models.Model):
    class Kind(models.TextChoices):
        REQUIRED = "required", "Required"
        NICE = "nice", "Nice to have"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REQUIRED)
    min_level = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["kind", "-weight", "skill_id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="role_skill_unique"),
            models.CheckConstraint(
                condition=Q(min_level__gte=1, min_level__lte=5), name="role_skill_level_1_5"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=5), name="role_skill_weight_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill_id} ≥ {self.min_level} ({self.kind})"


MAX_STEP_LINKS = 5
STEP_LINKS_NOT_LIST = "Give the links as a list of public http(s) addresses."
TOO_MANY_STEP_LINKS = f"At most {MAX_STEP_LINKS} links per step."


def validate_step_links(value: object) -> None:
    """A list of at most ``MAX_STEP_LINKS`` public http(s) links (see ``validate_public_url``)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(STEP_LINKS_NOT_LIST)
    if len(value) > MAX_STEP_LINKS:
        raise ValidationError(TOO_MANY_STEP_LINKS)
    for url in value:
        validate_public_url(url)


class InterviewStep(models.Model):
    """One step of a role's interview process and what a candidate should prepare for it.

    The preparation is about the role, never about a candidate: companies write it once per
    role, and every candidate with a released intro for the role reads the same text.
    """

    class Format(models.TextChoices):
        BEHAVIOURAL = "behavioural", "Behavioural / past experience"
        CASE = "case", "Product or strategy case"
        DEEP_DIVE = "deep-dive", "Technical deep dive"
        SYSTEM_DESIGN = "system-design", "System design"
        CODING = "coding", "Coding exercise"
        RESEARCH = "research", "Research presentation"
        CROSS_FUNCTIONAL = "cross-functional", "Cross-functional scenario"
        LEADERSHIP = "leadership", "Stakeholder and leadership"
        CONVERSATION = "conversation", "Conversation / team fit"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="interview_steps")
    position = models.PositiveSmallIntegerField(default=0)
    name = LineField(max_length=120)
    format = models.CharField(max_length=20, choices=Format.choices, blank=True)
    description = BoundedTextField(max_length=2000, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    interviewers = LineField(
        "who interviews",
        max_length=200,
        blank=True,
        help_text="Roles, not names: for example “hiring manager and a staff engineer”.",
    )
    assesses = BoundedTextField("what it assesses", max_length=1000, blank=True)
    preparation = BoundedTextField("what to prepare", max_length=4000, blank=True)
    links = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_step_links],
        help_text=f"Up to {MAX_STEP_LINKS} links to public material.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_prep(self) -> bool:
        return bool(
            self.format or self.interviewers or self.assesses or self.preparation or self.links
        )
