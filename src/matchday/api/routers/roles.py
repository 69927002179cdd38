"""A company's roles: ``/roles``. Members see and edit their own company's; talent partners
read all; everybody else sees none (as on the roles page)."""

from __future__ import annotations

from ninja import Query, Router, Status

from matchday.api import services
from matchday.api.schemas import (
    InterviewStepOut,
    InterviewStepPatch,
    InterviewTemplateOut,
    PageParams,
    RoleClose,
    RoleCreate,
    RoleFilters,
    RoleOut,
    RolePatch,
    page_schema,
    paginate,
    responses,
)
from matchday.companies import selectors
from matchday.companies import services as companies
from matchday.companies.interview_templates import TEMPLATES, template_steps
from matchday.core.permissions import ensure_can_edit_role, ensure_company_member

router = Router(tags=["roles"])
RolePage = page_schema(RoleOut, "RolePage")


def _role(request, role_id: int):
    return selectors.role_for(user=request.auth, role_id=role_id)


def _split(payload) -> tuple[dict, list | None, list | None]:
    data = payload.dict(exclude_unset=True)  # nested lists are taken whole, with defaults
    (
        data.pop("skills", None),
        data.pop("interview_steps", None),
        data.pop("interview_template", None),
    )
    skills = services.role_skills_input(
        None if payload.skills is None else [s.dict() for s in payload.skills]
    )
    steps = None if payload.interview_steps is None else [s.dict() for s in payload.interview_steps]
    return data, skills, steps


@router.get("/roles", response=responses(RolePage), summary="List roles")
def list_roles(request, filters: Query[RoleFilters], page: Query[PageParams]):
    qs = selectors.roles_for(user=request.auth).prefetch_related("skills__skill", "interview_steps")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-created_at", "-pk"), page)


@router.post("/roles", response=responses(RoleOut, 201, body=True), summary="Create a draft role")
def create_role(request, payload: RoleCreate):
    """A new draft role of your company. The pay band is required and checked: minimum above
    zero, maximum at most MATCHDAY_MAX_BAND_RATIO times the minimum, a known currency."""
    ensure_company_member(request.auth)
    data, skills, steps = _split(payload)
    role = companies.role_create(
        company=request.auth.company,
        by=request.auth,
        data=data,
        skills=skills,
        interview_steps=steps,
        interview_template=payload.interview_template or "",
    )
    return Status(201, _role(request, role.pk))


@router.get("/roles/{role_id}", response=responses(RoleOut), summary="Get a role")
def get_role(request, role_id: int):
    return _role(request, role_id)


@router.patch("/roles/{role_id}", response=responses(RoleOut, body=True), summary="Update a role")
def update_role(request, role_id: int, payload: RolePatch):
    role = _role(request, role_id)
    ensure_can_edit_role(user=request.auth, role=role)  # before parsing skills: 403 first
    data, skills, steps = _split(payload)
    companies.role_update(
        role=role, by=request.auth, data=data, skills=skills, interview_steps=steps
    )
    return _role(request, role_id)


@router.post("/roles/{role_id}/open", response=responses(RoleOut), summary="Open a draft role")
def open_role(request, role_id: int):
    companies.role_open(role=_role(request, role_id), by=request.auth)
    return _role(request, role_id)


@router.post(
    "/roles/{role_id}/close", response=responses(RoleOut, body=True), summary="Close an open role"
)
def close_role(request, role_id: int, payload: RoleClose):
    companies.role_close(role=_role(request, role_id), by=request.auth, reason=payload.reason)
    return _role(request, role_id)


@router.delete("/roles/{role_id}", response=responses(None, 204), summary="Delete a draft role")
def delete_role(request, role_id: int):
    """Only a draft role can be deleted; a role that was ever opened is closed instead."""
    companies.role_delete(role=_role(request, role_id), by=request.auth)
    return Status(204, None)


# --- interview steps and their preparation ------------------------------------------------


@router.get(
    "/roles/{role_id}/interview-steps",
    response=responses(list[InterviewStepOut]),
    summary="A role's interview steps and their prep",
)
def list_interview_steps(request, role_id: int):
    """Your company's role (any status, drafts included), or any role for talent partners;
    candidates read a role's prep through their intros (``/intros/{id}/prep``)."""
    return list(_role(request, role_id).interview_steps.all())


@router.patch(
    "/roles/{role_id}/interview-steps/{step_id}",
    response=responses(InterviewStepOut, body=True),
    summary="Edit one interview step and its prep",
)
def update_interview_step(request, role_id: int, step_id: int, payload: InterviewStepPatch):
    step = selectors.interview_step_for_edit(user=request.auth, role_id=role_id, step_id=step_id)
    return companies.interview_step_update(
        step=step, by=request.auth, data=payload.dict(exclude_unset=True)
    )


@router.get(
    "/interview-templates",
    response=responses(list[InterviewTemplateOut]),
    summary="Interview process templates for role families",
)
def list_interview_templates(request):
    """What ``interview_template`` on ``POST /roles`` fills a new role's steps with."""
    return [
        {"key": key, "label": t["label"], "steps": template_steps(key)}
        for key, t in TEMPLATES.items()
    ]
