"""Intros and their pipelines: ``/intros`` and ``/steps``.

A candidate lists, accepts and declines their own intros, reads their pipeline and answers
offers; a company member reads their company's intros (blind until accepted), moves the
pipeline and makes offers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Status

from matchday.api.schemas import (
    IntroOut,
    OfferIn,
    OfferOut,
    OptionalReason,
    PageParams,
    Reason,
    RolePrepOut,
    StepComplete,
    StepOut,
    StepSchedule,
    page_schema,
    paginate,
    responses,
)
from matchday.followup import selectors
from matchday.followup import services as followup

router = Router(tags=["intros"])
IntroPage = page_schema(IntroOut, "IntroPage")
NO_INTROS = "Only candidates and company members have intros."


def _intros(user):
    if user.is_candidate:
        return selectors.intros_for_candidate(user=user)
    if user.is_company_member:
        return selectors.intros_for_company(user=user)
    raise PermissionDenied(NO_INTROS)


def _intro(request, intro_id: int):
    user = request.auth
    if user.is_candidate:
        return selectors.intro_for_candidate(user=user, intro_id=intro_id)
    if user.is_company_member:
        return selectors.intro_for_company(user=user, intro_id=intro_id)
    raise PermissionDenied(NO_INTROS)


@router.get("/intros", response=responses(IntroPage), summary="Your intros")
def list_intros(request, page: Query[PageParams]):
    return paginate(_intros(request.auth), page)


@router.get("/intros/{intro_id}", response=responses(IntroOut), summary="An intro")
def get_intro(request, intro_id: int):
    return _intro(request, intro_id)


@router.post("/intros/{intro_id}/accept", response=responses(IntroOut), summary="Accept an intro")
def accept_intro(request, intro_id: int):
    intro = selectors.intro_for_candidate(user=request.auth, intro_id=intro_id)
    followup.intro_accept(intro=intro, by=request.auth)
    return _intro(request, intro_id)


@router.post(
    "/intros/{intro_id}/decline",
    response=responses(IntroOut, body=True),
    summary="Decline an intro (optionally saying why)",
)
def decline_intro(request, intro_id: int, payload: OptionalReason):
    intro = selectors.intro_for_candidate(user=request.auth, intro_id=intro_id)
    followup.intro_decline(intro=intro, by=request.auth, reason=payload.reason)
    return _intro(request, intro_id)


@router.get(
    "/intros/{intro_id}/prep",
    response=responses(RolePrepOut),
    summary="How to prepare for the intro's interviews",
)
def get_intro_prep(request, intro_id: int):
    """The role's interview overview and every step's prep, as the candidate reads it from the
    moment the intro is released. It is about the role, never about a candidate."""
    role = _intro(request, intro_id).role
    return {
        "role_id": role.pk,
        "role_title": role.title,
        "company_name": role.company.name,
        "interview_overview": role.interview_overview,
        "steps": list(role.interview_steps.all()),
    }


@router.get("/intros/{intro_id}/steps", response=responses(list[StepOut]), summary="Pipeline steps")
def list_steps(request, intro_id: int):
    return list(_intro(request, intro_id).steps.all())


@router.post(
    "/intros/{intro_id}/close",
    response=responses(IntroOut, body=True),
    summary="Close the pipeline with a reason the candidate sees (company)",
)
def close_pipeline(request, intro_id: int, payload: Reason):
    intro = selectors.intro_for_company(user=request.auth, intro_id=intro_id)
    followup.pipeline_close(intro=intro, by=request.auth, reason=payload.reason)
    return _intro(request, intro_id)


@router.post(
    "/steps/{step_id}/schedule",
    response=responses(StepOut, body=True),
    summary="Schedule a screen or interview (company)",
)
def schedule_step(request, step_id: int, payload: StepSchedule):
    step = selectors.step_for_company(user=request.auth, step_id=step_id)
    return followup.step_schedule(step=step, by=request.auth, **payload.dict(exclude_unset=True))


@router.post(
    "/steps/{step_id}/complete",
    response=responses(StepOut, body=True),
    summary="Record that the candidate passed this step; returns the next one (company)",
)
def complete_step(request, step_id: int, payload: StepComplete):
    step = selectors.step_for_company(user=request.auth, step_id=step_id)
    return followup.step_complete(step=step, by=request.auth, notes=payload.notes)


@router.post(
    "/steps/{step_id}/offer",
    response=responses(OfferOut, 201, body=True),
    summary="Make a written offer on the offer step (company)",
)
def make_offer(request, step_id: int, payload: OfferIn):
    step = selectors.step_for_company(user=request.auth, step_id=step_id)
    return Status(201, followup.offer_make(step=step, by=request.auth, **payload.dict()))


@router.get("/intros/{intro_id}/offers", response=responses(list[OfferOut]), summary="Offers")
def list_offers(request, intro_id: int):
    return list(_intro(request, intro_id).offers.all())


@router.post(
    "/offers/{offer_id}/accept", response=responses(OfferOut), summary="Accept an offer (candidate)"
)
def accept_offer(request, offer_id: int):
    offer = selectors.offer_for_candidate(user=request.auth, offer_id=offer_id)
    return followup.offer_accept(offer=offer, by=request.auth)


@router.post(
    "/offers/{offer_id}/decline",
    response=responses(OfferOut, body=True),
    summary="Decline an offer, optionally saying why (candidate)",
)
def decline_offer(request, offer_id: int, payload: OptionalReason):
    offer = selectors.offer_for_candidate(user=request.auth, offer_id=offer_id)
    return followup.offer_decline(offer=offer, by=request.auth, reason=payload.reason)
