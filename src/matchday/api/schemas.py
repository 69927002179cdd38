"""Request and response bodies of the API. Every input is checked here for shape and
vocabulary; the services check the rules (pay bands, states, permissions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AfterValidator, create_model

from matchday.companies.interview_templates import TEMPLATES
from matchday.companies.models import MAX_STEP_LINKS, InterviewStep
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
from matchday.core.fields import PUBLIC_URL_MAX, validate_public_url
from matchday.matchdays.models import MAX_CANDIDATE_CAP, MAX_ROLE_CAP
from matchday.talent.models import PartnerNote

NUL_CHARACTER = "Text may not contain NUL (\\x00) characters."
MAX_INT = 2_147_483_647  # the database's integer column


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(NUL_CHARACTER)
    return value


def _public_url(value: str) -> str:
    try:
        validate_public_url(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return value


def Text(max_length: int = 8000, min_length: int = 0) -> Any:
    return Annotated[
        str, Field(max_length=max_length, min_length=min_length), AfterValidator(_no_nul)
    ]


def _choice(choices) -> Any:
    return Literal[tuple(choices.values)]


LevelChoice = _choice(Level)
RoleTypeChoice = _choice(RoleType)
RemoteChoice = _choice(RemotePreference)
StageChoice = _choice(CompanyStage)
SizeChoice = _choice(CompanySize)
DomainChoice = _choice(Domain)
PeriodChoice = _choice(PayPeriod)
PreferenceChoice = _choice(Preference)
Amount = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Years = Annotated[float, Field(ge=0, le=80)]


# --- errors and pages --------------------------------------------------------------------


class FieldError(Schema):
    field: str | None = Field(description="The input field at fault; null for the request.")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(codes or (401, 403, 404, 422), ErrorOut)


def responses(ok: Any, status: int = 200, *, body: bool = False) -> dict[int, Any]:
    """The documented responses of an operation: its success plus every error it can give."""
    out: dict[int, Any] = {status: ok, **error_responses()}
    if body:
        out[400] = ErrorOut
    return out


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="Items per page (1–100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return create_model(
        name,
        __base__=Schema,
        items=(list[item], ...),
        total=(int, Field(..., description="Items matching the filters, over all pages.")),
        limit=(int, ...),
        offset=(int, ...),
    )


def paginate(qs: QuerySet, page: PageParams) -> dict[str, Any]:
    return {
        "items": list(qs[page.offset : page.offset + page.limit]),
        "total": qs.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


class Message(Schema):
    detail: str


# --- candidate profile ---------------------------------------------------------------------


class SkillOut(Schema):
    skill_id: str = Field(
        ..., description="A taxonomy id, or '~' and the name's key for a name outside it."
    )
    label: str
    in_taxonomy: bool
    level: int
    years: float
    evidence: str

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.skill.label

    @staticmethod
    def resolve_in_taxonomy(obj) -> bool:
        return not obj.skill.is_open

    @staticmethod
    def resolve_years(obj) -> float:
        return float(obj.years)


class SkillIn(Schema):
    skill: Text(120, 1) = Field(
        ...,
        description="A taxonomy id, label or alias (e.g. 'k8s'), or any other skill name "
        "(at most 60 characters), kept as typed.",
    )
    level: int = Field(..., ge=1, le=5)
    years: Years = 0
    evidence: Text(2000) = ""


def _codes(countries) -> list[str]:
    return [c.code for c in countries]


class ProfileOut(Schema):
    id: int
    status: str
    headline: str
    summary: str
    country: str
    city: str
    timezone: str
    remote_preference: str
    acceptable_countries: list[str]
    acceptable_cities: list[Any]
    work_authorization: list[str]
    years_experience: float
    level: str
    role_types: list[Any]
    domains: list[Any]
    company_stages: list[Any]
    company_sizes: list[Any]
    min_pay_amount: int | None
    min_pay_currency: str
    min_pay_period: str
    dealbreakers: list[Any]
    preference_weights: dict[str, Any]
    vetting_reason: str
    submitted_at: datetime | None
    updated_at: datetime
    skills: list[SkillOut]

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_acceptable_countries(obj) -> list[str]:
        return _codes(obj.acceptable_countries)

    @staticmethod
    def resolve_work_authorization(obj) -> list[str]:
        return _codes(obj.work_authorization)

    @staticmethod
    def resolve_years_experience(obj) -> float:
        return float(obj.years_experience)

    @staticmethod
    def resolve_skills(obj) -> list:
        return list(obj.skills.all())


class ProfilePatch(Schema):
    """Only the fields sent are changed. ``skills``, when sent, replaces the whole list."""

    headline: Text(160) = None
    summary: Text(4000) = None
    country: Text(2) = Field(None, description="ISO 3166 alpha-2 code, or empty.")
    city: Text(100) = None
    timezone: Text(64) = Field(None, description="IANA name, e.g. Europe/Berlin.")
    remote_preference: RemoteChoice = None
    acceptable_countries: list[Text(2)] = None
    acceptable_cities: list[Text(100)] = None
    work_authorization: list[Text(2)] = None
    years_experience: Years = None
    level: LevelChoice | Literal[""] = None
    role_types: list[RoleTypeChoice] = None
    domains: list[DomainChoice] = None
    company_stages: list[StageChoice] = None
    company_sizes: list[SizeChoice] = None
    min_pay_amount: Annotated[int, Field(ge=1, le=MAX_INT)] | None = None
    min_pay_currency: Text(3) = None
    min_pay_period: PeriodChoice = None
    dealbreakers: list[PreferenceChoice] = None
    preference_weights: dict[PreferenceChoice, Annotated[int, Field(ge=0, le=3)]] = None
    skills: list[SkillIn] = Field(None, max_length=60)


# --- companies and roles -----------------------------------------------------------------


class RoleSkillOut(Schema):
    skill_id: str = Field(
        ..., description="A taxonomy id, or '~' and the name's key for a name outside it."
    )
    label: str
    in_taxonomy: bool
    kind: str
    min_level: int
    weight: int

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.skill.label

    @staticmethod
    def resolve_in_taxonomy(obj) -> bool:
        return not obj.skill.is_open


class RoleSkillIn(Schema):
    skill: Text(120, 1) = Field(
        ...,
        description="A taxonomy id, label or alias, or any other skill name (at most 60 "
        "characters), kept as typed.",
    )
    kind: Literal["required", "nice"] = "required"
    min_level: int = Field(3, ge=1, le=5)
    weight: int = Field(1, ge=1, le=5)


StepFormatChoice = Literal[tuple(InterviewStep.Format.values)]
PublicLink = Annotated[str, Field(max_length=PUBLIC_URL_MAX), AfterValidator(_public_url)]


class InterviewStepOut(Schema):
    id: int
    position: int
    name: str
    format: str = Field(description="One of the step formats, or empty.")
    description: str
    duration_minutes: int
    interviewers: str = Field(description="Who interviews, by role (never names).")
    assesses: str
    preparation: str = Field(description="What to prepare.")
    links: list[str] = Field(description="Links to public material.")


class _StepFields(Schema):
    format: StepFormatChoice | Literal[""] = None
    description: Text(2000) = None
    duration_minutes: int = Field(None, ge=5, le=600)
    interviewers: Text(200) = None
    assesses: Text(1000) = None
    preparation: Text(4000) = None
    links: list[PublicLink] = Field(None, max_length=MAX_STEP_LINKS)


class InterviewStepIn(_StepFields):
    """A step of the list that replaces the role's interview process: with the ``id`` of an
    existing step to keep (and update) it, without one to add a step."""

    id: int | None = Field(None, ge=1, le=MAX_INT)
    name: Text(120, 1)


class InterviewStepPatch(_StepFields):
    """Only the fields sent are changed."""

    name: Text(120, 1) = None


class InterviewTemplateOut(Schema):
    key: str
    label: str
    steps: list[dict[str, Any]]


class RolePrepOut(Schema):
    """A role's interview process as candidates read it: the overview and every step."""

    role_id: int
    role_title: str
    company_name: str
    interview_overview: str
    steps: list[InterviewStepOut]


