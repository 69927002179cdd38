"""Reads for intros, pipelines and the Match Day report, scoped to the requesting user.

A candidate sees only their own intros; a company member only intros for their company's
roles, blind until the candidate accepts; partners see reports and never a company's view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matchday.companies.models import RoleSkill
from matchday.core.permissions import ensure_candidate, ensure_company_member, ensure_partner
from matchday.engine.fairness import FUNNEL_STAGES, FunnelAudit, FunnelPerson, funnel_audit
from matchday.followup.models import Intro, Offer, PipelineStep, labels_of
from matchday.followup.responsiveness import Responsiveness, company_responsiveness
from matchday.matchdays.adapters import sentences_for
from matchday.matchdays.models import MatchDay, Proposal
from matchday.notifications.services import about_key
from matchday.talent.models import CandidateProfile, CandidateSkill, Demographics

STAGE_LABELS = {
    "proposed": "Proposed by the engine",
    "approved": "Approved by a talent partner",
    "interest_received": "Company interested",
    "intro_accepted": "Intro accepted",
    "interviewed": "Interviewed",
    "offered": "Offered",
    "hired": "Hired",
}
ACCEPTED_STATUSES = {
    Intro.Status.ACCEPTED,
    Intro.Status.WITHDRAWN,
    Intro.Status.CLOSED,
    Intro.Status.HIRED,
}


def _intros() -> QuerySet[Intro]:
    return Intro.objects.select_related(
        "role__company", "matchday", "proposal", "candidate__user"
    ).prefetch_related(
        Prefetch("steps", queryset=PipelineStep.objects.select_related("owner")),
        "role__interview_steps",
        "offers",
    )


# --- candidate ---------------------------------------------------------------------------


def intros_for_candidate(*, user) -> QuerySet[Intro]:
    """The candidate's own intros, with what they need to decide: the role's requirements
    and interview steps, the company's profile and the note it wrote with its interest."""
    ensure_candidate(user)
    return (
        _intros()
        .select_related("proposal__interest")
        .prefetch_related(
            Prefetch("role__skills", queryset=RoleSkill.objects.select_related("skill"))
        )
        .filter(candidate__user=user)
        .order_by("-released_at", "pk")
    )


def intro_for_candidate(*, user, intro_id: int) -> Intro:
    return get_object_or_404(intros_for_candidate(user=user), pk=intro_id)


def step_for_candidate(*, user, step_id: int) -> PipelineStep:
    ensure_candidate(user)
    return get_object_or_404(
        PipelineStep.objects.select_related(
            "intro__role__company", "intro__candidate__user", "owner", "interview_step"
        ),
        pk=step_id,
        intro__candidate__user=user,
    )


def offer_for_candidate(*, user, offer_id: int) -> Offer:
    ensure_candidate(user)
    return get_object_or_404(
        Offer.objects.select_related("intro__role__company", "intro__candidate__user", "step"),
        pk=offer_id,
        intro__candidate__user=user,
    )


def candidate_sentences(proposal: Proposal) -> list[str]:
    """Why it matched, in the candidate's words, from the explanation stored at curation."""
    return sentences_for(proposal, "candidate")


@dataclass(frozen=True)
class StepView:
    kind: str
    name: str
    status: str
    step: PipelineStep | None = None


@dataclass
class IntroCard:
    """One intro on the candidate's page: everything they need to decide before accepting
    (accepting reveals who they are), and their process once they have."""

    intro: Intro
    sentences: list[str]
    responsiveness: Responsiveness
    steps: list[StepView] = field(default_factory=list)

    @property
    def open_offer(self) -> Offer | None:
        """The offer awaiting the candidate's answer, if any (at most one)."""
        return next((o for o in self.intro.offers.all() if o.status == Offer.Status.MADE), None)

    @property
    def note(self) -> str:
        """What the company wrote with its interest, for the candidate."""
        interest = getattr(self.intro.proposal, "interest", None)
        return interest.note if interest is not None else ""

    @property
    def required_skills(self) -> list[RoleSkill]:
        return [s for s in self.intro.role.skills.all() if s.kind == RoleSkill.Kind.REQUIRED]

    @property
    def nice_skills(self) -> list[RoleSkill]:
        return [s for s in self.intro.role.skills.all() if s.kind == RoleSkill.Kind.NICE]

    @property
    def current_step(self) -> PipelineStep | None:
        active = [
            s.step for s in self.steps if s.step is not None and s.status in {"open", "scheduled"}
        ]
        return active[0] if active else None


