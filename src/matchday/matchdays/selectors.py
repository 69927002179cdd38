"""Reads of Match Days, runs and proposals, scoped to what the requesting user may see.

Companies get *blind cards*, plain dicts built here from an explicit allow-list of fields:
templates for companies never receive a candidate object, so no identifying attribute can
leak by accident. Free text on a card is redacted with the candidate's own identity terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matchday.accounts.models import User
from matchday.audits.models import AuditEntry
from matchday.companies.models import Company, Role
from matchday.core.permissions import ensure_company_member, ensure_partner
from matchday.engine.explain import render_sentences
from matchday.engine.scoring import PairScore
from matchday.matchdays.adapters import (
    candidate_pk,
    participating_candidates,
    role_pk,
    score_pairs,
    sentences_for,
)
from matchday.matchdays.models import (
    Alternate,
    BlindTerm,
    CurationRun,
    Interest,
    MatchDay,
    MatchDaySchedule,
    Proposal,
)
from matchday.matchdays.redaction import Redactor
from matchday.talent.models import Achievement, CandidateProfile, CandidateSkill, PartnerNote

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


def schedules_for_partner(*, user) -> QuerySet[MatchDaySchedule]:
    ensure_partner(user)
    return MatchDaySchedule.objects.annotate(n_matchdays=Count("matchdays")).order_by("name", "pk")


def schedule_for_partner(*, user, schedule_id: int) -> MatchDaySchedule:
    ensure_partner(user)
    return get_object_or_404(MatchDaySchedule, pk=schedule_id)


def schedule_history(*, user, schedule: MatchDaySchedule) -> QuerySet[AuditEntry]:
    ensure_partner(user)
    return AuditEntry.objects.filter(
        target_type=MatchDaySchedule._meta.label_lower, target_id=str(schedule.pk)
    ).order_by("-created_at", "-pk")


def run_for_partner(*, user, run_id: int) -> CurationRun:
    ensure_partner(user)
    return get_object_or_404(CurationRun.objects.select_related("matchday"), pk=run_id)


def latest_run(matchday: MatchDay) -> CurationRun | None:
    return matchday.runs.order_by("-created_at", "-pk").first()


def matchday_is_busy(matchday: MatchDay, run: CurationRun | None) -> bool:
    """A curation run is queued or running: the Match Day page keeps itself up to date."""
    active = (CurationRun.Status.QUEUED, CurationRun.Status.RUNNING)
    return matchday.status == MatchDay.Status.CURATING or (run is not None and run.status in active)


def proposal_counts(matchday: MatchDay) -> dict[str, int]:
    rows = matchday.proposals.values("status").annotate(n=Count("pk")).order_by()
    out = dict.fromkeys(Proposal.Status.values, 0)
    out.update({r["status"]: r["n"] for r in rows})
    out["all"] = sum(out.values())
    return out


# -- partners: the review table -----------------------------------------------------------

# Sort keys of the review table (``-key`` for descending); ties always break by id.
REVIEW_SORTS: dict[str, tuple[str, ...]] = {
    "score": ("score",),
    "role": ("role__title", "role_id"),
    "company": ("role__company__name", "role__company_id"),
    "candidate": ("candidate__user__full_name", "candidate_id"),
    "status": ("status",),
    "missing": ("missing_required",),
    "reviewer": ("reviewed_by__full_name",),
    "reviewed": ("reviewed_at",),
    "by_role": ("role_id", "-score"),  # the API's order: role by role, best score first
}
DEFAULT_REVIEW_SORT = "-score"
MISSING_NONE, MISSING_SOME = "none", "some"


@dataclass(frozen=True)
class ReviewFilters:
    """What the review table (and a bulk action taken from it) selects. Empty selects all."""

    role_id: int | None = None
    candidate_id: int | None = None
    company_id: int | None = None
    role_q: str = ""  # in the role's title or the company's name
    candidate_q: str = ""  # in the candidate's name or email
    status: str = ""
    min_score: float | None = None
    max_score: float | None = None
    missing: str = ""  # MISSING_NONE, MISSING_SOME or "" (either)
    reviewer_id: int | None = None
    ids: tuple[int, ...] = ()  # an explicit selection of proposals

    def apply(self, qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
        if self.role_id is not None:
            qs = qs.filter(role_id=self.role_id)
        if self.candidate_id is not None:
            qs = qs.filter(candidate_id=self.candidate_id)
        if self.company_id is not None:
            qs = qs.filter(role__company_id=self.company_id)
        if self.role_q:
            qs = qs.filter(
                Q(role__title__icontains=self.role_q)
                | Q(role__company__name__icontains=self.role_q)
            )
        if self.candidate_q:
            qs = qs.filter(
                Q(candidate__user__full_name__icontains=self.candidate_q)
                | Q(candidate__user__email__icontains=self.candidate_q)
            )
        if self.status:
            qs = qs.filter(status=self.status)
        if self.min_score is not None:
            qs = qs.filter(score__gte=self.min_score)
        if self.max_score is not None:
            qs = qs.filter(score__lte=self.max_score)
        if self.missing == MISSING_NONE:
            qs = qs.filter(missing_required=0)
        elif self.missing == MISSING_SOME:
            qs = qs.filter(missing_required__gt=0)
        if self.reviewer_id is not None:
            qs = qs.filter(reviewed_by_id=self.reviewer_id)
        if self.ids:
            qs = qs.filter(pk__in=self.ids)
        return qs

    @property
    def is_empty(self) -> bool:
        return self == ReviewFilters()


def review_ordering(sort: str) -> list[str]:
    """``"-score"`` -> ``["-score", "pk"]``; ``-`` flips every field; an unknown key sorts by
    the default."""
    key = sort.removeprefix("-")
    if key not in REVIEW_SORTS:
        return review_ordering(DEFAULT_REVIEW_SORT)
    fields = list(REVIEW_SORTS[key])
    if sort.startswith("-"):
        fields = [f.removeprefix("-") if f.startswith("-") else f"-{f}" for f in fields]
    return [*fields, "pk"]


def proposals_for_review(
    *,
    user,
    matchday: MatchDay,
    filters: ReviewFilters | None = None,
    sort: str = DEFAULT_REVIEW_SORT,
) -> QuerySet[Proposal]:
    """A Match Day's proposals for a talent partner, filtered and sorted for the table."""
    ensure_partner(user)
    qs = matchday.proposals.select_related(
        "role__company", "candidate__user", "reviewed_by", "replaces__candidate__user"
    ).annotate(
        hidden_by_candidate=_hidden_from(OuterRef("role__company_id")),
        latest_partner_note=_latest_partner_note(),
    )
    return (filters or ReviewFilters()).apply(qs).order_by(*review_ordering(sort))


