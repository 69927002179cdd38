"""Match Day operations for talent partners: ``/matchdays`` and ``/proposals``."""

from __future__ import annotations

from ninja import Query, Router, Status

from matchday.api.schemas import (
    MatchDayCreate,
    MatchDayOut,
    OptionalReason,
    PageParams,
    ProposalFilters,
    ProposalOut,
    Reason,
    RunOut,
    page_schema,
    paginate,
    responses,
)
from matchday.followup.selectors import matchdays_for_partner
from matchday.matchdays import services as matchdays
from matchday.matchdays.selectors import (
    ReviewFilters,
    proposal_for_partner,
    proposals_for_review,
)

router = Router(tags=["matchdays"])
MatchDayPage = page_schema(MatchDayOut, "MatchDayPage")
ProposalPage = page_schema(ProposalOut, "ProposalPage")


def _matchday(request, matchday_id: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(matchdays_for_partner(user=request.auth), pk=matchday_id)


@router.get("/matchdays", response=responses(MatchDayPage), summary="List Match Days")
def list_matchdays(request, page: Query[PageParams]):
    qs = matchdays_for_partner(user=request.auth).prefetch_related("runs")
    return paginate(qs.order_by("-release_at", "-pk"), page)


@router.post(
    "/matchdays", response=responses(MatchDayOut, 201, body=True), summary="Create a Match Day"
)
def create_matchday(request, payload: MatchDayCreate):
    md = matchdays.matchday_create(by=request.auth, **payload.dict())
    return Status(201, md)


@router.get(
    "/matchdays/{matchday_id}", response=responses(MatchDayOut), summary="Status and progress"
)
def get_matchday(request, matchday_id: int):
    md = _matchday(request, matchday_id)
    if matchdays.curation_runs_expire(matchday=md):  # a dead worker's run ends when looked at
        md = _matchday(request, matchday_id)
    return md


@router.post(
    "/matchdays/{matchday_id}/curation",
    response=responses(RunOut, 202),
    summary="Start curation (queued; poll the Match Day for progress)",
)
def start_curation(request, matchday_id: int):
    return Status(
        202, matchdays.curation_start(matchday=_matchday(request, matchday_id), by=request.auth)
    )


@router.post(
    "/matchdays/{matchday_id}/stop",
    response=responses(MatchDayOut, body=True),
    summary="Stop a Match Day, with a reason",
)
def stop_matchday(request, matchday_id: int, payload: Reason):
    md = _matchday(request, matchday_id)
    matchdays.matchday_stop(matchday=md, by=request.auth, reason=payload.reason)
    return _matchday(request, matchday_id)


@router.get(
    "/matchdays/{matchday_id}/proposals",
    response=responses(ProposalPage),
    summary="The AI's proposals and the human decisions on them",
)
def list_proposals(
    request, matchday_id: int, filters: Query[ProposalFilters], page: Query[PageParams]
):
    md = _matchday(request, matchday_id)
    qs = proposals_for_review(
        user=request.auth,
        matchday=md,
        filters=ReviewFilters(
            role_id=filters.role_id, status=filters.status or "", min_score=filters.min_score
        ),
        sort="by_role",
    )
    return paginate(qs, page)  # role by role, best score first


@router.post(
    "/proposals/{proposal_id}/approve",
    response=responses(ProposalOut, body=True),
    summary="Approve a proposal",
)
def approve_proposal(request, proposal_id: int, payload: OptionalReason):
    proposal = proposal_for_partner(user=request.auth, proposal_id=proposal_id)
    return matchdays.proposal_approve(proposal=proposal, by=request.auth, reason=payload.reason)


@router.post(
    "/proposals/{proposal_id}/reject",
    response=responses(ProposalOut, body=True),
    summary="Reject a proposal, with a reason",
)
def reject_proposal(request, proposal_id: int, payload: Reason):
    proposal = proposal_for_partner(user=request.auth, proposal_id=proposal_id)
    return matchdays.proposal_reject(proposal=proposal, by=request.auth, reason=payload.reason)
