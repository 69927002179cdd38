"""Reads of Match Days, runs and proposals, scoped to what the requesting user may see.

Companies get *blind cards*, plain dicts built here from an explicit allow-list of fields:
templates for companies never receive a candidate object, so no identifying attribute can
leak by accident. Free text on a card is redacted with the candidate's own identity terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matchday.accounts.permissions import ensure_company_member, ensure_partner
from matchday.companies.models import Company, Role
from matchday.matchdays.adapters import sentences_for
from matchday.matchdays.models import CurationRun, Interest, MatchDay, Proposal
from matchday.matchdays.redaction import Redactor
from matchday.talent.models import Achievement, CandidateProfile, CandidateSkill

# Match Day phases in which a company sees its approved proposals.
SHORTLIST_STATUSES = (MatchDay.Status.INTEREST, MatchDay.Status.RELEASED)


def matchdays_for_partner(*, user) -> QuerySet[MatchDay]:
    ensure_partner(user)
    return MatchDay.objects.annotate(
        n_proposals=Count("proposals", distinct=True),
        n_approved=Count("proposals", filter=Q(proposals__status="approved"), distinct=True),
    )


def matchday_for_partner(*, user, matchday_id: int) -> MatchDay:
    ensure_partner(user)
    return get_object_or_404(MatchDay.objects.select_related("stopped_by"), pk=matchday_id)


def run_for_partner(*, user, run_id: int) -> CurationRun:
    ensure_partner(user)
    return get_object_or_404(CurationRun.objects.select_related("matchday"), pk=run_id)


def latest_run(matchday: MatchDay) -> CurationRun | None:
    return matchday.runs.order_by("-created_at", "-pk").first()


def proposal_counts(matchday: MatchDay) -> dict[str, int]:
    rows = matchday.proposals.values("status").annotate(n=Count("pk")).order_by()
    out = dict.fromkeys(Proposal.Status.values, 0)
    out.update({r["status"]: r["n"] for r in rows})
    out["all"] = sum(out.values())
    return out


def proposals_for_review(
    *, user, matchday: MatchDay, role_id: int | None = None, candidate_id: int | None = None
) -> QuerySet[Proposal]:
    """A Match Day's proposals for a talent partner, per role or per candidate."""
    ensure_partner(user)
    qs = (
        matchday.proposals.select_related(
            "role__company", "candidate__user", "reviewed_by", "replaces"
        )
        .prefetch_related("interest")
        .order_by("role_id", "-score", "pk")
    )
    if role_id is not None:
        qs = qs.filter(role_id=role_id)
    if candidate_id is not None:
        qs = qs.filter(candidate_id=candidate_id).order_by("candidate_id", "-score", "pk")
    return qs


def proposal_for_partner(*, user, proposal_id: int) -> Proposal:
    ensure_partner(user)
    return get_object_or_404(Proposal.objects.select_related("matchday", "role"), pk=proposal_id)


# -- companies: blind shortlists ----------------------------------------------------------


def _hidden_from(company_id) -> Exists:
    """The proposal's candidate has hidden this company (takes effect at once)."""
    return Exists(
        CandidateProfile.hidden_companies.through.objects.filter(
            candidateprofile_id=OuterRef("candidate_id"), company_id=company_id
        )
    )


def _decidable_by_company(user) -> Q:
    return (
        Q(status=Proposal.Status.APPROVED)
        & Q(role__company_id=user.company_id)
        & Q(role__company__vetting_status=Company.VettingStatus.VETTED)
        & Q(matchday__status__in=SHORTLIST_STATUSES)
        & Q(matchday__stopped_at__isnull=True)
    )


def _visible_to_company(user) -> Q:
    return _decidable_by_company(user) & ~Q(_hidden_from(user.company_id))


def shortlist_roles(*, user) -> QuerySet[Role]:
    """The company's roles that have approved proposals in an open or released Match Day."""
    ensure_company_member(user)
    visible = Proposal.objects.filter(_visible_to_company(user))
    return (
        Role.objects.filter(company_id=user.company_id, pk__in=visible.values("role_id"))
        .annotate(n_shortlisted=Count("proposals", filter=Q(proposals__in=visible)))
        .order_by("title", "pk")
    )


def proposal_for_company(*, user, proposal_id: int, to_decide: bool = False) -> Proposal:
    """An approved proposal of the member's company, or 404 (never tells it exists).

    ``to_decide=True`` also returns one whose candidate has since hidden the company, so that
    a decision sent from a page loaded before gets the service's clear refusal, not a 404.
    """
    ensure_company_member(user)
    visible = _decidable_by_company(user) if to_decide else _visible_to_company(user)
    return get_object_or_404(
        Proposal.objects.filter(visible).select_related("matchday", "role"), pk=proposal_id
    )


@dataclass(frozen=True)
class BlindCard:
    """What a company may see of a candidate before an intro is accepted."""

    proposal_id: int
    matchday: MatchDay
    score: float
    candidate_fit: float
    role_fit: float
    location: str
    level: str
    years_experience: Any
    skills: list[dict[str, Any]]
    achievements: list[dict[str, str]]
    sentences: list[str]
    interest: Interest | None
    open: bool  # the company may still decide


def shortlist(*, user, role_id: int, now: datetime | None = None) -> tuple[Role, list[BlindCard]]:
    """One role's blind shortlist: approved proposals only, identity removed."""
    ensure_company_member(user)
    role = get_object_or_404(Role.objects.select_related("company"), pk=role_id,
                             company_id=user.company_id)  # fmt: skip
    proposals = (
        Proposal.objects.filter(_visible_to_company(user), role=role)
        .select_related("matchday", "candidate__user", "interest")
        .prefetch_related(
            Prefetch("candidate__skills", queryset=CandidateSkill.objects.select_related("skill")),
            Prefetch("candidate__achievements", queryset=Achievement.objects.all()),
            "candidate__experiences",
            "candidate__education",
        )
        .order_by("-score", "pk")
    )
    when = now or timezone.now()
    return role, [blind_card(p, now=when) for p in proposals]


def blind_card(p: Proposal, *, now: datetime) -> BlindCard:
    c = p.candidate
    redactor = Redactor.for_terms(
        [e.employer for e in c.experiences.all()] + [e.school for e in c.education.all()],
        full_name=c.user.full_name,
    )
    redact = redactor.redact
    try:
        interest = p.interest
    except Interest.DoesNotExist:
        interest = None
    return BlindCard(
        proposal_id=p.pk,
        matchday=p.matchday,
        score=p.score,
        candidate_fit=p.candidate_fit,
        role_fit=p.role_fit,
        location=c.country.name if c.country else "",
        level=c.get_level_display(),
        years_experience=c.years_experience,
        skills=[
            {"label": s.skill.label, "level": s.level, "years": s.years} for s in c.skills.all()
        ],
        achievements=[
            {
                "title": redact(a.title),
                "problem": redact(a.problem),
                "constraints": redact(a.constraints),
                "options": redact(a.options),
                "decision": redact(a.decision),
                "result": redact(a.result),
            }
            for a in c.achievements.all()
        ],
        sentences=[redact(s) for s in sentences_for(p, "company")],
        interest=interest,
        open=p.matchday.status == MatchDay.Status.INTEREST and now < p.matchday.interest_deadline,
    )