def _latest_partner_note() -> Subquery:
    """The newest talent partner's note on the row's candidate (shown beside them; partners
    only, like the whole review)."""
    notes = PartnerNote.objects.filter(candidate=OuterRef("candidate_id"))
    return Subquery(notes.order_by("-created_at", "-pk").values("body")[:1])


@dataclass(frozen=True)
class ReviewPage:
    page: Page
    counts: dict[str, int]  # per status, over the whole Match Day
    pending_matching: int  # pending proposals the filters select (what "all matching" decides)
    role: Role | None  # the per-role view's role
    candidate: CandidateProfile | None  # the per-candidate view's candidate
    alternates: list[AlternateRow]


@dataclass(frozen=True)
class AlternateRow:
    """An alternate with the capacity left on its other side: the candidate's K when it is
    an alternative candidate for a role, the role's M when an alternative role."""

    alternate: Alternate
    used: int
    cap: int

    @property
    def remaining(self) -> int:
        return max(0, self.cap - self.used)


REVIEW_PAGE_SIZE = 50
# What one row of the review table shows (no explanation, profile or role texts).
REVIEW_ROW_FIELDS = (
    "matchday_id", "candidate_id", "role_id", "source", "score", "role_fit", "candidate_fit",
    "missing_required", "status", "reviewed_at", "review_reason", "reviewed_by_id",
    "replaces_id", "candidate__user__full_name", "role__title", "role__company_id",
    "role__company__name", "reviewed_by__full_name", "replaces__candidate_id",
    "replaces__candidate__user__full_name",
)  # fmt: skip
ALTERNATES_SHOWN = 10


