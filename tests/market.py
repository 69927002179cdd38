"""A small seeded marketplace for the Match Day tests.

Every identifying string is distinctive, so a blind page can be searched for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from matchday.companies.models import Role, RoleSkill
from matchday.matchdays import services
from matchday.matchdays.models import MatchDay
from matchday.talent.models import CandidateProfile, Education, Experience
from tests import factories

RELEASE = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


DEADLINE = RELEASE - timedelta(days=2)


BEFORE_DEADLINE = DEADLINE - timedelta(days=1)


@dataclass
class Person:
    profile: CandidateProfile
    full_name: str
    email: str
    link: str
    employer: str
    school: str


@dataclass
class Market:
    partner: object
    member_a: object
    member_b: object
    role_a1: Role
    role_a2: Role
    role_b1: Role
    role_pending: Role
    people: list[Person] = field(default_factory=list)
    paused: CandidateProfile | None = None
    hider: CandidateProfile | None = None


def make_person(n: int, *, skills: dict[str, int], status=CandidateProfile.Status.ACTIVE) -> Person:
    full_name = f"Zebulon{n} Quillfeather{n}"
    email = f"zq{n}.secret@inbox{n}.test"
    link = f"https://portfolio{n}.example/zq{n}"
    employer = f"Hooli{n} Dynamics"
    school = f"Grendel{n} Institute"
    user = factories.UserFactory(email=email, full_name=full_name)
    profile = factories.CandidateProfileFactory(
        user=user,
        status=status,
        country="DE",
        city=f"Smalltown{n}",
        level="senior",
        years_experience=Decimal("6"),
        acceptable_countries=["DE", "NL"],
    )
    for k, (skill, level) in enumerate(skills.items()):
        factories.CandidateSkillFactory(
            candidate=profile,
            skill_id=skill,
            level=level,
            years=Decimal(3 + k),
            evidence=f"Built the {skill} stack at {employer}.",
        )
    factories.AchievementFactory(
        candidate=profile,
        title=f"Scaled training at {employer}",
        problem=f"At {employer} training jobs failed nightly; mail {email} or call +49 30 1234 5678.",
        result=f"Failures fell 90%; write-up at {link} (thanks {full_name.split()[0]}).",
    )
    factories.LinkFactory(candidate=profile, url=link)
    Experience.objects.create(candidate=profile, employer=employer, title="ML engineer")
    Education.objects.create(candidate=profile, school=school, degree="MSc")
    return Person(profile, full_name, email, link, employer, school)


def build_market() -> Market:
    partner = factories.PartnerFactory()
    member_a = factories.CompanyMemberFactory(company__vetted=True, company__name="Acme Vision")
    member_b = factories.CompanyMemberFactory(company__vetted=True, company__name="Borealis ML")
    pending = factories.CompanyMemberFactory(company__name="Pending Co")
    role_a1 = factories.RoleFactory(company=member_a.company, open=True, title="ML Engineer A1")
    role_a2 = factories.RoleFactory(
        company=member_a.company,
        open=True,
        title="Infra Engineer A2",
        role_type="infra-sre",
        description="Run GPU clusters on Kubernetes.",
    )
    RoleSkill.objects.filter(role=role_a2).update(skill_id="kubernetes")
    role_b1 = factories.RoleFactory(company=member_b.company, open=True, title="ML Engineer B1")
    role_pending = factories.RoleFactory(company=pending.company, open=True, title="Pending role")
    market = Market(partner, member_a, member_b, role_a1, role_a2, role_b1, role_pending)
    for n, level in enumerate([5, 4, 4, 3]):
        market.people.append(make_person(n, skills={"pytorch": level, "python": 4}))
    p = make_person(8, skills={"kubernetes": 5, "docker": 4})
    p.profile.role_types = ["infra-sre"]
    p.profile.save()
    market.people.append(p)
    market.paused = make_person(
        9, skills={"pytorch": 5}, status=CandidateProfile.Status.PAUSED
    ).profile
    market.hider = make_person(10, skills={"pytorch": 5, "python": 5}).profile
    market.hider.hidden_companies.add(member_a.company)
    return market


def create_matchday(market: Market, **kwargs) -> MatchDay:
    options = {
        "name": "March Match Day",
        "release_at": RELEASE,
        "interest_deadline": DEADLINE,
        "candidate_cap": 2,
        "role_cap": 3,
    } | kwargs
    return services.matchday_create(by=market.partner, **options)


def run_curation(market: Market, md: MatchDay, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.curation_start(matchday=md, by=market.partner)
    run.refresh_from_db()
    md.refresh_from_db()
    return run


def open_interest_window(django_capture_on_commit_callbacks) -> tuple[Market, MatchDay]:
    """A curated Match Day with every proposal approved and the interest window open."""
    market = build_market()
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run_curation(market, md, django_capture_on_commit_callbacks)
    services.proposals_bulk_approve(matchday=md, by=market.partner)
    services.matchday_open_interest(matchday=md, by=market.partner, now=BEFORE_DEADLINE)
    return market, md
