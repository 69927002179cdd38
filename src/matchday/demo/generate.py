"""A deterministic generator of a believable marketplace: candidates, companies, roles.

Same seed, same sizes ⇒ the same rows (apart from primary keys and ``created_at``). Each
kind of row draws from its own random stream, so asking for more roles does not change the
candidates. Rows are written in batches (``bulk_create`` for parents, ``executemany`` for
their child rows) with one precomputed password hash, so 100,000 candidates take minutes,
not hours, and memory stays flat.

>>> from matchday.demo.generate import demo_generate  # doctest: +SKIP
>>> demo_generate(seed=42, candidates=300, companies=40, roles=120)  # doctest: +SKIP
{'companies': 40, 'company_members': ..., 'candidates': 300, ...}
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from matchday.accounts.models import User
from matchday.accounts.services import partner_create
from matchday.companies.models import VETTING_CHECKLIST, Company, InterviewStep, Role, RoleSkill
from matchday.core.choices import (
    CompanySize,
    CompanyStage,
    Domain,
    Level,
    PayPeriod,
    Preference,
    RemotePreference,
    RoleType,
)
from matchday.demo import catalog
from matchday.demo.achievements import STORIES_BY_ROLE_TYPE, fill_story
from matchday.demo.logins import DEMO_LOGINS, DEMO_NAMES, DEMO_PASSWORD, demo_logins_prepare
from matchday.talent.models import (
    Achievement,
    CandidateProfile,
    CandidateSkill,
    Demographics,
    Education,
    Experience,
    Link,
)
from matchday.taxonomy.models import Skill

__all__ = ["DemoProgress", "demo_generate", "nice_round", "pay_for_period"]

DEMO_COMPANY_NAME = "Halcyon AI"
PARTNER_GROUP_NAMES = ("partners", "Partners", "Talent partners", "talent-partners")
MISSING_SKILLS = "The skill table is empty; run `manage.py migrate` (it syncs the taxonomy)."
SEED_ALREADY_LOADED = (
    "Demo candidates for seed {seed} already exist (emails ending {domain}); use another "
    "--seed or an empty database."
)

#: ``progress(phase, done, total, rows_written, elapsed_seconds)``
DemoProgress = Callable[[str, int, int, int, float], None]


# --- small helpers -------------------------------------------------------------------------


class _Weighted:
    """``random.choices`` with the cumulative weights computed once."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _ascii_slug(text: str, sep: str = "") -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join("".join(c for c in w if c.isalnum()) for w in norm.lower().split())


def nice_round(value: float, *, down: bool = False) -> int:
    """Round pay to three significant figures (185,432 → 185,000; 118.6 → 119).

    >>> nice_round(185_432), nice_round(4_216_000), nice_round(118.6), nice_round(1_499, down=True)
    (185000, 4220000, 119, 1490)
    """
    step = 10 ** max(0, int(math.log10(max(value, 1))) - 2)
    n = math.floor(value / step) if down else round(value / step)
    return max(1, int(n * step))


def pay_for_period(yearly: float, period: str) -> float:
    """Convert a yearly salary to the given period; day and hour rates carry a premium.

    >>> pay_for_period(120_000, "month"), round(pay_for_period(110_000, "day"))
    (10000.0, 675)
    """
    if period == PayPeriod.YEAR:
        return float(yearly)
    if period == PayPeriod.MONTH:
        return yearly / 12
    day = yearly / catalog.WORK_DAYS_PER_YEAR * catalog.CONTRACT_PREMIUM
    return day if period == PayPeriod.DAY else day / 8


def accepted_levels(rng: random.Random, level: str) -> list[str]:
    """The neighbouring levels a demo role at ``level`` is also open to, in ``Level`` order.

    One draw per entry of :data:`catalog.ACCEPTED_LEVEL_CHANCE`, whatever the outcome, so
    the stream stays aligned from role to role.

    >>> accepted_levels(random.Random(3), "senior")
    ['staff']
    """
    draws = [
        (other, rng.random() < chance) for other, chance in catalog.ACCEPTED_LEVEL_CHANCE[level]
    ]
    return [value for value in Level.values if (value, True) in draws]


def _pay_period(rng: random.Random, country: str) -> str:
    if country in catalog.MONTHLY_COUNTRIES and rng.random() < 0.6:
        return PayPeriod.MONTH
    if country in catalog.CONTRACTOR_COUNTRIES and rng.random() < 0.07:
        return PayPeriod.DAY if country != "US" else PayPeriod.HOUR
    return PayPeriod.YEAR