def pipeline_outline(intro: Intro) -> list[StepView]:
    """Every step of the pipeline: those that exist, then those still ahead."""
    existing = list(intro.steps.all())
    plan = [("screen", "Screen")]
    plan += [("interview", s.name) for s in intro.role.interview_steps.all()]
    plan += [("offer", "Offer"), ("hired", "Hire")]
    views = [StepView(s.kind, s.name, s.status, s) for s in existing]
    if intro.status == Intro.Status.ACCEPTED:
        views += [StepView(kind, name, "ahead") for kind, name in plan[len(existing) :]]
    return views


def intro_cards(*, user, now: datetime | None = None) -> list[IntroCard]:
    """The candidate's Match Day page: each intro with its reasons and the company's record."""
    now = now or timezone.now()
    records: dict[int, Responsiveness] = {}
    cards = []
    for intro in intros_for_candidate(user=user):
        company = intro.role.company
        if company.pk not in records:
            records[company.pk] = company_responsiveness(company, now)
        cards.append(
            IntroCard(
                intro=intro,
                sentences=candidate_sentences(intro.proposal),
                responsiveness=records[company.pk],
                steps=pipeline_outline(intro),
            )
        )
    return cards


# --- company -----------------------------------------------------------------------------


def intros_for_company(*, user) -> QuerySet[Intro]:
    """Intros for the member's company's roles. Identity is only for ``identity_revealed``."""
    ensure_company_member(user)
    return (
        _intros()
        .filter(role__company_id=user.company_id)
        .prefetch_related("candidate__links")
        .order_by("-released_at", "pk")
    )


def intro_for_company(*, user, intro_id: int) -> Intro:
    """One intro of the member's company, with the candidate's whole profile prefetched: the
    page shows it (skills, achievements, work history, education) once they accepted."""
    return get_object_or_404(
        intros_for_company(user=user).prefetch_related(
            Prefetch("candidate__skills", queryset=CandidateSkill.objects.select_related("skill")),
            "candidate__achievements",
            "candidate__experiences",
            "candidate__education",
        ),
        pk=intro_id,
    )


def company_sentences(intro: Intro) -> list[str]:
    """Why it matched, for the company, unredacted: only once the candidate has accepted
    (before that the company reads the blind card's redacted explanation)."""
    if not intro.identity_revealed:
        return []
    return sentences_for(intro.proposal, "company")


def step_for_company(*, user, step_id: int) -> PipelineStep:
    ensure_company_member(user)
    return get_object_or_404(
        PipelineStep.objects.select_related(
            "intro__role__company", "intro__candidate__user", "owner", "interview_step"
        ),
        pk=step_id,
        intro__role__company_id=user.company_id,
    )


# --- partner: the Match Day report --------------------------------------------------------


def matchdays_for_partner(*, user) -> QuerySet[MatchDay]:
    ensure_partner(user)
    return MatchDay.objects.all()


@dataclass(frozen=True)
class ReleasePreview:
    """What releasing a Match Day now would do, for the partner's confirmation."""

    matchday: MatchDay
    intros: int  # approved, the company interested, not hidden by the candidate since
    undecided: int  # approved, the company has not decided: no intro
    pending: int  # still awaiting review: no intro
    early: bool  # before the scheduled release time
    window_open: bool  # companies can still decide until the deadline

    @property
    def releasable(self) -> bool:
        return not self.matchday.is_stopped and self.matchday.status in (
            MatchDay.Status.REVIEW,
            MatchDay.Status.INTEREST,
        )


def release_preview(*, user, matchday_id: int, now: datetime | None = None) -> ReleasePreview:
    ensure_partner(user)
    now = now or timezone.now()
    md = get_object_or_404(MatchDay, pk=matchday_id)
    approved = Proposal.objects.filter(matchday=md, status=Proposal.Status.APPROVED)
    interested = approved.filter(interest__decision="interested", intro__isnull=True)
    hidden = CandidateProfile.hidden_companies.through.objects.filter(
        candidateprofile_id=OuterRef("candidate_id"), company_id=OuterRef("role__company_id")
    )
    return ReleasePreview(
        matchday=md,
        intros=interested.exclude(Exists(hidden)).count(),
        undecided=approved.filter(interest__isnull=True).count(),
        pending=Proposal.objects.filter(matchday=md, status=Proposal.Status.PENDING).count(),
        early=now < md.release_at,
        window_open=md.status == MatchDay.Status.INTEREST and now < md.interest_deadline,
    )


