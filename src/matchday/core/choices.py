"""Vocabularies shared by candidates, roles and the engine adapters.

The values are the engine's vocabulary too (``matchday.engine.types``), so adapters pass
them through unchanged.
"""

from django.db import models


class Level(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"
    PRINCIPAL = "principal", "Principal"


LEVEL_ORDER = {value: i for i, value in enumerate(Level.values)}


class SkillLevel(models.IntegerChoices):
    """The one scale of skill levels (1–5): the profile, imports, the JSON Resume export,
    role requirements and every page that shows a level use these labels."""

    LEARNING = 1, "Learning"
    WORKING = 2, "Working knowledge"
    INDEPENDENT = 3, "Independent"
    ADVANCED = 4, "Advanced"
    EXPERT = 5, "Expert"


def skill_level_label(level: int) -> str:
    """``"3 — independent"``: how forms and pages name a level.

    >>> skill_level_label(5)
    '5 — expert'
    """
    return f"{level} — {SkillLevel(level).label.lower()}"


SKILL_LEVEL_CHOICES = [(value, skill_level_label(value)) for value in SkillLevel.values]


class RoleType(models.TextChoices):
    ML_ENGINEER = "ml-engineer", "ML engineer"
    RESEARCH_ENGINEER = "research-engineer", "Research engineer"
    RESEARCH_SCIENTIST = "research-scientist", "Research scientist"
    INFRA_SRE = "infra-sre", "Infrastructure / SRE"
    PLATFORM_ENGINEER = "platform-engineer", "Platform engineer"
    DATA_ENGINEER = "data-engineer", "Data engineer"
    LLM_ENGINEER = "llm-engineer", "LLM / applied AI engineer"
    MLOPS_ENGINEER = "mlops-engineer", "MLOps engineer"
    TPM_PM = "tpm-pm", "Technical PM / product manager"


class RemotePreference(models.TextChoices):
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ONSITE = "onsite", "On-site"


class CompanyStage(models.TextChoices):
    SEED = "seed", "Seed"
    SERIES_A = "series-a", "Series A"
    SERIES_B = "series-b", "Series B"
    GROWTH = "growth", "Growth (Series C+)"
    PUBLIC = "public", "Public"
    NONPROFIT = "nonprofit", "Non-profit / research lab"


class CompanySize(models.TextChoices):
    TINY = "1-10", "1–10"
    SMALL = "11-50", "11–50"
    MEDIUM = "51-200", "51–200"
    LARGE = "201-1000", "201–1,000"
    XLARGE = "1001+", "1,001+"


class Domain(models.TextChoices):
    FOUNDATION_MODELS = "foundation-models", "Foundation models"
    DEVTOOLS = "devtools", "Developer tools"
    INFRASTRUCTURE = "infrastructure", "Cloud & infrastructure"
    FINTECH = "fintech", "Fintech"
    HEALTH = "health", "Health & bio"
    CLIMATE = "climate", "Climate & energy"
    ROBOTICS = "robotics", "Robotics & autonomy"
    SECURITY = "security", "Security"
    ECOMMERCE = "ecommerce", "E-commerce & marketplaces"
    EDUCATION = "education", "Education"
    MEDIA = "media", "Media & entertainment"
    ENTERPRISE = "enterprise", "Enterprise software"


class PayPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"
    DAY = "day", "per day"
    HOUR = "hour", "per hour"


class Preference(models.TextChoices):
    """Preferences a candidate may mark as a dealbreaker instead of a weighted wish."""

    PAY = "pay", "Minimum pay"
    LOCATION = "location", "Location / remote"
    ROLE_TYPE = "role_type", "Role type"
    DOMAIN = "domain", "Domain"
    COMPANY_STAGE = "company_stage", "Company stage"
    COMPANY_SIZE = "company_size", "Company size"


def currency_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, code) for code in sorted(settings.MATCHDAY_CURRENCY_RATES_TO_USD)]