class RoleOut(Schema):
    id: int
    company_id: int
    company_name: str
    title: str
    level: str
    accepted_levels: list[str] = Field(
        description="Other levels the role is also open to, in level order."
    )
    role_type: str
    description: str
    responsibilities: str
    location_policy: str
    allowed_countries: list[str]
    allowed_timezones: list[Any]
    cities: list[Any]
    years_min: int
    years_max: int | None
    pay_min: int
    pay_max: int
    pay_currency: str
    pay_period: str
    equity: str
    benefits: str
    interview_overview: str
    status: str
    published_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    skills: list[RoleSkillOut]
    interview_steps: list[InterviewStepOut]

    @staticmethod
    def resolve_company_name(obj) -> str:
        return obj.company.name

    @staticmethod
    def resolve_allowed_countries(obj) -> list[str]:
        return _codes(obj.allowed_countries)

    @staticmethod
    def resolve_skills(obj) -> list:
        return list(obj.skills.all())

    @staticmethod
    def resolve_interview_steps(obj) -> list:
        return list(obj.interview_steps.all())


class _RoleFields(Schema):
    accepted_levels: list[Text(16)] = Field(
        None,
        max_length=5,
        description="Other levels the role is also open to (junior, mid, senior, staff, "
        "principal); the role's own level always counts and is dropped from the list.",
    )
    responsibilities: Text(4000) = None
    allowed_countries: list[Text(2)] = None
    allowed_timezones: list[Text(64)] = None
    cities: list[Text(100)] = None
    years_min: int = Field(None, ge=0, le=60)
    years_max: int | None = Field(None, ge=0, le=60)
    pay_period: PeriodChoice = None
    equity: Text(2000) = None
    benefits: Text(4000) = None
    interview_overview: Text(8000) = None
    skills: list[RoleSkillIn] = Field(None, max_length=40)
    interview_steps: list[InterviewStepIn] = Field(None, max_length=20)