_PLACES = _Weighted(catalog.PLACES, [p.weight for p in catalog.PLACES])
# Companies (and the offices people would move to) cluster in the hubs more than people do.
_HUBS = _Weighted(catalog.PLACES, [p.weight**2 for p in catalog.PLACES])
_LEVELS = _Weighted(list(catalog.LEVEL_WEIGHTS), list(catalog.LEVEL_WEIGHTS.values()))
_ROLE_TYPES = _Weighted(
    list(catalog.ROLE_PROFILES), [p.weight for p in catalog.ROLE_PROFILES.values()]
)
_ROLE_DEMAND = _Weighted(list(catalog.ROLE_DEMAND), list(catalog.ROLE_DEMAND.values()))
_REMOTE = _Weighted(RemotePreference.values, [45, 40, 15])
_ROLE_POLICY = _Weighted(RemotePreference.values, [72, 22, 6])
_ADJACENT_P = (0.9, 0.75, 0.6)  # chance to also want the 1st, 2nd, 3rd adjacent role type
_EXTRA_OFFICES = _Weighted([0, 1, 2], [55, 30, 15])  # hybrid/on-site roles: other offices
# How far a remote role reaches: anywhere, its own country, its region, or its region and a
# neighbouring one (e.g. Americas + EMEA, the Atlantic overlap).
_REMOTE_REACH = _Weighted(["anywhere", "country", "region", "regions"], [30, 8, 30, 32])
_DEALBREAKER = _Weighted(Preference.values, [40, 30, 12, 8, 6, 4])
_CANDIDATE_STATUS = _Weighted(
    [s.value for s in CandidateProfile.Status], [6, 12, 4, 3, 70, 5]
)  # draft, submitted, vetted, rejected, active, paused
_COMPANY_VETTING = _Weighted(Company.VettingStatus.values, [18, 75, 7])  # pending, vetted, rej.
_STAGE_SIZES = {
    CompanyStage.SEED: (CompanySize.TINY, CompanySize.SMALL),
    CompanyStage.SERIES_A: (CompanySize.SMALL, CompanySize.MEDIUM),
    CompanyStage.SERIES_B: (CompanySize.MEDIUM, CompanySize.LARGE),
    CompanyStage.GROWTH: (CompanySize.LARGE, CompanySize.XLARGE),
    CompanyStage.PUBLIC: (CompanySize.XLARGE,),
    CompanyStage.NONPROFIT: (CompanySize.SMALL, CompanySize.MEDIUM, CompanySize.LARGE),
}
_STAGES = _Weighted(list(_STAGE_SIZES), [18, 22, 22, 18, 12, 8])
_SIZE_ROLE_WEIGHT = {"1-10": 1, "11-50": 2, "51-200": 3, "201-1000": 5, "1001+": 8}
_ALL_PLACES_BY_CITY = {p.city: p for p in catalog.PLACES}
_REGION_PLACES: dict[str, list[catalog.Place]] = {}
for _p in catalog.PLACES:
    _REGION_PLACES.setdefault(catalog.region_of(_p), []).append(_p)
_REGION_HUBS = {r: _Weighted(ps, [p.weight**2 for p in ps]) for r, ps in _REGION_PLACES.items()}
_REGION_COUNTRIES = {r: sorted({p.country for p in ps}) for r, ps in _REGION_PLACES.items()}


# Synthetic, voluntary self-reports for the fairness report: about 85% answer.
DEMOGRAPHICS_ANSWERED = 0.85
_SEX = _Weighted(Demographics.Sex.values, [33, 64, 3])
_RACE = _Weighted(Demographics.RaceEthnicity.values, [10, 46, 9, 1, 28, 1, 5])
EMPLOYER_SUFFIXES = (*catalog.COMPANY_SUFFIXES, "Technologies", "Group", "Analytics")
EDUCATION_FIELDS = (
    "Computer Science", "Mathematics", "Physics", "Electrical Engineering", "Statistics",
    "Computational Linguistics", "Cognitive Science",
)  # fmt: skip


# Child rows (skills, achievements, links, role skills, interview steps) are plain values
# under one parent. They are most of the rows, and Django's per-field preparation in
# ``bulk_create`` dominated the run time, so they are written as tuples with one
# ``executemany`` per batch; parents still go through ``bulk_create`` for their keys.
_CHILD_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    CandidateSkill: ("skill_id", "level", "years", "evidence"),
    Achievement: ("position", "title", "problem", "constraints", "options", "decision", "result"),
    Link: ("kind", "title", "url"),
    RoleSkill: ("skill_id", "kind", "min_level", "weight"),
    InterviewStep: (
        "position",
        "name",
        "description",
        "duration_minutes",
        "format",
        "interviewers",
        "assesses",
        "preparation",
        "links",
        "updated_at",
    ),
    Experience: ("employer", "title", "start", "end", "description"),
    Education: ("school", "degree", "field", "end_year"),
    Demographics: ("sex", "race_ethnicity", "updated_at"),
}
STEP_PREP_FIELDS = ("format", "interviewers", "assesses", "preparation")
_PARENT_FIELD = {
    CandidateSkill: "candidate",
    Achievement: "candidate",
    Link: "candidate",
    RoleSkill: "role",
    InterviewStep: "role",
    Experience: "candidate",
    Education: "candidate",
    Demographics: "candidate",
}


def _row(model: type[models.Model], parent: models.Model, **values: Any) -> tuple[Any, ...]:
    """A child row as ``(parent, *values)`` in the column order ``_insert_children`` uses."""
    return (parent, *(values[name] for name in _CHILD_FIELDS[model]))


def _insert_children(model: type[models.Model], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    meta, qn = model._meta, connection.ops.quote_name
    names = (_PARENT_FIELD[model], *_CHILD_FIELDS[model])
    columns = ", ".join(qn(meta.get_field(name).column) for name in names)
    marks = ", ".join(["%s"] * len(names))
    # Table and column names come from the models and are quoted; the values are parameters.
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(parent.pk, *values) for parent, *values in rows])


# --- skills --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Skills:
    """The taxonomy as the generator needs it: labels, and per-role-type pools of ids that
    exist in the skill table (so a taxonomy change never produces a dangling reference)."""

    labels: dict[str, str]
    core: dict[str, tuple[str, ...]]
    common: dict[str, tuple[str, ...]]
    optional: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]
    general: tuple[str, ...]

    @classmethod
    def load(cls) -> _Skills:
        labels = dict(Skill.objects.filter(retired=False).values_list("id", "label"))
        if not labels:
            raise RuntimeError(MISSING_SKILLS)

        def keep(ids: Sequence[str]) -> tuple[str, ...]:
            return tuple(i for i in ids if i in labels)

        related: dict[str, tuple[str, ...]] = {}
        try:
            from matchday.engine.taxonomy import load_taxonomy

            tax = load_taxonomy()
            for sid in labels:
                if sid in tax:
                    related[sid] = keep(sorted(tax.related(sid)))
        except Exception:  # noqa: BLE001 - the taxonomy file is optional here; pools work without it
            related = {}
        profiles = catalog.ROLE_PROFILES
        return cls(
            labels=labels,
            core={rt: keep(p.core) for rt, p in profiles.items()},
            common={rt: keep(p.common) for rt, p in profiles.items()},
            optional={rt: keep(p.optional) for rt, p in profiles.items()},
            related=related,
            general=keep(catalog.GENERAL_SKILLS),
        )