def latest_succeeded_run(matchday: MatchDay) -> CurationRun | None:
    return (
        matchday.runs.filter(status=CurationRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-pk")
        .first()
    )


ACTIVE_PROPOSAL = (Proposal.Status.PENDING, Proposal.Status.APPROVED)


def used_capacity(
    matchday: MatchDay, *, candidate_ids: Iterable[int] = (), role_ids: Iterable[int] = ()
) -> dict[str, dict[int, int]]:
    """Active (pending or approved) proposals per candidate and per role: what K and M cap."""
    active = matchday.proposals.filter(status__in=ACTIVE_PROPOSAL)
    out: dict[str, dict[int, int]] = {"candidate": {}, "role": {}}
    cids, rids = list(candidate_ids), list(role_ids)
    if cids:
        rows = active.filter(candidate_id__in=cids).values("candidate_id").annotate(n=Count("pk"))
        out["candidate"] = {r["candidate_id"]: r["n"] for r in rows.order_by()}
    if rids:
        rows = active.filter(role_id__in=rids).values("role_id").annotate(n=Count("pk"))
        out["role"] = {r["role_id"]: r["n"] for r in rows.order_by()}
    return out


def alternates_for(
    *,
    matchday: MatchDay,
    role_id: int | None = None,
    candidate_id: int | None = None,
    limit: int = ALTERNATES_SHOWN,
) -> list[Alternate]:
    """The latest run's best alternates for a role (candidates not proposed for it) or for a
    candidate (roles they are not proposed for), best score first."""
    if role_id is None and candidate_id is None:
        return []
    runs = matchday.runs.filter(status=CurationRun.Status.SUCCEEDED).order_by("-finished_at", "-pk")
    qs = Alternate.objects.filter(run=runs.values("pk")[:1]).select_related(
        "candidate__user", "role__company"
    )
    proposed = matchday.proposals.all()
    if role_id is not None:
        qs = qs.filter(role_id=role_id).exclude(
            candidate_id__in=proposed.filter(role_id=role_id).values("candidate_id")
        )
    if candidate_id is not None:
        qs = qs.filter(candidate_id=candidate_id).exclude(
            role_id__in=proposed.filter(candidate_id=candidate_id).values("role_id")
        )
    return list(qs.order_by("-score", "pk")[:limit])


def review_companies(matchday: MatchDay) -> list[tuple[int, str]]:
    """The companies with proposals in this Match Day, for the table's filter."""
    return list(
        Company.objects.filter(pk__in=matchday.proposals.values("role__company_id"))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def review_reviewers(matchday: MatchDay) -> list[tuple[int, str]]:
    """The people who decided on proposals of this Match Day, for the table's filter."""
    return list(
        User.objects.filter(pk__in=matchday.proposals.values("reviewed_by_id"))
        .order_by("full_name", "pk")
        .values_list("pk", "full_name")
    )


def review_page(
    *,
    user,
    matchday: MatchDay,
    filters: ReviewFilters,
    sort: str = DEFAULT_REVIEW_SORT,
    page_number: int | str | None = 1,
    per_page: int = REVIEW_PAGE_SIZE,
) -> ReviewPage:
    """Everything the review table shows, in a fixed number of queries (not per row).

    Paging runs on ids only (the filtered, sorted list carries no wide columns, so a late
    page of 10,000 costs what the first does); then the page's rows are read with just the
    columns the table shows.
    """
    ensure_partner(user)
    # No joins beyond what the filters and the sort need (the row annotations come later).
    ordered = filters.apply(matchday.proposals.all()).order_by(*review_ordering(sort))
    page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(page_number)
    ids = list(page.object_list)
    found = {
        p.pk: p
        for p in proposals_for_review(user=user, matchday=matchday)
        .filter(pk__in=ids)
        .only(*REVIEW_ROW_FIELDS)
    }
    page.object_list = [found[pk] for pk in ids if pk in found]
    pending = filters.apply(matchday.proposals.filter(status=Proposal.Status.PENDING))
    role = candidate = None
    rows: list[AlternateRow] = []
    if filters.role_id is not None:
        role = Role.objects.select_related("company").filter(pk=filters.role_id).first()
    if filters.candidate_id is not None:
        candidate = (
            CandidateProfile.objects.select_related("user").filter(pk=filters.candidate_id).first()
        )
    if role is not None or candidate is not None:
        alternates = alternates_for(
            matchday=matchday,
            role_id=None if role is None else role.pk,
            candidate_id=None if candidate is None else candidate.pk,
        )
        if role is not None:
            used = used_capacity(matchday, candidate_ids={a.candidate_id for a in alternates})
            rows = [
                AlternateRow(a, used["candidate"].get(a.candidate_id, 0), matchday.candidate_cap)
                for a in alternates
            ]
        else:
            used = used_capacity(matchday, role_ids={a.role_id for a in alternates})
            rows = [
                AlternateRow(a, used["role"].get(a.role_id, 0), matchday.role_cap)
                for a in alternates
            ]
    return ReviewPage(
        page=page,
        counts=proposal_counts(matchday),
        pending_matching=pending.count() if filters.status in ("", "pending") else 0,
        role=role,
        candidate=candidate,
        alternates=rows,
    )


def describe_filters(matchday: MatchDay, filters: ReviewFilters) -> list[str]:
    """The filters in words, for the bulk confirmation."""
    out = []
    if filters.ids:
        out.append(
            f"the {len(filters.ids)} proposal{'s' if len(filters.ids) != 1 else ''} you ticked"
        )
    if filters.role_id is not None:
        role = Role.objects.select_related("company").filter(pk=filters.role_id).first()
        out.append(f"role: {role.title} at {role.company.name}" if role else "an unknown role")
    if filters.candidate_id is not None:
        c = CandidateProfile.objects.select_related("user").filter(pk=filters.candidate_id).first()
        out.append(f"candidate: {c.user.full_name}" if c else "an unknown candidate")
    if filters.company_id is not None:
        company = Company.objects.filter(pk=filters.company_id).first()
        out.append(f"company: {company.name}" if company else "an unknown company")
    if filters.role_q:
        out.append(f"role or company contains “{filters.role_q}”")
    if filters.candidate_q:
        out.append(f"candidate contains “{filters.candidate_q}”")
    if filters.min_score is not None:
        out.append(f"score at least {filters.min_score:.2f}")
    if filters.max_score is not None:
        out.append(f"score at most {filters.max_score:.2f}")
    if filters.missing == MISSING_NONE:
        out.append("no missing requirements")
    elif filters.missing == MISSING_SOME:
        out.append("some missing requirements")
    if filters.reviewer_id is not None:
        reviewer = User.objects.filter(pk=filters.reviewer_id).first()
        out.append(f"reviewed by {reviewer.full_name}" if reviewer else "an unknown reviewer")
    return out or ["every proposal of this Match Day"]


def proposal_for_partner(*, user, proposal_id: int) -> Proposal:
    ensure_partner(user)
    return get_object_or_404(
        Proposal.objects.select_related(
            "matchday",
            "role__company",
            "candidate__user",
            "reviewed_by",
            "replaces__candidate__user",
        ).annotate(
            hidden_by_candidate=_hidden_from(OuterRef("role__company_id")),
            latest_partner_note=_latest_partner_note(),
        ),
        pk=proposal_id,
    )


@dataclass(frozen=True)
class SwapOption:
    """One candidate (for the proposal's role) or role (for its candidate) to swap in, with
    the run's stored score and the engine's score now, and the capacity it has left."""

    kind: str  # "candidate" or "role"
    candidate: CandidateProfile
    role: Role
    run_score: float | None  # the stored run's score (None: found by search)
    score: PairScore | None  # scored now; None when the engine cannot take the profile yet
    used: int  # active proposals of the candidate (kind "candidate") or of the role
    cap: int  # K or M
    hidden: bool  # the candidate hid the role's company

    @property
    def remaining(self) -> int:
        return max(0, self.cap - self.used)

    @property
    def sentences(self) -> list[str]:
        return [] if self.score is None else render_sentences(self.score.explanation, "partner")

    @property
    def blocked(self) -> str:
        """Why it cannot be picked, or "" when it can."""
        if self.score is None:
            return "The engine cannot score this profile yet."
        if self.hidden:
            return "This candidate hid the company."
        if not self.score.eligible:
            return "Not eligible: " + "; ".join(
                c.reason for c in self.score.explanation.failed_constraints
            )
        if not self.remaining:
            cap = "K" if self.kind == "candidate" else "M"
            return f"No capacity left ({self.used} of {cap} = {self.cap} in use)."
        return ""


@dataclass(frozen=True)
class SwapPicker:
    proposal: Proposal
    candidates: list[SwapOption]  # for the proposal's role
    roles: list[SwapOption]  # for the proposal's candidate
    found: list[SwapOption]  # candidates found by name
    query: str
    has_run_alternates: bool


PICKER_SEARCH_LIMIT = 10


def swap_picker(*, user, proposal: Proposal, query: str = "", encoder: Any = None) -> SwapPicker:
    """The swap picker of one proposal: the run's next-best candidates for its role and roles
    for its candidate (not yet proposed as a pair), plus candidates found by ``query``, each
    scored again now through the engine, with the capacity each has left."""
    ensure_partner(user)
    md = proposal.matchday
    role_alts = alternates_for(matchday=md, role_id=proposal.role_id)
    cand_alts = alternates_for(matchday=md, candidate_id=proposal.candidate_id)
    found: list[CandidateProfile] = []
    query = query.strip()
    if query:
        proposed = md.proposals.filter(role_id=proposal.role_id).values("candidate_id")
        found = list(
            participating_candidates(md)
            .filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
            .exclude(pk__in=proposed)
            .select_related("user")
            .order_by("user__full_name", "pk")[:PICKER_SEARCH_LIMIT]
        )
    role = proposal.role
    candidate = proposal.candidate
    pairs = [(a.candidate_id, role.pk) for a in role_alts]
    pairs += [(candidate.pk, a.role_id) for a in cand_alts]
    pairs += [(c.pk, role.pk) for c in found]
    scores, data, _ = score_pairs(md, pairs, encoder=encoder)
    hidden = {(candidate_pk(c), role_pk(r)) for c, r in data.hidden_pairs}
    used = used_capacity(
        md,
        candidate_ids={a.candidate_id for a in role_alts} | {c.pk for c in found},
        role_ids={a.role_id for a in cand_alts},
    )

    def option(kind: str, c: CandidateProfile, r: Role, run_score: float | None) -> SwapOption:
        if kind == "candidate":
            n, cap = used["candidate"].get(c.pk, 0), md.candidate_cap
        else:
            n, cap = used["role"].get(r.pk, 0), md.role_cap
        return SwapOption(
            kind, c, r, run_score, scores.get((c.pk, r.pk)), n, cap, (c.pk, r.pk) in hidden
        )

    return SwapPicker(
        proposal=proposal,
        candidates=[option("candidate", a.candidate, role, a.score) for a in role_alts],
        roles=[option("role", candidate, a.role, a.score) for a in cand_alts],
        found=[option("candidate", c, role, None) for c in found],
        query=query,
        has_run_alternates=latest_run_has_alternates(md),
    )


def latest_run_has_alternates(matchday: MatchDay) -> bool:
    run = latest_succeeded_run(matchday)
    return run is not None and run.alternates.exists()


def proposal_history(*, user, proposal: Proposal) -> QuerySet[AuditEntry]:
    """Every recorded decision on a proposal, oldest first."""
    ensure_partner(user)
    return AuditEntry.objects.filter(
        target_type=Proposal._meta.label_lower, target_id=str(proposal.pk)
    ).order_by("created_at", "pk")


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


def interest_windows(*, user, role_id: int | None = None) -> list[dict]:
    """The open interest windows with this company's shortlists: each Match Day with its
    deadline and how many candidates still await the company's decision."""
    ensure_company_member(user)
    visible = Proposal.objects.filter(
        _visible_to_company(user), matchday__status=MatchDay.Status.INTEREST
    )
    if role_id is not None:
        visible = visible.filter(role_id=role_id)
    rows = (
        visible.values("matchday_id")
        .annotate(undecided=Count("pk", filter=Q(interest=None)), total=Count("pk"))
        .order_by("matchday_id")
    )
    mds = MatchDay.objects.in_bulk([r["matchday_id"] for r in rows])
    return sorted(
        (
            {"matchday": mds[r["matchday_id"]], "undecided": r["undecided"], "total": r["total"]}
            for r in rows
        ),
        key=lambda w: w["matchday"].interest_deadline,
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
    intro_id: int | None = None  # released: the company's pipeline page for it
    name: str = ""  # the candidate's name, once they accepted the intro (identity revealed)


def shortlist(*, user, role_id: int, now: datetime | None = None) -> tuple[Role, list[BlindCard]]:
    """One role's blind shortlist: approved proposals only, identity removed."""
    ensure_company_member(user)
    role = get_object_or_404(
        Role.objects.select_related("company"), pk=role_id, company_id=user.company_id
    )
    proposals = (
        Proposal.objects.filter(_visible_to_company(user), role=role)
        .select_related("matchday", "candidate__user", "interest", "intro")
        .prefetch_related(
            Prefetch("candidate__skills", queryset=CandidateSkill.objects.select_related("skill")),
            Prefetch("candidate__achievements", queryset=Achievement.objects.all()),
            "candidate__experiences",
            "candidate__education",
            "candidate__blind_terms",
        )
        .order_by("-score", "pk")
    )
    when = now or timezone.now()
    return role, [blind_card(p, now=when) for p in proposals]


def blind_card(p: Proposal, *, now: datetime) -> BlindCard:
    c = p.candidate
    redact = redactor_for(c).redact
    try:
        interest = p.interest
    except Interest.DoesNotExist:
        interest = None
    intro = getattr(p, "intro", None)
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
        intro_id=intro.pk if intro is not None else None,
        name=(c.user.full_name or "Deleted candidate")
        if intro is not None and intro.identity_revealed
        else "",
    )


def redactor_for(candidate: CandidateProfile) -> Redactor:
    """The one redactor of a candidate's blind text: their name, employers and schools, and
    the partners' corrections (prefetch ``experiences``, ``education``, ``blind_terms``)."""
    terms = list(candidate.blind_terms.all())
    return Redactor.for_candidate(
        full_name=candidate.user.full_name,
        employers=[e.employer for e in candidate.experiences.all()],
        schools=[e.school for e in candidate.education.all()],
        extra_terms=[t.term for t in terms if t.action == BlindTerm.Action.REDACT],
        allowed_terms=[t.term for t in terms if t.action == BlindTerm.Action.KEEP],
    )


# -- partners: the blind text before approval ---------------------------------------------


@dataclass(frozen=True)
class BlindSection:
    label: str
    segments: list[tuple[str, str]]  # (text, family or "" when shown)


@dataclass(frozen=True)
class BlindPreview:
    """A candidate's free text as companies will see it, redactions marked."""

    candidate: CandidateProfile
    proposal: Proposal | None
    sections: list[BlindSection]
    redacted: list[tuple[str, str]]  # distinct (text, family) hidden, for "show" buttons
    terms: list[BlindTerm]


def blind_preview(*, user, candidate_id: int, proposal_id: int | None = None) -> BlindPreview:
    ensure_partner(user)
    candidate = get_object_or_404(
        CandidateProfile.objects.select_related("user").prefetch_related(
            "experiences",
            "education",
            "blind_terms",
            "achievements",
            Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill")),
        ),
        pk=candidate_id,
    )
    proposal = None
    if proposal_id is not None:
        proposal = get_object_or_404(Proposal, pk=proposal_id, candidate=candidate)
    redactor = redactor_for(candidate)
    texts: list[tuple[str, str]] = []
    if proposal is not None:
        texts += [("Why this match", s) for s in sentences_for(proposal, "company")]
    for a in candidate.achievements.all():
        for name in ("title", "problem", "constraints", "options", "decision", "result"):
            value = getattr(a, name)
            if value:
                label = Achievement._meta.get_field(name).verbose_name
                texts.append((f"{a.title[:60]} · {label}", value))
    texts += [
        (f"Evidence · {s.skill.label}", s.evidence) for s in candidate.skills.all() if s.evidence
    ]
    sections = [BlindSection(label, redactor.segments(text)) for label, text in texts]
    seen: dict[str, str] = {}
    for section in sections:
        for part, kind in section.segments:
            if kind and part.casefold() not in {k.casefold() for k in seen}:
                seen[part] = kind
    return BlindPreview(
        candidate=candidate, proposal=proposal, sections=sections,
        redacted=sorted(seen.items(), key=lambda kv: kv[0].casefold()),
        terms=list(candidate.blind_terms.all()),
    )  # fmt: skip


def blind_term_for_partner(*, user, term_id: int) -> BlindTerm:
    ensure_partner(user)
    return get_object_or_404(BlindTerm, pk=term_id)