class RoleCreate(_RoleFields):
    interview_template: Literal[tuple(TEMPLATES)] | None = Field(
        None, description="Start the interview steps from this template (when none are sent)."
    )
    title: Text(160, 1)
    level: LevelChoice
    role_type: RoleTypeChoice
    description: Text(8000, 1)
    location_policy: RemoteChoice
    pay_min: Amount
    pay_max: Amount
    pay_currency: Text(3, 1)


class RolePatch(_RoleFields):
    """Only the fields sent are changed; ``skills`` / ``interview_steps`` replace the lists."""

    title: Text(160, 1) = None
    level: LevelChoice = None
    role_type: RoleTypeChoice = None
    description: Text(8000, 1) = None
    location_policy: RemoteChoice = None
    pay_min: Amount = None
    pay_max: Amount = None
    pay_currency: Text(3, 1) = None


class RoleFilters(Schema):
    status: Literal["draft", "open", "closed"] | None = None


class RoleClose(Schema):
    reason: Text(2000) = ""


# --- vetting -------------------------------------------------------------------------------


class CandidateReviewOut(ProfileOut):
    full_name: str
    email: str

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.user.email


class CandidateFilters(Schema):
    status: Literal["draft", "submitted", "vetted", "rejected", "active", "paused"] | None = Field(
        "submitted", description="Defaults to the vetting queue: submitted profiles."
    )


class CompanyOut(Schema):
    id: int
    name: str
    website: str
    size: str
    stage: str
    domains: list[Any]
    description: str
    vetting_status: str
    vetting_checklist: dict[str, Any]
    vetting_notes: str
    created_at: datetime
    vetted_at: datetime | None


class CompanyFilters(Schema):
    status: Literal["pending", "vetted", "rejected"] | None = Field(
        "pending", description="Defaults to the vetting queue: companies pending review."
    )


class VetApprove(Schema):
    reason: Text(2000) = ""


class VetReject(Schema):
    reason: Text(2000)


class CompanyApprove(Schema):
    checklist: dict[Text(40), bool] = Field(
        ..., description="Every checklist item must be ticked (true) to approve."
    )
    notes: Text(4000) = ""


class CompanyReject(Schema):
    notes: Text(4000)
    checklist: dict[Text(40), bool] = Field(default_factory=dict)


# --- Match Days (partners) -----------------------------------------------------------------


class RunOut(Schema):
    id: int
    status: str
    progress: int = Field(..., description="Percent done.")
    progress_message: str
    engine_version: str
    input_hash: str
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class MatchDayOut(Schema):
    id: int
    name: str
    status: str
    release_at: datetime
    release_timezone: str
    interest_deadline: datetime
    candidate_cap: int
    role_cap: int
    policy: str
    stopped_at: datetime | None
    stop_reason: str
    released_at: datetime | None
    created_at: datetime
    latest_run: RunOut | None

    @staticmethod
    def resolve_latest_run(obj):
        # Runs are ordered newest first (CurationRun.Meta.ordering); lists prefetch them, so
        # this reads no row per Match Day.
        return next(iter(obj.runs.all()), None)