def _skill_level(rng: random.Random, centre: float) -> int:
    return min(5, max(1, round(rng.gauss(centre, 0.6))))


# --- specs: plain data first, model instances second -------------------------------------


@dataclass
class _CompanySpec:
    company: Company
    place: catalog.Place
    demo: bool = False
    members: list[User] = field(default_factory=list)


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES)


def _days_ago(rng: random.Random, now: datetime, low: int, high: int) -> datetime:
    return now - timedelta(days=rng.randint(low, high), minutes=rng.randint(0, 1439))


@dataclass(frozen=True)
class _Person:
    """Who a generated candidate is: name, login, role type, level, home and status."""

    first: str
    last: str
    email: str
    full_name: str
    role_type: RoleType
    level: Level
    place: Any  # catalog.Place
    status: str
    years: float


@dataclass(frozen=True)
class _Reach:
    """Where a candidate would work and is authorised to."""

    policy: str
    countries: list[str]
    cities: list[str]
    work_authorization: list[str]


@dataclass(frozen=True)
class _Wishes:
    """What a candidate asks of a role: pay, dealbreakers, weights, kinds of role and company."""

    min_pay: int
    period: str
    dealbreakers: list[str]
    weights: dict[str, int]
    role_types: list[str]
    domains: list[str]
    stages: list[str]
    sizes: list[str]


@dataclass(frozen=True)
class _Vetting:
    submitted_at: datetime | None = None
    vetted_at: datetime | None = None
    vetted_by: User | None = None
    reason: str = ""


def _reach(rng: random.Random, place: Any) -> _Reach:
    """Remote-only people list a few countries of their region; hybrid and on-site people
    often name one to three hub cities they would move to, mostly in their own region.
    Authorised where they live (EU citizens: the whole EU), half the time also where they
    would move to, and now and then in the US, UK or Canada."""
    policy = _REMOTE.pick(rng)
    region = catalog.region_of(place)
    countries = [place.country]
    cities: list[str] = []
    if policy == RemotePreference.REMOTE:
        others = [c for c in _REGION_COUNTRIES[region] if c != place.country]
        countries += rng.sample(others, k=min(len(others), rng.randint(0, 3)))
    else:
        cities = [place.city]
        if rng.random() < 0.7:
            for _ in range(rng.randint(1, 3)):
                move = (_REGION_HUBS[region] if rng.random() < 0.8 else _HUBS).pick(rng)
                if move.city not in cities:
                    cities.append(move.city)
                    if move.country not in countries:
                        countries.append(move.country)
    work_auth = [place.country]
    if place.country in catalog.EU_COUNTRIES and rng.random() < 0.8:
        work_auth = sorted(set(catalog.EU_COUNTRIES))
    for country in countries[1:]:
        if country not in work_auth and rng.random() < 0.5:
            work_auth.append(country)
    for extra in ("US", "GB", "CA"):
        if extra not in work_auth and rng.random() < 0.06:
            work_auth.append(extra)
    return _Reach(policy=policy, countries=countries, cities=cities, work_authorization=work_auth)


def _wishes(rng: random.Random, person: _Person) -> _Wishes:
    """Minimum pay spreads around the local anchor: most ask for less than a local band's
    maximum, some for more (those pairs fail on pay, as they should). Most people also
    consider adjacent role types (the closest is the likeliest)."""
    place, profile_def = person.place, catalog.ROLE_PROFILES[person.role_type]
    period = _pay_period(rng, place.country)
    spread = rng.triangular(0.8, 1.3, 0.97)
    yearly = place.senior_pay * catalog.LEVEL_PAY_FACTOR[person.level] * spread
    min_pay = nice_round(pay_for_period(yearly, period))
    k_deal = rng.choice((0, 0, 0, 1, 1, 2))
    dealbreakers: list[str] = []
    while len(dealbreakers) < k_deal:
        d = _DEALBREAKER.pick(rng)
        if d not in dealbreakers:
            dealbreakers.append(d)
    weights = {p: rng.randint(0, 3) for p in Preference.values if p not in dealbreakers}
    adjacent = zip(profile_def.adjacent, _ADJACENT_P, strict=False)
    role_types = [person.role_type, *(a for a, p in adjacent if rng.random() < p)]
    domains = sorted(
        set(rng.sample(profile_def.domains, k=min(2, len(profile_def.domains))))
        | ({rng.choice(Domain.values)} if rng.random() < 0.4 else set())
    )[: rng.randint(1, 3)]
    stages = (
        sorted(rng.sample(CompanyStage.values, k=rng.randint(2, 4))) if rng.random() < 0.5 else []
    )
    sizes = (
        sorted(rng.sample(CompanySize.values, k=rng.randint(2, 3))) if rng.random() < 0.4 else []
    )
    return _Wishes(
        min_pay=min_pay,
        period=period,
        dealbreakers=dealbreakers,
        weights=weights,
        role_types=role_types,
        domains=domains,
        stages=stages,
        sizes=sizes,
    )


