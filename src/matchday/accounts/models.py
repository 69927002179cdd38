from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q

from matchday.core.fields import LineField
from matchday.core.timezones import validate_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("persona", User.Persona.PARTNER)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Every user has exactly one persona."""

    class Persona(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        COMPANY = "company", "Company member"
        PARTNER = "partner", "Talent partner"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = LineField(max_length=150)
    persona = models.CharField(max_length=16, choices=Persona.choices)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The company a company member belongs to.",
    )
    timezone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_zone],
        help_text="IANA name, e.g. Europe/Berlin. Empty: your profile's or your company's zone, "
        "else UTC.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(persona__in=["candidate", "company", "partner"]),
                name="user_persona_valid",
            ),
            models.CheckConstraint(
                condition=(Q(persona="company") & Q(company__isnull=False))
                | (~Q(persona="company") & Q(company__isnull=True)),
                name="user_company_iff_company_member",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_candidate(self) -> bool:
        return self.persona == self.Persona.CANDIDATE

    @property
    def is_company_member(self) -> bool:
        return self.persona == self.Persona.COMPANY

    @property
    def is_partner(self) -> bool:
        return self.persona == self.Persona.PARTNER

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_full_name(self) -> str:
        return self.full_name
