"""The talent partners' vetting queues: ``/vetting/candidates`` and ``/vetting/companies``."""

from __future__ import annotations

from ninja import Query, Router

from matchday.api.schemas import (
    CandidateFilters,
    CandidateReviewOut,
    CompanyApprove,
    CompanyFilters,
    CompanyOut,
    CompanyReject,
    PageParams,
    VetApprove,
    VetReject,
    page_schema,
    paginate,
    responses,
)
from matchday.companies import selectors as company_selectors
from matchday.companies import services as companies
from matchday.talent import selectors as talent_selectors
from matchday.talent import services as talent

router = Router(tags=["vetting"])
CandidateReviewPage = page_schema(CandidateReviewOut, "CandidateReviewPage")
CompanyPage = page_schema(CompanyOut, "CompanyPage")


@router.get(
    "/vetting/candidates", response=responses(CandidateReviewPage), summary="Candidates to vet"
)
def list_candidates(request, filters: Query[CandidateFilters], page: Query[PageParams]):
    qs = talent_selectors.profiles_for_partner(user=request.auth, status=filters.status)
    return paginate(qs.prefetch_related("skills__skill"), page)


@router.get(
    "/vetting/candidates/{profile_id}",
    response=responses(CandidateReviewOut),
    summary="A candidate's full profile",
)
def get_candidate(request, profile_id: int):
    return talent_selectors.profile_for_partner(user=request.auth, profile_id=profile_id)


@router.post(
    "/vetting/candidates/{profile_id}/approve",
    response=responses(CandidateReviewOut, body=True),
    summary="Approve a submitted candidate",
)
def approve_candidate(request, profile_id: int, payload: VetApprove):
    profile = talent_selectors.profile_for_partner(user=request.auth, profile_id=profile_id)
    talent.candidate_approve(profile=profile, by=request.auth, reason=payload.reason)
    return talent_selectors.profile_for_partner(user=request.auth, profile_id=profile_id)


@router.post(
    "/vetting/candidates/{profile_id}/reject",
    response=responses(CandidateReviewOut, body=True),
    summary="Reject a submitted candidate, with a reason",
)
def reject_candidate(request, profile_id: int, payload: VetReject):
    profile = talent_selectors.profile_for_partner(user=request.auth, profile_id=profile_id)
    talent.candidate_reject(profile=profile, by=request.auth, reason=payload.reason)
    return talent_selectors.profile_for_partner(user=request.auth, profile_id=profile_id)


def _company(request, company_id: int):
    company_selectors.companies_for_partner(user=request.auth)  # partners only: 403 first
    return company_selectors.company_for(user=request.auth, company_id=company_id)


@router.get("/vetting/companies", response=responses(CompanyPage), summary="Companies to vet")
def list_companies(request, filters: Query[CompanyFilters], page: Query[PageParams]):
    return paginate(
        company_selectors.companies_for_partner(user=request.auth, status=filters.status), page
    )


@router.get("/vetting/companies/{company_id}", response=responses(CompanyOut), summary="A company")
def get_company(request, company_id: int):
    return _company(request, company_id)


@router.post(
    "/vetting/companies/{company_id}/approve",
    response=responses(CompanyOut, body=True),
    summary="Approve a pending company (every checklist item ticked)",
)
def approve_company(request, company_id: int, payload: CompanyApprove):
    company = companies.company_approve(
        company=_company(request, company_id),
        by=request.auth,
        checklist=payload.checklist,
        notes=payload.notes,
    )
    return company


@router.post(
    "/vetting/companies/{company_id}/reject",
    response=responses(CompanyOut, body=True),
    summary="Reject a pending company, with notes",
)
def reject_company(request, company_id: int, payload: CompanyReject):
    return companies.company_reject(
        company=_company(request, company_id),
        by=request.auth,
        notes=payload.notes,
        checklist=payload.checklist,
    )