class _Generator:
    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        batch_size: int,
        progress: DemoProgress | None,
    ) -> None:
        self.seed = seed
        self.now = now
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.skills = _Skills.load()
        self.password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo user
        self.max_ratio = float(settings.MATCHDAY_MAX_BAND_RATIO)
        self.rates = {k: float(v) for k, v in settings.MATCHDAY_CURRENCY_RATES_TO_USD.items()}
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "companies",
                "company_members",
                "candidates",
                "candidate_skills",
                "achievements",
                "links",
                "roles",
                "role_skills",
                "interview_steps",
                "experiences",
                "education",
                "demographics",
            ),
            0,
        )
        self.started = time.perf_counter()
        self.partner: User | None = None

    # -- bookkeeping ------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def _report(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(phase, done, total, self.rows, time.perf_counter() - self.started)

    def _rng(self, stream: str) -> random.Random:
        return random.Random(f"matchday-demo:{self.seed}:{stream}")

    # -- the three demo logins -------------------------------------------------------------

    def ensure_partner(self) -> User:
        email = DEMO_LOGINS["partner"]
        partner = User.objects.filter(email=email).first()
        if partner is None:
            partner = partner_create(
                email=email, password=DEMO_PASSWORD, full_name=DEMO_NAMES["partner"]
            )
        group = Group.objects.filter(name__in=PARTNER_GROUP_NAMES).first()
        if group is not None:
            partner.groups.add(group)
        self.partner = partner
        return partner

    # -- companies ---------------------------------------------------------------------------

    def companies(self, n: int) -> list[_CompanySpec]:
        rng = self._rng("companies")
        taken_names = set(Company.objects.values_list("name", flat=True))
        taken_sites = set(Company.objects.values_list("website", flat=True))
        demo_free = not User.objects.filter(email=DEMO_LOGINS["company"]).exists()
        specs: list[_CompanySpec] = []
        for i in range(n):
            demo = i == 0 and demo_free
            specs.append(self._company(rng, taken_names, taken_sites, demo=demo))
        for start in range(0, n, self.batch_size):
            chunk = specs[start : start + self.batch_size]
            with transaction.atomic():
                Company.objects.bulk_create([s.company for s in chunk])
                members = [m for s in chunk for m in s.members]
                for s in chunk:
                    for m in s.members:
                        m.company = s.company
                User.objects.bulk_create(members)
            self.counts["companies"] += len(chunk)
            self.counts["company_members"] += len(members)
            self._report("companies", min(start + self.batch_size, n), n)
        return specs

    def _company(
        self, rng: random.Random, taken_names: set[str], taken_sites: set[str], *, demo: bool
    ) -> _CompanySpec:
        place = _HUBS.pick(rng)
        stage = _STAGES.pick(rng)
        size = rng.choice(_STAGE_SIZES[stage])
        domains = rng.sample(Domain.values, k=rng.choice((1, 1, 2)))
        if demo:
            name, place, stage, size = (
                DEMO_COMPANY_NAME,
                _ALL_PLACES_BY_CITY["Berlin"],
                "series-b",
                "51-200",
            )
            domains = [Domain.FOUNDATION_MODELS, Domain.DEVTOOLS]
        else:
            suffixes = catalog.COMPANY_SUFFIXES + catalog.DOMAIN_SUFFIXES[domains[0]]
            name = f"{rng.choice(catalog.COMPANY_PREFIXES)} {rng.choice(suffixes)}"
        base, k = name, 2
        while name in taken_names:
            name, k = f"{base} {k}", k + 1
        taken_names.add(name)
        slug, k = _ascii_slug(name, "-"), 2
        site = f"https://{slug}.example.com"
        while site in taken_sites:
            site, k = f"https://{slug}-{k}.example.com", k + 1
        taken_sites.add(site)
        host = site.removeprefix("https://")

        pitch, audience = catalog.DOMAIN_PITCH[domains[0]]
        also = ""
        if len(domains) > 1:
            also = f" We also work in {dict(Domain.choices)[domains[1]].lower()}."
        description = (
            f"{name} {pitch} for {audience}. We are {catalog.STAGE_PHRASE[stage]} of "
            f"{dict(CompanySize.choices)[size]} people, headquartered in "
            f"{place.city}.{also} We publish our pay bands and answer every candidate within "
            "five business days."
        )
        status = Company.VettingStatus.VETTED if demo else _COMPANY_VETTING.pick(rng)
        checklist: dict[str, bool] = {}
        notes, vetted_at, vetted_by = "", None, None
        if status == Company.VettingStatus.VETTED:
            checklist = dict.fromkeys(VETTING_CHECKLIST, True)
            notes = "Checklist complete; spoke with the hiring manager."
            vetted_at, vetted_by = _days_ago(rng, self.now, 5, 400), self.partner
        elif status == Company.VettingStatus.REJECTED:
            checklist = {k: rng.random() < 0.5 for k in VETTING_CHECKLIST}
            notes = rng.choice(catalog.REJECTION_REASONS_COMPANY)
            vetted_at, vetted_by = _days_ago(rng, self.now, 5, 200), self.partner
        elif rng.random() < 0.5:  # pending: a review may be under way
            checklist = {k: rng.random() < 0.6 for k in VETTING_CHECKLIST}
        company = Company(
            name=name,
            website=site,
            size=size,
            stage=stage,
            domains=domains,
            description=description,
            vetting_status=status,
            vetting_checklist=checklist,
            vetting_notes=notes,
            vetted_by=vetted_by,
            vetted_at=vetted_at,
        )
        spec = _CompanySpec(company=company, place=place, demo=demo)
        seen: set[str] = set()
        for j in range(rng.randint(1, 4)):
            first, last = _person(rng)
            full_name = f"{first} {last}"
            local = f"{_ascii_slug(first)}.{_ascii_slug(last)}"
            if demo and j == 0:
                full_name, email = DEMO_NAMES["company"], DEMO_LOGINS["company"]
            else:
                email = f"{local}@{host}"
                if email in seen:
                    email = f"{local}.{j}@{host}"
            seen.add(email)
            spec.members.append(
                User(
                    email=email,
                    full_name=full_name,
                    persona=User.Persona.COMPANY,
                    password=self.password,
                )
            )
        return spec

    # -- candidates --------------------------------------------------------------------------

    def candidates(self, n: int) -> None:
        rng = self._rng("candidates")
        # Work history, education and the voluntary demographics draw from streams of their
        # own, so adding them left every other row of a seed as it was.
        history_rng = self._rng("history")
        demographics_rng = self._rng("demographics")
        demo_free = not User.objects.filter(email=DEMO_LOGINS["candidate"]).exists()
        domain = f"@demo{self.seed}.example.org"
        if User.objects.filter(email__endswith=domain).exists():
            raise RuntimeError(SEED_ALREADY_LOADED.format(seed=self.seed, domain=domain))
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            users, profiles, skills, stories, links = [], [], [], [], []
            jobs, degrees, answers = [], [], []
            for i in range(start, stop):
                u, p, s, a, lk = self._candidate(rng, i, demo=(i == 0 and demo_free))
                users.append(u)
                profiles.append(p)
                skills.extend(s)
                stories.extend(a)
                links.extend(lk)
                js, ds = self._history(history_rng, p, a)
                jobs.extend(js)
                degrees.extend(ds)
                answers.extend(self._demographics(demographics_rng, p))
            with transaction.atomic():
                User.objects.bulk_create(users)
                for u, p in zip(users, profiles, strict=True):
                    p.user = u
                CandidateProfile.objects.bulk_create(profiles)
                _insert_children(CandidateSkill, skills)
                _insert_children(Achievement, stories)
                _insert_children(Link, links)
                _insert_children(Experience, jobs)
                _insert_children(Education, degrees)
                _insert_children(Demographics, answers)
            self.counts["experiences"] += len(jobs)
            self.counts["education"] += len(degrees)
            self.counts["demographics"] += len(answers)
            self.counts["candidates"] += len(profiles)
            self.counts["candidate_skills"] += len(skills)
            self.counts["achievements"] += len(stories)
            self.counts["links"] += len(links)
            self._report("candidates", stop, n)

    def _candidate(self, rng: random.Random, i: int, *, demo: bool) -> tuple[Any, ...]:
        """One candidate's user, profile and child rows. Each step draws from ``rng`` in
        turn, so the order of the steps is the order of the draws (a seed's rows)."""
        person = self._person(rng, i, demo=demo)
        chosen = self._skill_levels(rng, person)
        top = sorted(chosen, key=lambda s: (-chosen[s], s))
        stories_pool = list(STORIES_BY_ROLE_TYPE[person.role_type])
        picked = rng.sample(stories_pool, k=min(len(stories_pool), rng.choice((2, 2, 3))))
        filled = [fill_story(s, rng) for s in picked]
        headline, summary = self._headline_and_summary(rng, person, top, filled)
        reach = _reach(rng, person.place)
        wishes = _wishes(rng, person)
        vetting = self._vetting(rng, person.status)
        user = User(
            email=person.email,
            full_name=person.full_name,
            persona=User.Persona.CANDIDATE,
            password=self.password,
        )
        profile = CandidateProfile(
            headline=headline[:160],
            summary=summary,
            country=person.place.country,
            city=person.place.city,
            timezone=person.place.timezone,
            remote_preference=reach.policy,
            acceptable_countries=reach.countries,
            acceptable_cities=reach.cities,
            work_authorization=reach.work_authorization,
            years_experience=Decimal(str(person.years)),
            level=person.level,
            role_types=wishes.role_types,
            domains=wishes.domains,
            company_stages=wishes.stages,
            company_sizes=wishes.sizes,
            min_pay_amount=wishes.min_pay,
            min_pay_currency=person.place.currency,
            min_pay_period=wishes.period,
            dealbreakers=wishes.dealbreakers,
            preference_weights=wishes.weights,
            status=person.status,
            submitted_at=vetting.submitted_at,
            vetted_at=vetting.vetted_at,
            vetted_by=vetting.vetted_by,
            vetting_reason=vetting.reason,
        )
        skill_rows = self._skill_rows(rng, profile, person.years, chosen, top, filled)
        achievements = [
            _row(Achievement, profile, position=pos, **story) for pos, story in enumerate(filled)
        ]
        link_rows = self._link_rows(rng, profile, person, i, top, filled)
        return user, profile, skill_rows, achievements, link_rows

    def _person(self, rng: random.Random, i: int, *, demo: bool) -> _Person:
        first, last = _person(rng)
        email = f"{_ascii_slug(first)}.{_ascii_slug(last)}.{i}@demo{self.seed}.example.org"
        rt = _ROLE_TYPES.pick(rng)
        level = _LEVELS.pick(rng)
        place = _PLACES.pick(rng)
        status = _CANDIDATE_STATUS.pick(rng)
        full_name = f"{first} {last}"
        if demo:
            email, full_name = DEMO_LOGINS["candidate"], DEMO_NAMES["candidate"]
            rt, level, status = RoleType.LLM_ENGINEER, Level.SENIOR, "active"
            place = _ALL_PLACES_BY_CITY["Berlin"]
        lo, hi = catalog.LEVEL_YEARS[level]
        return _Person(
            first=first,
            last=last,
            email=email,
            full_name=full_name,
            role_type=rt,
            level=level,
            place=place,
            status=status,
            years=round(rng.uniform(lo, hi) * 2) / 2,
        )

    def _skill_levels(self, rng: random.Random, person: _Person) -> dict[str, int]:
        """The role type's core, a few common and optional skills, some adjacent ones."""
        S, rt = self.skills, person.role_type
        centre = catalog.LEVEL_SKILL_CENTRE[person.level]
        chosen: dict[str, int] = {}
        for j, sid in enumerate(S.core[rt]):
            if j < 2 or rng.random() < 0.85:  # everyone has the first two core skills
                chosen[sid] = _skill_level(rng, centre)
        for sid in rng.sample(S.common[rt], k=min(len(S.common[rt]), rng.randint(2, 5))):
            chosen.setdefault(sid, _skill_level(rng, centre - 0.6))
        for sid in rng.sample(S.optional[rt], k=min(len(S.optional[rt]), rng.randint(0, 2))):
            chosen.setdefault(sid, _skill_level(rng, centre - 1.0))
        if S.related and chosen and rng.random() < 0.6:
            near = sorted({r for sid in chosen for r in S.related.get(sid, ()) if r not in chosen})
            for sid in rng.sample(near, k=min(len(near), rng.randint(1, 2))):
                chosen[sid] = _skill_level(rng, centre - 1.4)
        for sid in rng.sample(S.general, k=min(len(S.general), rng.randint(0, 2))):
            chosen.setdefault(sid, _skill_level(rng, centre - 0.8))
        return chosen

    def _headline_and_summary(
        self, rng: random.Random, person: _Person, top: list[str], filled: list[dict[str, str]]
    ) -> tuple[str, str]:
        title = rng.choice(catalog.ROLE_PROFILES[person.role_type].titles)
        level_word = catalog.LEVEL_TITLE[person.level]
        labels = self.skills.labels
        signature = [labels[s] for s in top if s not in self.skills.general] or [labels[top[0]]]
        headline = f"{level_word} {title}".strip() + " · " + ", ".join(signature[:3])
        summary = (
            f"{level_word or 'Mid-level'} {title.lower()} with {person.years:g} years of "
            f"experience, based in {person.place.city}. Strongest in "
            f"{', '.join(signature[:4])}. "
            f"Recently: {filled[0]['title'].lower()} — {filled[0]['result'][0].lower()}"
            f"{filled[0]['result'][1:]}"
        )[:4000]
        return headline, summary

    def _vetting(self, rng: random.Random, status: str) -> _Vetting:
        if status == "draft":
            return _Vetting()
        submitted_at = _days_ago(rng, self.now, 1, 500)
        if status not in ("vetted", "active", "paused", "rejected"):
            return _Vetting(submitted_at=submitted_at)
        vetted_at = submitted_at + timedelta(days=rng.randint(1, 6))
        reason = rng.choice(catalog.REJECTION_REASONS_CANDIDATE) if status == "rejected" else ""
        return _Vetting(submitted_at, vetted_at, self.partner, reason)

    def _skill_rows(
        self,
        rng: random.Random,
        profile: CandidateProfile,
        years: float,
        chosen: dict[str, int],
        top: list[str],
        filled: list[dict[str, str]],
    ) -> list[tuple[Any, ...]]:
        rows = []
        for sid in top:
            lvl = chosen[sid]
            sk_years = min(years, max(0.5, round(years * rng.uniform(0.3, 1.0) * 2) / 2))
            evidence = ""
            if lvl >= 4 and rng.random() < 0.6:
                evidence = (
                    f"Used {self.skills.labels[sid]} in production for {sk_years:g} years; "
                    f"see “{filled[0]['title']}”."
                )
            rows.append(
                _row(
                    CandidateSkill,
                    profile,
                    skill_id=sid,
                    level=lvl,
                    years=Decimal(str(sk_years)),
                    evidence=evidence,
                )
            )
        return rows

    def _link_rows(
        self,
        rng: random.Random,
        profile: CandidateProfile,
        person: _Person,
        i: int,
        top: list[str],
        filled: list[dict[str, str]],
    ) -> list[tuple[Any, ...]]:
        """Code always, a personal site half the time, then a paper (researchers, and now
        and then others) or a talk."""
        handle = f"{_ascii_slug(person.first)}{_ascii_slug(person.last)}{i}"

        def link(kind: Link.Kind, title: str, url: str) -> tuple[Any, ...]:
            return _row(Link, profile, kind=kind.value, title=title, url=url)

        rows = [link(Link.Kind.CODE, "Code", f"https://github.example.com/{handle}")]
        if rng.random() < 0.5:
            rows.append(link(Link.Kind.PORTFOLIO, "Personal site", f"https://{handle}.example.net"))
        research = (RoleType.RESEARCH_SCIENTIST, RoleType.RESEARCH_ENGINEER)
        if person.role_type in research or rng.random() < 0.15:
            year = 2018 + rng.randint(0, 8)
            rows.append(
                link(
                    Link.Kind.PUBLICATION,
                    f"Paper on {self.skills.labels[top[0]]}",
                    f"https://papers.example.org/{year}/{handle}",
                )
            )
        elif rng.random() < 0.25:
            story = filled[0]["title"]
            rows.append(
                link(
                    Link.Kind.TALK,
                    f"Talk: {story}",
                    f"https://talks.example.org/{handle}/{_ascii_slug(story, '-')}",
                )
            )
        return rows

    def _history(
        self, rng: random.Random, profile: CandidateProfile, stories: list[tuple[Any, ...]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Work history that adds up to the profile's years (one to four jobs, the latest
        current, the achievements as its bullets) and one or two degrees."""
        years = float(profile.years_experience)
        n_jobs = max(1, min(4, 1 + int(years // 4) + (1 if rng.random() < 0.3 else 0)))
        cuts = sorted(rng.uniform(0.2, 0.8) * years for _ in range(n_jobs - 1))
        bounds = [0.0, *cuts, years]  # years ago, newest first: [0, ..., years]
        role_type = (profile.role_types or ["ml-engineer"])[0]
        titles = catalog.ROLE_PROFILES[role_type].titles
        today = self.now.date()
        jobs = []
        for j in range(n_jobs):
            newer, older = bounds[j], bounds[j + 1]
            start = today - timedelta(days=round(older * 365.25))
            start = start.replace(day=1)
            end = None if j == 0 else (today - timedelta(days=round(newer * 365.25))).replace(day=1)
            if end is not None and end < start:
                end = start
            seniority = "Senior " if j == 0 and profile.level in ("senior", "staff") else ""
            if j == 0 and profile.level in ("staff", "principal"):
                seniority = f"{catalog.LEVEL_TITLE[profile.level]} "
            employer = f"{rng.choice(catalog.COMPANY_PREFIXES)} {rng.choice(EMPLOYER_SUFFIXES)}"
            bullets = [f"• {story[2]}: {story[7]}" for story in stories if j == 0][:3]
            if not bullets:
                bullets = [f"• {rng.choice(catalog.RESPONSIBILITIES[role_type])}"]
            jobs.append(
                _row(
                    Experience,
                    profile,
                    employer=employer,
                    title=f"{seniority}{rng.choice(titles)}".strip(),
                    start=start,
                    end=end,
                    description="\n".join(bullets)[:4000],
                )
            )
        study_end = today.year - round(years) - rng.choice((0, 0, 1))
        field = rng.choice(EDUCATION_FIELDS)
        city = profile.city or "Berlin"
        school = rng.choice(
            (
                f"University of {city}",
                f"{city} Institute of Technology",
                f"Technical University of {city}",
            )
        )
        degrees = [
            _row(
                Education,
                profile,
                school=school,
                degree=rng.choice(("MSc", "BSc", "MEng")),
                field=field,
                end_year=study_end,
            ),
        ]
        if profile.level in ("staff", "principal") or rng.random() < 0.15:
            degrees.insert(
                0,
                _row(
                    Education,
                    profile,
                    school=school,
                    degree="PhD",
                    field=rng.choice(EDUCATION_FIELDS[:4]),
                    end_year=min(today.year, study_end + 4),
                ),
            )
        return jobs, degrees

    def _demographics(self, rng: random.Random, profile: CandidateProfile) -> list[tuple[Any, ...]]:
        """Synthetic voluntary answers: most answer, some only one question, some neither."""
        if rng.random() >= DEMOGRAPHICS_ANSWERED:
            return []
        sex = _SEX.pick(rng) if rng.random() < 0.95 else ""
        race = _RACE.pick(rng) if rng.random() < 0.9 else ""
        if not sex and not race:
            return []
        return [_row(Demographics, profile, sex=sex, race_ethnicity=race, updated_at=self.now)]

    # -- roles -------------------------------------------------------------------------------

    def roles(self, n: int, companies: list[_CompanySpec]) -> None:
        if not companies:
            return
        rng = self._rng("roles")
        # A stream of its own, so the rest of every role stays what it was before roles could
        # be open to more than one level.
        levels_rng = self._rng("role-levels")
        weights = [_SIZE_ROLE_WEIGHT[c.company.size] for c in companies]
        by_size = _Weighted(range(len(companies)), weights)
        demo_co = companies[0] if companies[0].demo else None
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            roles, skills, steps = [], [], []
            for i in range(start, stop):
                forced = demo_co is not None and i < 4
                spec = companies[0] if forced else companies[by_size.pick(rng)]
                role, rs, st = self._role(rng, spec, force_open=forced and i < 3)
                role.accepted_levels = accepted_levels(levels_rng, role.level)
                if role.accepted_levels:
                    also = " or ".join(role.accepted_levels)
                    role.description += f" We would also hire at {also} level."
                roles.append(role)
                skills.extend(rs)
                steps.extend(st)
            with transaction.atomic():
                Role.objects.bulk_create(roles)
                _insert_children(RoleSkill, skills)
                _insert_children(InterviewStep, steps)
            self.counts["roles"] += len(roles)
            self.counts["role_skills"] += len(skills)
            self.counts["interview_steps"] += len(steps)
            self._report("roles", stop, n)

    def _role(
        self, rng: random.Random, spec: _CompanySpec, *, force_open: bool
    ) -> tuple[Role, list[RoleSkill], list[InterviewStep]]:
        company, place = spec.company, spec.place
        rt = _ROLE_DEMAND.pick(rng)
        level = _LEVELS.pick(rng)
        prof = catalog.ROLE_PROFILES[rt]
        S = self.skills
        title = f"{catalog.LEVEL_TITLE[level]} {rng.choice(prof.titles)}".strip()

        if company.vetting_status != Company.VettingStatus.VETTED:
            status = Role.Status.DRAFT
        elif force_open:
            status = Role.Status.OPEN
        else:
            r = rng.random()
            status = (
                Role.Status.OPEN
                if r < 0.8
                else (Role.Status.DRAFT if r < 0.9 else Role.Status.CLOSED)
            )

        # Skills: requirements come from the role type's core and common skills.
        base = {"junior": 2, "mid": 3, "senior": 3, "staff": 4, "principal": 4}[level]
        n_req = rng.randint(3, 6)
        n_core = min(len(S.core[rt]), rng.randint(2, 4), n_req)
        req = rng.sample(S.core[rt], k=n_core)
        common = [s for s in S.common[rt] if s not in req]
        req += rng.sample(common, k=min(len(common), n_req - len(req)))
        pool = [s for s in S.optional[rt] if s not in req]
        if S.related:
            pool += sorted(
                {r for s in req for r in S.related.get(s, ()) if r not in req} - set(pool)
            )
        nice = rng.sample(pool, k=min(len(pool), rng.randint(1, 4)))
        role = Role(
            company=company,
            title=title,
            level=level,
            role_type=rt,
            status=status,
            created_by=spec.members[0] if spec.members else None,
        )
        skill_rows = [
            _row(
                RoleSkill,
                role,
                skill_id=sid,
                kind=RoleSkill.Kind.REQUIRED.value,
                min_level=min(5, base + (1 if j == 0 and level == "senior" else 0))
                if sid in S.core[rt]
                else max(1, base - 1),
                weight=rng.randint(3, 5) if sid in S.core[rt] else rng.randint(2, 3),
            )
            for j, sid in enumerate(req)
        ] + [
            _row(
                RoleSkill,
                role,
                skill_id=sid,
                kind=RoleSkill.Kind.NICE.value,
                min_level=max(1, base - 1),
                weight=rng.randint(1, 2),
            )
            for sid in nice
        ]

        lo_years = {"junior": 0, "mid": 2, "senior": 5, "staff": 8, "principal": 12}[level]
        role.years_min = max(0, lo_years - rng.randint(0, 1))
        role.years_max = None if rng.random() < 0.2 else role.years_min + rng.randint(3, 8)

        policy = _ROLE_POLICY.pick(rng)
        role.location_policy = policy
        region = catalog.region_of(place)
        currency, anchor = place.currency, float(place.senior_pay)
        if policy == RemotePreference.REMOTE:
            reach = _REMOTE_REACH.pick(rng)
            if reach == "anywhere":  # anywhere with enough overlap; pays in USD
                role.allowed_countries = []
                role.allowed_timezones = []
                market = float(catalog.ANYWHERE_PAY_USD)
            else:
                if reach == "country":
                    places = [p for p in catalog.PLACES if p.country == place.country]
                elif reach == "region":
                    places = _REGION_PLACES[region]
                else:
                    other = rng.choice(catalog.NEIGHBOUR_REGIONS[region])
                    places = _REGION_PLACES[region] + _REGION_PLACES[other]
                role.allowed_countries = sorted({p.country for p in places})
                role.allowed_timezones = sorted({p.timezone for p in places})
                regions = {catalog.region_of(p) for p in places}
                market = float(max(catalog.REGION_PAY_USD[r] for r in regions))
            role.cities = []
            if reach != "country":  # benchmarked to the market it hires in, never below local
                if reach == "anywhere":
                    currency = "USD"
                local_usd = place.senior_pay * self.rates[place.currency]
                anchor = max(local_usd, market * rng.uniform(0.85, 1.0)) / self.rates[currency]
        else:  # the company's office, and often one or two more in the same region
            offices = [place]
            for _ in range(_EXTRA_OFFICES.pick(rng)):
                other = _REGION_HUBS[region].pick(rng)
                if other not in offices:
                    offices.append(other)
            role.allowed_countries = sorted({o.country for o in offices})
            role.allowed_timezones = sorted({o.timezone for o in offices})
            role.cities = [o.city for o in offices]

        period = _pay_period(rng, place.country)
        yearly = anchor * catalog.LEVEL_PAY_FACTOR[level] * rng.uniform(0.9, 1.12)
        pay_min = nice_round(pay_for_period(yearly, period) * 0.9)
        ratio = rng.uniform(min(1.15, self.max_ratio), min(1.4, self.max_ratio))
        pay_max = nice_round(pay_min * ratio, down=True)
        pay_max = max(pay_min, min(pay_max, math.floor(pay_min * self.max_ratio)))
        role.pay_min, role.pay_max = pay_min, pay_max
        role.pay_currency, role.pay_period = currency, period

        pitch, audience = catalog.DOMAIN_PITCH[company.domains[0]]
        skills_text = ", ".join(S.labels[s] for s in req[:3])
        resp = rng.sample(catalog.RESPONSIBILITIES[rt], k=min(4, len(catalog.RESPONSIBILITIES[rt])))
        role.description = (
            f"{company.name} {pitch} for {audience}. We are hiring a {title} "
            f"({dict(Level.choices)[level].lower()}) to join a team of "
            f"{rng.randint(3, 12)} in {place.city}"
            + (" or remotely" if policy == RemotePreference.REMOTE else "")
            + f". You will work mostly with {skills_text}. "
            f"{resp[0]} The pay band is published and the same for every candidate at this level."
        )
        role.responsibilities = "\n".join(f"- {r}" for r in resp)
        role.equity = catalog.EQUITY_BY_STAGE.get(company.stage, "")
        role.benefits = " ".join(rng.sample(catalog.BENEFITS, k=rng.randint(2, 4)))
        role.interview_overview = (
            f"Expect questions on {skills_text}. Bring one project you are proud of and the "
            "numbers that show it worked. We send the take-home brief (if any) a week ahead."
        )
        if status != Role.Status.DRAFT:
            role.published_at = _days_ago(rng, self.now, 3, 120)
        if status == Role.Status.CLOSED:
            assert role.published_at is not None
            role.closed_at = role.published_at + timedelta(days=rng.randint(14, 60))

        group = (
            "research"
            if rt in (RoleType.RESEARCH_SCIENTIST, RoleType.RESEARCH_ENGINEER)
            else "product"
            if rt == RoleType.TPM_PM
            else "engineering"
        )
        middle = rng.sample(catalog.INTERVIEW_STEPS[group], k=rng.randint(1, 3))
        plan = [catalog.INTERVIEW_STEPS["common"][0], *middle]
        if rng.random() < 0.7:
            plan.append(catalog.INTERVIEW_STEPS["common"][1])
        steps = [
            _row(
                InterviewStep,
                role,
                position=pos,
                name=name,
                description=desc,
                duration_minutes=m,
                **dict(zip(STEP_PREP_FIELDS, catalog.STEP_PREP[name], strict=True)),
                links="[]",
                updated_at=self.now,
            )
            for pos, (name, desc, m) in enumerate(plan)
        ]
        return role, skill_rows, steps


def demo_generate(
    *,
    seed: int = 42,
    candidates: int = 300,
    companies: int = 40,
    roles: int = 120,
    batch_size: int = 1000,
    now: datetime | None = None,
    progress: DemoProgress | None = None,
) -> dict[str, int]:
    """Write a demo marketplace and the three demo logins (verified, and the partner and
    company logins enrolled with the demo authenticator); return the rows written per kind.

    ``companies`` and ``candidates`` include the demo company and the demo candidate (made
    on the first run into a database that lacks them). Roles of companies that are not
    vetted are drafts; the first four roles go to the demo company, three of them open.
    """
    if min(candidates, companies, roles) < 0:
        raise ValueError("Sizes must not be negative.")
    if roles and not companies:
        raise ValueError("Roles need at least one company.")
    gen = _Generator(seed=seed, now=now or timezone.now(), batch_size=batch_size, progress=progress)
    gen.ensure_partner()
    specs = gen.companies(companies)
    gen.candidates(candidates)
    gen.roles(roles, specs)
    demo_logins_prepare()
    return dict(gen.counts)