class MatchDayCreate(Schema):
    name: Text(120, 1)
    release_at: datetime = Field(..., description="With its UTC offset.")
    interest_deadline: datetime
    release_timezone: Text(64) = "UTC"
    candidate_cap: int = Field(3, ge=1, le=MAX_CANDIDATE_CAP)
    role_cap: int = Field(10, ge=1, le=MAX_ROLE_CAP)
    policy: Literal["optimal", "stable"] = "optimal"


NoteTopicChoice = Literal[tuple(PartnerNote.Topic.values)]


class PartnerNoteOut(Schema):
    id: int
    candidate_id: int
    topic: str
    body: str
    author_name: str | None = Field(description="The partner who wrote it (null once removed).")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_author_name(obj) -> str | None:
        return None if obj.author is None else (obj.author.full_name or obj.author.email)


class PartnerNoteIn(Schema):
    topic: NoteTopicChoice = "goals"
    body: Text(4000, 1)


class PartnerNotePatch(Schema):
    """Only the fields sent are changed."""

    topic: NoteTopicChoice = None
    body: Text(4000, 1) = None


class Reason(Schema):
    reason: Text(2000)


class OptionalReason(Schema):
    reason: Text(2000) = ""


class ProposalOut(Schema):
    id: int
    matchday_id: int
    candidate_id: int
    role_id: int
    source: str
    score: float
    role_fit: float
    candidate_fit: float
    sentences: list[Any]
    missing_required: int
    engine_version: str
    input_hash: str
    status: str
    reviewed_at: datetime | None
    review_reason: str


class ProposalFilters(Schema):
    status: Literal["pending", "approved", "rejected", "swapped_out"] | None = None
    min_score: float | None = Field(None, ge=0, le=1)
    role_id: int | None = Field(None, ge=1, le=MAX_INT)


# --- intros and pipeline -------------------------------------------------------------------


class StepOut(Schema):
    id: int
    position: int
    kind: str
    name: str
    status: str
    due_at: datetime
    scheduled_at: datetime | None
    duration_minutes: int
    location: str
    close_reason: str
    completed_at: datetime | None


class OfferOut(Schema):
    id: int
    intro_id: int
    step_id: int
    amount: int
    currency: str
    pay_period: str
    start_date: date
    expires_at: datetime
    notes: str
    outside_band_reason: str
    status: str
    made_at: datetime
    answered_at: datetime | None
    decline_reason: str


OfferCurrency = Annotated[str, Field(max_length=3), AfterValidator(_no_nul)]
OfferNotes = Annotated[str, Field(max_length=4000), AfterValidator(_no_nul)]
OfferReason = Annotated[str, Field(max_length=2000), AfterValidator(_no_nul)]


class OfferIn(Schema):
    amount: int = Field(..., ge=1, le=100_000_000, description="Whole currency units.")
    currency: OfferCurrency = Field("", description="Empty: the role's band currency.")
    start_date: date
    expires_at: datetime = Field(..., description="With its UTC offset; 1 to 30 days ahead.")
    notes: OfferNotes = ""
    outside_band_reason: OfferReason = Field(
        "", description="Required when the amount is outside the role's band."
    )


class IntroOut(Schema):
    id: int
    matchday_id: int
    role_id: int
    role_title: str
    company_name: str
    offered_salary: int
    pay_currency: str
    pay_period: str
    status: str
    released_at: datetime
    decided_at: datetime | None
    close_reason: str
    candidate_name: str | None = Field(
        None, description="Shown to the company only once the candidate has accepted."
    )
    steps: list[StepOut]
    offers: list[OfferOut]

    @staticmethod
    def resolve_offers(obj) -> list:
        return list(obj.offers.all())

    @staticmethod
    def resolve_role_title(obj) -> str:
        return obj.role.title

    @staticmethod
    def resolve_company_name(obj) -> str:
        return obj.role.company.name

    @staticmethod
    def resolve_pay_currency(obj) -> str:
        return obj.role.pay_currency

    @staticmethod
    def resolve_pay_period(obj) -> str:
        return obj.role.pay_period

    @staticmethod
    def resolve_candidate_name(obj) -> str | None:
        return obj.candidate.user.full_name if obj.identity_revealed else None

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())


class StepSchedule(Schema):
    scheduled_at: datetime
    duration_minutes: int | None = Field(None, ge=5, le=600)
    location: Text(300) = ""
    notes: Text(4000) = None


class StepComplete(Schema):
    notes: Text(4000) = None