def proposal_stage(proposal: Proposal) -> str:
    """The furthest funnel stage one proposal reached."""
    intro = getattr(proposal, "intro", None)
    if intro is not None:
        steps = list(intro.steps.all())
        done = {s.kind for s in steps if s.status == PipelineStep.Status.DONE}
        if intro.status == Intro.Status.HIRED:
            return "hired"
        if PipelineStep.Kind.OFFER in done:
            return "offered"
        if done & {PipelineStep.Kind.SCREEN, PipelineStep.Kind.INTERVIEW}:
            return "interviewed"
        if intro.status in ACCEPTED_STATUSES and intro.decided_at is not None:
            return "intro_accepted"
    interest = getattr(proposal, "interest", None)
    if interest is not None and interest.decision == "interested":
        return "interest_received"
    if proposal.status == Proposal.Status.APPROVED:
        return "approved"
    return "proposed"


# A category with fewer people than this at a stage is flagged on the report: its rate and
# impact ratio swing with one person more or less, so they are shown but not to be relied on.
SMALL_GROUP_PEOPLE = 10


@dataclass(frozen=True)
class MatchDayReport:
    matchday: MatchDay
    audit: FunnelAudit
    proposals: int
    stage_rows: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    small_group: int = SMALL_GROUP_PEOPLE

    @property
    def chart(self) -> dict[str, Any]:
        return {
            "labels": [row["label"] for row in self.stage_rows],
            "counts": [row["count"] for row in self.stage_rows],
        }


def matchday_report(*, user, matchday_id: int) -> MatchDayReport:
    """Funnel counts and impact-ratio tables per stage transition for one Match Day.

    Each candidate counts once, at the furthest stage any of their proposals reached; their
    optional self-reported sex and race/ethnicity are read here only, for partners.
    """
    ensure_partner(user)
    md = get_object_or_404(MatchDay, pk=matchday_id)
    proposals = (
        Proposal.objects.filter(matchday=md)
        .select_related("interest", "intro")
        .prefetch_related("intro__steps")
        .order_by("pk")
    )
    index = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    furthest: dict[int, str] = {}
    count = 0
    for p in proposals:
        count += 1
        stage = proposal_stage(p)
        if p.candidate_id not in furthest or index[stage] > index[furthest[p.candidate_id]]:
            furthest[p.candidate_id] = stage
    demo = {d.candidate_id: d for d in Demographics.objects.filter(candidate_id__in=list(furthest))}
    people = []
    for candidate_id, stage in furthest.items():
        d = demo.get(candidate_id)
        people.append(
            FunnelPerson(
                person_id=str(candidate_id),
                furthest_stage=stage,
                sex=d.get_sex_display() if d and d.sex else None,
                race_ethnicity=d.get_race_ethnicity_display() if d and d.race_ethnicity else None,
            )
        )
    audit = funnel_audit(people)
    rows = [{"stage": s, "label": STAGE_LABELS[s], "count": n} for s, n in audit.stage_counts]
    titles = {
        "sex": "Sex",
        "race_ethnicity": "Race/ethnicity",
        "intersectional": "Intersectional (sex / race/ethnicity)",
    }
    transitions = [
        {
            "from": STAGE_LABELS[t.from_stage],
            "to": STAGE_LABELS[t.to_stage],
            "reached": t.reached,
            "advanced": t.advanced,
            "tables": [
                {"title": titles[table.dimension], "table": table} for table in t.report.tables
            ],
            "adverse": sorted({c for table in t.report.tables for c in table.adverse_categories}),
        }
        for t in audit.transitions
    ]
    return MatchDayReport(
        matchday=md, audit=audit, proposals=count, stage_rows=rows, transitions=transitions
    )


# --- partner: oversight of every intro and pipeline ----------------------------------------

OPEN_STEP = (PipelineStep.Status.OPEN, PipelineStep.Status.SCHEDULED)


