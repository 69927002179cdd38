"""factory_boy factories for the app's models. Complete, valid objects by default."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from matchday.accounts.models import User
from matchday.companies.models import VETTING_CHECKLIST, Company, InterviewStep, Role, RoleSkill
from matchday.talent.models import Achievement, CandidateProfile, CandidateSkill, Link

PASSWORD = "correct-horse-battery"
# The authenticator app of every partner and company member the factories make (those
# personas must use two factors); codes from ``matchday.demo.logins.totp_now(TOTP_SECRET)``.
TOTP_SECRET = "MATCHDAYTESTSECRETXXXXXXXXXXXXXX"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    persona = User.Persona.CANDIDATE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """The email address is verified unless ``verified=False``."""
        from allauth.account.models import EmailAddress

        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """Partners and company members get an authenticator app (``TOTP_SECRET``) and
        recovery codes, as they must; ``mfa=False`` leaves them to enrol."""
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP

        wanted = obj.persona in ("partner", "company") if extracted is None else extracted
        if create and wanted:
            TOTP.activate(obj, TOTP_SECRET)
            RecoveryCodes.activate(obj)


class PartnerFactory(UserFactory):
    persona = User.Persona.PARTNER
    is_staff = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    website = factory.Sequence(lambda n: f"https://company{n}.example.com")
    size = "51-200"
    stage = "series-b"
    domains = factory.LazyFunction(lambda: ["devtools"])
    description = "We build tools for machine learning teams."

    class Params:
        vetted = factory.Trait(
            vetting_status=Company.VettingStatus.VETTED,
            vetting_checklist=factory.LazyFunction(lambda: dict.fromkeys(VETTING_CHECKLIST, True)),
            vetted_at=factory.LazyFunction(timezone.now),
        )


class CompanyMemberFactory(UserFactory):
    persona = User.Persona.COMPANY
    company = factory.SubFactory(CompanyFactory)


class CandidateUserFactory(UserFactory):
    persona = User.Persona.CANDIDATE
    profile = factory.RelatedFactory(
        "tests.factories.CandidateProfileFactory", factory_related_name="user"
    )


class CandidateProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateProfile
        skip_postgeneration_save = True
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory, persona=User.Persona.CANDIDATE)
    headline = "ML engineer, training and serving large models"
    summary = "I make models fast and reliable in production."
    country = "DE"
    city = "Berlin"
    timezone = "Europe/Berlin"
    remote_preference = "remote"
    acceptable_countries = factory.LazyFunction(lambda: ["DE", "NL"])
    work_authorization = factory.LazyFunction(lambda: ["DE"])
    years_experience = Decimal("6")
    level = "senior"
    role_types = factory.LazyFunction(lambda: ["ml-engineer"])
    domains = factory.LazyFunction(lambda: ["devtools"])
    min_pay_amount = 90000
    min_pay_currency = "EUR"
    min_pay_period = "year"

    class Params:
        complete = factory.Trait(
            skills_=factory.RelatedFactoryList(
                "tests.factories.CandidateSkillFactory", factory_related_name="candidate", size=3
            ),
            achievements_=factory.RelatedFactoryList(
                "tests.factories.AchievementFactory", factory_related_name="candidate", size=2
            ),
        )
        submitted = factory.Trait(
            complete=True,
            status=CandidateProfile.Status.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        active = factory.Trait(
            complete=True,
            status=CandidateProfile.Status.ACTIVE,
            vetted_at=factory.LazyFunction(timezone.now),
        )


_SKILLS = ["python", "pytorch", "kubernetes", "docker", "cuda", "sql", "terraform", "jax"]


class CandidateSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateSkill

    candidate = factory.SubFactory(CandidateProfileFactory)
    skill_id = factory.Sequence(lambda n: _SKILLS[n % len(_SKILLS)])
    level = 4
    years = Decimal("3")
    evidence = "Used daily in production."


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    candidate = factory.SubFactory(CandidateProfileFactory)
    title = "Cut inference latency"
    problem = "p95 latency of the ranking model was 400 ms."
    constraints = "No new hardware budget."
    options = "Distillation, quantisation, caching."
    decision = "Int8 quantisation with calibration."
    result = "p95 fell to 120 ms with no loss in NDCG."


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Link

    candidate = factory.SubFactory(CandidateProfileFactory)
    kind = "code"
    url = "https://github.com/example/repo"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory, vetted=True)
    title = "Senior ML Engineer"
    level = "senior"
    role_type = "ml-engineer"
    description = "Train and serve ranking models in PyTorch on Kubernetes."
    location_policy = "remote"
    allowed_countries = factory.LazyFunction(lambda: ["DE", "NL", "FR"])
    years_min = 3
    years_max = 10
    pay_min = 100000
    pay_max = 130000
    pay_currency = "EUR"
    pay_period = "year"

    class Params:
        open = factory.Trait(
            status=Role.Status.OPEN, published_at=factory.LazyFunction(timezone.now)
        )

    required_ = factory.RelatedFactory(
        "tests.factories.RoleSkillFactory", factory_related_name="role", skill_id="pytorch"
    )


class RoleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleSkill

    role = factory.SubFactory(RoleFactory)
    skill_id = "python"
    kind = RoleSkill.Kind.REQUIRED
    min_level = 3
    weight = 2


class InterviewStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewStep

    role = factory.SubFactory(RoleFactory)
    position = factory.Sequence(int)
    name = "Technical interview"