@dataclass(frozen=True)
class OversightFilters:
    company_id: int | None = None
    matchday_id: int | None = None
    status: str = ""
    overdue: bool = False  # an open step is past its deadline
    escalated: bool = False  # an open step went to the talent partners


def intros_for_partner(
    *, user, filters: OversightFilters | None = None, now: datetime | None = None
) -> QuerySet[Intro]:
    """Every intro, for talent partners: with its company, Match Day and steps (owners
    included), annotated ``is_overdue``/``is_escalated``/``next_due`` from its open steps."""
    ensure_partner(user)
    now = now or timezone.now()
    f = filters or OversightFilters()
    open_steps = PipelineStep.objects.filter(intro=OuterRef("pk"), status__in=OPEN_STEP)
    qs = (
        Intro.objects.select_related("role__company", "matchday", "candidate__user")
        .prefetch_related(Prefetch("steps", queryset=PipelineStep.objects.select_related("owner")))
        .annotate(
            is_overdue=Exists(open_steps.filter(due_at__lt=now)),
            is_escalated=Exists(open_steps.filter(escalated_at__isnull=False)),
            next_due=Subquery(open_steps.order_by("due_at").values("due_at")[:1]),
        )
    )
    if f.company_id is not None:
        qs = qs.filter(role__company_id=f.company_id)
    if f.matchday_id is not None:
        qs = qs.filter(matchday_id=f.matchday_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(is_overdue=True)
    if f.escalated:
        qs = qs.filter(is_escalated=True)
    return qs.order_by(F("next_due").asc(nulls_last=True), "-released_at", "pk")


def intro_for_partner(*, user, intro_id: int) -> Intro:
    return get_object_or_404(intros_for_partner(user=user), pk=intro_id)


def step_for_partner(*, user, step_id: int) -> PipelineStep:
    ensure_partner(user)
    return get_object_or_404(
        PipelineStep.objects.select_related(
            "intro__role__company", "intro__candidate__user", "owner"
        ),
        pk=step_id,
    )


def oversight_choices_for(*, user) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(companies, Match Days) that have intros, for the oversight filters."""
    from matchday.companies.models import Company

    ensure_partner(user)
    companies = list(
        Company.objects.filter(pk__in=Intro.objects.values("role__company_id"))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    matchdays = list(
        MatchDay.objects.filter(pk__in=Intro.objects.values("matchday_id"))
        .order_by("-release_at", "-pk")
        .values_list("pk", "name")
    )
    return companies, matchdays


@dataclass(frozen=True)
class OversightIntro:
    intro: Intro
    steps: list[StepView]
    current: PipelineStep | None
    responsiveness: Responsiveness
    members: list[Any]
    messages: list[Any]
    history: list[Any]


def oversight_intro(*, user, intro_id: int, now: datetime | None = None) -> OversightIntro:
    """One intro for a talent partner: its pipeline, who owns what, the messages sent about
    it (reminders, escalations, nudges) and every recorded decision."""
    from matchday.accounts.models import User
    from matchday.audits.models import AuditEntry
    from matchday.notifications.models import Message

    intro = intro_for_partner(user=user, intro_id=intro_id)
    steps = pipeline_outline(intro)
    current = next((s.step for s in steps if s.step is not None and s.status in OPEN_STEP), None)
    step_ids = [str(s.pk) for s in intro.steps.all()]
    keys = [about_key(intro), *(f"{PipelineStep._meta.label_lower}:{i}" for i in step_ids)]
    about = Q()
    for key in keys:
        about |= Q(about=key) | Q(about__startswith=f"{key}:")
    sent = list(Message.objects.filter(about).select_related("recipient").order_by("created_at"))
    history = list(
        AuditEntry.objects.filter(
            Q(target_type__in=labels_of(Intro), target_id=str(intro.pk))
            | Q(target_type__in=labels_of(PipelineStep), target_id__in=step_ids)
        ).order_by("created_at", "pk")
    )
    members = list(
        User.objects.filter(
            company_id=intro.role.company_id, persona=User.Persona.COMPANY, is_active=True
        ).order_by("full_name", "pk")
    )
    return OversightIntro(
        intro=intro,
        steps=steps,
        current=current,
        responsiveness=company_responsiveness(intro.role.company, now or timezone.now()),
        members=members,
        messages=sent,
        history=history,
    )
